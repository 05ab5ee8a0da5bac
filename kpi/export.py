"""Write the long form to CSV, Parquet or Excel (Excel for people: Dutch headers and formats)."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import polars as pl
import xlsxwriter

from kpi.filters import DIMENSIES
from kpi.periode import Periode
from kpi.registry import Registry, laad_registry

KOPPEN_NL = {
    "kpi": "KPI",
    "label": "Omschrijving",
    "periode_start": "Periode van",
    "periode_eind": "Periode t/m",
    "gemeente": "Gemeente",
    "domein": "Domein",
    "segment": "Segment",
    "subsegment": "Subsegment",
    "aanbieder": "Aanbieder",
    "waarde": "Waarde",
    "teller": "Teller",
    "noemer": "Noemer",
    "n": "n",
    "voorlopig": "Voorlopig",
    "norm_groen": "Norm groen",
    "norm_oranje": "Norm oranje",
    "stoplicht": "Stoplicht",
    "niet_berekend": "Niet berekend, want",
    # a forecast's own columns (kpi/prognose/overzicht.py, EXPORT_KOLOMMEN)
    "soort": "Soort",
    "interval_onder": "Interval 80 % onder",
    "interval_boven": "Interval 80 % boven",
    "volloop_datum": "Volloopdatum",
    "signaal": "Signaal",
    "contracten": "Contracten",
    "zonder_prognose": "Waarvan zonder prognose",
    "toelichting": "Toelichting",
}
# columns in the unit of the value (Excel format by the KPI's eenheid)
IN_EENHEID_WAARDE = ("waarde", "interval_onder", "interval_boven")
# The export's own columns: why a KPI gives no figure for a period or group (empty where it
# does), and what a figure covers where that is less than its period (e.g. the year to date,
# or a forecast over part of the contracts).
NIET_BEREKEND = "niet_berekend"
TOELICHTING = "toelichting"
# Excel number formats per unit (Excel shows them with the reader's Dutch separators).
EXCEL_FORMAAT = {
    "aantal": "#,##0",
    "dagen": "#,##0.0",
    "aandeel": "0.0%",
    "verhouding": "0.0%",
    "euro": '"€" #,##0.00',
}


# A text cell that starts like this is run as a formula by Excel or LibreOffice when a CSV is
# opened (OWASP "CSV injection"): =, +, -, @, tab, carriage return.
FORMULE_BEGIN = r"^[=+\-@\t\r]"
# ... unless the whole cell is a number as the product writes one ('-12', '-1.234,5', '-12,5 %',
# '-0.25'): a spreadsheet reads that as the number, and it stays a number.
_GETAL = r"^[+-]?\d[\d.,]*( ?%)?$"


def zonder_formules(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would evaluate get a leading "'"; numbers stay numbers.

    For every CSV the product writes for people (kpi export, the dashboard's downloads).
    Numeric columns are untouched, and so is text that is just a number.
    """
    tekst = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULE_BEGIN) & ~pl.col(c).str.contains(_GETAL))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in tekst
    )


def is_formule(tekst: str) -> bool:
    """True when a spreadsheet would evaluate this text cell (the test of `zonder_formules`)."""
    return bool(re.match(FORMULE_BEGIN, tekst)) and not re.match(_GETAL, tekst)


def _als_tekst(uitkomst: pl.DataFrame) -> pl.DataFrame:
    """Decimals as plain text without trailing zeros ('2', '0.5', '14600.25')."""
    decimalen = [c for c, t in uitkomst.schema.items() if isinstance(t, pl.Decimal)]
    return uitkomst.with_columns(
        pl.col(c).cast(pl.String).str.replace(r"(\.\d*?)0+$", "${1}").str.replace(r"\.$", "")
        for c in decimalen
    )


def met_redenen(
    uitkomst: pl.DataFrame,
    redenen: Iterable[tuple[str, Periode, str]],
    groepen: Iterable[tuple[str, Periode, Mapping[str, str], str]] = (),
    toelichtingen: Iterable[tuple[str, Periode, str]] = (),
) -> pl.DataFrame:
    """The long form with columns `niet_berekend` and `toelichting`: one row per KPI and
    period that gives no figure (`redenen`: kpi, period and the reason; no value, no
    stoplicht), and one per group that gives none (`groepen`: with the group's values of the
    dimensions); the note of `toelichtingen` on every row of its KPI and period. Where the
    long form holds these columns already (a forecast's group without a figure, its coverage
    note), its own text comes first."""
    sleutel = {"kpi": pl.String, "periode_start": pl.Date, "periode_eind": pl.Date}
    rijen = pl.DataFrame(
        [
            {"kpi": kpi, "periode_start": p.start, "periode_eind": p.eind, NIET_BEREKEND: reden}
            for kpi, p, reden in redenen
        ]
        + [
            {"kpi": kpi, "periode_start": p.start, "periode_eind": p.eind, **groep,
             NIET_BEREKEND: reden}
            for kpi, p, groep, reden in groepen
        ],
        schema={**sleutel, **{d: pl.String for d in DIMENSIES}, NIET_BEREKEND: pl.String},
    )  # fmt: skip
    leeg = uitkomst
    if NIET_BEREKEND not in uitkomst.columns:
        leeg = uitkomst.with_columns(pl.lit(None, pl.String).alias(NIET_BEREKEND))
    uit = pl.concat([leeg, rijen], how="diagonal_relaxed").select(leeg.columns)
    noten = pl.DataFrame(
        [
            {"kpi": kpi, "periode_start": p.start, "periode_eind": p.eind, "_noot": noot}
            for kpi, p, noot in toelichtingen
        ],
        schema={**sleutel, "_noot": pl.String},
    )
    uit = uit.join(noten, on=list(sleutel), how="left", maintain_order="left")
    eigen = pl.col(TOELICHTING) if TOELICHTING in uit.columns else pl.lit(None, pl.String)
    return uit.with_columns(pl.coalesce(eigen, pl.col("_noot")).alias(TOELICHTING)).drop("_noot")


def schrijf_csv(uitkomst: pl.DataFrame, doel: Path | IO[str]) -> None:
    """CSV with ',' as separator and '.' as decimal point; no text cell runs as a formula."""
    zonder_formules(_als_tekst(uitkomst)).write_csv(doel)


# ---------------------------------------------------------------- Excel
# Excel with real numbers: numeric cells carrying an Excel number format, Dutch headers.
# Excel shows '#,##0.0' and '0.0%' with the reader's own separators, so a Dutch Excel shows
# '1.234,5' and '12,5%' while the cell still holds the number (sums and charts keep working).

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
        """Write one cell (text never as a formula); returns its rough display width."""
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


def werkboek(
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


# The long frame's columns the KPI sheet shows in its own way; any other column with a Dutch
# header (niet_berekend, toelichting, a forecast's columns) follows them as it is.
_EIGEN_KOLOMMEN = frozenset(
    {"kpi", "periode_start", "periode_eind", *DIMENSIES, "waarde", "teller", "noemer", "n",
     "voorlopig", "stoplicht", "norm_groen", "norm_oranje", "norm_deel", "geheim", "label"}
)  # fmt: skip
NormTekst = Callable[[str | None, str | None, str], str]


def _waarden(uitkomst: pl.DataFrame, geheim: str) -> list[Any]:
    """The values; `geheim` where the provider scope withheld one (kpi.scope.beveilig)."""
    if "geheim" not in uitkomst.columns:
        return uitkomst["waarde"].to_list()
    return [
        geheim if is_geheim else waarde
        for waarde, is_geheim in zip(uitkomst["waarde"], uitkomst["geheim"], strict=True)
    ]


def kpi_werkboek(
    uitkomst: pl.DataFrame,
    registry: Registry | None = None,
    namen: Mapping[str, Mapping[str, str]] | None = None,
    normtekst: NormTekst | None = None,
    richtingen: Mapping[str, str] | None = None,
    geheim: str = "geheim",
    doel: Path | None = None,
) -> bytes:
    """The long KPI frame as a numeric workbook, the one layout of every KPI Excel (the
    kpi export's .xlsx, the dashboard's "Excel (getallen)"): sheet "KPI's" plus "Definities".

    Per row the KPI's label and code, the period, the dimensions it is grouped or filtered
    by (`namen`, {'gemeente': {code: naam}, 'aanbieder': {...}}, adds their names), value,
    unit, teller, noemer, n, voorlopig, stoplicht, the norm, and the export's own columns.
    Value, teller and noemer are numbers formatted by the KPI's unit (€, %, days, counts);
    a value the provider scope withheld reads `geheim`. The norm is one column "Norm" by
    `normtekst(groen, oranje, eenheid)` (the readers' text, from weergave), else the norm
    columns as the export writes them. `richtingen` names the directions on "Definities".
    """
    reg = registry or laad_registry()
    namen = namen or {}
    kpis = [reg[k] for k in uitkomst["kpi"]]
    kolommen: dict[str, pl.Series | list] = {
        "KPI": [k.label for k in kpis],
        "KPI-code": uitkomst["kpi"],
        "periode_start": uitkomst["periode_start"],
        "periode_eind": uitkomst["periode_eind"],
    }
    for d in DIMENSIES:
        if uitkomst[d].null_count() == uitkomst.height:
            continue  # not grouped or filtered by it: all
        if d in namen:
            kolommen[KOPPEN_NL[d]] = [namen[d].get(c, c) if c else None for c in uitkomst[d]]
            kolommen["AGB-code" if d == "aanbieder" else "Gemeentecode"] = uitkomst[d]
        else:
            kolommen[d] = uitkomst[d]
    kolommen.update(
        {
            "waarde": _waarden(uitkomst, geheim),
            "Eenheid": [k.eenheid for k in kpis],
            "teller": uitkomst["teller"],
            "noemer": uitkomst["noemer"],
            "n": uitkomst["n"],
            "voorlopig": uitkomst["voorlopig"],
            "stoplicht": uitkomst["stoplicht"],
        }
    )
    if normtekst is not None:
        kolommen["Norm"] = [
            normtekst(g, o, k.eenheid)
            for g, o, k in zip(uitkomst["norm_groen"], uitkomst["norm_oranje"], kpis, strict=True)
        ]
    else:
        for k in ("norm_groen", "norm_oranje", "norm_deel"):
            kolommen[k] = uitkomst[k]
    for k in uitkomst.columns:
        if k not in _EIGEN_KOLOMMEN and k in KOPPEN_NL:
            kolommen[k] = uitkomst[k]
    frame = pl.DataFrame(kolommen, strict=False)
    richtingen = richtingen or {}
    definities = pl.DataFrame(
        [
            {
                "KPI": k.label,
                "KPI-code": k.id,
                "Definitie": k.definitie,
                "Eenheid": k.eenheid,
                "Richting": richtingen.get(k.richting, k.richting),
                "Minimum n": k.min_n,
            }
            for k in reg
            if k.id in set(uitkomst["kpi"])
        ]
    )
    formaten: dict[str, Formaat] = {
        "waarde": [k.eenheid for k in kpis],
        "teller": [k.eenheid_teller for k in kpis],
        "noemer": [k.eenheid_teller for k in kpis],
        "n": "aantal",
        **{k: [k_.eenheid for k_ in kpis] for k in IN_EENHEID_WAARDE if k != "waarde"},
    }
    return werkboek({"KPI's": frame, "Definities": definities}, formaten, doel)


def schrijf(uitkomst: pl.DataFrame, doel: str) -> None:
    """Write by the target's extension: .csv, .parquet, .xlsx, or '-' for CSV on stdout."""
    if doel == "-":
        schrijf_csv(uitkomst, sys.stdout)
        return
    pad = Path(doel)
    soort = pad.suffix.lower()
    if soort == ".csv":
        schrijf_csv(uitkomst, pad)
    elif soort == ".parquet":
        uitkomst.write_parquet(pad)
    elif soort == ".xlsx":
        kpi_werkboek(uitkomst, doel=pad)
    else:
        raise ValueError(f"onbekend uitvoerformaat {soort!r}; gebruik .csv, .parquet, .xlsx of -")
