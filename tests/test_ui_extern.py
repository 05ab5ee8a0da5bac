"""The pages with KPIs from other sources and a KPI set that changes: AppTest on the sample data.

The figures are compared with kpi.bereken on the same warehouse; the source stands beside the
figure, a KPI outside the set of the period reads 'niet van toepassing'.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

import kpi
from tests.test_ui_pages import draai
from weergave import formaat

BRON = "(bron: cliënttevredenheidsonderzoek)"


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    return duckdb.connect(str(mini_warehouse), read_only=True)


def test_kpi_detail_toont_externe_kpi_met_bron(con: duckdb.DuckDBPyConnection) -> None:
    at = draai("kpi_detail.py", kpi="clienttevredenheid", periode="2023")
    verwacht = kpi.bereken(con, "2023", kpis=["clienttevredenheid"]).row(0, named=True)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cliënttevredenheid"] == formaat.procent(verwacht["waarde"])
    assert metrics["n"] == formaat.getal(verwacht["n"])
    assert any(c.value == "Bron: cliënttevredenheidsonderzoek" for c in at.caption)
    assert not [s for s in at.subheader if s.value == "Trend per maand"]  # delivered per half-year
    assert any("Bron: cliënttevredenheidsonderzoek." in m.value for m in at.markdown)


def test_overzicht_toont_externe_kpis_in_de_matrix(con: duckdb.DuckDBPyConnection) -> None:
    at = draai("overzicht.py", periode="2023")
    at.session_state["weergave"] = "Tabel"  # the coloured table is drawn when its tab is open
    at.run()
    tabel = at.dataframe[0].value
    regio = tabel[tabel["Rij"] == "Regio (totaal)"].iloc[0]
    verwacht = kpi.bereken(con, "2023", kpis=["clienttevredenheid"])["waarde"][0]
    assert regio[f"Cliënttevredenheid {BRON}"].startswith(formaat.procent(verwacht) + " ")


def test_kpi_detail_voor_de_start_van_de_kpi(con: duckdb.DuckDBPyConnection) -> None:
    # doelrealisatie is in the KPI set from 1-7-2023 (kpi/externe_kpis.toml)
    at = draai("kpi_detail.py", kpi="doelrealisatie", periode="cj2022")
    assert any("niet van toepassing in contractjaar 2022/23" in i.value for i in at.info)
    assert not at.metric  # no figure, in particular no 0
    # in the matrix on every row, the region's and each segment's
    overzicht = draai("overzicht.py", periode="cj2022", indeling="segment")
    overzicht.session_state["weergave"] = "Tabel"
    overzicht.run()
    kolom = overzicht.dataframe[0].value["Doelrealisatie (bron: doelevaluaties van de aanbieder)"]
    assert len(kolom) > 1 and set(kolom) == {"n.v.t."}


def test_over_de_data_toont_kpis_en_normen_per_contractjaar(con: duckdb.DuckDBPyConnection) -> None:
    at = draai("over_de_data.py")
    # long tables (definitions, norms) are drawn whole with st.table, the others as grids
    tabellen = [d.value for d in at.dataframe] + [t.value for t in at.table]
    (geldigheid,) = [t for t in tabellen if "contractjaar 2022/23" in t.columns]
    rijen = {(r["KPI"], r["Geldt voor"]): r for r in geldigheid.to_dict("records")}
    doel = rijen["Doelrealisatie", "iedereen"]
    assert (doel["contractjaar 2022/23"], doel["contractjaar 2023/24"]) == (
        "niet van toepassing", "geen norm")  # fmt: skip
    assert doel["contractjaar 2024/25"] == "groen ≥ 75,0 %; oranje ≥ 60,0 %"
    cto = rijen["Cliënttevredenheid", "iedereen"]
    # judged on the last day: 2024/25 ends 30-6-2025, after the tightening of 1-1-2025
    assert cto["contractjaar 2024/25"] == "groen ≥ 85,0 %; oranje ≥ 75,0 %"
    assert rijen["Cliënttevredenheid", "segment GWV"]["contractjaar 2023/24"].startswith(
        "groen ≥ 75"
    )
    (normen,) = [t for t in tabellen if {"Groen", "Geldig"} <= set(t.columns)]
    assert "vanaf 01-01-2025" in set(normen["Geldig"])
    (definities,) = [t for t in tabellen if "Definitie" in t.columns]
    bron = pl.from_pandas(definities).filter(pl.col("KPI") == "Doelrealisatie").row(0, named=True)
    assert (bron["Bron"], bron["Geldig"]) == ("doelevaluaties van de aanbieder", "vanaf 01-07-2023")
