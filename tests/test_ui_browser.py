"""The dashboard in a real browser: `streamlit run app.py` on localhost, headless Chromium.

Visits every page through the sidebar menu and checks that the shared filters survive every
move (issue 15 item 1), that the matrix gives every row room for every indeling and role
(item 2), that every part of a view is in the link (item 8), that printing leaves out the
sidebar and cuts no table (item 9), the document language and the charts' alt text, and that a
figure from the KPI engine appears. Saves a screenshot per page in test-artifacts/.
"""

from __future__ import annotations

import io
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
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pypdf import PdfReader

import kpi
from tests.conftest import REPO
from weergave import formaat

ARTEFACTEN = REPO / "test-artifacts"
CHROMIUM = os.environ.get("STOPLICHT_CHROMIUM", "/usr/bin/chromium")
PAGINAS = [
    ("Overzicht", "Overzicht"),
    ("KPI-detail", "Doorlooptijd"),
    ("Aanbieder", None),  # titled with the provider's name
    ("Financiën", "Financiën"),
    ("Benchmark", "Benchmark"),
    ("Datakwaliteit", "Datakwaliteit"),
    ("Over de data", "Over de data"),
]
INDELINGEN = ("aanbieder", "segment", "subsegment", "gemeente")
MIN_RIJHOOGTE = 20  # px per matrix row: enough for its 11 px text


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, **env: str) -> tuple[subprocess.Popen, str]:
    poort = _vrije_poort()
    omgeving = {**os.environ, "STOPLICHT_DB": str(db), **env}
    proces = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(poort),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=omgeving, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{poort}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proces, url
        except OSError:
            time.sleep(0.5)
    proces.terminate()
    raise RuntimeError("streamlit kwam niet op")


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


@pytest.fixture(scope="module")
def grootste(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The provider with the most trajectories: AGB and name."""
    return con.execute(
        "select t.aanbieder, a.naam from zorgtrajecten t join aanbieders a using (aanbieder) "
        "group by all order by count(*) desc, 1 limit 1"
    ).fetchall()[0]


@pytest.fixture(scope="module")
def server(mini_warehouse: Path) -> Iterator[str]:
    proces, url = _start(mini_warehouse, STOPLICHT_LOKALE_ROL="")  # role regio
    try:
        yield url
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture(scope="module")
def server_aanbieder(mini_warehouse: Path, grootste: tuple[str, str]) -> Iterator[str]:
    """The same warehouse in local mode with the provider role (STOPLICHT_LOKALE_ROL)."""
    proces, url = _start(mini_warehouse, STOPLICHT_LOKALE_ROL=f"aanbieder:{grootste[0]}")
    try:
        yield url
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def pagina(browser: Browser) -> Iterator[Page]:
    """A fresh tab (a new Streamlit session) per test."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    yield page
    page.close()


def _wacht_op_titel(page: Page, titel: str) -> None:
    """The title shown and the script run finished (also used by tests/test_toegang_oidc.py)."""
    expect(page.locator("h1").first).to_have_text(titel, timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )


def _klaar(page: Page, titel: str | None = None) -> None:
    """A dashboard page fully drawn: its title, the run finished, the widgets loaded."""
    if titel is None:
        page.locator("h1").first.wait_for(timeout=90_000)
    else:
        expect(page.locator("h1").first).to_have_text(titel, timeout=90_000)
    # wait until Streamlit stops running the script (the status widget disappears), twice: a
    # fresh session may show its title before the run that draws the widgets has begun; and
    # until the widgets' code has loaded (they show as skeletons before)
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && "
            "!document.querySelector('[data-testid=\"stSkeleton\"]')",
            timeout=90_000,
        )
    expect(page.get_by_test_id("stSidebar").get_by_text("Peildatum").first).to_be_attached()
    assert not page.get_by_test_id("stException").count()


def _schermafdruk(page: Page, naam: str) -> None:
    """The whole page: the viewport grown to the main area's height (it scrolls inside)."""
    hoogte = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(hoogte, 1000), 12_000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=ARTEFACTEN / f"{naam}.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})


def _menu(page: Page, naam: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=naam, exact=True).click()


# ------------------------------------------------------------------------- item 1


def test_filters_blijven_bij_elke_paginawissel(
    server: str, pagina: Page, grootste: tuple[str, str]
) -> None:
    agb, naam = grootste
    pagina.goto(f"{server}/?periode=cj2023&aanbieder={agb}&indeling=segment")
    _klaar(pagina, "Overzicht")
    for link, titel in [*PAGINAS[1:], PAGINAS[0]]:
        _menu(pagina, link)
        _klaar(pagina, titel or f"{naam} ({agb})")
        assert re.search(r"[?&]periode=cj2023(&|$)", pagina.url), (link, pagina.url)
        assert re.search(rf"[?&]aanbieder={agb}(&|$)", pagina.url), (link, pagina.url)
        if link != "Over de data":  # the page says what it shows
            expect(pagina.get_by_text(f"aanbieder: {naam}").first).to_be_visible()
        zijbalk = pagina.get_by_test_id("stSidebar")
        contractjaar = zijbalk.get_by_role("combobox", name="Contractjaar", exact=True)
        expect(contractjaar).to_have_value(re.compile(r"^2023/24"))
    # back on Overzicht the page's own choice came back too
    assert "indeling=segment" in pagina.url
    expect(pagina.get_by_role("radio", name="Segmenten", exact=True)).to_have_attribute(
        "aria-checked", "true"
    )


def test_elke_pagina_via_het_menu_met_schermafdruk(server: str, pagina: Page) -> None:
    pagina.goto(server)
    _klaar(pagina, "Overzicht")
    for link, titel in PAGINAS:
        _menu(pagina, link)
        _klaar(pagina, titel or "Aanbieder")
        assert "periode=2024" in pagina.url
        _schermafdruk(pagina, link.lower().replace(" ", "_"))


def test_filter_staat_in_de_url(server: str, pagina: Page) -> None:
    pagina.goto(server)
    _klaar(pagina, "Overzicht")
    zijbalk = pagina.get_by_test_id("stSidebar")
    zijbalk.get_by_test_id("stSelectbox").filter(has_text="Gemeente").locator("input").click()
    pagina.get_by_role("option", name="Aalten (0197)").click()
    _klaar(pagina, "Overzicht")
    expect(pagina).to_have_url(re.compile(r"[?&]gemeente=0197(&|$)"), timeout=30_000)
    expect(pagina.get_by_text("gemeente: Aalten").first).to_be_visible()
    # the menu's links carry it, so a page opened in a new tab keeps it as well; each link
    # leads to its own page (Overzicht's too, from another page)
    _menu(pagina, "Benchmark")
    _klaar(pagina, "Benchmark")
    paden = {"Overzicht": "/", "Benchmark": "/benchmark", "Over de data": "/over_de_data"}
    for naam, pad in paden.items():
        link = zijbalk.get_by_role("link", name=naam, exact=True)
        href = link.evaluate("a => a.href")
        assert href == f"{pagina.url.split('/benchmark')[0]}{pad}?periode=2024&gemeente=0197", href
    _menu(pagina, "Overzicht")
    _klaar(pagina, "Overzicht")
    _schermafdruk(pagina, "overzicht_aalten")
    # the link carries the filter: opening it in a fresh page shows the same selection
    pagina.goto(pagina.url)
    _klaar(pagina, "Overzicht")
    expect(pagina.get_by_text("gemeente: Aalten").first).to_be_visible()


# ------------------------------------------------------------------------- item 2


def _matrixcellen(page: Page) -> list[dict]:
    """Position and size of every cell of the stoplicht matrix (the first chart)."""
    grafiek = page.get_by_test_id("stVegaLiteChart").first
    grafiek.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    return grafiek.evaluate(
        """e => Array.from(e.querySelectorAll('g.mark-rect path')).map(p => {
               const r = p.getBoundingClientRect();
               return {y: Math.round(r.top), hoogte: r.height, breedte: r.width};
           })"""
    )


@pytest.mark.parametrize("rol", ["regio", "aanbieder"])
@pytest.mark.parametrize("indeling", INDELINGEN)
def test_matrix_heeft_ruimte_voor_elke_rij(
    request: pytest.FixtureRequest,
    pagina: Page,
    con: duckdb.DuckDBPyConnection,
    grootste: tuple[str, str],
    indeling: str,
    rol: str,
) -> None:
    basis = request.getfixturevalue("server" if rol == "regio" else "server_aanbieder")
    pagina.goto(f"{basis}/?periode=2024&indeling={indeling}")
    _klaar(pagina, "Overzicht")
    cellen = _matrixcellen(pagina)
    filters = kpi.Filters(aanbieder=grootste[0]) if rol == "aanbieder" else kpi.Filters()
    per_rij = kpi.bereken(con, "2024", per=[indeling], filters=filters, kpis=["instroom"])
    verwacht = 1 + per_rij.filter(per_rij["n"] > 0)[indeling].n_unique()  # the total on top
    rijen = sorted({c["y"] for c in cellen})
    assert len(rijen) >= verwacht, (rijen, verwacht)
    assert min(c["hoogte"] for c in cellen) >= MIN_RIJHOOGTE, cellen[:3]
    assert min(b - a for a, b in zip(rijen, rijen[1:], strict=False)) >= MIN_RIJHOOGTE
    if indeling == "gemeente":
        _schermafdruk(pagina, f"overzicht_{rol}_gemeente")


# ------------------------------------------------------------------------- item 8


def test_elk_deel_van_een_weergave_staat_in_de_link(
    server: str, browser: Browser, pagina: Page, grootste: tuple[str, str]
) -> None:
    agb, naam = grootste
    pagina.goto(f"{server}/?periode=2023")
    _klaar(pagina, "Overzicht")
    pagina.get_by_role("radio", name="Gemeenten", exact=True).click()
    _klaar(pagina, "Overzicht")
    sorteer = pagina.get_by_test_id("stSelectbox").filter(has_text="Sorteer op")
    sorteer.locator("input").click()
    pagina.get_by_role("option", name="Doorlooptijd", exact=True).click()
    _klaar(pagina, "Overzicht")
    expect(pagina).to_have_url(re.compile(r"sorteer=doorlooptijd"), timeout=30_000)
    assert "indeling=gemeente" in pagina.url
    links = {"overzicht": pagina.url}

    _menu(pagina, "Benchmark")
    _klaar(pagina, "Benchmark")
    keuze = pagina.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="KPI")
    keuze.locator("input").click()
    pagina.get_by_role("option", name="Benutting", exact=True).click()
    _klaar(pagina, "Benchmark")
    expect(pagina).to_have_url(re.compile(r"kpi=benutting"), timeout=30_000)
    links["benchmark"] = pagina.url
    links["kpis"] = f"{server}/?periode=2023&kpis=instroom,recidive"
    links["positie"] = f"{server}/aanbieder?periode=2023&aanbieder={agb}&positie=benutting"

    # a link opened elsewhere (a new session) shows the same view
    nieuw = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        nieuw.goto(links["overzicht"])
        _klaar(nieuw, "Overzicht")
        expect(nieuw.get_by_role("combobox", name="Sorteer op")).to_have_value("Doorlooptijd")
        expect(nieuw.get_by_role("radio", name="Gemeenten", exact=True)).to_have_attribute(
            "aria-checked", "true"
        )
        nieuw.goto(links["benchmark"])
        _klaar(nieuw, "Benchmark")
        expect(nieuw.get_by_role("combobox", name="KPI", exact=True)).to_have_value("Benutting")
        nieuw.goto(links["kpis"])
        _klaar(nieuw, "Overzicht")
        gekozen = nieuw.get_by_test_id("stMultiSelect").first
        expect(gekozen).to_contain_text("Instroom")
        expect(gekozen).to_contain_text("Recidive")
        expect(gekozen).not_to_contain_text("Wachttijd")
        nieuw.goto(links["positie"])
        _klaar(nieuw, f"{naam} ({agb})")
        expect(nieuw.get_by_role("combobox", name="KPI", exact=True)).to_have_value("Benutting")
    finally:
        nieuw.close()


def test_slechte_link_geeft_een_melding_geen_fout(server: str, pagina: Page) -> None:
    pagina.goto(f"{server}/?indeling=foo&periode=0001-01-01..9999-12-31")
    _klaar(pagina, "Overzicht")
    expect(pagina.get_by_text("ongeldige waarde voor ‘indeling’")).to_be_visible()
    expect(pagina.get_by_text("ongeldige waarde voor ‘periode’")).to_be_visible()
    assert "periode=2024" in pagina.url and "indeling" not in pagina.url


# ------------------------------------------------------------------------- item 9


def _pdf_tekst(page: Page) -> tuple[int, str]:
    page.emulate_media(media="print")
    lezer = PdfReader(io.BytesIO(page.pdf()))
    return len(lezer.pages), "\n".join(p.extract_text() for p in lezer.pages)


def test_afdrukken_zonder_zijbalk_en_printversie_met_hele_tabellen(
    server: str, pagina: Page, con: duckdb.DuckDBPyConnection
) -> None:
    bestanden = [r[0] for r in con.execute("select bron_bestand from laadverslag").fetchall()]
    pagina.goto(f"{server}/over_de_data?periode=2024")
    _klaar(pagina, "Over de data")
    pagina.emulate_media(media="print")
    expect(pagina.get_by_test_id("stSidebar")).to_be_hidden()
    _, tekst = _pdf_tekst(pagina)
    assert "Filters" not in tekst and "Printversie" not in tekst  # no sidebar on paper

    pagina.emulate_media(media="screen")
    pagina.get_by_test_id("stSidebar").get_by_role("button", name="Printversie").click()
    _klaar(pagina, "Over de data")
    expect(pagina).to_have_url(re.compile(r"[?&]print=1(&|$)"), timeout=30_000)
    expect(pagina.get_by_test_id("stSidebar")).to_be_hidden()  # on screen too
    _schermafdruk(pagina, "over_de_data_printversie")
    bladen, tekst = _pdf_tekst(pagina)
    ontbreekt = [b for b in bestanden if b not in tekst.replace("\n", "")]
    assert not ontbreekt, ontbreekt  # every row of the load report, none cut off
    assert bladen > 1
    # the print version survives a page move and can be left
    pagina.emulate_media(media="screen")
    pagina.goto(f"{server}/datakwaliteit?periode=2024&print=1")
    _klaar(pagina, "Datakwaliteit")
    pagina.get_by_role("button", name="Gewone weergave").click()
    _klaar(pagina, "Datakwaliteit")
    expect(pagina.get_by_test_id("stSidebar")).to_be_visible()
    assert "print=1" not in pagina.url


# ------------------------------------------------------------------------- accessibility


def test_taal_nl_en_grafieken_met_beschrijving(server: str, pagina: Page) -> None:
    pagina.goto(f"{server}/kpi_detail?periode=2024&kpi=doorlooptijd")
    _klaar(pagina, "Doorlooptijd")
    pagina.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=30_000)
    grafieken = pagina.get_by_test_id("stVegaLiteChart")
    grafieken.first.wait_for()
    zichtbaar = [
        grafieken.nth(i) for i in range(grafieken.count()) if grafieken.nth(i).is_visible()
    ]
    assert len(zichtbaar) >= 2  # the trend and the breakdown in the open tab
    for grafiek in zichtbaar:  # a chart in a closed tab is drawn when the tab opens
        expect(grafiek).to_have_attribute("aria-label", re.compile(r"^Doorlooptijd.{20,}"))


def test_bekend_cijfer_verschijnt(
    server: str, pagina: Page, con: duckdb.DuckDBPyConnection
) -> None:
    rij = kpi.bereken(con, "cj2023", kpis=["wachttijd"]).row(0, named=True)
    verwacht = formaat.dagen(rij["waarde"])
    pagina.goto(f"{server}/kpi_detail?kpi=wachttijd&periode=cj2023")
    _klaar(pagina, "Wachttijd")
    waarde = pagina.get_by_test_id("stMetricValue").first
    expect(waarde).to_have_text(verwacht)
    _schermafdruk(pagina, "kpi_detail_wachttijd")


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
    _klaar(pagina, "Financiën")
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
    _klaar(pagina, "Financiën")
    assert not pagina.get_by_test_id("stException").count()

    agb = con.execute(
        "select aanbieder from contracten group by 1 order by sum(plekken) desc limit 1"
    ).fetchall()[0][0]
    pagina.goto(f"{server}/aanbieder?aanbieder={agb}&periode=2024")
    expect(pagina.locator("h3", has_text="Prognose contractjaar")).to_be_visible(timeout=90_000)
    _klaar(pagina, pagina.locator("h1").first.inner_text())
    eigen = per_groep(con, per=(), filters=kpi.Filters(aanbieder=(agb,))).row(0, named=True)
    metriek = pagina.get_by_test_id("stMetric").filter(has_text="Verwachte zorgkosten (prognose)")
    expect(metriek.get_by_test_id("stMetricValue")).to_have_text(
        formaat.euro(eigen["zorgkosten_verwacht"], 0), timeout=90_000
    )
    _sectie_schermafdruk(pagina, "Prognose contractjaar", ARTEFACTEN / "prognose_aanbieder.png")
    assert not pagina.get_by_test_id("stException").count()
