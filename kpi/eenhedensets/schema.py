"""What the unit queries need of the warehouse: what it stores, views for what an older or
hand-built warehouse lacks, and the column types of every unit set."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import duckdb
from warehouse.schema import CLIENTNUMMER_VANAF, FEITEN_MAP, OVERLAPT_VANAF, parameternamen
from warehouse.schema import SQL_MAP as WAREHOUSE_SQL

from kpi.aggregatie_sql import CLIENT_NR
from kpi.eenhedensets.sqltekst import SAMENGESTELD, samengesteld, sql_tekst
from kpi.registry import sql_bestanden


def lees_meta(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The warehouse's meta table (sleutel -> waarde): peildatum, laad_id, fact spans."""
    return dict(cur.execute("select sleutel, max(waarde) from meta group by sleutel").fetchall())


def scalar(cur: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The single value of a one-row, one-column query (fully fetched)."""
    return cur.execute(sql).fetchall()[0][0]


def opslag(meta: Mapping[str, str]) -> tuple[bool, bool, bool]:
    """What a warehouse stores, from its meta table: (the fact tables: meta 'feiten',
    zorgintervallen.client_nr: schema 3 on, zorgintervallen.overlapt: schema 4 on)."""
    versie = meta.get("schema_versie", "")
    versie_nr = int(versie) if versie.isdigit() else 0
    return "feiten" in meta, versie_nr >= CLIENTNUMMER_VANAF, versie_nr >= OVERLAPT_VANAF


def zet_op(
    cur: duckdb.DuckDBPyConnection, feiten_geladen: bool, clientnummers: bool, overlapt: bool
) -> None:
    """Views on this cursor for what the warehouse does not store (`opslag`): the fact
    tables, and zorgintervallen.client_nr and .overlapt (a load before schema 3, 4)."""
    if not feiten_geladen:
        feiten_als_views(cur)
    if not overlapt:
        zorgintervallen_als_view(cur, clientnummers)


def feiten_als_views(cur: duckdb.DuckDBPyConnection) -> None:
    """The KPI fact tables as views on this cursor, for a warehouse loaded without them.

    The load derives them once (warehouse/sql/feiten); a warehouse built otherwise (tests,
    an older load) gets the same SQL as temporary views, which shadow the empty tables.
    """
    for sql in sorted(FEITEN_MAP.glob("*.sql")):
        cur.execute(f"create or replace temp view {sql.stem} as {sql.read_text()}")  # stem: ours


def zorgintervallen_als_view(cur: duckdb.DuckDBPyConnection, clientnummers: bool) -> None:
    """zorgintervallen with what a load before schema 4 does not store, on this cursor.

    A load of schema 3 or later stores client_nr (the pseudonym as a number), one of schema
    4 or later overlapt (warehouse/sql/60_zorgintervallen.sql); an older load lacks them and
    a warehouse built otherwise (tests) leaves them empty. This temporary view, which shadows
    the table, gives overlapt as unknown (null: every client counted the distinct way) and,
    without `clientnummers`, numbers the clients by pseudonym: counting distinct clients
    needs only a number that is the same for the same client.
    """
    db = scalar(cur, "select current_database()").replace('"', '""')
    nummer = (
        CLIENT_NR
        if clientnummers
        else f"dense_rank() over (order by client_id)::uhugeint as {CLIENT_NR}"
    )
    cur.execute(
        "create or replace temp view zorgintervallen as "
        f"select columns(lambda c: c not in ('{CLIENT_NR}', 'overlapt')), {nummer}, "
        f'null::boolean as overlapt from "{db}".main.zorgintervallen'
    )


def kolomsoorten(naam: str) -> Mapping[str, str]:
    """Column types of unit set `naam` (static: see `_alle_kolomsoorten`)."""
    return _alle_kolomsoorten()[naam]


@lru_cache(maxsize=1)
def _alle_kolomsoorten() -> Mapping[str, Mapping[str, str]]:
    """Column types of every unit set, bound once per process on an empty warehouse schema."""
    con = duckdb.connect()
    try:
        con.execute((WAREHOUSE_SQL / "schema.sql").read_text(encoding="utf-8"))
        dag = date(2024, 1, 1)
        voorbeeld: dict[str, Any] = {
            "van": dag, "tot": dag, "peildatum": dag, "kalender_datum": [dag],
            "kalender_uiterlijk": [dag], "berichtsoort": "305", "jaar": 2024, "maand": 1,
            "wachttijd_norm_dagen": 42, "perioden_van": [dag], "perioden_tot": [dag],
            "kpi": "",
            "termijn_dagen": 42,
        }  # fmt: skip
        voorbeeld |= {f"{deel}_tot": dag for delen in SAMENGESTELD.values() for deel in delen}
        uit = {}
        for pad in sql_bestanden():
            naam = pad.stem
            tekst = samengesteld(naam, sql_tekst) if naam in SAMENGESTELD else sql_tekst(naam)
            relatie = con.sql(tekst, params={k: voorbeeld[k] for k in parameternamen(tekst)})
            soorten = dict(zip(relatie.columns, map(str, relatie.types), strict=True))
            uit[naam] = MappingProxyType(soorten)
        return MappingProxyType(uit)
    finally:
        con.close()
