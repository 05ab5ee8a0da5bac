"""Overzicht: the stoplicht matrix, rows × KPIs, the region on top; click through to detail."""

import streamlit as st

from ui import componenten as ui
from ui import data, rapporten
from weergave import grafieken, tabellen

STANDAARD_KPIS = list(tabellen.MATRIX_KPIS)
INDELINGEN = {
    "aanbieder": "Aanbieders",
    "segment": "Segmenten",
    "subsegment": "Sub-segmenten",
    "gemeente": "Gemeenten",
}

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Overzicht", selectie, opties)
rapporten.deck_knop(selectie)

links, rechts = st.columns([2, 3])
indeling = (
    links.segmented_control(
        "Rijen",
        list(INDELINGEN),
        format_func=INDELINGEN.get,
        key="indeling",
        default=st.query_params.get("indeling", "aanbieder"),
    )
    or "aanbieder"
)
st.query_params["indeling"] = indeling
kpis = (
    rechts.multiselect(
        "KPI's",
        [k.id for k in registry],
        default=STANDAARD_KPIS,
        key="matrix_kpis",
        format_func=lambda k: registry[k].label,
    )
    or STANDAARD_KPIS
)

regio = ui.waarden(selectie.periode, (), selectie.filters, tuple(kpis))
per_rij = ui.waarden(selectie.periode, (indeling,), selectie.filters, tuple(kpis))
vorige = tabellen.vorige_periode(selectie.periode_object).code  # for the tooltip
eerder = (
    ui.waarden(vorige, (indeling,), selectie.filters, tuple(kpis)),
    ui.waarden(vorige, (), selectie.filters, tuple(kpis)),
)
scope = ui.huidige_scope()
totaal = tabellen.EIGEN_TOTAAL if scope.is_aanbieder else tabellen.REGIO
lang = tabellen.matrix_lang(
    per_rij, regio, indeling, opties.namen(indeling), registry, kpis, totaal=totaal, vorige=eerder
)

if not ui.heeft_gegevens(per_rij):
    ui.leeg()
    st.stop()

sorteer = st.selectbox(
    "Sorteer op",
    ["naam", *kpis],
    key="sorteer",
    format_func=lambda k: "Naam" if k == "naam" else registry[k].label,
)
lang = tabellen.sorteer(lang, sorteer)
ui.stoplicht_legenda()

tab_matrix, tab_tabel = st.tabs(["Matrix", "Tabel"])
with tab_matrix:
    klik = st.altair_chart(grafieken.matrix(lang), on_select="rerun", key="matrix", theme=None)
with tab_tabel:
    breed = tabellen.matrix_breed(lang, registry, kpis)
    keuze = st.dataframe(
        ui.kleur_cellen(breed.drop("code"), tabellen.stoplicht_per_cel(lang)),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-cell",
        key="matrix_tabel",
    )
    ui.downloads(breed.drop("code"), f"stoplicht_{selectie.periode}", "matrix")

doel = ui.klikdoel(lang, klik, keuze, breed, indeling)
if doel is not None:
    pagina, extra = doel
    st.switch_page(pagina, query_params=selectie.query(**extra))
