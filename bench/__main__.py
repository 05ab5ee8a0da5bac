"""Benchmark: `python -m bench` measures load, derivation, export and dashboard queries.

Generates the sample extracts (regio and land, CSV and Parquet) under --map once, then
measures on this machine and writes the results table (bench/RESULTATEN.md). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from bench import afleiding, interactief, pandas_kpi
from bench.meten import REPO, belasting, draai, machine, mediaan
from bench.resultaten import schrijf

SCHALEN = ("regio", "land")
SEED = 42


def _extract(map_: Path, schaal: str) -> tuple[Path, float | None]:
    """The sample extract of `schaal` in CSV and Parquet (generated when not yet there)."""
    doel = map_ / schaal
    if (doel / "csv" / "manifest.json").exists() and (doel / "parquet" / "manifest.json").exists():
        return doel, None
    kind = draai(
        ["-m", "sample_data.generate", "--out", str(doel), "--seed", str(SEED),
         "--scale", schaal, "--formaat", "beide"]
    )  # fmt: skip
    return doel, kind.seconden


def _laden(extract: Path, db: Path, runs: int) -> dict:
    metingen = [draai(["-m", "bench.laad_kind", str(extract), str(db)]) for _ in range(runs)]
    stappen = [m.json()["stappen"] for m in metingen]
    return {
        "runs": runs,
        "seconden": [m.seconden for m in metingen],
        "piek_gib": [m.piek_gib for m in metingen],
        "stappen": {s: mediaan([x[s] for x in stappen]) for s in stappen[0]},
        "rijen": metingen[-1].json()["rijen"],
    }


def _export(db: Path, uit: Path, runs: int) -> dict:
    opdracht = ["-m", "kpi", "export", "--db", str(db), "--periode", "2024",
                "--per", "gemeente,subsegment,aanbieder", "--out", str(uit)]  # fmt: skip
    metingen = [draai(opdracht) for _ in range(runs)]
    return {
        "runs": runs,
        "seconden": [m.seconden for m in metingen],
        "piek_gib": [m.piek_gib for m in metingen],
        "rijen": duckdb.sql(f"select count(*) from read_parquet('{uit}')").fetchall()[0][0],
    }


def _pandas(db: Path, runs: int) -> dict:
    """pandas (read + compute) against kpi.bereken for the same three KPIs, and the check."""
    import kpi
    from kpi.berekening import lees_peildatum

    con = duckdb.connect(str(db), read_only=True)
    try:
        peildatum = lees_peildatum(con)
        van, tot = date(2024, 1, 1), date(2024, 12, 31)
        lezen, rekenen, engine = [], [], []
        for _ in range(runs):
            begin = time.perf_counter()
            trajecten, episodes = pandas_kpi.lees(con)
            gelezen = time.perf_counter()
            uitkomst = pandas_kpi.bereken(trajecten, episodes, van, tot, peildatum)
            klaar = time.perf_counter()
            del trajecten, episodes
            lezen.append(gelezen - begin)
            rekenen.append(klaar - gelezen)
            begin = time.perf_counter()
            resultaat = kpi.bereken(con, "2024", per=pandas_kpi.DIMS, kpis=pandas_kpi.KPIS)
            engine.append(time.perf_counter() - begin)
        verschillen = pandas_kpi.verschillen(uitkomst, resultaat)
        return {
            "runs": runs,
            "lezen": lezen,
            "rekenen": rekenen,
            "kpi": engine,
            "groepen": resultaat.height,
            "verschillen": verschillen[:10],
            "aantal_verschillen": len(verschillen),
        }
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results table."""
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--map", type=Path, default=Path("/tmp/stoplicht-bench"), help="data folder")
    p.add_argument("--schalen", default=",".join(SCHALEN), help="regio,land")
    p.add_argument("--herhalingen", type=int, default=3, help="runs per load and export")
    p.add_argument("--csv-herhalingen-land", type=int, default=1, help="CSV loads at land")
    p.add_argument(
        "--herhalingen-land", type=int, default=None, help="Parquet loads and exports at land"
    )
    p.add_argument("--runs", type=int, default=50, help="runs per interactive query")
    p.add_argument("--uit", type=Path, default=REPO / "bench" / "RESULTATEN.md")
    args = p.parse_args(argv)
    os.environ.setdefault("STOPLICHT_PSEUDONIEM_SLEUTEL", "benchmark-sleutel")

    def herhalingen(schaal: str) -> int:
        land = args.herhalingen_land if schaal == "land" else None
        return land or args.herhalingen

    resultaten: dict = {"machine": machine(), "belasting_begin": belasting(), "schalen": {}}
    resultaten["opdracht"] = " ".join(["python -m bench", *(argv or sys.argv[1:])])
    for schaal in args.schalen.split(","):
        print(f"[{schaal}] extract", file=sys.stderr, flush=True)
        extract, gegenereerd = _extract(args.map, schaal)
        r: dict = {"generatie_s": gegenereerd, "belasting": {}}
        db = args.map / f"{schaal}.duckdb"
        for formaat in ("csv", "parquet"):  # Parquet last: its warehouse is measured further
            runs = args.csv_herhalingen_land if (schaal, formaat) == ("land", "csv") else None
            print(f"[{schaal}] laden {formaat}", file=sys.stderr, flush=True)
            r[f"laden_{formaat}"] = _laden(extract / formaat, db, runs or herhalingen(schaal))
            r["belasting"][f"laden_{formaat}"] = belasting()
        print(f"[{schaal}] afleiding", file=sys.stderr, flush=True)
        r["afleiding"] = afleiding.tijden(db, args.map / f"{schaal}-afleiding.duckdb")
        print(f"[{schaal}] export", file=sys.stderr, flush=True)
        r["export"] = _export(db, args.map / f"{schaal}-export.parquet", herhalingen(schaal))
        r["belasting"]["export"] = belasting()
        print(f"[{schaal}] interactief", file=sys.stderr, flush=True)
        r["interactief"] = [vars(x) for x in interactief.meet(db, args.runs)]
        r["belasting"]["interactief"] = belasting()
        print(f"[{schaal}] pandas", file=sys.stderr, flush=True)
        r["pandas"] = _pandas(db, args.herhalingen)
        r["belasting"]["pandas"] = belasting()
        resultaten["schalen"][schaal] = r
        (args.map / "resultaten.json").write_text(json.dumps(resultaten, indent=1, default=str))
    resultaten["belasting_eind"] = belasting()
    (args.map / "resultaten.json").write_text(json.dumps(resultaten, indent=1, default=str))
    ruw = args.uit.with_name(args.uit.stem.lower() + ".json")  # every measurement, beside it
    ruw.write_text(json.dumps(resultaten, indent=1, default=str))
    schrijf(resultaten, args.uit)
    print(f"resultaten: {args.uit}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
