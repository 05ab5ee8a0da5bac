"""Financiën: realisation against plan with outlook, volume and price variance, contracts."""

import polars as pl
import streamlit as st

from ui import componenten as ui
from ui import data, prognose, url
from weergave import formaat, grafieken, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Financiën", selectie, opties)

if ui.huidige_scope().is_aanbieder:
    st.info(
        "De begroting en de uitgaven van de regio zijn niet per aanbieder te zien; "
        "hieronder uw eigen contracten.",
        icon=":material/lock:",
    )
else:
    reeks = ui.uitgavenreeks(selectie.periode, selectie.filters)
    plan = reeks.planjaar
    st.subheader(f"Uitgaven {plan.label}: realisatie tegen prognose")
    st.caption(tabellen.planjaartekst(reeks, selectie.periode_object))
    reeksen = tabellen.cumulatief(reeks)
    if reeksen.is_empty():
        ui.leeg("de begroting en uitgaven")
    else:
        st.altair_chart(grafieken.cumulatief(reeksen), theme=None)
        for sleutel, wat in (
            ("realisatie", "Realisatie"),
            ("vorig_jaar", "Vorig jaar"),
            ("prognose", "Prognose"),
        ):
            if sleutel in reeks.redenen:
                st.caption(f"{wat}: {reeks.redenen[sleutel]}")
        begroot = reeks.maanden["prognose"][-1] if reeks.maanden.height else None
        c1, c2 = st.columns(2)
        c1.metric(
            f"Begroot {plan.label} (prognose t/m {tabellen.maandlabel(plan.eind, True)})",
            formaat.euro(begroot, 0) or "–",
        )
        c2.metric(
            f"Verwachte uitgaven {plan.label}",
            formaat.euro(reeks.verwachting, 0) or "–",
            help="Realisatie tot nu + resterende maanden × gemiddelde van de laatste 3 "
            "volle maanden.",
        )
        ui.downloads(
            reeksen.select(
                pl.col("reeks").alias("Reeks"),
                pl.col("label").alias("Maand"),
                pl.col("bedrag").alias("Bedrag"),
            ),
            f"uitgaven_cumulatief_{plan.code}",
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
        stappen = tabellen.watervalstappen(
            overzicht, None if segment in (None, "Alle") else segment
        )
        st.altair_chart(grafieken.waterval(stappen), theme=None)
        st.caption(
            "Begroot: de prognose over dezelfde maanden (het bedrag hierboven bij een heel "
            "jaar). Target = target cliënten × kosten per cliënt target; waar dat afwijkt van "
            "het begrote bedrag staat het verschil als eigen stap. Hoeveelheidsverschil = "
            "(cliënten werkelijk − target) × kosten per cliënt target; prijsverschil = (kosten "
            "per cliënt werkelijk − target) × cliënten werkelijk. Samen precies het verschil "
            "tussen werkelijke en target-uitgaven."
        )
        ui.toon(tabellen.verschiltabel(overzicht))

st.subheader("Benutting en saldo per contract")
contracten = ui.waarden(
    selectie.periode,
    ("aanbieder", "gemeente", "subsegment"),
    selectie.filters,
    ("benutting", "zorgkosten", "voorschot", "saldo_afrekening"),
)
tabel = tabellen.per_contract(
    contracten, registry, opties.namen("gemeente"), opties.namen("aanbieder")
)
if tabel.is_empty():
    ui.leeg("contracten")
else:
    ui.toon(tabel)
    ui.downloads(tabel, f"contracten_{selectie.periode}", "contracten")

prognose.sectie(selectie, opties)  # ui/prognose.py: forecast to the contract year's end
