"""The forecast in the exports: a section of the factsheet (PDF), a slide of the board deck.

Computed once for all providers (kpi.prognose.overzicht, one forecast per load), then cut per
provider in that provider's scope (counts rounded, as on the pages). The factsheet and the
deck call these functions; their own layout stays theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import polars as pl
from kpi.berekening import Berekening
from kpi.filters import Filters
from kpi.periode import Periode
from kpi.prognose import overzicht
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table
from weergave import formaat, tabellen
from weergave import prognose as weergave

from rapport import pdf
from rapport.beeld import png
from rapport.gegevens import Context

FACTSHEET_KOLOMMEN = {
    "Gemeente": 20, "Sub-segment": 26, "Signaal (prognose)": 30, "Verwachte benutting": 30,
    "Verwacht saldo": 34, "Voorschotadvies per maand (voorstel)": 24, "Volloop": 26,
}  # fmt: skip


@dataclass(frozen=True)
class Prognosegegevens:
    """The forecast behind the factsheets: per contract and per provider, with months."""

    periode: Periode | None = None
    contracten: pl.DataFrame = field(default_factory=pl.DataFrame)  # per contract
    aanbieders: pl.DataFrame = field(default_factory=pl.DataFrame)  # per aanbieder
    maanden: pl.DataFrame = field(default_factory=pl.DataFrame)  # per aanbieder and month

    def voor(self, agb: str) -> Prognosegegevens:
        """Only one provider's rows, in its scope (counts rounded: overzicht.beveilig)."""
        if self.periode is None:
            return self
        eigen = pl.col("aanbieder") == agb
        return Prognosegegevens(
            self.periode,
            overzicht.beveilig(self.contracten.filter(eigen)),
            overzicht.beveilig(self.aanbieders.filter(eigen)),
            overzicht.beveilig(self.maanden.filter(eigen)),
        )


def verzamel(b: Berekening, filters: Filters | None = None) -> Prognosegegevens:
    """The forecast of the contract year of the peildatum, for all providers in `filters`."""
    filters = filters or Filters()
    con = b.bron.cur
    periode = overzicht.contractjaar_van(b.peildatum)
    return Prognosegegevens(
        periode,
        overzicht.per_groep(con, periode, filters=filters, berekening=b),
        overzicht.per_groep(con, periode, ("aanbieder",), filters, berekening=b),
        overzicht.maandreeks(con, periode, filters, berekening=b, per=("aanbieder",)),
    )


@dataclass(frozen=True)
class FactsheetPrognose:
    """The forecast part of one factsheet: texts, a table and the two charts."""

    titel: str
    kerncijfers: list[tuple[str, str, str]]
    volloop: str
    advies: str
    tabel: pl.DataFrame
    grafiek: alt.TopLevelMixin | None
    zonder: str | None


def factsheet_inhoud(g: Prognosegegevens, agb: str, context: Context) -> FactsheetPrognose | None:
    """The forecast of one provider (`g` already cut with `voor(agb)`), or None."""
    if g.periode is None or g.aanbieders.is_empty():
        return None
    rij = g.aanbieders.row(0, named=True)
    tabel = weergave.contracttabel(g.contracten, context.gemeenten, None)
    tabel = tabel.select([k for k in FACTSHEET_KOLOMMEN if k in tabel.columns])
    grafiek = None
    if g.maanden.height:
        reeks = g.maanden.drop("aanbieder")
        band = tabellen.normband(rij["norm_groen"])
        grafiek = alt.hconcat(
            weergave.benutting_grafiek(reeks, band).properties(width=280, height=170),
            weergave.kosten_grafiek(reeks).properties(width=280, height=170),
        )
    return FactsheetPrognose(
        titel=f"Prognose {g.periode.label} (peildatum {formaat.datum(rij['peildatum'])})",
        kerncijfers=weergave.kerncijfers(rij),
        volloop=weergave.volloop_samenvatting(rij),
        advies=weergave.advies_rekensom(rij),
        tabel=tabel,
        grafiek=grafiek,
        zonder=weergave.dekking_tekst(rij),
    )


def factsheet_sectie(p: FactsheetPrognose | None) -> list:
    """The factsheet's flowables for the forecast (empty without one)."""
    if p is None:
        return []
    breedte = pdf.BREEDTE / 4
    kern = Table(
        [
            [pdf.alinea(label, "klein") for label, _, _ in p.kerncijfers],
            [pdf.alinea(waarde, "kerncijfer") for _, waarde, _ in p.kerncijfers],
            [pdf.alinea(uitleg, "klein") for _, _, uitleg in p.kerncijfers],
        ],
        colWidths=[breedte] * 4,
        hAlign="LEFT",
    )
    delen: list = [
        pdf.alinea(p.titel, "kop"),
        pdf.alinea(weergave.WAAROM, "klein"),
        kern,
        Spacer(1, 3),
        pdf.alinea(p.volloop, "tekst"),
        pdf.alinea(f"Voorschotadvies. {p.advies}", "tekst"),
    ]
    if p.zonder:
        delen.append(pdf.alinea(p.zonder, "klein"))
    if p.grafiek is not None:
        delen.append(pdf.afbeelding(png(p.grafiek), pdf.BREEDTE, 62 * mm))
    uit: list = [KeepTogether(delen)]
    if p.tabel.height:
        totaal = sum(FACTSHEET_KOLOMMEN[k] for k in p.tabel.columns)
        uit.append(
            pdf.tabel(
                p.tabel,
                [pdf.BREEDTE * FACTSHEET_KOLOMMEN[k] / totaal for k in p.tabel.columns],
                ("Signaal (prognose)",),
            )
        )
    uit.append(pdf.alinea(weergave.METHODE, "klein"))
    return uit


# ------------------------------------------------------------------ board deck


@dataclass(frozen=True)
class DeckPrognose:
    """The deck's aandachtspunten slide: the threatening contracts and the region's figures."""

    titel: str
    kerncijfers: list[tuple[str, str, str]]
    aandachtspunten: pl.DataFrame
    volloop: str
    dekking: str | None = None  # how many contracts the forecast covers, why not the others


TITEL = "Aandachtspunten: dreigende over- en onderbenutting"


def deck_inhoud(b: Berekening, filters: Filters, context: Context) -> DeckPrognose:
    """The forecast slide's content for the deck's selection."""
    con = b.bron.cur
    periode = overzicht.contractjaar_van(b.peildatum)
    totaal = overzicht.per_groep(con, periode, (), filters, berekening=b)
    contracten = overzicht.per_groep(con, periode, filters=filters, berekening=b)
    rij = totaal.row(0, named=True) if totaal.height else None
    return DeckPrognose(
        titel=f"Prognose {periode.label} op peildatum {formaat.datum(b.peildatum)}",
        kerncijfers=weergave.kerncijfers(rij) if rij else [],
        aandachtspunten=weergave.aandachtspunten(
            contracten, context.gemeenten, context.aanbieders, aantal=8
        ),
        volloop=weergave.volloop_samenvatting(rij) if rij else "",
        dekking=weergave.dekking_tekst(rij) if rij else None,
    )


def dia(
    dia_: Any,
    p: DeckPrognose,
    tabel: Callable[..., None],
    tekst: Callable[..., None],
) -> None:
    """Lay out the slide with the deck's own `tabel` and `tekst` helpers."""
    regels = [p.titel + " (prognose, 80 %-interval)"]
    regels += [f"{label}: {waarde} ({uitleg})" for label, waarde, uitleg in p.kerncijfers[:3]]
    if p.dekking:
        regels.append(p.dekking)
    tekst(dia_, "\n".join(regels), 0.5, 1.05, 12.3, 1.3, grootte=12)
    if p.aandachtspunten.height:
        kleuren = {
            (r[0], "Signaal"): kleur
            for r in p.aandachtspunten.iter_rows()
            for kleur in ("rood", "oranje")
            if kleur in r[1]
        }
        tabel(dia_, p.aandachtspunten, 0.5, 2.45, None, kleuren, grootte=10, rijhoogte=0.36,
              rechts={3, 4})  # fmt: skip
    else:
        tekst(dia_, "Geen contracten met een dreigende over- of onderbenutting.", 0.5, 2.6, 12,
              1, 16)  # fmt: skip
    tekst(
        dia_,
        f"{p.volloop} De contracten met het grootste verwachte saldo (in euro's, beide "
        "kanten) eerst. Prognose: gerealiseerd tot de peildatum + de verwachte zorgdagen van "
        "de cliënten in zorg (overlevingscurve van hun sub-segment, tot de einddatum van hun "
        "toewijzing) + instroom in het tempo van de laatste 3 maanden; interval 80 %.",
        0.5, 6.15, 12.3, 0.8, grootte=9,
    )  # fmt: skip
