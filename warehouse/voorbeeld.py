"""First start: build the warehouse from the bundled sample data when none exists."""

from __future__ import annotations

from pathlib import Path

from warehouse.laden import Laadresultaat, laad_extract

STANDAARD_DB = Path("data/stoplicht.duckdb")
VOORBEELD_SEED = 42


def zorg_voor_warehouse(db: Path = STANDAARD_DB) -> Laadresultaat | None:
    """Generate the sample extract (seed 42, regio) next to `db` and load it, unless `db` exists."""
    db = Path(db)
    if db.exists():
        return None
    from sample_data.generate import generate

    extract = db.parent / "voorbeeld-extract"
    if not (extract / "manifest.json").exists():
        generate(extract, seed=VOORBEELD_SEED, scale="regio")
    return laad_extract(extract, db)
