"""$STOPLICHT_NORMEN: the norms it names judge the figures on the pages, not only the list that
Over de data shows (issue 21 section 2: the pages computed with kpi/normen.toml regardless)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from kpi.scope import Scope
from tests.conftest import REPO
from ui import data


def test_de_paginas_oordelen_met_de_normen_van_de_omgeving(
    mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standaard = (REPO / "kpi" / "normen.toml").read_text(encoding="utf-8")
    kop = standaard.split("\n[[norm]]\n")[0] + "\n"  # [instellingen] and [nulmeting] as they are
    eigen = tmp_path / "normen.toml"
    # a norm no figure of the region meets: 99 % of trajectories ended as planned
    eigen.write_text(
        kop + '[[norm]]\nkpi = "uitstroom_volgens_plan"\ngroen = 0.99\noranje = 0.98\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STOPLICHT_DB", str(mini_warehouse))
    monkeypatch.setenv("STOPLICHT_NORMEN", str(eigen))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        regio = Scope().sleutel()  # role regio
        tabel = data.waarden("2024", (), (), ("uitstroom_volgens_plan",), regio)
        rij = tabel.row(0, named=True)
        assert rij["waarde"] is not None and rij["waarde"] < 0.98  # the sample's figure
        assert rij["norm_groen"] == ">= 0.99"  # the norm of the file named
        assert rij["stoplicht"] == "rood"
        # and Over de data lists that same norm
        assert [r.groen for r in data.normen().regels if r.kpi == "uitstroom_volgens_plan"] == [
            pytest.approx(0.99)
        ]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def _strenge_normen(tmp_path: Path) -> Path:
    standaard = (REPO / "kpi" / "normen.toml").read_text(encoding="utf-8")
    kop = standaard.split("\n[[norm]]\n")[0] + "\n"
    eigen = tmp_path / "streng.toml"
    eigen.write_text(
        kop + '[[norm]]\nkpi = "uitstroom_volgens_plan"\ngroen = 0.99\noranje = 0.98\n',
        encoding="utf-8",
    )
    return eigen


def _pdf_tekst(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _deck_tekst(pptx: bytes) -> str:
    import io

    from pptx import Presentation

    cellen = [
        c.text
        for dia in Presentation(io.BytesIO(pptx)).slides
        for vorm in dia.shapes
        if vorm.has_table
        for rij in vorm.table.rows
        for c in rij.cells
    ]
    return "\n".join(cellen)


def test_downloads_oordelen_met_de_normen_van_de_omgeving(
    mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The factsheet and the board deck a page offers judge by the norms the page judges by
    (they used kpi/normen.toml whatever $STOPLICHT_NORMEN named)."""
    import duckdb

    from ui import rapporten

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        agb = con.execute(
            "select aanbieder from zorgtrajecten group by 1 order by count(*) desc, 1 limit 1"
        ).fetchall()[0][0]
    finally:
        con.close()
    monkeypatch.setenv("STOPLICHT_DB", str(mini_warehouse))
    teksten = {}
    for naam, normen in (("standaard", None), ("streng", _strenge_normen(tmp_path))):
        if normen is None:
            monkeypatch.delenv("STOPLICHT_NORMEN", raising=False)
        else:
            monkeypatch.setenv("STOPLICHT_NORMEN", str(normen))
        st.cache_data.clear()
        st.cache_resource.clear()
        try:
            teksten[naam] = (
                _pdf_tekst(rapporten.factsheet("2024", agb, (("aanbieder", agb),))),
                _deck_tekst(rapporten.deck("2024", ())),
            )
        finally:
            st.cache_data.clear()
            st.cache_resource.clear()
    for standaard, streng in zip(teksten["standaard"], teksten["streng"], strict=True):
        assert "≥ 99,0 %" in streng  # the norm of the file named
        assert "≥ 99,0 %" not in standaard


def test_export_en_rapporten_volgen_de_omgeving_tenzij_een_bestand_genoemd_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One rule for the dashboard, `python -m kpi export` and `python -m rapport`: --normen,
    else $STOPLICHT_NORMEN, else kpi/normen.toml."""
    from kpi.normen import normenbestand

    streng = _strenge_normen(tmp_path)
    monkeypatch.delenv("STOPLICHT_NORMEN", raising=False)
    assert normenbestand() is None
    monkeypatch.setenv("STOPLICHT_NORMEN", str(streng))
    assert normenbestand() == str(streng)
    assert normenbestand(tmp_path / "ander.toml") == tmp_path / "ander.toml"
    monkeypatch.setenv("STOPLICHT_NORMEN", "")
    assert normenbestand() is None


def test_kpi_export_oordeelt_met_de_normen_van_de_omgeving(
    mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import polars as pl

    from kpi.cli import main

    uit = tmp_path / "export.csv"
    monkeypatch.setenv("STOPLICHT_NORMEN", str(_strenge_normen(tmp_path)))
    argv = ["export", "--db", str(mini_warehouse), "--periode", "2024", "--out", str(uit)]
    argv += ["--kpi", "uitstroom_volgens_plan"]
    assert main(argv) == 0
    rij = pl.read_csv(uit).filter(pl.col("kpi") == "uitstroom_volgens_plan").row(0, named=True)
    assert rij["norm_groen"] == ">= 0.99" and rij["stoplicht"] == "rood"
