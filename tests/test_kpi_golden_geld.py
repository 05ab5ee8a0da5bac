"""Golden tests for the money KPIs, with the worked examples of the seeds."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import polars as pl

from kpi.berekening import niet_berekend, reeks
from kpi.filters import Filters
from kpi.functies import hoeveelheid_en_prijs
from kpi.periode import Periode
from kpi.registry import laad_registry
from tests.kpi_fixtures import ROOT, Warehouse, dec, enkel, golden, verwacht
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
def test_afgeleid_voorschot_per_dag_niet_per_maand() -> None:
    w = Warehouse(peildatum="2024-06-30")
    # no voorschotten: plekken x plekprijs x days / 365 (not a twelfth a month). 10 places of
    # EUR 3.650: EUR 100 a day. The contract year 2023/24 has 366 days (29-2-2024): 36.600,
    # 366/365 of a year's 36.500; February 2024 29 days: 2.900, not 36.500 / 12 = 3.041,67
    w.contract("2023-07-01", "2024-06-30", 10, "3650")
    verwacht(w.bereken("cj2023", kpis=["voorschot"]), "voorschot", [{"waarde": 36600}])
    verwacht(w.bereken("2024-02", kpis=["voorschot"]), "voorschot", [{"waarde": 2900}])
    # the README and the definition say the same
    leesmij = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "plekken × plekprijs × dagen / 365" in leesmij
    definitie = laad_registry()["voorschot"].definitie
    assert "plekken × plekprijs × dagen / 365" in definitie


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
    # money in cents: the outlook 57.666,666... rounds to 57.666,67, and the value is that
    # teller over the budget
    rij = enkel(uit, "jaarverwachting")
    assert rij["teller"] == Decimal("57666.67")
    assert formaat.euro(rij["teller"]) == "€ 57.666,67"
    assert rij["noemer"] == dec(57835)
    assert rij["waarde"] == dec(Fraction(5766667, 100 * 57835))


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
    # targets exist per segment only: filtering an aanbieder leaves nothing to decompose, so
    # no figure (not a 0 over no budget cell), and the reason (issue 20 review)
    filters = Filters(aanbieder="11111111")
    assert w.bereken("2023", kpis=["hoeveelheidsverschil"], filters=filters).is_empty()
    assert niet_berekend(w.con, [Periode.jaar(2023)], (), ["hoeveelheidsverschil"],
                         filters=filters)[0][2].startswith("Niet berekend per aanbieder")  # fmt: skip


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


# ---------------------------------------------------------------- variance for part of a year
def _verschil_2023(peildatum: str) -> Warehouse:
    w = Warehouse(peildatum=peildatum)
    # IAJ: linear plan. Target 10 clients x 120 = 1.200 (the budget)
    w.begroting("IAJ", 2023, bedrag="1200", target_clienten=10, kosten_per_client="120")
    # GWV: a monthly prognose (June 300, December 1.000); target 5 clients x 200 = 1.000
    w.begroting("GWV", 2023, bedrag="1000", target_clienten=5, kosten_per_client="200")
    w.begroting("GWV", 2023, maand="2023-06-01", prognose_cumulatief="300")
    w.begroting("GWV", 2023, maand="2023-12-01", prognose_cumulatief="1000")
    # IAJ: 8 clients with a zorgdag in January-June, one more from 1 August
    for i in range(8):
        w.interval(f"i{i}", "2023-02-01", "2023-02-28")
    w.interval("i8", "2023-08-01", "2023-08-31")
    w.uitgave("2023-03-31", "500")
    w.uitgave("2023-06-30", "60")  # IAJ to 30-6: 560
    w.uitgave("2023-07-15", "100")  # after the peildatum of 30-6
    # GWV: 4 clients, 320 to 30-6
    for i in range(4):
        w.interval(f"g{i}", "2023-01-01", "2023-01-10", segment="GWV", subsegment="GWV-A")
    w.uitgave("2023-04-30", "320", segment="GWV")
    return w


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_tot_de_peildatum() -> None:
    w = _verschil_2023("2023-06-30")
    # 2023 with the peildatum 30-6: year to date, January-June, against the target of those
    # months with the year's target clients.
    # IAJ (linear): target 1.200 x 6/12 = 600, KN target 600 / 10 = 60; 8 clients, 560:
    #   hoeveelheid (8 - 10) x 60 = -120, prijs 560 - 60 x 8 = 80; together -40 = 560 - 600
    # GWV (prognose): target 1.000 x 300 / 1.000 = 300, KN 300 / 5 = 60; 4 clients, 320:
    #   hoeveelheid (4 - 5) x 60 = -60, prijs 320 - 60 x 4 = 80; together 20 = 320 - 300
    for periode in ("2023", "2023-01-01..2023-06-30", "2023-01-01..2023-09-30"):
        uit = w.bereken(periode, kpis=["hoeveelheidsverschil", "prijsverschil"], per=["segment"])
        verwacht(
            uit,
            "hoeveelheidsverschil",
            [
                {"segment": "GWV", "waarde": -60, "teller": 320, "noemer": 300},
                {"segment": "IAJ", "waarde": -120, "teller": 560, "noemer": 600},
            ],
        )
        verwacht(
            uit,
            "prijsverschil",
            [{"segment": "GWV", "waarde": 80}, {"segment": "IAJ", "waarde": 80}],
        )
    # the peildatum mid-month (15-6): the complete months, January-May. IAJ: target 1.200 x
    # 5/12 = 500, KN 50; the 8 clients and 500 of spending lie before 31-5:
    # hoeveelheid (8 - 10) x 50 = -100, prijs 500 - 50 x 8 = 100
    mei = _verschil_2023("2023-06-15").bereken(
        "2023", kpis=["hoeveelheidsverschil", "prijsverschil"], filters=Filters(segment="IAJ")
    )
    verwacht(mei, "hoeveelheidsverschil", [{"waarde": -100, "teller": 500, "noemer": 500}])
    verwacht(mei, "prijsverschil", [{"waarde": 100}])


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_niet_voor_kwartaal_of_contractjaar() -> None:
    from kpi.berekening import niet_berekend
    from kpi.periode import Periode

    w = _verschil_2023("2023-12-31")
    kpis = ["hoeveelheidsverschil", "prijsverschil"]
    regel = (
        "de targets in de begroting gelden per begrotingsjaar (kalenderjaar); het verschil "
        "wordt berekend voor een heel kalenderjaar, of voor het lopende jaar tot de peildatum."
    )
    # a quarter's spending (IAJ Q1: 500) against the year's target (1.200) would give a
    # meaningless prijsverschil: no split, and the reason
    gevallen = {
        "2023-Q1": f"Niet berekend voor Q1 2023: {regel}",
        "cj2022": f"Niet berekend voor contractjaar 2022/23: die valt in twee begrotingsjaren en {regel}",
        # a part of the year that is not the year to date at the peildatum (31-12)
        "2023-01-01..2023-06-30": f"Niet berekend voor 01-01-2023 t/m 30-06-2023: {regel}",
        "2022": "Niet berekend: de begroting 2022 heeft geen targets (target cliënten en kosten per cliënt).",
        "2024": "Niet berekend voor 2024: de periode begint na de peildatum (31-12-2023).",
    }  # fmt: skip
    for periode, reden in gevallen.items():
        assert w.bereken(periode, kpis=kpis).is_empty(), periode
        p = Periode.parse(periode)
        assert niet_berekend(w.con, [p], kpis=kpis) == [(k, p, reden) for k in kpis]
    # the whole year is computed (IAJ: 9 clients, 660 against 1.200)
    jaar = w.bereken("2023", kpis=["hoeveelheidsverschil"], filters=Filters(segment="IAJ"))
    verwacht(jaar, "hoeveelheidsverschil", [{"waarde": -120, "teller": 660, "noemer": 1200}])
    assert niet_berekend(w.con, [Periode.jaar(2023)], kpis=kpis) == []


# ---------------------------------------------------------------- realisatie per contractjaar
def _contractjaar_begroting() -> Warehouse:
    w = Warehouse(peildatum="2024-06-30")
    # 2023: budget 1.200, linear: July-December 600
    w.begroting("IAJ", 2023, bedrag="1200")
    # 2024: budget 1.400 with a monthly prognose; June 500
    w.begroting("IAJ", 2024, bedrag="1400")
    for maand, plan in enumerate(("50", "100", "200", "300", "400", "500"), start=1):
        w.begroting("IAJ", 2024, maand=f"2024-{maand:02d}-01", prognose_cumulatief=plan)
    w.begroting("IAJ", 2024, maand="2024-12-01", prognose_cumulatief="1400")
    w.uitgave("2022-09-30", "200")  # contract year 2022/23
    w.uitgave("2023-05-31", "1000")  # contract year 2022/23
    w.uitgave("2023-08-31", "300")
    w.uitgave("2023-12-31", "400")
    w.uitgave("2024-03-31", "250")  # 2023/24: 300 + 400 + 250 = 950
    return w


@golden("realisatie", "realisatie_vorig_jaar", "jaarverwachting")
def test_realisatie_over_het_contractjaar() -> None:
    w = _contractjaar_begroting()
    uit = w.bereken("cj2023", kpis=["realisatie", "realisatie_vorig_jaar", "jaarverwachting"])
    # cj2023 = 1-7-2023..30-6-2024: spending 950 against the plan of those twelve months, each
    # begrotingsjaar with its own: 2023 July-December 1.200 x 6/12 = 600, 2024 January-June
    # from the prognose 500: 1.100 (not 2024 alone: 250 against 500)
    verwacht(uit, "realisatie", [{"waarde": Fraction(950, 1100), "teller": 950, "noemer": 1100}])
    # last year: contract year 2022/23 to 30-6-2023: 200 + 1.000
    verwacht(uit, "realisatie_vorig_jaar", [{"waarde": 1200}])
    # the contract year is complete at the peildatum: the outlook is what was spent, against
    # the plan of the twelve months
    verwacht(uit, "jaarverwachting", [{"teller": 950, "noemer": 1100}])


def test_uitgavenreeks_per_maand_van_het_contractjaar() -> None:
    from kpi.financien import uitgavenreeks

    w = _contractjaar_begroting()
    reeks_ = uitgavenreeks(w.con, "cj2023")
    assert reeks_.planjaar.label == "contractjaar 2023/24"
    maanden = reeks_.maanden
    assert maanden["maand"].to_list()[0] == date(2023, 7, 1)
    assert maanden["maand"].to_list()[-1] == date(2024, 6, 1)
    # cumulative from 1 July: Aug 300, Dec 700, Mar 950
    assert maanden["realisatie"].to_list() == [dec(x) for x in
        (0, 300, 300, 300, 300, 700, 700, 700, 950, 950, 950, 950)]  # fmt: skip
    # plan: 100 a month in 2023 (1.200 / 12), then 600 + the 2024 prognose
    assert maanden["prognose"].to_list() == [dec(x) for x in
        (100, 200, 300, 400, 500, 600, 650, 700, 800, 900, 1000, 1100)]  # fmt: skip
    # last year from 1-7-2022: September 200, May 1.200
    assert maanden["vorig_jaar"].to_list() == [dec(x) for x in
        (0, 0, 200, 200, 200, 200, 200, 200, 200, 200, 1200, 1200)]  # fmt: skip
    assert reeks_.verwachting == dec(950) and reeks_.redenen == {}
    # the twelfth month is the KPI of the contract year
    kpi = enkel(w.bereken("cj2023", kpis=["realisatie"]), "realisatie")
    assert (kpi["teller"], kpi["noemer"]) == (maanden["realisatie"][-1], maanden["prognose"][-1])


@golden("realisatie_vorig_jaar")
def test_vorig_jaar_niet_waar_de_lumpsum_pas_in_juli_begint() -> None:
    from kpi.financien import uitgavenreeks

    # lumpsum costs only (no uitgaven): the contracts start on 1-7-2022
    w = Warehouse(peildatum="2023-12-31")
    w.begroting("IAJ", 2023, bedrag="3650")
    w.contract("2022-07-01", "2023-12-31", 1, "3650")  # dagprijs 10
    w.interval("c1", "2022-07-01", "2023-12-31")
    # 2023 against 2022: last year's cumulative line would be 0 until July and then jump;
    # there are no costs known before July 2022, so no figure and the reason
    uit = w.bereken("2023", kpis=["realisatie", "realisatie_vorig_jaar"])
    assert uit["kpi"].to_list() == ["realisatie"]
    verwacht(uit, "realisatie", [{"teller": 3650, "noemer": 3650}])
    kalender = uitgavenreeks(w.con, "2023")
    assert kalender.redenen == {
        "vorig_jaar": "De uitgaven beginnen pas in juli 2022: geen cumulatieve uitgaven "
        "vanaf 01-01-2022."
    }
    assert kalender.maanden["vorig_jaar"].null_count() == 12
    # the contract year 2023/24 has last year 2022/23, fully covered: 365 days x 10
    contract = uitgavenreeks(w.con, "cj2023")
    assert "vorig_jaar" not in contract.redenen
    assert contract.maanden["vorig_jaar"][-1] == dec(3650)


@golden("realisatie", "jaarverwachting", "realisatie_vorig_jaar")
def test_realisatie_niet_per_aanbieder() -> None:
    from kpi.berekening import niet_berekend
    from kpi.periode import Periode

    w = _prognose("57835")
    w.uitgave("2021-03-31", "100", aanbieder=None)  # spending without an aanbieder
    kpis = ["realisatie", "jaarverwachting", "realisatie_vorig_jaar"]
    # the plan is per gemeente and segment: per aanbieder a share of spending against it
    # would set the spending without aanbieder against the whole plan. Not computed.
    uit = w.bereken("2021-04", kpis=kpis, per=["aanbieder"])
    assert set(uit["kpi"]) == {"realisatie_vorig_jaar"}  # spending per aanbieder exists
    reden = (
        "De begroting is er per gemeente en segment, niet per aanbieder: geen realisatie "
        "tegen de prognose."
    )
    p = Periode.parse("2021-04")
    assert niet_berekend(w.con, [p], ["aanbieder"], kpis) == [
        ("realisatie", p, reden),
        ("jaarverwachting", p, reden),
    ]
    # without grouping it is: 19.000 + 100 against 57.835 x 4 / 12
    verwacht(
        w.bereken("2021-04", kpis=["realisatie"]),
        "realisatie",
        [{"teller": 19100, "noemer": Fraction(57835, 3)}],
    )
