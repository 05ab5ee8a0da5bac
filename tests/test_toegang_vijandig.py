"""Hostile names in the reference data: no download or export runs a formula, no title Markdown.

The sample extract with every provider, sub-segment and gemeente renamed to something a
spreadsheet would evaluate (=HYPERLINK(...), +..., -..., @..., tab, carriage return) or that
Markdown would render. Every CSV the dashboard offers and `python -m kpi export` writes is opened
and each text cell checked; the Excel files must hold no formula at all. In a real browser the
provider's name reads in the page title exactly as it is stored, and the page icon needs nothing
from the internet.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test
from playwright.sync_api import expect, sync_playwright
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from kpi.cli import main as kpi_main
from kpi.export import zonder_formules
from tests.conftest import REPO
from tests.test_ui_browser import ARTEFACTEN, CHROMIUM, _vrije_poort
from ui.componenten import WOORDVERBINDER

APP = str(REPO / "app.py")
VIJANDIG = (
    '=HYPERLINK("http://x","gem")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)
MARKDOWN_NAAM = "**Vet** _schuin_ [link](http://x.nl) :red[rood] $x^2$ www.y.nl a@b.nl #1"


def wordt_uitgevoerd(cel: str) -> bool:
    """Whether Excel or LibreOffice would evaluate this CSV cell (written here, not imported).

    A cell starting with =, +, -, @, tab or carriage return is a formula, unless the whole
    cell is a plain number (then the spreadsheet reads the number).
    """
    if not cel or cel[0] not in "=+-@\t\r":
        return False
    return re.fullmatch(r"[+-]?[0-9][0-9.,]*( ?%)?", cel) is None


def _schrijf_zoals_gelezen(pad: Path, frame: pl.DataFrame) -> None:
    eerste = pad.read_text(encoding="utf-8").splitlines()[0]
    frame.write_csv(pad, separator=";" if ";" in eerste else ",")


@pytest.fixture(scope="module")
def vijandig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The mini sample with hostile names for providers, sub-segments and gemeenten."""
    from sample_data.generate import generate
    from warehouse.laden import laad_extract

    map_ = tmp_path_factory.mktemp("vijandig")
    extract = map_ / "extract"
    generate(extract, seed=7, scale="mini")
    aanbieders = pl.read_excel(extract / "aanbieders.xlsx")
    namen = [
        MARKDOWN_NAAM if i == 0 else f"{VIJANDIG[i % len(VIJANDIG)]} {i}"
        for i in range(aanbieders.height)
    ]
    aanbieders = aanbieders.with_columns(naam=pl.Series(namen))
    aanbieders.write_excel(extract / "aanbieders.xlsx")
    producten = pl.read_csv(extract / "producten.csv", infer_schema=False)
    subsegmenten = sorted(set(producten["subsegment"]))
    nieuw = {s: f"{VIJANDIG[i % len(VIJANDIG)]} {s}" for i, s in enumerate(subsegmenten)}
    for bestand in ("producten.csv", "contracten.csv"):
        pad = extract / bestand
        eerste = pad.read_text(encoding="utf-8").splitlines()[0]
        frame = pl.read_csv(pad, separator=";" if ";" in eerste else ",", infer_schema=False)
        _schrijf_zoals_gelezen(pad, frame.with_columns(pl.col("subsegment").replace(nieuw)))
    db = map_ / "stoplicht.duckdb"
    laad_extract(extract, db)
    con = duckdb.connect(str(db))
    gemeenten = [r[0] for r in con.execute("select gemeente from gemeenten order by 1").fetchall()]
    for i, code in enumerate(gemeenten):
        con.execute(
            "update gemeenten set naam = ? where gemeente = ?",
            [f"{VIJANDIG[i % len(VIJANDIG)]} {code}", code],
        )
    agb = con.execute(
        "select aanbieder from aanbieders where naam = ?", [MARKDOWN_NAAM]
    ).fetchall()[0][0]
    opgeslagen = {
        "aanbieder": {r[0] for r in con.execute("select naam from aanbieders").fetchall()},
        "subsegment": {r[0] for r in con.execute("select distinct subsegment from producten").fetchall()},
        "gemeente": {r[0] for r in con.execute("select naam from gemeenten").fetchall()},
    }  # fmt: skip
    con.close()
    oud = {k: os.environ.get(k) for k in ("STOPLICHT_DB", "STOPLICHT_GEBRUIKERS")}
    os.environ["STOPLICHT_DB"] = str(db)
    os.environ.pop("STOPLICHT_GEBRUIKERS", None)
    # ui.data keeps one connection and its figures per process: emptied, so the pages read this
    # warehouse and not what another module's AppTest cached in the same worker
    st.cache_resource.clear()
    st.cache_data.clear()
    yield {"db": db, "agb": agb, "opgeslagen": opgeslagen}
    st.cache_resource.clear()
    st.cache_data.clear()
    for k, v in oud.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


class _Downloads(MediaFileManager):
    laatste: MediaFileManager | None = None

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        _Downloads.laatste = self


def _downloads(at: AppTest) -> list[tuple[str, bytes]]:
    mgr = _Downloads.laatste
    assert mgr is not None
    uit = []
    for knop in at.get("download_button"):
        url = knop.proto.url or mgr.execute_deferred(knop.proto.deferred_file_id)
        bestand = mgr._storage.get_file(url.rsplit("/", 1)[-1])
        if (bestand.filename or "").endswith((".csv", ".xlsx")):
            uit.append((bestand.filename, bestand.content))
    return uit


def _csv_cellen(inhoud: bytes, scheiding: str) -> list[str]:
    tekst = inhoud.decode("utf-8-sig")
    return [
        c for rij in csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding) for c in rij
    ]


def _xlsx_formules(inhoud: bytes) -> list[str]:
    boek = openpyxl.load_workbook(io.BytesIO(inhoud))
    return [
        f"{blad.title}!{c.coordinate} {c.value!r}"
        for blad in boek.worksheets
        for rij in blad.iter_rows()
        for c in rij
        if c.data_type == "f"
    ]


PAGINAS = [
    ("overzicht.py", {"indeling": "aanbieder"}),
    ("overzicht.py", {"indeling": "gemeente"}),
    ("overzicht.py", {"indeling": "subsegment"}),
    ("kpi_detail.py", {"kpi": "instroom"}),
    ("financien.py", {}),
    ("aanbieder.py", {"aanbieder": "AGB"}),
    ("benchmark.py", {"aanbieder": "AGB"}),
    ("datakwaliteit.py", {}),
]


def test_geen_download_voert_een_formule_uit(
    vijandig: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every CSV and Excel download on every page, as the region sees them (with names)."""
    monkeypatch.setattr(app_test, "MediaFileManager", _Downloads)
    gezien: set[str] = set()
    geopend = 0
    for pagina, query in PAGINAS:
        at = AppTest.from_file(APP, default_timeout=180)
        for k, v in {"periode": "cj2023", **query}.items():
            at.query_params[k] = vijandig["agb"] if v == "AGB" else v
        at.run()
        if pagina != "overzicht.py":
            at.switch_page(f"paginas/{pagina}")
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        for naam, inhoud in _downloads(at):
            geopend += 1
            if naam.endswith(".xlsx"):
                assert _xlsx_formules(inhoud) == [], f"formule in {naam}"
                continue
            cellen = _csv_cellen(inhoud, ";")
            uitgevoerd = [c for c in cellen if wordt_uitgevoerd(c)]
            assert not uitgevoerd, f"{pagina} {naam}: {uitgevoerd[:5]}"
            gezien |= {c[1:] for c in cellen if c.startswith("'")}
    assert geopend >= 2 * len(PAGINAS) - 2  # CSV and Excel of (nearly) every page
    # not vacuous: hostile names of every kind reached the downloads, neutralised
    for soort, namen in vijandig["opgeslagen"].items():
        assert gezien & namen, f"geen vijandige {soort}-naam in de downloads"


@pytest.mark.parametrize("per", ["subsegment", "aanbieder,gemeente,subsegment"])
def test_kpi_export_csv_zonder_formules(vijandig: dict, tmp_path: Path, capsys, per: str) -> None:  # noqa: ANN001
    doel = tmp_path / "kpis.csv"
    args = ["export", "--db", str(vijandig["db"]), "--periode", "cj2023", "--per", per]
    assert kpi_main([*args, "--out", str(doel)]) == 0
    assert kpi_main([*args, "--out", "-"]) == 0
    stdout = capsys.readouterr().out.encode()
    for inhoud in (doel.read_bytes(), stdout):
        cellen = _csv_cellen(inhoud, ",")
        assert not [c for c in cellen if wordt_uitgevoerd(c)]
        geneutraliseerd = {c[1:] for c in cellen if c.startswith("'")}
        assert geneutraliseerd & vijandig["opgeslagen"]["subsegment"]
    # numbers stay numbers: a negative saldo is written as the number it is
    frame = pl.read_csv(doel, infer_schema=False)
    saldo = frame.filter(pl.col("kpi") == "saldo_afrekening")["waarde"].drop_nulls()
    assert saldo.len() and all(re.fullmatch(r"-?\d+(\.\d+)?", w) for w in saldo)
    xlsx = tmp_path / "kpis.xlsx"
    assert kpi_main([*args, "--out", str(xlsx)]) == 0
    assert _xlsx_formules(xlsx.read_bytes()) == []


def test_zonder_formules_laat_getallen_staan() -> None:
    frame = pl.DataFrame(
        {
            "naam": ["=1+1", "+31 6", "-2+3", "@A1", "\tx", "\r=1", "gewoon", "-12", "-1.234,5",
                     "-12,5 %", "€ -758,76", "-", None],
            "getal": [-1, 2, -3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
        }
    )  # fmt: skip
    uit = zonder_formules(frame)
    assert uit["naam"].to_list() == [
        "'=1+1", "'+31 6", "'-2+3", "'@A1", "'\tx", "'\r=1", "gewoon", "-12", "-1.234,5",
        "-12,5 %", "€ -758,76", "'-", None,
    ]  # fmt: skip
    assert uit["getal"].to_list() == frame["getal"].to_list()
    assert uit.schema == frame.schema


@pytest.fixture(scope="module")
def browser_pagina(vijandig: dict) -> Iterator[tuple[str, object, list[str]]]:
    """`streamlit run app.py` on the hostile warehouse, a Chromium page, and every request
    the page made to anywhere but the app."""
    poort = _vrije_poort()
    proces = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(poort),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env={**os.environ, "STOPLICHT_DB": str(vijandig["db"])},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{poort}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        ARTEFACTEN.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            buiten: list[str] = []
            page.on(
                "request",
                lambda r: (
                    None if r.url.startswith((url, "data:", "blob:")) else buiten.append(r.url)
                ),
            )
            page.goto(f"{url}/aanbieder?aanbieder={vijandig['agb']}&periode=cj2023")
            expect(page.locator("h1").first).to_have_text(re.compile(r"\S"), timeout=90_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=90_000,
            )
            page.screenshot(path=ARTEFACTEN / "vijandige_naam.png", full_page=True)
            yield url, page, buiten
            browser.close()
    finally:
        proces.terminate()
        proces.wait(timeout=20)


def test_naam_als_tekst_in_de_titel(vijandig: dict, browser_pagina: tuple) -> None:
    """The browser shows the stored name in the title, not its Markdown or a link."""
    _, page, _ = browser_pagina
    kop = page.locator("h1").first
    # what the reader sees: the stored name (U+2060, the invisible word joiner that keeps an
    # address from becoming a link, aside)
    titel = f"{MARKDOWN_NAAM} ({vijandig['agb']})"
    assert kop.inner_text().replace(WOORDVERBINDER, "").strip() == titel
    assert not kop.locator("strong, em, a[href^='http'], a[href^='mailto']").count(), (
        kop.inner_html()
    )


def test_paginaicoon_zonder_internet(browser_pagina: tuple) -> None:
    """The page icon is drawn from what the app sends; the page fetches nothing from outside."""
    url, page, buiten = browser_pagina
    icoon = page.locator("link[rel='shortcut icon']").get_attribute("href") or ""
    assert icoon.startswith(("data:", url, "/", "./")), icoon
    assert buiten == [], buiten
