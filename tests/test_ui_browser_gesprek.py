"""The dossier in a real browser: `streamlit run app.py` on localhost, headless Chromium.

Writes an afspraak on the Aanbieder page, reloads and finds it, downloads the factsheet and
finds it there; saves screenshots of the dossier and the group talk page and a PNG of the
factsheet's dossier page (pdftoppm) in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pypdf
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from dossier import Dossier
from kpi import gesprek as gs
from tests.conftest import REPO
from tests.test_ui_browser import ARTEFACTEN, CHROMIUM, _vrije_poort, _wacht_op_titel

DEADLINE = date.today() + timedelta(days=90)
TEKST = "Plan voor uitstroom EED: aantallen per kwartaal, *geen* [link](http://x)"


@pytest.fixture(scope="module")
def omgeving(mini_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    agb, naam, sub = con.execute(
        "select t.aanbieder, a.naam, t.subsegment from zorgtrajecten t "
        "join aanbieders a using (aanbieder) group by all order by count(*) desc, 1 limit 1"
    ).fetchone()
    con.close()
    dossier = tmp_path_factory.mktemp("dossier_browser") / "dossier.sqlite"
    # the talk about 2023, written in November 2024: an afspraak now past its deadline
    toen = Dossier(dossier, klok=lambda: datetime(2024, 11, 4, 10, 0, tzinfo=UTC))
    toen.nieuwe_afspraak(gs.gesprek(agb, "2023"), "cm@regio.nl", "Wachtlijst halveren",
                         "aanbieder", "2025-01-31")  # fmt: skip
    toen.nieuwe_toelichting(gs.gesprek(agb, "2024"), "cm@regio.nl", "doorlooptijd",
                            "Langer door complexe casuïstiek", gedeeld=True)  # fmt: skip
    poort = _vrije_poort()
    env = {**os.environ, "STOPLICHT_DB": str(mini_warehouse), "STOPLICHT_DOSSIER": str(dossier)}
    env.pop("STOPLICHT_GEBRUIKERS", None)
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
        yield {"url": url, "agb": agb, "naam": naam, "subsegment": sub, "dossier": dossier}
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture(scope="module")
def pagina(omgeving: dict) -> Iterator[Page]:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        yield page
        browser.close()


def _naar_aanbieder(pagina: Page, omgeving: dict) -> None:
    pagina.goto(f"{omgeving['url']}/aanbieder?aanbieder={omgeving['agb']}&periode=2024")
    _wacht_op_titel(pagina, f"{omgeving['naam']} ({omgeving['agb']})")


def test_afspraak_schrijven_herladen_en_op_de_factsheet(pagina: Page, omgeving: dict) -> None:
    _naar_aanbieder(pagina, omgeving)
    formulier = pagina.get_by_test_id("stForm").filter(has=pagina.get_by_text("Afspraak opslaan"))
    formulier.get_by_label("Afspraak", exact=True).fill(TEKST)
    # a date field of day, month and year segments: typed as a person would
    for deel, waarde in (("day", f"{DEADLINE.day:02d}"), ("month", f"{DEADLINE.month:02d}"),
                         ("year", str(DEADLINE.year))):  # fmt: skip
        formulier.get_by_role("spinbutton", name=f"{deel}, Deadline").click()
        pagina.keyboard.type(waarde)
    formulier.get_by_role("button", name="Afspraak opslaan").click()
    expect(pagina.get_by_text("Afspraak opgeslagen.")).to_be_visible(timeout=60_000)
    [a] = Dossier(omgeving["dossier"]).items(aanbieder=omgeving["agb"], periode="2024",
                                             soort="afspraak")  # fmt: skip
    assert (a.tekst, a.deadline, a.door) == (TEKST, DEADLINE, "lokaal")

    pagina.reload()
    _wacht_op_titel(pagina, f"{omgeving['naam']} ({omgeving['agb']})")
    # the text as typed: no Markdown made of it
    expect(pagina.get_by_text(TEKST, exact=True).first).to_be_visible()
    expect(pagina.get_by_text(f"deadline {DEADLINE.strftime('%d-%m-%Y')}").first).to_be_visible()
    # the earlier talk's afspraak, past its deadline, at the top and proposed for the agenda
    expect(pagina.get_by_text("○ open (deadline verstreken)").first).to_be_visible()
    # the agenda's fields come after the afspraken on a rerun: read them once they are drawn
    expect(pagina.get_by_text("Agenda voorstellen en vaststellen")).to_be_visible(timeout=60_000)
    voorgesteld: list[str] = []
    for _ in range(120):  # up to a minute on a busy machine
        voorgesteld = [pagina.get_by_role("textbox").nth(i).input_value()
                       for i in range(pagina.get_by_role("textbox").count())]  # fmt: skip
        if any(v.startswith("Afspraak uit 2023") for v in voorgesteld):
            break
        pagina.wait_for_timeout(500)
    assert any(
        v.startswith("Afspraak uit 2023") and "Wachtlijst halveren" in v for v in voorgesteld
    ), voorgesteld
    _schermafdruk_dossier(pagina)
    assert not pagina.get_by_test_id("stException").count()

    with pagina.expect_download(timeout=120_000) as download:
        pagina.get_by_role("button", name="Factsheet (PDF)").click()
    pdf = ARTEFACTEN / "factsheet_dossier.pdf"
    download.value.save_as(pdf)
    lezer = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    paginas = [p.extract_text() for p in lezer.pages]
    [nummer] = [i for i, t in enumerate(paginas, start=1) if "CM-gesprek 2024" in t]
    platte = re.sub(r"\s+", " ", paginas[nummer - 1])
    assert "Plan voor uitstroom EED: aantallen per kwartaal" in platte
    assert "Wachtlijst halveren" in platte and "Langer door complexe casuïstiek" in platte
    assert DEADLINE.strftime("%d-%m-%Y") in platte
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", str(nummer), "-l", str(nummer), "-singlefile",
             str(pdf), str(ARTEFACTEN / "factsheet_dossier")],
            check=True,
        )  # fmt: skip
        assert (ARTEFACTEN / "factsheet_dossier.png").stat().st_size > 10_000


def _schermafdruk_dossier(pagina: Page) -> None:
    """The dossier section, from its heading to the KPI table's (the page scrolls inside its
    own container, so a tall viewport shows it whole)."""
    pagina.set_viewport_size({"width": 1440, "height": 4000})
    try:
        pagina.wait_for_timeout(500)
        boven = pagina.get_by_role("heading", name="CM-gesprek: agenda en afspraken").bounding_box()
        onder = pagina.get_by_role("heading", name="KPI's tegen de norm").bounding_box()
        assert boven and onder and onder["y"] > boven["y"]
        pagina.screenshot(
            path=ARTEFACTEN / "aanbieder_dossier.png",
            clip={"x": boven["x"] - 20, "y": boven["y"] - 20, "width": 1140,
                  "height": onder["y"] - boven["y"] + 10},
        )  # fmt: skip
    finally:
        pagina.set_viewport_size({"width": 1440, "height": 1000})


def test_groepsgesprek_pagina(pagina: Page, omgeving: dict, mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    sub = con.execute(
        "select subsegment from zorgtrajecten group by 1 order by count(distinct aanbieder) desc, 1 "
        "limit 1"
    ).fetchone()[0]
    leden = [r[0] for r in con.execute(
        "select aanbieder from zorgtrajecten where subsegment = ? and year(begindatum) <= 2024 "
        "group by 1 order by count(*) desc limit 5", [sub]).fetchall()]  # fmt: skip
    con.close()
    # a group as a contract manager saved it: the page opens on it
    Dossier(omgeving["dossier"]).nieuwe_groep(
        sub, "2024", date(2024, 1, 1), date(2024, 12, 31), "cm@regio.nl", leden,
        f"Groepsgesprek {sub} 2024",
    )  # fmt: skip
    pagina.goto(f"{omgeving['url']}/groepsgesprek?periode=2024&subsegment={sub}")
    _wacht_op_titel(pagina, "Groepsgesprek")
    expect(pagina.get_by_text("Deze groep staat in het dossier")).to_be_visible()
    expect(pagina.get_by_text("Cijfers naast elkaar")).to_be_visible()
    expect(pagina.get_by_text("Groepsblad per aanbieder")).to_be_visible()
    pagina.set_viewport_size({"width": 1440, "height": 2600})
    pagina.wait_for_timeout(500)
    pagina.screenshot(path=ARTEFACTEN / "groepsgesprek.png")
    pagina.set_viewport_size({"width": 1440, "height": 1000})
    assert not pagina.get_by_test_id("stException").count()
