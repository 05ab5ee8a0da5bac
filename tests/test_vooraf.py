"""kpi/vooraf.py and its start in ui/bewaking.opstarten: what every page shares, computed at
server start, fills the per-load cache without changing a figure."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from polars.testing import assert_frame_equal

from kpi.berekening import Berekening
from kpi.eenhedensets.bron import GEDEELD
from kpi.periode import openingsperiode
from kpi.prognose.eenheden import bereken_prognose
from kpi.prognose.overzicht import contractjaar_van
from kpi.vooraf import bereken_vooraf


@pytest.fixture
def con(mini_warehouse: Path):
    GEDEELD.leeg()
    verbinding = duckdb.connect(str(mini_warehouse), read_only=True)
    yield verbinding
    verbinding.close()
    GEDEELD.leeg()


def _prognose_bewaard(con: duckdb.DuckDBPyConnection) -> bool:
    bron = Berekening(con).bron
    return bron.heeft_per_lading(("prognose", contractjaar_van(bron.peildatum)))


def test_vooraf_vult_de_gedeelde_cache(con: duckdb.DuckDBPyConnection) -> None:
    assert not _prognose_bewaard(con)
    gedaan = bereken_vooraf(con)
    peildatum = Berekening(con).peildatum
    assert gedaan == [
        f"prognose {contractjaar_van(peildatum).label}",
        f"nulmetingen {openingsperiode(peildatum).label}",
    ]
    assert _prognose_bewaard(con)


def test_vooraf_verandert_geen_cijfer(con: duckdb.DuckDBPyConnection) -> None:
    """The figures a page computes after the pre-computation equal those of a clean cache."""
    peildatum = Berekening(con).peildatum
    opening, jaar = openingsperiode(peildatum), contractjaar_van(peildatum)

    def cijfers():
        per_subsegment = Berekening(con).bereken(opening, ("subsegment",))
        regio = Berekening(con).bereken(opening, ())
        return per_subsegment, regio, bereken_prognose(Berekening(con).bron, jaar)

    schoon = cijfers()
    GEDEELD.leeg()
    bereken_vooraf(con)
    na = cijfers()
    assert not schoon[0].is_empty() and not schoon[1].is_empty()
    assert_frame_equal(na[0], schoon[0])
    assert_frame_equal(na[1], schoon[1])
    for veld in ("peildatum", "periode", "minimum"):
        assert getattr(na[2], veld) == getattr(schoon[2], veld), veld
    assert na[2].overleving.keys() == schoon[2].overleving.keys()
    for subsegment, km in schoon[2].overleving.items():
        assert np.array_equal(na[2].overleving[subsegment].s, km.s), subsegment
    assert not schoon[2].eenheden.is_empty()
    assert_frame_equal(na[2].eenheden, schoon[2].eenheden)
    assert_frame_equal(na[2].maanden, schoon[2].maanden)


def test_zonder_laad_id_niets_vooraf(mini_warehouse: Path, tmp_path: Path) -> None:
    kopie = tmp_path / "zonder.duckdb"
    shutil.copy(mini_warehouse, kopie)
    with duckdb.connect(str(kopie)) as schrijf:
        schrijf.execute("delete from meta where sleutel = 'laad_id'")
    GEDEELD.leeg()
    with duckdb.connect(str(kopie), read_only=True) as verbinding:
        assert bereken_vooraf(verbinding) == []
    GEDEELD.leeg()


def _start(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    from ui import bewaking

    monkeypatch.setenv("STOPLICHT_DB", str(db))

    async def lifespan() -> None:
        async with bewaking.opstarten(None):
            pass

    asyncio.run(lifespan())
    assert bewaking.VOORAF is not None
    bewaking.VOORAF.join(timeout=120)
    assert not bewaking.VOORAF.is_alive()


def test_server_start_rekent_vooraf(
    mini_warehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    GEDEELD.leeg()
    with caplog.at_level(logging.INFO, logger="stoplicht.toegang"):
        _start(monkeypatch, mini_warehouse)
    assert "vooraf berekend: prognose" in caplog.text
    with duckdb.connect(str(mini_warehouse), read_only=True) as verbinding:
        assert _prognose_bewaard(verbinding)
    GEDEELD.leeg()


def test_server_start_zonder_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No warehouse yet (the first page builds the sample): nothing computed, nothing logged as
    an error, and no file created."""
    pad = tmp_path / "nog-niet.duckdb"
    with caplog.at_level(logging.INFO, logger="stoplicht.toegang"):
        _start(monkeypatch, pad)
    assert not pad.exists()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
