"""The forecast in the exports: the factsheet's Prognose section and the deck's slide, read
back (pypdf, python-pptx) and compared with kpi.prognose.overzicht in the same scope."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from kpi.prognose.overzicht import per_groep
from kpi.scope import Scope
from rapport import prognose as vooruit
from rapport.deck import deck_pptx
from rapport.deck import verzamel as deck_verzamel
from rapport.factsheet import maak_factsheet
from rapport.gegevens import lees_context
from weergave import formaat
from weergave import prognose as weergave


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


@pytest.fixture(scope="module")
def agb(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute(
        "select aanbieder from contracten group by 1 order by sum(plekken) desc limit 1"
    ).fetchall()[0][0]


def test_factsheet_toont_de_prognose_in_de_eigen_scope(
    con: duckdb.DuckDBPyConnection, agb: str
) -> None:
    pdf = PdfReader(io.BytesIO(maak_factsheet(con, "cj2023", agb)))
    tekst = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    scope = Scope("aanbieder", aanbieder=agb)
    eigen = per_groep(con, per=(), scope=scope).row(0, named=True)
    assert "Prognose contractjaar 2024/25 (peildatum 31-12-2024)" in tekst
    assert formaat.procent(eigen["benutting_verwacht"], 1) in tekst
    assert formaat.euro(eigen["zorgkosten_verwacht"], 0) in tekst
    assert "80 %:" in tekst and "Voorstel, geen besluit" in tekst
    assert "dreigende onder" in tekst or "dreigende over" in tekst or "binnen de norm" in tekst
    # one row per own contract, no other provider's contract
    contracten = per_groep(con, scope=scope)
    assert set(contracten["aanbieder"]) == {agb}
    assert tekst.count("(80 %:") >= contracten.height


def test_factsheet_zonder_prognose_zonder_sectie() -> None:
    assert vooruit.factsheet_sectie(None) == []
    assert vooruit.factsheet_inhoud(vooruit.Prognosegegevens(), "x", None) is None  # type: ignore[arg-type]


def test_deck_dia_met_de_dreigende_contracten(con: duckdb.DuckDBPyConnection) -> None:
    d = deck_verzamel(con, "2024")
    prs = Presentation(io.BytesIO(deck_pptx(d)))
    dias = [s for s in prs.slides if s.shapes.title and s.shapes.title.text == vooruit.TITEL]
    assert len(dias) == 1
    context = lees_context(con)
    verwacht = weergave.aandachtspunten(
        per_groep(con), context.gemeenten, context.aanbieders, aantal=8
    )
    assert verwacht.height > 0  # the sample has threatening contracts
    tabellen_ = [s.table for s in dias[0].shapes if s.has_table]
    assert len(tabellen_) == 1
    rijen = [[c.text for c in r.cells] for r in list(tabellen_[0].rows)[1:]]
    assert [r[0] for r in rijen] == verwacht["Contract"].to_list()
    assert all("dreigende" in r[1] and "80 %:" in r[2] for r in rijen)
    teksten = " ".join(s.text_frame.text for s in dias[0].shapes if s.has_text_frame)
    regio = per_groep(con, per=()).row(0, named=True)
    assert "80 %-interval" in teksten and formaat.procent(regio["benutting_verwacht"], 1) in teksten
    # money at stake first
    saldi = (
        per_groep(con)
        .filter(pl.col("signaal").is_in(list(weergave.DREIGEND)))
        .filter(pl.col("stoplicht").is_in(["oranje", "rood"]))["saldo_verwacht"]
        .abs()
        .sort(descending=True)
    )
    eerste = verwacht["Verwacht saldo"][0]
    assert eerste == formaat.euro(
        per_groep(con).filter(pl.col("saldo_verwacht").abs() == saldi[0])["saldo_verwacht"][0], 0
    )


# ------------------------------------------------------------------ a provider with a contract
# without forecast (tests/test_kpi_prognose.py, drie_contracten: worked by hand there)


@pytest.fixture(scope="module")
def drie(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    from tests.kpi_fixtures import Warehouse
    from tests.test_kpi_prognose import P, drie_contracten

    pad = tmp_path_factory.mktemp("drie") / "warehouse.duckdb"
    w = Warehouse(peildatum=P, pad=pad)
    drie_contracten(w)
    w.con.close()
    return duckdb.connect(str(pad), read_only=True)


ZONDER_B = (
    "1 contract zonder prognose (telt niet mee): te weinig historie: 1 zorgtraject in "
    "sub-segment IAJ-B in de 24 maanden tot de peildatum, minimaal 20."
)


def test_factsheet_kaart_heeft_het_interval_van_de_contracten_met_prognose(
    drie: duckdb.DuckDBPyConnection,
) -> None:
    """Issue 16 review (c): 11111111 has one contract with a forecast (111 zorgdagen expected,
    variance 100, 366 plekdagen, EUR 1 a day) and one without (91 realised days, EUR 182).
    variance 100 + 2116 (no instroom) + 5 (the curve's own). The card's bounds are its own
    realised 92 (111 - 1,2816 x sqrt(2221) = 50,6 is below it) .. 111 + 60,40 = 171,40 days:
    25,1 % .. 46,8 % of 366 and EUR 92 .. 171 (saldo 366 - 171,40 .. 366 - 92), not floored at the realised days of both contracts (92 + 91 = 183,
    50,0 %) or their costs (EUR 92 + 182)."""
    pdf = PdfReader(io.BytesIO(maak_factsheet(drie, "cj2023", "11111111")))
    tekst = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    # the card (its interval with the signal after it), then the table row's
    assert "30,3 % € 111 € 255" in tekst  # 111 / 366; costs 111; saldo 366 - 111
    assert "80 %: 25,1 % – 46,8 % · ■ rood · dreigende onderbenutting" in tekst
    assert "80 %: € 92 – € 171" in tekst and "80 %: € 195 – € 274 ·" in tekst
    assert "50,0 %" not in tekst
    assert f"Prognose over 1 van de 2 contracten; {ZONDER_B}" in tekst
    assert "het contract met een prognose loopt naar verwachting niet vol" in tekst


def test_deck_noemt_de_contracten_zonder_prognose(drie: duckdb.DuckDBPyConnection) -> None:
    """Issue 16 review (d): the deck's forecast slide says over how many contracts the region's
    figures go and why the others have none; its figures are over the 2 with a forecast:
    222 / 549 plekdagen = 40,4 % (80 %: from the realised 188 / 549 = 34,2 % to
    (222 + 1,2816 x sqrt(200 + 2 x 2116 + 20)) / 549 = 56,0 %)."""
    prs = Presentation(io.BytesIO(deck_pptx(deck_verzamel(drie, "cj2023"))))
    dias = [s for s in prs.slides if s.shapes.title and s.shapes.title.text == vooruit.TITEL]
    assert len(dias) == 1
    teksten = " ".join(s.text_frame.text for s in dias[0].shapes if s.has_text_frame)
    assert f"Prognose over 2 van de 3 contracten; {ZONDER_B}" in teksten
    assert "Verwachte benutting (prognose): 40,4 % (80 %: 34,2 % – 56,0 %" in teksten
    assert "1 van de 2 contracten met een prognose loopt naar verwachting vol" in teksten
