"""The message pipeline: every berichten source streams through the row checks into Parquet.

Messages are the one large input (tens of millions of rows nationally), so they never sit in
memory whole: each source is scanned lazily, checked and typed in one streaming pass into a
Parquet file in a work folder (every row, with `_fout` marking the rows that break a rule).
The few rejected rows are then read again to find the rule they break first, and go to
quarantine with their BSN already pseudonymised. The good rows keep their BSN in the work
file: the loader pseudonymises them in DuckDB (`pseudonimiseer`) and removes duplicates
across sources there (`sql/00_berichten.sql`); the work folder is deleted after the load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from datacontract.kolommen import BERICHTEN
from warehouse.controle import (
    eerste_fout,
    heeft_fout,
    met_typen,
    ongelezen_als_quarantaine,
    quarantaine_regels,
    typeregels,
)
from warehouse.lezen import BRON_BESTAND, BRON_REGEL, Ingelezen, LaadFout, open_bestand
from warehouse.pseudoniem import pseudoniemen
from warehouse.regels import Referentie, berichtregels, normaliseer_berichttype

# Output columns of a checked message row: as in table `berichten`, but with the BSN in place
# of client_id (the loader pseudonymises in DuckDB), and `_fout` for a row that breaks a rule.
UITVOER: dict[str, pl.DataType] = {
    "regel_id": pl.Int64,
    "bron_bestand": pl.String,
    "bron_regel": pl.Int32,
    "bericht_type": pl.String,
    "berichtsoort": pl.String,
    "domein": pl.String,
    "afzender": pl.String,
    "bericht_id": pl.String,
    "dagtekening": pl.Date,
    "gemeente": pl.String,
    "aanbieder": pl.String,
    "bsn": pl.String,
    "geboortejaar": pl.Int32,
    "toewijzingnummer": pl.String,
    "referentie_aanbieder": pl.String,
    "product_categorie": pl.String,
    "product_code": pl.String,
    "ingangsdatum": pl.Date,
    "einddatum": pl.Date,
    "reden_wijziging": pl.String,
    "begindatum": pl.Date,
    "einddatum_zorg": pl.Date,
    "reden_beeindiging": pl.String,
    "status_aanlevering": pl.String,
    "verzoek_antwoord": pl.String,
}
# The raw row kept in quarantine: never the BSN (its pseudonym instead) nor the date of birth.
RUWE_KOLOMMEN = [c for c in BERICHTEN.namen if c not in ("bsn", "geboortedatum")] + ["client_id"]
REGEL_ID_STAP = 1 << 40  # regel_id = source number × 2^40 + line: unique and in input order


@dataclass
class Berichtenresultaat:
    """Where the checked messages went, and how many rows each source had."""

    goed: list[Path] = field(default_factory=list)  # typed rows (good: not _fout), with BSN
    fout: list[Path] = field(default_factory=list)  # quarantine rows (ernst 'fout')
    invoer: dict[str, int] = field(default_factory=dict)  # input rows per source
    extra: dict[str, list[str]] = field(default_factory=dict)
    ongelezen: list[pl.DataFrame] = field(default_factory=list)  # unreadable lines, as quarantine
    codering: dict[str, str] = field(default_factory=dict)  # a CSV file's encoding


def verwerk_berichten(
    bronnen: list[tuple[Path | None, Ingelezen]],
    extract: Path,
    ref: Referentie,
    key: bytes,
    werkmap: Path,
) -> Berichtenresultaat:
    """Check every message source and write its good and rejected rows to `werkmap`."""
    werkmap.mkdir(parents=True, exist_ok=True)
    regels = typeregels(BERICHTEN) + berichtregels(ref)
    res = Berichtenresultaat()
    for i, (pad, bron) in enumerate(bronnen):
        goed_pad, fout_pad = werkmap / f"goed_{i:04d}.parquet", werkmap / f"fout_{i:04d}.parquet"
        try:
            _schrijf_bron(bron, i, regels, key, goed_pad, fout_pad)
        except pl.exceptions.ComputeError as exc:
            # a CSV with ragged lines only shows when all its fields are parsed
            if pad is None or pad.suffix.lower() != ".csv":
                raise LaadFout(bron.bestand, f"bestand kan niet gelezen worden ({exc})") from exc
            bron = open_bestand(pad, BERICHTEN, extract, regel_voor_regel=True)
            bronnen[i] = (pad, bron)
            _schrijf_bron(bron, i, regels, key, goed_pad, fout_pad)
        res.goed.append(goed_pad)
        res.fout.append(fout_pad)
        res.extra[bron.bestand] = bron.extra_kolommen
        if bron.codering:
            res.codering[bron.bestand] = bron.codering
        if bron.ongelezen is not None and bron.ongelezen.height:
            res.ongelezen.append(ongelezen_als_quarantaine(bron, "berichten"))
    for (_, bron), goed_pad in zip(bronnen, res.goed, strict=True):
        aantallen = (
            pl.scan_parquet(goed_pad)
            .select("bron_bestand")
            .group_by("bron_bestand")
            .len()
            .collect()
        )  # every row read, good or not
        for bestand, n in aantallen.iter_rows():
            res.invoer[bestand] = res.invoer.get(bestand, 0) + n
        if not bron.bestand.endswith("/"):  # a folder of XML files counts per file
            res.invoer.setdefault(bron.bestand, 0)
        if bron.ongelezen is not None:
            res.invoer[bron.bestand] += bron.ongelezen.height
    return res


def _schrijf_bron(
    bron: Ingelezen,
    nummer: int,
    regels: list,
    key: bytes,
    goed_pad: Path,
    fout_pad: Path,
) -> None:
    """Stream one source through the checks into Parquet; its rejected rows into quarantine."""
    volg = "_volg" if "_volg" in bron.frame.collect_schema() else BRON_REGEL
    _gecontroleerd(bron.frame, nummer, volg).with_columns(heeft_fout(regels).alias("_fout")).select(
        *_uitvoer(), pl.col("_fout")
    ).sink_parquet(goed_pad)
    # Only now, for the few rows that break a rule: which rule first, and the row as text.
    # They are read again from the source (the filter on the line number comes first).
    soort = bron.frame.collect_schema()[volg]
    fout_regels = (
        pl.scan_parquet(goed_pad)
        .filter(pl.col("_fout"))
        .select((pl.col("regel_id") - nummer * REGEL_ID_STAP).cast(soort))
        .collect()
        .to_series()
    )
    fout = bron.frame.filter(pl.col(volg).is_in(fout_regels.implode()))
    fout = _gecontroleerd(fout if fout_regels.len() else fout.head(0), nummer, volg).collect()
    bsns = fout.get_column("bsn").drop_nulls().unique().to_list()
    clienten = pl.DataFrame(
        {"bsn": bsns, "client_id": pseudoniemen(bsns, key)},
        schema={"bsn": pl.String, "client_id": pl.String},
    )
    fout = fout.join(clienten, on="bsn", how="left", maintain_order="left")
    quarantaine_regels(
        eerste_fout(fout, regels), "berichten", "fout", RUWE_KOLOMMEN, key, "bericht_type"
    ).write_parquet(fout_pad)


def _gecontroleerd(frame: pl.LazyFrame, nummer: int, volg: str) -> pl.LazyFrame:
    # within a source the line number is unique, except in the XML folder (one source of many
    # files, each numbering its own product lines): there a running number `_volg` is given
    lf = frame.with_columns((pl.lit(nummer * REGEL_ID_STAP) + pl.col(volg)).alias("_volgnr"))
    return met_typen(normaliseer_berichttype(lf), BERICHTEN)


def _uitvoer() -> list[pl.Expr]:
    getypt = {k.naam: pl.col(f"__{k.naam}") for k in BERICHTEN.kolommen}
    bron = {
        "regel_id": pl.col("_volgnr"),
        "bron_bestand": pl.col(BRON_BESTAND),
        "bron_regel": pl.col(BRON_REGEL),
        "bericht_type": pl.col("_n_bericht_type"),
        "berichtsoort": pl.col("_n_berichtsoort"),
        "domein": pl.col("_n_domein"),
        "afzender": pl.col("_n_afzender"),
        "bsn": pl.col("bsn"),
        "geboortejaar": getypt["geboortedatum"].dt.year(),
    }
    return [
        bron.get(naam, getypt.get(naam)).cast(dtype).alias(naam) for naam, dtype in UITVOER.items()
    ]
