"""Factsheet and deck (issue 15): the same judging rule as the pages, the nulmeting and the
peildatum said in words, the previous period beside the value."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pptx import Presentation
from pypdf import PdfReader

from kpi.stoplicht import ERNST
from rapport.deck import deck_pptx
from rapport.deck import verzamel as deck_verzamel
from rapport.factsheet import factsheet_pdf, inhoud, verzamel
from rapport.gegevens import lees_context

# judged per sub-segment by the default norms, and shown per sub-segment on the factsheet
PER_SUBSEGMENT = ("doorlooptijd", "wachttijd")


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


def test_factsheet_geheel_en_subsegmenten_spreken_elkaar_niet_tegen(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """For every provider: a KPI judged per sub-segment (norm_deel) gets the worst light of
    its sub-segments that can be judged; one judged on its own value under the one norm of
    all its sub-segments lies between their best and worst light (a median or share lies
    between those of its parts, when every part is judged). Before, a provider could be rood overall and groen in
    every sub-segment, as the factsheet shows both."""
    g = verzamel(con, "cj2023")
    geheel = g.kpis.filter(pl.col("kpi").is_in(PER_SUBSEGMENT) & (pl.col("stoplicht") != "grijs"))
    delen = g.per_subsegment.filter(pl.col("kpi").is_in(PER_SUBSEGMENT))
    gezien = 0
    for r in geheel.iter_rows(named=True):
        eigen = delen.filter((pl.col("kpi") == r["kpi"]) & (pl.col("aanbieder") == r["aanbieder"]))
        kleuren = [ERNST[k] for k in eigen["stoplicht"] if k != "grijs"]
        if r["norm_deel"] is not None:
            assert ERNST[r["stoplicht"]] == max(kleuren), (r["kpi"], r["aanbieder"], kleuren)
            gezien += 1
        elif kleuren and len(kleuren) == eigen.height:  # every part judged
            assert min(kleuren) <= ERNST[r["stoplicht"]] <= max(kleuren), (r["kpi"], kleuren)
    assert gezien >= 10


def _tekst(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_factsheet_nulmeting_en_vergelijking(con: duckdb.DuckDBPyConnection) -> None:
    context = lees_context(con)
    g = verzamel(con, "cj2022")
    agb = g.aanbieders()[0]
    f = inhoud(g, agb, context)
    assert f.kpis.columns[:4] == ["KPI", "Waarde", "Vorige periode", "Verandering"]
    tekst = " ".join(_tekst(factsheet_pdf(f)).split())
    assert "Contractjaar 2022/23 is de nulmeting" in tekst
    assert "nog niet op de KPI's aangesproken" in tekst
    assert "Vorige periode: contractjaar 2021/22" in tekst
    later = inhoud(verzamel(con, "cj2023", aanbieder=agb), agb, context)
    assert not later.meldingen


def test_deck_nulmeting_op_elke_dia_en_vergelijking(con: duckdb.DuckDBPyConnection) -> None:
    d = deck_verzamel(con, "cj2022")
    assert [m.soort for m in d.meldingen] == ["nulmeting"]
    prs = Presentation(io.BytesIO(deck_pptx(d)))
    for dia in prs.slides:
        teksten = [v.text_frame.text for v in dia.shapes if v.has_text_frame]
        assert any("nulmeting: aanbieders nog niet op KPI's aangesproken" in t for t in teksten)
    titel = " ".join(v.text_frame.text for v in prs.slides[0].shapes if v.has_text_frame)
    assert "Contractjaar 2022/23 is de nulmeting" in " ".join(titel.split())
    (vergelijking,) = [
        v.table for v in prs.slides[d.titels.index("Ten opzichte van contractjaar 2021/22")].shapes
        if v.has_table
    ]  # fmt: skip
    koppen = [c.text for c in vergelijking.rows[0].cells]
    assert koppen == ["KPI", "contractjaar 2022/23", "contractjaar 2021/22", "Verandering",
                      "Stoplicht"]  # fmt: skip


def test_deck_na_de_peildatum(con: duckdb.DuckDBPyConnection) -> None:
    d = deck_verzamel(con, "2025")
    assert [m.soort for m in d.meldingen] == ["na_peildatum"]
    assert "2025 ligt na de peildatum (31-12-2024)" in d.meldingen[0].tekst
