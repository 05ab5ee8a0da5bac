"""Compare two warehouses table by table: `python -m bench.vergelijk OUD.duckdb NIEUW.duckdb`.

Every table of the old warehouse is compared with the table of the same name in the new one
as a multiset of rows (sorted, duplicates counted), each value read as text: a column may
have changed its storage type (a code as ENUM, a date as DATE) without its content changing.
The new warehouse is read as a reader sees it, so a column it computes on read (a virtual
column) counts like a stored one. Columns only one side has are listed; the comparison then
covers the columns both have. The meta table differs by design (load time, load id) and is
compared on the keys that describe the content only. Prints one line per table; the exit
status is 1 when any table differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# meta keys that differ between two loads of the same extract by design
META_PER_LADING = frozenset({"geladen_op", "laad_id", "schema_versie", "extract"})


def _kolommen(con: duckdb.DuckDBPyConnection, db: str, tabel: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and schema_name = 'main' and table_name = ? order by column_index",
            [db, tabel],
        ).fetchall()
    ]


def _tabellen(con: duckdb.DuckDBPyConnection, db: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = ? "
            "and schema_name = 'main' order by 1",
            [db],
        ).fetchall()
    ]


def vergelijk(oud: Path, nieuw: Path, tabellen: list[str] | None = None) -> list[str]:
    """One line per table of `oud`: identical or what differs. Ends with 'VERSCHIL' lines."""
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute("set preserve_insertion_order = false")
    con.execute("attach ? as oud (read_only)", [str(oud)])
    con.execute("attach ? as nieuw (read_only)", [str(nieuw)])
    regels = []
    nieuwe = set(_tabellen(con, "nieuw"))
    for tabel in tabellen or _tabellen(con, "oud"):
        if tabel not in nieuwe:
            regels.append(f"{tabel}: VERSCHIL, ontbreekt in {nieuw}")
            continue
        k_oud, k_nieuw = _kolommen(con, "oud", tabel), _kolommen(con, "nieuw", tabel)
        samen = [k for k in k_oud if k in k_nieuw]
        extra = [k for k in k_nieuw if k not in k_oud]
        mist = [k for k in k_oud if k not in k_nieuw]
        lijst = ", ".join(f'"{k}"::varchar as "{k}"' for k in samen)
        waar = ""
        if tabel == "meta":
            sleutels = ", ".join(f"'{k}'" for k in sorted(META_PER_LADING))
            waar = f" where sleutel not in ({sleutels})"
        n_oud = con.execute(f"select count(*) from oud.{tabel}").fetchone()[0]  # noqa: S608
        n_nieuw = con.execute(f"select count(*) from nieuw.{tabel}").fetchone()[0]  # noqa: S608
        # rows of one side not matched by a row of the other, duplicates counted
        verschil = con.execute(
            f"select (select count(*) from (select {lijst} from oud.{tabel}{waar} "  # noqa: S608
            f"except all select {lijst} from nieuw.{tabel}{waar})), "
            f"(select count(*) from (select {lijst} from nieuw.{tabel}{waar} "
            f"except all select {lijst} from oud.{tabel}{waar}))"
        ).fetchone()
        opm = []
        if mist:
            opm.append(f"alleen oud: {', '.join(mist)}")
        if extra:
            opm.append(f"alleen nieuw: {', '.join(extra)}")
        toelichting = f" ({'; '.join(opm)})" if opm else ""
        if verschil == (0, 0) and n_oud == n_nieuw and not mist:
            regels.append(f"{tabel}: identiek, {n_oud} rijen{toelichting}")
        else:
            regels.append(
                f"{tabel}: VERSCHIL, {n_oud} tegen {n_nieuw} rijen, {verschil[0]} rijen alleen "
                f"oud, {verschil[1]} alleen nieuw{toelichting}"
            )
    con.close()
    return regels


def main(argv: list[str] | None = None) -> int:
    """Compare and print; exit status 1 on any difference."""
    p = argparse.ArgumentParser(prog="python -m bench.vergelijk", description=__doc__)
    p.add_argument("oud", type=Path)
    p.add_argument("nieuw", type=Path)
    p.add_argument("--tabellen", default=None, help="komma-gescheiden; standaard alle")
    args = p.parse_args(argv)
    tabellen = args.tabellen.split(",") if args.tabellen else None
    regels = vergelijk(args.oud, args.nieuw, tabellen)
    print("\n".join(regels))
    return 1 if any("VERSCHIL" in r for r in regels) else 0


if __name__ == "__main__":
    sys.exit(main())
