"""One read-only DuckDB connection per process; a cursor per query."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from warehouse.voorbeeld import STANDAARD_DB, zorg_voor_warehouse


def warehouse_pad() -> Path:
    """The warehouse file: $STOPLICHT_DB, else data/stoplicht.duckdb."""
    return Path(os.environ.get("STOPLICHT_DB", STANDAARD_DB))


@st.cache_resource(show_spinner="Eerste start: voorbeelddata aanmaken en laden…")
def verbinding() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection (the sample warehouse is built on first start)."""
    pad = warehouse_pad()
    zorg_voor_warehouse(pad)
    return duckdb.connect(str(pad), read_only=True)


@st.cache_data(show_spinner=False)
def tabel(naam: str) -> pl.DataFrame:
    """A whole bookkeeping table (meta, laadverslag) as a frame."""
    if naam not in ("meta", "laadverslag", "quarantaine_per_reden"):
        raise ValueError(naam)
    cur = verbinding().cursor()
    if naam == "quarantaine_per_reden":
        sql = (
            "select tabel, ernst, reden, count(*) as aantal from quarantaine "
            "group by all order by aantal desc, tabel, reden"
        )
        return cur.sql(sql).pl()
    return cur.sql(f"select * from {naam}").pl()  # naam checked against a fixed list above
