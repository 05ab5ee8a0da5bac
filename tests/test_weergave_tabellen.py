"""Display tables and charts of the dashboard (issue 15): matrix size and scale, benchmark norm
and position, numeric downloads, drill-down and bookkeeping tables in Dutch.

Small long frames shaped like kpi.bereken's output, with values worked out by hand.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from openpyxl import load_workbook

from kpi.export import EXCEL_FORMAAT
from kpi.filters import DIMENSIES
from kpi.registry import laad_registry
from rapport.excel import matrix_excel
from weergave import gegevens, getallen, grafieken, onderliggend, tabellen

REG = laad_registry()


def _rij(kpi: str, waarde: str | None, stoplicht: str = "grijs", **dims: str) -> dict:
    return {
        "kpi": kpi,
        "periode_start": date(2024, 1, 1),
        "periode_eind": date(2024, 12, 31),
        **{d: dims.get(d) for d in DIMENSIES},
        "waarde": None if waarde is None else Decimal(waarde),
        "teller": None,
        "noemer": None,
        "n": 50,
        "voorlopig": False,
        "norm_groen": None,
        "norm_oranje": None,
        "stoplicht": stoplicht,
    }


def _frame(rijen: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        rijen,
        schema={"kpi": pl.String, "periode_start": pl.Date, "periode_eind": pl.Date,
                **dict.fromkeys(DIMENSIES, pl.String), "waarde": pl.Decimal(38, 10),
                "teller": pl.Decimal(38, 10), "noemer": pl.Decimal(38, 10), "n": pl.Int64,
                "voorlopig": pl.Boolean, "norm_groen": pl.String, "norm_oranje": pl.String,
                "stoplicht": pl.String},
    )  # fmt: skip


def _matrix(per_rij: list[dict], regio: list[dict], kpis: list[str]) -> pl.DataFrame:
    namen = {"A": "Zorg A", "B": "Zorg B", "C": "Zorg C"}
    lang = tabellen.matrix_lang(_frame(per_rij), _frame(regio), "aanbieder", namen, REG, kpis)
    return tabellen.sorteer(lang, "naam")


# ------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("rijen", [1, 2, 9, 60])
def test_matrix_is_zo_hoog_als_zijn_rijen(rijen: int) -> None:
    # issue 15 item 2: a total height (26 px × rows) was fitted around the axis labels too, so a
    # matrix of 2-4 rows had no room left for its rows. Each row gets a fixed step instead.
    per = [_rij("instroom", str(10 + i), aanbieder=f"P{i:02d}") for i in range(rijen)]
    lang = _matrix(per, [_rij("instroom", "100")], ["instroom"])
    spec = grafieken.matrix(lang).to_dict()
    assert spec["height"] == {"step": 26}
    assert spec["width"] == {"step": 100}
    assert lang["rij"].n_unique() == rijen + 1  # the region's row on top


def test_een_euroschaal_per_kolom() -> None:
    # Verwacht saldo: the region € 16.034.000, providers € 158.000 and € -12.345. Before, the
    # region read '€ 16,0 mln' and the providers '€ 158.000' and '€ -12.345' in one column.
    per = [
        _rij("saldo_afrekening", "158000", aanbieder="A"),
        _rij("saldo_afrekening", "-12345", aanbieder="B"),
        _rij("zorgkosten", "158000", aanbieder="A"),
        _rij("zorgkosten", "12345.60", aanbieder="B"),
    ]
    regio = [_rij("saldo_afrekening", "16034000"), _rij("zorgkosten", "170345.60")]
    lang = _matrix(per, regio, ["saldo_afrekening", "zorgkosten"])
    cel = {(r, k): c for r, k, c in lang.select("rij", "kpi", "cel").iter_rows()}
    assert cel[(tabellen.REGIO, "saldo_afrekening")] == "€ 16,0 mln ○"
    assert cel[("Zorg A", "saldo_afrekening")] == "€ 0,16 mln ○"  # 158.000 / 1 mln, 2 decimals
    assert cel[("Zorg B", "saldo_afrekening")] == "€ -0,01 mln ○"  # one style for negatives
    # a column below a million stays in whole euros, for every row
    assert cel[(tabellen.REGIO, "zorgkosten")] == "€ 170.346 ○"
    assert cel[("Zorg B", "zorgkosten")] == "€ 12.346 ○"


def test_matrixcel_dagen_met_eenheid() -> None:
    lang = _matrix(
        [_rij("doorlooptijd", "604.5", "rood", aanbieder="A")],
        [_rij("doorlooptijd", "260.0", "groen")],
        ["doorlooptijd"],
    )
    cel = dict(lang.select("rij", "cel").iter_rows())
    tekst = dict(lang.select("rij", "tekst").iter_rows())
    assert cel[tabellen.REGIO] == "260 dagen ●"  # not '260,0 ●'
    assert cel["Zorg A"] == "605 dagen ■"  # whole days in a cell ...
    assert tekst["Zorg A"] == "604,5 dagen"  # ... the tooltip keeps the half day


def test_matrix_download_getallen_en_stoplicht_apart() -> None:
    # issue 15 item 9: the Excel held text like '14.349 ○'
    per = [
        _rij("instroom", "14349", "grijs", aanbieder="A"),
        _rij("tijdig_305", "0.874", "oranje", aanbieder="A"),
        _rij("doorlooptijd", "260.5", "groen", aanbieder="A"),
        _rij("instroom", "3", "grijs", aanbieder="B"),
    ]
    kpis = ["instroom", "tijdig_305", "doorlooptijd"]
    lang = _matrix(per, [], kpis)
    lang = lang.with_columns(geheim=pl.col("rij") == "Zorg B")  # as the provider scope marks it
    matrix = getallen.matrix_getallen(lang, REG, kpis, "aanbieder")
    assert matrix.columns == [
        "Rij", "AGB-code", "Instroom", "Instroom stoplicht", "Startberichten op tijd",
        "Startberichten op tijd stoplicht", "Doorlooptijd (dagen)", "Doorlooptijd stoplicht",
    ]  # fmt: skip
    a = matrix.row(0, named=True)
    assert (a["Rij"], a["AGB-code"], a["Instroom"], a["Instroom stoplicht"]) == (
        "Zorg A", "A", 14349.0, "grijs"
    )  # fmt: skip
    assert a["Startberichten op tijd"] == pytest.approx(0.874)
    assert a["Doorlooptijd (dagen)"] == 260.5 and a["Doorlooptijd stoplicht"] == "groen"
    b = matrix.row(1, named=True)
    assert b["Instroom"] is None and b["Instroom stoplicht"] == "geheim"

    blad = load_workbook(io.BytesIO(matrix_excel(matrix, REG, kpis)))["Stoplicht"]
    koppen = [c.value for c in blad[1]]
    k = {kop: i for i, kop in enumerate(koppen)}
    rij = list(blad.iter_rows(min_row=2, max_row=2))[0]
    assert rij[k["Instroom"]].data_type == "n" and rij[k["Instroom"]].value == 14349
    assert rij[k["Instroom"]].number_format == EXCEL_FORMAAT["aantal"]
    assert rij[k["Startberichten op tijd"]].number_format == EXCEL_FORMAAT["aandeel"]
    assert rij[k["Doorlooptijd (dagen)"]].number_format == EXCEL_FORMAAT["dagen"]
    assert rij[k["Startberichten op tijd stoplicht"]].value == "oranje"
    assert not any(isinstance(c.value, str) and "○" in c.value for r in blad.iter_rows() for c in r)


# ------------------------------------------------------------------------- benchmark


def _vergelijking(waarden: dict[str, float], eigen: str) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"subsegment": "Dagbesteding", "aanbieder": code, "waarde": Decimal(str(w)),
             "n": 40, "eigen": code == eigen, "stoplicht": "grijs", "geheim": False}
            for code, w in waarden.items()
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("eigen_waarde", "afstand"),
    [
        (0.766, "13,4 %-punt onder de band"),  # 90 % − 76,6 %
        (1.10, "5,0 %-punt boven de band"),  # 110 % − 105 %
        (0.95, "binnen de band"),
        (0.90, "binnen de band"),  # the band includes its ends
    ],
)
def test_positie_bij_een_bandnorm_is_de_afstand_tot_de_band(
    eigen_waarde: float, afstand: str
) -> None:
    v = _vergelijking({"E": eigen_waarde, "P1": 0.8, "P2": 0.97, "P3": 1.2}, "E")
    bench = tabellen.benchmark_data(v, REG, "benutting", {}, {"Dagbesteding": "0.9..1.05"})
    rij = tabellen.positie(bench).row(0, named=True)
    assert rij["Afstand tot de groene band"] == afstand
    assert "Plaats (hoog → laag)" not in rij
    assert rij["Mediaan anderen"] == "97,0 %"


def test_positie_zonder_band_blijft_plaats() -> None:
    v = _vergelijking({"E": 300, "P1": 250, "P2": 400, "P3": 500}, "E")
    bench = tabellen.benchmark_data(v, REG, "doorlooptijd", {}, {"Dagbesteding": "<= 268.8"})
    assert tabellen.positie(bench).row(0, named=True)["Plaats (hoog → laag)"] == "3 van 4"


def test_benchmark_toont_normband_mediaan_en_eenheid() -> None:
    v = _vergelijking({"E": 0.766, "P1": 0.8, "P2": 0.97, "P3": 1.2}, "E")
    bench = tabellen.benchmark_data(v, REG, "benutting", {"E": "Eigen"}, {"Dagbesteding": ">= 0.9"})
    # a one-sided share norm: the green zone from 90 % to 100 %, not to 135 %
    assert bench.select("norm_onder", "norm_boven").unique().rows() == [(0.9, 1.0)]
    spec = grafieken.benchmark(bench, "aandeel", "Benutting").to_dict()
    lagen = spec["layer"]
    markeringen = [laag["mark"]["type"] if isinstance(laag["mark"], dict) else laag["mark"]
                   for laag in lagen]  # fmt: skip
    assert markeringen == ["bar", "tick", "circle"]  # band, median of the others, the dots
    mediaan = lagen[1]["transform"]
    assert {"filter": "!datum.geselecteerd && isValid(datum.waarde_getal)"} in mediaan
    assert lagen[2]["encoding"]["x"]["title"] == "Benutting (%)"
    assert len(spec["datasets"]) == 1  # band and median are aggregates of the same rows


# ------------------------------------------------------------------------- accessibility


def test_elke_grafiek_heeft_een_titel_en_beschrijving() -> None:
    lang = _matrix([_rij("instroom", "5", aanbieder="A")], [_rij("instroom", "5")], ["instroom"])
    trend = tabellen.met_tekst(_frame([_rij("instroom", "5")]), REG)
    verdeling = trend.with_columns(naam=pl.lit("Aalten"))
    bench = tabellen.benchmark_data(_vergelijking({"E": 1, "P": 2}, "E"), REG, "instroom", {})
    lijnen = pl.DataFrame(
        {"periode_start": [date(2024, 1, 1)], "reeks": ["Instroom"], "waarde_getal": [5.0],
         "tekst": ["5"]}
    )  # fmt: skip
    cumulatief = pl.DataFrame(
        {"reeks": ["Prognose"], "maand": [1], "label": ["jan"], "bedrag": [-158.0]}
    )
    stappen = pl.DataFrame(
        {"stap": ["Target", "Hoeveelheidsverschil", "Prijsverschil", "Werkelijk"],
         "bedrag": [1000.0, -158.0, 50.0, 892.0],
         "soort": ["totaal", "verschil", "verschil", "totaal"]}
    )  # fmt: skip
    grafiek = [
        grafieken.matrix(lang),
        grafieken.trend(trend, "aantal", "Instroom", (0.0, 10.0)),
        grafieken.verdeling(verdeling, "Gemeente", "aantal", "Instroom"),
        grafieken.benchmark(bench, "aantal", "Instroom"),
        grafieken.lijnen(lijnen, "aantal", "Instroom"),
        grafieken.cumulatief(cumulatief),
        grafieken.waterval(stappen),
    ]
    for g in grafiek:
        spec = g.to_dict()
        assert spec.get("title"), spec
        assert len(spec.get("description", "")) > 20, spec.get("description")


def test_negatief_geld_in_een_grafiek_zoals_in_de_tabellen() -> None:
    # issue 15: '−€ 158' in a chart beside '€ -158' in a table; one style: formaat.euro's
    stappen = pl.DataFrame(
        {"stap": ["Target", "Hoeveelheidsverschil", "Prijsverschil", "Werkelijk"],
         "bedrag": [1000.0, -158.0, 50.0, 892.0],
         "soort": ["totaal", "verschil", "verschil", "totaal"]}
    )  # fmt: skip
    spec = grafieken.waterval(stappen).to_dict()
    rijen = next(iter(spec["datasets"].values()))
    assert [r["bedrag_tekst"] for r in rijen] == ["€ 1.000", "€ -158", "€ 50", "€ 892"]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"] == grafieken.EURO_LABEL
    assert grafieken.thema()["config"]["locale"]["number"]["minus"] == "-"


# ------------------------------------------------------------------------- KPI-detail


def test_doorlooptijd_heeft_gemiddelde_en_p80_ernaast() -> None:
    assert [k.id for k in REG.andere_statistieken("doorlooptijd")] == [
        "doorlooptijd_gemiddeld",
        "doorlooptijd_p80",
    ]
    assert [k.id for k in REG.andere_statistieken("doorlooptijd_p80")] == [
        "doorlooptijd",
        "doorlooptijd_gemiddeld",
    ]
    assert REG.andere_statistieken("instroom") == ()  # a count has no other statistics
    assert REG.andere_statistieken("wachttijd") == ()  # its share within norm is no statistic


def test_onderliggende_rijen_in_het_nederlands_met_namen() -> None:
    rijen = pl.DataFrame(
        {"eenheid": ["t1", "t2"], "client_id": ["ab12", "cd34"], "gemeente": ["0197", "1859"],
         "domein": ["jeugd", "wmo"], "segment": ["IAJ", "IO"], "subsegment": ["X", "Y"],
         "aanbieder": ["01234567", None], "voorlopig": [False, True],
         "datum": [date(2024, 3, 4), None], "volgens_plan": [1, 0], "duur": [142, 1260],
         "opgegeven_dagen": [None, 189]},
    )  # fmt: skip
    namen = {"gemeente": {"0197": "Aalten"}, "aanbieder": {"01234567": "Zorg A"}}
    tabel = onderliggend.onderliggende_rijen(rijen, REG["doorlooptijd"], namen)
    assert tabel.columns == [
        "Zorgtraject", "Cliënt (pseudoniem)", "Gemeente", "Domein", "Segment", "Sub-segment",
        "Aanbieder", "Voorlopig", "Datum", "Volgens plan beëindigd", "Duur",
        "Opgegeven doorlooptijd",
    ]  # fmt: skip
    assert tabel.row(0) == (
        "t1", "ab12", "Aalten", "Jeugd", "IAJ", "X", "Zorg A", "nee", "04-03-2024", "ja",
        "142 dagen", "",
    )  # fmt: skip
    # a code without a name stays the code; nothing prints as 'None'
    assert tabel.row(1)[2] == "1859" and tabel.row(1)[6] == "" and tabel.row(1)[10] == "1.260 dagen"


# ------------------------------------------------------------------------- Over de data


def test_laadverslag_leesbaar() -> None:
    verslag = pl.DataFrame(
        {"bron_bestand": ["berichten_2021.csv"], "tabel": ["berichten"], "regels_in": [94532],
         "geladen": [93350], "dubbel": [448], "genegeerd": [0], "afgekeurd": [734],
         "extra_kolommen": [None]},
        schema_overrides={"extra_kolommen": pl.String},
    )  # fmt: skip
    tabel = gegevens.leesbaar(verslag)
    assert tabel.columns == [
        "Bestand", "Tabel", "Regels in het bestand", "Geladen", "Dubbel", "Genegeerd",
        "Afgekeurd", "Extra kolommen (niet opgeslagen)",
    ]  # fmt: skip
    assert tabel.row(0) == ("berichten_2021.csv", "berichten", "94.532", "93.350", "448", "0",
                            "734", "")  # fmt: skip


@pytest.mark.parametrize(
    ("tekst", "getoond"),
    [
        ("2026-12-03T06:05:59+00:00", "03-12-2026 07:05"),  # winter: UTC+1
        ("2026-07-01T06:05:00+00:00", "01-07-2026 08:05"),  # summer: UTC+2
        (None, ""),
    ],
)
def test_geladen_op_in_nederlandse_tijd(tekst: str | None, getoond: str) -> None:
    assert gegevens.geladen_op(tekst) == getoond
