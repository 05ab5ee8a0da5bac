"""The aggregator's partial results computed in DuckDB, so unit rows never leave the database.

For KPIs whose measures are integers, booleans or decimals (exact sums), one query per unit
set gives, per group and per KPI, the same partial results as `aggregatie._expressies` does
on unit rows in Polars: rows, voorlopig, distinct clients, sums, and for the statistics the
order statistics they need. `aggregatie.eindwaarden` turns them into values as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import floor
from typing import Any

from kpi.aggregatie import GEEN
from kpi.registry import STATISTIEKEN, Kpi

_GEHEEL = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "UHUGEINT")  # fmt: skip
DEEL = "_deel"  # the extra group key of a series: the month, or the number of the period


def _exact(soort: str) -> bool:
    return soort in _GEHEEL or soort == "BOOLEAN" or soort.startswith("DECIMAL")


def in_sql(kpi: Kpi, soorten: Mapping[str, str]) -> bool:
    """True when the KPI's measures allow exact aggregation in SQL (no floating point)."""
    if kpi.aggregatie in STATISTIEKEN:
        return soorten.get(kpi.waarde or "") in _GEHEEL
    return all(_exact(soorten.get(c, "")) for c in (kpi.teller, kpi.noemer, kpi.waarde) if c)


def maand_van(kolom: str) -> str:
    """The SQL expression for the month (first day) of a date column."""
    return f"date_trunc('month', {_q(kolom)})::date"


def _q(naam: str) -> str:
    return '"' + naam.replace('"', '""') + '"'


def _getal(kolom: str, soorten: Mapping[str, str]) -> str:
    """A measure as a number: booleans count as 0/1 (as Polars sums them)."""
    return f"{_q(kolom)}::integer" if soorten[kolom] == "BOOLEAN" else _q(kolom)


def _deelname(kpi: Kpi) -> str:
    """The rows that take part (aggregatie._voorbereid): a value, or (shares) a noemer."""
    if kpi.aggregatie in STATISTIEKEN:
        return f"{_q(kpi.waarde or '')} is not null"
    if kpi.aggregatie == "aandeel" and kpi.noemer:
        return f"{_q(kpi.noemer)} is not null"
    return "true"


def _delen(i: int, kpi: Kpi, soorten: Mapping[str, str]) -> list[str]:
    f = _deelname(kpi)
    voorlopig = f"bool_or(coalesce(voorlopig, false)) filter (where {f})"
    uit = [
        f"count(*) filter (where {f}) as k{i}_rijen",
        f"coalesce({voorlopig}, false) as k{i}_voorlopig",
    ]
    if kpi.aggregatie == "aantal_clienten" or kpi.n == "clienten":
        uit.append(f"count(distinct client_id) filter (where {f}) as k{i}_clienten")
    if kpi.teller:
        uit.append(f"sum({_getal(kpi.teller, soorten)}) filter (where {f}) as k{i}_teller")
    if kpi.teller and kpi.aggregatie == "aantal_clienten":
        teller = f"coalesce({_q(kpi.teller)}::boolean, false)"
        uit.append(f"count(distinct client_id) filter (where {f} and {teller}) as k{i}_tclienten")
    if kpi.noemer:
        noemer = _getal(kpi.noemer, soorten)
        uit.append(f"sum({noemer}) filter (where {f}) as k{i}_noemer")
        uit.append(f"count(*) filter (where {f} and {noemer} <> 0) as k{i}_noemer_rijen")
    if kpi.waarde and kpi.aggregatie == "som":
        waarde = _getal(kpi.waarde, soorten)
        uit.append(f"sum({waarde}) filter (where {f}) as k{i}_som")
        uit.append(f"count(*) filter (where {f} and {waarde} <> 0) as k{i}_som_rijen")
    return uit


def _statistiek_cte(kolom: str, j: int, sleutels: list[str]) -> str:
    """Order statistics of one integer column per group, from its value counts.

    s[i] (0-based, sorted) is the smallest value whose running count reaches i + 1.
    """
    groep = ", ".join(sleutels)
    partitie = f"partition by {groep}" if sleutels else ""
    selectie = f"{groep}, " if sleutels else ""
    groepering = f"group by {groep}" if sleutels else ""
    return f"""
waarden_{j} as (
    select {selectie}{_q(kolom)} as w, count(*) as c
    from eenheden_
    where {_q(kolom)} is not null
    group by all
),

lopend_{j} as (
    select
        *,
        sum(c) over ({partitie} order by w rows between unbounded preceding and current row)
            as tot,
        sum(c) over ({partitie}) as n
    from waarden_{j}
),

statistiek_{j} as (
    select
        {selectie}
        min(n) as s{j}_n,
        sum(w::hugeint * c) as s{j}_som,
        min(w) filter (where tot >= (n - 1) // 2 + 1) as s{j}_mediaan_laag,
        min(w) filter (where tot >= n // 2 + 1) as s{j}_mediaan_hoog,
        min(w) filter (where tot >= (4 * (n - 1)) // 5 + 1) as s{j}_p80_laag,
        min(w) filter (where tot >= least((4 * (n - 1)) // 5 + 2, n)) as s{j}_p80_hoog
    from lopend_{j}
    {groepering}
)"""


def groepsquery(
    eenheden_sql: str,
    kpis: Sequence[Kpi],
    per: Sequence[str],
    soorten: Mapping[str, str],
    deel: str | None = None,
) -> str:
    """One query: per group (the `per` dimensions, and the SQL expression `deel` when given)
    the partial results of every KPI in `kpis`, over the unit rows of `eenheden_sql`."""
    sleutels = [_q(d) for d in per] + ([DEEL] if deel else [])
    # a unit without a value for a grouped dimension falls in group '(geen)'
    vervangen = ", ".join(f"coalesce({_q(d)}, '{GEEN}') as {_q(d)}" for d in per)
    selectie = f"* replace ({vervangen})" if per else "*"
    if deel and deel != DEEL:  # `_deel` itself: a column the unit rows already have
        selectie += f", {deel} as {DEEL}"
    kolommen = statistiekkolommen(kpis)
    ctes = [f"eenheden_ as (\n    select {selectie}\n    from (\n{eenheden_sql}\n    ) as e\n)"]
    ctes += [_statistiek_cte(k, j, sleutels) for j, k in enumerate(kolommen)]
    delen = [d for i, kpi in enumerate(kpis) for d in _delen(i, kpi, soorten)]
    groep = ", ".join(sleutels)
    ctes.append(
        "groepen as (\n    select\n        "
        + ",\n        ".join(([groep] if sleutels else []) + delen)
        + "\n    from eenheden_"
        + (f"\n    group by {groep}" if sleutels else "")
        + "\n)"
    )
    select = "select *\nfrom groepen"
    for j in range(len(kolommen)):
        select += (
            f"\nleft join statistiek_{j} using ({groep})"
            if sleutels
            else f"\ncross join statistiek_{j}"
        )
    return "with\n\n" + ",\n\n".join(ctes) + "\n\n" + select


def partiele_groepen(
    rijen: Sequence[Mapping[str, Any]], kpis: Sequence[Kpi], i: int, per: Sequence[str]
) -> list[dict[str, Any]]:
    """The groups of KPI number `i` with the partial results aggregatie.eindwaarden reads."""
    kpi = kpis[i]
    j = statistiekkolommen(kpis).index(kpi.waarde) if kpi.aggregatie in STATISTIEKEN else None
    uit = []
    for r in rijen:
        if r[f"k{i}_rijen"] == 0 and per:
            continue  # no unit row takes part: the group does not exist for this KPI
        g: dict[str, Any] = {d: r[d] for d in per}
        g["rijen"] = r[f"k{i}_rijen"]
        g["voorlopig"] = r[f"k{i}_voorlopig"]
        g["clienten"] = r.get(f"k{i}_clienten", 0)
        g["_teller"] = r.get(f"k{i}_teller")
        g["_teller_clienten"] = r.get(f"k{i}_tclienten", 0)
        g["_noemer"] = r.get(f"k{i}_noemer")
        g["_noemer_rijen"] = r.get(f"k{i}_noemer_rijen", 0)
        g["_som"] = r.get(f"k{i}_som")
        g["_som_rijen"] = r.get(f"k{i}_som_rijen", 0)
        if j is not None:
            g["_statistiek"] = statistiek(kpi.aggregatie, r, j)
        uit.append(g)
    return uit


def statistiekkolommen(kpis: Sequence[Kpi]) -> list[str]:
    """The integer columns whose order statistics the query computes, in a fixed order."""
    return sorted({k.waarde for k in kpis if k.aggregatie in STATISTIEKEN and k.waarde})


def statistiek(soort: str, r: Mapping[str, Any], j: int) -> Fraction | None:
    """Median, mean or 80th percentile from the order statistics of column number `j`."""
    n = r.get(f"s{j}_n")
    if not n:
        return None
    if soort == "mediaan":
        return (Fraction(r[f"s{j}_mediaan_laag"]) + Fraction(r[f"s{j}_mediaan_hoog"])) / 2
    if soort == "gemiddelde":
        return Fraction(r[f"s{j}_som"]) / n
    h = (n - 1) * Fraction(4, 5)
    onder = floor(h)
    laag, hoog = Fraction(r[f"s{j}_p80_laag"]), Fraction(r[f"s{j}_p80_hoog"])
    if onder + 1 >= n:
        return hoog  # one value: s[n - 1]
    return laag + (h - onder) * (hoog - laag)
