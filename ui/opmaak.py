"""Page-wide presentation: the document language, the print stylesheet and the print version.

Printing any page (Ctrl+P) leaves out the sidebar, the toolbar and the buttons and lets the page
run over as many sheets as it needs. Tables drawn by st.dataframe are a scrolling canvas, so a
printed one shows only its visible rows: the print version (?print=1, kept across pages) draws
every table in full as HTML and hides the sidebar on screen too.
"""

from __future__ import annotations

import streamlit as st

from ui.filters import PRINT, Selectie

# Streamlit serves its index.html as lang="en"; the UI is Dutch, so screen readers and
# translation tools must be told. Set on the live document (the served file is not ours).
# Also: st.page_link writes the default page's link as "?periode=…", which a browser resolves
# against the current page (/benchmark?periode=…), so opening Overzicht in a new tab would open
# the page one is on; "./?periode=…" resolves to the app's root. A click is handled by
# Streamlit itself and is not affected.
_SCRIPT = """<script>
document.documentElement.lang = "nl";
if (!window.stoplichtLinks) {
  window.stoplichtLinks = true;
  const herstel = () => document
    .querySelectorAll('a[data-testid="stPageLink-NavLink"][href^="?"]')
    .forEach(a => a.setAttribute("href", "./" + a.getAttribute("href")));
  new MutationObserver(herstel).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["href"],
  });
  herstel();
}
</script>"""

_ZONDER_ZIJBALK = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMain"] { margin-left: 0 !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 1rem !important; }
"""

_AFDRUK = f"""
<style>
@media print {{
  {_ZONDER_ZIJBALK}
  [data-testid="stDownloadButton"], [data-testid="stButton"] {{
    display: none !important;
  }}
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] {{
    height: auto !important; overflow: visible !important; position: static !important;
  }}
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stTable"] tr,
  [data-testid="stAlert"] {{ break-inside: avoid; }}
  [data-testid="stTable"] table {{ width: 100% !important; }}
  [data-testid="stTable"] thead {{ display: table-header-group; }}
  h1, h2, h3 {{ break-after: avoid; }}
  @page {{ size: A4 landscape; margin: 1.2cm; }}
}}
</style>
"""


def pagina_opmaak() -> None:
    """The document language and the print stylesheet, on every page."""
    st.html(_AFDRUK)
    st.html(_SCRIPT, unsafe_allow_javascript=True, width="content")


def printversie() -> bool:
    """True in the print version: tables in full, no sidebar."""
    return bool(st.session_state.get(PRINT))


def _zet_print(aan: bool) -> None:
    st.session_state[PRINT] = aan


def printknop(selectie: Selectie) -> None:
    """The way into the print version (in the sidebar) and, in it, the way back (on the page)."""
    if selectie.printversie:
        st.html(f"<style>{_ZONDER_ZIJBALK}</style>")
        links, rechts = st.columns([1, 3])
        links.button(
            "Gewone weergave",
            icon=":material/arrow_back:",
            on_click=_zet_print,
            args=(False,),
            key="print_uit",
        )
        rechts.caption(
            "Printversie: alle tabellen volledig, zonder zijbalk. Druk af met Ctrl+P (Cmd+P)."
        )
    else:
        st.sidebar.button(
            "Printversie",
            icon=":material/print:",
            on_click=_zet_print,
            args=(True,),
            key="print_aan",
            help="De pagina zonder zijbalk en met alle tabellen volledig, om af te drukken.",
        )
