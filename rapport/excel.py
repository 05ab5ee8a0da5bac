"""Excel with real numbers: numeric cells carrying an Excel number format, Dutch headers.

Excel shows '#,##0.0' and '0.0%' with the reader's own separators, so a Dutch Excel shows
'1.234,5' and '12,5%' while the cell still holds the number (sums and charts keep working).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from kpi.export import EXCEL_FORMAAT, KOPPEN_NL
from kpi.registry import Registry, laad_registry
from weergave import getallen, tabellen
from weergave.privacy import GEHEIM

Formaat = str | Sequence[str | None]  # one format for the column, or one per row
_ONGELDIG = re.compile(r"[\[\]:*?/\\]")
_STANDAARD = {"geheel": "#,##0", "decimaal": "#,##0.00", "datum": "dd-mm-yyyy",
              "tijd": "dd-mm-yyyy hh:mm"}  # fmt: skip


def _bladnaam(naam: str, gebruikt: set[str]) -> str:
    basis = _ONGELDIG.sub("-", naam).strip("'")[:31] or "Blad"
    kandidaat, i = basis, 2
    while kandidaat.lower() in gebruikt:
        kandidaat = f"{basis[: 31 - len(str(i)) - 1]} {i}"
        i += 1
    gebruikt.add(kandidaat.lower())
    return kandidaat


def _excelformaat(formaat: str) -> str:
    """A unit name ('euro', 'aandeel', ...) or an Excel number format as it is."""
    return EXCEL_FORMAAT.get(formaat, formaat)


def _standaard(dtype: pl.DataType) -> str | None:
    if dtype.is_integer():
        return _STANDAARD["geheel"]
    if dtype.is_float() or isinstance(dtype, pl.Decimal):
        return _STANDAARD["decimaal"]
    if dtype == pl.Date:
        return _STANDAARD["datum"]
    if isinstance(dtype, pl.Datetime):
        return _STANDAARD["tijd"]
    return None


class _Boek:
    """An xlsxwriter workbook with a format cache."""

    def __init__(self, doel: io.BytesIO | Path) -> None:
        self.boek = xlsxwriter.Workbook(doel, {"in_memory": True})
        self.vet = self.boek.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
        self._formaten: dict[str, Any] = {}
        self._namen: set[str] = set()

    def formaat(self, num_format: str | None) -> Any:
        if num_format is None:
            return None
        if num_format not in self._formaten:
            self._formaten[num_format] = self.boek.add_format({"num_format": num_format})
        return self._formaten[num_format]

    def blad(self, naam: str, frame: pl.DataFrame, formaten: Mapping[str, Formaat]) -> None:
        blad = self.boek.add_worksheet(_bladnaam(naam, self._namen))
        breedtes = []
        for k, kolom in enumerate(frame.columns):
            kop = KOPPEN_NL.get(kolom, kolom)
            blad.write_string(0, k, kop, self.vet)
            opgegeven = formaten.get(kolom)
            breedte = len(kop)
            for r, x in enumerate(frame[kolom].to_list(), start=1):
                if isinstance(opgegeven, str):
                    nf = _excelformaat(opgegeven)
                elif opgegeven is not None:
                    nf = None if opgegeven[r - 1] is None else _excelformaat(opgegeven[r - 1])
                else:
                    nf = _standaard(frame.schema[kolom])
                breedte = max(breedte, self._schrijf(blad, r, k, x, nf))
            breedtes.append(min(breedte + 2, 60))
        for k, b in enumerate(breedtes):
            blad.set_column(k, k, b)
        blad.freeze_panes(1, 0)
        if frame.width:
            blad.autofilter(0, 0, max(frame.height, 1), frame.width - 1)

    def _schrijf(self, blad: Any, r: int, k: int, x: Any, nf: str | None) -> int:
        """Write one cell; returns its rough display width."""
        if x is None:
            return 0
        if isinstance(x, bool):
            blad.write_string(r, k, "ja" if x else "nee")
            return 3
        if isinstance(x, int | float | Decimal):
            blad.write_number(r, k, float(x), self.formaat(nf or _STANDAARD["decimaal"]))
            return len(f"{float(x):,.2f}") + 2
        if isinstance(x, datetime | date):
            blad.write_datetime(r, k, x, self.formaat(nf or _STANDAARD["datum"]))
            return 16 if isinstance(x, datetime) else 10
        tekst = str(x)
        blad.write_string(r, k, tekst)
        return len(tekst)

    def sluit(self) -> None:
        self.boek.close()


def tabellen_excel(
    bladen: pl.DataFrame | Mapping[str, pl.DataFrame],
    formaten: Mapping[str, Formaat] | None = None,
    doel: Path | None = None,
) -> bytes:
    """A workbook with one sheet per frame; numbers stay numbers, with a number format.

    `formaten`: per column a unit (aantal, dagen, aandeel, verhouding, euro) or an Excel
    format ('#,##0'); by default integers '#,##0', other numbers '#,##0.00', dates
    'dd-mm-yyyy'. Column names in KOPPEN_NL get their Dutch header.
    """
    if isinstance(bladen, pl.DataFrame):
        bladen = {"Tabel": bladen}
    buffer = io.BytesIO()
    boek = _Boek(buffer)
    try:
        for naam, frame in bladen.items():
            boek.blad(naam, frame, formaten or {})
    finally:
        boek.sluit()
    inhoud = buffer.getvalue()
    if doel is not None:
        Path(doel).write_bytes(inhoud)
    return inhoud


def _waarden(resultaat: pl.DataFrame) -> list[Any]:
    """The values; 'geheim' where the provider scope withheld one (kpi.scope.beveilig)."""
    if "geheim" not in resultaat.columns:
        return resultaat["waarde"].to_list()
    return [
        GEHEIM if geheim else waarde
        for waarde, geheim in zip(resultaat["waarde"], resultaat["geheim"], strict=True)
    ]


def kpi_excel(
    resultaat: pl.DataFrame,
    registry: Registry | None = None,
    namen: Mapping[str, Mapping[str, str]] | None = None,
    doel: Path | None = None,
) -> bytes:
    """The long KPI frame as a numeric workbook: sheet "KPI's" plus "Definities".

    Value, teller and noemer are numbers formatted by the KPI's unit (€, %, days, counts);
    `namen` ({'gemeente': {code: naam}, 'aanbieder': {...}}) adds name columns.
    """
    reg = registry or laad_registry()
    namen = namen or {}
    kpis = [reg[k] for k in resultaat["kpi"]]
    kolommen: dict[str, pl.Series | list] = {
        "KPI": [k.label for k in kpis],
        "KPI-code": resultaat["kpi"],
        "periode_start": resultaat["periode_start"],
        "periode_eind": resultaat["periode_eind"],
    }
    for d in ("gemeente", "domein", "segment", "subsegment", "aanbieder"):
        if resultaat[d].null_count() == resultaat.height:
            continue  # not grouped or filtered by it: all
        if d in namen:
            kolommen[KOPPEN_NL[d]] = [namen[d].get(c, c) if c else None for c in resultaat[d]]
            kolommen["AGB-code" if d == "aanbieder" else "Gemeentecode"] = resultaat[d]
        else:
            kolommen[d] = resultaat[d]
    kolommen.update(
        {
            "waarde": _waarden(resultaat),
            "Eenheid": [k.eenheid for k in kpis],
            "teller": resultaat["teller"],
            "noemer": resultaat["noemer"],
            "n": resultaat["n"],
            "voorlopig": resultaat["voorlopig"],
            "stoplicht": resultaat["stoplicht"],
            "Norm": [
                tabellen.norm_samenvatting(g, o, k.eenheid)
                for g, o, k in zip(
                    resultaat["norm_groen"], resultaat["norm_oranje"], kpis, strict=True
                )
            ],
        }
    )
    frame = pl.DataFrame(kolommen, strict=False)
    definities = pl.DataFrame(
        [
            {
                "KPI": k.label,
                "KPI-code": k.id,
                "Definitie": k.definitie,
                "Eenheid": k.eenheid,
                "Richting": tabellen.RICHTING.get(k.richting, k.richting),
                "Minimum n": k.min_n,
            }
            for k in reg
            if k.id in set(resultaat["kpi"])
        ]
    )
    formaten: dict[str, Formaat] = {
        "waarde": [k.eenheid for k in kpis],
        "teller": [k.eenheid_teller for k in kpis],
        "noemer": [k.eenheid_teller for k in kpis],
        "n": "aantal",
    }
    return tabellen_excel({"KPI's": frame, "Definities": definities}, formaten, doel)


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
