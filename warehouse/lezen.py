"""Read extract files (CSV, Parquet, Excel) into all-text Polars frames with their line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from warehouse.kolommen import Soort, Tabel

BRON_BESTAND = "_bron_bestand"
BRON_REGEL = "_bron_regel"
EXTENSIES = (".csv", ".parquet", ".xlsx")


class LaadFout(Exception):
    """An extract that cannot be loaded at all; names the file and, where known, the column."""

    def __init__(self, bestand: str, melding: str, kolom: str | None = None) -> None:
        self.bestand = bestand
        self.kolom = kolom
        self.melding = melding
        waar = f"{bestand}" + (f", kolom '{kolom}'" if kolom else "")
        super().__init__(f"{waar}: {melding}")


@dataclass
class Ingelezen:
    """One file read as text: contract columns (missing optional ones as null) plus bookkeeping."""

    bestand: str
    frame: pl.DataFrame  # contract columns as String, plus _bron_bestand and _bron_regel
    extra_kolommen: list[str] = field(default_factory=list)
    ongelezen: pl.DataFrame | None = None  # lines that could not be split into columns


def bestanden_voor(extract: Path, tabel: str) -> list[Path]:
    """Files of one table: any file whose name starts with the table name, sorted by name."""
    return sorted(
        p
        for p in extract.iterdir()
        if p.is_file() and p.name.lower().startswith(tabel) and p.suffix.lower() in EXTENSIES
    )


def lees_bestand(pad: Path, tabel: Tabel, extract: Path) -> Ingelezen:
    """Read one file of `tabel` into text columns; raise LaadFout when it cannot be read."""
    naam = str(pad.relative_to(extract))
    suffix = pad.suffix.lower()
    ongelezen = None
    try:
        if suffix == ".csv":
            ruw, ongelezen, eerste_regel = _lees_csv(pad)
        elif suffix == ".parquet":
            ruw, eerste_regel = pl.read_parquet(pad), 1
        else:
            ruw, eerste_regel = _lees_excel(pad), 2
    except LaadFout:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means: cannot be read at all
        raise LaadFout(
            naam, f"bestand kan niet gelezen worden ({type(exc).__name__}: {exc})"
        ) from exc

    ruw = ruw.rename({c: _kolomnaam(c) for c in ruw.columns})
    dubbel = {c for c in ruw.columns if ruw.columns.count(c) > 1}
    if dubbel:
        raise LaadFout(naam, "kolom komt meer dan eens voor", kolom=sorted(dubbel)[0])
    for kolom in tabel.kolommen:
        if kolom.verplicht and kolom.naam not in ruw.columns:
            raise LaadFout(naam, "verplichte kolom ontbreekt", kolom=kolom.naam)

    extra = [c for c in ruw.columns if c not in tabel.namen and not c.startswith("_")]
    if BRON_REGEL not in ruw.columns:
        ruw = ruw.with_row_index(BRON_REGEL, offset=eerste_regel)
    kolommen = [_als_tekst(ruw, k.naam, k.soort, k.breedte) for k in tabel.kolommen]
    frame = ruw.select(
        *kolommen,
        pl.lit(naam).alias(BRON_BESTAND),
        pl.col(BRON_REGEL).cast(pl.Int64),
    )
    return Ingelezen(naam, frame, extra, ongelezen)


def _kolomnaam(naam: str) -> str:
    return naam.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _scheidingsteken(kop: str) -> str:
    return ";" if kop.count(";") > kop.count(",") else ","


def _lees_csv(pad: Path) -> tuple[pl.DataFrame, pl.DataFrame | None, int]:
    """Fast path with Polars; lines with the wrong number of fields fall back to the csv module."""
    tekst_kop = pad.open("r", encoding="utf-8-sig", errors="strict").readline()
    scheiding = _scheidingsteken(tekst_kop)
    try:
        df = pl.read_csv(
            pad,
            separator=scheiding,
            infer_schema=False,
            encoding="utf8",
            raise_if_empty=True,
            truncate_ragged_lines=False,
        )
        return df, None, 2
    except pl.exceptions.NoDataError as exc:
        raise LaadFout(pad.name, "bestand is leeg") from exc
    except pl.exceptions.ComputeError:
        pass  # ragged lines: read line by line below so that no line is lost
    with pad.open("r", encoding="utf-8-sig", newline="") as f:
        regels = list(csv.reader(f, delimiter=scheiding))
    kop, data = regels[0], regels[1:]
    goed, slecht = [], []
    for i, velden in enumerate(data, start=2):
        if len(velden) == len(kop):
            goed.append([*velden, str(i)])
        elif any(v.strip() for v in velden):
            slecht.append((i, scheiding.join(velden), len(velden), len(kop)))
    kolommen = [*kop, BRON_REGEL]
    if len(set(kolommen)) != len(kolommen):
        raise LaadFout(pad.name, "kolom komt meer dan eens voor")
    df = pl.DataFrame(goed, schema={k: pl.String for k in kolommen}, orient="row").with_columns(
        pl.col(BRON_REGEL).cast(pl.Int64)
    )
    ongelezen = pl.DataFrame(
        {
            BRON_REGEL: [s[0] for s in slecht],
            "ruwe_regel": [s[1] for s in slecht],
            "reden": [f"regel heeft {s[2]} velden, de kop {s[3]}" for s in slecht],
        },
        schema={BRON_REGEL: pl.Int64, "ruwe_regel": pl.String, "reden": pl.String},
    )
    return df, ongelezen, 2


def _lees_excel(pad: Path) -> pl.DataFrame:
    buf = io.BytesIO(pad.read_bytes())
    return pl.read_excel(buf, infer_schema_length=None, drop_empty_rows=False)


def _als_tekst(df: pl.DataFrame, naam: str, soort: Soort, breedte: int | None) -> pl.Expr:
    """Column `naam` as trimmed text (null when empty); typed sources converted explicitly."""
    if naam not in df.columns:
        return pl.lit(None, dtype=pl.String).alias(naam)
    dtype = df.schema[naam]
    col = pl.col(naam)
    if dtype == pl.String:
        expr = col
    elif dtype == pl.Date or isinstance(dtype, pl.Datetime):
        expr = col.dt.strftime("%Y-%m-%d")
    elif dtype.is_integer():
        expr = col.cast(pl.String)
        if breedte:
            expr = expr.str.zfill(breedte)
    elif dtype.is_float():
        heel = col.round(0) == col
        tekst = (
            pl.when(heel).then(col.cast(pl.Int64).cast(pl.String)).otherwise(col.cast(pl.String))
        )
        expr = tekst.str.zfill(breedte) if breedte and soort == Soort.CODE else tekst
    else:
        expr = col.cast(pl.String)
    expr = expr.str.strip_chars()
    return pl.when(expr == "").then(None).otherwise(expr).alias(naam)
