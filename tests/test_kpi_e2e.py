"""End-to-end golden tests: tiny CSV extracts through the warehouse loader into the KPIs.

Each case has its own aanbieder, so a filter isolates it. Expected values by hand.
"""

from datetime import date

import duckdb
import polars as pl
import pytest

from kpi.berekening import bereken, eenheden, niet_berekenbaar
from kpi.filters import Filters
from tests.kpi_fixtures import Extract, enkel, golden, verwacht

ZONDER_STOP, STOP_VOOR_START, CONVERSIE = "10000001", "10000002", "10000003"
RECIDIVE, AFSCHALING, OVERLAP, TIJDIG = "10000004", "10000005", "10000006", "10000007"


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    e = Extract()
    # -- a trajectory without 307: open from 2-1-2023; one ends with its toewijzing on 31-3
    e.zorg(1, "T001", "2023-01-01", "2023-01-02", aanbieder=ZONDER_STOP)
    e.zorg(2, "T002", "2023-01-01", "2023-01-01", einddatum="2023-03-31", aanbieder=ZONDER_STOP)
    # -- a 307 before its 305: c3's stop (dated 5-4) arrives before its start (dated 20-4);
    #    c4's stop (10-5) lies before its start (1-6): the period is invalid, no care
    e.zorg(3, "T003", "2023-02-01", "2023-02-01", "2023-03-31",
           dag_305="2023-04-20", dag_307="2023-04-05", aanbieder=STOP_VOOR_START)  # fmt: skip
    e.zorg(4, "T004", "2023-05-01", "2023-06-01", dag_305="2023-06-02",
           aanbieder=STOP_VOOR_START)  # fmt: skip
    e.bericht("307", 4, "2023-05-12", toewijzingnummer="T004", product_categorie="54",
              product_code="54Z01", ingangsdatum="2023-05-01", begindatum="2023-05-01",
              einddatum_zorg="2023-05-10", reden_beeindiging="31",
              aanbieder=STOP_VOOR_START)  # fmt: skip
    # -- conversion on 1-7-2022: old product 54001 until 30-6, new 54Z01 from 1-7 (reden 10);
    #    c6 even got a 307 on the old line
    for client, stop in ((5, None), (6, "2022-06-30")):
        e.zorg(client, f"T00{client}a", "2022-01-01", "2022-01-01", stop, einddatum="2022-06-30",
               product="54001", aanbieder=CONVERSIE)  # fmt: skip
        e.zorg(client, f"T00{client}b", "2022-07-01", "2022-07-01", reden_wijziging="10",
               aanbieder=CONVERSIE)  # fmt: skip
    # -- recidive: c7 ends 1-3-2023 and returns 29-2-2024 (= end + 365, leap year), c8 returns
    #    1-3-2024 (end + 366), c9 ends by death (02)
    for client, terug in ((7, "2024-02-29"), (8, "2024-03-01")):
        e.zorg(client, f"T0{client}0", "2022-09-01", "2022-09-01", "2023-03-01", aanbieder=RECIDIVE)
        e.zorg(client, f"T0{client}1", terug, terug, aanbieder=RECIDIVE)
    e.zorg(9, "T090", "2022-09-01", "2022-09-01", "2023-05-01", reden="02", aanbieder=RECIDIVE)
    # -- step down: GWV (zwaarte 3) ends 31-3-2023, IAJ (zwaarte 1) from 1-5-2023 (31 days)
    e.zorg(10, "T100", "2022-07-01", "2022-07-01", "2023-03-31", product="43Z01",
           aanbieder=AFSCHALING)  # fmt: skip
    e.zorg(10, "T101", "2023-05-01", "2023-05-01", aanbieder=AFSCHALING)
    # -- overlapping toewijzingen: 1-1..31-1 and 15-1..14-2
    e.zorg(11, "T110", "2023-01-01", "2023-01-01", "2023-01-31", einddatum="2023-01-31",
           aanbieder=OVERLAP)  # fmt: skip
    e.zorg(11, "T111", "2023-01-15", "2023-01-15", "2023-02-14", einddatum="2023-02-14",
           aanbieder=OVERLAP)  # fmt: skip
    # -- 305s for a start on Wed 26-4-2023 (Koningsdag 27-4): dated 4-5 (5th werkdag), 5-5 (6th)
    e.zorg(12, "T120", "2023-04-26", "2023-04-26", dag_305="2023-05-04", aanbieder=TIJDIG)
    e.zorg(13, "T130", "2023-04-26", "2023-04-26", dag_305="2023-05-05", aanbieder=TIJDIG)
    return e.laad(tmp_path_factory.mktemp("e2e") / "extract")


def _voor(
    con: duckdb.DuckDBPyConnection, aanbieder: str, periode: str, kpis: list[str]
) -> pl.DataFrame:
    return bereken(con, periode, kpis=kpis, filters=Filters(aanbieder=aanbieder))


def test_peildatum_uit_het_laden(con: duckdb.DuckDBPyConnection) -> None:
    # the loader sets the peildatum to the latest dagtekening: 1-3-2024 (c8's return)
    assert con.execute("select waarde from meta where sleutel = 'peildatum'").fetchall() == [
        ("2024-03-01",)
    ]


@golden("uitstroom", "zorgdagen", "lopend", "zonder_stop")
def test_traject_zonder_307(con: duckdb.DuckDBPyConnection) -> None:
    uit = _voor(con, ZONDER_STOP, "2023", ["instroom", "uitstroom", "zorgdagen", "lopend"])
    verwacht(uit, "instroom", [{"waarde": 2}])
    verwacht(uit, "uitstroom", [{"waarde": 0}])  # no 307: open, not an exit
    # c1 2-1..31-12 = 364 days (open, runs on to the peildatum); c2 1-1..31-3 = 90 days
    verwacht(uit, "zorgdagen", [{"waarde": 454}])
    verwacht(uit, "lopend", [{"waarde": 1}])  # c1 on 31-12-2023
    # c2's toewijzing ended 31-3 with a start and no stop: overdue
    q1 = _voor(con, ZONDER_STOP, "2023-Q1", ["zonder_stop"])
    verwacht(q1, "zonder_stop", [{"waarde": 1, "noemer": 1}])


@golden("instroom", "uitstroom", "doorlooptijd", "tijdig_305", "tijdig_307")
def test_307_voor_305(con: duckdb.DuckDBPyConnection) -> None:
    kpis = ["instroom", "uitstroom", "doorlooptijd", "zorgdagen", "tijdig_305", "tijdig_307"]
    uit = _voor(con, STOP_VOOR_START, "2023", kpis)
    # only c3 is care: 1-2..31-3 = 28 + 31 = 59 days; c4's stop lies before its start
    verwacht(uit, "instroom", [{"waarde": 1}])
    verwacht(uit, "uitstroom", [{"waarde": 1}])
    verwacht(uit, "doorlooptijd", [{"waarde": 59}])
    verwacht(uit, "zorgdagen", [{"waarde": 59}])
    # the 305s: c3 (start 1-2, dated 20-4) late; c4 (start 1-6, dated 2-6) on time
    verwacht(uit, "tijdig_305", [{"waarde": "0.5", "noemer": 2}])
    # the 307s: c3 (end Fri 31-3; Good Friday 7-4: due Tue 11-4, dated 5-4) on time;
    # c4 (end 10-5, dated 12-5) on time
    verwacht(uit, "tijdig_307", [{"waarde": 1, "noemer": 2}])


@golden("instroom", "uitstroom", "lopend")
def test_conversie_over_1_juli_2022(con: duckdb.DuckDBPyConnection) -> None:
    for periode in ("cj2022", "2022-06", "2022-07-01..2022-12-31"):
        uit = _voor(con, CONVERSIE, periode, ["instroom", "uitstroom"])
        verwacht(uit, "instroom", [{"waarde": 0}])  # not new care
        verwacht(uit, "uitstroom", [{"waarde": 0}])  # not an exit
    lopend = _voor(con, CONVERSIE, "2022-12", ["lopend"])
    verwacht(lopend, "lopend", [{"waarde": 2}])


@golden("recidive")
def test_recidive_365_366_en_overlijden(con: duckdb.DuckDBPyConnection) -> None:
    uit = _voor(con, RECIDIVE, "2023", ["recidive"])
    # c7 returns on end + 365 (counts), c8 on end + 366 (not), c9's death is excluded: 1 / 2
    verwacht(uit, "recidive", [{"waarde": "0.5", "teller": 1, "noemer": 2, "voorlopig": False}])


@golden("afschaling")
def test_afschaling_binnen_90_dagen(con: duckdb.DuckDBPyConnection) -> None:
    uit = _voor(con, AFSCHALING, "2023", ["afschaling", "uitstroom"])
    # the GWV traject (zwaarte 3) is followed after 31 days by IAJ (zwaarte 1)
    verwacht(uit, "afschaling", [{"waarde": 1, "teller": 1, "noemer": 1}])
    verwacht(uit, "uitstroom", [{"waarde": 1}])


@golden("zorgdagen", "uitstroom")
def test_overlappende_toewijzingen_een_keer(con: duckdb.DuckDBPyConnection) -> None:
    uit = _voor(con, OVERLAP, "2023", ["zorgdagen", "uitstroom", "doorlooptijd"])
    # 1-1..14-2 = 31 + 14 = 45 days, not 31 + 31 = 62
    verwacht(uit, "zorgdagen", [{"waarde": 45, "n": 1}])
    rijen = eenheden(con, "zorgdagen", "2023", Filters(aanbieder=OVERLAP))
    assert rijen["dagen"].to_list() == [45]  # one merged interval behind the figure
    # the two toewijzingen chain into one traject of 45 days
    verwacht(uit, "uitstroom", [{"waarde": 1}])
    verwacht(uit, "doorlooptijd", [{"waarde": 45}])


@golden("tijdig_305")
def test_305_vijfde_en_zesde_werkdag_na_feestdag(con: duckdb.DuckDBPyConnection) -> None:
    uit = _voor(con, TIJDIG, "2023-Q2", ["tijdig_305"])
    verwacht(uit, "tijdig_305", [{"waarde": "0.5", "teller": 1, "noemer": 2}])


@golden("instroom", "doorlooptijd", "recidive")
def test_lege_filter_gemeente_zonder_data(con: duckdb.DuckDBPyConnection) -> None:
    uit = bereken(con, "2023", filters=Filters(gemeente="0294"))  # Winterswijk: no data
    verwacht(uit, "instroom", [{"waarde": 0, "n": 0}])
    verwacht(uit, "doorlooptijd", [{"waarde": None, "n": 0, "stoplicht": "grijs"}])
    verwacht(uit, "recidive", [{"waarde": None, "n": 0}])
    # no data: grey everywhere, except quarantaine where 0 rejected rows is a real (good) answer
    assert set(uit.filter(pl.col("kpi") != "quarantaine")["stoplicht"]) == {"grijs"}
    verwacht(uit, "quarantaine", [{"waarde": 0, "stoplicht": "groen"}])
    per = bereken(con, "2023", per=["aanbieder"], filters=Filters(gemeente="0294"))
    assert per.height == 0


@golden("instroom", "zorgdagen", "doorlooptijd")
def test_periode_zonder_data(con: duckdb.DuckDBPyConnection) -> None:
    uit = bereken(con, "2019", kpis=["instroom", "zorgdagen", "doorlooptijd", "tijdig_305"])
    assert uit.filter(pl.col("kpi") != "doorlooptijd")["waarde"].to_list() == [0, 0, None]
    assert enkel(uit, "doorlooptijd")["waarde"] is None
    assert set(uit["n"]) == {0}


def test_hele_regio(con: duckdb.DuckDBPyConnection) -> None:
    uit = bereken(con, "2023", peildatum=date(2024, 12, 31))
    # every KPI whose inputs exist has a row; money KPIs need finance tables (absent here)
    zonder_geld = {"benutting", "zorgkosten", "voorschot", "saldo_afrekening", "realisatie"}
    assert not zonder_geld & set(uit["kpi"])
    redenen = niet_berekenbaar(con)
    assert redenen["voorschot"] == "tabel voorschotten of contracten is leeg"
    assert zonder_geld <= set(redenen) and "instroom" not in redenen
    assert enkel(uit, "uitstroom")["waarde"] == sum(
        enkel(_voor(con, a, "2023", ["uitstroom"]), "uitstroom")["waarde"]
        for a in (ZONDER_STOP, STOP_VOOR_START, CONVERSIE, RECIDIVE, AFSCHALING, OVERLAP, TIJDIG)
    )
