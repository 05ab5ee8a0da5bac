"""Aggregation: unit rows -> a value per group, by the KPI's aggregation kind.

The rules are written once: `regel` says per kind which partial results of a group (rows,
distinct clients, sums of teller, noemer and waarde, order statistics) make its waarde,
teller, noemer and n. Shares and statistics are always computed from the unit rows of the
group itself (sum(teller) / sum(noemer), median of the values), never from sub-group
results. Values are exact, returned as Decimal(38, 10) rounded half up.

Which path runs when (Berekening.waarden, waarden_per_periode in kpi/berekening.py):
- a KPI on a SQL unit set whose measures are exact (aggregatie_sql.in_sql: integers,
  booleans, decimals; statistics on integers; not 'aangeleverd', not a teller in euro):
  the partial results in DuckDB, one query per unit set for all its KPIs
  (aggregatie_sql.groepsquery), so unit rows never leave the database;
  - with grouping, the final values too, in SQL (aggregatie_sql._eindwaarden reads
    `regel`; HUGEINT arithmetic): thousands of groups never pass through Python;
  - without grouping (one row per period), the partial results as dicts, finished here by
    `resultaat` / `eindwaarden` (a statistic from the order statistics:
    aggregatie_sql.statistiek), where the SQL projection would cost more planning time;
- every other KPI (function unit sets of kpi/functies.py and kpi/prognose, 'aangeleverd',
  a teller in euro, inexact measures): `aggregeer` on the unit rows in Polars; counts and
  exact sums column by column (`_resultaat_som`), the rest group by group in Fractions
  (`eindwaarden`, statistics from the values: `_STATISTIEK`).
tests/test_kpi_snelle_paden.py holds the SQL forms equal to `aggregeer` on random rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class Regel:
    """How a group's final values follow from its partial results (`_expressies`): each a
    partial result's name, `(teller, noemer)` for their quotient, STATISTIEK for the
    kind's statistic of the values, or None (no value). One rule per kind (`regel`), read
    by every path that finishes groups: `eindwaarden` (Fractions), `_resultaat_som`
    (Polars columns) and aggregatie_sql._eindwaarden (SQL)."""

    waarde: str | tuple[str, str] | None
    teller: str | None
    noemer: str | None
    n: str


STATISTIEK = "_statistiek"


def regel(kpi: Kpi) -> Regel:
    """The rule of the KPI's kind ('aangeleverd' has its own: `_aangeleverd`).

    - aantal: the teller's sum (else the rows), over the rows when there is a teller;
    - aantal_clienten: the distinct clients the teller marks (else all), over all clients;
    - som: the sum of `waarde`, beside the sums of teller and noemer; n the rows not 0;
    - aandeel: sum teller / sum noemer (rows where either is absent); n the noemer's rows
      not 0 (else the rows);
    - mediaan, gemiddelde, p80: the statistic of `waarde`; n the rows with a value.
    With `n = "clienten"` n is the distinct clients.
    """
    soort = kpi.aggregatie
    teller = "_teller" if kpi.teller else None
    noemer = "_noemer" if kpi.noemer else None
    if soort == "aantal":
        uit = Regel(teller or "rijen", teller or "rijen", "rijen" if teller else None, "rijen")
    elif soort == "aantal_clienten":
        aantal = "_teller_clienten" if teller else "clienten"
        uit = Regel(aantal, aantal, "clienten" if teller else None, "clienten")
    elif soort == "som":
        uit = Regel("_som", teller, noemer, "_som_rijen")
    elif soort == "aandeel":
        t, d = teller or "rijen", noemer or "rijen"
        uit = Regel((t, d), t, d, "_noemer_rijen" if noemer else "rijen")
    elif soort in STATISTIEKEN:
        uit = Regel(STATISTIEK, None, None, "rijen")
    else:
        raise ValueError(f"aggregatie {soort!r} heeft geen regel")
    return replace(uit, n="clienten") if kpi.n == "clienten" else uit


def eindwaarden(kpi: Kpi, g: dict[str, Any]) -> tuple[Any, Any, Any, int]:
    """(waarde, teller, noemer, n) of one group, exact (`regel`)."""
    teller = exact(g["_teller"] or 0) if kpi.teller else None
    if teller is not None and kpi.teller_in_centen:
        # money: the teller in cents. Its unit rows may carry thirds of a cent to 10 decimals
        # (the year-end outlook: 3 months averaged); their sum lies within far less than a
        # cent of the exact amount, which as a multiple of 1/3 cent is never half a cent, so
        # this rounds the exact amount.
        teller = Fraction(centen(teller))
    noemer = exact(g["_noemer"] or 0) if kpi.noemer else None
    if kpi.aggregatie == "aangeleverd":
        waarde, teller, noemer, n = _aangeleverd(g, teller, noemer)
        return waarde, teller, noemer, (g["clienten"] if kpi.n == "clienten" else n)
    r = regel(kpi)

    def getal(naam: str | None) -> Fraction | None:
        if naam is None:
            return None
        if naam == "_teller":
            return teller
        if naam == "_noemer":
            return noemer
        return exact(g[naam] or 0)

    if isinstance(r.waarde, tuple):
        t, d = getal(r.waarde[0]), getal(r.waarde[1])
        assert t is not None and d is not None
        waarde = t / d if d else None
    elif r.waarde == STATISTIEK:
        waarde = g[STATISTIEK] if STATISTIEK in g else _STATISTIEK[kpi.aggregatie](g["_lijst"])
    else:
        waarde = getal(r.waarde)
    return waarde, getal(r.teller), getal(r.noemer), g[r.n]


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
    if kpi.aggregatie not in ("aantal", "aantal_clienten", "som") or kpi.eenheid_teller == "euro":
        return False  # a quotient or statistic, or a teller rounded to cents (eindwaarden)
    maten = [c for c in (kpi.teller, kpi.noemer, kpi.waarde) if c]
    return all(_exact_type(rijen.schema[c]) for c in maten)


def _resultaat_som(groepen: pl.DataFrame, kpi: Kpi, per: Sequence[str]) -> pl.DataFrame:
    """`resultaat` for counts and exact sums, column by column (the same `regel` as
    eindwaarden reads per group): a sum of integers or decimals is exact, so no group
    needs a Fraction."""
    r = regel(kpi)

    def getal(kolom: str | tuple[str, str] | None) -> pl.Expr:
        if kolom is None:
            return pl.lit(None, WAARDE_TYPE)
        assert isinstance(kolom, str) and kolom != STATISTIEK  # _optelbaar
        return pl.col(kolom).fill_null(0).cast(WAARDE_TYPE)

    uit = groepen.select(
        *(pl.col(d) if d in per else pl.lit(None, pl.String).alias(d) for d in DIMENSIES),
        waarde=getal(r.waarde),
        teller=getal(r.teller),
        noemer=getal(r.noemer),
        n=pl.col(r.n),
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
