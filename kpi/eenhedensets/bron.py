"""The query runner: runs unit queries for one computation (`Bron`), with its cache, the
process-wide cache per warehouse load (`GEDEELD`) and the threads that run queries two at
a time. The SQL text comes from `sqltekst`, the views an older warehouse needs from `schema`."""

from __future__ import annotations

import queue
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

import duckdb
import polars as pl
from warehouse.schema import parameternamen

from kpi import maandfeiten
from kpi.aggregatie_sql import (
    CLIENT_NR,
    DEEL,
    ENIGE_RIJ,
    Groepen,
    groepsquery,
    maand_van,
    met_eindwaarden,
)
from kpi.eenhedensets.schema import kolomsoorten, lees_meta, opslag, scalar, zet_op
from kpi.eenhedensets.sqltekst import (
    MAAND_SPLITSING,
    PERIODELIJSTEN,
    SAMENGESTELD,
    STANDAARD_KOLOMMEN,
    deeleinden,
    gefilterd,
    query,
)
from kpi.filters import Filters
from kpi.registry import TABELLEN, Kpi
from kpi.werkdagen import TERMIJN_WERKDAGEN, termijnkalender

# A small result copied once more through Arrow costs nothing worth a warning.
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)
T = TypeVar("T")


# The arguments of one Bron.groepen call: naam, perioden, filters, extra, kpis, per.
GroepsAanvraag = tuple[
    str, tuple[tuple[date, date], ...], Filters, Mapping[str, Any], tuple[Kpi, ...], tuple[str, ...]
]


def _als_frame(resultaat: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """An executed query's result as a Polars frame, through Arrow (cur.execute, not a
    relation: cur.sql(...).pl() binds the query once more and costs milliseconds)."""
    frame = pl.from_arrow(resultaat.to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _groepen(
    cur: duckdb.DuckDBPyConnection, query: str, params: dict, eind: bool = True
) -> Groepen:
    """The groups of a group query, in the form `eind` says (aggregatie_sql.Groepen)."""
    resultaat = cur.execute(query, params)
    if eind:
        return _als_frame(resultaat)
    kolommen = [k[0] for k in resultaat.description]
    return [dict(zip(kolommen, r, strict=True)) for r in resultaat.fetchall()]


class _Gedeeld:
    """What stays true for one load of a warehouse (meta 'laad_id'), kept across
    computations in this process: metadata, the region's baseline values (nulmeting), the
    forecast. Bounded; thread-safe (the dashboard serves sessions from threads).

    One computation per key at a time: when 20 sessions open the Aanbieder page of a fresh
    server together, the first computes the region's forecast and the others wait for it,
    instead of all 20 computing the same seconds-long result under one GIL
    (bench/gelijktijdig.py)."""

    def __init__(self, maximum: int = 4096) -> None:
        self._waarden: OrderedDict[tuple, Any] = OrderedDict()
        self._bezig: dict[tuple, threading.Event] = {}  # keys being computed now
        self._slot = threading.Lock()
        self._maximum = maximum

    def haal(self, sleutel: tuple, maak: Callable[[], T]) -> T:
        while True:
            with self._slot:
                if sleutel in self._waarden:
                    self._waarden.move_to_end(sleutel)
                    return self._waarden[sleutel]
                klaar = self._bezig.get(sleutel)
                if klaar is None:
                    klaar = self._bezig[sleutel] = threading.Event()
                    break
            # another thread computes it: wait, then look again (if that computation
            # failed, this thread becomes the one that computes)
            klaar.wait()
        try:
            waarde = maak()
        except BaseException:
            with self._slot:
                del self._bezig[sleutel]
            klaar.set()
            raise
        with self._slot:
            self._waarden[sleutel] = waarde
            del self._bezig[sleutel]
            while len(self._waarden) > self._maximum:
                self._waarden.popitem(last=False)
        klaar.set()
        return waarde

    def bevat(self, sleutel: tuple) -> bool:
        with self._slot:
            return sleutel in self._waarden

    def leeg(self) -> None:
        with self._slot:
            self._waarden.clear()


GEDEELD = _Gedeeld()
# Threads that run queries for Bron._samen, kept for the process (starting threads for each
# computation costs milliseconds). A worker only runs queries; it never waits on another task.
_WERKERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kpi-query")


class Bron:
    """Runs unit queries for one computation: its own cursor, one peildatum, cached results."""

    def __init__(
        self,
        cur: duckdb.DuckDBPyConnection,
        peildatum: date,
        instellingen: Mapping[str, Any] | None = None,
        meta: Mapping[str, str] | None = None,
    ) -> None:
        """`cur`: a cursor of its own (con.cursor()); `meta`: the table meta as read from
        it (lees_meta), when the caller has it already."""
        self.cur = cur
        self.peildatum = peildatum
        self.instellingen = dict(instellingen or {})
        self._cache: dict[tuple, Any] = {}
        meta = lees_meta(cur) if meta is None else meta
        self._feiten_geladen, self._clientnummers, self._overlapt = opslag(meta)
        self._zet_op(self.cur)
        self._cur2: duckdb.DuckDBPyConnection | None = None
        self.maandfeiten = maandfeiten.bereik(meta)
        self.laad_id = meta.get("laad_id")  # one load of this warehouse; None: not shared

    def eenheden_sql(self, naam: str, van: date, tot: date) -> str:
        """The unit query of kpi/sql/<naam>.sql for [van, tot] (sqltekst.query)."""
        return query(naam, van, tot, self.peildatum, self.maandfeiten)

    def sql(
        self,
        naam: str,
        van: date,
        tot: date,
        filters: Filters | None = None,
        **extra: Any,
    ) -> pl.DataFrame:
        """Unit rows of kpi/sql/<naam>.sql for [van, tot]; filtered when `filters` is given."""
        sleutel, maak = self._sqlopdracht(naam, van, tot, filters, extra)
        return self.onthoud(sleutel, lambda: maak(self.cur))

    def _sqlopdracht(
        self, naam: str, van: date, tot: date, filters: Filters | None, extra: Mapping[str, Any]
    ) -> tuple[tuple, Callable[[duckdb.DuckDBPyConnection], pl.DataFrame]]:
        """The cache key of a `sql` call and the function that runs it on a cursor."""
        tekst = self.eenheden_sql(naam, van, tot)
        if filters is not None:
            tekst = gefilterd(tekst, filters)
        sleutel = ("sql", naam, van, tot, filters, tuple(sorted(extra.items())))
        return sleutel, lambda cur: self._voer_uit(cur, naam, tekst, van, tot, filters, extra)

    def groepen(
        self,
        naam: str,
        perioden: tuple[tuple[date, date], ...],
        filters: Filters,
        extra: Mapping[str, Any],
        kpis: tuple[Kpi, ...],
        per: tuple[str, ...],
    ) -> Groepen:
        """The groups of `kpis` on unit set `naam`, aggregated in DuckDB (for all of them at
        once: aggregatie_sql.groepsquery; aggregatie_sql.groepswaarden reads them).

        One period: its groups. Several (a series; only when `in_een_keer(naam)`): one query
        for them all, each group with its key `_deel`: the month, for a set in MAAND_SPLITSING
        read once over the whole range; the period's number for a set in PERIODELIJSTEN.
        """
        sleutel, maak = self._groepsopdracht(naam, perioden, filters, extra, kpis, per)
        return self.onthoud(sleutel, lambda: maak(self.cur))

    def vooraf(self, groepen: Sequence[GroepsAanvraag]) -> None:
        """Run the `groepen` queries not yet cached, all in one batch, two at a time.

        Each query runs on one core at this data size (DuckDB splits work by row group), so
        the machine's two cores serve two queries at once; each worker has its own cursor.
        The results land in the cache, where `groepen` finds them.
        """
        opdrachten = [self._groepsopdracht(*opdracht) for opdracht in groepen]
        self._samen({s: maak for s, maak in opdrachten if s not in self._cache})

    def _samen(self, taken: Mapping[tuple, Callable[[duckdb.DuckDBPyConnection], Any]]) -> None:
        """Run the tasks (cache key -> work on a cursor) on two cursors at once, into the
        cache. Fewer than two: left to the caller, who runs it on the first cursor."""
        if len(taken) < 2:
            return
        rij: queue.SimpleQueue = queue.SimpleQueue()
        for item in taken.items():
            rij.put(item)

        def werker(cur: duckdb.DuckDBPyConnection) -> dict[tuple, Any]:
            uit = {}
            while True:
                try:
                    sleutel, taak = rij.get_nowait()
                except queue.Empty:
                    return uit
                uit[sleutel] = taak(cur)

        lopend = [_WERKERS.submit(werker, cur) for cur in (self.cur, self._tweede_cursor())]
        for taak in lopend:
            self._cache.update(taak.result())

    def _tweede_cursor(self) -> duckdb.DuckDBPyConnection:
        """A second cursor, set up as the first (fact views for a warehouse without facts)."""
        if self._cur2 is None:
            self._cur2 = self.cur.cursor()
            self._zet_op(self._cur2)
        return self._cur2

    def _zet_op(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Views for what this warehouse does not store (schema.zet_op)."""
        zet_op(cur, self._feiten_geladen, self._clientnummers, self._overlapt)

    def _groepsopdracht(
        self,
        naam: str,
        perioden: tuple[tuple[date, date], ...],
        filters: Filters,
        extra: Mapping[str, Any],
        kpis: tuple[Kpi, ...],
        per: tuple[str, ...],
    ) -> tuple[tuple, Callable[[duckdb.DuckDBPyConnection], Groepen]]:
        """The cache key of a `groepen` call and the function that runs it on a cursor."""
        sleutel = ("groepen", naam, perioden, filters, tuple(sorted(extra.items())))
        sleutel = (*sleutel, tuple(k.id for k in kpis), per)
        van, tot = perioden[0][0], perioden[-1][1]
        tekst = gefilterd(self.eenheden_sql(naam, van, tot), filters)
        params = self._parameters(naam, tekst, van, tot, filters, extra)
        deel = None
        if len(perioden) > 1 and naam in MAAND_SPLITSING:
            deel = maand_van(MAAND_SPLITSING[naam])
        elif len(perioden) > 1 and naam in PERIODELIJSTEN:
            deel = DEEL
            params["perioden_tot"] = [t for _, t in perioden]
            if "perioden_van" in params:
                params["perioden_van"] = [v for v, _ in perioden]
        elif len(perioden) > 1:
            raise ValueError(f"sql/{naam}.sql kan niet voor meer perioden tegelijk")
        eind = met_eindwaarden(per)
        query = groepsquery(tekst, kpis, per, kolomsoorten(naam), deel, eind)
        return sleutel, lambda cur: _groepen(cur, query, params, eind)

    def _parameters(
        self,
        naam: str,
        tekst: str,
        van: date,
        tot: date,
        filters: Filters | None,
        extra: Mapping[str, Any],
    ) -> dict[str, Any]:
        namen = parameternamen(tekst)
        pool: dict[str, Any] = {
            "van": van,
            "tot": tot,
            "peildatum": self.peildatum,
            **self.instellingen,
            **extra,
        }
        if filters is not None:
            pool.update(filters.params())
        if naam in SAMENGESTELD:  # $<deel>_tot of a part read up to the peildatum
            einden = deeleinden(naam, tot, self.peildatum)
            pool.update({f"{deel}_tot": e for deel, e in einden.items()})
        if "kalender_datum" in namen:
            werkdagen = int(extra.get("termijn_werkdagen", TERMIJN_WERKDAGEN))
            pool["kalender_datum"], pool["kalender_uiterlijk"] = termijnkalender(
                van, tot, werkdagen
            )
        if "perioden_tot" in namen:  # one period, as a list of one (PERIODELIJSTEN)
            pool["perioden_van"], pool["perioden_tot"] = [van], [tot]
        ontbreekt = namen - pool.keys()
        if ontbreekt:
            raise KeyError(f"sql/{naam}.sql vraagt parameters zonder waarde: {sorted(ontbreekt)}")
        return {k: pool[k] for k in namen}

    def _voer_uit(
        self,
        cur: duckdb.DuckDBPyConnection,
        naam: str,
        tekst: str,
        van: date,
        tot: date,
        filters: Filters | None,
        extra: Mapping[str, Any],
    ) -> pl.DataFrame:
        params = self._parameters(naam, tekst, van, tot, filters, extra)
        telkolommen = [k for k in (CLIENT_NR, ENIGE_RIJ) if k in kolomsoorten(naam)]
        if telkolommen:  # for counting only: unit rows show client_id
            tekst = f"select * exclude ({', '.join(telkolommen)}) from (\n{tekst}\n) as eenheden"
        frame = _als_frame(cur.execute(tekst, params))
        if DEEL in frame.columns:  # the period's number: always 0 here
            frame = frame.drop(DEEL)
        mist = [k for k in STANDAARD_KOLOMMEN if k not in frame.columns]
        if mist:
            raise ValueError(f"sql/{naam}.sql levert de standaardkolommen {mist} niet")
        return frame

    def onthoud(self, sleutel: tuple, maak: Callable[[], T]) -> T:
        """Cached result of `maak()` under `sleutel` for this computation."""
        if sleutel not in self._cache:
            self._cache[sleutel] = maak()
        return self._cache[sleutel]

    def heeft_per_lading(self, sleutel: tuple) -> bool:
        """True when `onthoud_per_lading` holds a value under `sleutel`."""
        if self.laad_id is None:
            return sleutel in self._cache
        return GEDEELD.bevat(self._lading_sleutel(sleutel))

    def _lading_sleutel(self, sleutel: tuple) -> tuple:
        instellingen = tuple(sorted(self.instellingen.items()))
        return (self.laad_id, self.peildatum, instellingen, *sleutel)

    def onthoud_per_lading(self, sleutel: tuple, maak: Callable[[], T]) -> T:
        """Cached result of `maak()` for this load of the warehouse, shared by computations
        with the same peildatum and settings; only for what no filter or period changes."""
        if self.laad_id is None:
            return self.onthoud(sleutel, maak)
        return GEDEELD.haal(self._lading_sleutel(sleutel), maak)

    def filtreer(self, eenheden: pl.DataFrame, filters: Filters) -> pl.DataFrame:
        """Apply the filters to unit rows built in Python (Filters.polars: the same rule as
        Filters.sql applies to a unit query)."""
        return eenheden.filter(filters.polars())

    def heeft_rijen(self, tabel: str) -> bool:
        """True when warehouse table `tabel` (a name from the registry whitelist) has rows."""
        if tabel not in TABELLEN:
            raise ValueError(f"onbekende tabel {tabel!r}")

        def gevuld() -> bool:
            # a warehouse of an older schema may lack a table (kpi_waarden before schema 5)
            bestaat = (
                "select count(*) from duckdb_tables() where table_name = ? and schema_name = 'main'"
            )
            if not self.cur.execute(bestaat, [tabel]).fetchall()[0][0]:
                return False
            return bool(scalar(self.cur, f"select exists (from {tabel})"))

        return self.onthoud_per_lading(("gevuld", tabel), gevuld)

    def ouders(self) -> dict[tuple[str, str], str]:
        """(dimension, value) -> its single parent: subsegment -> segment -> domein."""

        def maak() -> dict[tuple[str, str], str]:
            paren = self.cur.execute(
                "select 'subsegment', subsegment, min(segment) from producten "
                "group by subsegment having count(distinct segment) = 1 "
                "union all "
                "select 'segment', segment, min(domein) from producten "
                "group by segment having count(distinct domein) = 1"
            ).fetchall()
            return {(kind, waarde): ouder for kind, waarde, ouder in paren}

        return self.onthoud_per_lading(("ouders",), maak)
