"""Leak test for the dossier: a provider, logged in, sees only its own shared dossier items.

Every provider in the warehouse gets a dossier with a marked text per kind, shared and internal,
in this period and the one before, and a group talk is saved with the provider and four others.
Every page is rendered for the provider user (user file and st.user, as in production) and all
it shows is scanned: no internal text, no other provider's text, and no way to write. The
factsheet and the Excel export in provider scope are scanned the same way.
"""

from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pypdf
import pytest
import streamlit.testing.v1.app_test as app_test

import rapport
from dossier import Dossier, Gesprek
from kpi import gesprek as gs
from kpi.registry import laad_registry
from kpi.scope import Scope
from rapport.gesprek import dossier_excel
from tests.test_toegang_lekken import PAGINAS, _Downloads, draai_als, zichtbaar

SOORTEN = ("afspraak", "toelichting", "besluit", "agendapunt")
MERK = re.compile(r"(GEDEELD|INTERN)-(\d{8})-(\w+)-(\d{4})")


def _merk(gedeeld: bool, agb: str, soort: str, jaar: int) -> str:
    return f"{'GEDEELD' if gedeeld else 'INTERN'}-{agb}-{soort}-{jaar}"


def _vul(d: Dossier, agb: str, jaar: int) -> None:
    g = Gesprek(agb, str(jaar), date(jaar, 1, 1), date(jaar, 12, 31))
    for gedeeld in (True, False):
        m = lambda s, gedeeld=gedeeld: _merk(gedeeld, agb, s, jaar)  # noqa: E731
        d.nieuwe_afspraak(g, "cm@regio.nl", m("afspraak"), "aanbieder", d.vandaag(), gedeeld)
        if jaar == 2024:
            d.nieuwe_toelichting(g, "cm@regio.nl", "doorlooptijd" if gedeeld else "wachttijd",
                                 m("toelichting"), gedeeld)  # fmt: skip
            d.nieuw_besluit(g, "cm@regio.nl", "voorschot", m("besluit"), "600.000,00",
                            "2024-07-01", waarde_van="657.000,00", gedeeld=gedeeld)  # fmt: skip
            d.nieuw_agendapunt(g, "cm@regio.nl", m("agendapunt"), gedeeld=gedeeld)


@pytest.fixture(scope="module")
def omgeving(mini_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    aanbieders = [r[0] for r in con.execute("select aanbieder from aanbieders").fetchall()]
    eigen, sub = con.execute(
        "select aanbieder, subsegment from zorgtrajecten group by all order by count(*) desc limit 1"
    ).fetchone()
    anderen_in_sub = [r[0] for r in con.execute(
        "select aanbieder from zorgtrajecten where subsegment = ? and aanbieder <> ? "
        "group by 1 order by count(*) desc limit 4", [sub, eigen]).fetchall()]  # fmt: skip
    map_ = tmp_path_factory.mktemp("dossierlek")
    d = Dossier(map_ / "dossier.sqlite")
    for agb in aanbieders:
        for jaar in (2023, 2024):
            _vul(d, agb, jaar)
    d.nieuwe_groep(sub, "2024", date(2024, 1, 1), date(2024, 12, 31),
                   "cm@regio.nl", [eigen, *anderen_in_sub], "Groepsgesprek test")  # fmt: skip
    gebruikers = map_ / "gebruikers.toml"
    gebruikers.write_text(
        '[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n\n'
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{eigen}"\n'
    )
    namen = ("STOPLICHT_DB", "STOPLICHT_GEBRUIKERS", "STOPLICHT_DOSSIER", "STOPLICHT_INGETROKKEN")
    oud = {k: os.environ.get(k) for k in namen}
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    os.environ["STOPLICHT_GEBRUIKERS"] = str(gebruikers)
    os.environ["STOPLICHT_DOSSIER"] = str(d.pad)
    os.environ["STOPLICHT_INGETROKKEN"] = str(map_ / "ingetrokken.txt")  # revoked logins
    media = app_test.MediaFileManager
    app_test.MediaFileManager = _Downloads  # zichtbaar() opens what the download buttons hold
    yield {"eigen": eigen, "dossier": d, "con": con, "groep": [eigen, *anderen_in_sub]}
    app_test.MediaFileManager = media
    for k, v in oud.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _alleen_eigen_gedeeld(tekst: str, eigen: str) -> set[str]:
    """All dossier markers in a text, after checking each is the provider's own and shared."""
    gevonden = set()
    for m in MERK.finditer(tekst):
        soort, agb = m[1], m[2]
        assert agb == eigen, f"dossiertekst van aanbieder {agb} zichtbaar: {m[0]}"
        assert soort == "GEDEELD", f"interne dossiertekst zichtbaar: {m[0]}"
        gevonden.add(m[0])
    return gevonden


@pytest.mark.parametrize("pagina", PAGINAS)
@pytest.mark.parametrize("periode", ["2024", "2023"])
def test_aanbieder_ziet_alleen_eigen_gedeelde_dossiertekst(
    omgeving: dict, pagina: str, periode: str
) -> None:
    eigen = omgeving["eigen"]
    at = draai_als("info@aanbieder.nl", pagina, periode=periode, kpi="doorlooptijd")
    tekst, _ = zichtbaar(at)
    gevonden = _alleen_eigen_gedeeld(tekst, eigen)
    # and it cannot write: no save buttons, no text fields of the dossier
    assert not [b for b in at.button if (b.key or "").startswith("dossier_")]
    assert not [t for t in at.text_area if (t.key or "").startswith("dossier_")]
    if pagina == "aanbieder.py" and periode == "2024":
        assert gevonden == {_merk(True, eigen, s, 2024) for s in SOORTEN} | {
            _merk(True, eigen, "afspraak", 2023)  # the previous talk's afspraak
        }
    if pagina == "groepsgesprek.py" and periode == "2024":
        assert any("Groepsgesprek test" in s.value for s in at.subheader)
        assert at.dataframe, "het eigen groepsblad ontbreekt"


def test_gemeente_ziet_ook_interne_teksten(omgeving: dict) -> None:
    """The control: the markers are on the page at all (for a municipality role)."""
    eigen = omgeving["eigen"]
    at = draai_als("cm@regio.nl", "aanbieder.py", periode="2024", aanbieder=eigen)
    tekst, _ = zichtbaar(at)
    gevonden = {m[0] for m in MERK.finditer(tekst)}
    assert {_merk(False, eigen, s, 2024) for s in SOORTEN} <= gevonden
    assert {_merk(True, eigen, s, 2024) for s in SOORTEN} <= gevonden
    assert all(m[2] == eigen for m in MERK.finditer(tekst))  # only this provider's dossier


def test_factsheet_heeft_alleen_gedeelde_teksten(omgeving: dict) -> None:
    eigen, d = omgeving["eigen"], omgeving["dossier"]
    pdf = rapport.maak_factsheet(omgeving["con"], "2024", eigen, dossier=d)
    tekst = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    tekst = re.sub(r"\s+", "", tekst)  # a long marker may wrap in a table cell
    assert _alleen_eigen_gedeeld(tekst, eigen) == {_merk(True, eigen, s, 2024) for s in SOORTEN} | {
        _merk(True, eigen, "afspraak", 2023)
    }


def test_excel_in_aanbiedersscope(omgeving: dict) -> None:
    eigen, d = omgeving["eigen"], omgeving["dossier"]
    reg = laad_registry()

    def cellen(scope: Scope) -> str:
        boek = openpyxl.load_workbook(io.BytesIO(dossier_excel(d, eigen, "2024", scope, reg)))
        return " ".join(
            str(c) for blad in boek.worksheets for rij in blad.iter_rows(values_only=True)
            for c in rij if c is not None
        )  # fmt: skip

    als_aanbieder = cellen(Scope("aanbieder", aanbieder=eigen))
    assert _alleen_eigen_gedeeld(als_aanbieder, eigen) == {
        _merk(True, eigen, s, 2024) for s in SOORTEN
    } | {_merk(True, eigen, "afspraak", 2023)}
    assert "cm@regio.nl" not in als_aanbieder  # who wrote what stays with the municipality
    als_regio = cellen(Scope())
    assert _merk(False, eigen, "besluit", 2024) in als_regio and "cm@regio.nl" in als_regio


def test_groepsblad_pdf_noemt_geen_andere_deelnemer(omgeving: dict) -> None:
    from rapport.gegevens import lees_context
    from rapport.groepsgesprek import blad_pdf, overzicht_pdf

    con, leden = omgeving["con"], omgeving["groep"]
    context = lees_context(con)
    [groep] = gs.groepen(omgeving["dossier"], Scope())
    for agb in leden:
        pdf = blad_pdf(con, "2024", groep.subsegment, leden, agb, context)
        tekst = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert agb in tekst and context.naam("aanbieder", agb) in tekst
        for ander in leden:
            if ander != agb:
                assert ander not in tekst and context.naam("aanbieder", ander) not in tekst
    overzicht = overzicht_pdf(con, "2024", groep.subsegment, leden, context=context)
    tekst = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(overzicht)).pages)
    assert all(agb in re.sub(r"\s+", "", tekst) for agb in leden)  # the internal one names all
