"""KPIs from other sources (kpi_waarden) and KPI sets and norms that change during the contract.

"In de toekomst ook andere bronnen mogelijk (bv. cliënttevredenheid)"; "De KPI's die we met
elkaar afspreken, zijn dynamisch" (the region, ../shared/seeds). Expected values are worked out
by hand in each test.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import polars as pl
import pytest

import kpi
from kpi.berekening import Berekening
from kpi.normen import NormFout, laad_normen
from kpi.periode import Periode
from kpi.registry import KPI_TOML, RegistryFout, laad_registry
from kpi.scope import Scope, peers
from tests.conftest import AALTEN, DOETINCHEM, bericht, laad, rijen, schrijf_extract
from tests.kpi_fixtures import Warehouse, dec, enkel, golden, verwacht
from warehouse.schema import EXTERNE_KPIS_TOML
from weergave import tabellen

A, B, C, D, E = "11111111", "22222222", "33333333", "44444444", "55555555"
CTO, DOEL = "clienttevredenheid", "doelrealisatie"
H1_2023 = ("2023-01-01", "2023-06-30")
H2_2023 = ("2023-07-01", "2023-12-31")
H1_2024 = ("2024-01-01", "2024-06-30")
H2_2024 = ("2024-07-01", "2024-12-31")
H1_2025 = ("2025-01-01", "2025-06-30")
CJ2023 = ("2023-07-01", "2024-06-30")
KOLOMMEN = ("waarde", "teller", "noemer", "n")


def _normen(tmp_path: Path, tekst: str) -> Path:
    pad = tmp_path / "normen.toml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def _bereken(
    w: Warehouse, periode: str, per: tuple[str, ...] = (), normen: Path | None = None, **kw
) -> pl.DataFrame:
    return Berekening(w.con, normen=normen, **kw).bereken(Periode.parse(periode), per)


# ---------------------------------------------------------------- loading and quarantine
KOP = ("kpi", "aanbieder", "gemeente", "subsegment", "periode_van", "periode_tot", "waarde",
       "teller", "noemer", "n", "bron")  # fmt: skip


def _rij(*waarden: str) -> dict[str, str]:
    return dict(zip(KOP, waarden, strict=True))


# (csv line, row, expected: None = loaded, else (ernst, kolom, reden))
LADING = [
    (2, _rij(CTO, A, "", "", *H1_2023, "", "40", "50", "", "CTO 2023"), None),
    (3, _rij(CTO, A, "", "", *H2_2023, "", "27", "30", "", "CTO 2023"), None),
    (4, _rij(CTO, A, "", "", *H1_2023, "", "40", "50", "", "CTO 2023"),
     ("dubbel", "kpi", "dubbel: al geladen")),
    (5, _rij(CTO, A, "", "", *H1_2023, "", "41", "50", "", "CTO 2023"),
     ("fout", "kpi", "tegenstrijdig dubbel: zelfde sleutel, andere inhoud")),
    # shares a day with line 2 (same KPI and provider, all gemeenten): would count people twice
    (6, _rij(CTO, A, "", "", "2023-04-01", "2023-09-30", "", "1", "2", "", ""),
     ("fout", "periode_van", "periode overlapt met een eerdere regel voor dezelfde KPI en aanbieder")),
    (7, _rij(CTO, A, AALTEN, "", *H1_2023, "", "5", "10", "", ""),
     ("fout", "periode_van", "periode overlapt met een eerdere regel voor dezelfde KPI en aanbieder")),
    # two gemeenten of one provider in the same period do not overlap
    (8, _rij(CTO, B, AALTEN, "", *H1_2023, "", "8", "10", "", ""), None),
    (9, _rij(CTO, B, DOETINCHEM, "", *H1_2023, "", "9", "10", "", ""), None),
    (10, _rij(CTO, "99999999", "", "", *H1_2024, "", "8", "10", "", ""),
     ("fout", "aanbieder", "onbekende aanbieder (niet in aanbieders)")),
    (11, _rij("instroom", B, "", "", *H1_2024, "12", "", "", "12", ""),
     ("fout", "kpi", "onbekende KPI (niet gedeclareerd in externe_kpis.toml)")),
    (12, _rij(CTO, B, "", "", *H1_2024, "82", "", "", "40", ""),
     ("fout", "waarde", "aandeel buiten 0–1 (een aandeel als fractie: 0,82 voor 82 %)")),
    (13, _rij(CTO, B, "", "", *H1_2024, "", "12", "10", "", ""),
     ("fout", "teller", "teller groter dan noemer bij een aandeel")),
    (14, _rij(CTO, B, "", "", *H1_2024, "", "5", "", "", ""),
     ("fout", "noemer", "teller en noemer horen samen: geef beide of geen van beide")),
    (15, _rij(CTO, B, "", "", "2024-06-30", "2024-01-01", "", "1", "2", "", ""),
     ("fout", "periode_tot", "periode tot ligt voor periode van")),
    (16, _rij(CTO, B, "9999", "", *H1_2024, "", "1", "2", "", ""),
     ("fout", "gemeente", "onbekende gemeentecode")),
    (17, _rij(CTO, B, "", "Bestaat niet", *H1_2024, "", "1", "2", "", ""),
     ("fout", "subsegment", "onbekend subsegment (niet in producten)")),
    (18, _rij(CTO, B, "", "", *H1_2024, "", "", "", "20", ""),
     ("fout", "waarde", "geen waarde: geef een waarde, of teller en noemer")),
    (19, _rij(DOEL, B, "", "Jeugd Basis", *CJ2023, "0,75", "", "", "12", "evaluaties"), None),
    (20, _rij(DOEL, A, "", "", *CJ2023, "0,75", "", "", "", ""),
     ("fout", "n", "n ontbreekt (geen n en geen noemer)")),
    (21, _rij(CTO, B, "", "", *H1_2024, "0,5", "1", "4", "", ""),
     ("fout", "waarde", "waarde past niet bij teller / noemer")),
    (22, _rij(CTO, B, "", "", *H2_2024, "", "1", "0", "", ""),
     ("fout", "noemer", "noemer is 0: geen waarde te berekenen")),
]  # fmt: skip


def _extract_met_kpi_waarden(map_: Path, kpi_waarden: list[dict[str, str]]) -> Path:
    berichten = [bericht(bericht_type="JW301", dagtekening="2024-12-31", toewijzingnummer="1",
                         ingangsdatum="2024-01-01")]  # fmt: skip
    aanbieders = [{"aanbieder": a, "naam": f"Aanbieder {a[0]}"} for a in (A, B)]
    return schrijf_extract(map_, berichten, aanbieders=aanbieders, kpi_waarden=kpi_waarden)


def test_kpi_waarden_geladen_of_in_quarantaine_met_reden(tmp_path: Path) -> None:
    map_ = _extract_met_kpi_waarden(tmp_path / "extract", [r for _, r, _ in LADING])
    con = laad(map_)
    geladen = rijen(
        con,
        "select kpi, aanbieder, coalesce(gemeente, ''), coalesce(subsegment, ''), periode_van, "
        "teller, noemer, waarde, n from kpi_waarden order by all",
    )
    verwacht_geladen = sorted(
        (r["kpi"], r["aanbieder"], r["gemeente"], r["subsegment"], Periode.parse(
            f"{r['periode_van']}..{r['periode_tot']}").start,
         Decimal(r["teller"]) if r["teller"] else None, Decimal(r["noemer"]) if r["noemer"] else None,
         Decimal(r["waarde"].replace(",", ".")) if r["waarde"] else None,
         int(r["n"]) if r["n"] else None)
        for _, r, uitkomst in LADING if uitkomst is None
    )  # fmt: skip
    assert geladen == verwacht_geladen
    quarantaine = rijen(
        con,
        "select bron_regel, ernst, kolom, reden from quarantaine where tabel = 'kpi_waarden' "
        "order by bron_regel",
    )
    assert quarantaine == [(regel, *u) for regel, _, u in LADING if u is not None]
    # the overlap names the row it overlaps; the unit check shows the offending values
    waarden = dict(
        rijen(con, "select bron_regel, waarde from quarantaine where bron_regel in (6, 13)")
    )
    assert waarden == {6: "eerder: kpi_waarden.csv regel 2", 13: "12 / 10"}
    # input = loaded + duplicate + rejected, for the file
    ((regels_in, geladen_n, dubbel, afgekeurd),) = rijen(
        con,
        "select regels_in, geladen, dubbel, afgekeurd from laadverslag where tabel = 'kpi_waarden'",
    )
    assert (regels_in, geladen_n, dubbel, afgekeurd) == (len(LADING), 5, 1, len(LADING) - 6)


def test_kpi_waarden_twee_keer_laden_verandert_niets(tmp_path: Path) -> None:
    map_ = _extract_met_kpi_waarden(tmp_path / "extract", [r for _, r, _ in LADING])
    sql = "select * from kpi_waarden order by all"
    eerste = rijen(laad(map_, tmp_path / "a.duckdb"), sql)
    assert rijen(laad(map_, tmp_path / "b.duckdb"), sql) == eerste and len(eerste) == 5


def test_zonder_declaratie_is_elke_kpi_waarde_onbekend(tmp_path: Path) -> None:
    from warehouse.laden import laad_extract

    map_ = _extract_met_kpi_waarden(tmp_path / "extract", [LADING[0][1]])
    leeg = tmp_path / "geen.toml"
    leeg.write_text("", encoding="utf-8")
    laad_extract(map_, tmp_path / "w.duckdb", externe_kpis=leeg)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert rijen(con, "select count(*) from kpi_waarden") == [(0,)]
    assert rijen(con, "select reden from quarantaine where tabel = 'kpi_waarden'") == [
        ("onbekende KPI (niet gedeclareerd in externe_kpis.toml)",)
    ]


# ---------------------------------------------------------------- combining periods
@golden(CTO)
def test_halfjaren_samen_als_som_van_tellers_en_noemers() -> None:
    w = Warehouse()
    w.kpi_waarde(CTO, *H1_2023, teller=40, noemer=50, aanbieder=A)  # 80 %
    w.kpi_waarde(CTO, *H2_2023, teller=27, noemer=30, aanbieder=A)  # 90 %
    w.kpi_waarde(CTO, *H1_2024, teller=18, noemer=20, aanbieder=A)  # 90 %
    w.kpi_waarde(CTO, *H1_2023, teller=9, noemer=10, aanbieder=B)  # 90 %
    # 2023, provider A: (40 + 27) / (50 + 30) = 67/80 = 83,75 % (the mean of its two
    # half-years, 85 %, would weigh 30 respondents like 50); B: 9/10
    verwacht(w.bereken("2023", [CTO], per=["aanbieder"]), CTO, [
        {"aanbieder": A, "waarde": Fraction(67, 80), "teller": 67, "noemer": 80, "n": 80},
        {"aanbieder": B, "waarde": Fraction(9, 10), "teller": 9, "noemer": 10, "n": 10},
    ])  # fmt: skip
    # the region 2023: (40 + 27 + 9) / (50 + 30 + 10) = 76/90
    verwacht(w.bereken("2023", [CTO]), CTO, [
        {"waarde": Fraction(76, 90), "teller": 76, "noemer": 90, "n": 90},
    ])  # fmt: skip
    # contract year 2023/24 = H2 2023 + H1 2024: (27 + 18) / (30 + 20) = 45/50
    verwacht(w.bereken("cj2023", [CTO]), CTO, [
        {"waarde": Fraction(45, 50), "teller": 45, "noemer": 50, "n": 50},
    ])  # fmt: skip
    # a quarter holds no delivered half-year: no value, n 0 (not a share of a half-year)
    verwacht(w.bereken("2023-Q2", [CTO]), CTO, [
        {"waarde": None, "teller": None, "noemer": None, "n": 0},
    ])  # fmt: skip


def test_n_is_wat_is_aangeleverd_anders_de_noemer() -> None:
    w = Warehouse()
    w.kpi_waarde(CTO, *H1_2023, teller=40, noemer=50, n=64, aanbieder=A)  # 64 asked, 50 answered
    w.kpi_waarde(CTO, *H2_2023, teller=27, noemer=30, aanbieder=A)
    assert enkel(w.bereken("2023", [CTO]), CTO)["n"] == 64 + 30


@golden(DOEL)
def test_zonder_teller_en_noemer_alleen_voor_precies_die_periode() -> None:
    w = Warehouse()
    w.kpi_waarde(DOEL, *CJ2023, waarde="0.75", n=12, aanbieder=A)
    w.kpi_waarde(DOEL, *CJ2023, waarde="0.6", n=20, aanbieder=B)
    # exactly the delivered period: the value as delivered
    verwacht(w.bereken("cj2023", [DOEL], per=["aanbieder"]), DOEL, [
        {"aanbieder": A, "waarde": "0.75", "teller": None, "noemer": None, "n": 12},
        {"aanbieder": B, "waarde": "0.6", "teller": None, "noemer": None, "n": 20},
    ])  # fmt: skip
    # the region cannot combine two shares without their parts (the mean 67,5 % and the
    # n-weighted 65,6 % are both guesses): no value, n 12 + 20
    verwacht(w.bereken("cj2023", [DOEL]), DOEL, [
        {"waarde": None, "teller": None, "noemer": None, "n": 32},
    ])  # fmt: skip
    # a longer period holding the delivered one: no value either, and the text says why
    breder = w.bereken("2023-07-01..2024-12-31", [DOEL], per=["aanbieder"])
    verwacht(breder, DOEL, [
        {"aanbieder": A, "waarde": None, "teller": None, "noemer": None, "n": 12},
        {"aanbieder": B, "waarde": None, "teller": None, "noemer": None, "n": 20},
    ])  # fmt: skip
    tekst = tabellen.met_tekst(breder, laad_registry())
    assert tekst["tekst"].to_list() == ["–", "–"]
    assert tekst["toelichting"].to_list() == [tabellen.ALLEEN_PRECIES] * 2
    assert (
        tabellen.kpi_tabel(breder, laad_registry())["Waarde"].to_list()
        == ["– (zonder teller en noemer alleen voor precies de aangeleverde periode)"] * 2
    )
    # a period without any delivered one: nothing
    verwacht(w.bereken("2024", [DOEL]), DOEL, [
        {"waarde": None, "teller": None, "noemer": None, "n": 0},
    ])  # fmt: skip
    # one part without teller and noemer spoils the sum: A adds H2 2024 as 9/10
    w.kpi_waarde(DOEL, *H2_2024, teller=9, noemer=10, aanbieder=A)
    verwacht(w.bereken("2023-07-01..2024-12-31", [DOEL], filters=kpi.Filters(aanbieder=A)),
             DOEL, [{"waarde": None, "teller": None, "noemer": None, "n": 22}])  # fmt: skip


def test_filters_en_indeling_per_gemeente_en_segment() -> None:
    w = Warehouse()
    w.product("45A01", "IAJ-A", segment="IAJ", domein="jeugd")
    w.product("02A01", "IO-A", segment="IO", domein="wmo")
    w.kpi_waarde(DOEL, *H2_2023, teller=8, noemer=10, aanbieder=A, gemeente=AALTEN,
                 subsegment="IAJ-A")  # fmt: skip
    w.kpi_waarde(DOEL, *H2_2023, teller=3, noemer=5, aanbieder=A, gemeente=DOETINCHEM,
                 subsegment="IAJ-A")  # fmt: skip
    w.kpi_waarde(DOEL, *H2_2023, teller=9, noemer=12, aanbieder=B, gemeente=AALTEN,
                 subsegment="IO-A")  # fmt: skip
    # per gemeente: Aalten (8 + 9) / (10 + 12) = 17/22; Doetinchem 3/5
    verwacht(w.bereken("2023", [DOEL], per=["gemeente"]), DOEL, [
        {"gemeente": AALTEN, "waarde": Fraction(17, 22), "n": 22},
        {"gemeente": DOETINCHEM, "waarde": Fraction(3, 5), "n": 5},
    ])  # fmt: skip
    # segment and domein follow from the sub-segment: jeugd = A's rows (8 + 3) / (10 + 5)
    verwacht(w.bereken("2023", [DOEL], filters=kpi.Filters(domein="jeugd")), DOEL, [
        {"waarde": Fraction(11, 15), "n": 15},
    ])  # fmt: skip


def test_oudere_warehouse_zonder_tabel_rekent_door() -> None:
    w = Warehouse()
    w.con.execute("drop table kpi_waarden")  # a schema-4 warehouse
    uit = w.bereken("2023")
    assert not set(uit["kpi"]) & {CTO, DOEL} and "instroom" in set(uit["kpi"])
    assert kpi.niet_berekenbaar(w.con, [CTO]) == {CTO: "tabel kpi_waarden is leeg"}


# ---------------------------------------------------------------- norms with validity dates
NORM_VANAF_CJ2024 = """
[[norm]]
kpi = "doelrealisatie"
groen = 0.75
oranje = 0.60
geldig_van = 2024-07-01
"""


def test_stoplicht_van_een_norm_die_pas_vanaf_cj2024_geldt(tmp_path: Path) -> None:
    w = Warehouse(peildatum="2025-12-31")
    for (van, tot), teller in ((H2_2023, 8), (H1_2024, 7), (H2_2024, 7), (H1_2025, 6)):
        w.kpi_waarde(DOEL, van, tot, teller=teller, noemer=10, aanbieder=A)
    normen = _normen(tmp_path, NORM_VANAF_CJ2024)
    # cj2023 (ends 30-6-2024): (8 + 7) / 20 = 75 %, but no norm is in force yet: grijs
    cj2023 = enkel(_bereken(w, "cj2023", normen=normen), DOEL)
    assert (cj2023["waarde"], cj2023["norm_groen"], cj2023["stoplicht"]) == (
        dec("0.75"),
        None,
        "grijs",
    )
    # cj2024 (ends 30-6-2025): (7 + 6) / 20 = 65 %: below groen 75 %, above oranje 60 %
    cj2024 = enkel(_bereken(w, "cj2024", normen=normen), DOEL)
    assert (cj2024["waarde"], cj2024["norm_groen"], cj2024["norm_oranje"], cj2024["stoplicht"]) == (
        dec("0.65"), ">= 0.75", ">= 0.6", "oranje")  # fmt: skip
    # the calendar year 2024 ends after 1-7-2024: judged, (7 + 7) / 20 = 70 %: oranje
    assert enkel(_bereken(w, "2024", normen=normen), DOEL)["stoplicht"] == "oranje"
    # the same per aanbieder (the norm chosen per period for each group)
    per = _bereken(w, "cj2024", ("aanbieder",), normen=normen).filter(pl.col("kpi") == DOEL)
    assert per.select("aanbieder", "stoplicht").rows() == [(A, "oranje")]


AANGESCHERPT = """
[[norm]]
kpi = "clienttevredenheid"
groen = 0.80
oranje = 0.70
geldig_van = 2023-07-01
geldig_tot = 2024-12-31

[[norm]]
kpi = "clienttevredenheid"
groen = 0.85
oranje = 0.75
geldig_van = 2025-01-01
"""


def test_aangescherpte_norm_per_1_januari_2025(tmp_path: Path) -> None:
    w = Warehouse(peildatum="2025-12-31")
    for van, tot in (H1_2024, H2_2024, H1_2025):
        w.kpi_waarde(CTO, van, tot, teller=41, noemer=50, aanbieder=A)  # 82 % each
    normen = _normen(tmp_path, AANGESCHERPT)
    # 2024 ends 31-12-2024: the old norm, 82 % >= 80 %: groen
    jaar = enkel(_bereken(w, "2024", normen=normen), CTO)
    assert (jaar["waarde"], jaar["norm_groen"], jaar["stoplicht"]) == (
        dec("0.82"),
        ">= 0.8",
        "groen",
    )
    # cj2024 ends 30-6-2025: the tightened norm, 82 % < 85 % but >= 75 %: oranje
    cj = enkel(_bereken(w, "cj2024", normen=normen), CTO)
    assert (cj["waarde"], cj["norm_groen"], cj["stoplicht"]) == (dec("0.82"), ">= 0.85", "oranje")
    # cj2022 ends before either norm: none
    assert enkel(_bereken(w, "cj2022", normen=normen), CTO)["norm_groen"] is None


def test_datum_van_een_norm_geldt_ook_voor_berekende_kpis(tmp_path: Path) -> None:
    w = Warehouse(peildatum="2025-12-31")
    for jaar in (2024, 2025):  # per year 10 ended trajectories, 8 volgens plan: 80 %
        for i in range(10):
            w.traject(f"c{jaar}{i}", f"{jaar}-01-0{1 + i % 9}", f"{jaar}-06-1{i}",
                      reden="31" if i < 8 else "32")  # fmt: skip
    normen = _normen(tmp_path, """
[[norm]]
kpi = "uitstroom_volgens_plan"
groen = 0.70
oranje = 0.60
geldig_tot = 2024-12-31

[[norm]]
kpi = "uitstroom_volgens_plan"
groen = 0.90
oranje = 0.75
geldig_van = 2025-01-01
""")  # fmt: skip
    kies = ["uitstroom_volgens_plan"]
    assert enkel(_bereken(w, "2024", normen=normen), kies[0])["stoplicht"] == "groen"
    assert enkel(_bereken(w, "2025", normen=normen), kies[0])["stoplicht"] == "oranje"


@pytest.mark.parametrize(
    ("tekst", "melding"),
    [
        (AANGESCHERPT.replace("2024-12-31", "2025-01-01"), "zelfde KPI en selectie als norm #1"),
        (NORM_VANAF_CJ2024.replace("2024-07-01", '"cj2024"'), "geldig_van moet een datum zijn"),
        (NORM_VANAF_CJ2024 + "geldig_tot = 2024-06-30\n", "geldig_tot ligt voor geldig_van"),
    ],
)
def test_ongeldige_geldigheid_van_een_norm(tmp_path: Path, tekst: str, melding: str) -> None:
    with pytest.raises(NormFout, match=melding):
        laad_normen(_normen(tmp_path, tekst))


def test_overzicht_van_kpis_en_normen_per_contractjaar(tmp_path: Path) -> None:
    normen = laad_normen(_normen(tmp_path, AANGESCHERPT + NORM_VANAF_CJ2024))
    # the first change is 1-7-2023 (doelrealisatie, the norms): from the contract year before
    # it, up to the one of the peildatum
    tabel = tabellen.geldigheid_tabel(normen, laad_registry(), date(2024, 12, 31))
    assert tabel.columns == ["KPI", "Geldt voor", "contractjaar 2022/23", "contractjaar 2023/24",
                             "contractjaar 2024/25"]  # fmt: skip
    per_kpi = {r["KPI"]: r for r in tabel.iter_rows(named=True) if r["Geldt voor"] == "iedereen"}
    assert list(per_kpi["Cliënttevredenheid"].values())[2:] == [
        "geen norm",
        "groen ≥ 80,0 %; oranje ≥ 70,0 %",
        "groen ≥ 85,0 %; oranje ≥ 75,0 %",
    ]
    # doelrealisatie joined the KPI set on 1-7-2023 (externe_kpis.toml), its norm on 1-7-2024
    assert list(per_kpi["Doelrealisatie"].values())[2:] == [
        "niet van toepassing",
        "geen norm",
        "groen ≥ 75,0 %; oranje ≥ 60,0 %",
    ]
    assert list(per_kpi["Instroom"].values())[2:] == ["geen norm"] * 3


# ---------------------------------------------------------------- KPI set per period
def _met_geldigheid(tmp_path: Path, kpi_id: str, regel: str) -> Path:
    """kpis.toml with one line added to the entry of `kpi_id`."""
    tekst = KPI_TOML.read_text(encoding="utf-8")
    kop = f'id = "{kpi_id}"\n'
    assert tekst.count(kop) == 1
    pad = tmp_path / "kpis.toml"
    pad.write_text(tekst.replace(kop, kop + regel + "\n"), encoding="utf-8")
    return pad


def test_kpi_voor_zijn_startdatum_is_niet_van_toepassing_en_geen_nul(tmp_path: Path) -> None:
    w = Warehouse(peildatum="2025-12-31")
    for i in range(3):  # 3 zorgtrajecten begin in contract year 2023/24, 2 in 2024/25
        w.traject(f"a{i}", f"2023-09-0{i + 1}")
    for i in range(2):
        w.traject(f"b{i}", f"2024-09-0{i + 1}")
    registry = laad_registry(_met_geldigheid(tmp_path, "instroom", "geldig_van = 2024-07-01"))
    b = Berekening(w.con, registry=registry)
    # added to the KPI set from cj2024: in cj2023 no value at all (not 3, not 0)
    eerder = enkel(b.bereken(Periode.parse("cj2023"), (), kpis=["instroom"]), "instroom")
    assert (eerder["waarde"], eerder["n"], eerder["stoplicht"]) == (None, 0, "grijs")
    assert b.bereken(Periode.parse("cj2023"), ("aanbieder",), kpis=["instroom"]).is_empty()
    later = enkel(b.bereken(Periode.parse("cj2024"), (), kpis=["instroom"]), "instroom")
    assert later["waarde"] == dec(2)
    # on screen: 'niet van toepassing', never '0'
    tekst = tabellen.met_tekst(b.bereken(Periode.parse("cj2023"), (), kpis=["instroom"]), registry)
    assert (tekst["tekst"][0], tekst["cel"][0], tekst["stoplicht_tekst"][0]) == (
        "niet van toepassing", "n.v.t.", "niet van toepassing")  # fmt: skip
    assert tekst["norm"][0] == "KPI geldt vanaf 01-07-2024"
    kpis = tabellen.kpi_tabel(b.bereken(Periode.parse("cj2023"), (), kpis=["instroom"]), registry)
    assert kpis.select("Waarde", "n").row(0) == ("niet van toepassing", "0")


def test_externe_kpi_voor_zijn_startdatum_niet_van_toepassing_ook_met_gegevens() -> None:
    w = Warehouse()
    w.kpi_waarde(DOEL, *H1_2023, teller=8, noemer=10, aanbieder=A)  # before 1-7-2023
    w.kpi_waarde(DOEL, *H2_2023, teller=9, noemer=10, aanbieder=A)
    registry = laad_registry()
    assert registry[DOEL].geldig_van.isoformat() == "2023-07-01"  # externe_kpis.toml
    # cj2022 ends 30-6-2023, before doelrealisatie joined the set: no value, no norm
    cj2022 = enkel(w.bereken("cj2022", [DOEL]), DOEL)
    assert (cj2022["waarde"], cj2022["n"], cj2022["norm_groen"]) == (None, 0, None)
    assert tabellen.met_tekst(w.bereken("cj2022", [DOEL]), registry)["tekst"][0] == (
        "niet van toepassing"
    )
    # the calendar year 2023 ends after it: its delivered half-years count, (8 + 9) / 20
    assert enkel(w.bereken("2023", [DOEL]), DOEL)["waarde"] == dec("0.85")


def test_ongeldige_geldigheid_van_een_kpi(tmp_path: Path) -> None:
    pad = _met_geldigheid(tmp_path, "instroom", 'geldig_van = "cj2024"')
    with pytest.raises(RegistryFout, match="KPI 'instroom': geldig_van moet een datum zijn"):
        laad_registry(pad)
    pad = _met_geldigheid(tmp_path, "instroom", "geldig_van = 2024-07-01\ngeldig_tot = 2024-06-30")
    with pytest.raises(RegistryFout, match="geldig_tot ligt voor geldig_van"):
        laad_registry(pad)


# ---------------------------------------------------------------- provider scope
def _vijf_aanbieders() -> Warehouse:
    w = Warehouse()
    # A has 6 respondents (< 8: geheim for A itself); the others 43, 25, 20, 12
    for agb, teller, noemer in ((A, 5, 6), (B, 31, 43), (C, 20, 25), (D, 18, 20), (E, 9, 12)):
        w.kpi_waarde(CTO, *H1_2023, teller=teller, noemer=noemer, aanbieder=agb,
                     subsegment="IAJ-A")  # fmt: skip
    return w


def test_aanbieder_ziet_alleen_eigen_externe_kpi_en_kleine_aantallen_geheim() -> None:
    w = _vijf_aanbieders()
    eigen = w.bereken("2023", [CTO], per=["aanbieder"], scope=Scope("aanbieder", aanbieder=A))
    rij = enkel(eigen, CTO)
    # n 6 < 8: the share is withheld (it rests on fewer than 8 people), counts too
    assert (rij["aanbieder"], rij["waarde"], rij["teller"], rij["n"], rij["geheim"]) == (
        A, None, None, None, True)  # fmt: skip
    assert rij["stoplicht"] == "grijs"
    # B: the share exact (31/43), its parts rounded to fives (31 -> 30, 43 -> 45)
    rij = enkel(w.bereken("2023", [CTO], scope=Scope("aanbieder", aanbieder=B)), CTO)
    assert (rij["waarde"], rij["teller"], rij["noemer"], rij["n"], rij["geheim"]) == (
        dec(Fraction(31, 43)), dec(30), dec(45), 45, False)  # fmt: skip


def test_vergelijking_externe_kpi_zonder_namen_en_alleen_genoeg_n() -> None:
    w = _vijf_aanbieders()
    alle = w.bereken("2023", [CTO], per=["subsegment", "aanbieder"])
    uit = peers(alle, Scope("aanbieder", aanbieder=B), laad_registry())
    # peers with n >= min_n 10: C, D, E (A has 6); shown without code
    assert uit.filter(~pl.col("eigen"))["aanbieder"].to_list() == [None, None, None]
    assert sorted(uit.filter(~pl.col("eigen"))["n"].to_list()) == [10, 20, 25]  # 12 -> 10
    assert uit.filter(pl.col("eigen"))["aanbieder"].to_list() == [B]


# ---------------------------------------------------------------- a new KPI, no code change
NIEUWE_KPI = """
[[kpi]]
id = "klachten_op_tijd"
label = "Klachten op tijd afgehandeld"
definitie = "Aandeel van de klachten dat binnen zes weken is afgehandeld."
eenheid = "aandeel"
richting = "hoger_beter"
min_n = 5
bron = "klachtenregistratie van de aanbieder"
geldig_van = 2024-01-01
"""


def test_nieuwe_externe_kpi_alleen_via_configuratie_en_een_bestand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region adds a KPI: a declaration in the configuration, its values in a file, its norm
    in the norm file. The loader, the engine, the stoplicht and the display pick it up."""
    externe = tmp_path / "externe_kpis.toml"
    externe.write_text(EXTERNE_KPIS_TOML.read_text(encoding="utf-8") + NIEUWE_KPI, "utf-8")
    monkeypatch.setenv("STOPLICHT_EXTERNE_KPIS", str(externe))
    normen = tmp_path / "normen.toml"
    shutil.copy(Path(kpi.normen.NORMEN_TOML), normen)
    with normen.open("a", encoding="utf-8") as f:
        f.write('\n[[norm]]\nkpi = "klachten_op_tijd"\ngroen = 0.9\noranje = 0.8\n')
    map_ = _extract_met_kpi_waarden(tmp_path / "extract", [
        _rij("klachten_op_tijd", A, "", "", *H1_2024, "", "17", "20", "", "klachten 2024"),
        _rij("klachten_op_tijd", A, "", "", *H2_2024, "", "19", "20", "", "klachten 2024"),
        _rij("klachten_op_tijd", A, "", "", *H2_2023, "", "10", "20", "", "klachten 2023"),
    ])  # fmt: skip
    con = laad(map_)
    assert rijen(con, "select count(*) from kpi_waarden") == [(3,)]
    registry = laad_registry()
    assert "klachten_op_tijd" in registry and registry["klachten_op_tijd"].extern
    uit = kpi.bereken(con, "2024", kpis=["klachten_op_tijd"], normen=normen)
    rij = enkel(uit, "klachten_op_tijd")
    # (17 + 19) / (20 + 20) = 90 %: groen against >= 90 %
    assert (rij["waarde"], rij["n"], rij["norm_groen"], rij["stoplicht"]) == (
        dec("0.9"), 40, ">= 0.9", "groen")  # fmt: skip
    tabel = tabellen.kpi_tabel(uit, registry)
    assert tabel.select("KPI", "Waarde").row(0) == (
        "Klachten op tijd afgehandeld (bron: klachtenregistratie van de aanbieder)",
        "90,0 %",
    )
    # before its start (1-1-2024) the KPI is not in the set, though a value was delivered
    eerder = kpi.bereken(con, "2023", kpis=["klachten_op_tijd"], normen=normen)
    assert tabellen.met_tekst(eerder, registry)["tekst"][0] == "niet van toepassing"
    definities = tabellen.definities(registry).filter(pl.col("Bron").str.starts_with("klachten"))
    assert definities.select("KPI", "Geldig").rows() == [
        ("Klachten op tijd afgehandeld", "vanaf 01-01-2024")
    ]


@pytest.mark.parametrize(
    ("vervang", "melding"),
    [
        (('bron = "klachtenregistratie van de aanbieder"\n', ""), "veld 'bron' ontbreekt"),
        (("min_n = 5", "min_n = 5\nsql = 'instroom'"), "onbekende velden ['sql']"),
        (('eenheid = "aandeel"', 'eenheid = "procent"'), "eenheid 'procent'"),
        (('id = "klachten_op_tijd"', 'id = "instroom"'), "'instroom' is meer dan eens"),
    ],
)
def test_ongeldige_externe_kpi(tmp_path: Path, vervang: tuple[str, str], melding: str) -> None:
    pad = tmp_path / "externe.toml"
    pad.write_text(NIEUWE_KPI.replace(*vervang), encoding="utf-8")
    with pytest.raises(RegistryFout, match=melding.replace("[", r"\[").replace("]", r"\]")):
        laad_registry(externe=pad)


def test_contractjaren_rond_de_wijzigingen(tmp_path: Path) -> None:
    from kpi.geldigheid import contractjaren

    registry = laad_registry()
    leeg = laad_normen(_normen(tmp_path, ""))
    # doelrealisatie from 1-7-2023: cj2022 (before it) .. cj2024 (peildatum 31-12-2024)
    assert [p.code for p in contractjaren(registry, leeg, date(2024, 12, 31))] == [
        "cj2022", "cj2023", "cj2024"]  # fmt: skip
    # a norm from 1-1-2026 adds the contract year that holds it
    later = laad_normen(_normen(tmp_path, NORM_VANAF_CJ2024.replace("2024-07-01", "2026-01-01")))
    assert [p.code for p in contractjaren(registry, later, date(2024, 12, 31))][-1] == "cj2025"
