"""A view is a link (issue 15 items 1 and 8) and a bad link never breaks a page (issue 23 item 8).

AppTest on the mini warehouse: every page parameter is read from the URL and written back when
the widget changes; a page move without parameters keeps the shared filters; every query
parameter of every page is fuzzed with values that are not allowed, which must fall back to
the default with a note naming the parameter, never an exception.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")
PAGINAS = sorted(p.name for p in (REPO / "paginas").glob("*.py"))
GEDEELD = ("periode", "gemeente", "domein", "segment", "subsegment", "aanbieder", "print")
# The parameters each page reads besides the shared filters.
EIGEN = {
    "overzicht.py": ("indeling", "kpis", "sorteer"),
    "kpi_detail.py": ("kpi",),
    "aanbieder.py": ("positie",),
    "financien.py": ("waterval",),
    "benchmark.py": ("kpi",),
    "datakwaliteit.py": (),
    "over_de_data.py": (),
    "groepsgesprek.py": (),
}
# Values no parameter allows: typos, an empty value, a tampered range, markup, a long and an
# odd string, the widgets' own word for 'all', a year before the window, a list of nothing.
SLECHT = [
    "foo",
    "",
    "0001-01-01..9999-12-31",
    "<script>alert(1)</script>*_[x](y):red[z]" + "x" * 3000 + "\u202e\u00e9\x00",
    "Alle",
    ",,",
]
# Page parameters a run with every value bad does not reach: Aanbieder asks for a provider
# first, Financiën draws its waterfall only where targets exist (tested one by one below).
NIET_BEREIKT = {"positie", "waterval"}


@pytest.fixture(scope="module")
def db(mini_warehouse: Path) -> Path:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    return mini_warehouse


@pytest.fixture(scope="module")
def aanbieder(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    return con.execute(
        "select aanbieder from zorgtrajecten group by 1 order by count(*) desc limit 1"
    ).fetchall()[0][0]


def _draai(pagina: str, tabblad: str | None = None, **query: str) -> AppTest:
    """Open `pagina` with `query` in its first run, as a link opened in a new tab does
    (`tabblad`: the tab the user has open, where a page draws only its open tab)."""
    at = AppTest.from_file(APP, default_timeout=180)
    if tabblad is not None:
        at.session_state["weergave"] = tabblad
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(f"paginas/{pagina}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _meldingen(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "De link bevat een ongeldige waarde" in w.value]


@pytest.mark.parametrize("slecht", SLECHT, ids=[f"waarde{i}" for i in range(len(SLECHT))])
@pytest.mark.parametrize("pagina", PAGINAS)
def test_elke_parameter_van_elke_pagina_met_een_slechte_waarde(
    db: Path, pagina: str, slecht: str
) -> None:
    parameters = (*GEDEELD, *EIGEN[pagina])
    at = _draai(pagina, **dict.fromkeys(parameters, slecht))
    meldingen = _meldingen(at)
    for p in (p for p in parameters if p not in NIET_BEREIKT):
        assert any(f"‘{p}’" in m for m in meldingen), (p, meldingen)
    # the defaults are shown and written back
    assert at.query_params["periode"] == "2024"
    for p in GEDEELD[1:]:
        assert p not in at.query_params, p
    assert slecht[:50] not in " ".join(meldingen) or slecht in ("", "Alle")  # not echoed


@pytest.mark.parametrize(
    ("pagina", "parameter", "extra"),
    [
        ("overzicht.py", "indeling", {}),
        ("overzicht.py", "kpis", {}),
        ("overzicht.py", "sorteer", {}),
        ("kpi_detail.py", "kpi", {}),
        ("benchmark.py", "kpi", {}),
        ("aanbieder.py", "positie", {"aanbieder": "GROOTSTE"}),
        ("financien.py", "waterval", {"periode": "2023"}),
    ],
)
def test_elke_paginaparameter_valt_terug_met_een_melding(
    db: Path, aanbieder: str, pagina: str, parameter: str, extra: dict[str, str]
) -> None:
    query = {k: aanbieder if v == "GROOTSTE" else v for k, v in extra.items()}
    for slecht in ("foo", "0001-01-01..9999-12-31", "instroom,onzin", ""):
        at = _draai(pagina, **query, **{parameter: slecht})
        assert any(f"‘{parameter}’" in m for m in _meldingen(at)), (slecht, _meldingen(at))
        assert parameter not in at.query_params  # the default is left out of the URL


def test_onbekende_indeling_geeft_geen_streamlitfout(db: Path) -> None:
    # issue 23: /?indeling=foo raised StreamlitDefaultNotInOptionsError
    at = _draai("overzicht.py", indeling="foo")
    assert at.button_group(key="indeling").value == "aanbieder"


def test_periode_buiten_het_venster_geeft_geen_fout(db: Path) -> None:
    # issue 23: ?periode=0001-01-01..9999-12-31 gave 'year 10000 is out of range'
    at = _draai("kpi_detail.py", periode="0001-01-01..9999-12-31")
    assert at.query_params["periode"] == "2024"
    assert any("‘periode’" in m for m in _meldingen(at))


# ------------------------------------------------------------------------- links (item 8)


def test_overzicht_leest_indeling_kpis_en_sortering_uit_de_link(db: Path) -> None:
    at = _draai(
        "overzicht.py",
        tabblad="Tabel",
        indeling="segment",
        kpis="instroom,doorlooptijd",
        sorteer="doorlooptijd",
    )
    assert at.button_group(key="indeling").value == "segment"
    assert at.multiselect(key="matrix_kpis").value == ["instroom", "doorlooptijd"]
    assert at.selectbox(key="sorteer").value == "doorlooptijd"
    tabel = at.dataframe[0].value
    assert list(tabel.columns) == ["Rij", "Instroom", "Doorlooptijd"]
    rijen = tabel[tabel["Rij"] != "Regio (totaal)"]
    dagen = [int(t.split(" ")[0].replace(".", "")) for t in rijen["Doorlooptijd"]]
    assert dagen == sorted(dagen, reverse=True)  # sorted on doorlooptijd, high to low


def test_een_widget_schrijft_zijn_keuze_in_de_link(db: Path, aanbieder: str) -> None:
    at = _draai("overzicht.py")
    assert "sorteer" not in at.query_params and "kpis" not in at.query_params  # defaults
    at.selectbox(key="sorteer").set_value("instroom").run()
    assert at.query_params["sorteer"] == "instroom"
    at.multiselect(key="matrix_kpis").set_value(["instroom", "recidive"]).run()
    assert at.query_params["kpis"] == "instroom,recidive"
    at.button_group(key="indeling").set_value("gemeente").run()
    assert at.query_params["indeling"] == "gemeente"

    at = _draai("benchmark.py")
    at.selectbox(key="bench_kpi").set_value("benutting").run()
    assert at.query_params["kpi"] == "benutting"

    at = _draai("aanbieder.py", aanbieder=aanbieder)
    at.selectbox(key="positie_kpi").set_value("wachttijd").run()
    assert at.query_params["positie"] == "wachttijd"


@pytest.mark.parametrize(
    ("pagina", "sleutel", "parameter", "waarde", "extra"),
    [
        ("benchmark.py", "bench_kpi", "kpi", "benutting", {}),
        ("kpi_detail.py", "detail_kpi", "kpi", "recidive", {}),
        ("aanbieder.py", "positie_kpi", "positie", "benutting", {"aanbieder": "GROOTSTE"}),
    ],
)
def test_paginakeuze_uit_de_link(
    db: Path,
    aanbieder: str,
    pagina: str,
    sleutel: str,
    parameter: str,
    waarde: str,
    extra: dict[str, str],
) -> None:
    query = {k: aanbieder if v == "GROOTSTE" else v for k, v in extra.items()}
    at = _draai(pagina, **query, **{parameter: waarde})
    assert at.selectbox(key=sleutel).value == waarde
    assert at.query_params[parameter] == waarde


def test_watervalsegment_uit_de_link(db: Path) -> None:
    at = _draai("financien.py", periode="2023")
    segmenten = at.button_group(key="wf_segment").options
    gekozen = [s for s in segmenten if s != "Alle"][-1]
    at = _draai("financien.py", periode="2023", waterval=gekozen)
    assert at.button_group(key="wf_segment").value == gekozen
    assert at.query_params["waterval"] == gekozen


# ------------------------------------------------------------------------- page moves (item 1)


def test_paginawissel_zonder_parameters_houdt_de_filters(db: Path, aanbieder: str) -> None:
    at = _draai("overzicht.py", periode="cj2023", aanbieder=aanbieder, indeling="segment")
    for pagina in ("aanbieder.py", "financien.py", "kpi_detail.py", "overzicht.py"):
        at.query_params.clear()  # a menu link that carries nothing
        at.switch_page(f"paginas/{pagina}")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.query_params["periode"] == "cj2023", pagina
        assert at.query_params["aanbieder"] == aanbieder, pagina
        assert not _meldingen(at)
    # back on Overzicht: its own choice is remembered too
    assert at.button_group(key="indeling").value == "segment"
    assert at.query_params["indeling"] == "segment"


def test_filters_zonder_regex_of_zelfgemaakte_periodecodes() -> None:
    # issue 21: period codes are made and read only through kpi.periode
    bron = (REPO / "ui" / "filters.py").read_text()
    assert "import re" not in bron
    for zelfgemaakt in ('f"cj', "-Q{", "}..{", 'f"{jaar}'):
        assert zelfgemaakt not in bron, zelfgemaakt
