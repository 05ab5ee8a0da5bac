"""Stoplicht: the router. Pages are listed here; each page is a thin script in paginas/.

The folder is not called pages/: Streamlit treats a pages/ folder as the old multipage mode on a
fresh server, so a bookmarked link to a page would run that page without this router.

The page menu is drawn by ui.filters.paginalinks instead of Streamlit's own: its links carry
the shared filters, so a move to another page (also in a new tab) keeps them.

`streamlit run app.py` finds the `app` below (st.App) and serves it: Streamlit's own server with
the download guard in front (ui/bewaking.py); that server then runs this file as the script of
every session, where __name__ is "__main__".
"""

import streamlit as st

if __name__ == "__main__":
    from ui import data, filters, opmaak, toegang, url

    # The icon is an emoji: Streamlit draws it in the browser; a :material/...: icon would be
    # fetched from fonts.gstatic.com by every visitor's browser.
    st.set_page_config(page_title="Stoplicht", page_icon="🚦", layout="wide")
    opmaak.pagina_opmaak()
    menu = st.sidebar.container()  # the page menu on top; filled once the filters are known

    scope = toegang.huidige_scope()  # stops here without a valid login (when login is configured)
    PAGINAS = {
        "Stoplicht": [
            st.Page(
                "paginas/overzicht.py", title="Overzicht", icon=":material/grid_view:", default=True
            ),
            st.Page("paginas/kpi_detail.py", title="KPI-detail", icon=":material/query_stats:"),
            st.Page("paginas/aanbieder.py", title="Aanbieder", icon=":material/handshake:"),
            st.Page("paginas/groepsgesprek.py", title="Groepsgesprek", icon=":material/groups:"),
            st.Page("paginas/financien.py", title="Financiën", icon=":material/euro:"),
            st.Page("paginas/benchmark.py", title="Benchmark", icon=":material/leaderboard:"),
        ],
        "Gegevens": [
            st.Page(
                "paginas/datakwaliteit.py", title="Datakwaliteit", icon=":material/fact_check:"
            ),
            st.Page("paginas/over_de_data.py", title="Over de data", icon=":material/info:"),
        ],
    }

    pagina = st.navigation(PAGINAS, position="hidden")
    st.session_state[url.PAGINA] = pagina.url_path
    st.session_state["scope"] = scope
    selectie = filters.zijbalk(data.opties(scope.sleutel()), scope)
    st.session_state["selectie"] = selectie
    filters.paginalinks(menu, PAGINAS, selectie)
    opmaak.printknop(selectie)
    pagina.run()
else:
    from ui import bewaking

    app = st.App("app.py", middleware=bewaking.MIDDLEWARE, lifespan=bewaking.opstarten)
