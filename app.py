"""Stoplicht: the router. Pages are listed here; each page is a thin script in pages/."""

import streamlit as st

from ui import data, filters

st.set_page_config(page_title="Stoplicht", page_icon=":material/traffic:", layout="wide")

PAGINAS = {
    "Stoplicht": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/grid_view:", default=True),
        st.Page("pages/kpi_detail.py", title="KPI-detail", icon=":material/query_stats:"),
        st.Page("pages/aanbieder.py", title="Aanbieder", icon=":material/handshake:"),
        st.Page("pages/financien.py", title="Financiën", icon=":material/euro:"),
        st.Page("pages/benchmark.py", title="Benchmark", icon=":material/leaderboard:"),
    ],
    "Gegevens": [
        st.Page("pages/datakwaliteit.py", title="Datakwaliteit", icon=":material/fact_check:"),
        st.Page("pages/over_de_data.py", title="Over de data", icon=":material/info:"),
    ],
}

pagina = st.navigation(PAGINAS)
st.session_state["selectie"] = filters.zijbalk(data.opties())
pagina.run()
