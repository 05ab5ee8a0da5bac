"""Golden tests for the money KPIs after the issue 20 review: the monthly series of a
contractjaar cumulates from 1 July, no figure against part of a plan, the variances only at
the grain of their targets and with n the real clients, the year to date asked as such, and
money in cents. Every expected figure is worked out below from the input rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import polars as pl

from kpi.berekening import bereken, niet_berekend, niet_berekend_per_groep, reeks
from kpi.filters import Filters
from kpi.financien import uitgavenreeks, verschiloverzicht
from kpi.periode import Periode
from tests.kpi_fixtures import Warehouse, dec, golden, verwacht
from weergave import tabellen

AALTEN, BERKELLAND = "0197", "1859"


def _centen(x: Fraction) -> Decimal:
    """Half up (away from zero) to cents, by hand: for the expected outlooks."""
    honderd = x * 100
    heel = int(abs(honderd) + Fraction(1, 2))
    return Decimal(heel if honderd >= 0 else -heel) / 100


def _som(uitgaven: list[tuple[str, str, str]], van: date, tot: date, gemeente: str) -> Fraction:
    """Booked spending of `gemeente` in [van, tot]."""
    return sum(
        (
            Fraction(Decimal(b))
            for d, g, b in uitgaven
            if g == gemeente and van <= date.fromisoformat(d) <= tot
        ),
        Fraction(0),
    )


def _maanden(periode: str) -> list[tuple[date, date]]:
    p = Periode.parse(periode)
    return [(m.start, m.eind) for m in p.maanden()]


# ---------------------------------------------------------------- the contract year's series
# Aalten, IAJ: 2023 linear (1.200), 2024 with a monthly prognose (cumulative per month)
PLAN_2023 = Fraction(1200)
PROGNOSE_2024 = {1: "50", 2: "100", 3: "200", 4: "300", 5: "400", 6: "500", 12: "1400"}
UITGAVEN = [  # (boekdatum, gemeente, bedrag)
    ("2022-09-30", AALTEN, "200"),  # contract year 2022/23
    ("2023-05-31", AALTEN, "1000"),  # contract year 2022/23
    ("2023-08-31", AALTEN, "300"),
    ("2023-10-10", AALTEN, "100.01"),
    ("2023-12-31", AALTEN, "400"),
    ("2024-02-15", AALTEN, "70.10"),
    ("2024-03-31", AALTEN, "250"),
    ("2024-05-20", AALTEN, "33.33"),
]


def _aalten_twee_jaren(peildatum: str = "2024-06-30") -> Warehouse:
    w = Warehouse(peildatum=peildatum)
    w.begroting("IAJ", 2023, gemeente=AALTEN, bedrag=str(PLAN_2023))
    w.begroting("IAJ", 2024, gemeente=AALTEN, bedrag="1400")
    for maand, plan in PROGNOSE_2024.items():
        w.begroting(
            "IAJ", 2024, gemeente=AALTEN, maand=f"2024-{maand:02d}-01", prognose_cumulatief=plan
        )
    for boekdatum, gemeente, bedrag in UITGAVEN:
        w.uitgave(boekdatum, bedrag, gemeente=gemeente)
    return w


def _plan_2023(k: int) -> Fraction:
    """The 2023 plan to the end of calendar month k (linear)."""
    return PLAN_2023 * k / 12


def _plan_2024(k: int) -> Fraction:
    """The 2024 plan to the end of calendar month k: the given prognose, else linear."""
    if k == 0:
        return Fraction(0)
    return Fraction(Decimal(PROGNOSE_2024[k])) if k in PROGNOSE_2024 else Fraction(1400) * k / 12


def _uitzicht(per_maand: list[Fraction], volledig: int) -> Fraction:
    """Outlook after `volledig` complete months of a plan year: realised + the remaining
    months x the mean of the last 3 complete months (fewer when fewer are complete)."""
    k = min(3, volledig)
    return (
        sum(per_maand[:volledig], Fraction(0))
        + (12 - volledig) * sum(per_maand[volledig - k : volledig], Fraction(0)) / k
    )


@golden("realisatie", "realisatie_vorig_jaar", "jaarverwachting")
def test_reeks_van_een_contractjaar_cumuleert_vanaf_juli() -> None:
    w = _aalten_twee_jaren()
    kpis = ["realisatie", "realisatie_vorig_jaar", "jaarverwachting"]
    uit = reeks(w.con, "cj2023", kpis=kpis)
    maanden = _maanden("cj2023")
    per_maand = [_som(UITGAVEN, van, tot, AALTEN) for van, tot in maanden]
    budget = (_plan_2023(12) - _plan_2023(6)) + _plan_2024(6)  # July-December + January-June
    for i, (van, tot) in enumerate(maanden, start=1):
        maand = uit.filter(pl.col("periode_start") == van)
        # from 1 July to the month's end, against the plan of those months: July-December
        # from the 2023 plan, then January to the month from the 2024 prognose
        teller = _som(UITGAVEN, date(2023, 7, 1), tot, AALTEN)
        noemer = _plan_2023(6 + min(i, 6)) - _plan_2023(6) + _plan_2024(max(i - 6, 0))
        verwacht(
            maand,
            "realisatie",
            [{"waarde": teller / noemer, "teller": teller, "noemer": noemer}],
        )
        # last year: the contract year 2022/23 from 1 July 2022 to the same day
        dag = min(tot.day, 28) if tot.month == 2 else tot.day  # 29-2-2024 -> 28-2-2023
        vorig = _som(UITGAVEN, date(2022, 7, 1), date(tot.year - 1, tot.month, dag), AALTEN)
        verwacht(maand, "realisatie_vorig_jaar", [{"waarde": vorig}])
        # the outlook at that month's end (i complete months), against the twelve months' plan
        uitzicht = _centen(_uitzicht(per_maand, i))
        verwacht(maand, "jaarverwachting", [{"teller": uitzicht, "noemer": budget}])
    # the twelfth month is the contract year's own figure
    jaar = bereken(w.con, "cj2023", kpis=kpis)
    juni = uit.filter(pl.col("periode_start") == date(2024, 6, 1))
    for kpi in kpis:
        assert (
            jaar.filter(pl.col("kpi") == kpi).select("waarde", "teller", "noemer").rows()
            == juni.filter(pl.col("kpi") == kpi).select("waarde", "teller", "noemer").rows()
        ), kpi


@golden("realisatie")
def test_reeks_van_kalenderjaar_en_kwartaal_begint_op_1_januari() -> None:
    w = _aalten_twee_jaren()
    for periode in ("2024", "2024-Q1", "2024-02"):
        uit = reeks(w.con, periode, kpis=["realisatie"])
        for van, tot in _maanden(periode):
            # from 1 January, against the 2024 plan to that month
            teller = _som(UITGAVEN, date(2024, 1, 1), tot, AALTEN)
            verwacht(
                uit.filter(pl.col("periode_start") == van),
                "realisatie",
                [{"teller": teller, "noemer": _plan_2024(tot.month)}],
            )


@golden("realisatie")
def test_trend_op_de_pagina_volgt_het_contractjaar() -> None:
    # the KPI-detail trend and the Financiën chart read the same months
    w = _aalten_twee_jaren()
    kpi = reeks(w.con, "cj2023", kpis=["realisatie"])
    grafiek = uitgavenreeks(w.con, "cj2023").maanden
    assert kpi["teller"].to_list() == grafiek["realisatie"].to_list()
    assert kpi["noemer"].to_list() == grafiek["prognose"].to_list()


# ---------------------------------------------------------------- no figure against part of a plan
def _berkelland_zonder_2024(w: Warehouse) -> None:
    """Berkelland GWV: a 2023 budget (1.155.000, linear) and spending in 2023, no 2024
    begroting."""
    w.product("43Z01", "GWV-A", segment="GWV")
    w.begroting("GWV", 2023, gemeente=BERKELLAND, bedrag="1155000")
    for boekdatum in ("2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"):
        w.uitgave(boekdatum, "261250", gemeente=BERKELLAND, segment="GWV")


@golden("realisatie", "jaarverwachting")
def test_geen_cijfer_tegen_een_half_plan() -> None:
    w = _aalten_twee_jaren()
    _berkelland_zonder_2024(w)
    kpis = ["realisatie", "jaarverwachting"]
    reden = (
        "Niet berekend: de begroting 2024 heeft geen plan voor GWV in gemeente 1859, dus geen "
        "prognose voor alle maanden."
    )
    cj = Periode.contractjaar(2023)
    # the contract year 2023/24: Berkelland's January-June has no plan. Its figure and the
    # region's would set a year's spending against half a plan: neither is given, with why
    assert bereken(w.con, cj, kpis=kpis).is_empty()
    assert niet_berekend_per_groep(w.con, [cj], (), kpis=kpis) == [
        ("realisatie", cj, {}, reden),
        ("jaarverwachting", cj, {}, reden),
    ]
    per_gemeente = bereken(w.con, cj, kpis=kpis, per=["gemeente"])
    assert per_gemeente["gemeente"].unique().to_list() == [AALTEN]
    teller = _som(UITGAVEN, cj.start, cj.eind, AALTEN)
    noemer = _plan_2023(12) - _plan_2023(6) + _plan_2024(6)
    verwacht(per_gemeente, "realisatie", [{"gemeente": AALTEN, "teller": teller, "noemer": noemer}])
    assert niet_berekend_per_groep(w.con, [cj], ["gemeente"], kpis=kpis) == [
        ("realisatie", cj, {"gemeente": BERKELLAND}, reden),
        ("jaarverwachting", cj, {"gemeente": BERKELLAND}, reden),
    ]
    # the series: July-December need only the 2023 plan, so Berkelland has its figure there
    # (cumulative from 1 July against 1.155.000 x months / 12); from January on, none
    serie = reeks(w.con, cj, kpis=["realisatie"], filters=None, per=["gemeente"])
    berkelland = serie.filter(pl.col("gemeente") == BERKELLAND)
    juli_december = [(van, tot) for van, tot in _maanden("cj2023") if van.year == 2023]
    assert berkelland["periode_start"].to_list() == [van for van, _ in juli_december]
    plan_berkelland = Fraction(1155000)
    for i, (van, tot) in enumerate(juli_december, start=1):
        spent = sum(
            (
                Fraction(261250)
                for d in ("2023-09-30", "2023-12-31")
                if date.fromisoformat(d) <= tot
            ),
            Fraction(0),
        )
        verwacht(
            berkelland.filter(pl.col("periode_start") == van),
            "realisatie",
            [{"teller": spent, "noemer": plan_berkelland * i / 12}],
        )
    groepen = niet_berekend_per_groep(
        w.con, cj.maanden(), ["gemeente"], kpis=["realisatie"], alleen_periodiek=True
    )
    assert [(p.start, g, r) for _, p, g, r in groepen] == [
        (van, {"gemeente": BERKELLAND}, reden) for van, _ in _maanden("cj2023") if van.year == 2024
    ]
    # the outlook needs the twelve months' budget: none for Berkelland in any month
    outlook = reeks(w.con, cj, kpis=["jaarverwachting"], per=["gemeente"])
    assert set(outlook["gemeente"]) == {AALTEN}
    # the Financiën chart: no plan line where part of the plan is missing, and why
    grafiek = uitgavenreeks(w.con, cj)
    prognose = grafiek.maanden["prognose"].to_list()
    assert prognose[:6] == [
        dec(_plan_2023(6 + i) - _plan_2023(6) + plan_berkelland * i / 12) for i in range(1, 7)
    ]
    assert prognose[6:] == [None] * 6
    assert grafiek.redenen["prognose"] == reden
    alleen_aalten = uitgavenreeks(w.con, cj, filters=Filters(gemeente=AALTEN))
    assert "prognose" not in alleen_aalten.redenen
    assert alleen_aalten.maanden["prognose"][-1] == dec(noemer)


@golden("realisatie", "jaarverwachting")
def test_alleen_uitgaven_vorig_jaar_geeft_geen_leeg_cijfer() -> None:
    w = _aalten_twee_jaren()
    _berkelland_zonder_2024(w)
    jaar = Periode.jaar(2024)
    # 2024: Berkelland has neither spending nor a plan, only last year's spending. No empty
    # 0 / 0 for it; the region is Aalten's figure (nothing in it lacks a plan)
    uit = bereken(w.con, jaar, kpis=["realisatie"], per=["gemeente"])
    assert uit["gemeente"].to_list() == [AALTEN]
    regio = bereken(w.con, jaar, kpis=["realisatie"])
    teller = _som(UITGAVEN, jaar.start, jaar.eind, AALTEN)
    verwacht(regio, "realisatie", [{"teller": teller, "noemer": Fraction(1400)}])
    [(_, _, groep, reden)] = niet_berekend_per_groep(
        w.con, [jaar], ["gemeente"], kpis=["realisatie"]
    )
    assert groep == {"gemeente": BERKELLAND}
    assert reden.startswith("Niet berekend: in dit jaar geen uitgaven en geen prognose")


# ---------------------------------------------------------------- money in cents
@golden("jaarverwachting")
def test_jaarverwachting_in_centen() -> None:
    # seven complete months at the peildatum 14-08-2024 (the review's case): 18.000, 18.000,
    # 20.000, 20.000, 22.000, 22.000, 25.000: the outlook 145.000 + 5 x 69.000 / 3 = 260.000
    # exactly (per month rounded to 10 decimals it read 260.000,0000000001)
    w = Warehouse(peildatum="2024-08-14")
    w.begroting("IAJ", 2024, gemeente=AALTEN, bedrag="240000")
    w.begroting("IAJ", 2024, gemeente=BERKELLAND, bedrag="1000")
    bedragen = ["18000", "18000", "20000", "20000", "22000", "22000", "25000"]
    for maand, bedrag in enumerate(bedragen, start=1):
        w.uitgave(f"2024-{maand:02d}-15", bedrag, gemeente=AALTEN)
    # Berkelland: thirds of a cent in its outlook (0,01 + 0,02 + 0,04 over the last 3 months)
    kleine = ["0", "0", "0", "0", "0.01", "0.02", "0.04"]
    for maand, bedrag in enumerate(kleine, start=1):
        w.uitgave(f"2024-{maand:02d}-20", bedrag, gemeente=BERKELLAND)
    w.uitgave("2024-08-05", "7000", gemeente=AALTEN)  # August is not complete yet
    a = _uitzicht([Fraction(Decimal(b)) for b in bedragen], 7)
    b = _uitzicht([Fraction(Decimal(b)) for b in kleine], 7)
    assert a == 260000 and b == Fraction(7, 100) + 5 * Fraction(7, 300)  # 0,1866...
    per = bereken(w.con, "2024", kpis=["jaarverwachting"], per=["gemeente"])
    verwacht(
        per,
        "jaarverwachting",
        [
            {"gemeente": AALTEN, "teller": 260000, "noemer": 240000},
            {"gemeente": BERKELLAND, "teller": "0.19", "noemer": 1000},
        ],
    )
    # the region: the exact outlook of the whole rounded once (260.000,1866... -> ,19)
    regio = bereken(w.con, "2024", kpis=["jaarverwachting"])
    teller = _centen(a + b)
    verwacht(
        regio,
        "jaarverwachting",
        [{"waarde": Fraction(teller) / 241000, "teller": teller, "noemer": 241000}],
    )
    # the Financiën page shows the same outlook
    assert uitgavenreeks(w.con, "2024").verwachting == teller


# ---------------------------------------------------------------- the variances
def _targets_2024(peildatum: str) -> Warehouse:
    """Targets per gemeente for IAJ (Aalten 6 clients x 40.000) and one for the whole region
    for GWV (2 clients x 30.000), linear; clients at two aanbieders and in two segments."""
    w = Warehouse(peildatum=peildatum)
    w.product("43Z01", "GWV-A", segment="GWV")
    w.begroting("IAJ", 2024, gemeente=AALTEN, bedrag="240000", target_clienten=6,
                kosten_per_client="40000")  # fmt: skip
    w.begroting("GWV", 2024, bedrag="60000", target_clienten=2, kosten_per_client="30000")
    return w


ZORG = [  # (client, begin, eind, gemeente, segment, aanbieder)
    ("a1", "2024-01-02", "2024-03-31", AALTEN, "IAJ", "11111111"),
    ("a2", "2024-02-01", None, AALTEN, "IAJ", "11111111"),
    ("a3", "2024-05-01", "2024-06-30", AALTEN, "IAJ", "22222222"),
    ("a2", "2024-03-01", "2024-04-30", AALTEN, "GWV", "22222222"),  # a2 also in GWV
    ("b1", "2024-06-01", None, BERKELLAND, "GWV", "22222222"),
    ("a4", "2024-08-01", None, AALTEN, "IAJ", "11111111"),  # after July
]
UITGAVEN_2024 = [  # (boekdatum, gemeente, segment, aanbieder, bedrag)
    ("2024-03-31", AALTEN, "IAJ", "11111111", "90000.10"),
    ("2024-06-30", AALTEN, "IAJ", "22222222", "55000"),
    ("2024-04-30", AALTEN, "GWV", "22222222", "8000"),
    ("2024-06-30", BERKELLAND, "GWV", "22222222", "12000"),
    ("2024-08-05", AALTEN, "IAJ", "11111111", "7000"),  # after July
]


def _vul(w: Warehouse) -> None:
    for client, begin, eind, gemeente, segment, aanbieder in ZORG:
        sub = "GWV-A" if segment == "GWV" else "IAJ-A"
        w.interval(client, begin, eind, gemeente=gemeente, segment=segment, subsegment=sub,
                   aanbieder=aanbieder)  # fmt: skip
    for boekdatum, gemeente, segment, aanbieder, bedrag in UITGAVEN_2024:
        w.uitgave(boekdatum, bedrag, gemeente=gemeente, segment=segment, aanbieder=aanbieder)


def _clienten(tot: date, **waar: str) -> set[str]:
    """Clients with a zorgdag in [1-1-2024, tot] where the care matches `waar`."""
    kolommen = ("client", "begin", "eind", "gemeente", "segment", "aanbieder")
    uit = set()
    for rij in ZORG:
        r = dict(zip(kolommen, rij, strict=True))
        if date.fromisoformat(r["begin"]) <= tot and all(r[k] == v for k, v in waar.items()):
            uit.add(r["client"])
    return uit


def _besteed(tot: date, **waar: str) -> Fraction:
    kolommen = ("boekdatum", "gemeente", "segment", "aanbieder", "bedrag")
    totaal = Fraction(0)
    for rij in UITGAVEN_2024:
        r = dict(zip(kolommen, rij, strict=True))
        if date.fromisoformat(r["boekdatum"]) <= tot and all(r[k] == v for k, v in waar.items()):
            totaal += Fraction(Decimal(r["bedrag"]))
    return totaal


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_tot_de_peildatum_ook_zoals_gevraagd() -> None:
    w = _targets_2024("2024-08-14")
    _vul(w)
    kpis = ["hoeveelheidsverschil", "prijsverschil"]
    tot = date(2024, 7, 31)  # the complete months at the peildatum: January-July
    # IAJ Aalten: target 6 x 40.000 x 7/12 = 140.000, KN 40.000 x 7/12; GWV (region): 2 x
    # 30.000 x 7/12 = 35.000, KN 17.500
    verwachte = []
    for segment, filter_, tc, kn in (
        ("GWV", {}, 2, 30000),
        ("IAJ", {"gemeente": AALTEN}, 6, 40000),
    ):
        kn_nu = Fraction(kn) * 7 / 12
        clienten = len(_clienten(tot, segment=segment, **filter_))
        real = _besteed(tot, segment=segment, **filter_)
        target = _centen(tc * kn_nu)
        hoeveelheid = _centen((clienten - tc) * kn_nu)
        verwachte.append(
            {
                "segment": segment,
                "hoeveelheid": hoeveelheid,
                "prijs": Fraction(real) - Fraction(target) - Fraction(hoeveelheid),
                "real": real,
                "target": target,
            }
        )
    # GWV: 35.000 exactly; hoeveelheid (2 - 2) x 17.500 = 0. IAJ: 3 clients, 145.000,10:
    # hoeveelheid (3 - 6) x 23.333,33... = -70.000, prijs 145.000,10 - 140.000 + 70.000
    for periode in ("2024", "2024-01-01..2024-07-31", "2024-01-01..2024-08-14"):
        uit = bereken(w.con, periode, kpis=kpis, per=["segment"])
        verwacht(
            uit,
            "hoeveelheidsverschil",
            [{"segment": v["segment"], "waarde": v["hoeveelheid"], "teller": v["real"],
              "noemer": v["target"]} for v in verwachte],
        )  # fmt: skip
        verwacht(
            uit,
            "prijsverschil",
            [{"segment": v["segment"], "waarde": v["prijs"]} for v in verwachte],
        )
        p = Periode.parse(periode)
        assert niet_berekend(w.con, [p], ["segment"], kpis=kpis) == [], periode
    # the page says what it covers: January-July, not the year
    for periode in ("2024", "2024-01-01..2024-07-31"):
        overzicht = verschiloverzicht(w.con, periode)
        assert overzicht.spanne == Periode(date(2024, 1, 1), tot, "bereik")
        assert tabellen.verschilkop(overzicht) == (
            "Hoeveelheids- en prijsverschil 01-01-2024 t/m 31-07-2024"
        )
        assert "01-01-2024 t/m 31-07-2024" in tabellen.spannetekst(overzicht)


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_tot_de_peildatum_in_centen() -> None:
    # the target of a share of the year that does not end in a decimal
    w2 = _targets_2024("2024-05-14")  # January-April: 6 x 40.000 x 4/12 = 80.000
    w2.begroting("IO", 2024, gemeente=BERKELLAND, target_clienten=1, kosten_per_client="0.10")
    w2.product("02Z01", "IO-A", segment="IO", domein="wmo")
    uit = bereken(w2.con, "2024", kpis=["hoeveelheidsverschil"], filters=Filters(segment="IO"))
    # target 0,10 x 4/12 = 0,0333...: 0,03; no client: hoeveelheid (0 - 1) x 0,0333 -> -0,03
    verwacht(uit, "hoeveelheidsverschil", [{"waarde": "-0.03", "noemer": "0.03"}])
    # one client spending 0,05: hoeveelheid (1 - 1) x 0,0333 = 0, prijs 0,05 - 0,03 - 0 =
    # 0,02: together real - target exactly
    w2.interval("o1", "2024-02-01", "2024-02-01", gemeente=BERKELLAND, segment="IO",
                subsegment="IO-A", domein="wmo")  # fmt: skip
    w2.uitgave("2024-02-01", "0.05", gemeente=BERKELLAND, segment="IO")
    uit = bereken(w2.con, "2024", kpis=["hoeveelheidsverschil", "prijsverschil"],
                  filters=Filters(segment="IO"))  # fmt: skip
    verwacht(uit, "hoeveelheidsverschil", [{"waarde": 0, "teller": "0.05", "noemer": "0.03"}])
    verwacht(uit, "prijsverschil", [{"waarde": "0.02"}])


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_alleen_waar_de_begroting_targets_heeft() -> None:
    w = _targets_2024("2024-12-31")
    _vul(w)
    kpis = ["hoeveelheidsverschil", "prijsverschil"]
    jaar = Periode.jaar(2024)
    # the begroting has targets per segment (and gemeente), none per aanbieder or
    # sub-segment: per aanbieder the region's targets would land in a row '(geen)'
    for per, wat in ((["aanbieder"], "aanbieder"), (["gemeente", "subsegment"], "subsegment")):
        assert bereken(w.con, jaar, kpis=kpis, per=per).is_empty(), per
        reden = (
            f"Niet berekend per {wat}: de begroting 2024 heeft targets per segment en "
            f"gemeente, niet per {wat}."
        )
        assert niet_berekend(w.con, [jaar], per, kpis=kpis) == [(k, jaar, reden) for k in kpis]
    # per gemeente: Aalten's IAJ target is per gemeente, GWV's for the whole region: that
    # group has no gemeente to be shown under, so it gives no figure, and says why
    per = bereken(w.con, jaar, kpis=kpis, per=["gemeente", "segment"])
    assert per.select("gemeente", "segment").unique().rows() == [(AALTEN, "IAJ")]
    [(_, _, groep, reden)] = niet_berekend_per_groep(
        w.con, [jaar], ["gemeente", "segment"], kpis=["hoeveelheidsverschil"]
    )
    assert groep == {"gemeente": "(geen)", "segment": "GWV"}
    assert reden == (
        "Niet berekend: de begroting heeft voor GWV targets voor de hele regio, niet per gemeente."
    )
    # a begroting with targets per gemeente only: per gemeente it is computed
    w3 = Warehouse(peildatum="2024-12-31")
    w3.begroting("IAJ", 2024, gemeente=AALTEN, target_clienten=1, kosten_per_client="10")
    w3.begroting("IAJ", 2024, gemeente=BERKELLAND, target_clienten=2, kosten_per_client="10")
    w3.interval("c1", "2024-03-01", "2024-03-02", gemeente=AALTEN)
    w3.uitgave("2024-03-02", "15", gemeente=AALTEN)
    uit = bereken(w3.con, jaar, kpis=["hoeveelheidsverschil"], per=["gemeente"])
    # Aalten (1 - 1) x 10 = 0; Berkelland (0 - 2) x 10 = -20
    verwacht(
        uit,
        "hoeveelheidsverschil",
        [{"gemeente": AALTEN, "waarde": 0}, {"gemeente": BERKELLAND, "waarde": -20}],
    )


@golden("hoeveelheidsverschil", "prijsverschil")
def test_verschil_met_een_filter_op_een_korrel_zonder_targets() -> None:
    w = _targets_2024("2024-12-31")
    _vul(w)
    kpis = ["hoeveelheidsverschil", "prijsverschil"]
    jaar = Periode.jaar(2024)
    # one aanbieder: the targets are the segment's, so its share of them is not known. The
    # budget cells have no aanbieder, so the filter keeps none of them: before, an empty
    # group gave a figure 0 (teller 0, noemer 0); now none, and why
    for filters, wat in ((Filters(aanbieder="11111111"), "aanbieder"),
                         (Filters(subsegment="IAJ-A"), "subsegment")):  # fmt: skip
        assert bereken(w.con, jaar, kpis=kpis, filters=filters).is_empty(), wat
        reden = (
            f"Niet berekend per {wat}: de begroting 2024 heeft targets per segment en "
            f"gemeente, niet per {wat}."
        )
        assert niet_berekend(w.con, [jaar], (), kpis=kpis, filters=filters) == [
            (k, jaar, reden) for k in kpis
        ]
        assert verschiloverzicht(w.con, jaar, filters).reden == reden
    # one gemeente, where the begroting has Aalten's IAJ target: Aalten's figure is its IAJ
    # cell alone (GWV's target is the region's). Clients a1, a2, a3, a4: (4 - 6) x 40.000
    aalten = bereken(w.con, jaar, kpis=["hoeveelheidsverschil"], filters=Filters(gemeente=AALTEN))
    eind = date(2024, 12, 31)
    clienten = len(_clienten(eind, segment="IAJ", gemeente=AALTEN))
    assert clienten == 4
    verwacht(
        aalten,
        "hoeveelheidsverschil",
        [{"waarde": (clienten - 6) * 40000, "noemer": 240000, "n": clienten}],
    )
    # a begroting with region targets only: one gemeente gives none, and why
    w2 = Warehouse(peildatum="2024-12-31")
    w2.begroting("IAJ", 2024, target_clienten=2, kosten_per_client="10")
    w2.interval("c1", "2024-03-01", "2024-03-02", gemeente=AALTEN)
    w2.uitgave("2024-03-02", "15", gemeente=AALTEN)
    alleen = Filters(gemeente=AALTEN)
    assert bereken(w2.con, jaar, kpis=kpis, filters=alleen).is_empty()
    assert niet_berekend(w2.con, [jaar], (), kpis=kpis, filters=alleen) == [
        (
            k,
            jaar,
            "Niet berekend per gemeente: de begroting 2024 heeft targets per segment, niet per "
            "gemeente.",
        )
        for k in kpis
    ]
    # the region: (1 - 2) x 10 = -10
    verwacht(bereken(w2.con, jaar, kpis=["hoeveelheidsverschil"]), "hoeveelheidsverschil",
             [{"waarde": -10, "teller": 15, "noemer": 20, "n": 1}])  # fmt: skip


@golden("hoeveelheidsverschil", "prijsverschil")
def test_n_van_het_verschil_is_de_werkelijke_clienten() -> None:
    w = _targets_2024("2024-12-31")
    _vul(w)
    jaar = Periode.jaar(2024)
    eind = date(2024, 12, 31)
    # n: the distinct clients with a zorgdag in the year in the cells the figure covers,
    # not the number of budget cells (2). a2 is in IAJ and in GWV: once in the region
    regio = bereken(w.con, jaar, kpis=["hoeveelheidsverschil", "prijsverschil"])
    alle = _clienten(eind, segment="GWV") | _clienten(eind, segment="IAJ", gemeente=AALTEN)
    assert len(alle) == 5  # a1, a2, a3, a4, b1
    assert regio["n"].to_list() == [len(alle), len(alle)]
    per_segment = bereken(w.con, jaar, kpis=["prijsverschil"], per=["segment"])
    verwacht(
        per_segment,
        "prijsverschil",
        [
            {"segment": "GWV", "n": len(_clienten(eind, segment="GWV"))},
            {"segment": "IAJ", "n": len(_clienten(eind, segment="IAJ", gemeente=AALTEN))},
        ],
    )
    # the waterfall reads the budget cells only, not the rows per client
    overzicht = verschiloverzicht(w.con, jaar)
    assert overzicht.segmenten["segment"].to_list() == ["GWV", "IAJ"]
    assert overzicht.segmenten["target"].to_list() == [dec(60000), dec(240000)]
    assert overzicht.segmenten["begroot"].to_list() == [dec(60000), dec(240000)]
