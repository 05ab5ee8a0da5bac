"""Month facts: the contract-month unit sets computed once per load, for whole months.

`contractmaanden` (zorgdagen, plekdagen, zorgkosten per contract x month) and `voorschot`
(the payment per contract x month) join every contract with its care intervals or its
payments. For a period of whole months their rows depend on the month only, not on the
period: a row of month M is the same whether the query asks for M alone or for M within a
year. So the load runs each unit set's SQL (warehouse/sql/maandfeiten/<naam>.sql, the one
definition, which kpi/ also reads) once over the span of the data and stores the rows;
kpi/maandfeiten.py reads them back for whole months within that span with the load's
peildatum. Any other period or peildatum runs the SQL as before.
"""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.schema import MAANDFEITEN, MAANDFEITEN_MAP, MAANDFEITEN_META, parameternamen


def vul(con: duckdb.DuckDBPyConnection, peildatum: date) -> tuple[date, date] | None:
    """Compute the month facts over the span of the contracts and payments; record it in meta.

    The span runs from the first month of a contract or payment to the end of the year of
    the latest of: the peildatum, the last payment, the last contract day (at most two years
    after the peildatum, as contracts may run open-ended). Returns it, or None (no contracts).
    """
    van, laatst = con.execute(
        "select least(min(geldig_van), (select min(maand) from voorschotten)), "
        "greatest($peildatum, (select max(maand) from voorschotten), "
        "least(max(geldig_tot), $peildatum + interval 2 year)::date) from contracten",
        {"peildatum": peildatum},
    ).fetchone()
    if van is None:
        return None
    van, tot = van.replace(day=1), date(laatst.year, 12, 31)
    for naam, tabel in MAANDFEITEN.items():
        tekst = (MAANDFEITEN_MAP / f"{naam}.sql").read_text(encoding="utf-8")
        waarden = {"van": van, "tot": tot, "peildatum": peildatum}
        params = {k: waarden[k] for k in parameternamen(tekst)}
        con.execute(f"create or replace table {tabel} as {tekst}", params)  # tabel: ours
    con.executemany(
        "insert or replace into meta values (?, ?)",
        list(
            zip(
                MAANDFEITEN_META,
                (van.isoformat(), tot.isoformat(), peildatum.isoformat()),
                strict=True,
            )
        ),
    )
    return van, tot
