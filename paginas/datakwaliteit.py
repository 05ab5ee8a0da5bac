"""Datakwaliteit: timeliness of 305/307/301, assignments without start or stop, quarantine."""

import polars as pl
import streamlit as st

import rapport
from ui import blokken, data, opmaak
from ui import componenten as ui
from weergave import gegevens, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
KWALITEIT = registry.groep("berichten")  # message quality, in declaration order
ui.kop("Datakwaliteit", selectie, opties)
st.caption(
    "305 en 307 horen binnen 5 werkdagen na de werkelijke start of stop te komen (werkdag: "
    "maandag t/m vrijdag, geen feestdag)."
)

regio = ui.waarden(selectie.periode, (), selectie.filters, KWALITEIT)
if not ui.heeft_gegevens(regio.filter(pl.col("kpi") != "quarantaine")):  # not period-bound
    ui.leeg()
    st.stop()
ui.toon(tabellen.kpi_tabel(regio, registry))

st.subheader("Per aanbieder")
scope, afdruk = ui.huidige_scope().sleutel(), opmaak.printversie()
cijfers = blokken.kwaliteit_matrix(selectie.periode, selectie.filters, scope, afdruk, KWALITEIT)
if cijfers is not None:
    ui.downloads(
        cijfers,
        f"datakwaliteit_{selectie.periode}",
        "kwaliteit",
        excel=lambda: rapport.matrix_excel(cijfers, registry, KWALITEIT),
    )

st.subheader("Tijdigheid per maand")
blokken.kwaliteit_trend(selectie.periode, selectie.filters, scope, afdruk)

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
