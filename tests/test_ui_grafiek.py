"""Charts drawn without Altair's schema validation (ui.componenten.toon_grafiek) are the charts
st.altair_chart draws with it.

The fast path converts a chart to Vega-Lite with `to_dict(validate=False)`; the plain path is
st.altair_chart, which validates every spec against the Vega-Lite schema and raises on an
invalid one. Every page that draws a chart is run both ways (caches cleared in between) and
must give the same elements, byte for byte; so every chart of these pages is also validated.
"""

from __future__ import annotations

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
