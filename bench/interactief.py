"""Interactive queries as the dashboard issues them, each timed over many varied runs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from pathlib import Path

import duckdb

import kpi
from bench.meten import percentiel
from kpi.berekening import lees_peildatum
from kpi.eenhedensets import GEDEELD, Bron
from kpi.eenhedensets import bron as eenheden  # the query runner, whose _groepen is counted
from kpi.periode import Periode
from weergave.tabellen import MATRIX_KPIS  # the Overzicht page's default matrix


@dataclass(frozen=True)
class Reeks:
    """Timings of one kind of query, in milliseconds, with the cache counts during them."""

    naam: str
    omschrijving: str
    ms: list[float]
    queries: int  # DuckDB queries over all runs
    cache_treffers: int  # answers from the per-computation cache (no query)
    eerste_ms: float | None = None  # the warm-up call before the runs (cold process caches)

    @property
    def p50(self) -> float:
        return percentiel(self.ms, 0.5)

    @property
    def p95(self) -> float:
        return percentiel(self.ms, 0.95)


class _Teller:
    """Counts the DuckDB queries the engine runs while active (unit rows and group queries,
    on any cursor), and the answers its per-computation cache gave without a query."""

    def __init__(self) -> None:
        self.queries = self.treffers = 0
        self._origineel = (eenheden._groepen, Bron._voer_uit, Bron.onthoud)

    def __enter__(self) -> _Teller:
        groepen, voer_uit, onthoud = self._origineel
        teller, slot = self, threading.Lock()

        def tel(functie: Callable) -> Callable:
            @wraps(functie)
            def geteld(*args, **kwargs):  # type: ignore[no-untyped-def]
                with slot:
                    teller.queries += 1
                return functie(*args, **kwargs)

            return geteld

        @wraps(onthoud)
        def onthoud_geteld(bron: Bron, sleutel: tuple, maak: Callable):  # type: ignore[no-untyped-def]
            if sleutel in bron._cache:
                teller.treffers += 1
            return onthoud(bron, sleutel, maak)

        eenheden._groepen = tel(groepen)
        Bron._voer_uit = tel(voer_uit)  # type: ignore[method-assign]
        Bron.onthoud = onthoud_geteld  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        eenheden._groepen, Bron._voer_uit, Bron.onthoud = self._origineel  # type: ignore[method-assign]


def _meet(
    naam: str,
    omschrijving: str,
    aanroepen: list[Callable[[], object]],
    eerste_ms: float | None = None,
) -> Reeks:
    ms = []
    with _Teller() as teller:
        for aanroep in aanroepen:
            begin = time.perf_counter()
            aanroep()
            ms.append((time.perf_counter() - begin) * 1000)
    return Reeks(naam, omschrijving, ms, teller.queries, teller.treffers, eerste_ms)


def meet(warehouse: Path, runs: int) -> list[Reeks]:
    """Trend and matrix queries, `runs` each, provider/segment/KPI/year varied per run."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        peildatum = lees_peildatum(con)
        # providers x segments with the most zorgtrajecten: real CM-gesprek subjects
        paren = con.execute(
            "select aanbieder, segment from zorgtrajecten group by all "
            "order by count(*) desc, aanbieder, segment limit $n",
            {"n": runs},
        ).fetchall()
        jaar, maand = peildatum.year - 2, peildatum.month + 1
        if maand == 13:
            jaar, maand = jaar + 1, 1
        laatste = Periode.maand(peildatum.year, peildatum.month)
        twee_jaar = Periode(date(jaar, maand, 1), laatste.eind, "bereik")  # 24 months
        jaren = [peildatum.year - 3, peildatum.year - 2, peildatum.year - 1]  # complete cj's
        segmenten = [
            None,
            *(
                s
                for (s,) in con.execute(
                    "select distinct segment from producten order by 1"
                ).fetchall()
            ),
        ]

        def trend(i: int) -> Callable[[], object]:
            aanbieder, segment = paren[i % len(paren)]
            kpi_id = MATRIX_KPIS[i % len(MATRIX_KPIS)]
            filters = kpi.Filters(aanbieder=aanbieder, segment=segment)
            return lambda: kpi.reeks(con, twee_jaar, filters=filters, kpis=[kpi_id])

        def matrix(i: int, per: tuple[str, ...]) -> Callable[[], object]:
            cj = f"cj{jaren[i % len(jaren)]}"
            segment = segmenten[(i // len(jaren)) % len(segmenten)]
            filters = kpi.Filters(segment=segment)
            return lambda: kpi.bereken(con, cj, per=per, filters=filters, kpis=MATRIX_KPIS)

        # one warm-up call of each kind: the first query pays for opening the file and for
        # what is kept per load (kpi.eenhedensets.GEDEELD: the nulmeting, metadata); timed apart
        GEDEELD.leeg()
        eerste = {}
        for naam, aanroep in (("trend", trend(0)), ("matrix", matrix(0, ("aanbieder",)))):
            begin = time.perf_counter()
            aanroep()
            eerste[naam] = (time.perf_counter() - begin) * 1000
        return [
            _meet(
                "trend",
                f"kpi.reeks, 24 maanden ({twee_jaar.code}), 1 aanbieder × 1 segment, "
                "1 KPI (om de beurt elk van de 12 matrix-KPI's)",
                [trend(i) for i in range(runs)],
                eerste["trend"],
            ),
            _meet(
                "matrix per aanbieder",
                "kpi.bereken(per=('aanbieder',), kpis=MATRIX_KPIS), contractjaar "
                f"{', '.join(f'cj{j}' for j in jaren)} × segmentfilter geen/elk",
                [matrix(i, ("aanbieder",)) for i in range(runs)],
                eerste["matrix"],
            ),
            _meet(
                "matrix regio",
                "kpi.bereken(per=(), kpis=MATRIX_KPIS), idem",
                [matrix(i, ()) for i in range(runs)],
            ),
        ]
    finally:
        con.close()
