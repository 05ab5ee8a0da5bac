"""Download buttons for the meeting-room exports (rapport/): factsheet, board deck, Excel.

The files are built only when the button is pressed (a callable as `data`), and cached on
plain filter values. The scope decides what may be built: a provider gets only its own
factsheet and no board deck (that names every provider).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import kpi
import rapport
from rapport.factsheet import bestandsnaam
from ui import componenten as ui
from ui import data, gesprek
from ui.data import FilterWaarden
from ui.filters import Selectie

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(show_spinner=False, max_entries=32)
def factsheet(periode: str, aanbieder: str, filters: FilterWaarden, dossierstand: int = 0) -> bytes:
    """The factsheet PDF of one provider, in that provider's scope, with the shared part of
    its dossier (`dossierstand`: the dossier's version count, so a new afspraak shows)."""
    zonder = kpi.Filters.uit_paren(filters).zonder("aanbieder")
    con = data.verbinding()
    return rapport.maak_factsheet(
        con, periode, aanbieder, zonder, dossier=gesprek.store(), normen=data.normen()
    )


@st.cache_data(show_spinner=False, max_entries=16)
def deck(periode: str, filters: FilterWaarden) -> bytes:
    """The board deck for a period and a selection."""
    return rapport.maak_deck(
        data.verbinding(), periode, kpi.Filters.uit_paren(filters), normen=data.normen()
    )


def factsheet_knop(selectie: Selectie, aanbieder: str, naam: str) -> None:
    """'Factsheet (PDF)' for the provider on the page, with the page's period and filters."""
    scope = ui.huidige_scope()
    if scope.is_aanbieder and aanbieder != scope.aanbieder:
        return  # never another provider's factsheet
    st.download_button(
        "Factsheet (PDF)",
        lambda: factsheet(selectie.periode, aanbieder, selectie.filters, gesprek.store().stand()),
        file_name=f"factsheet_{selectie.periode}_{bestandsnaam(aanbieder, naam)}",
        mime=PDF,
        key="factsheet_pdf",
        icon=":material/picture_as_pdf:",
        help="KPI's, trends, positie, geld, doorlooptijd, berichten en de gedeelde afspraken "
        "op papier, zoals de aanbieder ze mag zien (andere aanbieders zonder naam, kleine "
        "aantallen geheim, geen interne aantekeningen).",
    )


def deck_knop(selectie: Selectie) -> None:
    """'Bestuursdeck (PPTX)' for the page's period and filters; not in provider scope."""
    if ui.huidige_scope().is_aanbieder:
        return
    st.download_button(
        "Bestuursdeck (PPTX)",
        lambda: deck(selectie.periode, selectie.filters),
        file_name=f"bestuursdeck_{selectie.periode}.pptx",
        mime=PPTX,
        key="bestuursdeck_pptx",
        icon=":material/slideshow:",
        help="Stoplicht per segment, uitgaven, verschillen, in- en uitstroom, doorlooptijd en "
        "recidive, aandachtspunten en definities, voor het bestuurlijk overleg.",
    )


def excel_knop(resultaat: pl.DataFrame, naam: str, sleutel: str) -> None:
    """'Excel (getallen)': the KPI values as numbers with Excel formats, not as text."""
    opties = ui.opties()
    namen = {"gemeente": opties.namen("gemeente"), "aanbieder": opties.namen("aanbieder")}
    st.download_button(
        "Excel (getallen)",
        lambda: rapport.kpi_excel(resultaat, data.registry(), namen),
        file_name=f"{naam}.xlsx",
        mime=XLSX,
        key=f"xlsx_getallen_{sleutel}",
        icon=":material/table_view:",
        help="Waarde, teller, noemer en n als getallen (€, %, dagen) om mee te rekenen.",
    )
