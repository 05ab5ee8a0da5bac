"""Time each derivation step (warehouse/sql/NN_*.sql, then the KPI fact tables) on a copy.

The loader runs these files inside one load; here they run again, one by one, with the
loader's own DuckDB settings, on a new file holding the products, with the loaded messages
in a Parquet file as the loader's checked messages are. Step 00 then finds no duplicates,
but does the same work (it hashes every message key).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import duckdb

from warehouse.laden import duckdb_instellingen, leid_feiten_af
from warehouse.schema import SQL_MAP


def tijden(warehouse: Path, werkbestand: Path) -> dict[str, float]:
    """Seconds per derivation file, re-run on `werkbestand` (overwritten, then removed)."""
    with contextlib.suppress(FileNotFoundError):
        werkbestand.unlink()
    con = duckdb.connect(str(werkbestand))
    try:
        duckdb_instellingen(con)
        con.execute((SQL_MAP / "schema.sql").read_text())
        con.execute("attach $pad as bron (read_only)", {"pad": str(warehouse)})
        for tabel in ("producten", "gemeenten", "aanbieders", "contracten"):
            con.execute(f"insert into {tabel} select * from bron.{tabel}")  # our constants
        # the loaded messages as the loader's checked-message file, read through a view
        berichten = werkbestand.with_name(werkbestand.name + ".berichten.parquet")
        con.table("bron.berichten").write_parquet(str(berichten))
        con.execute("detach bron")
        con.read_parquet(str(berichten)).create_view("berichten_kandidaten", replace=True)
        uit = {}
        for sql in sorted(SQL_MAP.glob("[0-9][0-9]_*.sql")):
            begin = time.perf_counter()
            con.execute(sql.read_text())
            uit[sql.name] = time.perf_counter() - begin
        begin = time.perf_counter()
        leid_feiten_af(con)
        uit["feiten/*.sql"] = time.perf_counter() - begin
        return uit
    finally:
        con.close()
        for achtervoegsel in ("", ".wal", ".berichten.parquet"):
            pad = werkbestand.with_name(werkbestand.name + achtervoegsel)
            with contextlib.suppress(FileNotFoundError):
                pad.unlink()
