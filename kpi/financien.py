"""The Financiën views, in the region's view only: cumulative spending by month of the plan
year against the plan, and the volume/price split per segment from budget to real spending.

Both come from the same unit rows as the KPIs (kpi/functies.py: realisatie, verschil), so the
chart and the waterfall show the figures the KPIs give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import polars as pl

from kpi.aggregatie import centen
from kpi.berekening import Berekening
from kpi.filters import DIMENSIES, Filters
from kpi.functies import (
    jaar_eerder,
    maandnummer,
    ontbrekend_plan,
    plan_reden,
    planjaar,
    planmaanden,
    planrijen,
    uitgaven_per_maand,
    verschil,
    verschilspanne,
    verwachting_factor,
    volledige_maanden,
)
from kpi.normen import Normen
from kpi.periode import Periode
from kpi.scope import REGIO, BuitenScope, Scope

_NIET_VOOR_AANBIEDER = "de begroting en de uitgaven van de regio zijn niet per aanbieder te zien"


@dataclass(frozen=True)
class Uitgavenreeks:
    """Cumulative spending by month of a plan year (the Financiën chart)."""

    planjaar: Periode  # the contract year for a contractjaar, else the calendar year
    # one row per month of the plan year: maand (its first day), nummer (1-12), realisatie
    # (to months ending on or before the peildatum), prognose, vorig_jaar; euros, null: none
    maanden: pl.DataFrame
    verwachting: Decimal | None  # year-end outlook for the plan year; None: no complete month
    # 'realisatie', 'vorig_jaar', 'prognose': why that line is absent (the prognose also where
    # part of the plan is missing: no plan line for those months, functies.ontbrekend_plan)
    redenen: dict[str, str]


@dataclass(frozen=True)
class Verschiloverzicht:
    """The volume/price split per segment for a period, or why there is none."""

    spanne: Periode | None  # what it is computed for: a whole year, or the months to date
    reden: str | None  # why it is not computed for the period (None: it is)
    # per segment: begroot (the plan of the span), target, werkelijk, hoeveelheidsverschil,
    # prijsverschil (euros, Decimal); target + both = werkelijk exactly
    segmenten: pl.DataFrame


def _berekening(
    con: duckdb.DuckDBPyConnection,
    peildatum: date | None,
    normen: Normen | Path | str | None,
    scope: Scope | None,
) -> Berekening:
    if (scope or REGIO).is_aanbieder:
        raise BuitenScope(_NIET_VOOR_AANBIEDER)
    return Berekening(con, peildatum, normen)


def _som(rijen: pl.DataFrame, maat: str) -> Decimal:
    return Decimal(rijen[maat].sum()) if rijen.height else Decimal(0)


def reeks_voor(b: Berekening, periode: Periode, filters: Filters) -> Uitgavenreeks:
    """`uitgavenreeks` on a computation already open (the deck has one)."""
    bron, plan = b.bron, planjaar(periode)
    redenen = {}
    for sleutel, kpi_id in (("realisatie", "realisatie"), ("vorig_jaar", "realisatie_vorig_jaar")):
        reden = b.niet_berekend(b.registry[kpi_id], periode, (), filters)
        if reden is not None:
            redenen[sleutel] = reden
    if not bron.heeft_rijen("begroting"):
        redenen["prognose"] = "tabel begroting is leeg"

    def per_maand(van: date, tot: date) -> dict[int, Decimal]:
        rijen = bron.filtreer(uitgaven_per_maand(bron, van, tot), filters)
        som = rijen.group_by("maand").agg(pl.col("bedrag").sum())
        return {maandnummer(Periode(van, tot), m): Decimal(s) for m, s in som.iter_rows()}

    deze = per_maand(plan.start, plan.eind) if "realisatie" not in redenen else {}
    vorige = (
        per_maand(jaar_eerder(plan.start), jaar_eerder(plan.eind))
        if "vorig_jaar" not in redenen
        else {}
    )
    volledig = volledige_maanden(plan, b.peildatum)
    # the (gemeente, segment) cells of the selection: its spending and its plan cells
    sleutels = set(
        bron.filtreer(uitgaven_per_maand(bron, plan.start, plan.eind), filters)
        .select("gemeente", "segment")
        .unique()
        .rows()
    )
    rijen, real, vorig = [], Decimal(0), Decimal(0)
    for nummer, maand in enumerate(plan.maanden(), start=1):
        real += deze.get(nummer, Decimal(0))
        vorig += vorige.get(nummer, Decimal(0))
        prognose = None
        if "prognose" not in redenen:
            plannen = bron.filtreer(
                _als_frame(planrijen(bron, plan, maand.eind, volledig)), filters
            )
            cellen = sleutels | set(plannen.select("gemeente", "segment").rows())
            ontbreekt = ontbrekend_plan(bron, planmaanden(plan, maand.eind), cellen)
            if ontbreekt:  # no plan line where part of the plan is missing, and why
                redenen.setdefault("prognose", plan_reden(ontbreekt.values()))
            elif plannen.height:
                prognose = _som(plannen, "prognose")
        rijen.append(
            {
                "maand": maand.start,
                "nummer": nummer,
                "realisatie": real if nummer <= volledig and "realisatie" not in redenen else None,
                "prognose": prognose,
                "vorig_jaar": vorig if "vorig_jaar" not in redenen else None,
            }
        )
    verwachting = None
    if volledig and "realisatie" not in redenen:
        # the outlook is linear in each month's spending (functies.verwachting_factor);
        # money, so in cents, as the jaarverwachting KPI's teller (aggregatie.eindwaarden)
        verwachting = centen(
            sum(
                (Fraction(deze.get(m, 0)) * verwachting_factor(m, volledig)
                 for m in range(1, volledig + 1)),
                Fraction(0),
            )
        )  # fmt: skip
    schema = {
        "maand": pl.Date,
        "nummer": pl.Int64,
        **{k: pl.Decimal(38, 10) for k in ("realisatie", "prognose", "vorig_jaar")},
    }
    return Uitgavenreeks(plan, pl.DataFrame(rijen, schema=schema), verwachting, redenen)


def _als_frame(rijen: list[dict]) -> pl.DataFrame:
    schema = {
        "eenheid": pl.String,
        **{d: pl.String for d in DIMENSIES},
        "prognose": pl.Decimal(38, 10),
        "jaarbudget": pl.Decimal(38, 10),
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rijen], schema=schema, orient="row")


def uitgavenreeks(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    filters: Filters | None = None,
    peildatum: date | None = None,
    normen: Normen | Path | str | None = None,
    scope: Scope | None = None,
) -> Uitgavenreeks:
    """For each month of the period's plan year (functies.planjaar): cumulative spending, the
    plan and last year's spending to that month, as the realisatie KPIs give them, and the
    year-end outlook. Refused in provider scope."""
    b = _berekening(con, peildatum, normen, scope)
    return reeks_voor(b, Periode.parse(periode), filters or Filters())


def verschil_voor(b: Berekening, periode: Periode, filters: Filters) -> Verschiloverzicht:
    """`verschiloverzicht` on a computation already open (the deck has one)."""
    spanne, _ = verschilspanne(periode, b.peildatum)
    reden = b.niet_berekend(b.registry["hoeveelheidsverschil"], periode, (), filters)
    leeg = pl.DataFrame(
        schema={"segment": pl.String}
        | {
            k: pl.Decimal(38, 10)
            for k in ("begroot", "target", "werkelijk", "hoeveelheidsverschil", "prijsverschil")
        }
    )
    if reden is not None:
        return Verschiloverzicht(None, reden, leeg)
    # the budget cells (the rows per real client beside them carry no amounts)
    rijen = b.bron.filtreer(verschil(b.bron, periode), filters).filter(
        pl.col("client_id").is_null()
    )
    if rijen.is_empty():
        return Verschiloverzicht(spanne, None, leeg)
    segmenten = (
        rijen.group_by("segment")
        .agg(
            begroot=pl.col("begroot").sum(),
            target=pl.col("uitgaven_target").sum(),
            werkelijk=pl.col("uitgaven_real").sum(),
            hoeveelheidsverschil=pl.col("hoeveelheidsverschil").sum(),
            prijsverschil=pl.col("prijsverschil").sum(),
        )
        .sort("segment")
        .cast({k: pl.Decimal(38, 10) for k in leeg.columns if k != "segment"})
    )
    return Verschiloverzicht(spanne, None, segmenten)


def verschiloverzicht(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    filters: Filters | None = None,
    peildatum: date | None = None,
    normen: Normen | Path | str | None = None,
    scope: Scope | None = None,
) -> Verschiloverzicht:
    """Hoeveelheids- and prijsverschil per segment with the budget they start from, for a
    whole begrotingsjaar or the year to date at the peildatum; otherwise the reason. Refused
    in provider scope."""
    b = _berekening(con, peildatum, normen, scope)
    return verschil_voor(b, Periode.parse(periode), filters or Filters())
