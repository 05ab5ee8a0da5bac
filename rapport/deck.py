"""Board deck (PPTX) for the bestuurlijk overleg: a period and a selection, region-wide view.

Tables are native PowerPoint tables (editable, stoplicht as fill colour plus symbol); charts
are the dashboard's Altair charts rendered to PNG.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from kpi import financien
from kpi.berekening import Berekening
from kpi.filters import DIMENSIES, Filters
from kpi.normen import Normen
from kpi.periode import Periode
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt
from weergave import formaat, grafieken, tabellen
from weergave.afwijking import aandachtspunten
from weergave.kleuren import ACCENT, STOPLICHT_ACHTERGROND
from weergave.meldingen import Melding

from rapport import prognose as vooruit
from rapport.beeld import png
from rapport.gegevens import Context, lees_context

# The slide "Doorlooptijd en recidive per segment": the doorlooptijd table's KPIs and two results.
DOORLOOPTIJD_RECIDIVE = (*tabellen.DOORLOOPTIJD_KPIS, "recidive", "afschaling")
FINANCIEN = ("realisatie", "jaarverwachting", "hoeveelheidsverschil", "prijsverschil")
DEFINITIES_PER_DIA = 6
TOTAAL_SELECTIE = "Totaal selectie"
BREED, HOOG = Inches(13.333), Inches(7.5)
LEGENDA = (
    "● groen = binnen de norm · ▲ oranje = let op · ■ rood = buiten de norm · "
    "○ grijs = geen norm, te weinig gegevens (n onder het minimum) of voorlopig"
)


@dataclass(frozen=True)
class Deck:
    """The content of the board deck: display tables (text), chart data, no layout yet."""

    periode: Periode
    selectie: str
    context: Context
    matrix: pl.DataFrame  # KPI + one text column per segment (the selection's total first)
    matrix_kleuren: dict[tuple[str, str], str]
    uitgaven: pl.DataFrame  # tabellen.cumulatief
    jaar: str  # the plan year of the spending chart: '2024' or 'contractjaar 2023/24'
    stappen: pl.DataFrame | None  # tabellen.watervalstappen (all segments)
    verschil: pl.DataFrame  # tabellen.verschiltabel
    verschil_reden: str | None  # why the period gets no split (a quarter, a contractjaar)
    stroom: pl.DataFrame  # monthly instroom/uitstroom for grafieken.lijnen
    doorlooptijd: pl.DataFrame
    doorlooptijd_kleuren: dict[tuple[str, str], str]
    aandachtspunten: pl.DataFrame
    definities: pl.DataFrame
    vorige: Periode  # the period compared with (tabellen.vorige_periode)
    vergelijking: pl.DataFrame  # the selection's KPIs now, before and the change
    vergelijking_kleuren: dict[tuple[str, str], str]
    meldingen: tuple[Melding, ...] = ()  # after the peildatum, nulmeting (weergave.meldingen)
    prognose: vooruit.DeckPrognose | None = None

    @property
    def titels(self) -> list[str]:
        """The slide titles, in order."""
        vaste = [
            f"Stoplicht — {self.periode.label}",
            "Stoplicht per segment",
            f"Uitgaven {self.jaar}: realisatie tegen prognose",
            "Hoeveelheids- en prijsverschil",
            "Instroom en uitstroom per maand",
            "Doorlooptijd en recidive per segment",
            "Aandachtspunten: grootste afwijkingen van de norm",
            f"Ten opzichte van {self.vorige.label}",
            *([vooruit.TITEL] if self.prognose is not None else []),
        ]
        delen = max(1, math.ceil(self.definities.height / DEFINITIES_PER_DIA))
        return vaste + [
            "Definities" + (f" ({i} van {delen})" if delen > 1 else "") for i in range(1, delen + 1)
        ]


def _selectietekst(filters: Filters, context: Context) -> str:
    delen = [
        f"{d}: {', '.join(context.naam(d, v) for v in waarden)}"
        for d in DIMENSIES
        if (waarden := getattr(filters, d))
    ]
    return " · ".join(delen) or "hele regio"


def _matrix(
    b: Berekening,
    periode: Periode,
    filters: Filters,
    kpis: list[str],
    namen: dict[str, str],
    per_kpi: bool = False,
) -> tuple[pl.DataFrame, dict[tuple[str, str], str]]:
    """The stoplicht matrix per segment as text cells, with the stoplicht of every cell.

    `per_kpi`: one row per KPI and a column per segment (reads better on a slide when there
    are many KPIs); otherwise one row per segment, as on the Overzicht page.
    """
    regio = b.bereken(periode, (), filters, kpis)
    per_segment = b.bereken(periode, ("segment",), filters, kpis)
    # the first row is the whole selection: the region only when nothing is filtered
    totaal = tabellen.REGIO if filters == Filters() else TOTAAL_SELECTIE
    lang = tabellen.matrix_lang(per_segment, regio, "segment", namen, b.registry, kpis, totaal)
    if lang.is_empty():
        return pl.DataFrame(schema={"Segment": pl.String}), {}
    lang = tabellen.sorteer(lang, "naam")
    kleuren = tabellen.stoplicht_per_cel(lang)
    if not per_kpi:
        breed = tabellen.matrix_breed(lang, b.registry, kpis).drop("code")
        return breed.rename({"Rij": "Segment"}), kleuren
    rijen = lang.select("rij").unique(maintain_order=True)["rij"].to_list()
    breed = (
        lang.select("kpi_label", "kpi_volgorde", "rij", "cel")
        .pivot(on="rij", index=["kpi_label", "kpi_volgorde"], values="cel")
        .sort("kpi_volgorde")
        .select(pl.col("kpi_label").alias("KPI"), *rijen)
    )
    return breed, {(kpi, rij): kleur for (rij, kpi), kleur in kleuren.items()}


def _punten(b: Berekening, periode: Periode, filters: Filters) -> pl.DataFrame:
    """The figures the attention points are chosen from: the matrix's and the doorlooptijd
    slide's KPIs per segment and per provider within a segment, and per sub-segment for a
    KPI judged per sub-segment (it deviates in its sub-segments, weergave.afwijking)."""
    punten_kpis = [*tabellen.MATRIX_KPIS, *DOORLOOPTIJD_RECIDIVE]
    per_sub = [k for k in punten_kpis if b.normen.per_subsegment(k)]
    return pl.concat(
        [
            b.bereken(periode, per, filters, kpis_)
            for per, kpis_ in (
                (("segment",), punten_kpis),
                (("segment", "aanbieder"), punten_kpis),
                (("subsegment",), per_sub),
                (("subsegment", "aanbieder"), per_sub),
            )
            if kpis_
        ],
        how="vertical_relaxed",
    )


def _vergelijking(
    b: Berekening, periode: Periode, vorige: Periode, filters: Filters
) -> tuple[pl.DataFrame, dict[tuple[str, str], str]]:
    """The matrix's KPIs now, in the period before and the change, with each row's stoplicht."""
    nu = b.bereken(periode, (), filters, tabellen.MATRIX_KPIS)
    eerder = b.bereken(vorige, (), filters, tabellen.MATRIX_KPIS)
    vergelijking = tabellen.kpi_tabel(nu, b.registry, eerder)
    if vergelijking.height:
        vergelijking = vergelijking.select(
            "KPI",
            pl.col("Waarde").alias(periode.label),
            pl.col("Vorige periode").alias(vorige.label),
            "Verandering",
            "Stoplicht",
        )
    # kpi_tabel keeps the order of its rows: one per KPI of `nu`
    kleuren_nu = [s or "grijs" for s in nu["stoplicht"]] if vergelijking.height else []
    kleuren = {(k, "Stoplicht"): s for k, s in zip(vergelijking["KPI"], kleuren_nu, strict=True)}
    return vergelijking, kleuren


def verzamel(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    filters: Filters | None = None,
    normen: Normen | Path | str | None = None,
) -> Deck:
    """Compute everything the deck shows for a period and a selection, judged by `normen`
    (default kpi/normen.toml)."""
    context = lees_context(con, normen=normen)
    b = context.berekening(con)
    periode, filters = Periode.parse(periode), filters or Filters()
    reg = context.registry
    segmenten = dict(
        con.cursor().execute("select distinct segment, domein from producten").fetchall()
    )
    seg_namen = {s: f"{s} ({d})" for s, d in segmenten.items()}
    matrix, kleuren = _matrix(
        b, periode, filters, list(tabellen.MATRIX_KPIS), seg_namen, per_kpi=True
    )
    dlt, dlt_kleuren = _matrix(b, periode, filters, list(DOORLOOPTIJD_RECIDIVE), seg_namen)
    uitgaven = financien.reeks_voor(b, periode, filters)
    verschil = financien.verschil_voor(b, periode, filters)
    stroom = pl.concat(
        [
            b.bereken(m, (), filters, grafieken.STROOM_LIJNEN)
            for m in tabellen.trendperiode(periode).maanden()
        ]
    )
    stroom = tabellen.met_tekst(stroom, reg).select(
        "periode_start", pl.col("kpi_label").alias("reeks"), "waarde_getal", "tekst"
    )
    punten = _punten(b, periode, filters)
    vorige = tabellen.vorige_periode(periode)
    vergelijking, vergelijking_kleuren = _vergelijking(b, periode, vorige, filters)
    getoond = {*tabellen.MATRIX_KPIS, *DOORLOOPTIJD_RECIDIVE, *grafieken.STROOM_LIJNEN, *FINANCIEN}
    return Deck(
        periode=periode,
        selectie=_selectietekst(filters, context),
        context=context,
        matrix=matrix,
        matrix_kleuren=kleuren,
        uitgaven=tabellen.cumulatief(uitgaven),
        jaar=uitgaven.planjaar.label,
        stappen=tabellen.watervalstappen(verschil, None) if verschil.segmenten.height else None,
        verschil=tabellen.verschiltabel(verschil) if verschil.segmenten.height else pl.DataFrame(),
        verschil_reden=verschil.reden,
        stroom=stroom,
        doorlooptijd=dlt,
        doorlooptijd_kleuren=dlt_kleuren,
        aandachtspunten=aandachtspunten(
            punten, reg, {"segment": seg_namen, "aanbieder": context.aanbieders}
        ),
        definities=tabellen.definities(reg)
        .filter(pl.col("KPI").is_in([k.label for k in reg if k.id in getoond]))
        .select("KPI", "Definitie", "Richting"),
        vorige=vorige,
        vergelijking=vergelijking,
        vergelijking_kleuren=vergelijking_kleuren,
        meldingen=tuple(context.meldingen(periode)),
        prognose=vooruit.deck_inhoud(b, filters, context),
    )


# ------------------------------------------------------------------ layout


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_.lstrip("#").upper())


def _titel(dia: Any, tekst: str) -> None:
    titel = dia.shapes.title
    titel.left, titel.top, titel.width, titel.height = (
        Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8),
    )  # fmt: skip
    titel.text = tekst
    alinea = titel.text_frame.paragraphs[0]
    alinea.alignment = PP_ALIGN.LEFT
    for run in alinea.runs:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(26), True, _rgb(ACCENT)


def _tekst(dia: Any, tekst: str, links: float, boven: float, breedte: float, hoogte: float,
           grootte: int = 12, kleur: str = "#333333") -> None:  # fmt: skip
    vak = dia.shapes.add_textbox(Inches(links), Inches(boven), Inches(breedte), Inches(hoogte))
    kader = vak.text_frame
    kader.word_wrap = True
    for i, regel in enumerate(tekst.split("\n")):
        alinea = kader.paragraphs[0] if i == 0 else kader.add_paragraph()
        alinea.text = regel
        for run in alinea.runs:
            run.font.size, run.font.color.rgb = Pt(grootte), _rgb(kleur)


def _voet(dia: Any, d: Deck) -> None:
    _tekst(
        dia,
        f"Stoplicht · {d.periode.label} · {d.selectie} · peildatum "
        f"{formaat.datum(d.context.peildatum)} · {d.context.bron}" + _voetnoot(d),
        0.5, 7.0, 12.3, 0.35, grootte=9, kleur="#666666",
    )  # fmt: skip


def _voetnoot(d: Deck) -> str:
    """A short reminder on every slide of what the title slide says about the period."""
    return "".join(f" · {m.kort}" for m in d.meldingen)


def _breedtes(frame: pl.DataFrame, totaal: float, grootte: int) -> list[float]:
    """Column widths (inches) from the longest header word and the longest cell, filling
    `totaal`: a header never breaks inside a word, a short cell never wraps."""
    nodig = []
    for kolom in frame.columns:
        kop = max(len(w) for w in kolom.split()) * 0.62 * (grootte - 1) / 72
        cellen = [len(str(x)) for x in frame[kolom].to_list() if x is not None]
        cel = min(max(cellen, default=0), 40) * 0.55 * grootte / 72
        nodig.append(max(kop, cel) + 0.15)
    factor = totaal / sum(nodig)
    return [b * factor for b in nodig]


def _tabel(
    dia: Any,
    frame: pl.DataFrame,
    links: float,
    boven: float,
    breedtes: list[float] | None,
    kleuren: Mapping[tuple[str, str], str] | None = None,
    grootte: int = 11,
    rijhoogte: float = 0.4,
    rechts: set[int] | None = None,
) -> None:
    """A native table; a cell (row name, column) in `kleuren` gets its stoplicht fill.

    `rechts`: column numbers aligned right (default: all but the first).
    """
    rechts = set(range(1, frame.width)) if rechts is None else rechts
    breedtes = breedtes or _breedtes(frame, 12.3, grootte)
    rijen, kolommen = frame.height + 1, frame.width
    vorm = dia.shapes.add_table(
        rijen, kolommen, Inches(links), Inches(boven), Inches(sum(breedtes)),
        Inches(rijhoogte * rijen),
    )  # fmt: skip
    tabel = vorm.table
    for k, b in enumerate(breedtes):
        tabel.columns[k].width = Emu(int(Inches(b)))
    inhoud = [frame.columns, *frame.iter_rows()]
    for r, rij in enumerate(inhoud):
        for k, waarde in enumerate(rij):
            cel = tabel.cell(r, k)
            cel.text = "" if waarde is None else str(waarde)
            cel.vertical_anchor = MSO_ANCHOR.MIDDLE
            cel.margin_left = cel.margin_right = Inches(0.05)
            for alinea in cel.text_frame.paragraphs:
                if k in rechts and r > 0:
                    alinea.alignment = PP_ALIGN.RIGHT
                for run in alinea.runs:
                    run.font.size = Pt(grootte - 1 if r == 0 else grootte)
                    run.font.bold = r == 0 or k == 0
            kleur = kleuren.get((rij[0], frame.columns[k])) if kleuren and r > 0 else None
            if kleur:
                cel.fill.solid()
                cel.fill.fore_color.rgb = _rgb(STOPLICHT_ACHTERGROND[kleur])
                for run in cel.text_frame.paragraphs[0].runs:
                    run.font.color.rgb = _rgb("#1A1A1A")


def _beeld(dia: Any, grafiek: Any, links: float, boven: float, breedte: float) -> None:
    dia.shapes.add_picture(
        io.BytesIO(png(grafiek)), Inches(links), Inches(boven), width=Inches(breedte)
    )


def _leeg(dia: Any, wat: str) -> None:
    _tekst(dia, f"Geen gegevens over {wat} voor deze periode en selectie.", 0.5, 1.5, 12, 1, 16)


def _titel_dia(dia: Any, d: Deck, titel: str) -> None:
    """The title slide: period, selection, peildatum and the notices about the period."""
    p = d.periode
    _titel(dia, titel)
    dia.shapes.title.top, dia.shapes.title.height = Inches(2.2), Inches(1.2)
    ondertitel = dia.placeholders[1]
    ondertitel.left, ondertitel.top, ondertitel.width, ondertitel.height = (
        Inches(0.5), Inches(3.5), Inches(12.3), Inches(1.8),
    )  # fmt: skip
    ondertitel.text = (
        f"Bestuurlijk overleg Sociaal Domein Achterhoek\n{formaat.datum(p.start)} t/m "
        f"{formaat.datum(p.eind)} · {d.selectie}\nPeildatum {formaat.datum(d.context.peildatum)}"
    )
    for alinea in ondertitel.text_frame.paragraphs:
        alinea.alignment = PP_ALIGN.LEFT
        for run in alinea.runs:
            run.font.size = Pt(18)
    if d.meldingen:
        tekst = "\n".join(m.tekst for m in d.meldingen)
        _tekst(dia, tekst, 0.5, 5.3, 12.3, 1.5, grootte=13, kleur="#8A4B00")
    _voet(dia, d)


def _matrix_dia(dia: Any, d: Deck) -> None:
    """The stoplicht matrix per segment."""
    if d.matrix.height:
        breedtes = [3.3] + [min(2.2, 9.0 / (d.matrix.width - 1))] * (d.matrix.width - 1)
        _tabel(dia, d.matrix, 0.5, 1.15, breedtes, d.matrix_kleuren, grootte=12, rijhoogte=0.37)
        _tekst(dia, "Stoplicht: " + LEGENDA, 0.5, 6.5, 12.3, 0.4, grootte=10)
    else:
        _leeg(dia, "KPI's")


def _uitgaven_dia(dia: Any, d: Deck) -> None:
    """Spending against the year's plan, cumulative, with the key amounts."""
    if d.uitgaven.height:
        _beeld(dia, grafieken.cumulatief(d.uitgaven).properties(width=600, height=330),
               0.4, 1.2, 8.4)  # fmt: skip
        plan = d.uitgaven.filter((pl.col("reeks") == "Prognose") & (pl.col("maand") == 12))
        verwacht = d.uitgaven.filter(pl.col("reeks") == "Verwachting")
        real = d.uitgaven.filter(pl.col("reeks") == "Realisatie").sort("maand")
        regels = [
            f"Begroot (prognose t/m {plan['label'][0]})" if plan.height else "Begroot",
            formaat.euro(plan["bedrag"][0] if plan.height else None, 0) or "–",
            "",
            f"Realisatie t/m {real['label'][-1]}" if real.height
            else "Realisatie", formaat.euro(real["bedrag"][-1] if real.height else None, 0) or "–",
            "",
            "Verwachte jaaruitgaven",
            formaat.euro(verwacht["bedrag"].max() if verwacht.height else None, 0) or "–",
        ]  # fmt: skip
        _tekst(dia, "\n".join(regels), 9.1, 1.6, 3.8, 4.0, grootte=16)
        _tekst(
            dia,
            "Verwachting: realisatie tot nu + resterende maanden × gemiddelde van de laatste "
            "3 volle maanden.",
            9.1, 5.6, 3.8, 1.0, grootte=10,
        )  # fmt: skip
    else:
        _leeg(dia, "de begroting en uitgaven")


def _verschil_dia(dia: Any, d: Deck) -> None:
    """The waterfall of hoeveelheids- and prijsverschil, or why there is none."""
    if d.stappen is not None:
        _beeld(dia, grafieken.waterval(d.stappen).properties(width=560, height=215),
               0.4, 1.1, 7.4)  # fmt: skip
        _tekst(
            dia,
            "Hoeveelheidsverschil = (cliënten werkelijk − target) × kosten per cliënt target.\n\n"
            "Prijsverschil = (kosten per cliënt werkelijk − target) × cliënten werkelijk.\n\n"
            "Samen precies het verschil tussen werkelijke en target-uitgaven; positief is meer "
            "uitgegeven dan het target.",
            8.3, 1.5, 4.5, 2.5, grootte=12,
        )  # fmt: skip
        _tabel(dia, d.verschil, 0.5, 4.75, None, grootte=12, rijhoogte=0.4)
    elif d.verschil_reden:
        _tekst(dia, d.verschil_reden, 0.5, 1.5, 12, 1, 16)
    else:
        _leeg(dia, "targets (begroting met target cliënten en kosten per cliënt)")


def _stroom_dia(dia: Any, d: Deck) -> None:
    """Instroom and uitstroom per month."""
    if d.stroom.height and d.stroom["waarde_getal"].drop_nulls().len():
        _beeld(dia, grafieken.lijnen(d.stroom, "aantal", "Zorgtrajecten per maand").properties(
            width=900, height=330), 0.4, 1.2, 12.3)  # fmt: skip
    else:
        _leeg(dia, "instroom en uitstroom")


def _doorlooptijd_dia(dia: Any, d: Deck) -> None:
    """Doorlooptijd and recidive per segment."""
    if d.doorlooptijd.height:
        _tabel(dia, d.doorlooptijd, 0.5, 1.3, None, d.doorlooptijd_kleuren, grootte=14,
               rijhoogte=0.8)  # fmt: skip
        _tekst(dia, "Stoplicht: " + LEGENDA, 0.5, 6.3, 12.3, 0.5, grootte=10)
    else:
        _leeg(dia, "beëindigde trajecten")


def _aandachtspunten_dia(dia: Any, d: Deck) -> None:
    """The largest deviations from the norm."""
    if d.aandachtspunten.height:
        kleuren = {
            (rij[0], "Stoplicht"): kleur
            for rij in d.aandachtspunten.iter_rows()
            for kleur in ("rood", "oranje")
            if kleur in rij[5]
        }
        _tabel(dia, d.aandachtspunten, 0.5, 1.3, None, kleuren, grootte=12, rijhoogte=0.6,
               rechts={2, 6})  # fmt: skip
        _tekst(
            dia,
            "Afwijking: de afstand voorbij de groengrens, als percentage van die grens; alleen "
            "rode en oranje cellen met n ten minste het minimum van de KPI, per segment en per "
            "aanbieder binnen een segment.",
            0.5, 5.6, 12.3, 0.8, grootte=10,
        )  # fmt: skip
    else:
        _tekst(dia, "Geen rode of oranje cellen met voldoende gegevens.", 0.5, 1.5, 12, 1, 16)


def _vergelijking_dia(dia: Any, d: Deck) -> None:
    """The selection's KPIs now against the period before."""
    if d.vergelijking.height:
        _tabel(dia, d.vergelijking, 0.5, 1.15, [3.6, 1.9, 1.9, 3.0, 1.9], d.vergelijking_kleuren,
               grootte=12, rijhoogte=0.37, rechts={1, 2})  # fmt: skip
        _tekst(
            dia,
            "Verandering: het verschil met de vorige periode, en of dat beter of slechter is "
            "(de richting van de KPI beslist; bij een KPI zonder richting alleen het verschil). "
            "Stoplicht: " + LEGENDA,
            0.5, 6.3, 12.3, 0.6, grootte=10,
        )  # fmt: skip
    else:
        _leeg(dia, "KPI's")


def deck_pptx(d: Deck) -> bytes:
    """Lay out the deck as a 16:9 PowerPoint file."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = BREED, HOOG
    titels = iter(d.titels)
    _titel_dia(prs.slides.add_slide(prs.slide_layouts[0]), d, next(titels))

    def nieuwe_dia() -> Any:
        dia = prs.slides.add_slide(prs.slide_layouts[5])
        _titel(dia, next(titels))
        _voet(dia, d)
        return dia

    # the slides after the title, in the order of Deck.titels
    for dia_ in (_matrix_dia, _uitgaven_dia, _verschil_dia, _stroom_dia, _doorlooptijd_dia,
                 _aandachtspunten_dia, _vergelijking_dia):  # fmt: skip
        dia_(nieuwe_dia(), d)
    if d.prognose is not None:  # rapport/prognose.py: the threatening contracts
        vooruit.dia(nieuwe_dia(), d.prognose, _tabel, _tekst)
    for start in range(0, max(d.definities.height, 1), DEFINITIES_PER_DIA):
        dia = nieuwe_dia()
        deel = d.definities.slice(start, DEFINITIES_PER_DIA)
        _tabel(dia, deel, 0.5, 1.2, [2.6, 8.1, 1.6], grootte=12, rijhoogte=0.75, rechts=set())
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def maak_deck(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    filters: Filters | None = None,
    normen: Normen | Path | str | None = None,
) -> bytes:
    """The board deck (PPTX bytes) for a period and a selection, judged by `normen`."""
    return deck_pptx(verzamel(con, periode, filters, normen))
