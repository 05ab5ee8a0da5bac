"""ui.data.waarden serves one provider's figures from one computation for all providers,
and gives what the plain filtered computation gives."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
import streamlit as st

import kpi
from kpi.scope import Scope
from ui import data


@pytest.fixture
def schone_caches(mini_warehouse: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STOPLICHT_DB", str(mini_warehouse))
    monkeypatch.delenv("STOPLICHT_NORMEN", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield mini_warehouse
    st.cache_data.clear()
    st.cache_resource.clear()


def test_een_aanbieder_uit_een_berekening_voor_allen(
    schone_caches: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = duckdb.connect(str(schone_caches), read_only=True)
    rijen = con.execute(
        "select aanbieder, min(gemeente) from toewijzingen group by 1 order by 1 limit 6"
    ).fetchall()
    gemeente = rijen[0][1]
    echt = kpi.bereken
    gegroepeerd = []

    def tellend(*args, **kwargs):
        if "aanbieder" in (args[2] if len(args) > 2 else kwargs.get("per", ())):
            gegroepeerd.append(args[1])
        return echt(*args, **kwargs)

    monkeypatch.setattr(kpi, "bereken", tellend)
    regio = Scope().sleutel()
    for periode, per, extra in (
        ("2024", (), ()),
        ("cj2023", ("subsegment",), (("gemeente", gemeente),)),
    ):
        for agb, _ in rijen:
            filters = (("aanbieder", agb), *extra)
            uit = data.waarden(periode, per, filters, None, regio)
            verwacht = echt(con, periode, per, kpi.Filters.uit_paren(filters))
            assert uit.equals(verwacht), (periode, per, agb)
    assert gegroepeerd == ["2024", "cj2023"]  # one computation per question, not per provider


def test_in_aanbiedersscope_de_eigen_berekening_met_bescherming(schone_caches: Path) -> None:
    con = duckdb.connect(str(schone_caches), read_only=True)
    agb = con.execute("select min(aanbieder) from toewijzingen").fetchone()[0]
    eigen = Scope(rol="aanbieder", aanbieder=agb)
    uit = data.waarden("2024", (), (("aanbieder", agb),), None, eigen.sleutel())
    verwacht = kpi.bereken(con, "2024", (), kpi.Filters(aanbieder=(agb,)), scope=eigen)
    assert "geheim" in uit.columns  # small numbers protected, as the plain scoped path does
    assert uit.equals(verwacht)


def test_prognose_van_een_aanbieder_uit_een_prognose_voor_allen(
    schone_caches: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Aanbieder page's forecast (ui.prognose) for six providers: the frames of the plain
    filtered forecast, from one forecast (and one maandreeks) for all providers."""
    from polars.testing import assert_frame_equal

    from kpi.prognose import overzicht
    from ui import prognose

    con = duckdb.connect(str(schone_caches), read_only=True)
    agbs = [r[0] for r in con.execute(
        "select aanbieder from toewijzingen group by 1 order by count(*) desc, 1 limit 6"
    ).fetchall()]  # fmt: skip
    echt_groep, echt_reeks, gegroepeerd = overzicht.per_groep, overzicht.maandreeks, []

    def groep(*args, **kwargs):
        gegroepeerd.append(("per_groep", kwargs["per"]))
        return echt_groep(*args, **kwargs)

    def reeks(*args, **kwargs):
        gegroepeerd.append(("maandreeks", kwargs["per"]))
        return echt_reeks(*args, **kwargs)

    monkeypatch.setattr(overzicht, "per_groep", groep)
    monkeypatch.setattr(overzicht, "maandreeks", reeks)
    regio = Scope().sleutel()
    for agb in agbs:
        filters = kpi.Filters(aanbieder=(agb,))
        for per in ((), ("gemeente", "subsegment")):
            uit = prognose.per_groep(per, (("aanbieder", agb),), regio)
            verwacht = echt_groep(con, per=per, filters=filters)
            assert_frame_equal(uit, verwacht, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)
        uit = prognose.maandreeks((("aanbieder", agb),), regio)
        verwacht = echt_reeks(con, filters=filters)
        assert_frame_equal(uit, verwacht, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)
    assert sorted(gegroepeerd) == [  # one forecast per question, not per provider
        ("maandreeks", ("aanbieder",)),
        ("per_groep", ("aanbieder",)),
        ("per_groep", ("aanbieder", "gemeente", "subsegment")),
    ]


def test_prognose_in_aanbiedersscope_de_eigen_berekening(schone_caches: Path) -> None:
    from polars.testing import assert_frame_equal

    from kpi.prognose import overzicht
    from ui import prognose

    con = duckdb.connect(str(schone_caches), read_only=True)
    agb = con.execute(
        "select aanbieder from toewijzingen group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()[0]
    eigen = Scope(rol="aanbieder", aanbieder=agb)
    uit = prognose.per_groep((), (("aanbieder", agb),), eigen.sleutel())
    verwacht = overzicht.per_groep(con, per=(), filters=kpi.Filters(aanbieder=(agb,)), scope=eigen)
    assert uit.height == 1  # counts rounded to fives as the scoped path rounds them:
    assert_frame_equal(uit, verwacht, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)
    assert uit["in_zorg_peildatum"][0] % 5 == 0


def test_vergelijking_deelt_een_berekening_tussen_aanbieders(
    schone_caches: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark of every provider's page: its peers as kpi.scope.peers gives them from the
    plain computation, with one computation for all providers."""
    from kpi.registry import laad_registry
    from kpi.scope import peers

    con = duckdb.connect(str(schone_caches), read_only=True)
    agbs = [r[0] for r in con.execute(
        "select aanbieder from toewijzingen group by 1 order by count(*) desc, 1 limit 5"
    ).fetchall()]  # fmt: skip
    echt, keren = kpi.bereken, []
    monkeypatch.setattr(kpi, "bereken", lambda *a, **k: keren.append(a[1]) or echt(*a, **k))
    for agb in agbs:
        uit = data.vergelijking("2024", (("aanbieder", agb),), "wachttijd", Scope().sleutel())
        alle = echt(con, "2024", ("subsegment", "aanbieder"), kpis=("wachttijd",))
        verwacht = peers(alle, Scope(), laad_registry(), agb)
        assert uit.equals(verwacht) and uit["eigen"].sum() >= 1, agb
    assert keren == ["2024"]


def _gedeelde_frames() -> list[pl.DataFrame]:
    """Every Polars frame held by the shared caches (ui.data.gedeelde_frames), also inside
    tuples and dicts."""
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    def frames(waarde: object) -> list[pl.DataFrame]:
        if isinstance(waarde, pl.DataFrame):
            return [waarde]
        if isinstance(waarde, dict):
            return [f for w in waarde.values() for f in frames(w)]
        if isinstance(waarde, tuple | list):
            return [f for w in waarde for f in frames(w)]
        return []

    uit = []
    for caches in _resource_caches._function_caches.values():
        for cache in caches.values():
            with cache._mem_cache_lock:
                resultaten = list(cache._mem_cache.values())
            uit += [f for r in resultaten for f in frames(r.value)]
    return uit


def test_geen_pagina_verandert_een_gedeeld_frame(schone_caches: Path) -> None:
    """The frames in the shared caches are handed to every session as the same object: a page
    that changed one in place would change another session's figures. Every page runs twice
    (the second run reads what the first cached); the frames stay what they were."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    con = duckdb.connect(str(schone_caches), read_only=True)
    agb = con.execute(
        "select aanbieder from toewijzingen group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()[0]

    def alle_paginas() -> None:
        for pagina in sorted(p.name for p in (REPO / "paginas").glob("*.py")):
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
            at.query_params.update(periode="2024", aanbieder=agb)
            at.run()
            at.switch_page(f"paginas/{pagina}")
            at.run()
            assert not at.exception, (pagina, [e.value for e in at.exception])

    alle_paginas()
    voor = [(f, f.clone()) for f in _gedeelde_frames()]
    assert len(voor) > 20  # the pages read their figures through the shared caches
    alle_paginas()
    veranderd = [i for i, (f, kopie) in enumerate(voor) if not f.equals(kopie, null_equal=True)]
    assert not veranderd
