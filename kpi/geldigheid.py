"""The KPI set and norms per period: what is in force on a period's last day.

"De KPI's die we met elkaar afspreken, zijn dynamisch. Dit houdt in dat in de loop van het
contract er ook KPI's kunnen bijkomen dan wel worden geschrapt" (the region, ../shared/seeds).
A KPI (kpis.toml, externe_kpis.toml) and a norm (normen.toml) may hold from and/or up to a day
(geldig_van, geldig_tot). A period is judged by what is in force on its last day: a KPI not in
the set then has no value ("niet van toepassing", never a zero), and its norm is the rule in
force on that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from kpi.aggregatie import RESULTAAT_SCHEMA
from kpi.filters import DIMENSIES
from kpi.normen import SELECTOREN, Normen, NormRegel
from kpi.periode import Periode
from kpi.registry import Kpi, Registry

# The key column of a row's norm that holds the day its norm is chosen for (bereken).
NORM_OP = "_norm_op"
VAN_KRACHT = "_van_kracht"  # per row of a computation: the KPI is in force at the period's end


def niet_van_toepassing(per: Sequence[str]) -> pl.DataFrame:
    """The values (RESULTAAT_SCHEMA) of a KPI outside the KPI set: without grouping one row
    without value and with n 0 (as a KPI without data, so every page has its row), grouped
    none."""
    if per:
        return pl.DataFrame(schema=RESULTAAT_SCHEMA)
    rij = {**dict.fromkeys(DIMENSIES), "waarde": None, "teller": None, "noemer": None}
    return pl.DataFrame([{**rij, "n": 0, "voorlopig": False}], schema=RESULTAAT_SCHEMA)


def normdag(normen: Normen) -> dict[str, pl.Expr]:
    """The norm key (bereken._normsleutels) for the day a row's norm is chosen on: the
    period's last day for a KPI with a dated norm rule; none when no rule is dated, so the
    norms are then chosen once for all periods, as before dates existed."""
    gedateerd = sorted(normen.gedateerd)
    if not gedateerd:
        return {}
    lijst = pl.Series(gedateerd, dtype=pl.String).implode()
    return {NORM_OP: pl.when(pl.col("kpi").is_in(lijst)).then(pl.col("periode_eind"))}


def zonder_norm_buiten_kracht(rijen: pl.DataFrame) -> pl.DataFrame:
    """Judged rows (column VAN_KRACHT) without norm where their KPI is not in force: a KPI
    outside the set is judged by nothing."""
    van_kracht = pl.col(VAN_KRACHT)
    normkolommen = [k for k in ("norm_groen", "norm_oranje", "norm_deel") if k in rijen.columns]
    return rijen.with_columns(
        *(pl.when(van_kracht).then(pl.col(k)).alias(k) for k in normkolommen),
        stoplicht=pl.when(van_kracht).then(pl.col("stoplicht")).otherwise(pl.lit("grijs")),
    )


@dataclass(frozen=True)
class Geldigheid:
    """Whether a KPI is in force at the end of a period, and its norm rule for one selection
    (the rule of exactly that selection in force then, or None)."""

    kpi: Kpi
    selectie: tuple[tuple[str, str], ...]  # (selector, value) pairs; (): for everyone
    periode: Periode
    van_kracht: bool
    regel: NormRegel | None


def _selectie(regel: NormRegel) -> tuple[tuple[str, str], ...]:
    return tuple((s, v) for s in reversed(SELECTOREN) if (v := getattr(regel, s)) is not None)


def overzicht(registry: Registry, normen: Normen, perioden: Iterable[Periode]) -> list[Geldigheid]:
    """For every KPI (registry order) and every selection its norm rules name (first the rules
    for everyone): per period whether the KPI is in force on its last day and which rule of
    that selection is."""
    perioden = tuple(perioden)
    uit = []
    for kpi in registry:
        regels = [r for r in normen.regels if r.kpi == kpi.id]
        selecties = list(dict.fromkeys([(), *(_selectie(r) for r in regels)]))
        if regels and not any(_selectie(r) == () for r in regels):
            selecties.remove(())  # only specific norms: no row for everyone
        for selectie in selecties:
            for periode in perioden:
                in_kracht = kpi.van_kracht(periode.eind)
                regel = next(
                    (r for r in regels if _selectie(r) == selectie and r.geldig_op(periode.eind)),
                    None,
                )
                uit.append(Geldigheid(kpi, selectie, periode, in_kracht, regel))
    return uit


def _contractjaar(d: date) -> int:
    """The year in which the contract year holding day `d` starts (1 July)."""
    return d.year if d.month >= 7 else d.year - 1


def contractjaren(registry: Registry, normen: Normen, peildatum: date) -> tuple[Periode, ...]:
    """The contract years worth showing in an overview: from the one before the first change
    of the KPI set or a norm (a geldig_van, or the day after a geldig_tot) up to the one holding
    the last change or the peildatum, whichever is later; at least the three up to the
    peildatum."""
    wissels = [k.geldig_van for k in registry if k.geldig_van]
    wissels += [k.geldig_tot + timedelta(days=1) for k in registry if k.geldig_tot]
    wissels += [r.geldig_van for r in normen.regels if r.geldig_van]
    wissels += [r.geldig_tot + timedelta(days=1) for r in normen.regels if r.geldig_tot]
    laatste = _contractjaar(max([peildatum, *wissels]))
    eerste = min([_contractjaar(peildatum) - 2, *(_contractjaar(w) - 1 for w in wissels)])
    return tuple(Periode.contractjaar(j) for j in range(eerste, laatste + 1))
