"""Excel with real numbers for the dashboard and the reports: numeric cells carrying an
Excel number format, Dutch headers. The writer and the KPI layout are kpi.export's
(`werkboek`, `kpi_werkboek`); this adds what only the readers' layer knows: the norm and the
direction in words, and the stoplicht matrix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl
from kpi.export import Formaat, kpi_werkboek, werkboek
from kpi.registry import Registry
from weergave import getallen, tabellen
from weergave.privacy import GEHEIM

# A workbook with one sheet per frame (kpi.export.werkboek: the one xlsx writer).
tabellen_excel = werkboek


def kpi_excel(
    resultaat: pl.DataFrame,
    registry: Registry | None = None,
    namen: Mapping[str, Mapping[str, str]] | None = None,
    doel: Path | None = None,
) -> bytes:
    """The long KPI frame as a numeric workbook (kpi.export.kpi_werkboek, the one layout),
    with the readers' norm text ('groen ≥ 90,0 %; oranje ≥ 75,0 %'), directions in words
    and 'geheim' where the provider scope withheld a value."""
    return kpi_werkboek(
        resultaat, registry, namen, normtekst=tabellen.norm_samenvatting,
        richtingen=tabellen.RICHTING, geheim=GEHEIM, doel=doel,
    )  # fmt: skip


def matrix_excel(matrix: pl.DataFrame, registry: Registry, kpis: Sequence[str]) -> bytes:
    """The stoplicht matrix (weergave.getallen.matrix_getallen) as a numeric workbook.

    Each KPI's value is a number with the format of its unit; its stoplicht stands in the
    column beside it, as a word.
    """
    formaten: dict[str, Formaat] = {
        getallen.matrix_kop(registry, k): registry[k].eenheid
        for k in kpis
        if getallen.matrix_kop(registry, k) in matrix.columns
    }
    return tabellen_excel({"Stoplicht": matrix}, formaten)
