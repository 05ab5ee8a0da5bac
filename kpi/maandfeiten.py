"""Month facts: the contract-month unit sets computed once per load, for whole months.

`contractmaanden` (zorgdagen, plekdagen, zorgkosten per contract x month) and `voorschot`
(the payment per contract x month) join every contract with its care intervals or its
payments. For a period of whole months their rows depend on the month only, not on the
period: a row of month M is the same whether the query asks for M alone or for M within a
year. So the load runs each unit set's own SQL (kpi/sql/<naam>.sql, the one definition)
once over the span of the data and stores the rows; a query for whole months within that
span, with the load's peildatum, reads them back (`tekst`). Any other period or peildatum
runs the SQL as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import duckdb

from kpi.periode import laatste_dag

# unit set -> the table holding its rows for whole months (named after what it holds)
MAANDFEITEN = {"contractmaanden": "contractmaand_feiten", "voorschot": "voorschot_feiten"}
_META = ("maandfeiten_van", "maandfeiten_tot", "maandfeiten_peildatum")


def vul(con: duckdb.DuckDBPyConnection, peildatum: date) -> tuple[date, date] | None:
    """Compute the month facts over the span of the contracts and payments; record it in meta.

    The span runs from the first month of a contract or payment to the end of the year of
    the latest of: the peildatum, the last payment, the last contract day (at most two years
    after the peildatum, as contracts may run open-ended). Returns it, or None (no contracts).
    """
    from kpi.eenheden import parameternamen, sql_tekst  # here: kpi.eenheden imports the loader

    van, laatst = con.execute(
        "select least(min(geldig_van), (select min(maand) from voorschotten)), "
        "greatest($peildatum, (select max(maand) from voorschotten), "
        "least(max(geldig_tot), $peildatum + interval 2 year)::date) from contracten",
        {"peildatum": peildatum},
    ).fetchone()
    if van is None:
        return None
    van, tot = van.replace(day=1), laatste_dag(laatst.year, 12)
    for naam, tabel in MAANDFEITEN.items():
        tekst = sql_tekst(naam)
        waarden = {"van": van, "tot": tot, "peildatum": peildatum}
        params = {k: waarden[k] for k in parameternamen(tekst)}
        con.execute(f"create or replace table {tabel} as {tekst}", params)  # tabel: ours
    con.executemany(
        "insert or replace into meta values (?, ?)",
        list(zip(_META, (van.isoformat(), tot.isoformat(), peildatum.isoformat()), strict=True)),
    )
    return van, tot


def bereik(meta: Mapping[str, str]) -> tuple[date, date, date] | None:
    """(van, tot, peildatum) of the month facts, from the warehouse's meta; None when absent."""
    if any(k not in meta for k in _META):
        return None
    van, tot, peildatum = (date.fromisoformat(meta[k]) for k in _META)
    return van, tot, peildatum


def tekst(
    naam: str, van: date, tot: date, peildatum: date, feiten: tuple[date, date, date] | None
) -> str | None:
    """The query reading unit set `naam` for [van, tot] from its month facts, or None when
    the facts cannot serve it (another peildatum, not whole months, outside their span)."""
    if naam not in MAANDFEITEN or feiten is None:
        return None
    f_van, f_tot, f_peildatum = feiten
    heel = van.day == 1 and tot == laatste_dag(tot.year, tot.month)
    if not heel or peildatum != f_peildatum or van < f_van or tot > f_tot:
        return None
    return f"select * from {MAANDFEITEN[naam]} where maand between $van and $tot"
