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
import numpy as np
import polars as pl

from kpi.bereken import Berekening, bereken
from kpi.eenheden import GEDEELD
from kpi.periode import Periode
from kpi.prognose import eenheden as prognose_eenheden
from kpi.prognose import methode
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


def sd_overleving(b: Berekening, periode: Periode) -> pl.DataFrame:
    """Diagnosis, not the method: per contract (its piece from the period's start), the
    standard deviation of the expected zorgdagen after the peildatum that the survival
    curve's own uncertainty adds (Greenwood by the delta method, methode.greenwood_variantie:
    the clients in care and the instroom share the curve, so their weights add up)."""
    prognose = bereken_prognose(b.bron, periode)
    p = b.peildatum.toordinal()
    van3, tot3 = prognose_eenheden.volledige_maanden(
        b.peildatum, prognose_eenheden.INSTROOM_MAANDEN
    )
    dagen_telling = (tot3 - van3).days + 1
    zorg = prognose_eenheden._query(b.bron, "in_zorg", peildatum=b.peildatum).with_columns(
        prognose_eenheden._dagnummer("traject_begin").alias("b"),
        prognose_eenheden._dagnummer("einde").alias("e"),
    )
    sleutel = ["aanbieder", "gemeente", "subsegment"]
    per_drieling = {k: d for k, d in zorg.group_by(sleutel)}
    uit = []
    rijen = prognose.eenheden.filter(
        (pl.col("stuk_van") == periode.start) & pl.col("reden").is_null()
    )
    for r in rijen.iter_rows(named=True):
        o = prognose.overleving[r["subsegment"]]
        van = max(r["stuk_van"].toordinal(), p + 1)
        tot = r["stuk_tot"].toordinal()
        dagen = np.arange(p + 1, max(tot, p + 1) + 1, dtype=np.int64)
        gewicht = np.zeros(o.s.size)
        deel = per_drieling.get(tuple(r[k] for k in sleutel))
        if deel is not None and tot >= van:
            begin, laatste = deel["b"].to_numpy(), np.minimum(deel["e"].to_numpy(), tot)
            kansen = methode.kansen_in_zorg(o, begin, p - begin, laatste, dagen)
            a = methode.staarten(kansen, dagen, np.full(begin.size, van), np.full(begin.size, tot))
            j = dagen[None, :] - begin[:, None]  # the hazard each day's weight belongs to
            geldig = j < o.s.size
            gewicht += np.bincount(j[geldig], a[geldig], o.s.size)
        rate = float(r["instroom_3m"]) / dagen_telling
        if rate > 0:
            gewicht += rate * methode.instroom_staart(o, p, van, tot)
        sd = float(np.sqrt(methode.greenwood_variantie(o, gewicht)))
        uit.append({**{k: r[k] for k in sleutel}, "sd_overleving": sd})
    schema = {**dict.fromkeys(sleutel, pl.String), "sd_overleving": pl.Float64}
    return pl.DataFrame(uit, schema=schema)


def vergelijking(
    con_peil: duckdb.DuckDBPyConnection,
    con_volledig: duckdb.DuckDBPyConnection,
    periode: Periode,
    peildatum: date,
    met_curve: bool = False,
) -> pl.DataFrame:
    """Per contract: forecast (with interval), naive extrapolation and realisation; with
    `met_curve` also the interval with the curve's own uncertainty (sd_overleving)."""
    b = Berekening(con_peil, peildatum=peildatum)
    eenheden = bereken_prognose(b.bron, periode).eenheden
    sleutel = ["aanbieder", "gemeente", "subsegment"]
    if met_curve:
        eenheden = eenheden.join(sd_overleving(b, periode), on=sleutel, how="left")
    else:
        eenheden = eenheden.with_columns(sd_overleving=pl.lit(0.0))
    real = bereken(con_volledig, periode, per=sleutel, kpis=["benutting"]).select(
        *sleutel, pl.col("teller").cast(pl.Float64).alias("gerealiseerd")
    )
    dagen = (periode.eind - periode.start).days + 1
    verstreken = (min(peildatum, periode.eind) - periode.start).days + 1
    variantie = pl.col("zorgdagen_variantie").cast(pl.Float64)
    sd = variantie.sqrt()  # the method's interval, as overzicht.per_groep
    sd_met = (variantie + pl.col("sd_overleving").fill_null(0.0) ** 2).sqrt()
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
            # diagnosis: the interval with the survival curve's own uncertainty added
            (prognose - Z80 * sd_met).alias("onder_met_curve"),
            (prognose + Z80 * sd_met).alias("boven_met_curve"),
            "sd_overleving",
            variantie.sqrt().alias("sd"),
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
        .is_between(pl.col("onder_met_curve"), pl.col("boven_met_curve"))
        .mean()
        .alias("binnen_met_curve"),
        (pl.col("sd_overleving") / pl.col("sd")).median().alias("sd_curve_gedeeld_door_sd"),
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
        help="also: the method without the cap at the toewijzing einddatum (not the method)",
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
    per_contract = vergelijking(con_peil, con_volledig, periode, args.peildatum, args.diagnose)
    tabel = samenvatting(per_contract)
    print(
        f"Backtest {periode.label}: prognose vanaf peildatum {args.peildatum.isoformat()} "
        f"(extract tot en met die dag: {sum(v for k, v in bewaard.items() if 'berichten' in k)} "
        f"berichtregels), realisatie uit het hele extract; {time.perf_counter() - begin:.0f} s"
    )
    with pl.Config(tbl_rows=20, tbl_cols=20, float_precision=3, tbl_width_chars=200):
        print(tabel.drop("binnen_met_curve", "sd_curve_gedeeld_door_sd"))
    if args.diagnose:
        print(
            "Diagnose, niet de methode: de onzekerheid van de overlevingscurve zelf (Greenwood) "
            "erbij in het 80 %-interval; mediaan van haar sd gedeeld door de sd van de methode"
        )
        with pl.Config(tbl_rows=20, tbl_cols=20, float_precision=4, tbl_width_chars=200):
            print(tabel.select("segment", "binnen_interval_80", "binnen_met_curve",
                               "sd_curve_gedeeld_door_sd"))  # fmt: skip
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
