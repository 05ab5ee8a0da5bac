"""The compute entry point: KPIs for a period, grouped and filtered, with stoplicht."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from kpi.aggregatie import GEEN, RESULTAAT_SCHEMA, aggregeer, exact
from kpi.aggregatie_sql import groepswaarden, in_sql, per_deel
from kpi.eenhedensets import (
    MAAND_SPLITSING,
    Bron,
    GroepsAanvraag,
    in_een_keer,
    kolomsoorten,
    lees_meta,
    scalar,
)
from kpi.filters import DIMENSIES, Filters
from kpi.functies import FUNCTIES, GROEPSREDENEN, REDENEN, TOELICHTINGEN
from kpi.geldigheid import NORM_OP, niet_van_toepassing, normdag, zonder_norm_buiten_kracht
from kpi.normen import SELECTOREN, Normen, laad_normen
from kpi.periode import Periode
from kpi.prognose.eenheden import waarden as prognose_waarden
from kpi.registry import Kpi, Registry, controleer_functies, laad_registry
from kpi.scope import REGIO, BuitenScope, Scope, beveilig
from kpi.stoplicht import NORM_SCHEMA, normkolommen, oordeel_over_delen, stoplicht_kolom
from kpi.werkdagen import plus_werkdagen

KOLOMMEN = (
    "kpi",
    "periode_start",
    "periode_eind",
    *DIMENSIES,
    "waarde",
    "teller",
    "noemer",
    "n",
    "voorlopig",
    "norm_groen",
    "norm_oranje",
    "norm_deel",
    "stoplicht",
)
# The dimensions a filter narrows a KPI's grain to, for `Berekening.niet_berekend`.
GEFILTERDE_KORREL = ("gemeente", "subsegment", "aanbieder")
SCHEMA = {
    "kpi": pl.String,
    "periode_start": pl.Date,
    "periode_eind": pl.Date,
    **RESULTAAT_SCHEMA,
    "norm_groen": pl.String,
    "norm_oranje": pl.String,
    "norm_deel": pl.String,
    "stoplicht": pl.String,
}


def lees_peildatum(con: duckdb.DuckDBPyConnection) -> date:
    """Peildatum from meta ('peildatum'); else the latest dagtekening; else today."""
    cur = con.cursor()
    return _peildatum(cur, lees_meta(cur))


def _peildatum(cur: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> date:
    waarde = meta.get("peildatum")
    if waarde:
        return date.fromisoformat(waarde.strip()[:10])
    return scalar(cur, "select max(dagtekening) from berichten") or date.today()


def termijn_einde(kpi: Kpi, dag: date) -> date:
    """The day by which the outcome of a unit dated `dag` is known: its deadline
    (termijn_werkdagen or termijn_dagen of the KPI), or `dag` itself without a termijn."""
    if kpi.termijn_werkdagen is not None:
        return plus_werkdagen(dag, kpi.termijn_werkdagen)
    if kpi.termijn_dagen is not None:
        return dag + timedelta(days=kpi.termijn_dagen)
    return dag


def periode_voorlopig(kpi: Kpi, periode: Periode, peildatum: date) -> bool:
    """Whether a period's value of a KPI is voorlopig (its stoplicht grey) as a whole.

    A period-bound KPI is voorlopig when the period ends after the peildatum; a KPI with a
    termijn also while the deadline of the period's last day is not before the peildatum
    (a deadline on the peildatum itself has not passed, as in the unit SQL): late messages
    for its last days can still arrive, so a share would look better than it is.
    """
    if not kpi.periodiek:
        return False
    if periode.eind > peildatum:
        return True
    return kpi.heeft_termijn and termijn_einde(kpi, periode.eind) >= peildatum


def _per(per: Iterable[str]) -> tuple[str, ...]:
    uit = tuple(per)
    onbekend = [d for d in uit if d not in DIMENSIES]
    if onbekend or len(set(uit)) != len(uit):
        raise ValueError(f"ongeldige indeling {uit!r}; kies uit {DIMENSIES}")
    return uit


class Berekening:
    """One computation session: a cursor, a peildatum, norms, and caches shared by its calls."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        peildatum: date | None = None,
        normen: Normen | Path | str | None = None,
        registry: Registry | None = None,
    ) -> None:
        self.registry = registry or laad_registry()
        controleer_functies(self.registry, FUNCTIES)
        if not isinstance(normen, Normen):
            normen = laad_normen(normen, self.registry)
        self.normen = normen
        cur = con.cursor()
        meta = lees_meta(cur)  # read once: the peildatum and what Bron needs
        self.peildatum = peildatum or _peildatum(cur, meta)
        self.bron = Bron(cur, self.peildatum, dict(normen.instellingen), meta)

    def kies(self, kpis: Iterable[str] | None) -> list[Kpi]:
        """The requested KPIs (when None all but the forecasts, which are asked for by name),
        in registry order; unknown ids raise."""
        if kpis is None:
            return [k for k in self.registry if not k.prognose]
        gevraagd = set(kpis)
        for kpi_id in gevraagd:
            self.registry[kpi_id]  # raises KeyError naming an unknown id
        return [k for k in self.registry if k.id in gevraagd]

    def ontbrekend(self, kpi: Kpi) -> str | None:
        """Why a KPI cannot be computed (an input table is empty), or None."""
        for eis in kpi.vereist:
            tabellen = eis.split("|")
            if not any(self.bron.heeft_rijen(t) for t in tabellen):
                return f"tabel {' of '.join(tabellen)} is leeg"
        return None

    def niet_berekend(
        self,
        kpi: Kpi,
        periode: Periode,
        per: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> str | None:
        """Why a KPI gives no figure for `periode` grouped by `per` (None: it does): an empty
        input table, or what its definition says of such a period (functies.REDENEN).

        A filter on gemeente, sub-segment or aanbieder asks for the figure at that grain as
        a grouping by it does (one aanbieder of the region's targets is no figure either)."""
        reden = self.ontbrekend(kpi)
        if reden is None and kpi.bron in REDENEN:
            korrel = tuple(per) + tuple(
                d
                for d in GEFILTERDE_KORREL
                if filters is not None and getattr(filters, d) is not None and d not in per
            )
            reden = REDENEN[kpi.bron](self.bron, periode, korrel, kpi)
        return reden

    def redenen(
        self,
        perioden: Sequence[Periode],
        per: Sequence[str] = (),
        kpis: Iterable[str] | None = None,
        filters: Filters | None = None,
    ) -> list[tuple[str, Periode, str]]:
        """(kpi, periode, reason) for each requested KPI that gives no figure for a period."""
        uit = []
        for kpi in self.kies(kpis):
            for periode in perioden:
                reden = self.niet_berekend(kpi, periode, per, filters)
                if reden is not None:
                    uit.append((kpi.id, periode, reden))
        return uit

    def groepsredenen(
        self, kpi: Kpi, periode: Periode, per: Sequence[str], filters: Filters
    ) -> pl.DataFrame:
        """The groups of a KPI (columns `per`, GEEN for no value) that give no figure for
        `periode`, with the reason (column `reden`): what its definition says of such a group
        (functies.GROEPSREDENEN, e.g. a cell without a full plan). Empty: every group does."""
        if kpi.bron not in GROEPSREDENEN:
            return pl.DataFrame(schema={**{d: pl.String for d in per}, "reden": pl.String})
        rijen = self.eenheden(kpi, periode, filters)
        return GROEPSREDENEN[kpi.bron](rijen, tuple(per), kpi)

    def redenen_per_groep(
        self,
        perioden: Sequence[Periode],
        per: Sequence[str] = (),
        filters: Filters | None = None,
        kpis: Iterable[str] | None = None,
    ) -> list[tuple[str, Periode, dict[str, str], str]]:
        """(kpi, periode, group, reason) for each group that gives no figure although its KPI
        does for the period (the group: its values of `per`)."""
        filters = filters or Filters()
        uit = []
        for kpi in self.kies(kpis):
            if kpi.bron not in GROEPSREDENEN:
                continue
            for periode in perioden:
                if self.niet_berekend(kpi, periode, per, filters) is not None:
                    continue
                for rij in self.groepsredenen(kpi, periode, per, filters).iter_rows(named=True):
                    groep = {d: rij[d] for d in per}
                    uit.append((kpi.id, periode, groep, rij["reden"]))
        return uit

    def toelichtingen(
        self,
        perioden: Sequence[Periode],
        per: Sequence[str] = (),
        kpis: Iterable[str] | None = None,
        filters: Filters | None = None,
    ) -> list[tuple[str, Periode, str]]:
        """(kpi, periode, note) where a KPI's figure for a period (grouped by `per`) needs a
        word on what it covers (functies.TOELICHTINGEN, e.g. the months of the year to date)."""
        uit = []
        for kpi in self.kies(kpis):
            if kpi.bron not in TOELICHTINGEN:
                continue
            for periode in perioden:
                if self.niet_berekend(kpi, periode, per, filters) is not None:
                    continue
                noot = TOELICHTINGEN[kpi.bron](self.bron, periode, kpi)
                if noot is not None:
                    uit.append((kpi.id, periode, noot))
        return uit

    def eenheden(self, kpi: Kpi, periode: Periode, filters: Filters) -> pl.DataFrame:
        """Filtered unit rows of a KPI for a period."""
        if kpi.sql is not None:
            params = dict(kpi.parameters)
            return self.bron.sql(kpi.sql, periode.start, periode.eind, filters, **params)
        functie = FUNCTIES[kpi.bron]
        return self.bron.onthoud(
            ("functie", kpi.bron, periode, filters),
            lambda: self.bron.filtreer(functie(self.bron, periode), filters),
        )

    def waarden(
        self, kpi: Kpi, periode: Periode, per: Sequence[str], filters: Filters
    ) -> pl.DataFrame:
        """Aggregated values (no stoplicht) of one KPI."""
        vooraf = self.waarden_per_periode([kpi], (periode,), tuple(per), filters)
        if (kpi.id, periode) in vooraf:
            return vooraf[kpi.id, periode]
        rijen = self.eenheden(kpi, periode, filters)
        if kpi.prognose:  # over the contracts that have a forecast (kpi/prognose/eenheden.py)
            return self._afgerond(kpi, periode, prognose_waarden(rijen, kpi, per))
        return self._afgerond(kpi, periode, aggregeer(rijen, kpi, per))

    def _afgerond(self, kpi: Kpi, periode: Periode, uit: pl.DataFrame) -> pl.DataFrame:
        if periode_voorlopig(kpi, periode, self.peildatum):
            uit = uit.with_columns(voorlopig=pl.lit(True))  # the period is not complete
        return uit

    def waarden_per_periode(
        self,
        kpis: Sequence[Kpi],
        perioden: Sequence[Periode],
        per: tuple[str, ...],
        filters: Filters,
    ) -> dict[tuple[str, Periode], pl.DataFrame]:
        """Values, for each period, of the KPIs that aggregate in SQL (exact measures).

        One query per unit set serves all its KPIs and, where the set allows it
        (eenhedensets.in_een_keer), all periods. Other KPIs are left out.
        """
        sets: dict[tuple, list[Kpi]] = defaultdict(list)
        for kpi in kpis:
            if kpi.sql is not None and in_sql(kpi, kolomsoorten(kpi.sql)):
                sets[kpi.sql, kpi.parameters].append(kpi)
        uit: dict[tuple[str, Periode], pl.DataFrame] = {}
        grenzen = tuple((p.start, p.eind) for p in perioden)
        self.bron.vooraf(
            groepen=[
                (naam, perioden_, filters, dict(parameters), tuple(leden), per)
                for (naam, parameters), leden in sets.items()
                for perioden_ in (
                    [grenzen]
                    if len(perioden) > 1 and in_een_keer(naam)
                    else [((p.start, p.eind),) for p in perioden]
                )
            ],
        )
        for (naam, parameters), leden in sets.items():
            groep = tuple(leden)
            if len(perioden) == 1 or not in_een_keer(naam):
                delen = {
                    p: self.bron.groepen(
                        naam, ((p.start, p.eind),), filters, dict(parameters), groep, per
                    )
                    for p in perioden
                }
            else:  # one query; `_deel`: the month of the row, or the number of its period
                rijen = self.bron.groepen(naam, grenzen, filters, dict(parameters), groep, per)
                gesplitst = per_deel(rijen)
                maand = naam in MAAND_SPLITSING
                delen = {
                    p: gesplitst.get(p.start.replace(day=1) if maand else i, [])
                    for i, p in enumerate(perioden)
                }
            for p, rijen_p in delen.items():
                for kpi, waarden in zip(groep, groepswaarden(rijen_p, groep, per), strict=True):
                    uit[kpi.id, p] = self._afgerond(kpi, p, waarden)
        return uit

    def _context(self, rij: dict[str, Any], per: Sequence[str], filters: Filters) -> dict:
        context = {
            d: (rij[d] if rij[d] != GEEN else None) if d in per else filters.enkel(d)
            for d in DIMENSIES
        }
        ouders = self.bron.ouders()
        for kind, ouder in (("subsegment", "segment"), ("segment", "domein")):
            if context[kind] is not None and context[ouder] is None:
                context[ouder] = ouders.get((kind, context[kind]))
        return context

    def basiswaarde(self, kpi: Kpi, basis: Periode, context: dict) -> Fraction | None:
        """The region's value of a KPI in a baseline period for the context's domein/segment."""

        def maak() -> Fraction | None:
            rij = self.waarden(kpi, basis, (), self._basisfilters(context)).row(0, named=True)
            bruikbaar = rij["waarde"] is not None and rij["n"] >= kpi.min_n and not rij["voorlopig"]
            return exact(rij["waarde"]) if bruikbaar else None

        # the nulmeting is the same for every filter and period: kept for this load
        return self.bron.onthoud_per_lading(self._basissleutel(kpi, basis, context), maak)

    @staticmethod
    def _basisfilters(context: dict) -> Filters:
        """The baseline's selection: the region, within the context's domein/segment."""
        selectie = {d: context[d] for d in ("domein", "segment", "subsegment")}
        return Filters(**{d: v for d, v in selectie.items() if v is not None})

    @staticmethod
    def _basissleutel(kpi: Kpi, basis: Periode, context: dict) -> tuple:
        selectie = tuple((d, context[d]) for d in ("domein", "segment", "subsegment"))
        return ("basiswaarde", kpi, basis, selectie)

    def bereken(
        self,
        periode: Periode,
        per: Sequence[str] = (),
        filters: Filters | None = None,
        kpis: Iterable[str] | None = None,
    ) -> pl.DataFrame:
        """Long-form KPI values with stoplicht for one period."""
        return self.bereken_perioden((periode,), per, filters, kpis)[0]

    def bereken_perioden(
        self,
        perioden: Sequence[Periode],
        per: Sequence[str] = (),
        filters: Filters | None = None,
        kpis: Iterable[str] | None = None,
    ) -> list[pl.DataFrame]:
        """`bereken` for each of `perioden` (one long-form frame each), sharing the queries."""
        filters = filters or Filters()
        per = tuple(per)
        gekozen = [k for k in self.kies(kpis) if not self.ontbrekend(k)]
        if not gekozen:
            return [pl.DataFrame(schema=SCHEMA) for _ in perioden]
        alles = self._waarden_lang(gekozen, perioden, per, filters)
        if alles is None:
            return [pl.DataFrame(schema=SCHEMA) for _ in perioden]
        # all KPIs and periods judged at once: the norms depend on the period only for a KPI
        # with a dated norm (geldigheid.normdag)
        sleutels = self._normsleutels(per)
        contexten = alles.select(**sleutels).unique()
        # a KPI whose norm differs between sub-segments: its figures judged per sub-segment
        # (the rule in kpi/normen.py), unless every row lies in one sub-segment already
        deelbaar = [k for k in gekozen if self.normen.per_subsegment(k.id)]
        delen = None
        if deelbaar and "subsegment" not in per:
            # grouped by domein and segment too: a part's norm comes from its own units
            per_sub = (*per, *(d for d in ("domein", "segment", "subsegment") if d not in per))
            delen = self._waarden_lang(deelbaar, perioden, per_sub, filters)
        if delen is not None:
            deelsleutels = self._normsleutels(per_sub)
            deelcontexten = delen.select(**deelsleutels).unique()
            self._basis_vooraf([(contexten, per), (deelcontexten, per_sub)], filters)
            delen = self._met_norm(
                delen, self._normen(deelcontexten, per_sub, filters), deelsleutels
            ).with_columns(stoplicht=stoplicht_kolom(pl.col("min_n")), deel=pl.col("subsegment"))
        else:
            self._basis_vooraf([(contexten, per)], filters)
        alles = self._met_norm(alles, self._normen(contexten, per, filters), sleutels)
        if delen is not None:
            alles = oordeel_over_delen(alles, delen, ["kpi", "periode_start", "periode_eind", *per])
        else:
            alles = alles.with_columns(
                stoplicht=stoplicht_kolom(pl.col("min_n")), norm_deel=pl.lit(None, pl.String)
            )
        alles = alles.with_columns(
            norm_groen=pl.when(pl.col("heeft_norm")).then(pl.col("norm_groen")),
            norm_oranje=pl.when(pl.col("heeft_norm")).then(pl.col("norm_oranje")),
            norm_deel=pl.when(pl.col("heeft_norm")).then(pl.col("norm_deel")),
        )
        alles = zonder_norm_buiten_kracht(alles).select(KOLOMMEN).cast(SCHEMA)
        if len(perioden) == 1:
            return [alles]
        start, eind = pl.col("periode_start"), pl.col("periode_eind")
        uit = [alles.filter((start == p.start) & (eind == p.eind)) for p in perioden]
        return uit

    def _waarden_lang(
        self,
        kpis: Sequence[Kpi],
        perioden: Sequence[Periode],
        per: tuple[str, ...],
        filters: Filters,
    ) -> pl.DataFrame | None:
        """The values of `kpis` for each period grouped by `per`, in one long frame with
        columns kpi, periode_start, periode_eind, min_n and _van_kracht (no norm yet); None
        when no KPI gives a figure for any of the periods."""
        vooraf = self.waarden_per_periode(kpis, perioden, per, filters)
        delen = []
        for kpi in kpis:
            for periode in perioden:
                if kpi.bron in REDENEN and self.niet_berekend(kpi, periode, per, filters):
                    continue  # the definition gives no figure here (see `redenen`)
                waarden = vooraf.get((kpi.id, periode))
                if not kpi.van_kracht(periode.eind):  # not in the KPI set of this period
                    waarden = niet_van_toepassing(per)
                elif waarden is None:
                    waarden = self.waarden(kpi, periode, per, filters)
                if kpi.bron in GROEPSREDENEN and kpi.van_kracht(periode.eind):
                    # the groups its definition gives no figure for (see `redenen_per_groep`)
                    weg = self.groepsredenen(kpi, periode, per, filters)
                    if not weg.is_empty():
                        if per:
                            waarden = waarden.join(weg.select(per), on=list(per), how="anti")
                        else:
                            waarden = waarden.clear()
                        if waarden.is_empty():
                            continue
                delen.append(
                    waarden.with_columns(
                        kpi=pl.lit(kpi.id),
                        periode_start=pl.lit(periode.start),
                        periode_eind=pl.lit(periode.eind),
                        min_n=pl.lit(kpi.min_n, pl.Int64),
                        _van_kracht=pl.lit(kpi.van_kracht(periode.eind)),
                    )
                )
        return pl.concat(delen) if delen else None

    def _normsleutels(self, per: Sequence[str]) -> dict[str, pl.Expr]:
        """What a row's norm depends on (column name -> expression): its KPI and the
        selector dimensions (domein, segment, subsegment, aanbieder) it is grouped by.

        The aanbieder counts only when a norm rule of the KPI names it: any other aanbieder
        gets the rule that no aanbieder gets (NormRegel.past_bij), so its norm is chosen
        once for all such aanbieders, not once per aanbieder.
        """
        sleutels = {"kpi": pl.col("kpi")}
        for d in per:
            if d in SELECTOREN:
                sleutels[f"_norm_{d}"] = pl.col(d)
        if "aanbieder" in per:
            genoemd = sorted({f"{r.kpi}|{r.aanbieder}" for r in self.normen.regels if r.aanbieder})
            lijst = pl.Series(genoemd, dtype=pl.String).implode()
            paar = pl.concat_str(pl.col("kpi"), pl.lit("|"), pl.col("aanbieder"))
            sleutels["_norm_aanbieder"] = pl.when(paar.is_in(lijst)).then(pl.col("aanbieder"))
        sleutels.update(normdag(self.normen))
        return sleutels

    def _normcontext(self, rij: dict[str, Any], per: Sequence[str], filters: Filters) -> dict:
        """The context (as `_context`) of one row of `_normsleutels` columns."""
        keuze = [d for d in per if d in SELECTOREN]
        return self._context({d: rij[f"_norm_{d}"] for d in keuze}, keuze, filters)

    def _basis_vooraf(
        self, groepen: Sequence[tuple[pl.DataFrame, Sequence[str]]], filters: Filters
    ) -> None:
        """Run the baseline queries that relative norms will ask for (basiswaarde), all at
        once on the machine's cores, before the rows are judged. `groepen`: the distinct
        `_normsleutels` of the rows, with the grouping they come from."""
        relatief = {r.kpi for r in self.normen.regels if r.basis is not None}
        opdrachten: dict[tuple, GroepsAanvraag] = {}
        for contexten, per in groepen:
            self._basisopdrachten(contexten, per, filters, relatief, opdrachten)
        self.bron.vooraf(groepen=list(opdrachten.values()))

    def _basisopdrachten(
        self,
        contexten: pl.DataFrame,
        per: Sequence[str],
        filters: Filters,
        relatief: set[str],
        opdrachten: dict[tuple, GroepsAanvraag],
    ) -> None:
        """Add to `opdrachten` the baseline queries the rows of `contexten` need."""
        for rij in contexten.iter_rows(named=True):
            kpi = self.registry[rij["kpi"]]
            if kpi.id not in relatief or kpi.sql is None or not in_sql(kpi, kolomsoorten(kpi.sql)):
                continue
            context = self._normcontext(rij, per, filters)
            regel = self.normen.kies(kpi.id, context, rij.get(NORM_OP))
            if regel is None or regel.basis is None:
                continue
            if self.bron.heeft_per_lading(self._basissleutel(kpi, regel.basis, context)):
                continue
            basisfilters = self._basisfilters(context)
            grenzen = ((regel.basis.start, regel.basis.eind),)
            aanvraag = (kpi.sql, grenzen, basisfilters, dict(kpi.parameters), (kpi,), ())
            opdrachten[kpi.id, regel.basis, basisfilters] = aanvraag

    def _normen(
        self, contexten: pl.DataFrame, per: Sequence[str], filters: Filters
    ) -> pl.DataFrame:
        """The norm (NORM_SCHEMA) of each distinct `_normsleutels` value in `contexten`."""
        normen = []
        for rij in contexten.iter_rows(named=True):
            kpi = self.registry[rij["kpi"]]
            context = self._normcontext(rij, per, filters)
            regel = self.normen.kies(kpi.id, context, rij.get(NORM_OP))
            basis = None
            if regel is not None and regel.basis is not None:
                basis = self.basiswaarde(kpi, regel.basis, context)
            normen.append({**rij, **normkolommen(regel, kpi.richting, basis)})
        schema = {**dict.fromkeys(contexten.columns, pl.String), **NORM_SCHEMA}
        if NORM_OP in contexten.columns:
            schema[NORM_OP] = pl.Date
        return pl.DataFrame(normen, schema=schema)

    @staticmethod
    def _met_norm(
        waarden: pl.DataFrame, normen: pl.DataFrame, sleutels: dict[str, pl.Expr]
    ) -> pl.DataFrame:
        """The rows (of several KPIs, column min_n) with the norm of their context
        (NORM_SCHEMA), to be judged together (stoplicht.stoplicht_kolom, exact as
        stoplicht.beoordeel)."""
        met_norm = waarden.with_columns(**sleutels).join(
            normen, on=list(sleutels), how="left", nulls_equal=True, maintain_order="left"
        )
        return met_norm.drop([k for k in sleutels if k != "kpi"])


def bereken(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    per: Iterable[str] = (),
    filters: Filters | None = None,
    peildatum: date | None = None,
    normen: Normen | Path | str | None = None,
    kpis: Iterable[str] | None = None,
    scope: Scope | None = None,
) -> pl.DataFrame:
    """KPI values for one period in long form (see KOLOMMEN); null dimension = all.

    With a provider `scope` only its own rows come back, small numbers protected (column
    `geheim`); see kpi/scope.py.
    """
    scope = scope or REGIO
    berekening = Berekening(con, peildatum, normen)
    uit = berekening.bereken(Periode.parse(periode), _per(per), scope.filters(filters), kpis)
    return beveilig(uit, berekening.registry) if scope.is_aanbieder else uit


# An aanbieder code no provider has (AGB codes are digits): filtered on it, every unit set is
# empty, which is what a provider without units gets (see `uit_per_aanbieder`).
GEEN_AANBIEDER = "(geen aanbieder)"


def uit_per_aanbieder(
    per_aanbieder: pl.DataFrame,
    zonder_eenheden: pl.DataFrame,
    aanbieder: str,
    per: Sequence[str],
    kpis: Iterable[str] | None,
    apart: Callable[[list[str]], pl.DataFrame],
    normen: Normen,
    registry: Registry | None = None,
) -> pl.DataFrame:
    """One provider's figures cut from the figures of all providers: what `bereken` gives
    with the filter aanbieder = `aanbieder`, row for row and in the same order.

    `per_aanbieder`: `bereken` grouped by ("aanbieder", *per) under the same filters
    without the aanbieder, for the same `kpis`; `zonder_eenheden`: `bereken` under the same
    filters with aanbieder = GEEN_AANBIEDER. The provider's rows of `per_aanbieder` are its
    filtered figures (its units are the filtered units, and a norm or reason per aanbieder is
    chosen from the same context). Where it has no units for a KPI, a grouping has no group
    while a total over no units is still a row (n = 0, often with its norm and a grey
    light): that row is the one `zonder_eenheden` has, since an empty unit set is the same
    for every provider, unless a norm rule names this provider for the KPI; those few come
    from `apart`, the plain filtered computation for just these KPI ids. Why: one computation
    per question then serves every provider's page, so twenty first requests for twenty
    providers cost one computation, not twenty (bench/README "Many users at once").
    """
    registry = registry or laad_registry()
    gevraagd = set(kpis) if kpis is not None else None
    volgorde = {
        k.id: i
        for i, k in enumerate(registry)
        if (k.id in gevraagd if gevraagd is not None else not k.prognose)
    }
    deel = per_aanbieder.filter(pl.col("aanbieder") == aanbieder).with_columns(
        aanbieder=pl.lit(None, pl.String)
    )
    aanwezig = set(deel["kpi"])
    genoemd = {r.kpi for r in normen.regels if r.aanbieder == aanbieder}
    leeg = [k for k in volgorde if k not in aanwezig and k not in genoemd]
    eigen = [k for k in volgorde if k not in aanwezig and k in genoemd]
    delen = [deel, zonder_eenheden.filter(pl.col("kpi").is_in(leeg)).select(deel.columns)]
    if eigen:
        delen.append(apart(eigen).select(deel.columns))
    plek = pl.col("kpi").replace_strict(volgorde, return_dtype=pl.Int64)
    return pl.concat(delen).sort([plek, *per], maintain_order=True)


def reeks(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    per: Iterable[str] = (),
    filters: Filters | None = None,
    peildatum: date | None = None,
    normen: Normen | Path | str | None = None,
    kpis: Iterable[str] | None = None,
    scope: Scope | None = None,
) -> pl.DataFrame:
    """Monthly trend series: `bereken` for each month of the period (period-bound KPIs only)."""
    scope = scope or REGIO
    berekening = Berekening(con, peildatum, normen)
    gekozen = [k.id for k in berekening.kies(kpis) if k.periodiek]
    per, filters = _per(per), scope.filters(filters)
    delen = berekening.bereken_perioden(Periode.parse(periode).maanden(), per, filters, gekozen)
    uit = pl.concat(delen, how="vertical") if delen else pl.DataFrame(schema=SCHEMA)
    return beveilig(uit, berekening.registry) if scope.is_aanbieder else uit


def eenheden(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    periode: Periode | str,
    filters: Filters | None = None,
    peildatum: date | None = None,
    scope: Scope | None = None,
) -> pl.DataFrame:
    """The unit rows behind a KPI value (drill-down; clients only as pseudonyms), sorted on
    all columns from `eenheid` on, so that the same question shows the same rows first.

    Not in provider scope: there are no client-level rows for providers.
    """
    scope = scope or REGIO
    if not scope.mag_trajecten_zien:
        raise BuitenScope("trajecten op cliëntniveau zijn niet beschikbaar voor aanbieders")
    berekening = Berekening(con, peildatum)
    rijen = berekening.eenheden(
        berekening.registry[kpi], Periode.parse(periode), scope.filters(filters)
    )
    return rijen.sort(rijen.columns, nulls_last=True)


def quarantaine_per_reden(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None
) -> pl.DataFrame:
    """Rejected input rows per reason (columns reden, aantal), most frequent first."""
    rijen = eenheden(con, "quarantaine", Periode.jaar(date.today().year), filters)
    return (
        rijen.group_by("reden")
        .agg(aantal=pl.len())
        .sort(["aantal", "reden"], descending=[True, False])
    )


def niet_berekend(
    con: duckdb.DuckDBPyConnection,
    perioden: Sequence[Periode],
    per: Iterable[str] = (),
    kpis: Iterable[str] | None = None,
    peildatum: date | None = None,
    alleen_periodiek: bool = False,
    filters: Filters | None = None,
) -> list[tuple[str, Periode, str]]:
    """(kpi, periode, reason) for each KPI that gives no figure for a period grouped by `per`:
    an input table is empty, or its definition gives none for such a period (for the export,
    which says so instead of leaving the KPI out)."""
    berekening = Berekening(con, peildatum)
    gekozen = [k.id for k in berekening.kies(kpis) if k.periodiek or not alleen_periodiek]
    return berekening.redenen(perioden, _per(per), gekozen, filters)


def niet_berekend_per_groep(
    con: duckdb.DuckDBPyConnection,
    perioden: Sequence[Periode],
    per: Iterable[str] = (),
    filters: Filters | None = None,
    kpis: Iterable[str] | None = None,
    peildatum: date | None = None,
    alleen_periodiek: bool = False,
) -> list[tuple[str, Periode, dict[str, str], str]]:
    """(kpi, periode, group, reason) for each group (its values of `per`) that gives no
    figure for a period although its KPI does (Berekening.redenen_per_groep)."""
    berekening = Berekening(con, peildatum)
    gekozen = [k.id for k in berekening.kies(kpis) if k.periodiek or not alleen_periodiek]
    return berekening.redenen_per_groep(perioden, _per(per), filters, gekozen)


def toelichtingen(
    con: duckdb.DuckDBPyConnection,
    perioden: Sequence[Periode],
    per: Iterable[str] = (),
    kpis: Iterable[str] | None = None,
    peildatum: date | None = None,
    filters: Filters | None = None,
) -> list[tuple[str, Periode, str]]:
    """(kpi, periode, note) for each KPI whose figure for a period grouped by `per` needs a
    word on what it covers (Berekening.toelichtingen; the export's column `toelichting`)."""
    return Berekening(con, peildatum).toelichtingen(perioden, _per(per), kpis, filters)


@dataclass(frozen=True)
class Uitleg:
    """What a page says beside one KPI's figures for some periods grouped by `per`: the periods
    without a figure at all, the groups without one, and what a figure covers where that is
    less than its period (each with its text in Dutch)."""

    redenen: tuple[tuple[Periode, str], ...] = ()
    groepen: tuple[tuple[Periode, tuple[tuple[str, str], ...], str], ...] = ()
    toelichtingen: tuple[tuple[Periode, str], ...] = ()


def uitleg(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    perioden: Sequence[Periode],
    per: Iterable[str] = (),
    filters: Filters | None = None,
    peildatum: date | None = None,
    scope: Scope | None = None,
) -> Uitleg:
    """Why one KPI gives no figure for a period or a group of it, and what a figure covers
    (niet_berekend, niet_berekend_per_groep and toelichtingen in one computation session)."""
    scope = scope or REGIO
    berekening = Berekening(con, peildatum)
    per, filters = _per(per), scope.filters(filters)
    return Uitleg(
        tuple((p, r) for _, p, r in berekening.redenen(perioden, per, [kpi], filters)),
        tuple(
            (p, tuple(g.items()), r)
            for _, p, g, r in berekening.redenen_per_groep(perioden, per, filters, [kpi])
        ),
        tuple((p, t) for _, p, t in berekening.toelichtingen(perioden, per, [kpi], filters)),
    )


def niet_berekenbaar(
    con: duckdb.DuckDBPyConnection, kpis: Iterable[str] | None = None
) -> dict[str, str]:
    """KPIs whose inputs are absent, with the reason (for the UI to say why)."""
    berekening = Berekening(con)
    uit = {}
    for kpi in berekening.kies(kpis):
        reden = berekening.ontbrekend(kpi)
        if reden:
            uit[kpi.id] = reden
    return uit
