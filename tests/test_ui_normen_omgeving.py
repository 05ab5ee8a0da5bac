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
