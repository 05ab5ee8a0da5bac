"""Every page rendered with AppTest: default filters, a filter that selects nothing, a provider.

The figures on the pages are compared with kpi.bereken on the same warehouse — the numbers the
CLI export writes — so a page cannot silently show something else.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import kpi
from tests.conftest import REPO
from weergave import formaat
from weergave.tabellen import MATRIX_KPIS

APP = str(REPO / "app.py")
PAGINAS = sorted(p.name for p in (REPO / "paginas").glob("*.py"))
TITELS = {
    "overzicht.py": "Overzicht",
    "kpi_detail.py": "Doorlooptijd",
    "aanbieder.py": "Aanbieder",
    "groepsgesprek.py": "Groepsgesprek",
    "financien.py": "Financiën",
    "benchmark.py": "Benchmark",
    "datakwaliteit.py": "Datakwaliteit",
    "over_de_data.py": "Over de data",
}


@pytest.fixture(scope="module")
def db(mini_warehouse: Path) -> Path:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    return mini_warehouse


@pytest.fixture(scope="module")
def con(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def grootste_aanbieder(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    return con.execute(
        "select t.aanbieder, a.naam from zorgtrajecten t join aanbieders a using (aanbieder) "
        "group by all order by count(*) desc, 1 limit 1"
    ).fetchall()[0]


def draai(pagina: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pagina != "overzicht.py":
        at.switch_page(f"paginas/{pagina}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_elke_pagina_staat_in_de_router() -> None:
    tekst = (REPO / "app.py").read_text()
    assert set(PAGINAS) == set(TITELS)
    for p in PAGINAS:
        assert f"paginas/{p}" in tekst


@pytest.mark.parametrize("pagina", PAGINAS)
def test_pagina_met_standaardfilters(db: Path, pagina: str) -> None:
    at = draai(pagina)
    assert at.title[0].value == TITELS[pagina]
    assert at.query_params["periode"] == "2024"  # the latest complete year at the peildatum


@pytest.mark.parametrize("pagina", [p for p in PAGINAS if p != "over_de_data.py"])
def test_pagina_met_filter_zonder_gegevens(db: Path, pagina: str) -> None:
    # 2000 lies before every trajectory of the sample: nothing to show, said in words
    at = draai(pagina, periode="2000", kpi="doorlooptijd")
    teksten = [i.value for i in at.info] + [w.value for w in at.warning]
    if pagina == "aanbieder.py":
        assert any("Kies een aanbieder" in t for t in teksten)
    else:
        assert any("Geen gegevens" in t for t in teksten), teksten


@pytest.mark.parametrize("pagina", PAGINAS)
def test_pagina_met_aanbieder(db: Path, pagina: str, grootste_aanbieder: tuple[str, str]) -> None:
    agb, naam = grootste_aanbieder
    at = draai(pagina, aanbieder=agb)
    assert at.query_params["aanbieder"] == agb
    if pagina != "over_de_data.py":  # the page says what it shows: this provider
        assert any(f"aanbieder: {naam}" in c.value for c in at.caption), [
            c.value for c in at.caption
        ]
    if pagina == "aanbieder.py":
        # the name goes in as Markdown-escaped text (ui.componenten.letterlijk): read as shown
        assert re.sub(r"\\(.)", r"\1", at.title[0].value) == f"{naam} ({agb})"


def test_overzicht_toont_de_cijfers_van_de_export(db: Path, con: duckdb.DuckDBPyConnection) -> None:
    at = draai("overzicht.py")
    at.session_state["weergave"] = "Tabel"  # the coloured table is drawn when its tab is open
    at.run()
    tabel = at.dataframe[0].value
    regio = tabel[tabel["Rij"] == "Regio (totaal)"].iloc[0]
    verwacht = kpi.bereken(con, "2024", kpis=["instroom", "uitstroom_volgens_plan"])
    instroom = verwacht.filter(pl.col("kpi") == "instroom")["waarde"][0]
    plan = verwacht.filter(pl.col("kpi") == "uitstroom_volgens_plan")["waarde"][0]
    assert regio["Instroom"].startswith(formaat.getal(instroom) + " ")
    assert regio["Volgens plan beëindigd"].startswith(formaat.procent(plan) + " ")
    per_aanbieder = kpi.bereken(con, "2024", per=["aanbieder"], kpis=MATRIX_KPIS)
    # the region row on top, then every provider with a value for any matrix KPI
    assert len(tabel) == 1 + per_aanbieder["aanbieder"].n_unique()


def test_kpi_detail_toont_waarde_norm_en_n(db: Path, con: duckdb.DuckDBPyConnection) -> None:
    at = draai("kpi_detail.py", kpi="wachttijd", periode="cj2023")
    verwacht = kpi.bereken(con, "cj2023", kpis=["wachttijd"]).row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Wachttijd"] == formaat.dagen(verwacht["waarde"])
    assert metrics["n"] == formaat.getal(verwacht["n"])
    assert verwacht["stoplicht"] in metrics["Stoplicht"]
    assert any(m.value.startswith("**Definitie.**") for m in at.markdown)


def test_aanbieder_toont_eigen_cijfers(
    db: Path, con: duckdb.DuckDBPyConnection, grootste_aanbieder: tuple[str, str]
) -> None:
    agb, _ = grootste_aanbieder
    at = draai("aanbieder.py", aanbieder=agb, periode="cj2023")
    kpis = at.dataframe[0].value.set_index("KPI")
    verwacht = kpi.bereken(
        con, "cj2023", filters=kpi.Filters(aanbieder=agb), kpis=["uitstroom", "doorlooptijd"]
    )
    uitstroom = verwacht.filter(pl.col("kpi") == "uitstroom")["waarde"][0]
    doorlooptijd = verwacht.filter(pl.col("kpi") == "doorlooptijd")["waarde"][0]
    assert kpis.loc["Uitstroom", "Waarde"] == formaat.getal(uitstroom)
    assert kpis.loc["Doorlooptijd", "Waarde"] == formaat.dagen(doorlooptijd)
    saldo = kpi.bereken(
        con, "cj2023", filters=kpi.Filters(aanbieder=agb), kpis=["saldo_afrekening"]
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Verwacht saldo afrekening"] == formaat.euro(saldo["waarde"][0])


def test_url_kan_geen_onbekende_waarde_zetten(db: Path) -> None:
    at = draai("overzicht.py", gemeente="9999", aanbieder="niet-bestaand", periode="onzin")
    assert "gemeente" not in at.query_params and "aanbieder" not in at.query_params
    assert at.query_params["periode"] == "2024"


def test_kpi_detail_doorlooptijd_met_gemiddelde_en_p80(
    db: Path, con: duckdb.DuckDBPyConnection
) -> None:
    # issue 15: the mean and the 80th percentile beside the median
    at = draai("kpi_detail.py", kpi="doorlooptijd", periode="2023")
    ids = ["doorlooptijd", "doorlooptijd_gemiddeld", "doorlooptijd_p80"]
    verwacht = {
        r["kpi"]: r["waarde"] for r in kpi.bereken(con, "2023", kpis=ids).iter_rows(named=True)
    }
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Doorlooptijd (mediaan)"] == formaat.dagen(verwacht["doorlooptijd"])
    assert metrics["Gemiddeld"] == formaat.dagen(verwacht["doorlooptijd_gemiddeld"])
    assert metrics["80e percentiel"] == formaat.dagen(verwacht["doorlooptijd_p80"])
    # the rows behind the figure: Dutch headers, names instead of codes
    rijen = at.dataframe[-1].value
    assert {"Zorgtraject", "Cliënt (pseudoniem)", "Gemeente", "Aanbieder", "Duur"} <= set(rijen)
    gemeenten = dict(con.execute("select gemeente, naam from gemeenten").fetchall())
    assert set(rijen["Gemeente"]) <= set(gemeenten.values())
    assert not any(c in ("client_id", "duur", "bron_bestand") for c in rijen.columns)


def test_over_de_data_in_het_nederlands_en_niet_afgekapt(db: Path) -> None:
    at = draai("over_de_data.py")
    registry = kpi.laad_registry()
    teksten = " ".join(str(v) for t in at.table for v in t.value.to_numpy().ravel())
    for k in registry:  # every definition whole, in a table that wraps instead of cutting off
        assert k.definitie in teksten, k.id
    kolommen = {c for d in at.dataframe for c in d.value.columns}
    assert {"Bestand", "Regels in het bestand", "Afgekeurd", "Aantal", "Rijen"} <= kolommen
    assert not {"bron_bestand", "regels_in", "extra_kolommen"} & kolommen
    waarden = [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    assert "None" not in waarden
    geladen = {m.label: m.value for m in at.metric}["Geladen op"]
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", geladen), geladen
