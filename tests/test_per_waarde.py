"""Python per value outside Polars' thread pool (kpi/per_waarde.py): the server cannot freeze.

`Expr.map_elements` beside a `to_pandas` in another thread froze the whole interpreter (every
thread waiting, the main thread too) within a second on this machine; the dashboard's server
runs the pages of many sessions at once, so it must never run Python inside a Polars
expression.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import polars as pl
import pytest

from kpi.per_waarde import per_waarde
from tests.conftest import REPO

# The page code that formats values, in threads, beside to_pandas (what st.dataframe does).
STRESS = """
import threading
from datetime import date
import polars as pl
from kpi.prognose.overzicht import beveilig
from weergave import gegevens, grafieken, privacy

frame = pl.DataFrame({"reden": [f"r{i}" for i in range(40)], "aantal": list(range(40)),
                      "x": [1.5] * 40, "periode_start": [date(2024, 1 + i % 12, 1) for i in range(40)]})
def opmaken():
    for _ in range(400):
        gegevens.leesbaar(frame.drop("periode_start"))
        privacy.tellingen_als_tekst(frame)
        beveilig(frame.rename({"aantal": "instroom_12m"}))
        frame.select(grafieken.maandlabel("periode_start"))
def naar_pandas():
    for _ in range(400):
        pl.DataFrame({"a": [5234.523] * 1000, "b": ["x"] * 1000}).to_pandas()
draden = [threading.Thread(target=opmaken) for _ in range(3)]
draden += [threading.Thread(target=naar_pandas) for _ in range(2)]
for d in draden:
    d.start()
for d in draden:
    d.join()
print("klaar")
"""


def test_opmaak_in_draden_naast_to_pandas_loopt_niet_vast() -> None:
    try:
        uit = subprocess.run(
            [sys.executable, "-c", STRESS], cwd=REPO, capture_output=True, text=True, timeout=240
        )
    except subprocess.TimeoutExpired:
        pytest.fail("de opmaak in draden naast to_pandas liep vast (een deadlock in Polars)")
    assert uit.returncode == 0, uit.stderr
    assert uit.stdout.strip() == "klaar"


SERVER_CODE = ("kpi", "weergave", "ui", "rapport", "paginas")


def test_geen_python_in_een_polars_expressie() -> None:
    gevonden = [
        f"{pad.relative_to(REPO)}:{nr}"
        for laag in SERVER_CODE
        for pad in sorted((REPO / laag).rglob("*.py"))
        for nr, regel in enumerate(pad.read_text().splitlines(), start=1)
        if re.search(r"\.(map_elements|map_batches|map_rows)\(", regel)
    ]
    assert not gevonden, f"Python in een Polars-expressie (gebruik kpi.per_waarde): {gevonden}"


def test_per_waarde_is_map_elements() -> None:
    reeks = pl.Series("n", [3, None, 1_234_567])
    assert per_waarde(reeks, lambda n: f"<{n}>", pl.String).to_list() == ["<3>", None, "<1234567>"]
    assert per_waarde(reeks, str, pl.String, ook_leeg=True).to_list() == ["3", "None", "1234567"]
    assert per_waarde(reeks, str, pl.String).name == "n"
    leeg = per_waarde(pl.Series("n", [], dtype=pl.Int64), str, pl.String)
    assert leeg.dtype == pl.String and leeg.len() == 0


def test_maandlabel() -> None:
    from weergave.grafieken import maandlabel

    frame = pl.DataFrame({"d": [date(2024, 3, 1), None, date(2023, 12, 31)]})
    assert frame.select(maandlabel("d"))["d"].to_list() == ["mrt 2024", None, "dec 2023"]
