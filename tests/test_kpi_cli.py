"""CLI: `python -m kpi export` to CSV, Parquet, Excel and stdout, read back."""

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from kpi.berekening import KOLOMMEN
from kpi.cli import main
from tests.kpi_fixtures import ROOT, Warehouse


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("cli") / "warehouse.duckdb"
    w = Warehouse(peildatum="2024-01-31", pad=pad)
    w.contract("2023-01-01", "2023-12-31", 10, "1460")  # voorschot 14.600
    w.contract("2023-01-01", "2023-12-31", 1, "365", gemeente="0197")  # voorschot 365
    for i in range(12):  # 3.600 zorgdagen in Berkelland
        w.interval(f"c{i}", "2023-01-01", "2023-10-27")
    w.traject("t1", "2023-02-01", "2023-02-10", interval=False)
    w.con.close()
    return pad


def _export(db: Path, uit: str, *extra: str) -> int:
    return main(["export", "--db", str(db), "--periode", "2023", "--out", uit, *extra])


def test_csv(db: Path, tmp_path: Path) -> None:
    assert _export(db, str(tmp_path / "kpi.csv")) == 0
    uit = pl.read_csv(tmp_path / "kpi.csv", infer_schema=False)
    assert tuple(uit.columns) == (*KOLOMMEN, "niet_berekend", "toelichting")
    # no begroting, no uitgaven: realisatie is not computed, and the export says why
    realisatie = uit.filter(pl.col("kpi") == "realisatie").row(0, named=True)
    assert realisatie["waarde"] is None and realisatie["stoplicht"] is None
    assert realisatie["niet_berekend"] == "tabel begroting is leeg"
    assert uit.filter(pl.col("kpi") == "voorschot")["niet_berekend"].to_list() == [None]
    saldo = uit.filter(pl.col("kpi") == "saldo_afrekening").row(0, named=True)
    # voorschot 14.600 + 365, zorgkosten 3.600 x 4 = 14.400 (and 0 in Aalten): saldo 565
    assert (saldo["waarde"], saldo["teller"], saldo["noemer"]) == ("565", "14965", "14400")
    assert saldo["periode_start"] == "2023-01-01"
    benutting = uit.filter(pl.col("kpi") == "benutting")["waarde"].item()
    # 3.600 / (10 x 365 + 1 x 365) = 0,89663760..., written with '.' and no trailing zeros
    assert benutting == "0.896637609"


def test_parquet_met_indeling_en_filter(db: Path, tmp_path: Path) -> None:
    doel = tmp_path / "kpi.parquet"
    assert _export(db, str(doel), "--per", "gemeente", "--kpi", "voorschot,zorgkosten") == 0
    uit = pl.read_parquet(doel).sort("kpi", "gemeente")
    assert uit.select("kpi", "gemeente", "waarde").rows() == [
        ("voorschot", "0197", Decimal("365")),
        ("voorschot", "1859", Decimal("14600")),
        ("zorgkosten", "0197", Decimal("0")),
        ("zorgkosten", "1859", Decimal("14400")),
    ]
    gefilterd = tmp_path / "aalten.parquet"
    assert _export(db, str(gefilterd), "--gemeente", "0197", "--kpi", "voorschot") == 0
    assert pl.read_parquet(gefilterd)["waarde"].to_list() == [Decimal("365")]


def test_excel_voor_mensen(db: Path, tmp_path: Path) -> None:
    doel = tmp_path / "kpi.xlsx"
    assert _export(db, str(doel), "--kpi", "voorschot,benutting") == 0
    boek = openpyxl.load_workbook(doel)
    blad = boek["KPI's"]
    koppen = [c.value for c in blad[1]]
    assert koppen[:4] == ["KPI", "KPI-code", "Periode van", "Periode t/m"]
    rijen = {r[1]: r for r in blad.iter_rows(min_row=2, values_only=True)}
    waarde = koppen.index("Waarde")
    assert rijen["voorschot"][0] == "Voorschot" and rijen["voorschot"][waarde] == 14965
    cellen = {r[1].value: r for r in blad.iter_rows(min_row=2)}
    assert cellen["voorschot"][waarde].number_format == '"€" #,##0.00'
    assert cellen["benutting"][waarde].number_format == "0.0%"
    assert "Definities" in boek.sheetnames
    assert pl.read_excel(doel, sheet_name="KPI's").height == 2


def test_stdout(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _export(db, "-", "--kpi", "instroom", "--reeks") == 0
    uit = pl.read_csv(io.StringIO(capsys.readouterr().out), infer_schema=False)
    # twelve months; the one traject begins in February
    assert uit.height == 12
    assert uit.filter(pl.col("periode_start") == "2023-02-01")["waarde"].item() == "1"


def test_fouten_zonder_traceback(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--db", str(db), "--periode", "2023-13", "--out", "-"]) == 2
    assert "ongeldige periode '2023-13': geen bestaande datum" in capsys.readouterr().err
    assert _export(tmp_path / "geen.duckdb", "-") == 2
    assert _export(db, str(tmp_path / "kpi.txt")) == 2
    assert _export(db, "-", "--kpi", "bestaat_niet") == 2


def test_python_m_kpi(db: Path) -> None:
    proces = subprocess.run(
        [sys.executable, "-m", "kpi", "export", "--db", str(db), "--periode", "cj2022",
         "--kpi", "zorgdagen", "--out", "-"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    regels = proces.stdout.strip().splitlines()
    # cj2022 = 1-7-2022..30-6-2023: 12 clients x 181 days (1-1..30-6) = 2.172
    assert len(regels) == 2 and regels[1].split(",")[8] == "2172"


@pytest.fixture(scope="module")
def db_begroting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("cli_begroting") / "warehouse.duckdb"
    w = Warehouse(peildatum="2024-01-31", pad=pad)
    w.begroting("IAJ", 2023, bedrag="120", target_clienten=1, kosten_per_client="120")
    w.interval("c1", "2023-03-01", "2023-03-02")
    w.uitgave("2023-05-31", "60")
    w.con.close()
    return pad


@pytest.mark.parametrize(
    ("periode", "reden"),
    [
        ("2023", None),
        ("2023-Q2", "Niet berekend voor Q2 2023: de targets in de begroting gelden per "
         "begrotingsjaar (kalenderjaar); het verschil wordt berekend voor een heel "
         "kalenderjaar, of voor het lopende jaar tot de peildatum."),
        ("cj2022", "Niet berekend voor contractjaar 2022/23: die valt in twee begrotingsjaren "
         "en de targets in de begroting gelden per begrotingsjaar (kalenderjaar); het verschil "
         "wordt berekend voor een heel kalenderjaar, of voor het lopende jaar tot de "
         "peildatum."),
    ],
)  # fmt: skip
def test_export_zegt_waarom_niet_berekend(
    db_begroting: Path, tmp_path: Path, periode: str, reden: str | None
) -> None:
    doel = tmp_path / "kpi.csv"
    kpis = "hoeveelheidsverschil,prijsverschil"
    assert main(["export", "--db", str(db_begroting), "--periode", periode, "--kpi", kpis,
                 "--out", str(doel)]) == 0  # fmt: skip
    uit = pl.read_csv(doel, infer_schema=False)
    assert uit["kpi"].to_list() == ["hoeveelheidsverschil", "prijsverschil"]
    assert uit["niet_berekend"].to_list() == [reden, reden]
    if reden is None:
        # 2023: real 60 against target 1 x 120: clients as targeted, price 60 under
        assert uit["waarde"].to_list() == ["0", "-60"]
    else:  # no number where the definition gives none
        assert uit.select("waarde", "teller", "noemer", "n", "stoplicht").null_count().row(0) == (
            2, 2, 2, 2, 2,
        )  # fmt: skip


@pytest.fixture(scope="module")
def db_planjaren(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Aalten IAJ planned in 2023 and 2024 (1.200 each, linear; targets 2024: 2 clients x
    600), Berkelland GWV in 2023 only; peildatum 14-08-2024."""
    pad = tmp_path_factory.mktemp("cli_planjaren") / "warehouse.duckdb"
    w = Warehouse(peildatum="2024-08-14", pad=pad)
    w.product("43Z01", "GWV-A", segment="GWV")
    w.begroting("IAJ", 2023, gemeente="0197", bedrag="1200")
    w.begroting("IAJ", 2024, gemeente="0197", bedrag="1200", target_clienten=2,
                kosten_per_client="600")  # fmt: skip
    w.begroting("GWV", 2023, gemeente="1859", bedrag="2400")
    w.uitgave("2023-09-30", "300", gemeente="0197")
    w.uitgave("2024-03-31", "350", gemeente="0197")
    w.uitgave("2023-09-30", "1000", gemeente="1859", segment="GWV")
    w.interval("c1", "2024-02-01", "2024-02-10", gemeente="0197")
    w.con.close()
    return pad


def _lees(db: Path, tmp_path: Path, *argumenten: str) -> pl.DataFrame:
    doel = tmp_path / "uit.csv"
    assert main(["export", "--db", str(db), *argumenten, "--out", str(doel)]) == 0
    return pl.read_csv(doel, infer_schema=False)


def test_export_zegt_per_gemeente_waarom_niet(db_planjaren: Path, tmp_path: Path) -> None:
    reden = (
        "Niet berekend: de begroting 2024 heeft geen plan voor GWV in gemeente 1859, dus geen "
        "prognose voor alle maanden."
    )
    uit = _lees(db_planjaren, tmp_path, "--periode", "cj2023", "--per", "gemeente",
                "--kpi", "realisatie")  # fmt: skip
    rijen = uit.select("gemeente", "waarde", "teller", "noemer", "niet_berekend").rows()
    # Aalten: 300 + 350 against 1.200 x 6/12 + 1.200 x 6/12; Berkelland: no 2024 plan
    assert rijen == [
        ("0197", "0.5416666667", "650", "1200", None),
        ("1859", None, None, None, reden),
    ]
    # the series: Berkelland's July-December against the 2023 plan, from January the reason
    reeks_ = _lees(db_planjaren, tmp_path, "--periode", "cj2023", "--per", "gemeente",
                   "--kpi", "realisatie", "--reeks")  # fmt: skip
    berkelland = reeks_.filter(pl.col("gemeente") == "1859").sort("periode_start")
    assert berkelland["niet_berekend"].to_list() == [None] * 6 + [reden] * 6
    # September: 1.000 against 2.400 x 3/12 (cumulated from July)
    september = berkelland.filter(pl.col("periode_start") == "2023-09-01").row(0, named=True)
    assert (september["teller"], september["noemer"]) == ("1000", "600")
    # per aanbieder: no row '(geen)' with the region's targets, one reason
    per_aanbieder = _lees(db_planjaren, tmp_path, "--periode", "2024", "--per", "aanbieder",
                          "--kpi", "hoeveelheidsverschil")  # fmt: skip
    assert per_aanbieder.select("aanbieder", "waarde", "niet_berekend").rows() == [
        (None, None, "Niet berekend per aanbieder: de begroting 2024 heeft targets per segment "
         "en gemeente, niet per aanbieder.")
    ]  # fmt: skip


def test_export_zegt_wat_het_lopende_jaar_omvat(db_planjaren: Path, tmp_path: Path) -> None:
    kpis = "hoeveelheidsverschil,prijsverschil"
    jaar = _lees(db_planjaren, tmp_path, "--periode", "2024", "--kpi", kpis)
    # 2024 at the peildatum 14-08: January-July. Target 2 x 600 x 7/12 = 700, KN 350;
    # 1 client, 350: hoeveelheid (1 - 2) x 350 = -350, prijs 350 - 700 + 350 = 0
    assert jaar.select("periode_eind", "waarde", "teller", "noemer", "n").rows() == [
        ("2024-12-31", "-350", "350", "700", "1"),
        ("2024-12-31", "0", "350", "700", "1"),
    ]
    noot = (
        "Berekend over 01-01-2024 t/m 31-07-2024: de volledige maanden tot de peildatum "
        "(14-08-2024), tegen de target van die maanden."
    )
    assert jaar["toelichting"].to_list() == [noot, noot]
    # asked as exactly that span: the same split, and nothing to add
    span = _lees(db_planjaren, tmp_path, "--periode", "2024-01-01..2024-07-31", "--kpi", kpis)
    assert (
        span.select("waarde", "teller", "noemer", "n").rows()
        == jaar.select("waarde", "teller", "noemer", "n").rows()
    )
    assert span["toelichting"].to_list() == [None, None]
    assert span["niet_berekend"].to_list() == [None, None]
