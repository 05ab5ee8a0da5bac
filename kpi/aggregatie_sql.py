"""The aggregator's partial results computed in DuckDB, so unit rows never leave the database.

For KPIs whose measures are integers, booleans or decimals (exact sums), one query per unit
set gives, per group and per KPI, the same partial results as `aggregatie._expressies` does
on unit rows in Polars: rows, voorlopig, distinct clients, sums, and for the statistics the
order statistics they need. For a query with grouping a last projection turns them into the
final values by the same rules (aggregatie.regel, integer arithmetic on HUGEINT, rounded
half up to 10 decimals), so no group passes through Python one by one; see `Groepen` for
the two forms, and the docstring of kpi/aggregatie.py for which path runs when.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import floor
from typing import Any

import polars as pl

from kpi.aggregatie import GEEN, RESULTAAT_SCHEMA, STATISTIEK, regel, resultaat
from kpi.filters import DIMENSIES
from kpi.registry import STATISTIEKEN, Kpi

_GEHEEL = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "UHUGEINT")  # fmt: skip
DEEL = "_deel"  # the extra group key of a series: the month, or the number of the period
# An optional column of a unit set: a number that is the same for the same client (the
# pseudonym as a number). Distinct clients are counted on it where the set has it: hashing
# a number is about twice as fast as hashing the 32-character pseudonym client_id.
CLIENT_NR = "client_nr"
# An optional boolean column of a unit set: true when the row is the only row of its client
# in the unit rows of its period (kpi/sql/lopend.sql: an interval that overlaps none of the
# client's others, on one day). Such rows count as one client each without a distinct count;
# only the others go through count(distinct ...). False or null: counted the distinct way.
ENIGE_RIJ = "enige_rij_client"


# integers of at most 32 bits: their median is exact in a double (_mediaan_direct)
_SMAL = ("TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "UINTEGER")
_DECIMAAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
SCHAAL = 10  # decimals of a final value (aggregatie.WAARDE_TYPE)


def _schaal(soort: str) -> int | None:
    """Decimals of an exact measure type (0 for integers and booleans); None: not exact,
    or more decimals than a final value keeps."""
    if soort in _GEHEEL or soort == "BOOLEAN":
        return 0
    decimaal = _DECIMAAL.fullmatch(soort)
    if decimaal and int(decimaal.group(2)) <= SCHAAL:
        return int(decimaal.group(2))
    return None


def _exact(soort: str) -> bool:
    return _schaal(soort) is not None


def in_sql(kpi: Kpi, soorten: Mapping[str, str]) -> bool:
    """True when the KPI's measures allow exact aggregation in SQL (no floating point), and
    its kind is one the group query knows ('aangeleverd', and a teller in euro rounded to
    cents, are aggregated in Python only)."""
    if kpi.aggregatie == "aangeleverd" or kpi.teller_in_centen:
        return False  # a teller in euro is rounded to cents in Python (eindwaarden)
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


def _waar(*voorwaarden: str) -> str:
    """A FILTER clause for the conditions that are not simply true; none: no clause. DuckDB
    evaluates even `filter (where true)` row by row: at land the group queries take 5-15 %
    longer with it."""
    echt = [v for v in voorwaarden if v != "true"]
    return f" filter (where {' and '.join(echt)})" if echt else ""


def _clienten(waar: str, soorten: Mapping[str, str]) -> str:
    """The number of distinct clients among the rows where `waar` holds: on client_nr where
    the set has it; rows marked ENIGE_RIJ counted one by one, the others distinctly.

    A condition on a distinct count is written as a value that is null for the other rows,
    not as a FILTER: with a filter DuckDB hashes every row all the same (at land 238 against
    84 ms for lopend per aanbieder)."""
    client = CLIENT_NR if CLIENT_NR in soorten else "client_id"
    if ENIGE_RIJ not in soorten:
        if waar == "true":
            return f"count(distinct {client})"
        return f"count(distinct case when ({waar}) then {client} end)"
    enig = f"coalesce({ENIGE_RIJ}, false)"
    return (
        f"(count(case when ({waar}) and {enig} then {client} end)"
        f" + count(distinct case when ({waar}) and not {enig} then {client} end))"
    )


def _delen(i: int, kpi: Kpi, soorten: Mapping[str, str]) -> list[str]:
    f = _deelname(kpi)
    voorlopig = f"bool_or(coalesce(voorlopig, false)){_waar(f)}"
    uit = [
        f"count(*){_waar(f)} as k{i}_rijen",
        f"coalesce({voorlopig}, false) as k{i}_voorlopig",
    ]
    if kpi.aggregatie == "aantal_clienten" or kpi.n == "clienten":
        uit.append(f"{_clienten(f, soorten)} as k{i}_clienten")
    if kpi.teller:
        uit.append(f"sum({_getal(kpi.teller, soorten)}){_waar(f)} as k{i}_teller")
    if kpi.teller and kpi.aggregatie == "aantal_clienten":
        teller = f"coalesce({_q(kpi.teller)}::boolean, false)"
        uit.append(f"{_clienten(f'{f} and {teller}', soorten)} as k{i}_tclienten")
    if kpi.noemer:
        noemer = _getal(kpi.noemer, soorten)
        uit.append(f"sum({noemer}){_waar(f)} as k{i}_noemer")
        uit.append(f"count(*){_waar(f, f'{noemer} <> 0')} as k{i}_noemer_rijen")
    if kpi.waarde and kpi.aggregatie == "som":
        waarde = _getal(kpi.waarde, soorten)
        uit.append(f"sum({waarde}){_waar(f)} as k{i}_som")
        uit.append(f"count(*){_waar(f, f'{waarde} <> 0')} as k{i}_som_rijen")
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
        min(w) filter (where tot >= (n - 1) // 2 + 1)::hugeint
            + min(w) filter (where tot >= n // 2 + 1) as s{j}_mediaan2,
        min(w) filter (where tot >= (4 * (n - 1)) // 5 + 1) as s{j}_p80_laag,
        min(w) filter (where tot >= least((4 * (n - 1)) // 5 + 2, n)) as s{j}_p80_hoog
    from lopend_{j}
    {groepering}
)"""


def _mediaan_direct(kolom: str, j: int, soort: str) -> list[str]:
    """The order statistics of `_statistiek_cte` that the median and the mean read, as
    aggregates. The median as twice its value, s[floor((n - 1) / 2)] + s[floor(n / 2)]:

    - for a column of at most 32 bits (days, as the unit sets type them), from `median`:
      DuckDB interpolates in doubles, lo + (hi - lo) * 0.5, which is exact for integers
      below 2^52, so twice it is the integer lo + hi. One aggregate, where the two below
      sort the group twice: at land 20 ms less per query of 56-90 ms;
    - for wider integers, from two discrete quantiles: quantile_disc(x, 0.5) is
      s[floor((n - 1) / 2)] (DuckDB's discrete index floor((n - 1) * q), exact for q = 0.5)
      and s[floor(n / 2)] is the same taken from the top, -quantile_disc(-x, 0.5).

    Nulls do not count, as in the window."""
    w = _q(kolom)
    if soort in _SMAL:
        twee_maal = f"(median({w}) * 2)::hugeint"
    else:
        twee_maal = f"quantile_disc({w}, 0.5)::hugeint - quantile_disc(-{w}, 0.5)"
    return [
        f"count({w}) as s{j}_n",
        f"sum({w}::hugeint) as s{j}_som",
        f"{twee_maal} as s{j}_mediaan2",
    ]


def groepsquery(
    eenheden_sql: str,
    kpis: Sequence[Kpi],
    per: Sequence[str],
    soorten: Mapping[str, str],
    deel: str | None = None,
    eind: bool = True,
) -> str:
    """One query: per group (the `per` dimensions, and the SQL expression `deel` when given)
    the final values of every KPI in `kpis` (`_eindwaarden`),
    over the unit rows of `eenheden_sql`; with `eind` False the partial results only (read
    with `partiele_groepen`)."""
    sleutels = [_q(d) for d in per] + ([DEEL] if deel else [])
    # a unit without a value for a grouped dimension falls in group '(geen)'
    vervangen = ", ".join(f"coalesce({_q(d)}, '{GEEN}') as {_q(d)}" for d in per)
    selectie = f"* replace ({vervangen})" if per else "*"
    if deel and deel != DEEL:  # `_deel` itself: a column the unit rows already have
        selectie += f", {deel} as {DEEL}"
    kolommen = statistiekkolommen(kpis)
    # Order statistics from value counts (_statistiek_cte, a window) or, for the median and
    # the mean per group, as plain aggregates (_mediaan_direct). Measured at land: with
    # thousands of groups the aggregates are 2-4x faster; with one group per period (up to
    # millions of values, no `per`) the value counts are (a hash aggregate on all cores, where
    # a quantile sorts the whole group on one). p80 always takes the window.
    venster = {k.waarde for k in kpis if k.aggregatie == "p80" or not per}
    ctes = [f"eenheden_ as (\n    select {selectie}\n    from (\n{eenheden_sql}\n    ) as e\n)"]
    ctes += [_statistiek_cte(k, j, sleutels) for j, k in enumerate(kolommen) if k in venster]
    delen = [d for i, kpi in enumerate(kpis) for d in _delen(i, kpi, soorten)]
    direct = [(j, k) for j, k in enumerate(kolommen) if k not in venster]
    delen += [d for j, k in direct for d in _mediaan_direct(k, j, soorten[k])]
    groep = ", ".join(sleutels)
    ctes.append(
        "groepen as (\n    select\n        "
        + ",\n        ".join(([groep] if sleutels else []) + delen)
        + "\n    from eenheden_"
        + (f"\n    group by {groep}" if sleutels else "")
        + "\n)"
    )
    delen_sql = "select *\n    from groepen"
    for j in (j for j, k in enumerate(kolommen) if k in venster):
        delen_sql += (
            f"\n    left join statistiek_{j} using ({groep})"
            if sleutels
            else f"\n    cross join statistiek_{j}"
        )
    ctes.append(f"delen as (\n    {delen_sql}\n)")
    if not eind:
        return "with\n\n" + ",\n\n".join(ctes) + "\n\nselect * from delen"
    waarden = [_q(d) for d in per] + ([DEEL] if deel else [])
    waarden += [e for i, kpi in enumerate(kpis) for e in _eindwaarden(i, kpi, kolommen, soorten)]
    select = "select\n    " + ",\n    ".join(waarden) + "\nfrom delen"
    return "with\n\n" + ",\n\n".join(ctes) + "\n\n" + select


def statistiekkolommen(kpis: Sequence[Kpi]) -> list[str]:
    """The integer columns whose order statistics the query computes, in a fixed order."""
    return sorted({k.waarde for k in kpis if k.aggregatie in STATISTIEKEN and k.waarde})


# A query's groups come in one of two forms (see `groepsquery`):
# - final values per group, a DataFrame: for a query with grouping, which can have thousands
#   of groups (every aanbieder of the country): no group passes through Python;
# - partial results as dicts, finalised by aggregatie.resultaat (Fractions): for a query
#   without grouping, one row per period, where the final projection would cost DuckDB
#   more planning time (about a millisecond) than Python takes for the row.
Groepen = pl.DataFrame | list[dict[str, Any]]


def met_eindwaarden(per: Sequence[str]) -> bool:
    """True when a group query with grouping `per` computes the final values in SQL."""
    return bool(per)


def per_deel(groepen: Groepen) -> dict[Any, Groepen]:
    """The groups of a series split by their `_deel` (the key dropped from a frame)."""
    if isinstance(groepen, pl.DataFrame):
        delen = groepen.partition_by(DEEL, as_dict=True, include_key=False)
        return {sleutel[0]: deel for sleutel, deel in delen.items()}
    uit: dict[Any, Groepen] = {}
    for rij in groepen:
        uit.setdefault(rij[DEEL], []).append(rij)  # type: ignore[union-attr]
    return uit


def groepswaarden(groepen: Groepen, kpis: Sequence[Kpi], per: Sequence[str]) -> list[pl.DataFrame]:
    """The values (aggregatie.RESULTAAT_SCHEMA) of each of `kpis` from a query's groups;
    no groups (a period of a series without unit rows) count as no unit rows."""
    if isinstance(groepen, pl.DataFrame) and not groepen.is_empty():
        return eindresultaten(groepen, len(kpis), per)
    rijen = [] if isinstance(groepen, pl.DataFrame) else groepen
    return [resultaat(partiele_groepen(rijen, kpis, i, per), k, per) for i, k in enumerate(kpis)]


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


def statistiek(soort: str, r: Mapping[str, Any], j: int) -> Fraction | None:
    """Median, mean or 80th percentile from the order statistics of column number `j`."""
    n = r.get(f"s{j}_n")
    if not n:
        return None
    if soort == "mediaan":
        return Fraction(r[f"s{j}_mediaan2"]) / 2
    if soort == "gemiddelde":
        return Fraction(r[f"s{j}_som"]) / n
    h = (n - 1) * Fraction(4, 5)
    onder = floor(h)
    laag, hoog = Fraction(r[f"s{j}_p80_laag"]), Fraction(r[f"s{j}_p80_hoog"])
    if onder + 1 >= n:
        return hoog  # one value: s[n - 1]
    return laag + (h - onder) * (hoog - laag)


# The final values, as aggregatie.eindwaarden computes them from the same partial results.
# A value is exact: integers stay HUGEINT, a decimal measure with s decimals becomes the
# integer x * 10^s, a quotient is rounded half up (ties away from zero, as Decimal's
# ROUND_HALF_UP) to SCHAAL decimals in integer arithmetic. DuckDB raises on overflow.
_EEN = 10**SCHAAL


def _geschaald(expr: str, schaal: int) -> str:
    """A decimal expression with `schaal` decimals as the HUGEINT expr * 10^schaal."""
    return f"({expr} * {10**schaal})::hugeint" if schaal else f"({expr})::hugeint"


def _decimaal(expr: str) -> str:
    """An exact number (HUGEINT, or DECIMAL with at most SCHAAL decimals) as the final
    DECIMAL(38, SCHAAL)."""
    return f"({expr})::decimal(38, {SCHAAL})"


def _uit_geschaald(q: str) -> str:
    """The HUGEINT q = value * 10^SCHAAL as DECIMAL(38, SCHAAL), exactly."""
    return f"(({q})::decimal(38, 0) * (1 / {_EEN})::decimal({SCHAAL + 1}, {SCHAAL}))"


def _quotient(teller: str, noemer: str) -> str:
    """teller / noemer (HUGEINTs) rounded half up to SCHAAL decimals, as the HUGEINT
    value * 10^SCHAAL; null when the noemer is 0."""
    t, n = f"abs({teller})", f"abs({noemer})"
    teken = f"(case when ({teller} < 0) <> ({noemer} < 0) then -1 else 1 end)"
    afgerond = f"((2 * {t} * {_EEN} + {n}) // (2 * {n}))"
    return f"case when ({noemer}) = 0 then null else {teken} * {afgerond} end"


# The partial results of KPI i in the group query, by their name in aggregatie._expressies
# (the names aggregatie.Regel reads).
_DEELNAMEN = {
    "rijen": "rijen",
    "clienten": "clienten",
    "_teller": "teller",
    "_teller_clienten": "tclienten",
    "_noemer": "noemer",
    "_noemer_rijen": "noemer_rijen",
    "_som": "som",
    "_som_rijen": "som_rijen",
}
_SOMMEN = ("_teller", "_noemer", "_som")  # null without rows: read as 0


def _eindwaarden(
    i: int, kpi: Kpi, kolommen: Sequence[str], soorten: Mapping[str, str]
) -> list[str]:
    """SELECT expressions k{i}_rijen, _voorlopig, _waarde, _teller, _noemer, _n of KPI i,
    by the rule of its kind (aggregatie.regel)."""
    k = f"k{i}_"
    r = regel(kpi)

    def deel(naam: str) -> str:
        kolom = f"{k}{_DEELNAMEN[naam]}"
        return f"coalesce({kolom}, 0)" if naam in _SOMMEN else kolom

    def getal(naam: str | None) -> str:
        return _decimaal(deel(naam)) if naam else f"null::decimal(38, {SCHAAL})"

    if isinstance(r.waarde, tuple):  # a share: exact quotient of the scaled integers
        t, d = r.waarde
        maat = {"_teller": kpi.teller, "_noemer": kpi.noemer}
        st, sn = (_schaal(soorten[maat[x]]) if x in maat else 0 for x in (t, d))
        assert st is not None and sn is not None  # in_sql admits exact measures only

        def geheel(naam: str, schaal: int) -> str:
            return _geschaald(deel(naam), schaal) if naam in maat else f"{deel(naam)}::hugeint"

        # t/10^st / (n/10^sn) = t * 10^sn / (n * 10^st)
        quotient = _quotient(f"{geheel(t, st)} * {10**sn}", f"{geheel(d, sn)} * {10**st}")
        waarde = _uit_geschaald(quotient)
    elif r.waarde == STATISTIEK:  # from the order statistics of its column (_statistiek_cte)
        j = list(kolommen).index(kpi.waarde)
        s = f"s{j}_"
        if kpi.aggregatie == "mediaan":  # (s[lo] + s[hi]) / 2, exact at one decimal
            q = f"{s}mediaan2 * {_EEN // 2}"
        elif kpi.aggregatie == "gemiddelde":
            q = _quotient(f"{s}som", f"{s}n::hugeint")
        else:  # p80: s[lo] + (h - floor(h)) * (s[hi] - s[lo]), h = (n - 1) * 4/5
            deel_ = f"((4 * ({s}n - 1)) % 5)"
            verschil = f"({s}p80_hoog - {s}p80_laag)"
            q = f"{s}p80_laag::hugeint * {_EEN} + {deel_} * {verschil} * {_EEN // 5}"
        waarde = f"case when coalesce({s}n, 0) = 0 then null else {_uit_geschaald(q)} end"
    else:
        waarde = getal(r.waarde)
    return [
        f"{k}rijen",
        f"{k}voorlopig",
        f"{waarde} as {k}waarde",
        f"{getal(r.teller)} as {k}eindteller",
        f"{getal(r.noemer)} as {k}eindnoemer",
        f"({deel(r.n)})::bigint as {k}n",
    ]


def eindresultaten(groepen: pl.DataFrame, aantal: int, per: Sequence[str]) -> list[pl.DataFrame]:
    """The values of KPIs 0 .. aantal - 1 from a `groepsquery` result, each in the form of
    aggregatie.resultaat (RESULTAAT_SCHEMA, sorted by `per`), computed in one call.

    With grouping, a group in which no unit row of a KPI takes part does not exist for it.
    Without grouping the query has one row; a series (grouped by `_deel`) that has no unit
    row in a period has none: `groepswaarden` asks aggregatie.resultaat for the empty group.
    """
    lui = groepen.lazy()
    return pl.collect_all([_eindresultaat(lui, i, per) for i in range(aantal)])


def _eindresultaat(uit: pl.LazyFrame, i: int, per: Sequence[str]) -> pl.LazyFrame:
    k = f"k{i}_"
    if per:
        uit = uit.filter(pl.col(f"{k}rijen") > 0)
    uit = uit.select(
        *(pl.col(d) if d in per else pl.lit(None, pl.String).alias(d) for d in DIMENSIES),
        waarde=pl.col(f"{k}waarde"),
        teller=pl.col(f"{k}eindteller"),
        noemer=pl.col(f"{k}eindnoemer"),
        n=pl.col(f"{k}n"),
        voorlopig=pl.col(f"{k}voorlopig").fill_null(False),
    ).cast(RESULTAAT_SCHEMA)  # type: ignore[arg-type]
    if per:
        uit = uit.sort(list(per), nulls_last=True)
    return uit
