"""KPI-detail: one KPI — trend with norm band, breakdown, definition, drill-down."""

import polars as pl
import streamlit as st

from ui import componenten as ui
from ui import data
from weergave import formaat, grafieken, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ids = [k.id for k in registry]
gevraagd = st.query_params.get("kpi")
kpi_id = st.selectbox(
    "KPI",
    ids,
    index=ids.index(gevraagd) if gevraagd in ids else ids.index("doorlooptijd"),
    format_func=lambda k: registry[k].label,
    key=f"detail_kpi_{gevraagd}",
)
st.query_params["kpi"] = kpi_id
kpi = registry[kpi_id]
ui.kop(kpi.label, selectie, opties)
st.markdown(f"**Definitie.** {kpi.definitie}")

if ui.niet_van_toepassing(kpi, selectie.periode_object):
    st.stop()
ontbreekt = data.niet_berekenbaar().get(kpi_id)
if ontbreekt:
    st.warning(f"Deze KPI kan niet berekend worden: {ontbreekt}.")
    st.stop()

totaal = ui.waarden(selectie.periode, (), selectie.filters, (kpi_id,))
if not ui.heeft_gegevens(totaal):
    ui.leeg()
    st.stop()
rij = tabellen.met_tekst(totaal, registry).row(0, named=True)
k1, k2, k3 = st.columns(3)
k1.metric(kpi.label, rij["tekst"])
k2.metric("Stoplicht", rij["stoplicht_tekst"])
k3.metric("n", formaat.getal(rij["n"]))
st.markdown(f"**Norm.** {rij['norm']}")
if rij["bron"] or rij["toelichting"]:  # a KPI from another source: name it beside the figure
    st.caption(" · ".join(t for t in (f"Bron: {rij['bron']}", rij["toelichting"]) if t))
if rij["teller"] is not None:
    st.caption(
        f"Teller {formaat.waarde(rij['teller'], kpi.teller_eenheid)} · noemer "
        f"{formaat.waarde(rij['noemer'], kpi.teller_eenheid) if rij['noemer'] is not None else '–'}"
        f" · minimum n voor een oordeel: {kpi.min_n}"
    )

if kpi.periodiek and not kpi.extern:  # delivered per period (half-year, ...), not per month
    st.subheader("Trend per maand")
    trend = ui.reeks(
        tabellen.trendperiode(selectie.periode_object).code, (), selectie.filters, (kpi_id,)
    )
    if trend.is_empty():
        ui.leeg("de trend")
    else:
        trend = tabellen.met_tekst(trend, registry)
        band = tabellen.normband(rij["norm_groen"], rij["norm_deel"])
        st.altair_chart(grafieken.trend(trend, kpi.eenheid, kpi.label, band), theme=None)
        if band:
            st.caption("Het groene vlak is de groene zone van de norm.")
        elif rij["norm_deel"]:
            st.caption("Per sub-segment beoordeeld: zie de uitsplitsing per sub-segment.")
        else:
            st.caption("Geen vaste norm.")

st.subheader("Uitsplitsing")
tabs = st.tabs(["Per gemeente", "Per segment", "Per sub-segment", "Per aanbieder"])
for tab, dim in zip(tabs, ("gemeente", "segment", "subsegment", "aanbieder"), strict=True):
    with tab:
        ruw = ui.waarden(selectie.periode, (dim,), selectie.filters, (kpi_id,))
        if ruw.is_empty():
            ui.leeg()
            continue
        namen = ruw[dim].replace_strict(opties.namen(dim), default=ruw[dim]).alias("naam")
        grafiek = tabellen.met_tekst(ruw, registry).with_columns(namen)
        st.altair_chart(
            grafieken.verdeling(grafiek, dim.capitalize(), kpi.eenheid, kpi.label), theme=None
        )
        tabel = tabellen.kpi_tabel(ruw, registry).select(
            namen.alias(dim.capitalize()), pl.exclude("KPI")
        )
        ui.toon(tabel)
        ui.downloads(tabel, f"{kpi_id}_per_{dim}_{selectie.periode}", f"{dim}")

if ui.huidige_scope().mag_trajecten_zien:  # no client-level rows for providers
    with st.expander("Trajecten achter dit cijfer (gepseudonimiseerd)"):
        eenheden = ui.eenheden(kpi_id, selectie.periode, selectie.filters)
        st.caption(
            f"{formaat.getal(eenheden.height)} eenheden ({kpi.korrel}). Cliënten staan er "
            "onder een pseudoniem; het BSN is niet opgeslagen."
        )
        st.dataframe(eenheden.head(5000), hide_index=True)
        ui.downloads(eenheden, f"{kpi_id}_eenheden_{selectie.periode}", "eenheden")
