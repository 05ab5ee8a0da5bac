"""zorgintervallen.client_nr and .overlapt: what counting distinct clients (lopend) reads.

client_nr is the pseudonym as a number, what a distinct count hashes (schema 3); overlapt
says whether an interval shares a day with another of the client's, and a running interval
that shares none counts as one client without a distinct count (schema 4). An older
warehouse without the columns, and a hand-built one with them empty, get them from a
temporary view. Every way must count the same clients.
"""

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

import kpi
from kpi.eenhedensets import Bron, lees_meta
from kpi.periode import Periode
from tests.kpi_fixtures import Warehouse
from warehouse.schema import CLIENTNUMMER_VANAF, OVERLAPT_VANAF, SQL_MAP

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
    """A schema-2 warehouse (no client_nr, no overlapt) gives the same figures through the
    view."""
    oud = tmp_path / "oud.duckdb"
    shutil.copy(mini_warehouse, oud)
    con = duckdb.connect(str(oud))
    con.execute("alter table zorgintervallen drop column client_nr")
    con.execute("alter table zorgintervallen drop column overlapt")
    con.execute("update meta set waarde = '2' where sleutel = 'schema_versie'")
    con.close()
    nieuw_uit, oud_uit = _uitkomst(mini_warehouse, per), _uitkomst(oud, per)
    assert nieuw_uit.filter(pl.col("kpi") == "lopend")["waarde"].sum() > 0
    assert nieuw_uit.equals(oud_uit)


def test_opgeslagen_client_nr_is_wat_geteld_wordt(mini_warehouse: Path, tmp_path: Path) -> None:
    """With schema 3 the stored column is counted: one number for all rows (all marked as
    overlapping, so that all are counted distinctly) counts one client (so the test above
    compares two different paths, not one path twice)."""
    kopie = tmp_path / "kopie.duckdb"
    shutil.copy(mini_warehouse, kopie)
    con = duckdb.connect(str(kopie))
    con.execute("update zorgintervallen set client_nr = 1, overlapt = true")
    con.close()
    uit = _uitkomst(kopie, ())
    assert uit.filter(pl.col("kpi") == "lopend")["waarde"].to_list() == [1]


def _overlapt_na_afleiding(intervallen: list[tuple[str, str, str, str | None]]) -> list:
    """Run warehouse/sql/60_zorgintervallen.sql on zorgperiodes (client, aanbieder, begin,
    end; one toewijzing each) and return (client, aanbieder, begin, overlapt) sorted."""
    con = duckdb.connect()
    try:
        con.execute((SQL_MAP / "schema.sql").read_text(encoding="utf-8"))
        for i, (client, aanbieder, begin, eind) in enumerate(intervallen):
            con.execute(
                "insert into zorgperiodes (gemeente, toewijzingnummer, client_id, aanbieder, "
                "domein, segment, subsegment, zwaarte, product_code, toewijzing_ingangsdatum, "
                "begindatum, einddatum, start_dagtekening, geldig) values ('1859', $t, $c, $a, "
                "'jeugd', 'IAJ', 'IAJ-A', 1, '45A48', $b, $b, $e, $b, true)",
                {"t": f"T{i}", "c": client.ljust(32, "0"), "a": aanbieder, "b": begin, "e": eind},
            )
        con.execute((SQL_MAP / "60_zorgintervallen.sql").read_text(encoding="utf-8"))
        return con.execute(
            "select left(client_id, 2), aanbieder, begindatum::varchar, overlapt "
            "from zorgintervallen order by all"
        ).fetchall()
    finally:
        con.close()


def test_overlapt_uitgewerkt() -> None:
    """Worked by hand: a pair overlaps when the later begins on or before the earlier ends;
    a day apart is no overlap; an open interval overlaps everything after its begin; the
    same aanbieder's touching periods merge into one interval first."""
    uit = _overlapt_na_afleiding(
        [
            ("a1", "11111111", "2024-01-01", "2024-03-31"),  # ends the day b begins:
            ("a1", "22222222", "2024-03-31", "2024-05-31"),  # one shared day, both overlap
            ("a1", "33333333", "2024-06-01", "2024-06-30"),  # the next day: no overlap
            ("b2", "11111111", "2024-01-01", "2024-01-31"),  # touching periods of one
            ("b2", "11111111", "2024-02-01", "2024-02-29"),  # aanbieder: one interval
            ("b2", "22222222", "2024-03-01", None),  # open, and c's only other one
            ("b2", "33333333", "2025-07-01", "2025-07-31"),  # begins while open runs
            ("c3", "11111111", "2024-01-01", None),  # alone: open, overlaps nothing
        ]
    )
    assert uit == [
        ("a1", "11111111", "2024-01-01", True),
        ("a1", "22222222", "2024-03-31", True),
        ("a1", "33333333", "2024-06-01", False),
        ("b2", "11111111", "2024-01-01", False),
        ("b2", "22222222", "2024-03-01", True),
        ("b2", "33333333", "2025-07-01", True),
        ("c3", "11111111", "2024-01-01", False),
    ]


def test_geladen_overlapt_klopt_met_paarsgewijze_vergelijking(mini_warehouse: Path) -> None:
    """The loaded flag against a plain self-join: does another interval of the client share
    a day (an open one runs for ever)?"""
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        assert int(lees_meta(con)["schema_versie"]) >= OVERLAPT_VANAF
        verschil, waar, onwaar = con.execute(
            """
            with z as (
                select *, row_number() over () as rij,
                    coalesce(einddatum, date '9999-12-31') as eind
                from zorgintervallen
            ),
            paarsgewijs as (
                select z.rij, z.overlapt, exists (
                    select 1 from z as ander
                    where ander.client_id = z.client_id and ander.rij <> z.rij
                        and ander.begindatum <= z.eind and ander.eind >= z.begindatum
                ) as verwacht
                from z
            )
            select count(*) filter (where overlapt is distinct from verwacht),
                count(*) filter (where verwacht), count(*) filter (where not verwacht)
            from paarsgewijs
            """
        ).fetchone()
    finally:
        con.close()
    assert verschil == 0
    assert waar > 0 and onwaar > 0  # both kinds occur, so both were checked


@pytest.mark.parametrize("per", PER)
def test_warehouse_zonder_overlapt_telt_hetzelfde(
    mini_warehouse: Path, tmp_path: Path, per: tuple[str, ...]
) -> None:
    """A schema-3 warehouse (client_nr, no overlapt) counts every client distinctly through
    the view, and gives the same figures."""
    oud = tmp_path / "oud.duckdb"
    shutil.copy(mini_warehouse, oud)
    con = duckdb.connect(str(oud))
    con.execute("alter table zorgintervallen drop column overlapt")
    con.execute("update meta set waarde = '3' where sleutel = 'schema_versie'")
    con.close()
    assert _uitkomst(mini_warehouse, per).equals(_uitkomst(oud, per))


def test_opgeslagen_overlapt_is_wat_geteld_wordt(mini_warehouse: Path, tmp_path: Path) -> None:
    """A running interval marked as not overlapping counts as one client without a distinct
    count: marking every interval so makes a client with two running intervals count
    twice (so the test above compares two different paths)."""
    kopie = tmp_path / "kopie.duckdb"
    shutil.copy(mini_warehouse, kopie)
    con = duckdb.connect(str(kopie))
    peildatum = date.fromisoformat(lees_meta(con)["peildatum"][:10])
    dag = min(peildatum, date(2024, 12, 31))
    rijen, clienten = con.execute(
        "select count(*), count(distinct client_id) from zorgintervallen "
        "where begindatum <= $dag and coalesce(einddatum, $dag) >= $dag",
        {"dag": dag},
    ).fetchone()
    con.execute("update zorgintervallen set overlapt = false")
    con.close()
    assert rijen > clienten  # some client has two intervals running on the day
    lopend = lambda db: _uitkomst(db, ()).filter(pl.col("kpi") == "lopend")["waarde"].item()  # noqa: E731
    assert int(lopend(mini_warehouse)) == clienten
    assert int(lopend(kopie)) == rijen


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
            assert "enige_rij_client" not in rijen.columns
            assert rijen["client_id"].str.len_chars().unique().to_list() == [32]
            assert rijen["eenheid"].is_sorted()  # the same rows first, every time
    finally:
        con.close()
