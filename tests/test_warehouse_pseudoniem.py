"""Pseudonyms computed in DuckDB (the load) equal those computed in Python, for any key."""

import duckdb
import pytest

from warehouse.pseudoniem import hmac_blokken, pseudoniem, pseudoniemen
from warehouse.schema import SQL_MAP

BSNS = ["111222333", "123456782", "000000000", "999999999", "12345678x", " 1 ", "é"]


@pytest.mark.parametrize("key", [b"", b"k", b"test-sleutel-niet-geheim", b"x" * 64, b"y" * 65])
def test_sql_gelijk_aan_python(key: bytes) -> None:
    con = duckdb.connect()
    con.execute("create table berichten_gecontroleerd (bsn varchar, _fout boolean)")
    con.executemany(
        "insert into berichten_gecontroleerd values (?, ?)",
        [(b, False) for b in BSNS] + [(None, False), ("555555555", True)],
    )
    con.execute((SQL_MAP / "pseudoniemen.sql").read_text(), hmac_blokken(key))
    in_sql = dict(con.execute("select bsn, client_id from pseudoniemen").fetchall())
    assert in_sql == {b: pseudoniem(b, key) for b in BSNS}  # rejected rows and nulls left out
    assert pseudoniemen(BSNS, key) == [pseudoniem(b, key) for b in BSNS]
