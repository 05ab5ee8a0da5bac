"""The dossier on paper: its section of the factsheet (PDF) and its Excel export.

A factsheet is made in the provider's own scope (it may be sent to the provider), so its
dossier section holds only what is shared with the provider: the agreed agenda, the afspraken
and the toelichting and besluiten marked shared. Internal notes never reach it, whoever makes
the factsheet. The Excel export follows the scope of whoever asks (kpi.gesprek.zichtbaar).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
from dossier import Dossier, Item
from kpi import gesprek as gs
from kpi.periode import Periode
from kpi.registry import Registry
from kpi.scope import Scope
from reportlab.platypus import Flowable, KeepTogether
from weergave import formaat
from weergave import gesprek as wd

from rapport import pdf
from rapport.excel import tabellen_excel


@dataclass(frozen=True)
class Dossierdeel:
    """What a provider's factsheet shows of its dossier for a period: shared items only."""

    aanbieder: str
    periode: Periode
    peildag: date
    agenda: tuple[Item, ...]
    afspraken: tuple[Item, ...]
    eerdere: gs.EerdereAfspraken
    toelichting: tuple[Item, ...]
    besluiten: tuple[Item, ...]

    @property
    def leeg(self) -> bool:
        """Nothing shared for this talk."""
        return not (
            self.agenda or self.afspraken or self.eerdere.afspraken or self.toelichting
            or self.besluiten
        )  # fmt: skip


def dossierdeel(
    store: Dossier, aanbieder: str, periode: Periode | str, peildag: date | None = None
) -> Dossierdeel:
    """The shared part of a provider's dossier for a period, read in that provider's scope."""
    p = Periode.parse(periode)
    items = gs.dossier_van(store, aanbieder, Scope("aanbieder", aanbieder=aanbieder))
    g = gs.gesprek(aanbieder, p)
    dit = gs.van_gesprek(items, g)
    return Dossierdeel(
        aanbieder=aanbieder,
        periode=p,
        peildag=peildag or store.vandaag(),
        agenda=tuple(i for i in dit if i.soort == "agendapunt"),
        afspraken=tuple(i for i in dit if i.soort == "afspraak"),
        eerdere=gs.eerdere_afspraken(items, g),
        toelichting=tuple(i for i in dit if i.soort == "toelichting"),
        besluiten=tuple(i for i in dit if i.soort == "besluit"),
    )


def _mm(*breedtes: float) -> list[float]:
    totaal = sum(breedtes)
    return [pdf.BREEDTE * b / totaal for b in breedtes]


def pdf_sectie(deel: Dossierdeel | None, registry: Registry) -> list[Flowable]:
    """The factsheet's 'CM-gesprek' pages: agenda, afspraken (this talk's and the earlier
    ones still open), toelichting per KPI and besluiten; all shared with the provider."""
    if deel is None:
        return []
    kop = pdf.alinea(f"CM-gesprek {deel.periode.label}: agenda en afspraken", "kop")
    uitleg = pdf.alinea(
        "Wat de gemeenten en de aanbieder voor dit gesprek hebben vastgelegd en met de "
        "aanbieder delen. Interne aantekeningen van de gemeenten staan hier niet in.",
        "klein",
    )
    if deel.leeg:
        return [
            KeepTogether([kop, uitleg, pdf.alinea(
                "Voor deze periode zijn nog geen gedeelde agendapunten, afspraken of "
                "toelichtingen vastgelegd.", "klein")])
        ]  # fmt: skip
    uit: list[Flowable] = [kop, uitleg]
    if deel.agenda:
        tabel = wd.agenda_tabel(deel.agenda, registry, intern_zichtbaar=False)
        uit.append(_blok("Agenda", pdf.tabel(tabel, _mm(8, 172))))
    if deel.eerdere.afspraken:
        tabel = wd.afspraken_tabel(deel.eerdere.afspraken, deel.peildag, intern_zichtbaar=False)
        uit.append(
            _blok(
                f"Afspraken uit eerdere gesprekken (vorig gesprek: {deel.eerdere.vorig_label})",
                pdf.tabel(tabel, _mm(78, 28, 20, 30, 24)),
            )
        )
    if deel.afspraken:
        tabel = wd.afspraken_tabel(deel.afspraken, deel.peildag, intern_zichtbaar=False)
        uit.append(_blok("Afspraken uit dit gesprek", pdf.tabel(tabel, _mm(78, 28, 20, 30, 24))))
    if deel.toelichting:
        tabel = wd.toelichting_tabel(deel.toelichting, registry, intern_zichtbaar=False)
        uit.append(_blok("Toelichting bij de cijfers", pdf.tabel(tabel, _mm(40, 140))))
    if deel.besluiten:
        tabel = wd.besluiten_tabel(deel.besluiten, intern_zichtbaar=False)
        uit.append(_blok("Besluiten", pdf.tabel(tabel, _mm(70, 110))))
    return uit


def _blok(titel: str, tabel: Flowable) -> KeepTogether:
    return KeepTogether([pdf.alinea(titel, "celkop"), tabel])


# ---------------------------------------------------------------------- Excel


def _lokaal(moment: datetime) -> datetime:
    """A moment as a naive local time for an Excel cell."""
    return moment.astimezone(formaat.TIJDZONE).replace(tzinfo=None)


def _afspraken_frame(items: Sequence[Item], peildag: date, intern: bool) -> pl.DataFrame:
    rijen = [
        {"Gesprek": wd.periode_label(i.periode), "Afspraak": i.tekst, "Eigenaar": i.eigenaar,
         "Deadline": i.deadline, "Status": wd.status(i, peildag)}
        | ({"Gedeeld": i.gedeeld, "Ingetrokken": i.ingetrokken, "Versie": i.versie,
            "Vastgelegd door": i.door, "Vastgelegd op": _lokaal(i.op)} if intern else {})
        for i in items
    ]  # fmt: skip
    schema = {"Gesprek": pl.String, "Afspraak": pl.String, "Eigenaar": pl.String,
              "Deadline": pl.Date, "Status": pl.String}  # fmt: skip
    if intern:
        schema |= {"Gedeeld": pl.Boolean, "Ingetrokken": pl.Boolean, "Versie": pl.Int64,
                   "Vastgelegd door": pl.String, "Vastgelegd op": pl.Datetime}  # fmt: skip
    return pl.DataFrame(rijen, schema=schema)


def _overig_frame(items: Sequence[Item], registry: Registry, intern: bool) -> pl.DataFrame:
    rijen = []
    for i in items:
        rij = {
            "Soort": i.soort,
            "KPI": wd.kpi_label(registry, i.kpi),
            "Tekst": i.tekst,
            "Besluit": wd.besluitregel(i) if i.soort == "besluit" else "",
            "Van": float(i.waarde_van) if i.waarde_van is not None else None,
            "Naar": float(i.waarde_naar) if i.waarde_naar is not None else None,
            "Per": i.ingangsdatum,
        }
        if intern:
            rij |= {"Gedeeld": i.gedeeld, "Ingetrokken": i.ingetrokken, "Versie": i.versie,
                    "Vastgelegd door": i.door, "Vastgelegd op": _lokaal(i.op)}  # fmt: skip
        rijen.append(rij)
    schema = {"Soort": pl.String, "KPI": pl.String, "Tekst": pl.String, "Besluit": pl.String,
              "Van": pl.Float64, "Naar": pl.Float64, "Per": pl.Date}  # fmt: skip
    if intern:
        schema |= {"Gedeeld": pl.Boolean, "Ingetrokken": pl.Boolean, "Versie": pl.Int64,
                   "Vastgelegd door": pl.String, "Vastgelegd op": pl.Datetime}  # fmt: skip
    return pl.DataFrame(rijen, schema=schema)


def dossier_excel(
    store: Dossier,
    aanbieder: str,
    periode: Periode | str,
    scope: Scope,
    registry: Registry,
    peildag: date | None = None,
) -> bytes:
    """The dossier of one provider and period as a workbook, in the scope of who asks.

    Sheets: Agenda, Afspraken (this talk's), Eerdere afspraken, Toelichting en besluiten and,
    for the municipality's roles, Geschiedenis (every version of every item of the talk, with
    who and when) and the withdrawn items. A provider gets only its own shared items.
    """
    p = Periode.parse(periode)
    peildag = peildag or store.vandaag()
    intern = not scope.is_aanbieder
    alles = gs.dossier_van(store, aanbieder, scope)
    if intern:  # withdrawn items are part of the record for the municipality
        alles = store.items(aanbieder=aanbieder, met_ingetrokken=True)
    g = gs.gesprek(aanbieder, p)
    dit = gs.van_gesprek(alles, g)
    eerdere = gs.eerdere_afspraken([i for i in alles if not i.ingetrokken], g)
    agenda = [i for i in dit if i.soort == "agendapunt" and not i.ingetrokken]
    bladen = {
        "Agenda": pl.DataFrame(
            {
                "Nr": list(range(1, len(agenda) + 1)),
                "Agendapunt": [i.tekst for i in agenda],
                "KPI": [wd.kpi_label(registry, i.kpi) for i in agenda],
            },
            schema={"Nr": pl.Int64, "Agendapunt": pl.String, "KPI": pl.String},
        ),  # fmt: skip
        "Afspraken": _afspraken_frame([i for i in dit if i.soort == "afspraak"], peildag, intern),
        "Eerdere afspraken": _afspraken_frame(list(eerdere.afspraken), peildag, intern),
        "Toelichting en besluiten": _overig_frame(
            [i for i in dit if i.soort in ("toelichting", "besluit")], registry, intern
        ),
    }
    if intern:
        rijen = []
        for item in dit:
            versies = store.geschiedenis(item.id)
            for n, v in enumerate(versies):
                rijen.append(
                    {"Item": item.id, "Soort": item.soort, "Versie": v.versie,
                     "Wanneer": _lokaal(v.op), "Door": v.door,
                     "Wijziging": wd.wijzigingen(versies[n - 1] if n else None, v, registry),
                     "Tekst": v.tekst, "Gedeeld": v.gedeeld}
                )  # fmt: skip
        bladen["Geschiedenis"] = pl.DataFrame(
            rijen,
            schema={"Item": pl.Int64, "Soort": pl.String, "Versie": pl.Int64,
                    "Wanneer": pl.Datetime, "Door": pl.String, "Wijziging": pl.String,
                    "Tekst": pl.String, "Gedeeld": pl.Boolean},
        )  # fmt: skip
    return tabellen_excel(bladen, {"Van": "#,##0.00", "Naar": "#,##0.00", "Nr": "0",
                                   "Item": "0", "Versie": "0"})  # fmt: skip
