"""KPI-detail: one KPI — trend with norm band, breakdown, definition, drill-down."""

import polars as pl
import streamlit as st

from kpi.periode import trendperiode
from ui import componenten as ui
from ui import data, url
from weergave import formaat, grafieken, tabellen

DIMENSIES = {
    "gemeente": "Gemeente",
    "segment": "Segment",
    "subsegment": "Sub-segment",
    "aanbieder": "Aanbieder",
}

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
kpi_id = url.keuze(
    st,
    "selectbox",
    "KPI",
    [k.id for k in registry],
    parameter="kpi",
    standaard="doorlooptijd",
    sleutel="detail_kpi",
    gevolg="getoond wordt de doorlooptijd",
    format_func=lambda k: registry[k].label,
)
kpi = registry[kpi_id]
ui.kop(kpi.label, selectie, opties)
st.markdown(f"**Definitie.** {kpi.definitie}")

if ui.niet_van_toepassing(kpi, selectie.periode_object):
    st.stop()
ontbreekt = data.niet_berekenbaar().get(kpi_id)
if ontbreekt:
    st.warning(f"Deze KPI kan niet berekend worden: {ontbreekt}.")
    st.stop()

naast = registry.andere_statistieken(kpi_id)
totaal = ui.waarden(selectie.periode, (), selectie.filters, (kpi_id, *(k.id for k in naast)))
eigen = totaal.filter(pl.col("kpi") == kpi_id)
uitleg = ui.uitleg(kpi_id, selectie.periode, (), selectie.filters)
rij = None
if not ui.heeft_gegevens(eigen):
    # no figure: say why where the definition says so, else that there is no data
    if not uitleg.redenen and not uitleg.groepen:
        ui.leeg()
        st.stop()
    for regel in tabellen.geen_cijfer(uitleg, met_periode=False):
        st.info(regel, icon=":material/info:")
    if uitleg.redenen:  # the whole period: its months and groups give none either
        st.stop()
else:
    met_tekst = tabellen.met_tekst(totaal, registry)
    rij = met_tekst.filter(pl.col("kpi") == kpi_id).row(0, named=True)
    kolommen = st.columns(3 + len(naast))
    hoofd = f"{kpi.label} (mediaan)" if naast and kpi.aggregatie == "mediaan" else kpi.label
    kolommen[0].metric(hoofd, rij["tekst"])
    for kolom, ander in zip(kolommen[1:], naast, strict=False):
        andere = met_tekst.filter(pl.col("kpi") == ander.id)
        kolom.metric(
            ander.label.removeprefix(f"{kpi.label} ").strip("()").capitalize(),
            andere["tekst"][0] if andere.height else "–",
            help=ander.definitie,
        )
    kolommen[-2].metric("Stoplicht", rij["stoplicht_tekst"])  # says "(voorlopig)" where it is
    kolommen[-1].metric("n", formaat.getal(rij["n"]))
    st.markdown(f"**Norm.** {rij['norm']}")
    if rij["bron"] or rij["toelichting"]:  # a KPI from another source: name it beside it
        st.caption(" · ".join(t for t in (f"Bron: {rij['bron']}", rij["toelichting"]) if t))
    for _, noot in uitleg.toelichtingen:  # what the figure covers (e.g. the year to date)
        st.caption(noot)
    if rij["teller"] is not None:
        noemer = rij["noemer"]
        st.caption(
            f"Teller {formaat.waarde(rij['teller'], kpi.teller_eenheid)} · noemer "
            f"{formaat.waarde(noemer, kpi.teller_eenheid) if noemer is not None else '–'}"
            f" · minimum n voor een oordeel: {kpi.min_n}"
        )

if kpi.periodiek and not kpi.extern:  # delivered per period (half-year, ...), not per month
    st.subheader("Trend per maand")
    trendcode = trendperiode(selectie.periode_object).code
    trend = ui.reeks(trendcode, (), selectie.filters, (kpi_id,))
    # the months without a figure, and why (a month of the plan year without a plan, ...)
    zonder = tabellen.geen_cijfer(ui.uitleg(kpi_id, trendcode, (), selectie.filters, True))
    if trend.is_empty() and not zonder:
        ui.leeg("de trend")
    elif not trend.is_empty():
        trend = tabellen.met_tekst(trend, registry)
        band = tabellen.normband(rij["norm_groen"], rij["norm_deel"]) if rij else None
        st.altair_chart(grafieken.trend(trend, kpi.eenheid, kpi.label, band), theme=None)
        if band:
            st.caption("Het groene vlak is de groene zone van de norm.")
        elif rij and rij["norm_deel"]:
            st.caption("Per sub-segment beoordeeld: zie de uitsplitsing per sub-segment.")
        else:
            st.caption("Geen vaste norm.")
    for regel in zonder:
        st.caption(f"Geen cijfer voor {regel}")

st.subheader("Uitsplitsing")
tabs = st.tabs([f"Per {naam.lower()}" for naam in DIMENSIES.values()])
for tab, (dim, naam) in zip(tabs, DIMENSIES.items(), strict=True):
    with tab:
        ruw = ui.waarden(selectie.periode, (dim,), selectie.filters, (kpi_id,))
        waarom = ui.uitleg(kpi_id, selectie.periode, (dim,), selectie.filters)
        zonder = tabellen.geen_cijfer(waarom, opties.namen(dim), met_periode=False)
        if ruw.is_empty():
            for regel in zonder:
                st.info(regel, icon=":material/info:")
            if not zonder:
                ui.leeg()
            continue
        namen = ruw[dim].replace_strict(opties.namen(dim), default=ruw[dim]).alias("naam")
        grafiek = tabellen.met_tekst(ruw, registry).with_columns(namen)
        st.altair_chart(grafieken.verdeling(grafiek, naam, kpi.eenheid, kpi.label), theme=None)
        tabel = tabellen.kpi_tabel(ruw, registry).select(namen.alias(naam), pl.exclude("KPI"))
        ui.toon(tabel)
        ui.downloads(tabel, f"{kpi_id}_per_{dim}_{selectie.periode}", f"{dim}")
        for regel in zonder:  # the groups without a figure, and why
            st.caption(f"Geen cijfer voor {regel}")

if ui.huidige_scope().mag_trajecten_zien:  # no client-level rows for providers
    with st.expander("Trajecten achter dit cijfer (gepseudonimiseerd)"):
        rijen = ui.onderliggende_rijen(kpi_id, selectie.periode, selectie.filters)
        st.caption(
            f"{formaat.getal(rijen.height)} eenheden ({kpi.korrel}). Cliënten staan er "
            "onder een pseudoniem; het BSN is niet opgeslagen."
            + (" De tabel toont de eerste 5.000, de download alle." if rijen.height > 5000 else "")
        )
        st.dataframe(rijen.head(5000), hide_index=True)
        ui.downloads(rijen, f"{kpi_id}_eenheden_{selectie.periode}", "eenheden")
