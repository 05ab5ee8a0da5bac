"""Voorlopig: a share whose deadline (5 werkdagen) or follow-up reaches past the peildatum
is voorlopig and grey, because the late messages of its last days have not arrived yet."""

from datetime import date

import pytest

from kpi.berekening import periode_voorlopig, reeks, termijn_einde
from kpi.export import schrijf_csv
from kpi.periode import Periode
from kpi.registry import laad_registry
from tests.kpi_fixtures import Warehouse, enkel, golden

REG = laad_registry()
DECEMBER, NOVEMBER = Periode.parse("2024-12"), Periode.parse("2024-11")


@pytest.mark.parametrize(
    ("dag", "uiterlijk"),
    [
        # Tue 31-12-2024; Wed 1-1 is Nieuwjaarsdag: Thu 2-1 (1), Fri 3-1 (2), Mon 6-1 (3),
        # Tue 7-1 (4), Wed 8-1 (5)
        (date(2024, 12, 31), date(2025, 1, 8)),
        # Sat 30-11-2024: Mon 2-12 (1) ... Fri 6-12 (5)
        (date(2024, 11, 30), date(2024, 12, 6)),
        # Tue 24-12-2024; 25-12 and 26-12 Kerstmis: Fri 27-12 (1), Mon 30-12 (2), Tue 31-12
        # (3), Thu 2-1 (4), Fri 3-1 (5)
        (date(2024, 12, 24), date(2025, 1, 3)),
    ],
)
def test_termijn_in_werkdagen(dag: date, uiterlijk: date) -> None:
    for kpi_id in ("tijdig_305", "tijdig_307", "tijdig_301", "zonder_stop"):
        assert termijn_einde(REG[kpi_id], dag) == uiterlijk


def test_termijn_in_dagen_en_zonder_termijn() -> None:
    # zonder_start: a toewijzing is 'zonder start' only 42 days after its ingangsdatum
    assert termijn_einde(REG["zonder_start"], date(2024, 11, 30)) == date(2025, 1, 11)
    assert termijn_einde(REG["instroom"], date(2024, 11, 30)) == date(2024, 11, 30)


@pytest.mark.parametrize(
    ("kpi_id", "periode", "peildatum", "voorlopig"),
    [
        # the last month before the peildatum 31-12-2024: its last day is due 8-1-2025
        ("tijdig_305", DECEMBER, date(2024, 12, 31), True),
        # November's last day is due Fri 6-12: past by 31-12
        ("tijdig_305", NOVEMBER, date(2024, 12, 31), False),
        # ... but not yet past on the peildatum 6-12 itself (as zonder_stop counts it)
        ("tijdig_307", NOVEMBER, date(2024, 12, 6), True),
        ("tijdig_307", NOVEMBER, date(2024, 12, 9), False),
        # the whole year 2024 ends on the peildatum: its December is not complete
        ("tijdig_301", Periode.parse("2024"), date(2024, 12, 31), True),
        ("tijdig_301", Periode.parse("2024-Q3"), date(2024, 12, 31), False),
        # zonder_start: 30-11 + 42 days = 11-1-2025; 31-10 + 42 = 12-12-2024
        ("zonder_start", NOVEMBER, date(2024, 12, 31), True),
        ("zonder_start", Periode.parse("2024-10"), date(2024, 12, 31), False),
        ("zonder_start", Periode.parse("2024-10"), date(2024, 12, 12), True),
        ("zonder_start", Periode.parse("2024-10"), date(2024, 12, 13), False),
        # a KPI without a termijn: only a period that runs past the peildatum
        ("instroom", DECEMBER, date(2024, 12, 31), False),
        ("instroom", DECEMBER, date(2024, 12, 30), True),
        ("quarantaine", DECEMBER, date(2024, 12, 1), False),  # not bound to a period
    ],
)
def test_periode_voorlopig(kpi_id: str, periode: Periode, peildatum: date, voorlopig: bool) -> None:
    assert periode_voorlopig(REG[kpi_id], periode, peildatum) is voorlopig


@golden("tijdig_305")
def test_laatste_maand_startberichten_voorlopig_en_grijs() -> None:
    # December 2024 at peildatum 31-12: the ten 305s that arrived are on time (100 %, above
    # the norm of 90 %), but a late 305 for the last days could still come: voorlopig, grey.
    # November: 8 of 10 on time (80 %: oranje, >= 75 %), and final.
    w = Warehouse(peildatum="2024-12-31")
    for i in range(10):
        w.start_stop("305", f"D{i}", f"d{i}", date(2024, 12, 2 + i), date(2024, 12, 3 + i))
        dagtekening = date(2024, 12, 20) if i < 2 else date(2024, 11, 5 + i)  # 2 late
        w.start_stop("305", f"N{i}", f"n{i}", date(2024, 11, 4 + i), dagtekening)
    dec = enkel(w.bereken("2024-12", kpis=["tijdig_305"]), "tijdig_305")
    assert (dec["waarde"], dec["n"], dec["voorlopig"], dec["stoplicht"]) == (1, 10, True, "grijs")
    assert dec["norm_groen"] == ">= 0.9"  # the norm it will be judged against stays shown
    nov = enkel(w.bereken("2024-11", kpis=["tijdig_305"]), "tijdig_305")
    assert (nov["teller"], nov["noemer"], nov["voorlopig"]) == (8, 10, False)
    assert nov["stoplicht"] == "oranje"
    # the monthly series (a trend) marks the same months
    per_maand = reeks(w.con, "2024-11-01..2024-12-31", kpis=["tijdig_305"])
    assert per_maand.sort("periode_start")["voorlopig"].to_list() == [False, True]


@golden("zonder_start")
def test_zonder_start_volgt_de_eigen_42_dagen() -> None:
    # peildatum 31-12-2024. T1: ingangsdatum 19-11 = 42 days before: not yet counted by the
    # SQL, so November (ending 30-11, 42 days later 11-1-2025) is voorlopig; T2: 18-11, 43
    # days: counted. October's toewijzing (T3) is counted and October is final.
    w = Warehouse(peildatum="2024-12-31")
    w.toewijzing("T1", "c1", "2024-11-19")
    w.toewijzing("T2", "c2", "2024-11-18")
    w.toewijzing("T3", "c3", "2024-10-15")
    nov = enkel(w.bereken("2024-11", kpis=["zonder_start"]), "zonder_start")
    assert (nov["teller"], nov["noemer"], nov["voorlopig"]) == (1, 1, True)
    okt = enkel(w.bereken("2024-10", kpis=["zonder_start"]), "zonder_start")
    assert (okt["teller"], okt["voorlopig"]) == (1, False)


@golden("tijdig_307")
def test_voorlopig_staat_in_de_export(tmp_path) -> None:
    w = Warehouse(peildatum="2024-12-31")
    w.start_stop("307", "T1", "c1", "2024-01-01", "2024-12-20", "2024-12-18")
    pad = tmp_path / "kpi.csv"
    schrijf_csv(w.bereken("2024-12", kpis=["tijdig_307"]), pad)
    kop, rij = pad.read_text(encoding="utf-8").splitlines()
    waarden = dict(zip(kop.split(","), rij.split(","), strict=True))
    assert (waarden["voorlopig"], waarden["stoplicht"]) == ("true", "grijs")
