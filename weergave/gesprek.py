"""The CM-gesprek dossier as Dutch text and tables, shared by the page, the factsheet and Excel.

Only layout of what kpi/gesprek.py already let through: nothing here decides who may see what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import polars as pl
from dossier import Item
from kpi.gesprek import Voorstel, is_te_bespreken
from kpi.periode import Periode
from kpi.registry import Registry

from weergave import formaat, tabellen

STATUS_TEKST = {"open": "○ open", "gedaan": "● gedaan", "vervallen": "✕ vervallen"}
ONDERWERP_TEKST = {"voorschot": "Voorschot", "lumpsum": "Lumpsum", "plekken": "Plekken",
                   "overig": "Overig"}  # fmt: skip
GEDEELD_TEKST = {True: "gedeeld met de aanbieder", False: "intern"}
VELD_TEKST = {"tekst": "tekst", "eigenaar": "eigenaar", "deadline": "deadline",
              "status": "status", "gedeeld": "delen", "ingetrokken": "ingetrokken",
              "kpi": "KPI", "onderwerp": "onderwerp", "waarde_van": "van",
              "waarde_naar": "naar", "ingangsdatum": "per", "leden": "aanbieders",
              "afspraak_id": "afspraak"}  # fmt: skip


def periode_label(code: str) -> str:
    """'Q1 2024' for a period code."""
    return Periode.parse(code).label


def status(item: Item, peildag: date | None = None) -> str:
    """'○ open', '● gedaan', '✕ vervallen'; an open afspraak past its deadline says so."""
    tekst = STATUS_TEKST.get(item.status or "", item.status or "")
    if peildag is not None and is_te_bespreken(item, peildag) and item.deadline < peildag:  # type: ignore[operator]
        tekst += " (deadline verstreken)"
    return tekst


def kpi_label(registry: Registry, kpi_id: str | None) -> str:
    """The KPI's label; the id when the registry no longer knows it (KPIs come and go)."""
    if not kpi_id:
        return ""
    try:
        return registry[kpi_id].label
    except KeyError:
        return f"{kpi_id} (vervallen KPI)"


def besluitwaarde(item: Item, x: Decimal | None) -> str:
    """A besluit's from/to value: money for voorschot and lumpsum, a number for places."""
    if x is None:
        return ""
    if item.onderwerp in ("voorschot", "lumpsum"):
        return formaat.euro(x)
    return formaat.getal(x, 0 if x == x.to_integral_value() else 2)


def besluitregel(item: Item) -> str:
    """'Voorschot van € 657.000,00 naar € 600.000,00 per 01-07-2024'."""
    delen = [ONDERWERP_TEKST.get(item.onderwerp or "", item.onderwerp or "")]
    if item.waarde_van is not None:
        delen.append(f"van {besluitwaarde(item, item.waarde_van)}")
    if item.waarde_naar is not None:
        delen.append(f"naar {besluitwaarde(item, item.waarde_naar)}")
    if item.ingangsdatum is not None:
        delen.append(f"per {formaat.datum(item.ingangsdatum)}")
    return " ".join(delen)


def vastgelegd(item: Item) -> str:
    """'cm@regio.nl, 03-12-2026 12:58' (the latest version); with 'versie 3' once edited."""
    tekst = f"{item.door}, {formaat.tijdstip(item.op)}"
    return f"{tekst} (versie {item.versie})" if item.versie > 1 else tekst


def voorsteltekst(v: Voorstel, registry: Registry) -> str:
    """The text of a proposed agenda point, as it is stored when accepted."""
    if v.soort == "kpi":
        kpi = registry[v.kpi]  # type: ignore[index]
        waarde = formaat.waarde(v.waarde, kpi.eenheid) if v.waarde is not None else "–"
        norm = tabellen.norm_samenvatting(v.norm_groen, v.norm_oranje, kpi.eenheid)
        return f"{kpi.label}: {formaat.stoplicht(v.stoplicht or 'grijs')} ({waarde}; norm {norm})"
    a = v.afspraak
    assert a is not None
    return (
        f"Afspraak uit {periode_label(a.periode)} ({a.eigenaar}, deadline "
        f"{formaat.datum(a.deadline)}): {a.tekst}"
    )


def afspraken_tabel(
    items: Iterable[Item], peildag: date | None = None, intern_zichtbaar: bool = True
) -> pl.DataFrame:
    """Afspraken with Dutch headers; `intern_zichtbaar`: show the shared/internal column."""
    rijen = []
    for i in items:
        rij = {
            "Afspraak": i.tekst,
            "Eigenaar": i.eigenaar or "",
            "Deadline": formaat.datum(i.deadline),
            "Status": status(i, peildag),
            "Gesprek": periode_label(i.periode),
        }
        if intern_zichtbaar:
            rij["Delen"] = GEDEELD_TEKST[i.gedeeld]
            rij["Vastgelegd"] = vastgelegd(i)
        rijen.append(rij)
    kolommen = ["Afspraak", "Eigenaar", "Deadline", "Status", "Gesprek"]
    if intern_zichtbaar:
        kolommen += ["Delen", "Vastgelegd"]
    return pl.DataFrame(rijen, schema=dict.fromkeys(kolommen, pl.String))


def toelichting_tabel(
    items: Iterable[Item], registry: Registry, intern_zichtbaar: bool = True
) -> pl.DataFrame:
    """Toelichting per KPI."""
    kolommen = ["KPI", "Toelichting"] + (["Delen", "Vastgelegd"] if intern_zichtbaar else [])
    rijen = [
        {"KPI": kpi_label(registry, i.kpi), "Toelichting": i.tekst}
        | (
            {"Delen": GEDEELD_TEKST[i.gedeeld], "Vastgelegd": vastgelegd(i)}
            if intern_zichtbaar
            else {}
        )
        for i in items
    ]
    return pl.DataFrame(rijen, schema=dict.fromkeys(kolommen, pl.String))


def besluiten_tabel(items: Iterable[Item], intern_zichtbaar: bool = True) -> pl.DataFrame:
    """Besluiten: what changed from what to what, from when, and why."""
    kolommen = ["Besluit", "Reden"] + (["Delen", "Vastgelegd"] if intern_zichtbaar else [])
    rijen = [
        {"Besluit": besluitregel(i), "Reden": i.tekst}
        | (
            {"Delen": GEDEELD_TEKST[i.gedeeld], "Vastgelegd": vastgelegd(i)}
            if intern_zichtbaar
            else {}
        )
        for i in items
    ]
    return pl.DataFrame(rijen, schema=dict.fromkeys(kolommen, pl.String))


def agenda_tabel(
    items: Iterable[Item], registry: Registry, intern_zichtbaar: bool = True
) -> pl.DataFrame:
    """The agenda as agreed: numbered points."""
    kolommen = ["Nr", "Agendapunt"] + (["Delen", "Vastgelegd"] if intern_zichtbaar else [])
    rijen = [
        {"Nr": str(n), "Agendapunt": i.tekst}
        | (
            {"Delen": GEDEELD_TEKST[i.gedeeld], "Vastgelegd": vastgelegd(i)}
            if intern_zichtbaar
            else {}
        )
        for n, i in enumerate(items, start=1)
    ]
    return pl.DataFrame(rijen, schema=dict.fromkeys(kolommen, pl.String))


def _veldtekst(item: Item, veld: str, registry: Registry) -> str:
    x = getattr(item, veld)
    if veld == "status":
        return STATUS_TEKST.get(x or "", x or "")
    if veld == "gedeeld":
        return GEDEELD_TEKST[bool(x)]
    if veld == "ingetrokken":
        return "ja" if x else "nee"
    if veld in ("deadline", "ingangsdatum"):
        return formaat.datum(x)
    if veld in ("waarde_van", "waarde_naar"):
        return besluitwaarde(item, x)
    if veld == "kpi":
        return kpi_label(registry, x)
    if veld == "leden":
        return f"{len(x)} aanbieders"
    return "" if x is None else str(x)


def wijzigingen(vorige: Item | None, item: Item, registry: Registry) -> str:
    """What a version changed against the one before: 'status: ○ open → ● gedaan'."""
    if vorige is None:
        return "aangemaakt"
    delen = []
    for veld, naam in VELD_TEKST.items():
        if getattr(vorige, veld) != getattr(item, veld):
            if veld == "tekst":
                delen.append("tekst gewijzigd")
            elif veld == "ingetrokken":
                delen.append("ingetrokken" if item.ingetrokken else "teruggezet")
            else:
                oud, nieuw = _veldtekst(vorige, veld, registry), _veldtekst(item, veld, registry)
                delen.append(f"{naam}: {oud or '–'} → {nieuw or '–'}")
    return "; ".join(delen) or "geen verschil"


def geschiedenis_tabel(versies: Sequence[Item], registry: Registry) -> pl.DataFrame:
    """Every version of an item: when, who, what changed, and the text as it was."""
    rijen = []
    for n, item in enumerate(versies):
        rijen.append(
            {
                "Versie": str(item.versie),
                "Wanneer": formaat.tijdstip(item.op),
                "Door": item.door,
                "Wijziging": wijzigingen(versies[n - 1] if n else None, item, registry),
                "Tekst": item.tekst,
            }
        )
    return pl.DataFrame(
        rijen, schema=dict.fromkeys(["Versie", "Wanneer", "Door", "Wijziging", "Tekst"], pl.String)
    )
