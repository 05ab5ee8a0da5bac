"""The CM-gesprek beside the figures: the agenda proposed from the data, the dossier as a scope
may see it, and the group talk of comparable small providers.

The region's own words (../shared/seeds/): "In CM-gesprek gewenste acties op de agenda zetten
(bv uitstroom EED)", and for smaller providers a "CM-gesprek light" or a "Groepsgesprek
meerdere kleinere vergelijkbare zorgaanbieders". The dossier rows themselves live in the
dossier store (dossier/); this module only reads them, with the KPI results, and decides what
a role may see:

- regio and gemeente: the whole dossier, internal notes included; they write it.
- aanbieder: only its own items marked shared, read-only; never a group's member list.

Agenda proposal (`agenda_voorstel`): every KPI of the provider whose stoplicht is rood, then
every one that is oranje (threatening: outside the green band, not yet red), in registry
order; then every afspraak of an earlier talk that is still open and whose deadline is on or
before the day of the talk ("due"). A CM-gesprek light (a provider of grootte 'klein') proposes
only the red KPIs and the due afspraken. Grey KPIs (no norm, too few units, or voorlopig in
the nulmeting year) are never proposed: there is no judgement to discuss.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import polars as pl
from dossier import Dossier, Gesprek, Item

from kpi.berekening import Berekening
from kpi.filters import Filters
from kpi.periode import Periode
from kpi.registry import Registry
from kpi.scope import BuitenScope, Scope, beveilig, peers

AGENDA_STOPLICHT = ("rood", "oranje")
LICHT_STOPLICHT = ("rood",)  # CM-gesprek light: only what is red
KLEIN = "klein"  # aanbieders.grootte of a small provider
# The KPIs compared in a group talk: flow, duration, waiting, use of places, messages.
GROEP_KPIS = (
    "instroom", "uitstroom", "lopend", "uitstroom_volgens_plan", "doorlooptijd", "wachttijd",
    "recidive", "benutting", "tijdig_305", "tijdig_307",
)  # fmt: skip
MIN_GROEP_VOOR_AANBIEDER = 4  # a member sees the others only when 3 others remain (kpi.scope)


def gesprek(aanbieder: str, periode: Periode | str) -> Gesprek:
    """The dossier key of a provider's talk about a period."""
    p = Periode.parse(periode)
    return Gesprek(aanbieder, p.code, p.start, p.eind)


def mag_schrijven(scope: Scope) -> bool:
    """Only the municipality's roles write the dossier; a provider reads its shared part."""
    return not scope.is_aanbieder


def vereis_schrijfrecht(scope: Scope) -> None:
    """Refuse a write in provider scope."""
    if not mag_schrijven(scope):
        raise BuitenScope("Een aanbieder kan het dossier alleen lezen.")


def zichtbaar(items: Iterable[Item], scope: Scope) -> list[Item]:
    """The items a scope may see: all for regio and gemeente; for a provider only its own,
    shared, not withdrawn, and no group (a group names other providers)."""
    if not scope.is_aanbieder:
        return list(items)
    return [
        i
        for i in items
        if i.soort != "groep" and i.aanbieder == scope.aanbieder and i.gedeeld and not i.ingetrokken
    ]


def dossier_van(store: Dossier, aanbieder: str, scope: Scope) -> list[Item]:
    """A provider's items of every period, as the scope may see them (oldest first)."""
    if scope.is_aanbieder and aanbieder != scope.aanbieder:
        return []
    return zichtbaar(store.items(aanbieder=aanbieder, alleen_gedeeld=scope.is_aanbieder), scope)


def _volgorde(van: date, tot: date) -> tuple[date, date]:
    """Talks in the order they are held: a talk follows the end of its period, so by the end
    of the period, then by its start (Q1 2024, Q2 2024, then the year 2024)."""
    return (tot, van)


def is_eerder(item: Item, g: Gesprek) -> bool:
    """Whether an item belongs to a talk held before `g` (see `_volgorde`)."""
    return _volgorde(item.periode_van, item.periode_tot) < _volgorde(g.van, g.tot)


def van_gesprek(items: Iterable[Item], g: Gesprek, soort: str | None = None) -> list[Item]:
    """The items of this talk (optionally of one kind)."""
    return [
        i
        for i in items
        if i.aanbieder == g.aanbieder and i.periode == g.periode and soort in (None, i.soort)
    ]


@dataclass(frozen=True)
class EerdereAfspraken:
    """The afspraken the talk starts with: all of the previous talk, and the ones of older
    talks that are still open."""

    vorig_gesprek: str | None  # period code of the latest earlier talk with items
    afspraken: tuple[Item, ...]

    @property
    def vorig_label(self) -> str | None:
        """'Q1 2024' for the previous talk's period."""
        return None if self.vorig_gesprek is None else Periode.parse(self.vorig_gesprek).label


def eerdere_afspraken(items: Iterable[Item], g: Gesprek) -> EerdereAfspraken:
    """The previous talk's afspraken (any status) and older still-open ones, by deadline."""
    eerder = [i for i in items if i.aanbieder == g.aanbieder and is_eerder(i, g)]
    if not eerder:
        return EerdereAfspraken(None, ())
    laatste = max(eerder, key=lambda i: _volgorde(i.periode_van, i.periode_tot))
    vorig = laatste.periode
    afspraken = [
        i for i in eerder if i.soort == "afspraak" and (i.periode == vorig or i.status == "open")
    ]
    afspraken.sort(key=lambda i: (i.deadline or date.max, i.id))
    return EerdereAfspraken(vorig, tuple(afspraken))


def is_te_bespreken(afspraak: Item, peildag: date) -> bool:
    """An afspraak that is still open and whose deadline is on or before `peildag`."""
    return (
        afspraak.soort == "afspraak"
        and afspraak.status == "open"
        and afspraak.deadline is not None
        and afspraak.deadline <= peildag
    )


@dataclass(frozen=True)
class Voorstel:
    """One proposed agenda point: a KPI to discuss, or an afspraak that is due."""

    soort: str  # 'kpi' | 'afspraak'
    kpi: str | None = None
    stoplicht: str | None = None
    waarde: Decimal | None = None
    norm_groen: str | None = None
    norm_oranje: str | None = None
    afspraak: Item | None = None
    toelichting: Item | None = None  # this talk's note on the KPI, if any
    op_agenda: bool = False  # a (not withdrawn) agenda point of this talk already covers it

    @property
    def sleutel(self) -> str:
        """A stable key: 'kpi:doorlooptijd' or 'afspraak:12'."""
        return f"kpi:{self.kpi}" if self.soort == "kpi" else f"afspraak:{self.afspraak.id}"  # type: ignore[union-attr]


def agenda_voorstel(
    resultaat: pl.DataFrame,
    items: Sequence[Item],
    g: Gesprek,
    peildag: date,
    licht: bool = False,
) -> list[Voorstel]:
    """The proposed agenda of a talk (see the module docstring for the rule).

    `resultaat`: the provider's own KPI values for the talk's period (kpi.bereken with the
    provider as filter, no grouping), as its page shows them. `items`: the provider's dossier
    (every period). `peildag`: the day of the talk; an open afspraak of an earlier talk with a
    deadline on or before it is due.
    """
    kleuren = LICHT_STOPLICHT if licht else AGENDA_STOPLICHT
    dit = van_gesprek(items, g)
    agenda = [i for i in dit if i.soort == "agendapunt" and not i.ingetrokken]
    toelichting = {i.kpi: i for i in dit if i.soort == "toelichting" and not i.ingetrokken}
    op_agenda_kpi = {i.kpi for i in agenda if i.kpi}
    op_agenda_afspraak = {i.afspraak_id for i in agenda if i.afspraak_id is not None}
    uit: list[Voorstel] = []
    if resultaat.height:
        rijen = list(
            resultaat.filter(pl.col("stoplicht").is_in(list(kleuren))).iter_rows(named=True)
        )
        gezien: set[str] = set()
        for r in sorted(
            rijen, key=lambda r: kleuren.index(r["stoplicht"])
        ):  # stable: registry order
            if r["kpi"] in gezien:
                continue
            gezien.add(r["kpi"])
            uit.append(
                Voorstel(
                    "kpi", kpi=r["kpi"], stoplicht=r["stoplicht"], waarde=r["waarde"],
                    norm_groen=r["norm_groen"], norm_oranje=r["norm_oranje"],
                    toelichting=toelichting.get(r["kpi"]), op_agenda=r["kpi"] in op_agenda_kpi,
                )
            )  # fmt: skip
    te_bespreken = [
        i
        for i in items
        if i.aanbieder == g.aanbieder
        and is_eerder(i, g)
        and not i.ingetrokken
        and is_te_bespreken(i, peildag)
    ]
    te_bespreken.sort(key=lambda i: (i.deadline, i.id))
    uit += [
        Voorstel("afspraak", afspraak=i, op_agenda=i.id in op_agenda_afspraak) for i in te_bespreken
    ]
    return uit


# ---------------------------------------------------------------------- providers and groups


def grootte(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """AGB → grootte ('klein', 'regulier', 'strategisch') as the extract gives it."""
    rijen = (
        con.cursor()
        .execute("select aanbieder, lower(grootte) from aanbieders where grootte is not null")
        .fetchall()
    )
    return dict(rijen)


def is_licht(con: duckdb.DuckDBPyConnection, aanbieder: str) -> bool:
    """Whether a provider's talk is a CM-gesprek light (a small provider)."""
    return grootte(con).get(aanbieder) == KLEIN


@dataclass(frozen=True)
class Groep:
    """A group talk as a scope may see it: for a provider without the other members."""

    id: int
    versie: int
    naam: str
    subsegment: str
    periode: str
    leden: tuple[str, ...]  # in provider scope only the provider itself
    aantal: int  # how many providers take part

    @classmethod
    def uit_item(cls, item: Item, scope: Scope) -> Groep:
        """The group of a dossier item, narrowed to the scope."""
        leden = item.leden
        if scope.is_aanbieder:
            leden = tuple(c for c in leden if c == scope.aanbieder)
        return cls(item.id, item.versie, item.tekst, item.subsegment or "", item.periode, leden,
                   len(item.leden))  # fmt: skip


def groepen(store: Dossier, scope: Scope, periode: str | None = None) -> list[Groep]:
    """The group talks (of a period): all for the municipality's roles; for a provider only
    those it takes part in, without the others' codes."""
    uit = []
    for item in store.items(soort="groep", periode=periode):
        if scope.is_aanbieder and scope.aanbieder not in item.leden:
            continue
        uit.append(Groep.uit_item(item, scope))
    return uit


def groep_cijfers(
    berekening: Berekening,
    periode: Periode | str,
    subsegment: str,
    leden: Sequence[str],
    scope: Scope,
    kpis: Sequence[str] = GROEP_KPIS,
) -> pl.DataFrame:
    """The members' figures side by side (per aanbieder, within the sub-segment), with names
    to be added by the caller: only for the municipality's roles."""
    if scope.is_aanbieder:
        raise BuitenScope("De cijfers van een groep naast elkaar zijn alleen voor de gemeenten.")
    filters = Filters(subsegment=subsegment, aanbieder=tuple(leden))
    return berekening.bereken(Periode.parse(periode), ("aanbieder",), filters, kpis)


@dataclass(frozen=True)
class Groepsblad:
    """One member's sheet of a group talk: its own figures, the others without names."""

    aanbieder: str
    eigen: pl.DataFrame  # the member's KPI values in its own scope (kpi.scope.beveilig)
    vergelijking: dict[str, pl.DataFrame]  # kpi → kpi.scope.peers within the group


def groepsblad(
    berekening: Berekening,
    periode: Periode | str,
    subsegment: str,
    leden: Sequence[str],
    aanbieder: str,
    scope: Scope,
    kpis: Sequence[str] = GROEP_KPIS,
) -> Groepsblad:
    """The sheet of one member, as that member may see it: its values protected as in its own
    scope, and per KPI the other members' values without codes, only where at least 3 others
    have n at least the KPI's minimum (kpi.scope.peers)."""
    if scope.is_aanbieder and scope.aanbieder != aanbieder:
        raise BuitenScope("Een aanbieder ziet alleen het eigen groepsblad.")
    if aanbieder not in leden:
        raise ValueError(f"aanbieder {aanbieder} hoort niet bij deze groep")
    eigen_scope = Scope("aanbieder", aanbieder=aanbieder)
    reg: Registry = berekening.registry
    filters = Filters(subsegment=subsegment, aanbieder=tuple(leden))
    alle = berekening.bereken(Periode.parse(periode), ("subsegment", "aanbieder"), filters, kpis)
    eigen = beveilig(alle.filter(pl.col("aanbieder") == aanbieder), reg)
    vergelijking = {
        k: peers(alle.filter(pl.col("kpi") == k), eigen_scope, reg)
        for k in kpis
        if alle.filter(pl.col("kpi") == k).height
    }
    return Groepsblad(aanbieder, eigen, vergelijking)


def groepsblad_van(
    store: Dossier, berekening: Berekening, groep_id: int, aanbieder: str, scope: Scope
) -> Groepsblad:
    """A member's sheet of a group saved in the dossier (the member list is read here and
    never handed out in provider scope)."""
    item = store.item(groep_id)
    if item.soort != "groep" or aanbieder not in item.leden:
        raise BuitenScope("Deze aanbieder hoort niet bij dit groepsgesprek.")
    return groepsblad(berekening, item.periode, item.subsegment or "", item.leden, aanbieder, scope)
