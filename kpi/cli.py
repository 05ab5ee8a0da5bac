"""Command line: `python -m kpi export --db PATH --periode 2023 --out FILE`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from kpi.bereken import bereken, niet_berekend, niet_berekend_per_groep, reeks, toelichtingen
from kpi.export import met_redenen, schrijf
from kpi.filters import DIMENSIES, Filters
from kpi.periode import Periode
from kpi.prognose.overzicht import met_exportkolommen


def _lijst(tekst: str | None) -> tuple[str, ...] | None:
    if tekst is None:
        return None
    return tuple(x.strip() for x in tekst.split(",") if x.strip())


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m kpi", description="KPI's van Stoplicht")
    sub = p.add_subparsers(dest="opdracht", required=True)
    e = sub.add_parser("export", help="KPI-waarden in lange vorm wegschrijven")
    e.add_argument("--db", required=True, type=Path, help="DuckDB-warehouse (alleen lezen)")
    e.add_argument(
        "--periode",
        required=True,
        help="2023 | 2023-Q2 | 2023-05 | cj2022 | 2023-01-01..2023-06-30",
    )
    e.add_argument("--per", help=f"indelen naar (komma's): {', '.join(DIMENSIES)}")
    for dim in DIMENSIES:
        e.add_argument(f"--{dim}", help=f"filter op {dim} (komma's voor meer waarden)")
    e.add_argument("--kpi", help="alleen deze KPI's (komma's)")
    e.add_argument("--peildatum", type=date.fromisoformat, help="JJJJ-MM-DD (standaard: meta)")
    e.add_argument("--normen", type=Path, help="normenbestand (standaard kpi/normen.toml)")
    e.add_argument("--reeks", action="store_true", help="per maand van de periode")
    e.add_argument("--out", required=True, help="bestand .csv/.parquet/.xlsx, of - voor stdout")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        periode = Periode.parse(args.periode)
        if not args.db.is_file():
            raise FileNotFoundError(f"database {args.db} bestaat niet")
        filters = Filters(**{d: _lijst(getattr(args, d)) for d in DIMENSIES})
        con = duckdb.connect(str(args.db), read_only=True)
        try:
            functie = reeks if args.reeks else bereken
            per, kpis = _lijst(args.per) or (), _lijst(args.kpi)
            uitkomst = functie(
                con,
                periode,
                per=per,
                filters=filters,
                peildatum=args.peildatum,
                normen=args.normen,
                kpis=kpis,
            )
            if not args.reeks:  # a forecast's interval, volloop date, signal, coverage
                uitkomst = met_exportkolommen(
                    uitkomst, con, periode, per, filters, args.peildatum, args.normen
                )
            # every KPI asked for that gives no figure for a period says why
            perioden = periode.maanden() if args.reeks else (periode,)
            redenen = niet_berekend(con, perioden, per, kpis, args.peildatum, args.reeks, filters)
            groepen = niet_berekend_per_groep(
                con, perioden, per, filters, kpis, args.peildatum, args.reeks
            )
            noten = toelichtingen(con, perioden, per, kpis, args.peildatum, filters)
        finally:
            con.close()
        schrijf(met_redenen(uitkomst, redenen, groepen, noten), args.out)
    except (ValueError, KeyError, FileNotFoundError, duckdb.Error) as fout:
        print(f"fout: {fout}", file=sys.stderr)
        return 2
    return 0
