"""Shared test helpers: tiny hand-built extracts, loaded into a real DuckDB file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest

from datacontract.kolommen import BERICHTEN

# A fixed key for tests, so no secret file is written into the repository.
os.environ.setdefault("STOPLICHT_PSEUDONIEM_SLEUTEL", "test-sleutel-niet-geheim")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENTIE_BERICHTEN = SHARED / "reference" / "istandaarden" / "berichten"

# The hand-built extracts carry the data contract's message columns but the optional
# referentie_aanbieder, as an extract may (tests/test_kpi_tijdig_301_laden.py).
BERICHT_KOLOMMEN = tuple(k for k in BERICHTEN.namen if k != "referentie_aanbieder")

# product_code, product_categorie, subsegment, segment, domein, zwaarte, geldig_van, geldig_tot
PRODUCTEN = [
    ("54001", "54", "Jeugd Basis", "IAJ", "jeugd", "1", "2015-01-01", "2022-06-30"),
    ("54Z01", "54", "Jeugd Basis", "IAJ", "jeugd", "1", "2022-07-01", ""),
    ("54Z02", "54", "Jeugd Specialistisch", "IAJ", "jeugd", "2", "2022-07-01", ""),
    ("43Z01", "43", "Verblijf Groep", "GWV", "jeugd", "3", "2022-07-01", ""),
    ("02Z01", "02", "Ondersteuning Licht", "IO", "wmo", "1", "2022-07-01", ""),
    ("02Z02", "02", "Ondersteuning Zwaar", "IO", "wmo", "2", "2022-07-01", ""),
    # product codes of the published iJw/iWmo example messages
    ("55A11", "55", "Landelijk A", "IAJ", "jeugd", "2", "", ""),
    ("55A12", "55", "Landelijk A", "IAJ", "jeugd", "2", "", ""),
    ("45A03", "45", "Jeugd Specialistisch", "IAJ", "jeugd", "2", "", ""),
    ("01A01", "01", "Ondersteuning Licht", "IO", "wmo", "1", "", ""),
    ("01A11", "01", "Ondersteuning Licht", "IO", "wmo", "1", "", ""),
    ("01A12", "01", "Ondersteuning Licht", "IO", "wmo", "1", "", ""),
    ("ABCDE", "01", "Ondersteuning Licht", "IO", "wmo", "1", "", ""),
    ("BCDEF", "01", "Ondersteuning Licht", "IO", "wmo", "1", "", ""),
]
PRODUCT_KOLOMMEN = (
    "product_code",
    "product_categorie",
    "subsegment",
    "segment",
    "domein",
    "zwaarte",
    "geldig_van",
    "geldig_tot",
)

AALTEN, BERKELLAND, DOETINCHEM = "0197", "1859", "0222"
AANBIEDER_A, AANBIEDER_B = "01234567", "87654321"


def bsn(n: int) -> str:
    """The n-th valid 9-digit BSN (passes the 11-test), deterministic."""
    gevonden = 0
    kandidaat = 100000000
    while True:
        kandidaat += 1
        cijfers = [int(c) for c in f"{kandidaat:09d}"]
        som = sum(c * w for c, w in zip(cijfers, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        if som % 11 == 0 and som != 0:
            gevonden += 1
            if gevonden == n:
                return f"{kandidaat:09d}"


def schrijf_csv(
    pad: Path, kolommen: Iterable[str], rijen: Iterable[Iterable[str]], sep: str = ";"
) -> None:
    """Write a CSV file with a header line."""
    with pad.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(list(kolommen))
        for r in rijen:
            w.writerow(list(r))


def bericht(**velden: str) -> dict[str, str]:
    """A berichten row with defaults for what a test does not care about."""
    basis = {
        "gemeente": AALTEN,
        "aanbieder": AANBIEDER_A,
        "bsn": bsn(1),
        "product_categorie": "54",
        "product_code": "54Z01",
    }
    return basis | velden


def schrijf_extract(
    map_: Path,
    berichten: list[dict[str, str]],
    producten: list[tuple[str, ...]] | None = None,
    **tabellen: list[dict[str, str]],
) -> Path:
    """A tiny extract: berichten.csv, producten.csv and any other table given as dict rows."""
    map_.mkdir(parents=True, exist_ok=True)
    # bericht_id defaults to the row number so that rows are distinct messages
    rijen = [
        [r.get(k, str(i) if k == "bericht_id" else "") for k in BERICHT_KOLOMMEN]
        for i, r in enumerate(berichten, start=1)
    ]
    schrijf_csv(map_ / "berichten.csv", BERICHT_KOLOMMEN, rijen)
    schrijf_csv(map_ / "producten.csv", PRODUCT_KOLOMMEN, producten or PRODUCTEN)
    for naam, tabel_rijen in tabellen.items():
        kolommen = list(dict.fromkeys(k for r in tabel_rijen for k in r))
        schrijf_csv(
            map_ / f"{naam}.csv", kolommen, [[r.get(k, "") for k in kolommen] for r in tabel_rijen]
        )
    return map_


def laad(map_: Path, db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Load an extract into a DuckDB file and open it read-only."""
    from warehouse.laden import laad_extract

    db = db or map_.parent / f"{map_.name}.duckdb"
    laad_extract(map_, db)
    return duckdb.connect(str(db), read_only=True)


def rijen(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple]:
    """All rows of a query."""
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    """An empty folder for an extract."""
    return tmp_path / "extract"


@pytest.fixture(scope="session")
def mini_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 'mini' sample extract (seed 7) loaded once per test session into a DuckDB file."""
    from sample_data.generate import generate
    from warehouse.laden import laad_extract

    map_ = tmp_path_factory.mktemp("mini")
    generate(map_ / "extract", seed=7, scale="mini")
    db = map_ / "stoplicht.duckdb"
    laad_extract(map_ / "extract", db)
    return db
