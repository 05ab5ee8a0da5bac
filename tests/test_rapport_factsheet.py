"""Factsheet per aanbieder (PDF): read back with pypdf and compared with kpi.bereken.

The factsheet is built in the provider's scope, so it must show exactly what kpi.bereken
shows in that scope, name no other provider, and show small counts as 'geheim'.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pypdf import PdfReader

import kpi
from kpi.scope import Scope
from rapport.factsheet import Factsheet, bestandsnaam, factsheet_pdf, factsheets, inhoud, verzamel
from rapport.gegevens import Context, lees_context, veilige_naam
from weergave import formaat, tabellen
from weergave.privacy import GEHEIM

PERIODE = "cj2023"


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


@pytest.fixture(scope="module")
def context(con: duckdb.DuckDBPyConnection) -> Context:
    return lees_context(con)


@pytest.fixture(scope="module")
def gegevens(con: duckdb.DuckDBPyConnection):  # noqa: ANN201 - Periodegegevens
    return verzamel(con, PERIODE)


@pytest.fixture(scope="module")
def groot(con: duckdb.DuckDBPyConnection) -> str:
    """The provider with the most trajectories."""
    return con.execute(
        "select aanbieder from zorgtrajecten group by 1 order by count(*) desc, 1 limit 1"
    ).fetchall()[0][0]


@pytest.fixture(scope="module")
def klein(gegevens) -> str:  # noqa: ANN001
    """A provider with a count between 1 and 7 in the period (instroom)."""
    rijen = gegevens.kpis.filter(
        (pl.col("kpi") == "instroom") & pl.col("n").is_between(1, 7)
    ).filter(pl.col("aanbieder").is_in(gegevens.aanbieders()))
    assert rijen.height, "de mini-steekproef heeft een aanbieder met weinig instroom"
    return sorted(rijen["aanbieder"])[0]


def _tekst(pdf: bytes) -> list[str]:
    return [pagina.extract_text() for pagina in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def pdf_groot(gegevens, groot: str, context: Context) -> tuple[Factsheet, list[str]]:  # noqa: ANN001
    f = inhoud(gegevens, groot, context)
    return f, _tekst(factsheet_pdf(f))


def test_paginas_voettekst_en_definities_achteraan(
    pdf_groot: tuple[Factsheet, list[str]], context: Context
) -> None:
    f, paginas = pdf_groot
    assert len(paginas) >= 4
    for i, tekst in enumerate(paginas, start=1):
        assert f"pagina {i} van {len(paginas)}" in tekst
        assert f"peildatum {formaat.datum(context.peildatum)}" in tekst
        assert "Bron: iJw/iWmo-berichtenverkeer" in tekst
    assert f"Factsheet {f.naam}" in paginas[0] and f"AGB {f.aanbieder}" in paginas[0]
    assert "contractjaar 2023/24" in paginas[0]
    # the definitions come last: from the page with their heading to the end (the table's
    # header repeated on every page it runs onto)
    begin = next(i for i, p in enumerate(paginas) if "Definities" in p)
    assert all("Definitie" in p for p in paginas[begin:])
    assert begin >= len(paginas) - 2
    for titel in ("KPI's tegen de norm", "Trends", "Benutting, voorschot en zorgkosten",
                  "Opgegeven en werkelijke doorlooptijd", "Berichtenverkeer"):  # fmt: skip
        assert titel in "".join(paginas)


def test_saldo_afrekening_gelijk_aan_bereken(
    con: duckdb.DuckDBPyConnection, groot: str, pdf_groot: tuple[Factsheet, list[str]]
) -> None:
    _, paginas = pdf_groot
    saldo = kpi.bereken(
        con, PERIODE, filters=kpi.Filters(aanbieder=groot), kpis=["saldo_afrekening"]
    )["waarde"][0]
    assert formaat.euro(saldo) in "".join(paginas)


def test_kpi_tabel_is_bereken_in_de_scope_van_de_aanbieder(
    con: duckdb.DuckDBPyConnection,
    gegevens,
    groot: str,
    klein: str,
    context: Context,  # noqa: ANN001
) -> None:
    for agb in (groot, klein):
        verwacht = kpi.bereken(
            con,
            PERIODE,
            filters=kpi.Filters(aanbieder=agb),
            scope=Scope("aanbieder", aanbieder=agb),
        )
        ruw = kpi.bereken(con, PERIODE, filters=kpi.Filters(aanbieder=agb))
        verwacht = tabellen.kpi_tabel(verwacht.filter(ruw["n"] > 0), context.registry)
        f = inhoud(gegevens, agb, context)
        assert (
            f.kpis.select(verwacht.columns[:3]).rows()
            == verwacht.select(verwacht.columns[:3]).rows()
        )
        assert f.kpis["n"].to_list() == verwacht["n"].to_list()


def test_geen_andere_aanbieder_bij_naam_of_agb(
    con: duckdb.DuckDBPyConnection,
    gegevens,
    groot: str,
    klein: str,
    context: Context,  # noqa: ANN001
) -> None:
    alle = con.execute("select aanbieder, naam from aanbieders").fetchall()
    for agb in (groot, klein):
        f = inhoud(gegevens, agb, context)
        tekst = "\n".join(_tekst(factsheet_pdf(f)))
        for code, naam in alle:
            if code != agb:
                assert code not in tekst, f"AGB {code} in factsheet {agb}"
                assert naam not in tekst, f"{naam} in factsheet {agb}"
        if f.benchmark is not None:  # the chart image is drawn from this data
            spec = f.benchmark.to_dict()
            labels = {r["aanbieder_label"] for d in spec["datasets"].values() for r in d}
            assert labels <= {f.naam, "andere aanbieder"}
            codes = {r.get("aanbieder") for d in spec["datasets"].values() for r in d}
            assert codes <= {None, agb}


def test_kleine_aantallen_geheim_en_afgerond_op_vijf(
    con: duckdb.DuckDBPyConnection,
    gegevens,
    klein: str,
    context: Context,  # noqa: ANN001
) -> None:
    f = inhoud(gegevens, klein, context)
    ruw = kpi.bereken(con, PERIODE, filters=kpi.Filters(aanbieder=klein))
    instroom = f.kpis.filter(pl.col("KPI") == "Instroom").row(0, named=True)
    assert ruw.filter(pl.col("kpi") == "instroom")["n"][0] < 8
    assert instroom["Waarde"] == GEHEIM and instroom["n"] == GEHEIM
    persoonlijk = {k.label for k in context.registry if k.korrel not in ("contract",
                   "contractmaand", "uitgave", "begrotingscel", "invoerregel")}  # fmt: skip
    for rij in f.kpis.filter(pl.col("KPI").is_in(sorted(persoonlijk))).iter_rows(named=True):
        assert rij["n"] == GEHEIM or int(rij["n"].replace(".", "")) % 5 == 0, rij
    assert GEHEIM in "".join(_tekst(factsheet_pdf(f)))


def test_factsheets_schrijft_een_bestand_per_gekozen_aanbieder(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, groot: str, klein: str, context: Context
) -> None:
    gezien: list[int] = []
    paden = factsheets(
        con,
        PERIODE,
        tmp_path,
        kpi.Filters(aanbieder=(groot, klein)),
        voortgang=lambda paden, totaal: (gezien.append(totaal), paden)[1],
    )
    verwacht = {tmp_path / bestandsnaam(a, context.naam("aanbieder", a)) for a in (groot, klein)}
    assert set(paden) == verwacht and gezien == [2]
    for pad in paden:
        assert pad.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("naam", "veilig"),
    [
        ("Zorggroep Één & Co", "Zorggroep-Een-Co"),
        ("../../etc/passwd", "etc-passwd"),
        ("   ", "onbekend"),
        ("Coöperatie 't Hof B.V.", "Cooperatie-t-Hof-B-V"),
    ],
)
def test_veilige_bestandsnaam(naam: str, veilig: str) -> None:
    assert veilige_naam(naam) == veilig
    assert bestandsnaam("01234567", naam) == f"{veilig}_01234567.pdf"
