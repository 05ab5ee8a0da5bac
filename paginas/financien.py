"""Financiën: realisation against plan with outlook, volume and price variance, contracts."""

import polars as pl
import streamlit as st

from ui import blokken, data, opmaak, prognose, url
from ui import componenten as ui
from weergave import tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Financiën", selectie, opties)

if ui.huidige_scope().is_aanbieder:
    st.info(
        "De begroting en de uitgaven van de regio zijn niet per aanbieder te zien; "
        "hieronder uw eigen contracten.",
        icon=":material/lock:",
    )
else:
    scope, afdruk = ui.huidige_scope().sleutel(), opmaak.printversie()
    uitgaven = blokken.uitgaven(selectie.periode, selectie.filters, scope, afdruk)
    if uitgaven is not None:
        reeksen, plan = uitgaven
        ui.downloads(
            reeksen.select(
                pl.col("reeks").alias("Reeks"),
                pl.col("label").alias("Maand"),
                pl.col("bedrag").alias("Bedrag"),
            ),
            f"uitgaven_cumulatief_{plan}",
            "cumulatief",
        )

    overzicht = ui.verschiloverzicht(selectie.periode, selectie.filters)
    st.subheader(tabellen.verschilkop(overzicht))
    if overzicht.reden is not None:
        st.info(overzicht.reden, icon=":material/info:")
    elif overzicht.segmenten.is_empty():
        ui.leeg("targets (begroting met target cliënten en kosten per cliënt)")
    else:
        st.caption(tabellen.spannetekst(overzicht))
        segmenten = overzicht.segmenten["segment"].to_list()
        segment = url.keuze(
            st, "segmented_control", "Segment", ["Alle", *segmenten], parameter="waterval",
            standaard="Alle", sleutel="wf_segment", gevolg="getoond worden alle segmenten",
            required=True,
        )  # fmt: skip
        blokken.waterval(
            selectie.periode, selectie.filters, scope, afdruk,
            None if segment in (None, "Alle") else segment,
        )  # fmt: skip

st.subheader("Benutting en saldo per contract")
scope, afdruk = ui.huidige_scope().sleutel(), opmaak.printversie()
tabel = blokken.contracten(selectie.periode, selectie.filters, scope, afdruk)
if tabel is not None:
    ui.downloads(tabel, f"contracten_{selectie.periode}", "contracten")

prognose.sectie(selectie, opties)  # ui/prognose.py: forecast to the contract year's end
