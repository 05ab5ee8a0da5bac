"""Golden tests for the flow, volume and result KPIs on hand-built warehouses.

Every expected value is worked out by hand in the comments.
"""

from fractions import Fraction

from kpi.filters import Filters
from tests.kpi_fixtures import Warehouse, enkel, golden, verwacht

B = "22222222"  # a second aanbieder


def _uitstroom_warehouse() -> Warehouse:
    w = Warehouse(peildatum="2024-12-31")
    # t1 2023-01-10..2023-03-31 reden 31: in and out in 2023, duur 22 + 28 + 31 = 81
    w.traject("c1", "2023-01-10", "2023-03-31", reden="31")
    # t2 2022-11-01..2023-02-14 reden 32: out in 2023, duur 30 + 31 + 31 + 14 = 106
    w.traject("c2", "2022-11-01", "2023-02-14", reden="32")
    # t3 begins 2023-05-01, open: in
    w.traject("c3", "2023-05-01")
    # t4 2023-12-31..2024-01-05: in on the last day, out only in 2024
    w.traject("c4", "2023-12-31", "2024-01-05")
    # t5 2022-12-31..2023-01-01 reden 02: out on the first day, duur 2
    w.traject("c5", "2022-12-31", "2023-01-01", reden="02")
    # t6 2023-02-01..2023-06-30 without a 307 (toewijzing ended): in, not out
    w.traject("c6", "2023-02-01", "2023-06-30", gestopt=False)
    # t7 begins in 2024
    w.traject("c7", "2024-01-01")
    # contract with opgegeven doorlooptijd 100 from 2023-01-02: t5 (ends 2023-01-01) has none
    w.contract("2023-01-02", "2023-12-31", 1, "1000", opgegeven_dagen=100)
    return w


@golden("instroom", "uitstroom", "uitstroom_volgens_plan")
def test_instroom_uitstroom() -> None:
    uit = _uitstroom_warehouse().bereken("2023")
    # instroom: t1, t3, t4, t6
    verwacht(uit, "instroom", [{"waarde": 4, "n": 4}])
    # uitstroom: t1, t2, t5 (t6 has no 307, t4 ends in 2024)
    verwacht(uit, "uitstroom", [{"waarde": 3, "n": 3}])
    # volgens plan: only t1 (reden 31) of 3
    verwacht(uit, "uitstroom_volgens_plan", [{"waarde": Fraction(1, 3), "teller": 1, "noemer": 3}])


@golden("doorlooptijd", "doorlooptijd_gemiddeld", "doorlooptijd_p80", "doorlooptijd_ratio")
def test_doorlooptijd() -> None:
    uit = _uitstroom_warehouse().bereken("2023")
    # durations 81, 106, 2 -> sorted [2, 81, 106]
    verwacht(uit, "doorlooptijd", [{"waarde": 81, "n": 3}])
    # mean (2 + 81 + 106) / 3 = 63
    verwacht(uit, "doorlooptijd_gemiddeld", [{"waarde": 63, "n": 3}])
    # p80: h = (3 - 1) * 0.8 = 1.6 -> 81 + 0.6 * (106 - 81) = 96
    verwacht(uit, "doorlooptijd_p80", [{"waarde": 96, "n": 3}])
    # ratio: t1 and t2 have opgegeven 100: (81 + 106) / (100 + 100) = 0.935; t5 excluded
    verwacht(uit, "doorlooptijd_ratio", [{"waarde": "0.935", "teller": 187, "noemer": 200, "n": 2}])


@golden("doorlooptijd")
def test_mediaan_even_aantal() -> None:
    w = Warehouse()
    # durations 10, 20, 30, 41 -> median (20 + 30) / 2 = 25
    w.traject("a", "2023-01-01", "2023-01-10")
    w.traject("b", "2023-01-01", "2023-01-20")
    w.traject("c", "2023-01-01", "2023-01-30")
    w.traject("d", "2023-01-01", "2023-02-10")
    verwacht(w.bereken("2023", kpis=["doorlooptijd"]), "doorlooptijd", [{"waarde": 25}])


@golden("instroom_nieuw")
def test_instroom_nieuw() -> None:
    w = Warehouse()
    # all begin 2023-01-10; the 365-day window before is [2022-01-10, 2023-01-09]
    w.traject("c1", "2023-01-10")
    w.interval("c1", "2021-05-01", "2022-06-01", aanbieder=B)  # care in the window: not new
    w.traject("c2", "2023-01-10")
    w.interval("c2", "2021-01-01", "2022-01-09", aanbieder=B)  # ended 366 days before: new
    w.traject("c3", "2023-01-10")
    w.interval("c3", "2021-01-01", "2022-01-10", aanbieder=B)  # ended 365 days before: not new
    w.traject("c4", "2023-01-10")
    w.interval("c4", "2022-06-01", "2022-12-31", domein="wmo", segment="IO", subsegment="IO-A")
    # c4: care only in the other domein: new
    w.traject("c5", "2023-01-10")
    w.traject("c5", "2023-01-10", aanbieder=B)  # two trajectories, one new client
    uit = w.bereken("2023", kpis=["instroom", "instroom_nieuw"])
    verwacht(uit, "instroom", [{"waarde": 6}])
    # new: c2, c4, c5 = 3 clients of the 5 clients that began (n: the 5 clients examined)
    verwacht(uit, "instroom_nieuw", [{"waarde": 3, "teller": 3, "noemer": 5, "n": 5}])


@golden("wachttijd", "wachttijd_binnen_norm")
def test_wachttijd() -> None:
    w = Warehouse()
    w.traject("w1", "2023-03-11", wacht_ingangsdatum="2023-03-01")  # 10 days
    w.traject("w2", "2023-04-30", wacht_ingangsdatum="2023-03-01")  # 30 + 30 = 60 days
    w.traject("w3", "2023-05-01", wacht_ingangsdatum="2023-05-10")  # -9 -> floored to 0
    w.traject("w4", "2023-07-13", wacht_ingangsdatum="2023-06-01")  # 29 + 13 = 42 days
    w.traject("w5", "2022-12-31", wacht_ingangsdatum="2022-01-01")  # begins in 2022: not counted
    uit = w.bereken("2023", kpis=["wachttijd", "wachttijd_binnen_norm"])
    # sorted [0, 10, 42, 60] -> median (10 + 42) / 2 = 26
    verwacht(uit, "wachttijd", [{"waarde": 26, "n": 4}])
    # within the norm of 42 days (normen.toml): 0, 10, 42 -> 3 / 4
    verwacht(uit, "wachttijd_binnen_norm", [{"waarde": "0.75", "teller": 3, "noemer": 4}])


@golden("lopend")
def test_lopend() -> None:
    w = Warehouse(peildatum="2024-12-31")
    w.interval("c1", "2023-01-01", "2023-06-30")  # in care on 30-6
    w.interval("c1", "2023-05-01", "2023-08-31", aanbieder=B)  # also at B
    w.interval("c2", "2023-07-01")  # begins after
    w.interval("c3", "2023-06-01", "2023-06-29")  # ended the day before
    w.interval("c4", "2022-01-01")  # open
    uit = w.bereken("2023-06", kpis=["lopend"])
    # region: c1 and c4 (c1 once, although at two aanbieders)
    verwacht(uit, "lopend", [{"waarde": 2, "n": 2, "voorlopig": False}])
    # per aanbieder: A has c1 and c4, B has c1
    verwacht(
        w.bereken("2023-06", kpis=["lopend"], per=["aanbieder"]),
        "lopend",
        [{"aanbieder": "11111111", "waarde": 2}, {"aanbieder": B, "waarde": 1}],
    )


@golden("lopend")
def test_lopend_op_peildatum_binnen_periode() -> None:
    w = Warehouse(peildatum="2023-06-15")
    w.interval("c1", "2023-01-01", "2023-06-30")
    w.interval("c3", "2023-06-01", "2023-06-29")
    w.interval("c4", "2022-01-01")
    # the period ends after the peildatum: counted on 15-6 (c1, c3, c4), voorlopig
    verwacht(w.bereken("2023-06", kpis=["lopend"]), "lopend", [{"waarde": 3, "voorlopig": True}])


@golden("zorgdagen")
def test_zorgdagen() -> None:
    w = Warehouse(peildatum="2023-03-15")
    w.interval("c1", "2022-12-01", "2023-01-31")  # 1-1..31-1: 31 days
    w.interval("c2", "2023-02-10")  # open, runs to the peildatum: 19 (Feb) + 15 (Mar) = 34
    w.interval("c3", "2023-03-01", "2023-04-30")  # 1-3..15-3 (peildatum): 15
    w.interval("c1", "2023-01-15", "2023-01-20", aanbieder=B)  # other aanbieder: 6
    uit = w.bereken("2023-Q1", kpis=["zorgdagen"])
    # 31 + 34 + 15 + 6 = 86 days of 3 clients; voorlopig: Q1 ends after the peildatum
    verwacht(uit, "zorgdagen", [{"waarde": 86, "n": 3, "voorlopig": True}])
    per = w.bereken("2023-Q1", kpis=["zorgdagen"], per=["aanbieder"])
    verwacht(
        per, "zorgdagen", [{"aanbieder": "11111111", "waarde": 80}, {"aanbieder": B, "waarde": 6}]
    )


def _recidive_warehouse(peildatum: str) -> Warehouse:
    w = Warehouse(peildatum=peildatum)
    # e1 ends 2023-03-01; returns 2024-02-29 = end + 365 (2024 is a leap year): recidive
    w.episode("c1", "2022-01-01", "2023-03-01")
    w.episode("c1", "2024-02-29")
    # e2 ends 2023-03-01; returns 2024-03-01 = end + 366: not
    w.episode("c2", "2022-01-01", "2023-03-01")
    w.episode("c2", "2024-03-01")
    # e3 ends with death (02): excluded, although a (data error) return follows
    w.episode("c3", "2022-01-01", "2023-05-01", reden="02")
    w.episode("c3", "2023-06-01")
    # e4 ends 2023-06-30; new care only in the wmo domein: not
    w.episode("c4", "2022-01-01", "2023-06-30")
    w.episode("c4", "2023-08-01", domein="wmo", segment="IO", subsegment="IO-A")
    # e5 ends 2023-12-31, no return; end + 365 = 2024-12-30
    w.episode("c5", "2023-01-01", "2023-12-31", gemeente="0197")
    return w


@golden("recidive")
def test_recidive() -> None:
    uit = _recidive_warehouse("2024-12-31").bereken("2023", kpis=["recidive"])
    # 1 of e1, e2, e4, e5 returned; all end + 365 <= 2024-12-31
    verwacht(
        uit,
        "recidive",
        [{"waarde": "0.25", "teller": 1, "noemer": 4, "n": 4, "voorlopig": False}],
    )


@golden("recidive")
def test_recidive_voorlopig() -> None:
    uit = _recidive_warehouse("2024-12-29").bereken("2023", kpis=["recidive"])
    # e5: end + 365 = 2024-12-30 > peildatum 2024-12-29 -> voorlopig, stoplicht grijs
    rij = enkel(uit, "recidive")
    assert rij["voorlopig"] is True and rij["stoplicht"] == "grijs"
    # per gemeente: only Aalten (e5) is voorlopig
    per = _recidive_warehouse("2024-12-29").bereken("2023", kpis=["recidive"], per=["gemeente"])
    verwacht(
        per,
        "recidive",
        [
            {"gemeente": "0197", "waarde": 0, "voorlopig": True},
            {"gemeente": "1859", "waarde": Fraction(1, 3), "voorlopig": False},
        ],
    )


@golden("afschaling")
def test_afschaling() -> None:
    w = Warehouse(peildatum="2024-12-31")
    # a1 zwaarte 3 ends 31-3; new IAJ zwaarte 1 begins 1-4: step down
    w.traject("c1", "2022-01-01", "2023-03-31", segment="GWV", subsegment="GWV-A", zwaarte=3)
    w.traject("c1", "2023-04-01", zwaarte=1)
    # a2 zwaarte 2 ends 31-3; new zwaarte 2 begins 29-6 = end + 90: follow-up, not lighter
    w.traject("c2", "2022-01-01", "2023-03-31", zwaarte=2)
    w.traject("c2", "2023-06-29", aanbieder=B, zwaarte=2)
    # a3 ends 31-3; new begins 30-6 = end + 91: no follow-up, not in the noemer
    w.traject("c3", "2022-01-01", "2023-03-31", zwaarte=2)
    w.traject("c3", "2023-06-30", aanbieder=B, zwaarte=1)
    # a4 ends 31-5; new care in wmo: not the same domein, no follow-up
    w.traject("c4", "2022-01-01", "2023-05-31", zwaarte=2)
    w.traject("c4", "2023-06-01", domein="wmo", segment="IO", subsegment="IO-A", zwaarte=1)
    # a5 zwaarte 3 ends 31-8; first new traject (15-9) has zwaarte 3, a lighter one follows
    w.traject("c5", "2022-01-01", "2023-08-31", zwaarte=3)
    w.traject("c5", "2023-09-15", aanbieder=B, zwaarte=3)
    w.traject("c5", "2023-10-01", zwaarte=1)
    uit = w.bereken("2023", kpis=["afschaling"])
    # follow-ups: a1 (lighter), a2, a5 -> 1 / 3
    verwacht(
        uit,
        "afschaling",
        [{"waarde": Fraction(1, 3), "teller": 1, "noemer": 3, "n": 3, "voorlopig": False}],
    )


@golden("afschaling")
def test_afschaling_voorlopig_binnen_90_dagen() -> None:
    w = Warehouse(peildatum="2023-12-31")
    w.traject("c1", "2022-01-01", "2023-11-30", zwaarte=2)  # end + 90 > peildatum
    rij = enkel(w.bereken("2023", kpis=["afschaling"]), "afschaling")
    assert rij["voorlopig"] is True and rij["waarde"] is None and rij["n"] == 0


@golden("instroom", "doorlooptijd", "uitstroom_volgens_plan")
def test_filters_op_dimensies() -> None:
    w = _uitstroom_warehouse()
    w.traject("x1", "2023-03-01", "2023-03-10", aanbieder=B, gemeente="0197", reden="31")
    # filter aanbieder B in Aalten: one traject in and out, duur 10, volgens plan
    uit = w.bereken("2023", filters=Filters(aanbieder=B, gemeente=["0197", "0222"]))
    verwacht(uit, "instroom", [{"waarde": 1}])
    verwacht(uit, "doorlooptijd", [{"waarde": 10}])
    verwacht(uit, "uitstroom_volgens_plan", [{"waarde": 1}])
