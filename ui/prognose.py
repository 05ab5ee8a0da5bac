"""The Prognose section (Financiën, Aanbieder): forecast to the end of the contract year.

A page calls `sectie(...)`; everything it shows passes through the session's scope
(kpi/scope.py), as every other figure on the pages does.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

import kpi
from kpi.prognose import overzicht
from ui import componenten as ui
from ui import data, opmaak
from ui.data import FilterWaarden, Opties, ScopeSleutel
from ui.filters import Selectie
from weergave import formaat, tabellen
from weergave import prognose as weergave

PER_CONTRACT = ("aanbieder", "gemeente", "subsegment")


def _filters(waarden: FilterWaarden) -> kpi.Filters:
    return kpi.Filters.uit_paren(waarden)


def _een_aanbieder(filters: FilterWaarden, scope: ScopeSleutel) -> tuple[str | None, FilterWaarden]:
    """The one provider the filters name outside a provider scope, and the other filters: its
    forecast is then cut from the forecast of all providers (overzicht.van_aanbieder), so
    twenty sessions on twenty providers' pages share one forecast."""
    agb = _filters(filters).enkel("aanbieder")
    if agb is None or kpi.Scope.uit_sleutel(scope).is_aanbieder:
        return None, filters
    return agb, tuple((d, v) for d, v in filters if d != "aanbieder")


@data.gedeelde_frames(show_spinner="Prognose berekenen…", max_entries=64)
def per_groep(per: tuple[str, ...], filters: FilterWaarden, scope: ScopeSleutel) -> pl.DataFrame:
    """kpi.prognose.overzicht.per_groep for the contract year of the peildatum."""
    agb, overige = _een_aanbieder(filters, scope)
    if agb is not None and "aanbieder" not in per:
        return overzicht.van_aanbieder(per_groep(("aanbieder", *per), overige, scope), agb)
    return overzicht.per_groep(
        data.verbinding(), per=per, filters=_filters(filters), scope=kpi.Scope.uit_sleutel(scope),
        normen=data.normen(),
    )  # fmt: skip


@data.gedeelde_frames(show_spinner="Prognose per maand…", max_entries=64)
def maandreeks(
    filters: FilterWaarden, scope: ScopeSleutel, per: tuple[str, ...] = ()
) -> pl.DataFrame:
    """kpi.prognose.overzicht.maandreeks for the contract year of the peildatum."""
    agb, overige = _een_aanbieder(filters, scope)
    if agb is not None and "aanbieder" not in per:
        alle = maandreeks(overige, scope, ("aanbieder", *per))
        return overzicht.maandreeks_van_aanbieder(alle, agb)
    return overzicht.maandreeks(
        data.verbinding(), filters=_filters(filters), scope=kpi.Scope.uit_sleutel(scope), per=per
    )


def sectie(selectie: Selectie, opties: Opties, aanbieder_kolom: bool = True) -> None:
    """The section: headline figures with interval, the two charts, the contracts."""
    scope = ui.huidige_scope().sleutel()
    afdruk = opmaak.printversie()
    if not _kop(selectie.filters, scope, afdruk):
        return
    st.markdown("**Per contract** (aanbieder × gemeente × sub-segment)")
    sortering = st.segmented_control(
        "Sorteren op",
        list(weergave.SORTERINGEN),
        format_func=weergave.SORTERINGEN.get,
        default="afwijking",
        key=f"prognose_sortering_{aanbieder_kolom}",
    )
    tabel = _contracten(selectie.filters, scope, afdruk, aanbieder_kolom, sortering or "afwijking")
    if tabel is None:
        return
    periode = overzicht.contractjaar_van(opties.peildatum)
    ui.downloads(tabel, f"prognose_{periode.label.replace(' ', '_').replace('/', '-')}",
                 f"prognose_{aanbieder_kolom}")  # fmt: skip


@ui.blok
def _kop(filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool) -> bool:
    """Heading, headline figures and the two charts; False when there are no contracts."""
    peildatum = data.opties(scope).peildatum
    periode = overzicht.contractjaar_van(peildatum)
    st.subheader(f"Prognose {periode.label}")
    st.caption(
        f"Prognose op de peildatum {formaat.datum(peildatum)} tot het einde van het "
        f"contractjaar ({formaat.datum(periode.eind)}), voor de gekozen gemeente, segment en "
        "aanbieder (de periode in de filters geldt hier niet). " + weergave.WAAROM
    )
    totaal = per_groep((), filters, scope)
    if totaal.is_empty() or not int(totaal["contracten"][0]):
        ui.leeg("contracten in dit contractjaar")
        return False
    rij = totaal.row(0, named=True)
    kolommen = st.columns(4)
    for kolom, (label, waarde, uitleg) in zip(kolommen, weergave.kerncijfers(rij), strict=True):
        kolom.metric(label, waarde, help=weergave.METHODE)
        kolom.caption(uitleg)
    dekking = weergave.dekking_tekst(rij)
    if dekking:  # the figures above are over the contracts with a forecast only
        st.warning(dekking, icon=":material/history_toggle_off:")
    st.markdown(weergave.volloop_samenvatting(rij))
    st.markdown(f"**Voorschotadvies.** {weergave.advies_rekensom(rij)}")

    reeks = maandreeks(filters, scope)
    if reeks.height:
        links, rechts = st.columns(2)
        band = tabellen.normband(rij["norm_groen"])
        ui.toon_sjabloon(weergave.benutting_sjabloon(reeks, band), links)
        ui.toon_sjabloon(weergave.kosten_sjabloon(reeks), rechts)
        st.caption(
            "Doorgetrokken: gerealiseerd tot de peildatum; gestreept: prognose, met het "
            "80 %-interval als vlak. Groen vlak: de groene zone van de norm."
        )
    return True


@ui.blok
def _contracten(
    filters: FilterWaarden, scope: ScopeSleutel, afdruk: bool, aanbieder_kolom: bool, sortering: str
) -> pl.DataFrame | None:
    """The table per contract with its caption; None (and a note) when there are none."""
    keuzes = data.opties(scope)
    per = PER_CONTRACT if aanbieder_kolom else ("gemeente", "subsegment")
    tabel = weergave.contracttabel(
        per_groep(per, filters, scope),
        keuzes.namen("gemeente"),
        keuzes.namen("aanbieder") if aanbieder_kolom else None,
        sortering,
    )
    if tabel.is_empty():
        ui.leeg("contracten")
        return None
    ui.toon(tabel, hoogte=min(36 * (tabel.height + 1), 600), afdruk=afdruk)
    st.caption(
        weergave.METHODE + " Afwijking: de afstand van de verwachte benutting tot de groene "
        "zone, als deel van die grens. Plekken volgend jaar: verwacht aantal gelijktijdige "
        "cliënten bij de instroom en doorlooptijd van de laatste 12 maanden (wet van Little)."
    )
    return tabel
