"""zorgintervallen.client_nr: the pseudonym as a number, what distinct client counts hash.

The load stores it (schema 3); an older warehouse without the column, and a hand-built one
with it empty, get it from a temporary view. Every way must count the same clients.
"""

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

import kpi
from kpi.eenheden import Bron, lees_meta
from kpi.periode import Periode
from tests.kpi_fixtures import Warehouse
from warehouse.laden import CLIENTNUMMER_VANAF

KPIS = ["lopend", "zorgdagen"]  # the KPIs that count distinct clients of zorgintervallen
PER = [(), ("aanbieder",), ("gemeente", "subsegment")]


def _uitkomst(db: Path, per: tuple[str, ...]) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        uit = kpi.bereken(con, Periode.jaar(2024), per=per, kpis=KPIS)
    finally:
        con.close()
    return uit.sort(uit.columns)


def test_geladen_client_nr_is_het_pseudoniem_als_getal(mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        assert int(lees_meta(con)["schema_versie"]) >= CLIENTNUMMER_VANAF
        rijen, leeg, anders = con.execute(
            "select count(*), count(*) filter (where client_nr is null), "
            "count(*) filter (where client_nr <> ('0x' || client_id)::uhugeint) "
            "from zorgintervallen"
        ).fetchone()
        clienten, nummers = con.execute(
            "select count(distinct client_id), count(distinct client_nr) from zorgintervallen"
        ).fetchone()
    finally:
        con.close()
    assert rijen > 0 and leeg == 0 and anders == 0
    assert clienten == nummers > 1


@pytest.mark.parametrize("per", PER)
def test_oud_warehouse_zonder_client_nr_telt_hetzelfde(
    mini_warehouse: Path, tmp_path: Path, per: tuple[str, ...]
) -> None:
    """A schema-2 warehouse (no client_nr column) gives the same figures through the view."""
    oud = tmp_path / "oud.duckdb"
    shutil.copy(mini_warehouse, oud)
    con = duckdb.connect(str(oud))
    con.execute("alter table zorgintervallen drop column client_nr")
    con.execute("update meta set waarde = '2' where sleutel = 'schema_versie'")
    con.close()
    nieuw_uit, oud_uit = _uitkomst(mini_warehouse, per), _uitkomst(oud, per)
    assert nieuw_uit.filter(pl.col("kpi") == "lopend")["waarde"].sum() > 0
    assert nieuw_uit.equals(oud_uit)


def test_opgeslagen_client_nr_is_wat_geteld_wordt(mini_warehouse: Path, tmp_path: Path) -> None:
    """With schema 3 the stored column is counted: one number for all rows counts one client
    (so the test above compares two different paths, not one path twice)."""
    kopie = tmp_path / "kopie.duckdb"
    shutil.copy(mini_warehouse, kopie)
    con = duckdb.connect(str(kopie))
    con.execute("update zorgintervallen set client_nr = 1")
    con.close()
    uit = _uitkomst(kopie, ())
    assert uit.filter(pl.col("kpi") == "lopend")["waarde"].to_list() == [1]


def test_handgebouwd_warehouse_nummert_clienten_in_een_view() -> None:
    """Fixtures leave client_nr empty: the view numbers clients by pseudonym, shadowing the
    table on the cursor that computes, so two intervals of one client count once."""
    w = Warehouse(peildatum="2024-12-31")
    w.interval("c2", "2024-01-01", None, aanbieder="11111111")
    w.interval("c1", "2024-03-01", "2024-12-31", aanbieder="11111111")
    w.interval("c1", "2024-02-01", None, aanbieder="22222222")
    w.interval("c3", "2024-01-01", "2024-06-30", aanbieder="22222222")  # ended: not lopend
    uit = kpi.bereken(w.con, Periode.jaar(2024), per=("aanbieder",), kpis=["lopend"])
    waarden = dict(zip(uit["aanbieder"], uit["waarde"], strict=True))
    assert {a: int(v) for a, v in waarden.items()} == {"11111111": 2, "22222222": 1}
    regio = kpi.bereken(w.con, Periode.jaar(2024), kpis=["lopend"])
    assert int(regio["waarde"][0]) == 2  # c1 and c2, once each
    cur = w.con.cursor()
    Bron(cur, date(2024, 12, 31))  # sets up its cursor: the view numbers 1, 2, 3
    nummers = cur.sql("select client_id, client_nr from zorgintervallen order by 1").fetchall()
    assert nummers == [("c1", 1), ("c1", 1), ("c2", 2), ("c3", 3)]


def test_eenheden_tonen_pseudoniem_niet_client_nr(mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        for kpi_id in KPIS:
            rijen = kpi.eenheden(con, kpi_id, Periode.jaar(2024))
            assert rijen.height > 0
            assert "client_nr" not in rijen.columns
            assert rijen["client_id"].str.len_chars().unique().to_list() == [32]
            assert rijen["eenheid"].is_sorted()  # the same rows first, every time
    finally:
        con.close()
