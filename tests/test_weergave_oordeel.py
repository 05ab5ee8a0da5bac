"""Display of the judgement (issue 15): the change against the previous period, the notices of
a period, the norm of a figure judged per sub-segment, voorlopig months, share axes, and
factsheet tables whose amounts and headers never break inside a word."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from kpi.periode import Periode
from kpi.registry import laad_registry
from rapport import pdf
from weergave import grafieken, tabellen
from weergave.meldingen import periode_meldingen

REG = laad_registry()
PEIL = date(2024, 12, 31)
NULMETING = Periode.parse("cj2022")


@pytest.mark.parametrize(
    ("nu", "eerder", "eenheid", "richting", "norm", "verwacht"),
    [
        # doorlooptijd 287,5 against 306,5: 19 days shorter, lower is better
        ("287.5", "306.5", "dagen", "lager_beter", None, ("-19 dagen (-6,2 %)", "beter")),
        # a share 53,9 % against 59,8 %: 5,9 points lower, higher is better
        ("0.539", "0.598", "aandeel", "hoger_beter", None, ("-5,9 %-punt", "slechter")),
        # a count without direction: only the change, 555 against 545 is +10 (+1,8 %)
        ("555", "545", "aantal", "neutraal", None, ("+10 (+1,8 %)", "")),
        # money: +€ 313.695,87 on € 4.303.626,92 is +7,3 %
        ("4617322.79", "4303626.92", "euro", "neutraal", None, ("+€ 313.695,87 (+7,3 %)", "")),
        # a change that shows as 0,0 points is 'gelijk', not 'slechter'
        ("0.17104", "0.17100", "aandeel", "lager_beter", None, ("±0,0 %-punt", "gelijk")),
        # band 90 %-105 %: 103,6 % (inside) after 105,4 % (0,4 points above): closer, better,
        # although higher; 110 % after 104 % moves out of the band: worse
        ("1.036", "1.054", "aandeel", "band", "0.9..1.05", ("-1,8 %-punt", "beter")),
        ("1.10", "1.04", "aandeel", "band", "0.9..1.05", ("+6,0 %-punt", "slechter")),
        ("0.95", "1.00", "aandeel", "band", "0.9..1.05", ("-5,0 %-punt", "gelijk")),
        # no previous value: nothing to compare
        ("1", None, "aantal", "lager_beter", None, ("", "")),
    ],
)
def test_verandering(nu, eerder, eenheid, richting, norm, verwacht) -> None:  # noqa: ANN001
    nu = Decimal(nu)
    eerder = None if eerder is None else Decimal(eerder)
    assert tabellen.verandering(nu, eerder, eenheid, richting, norm) == verwacht


def _rij(kpi: str, waarde: str | None, **extra: object) -> dict:
    return {"kpi": kpi, "periode_start": date(2024, 1, 1), "periode_eind": date(2024, 12, 31),
            "gemeente": None, "domein": None, "segment": None, "subsegment": None,
            "aanbieder": None, "waarde": None if waarde is None else Decimal(waarde),
            "teller": None, "noemer": None, "n": 20, "voorlopig": False, "norm_groen": None,
            "norm_oranje": None, "norm_deel": None, "stoplicht": "grijs", **extra}  # fmt: skip


def test_kpi_tabel_zet_de_vergelijking_naast_de_waarde() -> None:
    nu = pl.DataFrame([
        _rij("doorlooptijd", "287.5", norm_groen="<= 241.5", norm_oranje="<= 264.5",
             norm_deel="Ondersteuning Licht", stoplicht="groen"),
        _rij("tijdig_305", "0.965", voorlopig=True, norm_groen=">= 0.9", norm_oranje=">= 0.75"),
    ])  # fmt: skip
    eerder = pl.DataFrame([_rij("doorlooptijd", "306.5"), _rij("tijdig_305", "0.89")])
    tabel = tabellen.kpi_tabel(nu, REG, eerder)
    assert tabel.columns[:5] == [
        "KPI", "Waarde", "Vorige periode", "Verandering", "Stoplicht"
    ]  # fmt: skip
    dlt, tijdig = tabel.rows(named=True)
    assert dlt["Vorige periode"] == "306,5 dagen"
    assert dlt["Verandering"] == "-19 dagen (-6,2 %) · beter"
    # a figure judged per sub-segment says so, and whose norm decided
    assert dlt["Norm"] == (
        "per sub-segment, het slechtste telt: Ondersteuning Licht "
        "(groen ≤ 241,5 dagen; oranje ≤ 264,5 dagen)"
    )
    # voorlopig: grey, and said in words
    assert tijdig["Stoplicht"] == "○ grijs (voorlopig)"
    assert tijdig["Verandering"] == "+7,5 %-punt · beter"


def test_geheim_blijft_geheim_in_de_vergelijking() -> None:
    nu = pl.DataFrame([_rij("instroom", None, geheim=True)])
    eerder = pl.DataFrame([_rij("instroom", "15", geheim=False)])
    rij = tabellen.kpi_tabel(nu.with_columns(geheim=pl.lit(True)), REG, eerder).row(0, named=True)
    assert rij["Verandering"] == "geheim"


def test_matrix_tooltip_toont_vorige_periode_en_verandering() -> None:
    regio = pl.DataFrame([_rij("instroom", "555")])
    vorige = pl.DataFrame([_rij("instroom", "545")])
    leeg = regio.clear()
    lang = tabellen.matrix_lang(leeg, regio, "aanbieder", {}, REG, ["instroom"],
                                vorige=(leeg, vorige))  # fmt: skip
    assert lang.select("vorige_tekst", "verandering").row(0) == ("545", "+10 (+1,8 %)")
    spec = json.dumps(grafieken.matrix(lang).to_dict(), default=str)
    assert '"title": "Vorige periode"' in spec and '"title": "Verandering"' in spec


@pytest.mark.parametrize(
    ("periode", "soorten", "stuk"),
    [
        ("cj2030", ["na_peildatum"], "ligt na de peildatum (31-12-2024)"),
        ("2025", ["na_peildatum"], "2025 ligt na de peildatum"),
        ("cj2024", ["na_peildatum"], "loopt tot na de peildatum (31-12-2024)"),
        ("2013", ["voor_gegevens"], "ligt vóór de eerste gegevens (12-12-2014)"),
        ("cj2022", ["nulmeting"], "Contractjaar 2022/23 is de nulmeting (01-07-2022 t/m"),
        ("2023", ["nulmeting"], "2023 valt deels in de nulmeting (contractjaar 2022/23"),
        ("2022-Q4", ["nulmeting"], "Q4 2022 valt in de nulmeting"),
        ("2024", [], ""),
        ("cj2023", [], ""),
    ],
)
def test_periode_meldingen(periode: str, soorten: list[str], stuk: str) -> None:
    uit = periode_meldingen(Periode.parse(periode), PEIL, date(2014, 12, 12), NULMETING)
    assert [m.soort for m in uit] == soorten
    if stuk:
        assert stuk in uit[0].tekst
    if soorten == ["nulmeting"]:
        assert "nog niet op de KPI's aangesproken" in uit[0].tekst
        assert uit[0].niveau == "info"
    elif soorten:
        assert uit[0].niveau == "waarschuwing"


def _trend(waarden: list[float], voorlopig: list[bool]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "periode_start": [date(2024, m, 1) for m in range(1, len(waarden) + 1)],
            "waarde_getal": waarden,
            "stoplicht": ["groen"] * len(waarden),
            "tekst": [f"{w}" for w in waarden],
            "n": [100] * len(waarden),
            "voorlopig": voorlopig,
        }
    )


def test_trend_van_een_aandeel_stopt_bij_100_procent_en_toont_voorlopig() -> None:
    # norm '>= 0.9': the band used to run to 0.9 * 1.5 = 135 %, pulling the axis to 140 %
    band = tabellen.normband(">= 0.9")
    spec = grafieken.trend(_trend([0.88, 0.89, 0.97], [False, False, True]), "aandeel",
                           "Startberichten op tijd", band).to_dict()  # fmt: skip
    tekst = json.dumps(spec)
    assert '"domainMax": 1' in tekst
    # the band layer's upper edge is 100 %
    assert '"boven": 1.0' in tekst and '"boven": 1.35' not in tekst
    # the voorlopig month: its own status, coloured grey
    assert '"status": "voorlopig"' in tekst and '"#B8B8B8"' in tekst
    # a figure judged per sub-segment has no one band
    assert tabellen.normband("<= 241.5", "Ondersteuning Licht") is None


def test_factsheettabel_breekt_geen_bedrag_en_geen_kopwoord() -> None:
    frame = pl.DataFrame(
        {
            "KPI": ["Zorgkosten"],
            "Definitie": ["Zorgdagen × dagprijs per contract, per maand afgerond."],
            "Minimum n": ["1"],
            "Voorschot": ["€ -12.345.678,90"],
        }
    )
    # as the factsheet asked before: 16 mm for 'Minimum n', 18 mm for an amount
    mm = 72 / 25.4
    breedtes = pdf.passende_breedtes(frame, [36 * mm, 100 * mm, 16 * mm, 18 * mm], ["Voorschot"])
    assert sum(breedtes) == pytest.approx((36 + 100 + 16 + 18) * mm)
    kop, cel = pdf.stijlen()["celkop"], pdf.stijlen()["cel"]
    assert breedtes[2] >= stringWidth("Minimum n", kop.fontName, kop.fontSize) + 6
    bedrag = "€\u00a0-12.345.678,90"
    assert breedtes[3] >= stringWidth(bedrag, cel.fontName, cel.fontSize) + 6
    assert breedtes[1] < 100 * mm  # the room came from the definition
