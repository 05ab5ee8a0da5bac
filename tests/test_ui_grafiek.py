"""Charts drawn without Altair's schema validation (ui.componenten.toon_grafiek) are the charts
st.altair_chart draws with it.

The fast path converts a chart to Vega-Lite with `to_dict(validate=False)`; the plain path is
st.altair_chart, which validates every spec against the Vega-Lite schema and raises on an
invalid one. Every page that draws a chart is run both ways (caches cleared in between) and
must give the same elements, byte for byte; so every chart of these pages is also validated.
"""

from __future__ import annotations

import os
from typing import Any

import altair as alt
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from tests.test_ui_blokken import _draai, _elementen, aanbieder  # noqa: F401  (fixture)
from ui import componenten

PAGINAS = [
    ("overzicht.py", {}),
    ("kpi_detail.py", {"kpi": "doorlooptijd"}),
    ("kpi_detail.py", {"kpi": "instroom", "per": "gemeente"}),
    ("benchmark.py", {"kpi": "wachttijd"}),
    ("datakwaliteit.py", {}),
    ("financien.py", {}),
    ("aanbieder.py", {"aanbieder": "EIGEN"}),
]


def _gevalideerd(
    grafiek: alt.TopLevelMixin, plek: DeltaGenerator | None = None, **opties: Any
) -> Any:
    return (plek if plek is not None else st).altair_chart(grafiek, theme=None, **opties)


@pytest.mark.parametrize(("pagina", "query"), PAGINAS, ids=[f"{p}-{q}" for p, q in PAGINAS])
def test_grafiek_zonder_schemacontrole_is_de_gevalideerde_grafiek(
    aanbieder: str,  # noqa: F811
    pagina: str,
    query: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query = {k: aanbieder if v == "EIGEN" else v for k, v in query.items()}
    st.cache_data.clear()
    snel = _elementen(_draai(pagina, **query))
    monkeypatch.setattr(componenten, "toon_grafiek", _gevalideerd)
    monkeypatch.setattr(
        componenten, "toon_sjabloon", lambda sj, plek=None, **o: _gevalideerd(sj.maak(), plek, **o)
    )
    monkeypatch.setattr(componenten, "vega_lite", _convert_altair_to_vega_lite_spec)
    st.cache_data.clear()
    gewoon = _elementen(_draai(pagina, **query))
    st.cache_data.clear()
    grafieken = [e for e in snel if e[0] == "vega_lite_chart"]
    assert grafieken, "de pagina tekende geen grafiek"
    assert all(rijen and any(rijen) for _, _, rijen, _ in grafieken)  # every chart has data
    assert [e for e in gewoon if e[0] == "vega_lite_chart"] == grafieken
    assert gewoon == snel


def test_zonder_schemacontrole_wordt_niet_gevalideerd() -> None:
    """The fast path really skips the validation (else it would gain nothing): a spec that
    the schema refuses passes vega_lite and is refused by the validating conversion."""
    fout = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    fout.mark = "geen_markering"  # not a mark type of Vega-Lite
    assert componenten.vega_lite(fout)["mark"] == {"type": "geen_markering"}
    with pytest.raises(Exception, match="geen_markering"):
        _convert_altair_to_vega_lite_spec(fout)


def test_sjabloon_geeft_de_grafiek_van_elke_aanbieder(aanbieder: str) -> None:  # noqa: F811
    """The template path (ui.componenten.vega_lite_uit_sjabloon) gives, for every provider of
    the test warehouse one after the other (so all but the first of a vorm come from a
    template), the spec that building and converting its own chart gives, datasets included:
    the benchmark chart of four KPIs and the two forecast charts, with and without a norm."""
    import duckdb

    import kpi
    from kpi.prognose import overzicht
    from kpi.registry import laad_registry
    from kpi.scope import Scope, peers
    from weergave import grafieken, tabellen
    from weergave import prognose as wprognose

    con = duckdb.connect(os.environ["STOPLICHT_DB"], read_only=True)
    registry = laad_registry()
    componenten._SJABLONEN.clear()
    vergeleken: list[tuple] = []

    def vergelijk(sjabloon) -> None:  # noqa: ANN001
        snel = componenten.vega_lite_uit_sjabloon(sjabloon)
        assert snel == componenten.vega_lite(sjabloon.maak()), sjabloon.vorm[0]
        vergeleken.append(sjabloon.vorm)

    for kpi_id in ("wachttijd", "doorlooptijd", "benutting", "instroom"):
        alle = kpi.bereken(con, "2024", ("subsegment", "aanbieder"), kpis=(kpi_id,))
        for agb in sorted(set(alle["aanbieder"].drop_nulls())):
            bench = tabellen.benchmark_data(
                peers(alle, Scope(), registry, agb), registry, kpi_id, {agb: "Eigen"}, None
            )
            if bench.height:
                vergelijk(grafieken.benchmark_sjabloon(bench, registry[kpi_id].eenheid, kpi_id))
    reeksen = overzicht.maandreeks(con, per=("aanbieder",))
    for (agb,), reeks in reeksen.partition_by("aanbieder", as_dict=True).items():
        reeks = overzicht.maandreeks_van_aanbieder(reeksen, agb)
        for norm in (None, (0.9, 1.05)):
            vergelijk(wprognose.benutting_sjabloon(reeks, norm))
        vergelijk(wprognose.kosten_sjabloon(reeks))
    herhaald = len(vergeleken) - len(set(vergeleken))
    assert herhaald > 20  # most specs came from a template
    assert len(componenten._SJABLONEN) == len(set(vergeleken))  # every chart got one


def test_sjabloon_alleen_voor_de_gegeven_gegevens() -> None:
    """A chart that carries a frame not among its Sjabloon's gegevens gets no template: its
    spec would keep that frame's data for every later chart of the vorm."""
    import polars as pl

    from weergave.grafieken import Sjabloon

    componenten._SJABLONEN.clear()

    def sjabloon(waarden: list[int]) -> Sjabloon:
        gegeven = pl.DataFrame({"x": waarden})
        verborgen = pl.DataFrame({"x": [w * 2 for w in waarden]})  # not in gegevens
        return Sjabloon(
            ("proef",),
            {"x": gegeven},
            lambda: alt.layer(
                alt.Chart(gegeven).mark_point().encode(x=alt.X("x:Q")),
                alt.Chart(verborgen).mark_point().encode(x=alt.X("x:Q")),
            ),
        )

    eerste = componenten.vega_lite_uit_sjabloon(sjabloon([1, 2]))
    tweede = componenten.vega_lite_uit_sjabloon(sjabloon([3, 4]))
    assert not componenten._SJABLONEN
    assert tweede == componenten.vega_lite(sjabloon([3, 4]).maak()) != eerste
