"""Golden tests for the forecast (kpi/prognose), worked by hand on tiny warehouses.

Throughout, P = 31-03-2024 inside contract year 2023/24 (1-7-2023 .. 30-6-2024), so 91 days
are still to come (April 30 + May 31 + June 30). The survival window runs from 1-4-2022, the
instroom months are January-March 2024 (31 + 29 + 31 = 91 days), Little's 12 months are
1-4-2023 .. 31-3-2024 (366 days).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from kpi.berekening import Berekening, bereken
from kpi.filters import Filters
from kpi.periode import Periode
from kpi.prognose import methode
from kpi.prognose.eenheden import (
    bereken_prognose,
    maanden_terug,
    overleving_per_subsegment,
    venster,
    volledige_maanden,
)
from kpi.prognose.overzicht import PROGNOSE_KPIS, maandreeks, per_groep, signaal
from kpi.scope import Scope
from tests.kpi_fixtures import Warehouse, golden

P = date(2024, 3, 31)
CJ = Periode.contractjaar(2023)
# No instroom in January-March is no proof of a rate 0: the rate's uncertainty from a count n
# in T = 91 days is (n + 1) / T^2 (methode.instroom_variantie). With S = 1 over the first 91
# days (every curve below), one a day from P + 1 gives A = 1 + 2 + ... + 91 = 4186 expected
# days up to 30 June, so a contract without instroom carries A^2 / T^2 = 46^2 = 2116.
GEEN_INSTROOM = (4186 / 91) ** 2
ANDERE = "0197"  # history in another gemeente: same sub-segment, so the same survival
Z = methode.Z80


@pytest.fixture
def normen(tmp_path: Path) -> Path:
    """A norm file that lets 2 trajectories carry a survival curve (tiny test histories)."""
    pad = tmp_path / "normen.toml"
    pad.write_text(
        '[instellingen]\nprognose_min_trajecten = 2\n\n[[norm]]\nkpi = "verwachte_benutting"\n'
        "groen = [0.90, 1.05]\noranje = [0.80, 1.15]\n",
        encoding="utf-8",
    )
    return pad


def _rij(w: Warehouse, normen: Path | None, **filters: str) -> dict:
    b = Berekening(w.con, normen=normen)
    rijen = bereken_prognose(b.bron, CJ).eenheden
    for k, v in filters.items():
        rijen = rijen.filter(pl.col(k) == v)
    assert rijen.height == 1
    return rijen.row(0, named=True)


def _f(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


# ------------------------------------------------------------------ Kaplan-Meier


def test_kaplan_meier_met_censurering() -> None:
    # D = 2 and 3 ended, one open after 3 days survived (X = 3, censored), D = 5 ended.
    # k = 1, 2: 4 at risk, 1 event at 2: S(2) = 3/4. k = 3: 3 at risk (D = 3, the open one,
    # D = 5), 1 event: S(3) = 3/4 x 2/3 = 1/2. k = 4: only D = 5 at risk (the open one left
    # after 3), no event: 1/2. k = 5: 1 at risk, 1 event: 0.
    o = methode.kaplan_meier([2, 3, 3, 5], [True, True, False, True], [0, 0, 0, 0])
    assert o.op(np.arange(7)).tolist() == pytest.approx([1, 1, 0.75, 0.5, 0.5, 0, 0])
    assert (o.trajecten, o.beeindigd, o.tau) == (4, 3, 5)
    # restricted mean: given D > 3 only D = 5 remains; unconditionally 2/4+3/4+5/2 = 3.75
    assert methode.verwachte_duur(o, np.array([3, 0])).tolist() == pytest.approx([5, 3.75])


def test_kaplan_meier_uit_het_warehouse_met_late_instap() -> None:
    w = Warehouse(peildatum=P)
    # window from 1-4-2022
    w.traject("t1", "2022-01-01", "2022-03-01")  # ended before the window: not used
    w.traject("t2", "2022-03-22", "2022-04-10")  # D = 20, in care on 1-4: enters at 10 days
    w.traject("t3", "2023-01-01", "2023-01-10")  # D = 10
    w.traject("t4", "2023-01-01", "2023-01-20")  # D = 20
    w.traject("t5", "2024-03-17")  # open on P: 15 days in care, X = P - begin = 14
    w.traject("t6", "2023-06-01", "2023-06-30")  # D = 30
    trajecten = w.con.sql(
        "select aanbieder, gemeente, subsegment, begindatum, einddatum as einde from zorgtrajecten"
        " where begindatum <= date '2024-03-31' and (einddatum is null or einddatum >= date"
        " '2022-04-01')"
    ).pl()
    o = overleving_per_subsegment(trajecten, P, date(2022, 4, 1))["IAJ-A"]
    # k 1..10: t3 t4 t5 t6 at risk (t2 enters after 10), t3 ends at 10: S(10) = 3/4
    # k 11..14: t2 t4 t5 t6; k 15..20: t5 has left: t2 t4 t6, two end at 20: S(20) = 1/4
    # k 21..30: t6 alone, ends at 30: S(30) = 0
    assert o.op(np.array([9, 10, 14, 19, 20, 29, 30])).tolist() == pytest.approx(
        [1, 0.75, 0.75, 0.75, 0.25, 0.25, 0]
    )
    assert (o.trajecten, o.beeindigd, o.tau) == (5, 4, 30)


def test_vensters_van_de_methode() -> None:
    assert venster(P, 24) == (date(2022, 4, 1), P)
    assert venster(P, 12) == (date(2023, 4, 1), P)
    assert volledige_maanden(P, 3) == (date(2024, 1, 1), P)
    # on 15-3 March is not complete yet: December to February
    assert volledige_maanden(date(2024, 3, 15), 3) == (date(2023, 12, 1), date(2024, 2, 29))
    assert maanden_terug(date(2024, 2, 29), 12) == date(2023, 2, 28)


# ------------------------------------------------------------------ a client in care


def _cliënt_in_zorg(w: Warehouse, eind: str | None, plekken: float = 1.0) -> None:
    """History: three ended trajectories elsewhere of 101, 111 and 121 days; one client in
    care here since 22-12-2023 (X = P - begin = 100), toewijzing to `eind` (None: open)."""
    for n, dagen in enumerate((101, 111, 121)):
        begin = date(2023, 1, 1)
        w.traject(f"h{n}", begin, begin + timedelta(days=dagen - 1), gemeente=ANDERE)
    w.traject("c1", "2023-12-22", eind, gestopt=False)
    w.contract("2023-07-01", "2024-06-30", plekken, "365")  # dagprijs EUR 1


@golden("verwachte_zorgdagen")
def test_client_in_zorg_begrensd_door_einddatum_toewijzing(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    _cliënt_in_zorg(w, "2024-04-08")  # toewijzing ends 8 days after P
    rij = _rij(w, normen, gemeente="1859")
    # KM: up to 100 days 4 at risk, no end; at 101 3 at risk (the open one is censored at
    # 100), 1 ends: S(101..110) = 2/3; at 111: 1/3; at 121: 0. The client survived X = 100
    # (S = 1), so on P + j it is in care with S(100 + j): 2/3 for j = 1..10, 1/3 for 11..20.
    # Capped at 8-4 (j <= 8): 8 x 2/3 = 16/3 days. Given D > 100 the client stays either 0
    # days (D = 101) or 8 (D = 111, 121): variance 64 x 2/3 - (16/3)^2 = 128/9.
    assert _f(rij["zorgdagen_gerealiseerd"]) == 101
    assert _f(rij["zorgdagen_verwacht"]) == pytest.approx(101 + 16 / 3)
    assert _f(rij["zorgdagen_variantie"]) == pytest.approx(128 / 9 + GEEN_INSTROOM)
    # realised 22-12 .. 31-3 = 10 + 31 + 29 + 31 = 101 days; the interval 80 %
    groep = (
        per_groep(w.con, CJ, normen=normen).filter(pl.col("gemeente") == "1859").row(0, named=True)
    )
    # plus the curve's own uncertainty (Greenwood): at 101 3 at risk, 1 ends, g = 1 / (3 x 2)
    # = 1/6; the hazard at 101 carries all 8 x 2/3 = 16/3 expected days (those at 111 and
    # 121 lie beyond the cap): 1/6 x (16/3)^2 = 128/27
    assert _f(rij["zorgdagen_sd_kromme"]) ** 2 == pytest.approx(128 / 27)
    marge = Z * (128 / 9 + GEEN_INSTROOM + 128 / 27) ** 0.5  # > 16/3: the lower bound is
    # the realised
    assert groep["zorgdagen_onder"] == pytest.approx(101)
    assert groep["zorgdagen_boven"] == pytest.approx(101 + 16 / 3 + marge)
    # no instroom (nothing began in January-March 2024)
    assert _f(rij["instroom_3m"]) == 0


def test_zonder_einddatum_loopt_de_client_door_tot_het_einde_van_de_periode(
    normen: Path,
) -> None:
    w = Warehouse(peildatum=P)
    _cliënt_in_zorg(w, None)
    # uncapped: j = 1..10 at 2/3, 11..20 at 1/3, then 0: 20/3 + 10/3 = 10 days
    assert _f(_rij(w, normen, gemeente="1859")["zorgdagen_verwacht"]) == pytest.approx(111)


# ------------------------------------------------------------------ instroom


def _instroom(w: Warehouse) -> None:
    """13 trajectories of exactly 10 days, all ended: 7 of the contract begun in January 2024
    (the instroom of the last 3 complete months: 7 / 91 = 1/13 a day), 6 elsewhere."""
    for n in range(7):
        begin = date(2024, 1, 5 + n)
        w.traject(f"i{n}", begin, begin + timedelta(days=9))
    for n in range(6):
        begin = date(2023, 5, 1 + n)
        w.traject(f"e{n}", begin, begin + timedelta(days=9), gemeente=ANDERE)
    w.contract("2023-07-01", "2024-06-30", 1, "365")


@golden("verwachte_zorgdagen", "verwachte_benutting")
def test_instroom_term(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    _instroom(w)
    rij = _rij(w, normen, gemeente="1859")
    # S(k) = 1 for k < 10, 0 after: one begun on P + s is in care min(10, 92 - s) days.
    # At rate 1 a day: A = sum over days P+1..P+91 of min(days since P, 10) = 55 + 81 x 10 = 865
    # and B = sum over starts of R^2 = 1^2 + ... + 10^2 + 81 x 100 = 8485.
    a, b = methode.instroom_per_eenheid(methode.kaplan_meier([10] * 13, [True] * 13, [0] * 13),
                                        P.toordinal(), P.toordinal() + 1, P.toordinal() + 91)  # fmt: skip
    assert (a, b) == (865, 8485)
    # expected 865 / 13; variance 8485 / 13 (compound Poisson) + 865^2 x (7 + 1) / 91^2 (the
    # rate estimated from 7 in 91 days: the variance of a Gamma(n + 1, T) rate)
    assert _f(rij["instroom_3m"]) == 7
    assert _f(rij["zorgdagen_gerealiseerd"]) == 70
    assert _f(rij["zorgdagen_verwacht"]) == pytest.approx(70 + 865 / 13)
    assert _f(rij["zorgdagen_variantie"]) == pytest.approx(8485 / 13 + 865**2 * 8 / 91**2)
    # no instroom counted: no compound Poisson, but the rate's own uncertainty, 865^2 / 91^2
    assert methode.instroom_variantie(0.0, 0, 91, 865.0, 8485.0) == pytest.approx(865**2 / 91**2)
    # benutting: (70 + 865/13) / (1 place x 366 days)
    uit = bereken(w.con, CJ, normen=normen, kpis=["verwachte_benutting"]).row(0, named=True)
    assert float(uit["waarde"]) == pytest.approx((70 + 865 / 13) / 366, abs=1e-9)
    assert float(uit["noemer"]) == 366
    assert uit["stoplicht"] == "rood"  # 37 %: far below 80 %
    assert signaal(float(uit["waarde"]), uit["norm_groen"], uit["stoplicht"]) == "onderbenutting"


def test_signaal_boven_en_binnen_de_band() -> None:
    assert signaal(1.10, "0.9..1.05", "oranje") == "overschrijding"
    assert signaal(0.85, "0.9..1.05", "oranje") == "onderbenutting"
    assert signaal(1.00, "0.9..1.05", "groen") == "binnen"
    assert signaal(None, "0.9..1.05", "grijs") == "geen_prognose"
    assert signaal(1.00, None, "grijs") == "geen_norm"


# ------------------------------------------------------------------ Little


def test_wet_van_little_twee_per_week() -> None:
    # 2 clients a week: 104 in 52 weeks (364 days), each 91 days: L = 2/7 x 91 = 26
    plekken, variantie = methode.plekken_little(np.full(104, 91.0), 364)
    assert plekken == pytest.approx(26)
    assert variantie == pytest.approx(104 * 91**2 / 364**2)


@golden("plekken_volgend_jaar")
def test_plekken_volgend_jaar_uit_het_warehouse(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    # 61 trajectories of 120 days begun in the 12 months (366 days) before P, all ended;
    # one more begun before those 12 months does not count
    for n in range(61):
        begin = date(2023, 4, 1) + timedelta(days=n)
        w.traject(f"l{n}", begin, begin + timedelta(days=119))
    w.traject("oud", "2023-03-01", "2023-06-28")
    w.contract("2023-07-01", "2024-06-30", 15, "365", opgegeven_dagen=100)
    rij = _rij(w, normen, gemeente="1859")
    # lambda = 61 / 366 a day, W = 120 days: L = 61 x 120 / 366 = 20 plekken
    assert _f(rij["plekken_volgend_jaar"]) == pytest.approx(20)
    assert _f(rij["instroom_12m"]) == 61
    groep = per_groep(w.con, CJ, normen=normen).row(0, named=True)
    assert groep["doorlooptijd_gemiddeld"] == pytest.approx(120)
    assert groep["opgegeven_dagen"] == 100
    assert groep["plekken"] == 15
    assert groep["lumpsum_volgend_jaar"] == pytest.approx(20 * 365)
    uit = bereken(w.con, CJ, normen=normen, kpis=["plekken_volgend_jaar"]).row(0, named=True)
    assert float(uit["waarde"]) == pytest.approx(20) and float(uit["noemer"]) == 15


def test_little_telt_lopende_trajecten_met_hun_verwachte_duur(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    # history elsewhere: D = 2, 3, 5 ended before the 12 months, so only the survival
    for n, dagen in enumerate((2, 3, 5)):
        begin = date(2023, 1, 10 * n + 1)
        w.traject(f"h{n}", begin, begin + timedelta(days=dagen - 1), gemeente=ANDERE)
    w.traject("open", "2024-03-29")  # 3 days in care, X = 2, open
    w.contract("2023-07-01", "2024-06-30", 1, "365")
    uit = _rij(w, normen, gemeente="1859")
    # KM (D = 2, 3, 5 and the open one censored at X = 2): k = 1, 2: 4 at risk, D = 2 ends:
    # S(2) = 3/4; k = 3: 2 at risk (D = 3, D = 5), D = 3 ends: S(3) = 3/8; k = 4: 1/1 stays,
    # k = 5: ends: S(5) = 0. Restricted mean given D > 2: 2 + (S(2) + S(3) + S(4)) / S(2)
    # = 2 + (3/4 + 3/8 + 3/8) / (3/4) = 4 days; L = 4 / 366.
    assert _f(uit["plekken_volgend_jaar"]) == pytest.approx(4 / 366)


# ------------------------------------------------------------------ money


@golden("verwachte_zorgkosten", "verwacht_saldo", "voorschotadvies")
def test_voorschotadvies_rekensom(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    _cliënt_in_zorg(w, "2024-04-08")  # expected 101 + 16/3 zorgdagen at EUR 1
    for maand in range(12):
        jaar, m = (2023, 7 + maand) if maand < 6 else (2024, maand - 5)
        w.voorschot(date(jaar, m, 1), "10")
    rij = _rij(w, normen, gemeente="1859")
    # zorgkosten: realised 101 x EUR 1 = 101,00 + expected 16/3 = 5,33 (cents, half up)
    assert rij["zorgkosten_verwacht"] == Decimal("106.33")
    # voorschot paid July-March 9 x 10 = 90, planned April-June 30: year 120
    assert rij["voorschot_betaald"] == 90 and rij["voorschot_rest"] == 30
    assert rij["saldo_verwacht"] == Decimal("13.67")  # 120 - 106,33: paid back
    # advice: (106,33 - 90) / 3 remaining months = 5,4433... = EUR 5,44 a month
    assert rij["resterende_maanden"] == 3
    assert rij["advies_rest"] == Decimal("16.33")
    assert rij["voorschotadvies"] == Decimal("5.44")
    uit = bereken(w.con, CJ, normen=normen, kpis=["voorschotadvies", "verwacht_saldo",
                                                  "verwachte_zorgkosten"])  # fmt: skip
    waarden = {r["kpi"]: r for r in uit.iter_rows(named=True)}
    assert waarden["voorschotadvies"]["waarde"] == Decimal("5.44")
    assert waarden["voorschotadvies"]["teller"] == Decimal("16.33")
    assert waarden["voorschotadvies"]["noemer"] == 30
    assert waarden["verwacht_saldo"]["waarde"] == Decimal("13.67")
    assert waarden["verwachte_zorgkosten"]["teller"] == 101
    groep = (
        per_groep(w.con, CJ, normen=normen).filter(pl.col("gemeente") == "1859").row(0, named=True)
    )
    assert groep["voorschot_huidig_per_maand"] == pytest.approx(10)
    # dagprijs 1: the same spread in euros, 5,58 (with the curve's, see above), so the costs'
    # lower bound is the realised EUR 101 and the saldo's upper bound 120 - 101
    assert groep["zorgkosten_onder"] == pytest.approx(101)
    assert groep["saldo_boven"] == pytest.approx(120 - 101, abs=0.01)


# ------------------------------------------------------------------ volloop


def _vol(w: Warehouse, plekken: float) -> None:
    """The instroom history (13 x 10 days, rate 1/13 a day) plus one client in care since
    200 days before P: no one in the history lasted that long, so S stays flat after 10
    days at 1/14 and the client stays in care for sure."""
    _instroom(w)
    w.con.execute("delete from contracten")
    w.traject("lang", P - timedelta(days=199))
    w.contract("2023-07-01", "2024-06-30", plekken, "365")


@golden("volloop")
def test_volloop_datum(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    _vol(w, 1.5)
    rij = _rij(w, normen, gemeente="1859")
    # in care on P + j: 1 (the long client) + (1/13) x (min(j, 10) + max(j - 10, 0) / 14);
    # above 1,5 plekken first at j = 7 (7/13 = 0,54 > 0,5; j = 6: 0,46): 7-4-2024
    assert _f(rij["in_zorg_peildatum"]) == 1
    assert rij["volloop_datum"] == date(2024, 4, 7)
    assert rij["volloopt"] == 1
    uit = bereken(w.con, CJ, normen=normen, kpis=["volloop"]).row(0, named=True)
    assert uit["waarde"] == 1 and uit["noemer"] == 1


def test_volloop_niet_binnen_de_periode_en_al_vol_op_de_peildatum(normen: Path) -> None:
    w = Warehouse(peildatum=P)
    _vol(w, 3)  # at most 1 + (10 + 81/14) / 13 = 2,2 clients: never above 3
    assert _rij(w, normen, gemeente="1859")["volloop_datum"] is None
    w = Warehouse(peildatum=P)
    _vol(w, 0.5)  # already 1 client in care on P against 0,5 plekken
    assert _rij(w, normen, gemeente="1859")["volloop_datum"] == P


# ------------------------------------------------------------------ too little history


def test_geen_prognose_bij_te_weinig_historie() -> None:
    w = Warehouse(peildatum=P)
    _cliënt_in_zorg(w, "2024-04-08")  # 4 trajectories, the default minimum is 20
    rij = _rij(w, None, gemeente="1859")
    assert rij["zorgdagen_verwacht"] is None and rij["plekdagen_periode"] is None
    assert rij["zorgdagen_gerealiseerd"] == 101  # what happened is still known
    assert "te weinig historie: 4 zorgtrajecten in sub-segment IAJ-A" in rij["reden"]
    assert "minimaal 20" in rij["reden"]
    uit = bereken(w.con, CJ, kpis=["verwachte_zorgdagen", "verwachte_benutting"])
    # the engine: no contract with a forecast, so no value at all (not a sum of nothing, 0),
    # no teller, n 0, grijs; a forecast is never voorlopig
    assert uit["waarde"].to_list() == [None, None] and uit["teller"].to_list() == [None, None]
    assert uit["n"].to_list() == [0, 0] and uit["voorlopig"].to_list() == [False, False]
    assert uit["stoplicht"].to_list() == ["grijs", "grijs"]
    groep = per_groep(w.con, CJ).row(0, named=True)
    assert groep["signaal"] == "geen_prognose" and groep["zonder_prognose"] == 1
    assert groep["zorgdagen_verwacht"] is None and "te weinig historie" in groep["reden"]


# ------------------------------------------------------------------ summable, filters, scope


@pytest.fixture(scope="module")
def mini(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


def test_regio_is_de_som_van_de_contracten(mini: duckdb.DuckDBPyConnection) -> None:
    peil = Berekening(mini).peildatum
    periode = Periode.contractjaar(peil.year if peil.month >= 7 else peil.year - 1)
    contract = ("aanbieder", "gemeente", "subsegment")
    per_contract = bereken(mini, periode, per=contract, kpis=PROGNOSE_KPIS)
    regio = bereken(mini, periode, kpis=PROGNOSE_KPIS)
    for kpi in PROGNOSE_KPIS:
        deel = per_contract.filter(pl.col("kpi") == kpi)
        totaal = regio.filter(pl.col("kpi") == kpi).row(0, named=True)
        for kolom in (
            ("teller", "noemer") if kpi in ("verwachte_benutting", "volloop") else ("waarde",)
        ):
            assert deel[kolom].sum() == totaal[kolom], (kpi, kolom)
    assert per_contract.filter(pl.col("kpi") == "verwachte_zorgdagen")["waarde"].null_count() < (
        per_contract.filter(pl.col("kpi") == "verwachte_zorgdagen").height
    )
    # the interval of the region: the variances of the contracts add up
    contracten = per_groep(mini, periode)
    heel = per_groep(mini, periode, per=()).row(0, named=True)
    assert heel["zorgdagen_verwacht"] == pytest.approx(contracten["zorgdagen_verwacht"].sum())
    assert heel["zorgdagen_variantie"] == pytest.approx(contracten["zorgdagen_variantie"].sum())
    assert heel["contracten"] == contracten.height
    # with contracts without forecast in the sample, the group's figures still fit together:
    # the saldo inside its interval, the advice's arithmetic over the same contracts
    assert heel["zonder_prognose"] > 0
    assert heel["saldo_onder"] <= heel["saldo_verwacht"] <= heel["saldo_boven"]
    assert heel["advies_rest"] == pytest.approx(
        heel["zorgkosten_verwacht"] - heel["voorschot_betaald"], abs=0.01
    )
    assert heel["saldo_verwacht"] == pytest.approx(
        heel["voorschot_periode"] - heel["zorgkosten_verwacht"], abs=0.01
    )
    # the month series ends where the contracts' forecast ends
    reeks = maandreeks(mini, periode)
    assert reeks["zorgdagen_verwacht"][-1] == pytest.approx(heel["zorgdagen_verwacht"])
    assert reeks["soort"].to_list()[0] == "realisatie"


def test_sommen_van_de_prognose_zijn_exact_en_elke_keer_gelijk(
    mini: duckdb.DuckDBPyConnection,
) -> None:
    """The month series and a group's figures are exact sums of the contracts' figures (each
    rounded to 1e-10 as the unit set stores them), so the same on every run: a float sum in
    Polars' group_by gave other last bits on a first call than on later ones, and the
    Financiën chart differed between two runs of the page."""
    from kpi.prognose.eenheden import bereken_prognose
    from kpi.prognose.overzicht import contractjaar_van

    b = Berekening(mini)
    periode = contractjaar_van(b.peildatum)
    maanden = bereken_prognose(b.bron, periode).maanden.filter(
        pl.col("zorgdagen_verwacht").is_not_null()
    )
    exact: dict[date, Decimal] = {}
    rijen = maanden.select("maand", pl.col("voorschot").cast(pl.Decimal(38, 10))).iter_rows()
    for maand, bedrag in rijen:  # each value to 1e-10 as Polars casts it, then added exactly
        exact[maand] = exact.get(maand, Decimal(0)) + bedrag
    reeks = [maandreeks(mini, periode, berekening=Berekening(mini)) for _ in range(3)]
    assert dict(reeks[0].select("maand", "voorschot").iter_rows()) == {
        m: float(v) for m, v in exact.items()
    }
    assert all(r.equals(reeks[0]) for r in reeks[1:])
    contracten = per_groep(mini, periode)
    heel = [per_groep(mini, periode, per=(), berekening=Berekening(mini)) for _ in range(3)]
    assert all(h.equals(heel[0]) for h in heel[1:])
    som = sum((Decimal(x) for x in contracten["zorgdagen_variantie"].drop_nulls()), Decimal(0))
    assert heel[0]["zorgdagen_variantie"][0] == float(som)


def test_een_filter_schat_de_overleving_niet_opnieuw(mini: duckdb.DuckDBPyConnection) -> None:
    """A contract's forecast is the same with or without a filter or a provider scope."""
    alle = per_groep(mini)
    gemeente = alle["gemeente"][0]
    eigen = per_groep(mini, filters=Filters(gemeente=(gemeente,)))
    samen = eigen.join(alle, on=["aanbieder", "gemeente", "subsegment"], suffix="_alle")
    assert samen.height == eigen.height > 0
    assert samen["zorgdagen_verwacht"].to_list() == samen["zorgdagen_verwacht_alle"].to_list()


def test_aanbieder_ziet_alleen_eigen_contracten_en_afgeronde_aantallen(
    mini: duckdb.DuckDBPyConnection,
) -> None:
    alle = per_groep(mini)
    agb = alle.filter(pl.col("zorgdagen_verwacht") > 50)["aanbieder"][0]
    eigen = per_groep(mini, scope=Scope("aanbieder", aanbieder=agb))
    assert set(eigen["aanbieder"]) == {agb}
    for kolom in ("zorgdagen_verwacht", "zorgdagen_onder", "in_zorg_peildatum"):
        waarden = [x for x in eigen[kolom].to_list() if x is not None]
        assert all(x % 5 == 0 and x >= 8 for x in waarden), kolom
    # money and shares of one's own contracts stay exact
    zelfde = alle.filter(pl.col("aanbieder") == agb)
    assert eigen["benutting_verwacht"].to_list() == zelfde["benutting_verwacht"].to_list()


def test_prognoses_alleen_op_naam(normen: Path) -> None:
    """'All KPIs' (tables, factsheet, export) leave the forecasts out; asked by name they come."""
    w = Warehouse(peildatum=P)
    _instroom(w)
    alle = set(bereken(w.con, CJ, normen=normen)["kpi"])
    assert "benutting" in alle and not alle & set(PROGNOSE_KPIS)
    gevraagd = bereken(w.con, CJ, normen=normen, kpis=["benutting", "verwachte_benutting"])
    assert gevraagd["kpi"].to_list() == ["benutting", "verwachte_benutting"]
    # a forecast is judged although its period runs on after the peildatum (never voorlopig)
    assert gevraagd.filter(pl.col("kpi") == "verwachte_benutting")["voorlopig"].to_list() == [False]


# ------------------------------------------------------------------ a region with a contract
# without forecast (the review of issue 16: export, aggregates, intervals)

B2 = "22222222"  # a second provider
ALLE = ",".join(PROGNOSE_KPIS)
CONTRACT = ("aanbieder", "gemeente", "subsegment")
REDEN_B = (
    "te weinig historie: 1 zorgtraject in sub-segment IAJ-B in de 24 maanden tot de "
    "peildatum, minimaal 20"
)


def drie_contracten(w: Warehouse) -> None:
    """Three contracts in Berkelland for contract year 2023/24, P = 31-03-2024 (default
    norms: at least 20 trajectories), no voorschotten (so plekken x plekprijs x days / 365):

    - history of IAJ-A elsewhere (0197): 20 trajectories begun 1-1-2023, 10 of 101 and 10 of
      121 days, ended before the contract year. With the two open ones below (censored at 91
      and 95 days) KM gives S = 1 up to 100, 1/2 from 101 (20 at risk, 10 end), 0 from 121.
    - 11111111 x IAJ-A, 1 plek at EUR 365 (EUR 1 a day): c1 in care since 31-12-2023 (X = 91
      days survived, open): realised 1 + 91 = 92 days; after P it stays 9 days (D = 101) or
      29 (D = 121), each 1/2: E = 19, variance (81 + 841) / 2 - 19^2 = 100.
    - 22222222 x IAJ-A, 0,5 plek at EUR 365: c2 since 27-12-2023 (X = 95): realised 5 + 91
      = 96; stays 5 or 25 days: E = 15, variance 100. One client on P above 0,5 plekken.
    - 11111111 x IAJ-B, 1 plek at EUR 730: b1 since 1-1-2024, the only trajectory of IAJ-B:
      no forecast; realised 91 days, EUR 182.
    No instroom: nothing began in January-March 2024 in IAJ-A.
    """
    for n in range(20):
        begin = date(2023, 1, 1)
        duur = 101 if n < 10 else 121
        w.traject(f"h{n}", begin, begin + timedelta(days=duur - 1), gemeente=ANDERE)
    w.traject("c1", "2023-12-31")
    w.traject("c2", "2023-12-27", aanbieder=B2)
    w.traject("b1", "2024-01-01", subsegment="IAJ-B")
    w.contract("2023-07-01", "2024-06-30", 1, "365")
    w.contract("2023-07-01", "2024-06-30", 0.5, "365", aanbieder=B2)
    w.contract("2023-07-01", "2024-06-30", 1, "730", subsegment="IAJ-B")


@pytest.fixture(scope="module")
def drie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("drie") / "warehouse.duckdb"
    w = Warehouse(peildatum=P, pad=pad)
    drie_contracten(w)
    w.con.close()
    return pad


@pytest.fixture(scope="module")
def drie_con(drie: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(drie), read_only=True)


def _export(db: Path, doel: Path, *extra: str) -> None:
    from kpi.cli import main

    assert main(["export", "--db", str(db), "--periode", "cj2023", "--out", str(doel),
                 *extra]) == 0  # fmt: skip


def test_contract_zonder_prognose_heeft_geen_waarde_en_zegt_waarom(
    drie: Path, drie_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Issue 16 review, item 1: every forecast KPI of the contract without forecast has a row
    without value and with the reason, in the engine, the CSV and the Excel export."""
    uit = bereken(drie_con, CJ, per=CONTRACT, kpis=PROGNOSE_KPIS)
    zonder = uit.filter(pl.col("subsegment") == "IAJ-B")
    assert sorted(zonder["kpi"]) == sorted(PROGNOSE_KPIS)  # volloop and benutting too
    assert zonder["waarde"].to_list() == [None] * 7 and zonder["teller"].to_list() == [None] * 7
    assert zonder["n"].to_list() == [0] * 7 and not any(zonder["voorlopig"])
    _export(drie, tmp_path / "p.csv", "--per", ",".join(CONTRACT), "--kpi", ALLE)
    csv = pl.read_csv(tmp_path / "p.csv", infer_schema=False)
    rijen = csv.filter(pl.col("subsegment") == "IAJ-B")
    assert rijen.height == 7
    assert rijen["niet_berekend"].to_list() == [f"geen prognose: {REDEN_B}"] * 7
    for kolom in ("waarde", "teller", "noemer", "n", "voorlopig", "stoplicht"):
        assert rijen[kolom].to_list() == [None] * 7, kolom
    assert csv.filter(pl.col("subsegment") == "IAJ-A")["niet_berekend"].null_count() == 14
    _export(drie, tmp_path / "p.xlsx", "--per", ",".join(CONTRACT), "--kpi", ALLE)
    import openpyxl

    blad = openpyxl.load_workbook(tmp_path / "p.xlsx")["KPI's"]
    koppen = [c.value for c in blad[1]]
    regels = [dict(zip(koppen, [c.value for c in r], strict=True)) for r in blad.iter_rows(2)]
    zonder_x = [r for r in regels if r["Subsegment"] == "IAJ-B"]
    assert len(zonder_x) == 7
    assert all(r["Waarde"] is None and r["Niet berekend, want"] == f"geen prognose: {REDEN_B}"
               for r in zonder_x)  # fmt: skip


@golden(*PROGNOSE_KPIS)
def test_regio_telt_alleen_de_contracten_met_prognose(
    drie_con: duckdb.DuckDBPyConnection,
) -> None:
    """Issue 16 review, item 2: value, teller, noemer and interval of the region are over the
    same contracts (those with a forecast), and equal the sums of the contracts."""
    regio = {r["kpi"]: r for r in bereken(drie_con, CJ, kpis=PROGNOSE_KPIS).iter_rows(named=True)}
    # zorgdagen: (92 + 19) + (96 + 15) = 222, teller 92 + 96 = 188 (not + 91 of IAJ-B)
    assert (regio["verwachte_zorgdagen"]["waarde"], regio["verwachte_zorgdagen"]["teller"]) == (
        222,
        188,
    )
    # EUR 1 a day in IAJ-A: costs the same numbers (not + EUR 182 of IAJ-B)
    assert (regio["verwachte_zorgkosten"]["waarde"], regio["verwachte_zorgkosten"]["teller"]) == (
        222,
        188,
    )
    # benutting 222 / (366 + 183) plekdagen; plekken 1 + 0,5
    assert regio["verwachte_benutting"]["noemer"] == 549
    assert float(regio["verwachte_benutting"]["waarde"]) == pytest.approx(222 / 549, abs=1e-10)
    assert regio["plekken_volgend_jaar"]["noemer"] == Decimal("1.5")
    # voorschot 366 + 183 (a contract year with 29 February) - costs 222 = 327
    assert (regio["verwacht_saldo"]["waarde"], regio["verwacht_saldo"]["teller"]) == (327, 549)
    # advice (111 - 275) / 3 = -54,67 and (111 - 137,5) / 3 = -8,83: -63,50
    assert regio["voorschotadvies"]["waarde"] == Decimal("-63.50")
    assert regio["volloop"]["waarde"] == Decimal("0.5")  # 1 of the 2 with a forecast
    # Little: each open one stays E[D | D > X] = (101 + 121) / 2 = 111 days: 2 x 111 / 366
    assert float(regio["plekken_volgend_jaar"]["waarde"]) == pytest.approx(222 / 366, abs=1e-9)
    assert {r["voorlopig"] for r in regio.values()} == {False}
    assert {r["n"] for r in regio.values()} == {2}
    # the region is the sum of its contracts (those without forecast have no value)
    per = bereken(drie_con, CJ, per=CONTRACT, kpis=PROGNOSE_KPIS)
    for kpi, r in regio.items():
        deel = per.filter(pl.col("kpi") == kpi)
        kolommen = ("teller", "noemer") if kpi in ("verwachte_benutting", "volloop") else (
            "waarde", "teller")  # fmt: skip
        for kolom in kolommen:
            if r[kolom] is not None:
                assert deel[kolom].sum() == r[kolom], (kpi, kolom)
    # the interval: the two contracts' variances add up, 100 + 100, plus the curve's own
    # (Greenwood): at hazard 101 20 at risk and 10 end, g = 10 / (20 x 10) = 1/20 (at 121 all
    # end: 0); each contract's expected days from hazard 101 on are 20 x 1/2 = 10, so each
    # has 1/20 x 10^2 = 5 and together, on the same curve, 1/20 x (10 + 10)^2 = 20: 220
    heel = per_groep(drie_con, CJ, per=()).row(0, named=True)
    # and neither has instroom: 2 x GEEN_INSTROOM
    assert heel["zorgdagen_variantie"] == pytest.approx(200 + 2 * GEEN_INSTROOM)
    assert heel["zorgdagen_variantie_kromme"] == pytest.approx(20)
    assert (heel["contracten"], heel["zonder_prognose"]) == (3, 1)
    assert heel["reden"] == REDEN_B
    assert heel["zorgdagen_gerealiseerd"] == 188
    marge = Z * (220 + 2 * GEEN_INSTROOM) ** 0.5  # 85,5: below the realised 188
    assert heel["zorgdagen_onder"] == pytest.approx(188)
    assert heel["zorgdagen_boven"] == pytest.approx(222 + marge)
    assert heel["benutting_onder"] == pytest.approx(188 / 549)
    assert heel["plekken"] == 1.5 and heel["voorschot_periode"] == 549
    # the month series ends at the same figures, over the same contracts
    reeks = maandreeks(drie_con, CJ).row(-1, named=True)
    assert reeks["zorgdagen_gerealiseerd"] == 188
    assert reeks["zorgdagen_verwacht"] == pytest.approx(222)
    assert reeks["zorgdagen_onder"] == pytest.approx(heel["zorgdagen_onder"])
    assert reeks["benutting_verwacht"] == pytest.approx(222 / 549)


def test_interval_van_een_aanbieder_met_een_contract_zonder_prognose(
    drie_con: duckdb.DuckDBPyConnection,
) -> None:
    """Issue 16 review, item 3: provider 11111111 has one contract with a forecast and one
    without: its bounds are that one contract's, not floored at the other's realised days."""
    aanbieder = per_groep(drie_con, CJ, per=("aanbieder",)).filter(
        pl.col("aanbieder") == "11111111"
    )
    contract = per_groep(drie_con, CJ).filter(
        (pl.col("aanbieder") == "11111111") & (pl.col("subsegment") == "IAJ-A")
    )
    a, c = aanbieder.row(0, named=True), contract.row(0, named=True)
    # variance 100 + 2116 + 5 (no instroom, the curve's: see
    # test_regio_telt_alleen_de_contracten_met_prognose): 111 - 1,2816 x 47,13 = 50,6, so the
    # bound is its own realised 92, not that of both contracts (92 + 91 = 183)
    marge = Z * (105 + GEEN_INSTROOM) ** 0.5
    assert a["zorgdagen_onder"] == pytest.approx(92)
    assert a["benutting_onder"] == pytest.approx(92 / 366)
    assert a["benutting_boven"] == pytest.approx((111 + marge) / 366)
    for kolom in ("zorgdagen_onder", "zorgdagen_boven", "benutting_onder", "benutting_boven",
                  "zorgkosten_onder", "saldo_boven", "voorschotadvies_onder"):  # fmt: skip
        assert a[kolom] == pytest.approx(c[kolom]), kolom
    assert (a["contracten"], a["zonder_prognose"]) == (2, 1)


def test_export_draagt_interval_volloop_en_signaal(drie: Path, tmp_path: Path) -> None:
    """Issue 16 review, item 5: the forecast's rows carry its interval, volloop date, signal
    words and 'prognose'; other KPIs' rows keep their columns, the extra ones empty."""
    from kpi.berekening import KOLOMMEN
    from kpi.prognose.overzicht import EXPORT_KOLOMMEN

    _export(drie, tmp_path / "p.csv", "--per", ",".join(CONTRACT), "--kpi", f"benutting,{ALLE}")
    csv = pl.read_csv(tmp_path / "p.csv", infer_schema=False)
    assert tuple(csv.columns) == (*KOLOMMEN, "niet_berekend", *EXPORT_KOLOMMEN)

    def rij(kpi: str, aanbieder: str = "11111111") -> dict:
        deel = csv.filter(
            (pl.col("kpi") == kpi) & (pl.col("aanbieder") == aanbieder)
            & (pl.col("subsegment") == "IAJ-A")
        )  # fmt: skip
        return deel.row(0, named=True)

    zd = rij("verwachte_zorgdagen")
    assert zd["soort"] == "prognose" and zd["contracten"] == "1" and zd["zonder_prognose"] == "0"
    marge = Z * (105 + GEEN_INSTROOM) ** 0.5
    assert float(zd["interval_onder"]) == pytest.approx(92, abs=1e-9)  # floored: realised
    assert float(zd["interval_boven"]) == pytest.approx(111 + marge, abs=1e-9)
    benutting = rij("verwachte_benutting")
    assert benutting["signaal"] == "dreigende onderbenutting"  # 111 / 366 = 30 %: rood
    assert float(benutting["interval_onder"]) == pytest.approx(92 / 366, abs=1e-9)
    # advice: the costs' spread over the 3 remaining months, sqrt(100 + 2116 + 5) / 3
    advies = rij("voorschotadvies")
    assert float(advies["interval_boven"]) == pytest.approx(-54.67 + marge / 3, abs=1e-9)
    assert rij("volloop")["volloop_datum"] is None
    assert rij("volloop")["signaal"] == "niet binnen deze periode"
    vol = rij("volloop", B2)  # one client on P against 0,5 plekken: full on the peildatum
    assert (vol["volloop_datum"], vol["signaal"]) == ("2024-03-31", "loopt vol")
    # a KPI that is not a forecast: its row as before, the forecast's columns empty
    gewoon = csv.filter(pl.col("kpi") == "benutting")
    assert gewoon.height == 3
    for kolom in EXPORT_KOLOMMEN:
        assert gewoon[kolom].null_count() == 3, kolom
    # the whole region: how many of how many, and why
    _export(drie, tmp_path / "r.csv", "--kpi", ALLE)
    regio = pl.read_csv(tmp_path / "r.csv", infer_schema=False)
    assert set(regio["toelichting"]) == {
        f"prognose over 2 van de 3 contracten; 1 contract zonder prognose (telt niet mee): "
        f"{REDEN_B}"
    }
    assert float(regio.filter(pl.col("kpi") == "verwachte_zorgdagen")["interval_onder"][0]) == (
        pytest.approx(188, abs=1e-9)
    )
    # an export without a forecast KPI keeps exactly its columns (toelichting: kpi.export)
    _export(drie, tmp_path / "g.csv", "--kpi", "benutting")
    assert pl.read_csv(tmp_path / "g.csv").columns == [*KOLOMMEN, "niet_berekend", "toelichting"]
    # Excel: Dutch headers, the interval in the unit of the value
    _export(drie, tmp_path / "p.xlsx", "--per", ",".join(CONTRACT), "--kpi", ALLE)
    import openpyxl

    blad = openpyxl.load_workbook(tmp_path / "p.xlsx")["KPI's"]
    koppen = [c.value for c in blad[1]]
    assert koppen[-8:] == ["Soort", "Interval 80 % onder", "Interval 80 % boven", "Volloopdatum",
                           "Signaal", "Contracten", "Waarvan zonder prognose", "Toelichting"]  # fmt: skip
    regels = [dict(zip(koppen, [c for c in r], strict=True)) for r in blad.iter_rows(2)]
    benutting_x = next(
        r for r in regels
        if r["KPI-code"].value == "verwachte_benutting" and r["Aanbieder"].value == "11111111"
        and r["Subsegment"].value == "IAJ-A"
    )  # fmt: skip
    assert benutting_x["Interval 80 % onder"].number_format == "0.0%"
    assert benutting_x["Signaal"].value == "dreigende onderbenutting"


def test_voorschot_in_het_saldo_zoals_de_definitie_zegt(
    drie_con: duckdb.DuckDBPyConnection,
) -> None:
    """Issue 16 review, item 6: without voorschotten the voorschot is plekken x plekprijs x
    days / 365, so contract year 2023/24 (29 February) carries 366/365 of the year's sum,
    and the definition of verwacht_saldo says so."""
    from kpi.registry import laad_registry

    contracten = per_groep(drie_con, CJ)
    a = contracten.filter((pl.col("aanbieder") == "11111111") & (pl.col("subsegment") == "IAJ-A"))
    b = contracten.filter(pl.col("aanbieder") == B2)
    assert a["voorschot_periode"][0] == pytest.approx(1 * 365 * 366 / 365)  # 366
    assert b["voorschot_periode"][0] == pytest.approx(0.5 * 365 * 366 / 365)  # 183
    # paid up to and including March: July-March, 275 days
    assert a["voorschot_betaald"][0] == pytest.approx(275)
    definitie = laad_registry()["verwacht_saldo"].definitie
    assert "plekken × plekprijs × dagen van de maand binnen het contract / 365" in definitie
    assert "366/365" in definitie
    # a voorschot paid per aanbieder x gemeente is split over its contracts (voorschot.sql)
    assert "over de contracten van dat paar verdeeld naar plekken × plekprijs" in definitie
    assert "tot en met de maand van de peildatum het betaalde" in definitie


def test_greenwood_van_een_cliënt_in_zorg() -> None:
    """The curve's own uncertainty (used by the backtest's diagnosis): Greenwood by the delta
    method, worked by hand on the client of test_client_in_zorg_begrensd_door_einddatum."""
    # D = 101, 111, 121 ended and the client censored at X = 100: at 101 3 at risk, 1 ends:
    # g = 1 / (3 x 2) = 1/6; at 111: 1 / (2 x 1) = 1/2; at 121 all end: 0 (S falls to 0)
    o = methode.kaplan_meier([101, 111, 121, 100], [True, True, True, False], [0, 0, 0, 0])
    assert o.greenwood[[101, 111, 121]].tolist() == pytest.approx([1 / 6, 1 / 2, 0])
    assert o.greenwood.sum() == pytest.approx(1 / 6 + 1 / 2)
    # in care on P + j (j = 1..8, capped) with S(100 + j) / S(100) = 2/3: the weight of hazard
    # 101 is the 8 x 2/3 = 16/3 days from day 101 on; var = 1/6 x (16/3)^2 = 128/27
    p = 1000
    dagen = np.arange(p + 1, p + 31)
    begin = np.array([p - 100])
    kansen = methode.kansen_in_zorg(o, begin, np.array([100]), np.array([p + 8]), dagen)
    a = methode.staarten(kansen, dagen, np.array([p + 1]), np.array([p + 30]))
    assert a[0, 0] == pytest.approx(16 / 3) and a[0, 8] == 0
    gewicht = np.zeros(o.s.size)
    j = dagen - begin[0]
    gewicht[j[j < o.s.size]] = a[0, j < o.s.size]
    assert methode.greenwood_variantie(o, gewicht) == pytest.approx(128 / 27)
    # instroom at rate 1 from P + 1 over [P + 1, P + 3] with S = 1 up to 100: a(1) = the
    # expected days 1 + 2 + 3 = 6 (all with k >= 1 except the start days), a(2) = 1 + 2 = 3
    # (k >= 2: t - s = 2 twice... ) worked out: N(k) = days t with t - k >= P + 1
    staart = methode.instroom_staart(o, p, p + 1, p + 3)
    # k = 0: N = 3, k = 1: N = 2, k = 2: N = 1 (S = 1): a(0) = 6, a(1) = 3, a(2) = 1, a(3) = 0
    assert staart[:4].tolist() == pytest.approx([6, 3, 1, 0])
