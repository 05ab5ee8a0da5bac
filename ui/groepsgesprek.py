"""Cached queries and exports of the Groepsgesprek page (figures in kpi/gesprek.py, tables in
weergave/groepsgesprek.py, PDFs in rapport/groepsgesprek.py)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from kpi import gesprek as gs
from kpi.scope import BuitenScope, Scope
from rapport import groepsgesprek as rg
from rapport.gegevens import lees_context
from ui import componenten as ui
from ui import data
from ui.data import ScopeSleutel
from ui.gesprek import store


@st.cache_data(show_spinner="Groep berekenen…", max_entries=64)
def cijfers(
    periode: str, subsegment: str, leden: tuple[str, ...], scope: ScopeSleutel
) -> pl.DataFrame:
    """The members' figures side by side (refused in provider scope)."""
    return gs.groep_cijfers(data.berekening(), periode, subsegment, leden, Scope.uit_sleutel(scope))


@st.cache_data(show_spinner="Groepsblad berekenen…", max_entries=64)
def blad(
    periode: str, subsegment: str, leden: tuple[str, ...], aanbieder: str, scope: ScopeSleutel
) -> gs.Groepsblad:
    """One member's sheet, in that member's scope."""
    return gs.groepsblad(
        data.berekening(), periode, subsegment, leden, aanbieder,
        Scope.uit_sleutel(scope),
    )  # fmt: skip


@st.cache_data(show_spinner="Groepsblad berekenen…", max_entries=64)
def blad_van_groep(
    groep_id: int, versie: int, aanbieder: str, scope: ScopeSleutel
) -> gs.Groepsblad:
    """A member's sheet of a group saved in the dossier (keyed on its version)."""
    return gs.groepsblad_van(
        store(), data.berekening(), groep_id, aanbieder, Scope.uit_sleutel(scope)
    )


@st.cache_data(show_spinner=False, max_entries=16)
def overzicht_pdf(
    periode: str, subsegment: str, leden: tuple[str, ...], scope: ScopeSleutel
) -> bytes:
    """The internal overview PDF with names."""
    con = data.verbinding()
    return rg.overzicht_pdf(
        con, periode, subsegment, leden, Scope.uit_sleutel(scope),
        lees_context(con, normen=data.normen()),
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=64)
def blad_pdf(periode: str, subsegment: str, leden: tuple[str, ...], aanbieder: str) -> bytes:
    """One member's sheet as PDF."""
    con = data.verbinding()
    context = lees_context(con, normen=data.normen())
    return rg.blad_pdf(con, periode, subsegment, leden, aanbieder, context)


@st.cache_data(show_spinner=False, max_entries=64)
def blad_pdf_van_groep(groep_id: int, versie: int, aanbieder: str) -> bytes:
    """A member's sheet of a saved group as PDF (the member list stays inside)."""
    item = store().item(groep_id)
    if aanbieder not in item.leden:
        raise BuitenScope("Deze aanbieder hoort niet bij dit groepsgesprek.")
    con = data.verbinding()
    return rg.blad_pdf(con, item.periode, item.subsegment or "", item.leden, aanbieder,
                       lees_context(con, normen=data.normen()))  # fmt: skip


def blad_pdf_knop(maak: Callable[[], bytes], periode: str, aanbieder: str, naam: str) -> None:
    """'Groepsblad (PDF)' for one member; in provider scope only for the provider itself."""
    scope = ui.huidige_scope()
    if scope.is_aanbieder and scope.aanbieder != aanbieder:
        return
    st.download_button(
        f"Groepsblad {naam} (PDF)",
        maak,
        file_name=f"groepsblad_{periode}_{aanbieder}.pdf",
        mime="application/pdf",
        key=f"groepsblad_pdf_{aanbieder}",
        icon=":material/picture_as_pdf:",
    )
