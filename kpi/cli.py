"""Command line: `python -m kpi export --db PATH --periode 2023 --out FILE`.

Also the parts every command line over the warehouse shares (rapport/cli.py uses them):
the --db, --periode and filter options, and `draai`, which opens the warehouse and turns
bad input into one Dutch line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from kpi.berekening import bereken, niet_berekend, niet_berekend_per_groep, reeks, toelichtingen
from kpi.export import met_redenen, schrijf
from kpi.filters import DIMENSIES, Filters
from kpi.normen import normenbestand
from kpi.periode import Periode
from kpi.prognose.overzicht import met_exportkolommen

# Bad input: one line "fout: ..." on stderr and this exit code, never a traceback.
FOUT_CODE = 2
FOUTEN: tuple[type[Exception], ...] = (ValueError, KeyError, FileNotFoundError, duckdb.Error)


def lijst(tekst: str | None) -> tuple[str, ...] | None:
    """A comma list option as a tuple ('a, b' → ('a', 'b')); None when not given."""
    if tekst is None:
        return None
    return tuple(x.strip() for x in tekst.split(",") if x.strip())


def db_en_periode(p: argparse.ArgumentParser, periode_hulp: str) -> None:
    """The options --db (an existing warehouse, read only) and --periode."""
    p.add_argument("--db", required=True, type=Path, help="DuckDB-warehouse (alleen lezen)")
    p.add_argument("--periode", required=True, help=periode_hulp)


def filteropties(p: argparse.ArgumentParser) -> None:
    """One option per dimension (--gemeente, ..., --aanbieder), comma lists."""
    for dim in DIMENSIES:
        p.add_argument(f"--{dim}", help=f"filter op {dim} (komma's voor meer waarden)")


def filters_uit(args: argparse.Namespace, leeg_is_alles: bool = False) -> Filters:
    """The filters of `filteropties` (a command without them: no filter). An empty list
    ('--aanbieder ""') matches nothing, or everything with `leeg_is_alles`."""
    waarden = {d: lijst(getattr(args, d, None)) for d in DIMENSIES}
    if leeg_is_alles:
        waarden = {d: v or None for d, v in waarden.items()}
    return Filters(**waarden)


def draai(
    args: argparse.Namespace,
    opdracht: Callable[[duckdb.DuckDBPyConnection, Periode, Filters], None],
    leeg_is_alles: bool = False,
    fouten: tuple[type[Exception], ...] = (),
) -> int:
    """Parse --periode, open --db read only and run `opdracht` with the filters; returns
    the exit code: 0, or FOUT_CODE with "fout: ..." on stderr for bad input (FOUTEN and
    the command's own `fouten`)."""
    try:
        periode = Periode.parse(args.periode)
        if not args.db.is_file():
            raise FileNotFoundError(f"database {args.db} bestaat niet")
        filters = filters_uit(args, leeg_is_alles)
        con = duckdb.connect(str(args.db), read_only=True)
        try:
            opdracht(con, periode, filters)
        finally:
            con.close()
    except (*FOUTEN, *fouten) as fout:
        print(f"fout: {fout}", file=sys.stderr)
        return FOUT_CODE
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m kpi", description="KPI's van Stoplicht")
    sub = p.add_subparsers(dest="opdracht", required=True)
    e = sub.add_parser("export", help="KPI-waarden in lange vorm wegschrijven")
    db_en_periode(e, "2023 | 2023-Q2 | 2023-05 | cj2022 | 2023-01-01..2023-06-30")
    e.add_argument("--per", help=f"indelen naar (komma's): {', '.join(DIMENSIES)}")
    filteropties(e)
    e.add_argument("--kpi", help="alleen deze KPI's (komma's)")
    e.add_argument("--peildatum", type=date.fromisoformat, help="JJJJ-MM-DD (standaard: meta)")
    e.add_argument(
        "--normen",
        type=Path,
        help="normenbestand (standaard $STOPLICHT_NORMEN, anders kpi/normen.toml)",
    )
    e.add_argument("--reeks", action="store_true", help="per maand van de periode")
    e.add_argument("--out", required=True, help="bestand .csv/.parquet/.xlsx, of - voor stdout")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    return draai(args, lambda con, periode, filters: _export(args, con, periode, filters))


def _export(
    args: argparse.Namespace, con: duckdb.DuckDBPyConnection, periode: Periode, filters: Filters
) -> None:
    functie = reeks if args.reeks else bereken
    normen = normenbestand(args.normen)
    per, kpis = lijst(args.per) or (), lijst(args.kpi)
    uitkomst = functie(
        con,
        periode,
        per=per,
        filters=filters,
        peildatum=args.peildatum,
        normen=normen,
        kpis=kpis,
    )
    if not args.reeks:  # a forecast's interval, volloop date, signal, coverage
        uitkomst = met_exportkolommen(uitkomst, con, periode, per, filters, args.peildatum, normen)
    # every KPI asked for that gives no figure for a period says why
    perioden = periode.maanden() if args.reeks else (periode,)
    redenen = niet_berekend(con, perioden, per, kpis, args.peildatum, args.reeks, filters)
    groepen = niet_berekend_per_groep(con, perioden, per, filters, kpis, args.peildatum, args.reeks)
    noten = toelichtingen(con, perioden, per, kpis, args.peildatum, filters)
    schrijf(met_redenen(uitkomst, redenen, groepen, noten), args.out)
