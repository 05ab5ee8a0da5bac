"""Datakwaliteit: timeliness of 305/307/301, assignments without start or stop, quarantine."""

import polars as pl
import streamlit as st

import rapport
from ui import componenten as ui
from ui import data
from weergave import gegevens, getallen, grafieken, tabellen

KWALITEIT = ["tijdig_305", "tijdig_307", "tijdig_301", "zonder_start", "zonder_stop", "quarantaine"]

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Datakwaliteit", selectie, opties)
st.caption(
    "305 en 307 horen binnen 5 werkdagen na de werkelijke start of stop te komen (werkdag: "
    "maandag t/m vrijdag, geen feestdag)."
)

regio = ui.waarden(selectie.periode, (), selectie.filters, tuple(KWALITEIT))
if not ui.heeft_gegevens(regio.filter(pl.col("kpi") != "quarantaine")):  # not period-bound
    ui.leeg()
    st.stop()
ui.toon(tabellen.kpi_tabel(regio, registry))

st.subheader("Per aanbieder")
per = ui.waarden(selectie.periode, ("aanbieder",), selectie.filters, tuple(KWALITEIT))
lang = tabellen.sorteer(
    tabellen.matrix_lang(per, regio, "aanbieder", opties.namen("aanbieder"), registry, KWALITEIT),
    "tijdig_305",
)
if lang.is_empty():
    ui.leeg()
else:
    ui.stoplicht_legenda()
    st.altair_chart(grafieken.matrix(lang, titel="Datakwaliteit per aanbieder"), theme=None)
    cijfers = getallen.matrix_getallen(lang, registry, KWALITEIT, "aanbieder")
    ui.downloads(
        cijfers,
        f"datakwaliteit_{selectie.periode}",
        "kwaliteit",
        excel=lambda: rapport.matrix_excel(cijfers, registry, KWALITEIT),
    )

st.subheader("Tijdigheid per maand")
trend = ui.reeks(selectie.periode, (), selectie.filters, ("tijdig_305", "tijdig_307"))
if not trend.is_empty():
    for kpi_id in ("tijdig_305", "tijdig_307"):
        deel = tabellen.met_tekst(trend.filter(pl.col("kpi") == kpi_id), registry)
        st.altair_chart(
            grafieken.trend(
                deel,
                "aandeel",
                registry[kpi_id].label,
                tabellen.normband(deel["norm_groen"].drop_nulls().first()),
            ),
            theme=None,
        )

st.subheader("Afgekeurde regels (quarantaine)")
st.caption("Over de hele laadronde, niet per periode: elke afgekeurde invoerregel met de reden.")
c1, c2 = st.columns(2)
per_reden, per_aanbieder = ui.quarantaine(selectie.filters)
c1.markdown("**Per reden**")
with c1:
    ui.toon(gegevens.leesbaar(per_reden))
c2.markdown("**Per aanbieder**")
with c2:
    ui.toon(gegevens.leesbaar(per_aanbieder))
ui.downloads(gegevens.met_koppen(per_aanbieder), "quarantaine_per_aanbieder", "quarantaine")
