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
    """One source as text: contract columns (missing optional ones as null) plus bookkeeping.

    `frame` is lazy so that large files stream; small tables simply collect it.
    """

    bestand: str
    # contract columns as String (date columns as Date where the file typed them and it was
    # opened with datums_getypt), plus _bron_bestand and _bron_regel
    frame: pl.LazyFrame
    extra_kolommen: list[str] = field(default_factory=list)
    ongelezen: pl.DataFrame | None = None  # lines that could not be split into columns


def bestanden_voor(extract: Path, tabel: str) -> list[Path]:
    """Files of one table: any file whose name starts with the table name, sorted by name."""
    return sorted(
        p
        for p in extract.iterdir()
        if p.is_file() and p.name.lower().startswith(tabel) and p.suffix.lower() in EXTENSIES
    )


def open_bestand(
    pad: Path,
    tabel: Tabel,
    extract: Path,
    regel_voor_regel: bool = False,
    datums_getypt: bool = False,
) -> Ingelezen:
    """Open one file of `tabel` as a lazy text frame; raise LaadFout when it cannot be read.

    CSV is scanned lazily; a file with ragged lines fails when collected, and is then opened
    again with `regel_voor_regel=True`, which reads it with the csv module and sets those lines
    aside in `ongelezen`. `datums_getypt`: a date column the file stores as a date (Parquet,
    Excel) stays a date instead of becoming text to be parsed again (controle.met_typen takes
    it as it is); for the messages, whose files are each checked on their own.
    """
    naam = str(pad.relative_to(extract))
    suffix = pad.suffix.lower()
    ongelezen = None
    try:
        if suffix == ".csv" and regel_voor_regel:
            df, ongelezen = _lees_csv_regel_voor_regel(pad)
            ruw, eerste_regel = df.lazy(), 2
        elif suffix == ".csv":
            ruw, eerste_regel = _scan_csv(pad), 2
        elif suffix == ".parquet":
            ruw, eerste_regel = pl.scan_parquet(pad), 1
        else:
            ruw, eerste_regel = _lees_excel(pad).lazy(), 2
        schema = ruw.collect_schema()
    except LaadFout:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means: cannot be read at all
        raise LaadFout(naam, _fouttekst(exc)) from exc

    namen = [_kolomnaam(c) for c in schema.names()]
    dubbel = sorted({c for c in namen if namen.count(c) > 1})
    if dubbel:
        raise LaadFout(naam, "kolom komt meer dan eens voor", kolom=dubbel[0])
    ruw = ruw.rename(dict(zip(schema.names(), namen, strict=True)))
    schema = pl.Schema(dict(zip(namen, schema.dtypes(), strict=True)))
    for kolom in tabel.kolommen:
        if kolom.verplicht and kolom.naam not in schema:
            raise LaadFout(naam, "verplichte kolom ontbreekt", kolom=kolom.naam)

    extra = [c for c in namen if c not in tabel.namen and not c.startswith("_")]
    if BRON_REGEL not in schema:
        ruw = ruw.with_row_index(BRON_REGEL, offset=eerste_regel)
    kolommen = [
        _als_datum(schema, k.naam)
        if datums_getypt and k.soort == Soort.DATUM and _is_datum(schema.get(k.naam))
        else _als_tekst(schema, k.naam, k.soort, k.breedte)
        for k in tabel.kolommen
    ]
    frame = ruw.select(
        *kolommen,
        pl.lit(naam).alias(BRON_BESTAND),
        pl.col(BRON_REGEL).cast(pl.Int64),
    )
    return Ingelezen(naam, frame, extra, ongelezen)


def lees_bestand(pad: Path, tabel: Tabel, extract: Path) -> Ingelezen:
    """Open and read a (small) file completely; ragged CSV lines are set aside, never lost."""
    bron = open_bestand(pad, tabel, extract)
    try:
        return Ingelezen(bron.bestand, bron.frame.collect().lazy(), bron.extra_kolommen)
    except pl.exceptions.ComputeError:
        if pad.suffix.lower() != ".csv":
            raise
    except Exception as exc:  # noqa: BLE001
        raise LaadFout(bron.bestand, _fouttekst(exc)) from exc
    bron = open_bestand(pad, tabel, extract, regel_voor_regel=True)
    return Ingelezen(bron.bestand, bron.frame.collect().lazy(), bron.extra_kolommen, bron.ongelezen)


def _fouttekst(exc: Exception) -> str:
    eerste = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"bestand kan niet gelezen worden ({type(exc).__name__}: {eerste})"


def _kolomnaam(naam: str) -> str:
    return naam.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _scheidingsteken(kop: str) -> str:
    return ";" if kop.count(";") > kop.count(",") else ","


def _scan_csv(pad: Path) -> pl.LazyFrame:
    with pad.open("r", encoding="utf-8-sig", errors="strict") as f:
        kop = f.readline()
    if not kop.strip():
        raise LaadFout(pad.name, "bestand is leeg")
    return pl.scan_csv(
        pad,
        separator=_scheidingsteken(kop),
        infer_schema=False,
        encoding="utf8",
        raise_if_empty=True,
        truncate_ragged_lines=False,
    )


def _lees_csv_regel_voor_regel(pad: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Slow path for a CSV with ragged lines: good lines kept, the others set aside."""
    with pad.open("r", encoding="utf-8-sig", newline="") as f:
        kop_tekst = f.readline()
    scheiding = _scheidingsteken(kop_tekst)
    with pad.open("r", encoding="utf-8-sig", newline="") as f:
        regels = list(csv.reader(f, delimiter=scheiding))
    kop, data = regels[0], regels[1:]
    goed, slecht = [], []
    for i, velden in enumerate(data, start=2):
        if len(velden) == len(kop):
            goed.append([*velden, str(i)])
        elif any(v.strip() for v in velden):
            slecht.append((i, len(velden), len(kop)))
    kolommen = [*kop, BRON_REGEL]
    if len(set(kolommen)) != len(kolommen):
        raise LaadFout(pad.name, "kolom komt meer dan eens voor")
    df = pl.DataFrame(goed, schema={k: pl.String for k in kolommen}, orient="row").with_columns(
        pl.col(BRON_REGEL).cast(pl.Int64)
    )
    ongelezen = pl.DataFrame(
        {
            BRON_REGEL: [s[0] for s in slecht],
            "reden": ["verkeerd aantal velden" for _ in slecht],
            "waarde": [f"{s[1]} velden, de kop {s[2]}" for s in slecht],
        },
        schema={BRON_REGEL: pl.Int64, "reden": pl.String, "waarde": pl.String},
    )
    return df, ongelezen


def _lees_excel(pad: Path) -> pl.DataFrame:
    buf = io.BytesIO(pad.read_bytes())
    return pl.read_excel(buf, infer_schema_length=None, drop_empty_rows=False)


def _is_datum(dtype: pl.DataType | None) -> bool:
    return dtype is not None and (dtype == pl.Date or isinstance(dtype, pl.Datetime))


def _als_datum(schema: pl.Schema, naam: str) -> pl.Expr:
    """A typed date column kept as a date (a date-time: its date, as the text path keeps)."""
    col = pl.col(naam)
    return (col if schema[naam] == pl.Date else col.dt.date()).alias(naam)


def _als_tekst(schema: pl.Schema, naam: str, soort: Soort, breedte: int | None) -> pl.Expr:
    """Column `naam` as trimmed text (null when empty); typed sources converted explicitly."""
    if naam not in schema:
        return pl.lit(None, dtype=pl.String).alias(naam)
    dtype = schema[naam]
    col = pl.col(naam)
    if dtype == pl.String:
        expr = col
    elif _is_datum(dtype):
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
