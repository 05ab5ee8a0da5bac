"""One read-only DuckDB connection per process; cached queries keyed on plain filter values."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
import streamlit as st

import kpi
from kpi import financien
from kpi import scope as kpi_scope
from kpi import toegang as kpi_toegang
from kpi.berekening import (
    GEEN_AANBIEDER,
    Berekening,
    Uitleg,
    lees_peildatum,
    uit_per_aanbieder,
    uitleg,
)
from kpi.financien import Uitgavenreeks, Verschiloverzicht
from kpi.normen import normenbestand
from kpi.periode import Periode
from kpi.registry import Registry, laad_registry
from kpi.scope import Scope, peers
from warehouse.voorbeeld import STANDAARD_DB, zorg_voor_warehouse

F = TypeVar("F", bound=Callable[..., Any])
FilterWaarden = tuple[tuple[str, str], ...]  # (dimensie, waarde) pairs: hashable for the cache
ScopeSleutel = tuple[str, str, str]  # Scope.sleutel(): every cached query is keyed on it


def gedeelde_frames(show_spinner: bool | str, max_entries: int) -> Callable[[F], F]:
    """Cache for functions that return Polars frames: one object shared by every session.

    Why not st.cache_data: it unpickles a fresh copy of the frame on every hit, a tenth of the
    server's time with twenty sessions at once (bench/gelijktijdig.py). A Polars frame is
    immutable to all code here (tests/test_ui_data_aanbieder.py checks that no code of the
    pages changes a frame in place), so sharing it is safe; the key still holds the scope.
    """
    return st.cache_resource(show_spinner=show_spinner, max_entries=max_entries)


def warehouse_pad() -> Path:
    """The warehouse file: $STOPLICHT_DB, else data/stoplicht.duckdb."""
    return Path(os.environ.get("STOPLICHT_DB", STANDAARD_DB))


@st.cache_resource(show_spinner="Eerste start: voorbeelddata aanmaken en laden…")
def verbinding() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection (the sample warehouse is built on first start)."""
    pad = warehouse_pad()
    zorg_voor_warehouse(pad)
    return duckdb.connect(str(pad), read_only=True)


@st.cache_resource(show_spinner=False)
def is_voorbeelddata() -> bool:
    """True when the warehouse served is the generated sample (kpi.toegang.is_voorbeelddata)."""
    return kpi_toegang.is_voorbeelddata(verbinding())


def registry() -> Registry:
    """The KPI declarations."""
    return laad_registry()


@dataclass(frozen=True)
class Opties:
    """What the filters can choose from, read from the warehouse."""

    peildatum: date
    jaren: tuple[int, ...]
    gemeenten: tuple[tuple[str, str], ...]  # (code, naam)
    domeinen: tuple[str, ...]
    segmenten: tuple[tuple[str, str], ...]  # (segment, domein)
    subsegmenten: tuple[tuple[str, str], ...]  # (subsegment, segment)
    aanbieders: tuple[tuple[str, str], ...]  # (AGB, naam)

    def naam(self, dimensie: str, code: str | None) -> str:
        """Display name of a dimension value ('Aalten', 'Zorg A'); the code itself otherwise."""
        if code is None:
            return "Alle"
        lijst = {"gemeente": self.gemeenten, "aanbieder": self.aanbieders}.get(dimensie)
        return dict(lijst).get(code, code) if lijst else code

    def namen(self, dimensie: str) -> dict[str, str]:
        """code → name for gemeente and aanbieder; identity for the others."""
        lijst = {"gemeente": self.gemeenten, "aanbieder": self.aanbieders}.get(dimensie)
        return dict(lijst) if lijst else {}


@st.cache_data(show_spinner=False)
def opties(scope: ScopeSleutel) -> Opties:
    """Filter choices: gemeenten and aanbieders that occur in the care data, with names.

    A provider sees only itself among the aanbieders: no other provider's name or code.
    """
    cur = verbinding().cursor()
    peildatum = lees_peildatum(cur)
    jaren = [
        r[0]
        for r in cur.execute(
            "select distinct year(dagtekening) from berichten order by 1"
        ).fetchall()
    ]
    gemeenten = cur.execute(
        "select distinct t.gemeente, coalesce(g.naam, t.gemeente) from toewijzingen as t "
        "left join gemeenten as g on g.gemeente = t.gemeente order by 2"
    ).fetchall()
    segmenten = cur.execute(
        "select distinct segment, domein from producten order by 2, 1"
    ).fetchall()
    subsegmenten = cur.execute(
        "select distinct subsegment, segment from producten order by 2, 1"
    ).fetchall()
    aanbieders = cur.execute(
        "select distinct t.aanbieder, coalesce(a.naam, t.aanbieder) from toewijzingen as t "
        "left join aanbieders as a on a.aanbieder = t.aanbieder order by 2"
    ).fetchall()
    domeinen = sorted({d for _, d in segmenten})
    eigen = Scope.uit_sleutel(scope)
    if eigen.is_aanbieder:
        aanbieders = [(c, n) for c, n in aanbieders if c == eigen.aanbieder] or [
            (eigen.aanbieder, eigen.aanbieder)
        ]
    return Opties(
        peildatum,
        tuple(jaren),
        tuple(gemeenten),
        tuple(domeinen),
        tuple(segmenten),
        tuple(subsegmenten),
        tuple(aanbieders),
    )


def _filters(waarden: FilterWaarden) -> kpi.Filters:
    return kpi.Filters.uit_paren(waarden)


@gedeelde_frames(show_spinner="KPI's berekenen…", max_entries=256)
def waarden(
    periode: str,
    per: tuple[str, ...],
    filters: FilterWaarden,
    kpis: tuple[str, ...] | None,
    scope: ScopeSleutel,
) -> pl.DataFrame:
    """kpi.bereken for plain, hashable arguments, within the scope.

    One provider's figures (outside provider scope) are cut from the figures of all
    providers (this function grouped by aanbieder, kpi.berekening.uit_per_aanbieder):
    twenty sessions that each open another provider's page share one computation instead
    of queueing behind twenty.
    """
    eigen, gevraagd = Scope.uit_sleutel(scope), _filters(filters)
    agb = gevraagd.enkel("aanbieder")
    if agb in (None, GEEN_AANBIEDER) or eigen.is_aanbieder or "aanbieder" in per:
        return kpi.bereken(
            verbinding(), periode, per, gevraagd, kpis=kpis, scope=eigen, normen=normen()
        )
    overige = tuple((d, v) for d, v in filters if d != "aanbieder")
    return uit_per_aanbieder(
        _deel_van(_per_aanbieder(periode, per, overige, kpis, scope), agb),
        waarden(periode, per, (*overige, ("aanbieder", GEEN_AANBIEDER)), kpis, scope),
        agb,
        per,
        kpis,
        lambda ids: kpi.bereken(
            verbinding(), periode, per, gevraagd, kpis=ids, scope=eigen, normen=normen()
        ),
        normen(),
        registry(),
    )


@gedeelde_frames(show_spinner=False, max_entries=128)
def _per_aanbieder(
    periode: str,
    per: tuple[str, ...],
    filters: FilterWaarden,
    kpis: tuple[str, ...] | None,
    scope: ScopeSleutel,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """`waarden` grouped by aanbieder (all providers at once), split per provider once, and
    the empty frame for a provider without rows: each provider's page then takes its rows
    without filtering the whole frame again."""
    alle = waarden(periode, ("aanbieder", *per), filters, kpis, scope)
    delen = alle.partition_by("aanbieder", as_dict=True)
    return {agb: deel for (agb,), deel in delen.items()}, alle.clear()


def _deel_van(delen: tuple[dict[str, pl.DataFrame], pl.DataFrame], agb: str) -> pl.DataFrame:
    per_aanbieder, leeg = delen
    return per_aanbieder.get(agb, leeg)


@gedeelde_frames(show_spinner="Trend berekenen…", max_entries=128)
def reeks(
    periode: str,
    per: tuple[str, ...],
    filters: FilterWaarden,
    kpis: tuple[str, ...],
    scope: ScopeSleutel,
) -> pl.DataFrame:
    """kpi.reeks (by month) for plain, hashable arguments, within the scope."""
    return kpi.reeks(
        verbinding(), periode, per, _filters(filters), kpis=kpis, scope=Scope.uit_sleutel(scope),
        normen=normen(),
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=128)
def kpi_uitleg(
    kpi_id: str,
    periode: str,
    per: tuple[str, ...],
    filters: FilterWaarden,
    scope: ScopeSleutel,
    per_maand: bool = False,
) -> Uitleg:
    """kpi.berekening.uitleg for one KPI: why the period (or each of its months, `per_maand`)
    or a group gives no figure, and what a figure covers."""
    p = Periode.parse(periode)
    return uitleg(
        verbinding(),
        kpi_id,
        p.maanden() if per_maand else (p,),
        per,
        _filters(filters),
        scope=Scope.uit_sleutel(scope),
    )


@gedeelde_frames(show_spinner="Vergelijking berekenen…", max_entries=128)
def vergelijking(
    periode: str, filters: FilterWaarden, kpi_id: str, scope: ScopeSleutel
) -> pl.DataFrame:
    """Providers' values per sub-segment for one KPI as the scope may see them (kpi.scope.peers).

    The provider in the filters is highlighted; the others are compared without that filter.
    """
    gevraagd = _filters(filters)
    overige = tuple((d, v) for d, v in filters if d != "aanbieder")
    alle = _alle_aanbieders(periode, overige, kpi_id)
    return peers(alle, Scope.uit_sleutel(scope), registry(), gevraagd.enkel("aanbieder"))


@gedeelde_frames(show_spinner="Vergelijking berekenen…", max_entries=128)
def _alle_aanbieders(periode: str, filters: FilterWaarden, kpi_id: str) -> pl.DataFrame:
    """One KPI per sub-segment and aanbieder over all providers, for `vergelijking` only (never
    shown as is: kpi.scope.peers decides what a scope sees). Cached apart from the provider
    that is highlighted, so every provider's page shares one computation."""
    return kpi.bereken(
        verbinding(), periode, ("subsegment", "aanbieder"), _filters(filters), kpis=(kpi_id,),
        normen=normen(),
    )  # fmt: skip


@st.cache_data(show_spinner="Trajecten ophalen…", max_entries=64)
def eenheden(
    kpi_id: str, periode: str, filters: FilterWaarden, scope: ScopeSleutel
) -> pl.DataFrame:
    """The unit rows behind a KPI figure (pseudonymised); refused in provider scope."""
    return kpi.eenheden(
        verbinding(), kpi_id, periode, _filters(filters), scope=Scope.uit_sleutel(scope)
    )


@st.cache_data(show_spinner="Uitgaven berekenen…", max_entries=64)
def uitgavenreeks(periode: str, filters: FilterWaarden, scope: ScopeSleutel) -> Uitgavenreeks:
    """kpi.financien.uitgavenreeks (the Financiën chart) within the scope."""
    return financien.uitgavenreeks(
        verbinding(), periode, _filters(filters), scope=Scope.uit_sleutel(scope)
    )


@st.cache_data(show_spinner="Verschillen berekenen…", max_entries=64)
def verschiloverzicht(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel
) -> Verschiloverzicht:
    """kpi.financien.verschiloverzicht (the waterfall) within the scope."""
    return financien.verschiloverzicht(
        verbinding(), periode, _filters(filters), scope=Scope.uit_sleutel(scope)
    )


@st.cache_data(show_spinner=False)
def eerste_datum() -> date | None:
    """Where the data begins: the first dagtekening of any message."""
    return verbinding().cursor().execute("select min(dagtekening) from berichten").fetchone()[0]


@st.cache_data(show_spinner=False)
def niet_berekenbaar() -> dict[str, str]:
    """KPIs whose inputs are absent, with the reason."""
    return kpi.niet_berekenbaar(verbinding())


@st.cache_data(show_spinner=False)
def quarantaine(filters: FilterWaarden, scope: ScopeSleutel) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Quarantined rows per reason and per provider, within the scope (kpi.scope.quarantaine)."""
    return kpi_scope.quarantaine(verbinding(), Scope.uit_sleutel(scope), _filters(filters))


@st.cache_data(show_spinner=False)
def tabel(naam: str) -> pl.DataFrame:
    """A bookkeeping table (meta, laadverslag, table sizes) as a frame; not for provider scope."""
    sql = {
        "meta": "select * from meta order by sleutel",
        "laadverslag": "select * from laadverslag order by tabel, bron_bestand",
        "rijen": (
            "select table_name as tabel, estimated_size as rijen from duckdb_tables() "
            "order by table_name"
        ),
    }[naam]
    return verbinding().cursor().sql(sql).pl()


@st.cache_resource
def normen() -> kpi.Normen:
    """The norms in force (kpi/normen.toml unless $STOPLICHT_NORMEN names another file): the
    ones every figure of the pages is judged by, and the ones Over de data shows."""
    return kpi.laad_normen(normenbestand(), registry())


def berekening() -> Berekening:
    """A computation on the shared connection, judged by the norms in force (`normen`)."""
    return Berekening(verbinding(), normen=normen())
