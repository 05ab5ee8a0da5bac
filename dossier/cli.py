"""Command line: back up and restore the dossier.

python -m dossier backup --out FILE [--dossier PATH]
python -m dossier restore FILE [--dossier PATH]
python -m dossier info [--dossier PATH]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from dossier.invoer import DossierFout
from dossier.opslag import DOSSIER_ENV, Dossier, dossier_pad


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="python -m dossier", description="Het CM-gespreksdossier")
    sub = p.add_subparsers(dest="opdracht", required=True)
    b = sub.add_parser("backup", help="een volledige kopie van het dossier in één bestand")
    b.add_argument(
        "--out",
        type=Path,
        help="bestand (standaard backups/dossier-<moment>.sqlite naast het dossier)",
    )
    r = sub.add_parser("restore", help="het dossier terugzetten uit een backup")
    r.add_argument("backup", type=Path, help="backupbestand van `python -m dossier backup`")
    i = sub.add_parser("info", help="aantallen items per soort en versies")
    for s in (b, r, i):
        s.add_argument(
            "--dossier",
            type=Path,
            help=f"dossierbestand (standaard ${DOSSIER_ENV}, anders data/dossier.sqlite)",
        )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 on bad input)."""
    args = parser().parse_args(argv)
    pad = args.dossier or dossier_pad()
    try:
        if args.opdracht == "restore" and not pad.exists():
            raise DossierFout(f"dossier {pad} bestaat niet; geef --dossier op")
        if args.opdracht in ("backup", "info") and not pad.exists():
            raise DossierFout(f"dossier {pad} bestaat niet")
        dossier = Dossier(pad)
        if args.opdracht == "backup":
            doel = args.out or pad.parent / "backups" / (
                f"dossier-{datetime.now().strftime('%Y%m%dT%H%M%S')}.sqlite"
            )
            dossier.backup(doel)
            print(f"backup {doel} ({_samenvatting(Dossier(doel))})", file=sys.stderr)
        elif args.opdracht == "restore":
            veilig = dossier.herstel(args.backup)
            print(
                f"dossier {pad} teruggezet uit {args.backup} ({_samenvatting(dossier)}); "
                f"de vorige inhoud staat in {veilig}",
                file=sys.stderr,
            )
        else:
            print(_samenvatting(dossier))
    except DossierFout as fout:
        print(f"fout: {fout}", file=sys.stderr)
        return 2
    return 0


def _samenvatting(dossier: Dossier) -> str:
    aantallen = dossier.aantallen()
    versies = aantallen.pop("versies")
    delen = [f"{n} {soort}" for soort, n in sorted(aantallen.items())]
    return ", ".join([*delen, f"{versies} versies"]) if delen else "leeg"
