"""Over de data: peildatum, what was loaded, every KPI definition and the norms in force."""

import polars as pl
import streamlit as st

from ui import componenten as ui
from ui import data
from weergave import formaat, gegevens, tabellen

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
st.title("Over de data")
meta = dict(data.tabel("meta").iter_rows())
c1, c2 = st.columns(2)
c1.metric("Peildatum (laatste dagtekening)", formaat.datum(opties.peildatum))
c2.metric("Geladen op", gegevens.geladen_op(meta.get("geladen_op")))
scope = ui.huidige_scope()
if not scope.is_aanbieder:
    st.caption(f"Bron: {meta.get('extract', '')}")

st.subheader("KPI-definities")
niet = data.niet_berekenbaar()
ui.toon(tabellen.definities(registry, niet), volledig=True)

st.subheader("Normen")
ui.toon(tabellen.normen_tabel(data.normen(), registry, scope.aanbieder), volledig=True)
st.caption(
    "De meest specifieke norm geldt (aanbieder, dan sub-segment, segment, domein). Grijs: "
    "geen norm, n onder het minimum van de KPI, of een voorlopige waarde."
)

if scope.is_aanbieder:
    st.stop()  # the load report is about the whole region's extract
st.subheader("Laadverslag per bestand")
st.caption("Elke invoerregel is geladen, dubbel, genegeerd of afgekeurd; de aantallen sluiten.")
ui.toon(gegevens.leesbaar(data.tabel("laadverslag")))
st.subheader("Quarantaine per reden")
ui.toon(gegevens.leesbaar(ui.quarantaine()[0]))
st.subheader("Tabellen")
ui.toon(gegevens.leesbaar(data.tabel("rijen").with_columns(pl.col("rijen").cast(pl.Int64))))
