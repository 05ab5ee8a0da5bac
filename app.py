"""Stoplicht: the router. Pages are listed here; each page is a thin script in pages/."""

import streamlit as st

st.set_page_config(page_title="Stoplicht", page_icon=":material/traffic:", layout="wide")

PAGINAS = [
    st.Page("pages/over_de_data.py", title="Over de data", icon=":material/info:"),
]

st.navigation(PAGINAS).run()
