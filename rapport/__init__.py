"""Meeting-room exports: factsheet per aanbieder (PDF), board deck (PPTX), numeric Excel.

Built from kpi.bereken and the display tables and charts of weergave/, so a figure in an export
is the figure on screen. Nothing here imports Streamlit; `python -m rapport` and the
dashboard (ui/rapporten.py) both call these functions.
"""

from rapport.deck import deck_pptx, maak_deck
from rapport.excel import kpi_excel, matrix_excel, tabellen_excel
from rapport.factsheet import factsheet_pdf, factsheets, maak_factsheet

__all__ = [
    "deck_pptx",
    "factsheet_pdf",
    "factsheets",
    "kpi_excel",
    "maak_deck",
    "maak_factsheet",
    "matrix_excel",
    "tabellen_excel",
]
