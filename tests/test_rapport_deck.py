"""Board deck (PPTX): read back with python-pptx and compared with kpi.bereken."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pptx import Presentation
from pptx.util import Inches

import kpi
from rapport.deck import TOTAAL_SELECTIE, Deck, deck_pptx, verzamel
from weergave import formaat, tabellen
from weergave.afwijking import aandachtspunten, afwijking
from weergave.kleuren import STOPLICHT_ACHTERGROND

PERIODE = "2024"
VASTE_TITELS = [
    "Stoplicht — 2024",
    "Stoplicht per segment",
    "Uitgaven 2024: realisatie tegen prognose",
    "Hoeveelheids- en prijsverschil",
    "Instroom en uitstroom per maand",
    "Doorlooptijd en recidive per segment",
    "Aandachtspunten: grootste afwijkingen van de norm",
    "Ten opzichte van 2023",
    "Aandachtspunten: dreigende over- en onderbenutting",
]


@pytest.fixture(scope="module")
def con(mini_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(mini_warehouse), read_only=True)


@pytest.fixture(scope="module")
def deck(con: duckdb.DuckDBPyConnection) -> tuple[Deck, Presentation]:
    d = verzamel(con, PERIODE)
    return d, Presentation(io.BytesIO(deck_pptx(d)))


def _tabellen(dia) -> list:  # noqa: ANN001
    return [vorm.table for vorm in dia.shapes if vorm.has_table]


def _afbeeldingen(dia) -> list:  # noqa: ANN001
    return [vorm for vorm in dia.shapes if vorm.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def test_titels_en_aantal_dias(deck: tuple[Deck, Presentation]) -> None:
    d, prs = deck
    titels = [dia.shapes.title.text for dia in prs.slides]
    definities = titels[len(VASTE_TITELS) :]
    assert titels[: len(VASTE_TITELS)] == VASTE_TITELS
    assert definities and all(t.startswith("Definities") for t in definities)
    assert len(prs.slides) == len(d.titels) == len(titels)
    assert prs.slide_width == Inches(13.333)  # 16:9


def test_stoplichtmatrix_is_bereken_per_segment(
    con: duckdb.DuckDBPyConnection, deck: tuple[Deck, Presentation]
) -> None:
    _, prs = deck
    (tabel,) = _tabellen(prs.slides[1])
    registry = kpi.laad_registry()
    kpis = list(tabellen.MATRIX_KPIS)
    regio = kpi.bereken(con, PERIODE, kpis=kpis)
    per_segment = kpi.bereken(con, PERIODE, per=["segment"], kpis=kpis)
    koppen = [c.text for c in tabel.rows[0].cells]
    assert koppen[:2] == ["KPI", tabellen.REGIO]
    segmenten = [k.split(" ")[0] for k in koppen[2:]]
    assert segmenten == sorted(set(per_segment["segment"]))
    # a KPI from another source carries its source beside its figures (tabellen.kpi_kop)
    label = {tabellen.kpi_kop(registry[k]): k for k in kpis}
    assert [r.cells[0].text for r in list(tabel.rows)[1:]] == list(label)
    for rij in list(tabel.rows)[1:]:
        kpi_id = label[rij.cells[0].text]
        for kolom, cel in enumerate(list(rij.cells)[1:]):
            bron = (
                regio
                if kolom == 0
                else per_segment.filter(pl.col("segment") == segmenten[kolom - 1])
            )
            r = bron.filter(pl.col("kpi") == kpi_id).row(0, named=True)
            eenheid = registry[kpi_id].eenheid
            assert cel.text == tabellen.celtekst(r["waarde"], eenheid, r["stoplicht"])
            kleur = STOPLICHT_ACHTERGROND[r["stoplicht"]].lstrip("#")
            assert str(cel.fill.fore_color.rgb) == kleur


def test_grafieken_als_afbeelding_en_verschiltabel(
    con: duckdb.DuckDBPyConnection, deck: tuple[Deck, Presentation]
) -> None:
    _, prs = deck
    for nummer in (2, 3, 4):  # uitgaven, waterfall, instroom/uitstroom
        (beeld,) = _afbeeldingen(prs.slides[nummer])
        assert beeld.image.content_type == "image/png"
    (verschil,) = _tabellen(prs.slides[3])
    uit = kpi.bereken(con, PERIODE, per=["segment"], kpis=["hoeveelheidsverschil"])
    koppen = [c.text for c in verschil.rows[0].cells]
    kolom = koppen.index("Hoeveelheidsverschil")
    for rij in list(verschil.rows)[1:]:
        r = uit.filter(pl.col("segment") == rij.cells[0].text).row(0, named=True)
        assert rij.cells[kolom].text == formaat.euro(r["waarde"])


def test_doorlooptijd_en_recidive_per_segment(
    con: duckdb.DuckDBPyConnection, deck: tuple[Deck, Presentation]
) -> None:
    _, prs = deck
    (tabel,) = _tabellen(prs.slides[5])
    koppen = [c.text for c in tabel.rows[0].cells]
    assert koppen == ["Segment", "Doorlooptijd", "Doorlooptijd (gemiddeld)",
                      "Doorlooptijd t.o.v. opgegeven", "Recidive", "Afschaling"]  # fmt: skip
    recidive = kpi.bereken(con, PERIODE, kpis=["recidive"]).row(0, named=True)
    regio = [c.text for c in tabel.rows[1].cells]
    assert regio[0] == tabellen.REGIO
    assert regio[4] == tabellen.celtekst(recidive["waarde"], "aandeel", recidive["stoplicht"])


def test_aandachtspunten_rood_of_oranje_grootste_afwijking_eerst(
    deck: tuple[Deck, Presentation],
) -> None:
    d, prs = deck
    (tabel,) = _tabellen(prs.slides[6])
    rijen = [[c.text for c in r.cells] for r in list(tabel.rows)[1:]]
    assert 0 < len(rijen) <= 5
    assert rijen == [list(r) for r in d.aandachtspunten.rows()]
    assert all(r[5].endswith(("rood", "oranje")) for r in rijen)
    procenten = [int(r[4].split(" ")[0]) for r in rijen]
    assert procenten == sorted(procenten, reverse=True)


def test_deck_met_selectie(con: duckdb.DuckDBPyConnection) -> None:
    d = verzamel(con, PERIODE, kpi.Filters(gemeente="0197"))
    assert d.selectie == "gemeente: Aalten"
    verwacht = kpi.bereken(con, PERIODE, filters=kpi.Filters(gemeente="0197"), kpis=["instroom"])
    assert d.matrix.columns[1] == TOTAAL_SELECTIE
    regio = dict(d.matrix.select("KPI", TOTAAL_SELECTIE).iter_rows())
    assert regio["Instroom"] == tabellen.celtekst(verwacht["waarde"][0], "aantal", "grijs")


@pytest.mark.parametrize(
    ("waarde", "norm", "verwacht"),
    [
        (130.0, "<= 100", 0.30),
        (90.0, "<= 100", 0.0),
        (0.45, ">= 0.9", 0.5),
        (1.26, "0.9..1.05", 0.2),
        (0.72, "0.9..1.05", 0.2),
        (1.0, "0.9..1.05", 0.0),
        (5.0, None, None),
        (5.0, "onleesbaar", None),
    ],
)
def test_afwijking(waarde: float, norm: str | None, verwacht: float | None) -> None:
    uit = afwijking(waarde, norm)
    assert uit == pytest.approx(verwacht) if verwacht is not None else uit is None


def test_aandachtspunten_laat_grijs_en_kleine_n_weg() -> None:
    registry = kpi.laad_registry()
    basis = {"gemeente": None, "domein": None, "subsegment": None, "aanbieder": None,
             "teller": None, "noemer": None, "voorlopig": False, "norm_oranje": None}  # fmt: skip
    frame = pl.DataFrame(
        [
            {
                **basis,
                "kpi": "wachttijd",
                "segment": "IAJ",
                "waarde": 60.0,
                "n": 50,
                "norm_groen": "<= 28",
                "stoplicht": "rood",
            },  # 114 %
            {
                **basis,
                "kpi": "wachttijd",
                "segment": "IO",
                "waarde": 16.0,
                "n": 50,
                "norm_groen": "<= 14",
                "stoplicht": "oranje",
            },  # 14 %
            {
                **basis,
                "kpi": "wachttijd",
                "segment": "GWV",
                "waarde": 99.0,
                "n": 5,
                "norm_groen": "<= 28",
                "stoplicht": "rood",
            },  # n below min_n 10
            {
                **basis,
                "kpi": "recidive",
                "segment": "IAJ",
                "waarde": 0.9,
                "n": 50,
                "norm_groen": "<= 0.15",
                "stoplicht": "grijs",
            },  # voorlopig: grey
        ]  # fmt: skip
    )
    uit = aandachtspunten(frame, registry, aantal=5)
    assert uit["Waar"].to_list() == ["IAJ", "IO"]
    assert uit["Afwijking"].to_list() == ["114 % boven de norm", "14 % boven de norm"]


def test_contractjaar_uitgaven_en_reden_zonder_verschil(con: duckdb.DuckDBPyConnection) -> None:
    d = verzamel(con, "cj2023")
    prs = Presentation(io.BytesIO(deck_pptx(d)))
    assert (
        prs.slides[2].shapes.title.text
        == "Uitgaven contractjaar 2023/24: realisatie tegen prognose"
    )
    # the spending chart runs July 2023 - June 2024; the waterfall slide says why it is empty
    assert d.uitgaven.filter(pl.col("maand") == 1)["label"].unique().to_list() == ["jul 2023"]
    teksten = " ".join(v.text_frame.text for v in prs.slides[3].shapes if v.has_text_frame)
    assert "Niet berekend voor contractjaar 2023/24: die valt in twee begrotingsjaren" in teksten
