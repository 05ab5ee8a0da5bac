"""The shared sidebar filters, kept in the URL (st.query_params) so that a view is a link.

The filters are shared by every page: a move to another page keeps them (the sidebar links carry
them, and a URL without any filter within a running session is a page move, not a new view).
A value in a link that is not allowed falls back to the default with a note on the page.
Period codes are made and read only through kpi.periode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

import kpi
from kpi.filters import DIMENSIES
from kpi.periode import (
    MAANDEN,
    Periode,
    contractjaar_van,
    datum_nl,
    kwartaal_van,
    openingsperiode,
)
from kpi.scope import Scope
from ui import url
from ui.data import FilterWaarden, Opties
from weergave import formaat

# The period kinds as the sidebar names them, by Periode.soort.
SOORTEN = {
    "jaar": "Kalenderjaar",
    "contractjaar": "Contractjaar",
    "kwartaal": "Kwartaal",
    "maand": "Maand",
    "bereik": "Van – tot",
}
ALLE = "Alle"
PRINT = "print"  # ?print=1: the print version (no sidebar, tables in full), kept across pages
EERSTE_CONTRACTJAAR = 2022  # the contracts of the nieuwe werkwijze started 1 July 2022
_MEERVOUD = {"gemeente": "gemeenten", "domein": "domeinen", "segment": "segmenten",
             "subsegment": "sub-segmenten", "aanbieder": "aanbieders"}  # fmt: skip


@dataclass(frozen=True)
class Selectie:
    """What the user chose: a period (as the URL writes it) and one value per dimension."""

    periode: str
    waarden: dict[str, str] = field(default_factory=dict)  # dimensie → code; absent = all
    printversie: bool = False

    @property
    def filters(self) -> FilterWaarden:
        """Hashable form for the cached queries."""
        return tuple((d, self.waarden[d]) for d in DIMENSIES if d in self.waarden)

    @property
    def kpi_filters(self) -> kpi.Filters:
        return kpi.Filters.uit_paren(self.filters)

    def filters_zonder(self, *dimensies: str) -> FilterWaarden:
        """`filters` with `dimensies` open again, by kpi.Filters.zonder's rule (an unknown
        dimension is an error): e.g. a provider's peers under the same other filters."""
        blijft = self.kpi_filters.zonder(*dimensies).gezet()  # the dimensions still set
        return tuple((d, v) for d, v in self.filters if d in blijft)

    @property
    def periode_object(self) -> Periode:
        return Periode.parse(self.periode)

    def query(self, **extra: str) -> dict[str, str]:
        """The query parameters of this selection (plus page-specific ones)."""
        eigen = {PRINT: "1"} if self.printversie else {}
        return {"periode": self.periode, **self.waarden, **eigen, **extra}


def standaard_periode(opties: Opties) -> str:
    """The latest complete calendar year at the peildatum (kpi.periode.openingsperiode)."""
    return openingsperiode(opties.peildatum).code


def geldige_periode(tekst: str) -> Periode | None:
    """The period a link asks for, or None when it is no period or lies outside the window."""
    try:
        periode = Periode.parse(tekst)
    except ValueError:
        return None
    return periode if periode.in_venster else None


def _keuzes(opties: Opties, dimensie: str, gekozen: dict[str, str]) -> list[str]:
    """Allowed codes of a dimension, narrowed by the parents already chosen."""
    if dimensie == "gemeente":
        return [c for c, _ in opties.gemeenten]
    if dimensie == "aanbieder":
        return [c for c, _ in opties.aanbieders]
    if dimensie == "domein":
        return list(opties.domeinen)
    if dimensie == "segment":
        d = gekozen.get("domein")
        return [s for s, dom in opties.segmenten if d is None or dom == d]
    segmenten = {s for s, dom in opties.segmenten if gekozen.get("domein") in (None, dom)}
    s = gekozen.get("segment")
    return [sub for sub, seg in opties.subsegmenten if (s is None or seg == s) and seg in segmenten]


PERIODE_WIDGETS = ("f_soort", "f_jaar", "f_cj", "f_kj", "f_kw", "f_mj", "f_mm", "f_bereik")


GEDEELD = ("periode", *DIMENSIES, PRINT)  # the query parameters every page shares


def _uit_url() -> dict[str, str]:
    qp = st.query_params
    return {k: qp[k] for k in GEDEELD if qp.get(k) is not None}


def init_uit_url(opties: Opties, scope: Scope) -> None:
    """Take the filters from the URL on a session's first run and whenever the URL was changed
    from outside the widgets (a link, a click-through, the back button). A URL without any
    filter in a running session is a move to another page: the filters stay. A value that is
    not allowed falls back to the default, and the page says so."""
    url_nu = _uit_url()
    geladen = st.session_state.get("_filters_geladen", False)
    if geladen and (not url_nu or url_nu == st.session_state.get("_url_laatst")):
        return
    standaard = standaard_periode(opties)
    periode = standaard
    if "periode" in url_nu:
        if geldige_periode(url_nu["periode"]) is None:
            url.melding("periode", f"getoond wordt {Periode.parse(standaard).label}")
        else:
            periode = url_nu["periode"]
    st.session_state["f_periode"] = periode
    for sleutel in PERIODE_WIDGETS:
        st.session_state.pop(sleutel, None)  # they follow f_periode again
    gekozen: dict[str, str] = {}
    for d in DIMENSIES:
        waarde = url_nu.get(d)
        if d == "gemeente" and not geladen and not waarde and scope.rol == "gemeente":
            waarde = scope.gemeente  # preset to its own gemeente; it may widen
        if d == "aanbieder" and scope.is_aanbieder:
            if waarde is not None and waarde != scope.aanbieder:
                url.melding(d, "u ziet de cijfers van uw eigen organisatie")
            waarde = scope.aanbieder  # a provider always looks at itself; the URL cannot widen
        if waarde is not None and waarde in _keuzes(opties, d, gekozen):
            gekozen[d] = waarde
        elif waarde is not None:
            url.melding(d, f"getoond worden alle {_MEERVOUD[d]}")
        st.session_state[f"f_{d}"] = gekozen.get(d, ALLE)
    if url_nu.get(PRINT, "1") != "1":
        url.melding(PRINT, "de gewone weergave wordt getoond")
    st.session_state[PRINT] = url_nu.get(PRINT) == "1"
    st.session_state["_filters_geladen"] = True


def zijbalk(opties: Opties, scope: Scope) -> Selectie:
    """Draw the filters in the sidebar and write the selection back into the URL."""
    init_uit_url(opties, scope)
    with st.sidebar:
        st.markdown("### Filters")
        periode = _periode_widgets(opties)
        gekozen: dict[str, str] = {}
        for d in DIMENSIES:
            codes = _keuzes(opties, d, gekozen)
            sleutel = f"f_{d}"
            vast = d == "aanbieder" and scope.is_aanbieder
            if vast:
                st.session_state[sleutel] = scope.aanbieder
            elif st.session_state.get(sleutel, ALLE) not in (ALLE, *codes):
                st.session_state[sleutel] = ALLE  # a parent changed: the old child no longer fits
            waarde = st.selectbox(
                d.capitalize() if d != "subsegment" else "Sub-segment",
                codes if vast else [ALLE, *codes],
                key=sleutel,
                format_func=lambda c, d=d: c if c == ALLE else _label(opties, d, c),
                disabled=vast,
            )
            if waarde != ALLE:
                gekozen[d] = waarde
        st.caption(f"Peildatum {formaat.datum(opties.peildatum)}")
    selectie = Selectie(periode, gekozen, bool(st.session_state.get(PRINT)))
    _naar_url(selectie)
    return selectie


def paginalinks(plek: DeltaGenerator, paginas: dict[str, list[StreamlitPage]], s: Selectie) -> None:
    """The page menu: links that carry the shared filters, so a move to a page keeps them."""
    with plek:
        for kop, lijst in paginas.items():
            st.caption(kop)
            for pagina in lijst:
                st.page_link(pagina, query_params=s.query())


def _label(opties: Opties, dimensie: str, code: str) -> str:
    naam = opties.naam(dimensie, code)
    return f"{naam} ({code})" if dimensie in ("gemeente", "aanbieder") and naam != code else naam


def _naar_url(selectie: Selectie) -> None:
    """Filters into the URL; other (page) parameters stay as they are."""
    gewenst = selectie.query()
    st.session_state["_url_laatst"] = gewenst
    qp = st.query_params
    for k in GEDEELD:
        waarde = gewenst.get(k)
        if waarde is None and k in qp:
            del qp[k]
        elif waarde is not None and qp.get(k) != waarde:
            qp[k] = waarde


def _periode_widgets(opties: Opties) -> str:
    huidig = Periode.parse(st.session_state.get("f_periode", standaard_periode(opties)))
    if "f_soort" not in st.session_state:
        st.session_state["f_soort"] = huidig.soort
    soort = st.selectbox("Periode", list(SOORTEN), key="f_soort", format_func=SOORTEN.get)
    p = huidig
    jaren = sorted({*opties.jaren, p.start.year, p.eind.year})
    nieuw_eerst = jaren[::-1]
    if soort == "jaar":
        jaar = _jaarkeuze(nieuw_eerst, p.start.year, "f_jaar")
        uit = Periode.jaar(jaar)
    elif soort == "contractjaar":
        opties_cj = [j for j in nieuw_eerst if j >= EERSTE_CONTRACTJAAR] or nieuw_eerst
        cj = st.selectbox(
            "Contractjaar",
            opties_cj,
            index=_index(opties_cj, contractjaar_van(p.start)),
            key="f_cj",
            format_func=_contractjaar_label,
        )
        uit = Periode.contractjaar(cj)
    elif soort == "kwartaal":
        jaar = _jaarkeuze(nieuw_eerst, p.start.year, "f_kj")
        kw = st.selectbox(
            "Kwartaal",
            [1, 2, 3, 4],
            index=kwartaal_van(p.start) - 1,
            key="f_kw",
            format_func=lambda k: f"Q{k}",
        )
        uit = Periode.kwartaal(jaar, kw)
    elif soort == "maand":
        jaar = _jaarkeuze(nieuw_eerst, p.start.year, "f_mj")
        maand = st.selectbox(
            "Maand",
            list(range(1, 13)),
            index=p.start.month - 1,
            key="f_mm",
            format_func=lambda m: MAANDEN[m - 1],
        )
        uit = Periode.maand(jaar, maand)
    else:
        bereik = st.date_input(
            "Van – tot",
            value=(p.start, p.eind),
            format="DD-MM-YYYY",
            key="f_bereik",
            min_value=date(min(jaren), 1, 1),
            max_value=date(max(jaren) + 1, 12, 31),
        )
        van, tot = bereik if isinstance(bereik, tuple) and len(bereik) == 2 else (p.start, p.eind)
        uit = Periode(van, tot)
    st.session_state["f_periode"] = uit.code
    st.caption(uit.label)
    return uit.code


def _jaarkeuze(jaren: list[int], huidig: int, sleutel: str) -> int:
    return st.selectbox("Jaar", jaren, index=_index(jaren, huidig), key=sleutel)


def _contractjaar_label(jaar: int) -> str:
    """'2023/24 (1-7-2023 t/m 30-6-2024)'."""
    p = Periode.contractjaar(jaar)
    return f"{p.label.removeprefix('contractjaar ')} ({datum_nl(p.start)} t/m {datum_nl(p.eind)})"


def _index(lijst: list[int], waarde: int) -> int:
    return lijst.index(waarde) if waarde in lijst else 0
