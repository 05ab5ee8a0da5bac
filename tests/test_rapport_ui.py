"""The export buttons on the pages (ui/rapporten.py): present where they belong, and the
cached builders behind them return a real PDF and PPTX for the page's filters."""

from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def agb(mini_warehouse: Path) -> str:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        return con.execute(
            "select aanbieder from zorgtrajecten group by 1 order by count(*) desc, 1 limit 1"
        ).fetchall()[0][0]
    finally:
        con.close()


def _knoppen(pagina: str, **query: str) -> list[str]:
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pagina != "overzicht.py":
        at.switch_page(f"paginas/{pagina}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [k.proto.label for k in at.get("download_button")]


def test_knoppen_op_de_paginas(agb: str) -> None:
    assert "Bestuursdeck (PPTX)" in _knoppen("overzicht.py", periode="2024")
    aanbieder = _knoppen("aanbieder.py", periode="cj2023", aanbieder=agb)
    assert {"Factsheet (PDF)", "Excel (getallen)"} <= set(aanbieder)


def test_gecachete_bouwers_geven_pdf_en_pptx(agb: str) -> None:
    from ui import rapporten

    pdf = rapporten.factsheet("cj2023", agb, (("aanbieder", agb),))
    assert f"AGB {agb}" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    pptx = rapporten.deck("2024", (("gemeente", "0197"),))
    titel = Presentation(io.BytesIO(pptx)).slides[0].placeholders[1].text
    assert "gemeente: Aalten" in titel
