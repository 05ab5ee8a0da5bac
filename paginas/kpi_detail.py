"""KPI-detail: one KPI — trend with norm band, breakdown, definition, drill-down."""

import polars as pl
import streamlit as st

from ui import blokken, data, opmaak, url
from ui import componenten as ui
from weergave import formaat, tabellen

UITSPLITSING = {
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
            f"Teller {formaat.waarde(rij['teller'], kpi.eenheid_teller)} · noemer "
            f"{formaat.waarde(noemer, kpi.eenheid_teller) if noemer is not None else '–'}"
            f" · minimum n voor een oordeel: {kpi.min_n}"
        )

scope, afdruk = ui.huidige_scope().sleutel(), opmaak.printversie()
if kpi.periodiek and not kpi.extern:  # delivered per period (half-year, ...), not per month
    blokken.trend(kpi_id, selectie.periode, selectie.filters, scope, afdruk)

st.subheader("Uitsplitsing")
tabs = st.tabs([f"Per {naam.lower()}" for naam in UITSPLITSING.values()])
for tab, (dim, naam) in zip(tabs, UITSPLITSING.items(), strict=True):
    with tab:
        tabel, zonder = blokken.uitsplitsing(
            kpi_id, selectie.periode, dim, naam, selectie.filters, scope, afdruk
        )
        if tabel is None:
            continue
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
