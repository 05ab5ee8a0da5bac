"""Broken and foreign input at the door: encodings, delimiters, short lines, Excel sheets and
formulas, long fields, XSD texts, two loads at once, a stopped load, and no client value in
any table for any bad input of the suite."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from tests.conftest import (
    AANBIEDER_A,
    AANBIEDER_B,
    BERICHT_KOLOMMEN,
    REFERENTIE_BERICHTEN,
    REPO,
    bericht,
    bsn,
    laad,
    rijen,
    schrijf_extract,
)
from tests.test_warehouse_regels import FINANCIEEL, GOED_301, GOED_305, REGELS
from tests.test_xml_berichten import XSD_WAARDEN
from warehouse.laden import laad_extract
from warehouse.lezen import LaadFout

D = date.fromisoformat
TOEWIJZING = bericht(**GOED_301)
START = bericht(**GOED_305)


def _cli(*args: str, check_rc: int | None = None) -> subprocess.CompletedProcess[str]:
    uit = subprocess.run(
        [sys.executable, "-m", "warehouse", *args, "--stil"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    if check_rc is not None:
        assert uit.returncode == check_rc, uit.stderr
    return uit


def _rest(map_: Path, db: Path) -> list[str]:
    """What lies beside the warehouse but the warehouse itself (work folders, temp files)."""
    return sorted(p.name for p in map_.iterdir() if p != db and p.name.startswith((".", db.name)))


# ---------------------------------------------------------------- 22.2: encodings


AANBIEDERS_NAMEN = [(AANBIEDER_A, "Jeugdzorg Gelderse Vallei België", "klein"), (AANBIEDER_B, "Stichting Ëlan & Crème", "regulier")]  # fmt: skip


def _aanbieders_csv(pad: Path, codering: str) -> None:
    tekst = "aanbieder;naam;grootte\r\n" + "".join(
        f"{a};{n};{g}\r\n" for a, n, g in AANBIEDERS_NAMEN
    )
    pad.write_bytes(tekst.encode(codering))


@pytest.mark.parametrize(
    ("codering", "naam"),
    [("cp1252", "Windows-1252"), ("utf-8-sig", "UTF-8 met BOM"), ("utf-8", "UTF-8")],
)
def test_codering_herkend_en_namen_intact(tmp_path: Path, codering: str, naam: str) -> None:
    """A CSV saved by Excel on a Dutch Windows machine (Windows-1252) or with a BOM loads
    with its names as written (ë stays ë), and the load summary says which encoding it read."""
    x = schrijf_extract(
        tmp_path / "x",
        [TOEWIJZING, bericht(**(GOED_301 | dict(aanbieder=AANBIEDER_B, bericht_id="2")))],
    )
    _aanbieders_csv(x / "aanbieders.csv", codering)
    if codering == "cp1252":
        assert "ë".encode("cp1252") in (x / "aanbieders.csv").read_bytes()  # really not UTF-8
        with pytest.raises(UnicodeDecodeError):
            (x / "aanbieders.csv").read_bytes().decode("utf-8")
    db = tmp_path / "w.duckdb"
    uit = _cli("load", str(x), "--db", str(db), check_rc=0)
    con = duckdb.connect(str(db), read_only=True)
    assert (
        rijen(con, "select aanbieder, naam, grootte from aanbieders order by aanbieder")
        == AANBIEDERS_NAMEN
    )
    assert rijen(con, "select codering from laadverslag where bron_bestand = 'aanbieders.csv'") == [
        (naam,)
    ]
    assert rijen(con, "select count(*) from quarantaine") == [(0,)]
    assert rijen(con, "select count(*) from berichten") == [(2,)]  # both providers known
    assert (
        f"aanbieders.csv: 2 regels = 2 geladen + 0 dubbel + 0 genegeerd + 0 afgekeurd ({naam})"
        in uit.stdout
    )


def test_windows_1252_naam_intact_in_de_factsheet(tmp_path: Path) -> None:
    """Issue 22: the name from a Windows-1252 file reaches the provider's factsheet as written
    (ë stays ë), not as mojibake ('Ã«') or a replacement character."""
    import io

    from pypdf import PdfReader

    from rapport import maak_factsheet

    x = schrijf_extract(
        tmp_path / "x",
        [TOEWIJZING, START, bericht(**(GOED_301 | dict(aanbieder=AANBIEDER_B, bericht_id="2")))],
    )
    _aanbieders_csv(x / "aanbieders.csv", "cp1252")
    db = tmp_path / "w.duckdb"
    _cli("load", str(x), "--db", str(db), check_rc=0)
    con = duckdb.connect(str(db), read_only=True)
    pdf = maak_factsheet(con, "2023", AANBIEDER_A)
    tekst = "".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(pdf)).pages)
    naam = AANBIEDERS_NAMEN[0][1]
    assert naam.endswith("België")
    assert f"Factsheet {naam}" in tekst
    assert "Ã" not in tekst and "\ufffd" not in tekst


def test_windows_1252_in_berichten_en_onleesbare_byte_alleen_die_regel(tmp_path: Path) -> None:
    """A Windows-1252 message file loads; a byte Windows-1252 does not define (0x81) puts only
    its own line in quarantine, named by its line number."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    tekst = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    regel_2 = tekst[1].replace(";T1;", ";Të1;")
    data = "\n".join([tekst[0], regel_2, tekst[1].replace(";1;", ";2;", 1)]).encode("cp1252")
    data += (
        b"\n"
        + tekst[1].replace(";1;", ";3;", 1).replace(";T1;", ";T\x81;").encode("latin-1")
        + b"\n"
    )
    (x / "berichten.csv").write_bytes(data)
    con = laad(x)
    assert rijen(con, "select bron_regel, toewijzingnummer from berichten order by bron_regel") == [
        (2, "Të1"),
        (3, "T1"),
    ]
    assert rijen(con, "select bron_regel, reden, waarde, ruwe_regel from quarantaine") == [
        (4, "tekens die niet gelezen kunnen worden", "geen geldige Windows-1252", None)
    ]
    assert rijen(
        con,
        "select codering, regels_in, geladen, afgekeurd from laadverslag where tabel = 'berichten'",
    ) == [("Windows-1252", 3, 2, 1)]


def test_coderingsfout_noemt_de_regel(tmp_path: Path) -> None:
    """A UTF-8 file with one broken line: that line in quarantine with its number, the rest
    (with its UTF-8 names) loaded; before, the whole load failed naming a byte position."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    kop, regel = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    goed = [regel.replace(";1;", f";{i};", 1).replace(";T1;", f";Të{i};") for i in range(1, 5)]
    data = ("\n".join([kop, *goed]) + "\n").encode("utf-8")
    data += regel.replace(";1;", ";9;", 1).replace(";T1;", ";T\xeb9;").encode("latin-1") + b"\n"
    (x / "berichten.csv").write_bytes(data)
    con = laad(x)
    assert rijen(con, "select count(*) from berichten where toewijzingnummer like 'Të%'") == [(4,)]
    assert rijen(con, "select bron_regel, reden, waarde from quarantaine") == [
        (6, "tekens die niet gelezen kunnen worden", "geen geldige UTF-8")
    ]
    assert rijen(con, "select codering from laadverslag where tabel = 'berichten'") == [("UTF-8",)]


# ---------------------------------------------------------------- 23.3: delimiters


def test_kop_met_puntkomma_regels_met_komma_stopt_de_lading(tmp_path: Path) -> None:
    """Header with ';', rows with ',': every line would land whole in bericht_type (with its
    BSN and date of birth). The load stops (exit 2) naming the file; the old warehouse stays."""
    db = tmp_path / "w.duckdb"
    laad_extract(schrijf_extract(tmp_path / "goed", [TOEWIJZING]), db)
    voor = db.read_bytes()
    x = schrijf_extract(
        tmp_path / "x",
        [
            bericht(**(GOED_301 | dict(bericht_id=str(i), geboortedatum="16-05-2003")))
            for i in range(30)
        ],
    )
    kop, *regels = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    (x / "berichten.csv").write_text(
        "\n".join([kop, *(r.replace(";", ",") for r in regels)]) + "\n", encoding="utf-8"
    )
    uit = _cli("load", str(x), "--db", str(db), check_rc=2)
    assert "berichten.csv" in uit.stderr
    assert "de kop is gescheiden met ';', de regels met ','" in uit.stderr
    assert "De vorige warehouse is ongewijzigd." in uit.stderr
    assert db.read_bytes() == voor
    assert _rest(tmp_path, db) == []
    assert bsn(1) not in uit.stderr + uit.stdout and "16-05-2003" not in uit.stderr + uit.stdout


def test_regels_met_ander_aantal_velden_dan_de_kop_stoppen_de_lading(tmp_path: Path) -> None:
    """Same delimiter, but no row splits into the header's fields: refused as well."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING, START])
    kop, *regels = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    (x / "berichten.csv").write_text(
        "\n".join([kop, *(r + ";extra" for r in regels)]) + "\n", encoding="utf-8"
    )
    with pytest.raises(LaadFout) as fout:
        laad_extract(x, tmp_path / "w.duckdb")
    assert fout.value.bestand == "berichten.csv"
    assert "de kop heeft 18 velden gescheiden met ';'" in str(fout.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_komma_bestand_en_puntkomma_bestand_naast_elkaar(tmp_path: Path) -> None:
    """The delimiter is per file: a ',' file beside a ';' file, Dutch amounts with a decimal
    comma in the ';' file (more ',' than ';' in a row does not fool the detection)."""
    contract = {"aanbieder": AANBIEDER_A, "gemeente": "1859", "subsegment": "Jeugd Basis", "geldig_van": "01-07-2022", "geldig_tot": "30-06-2023", "plekken": "4,5", "plekprijs": "€ 14.600,25"}  # fmt: skip
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING], contracten=[contract] * 1)
    df = pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False)
    (x / "berichten.csv").unlink()
    df.write_csv(x / "berichten_a.csv", separator=",")
    df.with_columns(pl.lit("2").alias("bericht_id")).write_csv(x / "berichten_b.csv", separator=";")
    con = laad(x)
    assert rijen(con, "select bron_bestand, bericht_id from berichten order by 1") == [
        ("berichten_a.csv", "1"),
        ("berichten_b.csv", "2"),
    ]
    assert rijen(con, "select plekken, plekprijs::varchar from contracten") == [(4.5, "14600.25")]


# ---------------------------------------------------------------- 23.5: short lines


def test_korte_regel_in_quarantaine_niet_aangevuld(tmp_path: Path) -> None:
    """A line cut short (here after the ingangsdatum) was padded with nulls and loaded as an
    open-ended toewijzing; it goes to quarantine like a line with too many fields."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING, START])
    kop, regel_301, regel_305 = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    kort = regel_301.replace(";1;", ";3;", 1).split(";")[:11]  # up to ingangsdatum
    assert kort[-1] == "2023-01-02" and len(kort) == 11
    (x / "berichten.csv").write_text(
        "\n".join([kop, regel_301, ";".join(kort), regel_305, ""]) + "\n", encoding="utf-8"
    )
    con = laad(x)
    assert rijen(con, "select bron_regel, kolom, reden, waarde, ruwe_regel from quarantaine") == [
        (3, None, "verkeerd aantal velden", "11 velden, de kop 18", None)
    ]
    assert rijen(con, "select bron_regel from berichten order by 1") == [(2,), (4,)]
    assert rijen(con, "select count(*) from toewijzingen where einddatum is null") == [(0,)]
    assert rijen(
        con, "select regels_in, geladen, afgekeurd from laadverslag where tabel = 'berichten'"
    ) == [(3, 2, 1)]


def test_korte_regel_in_een_kleine_tabel(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    (x / "aanbieders.csv").write_text(
        f"aanbieder;naam;grootte\n{AANBIEDER_A};Zorg A;klein\n{AANBIEDER_B};Zorg B\n",
        encoding="utf-8",
    )
    con = laad(x)
    assert rijen(con, "select aanbieder from aanbieders") == [(AANBIEDER_A,)]
    assert rijen(con, "select tabel, bron_regel, reden, waarde from quarantaine") == [
        ("aanbieders", 3, "verkeerd aantal velden", "2 velden, de kop 3")
    ]


def test_veld_over_twee_regels_tussen_aanhalingstekens(tmp_path: Path) -> None:
    """A quoted field with a line break is one field, not a short line."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    (x / "aanbieders.csv").write_text(
        f'aanbieder;naam;grootte\n{AANBIEDER_A};"Zorg A\nlocatie Oost";klein\n', encoding="utf-8"
    )
    con = laad(x)
    assert rijen(con, "select naam from aanbieders") == [("Zorg A\nlocatie Oost",)]
    assert rijen(con, "select count(*) from quarantaine") == [(0,)]


# ---------------------------------------------------------------- 23.4: Excel sheets, formulas


def _werkboek(pad: Path, bladen: dict[str, list[list[object]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for naam, regels in bladen.items():
        ws = wb.create_sheet(naam)
        for r in regels:
            ws.append(r)
    wb.save(pad)


def test_excel_elk_blad_met_de_kolommen_gelezen(tmp_path: Path) -> None:
    """Sheets after the first were silently ignored (input != loaded + quarantined)."""
    x = schrijf_extract(
        tmp_path / "x",
        [TOEWIJZING, bericht(**(GOED_301 | dict(aanbieder=AANBIEDER_B, bericht_id="2")))],
    )
    kop = ["aanbieder", "naam", "grootte"]
    _werkboek(x / "aanbieders.xlsx", {"Blad1": [kop, [AANBIEDER_A, "Zorg A", "klein"]], "Blad2": [kop, [AANBIEDER_B, "Zorg B", "paars"], [AANBIEDER_B, "Zorg B", "regulier"]], "Leeg": []})  # fmt: skip
    con = laad(x)
    assert rijen(con, "select aanbieder, naam from aanbieders order by 1") == [
        (AANBIEDER_A, "Zorg A"),
        (AANBIEDER_B, "Zorg B"),
    ]
    assert rijen(con, "select bron_bestand, bron_regel, kolom from quarantaine") == [
        ("aanbieders.xlsx[Blad2]", 2, "grootte")
    ]
    assert rijen(
        con,
        "select bron_bestand, regels_in, geladen, afgekeurd from laadverslag where tabel = 'aanbieders' order by 1",
    ) == [
        ("aanbieders.xlsx[Blad1]", 1, 1, 0),
        ("aanbieders.xlsx[Blad2]", 2, 1, 1),
    ]
    assert rijen(con, "select count(*) from berichten") == [(2,)]


def test_excel_blad_zonder_de_kolommen_geweigerd_met_zijn_naam(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    _werkboek(x / "aanbieders.xlsx", {"Aanbieders": [["aanbieder", "naam"], [AANBIEDER_A, "Zorg A"]], "Toelichting": [["Bron: inkoop, peildatum 1-1-2024"]]})  # fmt: skip
    uit = _cli("load", str(x), "--db", str(tmp_path / "w.duckdb"), check_rc=2)
    assert "aanbieders.xlsx" in uit.stderr and "'Toelichting' mist aanbieder, naam" in uit.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_excel_met_een_blad_ongewijzigd(tmp_path: Path) -> None:
    """A workbook with one sheet of data keeps its plain name (and a sheet left empty is no
    sheet of data)."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    _werkboek(
        x / "aanbieders.xlsx",
        {"Blad1": [["aanbieder", "naam"], [AANBIEDER_A, "Zorg A"]], "Blad2": []},
    )
    con = laad(x)
    assert rijen(
        con, "select bron_bestand, regels_in, geladen from laadverslag where tabel = 'aanbieders'"
    ) == [("aanbieders.xlsx", 1, 1)]


def test_excel_formule_zonder_berekende_waarde(tmp_path: Path) -> None:
    """A formula cell saved without its value (by a program that does not calculate) is
    reported as such, with its cell; it was read as empty and reported as a missing code."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    _werkboek(x / "contracten.xlsx", {"Contracten": [
        ["aanbieder", "gemeente", "subsegment", "geldig_van", "geldig_tot", "plekken", "plekprijs"],
        [AANBIEDER_A, "0197", "Jeugd Basis", "2022-07-01", "2023-06-30", 10, 1460],
        [AANBIEDER_A, '=TEXT(1859,"0000")', "Jeugd Basis", "2022-07-01", "2023-06-30", 4, 1460],
        [AANBIEDER_A, "0222", "Jeugd Basis", "2022-07-01", "2023-06-30", "=2*2", 1460],
    ]})  # fmt: skip
    con = laad(x)
    assert rijen(con, "select gemeente from contracten") == [("0197",)]
    assert rijen(con, "select bron_regel, kolom, reden, waarde from quarantaine order by 1") == [
        (3, "gemeente", "formule zonder berekende waarde", "cel B3"),
        (4, "plekken", "formule zonder berekende waarde", "cel F4"),
    ]
    assert rijen(
        con, "select regels_in, geladen, afgekeurd from laadverslag where tabel = 'contracten'"
    ) == [(3, 1, 2)]


def test_excel_formule_met_berekende_waarde_gewoon_gelezen(tmp_path: Path) -> None:
    """xlsxwriter stores a value with each formula: that value is read."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    import xlsxwriter

    boek = xlsxwriter.Workbook(x / "aanbieders.xlsx")
    blad = boek.add_worksheet()
    blad.write_row(0, 0, ["aanbieder", "naam"])
    blad.write_string(1, 0, AANBIEDER_A)
    blad.write_formula(1, 1, '="Zorg "&"A"', None, "Zorg A")
    boek.close()
    con = laad(x)
    assert rijen(con, "select naam from aanbieders") == [("Zorg A",)]


# ---------------------------------------------------------------- 23 minors


def test_te_lang_veld_in_quarantaine_en_niet_opgeslagen(tmp_path: Path) -> None:
    lang = "Zorg " + "x" * 5000
    x = schrijf_extract(
        tmp_path / "x",
        [TOEWIJZING, bericht(**(GOED_301 | dict(bericht_id="2", toewijzingnummer="T" * 300_000)))],
    )
    (x / "aanbieders.csv").write_text(
        f"aanbieder;naam\n{AANBIEDER_A};Zorg A\n{AANBIEDER_B};{lang}\n", encoding="utf-8"
    )
    db = tmp_path / "w.duckdb"
    con = laad(x, db)
    assert rijen(con, "select tabel, kolom, reden, waarde from quarantaine order by tabel") == [
        ("aanbieders", "naam", "veld langer dan 1000 tekens", "5005 tekens"),
        ("berichten", "toewijzingnummer", "veld langer dan 1000 tekens", "300000 tekens"),
    ]
    langste = rijen(con, "select max(length(ruwe_regel)) from quarantaine")[0][0]
    assert langste < 1500  # the raw row keeps 1000 characters of a field
    con.close()
    inhoud = db.read_bytes()
    assert b"x" * 2000 not in inhoud and b"T" * 2000 not in inhoud


def test_alleen_een_kop_geeft_een_waarschuwing(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    (x / "aanbieders.csv").write_text("aanbieder;naam;grootte\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    uit = _cli("load", str(x), "--db", str(db), check_rc=0)
    assert (
        "Let op: aanbieders.csv: geen gegevensregels: het bestand heeft alleen een kop"
        in uit.stdout
    )
    con = duckdb.connect(str(db), read_only=True)
    assert rijen(
        con, "select regels_in, opmerking from laadverslag where bron_bestand = 'aanbieders.csv'"
    ) == [(0, "geen gegevensregels: het bestand heeft alleen een kop")]
    assert rijen(con, "select count(*) from laadverslag where opmerking is not null") == [(1,)]


def test_warehouse_bestand_alleen_voor_de_eigenaar(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"")
    os.chmod(db, 0o644)  # an older warehouse, readable by all
    laad_extract(schrijf_extract(tmp_path / "x", [TOEWIJZING]), db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert _rest(tmp_path, db) == []  # no lock file, work folder or temp file left


# A load that waits at a step until told to go on (a file appears), to act while it runs.
WACHTENDE_LADING = """
import sys, time
from pathlib import Path
import warehouse.__main__ as cli
from warehouse import laden
klaar, door = Path(sys.argv[1]), Path(sys.argv[2])
echt = laden.laad_extract
def wacht(stap):
    if stap == "financiën":
        klaar.touch()
        while not door.exists():
            time.sleep(0.05)
cli.laad_extract = lambda extract, db, voortgang: echt(extract, db, wacht)
raise SystemExit(cli.main(sys.argv[3:]))
"""


@pytest.fixture
def wachtende_lading(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, Path]]:
    """A load of a small extract into w.duckdb (beside an old one) that waits in the middle,
    its work folder filled with the checked messages (BSNs not yet pseudonymised)."""
    db = tmp_path / "w.duckdb"
    laad_extract(schrijf_extract(tmp_path / "oud", [TOEWIJZING]), db)
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING, START])
    klaar, door = tmp_path / "klaar", tmp_path / "door"
    proces = subprocess.Popen(
        [sys.executable, "-c", WACHTENDE_LADING, str(klaar), str(door), "load", str(x), "--db", str(db), "--stil"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    tot = time.monotonic() + 120
    while not klaar.exists():
        assert proces.poll() is None, proces.communicate()
        assert time.monotonic() < tot, "de lading kwam niet bij de stap"
        time.sleep(0.05)
    werk = list(tmp_path.glob(".laden-*"))
    assert len(werk) == 1 and list(werk[0].rglob("*.parquet"))  # the raw input is there
    try:
        yield proces, db, door
    finally:
        door.touch()
        if proces.poll() is None:
            proces.kill()
        proces.communicate()


def test_tweede_lading_tegelijk_geweigerd(wachtende_lading, tmp_path: Path) -> None:
    """Two loads at once: the one finishing last silently won; the second is now refused."""
    proces, db, door = wachtende_lading
    tweede = _cli(
        "load", str(schrijf_extract(tmp_path / "y", [TOEWIJZING])), "--db", str(db), check_rc=2
    )
    assert f"er loopt al een lading naar deze warehouse (proces {proces.pid})" in tweede.stderr
    door.touch()
    uit, fout = proces.communicate(timeout=120)
    assert proces.returncode == 0, fout
    con = duckdb.connect(str(db), read_only=True)
    assert rijen(con, "select count(*) from berichten") == [(2,)]  # the first load's extract
    con.close()
    assert _rest(tmp_path, db) == []
    _cli("load", str(tmp_path / "y"), "--db", str(db), check_rc=0)  # and afterwards it may


@pytest.mark.parametrize("signaal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_gestopte_lading_ruimt_zijn_werk_op(wachtende_lading, tmp_path: Path, signaal: int) -> None:
    """A load stopped by SIGTERM left its .laden-* folder with raw BSNs until the next load."""
    proces, db, _ = wachtende_lading
    voor = db.read_bytes()
    proces.send_signal(signaal)
    uit, fout = proces.communicate(timeout=60)
    assert proces.returncode == 128 + signaal, fout
    assert f"Laden afgebroken (signaal {signal.Signals(signaal).name})." in fout
    assert "De vorige warehouse is ongewijzigd" in fout
    assert _rest(tmp_path, db) == []
    assert db.read_bytes() == voor


# ---------------------------------------------------------------- 23.2: XSD texts in the load


def test_xsd_fout_laat_geen_clientwaarde_in_de_warehouse(tmp_path: Path) -> None:
    """The XSD faults of the attack (a date of birth, a phone number, BSN digits): quarantined
    with a fixed reason per element and rule, the line of the fault, and the raw row with the
    BSN as its pseudonym; no value of those fields anywhere in the warehouse."""
    x = schrijf_extract(tmp_path / "x", [TOEWIJZING])
    (x / "xml").mkdir()
    origineel = (REFERENTIE_BERICHTEN / "jw" / "JW301.xml").read_bytes()
    for naam, oud, nieuw, _, _ in XSD_WAARDEN:
        (x / "xml" / f"JW301_{naam.replace(' ', '_')}.xml").write_bytes(
            origineel.replace(oud, nieuw, 1)
        )
    db = tmp_path / "w.duckdb"
    con = laad(x, db)
    q = rijen(
        con,
        "select bron_bestand, bron_regel, reden, waarde, ruwe_regel from quarantaine order by 1",
    )
    assert {r[2] for r in q} == {f"XSD-fout in JW301: {reden}" for _, _, _, reden, _ in XSD_WAARDEN}
    assert all(r[3] is None for r in q)
    regel = dict((r[0], r[1]) for r in q)
    assert regel["xml/JW301_geboortedatum.xml"] == 21 and regel["xml/JW301_bsn.xml"] == 19
    for *_, ruw in q:
        assert [r["toewijzingnummer"] for r in json.loads(ruw)] == ["300201", "300202"]
        assert "geboortedatum" not in ruw and '"bsn"' not in ruw
    _geen_van(con, ["16-05-2003", "2003-05-16", "2010-02-14", "1971-04-07", "0201234567", "020-1234567", "06-12345678", "99990000", "999900006", "Wittebrood", "Van Woustraat", "9999 XX"])  # fmt: skip


def test_ongeldige_geboortedatum_niet_naast_de_reden(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", [bericht(**(GOED_301 | dict(geboortedatum="31-02-2009")))])
    con = laad(x)
    assert rijen(con, "select kolom, reden, waarde from quarantaine") == [
        ("geboortedatum", "ongeldige datum", None)
    ]
    _geen_van(con, ["31-02-2009"])


def test_bsn_achtig_getal_in_een_ander_veld_gepseudonimiseerd(tmp_path: Path) -> None:
    """A BSN put in another column (here the toewijzingnummer of a rejected row, and the
    bericht_type) is no raw BSN in the quarantine: it becomes its pseudonym."""
    x = schrijf_extract(tmp_path / "x", [bericht(**(GOED_301 | dict(toewijzingnummer=bsn(7), gemeente="9999"))), bericht(**(GOED_301 | dict(bericht_id="2", bericht_type=f"JW301 {bsn(8)}")))])  # fmt: skip
    con = laad(x)
    q = rijen(con, "select reden, waarde, ruwe_regel from quarantaine order by reden")
    assert [r[0] for r in q] == ["onbekend berichttype", "onbekende gemeentecode"]
    from warehouse.pseudoniem import pseudoniem, sleutel

    assert f"pseudoniem:{pseudoniem(bsn(8), sleutel())}" in q[0][1]
    assert f'"toewijzingnummer":"pseudoniem:{pseudoniem(bsn(7), sleutel())}"' in q[1][2]
    _geen_van(con, [bsn(1), bsn(7), bsn(8)])


# ---------------------------------------------------------------- no client value, any bad input


def _geen_van(con: duckdb.DuckDBPyConnection, naalden: list[str]) -> None:
    """No cell of any table holds any of `naalden` (every column read as text)."""
    tabellen = [
        t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()
    ]
    for tabel in tabellen:
        kolommen = [k for (k,) in con.execute("select column_name from information_schema.columns where table_name = ?", [tabel]).fetchall()]  # fmt: skip
        for kolom in kolommen:
            for naald in naalden:
                (n,) = con.execute(
                    f'select count(*) from "{tabel}" where contains("{kolom}"::varchar, ?)',
                    [naald],  # noqa: S608
                ).fetchone()
                assert n == 0, (tabel, kolom, naald)


def _datum(tekst: str) -> date | None:
    for patroon in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(tekst.strip()[:10], patroon).date()
        except ValueError:
            continue
    return None


def _csv_frame(pad: Path) -> pl.DataFrame:
    data = pad.read_bytes().decode("utf-8", errors="replace")
    kop = data.split("\n", 1)[0]
    scheiding = ";" if kop.count(";") > kop.count(",") else ","
    return pl.read_csv(
        data.encode(), separator=scheiding, infer_schema=False, truncate_ragged_lines=True
    )


def _invoer(map_: Path) -> tuple[set[str], set[date]]:
    """BSNs (every BSN-like number of the bsn column, or of a berichten line the columns do
    not explain) and dates of birth of an extract (CSV, Parquet, Excel, XML). A value that is
    also another field's (a dagtekening, a BSN-like text in a code column) cannot be told
    apart from that field once loaded, so it is left out."""
    bsns: set[str] = set()
    geboren: set[date] = set()
    anders: set[date] = set()
    overig: set[str] = set()  # every other field's value
    for pad in sorted(map_.glob("*")):
        if pad.suffix == ".csv":
            df = _csv_frame(pad)
        elif pad.suffix == ".parquet":
            df = pl.read_parquet(pad).select(pl.all().cast(pl.String))
        elif pad.suffix == ".xlsx":
            bladen = pl.read_excel(pad, sheet_id=0, raise_if_empty=False).values()
            df = pl.concat(
                [d.select(pl.all().cast(pl.String)) for d in bladen if d.width], how="diagonal"
            )
        else:
            continue
        velden: set[str] = set()
        for kolom in df.columns:
            waarden = [v for v in df.get_column(kolom).to_list() if v]
            if kolom.lower() == "bsn":
                bsns.update(v for v in waarden if re.fullmatch(r"\d{8,10}", v))
            elif kolom.lower() == "geboortedatum":
                geboren.update(d for v in waarden if (d := _datum(v)))
            else:
                velden.update(waarden)
                anders.update(d for v in waarden if (d := _datum(v)))
        overig |= velden
        if pad.suffix == ".csv" and pad.name.startswith("berichten"):
            tekst = pad.read_bytes().decode("latin-1")
            bsns.update(set(re.findall(r"(?<!\d)\d{9}(?!\d)", tekst)) - velden)
            geboren.update(d for v in re.findall(r"\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}", tekst) if (d := _datum(v)) and v not in velden and d not in anders and d.year < 2015)  # fmt: skip
    xml = sorted((map_ / "xml").glob("*.xml")) if (map_ / "xml").is_dir() else []
    for pad in xml:
        tekst = pad.read_bytes().decode("utf-8", errors="replace")
        bsns.update(re.findall(r"Bsn>\s*(\d+)\s*<", tekst))
        blokken = re.findall(r"Geboortedatum>(.*?)</[\w:]*Geboortedatum", tekst, flags=re.S)
        geboren.update(d for b in blokken for v in re.findall(r">([^<]+)<", b) if (d := _datum(v)))
        rest = re.sub(r"Geboortedatum>.*?</[\w:]*Geboortedatum", "", tekst, flags=re.S)
        anders.update(d for v in re.findall(r">([^<]+)<", rest) if (d := _datum(v)))
    # a number that is also another field's value (a BSN-like code in a code column) shows
    # there as itself
    return bsns - overig, geboren - anders


_PSEUDONIEM = re.compile(r"[0-9a-f]{32}")
_GETAL = re.compile(r"\d{8,}")
_DATUMTEKST = re.compile(r"\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}")


def _lekken(
    con: duckdb.DuckDBPyConnection, bsns: set[str], geboren: set[date]
) -> list[tuple[str, str, str]]:
    """(table, column, value) of every input BSN or date of birth in a text column of the
    warehouse (a pseudonym's hex digits are not read as a number)."""
    lengtes = {len(b) for b in bsns}
    datums = {d.isoformat() for d in geboren} | {d.strftime("%d-%m-%Y") for d in geboren}
    kolommen = con.execute(
        "select table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
    ).fetchall()
    gevonden = []
    for tabel, kolom in kolommen:
        for (waarde,) in con.execute(
            f'select distinct "{kolom}" from "{tabel}" where "{kolom}" is not null'
        ).fetchall():  # noqa: S608
            tekst = _PSEUDONIEM.sub(" ", waarde)
            for getal in _GETAL.findall(tekst):
                for n in lengtes:
                    gevonden += [
                        (tabel, kolom, getal[i : i + n])
                        for i in range(len(getal) - n + 1)
                        if getal[i : i + n] in bsns
                    ]
            gevonden += [(tabel, kolom, d) for d in _DATUMTEKST.findall(tekst) if d in datums]
    return gevonden


def _slechte_invoer(map_: Path) -> Iterator[tuple[str, Path]]:
    """Every bad-input case of the suite as an extract, each message row with a date of birth
    of its own (when the case does not set one), so that a leak would show."""
    geboren = iter(date(1950, 1, 1) + timedelta(days=37 * i) for i in range(10_000))

    def met_geboortedatum(r: dict[str, str]) -> dict[str, str]:
        d = next(geboren)
        return {"geboortedatum": d.isoformat() if d.day % 2 else d.strftime("%d-%m-%Y")} | r

    def extract(
        naam: str, berichten: list[dict[str, str]], **tabellen: list[dict[str, str]]
    ) -> Path:
        return schrijf_extract(map_ / naam, [met_geboortedatum(r) for r in berichten], **tabellen)

    goed = bericht(**(GOED_301 | dict(bericht_id="100")))
    # test_warehouse_regels: every row rule, every finance rule, duplicates
    yield (
        "regels",
        extract(
            "regels",
            [
                goed,
                *(
                    bericht(**({"bericht_id": str(i)} | rij))
                    for i, (_, rij, _, _) in enumerate(REGELS)
                ),
            ],
        ),
    )
    per_tabel: dict[str, list[dict[str, str]]] = {}
    for tabel, rij, _, _ in FINANCIEEL:
        per_tabel.setdefault(tabel, []).append(rij)
    yield "financieel", extract("financieel", [goed], **per_tabel)
    a = bericht(**(GOED_301 | dict(bericht_id="7")))
    yield (
        "dubbel",
        extract(
            "dubbel",
            [
                a,
                a,
                dict(a, einddatum="2023-12-31"),
                bericht(**(GOED_301 | dict(bsn="123456781", bericht_id="8"))),
            ],
        ),
    )
    # test_warehouse_laden: ragged lines, a missing column, a file that is no CSV
    x = extract("ragged", [goed, bericht(**GOED_305)])
    with (x / "berichten.csv").open("a", encoding="utf-8") as f:
        f.write(f"JW305;99;2023-01-10;0197;{AANBIEDER_A};{bsn(3)};1987-06-05" + ";" * 13 + "\n")
        f.write(f"JW305;98;2023-01-10;0197;{AANBIEDER_A};{bsn(4)};05-06-1988\n")
    yield "ragged", x
    x = extract("kolom_mist", [goed])
    pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False).drop(
        "dagtekening"
    ).write_csv(x / "berichten.csv", separator=";")
    yield "kolom_mist", x
    x = extract("geen_csv", [goed])
    (x / "contracten.csv").write_bytes(b"\x00\x01\x02 geen csv")
    yield "geen_csv", x
    # the property test's kind of messy values, fixed
    rommel = ["", "JW999", "436", "2023-02-30", "31-12-2023", "05/01/2023", "1800-01-01", bsn(5), "123456781", "12345678", "abc", "9999", "XX"]  # fmt: skip
    yield "rommel", extract("rommel", [goed, *({k: rommel[(i * 7 + j) % len(rommel)] for j, k in enumerate(BERICHT_KOLOMMEN) if k != "geboortedatum"} for i in range(40))])  # fmt: skip
    # this file's cases: delimiters, short lines, encodings, long fields, Excel
    x = extract("scheiding", [bericht(**(GOED_301 | dict(bericht_id=str(i)))) for i in range(12)])
    kop, *regels = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    (x / "berichten.csv").write_text(
        "\n".join([kop, *(r.replace(";", ",") for r in regels)]) + "\n", encoding="utf-8"
    )
    yield "scheiding", x
    x = extract("kort", [goed, bericht(**(GOED_301 | dict(bericht_id="2")))])
    kop, r1, r2 = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    (x / "berichten.csv").write_text(
        "\n".join([kop, r1, ";".join(r2.split(";")[:11])]) + "\n", encoding="utf-8"
    )
    yield "kort", x
    x = extract(
        "codering",
        [
            goed,
            bericht(**(GOED_301 | dict(bericht_id="2"))),
            bericht(**(GOED_301 | dict(bericht_id="3"))),
        ],
    )
    kop, r1, r2, r3 = (x / "berichten.csv").read_text(encoding="utf-8").splitlines()
    (x / "berichten.csv").write_bytes("\n".join([kop, r1.replace(";T1;", ";Të;"), r2]).encode("cp1252") + b"\n" + r3.replace(";T1;", ";T\x81\x8d;").encode("latin-1") + b"\n")  # fmt: skip
    yield "windows_1252", x
    x = extract("utf8_kapot", [goed, bericht(**(GOED_301 | dict(bericht_id="2")))] + [bericht(**(GOED_301 | dict(bericht_id=str(i), toewijzingnummer="Të"))) for i in range(3, 9)])  # fmt: skip
    data = (x / "berichten.csv").read_bytes().replace(b";2;", b";\xeb2;", 1)
    (x / "berichten.csv").write_bytes(data)
    yield "utf8_kapot", x
    yield "lang", extract("lang", [goed, bericht(**(GOED_301 | dict(bericht_id="2", toewijzingnummer="T" * 5000, referentie_aanbieder=f"{bsn(6)} " * 400)))])  # fmt: skip
    x = extract("alleen_kop", [goed])
    (x / "aanbieders.csv").write_text("aanbieder;naam\n", encoding="utf-8")
    yield "alleen_kop", x
    x = extract("excel", [])
    (x / "berichten.csv").unlink()
    kolommen = list(BERICHT_KOLOMMEN)
    rij = [met_geboortedatum(goed).get(k, "") for k in kolommen]
    rij_b = [met_geboortedatum(bericht(**(GOED_301 | dict(bericht_id="2", bsn="123456781")))).get(k, "") for k in kolommen]  # fmt: skip
    formule = list(rij)
    formule[kolommen.index("gemeente")] = '=TEXT(197,"0000")'
    formule[kolommen.index("bericht_id")] = "3"
    _werkboek(x / "berichten.xlsx", {"2023": [kolommen, rij, formule], "2024": [kolommen, rij_b]})
    yield "excel_bladen", x
    x = extract("excel_geweigerd", [goed])
    _werkboek(
        x / "aanbieders.xlsx",
        {"A": [["aanbieder", "naam"], [AANBIEDER_A, "Zorg A"]], "B": [[f"zie {bsn(9)}"]]},
    )
    yield "excel_geweigerd", x
    # test_xml_berichten: the published examples (bad ones among them) and every fault made
    x = extract("xml", [goed])
    (x / "xml").mkdir()
    for domein in ("jw", "wmo"):
        for pad in (REFERENTIE_BERICHTEN / domein).glob("*.xml"):
            (x / "xml" / pad.name).write_bytes(pad.read_bytes())
    jw301 = (REFERENTIE_BERICHTEN / "jw" / "JW301.xml").read_bytes()
    varianten = {
        f"xsd_{n.replace(' ', '_')}": jw301.replace(oud, nieuw, 1)
        for n, oud, nieuw, _, _ in XSD_WAARDEN
    }
    varianten |= {
        "half": jw301[: len(jw301) // 2],
        "tag": jw301.replace(b"999900006</jw301:Bsn>", b"999900006</jw301:Bsn999900006>"),
        "code": jw301.replace(b">436</jw301:BerichtCode>", b">999900006</jw301:BerichtCode>"),
        "namespace": jw301.replace(b"http://www.istandaarden.nl/ijw/3_2/jw301/schema", b"http://example.org/999900006"),
        "doctype": jw301.replace(b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e "999900006">]>'),
        "leeg": b"",
    }  # fmt: skip
    for naam, data in varianten.items():
        (x / "xml" / f"X_{naam}.xml").write_bytes(data)
    yield "xml", x
    # the sample generator's injected faults (invalid BSNs, unknown codes, bad dates, ...)
    from sample_data.generate import generate

    generate(map_ / "voorbeeld", seed=7, scale="mini")
    yield "voorbeeld", map_ / "voorbeeld"


def test_geen_bsn_of_geboortedatum_in_enige_tabel_bij_slechte_invoer(tmp_path: Path) -> None:
    """For every bad input of the suite: no input BSN and no input date of birth in any text
    column (reason, value, raw row, ...) of any table of the warehouse, nor in the message of
    a load that stops (the old warehouse then stays), nor in a file left beside it."""
    db = tmp_path / "w.duckdb"
    laad_extract(schrijf_extract(tmp_path / "oud", [TOEWIJZING]), db)
    gestopt, geladen = [], []
    for naam, x in _slechte_invoer(tmp_path / "gevallen"):
        bsns, geboren = _invoer(x)
        assert bsns and geboren, naam
        voor = db.read_bytes()
        try:
            laad_extract(x, db)
        except LaadFout as fout:
            gestopt.append(naam)
            assert db.read_bytes() == voor, naam
            melding = str(fout)
            assert not [b for b in bsns if b in melding], (naam, melding)
            assert not [
                d for d in geboren if d.isoformat() in melding or d.strftime("%d-%m-%Y") in melding
            ], naam
        else:
            geladen.append(naam)
            con = duckdb.connect(str(db), read_only=True)
            assert _lekken(con, bsns, geboren) == [], naam
            assert con.execute("select count(*) from quarantaine").fetchone()[0] > 0, naam
            assert con.execute(
                "select sum(regels_in) = sum(geladen + dubbel + genegeerd + afgekeurd) from laadverslag"
            ).fetchone() == (True,)
            con.close()
        assert _rest(tmp_path, db) == [], naam
    assert sorted(gestopt) == ["excel_geweigerd", "geen_csv", "kolom_mist", "scheiding"]
    assert len(geladen) == 13


def test_lekzoeker_vindt_een_lek(tmp_path: Path) -> None:
    """The search above finds a BSN and a date of birth where they are (so its silence
    means something): in a raw row and inside a reason, in both date notations."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create table quarantaine (reden varchar, ruwe_regel varchar, n bigint)")
    con.execute(
        "insert into quarantaine values ('regel 123456782;16-05-2003', '{\"x\": \"2003-05-17\"}', 123456783)"
    )
    con.execute(f"insert into quarantaine values ('{'a' * 32}', '{'1' * 32}', 0)")
    gevonden = _lekken(
        con, {"123456782", "123456783", "11111111"}, {date(2003, 5, 16), date(2003, 5, 17)}
    )
    assert sorted(gevonden) == [
        ("quarantaine", "reden", "123456782"),
        ("quarantaine", "reden", "16-05-2003"),
        ("quarantaine", "ruwe_regel", "2003-05-17"),
    ]
