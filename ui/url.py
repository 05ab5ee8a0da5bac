"""A view is a link: a page's own choices (rows, sort order, KPIs, ...) live in the URL.

A widget bound to a query parameter takes its value from the URL when the URL was changed from
outside (a link, a click-through, the back button), keeps its own state otherwise, and writes
its value back; the default is left out of the URL, so links stay short. Moving to another page
drops a page's parameters from the URL: the session remembers them per page, so coming back shows
the same view. A value that is not allowed falls back to the default with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

PAGINA = "_pagina"  # url path of the page this run shows (set by the router)
_HERINNERD = "_url_herinnerd"  # (page, parameter) -> the text last written to the URL
LIJST_SCHEIDING = ","


def huidige_pagina() -> str:
    """The url path of the page this run shows ('' for the default page)."""
    return str(st.session_state.get(PAGINA, ""))


def melding(parameter: str, gevolg: str) -> None:
    """A visible note that the link held a value for `parameter` that is not allowed.

    The value itself is not repeated: it is whatever was typed into the address bar.
    """
    st.warning(
        f"De link bevat een ongeldige waarde voor ‘{parameter}’; {gevolg}.",
        icon=":material/link_off:",
    )


def _herinnerd() -> dict[tuple[str, str], str | None]:
    return st.session_state.setdefault(_HERINNERD, {})


def van_url(
    parameter: str,
    sleutel: str,
    lees: Callable[[str], Any],
    standaard: Any,
    gevolg: str,
) -> None:
    """Before a widget is drawn: set its state from the URL when the URL changed from outside.

    `lees` turns the URL text into the widget's value, or None when the text is not allowed;
    then the widget gets `standaard` and the page says so (`gevolg`: what is shown instead).
    """
    plek = (huidige_pagina(), parameter)
    laatst = _herinnerd().get(plek)
    url = st.query_params.get(parameter)
    tekst = url if url is not None else laatst  # absent: a page move dropped it, or the default
    if sleutel in st.session_state and tekst == laatst:
        return  # unchanged from outside: the widget's own state stands
    waarde = standaard if tekst is None else lees(tekst)
    if waarde is None:
        melding(parameter, gevolg)
        waarde = standaard
    st.session_state[sleutel] = waarde


def naar_url(parameter: str, tekst: str | None) -> None:
    """Write a page parameter into the URL (None: the default, left out) and remember it."""
    _herinnerd()[(huidige_pagina(), parameter)] = tekst
    qp = st.query_params
    if tekst is None:
        if parameter in qp:
            del qp[parameter]
    elif qp.get(parameter) != tekst:
        qp[parameter] = tekst


def keuze(
    plek: DeltaGenerator | Any,
    widget: str,
    label: str,
    opties: Sequence[str],
    *,
    parameter: str,
    standaard: str,
    sleutel: str,
    gevolg: str,
    **kwargs: Any,
) -> str:
    """A selectbox or segmented control whose choice is the URL parameter `parameter`."""
    van_url(parameter, sleutel, lambda t: t if t in opties else None, standaard, gevolg)
    if st.session_state.get(sleutel) not in opties:
        st.session_state[sleutel] = standaard  # the options changed under it (e.g. fewer KPIs)
    waarde = getattr(plek, widget)(label, list(opties), key=sleutel, **kwargs)
    if waarde is None:  # a segmented control clicked off: back to the default
        waarde = standaard
    naar_url(parameter, None if waarde == standaard else waarde)
    return waarde


def lijst_keuze(
    plek: DeltaGenerator | Any,
    label: str,
    opties: Sequence[str],
    *,
    parameter: str,
    standaard: Sequence[str],
    sleutel: str,
    gevolg: str,
    **kwargs: Any,
) -> list[str]:
    """A multiselect whose choices are the URL parameter `parameter` ('a,b,c'); empty: default."""

    def lees(tekst: str) -> list[str] | None:
        gekozen = [t for t in tekst.split(LIJST_SCHEIDING) if t]
        geldig = [t for t in dict.fromkeys(gekozen) if t in opties]
        return geldig if geldig and len(geldig) == len(gekozen) else None

    van_url(parameter, sleutel, lees, list(standaard), gevolg)
    waarde = plek.multiselect(label, list(opties), key=sleutel, **kwargs) or list(standaard)
    naar_url(parameter, None if waarde == list(standaard) else LIJST_SCHEIDING.join(waarde))
    return waarde
