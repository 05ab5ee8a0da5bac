"""CLI: `python -m warehouse load EXTRACT_DIR --db PATH`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl
from tqdm import tqdm

from warehouse.laden import STAPPEN, LaadAfgebroken, Laadresultaat, laad_extract
from warehouse.lezen import LaadFout
from warehouse.voorbeeld import zorg_voor_warehouse


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m warehouse", description="Stoplicht warehouse")
    sub = p.add_subparsers(dest="opdracht", required=True)
    load = sub.add_parser("load", help="laad een extractmap in een nieuwe DuckDB-warehouse")
    load.add_argument(
        "extract", type=Path, help="map met berichten, producten, ... (CSV/Parquet/Excel/xml)"
    )
    load.add_argument(
        "--db", type=Path, default=Path("data/stoplicht.duckdb"), help="DuckDB-bestand"
    )
    load.add_argument("--stil", action="store_true", help="geen voortgangsbalk")
    vb = sub.add_parser(
        "voorbeeld", help="maak de warehouse uit de voorbeelddata (als er nog geen is)"
    )
    vb.add_argument("--db", type=Path, default=Path("data/stoplicht.duckdb"), help="DuckDB-bestand")
    return p


def samenvatting(res: Laadresultaat) -> str:
    """The load summary as plain text: rows per table, per file (with its encoding), quarantine
    per reason, peildatum, and warnings (a file without rows, columns kept aside)."""
    regels = [f"Geladen in {res.seconden:.1f} s naar {res.db}", f"Peildatum: {res.peildatum}", ""]
    regels.append("Rijen per tabel:")
    for naam, n in sorted(res.rijen.items()):
        regels.append(f"  {naam:<16} {n:>12,}".replace(",", "."))
    regels += ["", "Invoer per bestand (regels = geladen + dubbel + genegeerd + afgekeurd):"]
    v = res.laadverslag
    xml = pl.col("bron_bestand").str.starts_with("xml/")
    xml_rijen = v.filter(xml)
    if xml_rijen.height:  # one line for a folder of XML messages
        som = xml_rijen.select(pl.col(pl.Int64)).sum()
        v = pl.concat(
            [
                v.filter(~xml),
                som.with_columns(
                    bron_bestand=pl.lit(f"xml/ ({xml_rijen.height} bestanden)"),
                    tabel=pl.lit("berichten"),
                    extra_kolommen=pl.lit(None, pl.String),
                    codering=pl.lit(None, pl.String),
                    opmerking=pl.lit(None, pl.String),
                ).select(v.columns),
            ]
        )
    for r in v.iter_rows(named=True):
        regels.append(
            "  {bron_bestand}: {regels_in} regels = {geladen} geladen + {dubbel} dubbel"
            " + {genegeerd} genegeerd + {afgekeurd} afgekeurd".format(**r)
            + (f" ({r['codering']})" if r["codering"] else "")
        )
    regels += ["", "Quarantaine per reden:"]
    if res.quarantaine_per_reden.height == 0:
        regels.append("  (geen)")
    for tabel, ernst, reden, aantal in res.quarantaine_per_reden.iter_rows():
        regels.append(f"  {aantal:>8}  {tabel:<12} {ernst:<9} {reden}")
    v = res.laadverslag
    extra = v.filter(v.get_column("extra_kolommen").is_not_null())
    for bestand, kolommen in extra.select("bron_bestand", "extra_kolommen").iter_rows():
        regels.append(f"Extra kolommen apart gehouden (niet opgeslagen) in {bestand}: {kolommen}")
    let_op = v.filter(v.get_column("opmerking").is_not_null())
    for bestand, opmerking in let_op.select("bron_bestand", "opmerking").iter_rows():
        regels.append(f"Let op: {bestand}: {opmerking}")
    return "\n".join(regels)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; exit 0 when loaded (also with quarantined rows), 2 when it cannot load."""
    args = _parser().parse_args(argv)
    if args.opdracht == "voorbeeld":
        res = zorg_voor_warehouse(args.db)
        print(samenvatting(res) if res else f"Warehouse {args.db} bestaat al; niets te doen.")
        return 0
    balk = tqdm(total=len(STAPPEN), desc="laden", unit="stap", disable=args.stil, file=sys.stderr)

    def voortgang(stap: str) -> None:
        balk.set_description(stap)
        balk.update(1)

    try:
        res = laad_extract(args.extract, args.db, voortgang)
    except LaadFout as fout:
        balk.close()
        print(f"Laden mislukt: {fout}", file=sys.stderr)
        print("De vorige warehouse is ongewijzigd.", file=sys.stderr)
        return 2
    except LaadAfgebroken as afgebroken:
        balk.close()
        print(f"Laden afgebroken ({afgebroken}).", file=sys.stderr)
        print("De vorige warehouse is ongewijzigd; het werk is opgeruimd.", file=sys.stderr)
        return 128 + afgebroken.signum
    balk.close()
    print(samenvatting(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
