"""The Financiën page for a contractjaar, a quarter and a year (AppTest on the mini sample):
the page follows the period or says in words why a figure is not given (issue 15 item 4,
issue 20 items 2 and 3)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from kpi import bereken, financien
from tests.conftest import REPO
from weergave import formaat, tabellen

APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    return duckdb.connect(str(mini_warehouse), read_only=True)


def _financien(periode: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["periode"] = periode
    at.run()
    at.switch_page("paginas/financien.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_contractjaar(con: duckdb.DuckDBPyConnection) -> None:
    at = _financien("cj2023")
    koppen = [s.value for s in at.subheader]
    assert "Uitgaven contractjaar 2023/24: realisatie tegen prognose" in koppen
    uitleg = " ".join(c.value for c in at.caption)
    assert "juli–december uit de begroting 2023, januari–juni uit de begroting 2024" in uitleg
    # the plan of the contract year's twelve months, as the realisatie KPI of cj2023 has it
    realisatie = bereken(con, "cj2023", kpis=["realisatie"]).row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    begroot = metrics["Begroot contractjaar 2023/24 (prognose t/m jun 2024)"]
    assert begroot == formaat.euro(realisatie["noemer"], 0)
    # no split for a contract year, and the page says why (not "no targets")
    info = [i.value for i in at.info]
    assert any(
        i.startswith("Niet berekend voor contractjaar 2023/24: die valt in twee") for i in info
    )
    assert not any("Geen gegevens voor targets" in i for i in info)


def test_kwartaal_geen_verschil_wel_de_reden() -> None:
    at = _financien("2024-Q2")
    info = [i.value for i in at.info]
    assert any(i.startswith("Niet berekend voor Q2 2024: de targets in de begroting") for i in info)
    uitleg = " ".join(c.value for c in at.caption)
    assert "Q2 2024 valt in dit jaar; de grafiek toont het hele jaar." in uitleg


def test_begroot_en_waterval_hetzelfde_bedrag(con: duckdb.DuckDBPyConnection) -> None:
    at = _financien("2024")
    metrics = {m.label: m.value for m in at.metric}
    begroot = metrics["Begroot 2024 (prognose t/m dec 2024)"]
    overzicht = financien.verschiloverzicht(con, "2024")
    stappen = tabellen.watervalstappen(overzicht, None)
    # the waterfall starts at the figure shown as begroot, and closes on the real spending
    assert formaat.euro(stappen["bedrag"][0], 0) == begroot
    assert stappen["stap"][0].startswith("Begroot")
    assert abs(sum(stappen["bedrag"][:-1]) - stappen["bedrag"][-1]) < 0.01
    assert any(c.value.startswith("Heel begrotingsjaar 2024") for c in at.caption)
