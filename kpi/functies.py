"""Unit sets that need Python: settlement, realisation against plan, volume and price variance."""

# Each function takes a Bron and a Periode and returns unfiltered unit rows (the standard
# columns plus its measures); the engine filters and aggregates them like any SQL unit set.
# Money stays Decimal; rational factors are applied with Fraction and kept to 10 decimals.

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from kpi.aggregatie import als_decimaal
from kpi.eenheden import STANDAARD_KOLOMMEN, Bron
from kpi.filters import DIMENSIES
from kpi.periode import Periode, laatste_dag
from kpi.prognose.eenheden import prognose

MEETKOLOM = pl.Decimal(38, 10)
_SCHAAL = Decimal("1e-10")
_NUL = Decimal(0)


def _decimaal(x: Decimal | Fraction | int) -> Decimal:
    if isinstance(x, Fraction):
        return als_decimaal(x)  # exact, in integers
    return Decimal(x).quantize(_SCHAAL, rounding=ROUND_HALF_UP)


def _frame(rijen: Iterable[dict[str, Any]], maten: tuple[str, ...]) -> pl.DataFrame:
    schema: dict[str, Any] = {k: pl.String for k in STANDAARD_KOLOMMEN}
    schema["voorlopig"] = pl.Boolean
    schema.update({m: MEETKOLOM for m in maten})
    volledig = [
        {"voorlopig": False, **{m: _NUL for m in maten}, **{k: v for k, v in r.items()}}
        for r in rijen
    ]
    return pl.DataFrame(volledig, schema=schema)


def _dimensies(rij: dict[str, Any]) -> dict[str, Any]:
    return {d: rij[d] for d in DIMENSIES}


def uitgaven_per_maand(bron: Bron, van: date, tot: date) -> pl.DataFrame:
    """Spending in [van, tot] per dimensions and month: booked uitgaven, else lumpsum costs."""
    if bron.heeft_rijen("uitgaven"):
        rijen = bron.sql("uitgaven", van, tot)
    else:
        rijen = bron.sql("contractmaanden", van, tot).rename({"zorgkosten": "bedrag"})
    return (
        rijen.group_by([*DIMENSIES, "maand"])
        .agg(pl.col("bedrag").sum())
        .sort([*DIMENSIES, "maand"], nulls_last=True)
    )


def laatste_volledige_maand(peil: date, jaar: int) -> int:
    """Number of complete months of `jaar` on day `peil` (0-12)."""
    if peil.year < jaar:
        return 0
    if peil.year > jaar:
        return 12
    return peil.month if peil == laatste_dag(peil.year, peil.month) else peil.month - 1


def verwachting_factor(maand: int, volledig: int) -> Fraction:
    """Weight of month `maand`'s spending in the year-end outlook after `volledig` months."""
    # Outlook = realisation to date + remaining months x average of the last 3 complete
    # months, which is linear in each month's spending: weight 1, plus (12 - m) / k for the
    # last k = min(3, m) complete months.
    if maand > volledig:
        return Fraction(0)
    k = min(3, volledig)
    return 1 + Fraction(12 - volledig, k) if maand > volledig - k else Fraction(1)


def _jaar_eerder(d: date) -> date:
    return d.replace(year=d.year - 1) if (d.month, d.day) != (2, 29) else date(d.year - 1, 2, 28)


def realisatie(bron: Bron, periode: Periode) -> pl.DataFrame:
    """Cumulative spending this year, last year and year-end outlook, beside the plan."""
    eind = periode.eind
    jaar, begin = eind.year, date(eind.year, 1, 1)
    rijen: list[dict[str, Any]] = []

    maten = ("realisatie", "vorig_jaar", "verwachting", "prognose", "jaarbudget")
    delen: list[pl.DataFrame] = []

    def uitgaven(van: date, tot: date, maat: str, factor: Callable[[date], Fraction]) -> None:
        eenheid = pl.concat_str(
            [pl.lit(maat), *(pl.col(d).fill_null("None") for d in DIMENSIES),
             pl.col("maand").cast(pl.String)],
            separator="|",
        )  # fmt: skip
        per_maand = uitgaven_per_maand(bron, van, tot).with_columns(eenheid=eenheid)
        gewicht = {m: factor(m) for m in per_maand["maand"].unique().to_list()}
        heel = [m for m, f in gewicht.items() if f == 1]  # the amount itself: in Polars
        delen.append(
            per_maand.filter(pl.col("maand").is_in(heel)).select(
                "eenheid",
                pl.lit(None, pl.String).alias("client_id"),
                *DIMENSIES,
                pl.lit(False).alias("voorlopig"),
                *(
                    (pl.col("bedrag") if m == maat else pl.lit(_NUL)).cast(MEETKOLOM).alias(m)
                    for m in maten
                ),
            )
        )
        for r in per_maand.filter(~pl.col("maand").is_in(heel)).iter_rows(named=True):
            bedrag = _decimaal(Fraction(r["bedrag"]) * gewicht[r["maand"]])
            rijen.append({"eenheid": r["eenheid"], **_dimensies(r), maat: bedrag})

    uitgaven(begin, eind, "realisatie", lambda _: Fraction(1))
    uitgaven(date(jaar - 1, 1, 1), _jaar_eerder(eind), "vorig_jaar", lambda _: Fraction(1))
    volledig = laatste_volledige_maand(min(eind, bron.peildatum), jaar)
    if volledig:
        uitgaven(
            begin,
            laatste_dag(jaar, volledig),
            "verwachting",
            lambda maand: verwachting_factor(maand.month, volledig),
        )
    for cel in bron.sql("begroting", begin, eind, jaar=jaar, maand=eind.month).iter_rows(
        named=True
    ):
        budget = cel["jaarbudget"]
        if cel["prognose_maand"] is not None:
            prognose = Fraction(cel["prognose_maand"])
        elif budget is not None:
            prognose = Fraction(budget) * eind.month / 12
        else:
            continue
        rijen.append(
            {
                "eenheid": f"plan|{cel['eenheid']}",
                **_dimensies(cel),
                "prognose": _decimaal(prognose),
                # no complete month yet: no outlook, so no budget to set it against
                "jaarbudget": _decimaal(Fraction(budget or 0) if volledig else Fraction(0)),
            }
        )
    return pl.concat([*delen, _frame(rijen, maten)], how="vertical")


def hoeveelheid_en_prijs(
    uitgaven_real: Decimal,
    clienten_real: int,
    clienten_target: Decimal,
    kosten_per_client_target: Decimal,
) -> tuple[Decimal, Decimal]:
    """(hoeveelheidsverschil, prijsverschil); their sum is real - target spending exactly."""
    # prijsverschil = (KN_real - KN_target) x clients_real = uitgaven_real - KN_target x
    # clients_real, so no division (and no rounding) is needed.
    hoeveelheid = (clienten_real - clienten_target) * kosten_per_client_target
    prijs = uitgaven_real - kosten_per_client_target * clienten_real
    return hoeveelheid, prijs


def verschil(bron: Bron, periode: Periode) -> pl.DataFrame:
    """Volume and price variance per budget cell with targets (periods within one year)."""
    maten = (
        "hoeveelheidsverschil",
        "prijsverschil",
        "uitgaven_real",
        "uitgaven_target",
        "clienten_real",
    )
    if periode.start.year != periode.eind.year:
        return _frame([], maten)
    cellen = bron.sql("begroting", periode.start, periode.eind, jaar=periode.start.year, maand=12)
    cellen = cellen.filter(
        pl.col("target_clienten").is_not_null() & pl.col("target_kosten_per_client").is_not_null()
    )
    uitgaven = uitgaven_per_maand(bron, periode.start, periode.eind)
    zorg = bron.sql("zorgdagen", periode.start, periode.eind)
    # per segment, and per segment and gemeente: spending and distinct clients
    real_per, clienten_per = {}, {}
    for sleutels in (["segment"], ["segment", "gemeente"]):
        for *cel, bedrag in uitgaven.group_by(sleutels).agg(pl.col("bedrag").sum()).iter_rows():
            real_per[tuple(cel)] = bedrag
        for *cel, aantal in zorg.group_by(sleutels).agg(pl.col("client_id").n_unique()).iter_rows():
            clienten_per[tuple(cel)] = aantal
    rijen = []
    for cel in cellen.iter_rows(named=True):
        sleutel = (cel["segment"],)
        if cel["gemeente"] is not None:
            sleutel = (cel["segment"], cel["gemeente"])
        real = real_per.get(sleutel) or _NUL
        clienten = clienten_per.get(sleutel, 0)
        target_clienten = Decimal(repr(cel["target_clienten"]))
        kn_target = Decimal(cel["target_kosten_per_client"])
        hoeveelheid, prijs = hoeveelheid_en_prijs(
            Decimal(real), clienten, target_clienten, kn_target
        )
        rijen.append(
            {
                "eenheid": cel["eenheid"],
                **_dimensies(cel),
                "hoeveelheidsverschil": _decimaal(hoeveelheid),
                "prijsverschil": _decimaal(prijs),
                "uitgaven_real": _decimaal(Decimal(real)),
                "uitgaven_target": _decimaal(target_clienten * kn_target),
                "clienten_real": Decimal(clienten),
            }
        )
    return _frame(rijen, maten)


FUNCTIES: dict[str, Callable[..., pl.DataFrame]] = {
    "realisatie": realisatie,
    "verschil": verschil,
    "prognose": prognose,  # kpi/prognose/eenheden.py
}
