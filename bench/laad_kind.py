"""Child process of the benchmark: `python -m bench.laad_kind EXTRACT DB` loads and prints the
seconds at which each load step (warehouse.laden.STAPPEN) began, as one JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from warehouse.laden import laad_extract


def main() -> None:
    """Load the extract, timing the steps the loader reports through `voortgang`."""
    extract, db = Path(sys.argv[1]), Path(sys.argv[2])
    begin = time.perf_counter()
    stappen: list[tuple[str, float]] = []
    res = laad_extract(extract, db, lambda stap: stappen.append((stap, time.perf_counter())))
    einde = time.perf_counter()
    grenzen = [*stappen, ("einde", einde)]
    duur = {
        naam: round(volgende - tijd, 3)
        for (naam, tijd), (_, volgende) in zip(grenzen, grenzen[1:], strict=False)
    }
    print(json.dumps({"seconden": round(einde - begin, 3), "stappen": duur, "rijen": res.rijen}))


if __name__ == "__main__":
    main()
