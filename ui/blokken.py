"""Blocks of the pages that are drawn once per key and replayed (ui.componenten.blok).

Each block takes plain values only (period code, filters, the scope key, the print flag) and
reads its figures through ui.data with that scope, so the same arguments always draw the
same thing and a block never shows one scope's figures to another. Widgets stay on the
page: a block returns the table its download buttons need.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from kpi.periode import Periode, trendperiode
from kpi.scope import Scope
from ui import componenten as ui
from ui import data
from ui.data import FilterWaarden, ScopeSleutel
from weergave import formaat, getallen, grafieken, tabellen


def _normen_per(
    periode: str, dimensie: str, filters: FilterWaarden, kpi_id: str, scope: ScopeSleutel
) -> dict[str, str | None]:
    rijen = data.waarden(periode, (dimensie,), filters, (kpi_id,), scope)
    return {r[dimensie]: r["norm_groen"] for r in rijen.iter_rows(named=True) if r[dimensie]}


@ui.blok
def benchmark(
    kpi_id: str,
    periode: str,
    filters: FilterWaarden,
    scope: ScopeSleutel,
    afdruk: bool,
    toelichting: bool,
) -> pl.DataFrame | None:
    """The spread over providers per sub-segment: chart and table (None when there is none).

    `toelichting` (the Benchmark page) adds the caption that says how to read the chart.
    """
    registry = data.registry()
    kpi = registry[kpi_id]
    bench = tabellen.benchmark_data(
        data.vergelijking(periode, filters, kpi_id, scope),
        registry,
        kpi_id,
        data.opties(scope).namen("aanbieder"),
        _normen_per(periode, "subsegment", filters, kpi_id, scope),
    )
    if bench.is_empty():
        ui.leeg() if toelichting else ui.leeg("een vergelijking")
        return None
    if toelichting:
        st.caption(
            (
                "De gekozen aanbieder is donker; "
                if dict(filters).get("aanbieder")
                else "Kies een aanbieder in de filters om die uit te lichten; "
            )
            + f"andere aanbieders staan er zonder naam, en alleen met n ≥ {kpi.min_n}. De zwarte "
            "streep is de mediaan van de andere aanbieders, het groene vlak de groene zone van "
            "de norm."
        )
    ui.toon_sjabloon(grafieken.benchmark_sjabloon(bench, kpi.eenheid, kpi.label))
    tabel = tabellen.positie(bench, beschermd=Scope.uit_sleutel(scope).is_aanbieder)
    ui.toon(tabel, afdruk=afdruk)
    return tabel


@ui.blok
def trend(
    kpi_id: str, periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool
) -> None:
    """KPI-detail's monthly trend with the norm band, and the months without a figure."""
    registry = data.registry()
    kpi = registry[kpi_id]
    st.subheader("Trend per maand")
    naast = tuple(k.id for k in registry.andere_statistieken(kpi_id))
    totaal = data.waarden(periode, (), filters, (kpi_id, *naast), scope)
    rij = None
    if ui.heeft_gegevens(totaal.filter(pl.col("kpi") == kpi_id)):
        met_tekst = tabellen.met_tekst(totaal, registry)
        rij = met_tekst.filter(pl.col("kpi") == kpi_id).row(0, named=True)
    trendcode = trendperiode(Periode.parse(periode)).code
    reeks = data.reeks(trendcode, (), filters, (kpi_id,), scope)
    # the months without a figure, and why (a month of the plan year without a plan, ...)
    zonder = tabellen.geen_cijfer(data.kpi_uitleg(kpi_id, trendcode, (), filters, scope, True))
    if reeks.is_empty() and not zonder:
        ui.leeg("de trend")
    elif not reeks.is_empty():
        reeks = tabellen.met_tekst(reeks, registry)
        band = tabellen.normband(rij["norm_groen"], rij["norm_deel"]) if rij else None
        ui.toon_grafiek(grafieken.trend(reeks, kpi.eenheid, kpi.label, band))
        if band:
            st.caption("Het groene vlak is de groene zone van de norm.")
        elif rij and rij["norm_deel"]:
            st.caption("Per sub-segment beoordeeld: zie de uitsplitsing per sub-segment.")
        else:
            st.caption("Geen vaste norm.")
    for regel in zonder:
        st.caption(f"Geen cijfer voor {regel}")


@ui.blok
def uitsplitsing(
    kpi_id: str,
    periode: str,
    dimensie: str,
    naam: str,
    filters: FilterWaarden,
    scope: ScopeSleutel,
    afdruk: bool,
) -> tuple[pl.DataFrame | None, list[str]]:
    """KPI-detail's breakdown by one dimension: chart and table, and the groups without a
    figure (the page shows those after its download buttons)."""
    registry = data.registry()
    kpi = registry[kpi_id]
    namen_van = data.opties(scope).namen(dimensie)
    ruw = data.waarden(periode, (dimensie,), filters, (kpi_id,), scope)
    waarom = data.kpi_uitleg(kpi_id, periode, (dimensie,), filters, scope)
    zonder = tabellen.geen_cijfer(waarom, namen_van, met_periode=False)
    if ruw.is_empty():
        for regel in zonder:
            st.info(regel, icon=":material/info:")
        if not zonder:
            ui.leeg()
        return None, []
    namen = ruw[dimensie].replace_strict(namen_van, default=ruw[dimensie]).alias("naam")
    grafiek = tabellen.met_tekst(ruw, registry).with_columns(namen)
    ui.toon_grafiek(grafieken.verdeling(grafiek, naam, kpi.eenheid, kpi.label))
    tabel = tabellen.kpi_tabel(ruw, registry).select(namen.alias(naam), pl.exclude("KPI"))
    ui.toon(tabel, afdruk=afdruk)
    return tabel, zonder


@ui.blok
def kwaliteit_trend(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool
) -> None:
    """Datakwaliteit's timeliness of 305 and 307 by month, each with its norm band."""
    registry = data.registry()
    reeks = data.reeks(periode, (), filters, ("tijdig_305", "tijdig_307"), scope)
    if reeks.is_empty():
        return
    for kpi_id in ("tijdig_305", "tijdig_307"):
        deel = tabellen.met_tekst(reeks.filter(pl.col("kpi") == kpi_id), registry)
        band = tabellen.normband(deel["norm_groen"].drop_nulls().first())
        ui.toon_grafiek(grafieken.trend(deel, "aandeel", registry[kpi_id].label, band))


@ui.blok
def kwaliteit_matrix(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool, kpis: tuple[str, ...]
) -> pl.DataFrame | None:
    """Datakwaliteit's matrix per provider; returns its figures for the downloads (None
    when there are no providers)."""
    registry = data.registry()
    regio = data.waarden(periode, (), filters, kpis, scope)
    per = data.waarden(periode, ("aanbieder",), filters, kpis, scope)
    namen = data.opties(scope).namen("aanbieder")
    lang = tabellen.sorteer(
        tabellen.matrix_lang(per, regio, "aanbieder", namen, registry, list(kpis)), "tijdig_305"
    )
    if lang.is_empty():
        ui.leeg()
        return None
    ui.stoplicht_legenda()
    ui.toon_grafiek(grafieken.matrix(lang, titel="Datakwaliteit per aanbieder"))
    return getallen.matrix_getallen(lang, registry, list(kpis), "aanbieder")


@ui.blok
def uitgaven(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool
) -> tuple[pl.DataFrame, str] | None:
    """Financiën's spending of the plan year against the prognose: chart, reasons, the two
    headline amounts. Returns the cumulative series and the plan year's code for the
    downloads (None when there is no budget or spending)."""
    reeks = data.uitgavenreeks(periode, filters, scope)
    plan = reeks.planjaar
    st.subheader(f"Uitgaven {plan.label}: realisatie tegen prognose")
    st.caption(tabellen.planjaartekst(reeks, Periode.parse(periode)))
    reeksen = tabellen.cumulatief(reeks)
    if reeksen.is_empty():
        ui.leeg("de begroting en uitgaven")
        return None
    ui.toon_grafiek(grafieken.cumulatief(reeksen))
    for sleutel, wat in (
        ("realisatie", "Realisatie"),
        ("vorig_jaar", "Vorig jaar"),
        ("prognose", "Prognose"),
    ):
        if sleutel in reeks.redenen:
            st.caption(f"{wat}: {reeks.redenen[sleutel]}")
    begroot = reeks.maanden["prognose"][-1] if reeks.maanden.height else None
    c1, c2 = st.columns(2)
    c1.metric(
        f"Begroot {plan.label} (prognose t/m {tabellen.maandlabel(plan.eind, True)})",
        formaat.euro(begroot, 0) or "–",
    )
    c2.metric(
        f"Verwachte uitgaven {plan.label}",
        formaat.euro(reeks.verwachting, 0) or "–",
        help="Realisatie tot nu + resterende maanden × gemiddelde van de laatste 3 volle maanden.",
    )
    return reeksen, plan.code


@ui.blok
def waterval(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool, segment: str | None
) -> None:
    """Financiën's waterfall from budget to spending for one segment (None: all) and the
    variance table."""
    overzicht = data.verschiloverzicht(periode, filters, scope)
    stappen = tabellen.watervalstappen(overzicht, segment)
    ui.toon_grafiek(grafieken.waterval(stappen))
    st.caption(
        "Begroot: de prognose over dezelfde maanden (het bedrag hierboven bij een heel "
        "jaar). Target = target cliënten × kosten per cliënt target; waar dat afwijkt van "
        "het begrote bedrag staat het verschil als eigen stap. Hoeveelheidsverschil = "
        "(cliënten werkelijk − target) × kosten per cliënt target; prijsverschil = (kosten "
        "per cliënt werkelijk − target) × cliënten werkelijk. Samen precies het verschil "
        "tussen werkelijke en target-uitgaven."
    )
    ui.toon(tabellen.verschiltabel(overzicht), afdruk=afdruk)


@ui.blok
def contracten(
    periode: str, filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool
) -> pl.DataFrame | None:
    """Financiën's utilisation and settlement per contract (None and a note when there are
    none); returns the table for the downloads."""
    geld = data.waarden(
        periode,
        ("aanbieder", "gemeente", "subsegment"),
        filters,
        data.registry().groep("geld"),
        scope,
    )
    keuzes = data.opties(scope)
    tabel = tabellen.per_contract(
        geld, data.registry(), keuzes.namen("gemeente"), keuzes.namen("aanbieder")
    )
    if tabel.is_empty():
        ui.leeg("contracten")
        return None
    ui.toon(tabel, afdruk=afdruk)
    return tabel


@dataclass(frozen=True)
class Matrix:
    """The Overzicht matrix for one key: its cells, the table, the download and the chart.

    `lang` is tabellen.matrix_lang sorted as asked, `breed` the table with a row per line,
    `cijfers` the numeric download, `spec` the chart of grafieken.matrix as Vega-Lite with
    its data as Arrow bytes (what st.altair_chart would make of it on every run).
    """

    lang: pl.DataFrame
    breed: pl.DataFrame
    cijfers: pl.DataFrame
    spec: dict


def _matrix_lang(
    periode: str, indeling: str, filters: FilterWaarden, kpis: tuple[str, ...], scope: ScopeSleutel
) -> pl.DataFrame | None:
    registry = data.registry()
    per_rij = data.waarden(periode, (indeling,), filters, kpis, scope)
    if not ui.heeft_gegevens(per_rij):
        return None
    regio = data.waarden(periode, (), filters, kpis, scope)
    vorige = tabellen.vorige_periode(Periode.parse(periode)).code  # for the tooltip
    eerder = (
        data.waarden(vorige, (indeling,), filters, kpis, scope),
        data.waarden(vorige, (), filters, kpis, scope),
    )
    totaal = tabellen.EIGEN_TOTAAL if Scope.uit_sleutel(scope).is_aanbieder else tabellen.REGIO
    namen = data.opties(scope).namen(indeling)
    return tabellen.matrix_lang(
        per_rij, regio, indeling, namen, registry, list(kpis), totaal=totaal, vorige=eerder
    )


@st.cache_data(show_spinner=False, max_entries=256)
def matrix(
    periode: str,
    indeling: str,
    filters: FilterWaarden,
    kpis: tuple[str, ...],
    sorteer: str,
    scope: ScopeSleutel,
) -> Matrix | None:
    """Overzicht's matrix, computed once per key and shared by every session (None: no data).

    Why: the matrix holds widgets (a click on a cell opens its detail), so the page cannot be a
    replayed block (ui.componenten.blok); yet building its cells, its table and above all its
    Altair chart (turned into Vega-Lite with schema validation, under a lock Streamlit holds for
    every session) was most of a warm run of the page with 20 sessions at once
    (bench/gelijktijdig.py). The page draws the cached spec with st.vega_lite_chart, which gives
    the element st.altair_chart gives (tests/test_ui_blokken.py compares the two).
    """
    registry = data.registry()
    lang = _matrix_lang(periode, indeling, filters, kpis, scope)
    if lang is None:
        return None
    lang = tabellen.sorteer(lang, sorteer)
    titel = f"Stoplicht per {indeling.replace('subsegment', 'sub-segment')}"
    return Matrix(
        lang=lang,
        breed=tabellen.matrix_breed(lang, registry, list(kpis)),
        cijfers=getallen.matrix_getallen(lang, registry, list(kpis), indeling),
        spec=ui.vega_lite(grafieken.matrix(lang, titel=titel)),
    )
