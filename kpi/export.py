"""Write the long form to CSV, Parquet or Excel (Excel for people: Dutch headers and formats)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from datetime import date
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


def schrijf_excel(uitkomst: pl.DataFrame, pad: Path, registry: Registry | None = None) -> None:
    """An Excel workbook for people: Dutch headers, number formats by unit, a definitions sheet."""
    registry = registry or laad_registry()
    kolommen = ["kpi", "label", *(c for c in uitkomst.columns if c != "kpi")]
    boek = xlsxwriter.Workbook(str(pad))
    try:
        vet = boek.add_format({"bold": True})
        datum = boek.add_format({"num_format": "dd-mm-yyyy"})
        formaten = {e: boek.add_format({"num_format": f}) for e, f in EXCEL_FORMAAT.items()}
        blad = boek.add_worksheet("KPI's")
        for k, kolom in enumerate(kolommen):
            blad.write_string(0, k, KOPPEN_NL.get(kolom, kolom), vet)
        for r, rij in enumerate(uitkomst.iter_rows(named=True), start=1):
            kpi = registry.get(rij["kpi"])
            waarde_formaat = formaten.get(kpi.eenheid) if kpi else None
            teller_formaat = formaten.get(kpi.eenheid_teller) if kpi else None
            for k, kolom in enumerate(kolommen):
                x: Any = kpi.label if kolom == "label" and kpi else rij.get(kolom)
                if x is None:
                    continue
                if isinstance(x, date):
                    blad.write_datetime(r, k, x, datum)
                elif isinstance(x, Decimal):
                    formaat = waarde_formaat if kolom in IN_EENHEID_WAARDE else teller_formaat
                    blad.write_number(r, k, float(x), formaat)
                elif isinstance(x, str):
                    blad.write_string(r, k, x)  # never a formula, whatever the text
                else:
                    blad.write(r, k, x)
        blad.freeze_panes(1, 0)
        blad.autofilter(0, 0, uitkomst.height, len(kolommen) - 1)
        definities = boek.add_worksheet("Definities")
        for k, kop in enumerate(("KPI", "Omschrijving", "Definitie", "Eenheid", "Richting")):
            definities.write_string(0, k, kop, vet)
        for r, kpi in enumerate(registry, start=1):
            for k, x in enumerate((kpi.id, kpi.label, kpi.definitie, kpi.eenheid, kpi.richting)):
                definities.write_string(r, k, str(x))
    finally:
        boek.close()


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
        schrijf_excel(uitkomst, pad)
    else:
        raise ValueError(f"onbekend uitvoerformaat {soort!r}; gebruik .csv, .parquet, .xlsx of -")
