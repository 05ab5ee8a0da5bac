"""Blocks of a page replayed from the cache (ui.componenten.blok) show what drawing them showed.

The fast path is the replay: on a second run with the same arguments Streamlit enqueues the
elements it recorded instead of running the block. The plain path is the first run, which
draws them. For every page with blocks, the two runs must give the same elements, byte for
byte; a block must not read the session (its key would then miss an input); and a block
drawn for the region must not be replayed to a provider.
"""

from __future__ import annotations

import inspect
import io
import os
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from tests.test_toegang_lekken import AUTH, identiteit

APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def aanbieder(mini_warehouse: Path) -> str:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        return con.execute(
            "select aanbieder from zorgtrajecten group by 1 order by count(*) desc, 1 limit 1"
        ).fetchall()[0][0]
    finally:
        con.close()


def _draai(pagina: str, at: AppTest | None = None, **query: str) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(f"paginas/{pagina}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _arrow(data: bytes) -> list[dict] | None:
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pylist() if data else None


def _elementen(at: AppTest) -> list[tuple]:
    """Every element of the page in order, as the browser shows it: protos byte for byte,
    except what differs between two drawings of the same thing (a download's file is made on
    a click and gets a fresh id each run; a chart's datasets are named by object id; pandas
    gives each Styler a random id; an Arrow dictionary may list its values in another order),
    which are compared by label, position and decoded rows."""
    uit: list[tuple] = []

    def alle(knoop) -> None:  # noqa: ANN001
        soort = getattr(knoop, "type", type(knoop).__name__)
        proto = getattr(knoop, "proto", None)
        if soort == "download_button":
            uit.append((soort, proto.label))
        elif soort == "vega_lite_chart":
            spec = proto.spec
            for i, ds in enumerate(proto.datasets):
                spec = spec.replace(ds.name, f"<ds{i}>")
            rijen = [_arrow(ds.data.data) for ds in proto.datasets]
            uit.append((soort, spec, rijen, _arrow(proto.data.data)))
        elif proto is not None and hasattr(proto, "arrow_data"):
            kopie = type(proto)()
            kopie.CopyFrom(proto)
            rijen = _arrow(kopie.arrow_data.data)
            kopie.arrow_data.data = b""
            inhoud = kopie.SerializeToString(deterministic=True)
            if kopie.arrow_data.styler.uuid:
                inhoud = inhoud.replace(kopie.arrow_data.styler.uuid.encode(), b"<uuid>")
            uit.append((soort, inhoud, rijen))
        elif proto is not None and hasattr(proto, "SerializeToString"):
            uit.append((soort, proto.SerializeToString(deterministic=True)))
        kinderen = getattr(knoop, "children", None)
        if isinstance(kinderen, dict):
            for k in sorted(kinderen):
                alle(kinderen[k])

    alle(at._tree)
    return uit


def _blokken_in_cache() -> int:
    from streamlit.runtime.caching import cache_data_api

    namen = {f.__qualname__ for f in _blok_functies()}
    return sum(
        1
        for stats in cache_data_api._data_caches.get_stats().values()
        for stat in stats
        if any(stat.cache_name.endswith(n) for n in namen)
    )


def _blok_functies() -> list:
    import ui.blokken  # noqa: F401  (the blocks register when their module is imported)
    import ui.prognose  # noqa: F401
    from ui.componenten import BLOKKEN

    return BLOKKEN


PAGINAS = [
    ("kpi_detail.py", {"kpi": "doorlooptijd"}),
    ("kpi_detail.py", {"kpi": "recidive", "periode": "2024-Q2"}),
    ("benchmark.py", {"kpi": "wachttijd"}),
    ("datakwaliteit.py", {}),
    ("financien.py", {}),
    ("aanbieder.py", {"aanbieder": "EIGEN"}),
    ("aanbieder.py", {"aanbieder": "EIGEN", "print": "1"}),
]


@pytest.mark.parametrize(("pagina", "query"), PAGINAS, ids=[f"{p}-{q}" for p, q in PAGINAS])
def test_herhaald_blok_toont_hetzelfde_als_getekend(
    aanbieder: str, pagina: str, query: dict[str, str]
) -> None:
    query = {k: aanbieder if v == "EIGEN" else v for k, v in query.items()}
    st.cache_data.clear()
    getekend = _elementen(_draai(pagina, **query))
    in_cache = _blokken_in_cache()
    assert in_cache > 0, "de pagina tekende geen enkel blok"
    herhaald = _elementen(_draai(pagina, **query))
    assert _blokken_in_cache() == in_cache  # the second run drew no block anew: a replay
    assert len(herhaald) == len(getekend)
    verschillen = [i for i, (a, b) in enumerate(zip(getekend, herhaald, strict=True)) if a != b]
    assert not verschillen, [(getekend[i][0], i) for i in verschillen]


def test_blok_zonder_scope_of_afdruk_wordt_geweigerd() -> None:
    from ui.componenten import blok

    def zonder_scope(periode: str, afdruk: bool) -> None: ...

    def zonder_afdruk(periode: str, scope: tuple) -> None: ...

    for functie in (zonder_scope, zonder_afdruk):
        with pytest.raises(TypeError, match="mist de parameter"):
            blok(functie)


# What a block may not call: it would read the session, an input its cache key does not hold.
SESSIE = ("huidige_scope", "huidige_selectie", "printversie", "session_state", "query_params",
          "ui.waarden(", "ui.reeks(", "ui.uitleg(", "ui.opties(", "ui.vergelijking(", "st.user")  # fmt: skip


def test_een_blok_leest_niets_uit_de_sessie() -> None:
    functies = _blok_functies()
    assert len(functies) >= 7
    for functie in functies:
        bron = inspect.getsource(functie)
        gevonden = [s for s in SESSIE if s in bron]
        assert not gevonden, (functie.__qualname__, gevonden)


def test_blok_van_de_regio_gaat_niet_naar_een_aanbieder(
    aanbieder: str, tmp_path: Path, mini_warehouse: Path
) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    namen = dict(con.execute("select aanbieder, naam from aanbieders").fetchall())
    con.close()
    andere = {naam for code, naam in namen.items() if code != aanbieder}
    st.cache_data.clear()
    regio = _draai("benchmark.py", kpi="wachttijd", aanbieder=aanbieder)
    regio_tekst = "\n".join(str(e) for e in _elementen(regio))
    assert any(n in regio_tekst for n in andere)  # the region sees the other providers' names

    gebruikers = tmp_path / "gebruikers.toml"
    gebruikers.write_text(
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{aanbieder}"\n'
    )
    os.environ["STOPLICHT_GEBRUIKERS"] = str(gebruikers)
    try:
        at = AppTest.from_file(APP, default_timeout=180)
        at.secrets["auth"] = AUTH
        at.user = identiteit("info@aanbieder.nl")
        at.run()
        eigen = _draai("benchmark.py", at, kpi="wachttijd", aanbieder=aanbieder)
    finally:
        del os.environ["STOPLICHT_GEBRUIKERS"]
    tekst = "\n".join(str(e) for e in _elementen(eigen))
    assert not [n for n in andere if n in tekst]
    assert tekst != regio_tekst


@pytest.mark.parametrize("pagina", ["aanbieder.py", "kpi_detail.py", "benchmark.py"])
def test_afdrukversie_na_de_gewone_versie(aanbieder: str, pagina: str) -> None:
    """The print version after the screen version replays nothing of the screen version: a
    block that read the print flag from the session instead of its `afdruk` argument would."""
    query = {"aanbieder": aanbieder, "kpi": "wachttijd"}
    st.cache_data.clear()
    vers = _elementen(_draai(pagina, **query, print="1"))
    st.cache_data.clear()
    _draai(pagina, **query)
    na_scherm = _elementen(_draai(pagina, **query, print="1"))
    assert [e[0] for e in na_scherm] == [e[0] for e in vers]
    # the print version draws every table whole (HTML), none as a scrolling grid
    assert "table" in [e[0] for e in vers]
    assert "dataframe" not in [e[0] for e in vers if pagina != "kpi_detail.py"]
    assert na_scherm == vers


def _matrix_naast_altair() -> None:
    """Overzicht's cached matrix drawn the page's way, then the plain way (for AppTest)."""
    import streamlit as st

    from kpi.scope import REGIO
    from ui import blokken
    from weergave import grafieken

    kpis = ("instroom", "doorlooptijd", "uitstroom_volgens_plan")
    matrix = blokken.matrix("2023", "aanbieder", (), kpis, "doorlooptijd", REGIO.sleutel())
    st.vega_lite_chart(matrix.spec, on_select="rerun", key="snel", theme=None)
    grafiek = grafieken.matrix(matrix.lang, titel="Stoplicht per aanbieder")
    st.altair_chart(grafiek, on_select="rerun", key="gewoon", theme=None)


def test_matrix_uit_de_cache_is_de_altair_grafiek(mini_warehouse: Path) -> None:
    """The fast path (the Vega-Lite spec made once, kept in st.cache_data) draws the element
    that st.altair_chart draws from the same cells; on a cache hit as on the first run."""
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    st.cache_data.clear()
    for _ruimte in ("eerste keer", "uit de cache"):
        at = AppTest.from_function(_matrix_naast_altair, default_timeout=180)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        snel, gewoon = (e for e in _elementen(at) if e[0] == "vega_lite_chart")
        assert snel == gewoon
        assert snel[2] and snel[2][0]  # the chart has rows


def test_overzicht_tekent_alleen_het_open_tabblad(aanbieder: str) -> None:
    """Overzicht draws the matrix chart, or the coloured table when that tab is open, not
    both; a second run (from the cache) draws the same; the print version draws both."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    matrix = _elementen(at)
    soorten = [e[0] for e in matrix]
    assert "vega_lite_chart" in soorten and "dataframe" not in soorten
    assert _elementen(_draai("overzicht.py", AppTest.from_file(APP, default_timeout=180))) == matrix

    at.session_state["weergave"] = "Tabel"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tabel = [e for e in _elementen(at) if e[0] in ("vega_lite_chart", "dataframe")]
    assert [e[0] for e in tabel] == ["dataframe"]
    assert b"background-color" in tabel[0][1]  # the cells carry their stoplicht colour

    afdruk = _elementen(_draai("overzicht.py", print="1"))
    assert {"vega_lite_chart", "table"} <= {e[0] for e in afdruk}


def test_de_matrix_leest_niets_uit_de_sessie() -> None:
    """Overzicht's cached matrix is keyed on its arguments alone, as a block is."""
    from ui import blokken

    for functie in (blokken.matrix, blokken._matrix_lang):
        bron = inspect.getsource(functie)
        assert not [s for s in SESSIE if s in bron], functie.__qualname__


def _tabel_twee_keer() -> None:
    """One table through ui.componenten.toon (Arrow) and as st.dataframe of the Polars frame
    (for AppTest)."""
    from datetime import date
    from decimal import Decimal

    import polars as pl
    import streamlit as st

    from ui import componenten

    frame = pl.DataFrame(
        {
            "KPI": ["Instroom", "Doorlooptijd", None],
            "Waarde": ["1.234", "€ 5,60", "–"],
            "n": [12, None, 3],
            "aandeel": [0.5, None, 1.25],
            "bedrag": [Decimal("12.50"), None, Decimal("-3.10")],
            "datum": [date(2024, 12, 31), None, date(2025, 1, 1)],
            "voorlopig": [True, False, None],
        },
        schema_overrides={"bedrag": pl.Decimal(38, 2)},
    )
    componenten.toon(frame, afdruk=False)
    breed = {k: st.column_config.TextColumn(width="medium") for k in ("KPI", "Waarde")}
    st.dataframe(frame, hide_index=True, column_config=breed, height="auto")


def test_tabel_als_arrow_is_de_tabel_van_polars() -> None:
    """ui.componenten.toon hands Streamlit the Arrow table (the fast path); Streamlit's own
    path for a Polars frame goes through pandas. The browser gets the same element with the
    frame's own values: where pandas keeps a type (text, floats, decimals, booleans) the rows
    are the same; where it does not, the Arrow path keeps the frame's type (a count with a
    gap stays a whole number, a date stays a date) and pandas' does not."""
    at = AppTest.from_function(_tabel_twee_keer, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    snel, gewoon = (e for e in _elementen(at) if e[0] == "dataframe")
    assert snel[1] == gewoon[1]  # the same element settings (columns, widths, height, index)
    zelfde = ("KPI", "Waarde", "aandeel", "bedrag", "voorlopig")
    assert [{k: r[k] for k in zelfde} for r in snel[2]] == [
        {k: r[k] for k in zelfde} for r in gewoon[2]
    ]
    assert [r["n"] for r in snel[2]] == [12, None, 3]  # pandas: 12.0, nan, 3.0
    assert [r["datum"] for r in snel[2]] == [date(2024, 12, 31), None, date(2025, 1, 1)]
    assert [r["n"] for r in gewoon[2]][0] == 12.0 and type(gewoon[2][0]["datum"]) is not date
