"""Command line for the meeting-room exports (the building code lives in rapport/).

python -m rapport factsheets --db PATH --periode cj2023 --out DIR [--dossier PATH]
python -m rapport deck --db PATH --periode 2024 --out FILE.pptx [--gemeente 0197 ...]
python -m rapport dossier --db PATH --periode 2024 --aanbieder AGB --out FILE.xlsx
python -m rapport groepsgesprek --db PATH --periode 2024 --subsegment S --leden A,B,C --out DIR
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
from dossier import Dossier, DossierFout, dossier_pad
from kpi.cli import db_en_periode, draai, filteropties, lijst
from kpi.filters import Filters
from kpi.normen import normenbestand
from kpi.periode import Periode
from kpi.registry import laad_registry
from kpi.scope import REGIO, Scope
from tqdm import tqdm

from rapport.deck import maak_deck
from rapport.factsheet import factsheets
from rapport.gesprek import dossier_excel
from rapport.groepsgesprek import groepsgesprek


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
    f.add_argument(
        "--dossier",
        type=Path,
        help="CM-gespreksdossier (standaard $STOPLICHT_DOSSIER of dossier.sqlite naast --db, "
        "als dat er is); de gedeelde afspraken komen op de factsheet",
    )
    x = sub.add_parser("dossier", help="het dossier van één aanbieder en periode als Excel")
    x.add_argument("--aanbieder", required=True, help="AGB-code")
    x.add_argument("--dossier", type=Path, help="dossierbestand (standaard als bij factsheets)")
    x.add_argument(
        "--alleen-gedeeld",
        action="store_true",
        help="alleen wat met de aanbieder gedeeld is (om aan de aanbieder te sturen)",
    )
    gg = sub.add_parser(
        "groepsgesprek", help="overzicht (intern) en een groepsblad per deelnemer (PDF)"
    )
    gg.add_argument("--subsegment", required=True, help="het sub-segment van de groep")
    gg.add_argument("--leden", required=True, help="AGB-codes van de deelnemers (komma's)")
    for s, uit in (
        (f, "map voor de PDF's"),
        (d, "bestand .pptx"),
        (x, "bestand .xlsx"),
        (gg, "map voor de PDF's"),
    ):
        db_en_periode(s, "2023 | 2023-Q2 | 2023-05 | cj2022 | van..tot")
        s.add_argument("--out", required=True, type=Path, help=uit)
        if s in (f, d):
            filteropties(s)
        if s in (f, d, gg):
            s.add_argument(
                "--normen",
                type=Path,
                help="normenbestand (standaard $STOPLICHT_NORMEN, anders kpi/normen.toml): "
                "dezelfde normen als het dashboard",
            )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 on bad input)."""
    args = parser().parse_args(argv)
    return draai(
        args,
        lambda con, periode, filters: _opdracht(args, con, periode, filters),
        leeg_is_alles=True,
        fouten=(DossierFout,),
    )


def _opdracht(
    args: argparse.Namespace, con: duckdb.DuckDBPyConnection, periode: Periode, filters: Filters
) -> None:
    start = time.perf_counter()
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
            dossier=_dossier(args.dossier, args.db, verplicht=False),
            normen=normenbestand(args.normen),
        )
        tijd = time.perf_counter() - start
        print(
            f"{len(bestanden)} factsheets in {args.out} ({tijd:.1f} s, "
            f"{len(bestanden) / tijd:.1f} per seconde)",
            file=sys.stderr,
        )
    elif args.opdracht == "dossier":
        if args.out.suffix.lower() != ".xlsx":
            raise ValueError(f"{args.out}: de export wordt een .xlsx-bestand")
        scope = Scope("aanbieder", aanbieder=args.aanbieder) if args.alleen_gedeeld else REGIO
        winkel = _dossier(args.dossier, args.db, verplicht=True)
        args.out.write_bytes(dossier_excel(winkel, args.aanbieder, periode, scope, laad_registry()))
        print(f"dossier {args.out} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    elif args.opdracht == "groepsgesprek":
        leden = lijst(args.leden) or ()
        if len(leden) < 2:
            raise ValueError("een groepsgesprek vraagt ten minste 2 aanbieders (--leden)")
        paden = groepsgesprek(
            con, periode, args.subsegment, leden, args.out, normen=normenbestand(args.normen)
        )
        print(f"{len(paden)} PDF's in {args.out}", file=sys.stderr)
    else:
        if args.out.suffix.lower() != ".pptx":
            raise ValueError(f"{args.out}: het deck wordt een .pptx-bestand")
        args.out.write_bytes(maak_deck(con, periode, filters, normen=normenbestand(args.normen)))
        print(f"deck {args.out} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)


def _dossier(pad: Path | None, db: Path, verplicht: bool) -> Dossier | None:
    """The dossier named, else the default one beside the warehouse when it exists."""
    if pad is not None:
        if not pad.is_file():
            raise FileNotFoundError(f"dossier {pad} bestaat niet")
        return Dossier(pad)
    standaard = dossier_pad(db)
    if standaard.is_file():
        return Dossier(standaard)
    if verplicht:
        raise FileNotFoundError(f"dossier {standaard} bestaat niet; geef --dossier op")
    return None
