"""Aanbieder: the CM-gesprek page for one provider — KPIs against norm, peers, money, messages."""

import polars as pl
import streamlit as st

from ui import blokken, data, gesprek, opmaak, prognose, rapporten, url
from ui import componenten as ui
from weergave import formaat, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
agb = selectie.waarden.get("aanbieder")
if agb is None:
    st.title("Aanbieder")
    keuze = st.selectbox(
        "Kies een aanbieder voor het CM-gesprek",
        [None, *(c for c, _ in opties.aanbieders)],
        format_func=lambda c: "—" if c is None else f"{opties.naam('aanbieder', c)} ({c})",
        key="kies_aanbieder",
    )
    if keuze:
        st.query_params["aanbieder"] = keuze
        st.rerun()
    st.info("Kies een aanbieder hierboven of in de filters links.", icon=":material/handshake:")
    st.stop()

ui.kop(f"{opties.naam('aanbieder', agb)} ({agb})", selectie, opties)
rapporten.factsheet_knop(selectie, agb, opties.naam("aanbieder", agb))
alle = ui.waarden(selectie.periode, (), selectie.filters, None)
alle = alle.filter(pl.col("n") > 0)  # KPIs without units here (e.g. region budgets) are left out
if not ui.heeft_gegevens(alle):
    ui.leeg("deze aanbieder in deze periode")
    st.stop()

gesprek.sectie(selectie, agb, alle)  # the CM-gesprek dossier: agenda, afspraken, toelichting

st.subheader("KPI's tegen de norm")
vorige = tabellen.vorige_periode(selectie.periode_object)
eerder = ui.waarden(vorige.code, (), selectie.filters, None)
tabel = tabellen.kpi_tabel(alle, registry, eerder)  # the change beside the value
ui.stoplicht_legenda()
st.caption(
    f"Vorige periode: {vorige.label}. Verandering: het verschil daarmee, en of dat beter of "
    "slechter is (de richting van de KPI beslist; bij een KPI zonder richting alleen het "
    "verschil)."
)
ui.toon(tabel, hoogte=min(36 * (tabel.height + 1), 1000))
ui.downloads(tabel, f"cm_gesprek_{agb}_{selectie.periode}", "kpis")
rapporten.excel_knop(alle, f"kpis_{agb}_{selectie.periode}", "kpis")

st.subheader("Positie tussen vergelijkbare aanbieders (zelfde sub-segment)")
kpi_id = url.keuze(
    st,
    "selectbox",
    "KPI",
    tabellen.POSITIE_KPIS,
    parameter="positie",
    standaard=tabellen.POSITIE_KPIS[0],
    sleutel="positie_kpi",
    gevolg=f"getoond wordt {registry[tabellen.POSITIE_KPIS[0]].label}",
    format_func=lambda k: registry[k].label,
)
blokken.benchmark(
    kpi_id, selectie.periode, selectie.filters, ui.huidige_scope().sleutel(),
    opmaak.printversie(), toelichting=False,
)  # fmt: skip

st.subheader("Benutting, voorschot en zorgkosten per contract")
geld = ui.waarden(
    selectie.periode,
    ("gemeente", "subsegment"),
    selectie.filters,
    registry.groep("geld"),
)
contracten = tabellen.per_contract(geld, registry, opties.namen("gemeente"))
if contracten.is_empty():
    ui.leeg("contracten")
else:
    saldo = alle.filter(pl.col("kpi") == "saldo_afrekening")
    voorschot = alle.filter(pl.col("kpi") == "voorschot")
    kosten = alle.filter(pl.col("kpi") == "zorgkosten")
    m1, m2, m3 = st.columns(3)
    m1.metric("Voorschot", formaat.euro(voorschot["waarde"][0] if voorschot.height else None))
    m2.metric(
        "Zorgkosten (zorgdagen × dagprijs)",
        formaat.euro(kosten["waarde"][0] if kosten.height else None),
    )
    m3.metric(
        "Verwacht saldo afrekening",
        formaat.euro(saldo["waarde"][0] if saldo.height else None),
        help="Voorschot min zorgkosten; positief: de aanbieder betaalt terug.",
    )
    ui.toon(contracten)
    ui.downloads(contracten, f"contracten_{agb}_{selectie.periode}", "contracten")

st.subheader("Opgegeven en werkelijke doorlooptijd")
dlt = ui.waarden(
    selectie.periode,
    ("subsegment",),
    selectie.filters,
    tabellen.DOORLOOPTIJD_KPIS,
)
ui.toon(tabellen.doorlooptijden(dlt, registry))
st.caption(
    "De verhouding is de som van de werkelijke doorlooptijden gedeeld door de som van de "
    "opgegeven doorlooptijden (uit de contracten); boven 100 % duurt het langer dan opgegeven."
)

st.subheader("Berichtenverkeer")
kwaliteit = alle.filter(pl.col("kpi").is_in(registry.groep("berichten")))
ui.toon(tabellen.kpi_tabel(kwaliteit, registry))

prognose.sectie(selectie, opties, aanbieder_kolom=False)  # ui/prognose.py
