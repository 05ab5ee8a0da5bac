"""Invariants: parts add up to the whole, shares and medians are never averaged, exact money."""

import random
from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi.berekening import bereken, reeks
from kpi.functies import hoeveelheid_en_prijs
from tests.kpi_fixtures import Warehouse, golden, verwacht

ADDITIEF = ("instroom", "uitstroom", "zorgdagen", "zorgkosten", "voorschot", "saldo_afrekening")
AANBIEDERS = ("11111111", "22222222", "33333333")
GEMEENTEN = ("0197", "1859", "0222")


@pytest.fixture(scope="module")
def gemengd() -> Warehouse:
    """A seeded random warehouse over three aanbieders, three gemeenten and two subsegments."""
    rnd = random.Random(20230701)
    w = Warehouse(peildatum="2024-03-31")
    for a in AANBIEDERS:
        for g in GEMEENTEN:
            for sub in ("IAJ-A", "IAJ-B"):
                plekken = rnd.choice([1, 2.5, 4])
                plek = {"aanbieder": a, "gemeente": g, "subsegment": sub}
                w.contract("2023-01-01", "2023-12-31", plekken, "1234.56", **plek)
        w.voorschot("2023-03-01", "777.77", aanbieder=a, gemeente=GEMEENTEN[0])
    for i in range(120):
        begin = date(2022, 10, 1) + timedelta(days=rnd.randrange(400))
        eind = None if rnd.random() < 0.2 else begin + timedelta(days=rnd.randrange(200))
        w.traject(
            f"c{i % 70}",
            begin,
            eind,
            reden=rnd.choice(["31", "32", "02", "20"]),
            aanbieder=rnd.choice(AANBIEDERS),
            gemeente=rnd.choice(GEMEENTEN),
            subsegment=rnd.choice(["IAJ-A", "IAJ-B"]),
        )
    return w


@pytest.mark.parametrize("periode", ["2023", "2023-Q2", "2023-02"])
@pytest.mark.parametrize("dimensie", ["aanbieder", "gemeente", "subsegment"])
def test_additieve_kpis_tellen_op(gemengd: Warehouse, periode: str, dimensie: str) -> None:
    regio = bereken(gemengd.con, periode, kpis=ADDITIEF)
    delen = bereken(gemengd.con, periode, kpis=ADDITIEF, per=[dimensie])
    for kpi in ADDITIEF:
        totaal = regio.filter(pl.col("kpi") == kpi)["waarde"].item()
        som = delen.filter(pl.col("kpi") == kpi)["waarde"].sum()
        assert som == totaal, (kpi, dimensie)
        assert totaal != 0 or kpi == "saldo_afrekening"


def test_maandreeks_telt_op_tot_jaar(gemengd: Warehouse) -> None:
    jaar = bereken(gemengd.con, "2023", kpis=["zorgdagen", "zorgkosten", "voorschot"])
    maanden = reeks(gemengd.con, "2023", kpis=["zorgdagen", "zorgkosten", "voorschot"])
    for kpi in ("zorgdagen", "zorgkosten", "voorschot"):
        assert (
            maanden.filter(pl.col("kpi") == kpi)["waarde"].sum()
            == jaar.filter(pl.col("kpi") == kpi)["waarde"].item()
        )


@golden("doorlooptijd", "uitstroom_volgens_plan", "wachttijd")
def test_mediaan_en_aandeel_zijn_geen_gemiddelde_van_groepen() -> None:
    w = Warehouse()
    a, b = "11111111", "22222222"
    # A: durations 10, 20, 30 (median 20), all volgens plan; B: 100 (median 100), voortijdig
    w.traject("a1", "2023-01-01", "2023-01-10", aanbieder=a)
    w.traject("a2", "2023-01-01", "2023-01-20", aanbieder=a)
    w.traject("a3", "2023-01-01", "2023-01-30", aanbieder=a, wacht_ingangsdatum="2022-12-02")
    w.traject("b1", "2023-01-01", "2023-04-10", aanbieder=b, reden="32")
    regio = w.bereken("2023", kpis=["doorlooptijd", "uitstroom_volgens_plan", "wachttijd"])
    per = w.bereken("2023", kpis=["doorlooptijd", "uitstroom_volgens_plan"], per=["aanbieder"])
    verwacht(per, "doorlooptijd", [{"aanbieder": a, "waarde": 20}, {"aanbieder": b, "waarde": 100}])
    # region median of [10, 20, 30, 100] = 25; the mean of the group medians would be 60
    verwacht(regio, "doorlooptijd", [{"waarde": 25}])
    # volgens plan: A 3/3, B 0/1; region 3/4 = 0,75, not (1 + 0) / 2 = 0,5
    verwacht(regio, "uitstroom_volgens_plan", [{"waarde": "0.75"}])
    # wachttijd [0, 0, 0, 30] -> median 0
    verwacht(regio, "wachttijd", [{"waarde": 0}])


@given(
    real=st.decimals(min_value=0, max_value=10**9, places=2),
    clienten=st.integers(min_value=0, max_value=10**6),
    target_clienten=st.decimals(min_value=0, max_value=10**6, places=1),
    kn=st.decimals(min_value=0, max_value=10**5, places=2),
)
def test_hoeveelheid_plus_prijs_is_verschil_exact(
    real: Decimal, clienten: int, target_clienten: Decimal, kn: Decimal
) -> None:
    hoeveelheid, prijs = hoeveelheid_en_prijs(real, clienten, target_clienten, kn)
    assert hoeveelheid + prijs == real - target_clienten * kn


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_exact_in_de_engine_met_lastige_getallen() -> None:
    w = Warehouse(peildatum="2024-01-31")
    w.begroting("IAJ", 2023, gemeente="0197", target_clienten=9.5, kosten_per_client="3.33")
    w.begroting("IAJ", 2023, gemeente="1859", target_clienten=3, kosten_per_client="7.01")
    for i in range(7):
        w.interval(f"c{i}", "2023-05-01", "2023-05-01", gemeente="0197")
    w.interval("d1", "2023-05-01", "2023-05-01", gemeente="1859")
    w.uitgave("2023-05-01", "100.01", gemeente="0197")
    w.uitgave("2023-05-02", "0.03", gemeente="1859")
    uit = w.bereken("2023", kpis=["hoeveelheidsverschil", "prijsverschil"], per=["gemeente"])
    # Aalten: (7 - 9,5) x 3,33 = -8,325; 100,01 - 3,33 x 7 = 76,70; target 9,5 x 3,33 = 31,635
    # Berkelland: (1 - 3) x 7,01 = -14,02; 0,03 - 7,01 x 1 = -6,98; target 21,03
    verwacht(
        uit,
        "hoeveelheidsverschil",
        [
            {"gemeente": "0197", "waarde": "-8.325", "noemer": "31.635"},
            {"gemeente": "1859", "waarde": "-14.02", "noemer": "21.03"},
        ],
    )
    verwacht(
        uit,
        "prijsverschil",
        [{"gemeente": "0197", "waarde": "76.70"}, {"gemeente": "1859", "waarde": "-6.98"}],
    )
    regio = w.bereken("2023", kpis=["hoeveelheidsverschil", "prijsverschil"])
    hv, pv = regio["waarde"].to_list()
    teller, noemer = regio["teller"][0], regio["noemer"][0]
    assert hv + pv == teller - noemer  # -22,345 + 69,72 = 100,04 - 52,665 = 47,375
