"""Altair charts as PNG without a browser (vl-convert), for the PDF and the slides."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc
import weergave.grafieken  # noqa: F401 - registers and enables the house theme


def png(grafiek: alt.TopLevelMixin, schaal: float = 2.0) -> bytes:
    """The chart rendered as PNG at `schaal` × its pixel size, on a white background."""
    # the builders are tested for valid specs; skipping validation here halves the JSON cost
    spec = grafiek.properties(background="white").to_json(validate=False)
    return vlc.vegalite_to_png(spec, scale=schaal)
