"""KPI-detail says why a figure is missing and what a figure covers (issue 20 review, AppTest):
a contract year whose second begrotingsjaar has no plan for a gemeente, its trend from 1
July, and the variance of the year to date. The extract is the one of
tests/test_ui_browser_financien.py; every expected figure is worked out below."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from tests.test_toegang_lekken import AUTH, identiteit
from tests.test_ui_browser_financien import warehouse  # noqa: F401 - the fixture

APP = str(REPO / "app.py")
REDEN = (
    "Niet berekend: de begroting 2024 heeft geen plan voor GWV in gemeente 1859, dus geen "
    "prognose voor alle maanden."
)


@pytest.fixture(scope="module", autouse=True)
def _db(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:  # noqa: F811
    # the app's connection and figures are cached per process: emptied before and after, so
    # that no other module's AppTest reads this warehouse (or this one another's). Not the
    # sample, so no local mode (issue 23 item 1): a regio user logged in, as in production.
    map_ = tmp_path_factory.mktemp("uitleg_inlog")
    (map_ / "gebruikers.toml").write_text('[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n')
    namen = ("STOPLICHT_DB", "STOPLICHT_GEBRUIKERS", "STOPLICHT_INGETROKKEN")
    vorige = {k: os.environ.get(k) for k in namen}
    os.environ["STOPLICHT_DB"] = str(warehouse)
    os.environ["STOPLICHT_GEBRUIKERS"] = str(map_ / "gebruikers.toml")
    os.environ["STOPLICHT_INGETROKKEN"] = str(map_ / "ingetrokken.txt")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    for k, v in vorige.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _detail(kpi: str, periode: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = identiteit("cm@regio.nl")
    at.query_params["periode"] = periode
    at.query_params["kpi"] = kpi
    at.run()
    at.switch_page("paginas/kpi_detail.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _trendpunten(at: AppTest) -> dict[str, float]:
    """The trend chart's points: month ('jul 2023') -> waarde."""
    (grafiek, *_) = at.get("vega_lite_chart")
    punten: dict[str, float] = {}
    for deel in grafiek.proto.datasets:
        tabel = pa.ipc.open_stream(io.BytesIO(deel.data.data)).read_all().to_pandas()
        if {"maand", "waarde_getal"} <= set(tabel.columns):
            for maand, waarde in zip(tabel["maand"], tabel["waarde_getal"], strict=True):
                punten[maand] = float(waarde)
    return punten


def test_contractjaar_met_half_plan_zegt_waarom_en_trend_vanaf_juli() -> None:
    at = _detail("realisatie", "cj2023")
    info = [i.value for i in at.info]
    # the region holds Berkelland, whose January-June has no plan: no figure, the reason
    assert REDEN in info
    assert not [m for m in at.metric if m.label == "Stoplicht"]
    # the trend: July-December 2023 from 1 July; January-June 2024 none, and why
    punten = _trendpunten(at)
    # July 2023: Aalten 10.000 spent, Berkelland nothing yet; the plan of July: Aalten
    # 120.000 / 12 + Berkelland 1.155.000 / 12 = 106.250
    assert punten["jul 2023"] == pytest.approx(float(Fraction(10000, 106250)))
    # September: 10.000 x 3 + 261.250 against 3 x 106.250
    assert punten["sep 2023"] == pytest.approx(float(Fraction(30000 + 261250, 3 * 106250)))
    assert not any(p.endswith("2024") for p in punten)
    bijschriften = [c.value for c in at.caption]
    assert f"Geen cijfer voor januari 2024 t/m juni 2024: {REDEN}" in bijschriften
    # per gemeente: Aalten's figure, Berkelland's reason under its name
    assert f"Geen cijfer voor Berkelland: {REDEN}" in bijschriften


def test_verschil_lopend_jaar_noemt_zijn_maanden() -> None:
    noot = (
        "Berekend over 01-01-2024 t/m 31-07-2024: de volledige maanden tot de peildatum "
        "(14-08-2024), tegen de target van die maanden."
    )
    at = _detail("hoeveelheidsverschil", "2024")
    # 2024 at the peildatum 14-08: January-July. Aalten IAJ: target 6 x 40.000 x 7/12 =
    # 140.000, KN 23.333,33...; 2 clients (TA1 from 2023 without a stop, TA2 from March):
    # (2 - 6) x 23.333,33... = -93.333,33
    waarde = {m.label: m.value for m in at.metric}["Hoeveelheidsverschil"]
    assert waarde == "€ -93.333,33"
    assert noot in [c.value for c in at.caption]
    # per aanbieder: no targets per aanbieder, so no '(geen)' row with the region's figure
    info = [i.value for i in at.info]
    assert (
        "Niet berekend per aanbieder: de begroting 2024 heeft targets per segment en gemeente, "
        "niet per aanbieder."
    ) in info
    # asked as exactly those months: the same figure, nothing to add
    at = _detail("hoeveelheidsverschil", "2024-01-01..2024-07-31")
    assert {m.label: m.value for m in at.metric}["Hoeveelheidsverschil"] == waarde
    assert noot not in [c.value for c in at.caption]
    assert not any(i.value.startswith("Niet berekend voor") for i in at.info)
