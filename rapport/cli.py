"""Command line for the meeting-room exports (the building code lives in rapport/).

python -m rapport factsheets --db PATH --periode cj2023 --out DIR
python -m rapport deck --db PATH --periode 2024 --out FILE.pptx [--gemeente 0197 ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
from kpi.filters import DIMENSIES, Filters
from kpi.periode import Periode
from tqdm import tqdm

from rapport.deck import deck
from rapport.factsheet import factsheets


def _lijst(tekst: str | None) -> tuple[str, ...] | None:
    if tekst is None:
        return None
    return tuple(x.strip() for x in tekst.split(",") if x.strip()) or None


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m rapport", description="Stoplicht-rapporten")
    sub = p.add_subparsers(dest="opdracht", required=True)
    f = sub.add_parser("factsheets", help="een factsheet (PDF) per aanbieder")
    d = sub.add_parser("deck", help="bestuursdeck (PPTX) voor een periode en selectie")
    f.add_argument(
        "--processen",
        type=int,
        default=os.cpu_count() or 1,
        help="PDF's tegelijk maken (standaard: aantal processorkernen)",
    )
    for s, uit in ((f, "map voor de PDF's"), (d, "bestand .pptx")):
        s.add_argument("--db", required=True, type=Path, help="DuckDB-warehouse (alleen lezen)")
        s.add_argument(
            "--periode", required=True, help="2023 | 2023-Q2 | 2023-05 | cj2022 | van..tot"
        )
        s.add_argument("--out", required=True, type=Path, help=uit)
        for dim in DIMENSIES:
            s.add_argument(f"--{dim}", help=f"filter op {dim} (komma's voor meer waarden)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 on bad input)."""
    args = parser().parse_args(argv)
    try:
        periode = Periode.parse(args.periode)
        if not args.db.is_file():
            raise FileNotFoundError(f"database {args.db} bestaat niet")
        filters = Filters(**{d: _lijst(getattr(args, d)) for d in DIMENSIES})
        con = duckdb.connect(str(args.db), read_only=True)
        start = time.perf_counter()
        try:
            if args.opdracht == "factsheets":
                bestanden = factsheets(
                    con,
                    periode,
                    args.out,
                    filters,
                    voortgang=lambda paden, totaal: tqdm(
                        paden, total=totaal, desc="factsheets", unit="pdf"
                    ),
                    processen=args.processen,
                )
                tijd = time.perf_counter() - start
                print(
                    f"{len(bestanden)} factsheets in {args.out} ({tijd:.1f} s, "
                    f"{len(bestanden) / tijd:.1f} per seconde)",
                    file=sys.stderr,
                )
            else:
                if args.out.suffix.lower() != ".pptx":
                    raise ValueError(f"{args.out}: het deck wordt een .pptx-bestand")
                args.out.write_bytes(deck(con, periode, filters))
                print(f"deck {args.out} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
        finally:
            con.close()
    except (ValueError, KeyError, FileNotFoundError, duckdb.Error) as fout:
        print(f"fout: {fout}", file=sys.stderr)
        return 2
    return 0
