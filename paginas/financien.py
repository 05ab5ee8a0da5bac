"""Financiën: realisation against plan with outlook, volume and price variance, contracts."""

import polars as pl
import streamlit as st

from ui import componenten as ui
from ui import data, url
from weergave import formaat, grafieken, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Financiën", selectie, opties)
jaar = selectie.periode_object.eind.year

if ui.huidige_scope().is_aanbieder:
    st.info(
        "De begroting en de uitgaven van de regio zijn niet per aanbieder te zien; "
        "hieronder uw eigen contracten.",
        icon=":material/lock:",
    )
else:
    st.subheader(f"Uitgaven {jaar}: realisatie tegen prognose")
    maanden = {
        m: ui.waarden(
            code, (), selectie.filters, ("realisatie", "realisatie_vorig_jaar", "jaarverwachting")
        )
        for m, code in tabellen.cumulatieve_perioden(jaar, opties.peildatum)
    }
    reeksen = tabellen.cumulatief(maanden, opties.peildatum)
    if reeksen.is_empty():
        ui.leeg("de begroting en uitgaven")
    else:
        st.altair_chart(grafieken.cumulatief(reeksen), theme=None)
        verwachting = reeksen.filter(pl.col("reeks") == "Verwachting")
        plan = reeksen.filter((pl.col("reeks") == "Prognose") & (pl.col("maand") == 12))
        c1, c2 = st.columns(2)
        c1.metric(
            "Begroot (prognose december)",
            formaat.euro(plan["bedrag"][0] if plan.height else None, 0),
        )
        c2.metric(
            "Verwachte jaaruitgaven",
            formaat.euro(verwachting["bedrag"].max() if verwachting.height else None, 0),
            help="Realisatie tot nu + resterende maanden × gemiddelde van de laatste 3 "
            "volle maanden.",
        )
        ui.downloads(
            reeksen.rename({"reeks": "Reeks", "maand": "Maand", "bedrag": "Bedrag"}),
            f"uitgaven_cumulatief_{jaar}",
            "cumulatief",
        )

    st.subheader("Hoeveelheids- en prijsverschil")
    verschil = ui.waarden(
        selectie.periode, ("segment",), selectie.filters, ("hoeveelheidsverschil", "prijsverschil")
    )
    if verschil.is_empty():
        ui.leeg("targets (begroting met target cliënten en kosten per cliënt)")
    else:
        segmenten = sorted(set(verschil["segment"]))
        segment = url.keuze(
            st, "segmented_control", "Segment", ["Alle", *segmenten], parameter="waterval",
            standaard="Alle", sleutel="wf_segment", gevolg="getoond worden alle segmenten",
            required=True,
        )  # fmt: skip
        stappen = tabellen.watervalstappen(verschil, None if segment in (None, "Alle") else segment)
        st.altair_chart(grafieken.waterval(stappen), theme=None)
        st.caption(
            "Hoeveelheidsverschil = (cliënten werkelijk − target) × kosten per cliënt target; "
            "prijsverschil = (kosten per cliënt werkelijk − target) × cliënten werkelijk. "
            "Samen precies het verschil tussen werkelijke en target-uitgaven."
        )
        ui.toon(tabellen.verschiltabel(verschil))

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
