"""Golden tests for the money KPIs, with the worked examples of the seeds."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import polars as pl

from kpi.bereken import reeks
from kpi.filters import Filters
from kpi.functies import hoeveelheid_en_prijs
from tests.kpi_fixtures import Warehouse, dec, enkel, golden, verwacht
from weergave import formaat

BERKELLAND, AALTEN = "1859", "0197"
B = "22222222"


def _afrekening_seeds() -> Warehouse:
    w = Warehouse(peildatum="2024-01-31")
    # 10 places of EUR 1.460 a year in 2023 (365 days): dagprijs 1460 / 365 = EUR 4
    w.contract("2023-01-01", "2023-12-31", 10, "1460")
    # 12 clients with 300 care days each, 1-1..27-10 (31+28+31+30+31+30+31+31+30+27 = 300)
    for i in range(12):
        w.interval(f"c{i}", "2023-01-01", "2023-10-27")
    return w


@golden("voorschot", "zorgkosten", "saldo_afrekening", "benutting")
def test_afrekening_uit_de_seeds() -> None:
    uit = _afrekening_seeds().bereken("2023")
    # voorschot 10 x 1460 x 365 / 365 = 14.600
    verwacht(uit, "voorschot", [{"waarde": 14600}])
    # 12 x 300 = 3.600 zorgdagen x EUR 4 = 14.400
    verwacht(uit, "zorgkosten", [{"waarde": 14400}])
    # saldo 14.600 - 14.400 = 200 (the provider pays back)
    verwacht(uit, "saldo_afrekening", [{"waarde": 200, "teller": 14600, "noemer": 14400}])
    # benutting 3.600 / (10 x 365) = 0,98630...: inside the groen band 90-105 %
    verwacht(
        uit,
        "benutting",
        [{"waarde": Fraction(3600, 3650), "teller": 3600, "noemer": 3650, "stoplicht": "groen"}],
    )
    assert formaat.euro(enkel(uit, "saldo_afrekening")["waarde"]) == "€ 200,00"


@golden("voorschot", "zorgkosten")
def test_berkelland() -> None:
    w = Warehouse(peildatum="2024-01-31")
    # Berkelland buys 45 places at EUR 14.600: EUR 657.000 a year, EUR 40 a client a day
    w.contract("2023-01-01", "2023-12-31", 45, "14600", gemeente=BERKELLAND)
    w.interval("c1", "2023-02-01", "2023-02-10", gemeente=BERKELLAND)  # 10 days
    verwacht(w.bereken("2023", kpis=["voorschot"]), "voorschot", [{"waarde": 657000}])
    februari = w.bereken("2023-02", kpis=["voorschot", "zorgkosten"])
    # February: 45 x 14600 x 28 / 365 = 45 x 40 x 28 = 50.400; care 10 x 40 = 400
    verwacht(februari, "voorschot", [{"waarde": 50400}])
    verwacht(februari, "zorgkosten", [{"waarde": 400}])


@golden("voorschot")
def test_voorschot_uit_voorschotten_en_naar_rato() -> None:
    w = Warehouse(peildatum="2024-01-31")
    w.contract("2023-01-01", "2023-12-31", 45, "14600")
    w.voorschot("2023-01-01", "50000")  # January paid: replaces 45 x 40 x 31 = 55.800
    # year: 657.000 - 55.800 + 50.000 = 651.200
    verwacht(w.bereken("2023", kpis=["voorschot"]), "voorschot", [{"waarde": 651200}])
    # 1..15 January: 50.000 x 15 / 31 = 24.193,548... -> 24.193,55
    half = w.bereken("2023-01-01..2023-01-15", kpis=["voorschot"])
    verwacht(half, "voorschot", [{"waarde": "24193.55"}])


@golden("voorschot")
def test_voorschot_exacte_centen() -> None:
    w = Warehouse(peildatum="2024-01-31")
    # 1,825 places x EUR 1,00 x 1 day / 365 = 0,005 exactly -> half up: EUR 0,01
    # (in binary floating point 1.825 / 365 is just below 0.005 and would round to 0,00)
    w.contract("2023-01-01", "2023-12-31", 1.825, "1.00")
    uit = w.bereken("2023-03-01..2023-03-01", kpis=["voorschot"])
    verwacht(uit, "voorschot", [{"waarde": "0.01"}])


@golden("benutting", "zorgkosten", "saldo_afrekening")
def test_benutting_tot_peildatum_per_contract() -> None:
    w = Warehouse(peildatum="2023-06-30")
    w.contract("2023-01-01", "2023-12-31", 2, "3650", subsegment="IAJ-A")  # dagprijs EUR 10
    w.contract("2023-04-01", "2023-12-31", 1, "730", subsegment="IAJ-B")  # dagprijs EUR 2
    w.interval("c1", "2023-01-01")  # open: 181 days to 30-6 in IAJ-A
    w.interval("c2", "2023-05-01", "2023-05-31", subsegment="IAJ-B")  # 31 days in IAJ-B
    w.interval("c3", "2023-01-01", "2023-01-31", subsegment="IAJ-C")  # no contract: no cost
    uit = w.bereken("2023", kpis=["benutting", "zorgkosten", "saldo_afrekening"])
    # IAJ-A: 181 / (2 x 181); IAJ-B: 31 / (1 x 91 days 1-4..30-6); together 212 / 453
    verwacht(
        uit,
        "benutting",
        [{"waarde": Fraction(212, 453), "teller": 212, "noemer": 453, "voorlopig": True}],
    )
    # 181 x 10 + 31 x 2 = 1.872
    verwacht(uit, "zorgkosten", [{"waarde": 1872}])
    # voorschot to the peildatum: 2 x 10 x 181 + 1 x 2 x 91 = 3.802; saldo 3.802 - 1.872
    verwacht(uit, "saldo_afrekening", [{"waarde": 1930, "teller": 3802, "noemer": 1872}])


@golden("saldo_afrekening")
def test_saldo_telt_geen_voorschot_na_de_peildatum() -> None:
    w = Warehouse(peildatum="2023-01-10")
    w.contract("2023-01-01", "2023-12-31", 1, "3650")  # dagprijs EUR 10
    w.voorschot("2023-01-01", "310")  # January paid: EUR 10 a day
    w.interval("c1", "2023-01-01")  # open: care to the peildatum, 10 days
    # to the peildatum: voorschot 310 x 10 / 31 = 100, zorgkosten 10 x 10 = 100: saldo 0
    januari = w.bereken("2023-01", kpis=["saldo_afrekening"])
    verwacht(januari, "saldo_afrekening", [{"waarde": 0, "teller": 100, "noemer": 100}])
    # a period that starts after the peildatum: no voorschot and no care counted yet
    later = w.bereken("2023-01-20..2023-01-31", kpis=["saldo_afrekening"])
    verwacht(later, "saldo_afrekening", [{"waarde": 0, "teller": 0, "noemer": 0}])
    maart = w.bereken("2023-03", kpis=["saldo_afrekening"])
    verwacht(maart, "saldo_afrekening", [{"waarde": 0, "teller": 0, "noemer": 0}])


@golden("zorgkosten", "benutting", "saldo_afrekening")
def test_zorg_die_na_de_peildatum_begint_telt_nog_niet() -> None:
    w = Warehouse(peildatum="2023-01-10")
    w.contract("2023-01-01", "2023-12-31", 1, "3650")  # dagprijs EUR 10
    w.interval("c1", "2023-01-05")  # open: 6 days to the peildatum
    w.interval("c2", "2023-01-20")  # begins after the peildatum: no care day yet
    uit = w.bereken("2023-01", kpis=["zorgkosten", "benutting", "saldo_afrekening"])
    verwacht(uit, "zorgkosten", [{"waarde": 60}])
    # 6 care days against 1 place x 10 days to the peildatum
    verwacht(uit, "benutting", [{"waarde": Fraction(6, 10), "teller": 6, "noemer": 10}])
    # voorschot to the peildatum 1 x 10 x 10 = 100, minus 60
    verwacht(uit, "saldo_afrekening", [{"waarde": 40, "teller": 100, "noemer": 60}])


def _prognose(budget: str) -> Warehouse:
    w = Warehouse(peildatum="2021-05-10")
    w.begroting("IAJ", 2021, bedrag=budget)
    # REALISATIE 2021 cumulative 4500 9500 14300 19000: monthly 4500, 5000, 4800, 4700
    for maand, bedrag in ((1, "4500"), (2, "5000"), (3, "4800"), (4, "4700")):
        w.uitgave(date(2021, maand, 15), bedrag)
    # 2020: 4869 a month in January and February (cumulative 4869, 9738)
    w.uitgave("2020-01-20", "4869")
    w.uitgave("2020-02-20", "4869")
    return w


PROGNOSE_SEEDS = [4820, 9639, 14459, 19278, 24098, 28917, 33737, 38557, 43376, 48196, 53015, 57835]


@golden("realisatie")
def test_lineaire_prognose_uit_de_seeds() -> None:
    w = _prognose("57835")
    maanden = reeks(w.con, "2021", kpis=["realisatie"], peildatum=date(2021, 12, 31))
    noemers = maanden["noemer"].to_list()
    # plan month M = 57835 x M / 12; the seeds' rounded row matches within half a unit
    for m, (noemer, seed) in enumerate(zip(noemers, PROGNOSE_SEEDS, strict=True), start=1):
        assert noemer == dec(Fraction(57835 * m, 12))
        assert abs(noemer - seed) <= Decimal("0.5")
    # every month but June rounds to the seeds' figure; June is exactly 28917,5
    assert noemers[5] == Decimal("28917.5")
    afgerond = [formaat.getal(x) for x in noemers]
    assert afgerond[:5] + afgerond[6:] == [
        formaat.getal(x) for x in PROGNOSE_SEEDS[:5] + PROGNOSE_SEEDS[6:]
    ]


@golden("realisatie")
def test_prognose_seeds_exact_met_budget_net_onder_57835() -> None:
    # The seeds' June (28917, not 28918) shows the real budget lay just below 57835, e.g.
    # 57834,80: then all twelve rounded figures match (June 28917,40 -> 28917).
    w = _prognose("57834.80")
    maanden = reeks(w.con, "2021", kpis=["realisatie"], peildatum=date(2021, 12, 31))
    assert [formaat.getal(x) for x in maanden["noemer"]] == [
        formaat.getal(x) for x in PROGNOSE_SEEDS
    ]


@golden("realisatie", "realisatie_vorig_jaar", "jaarverwachting")
def test_realisatie_en_jaarverwachting_tot_april() -> None:
    w = _prognose("57835")
    uit = w.bereken("2021-04", kpis=["realisatie", "realisatie_vorig_jaar", "jaarverwachting"])
    # to April: realisation 19.000 against plan 57.835 x 4 / 12 = 19.278,33...
    verwacht(
        uit,
        "realisatie",
        [
            {
                "waarde": Fraction(19000 * 12, 57835 * 4),
                "teller": 19000,
                "noemer": Fraction(57835, 3),
            }
        ],
    )
    # last year to 30-4-2020: 4.869 + 4.869 = 9.738
    verwacht(uit, "realisatie_vorig_jaar", [{"waarde": 9738}])
    # peildatum 10-5: April is the last complete month. Average of Feb-Apr
    # (5000 + 4800 + 4700) / 3 = 4.833,33; outlook 19.000 + 8 x 4.833,33 = 57.666,67
    rij = enkel(uit, "jaarverwachting")
    assert formaat.euro(rij["teller"]) == "€ 57.666,67"
    assert rij["noemer"] == dec(57835)
    assert abs(Fraction(rij["waarde"]) - Fraction(173000, 3 * 57835)) < Fraction(1, 10**9)


@golden("jaarverwachting")
def test_jaarverwachting_met_minder_dan_drie_maanden() -> None:
    w = _prognose("57835")
    uit = w.bereken("2021-02", kpis=["jaarverwachting"], peildatum=date(2021, 2, 28))
    # two complete months: 9.500 + 10 x (9.500 / 2) = 57.000
    assert enkel(uit, "jaarverwachting")["teller"] == dec(57000)
    # no complete month yet: no outlook (no value, grey), not an outlook of 0
    leeg = w.bereken("2021-01", kpis=["jaarverwachting"], peildatum=date(2021, 1, 30))
    verwacht(leeg, "jaarverwachting", [{"waarde": None, "teller": 0, "stoplicht": "grijs"}])


@golden("realisatie")
def test_maandprognose_en_begroting_per_gemeente() -> None:
    w = Warehouse(peildatum="2023-12-31")
    # Aalten has its own (non-linear) monthly plan; the region row then is not used for IAJ
    w.begroting("IAJ", 2023, bedrag="99999")
    w.begroting("IAJ", 2023, gemeente=AALTEN, bedrag="1200")
    w.begroting("IAJ", 2023, gemeente=AALTEN, maand="2023-03-01", prognose_cumulatief="500")
    w.begroting("IAJ", 2023, gemeente=BERKELLAND, bedrag="2400")
    w.uitgave("2023-02-01", "250", gemeente=AALTEN)
    w.uitgave("2023-03-01", "600", gemeente=BERKELLAND)
    uit = w.bereken("2023-03", kpis=["realisatie"], per=["gemeente"])
    # Aalten: 250 / 500 (monthly plan); Berkelland: 600 / (2400 x 3 / 12 = 600)
    verwacht(
        uit,
        "realisatie",
        [
            {"gemeente": AALTEN, "waarde": "0.5", "noemer": 500},
            {"gemeente": BERKELLAND, "waarde": 1, "noemer": 600},
        ],
    )
    # region: (250 + 600) / (500 + 600), not the region row's 99.999
    verwacht(w.bereken("2023-03", kpis=["realisatie"]), "realisatie", [{"noemer": 1100}])


def test_hoeveelheid_en_prijs_seeds_rekenregel() -> None:
    # target 550 clients at KN 2,10 = 1.155; real 475 clients at KN 2,20 = 1.045 (thousands)
    hoeveelheid, prijs = hoeveelheid_en_prijs(Decimal("1045"), 475, Decimal(550), Decimal("2.10"))
    assert hoeveelheid == Decimal("-157.50")  # (475 - 550) x 2,10
    assert prijs == Decimal("47.50")  # (2,20 - 2,10) x 475
    assert hoeveelheid + prijs == Decimal("-110")  # 1.045 - 1.155


@golden("hoeveelheidsverschil", "prijsverschil")
def test_hoeveelheids_en_prijsverschil_seeds() -> None:
    w = Warehouse(peildatum="2024-01-31")
    w.product("45A01", "IAJ-A", segment="IAJ")
    w.begroting("IAJ", 2023, target_clienten=550, kosten_per_client="2.10")
    for i in range(475):  # 475 distinct clients with a zorgdag in 2023
        w.interval(f"c{i}", "2023-03-01", "2023-03-02")
    w.interval("oud", "2022-01-01", "2022-12-31")  # no zorgdag in 2023: not a client
    w.uitgave("2023-06-30", "1000")
    w.uitgave("2023-09-30", "45")  # real spending 1.045
    uit = w.bereken("2023", kpis=["hoeveelheidsverschil", "prijsverschil"])
    verwacht(
        uit,
        "hoeveelheidsverschil",
        [{"domein": None, "waarde": "-157.50", "teller": 1045, "noemer": 1155}],
    )
    verwacht(uit, "prijsverschil", [{"waarde": "47.50", "teller": 1045, "noemer": 1155}])
    per_domein = w.bereken("2023", kpis=["prijsverschil"], per=["domein"])
    verwacht(per_domein, "prijsverschil", [{"domein": "jeugd", "waarde": "47.50"}])


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_zonder_target_voor_aanbieder() -> None:
    w = Warehouse(peildatum="2024-01-31")
    w.begroting("IAJ", 2023, target_clienten=1, kosten_per_client="10")
    w.interval("c1", "2023-03-01", "2023-03-02")
    w.uitgave("2023-06-30", "15")
    # targets exist per segment only: filtering an aanbieder leaves nothing to decompose
    uit = w.bereken("2023", kpis=["hoeveelheidsverschil"], filters=Filters(aanbieder="11111111"))
    verwacht(uit, "hoeveelheidsverschil", [{"waarde": 0, "n": 0, "stoplicht": "grijs"}])


@golden("zorgkosten", "realisatie")
def test_lumpsum_uitgaven_zonder_uitgaventabel() -> None:
    w = Warehouse(peildatum="2023-12-31")
    w.begroting("IAJ", 2023, bedrag="3650")
    w.contract("2023-01-01", "2023-12-31", 1, "3650")  # dagprijs 10
    w.interval("c1", "2023-01-01", "2023-01-31")  # 31 days -> 310
    uit = w.bereken("2023-01", kpis=["realisatie", "zorgkosten"])
    # without uitgaven, spending is the lumpsum cost: 310 against a plan of 3650 / 12
    verwacht(uit, "realisatie", [{"teller": 310, "noemer": Fraction(3650, 12)}])
    verwacht(uit, "zorgkosten", [{"waarde": 310}])
    assert uit.filter(pl.col("kpi") == "zorgkosten")["n"].to_list() == [1]
