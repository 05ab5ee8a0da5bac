"""Aandachtspunten: the cells furthest from their norm, for a board slide or a summary.

The deviation of a value is its distance beyond the green threshold, relative to that
threshold: a doorlooptijd of 130 days against 'groen ≤ 100' deviates 30 %. Only red and orange
cells count, and only with n at least the KPI's minimum (a grey cell is never a deviation). A
figure judged per sub-segment (norm_deel) is not its own deviation: its sub-segments are.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
from kpi.filters import DIMENSIES
from kpi.registry import Registry
from kpi.stoplicht import Norm

from weergave import formaat
from weergave.tabellen import kort, normtekst


def _relatief(afstand: float, grens: float) -> float:
    return afstand / abs(grens) if grens else afstand


def afwijking(waarde: float, norm_groen: str | None) -> float | None:
    """Relative distance of `waarde` beyond the green threshold ('<= 100', '>= 0.9',
    '0.9..1.05'); 0 or None when within it or without a norm. Positive = worse."""
    norm = Norm.lees(norm_groen)
    if norm is None:
        return None
    onder = None if norm.onder is None else float(norm.onder)
    boven = None if norm.boven is None else float(norm.boven)
    if onder is not None and waarde < onder:
        return _relatief(onder - waarde, onder)
    if boven is not None and waarde > boven:
        return _relatief(waarde - boven, boven)
    return 0.0


def richting_tekst(waarde: float, norm_groen: str) -> str:
    """'boven' or 'onder' the green threshold, as the value lies."""
    norm = Norm.lees(norm_groen)
    if norm is None:
        return "buiten"
    if norm.onder is not None and norm.boven is not None:
        return "onder" if waarde < float(norm.onder) else "boven"
    grens = norm.onder if norm.onder is not None else norm.boven
    assert grens is not None
    return "boven" if waarde > float(grens) else "onder"


def _waar(rij: Mapping[str, object], namen: Mapping[str, Mapping[str, str]]) -> str:
    delen = []
    for d in DIMENSIES:
        code = rij.get(d)
        if code is not None:
            delen.append(namen.get(d, {}).get(str(code), str(code)))
    return " · ".join(delen) or "Hele selectie"


def aandachtspunten(
    resultaat: pl.DataFrame,
    registry: Registry,
    namen: Mapping[str, Mapping[str, str]] | None = None,
    aantal: int = 5,
) -> pl.DataFrame:
    """The `aantal` red or orange cells (n ≥ the KPI's minimum) furthest beyond their norm.

    `resultaat`: long KPI frames, possibly of several groupings stacked. Columns of the
    result: Waar, KPI, Waarde, Norm (groen), Afwijking, Stoplicht, n.
    """
    namen = namen or {}
    kandidaten = []
    for r in resultaat.filter(pl.col("stoplicht").is_in(["rood", "oranje"])).iter_rows(named=True):
        kpi = registry[r["kpi"]]
        if r["waarde"] is None or r["n"] < kpi.min_n or not r["norm_groen"]:
            continue
        if r.get("norm_deel"):  # judged per sub-segment: its parts are the deviations
            continue
        waarde = float(r["waarde"])
        afstand = afwijking(waarde, r["norm_groen"])
        if not afstand:
            continue
        kandidaten.append(
            {
                "Waar": _waar(r, namen),
                "KPI": kpi.label,
                "Waarde": kort(r["waarde"], kpi.eenheid),
                "Norm (groen)": normtekst(r["norm_groen"], kpi.eenheid),
                "Afwijking": f"{formaat.procent(afstand, 0)} "
                f"{richting_tekst(waarde, r['norm_groen'])} de norm",
                "Stoplicht": formaat.stoplicht(r["stoplicht"]),
                "n": formaat.getal(r["n"]),
                "_afstand": afstand,
            }
        )
    schema = ["Waar", "KPI", "Waarde", "Norm (groen)", "Afwijking", "Stoplicht", "n"]
    if not kandidaten:
        return pl.DataFrame(schema={k: pl.String for k in schema})
    return (
        pl.DataFrame(kandidaten)
        .sort(["_afstand", "Waar", "KPI"], descending=[True, False, False])
        .head(aantal)
        .select(schema)
    )
