"""The dashboard in a real browser: `streamlit run app.py` on localhost, headless Chromium.

Visits every page through the sidebar, changes a filter and checks that the URL carries it,
checks that a figure from the KPI engine appears, and saves a screenshot per page in
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect, sync_playwright

import kpi
from tests.conftest import REPO
from weergave import formaat

ARTEFACTEN = REPO / "test-artifacts"
CHROMIUM = os.environ.get("STOPLICHT_CHROMIUM", "/usr/bin/chromium")
PAGINAS = [
    ("Overzicht", "Overzicht"),
    ("KPI-detail", "Doorlooptijd"),
    ("Aanbieder", "Aanbieder"),
    ("Financiën", "Financiën"),
    ("Benchmark", "Benchmark"),
    ("Datakwaliteit", "Datakwaliteit"),
    ("Over de data", "Over de data"),
]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(mini_warehouse: Path) -> Iterator[str]:
    poort = _vrije_poort()
    env = {**os.environ, "STOPLICHT_DB": str(mini_warehouse)}
    proces = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(poort),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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
        else:
            raise RuntimeError("streamlit kwam niet op")
        yield url
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture(scope="module")
def pagina(server: str) -> Iterator[Page]:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        yield page
        browser.close()


def _wacht_op_titel(page: Page, titel: str) -> None:
    expect(page.locator("h1").first).to_have_text(titel, timeout=90_000)
    # wait until Streamlit stops running the script (the status widget disappears)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )


def test_elke_pagina_via_de_zijbalk(server: str, pagina: Page) -> None:
    pagina.goto(server)
    _wacht_op_titel(pagina, "Overzicht")
    for link, titel in PAGINAS:
        pagina.get_by_test_id("stSidebarNav").get_by_text(link, exact=True).click()
        _wacht_op_titel(pagina, titel)
        pagina.screenshot(path=ARTEFACTEN / f"{link.lower().replace(' ', '_')}.png", full_page=True)
        assert "periode=2024" in pagina.url
        assert not pagina.get_by_test_id("stException").count()


def test_filter_staat_in_de_url(server: str, pagina: Page) -> None:
    pagina.goto(server)
    _wacht_op_titel(pagina, "Overzicht")
    zijbalk = pagina.get_by_test_id("stSidebar")
    zijbalk.get_by_test_id("stSelectbox").filter(has_text="Gemeente").locator("input").click()
    pagina.get_by_role("option", name="Aalten (0197)").click()
    _wacht_op_titel(pagina, "Overzicht")
    expect(pagina).to_have_url(re.compile(r"[?&]gemeente=0197(&|$)"), timeout=30_000)
    expect(pagina.get_by_text("gemeente: Aalten").first).to_be_visible()
    pagina.screenshot(path=ARTEFACTEN / "overzicht_aalten.png", full_page=True)
    # the link carries the filter: opening it in a fresh page shows the same selection
    pagina.goto(pagina.url)
    _wacht_op_titel(pagina, "Overzicht")
    expect(pagina.get_by_text("gemeente: Aalten").first).to_be_visible()


def test_bekend_cijfer_verschijnt(server: str, pagina: Page, mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    rij = kpi.bereken(con, "cj2023", kpis=["wachttijd"]).row(0, named=True)
    verwacht = formaat.getal(rij["waarde"], 1)
    pagina.goto(f"{server}/kpi_detail?kpi=wachttijd&periode=cj2023")
    _wacht_op_titel(pagina, "Wachttijd")
    waarde = pagina.get_by_test_id("stMetricValue").first
    expect(waarde).to_have_text(verwacht)
    pagina.screenshot(path=ARTEFACTEN / "kpi_detail_wachttijd.png", full_page=True)


def _sectie_schermafdruk(page: Page, kop: str, pad: Path) -> None:
    """A screenshot from heading `kop` down (the page scrolls inside Streamlit's main block)."""
    page.set_viewport_size({"width": 1440, "height": 6000})
    try:
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
        )
        vak = page.locator("h3", has_text=kop).first.bounding_box()
        assert vak is not None
        hoogte = page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
        )
        page.screenshot(
            path=pad,
            clip={"x": 280, "y": vak["y"] - 20, "width": 1160,
                  "height": min(hoogte - vak["y"] + 20, 2600)},
        )  # fmt: skip
    finally:
        page.set_viewport_size({"width": 1440, "height": 1000})


def test_prognose_sectie(server: str, pagina: Page, mini_warehouse: Path) -> None:
    """Financiën and Aanbieder show the forecast: the figure the engine computes, marked
    prognose, with its 80 % interval, the voorschotadvies as a proposal, and the charts."""
    from kpi.prognose.overzicht import per_groep

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    regio = per_groep(con, per=()).row(0, named=True)
    pagina.goto(f"{server}/financien")
    _wacht_op_titel(pagina, "Financiën")
    kop = pagina.locator("h3", has_text="Prognose contractjaar")
    expect(kop).to_be_visible(timeout=90_000)
    metriek = pagina.get_by_test_id("stMetric").filter(has_text="Verwachte benutting (prognose)")
    expect(metriek.get_by_test_id("stMetricValue")).to_have_text(
        formaat.procent(regio["benutting_verwacht"], 1), timeout=90_000
    )
    expect(pagina.get_by_text(re.compile(r"^80 %: .* – ")).first).to_be_visible(timeout=90_000)
    voorstel = pagina.get_by_text("Voorstel, geen besluit", exact=False).first
    expect(voorstel).to_be_visible(timeout=90_000)
    expect(pagina.get_by_text("Volloop-signaal", exact=False).first).to_be_visible(timeout=90_000)
    expect(pagina.locator("[data-testid='stVegaLiteChart']").nth(1)).to_be_visible(timeout=90_000)
    _sectie_schermafdruk(pagina, "Prognose contractjaar", ARTEFACTEN / "prognose_financien.png")
    # sorting by another key keeps the section working
    pagina.get_by_test_id("stButtonGroup").get_by_text("Verwachte benutting (hoog → laag)").click()
    _wacht_op_titel(pagina, "Financiën")
    assert not pagina.get_by_test_id("stException").count()

    agb = con.execute(
        "select aanbieder from contracten group by 1 order by sum(plekken) desc limit 1"
    ).fetchall()[0][0]
    pagina.goto(f"{server}/aanbieder?aanbieder={agb}&periode=2024")
    expect(pagina.locator("h3", has_text="Prognose contractjaar")).to_be_visible(timeout=90_000)
    _wacht_op_titel(pagina, pagina.locator("h1").first.inner_text())
    eigen = per_groep(con, per=(), filters=kpi.Filters(aanbieder=(agb,))).row(0, named=True)
    metriek = pagina.get_by_test_id("stMetric").filter(has_text="Verwachte zorgkosten (prognose)")
    expect(metriek.get_by_test_id("stMetricValue")).to_have_text(
        formaat.euro(eigen["zorgkosten_verwacht"], 0), timeout=90_000
    )
    _sectie_schermafdruk(pagina, "Prognose contractjaar", ARTEFACTEN / "prognose_aanbieder.png")
    assert not pagina.get_by_test_id("stException").count()
