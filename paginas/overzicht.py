"""Overzicht: the stoplicht matrix, rows × KPIs, the region on top; click through to detail."""

import streamlit as st

import rapport
from ui import componenten as ui
from ui import data, opmaak, rapporten, url
from weergave import getallen, grafieken, tabellen

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
lang = tabellen.sorteer(lang, sorteer)
ui.stoplicht_legenda()

titel = f"Stoplicht per {indeling.replace('subsegment', 'sub-segment')}"
breed = tabellen.matrix_breed(lang, registry, kpis)
kleuren = ui.kleur_cellen(breed.drop("code"), tabellen.stoplicht_per_cel(lang))
klik = keuze = None
if opmaak.printversie():
    st.altair_chart(grafieken.matrix(lang, titel=titel), theme=None)
    st.table(kleuren)
else:
    tab_matrix, tab_tabel = st.tabs(["Matrix", "Tabel"])
    with tab_matrix:
        klik = st.altair_chart(
            grafieken.matrix(lang, titel=titel), on_select="rerun", key="matrix", theme=None
        )
    with tab_tabel:
        keuze = st.dataframe(
            kleuren, hide_index=True, on_select="rerun", selection_mode="single-cell",
            key="matrix_tabel",
        )  # fmt: skip
cijfers = getallen.matrix_getallen(lang, registry, kpis, indeling)
ui.downloads(
    cijfers,
    f"stoplicht_{selectie.periode}",
    "matrix",
    excel=lambda: rapport.matrix_excel(cijfers, registry, kpis),
)

doel = ui.klikdoel(lang, klik, keuze, breed, indeling)
if doel is not None:
    pagina, extra = doel
    st.switch_page(pagina, query_params=selectie.query(**extra))
