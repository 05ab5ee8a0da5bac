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
