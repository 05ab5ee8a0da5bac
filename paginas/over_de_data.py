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
    "geen norm, n onder het minimum van de KPI, of een voorlopige waarde. Voorlopig is een "
    "periode die na de peildatum doorloopt, en bij een KPI met een termijn (zoals een "
    "startbericht binnen 5 werkdagen) ook zolang de termijn van de laatste dag van de periode "
    "niet voor de peildatum is verstreken: te late berichten zijn dan nog niet binnen."
)
st.markdown(f"**Welke norm telt.** {tabellen.NORMREGEL}")
nulmeting = data.normen().nulmeting
if nulmeting is not None:
    st.markdown(
        f"**Nulmeting.** {nulmeting.label[0].upper()}{nulmeting.label[1:]} "
        f"({formaat.datum(nulmeting.start)} t/m {formaat.datum(nulmeting.eind)}) is de "
        "nulmeting: toen werden gegevens verzameld en normen bepaald, en werden aanbieders nog "
        "niet op de KPI's aangesproken. Bij elk stoplicht van een periode die daarin valt, staat "
        "dat erbij."
    )

st.subheader("KPI's en normen per contractjaar")
st.caption(
    "KPI's en normen kunnen in de loop van het contract bijkomen, wijzigen of vervallen. Een "
    "periode wordt beoordeeld met de KPI's en normen die gelden op haar laatste dag."
)
ui.toon(tabellen.geldigheid_tabel(data.normen(), registry, opties.peildatum, scope.aanbieder))

if scope.is_aanbieder:
    st.stop()  # the load report is about the whole region's extract
st.subheader("Laadverslag per bestand")
st.caption("Elke invoerregel is geladen, dubbel, genegeerd of afgekeurd; de aantallen sluiten.")
ui.toon(gegevens.leesbaar(data.tabel("laadverslag")))
st.subheader("Quarantaine per reden")
ui.toon(gegevens.leesbaar(ui.quarantaine()[0]))
st.subheader("Tabellen")
ui.toon(gegevens.leesbaar(data.tabel("rijen").with_columns(pl.col("rijen").cast(pl.Int64))))
