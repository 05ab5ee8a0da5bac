"""Overzicht: the stoplicht matrix, rows × KPIs, the region on top; click through to detail."""

import streamlit as st

import rapport
from ui import blokken, data, opmaak, rapporten, url
from ui import componenten as ui
from weergave import tabellen

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
indeling = url.keuze(
    links,
    "segmented_control",
    "Rijen",
    list(INDELINGEN),
    parameter="indeling",
    standaard="aanbieder",
    sleutel="indeling",
    gevolg="de rijen zijn aanbieders",
    format_func=INDELINGEN.get,
    required=True,
)
kpis = url.lijst_keuze(
    rechts,
    "KPI's",
    [k.id for k in registry],
    parameter="kpis",
    standaard=STANDAARD_KPIS,
    sleutel="matrix_kpis",
    gevolg="de standaard-KPI's worden getoond",
    format_func=lambda k: registry[k].label,
)

per_rij = ui.waarden(selectie.periode, (indeling,), selectie.filters, tuple(kpis))
if not ui.heeft_gegevens(per_rij):
    ui.leeg()
    st.stop()

sorteer = url.keuze(
    st,
    "selectbox",
    "Sorteer op",
    ["naam", *kpis],
    parameter="sorteer",
    standaard="naam",
    sleutel="sorteer",
    gevolg="de rijen staan op naam",
    format_func=lambda k: "Naam" if k == "naam" else registry[k].label,
)
matrix = blokken.matrix(
    selectie.periode, indeling, selectie.filters, tuple(kpis), sorteer, ui.huidige_scope().sleutel()
)
ui.stoplicht_legenda()

klik = keuze = None
if opmaak.printversie():
    st.vega_lite_chart(matrix.spec, theme=None)
    st.table(ui.kleur_cellen(matrix.breed.drop("code"), tabellen.stoplicht_per_cel(matrix.lang)))
else:
    # Only the open tab is drawn: the coloured table is the slow half and seldom looked at.
    tab_matrix, tab_tabel = st.tabs(["Matrix", "Tabel"], on_change="rerun", key="weergave")
    if tab_matrix.open:
        with tab_matrix:
            klik = st.vega_lite_chart(matrix.spec, on_select="rerun", key="matrix", theme=None)
    if tab_tabel.open:
        with tab_tabel:
            kleuren = tabellen.stoplicht_per_cel(matrix.lang)
            keuze = st.dataframe(
                ui.kleur_cellen(matrix.breed.drop("code"), kleuren), hide_index=True,
                on_select="rerun", selection_mode="single-cell", key="matrix_tabel",
            )  # fmt: skip
cijfers = matrix.cijfers
ui.downloads(
    cijfers,
    f"stoplicht_{selectie.periode}",
    "matrix",
    excel=lambda: rapport.matrix_excel(cijfers, registry, kpis),
)

doel = ui.klikdoel(matrix.lang, klik, keuze, matrix.breed, indeling)
if doel is not None:
    pagina, extra = doel
    st.switch_page(pagina, query_params=selectie.query(**extra))
