"""The Financiën chart and waterfall: their data by hand, and the styles that keep every line
visible (issue 15: realisatie and verwachting told apart, the prognose not hidden)."""

from datetime import date
from decimal import Decimal

import polars as pl

from kpi.financien import Uitgavenreeks, Verschiloverzicht
from kpi.periode import Periode
from weergave import grafieken, tabellen

D = pl.Decimal(38, 10)


def _reeks(planjaar: Periode, realisatie: list, verwachting: str | None) -> Uitgavenreeks:
    maanden = [m.start for m in planjaar.maanden()]
    frame = pl.DataFrame(
        {
            "maand": maanden,
            "nummer": list(range(1, 13)),
            "realisatie": [None if r is None else Decimal(r) for r in realisatie],
            "prognose": [Decimal(100 * i) for i in range(1, 13)],
            "vorig_jaar": [Decimal(90 * i) for i in range(1, 13)],
        },
        schema={"maand": pl.Date, "nummer": pl.Int64, "realisatie": D, "prognose": D,
                "vorig_jaar": D},
    )  # fmt: skip
    return Uitgavenreeks(planjaar, frame, None if verwachting is None else Decimal(verwachting), {})


def test_cumulatief_over_een_contractjaar() -> None:
    # realisatie to September (3 complete months), outlook 1.500 for the contract year
    reeks = _reeks(Periode.contractjaar(2023), [100, 250, 300] + [None] * 9, "1500")
    lang = tabellen.cumulatief(reeks)
    prognose = lang.filter(pl.col("reeks") == "Prognose")
    # the months in contract-year order, July first, with their year
    assert prognose["label"].to_list()[:2] == ["jul 2023", "aug 2023"]
    assert prognose["label"].to_list()[-1] == "jun 2024"
    assert lang.filter(pl.col("reeks") == "Realisatie")["bedrag"].to_list() == [100, 250, 300]
    # the outlook runs from the last realised month (September, 300) straight to 1.500 in June:
    # 9 steps of 1.200 / 9
    verwacht = lang.filter(pl.col("reeks") == "Verwachting")
    assert verwacht["maand"].to_list() == list(range(3, 13))
    assert verwacht["bedrag"][0] == 300 and verwacht["bedrag"][-1] == 1500
    assert abs(verwacht["bedrag"][1] - (300 + 1200 / 9)) < 1e-9
    tekst = tabellen.planjaartekst(reeks, Periode.contractjaar(2023))
    assert "juli–december uit de begroting 2023, januari–juni uit de begroting 2024" in tekst


def test_cumulatief_kalenderjaar_en_periode_erin() -> None:
    reeks = _reeks(Periode.jaar(2024), [100] * 12, "1200")
    lang = tabellen.cumulatief(reeks)
    assert lang.filter(pl.col("reeks") == "Prognose")["label"].to_list()[0] == "jan"
    # a complete year: the outlook is one point, what was spent
    assert lang.filter(pl.col("reeks") == "Verwachting").rows() == [
        ("Verwachting", 12, "dec", 1200.0)
    ]
    tekst = tabellen.planjaartekst(reeks, Periode.kwartaal(2024, 2))
    assert tekst.startswith("Kalenderjaar 2024") and "Q2 2024 valt in dit jaar" in tekst


def test_lijnen_elk_een_eigen_stijl_en_prognose_eerst() -> None:
    reeks = _reeks(Periode.jaar(2024), [100, 200, 300] + [None] * 9, "1200")
    spec = grafieken.cumulatief(tabellen.cumulatief(reeks)).to_dict()
    lagen = spec["layer"]
    stijl = {laag["transform"][0]["filter"].split("'")[1]: laag["mark"] for laag in lagen}
    # drawn in this order: the prognose first (behind), the realisatie last (on top)
    assert list(stijl) == ["Prognose", "Realisatie vorig jaar", "Verwachting", "Realisatie"]
    # the prognose a band wider than the realisatie line, which runs through it
    assert stijl["Prognose"]["strokeWidth"] > 2 * stijl["Realisatie"]["strokeWidth"]
    assert stijl["Prognose"]["opacity"] < 1
    # realisatie and verwachting differ in colour and in dash; all four colours differ
    assert stijl["Realisatie"]["strokeDash"] != stijl["Verwachting"]["strokeDash"]
    kleur = lagen[0]["encoding"]["color"]["scale"]
    kleuren = dict(zip(kleur["domain"], kleur["range"], strict=True))
    assert kleuren["Realisatie"] != kleuren["Verwachting"]
    assert len(set(kleuren.values())) == 4
    assert stijl["Realisatie"]["point"]["filled"] and not stijl["Verwachting"]["point"]["filled"]


def _overzicht(begroot: str | None, target: str) -> Verschiloverzicht:
    segmenten = pl.DataFrame(
        {
            "segment": ["GWV", "IAJ"],
            "begroot": [None if begroot is None else Decimal(begroot), Decimal(600)],
            "target": [Decimal(target), Decimal(600)],
            "werkelijk": [Decimal(320), Decimal(560)],
            "hoeveelheidsverschil": [Decimal(-60), Decimal(-120)],
            "prijsverschil": [Decimal(320) - Decimal(target) + 60, Decimal(80)],
        },
        schema={"segment": pl.String, **dict.fromkeys(
            ("begroot", "target", "werkelijk", "hoeveelheidsverschil", "prijsverschil"), D)},
    )  # fmt: skip
    return Verschiloverzicht(Periode.jaar(2023), None, segmenten)


def test_waterval_begint_bij_het_begrote_bedrag() -> None:
    # GWV: begroot 1.000, target 999,63 (clients x a rounded cost per client): the waterfall
    # starts at the figure the page shows as begroot, the 0,37 is a step of its own, and the
    # bars add up to the real spending
    stappen = tabellen.watervalstappen(_overzicht("1000", "999.63"), "GWV")
    assert stappen["stap"].to_list() == [
        "Begroot", "Target t.o.v. begroot", "Hoeveelheidsverschil", "Prijsverschil", "Werkelijk",
    ]  # fmt: skip
    bedrag = stappen["bedrag"].to_list()
    assert bedrag[0] == 1000 and abs(bedrag[1] + 0.37) < 1e-9
    assert abs(sum(bedrag[:4]) - bedrag[4]) < 1e-9 and bedrag[4] == 320
    # the same for all segments: 1.600 begroot, 1.599,63 target, 880 real
    alle = tabellen.watervalstappen(_overzicht("1000", "999.63"), None)["bedrag"].to_list()
    assert alle[0] == 1600 and abs(sum(alle[:4]) - alle[4]) < 1e-9 and alle[4] == 880
    # begroot equal to the target: one first bar
    gelijk = tabellen.watervalstappen(_overzicht("1000", "1000"), "GWV")
    assert gelijk["stap"].to_list()[0] == "Begroot = target" and gelijk.height == 4
    assert "Target" in tabellen.watervalstappen(_overzicht(None, "1000"), "GWV")["stap"].to_list()
    tabel = tabellen.verschiltabel(_overzicht("1000", "999.63"))
    assert tabel.row(0, named=True)["Begroot"] == "€ 1.000,00"
    assert tabel.row(0, named=True)["Uitgaven target"] == "€ 999,63"


def test_spannetekst_tot_de_peildatum() -> None:
    overzicht = Verschiloverzicht(
        Periode(date(2024, 1, 1), date(2024, 6, 30), "bereik"), None, pl.DataFrame()
    )
    assert tabellen.spannetekst(overzicht).startswith(
        "Het lopende jaar tot de peildatum: 01-01-2024 t/m 30-06-2024"
    )
