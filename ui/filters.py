"""The shared sidebar filters, kept in the URL (st.query_params) so that a view is a link."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import streamlit as st

import kpi
from kpi.periode import MAANDEN, Periode
from kpi.scope import Scope
from ui.data import FilterWaarden, Opties
from weergave import formaat

DIMENSIES = ("gemeente", "domein", "segment", "subsegment", "aanbieder")
SOORTEN = ("Kalenderjaar", "Contractjaar", "Kwartaal", "Maand", "Van – tot")
ALLE = "Alle"


@dataclass(frozen=True)
class Selectie:
    """What the user chose: a period (as the URL writes it) and one value per dimension."""

    periode: str
    waarden: dict[str, str] = field(default_factory=dict)  # dimensie → code; absent = all

    @property
    def filters(self) -> FilterWaarden:
        """Hashable form for the cached queries."""
        return tuple((d, self.waarden[d]) for d in DIMENSIES if d in self.waarden)

    @property
    def kpi_filters(self) -> kpi.Filters:
        return kpi.Filters(**self.waarden)

    @property
    def periode_object(self) -> Periode:
        return Periode.parse(self.periode)

    def query(self, **extra: str) -> dict[str, str]:
        """The query parameters of this selection (plus page-specific ones)."""
        return {"periode": self.periode, **self.waarden, **extra}


def standaard_periode(opties: Opties) -> str:
    """The latest complete calendar year at the peildatum."""
    p = opties.peildatum
    return str(p.year if (p.month, p.day) == (12, 31) else p.year - 1)


def _soort_van(periode: str) -> str:
    if re.fullmatch(r"\d{4}", periode):
        return "Kalenderjaar"
    if re.fullmatch(r"[Cc][Jj]\d{4}", periode):
        return "Contractjaar"
    if re.fullmatch(r"\d{4}-[Qq][1-4]", periode):
        return "Kwartaal"
    if re.fullmatch(r"\d{4}-\d{2}", periode):
        return "Maand"
    return "Van – tot"


def _geldige_periode(tekst: str | None, standaard: str) -> str:
    if not tekst:
        return standaard
    try:
        Periode.parse(tekst)
    except ValueError:
        return standaard
    return tekst


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


def _uit_url() -> dict[str, str]:
    qp = st.query_params
    return {k: qp[k] for k in ("periode", *DIMENSIES) if qp.get(k)}


def init_uit_url(opties: Opties, scope: Scope) -> None:
    """Take the filters from the URL on a session's first run and whenever the URL was changed
    from outside the widgets (a link, a click-through); values that are not allowed are ignored."""
    url = _uit_url()
    if st.session_state.get("_filters_geladen") and url == st.session_state.get("_url_laatst"):
        return
    periode = _geldige_periode(url.get("periode"), standaard_periode(opties))
    st.session_state["f_periode"] = periode
    for sleutel in PERIODE_WIDGETS:
        st.session_state.pop(sleutel, None)  # they follow f_periode again
    gekozen: dict[str, str] = {}
    eerste = not st.session_state.get("_filters_geladen")
    for d in DIMENSIES:
        waarde = url.get(d)
        if d == "gemeente" and eerste and not waarde and scope.rol == "gemeente":
            waarde = scope.gemeente  # preset to its own gemeente; it may widen
        if d == "aanbieder" and scope.is_aanbieder:
            waarde = scope.aanbieder  # a provider always looks at itself; the URL cannot widen
        if waarde and waarde in _keuzes(opties, d, gekozen):
            gekozen[d] = waarde
        st.session_state[f"f_{d}"] = gekozen.get(d, ALLE)
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
    selectie = Selectie(periode, gekozen)
    _naar_url(selectie)
    return selectie


def _label(opties: Opties, dimensie: str, code: str) -> str:
    naam = opties.naam(dimensie, code)
    return f"{naam} ({code})" if dimensie in ("gemeente", "aanbieder") and naam != code else naam


def _naar_url(selectie: Selectie) -> None:
    """Filters into the URL; other (page) parameters stay as they are."""
    st.session_state["_url_laatst"] = {"periode": selectie.periode, **selectie.waarden}
    qp = st.query_params
    if qp.get("periode") != selectie.periode:
        qp["periode"] = selectie.periode
    for d in DIMENSIES:
        waarde = selectie.waarden.get(d)
        if waarde is None and d in qp:
            del qp[d]
        elif waarde is not None and qp.get(d) != waarde:
            qp[d] = waarde


def _periode_widgets(opties: Opties) -> str:
    huidig = st.session_state.get("f_periode", standaard_periode(opties))
    if "f_soort" not in st.session_state:
        st.session_state["f_soort"] = _soort_van(huidig)
    soort = st.selectbox("Periode", SOORTEN, key="f_soort")
    p = Periode.parse(huidig)
    jaren = sorted({*opties.jaren, p.start.year, p.eind.year})
    if soort == "Kalenderjaar":
        jaar = st.selectbox(
            "Jaar", jaren[::-1], index=_index(jaren[::-1], p.start.year), key="f_jaar"
        )
        uit = str(jaar)
    elif soort == "Contractjaar":
        opties_cj = [j for j in jaren if j >= 2022][::-1] or jaren[::-1]
        start = p.start.year if p.start.month >= 7 else p.start.year - 1
        cj = st.selectbox(
            "Contractjaar",
            opties_cj,
            index=_index(opties_cj, start),
            key="f_cj",
            format_func=lambda j: f"{j}/{str(j + 1)[2:]} (1-7-{j} t/m 30-6-{j + 1})",
        )
        uit = f"cj{cj}"
    elif soort == "Kwartaal":
        jaar = st.selectbox(
            "Jaar", jaren[::-1], index=_index(jaren[::-1], p.start.year), key="f_kj"
        )
        kw = st.selectbox(
            "Kwartaal",
            [1, 2, 3, 4],
            index=(p.start.month - 1) // 3,
            key="f_kw",
            format_func=lambda k: f"Q{k}",
        )
        uit = f"{jaar}-Q{kw}"
    elif soort == "Maand":
        jaar = st.selectbox(
            "Jaar", jaren[::-1], index=_index(jaren[::-1], p.start.year), key="f_mj"
        )
        maand = st.selectbox(
            "Maand",
            list(range(1, 13)),
            index=p.start.month - 1,
            key="f_mm",
            format_func=lambda m: MAANDEN[m - 1],
        )
        uit = f"{jaar}-{maand:02d}"
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
        uit = f"{van.isoformat()}..{tot.isoformat()}"
    st.session_state["f_periode"] = uit
    st.caption(Periode.parse(uit).label)
    return uit


def _index(lijst: list[int], waarde: int) -> int:
    return lijst.index(waarde) if waarde in lijst else 0
