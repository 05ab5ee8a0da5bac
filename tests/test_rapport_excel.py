"""Excel exports: numbers stay numbers, with an Excel number format and Dutch headers."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook

import kpi
from kpi.export import EXCEL_FORMAAT
from kpi.scope import Scope
from rapport.excel import kpi_excel, tabellen_excel


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


def _boek(inhoud: bytes):  # noqa: ANN202
    return load_workbook(io.BytesIO(inhoud))


def test_kpi_excel_getallen_met_formaat_per_eenheid(con: duckdb.DuckDBPyConnection) -> None:
    resultaat = kpi.bereken(con, "cj2023", per=["gemeente"])
    namen = {"gemeente": dict(con.execute("select gemeente, naam from gemeenten").fetchall())}
    boek = _boek(kpi_excel(resultaat, namen=namen))
    assert boek.sheetnames == ["KPI's", "Definities"]
    blad = boek["KPI's"]
    koppen = [c.value for c in blad[1]]
    for kop in ("KPI", "KPI-code", "Periode van", "Periode t/m", "Gemeente", "Gemeentecode",
                "Waarde", "Teller", "Noemer", "n", "Stoplicht", "Norm"):  # fmt: skip
        assert kop in koppen
    assert "Aanbieder" not in koppen  # not grouped by: all
    k = {kop: i for i, kop in enumerate(koppen)}
    registry = kpi.laad_registry()
    gezien = set()
    for rij, bron in zip(blad.iter_rows(min_row=2), resultaat.iter_rows(named=True), strict=True):
        assert rij[k["KPI-code"]].value == bron["kpi"]
        code = bron["gemeente"]
        assert rij[k["Gemeente"]].value == namen["gemeente"].get(code, code)
        assert rij[k["Gemeentecode"]].value == code
        waarde = rij[k["Waarde"]]
        if bron["waarde"] is None:
            assert waarde.value is None
            continue
        eenheid = registry[bron["kpi"]].eenheid
        assert waarde.data_type == "n" and waarde.value == pytest.approx(float(bron["waarde"]))
        assert waarde.number_format == EXCEL_FORMAAT[eenheid]
        assert rij[k["n"]].data_type == "n" and rij[k["n"]].value == bron["n"]
        assert rij[k["Periode van"]].is_date
        gezien.add(eenheid)
    assert {"aantal", "dagen", "aandeel", "euro"} <= gezien


def test_kpi_excel_in_aanbiedersscope_geheim_als_tekst(con: duckdb.DuckDBPyConnection) -> None:
    agb = con.execute(
        "select aanbieder from zorgtrajecten group by 1 order by count(*) limit 1"
    ).fetchall()[0][0]
    scope = Scope("aanbieder", aanbieder=agb)
    resultaat = kpi.bereken(con, "cj2023", scope=scope)
    assert resultaat["geheim"].any()
    blad = _boek(kpi_excel(resultaat))["KPI's"]
    koppen = [c.value for c in blad[1]]
    waarden = [r[koppen.index("Waarde")].value for r in blad.iter_rows(min_row=2)]
    assert [w == "geheim" for w in waarden] == resultaat["geheim"].to_list()


def test_tabellen_excel_bladen_en_formaten() -> None:
    frame = pl.DataFrame(
        {
            "Aanbieder": ["Zorg A", "Zorg B"],
            "Cliënten": [12, 1234],
            "Aandeel": [0.125, 0.5],
            "Bedrag": [Decimal("14600.25"), Decimal("-200.00")],
            "Datum": [date(2024, 12, 31), date(2024, 1, 1)],
            "voorlopig": [True, False],
        }
    )
    inhoud = tabellen_excel(
        {"Blad: één/twee": frame, "Tweede": frame.head(1)},
        formaten={"Aandeel": "aandeel", "Bedrag": "euro"},
    )
    boek = _boek(inhoud)
    assert boek.sheetnames == ["Blad- één-twee", "Tweede"]
    blad = boek.worksheets[0]
    assert [c.value for c in blad[1]] == ["Aanbieder", "Cliënten", "Aandeel", "Bedrag", "Datum",
                                          "Voorlopig"]  # fmt: skip
    naam, clienten, aandeel, bedrag, datum, voorlopig = blad[3]
    assert naam.value == "Zorg B" and naam.data_type == "s"
    assert (clienten.value, clienten.number_format) == (1234, "#,##0")
    assert (aandeel.value, aandeel.number_format) == (0.5, EXCEL_FORMAAT["aandeel"])
    assert (bedrag.value, bedrag.number_format) == (-200.0, EXCEL_FORMAAT["euro"])
    assert datum.is_date and datum.number_format == "dd-mm-yyyy"
    assert voorlopig.value == "nee"
    assert all(c.data_type == "n" for c in (clienten, aandeel, bedrag))
