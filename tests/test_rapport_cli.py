"""`python -m rapport`: factsheets and deck from the command line, bad input exits 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from pypdf import PdfReader

from rapport.cli import main
from rapport.factsheet import bestandsnaam
from tests.conftest import REPO


@pytest.fixture(scope="module")
def aanbieders(mini_warehouse: Path) -> list[tuple[str, str]]:
    """The three providers with the most trajectories: (AGB, naam)."""
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        return con.execute(
            "select t.aanbieder, a.naam from zorgtrajecten as t join aanbieders as a "
            "using (aanbieder) group by all order by count(*) desc, 1 limit 3"
        ).fetchall()
    finally:
        con.close()


def test_factsheets_in_twee_processen(
    mini_warehouse: Path, tmp_path: Path, aanbieders: list[tuple[str, str]], capsys
) -> None:  # noqa: ANN001
    codes = ",".join(a for a, _ in aanbieders)
    uit = tmp_path / "factsheets"
    code = main(["factsheets", "--db", str(mini_warehouse), "--periode", "cj2023",
                 "--out", str(uit), "--aanbieder", codes, "--processen", "2"])  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in uit.iterdir()) == sorted(
        bestandsnaam(a, n) for a, n in aanbieders
    )
    for agb, naam in aanbieders:
        eerste = PdfReader(uit / bestandsnaam(agb, naam)).pages[0].extract_text()
        assert f"Factsheet {naam}" in eerste and f"AGB {agb}" in eerste
    assert "3 factsheets" in capsys.readouterr().err


def test_deck_met_gemeente(mini_warehouse: Path, tmp_path: Path) -> None:
    doel = tmp_path / "deck.pptx"
    code = main(["deck", "--db", str(mini_warehouse), "--periode", "2024", "--out", str(doel),
                 "--gemeente", "0197"])  # fmt: skip
    assert code == 0
    prs = Presentation(str(doel))
    assert prs.slides[0].shapes.title.text == "Stoplicht — 2024"
    assert "gemeente: Aalten" in prs.slides[0].placeholders[1].text


@pytest.mark.parametrize(
    ("args", "melding"),
    [
        (["--periode", "2024-13", "--out", "x.pptx"], "ongeldige periode"),
        (["--periode", "2024", "--out", "x.pdf"], ".pptx"),
    ],
)
def test_fouten_geven_code_2(
    mini_warehouse: Path, tmp_path: Path, args: list[str], melding: str, capsys
) -> None:  # noqa: ANN001
    args = [a if a not in ("x.pptx", "x.pdf") else str(tmp_path / a) for a in args]
    assert main(["deck", "--db", str(mini_warehouse), *args]) == 2
    assert melding in capsys.readouterr().err


def test_ontbrekende_database(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code = main(["factsheets", "--db", str(tmp_path / "geen.duckdb"), "--periode", "2024",
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 2 and "bestaat niet" in capsys.readouterr().err


def test_als_module_met_hulp() -> None:
    uit = subprocess.run(
        [sys.executable, "-m", "rapport", "factsheets", "--help"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "--periode" in uit.stdout and "--processen" in uit.stdout
