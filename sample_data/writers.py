"""Write extract files: berichten per year (CSV or Parquet), reference and finance tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import xlsxwriter

from datacontract.kolommen import BERICHTEN
from sample_data.dates import NA
from sample_data.messages import DATE_COLS, OPM_TEXT
from sample_data.reference import VEKTIS
from sample_data.trajectories import Table

_DATE_OUT = {
    "dag": "dagtekening",
    "ingang": "ingangsdatum",
    "eind": "einddatum",
    "begin": "begindatum",
    "eindzorg": "einddatum_zorg",
}
# Header spelling of the first year's CSV: column names are matched case-insensitively.
HEADER_VARIANT = {"bsn": "BSN", "dagtekening": "Dagtekening", "gemeente": "Gemeente"}
FIXED_TIME = dt.datetime(2025, 1, 2, 8, 0, 0)


@dataclass(frozen=True)
class FileSpec:
    """How one berichten file is written."""

    name: str
    kind: str  # "csv" | "parquet"
    sep: str = ","
    dates: str = "iso"  # "nl" | "iso" | "date"
    vektis: bool = False
    opmerking: bool = False
    header_variant: bool = False


@dataclass
class Lookup:
    """Per-region tables that turn the integer row columns into extract values."""

    gem_codes: list[str]  # gemeente codes, then unknown codes
    agb: list[str]
    prod_codes: list[str]  # products, then unknown codes
    prod_cats: list[str]
    bsn: np.ndarray  # per client
    birth: np.ndarray  # per client
    tnr: np.ndarray  # toewijzingnummer per period
    region: int


def _gather(values: list[str] | pl.Series, idx: np.ndarray) -> pl.Series:
    s = values if isinstance(values, pl.Series) else pl.Series(values, dtype=pl.String)
    out = s.gather(np.maximum(idx, 0))
    missing = np.flatnonzero(idx < 0)
    return out.scatter(missing, None) if missing.size else out


def _code(v: np.ndarray, width: int) -> pl.Series:
    s = pl.Series(v).cast(pl.String).str.zfill(width)
    missing = np.flatnonzero(v < 0)
    return s.scatter(missing, None) if missing.size else s


def _date(v: np.ndarray) -> pl.Series:
    s = pl.Series(np.where(v == NA, 0, v).astype(np.int32)).cast(pl.Date)
    missing = np.flatnonzero(v == NA)
    return s.scatter(missing, None) if missing.size else s


def berichten_frame(rows: Table, lk: Lookup, spec: FileSpec) -> pl.DataFrame:
    """The extract columns for message rows, in the file's format."""
    n = rows["soort"].size
    soort = pl.Series(rows["soort"]).cast(pl.String)
    prefix = pl.Series(np.where(rows["dom"] == 0, "JW", "WMO"))
    btype = prefix + soort
    if spec.vektis:
        vek = {
            f"{'JW' if d == 'jeugd' else 'WMO'}{k}": v
            for d, m in VEKTIS.items()
            for k, v in m.items()
        }
        gem_code = _gather(lk.gem_codes, rows["gem"])
        use = gem_code.str.ends_with("4")
        btype = pl.select(pl.when(use).then(btype.replace_strict(vek)).otherwise(btype)).to_series()
    has_client = rows["client"] >= 0
    bsn_val = np.where(rows["bad_bsn"] >= 0, rows["bad_bsn"], lk.bsn[np.maximum(rows["client"], 0)])
    birth = np.where(
        has_client & ~np.isin(rows["soort"], [317, 319]),
        lk.birth[np.maximum(rows["client"], 0)],
        NA,
    )
    with_tnr = (rows["per"] >= 0) & np.isin(rows["soort"], [301, 305, 307, 317])
    tnr = np.where(with_tnr, lk.tnr[np.maximum(rows["per"], 0)], -1)
    ref = f"RA{lk.region + 1:02d}-" + pl.Series(rows["ref"]).cast(pl.String).str.zfill(7)
    ref = ref.scatter(np.flatnonzero(rows["ref"] < 0), None)
    cols: dict[str, pl.Series] = {
        "bericht_type": btype,
        "bericht_id": pl.Series(rows["bid"]).cast(pl.String),
        "gemeente": _gather(lk.gem_codes, rows["gem"]),
        "aanbieder": _gather(lk.agb, rows["prov"]),
        "bsn": _code(np.where(has_client, bsn_val, -1), 9),
        "geboortedatum": _date(birth),
        "toewijzingnummer": _code(tnr, 1),
        "product_categorie": _gather(lk.prod_cats, rows["prod"]),
        "product_code": _gather(lk.prod_codes, rows["prod"]),
        "reden_wijziging": _code(rows["rw"], 2),
        "reden_beeindiging": _code(rows["rb"], 2),
        "status_aanlevering": _code(rows["status"], 1),
        "verzoek_antwoord": _code(rows["antwoord"], 1),
        "referentie_aanbieder": ref,
    }
    for src, name in _DATE_OUT.items():
        cols[name] = _date(rows[src])
    df = pl.DataFrame(cols).select(BERICHTEN.namen)  # in the data contract's order
    if spec.dates != "date":
        fmt = "%d-%m-%Y" if spec.dates == "nl" else "%Y-%m-%d"
        df = df.with_columns(
            [pl.col(c).dt.to_string(fmt) for c in (*_DATE_OUT.values(), "geboortedatum")]
        )
        bad = rows["bad_col"]
        if (bad >= 0).any():
            df = df.with_columns(_bad_dates(rows, spec.dates))
    if spec.opmerking:
        texts = [OPM_TEXT.get(i, "") for i in range(max(OPM_TEXT) + 1)]
        df = df.with_columns(opmerking=_gather(texts, rows["opm"]).replace("", None))
    if spec.header_variant:
        df = df.rename(HEADER_VARIANT)
    assert len(df) == n
    return df


def _bad_dates(rows: Table, style: str) -> list[pl.Expr]:
    """Calendar-impossible dates in the file's own notation, for rows with bad_col set."""
    exprs = []
    for k, src in enumerate(DATE_COLS):
        m = rows["bad_col"] == k
        if not m.any():
            continue
        d = pl.Series(np.where(rows[src] == NA, 0, rows[src]).astype(np.int32)).cast(pl.Date)
        year = d.dt.year().cast(pl.String)
        day2 = d.dt.day().cast(pl.String).str.zfill(2)
        alt = pl.Series(rows["msg"] % 2 == 0)
        if style == "nl":
            bad = pl.select(
                pl.when(alt).then("30-02-" + year).otherwise(day2 + "-13-" + year)
            ).to_series()
        else:
            bad = pl.select(
                pl.when(alt).then(year + "-02-30").otherwise(year + "-13-" + day2)
            ).to_series()
        name = _DATE_OUT[src]
        exprs.append(pl.when(pl.Series(m)).then(bad).otherwise(pl.col(name)).alias(name))
    return exprs


class BerichtenSink:
    """Appends berichten frames to one file per spec (CSV or Parquet) and counts rows."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, int] = {}
        self._parquet: dict[str, pq.ParquetWriter] = {}

    def write(self, spec: FileSpec, df: pl.DataFrame) -> None:
        path = self.folder / spec.name
        first = spec.name not in self.rows
        self.rows[spec.name] = self.rows.get(spec.name, 0) + len(df)
        if spec.kind == "csv":
            with path.open("wb" if first else "ab") as fh:
                df.write_csv(fh, separator=spec.sep, include_header=first)
        else:
            table = df.to_arrow()
            if first:
                self._parquet[spec.name] = pq.ParquetWriter(path, table.schema, compression="zstd")
            self._parquet[spec.name].write_table(table)

    def close(self) -> None:
        for w in self._parquet.values():
            w.close()
        self._parquet.clear()


def write_table(df: pl.DataFrame, path: Path, sep: str = ",") -> int:
    """Write a small table by suffix (.csv, .parquet, .xlsx); returns the number of rows."""
    if path.suffix == ".csv":
        df.write_csv(path, separator=sep)
    elif path.suffix == ".parquet":
        df.write_parquet(path, compression="zstd")
    elif path.suffix == ".xlsx":
        write_xlsx(df, path)
    else:
        raise ValueError(f"unknown table format: {path.name}")
    return len(df)


def write_xlsx(df: pl.DataFrame, path: Path) -> None:
    """An Excel sheet with a header row; strings stay text, dates get a date format."""
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})
    wb.set_properties({"created": FIXED_TIME, "author": "stoplicht sample_data"})
    ws = wb.add_worksheet(path.stem)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})
    for c, name in enumerate(df.columns):
        ws.write_string(0, c, name, bold)
    for c, (name, dtype) in enumerate(df.schema.items()):
        for r, v in enumerate(df[name].to_list(), start=1):
            if v is None:
                continue
            if dtype == pl.String:
                ws.write_string(r, c, v)
            elif dtype == pl.Date:
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
            else:
                ws.write_number(r, c, v)
    wb.close()
