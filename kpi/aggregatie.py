"""The one aggregator: unit rows -> a value per group, by the KPI's aggregation kind."""

# Shares and statistics are always computed from the unit rows of the group itself
# (sum(teller) / sum(noemer), median of the values), never from sub-group results.
# Final values are exact (Fraction) and returned as Decimal with 10 decimals.

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from kpi.filters import DIMENSIES
from kpi.registry import STATISTIEKEN, Kpi

WAARDE_TYPE = pl.Decimal(38, 10)
GEEN = "(geen)"  # group label for units that carry no value for a grouped dimension
# Columns of a delivered measurement (unit set kpi_waarden) that aggregation 'aangeleverd'
# reads beside teller, noemer and waarde: what it rests on, and whether its period is exactly
# the asked one.
METING_N = "meting_n"
PRECIES = "precies"

RESULTAAT_SCHEMA = {
    **{d: pl.String for d in DIMENSIES},
    "waarde": WAARDE_TYPE,
    "teller": WAARDE_TYPE,
    "noemer": WAARDE_TYPE,
    "n": pl.Int64,
    "voorlopig": pl.Boolean,
}


def exact(x: Any) -> Fraction:
    """A number as an exact Fraction (floats by their shortest repr)."""
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


def als_decimaal(x: Fraction | None) -> Decimal | None:
    """Fraction -> Decimal rounded half up (ties away from zero) to 10 decimals, exactly:
    in integers, so neither the size of the value nor Decimal's context precision (28
    digits, which would round twice) plays a part."""
    if x is None:
        return None
    q, rest = divmod(abs(x.numerator) * 10**10, x.denominator)
    if 2 * rest >= x.denominator:
        q += 1
    return Decimal(f"{'-' if x < 0 else ''}{q}E-10")


def centen(x: Fraction | Decimal | int) -> Decimal:
    """An amount in euros rounded half up (ties away from zero) to cents, exactly."""
    f = Fraction(x)
    q, rest = divmod(abs(f.numerator) * 100, f.denominator)
    if 2 * rest >= f.denominator:
        q += 1
    return Decimal(f"{'-' if f < 0 else ''}{q}E-2")


def _som(waarden: Sequence[Any]) -> Fraction:
    if all(isinstance(v, int | Decimal) for v in waarden):
        return exact(sum(waarden))  # ints and Decimals add up exactly
    return sum((exact(v) for v in waarden), Fraction(0))


def mediaan(waarden: Sequence[Any]) -> Fraction | None:
    """Median; over an even number of values the mean of the two middle ones."""
    if not waarden:
        return None
    s = sorted(waarden)
    midden = len(s) // 2
    if len(s) % 2:
        return exact(s[midden])
    return (exact(s[midden - 1]) + exact(s[midden])) / 2


def gemiddelde(waarden: Sequence[Any]) -> Fraction | None:
    """Arithmetic mean."""
    return _som(waarden) / len(waarden) if waarden else None


def percentiel(waarden: Sequence[Any], p: Fraction) -> Fraction | None:
    """Percentile with linear interpolation between order statistics (Excel PERCENTILE.INC)."""
    if not waarden:
        return None
    s = sorted(waarden)
    h = (len(s) - 1) * p
    onder = math.floor(h)
    if onder + 1 >= len(s):
        return exact(s[-1])
    laag, hoog = exact(s[onder]), exact(s[onder + 1])
    return laag + (h - onder) * (hoog - laag)


_STATISTIEK = {
    "mediaan": mediaan,
    "gemiddelde": gemiddelde,
    "p80": lambda w: percentiel(w, Fraction(4, 5)),
}


def _voorbereid(eenheden: pl.DataFrame, kpi: Kpi) -> pl.DataFrame:
    """Drop the unit rows that do not take part: no value, or (shares) no noemer."""
    if kpi.aggregatie in STATISTIEKEN:
        return eenheden.filter(pl.col(kpi.waarde).is_not_null())
    if kpi.aggregatie == "aandeel" and kpi.noemer:
        return eenheden.filter(pl.col(kpi.noemer).is_not_null())
    return eenheden


def _expressies(kpi: Kpi) -> list[pl.Expr]:
    clienten = pl.col("client_id").drop_nulls()
    uit = [
        pl.len().alias("rijen"),
        pl.col("voorlopig").fill_null(False).any().alias("voorlopig"),
        clienten.n_unique().alias("clienten"),
    ]
    if kpi.teller:
        uit.append(pl.col(kpi.teller).sum().alias("_teller"))
    if kpi.teller and kpi.aggregatie == "aantal_clienten":
        telt = pl.col(kpi.teller).cast(pl.Boolean).fill_null(False)
        geteld = pl.col("client_id").filter(telt & pl.col("client_id").is_not_null())
        uit.append(geteld.n_unique().alias("_teller_clienten"))
    if kpi.noemer:
        uit.append(pl.col(kpi.noemer).sum().alias("_noemer"))
        uit.append((pl.col(kpi.noemer) != 0).sum().alias("_noemer_rijen"))
    if kpi.waarde and kpi.aggregatie == "som":
        uit.append(pl.col(kpi.waarde).sum().alias("_som"))
        uit.append((pl.col(kpi.waarde) != 0).sum().alias("_som_rijen"))
    if kpi.waarde and kpi.aggregatie in STATISTIEKEN:
        uit.append(pl.col(kpi.waarde).alias("_lijst"))
    if kpi.aggregatie == "aangeleverd":
        zonder_paar = pl.col(kpi.teller or "").is_null() | pl.col(kpi.noemer or "").is_null()
        uit += [
            zonder_paar.sum().alias("_zonder_paar"),
            pl.col(METING_N).sum().alias("_meting_n"),
            pl.col(kpi.waarde or "").first().alias("_waarde"),
            pl.col(PRECIES).first().alias("_precies"),
        ]
    return uit


_LEGE_GROEP: dict[str, Any] = {
    "rijen": 0,
    "voorlopig": False,
    "clienten": 0,
    "_teller": 0,
    "_teller_clienten": 0,
    "_noemer": 0,
    "_noemer_rijen": 0,
    "_som": 0,
    "_som_rijen": 0,
    "_lijst": [],
    "_zonder_paar": 0,
    "_meting_n": 0,
    "_waarde": None,
    "_precies": False,
}


def eindwaarden(kpi: Kpi, g: dict[str, Any]) -> tuple[Any, Any, Any, int]:
    """(waarde, teller, noemer, n) of one group, exact."""
    rijen = g["rijen"]
    teller = exact(g["_teller"] or 0) if kpi.teller else None
    if teller is not None and kpi.teller_in_centen:
        # money: the teller in cents. Its unit rows may carry thirds of a cent to 10 decimals
        # (the year-end outlook: 3 months averaged); their sum lies within far less than a
        # cent of the exact amount, which as a multiple of 1/3 cent is never half a cent, so
        # this rounds the exact amount.
        teller = Fraction(centen(teller))
    noemer = exact(g["_noemer"] or 0) if kpi.noemer else None
    soort = kpi.aggregatie
    if soort == "aantal":
        waarde = teller if teller is not None else Fraction(rijen)
        uit = (waarde, waarde, Fraction(rijen) if kpi.teller else None, rijen)
    elif soort == "aantal_clienten":
        aantal = Fraction(g["_teller_clienten"] if kpi.teller else g["clienten"])
        uit = (aantal, aantal, Fraction(g["clienten"]) if kpi.teller else None, g["clienten"])
    elif soort == "som":
        uit = (exact(g["_som"] or 0), teller, noemer, g["_som_rijen"])
    elif soort == "aandeel":
        t = teller if teller is not None else Fraction(rijen)
        d = noemer if noemer is not None else Fraction(rijen)
        n = g["_noemer_rijen"] if kpi.noemer else rijen
        uit = (t / d if d else None, t, d, n)
    elif soort == "aangeleverd":
        uit = _aangeleverd(g, teller, noemer)
    elif "_statistiek" in g:  # computed in SQL from the order statistics
        uit = (g["_statistiek"], None, None, rijen)
    else:
        uit = (_STATISTIEK[soort](g["_lijst"]), None, None, rijen)
    waarde, teller, noemer, n = uit
    if kpi.n == "clienten":
        n = g["clienten"]
    return waarde, teller, noemer, n


def _aangeleverd(
    g: dict[str, Any], teller: Fraction | None, noemer: Fraction | None
) -> tuple[Any, Any, Any, int]:
    """Delivered measurements combined: sum of tellers / sum of noemers when every one has
    both; else only the one measurement of exactly the asked period, as delivered; else no
    value (delivered values without teller and noemer cannot be combined: an average of
    shares weighs every part alike). n: the sum of what the measurements rest on."""
    n = int(g["_meting_n"] or 0)
    if g["rijen"] and not g["_zonder_paar"]:
        assert teller is not None and noemer is not None
        return (teller / noemer if noemer else None), teller, noemer, n
    if g["rijen"] == 1 and g["_precies"] and g["_waarde"] is not None:
        return exact(g["_waarde"]), None, None, n
    return None, None, None, n


def aggregeer(eenheden: pl.DataFrame, kpi: Kpi, per: Sequence[str] = ()) -> pl.DataFrame:
    """Aggregate unit rows of one KPI by the dimensions in `per` (none: one overall row)."""
    # Dimensions not grouped by are null (= all). Without unit rows and without grouping the
    # result is one row (count 0, or no value); with grouping it has no rows.
    rijen = _voorbereid(eenheden, kpi)
    if per:
        sleutels = [pl.col(d).fill_null(GEEN) for d in per]
    else:
        rijen, sleutels = rijen.with_columns(_alle=pl.lit(0)), [pl.col("_alle")]
    groepen = rijen.group_by(sleutels).agg(_expressies(kpi))
    if not groepen.is_empty() and _optelbaar(rijen, kpi):
        return _resultaat_som(groepen, kpi, per)
    return resultaat(list(groepen.iter_rows(named=True)), kpi, per)


def _exact_type(soort: pl.DataType) -> bool:
    if isinstance(soort, pl.Decimal):
        return soort.scale <= 10
    return soort.is_integer() or soort == pl.Boolean


def _optelbaar(rijen: pl.DataFrame, kpi: Kpi) -> bool:
    """True when the KPI's values are counts and exact sums (no quotient, no statistic) of
    measures that Polars adds up exactly: `_resultaat_som` applies."""
    if kpi.aggregatie not in ("aantal", "aantal_clienten", "som"):
        return False
    maten = [c for c in (kpi.teller, kpi.noemer, kpi.waarde) if c]
    return all(_exact_type(rijen.schema[c]) for c in maten)


def _resultaat_som(groepen: pl.DataFrame, kpi: Kpi, per: Sequence[str]) -> pl.DataFrame:
    """`resultaat` for counts and exact sums, column by column (as eindwaarden does per
    group): a sum of integers or decimals is exact, so no group needs a Fraction."""

    def getal(kolom: str) -> pl.Expr:
        return pl.col(kolom).fill_null(0).cast(WAARDE_TYPE)

    geen = pl.lit(None, WAARDE_TYPE)
    rijen = pl.col("rijen")
    if kpi.aggregatie == "aantal":
        waarde = getal("_teller") if kpi.teller else getal("rijen")
        teller, noemer, n = waarde, getal("rijen") if kpi.teller else geen, rijen
    elif kpi.aggregatie == "aantal_clienten":
        waarde = getal("_teller_clienten" if kpi.teller else "clienten")
        teller, noemer = waarde, getal("clienten") if kpi.teller else geen
        n = pl.col("clienten")
    else:  # som
        waarde = getal("_som")
        teller = getal("_teller") if kpi.teller else geen
        noemer = getal("_noemer") if kpi.noemer else geen
        n = pl.col("_som_rijen")
    if kpi.n == "clienten":
        n = pl.col("clienten")
    uit = groepen.select(
        *(pl.col(d) if d in per else pl.lit(None, pl.String).alias(d) for d in DIMENSIES),
        waarde=waarde,
        teller=teller,
        noemer=noemer,
        n=n,
        voorlopig=pl.col("voorlopig"),
    )
    return uit.cast(RESULTAAT_SCHEMA).sort(list(per), nulls_last=True)  # type: ignore[arg-type]


def resultaat(groepen: list[dict[str, Any]], kpi: Kpi, per: Sequence[str]) -> pl.DataFrame:
    """Values per group (RESULTAAT_SCHEMA) from the groups' partial results."""
    if not per and not groepen:
        groepen = [_LEGE_GROEP]
    uit = []
    for g in groepen:
        waarde, teller, noemer, n = eindwaarden(kpi, g)
        uit.append(
            {
                **{d: g[d] if d in per else None for d in DIMENSIES},
                "waarde": als_decimaal(waarde),
                "teller": als_decimaal(teller),
                "noemer": als_decimaal(noemer),
                "n": n,
                "voorlopig": bool(g["voorlopig"]),
            }
        )
    return pl.DataFrame(uit, schema=RESULTAAT_SCHEMA).sort(list(per), nulls_last=True)
