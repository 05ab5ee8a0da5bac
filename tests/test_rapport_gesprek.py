"""The dossier on paper from the command line: factsheets with the shared dossier part (in two
processes too), the Excel export per provider and period, the group talk's PDFs."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from dossier import Dossier
from kpi import gesprek as gs
from rapport.cli import main
from rapport.factsheet import bestandsnaam

BINNENKORT = date.today() + timedelta(days=30)


@pytest.fixture(scope="module")
def aanbieders(mini_warehouse: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        return con.execute(
            "select t.aanbieder, a.naam from zorgtrajecten as t join aanbieders as a "
            "using (aanbieder) group by all order by count(*) desc, 1 limit 5"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def dossier(tmp_path: Path, aanbieders: list[tuple[str, str]]) -> Dossier:
    d = Dossier(tmp_path / "dossier.sqlite")
    for agb, _ in aanbieders[:2]:
        g = gs.gesprek(agb, "2024")
        d.nieuwe_afspraak(g, "cm@regio.nl", f"Gedeelde afspraak {agb}", "aanbieder", BINNENKORT)
        d.nieuwe_afspraak(g, "cm@regio.nl", f"Interne afspraak {agb}", "gemeente", BINNENKORT,
                          gedeeld=False)  # fmt: skip
        d.nieuw_besluit(g, "cm@regio.nl", "voorschot", f"Reden {agb}", "600.000,00",
                        "2024-07-01", waarde_van="657.000,00", gedeeld=True)  # fmt: skip
    return d


def _tekst(pad: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pad).pages)


@pytest.mark.parametrize("processen", ["1", "2"])
def test_factsheets_met_dossier(
    mini_warehouse: Path,
    tmp_path: Path,
    aanbieders,
    dossier: Dossier,
    processen: str,  # noqa: ANN001
) -> None:
    (a, naam_a), (b, naam_b) = aanbieders[:2]
    uit = tmp_path / "factsheets"
    assert main(["factsheets", "--db", str(mini_warehouse), "--periode", "2024", "--out",
                 str(uit), "--aanbieder", f"{a},{b}", "--processen", processen,
                 "--dossier", str(dossier.pad)]) == 0  # fmt: skip
    tekst_a, tekst_b = _tekst(uit / bestandsnaam(a, naam_a)), _tekst(uit / bestandsnaam(b, naam_b))
    assert f"Gedeelde afspraak {a}" in tekst_a and f"Gedeelde afspraak {b}" not in tekst_a
    assert f"Interne afspraak {a}" not in tekst_a
    assert "Voorschot van € 657.000,00 naar € 600.000,00 per 01-07-2024" in tekst_a
    assert f"Gedeelde afspraak {b}" in tekst_b


def test_factsheets_met_of_zonder_dossier_naast_de_warehouse(
    mini_warehouse: Path,
    tmp_path: Path,
    aanbieders,
    monkeypatch,  # noqa: ANN001
) -> None:
    monkeypatch.delenv("STOPLICHT_DOSSIER", raising=False)
    (a, naam), *_ = aanbieders
    uit, db = tmp_path / "f", tmp_path / "data" / "stoplicht.duckdb"
    db.parent.mkdir()
    shutil.copy(mini_warehouse, db)
    assert main(["factsheets", "--db", str(db), "--periode", "2024", "--out",
                 str(uit), "--aanbieder", a, "--processen", "1"]) == 0  # fmt: skip
    assert "CM-gesprek 2024" not in _tekst(uit / bestandsnaam(a, naam))
    # with a dossier beside the warehouse, the factsheet takes it without being told
    Dossier(db.parent / "dossier.sqlite").nieuwe_afspraak(
        gs.gesprek(a, "2024"), "cm@regio.nl", "Naast de warehouse", "aanbieder", BINNENKORT
    )
    assert main(["factsheets", "--db", str(db), "--periode", "2024", "--out",
                 str(uit), "--aanbieder", a, "--processen", "1"]) == 0  # fmt: skip
    assert "Naast de warehouse" in _tekst(uit / bestandsnaam(a, naam))


def test_dossier_als_excel(
    mini_warehouse: Path, tmp_path: Path, aanbieders, dossier: Dossier
) -> None:  # noqa: ANN001
    (a, _), *_ = aanbieders

    def cellen(*extra: str) -> dict[str, list[tuple]]:
        doel = tmp_path / "dossier.xlsx"
        assert main(["dossier", "--db", str(mini_warehouse), "--periode", "2024", "--aanbieder",
                     a, "--dossier", str(dossier.pad), "--out", str(doel), *extra]) == 0  # fmt: skip
        boek = openpyxl.load_workbook(doel)
        return {b.title: list(b.iter_rows(values_only=True)) for b in boek.worksheets}

    alles = cellen()
    assert list(alles) == ["Agenda", "Afspraken", "Eerdere afspraken", "Toelichting en besluiten",
                           "Geschiedenis"]  # fmt: skip
    afspraken = alles["Afspraken"]
    assert afspraken[0][:5] == ("Gesprek", "Afspraak", "Eigenaar", "Deadline", "Status")
    assert {r[1] for r in afspraken[1:]} == {f"Gedeelde afspraak {a}", f"Interne afspraak {a}"}
    assert {r[3].date() for r in afspraken[1:]} == {BINNENKORT}  # a real date cell
    besluit = alles["Toelichting en besluiten"][1]
    assert (besluit[4], besluit[5]) == (657000.0, 600000.0)  # numbers, not text
    assert len(alles["Geschiedenis"]) == 1 + 3
    gedeeld = cellen("--alleen-gedeeld")
    assert "Geschiedenis" not in gedeeld
    assert [r[1] for r in gedeeld["Afspraken"][1:]] == [f"Gedeelde afspraak {a}"]


def test_groepsgesprek_pdfs(mini_warehouse: Path, tmp_path: Path, aanbieders) -> None:  # noqa: ANN001
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    sub, *_ = con.execute(
        "select subsegment from zorgtrajecten group by 1 order by count(distinct aanbieder) desc limit 1"
    ).fetchone()
    leden = [r for r in con.execute(
        "select t.aanbieder, a.naam from zorgtrajecten t join aanbieders a using (aanbieder) "
        "where subsegment = ? group by all order by count(*) desc limit 5", [sub]).fetchall()]  # fmt: skip
    con.close()
    uit = tmp_path / "groep"
    assert main(["groepsgesprek", "--db", str(mini_warehouse), "--periode", "2024",
                 "--subsegment", sub, "--leden", ",".join(c for c, _ in leden),
                 "--out", str(uit)]) == 0  # fmt: skip
    paden = sorted(uit.iterdir())
    assert len(paden) == 1 + len(leden)
    [overzicht] = [p for p in paden if p.name.endswith("_overzicht_intern.pdf")]
    tekst = _tekst(overzicht)
    assert all(c in tekst.replace(" ", "") for c, _ in leden)
    for c, naam in leden:
        [blad] = [p for p in paden if p.name.endswith(f"_{c}.pdf")]
        tekst = _tekst(blad)
        assert naam in tekst and all(ander not in tekst for ander, _ in leden if ander != c)
    assert main(["groepsgesprek", "--db", str(mini_warehouse), "--periode", "2024",
                 "--subsegment", sub, "--leden", leden[0][0], "--out", str(uit)]) == 2  # fmt: skip
