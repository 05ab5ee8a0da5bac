"""Over de data: peildatum, what was loaded, and what was put aside."""

import streamlit as st

from ui.data import tabel

st.title("Over de data")
meta = dict(tabel("meta").iter_rows())
peildatum = meta.get("peildatum", "")
if peildatum:
    j, m, d = peildatum.split("-")
    st.metric("Peildatum (laatste dagtekening)", f"{d}-{m}-{j}")

st.subheader("Laadverslag per bestand")
st.caption("Elke invoerregel is geladen, dubbel, genegeerd of afgekeurd; de aantallen sluiten.")
st.dataframe(tabel("laadverslag"), hide_index=True, width="stretch")

st.subheader("Quarantaine per reden")
st.dataframe(tabel("quarantaine_per_reden"), hide_index=True, width="stretch")
