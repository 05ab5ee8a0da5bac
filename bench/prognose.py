"""Backtest of the forecast (kpi/prognose): `python -m bench.prognose --extract DIR --map DIR`.

For every contract of the extract, forecast the zorgdagen of a contract year from a peildatum
inside it, using only what was known on the peildatum, and compare with the zorgdagen
realised over the whole contract year. Reported per segment: the mean absolute percentage
error (MAPE) of the method beside a naive linear extrapolation of the realisation to date
(zorgdagen to date × days of the year / days elapsed), the weighted error (WAPE), and how
often the realised figure fell inside the forecast's 80 % interval. Not a test.

What was known on the peildatum: the extract with only the messages whose dagtekening lies on
or before it (the raw XML messages likewise), voorschotten and uitgaven up to it; contracts,
products, providers and budgets as they are. That extract is loaded into its own warehouse, so
the forecast cannot see a stop message sent later (which would tell it the very end it has to
forecast). The realisation comes from the whole extract, loaded as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from kpi.berekening import Berekening, bereken
from kpi.eenhedensets import GEDEELD
from kpi.periode import Periode
from kpi.prognose import eenheden as prognose_eenheden
from kpi.prognose.eenheden import bereken_prognose
from kpi.prognose.methode import Z80
from warehouse.laden import laad_extract

_DAGTEKENING_XML = re.compile(rb"Dagtekening>(\d{4}-\d{2}-\d{2})<")
_DATUMVORMEN = ("%d-%m-%Y", "%Y-%m-%d")
# per finance file: the date column that says when it became known
_BEKEND_OP = {"voorschotten": "maand", "uitgaven": "boekdatum"}


def _scheidingsteken(pad: Path) -> str:
    with pad.open(encoding="utf-8-sig") as f:
        kop = f.readline()
    return ";" if kop.count(";") > kop.count(",") else ","


def _datumkolom(frame: pl.DataFrame, naam: str) -> str | None:
    return next((k for k in frame.columns if k.lower() == naam), None)


def _als_datum(kolom: pl.Expr) -> pl.Expr:
    return pl.coalesce([kolom.str.to_date(v, strict=False) for v in _DATUMVORMEN])


def _tot_en_met(frame: pl.DataFrame, kolom: str, peildatum: date) -> pl.DataFrame:
    """Rows known on the peildatum; a row whose date does not parse stays (the load judges it)."""
    waarde = pl.col(kolom)
    if frame.schema[kolom] == pl.String:
        waarde = _als_datum(waarde)
    elif frame.schema[kolom] != pl.Date:
        waarde = waarde.cast(pl.Date)
    return frame.filter(waarde.is_null() | (waarde <= peildatum))


def schrijf_extract_op(extract: Path, doel: Path, peildatum: date) -> dict[str, int]:
    """Copy `extract` to `doel` as it was known on `peildatum`; returns rows kept per file."""
    if doel.exists():
        shutil.rmtree(doel)
    doel.mkdir(parents=True)
    bewaard: dict[str, int] = {}
    for pad in sorted(extract.iterdir()):
        tabel = pad.name.split(".")[0].split("_")[0].lower()
        kolom = "dagtekening" if tabel == "berichten" else _BEKEND_OP.get(tabel)
        if pad.is_dir() and pad.name == "xml":
            (doel / "xml").mkdir()
            for bericht in sorted(pad.glob("*.xml")):
                gevonden = _DAGTEKENING_XML.search(bericht.read_bytes())
                if gevonden is None or date.fromisoformat(gevonden[1].decode()) <= peildatum:
                    shutil.copy2(bericht, doel / "xml" / bericht.name)
            bewaard["xml"] = len(list((doel / "xml").iterdir()))
        elif kolom is None or pad.suffix not in (".csv", ".parquet"):
            shutil.copy2(pad, doel / pad.name)
        elif pad.suffix == ".csv":
            teken = _scheidingsteken(pad)
            frame = pl.read_csv(pad, separator=teken, infer_schema=False, encoding="utf8")
            frame = _tot_en_met(frame, _datumkolom(frame, kolom) or kolom, peildatum)
            frame.write_csv(doel / pad.name, separator=teken)
            bewaard[pad.name] = frame.height
        else:
            frame = pl.read_parquet(pad)
            frame = _tot_en_met(frame, _datumkolom(frame, kolom) or kolom, peildatum)
            frame.write_parquet(doel / pad.name)
            bewaard[pad.name] = frame.height
    return bewaard


@contextlib.contextmanager
def zonder_toewijzingsgrens():
    """Diagnosis only, not the method: the clients in care as if their toewijzing had no
    einddatum (only the period's end caps them), to measure what that cap does."""
    origineel = prognose_eenheden._query

    def query(bron, naam, **params):  # noqa: ANN001, ANN202
        frame = origineel(bron, naam, **params)
        return frame.with_columns(einde=pl.lit(None, pl.Date)) if naam == "in_zorg" else frame

    GEDEELD.leeg()  # the forecast is kept per load: compute it again, and again after
    prognose_eenheden._query = query
    try:
        yield
    finally:
        prognose_eenheden._query = origineel
        GEDEELD.leeg()


def vergelijking(
    con_peil: duckdb.DuckDBPyConnection,
    con_volledig: duckdb.DuckDBPyConnection,
    periode: Periode,
    peildatum: date,
) -> pl.DataFrame:
    """Per contract: forecast (with interval), naive extrapolation and realisation; also the
    interval without the survival curve's own uncertainty (the method before it had it)."""
    b = Berekening(con_peil, peildatum=peildatum)
    eenheden = bereken_prognose(b.bron, periode).eenheden
    sleutel = ["aanbieder", "gemeente", "subsegment"]
    real = bereken(con_volledig, periode, per=sleutel, kpis=["benutting"]).select(
        *sleutel, pl.col("teller").cast(pl.Float64).alias("gerealiseerd")
    )
    dagen = (periode.eind - periode.start).days + 1
    verstreken = (min(peildatum, periode.eind) - periode.start).days + 1
    variantie = pl.col("zorgdagen_variantie").cast(pl.Float64)
    kromme = pl.col("zorgdagen_sd_kromme").cast(pl.Float64).fill_null(0.0)
    sd = (variantie + kromme**2).sqrt()  # the method's interval, as overzicht.per_groep
    sd_zonder = variantie.sqrt()
    prognose = pl.col("zorgdagen_verwacht").cast(pl.Float64)
    return (
        eenheden.filter(pl.col("stuk_van") == periode.start)
        .select(
            "segment",
            *sleutel,
            pl.col("reden").is_not_null().alias("zonder_prognose"),
            prognose.alias("prognose"),
            (prognose - Z80 * sd).alias("onder"),
            (prognose + Z80 * sd).alias("boven"),
            # diagnosis: the interval without the survival curve's own uncertainty
            (prognose - Z80 * sd_zonder).alias("onder_zonder_kromme"),
            (prognose + Z80 * sd_zonder).alias("boven_zonder_kromme"),
            kromme.alias("sd_kromme"),
            sd.alias("sd"),
            (pl.col("zorgdagen_gerealiseerd").cast(pl.Float64) * dagen / verstreken).alias("naief"),
        )
        .join(real, on=sleutel, how="left")
        .with_columns(pl.col("gerealiseerd").fill_null(0.0))
    )


def samenvatting(per_contract: pl.DataFrame) -> pl.DataFrame:
    """MAPE (contracts with realised zorgdagen > 0), WAPE and 80 % coverage per segment."""
    bruikbaar = per_contract.filter(~pl.col("zonder_prognose") & (pl.col("gerealiseerd") > 0))
    fout = (pl.col("prognose") - pl.col("gerealiseerd")).abs()
    naief = (pl.col("naief") - pl.col("gerealiseerd")).abs()
    maten = [
        pl.len().alias("contracten"),
        (fout / pl.col("gerealiseerd")).mean().alias("mape_methode"),
        (naief / pl.col("gerealiseerd")).mean().alias("mape_naief"),
        (fout.sum() / pl.col("gerealiseerd").sum()).alias("wape_methode"),
        (naief.sum() / pl.col("gerealiseerd").sum()).alias("wape_naief"),
        pl.col("gerealiseerd")
        .is_between(pl.col("onder"), pl.col("boven"))
        .mean()
        .alias("binnen_interval_80"),
        pl.col("gerealiseerd")
        .is_between(pl.col("onder_zonder_kromme"), pl.col("boven_zonder_kromme"))
        .mean()
        .alias("binnen_zonder_kromme"),
        (pl.col("sd_kromme") / pl.col("sd")).median().alias("sd_kromme_gedeeld_door_sd"),
        (pl.col("gerealiseerd") > pl.col("boven")).mean().alias("boven_het_interval"),
        ((pl.col("prognose") - pl.col("gerealiseerd")).sum() / pl.col("gerealiseerd").sum()).alias(
            "afwijking_totaal_methode"
        ),
        ((pl.col("naief") - pl.col("gerealiseerd")).sum() / pl.col("gerealiseerd").sum()).alias(
            "afwijking_totaal_naief"
        ),
    ]
    per_segment = bruikbaar.group_by("segment").agg(maten).sort("segment")
    totaal = bruikbaar.select(pl.lit("alle").alias("segment"), *maten)
    return pl.concat([per_segment, totaal])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the backtest and print the table."""
    p = argparse.ArgumentParser(prog="python -m bench.prognose", description=__doc__)
    p.add_argument("--extract", required=True, type=Path, help="the whole extract")
    p.add_argument("--map", required=True, type=Path, help="work folder (extract, warehouses)")
    p.add_argument("--periode", default="cj2023", help="contract year to forecast")
    p.add_argument("--peildatum", type=date.fromisoformat, default=date(2023, 12, 31))
    p.add_argument("--volledig", type=Path, help="warehouse of the whole extract (else loaded)")
    p.add_argument("--csv", type=Path, help="write the per-contract comparison here")
    p.add_argument(
        "--diagnose",
        action="store_true",
        help="also: the interval without the curve's own uncertainty, and the method without "
        "the cap at the toewijzing einddatum (neither is the method)",
    )
    args = p.parse_args(argv)
    periode = Periode.parse(args.periode)
    args.map.mkdir(parents=True, exist_ok=True)
    begin = time.perf_counter()
    volledig = args.volledig
    if volledig is None:
        volledig = args.map / "volledig.duckdb"
        laad_extract(args.extract, volledig)
    op_peildatum = args.map / f"extract_{args.peildatum.isoformat()}"
    bewaard = schrijf_extract_op(args.extract, op_peildatum, args.peildatum)
    db_peil = args.map / f"peil_{args.peildatum.isoformat()}.duckdb"
    laad_extract(op_peildatum, db_peil)
    con_peil = duckdb.connect(str(db_peil), read_only=True)
    con_volledig = duckdb.connect(str(volledig), read_only=True)
    per_contract = vergelijking(con_peil, con_volledig, periode, args.peildatum)
    tabel = samenvatting(per_contract)
    print(
        f"Backtest {periode.label}: prognose vanaf peildatum {args.peildatum.isoformat()} "
        f"(extract tot en met die dag: {sum(v for k, v in bewaard.items() if 'berichten' in k)} "
        f"berichtregels), realisatie uit het hele extract; {time.perf_counter() - begin:.0f} s"
    )
    with pl.Config(tbl_rows=20, tbl_cols=20, float_precision=3, tbl_width_chars=200):
        print(tabel.drop("binnen_zonder_kromme", "sd_kromme_gedeeld_door_sd", "boven_het_interval"))
    if args.diagnose:
        print(
            "Diagnose: het 80 %-interval met en zonder de onzekerheid van de overlevingscurve "
            "zelf (Greenwood); mediaan van haar sd gedeeld door de sd van de methode; aandeel "
            "contracten met de realisatie boven het interval"
        )
        with pl.Config(tbl_rows=20, tbl_cols=20, float_precision=4, tbl_width_chars=200):
            print(tabel.select("segment", "binnen_interval_80", "binnen_zonder_kromme",
                               "sd_kromme_gedeeld_door_sd", "boven_het_interval"))  # fmt: skip
        with zonder_toewijzingsgrens():
            diagnose = samenvatting(vergelijking(con_peil, con_volledig, periode, args.peildatum))
        print("Diagnose, niet de methode: zonder de grens van de toewijzingseinddatum")
        with pl.Config(tbl_rows=20, tbl_cols=20, float_precision=3, tbl_width_chars=200):
            print(diagnose.select("segment", "mape_methode", "wape_methode",
                                  "binnen_interval_80", "afwijking_totaal_methode"))  # fmt: skip
    zonder = per_contract.filter(pl.col("zonder_prognose")).height
    nul = per_contract.filter(~pl.col("zonder_prognose") & (pl.col("gerealiseerd") <= 0)).height
    print(f"contracten: {per_contract.height}; zonder prognose: {zonder}; "
          f"gerealiseerd 0 (buiten de MAPE): {nul}")  # fmt: skip
    if args.csv:
        per_contract.write_csv(args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
