"""The KPI fact tables: as the load stores them and as kpi builds them (views) they agree."""

import duckdb
import pytest

from kpi.eenhedensets import feiten_als_views
from warehouse.schema import FEITEN_MAP

TABELLEN = sorted(p.stem for p in FEITEN_MAP.glob("*.sql"))


@pytest.mark.parametrize("tabel", TABELLEN)
def test_geladen_feiten_gelijk_aan_views(mini_warehouse, tabel: str) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    cur = con.cursor()
    geladen = cur.sql(f"select * from main.{tabel}").pl()
    feiten_als_views(cur)  # temporary views of the same name shadow the stored tables
    als_view = cur.sql(f"select * from {tabel}").pl()
    con.close()
    assert geladen.height > 0
    assert geladen.sort(geladen.columns).equals(als_view.sort(als_view.columns))
