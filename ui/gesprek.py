"""The CM-gesprek dossier on the Aanbieder page: earlier afspraken, agenda, afspraken,
toelichting and besluiten of one provider and period, written in the page.

The rules live below: what a role may see and the agenda proposal in kpi/gesprek.py, the
store and its checks in dossier/. A provider (role aanbieder) sees only its own shared items
and writes nothing. What users type is shown with st.text or escaped, never as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import polars as pl
import streamlit as st

from dossier import Dossier, DossierFout, Item, VersieConflict, dossier_pad
from kpi import gesprek as gs
from kpi.scope import Scope
from kpi.toegang import gebruikersbestand
from rapport.gesprek import dossier_excel
from ui import componenten as ui
from ui import data
from ui.filters import Selectie
from weergave import formaat
from weergave import gesprek as wd

LOKAAL = "lokaal"  # who writes in local mode (no user file, no login)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@])")  # every character Markdown reads
STATUS_KEUZE = {"open": "○ open", "gedaan": "● gedaan", "vervallen": "✕ vervallen"}
ONDERWERP_KEUZE = {"voorschot": "Voorschot (€)", "lumpsum": "Lumpsum (€)",
                   "plekken": "Plekken (aantal)", "overig": "Overig"}  # fmt: skip
EIGENAREN = ("aanbieder", "gemeente", "aanbieder en gemeente", "contractmanager")


def wie() -> str:
    """Who writes: the logged-in identity (e-mail), or 'lokaal' in local mode."""
    if gebruikersbestand() is None:
        return LOKAAL
    return str(st.user.get("email") or "").strip().lower() or "onbekend"


@st.cache_resource(show_spinner=False)
def _store(pad: str) -> Dossier:
    return Dossier(pad)


def store() -> Dossier:
    """The dossier: $STOPLICHT_DOSSIER, else dossier.sqlite beside the warehouse."""
    return _store(str(dossier_pad(data.warehouse_pad())))


@st.cache_data(show_spinner=False)
def grootte() -> dict[str, str]:
    """AGB → grootte (klein, regulier, strategisch) from the warehouse."""
    return gs.grootte(data.verbinding())


def md(tekst: object) -> str:
    """Text safe inside Markdown: every Markdown character escaped."""
    return _MARKDOWN.sub(r"\\\1", "" if tekst is None else str(tekst))


def _melding(sleutel: str, tekst: str, fout: bool = False) -> None:
    """Say after the rerun what was saved (or why not)."""
    st.session_state.setdefault(f"dossier_melding_{sleutel}", []).append((fout, tekst))


def _toon_melding(sleutel: str) -> None:
    for fout, tekst in st.session_state.pop(f"dossier_melding_{sleutel}", []):
        if fout:
            st.error(tekst, icon=":material/error:")
        else:
            st.success(tekst, icon=":material/check_circle:")


def _basis(naam: str, versie: int) -> int:
    """The version a form was opened on, remembered from its first showing: a save from it
    is refused when a colleague saved a newer version in between (dossier.VersieConflict)."""
    return st.session_state.setdefault(f"dossier_basis_{naam}", versie)


def _nieuw_formulier(naam: str) -> str:
    """A fresh key suffix for a form after a save, so its fields start empty again."""
    teller = f"dossier_teller_{naam}"
    st.session_state[teller] = st.session_state.get(teller, 0) + 1
    return str(st.session_state[teller])


def _teller(naam: str) -> str:
    return str(st.session_state.get(f"dossier_teller_{naam}", 0))


def _bewaar(
    actie: Callable[[], object],
    melding: str,
    sleutel: str,
    formulier: str,
    eigen_tekst: str | None = None,
) -> None:
    """Run a save; on success say so and start afresh. Bad input: the reason, input kept. A
    colleague saved in between: the form opens afresh on the newest version, with the reason
    and (`eigen_tekst`) what the user had typed, so nothing of either is lost."""
    try:
        actie()
    except VersieConflict as fout:
        reden = str(fout)
        if eigen_tekst:
            reden += f" Uw niet opgeslagen tekst: {eigen_tekst}"
        _melding(sleutel, reden, fout=True)
        _nieuw_formulier(formulier)
        st.rerun()
    except DossierFout as fout:
        st.error(str(fout), icon=":material/error:")
        return
    _melding(sleutel, melding)
    _nieuw_formulier(formulier)
    st.rerun()


def _item_regel(item: Item, peildag: date, intern: bool, met_gesprek: bool = False) -> None:
    """One afspraak: the text as typed, and a line with owner, deadline and status."""
    with st.container(border=True):
        st.text(item.tekst)
        delen = [f"**{md(wd.status(item, peildag))}**", f"eigenaar {md(item.eigenaar)}",
                 f"deadline {formaat.datum(item.deadline)}"]  # fmt: skip
        if met_gesprek:
            delen.append(f"gesprek {md(wd.periode_label(item.periode))}")
        if intern:
            delen += [md(wd.GEDEELD_TEKST[item.gedeeld]), md(wd.vastgelegd(item))]
        st.caption(" · ".join(delen))


def _geschiedenis(d: Dossier, item: Item) -> None:
    versies = d.geschiedenis(item.id)
    for n, v in enumerate(versies):
        wijziging = wd.wijzigingen(versies[n - 1] if n else None, v, data.registry())
        st.caption(f"Versie {v.versie} · {formaat.tijdstip(v.op)} · {md(v.door)}: {md(wijziging)}")
        if n == 0 or versies[n - 1].tekst != v.tekst:
            st.text(v.tekst)


# ---------------------------------------------------------------------- the section


def sectie(selectie: Selectie, agb: str, alle: pl.DataFrame) -> None:
    """The dossier of the provider and period on the page (see the module docstring).

    `alle`: the provider's KPI values for the period as the page shows them (for the agenda
    proposal and the choice of KPI for a toelichting).
    """
    scope = ui.huidige_scope()
    d = store()
    g = gs.gesprek(agb, selectie.periode_object)
    items = gs.dossier_van(d, agb, scope)
    peildag = d.vandaag()
    licht = grootte().get(agb) == gs.KLEIN
    schrijven = gs.mag_schrijven(scope)
    st.subheader("CM-gesprek: agenda en afspraken")
    if schrijven:
        soort = "CM-gesprek light (kleine aanbieder)" if licht else "CM-gesprek"
        st.caption(
            f"{soort} over {selectie.periode_object.label}. Vastgelegd in het dossier, dat "
            f"blijft bij elke nieuwe lading van de cijfers; u schrijft als {md(wie())}. Wat u "
            "deelt met de aanbieder komt op de factsheet; de rest blijft intern."
        )
    else:
        st.caption(
            f"Wat de gemeenten uit het gesprek over {selectie.periode_object.label} met u "
            "delen (alleen lezen)."
        )
    _eerdere(d, g, items, peildag, scope)
    _agenda(d, g, items, alle, peildag, licht, scope)
    _afspraken(d, g, items, peildag, scope)
    _toelichting(d, g, items, alle, scope)
    _besluiten(d, g, items, scope)
    if schrijven and licht:
        st.info(
            "Kleine aanbieder: de agenda stelt alleen de rode KPI's en de openstaande afspraken "
            "voor. De cijfers kunnen ook in een groepsgesprek met vergelijkbare aanbieders.",
            icon=":material/groups:",
        )
        st.page_link("paginas/groepsgesprek.py", label="Naar het groepsgesprek",
                      icon=":material/groups:", query_params=selectie.query())  # fmt: skip
    st.download_button(
        "Dossier (Excel)",
        lambda: dossier_excel(d, agb, selectie.periode_object, scope, data.registry(), peildag),
        file_name=f"dossier_{agb}_{selectie.periode}.xlsx",
        mime=XLSX,
        key="dossier_xlsx",
        icon=":material/table_view:",
        help="Agenda, afspraken, toelichting en besluiten van dit gesprek"
        + (", met wie wat wanneer vastlegde en elke eerdere versie." if schrijven else "."),
    )


def _eerdere(d: Dossier, g, items: Sequence[Item], peildag: date, scope: Scope) -> None:  # noqa: ANN001
    """The previous talk's afspraken with their status (and older ones still open)."""
    eerder = gs.eerdere_afspraken(items, g)
    st.markdown("##### Afspraken uit eerdere gesprekken")
    _toon_melding("eerdere")
    if not eerder.afspraken:
        st.caption("Geen afspraken uit eerdere gesprekken met deze aanbieder.")
        return
    st.caption(
        f"Alle afspraken van het vorige gesprek ({md(eerder.vorig_label)}) en de afspraken "
        "van oudere gesprekken die nog open staan."
    )
    intern = gs.mag_schrijven(scope)
    if not intern:
        for item in eerder.afspraken:
            _item_regel(item, peildag, False, met_gesprek=True)
        return
    t = _teller("status")
    with st.form(f"dossier_status_{t}", border=False):
        keuzes, basis = {}, {}
        for item in eerder.afspraken:
            basis[item.id] = _basis(f"status_{item.id}_{t}", item.versie)
            links, rechts = st.columns([5, 1])
            with links:
                _item_regel(item, peildag, True, met_gesprek=True)
            keuzes[item.id] = rechts.selectbox(
                "Status", list(STATUS_KEUZE), index=list(STATUS_KEUZE).index(item.status),
                format_func=STATUS_KEUZE.get, key=f"dossier_status_{item.id}_{t}",
            )  # fmt: skip
        if st.form_submit_button(
            "Status opslaan", icon=":material/save:", key="dossier_status_opslaan"
        ):
            gewijzigd = [
                i for i in eerder.afspraken
                if keuzes[i.id] != i.status or basis[i.id] != i.versie
            ]  # fmt: skip
            opgeslagen, fouten = 0, 0
            for item in gewijzigd:
                try:
                    if d.wijzig(item.id, wie(), basis[item.id], status=keuzes[item.id]).versie != (
                        item.versie
                    ):
                        opgeslagen += 1
                except DossierFout as fout:
                    _melding("eerdere", str(fout), fout=True)
                    fouten += 1
            if opgeslagen or not fouten:
                _melding("eerdere", f"{opgeslagen} status(sen) opgeslagen." if opgeslagen
                         else "Geen status gewijzigd.")  # fmt: skip
            _nieuw_formulier("status")
            st.rerun()


def _agenda(
    d: Dossier, g, items: Sequence[Item], alle: pl.DataFrame, peildag: date, licht: bool,  # noqa: ANN001
    scope: Scope,
) -> None:  # fmt: skip
    """The agreed agenda, and the proposal from the data to accept or edit."""
    reg = data.registry()
    st.markdown("##### Agenda")
    _toon_melding("agenda")
    agenda = [i for i in gs.van_gesprek(items, g, "agendapunt") if not i.ingetrokken]
    for n, punt in enumerate(agenda, start=1):
        st.text(f"{n}. {punt.tekst}")
    if not gs.mag_schrijven(scope):
        if not agenda:
            st.caption("Er is voor dit gesprek nog geen agenda gedeeld.")
        return
    if agenda:
        st.caption(f"Vastgesteld: {md(wd.vastgelegd(agenda[0]))}.")
    voorstel = [v for v in gs.agenda_voorstel(alle, items, g, peildag, licht) if not v.op_agenda]
    regel = (
        "de rode KPI's" if licht else "de rode en oranje (dreigende) KPI's"
    ) + " en de openstaande afspraken van eerdere gesprekken waarvan de deadline is bereikt"
    with st.expander(
        "Agenda voorstellen en vaststellen" if not agenda else "Agenda aanvullen of inkorten",
        expanded=not agenda,
        icon=":material/list_alt:",
    ):
        st.caption(f"Voorstel uit de cijfers: {regel}. Pas de tekst aan, vink uit wat niet hoeft.")
        t = _teller("agenda")
        with st.form(f"dossier_agenda_{t}", border=False):
            gekozen = []
            for v in voorstel:
                aan, tekst = st.columns([1, 12])
                mee = aan.checkbox("mee", value=True, key=f"dossier_agenda_mee_{v.sleutel}_{t}",
                                   label_visibility="collapsed")  # fmt: skip
                nieuw = tekst.text_input(
                    "Agendapunt", value=wd.voorsteltekst(v, reg), max_chars=400,
                    key=f"dossier_agenda_tekst_{v.sleutel}_{t}", label_visibility="collapsed",
                )  # fmt: skip
                if mee:
                    gekozen.append((v, nieuw))
            if not voorstel:
                st.caption("De cijfers geven geen nieuwe punten.")
            eigen = st.text_area(
                "Eigen agendapunten (één per regel)", key=f"dossier_agenda_eigen_{t}",
                max_chars=2000, placeholder="bv. Wachtlijst en inzet onderaannemers",
            )  # fmt: skip
            weg = []
            if agenda:
                per_id = {i.id: i for i in agenda}
                weg = [per_id[i] for i in st.multiselect(
                    "Van de agenda halen", list(per_id), format_func=lambda i: per_id[i].tekst[:80],
                    key=f"dossier_agenda_weg_{t}",
                )]  # fmt: skip
            gedeeld = st.checkbox(
                "Agenda delen met de aanbieder (komt op de factsheet)", value=True,
                key=f"dossier_agenda_gedeeld_{t}",
            )  # fmt: skip
            if st.form_submit_button(
                "Agenda vaststellen" if not agenda else "Agenda bijwerken",
                type="primary", icon=":material/save:", key="dossier_agenda_opslaan",
            ):  # fmt: skip

                def opslaan() -> None:
                    eigen_punten = [r for r in eigen.splitlines() if r.strip()]
                    if not gekozen and not eigen_punten and not weg:
                        raise DossierFout("Kies een voorgesteld punt of schrijf een eigen punt.")
                    for v, tekst in gekozen:
                        d.nieuw_agendapunt(
                            g, wie(), tekst, kpi=v.kpi,
                            afspraak_id=v.afspraak.id if v.afspraak else None, gedeeld=gedeeld,
                        )  # fmt: skip
                    for tekst in eigen_punten:
                        d.nieuw_agendapunt(g, wie(), tekst, gedeeld=gedeeld)
                    for punt in weg:
                        d.trek_in(punt.id, wie(), punt.versie)

                _bewaar(opslaan, "Agenda opgeslagen.", "agenda", "agenda")


def _afspraken(d: Dossier, g, items: Sequence[Item], peildag: date, scope: Scope) -> None:  # noqa: ANN001
    """This talk's afspraken: the list, a new one, and changing or withdrawing one."""
    st.markdown("##### Afspraken uit dit gesprek")
    _toon_melding("afspraken")
    afspraken = [i for i in gs.van_gesprek(items, g, "afspraak") if not i.ingetrokken]
    intern = gs.mag_schrijven(scope)
    for item in afspraken:
        _item_regel(item, peildag, intern)
    if not afspraken:
        st.caption("Nog geen afspraken voor dit gesprek.")
    if not intern:
        return
    t = _teller("afspraak")
    uitklap = st.expander("Nieuwe afspraak", expanded=not afspraken, icon=":material/add_task:")
    with uitklap, st.form(f"dossier_afspraak_{t}", border=False):
        tekst = st.text_area(
            "Afspraak", key=f"dossier_afspraak_tekst_{t}", max_chars=4000,
            placeholder="Wat is afgesproken, zo concreet dat het volgende gesprek het kan "
            "nagaan (bv. 'Plan voor uitstroom EED, met aantallen per kwartaal').",
        )  # fmt: skip
        links, midden, rechts = st.columns(3)
        eigenaar = links.selectbox(
            "Eigenaar", EIGENAREN, key=f"dossier_afspraak_eigenaar_{t}",
            accept_new_options=True,
        )  # fmt: skip
        deadline = midden.date_input(
            "Deadline", value=None, min_value=peildag, format="DD-MM-YYYY",
            key=f"dossier_afspraak_deadline_{t}",
        )  # fmt: skip
        gedeeld = rechts.checkbox(
            "Delen met de aanbieder", value=True, key=f"dossier_afspraak_gedeeld_{t}",
            help="Een afspraak maakt u samen; gedeeld komt zij op de factsheet.",
        )  # fmt: skip
        if st.form_submit_button(
            "Afspraak opslaan", type="primary", icon=":material/save:",
            key="dossier_afspraak_opslaan",
        ):  # fmt: skip
            _bewaar(
                lambda: d.nieuwe_afspraak(g, wie(), tekst, eigenaar, deadline, gedeeld),
                "Afspraak opgeslagen.", "afspraken", "afspraak",
            )  # fmt: skip
    if afspraken:
        _wijzig_afspraak(d, afspraken, t)


def _wijzig_afspraak(d: Dossier, afspraken: Sequence[Item], t: str) -> None:
    with st.expander("Afspraak wijzigen of intrekken", icon=":material/edit:"):
        per_id = {i.id: i for i in afspraken}
        keuze_id = st.selectbox(
            "Welke afspraak", list(per_id), format_func=lambda i: per_id[i].tekst[:90],
            key="dossier_wijzig_keuze",
        )  # fmt: skip
        if keuze_id is None:
            return
        keuze = per_id[keuze_id]
        sleutel = f"{keuze.id}_{t}"
        basis = _basis(f"wijzig_{sleutel}", keuze.versie)
        with st.form(f"dossier_wijzig_{sleutel}", border=False):
            tekst = st.text_area("Afspraak", value=keuze.tekst, max_chars=4000,
                                 key=f"dossier_wijzig_tekst_{sleutel}")  # fmt: skip
            links, midden, rechts = st.columns(3)
            opties = list(dict.fromkeys([keuze.eigenaar or "", *EIGENAREN]))
            eigenaar = links.selectbox("Eigenaar", opties, key=f"dossier_wijzig_eigenaar_{sleutel}",
                                       accept_new_options=True)  # fmt: skip
            deadline = midden.date_input("Deadline", value=keuze.deadline, format="DD-MM-YYYY",
                                         key=f"dossier_wijzig_deadline_{sleutel}")  # fmt: skip
            status = rechts.selectbox(
                "Status", list(STATUS_KEUZE), index=list(STATUS_KEUZE).index(keuze.status),
                format_func=STATUS_KEUZE.get, key=f"dossier_wijzig_status_{sleutel}",
            )  # fmt: skip
            gedeeld = st.checkbox("Delen met de aanbieder", value=keuze.gedeeld,
                                  key=f"dossier_wijzig_gedeeld_{sleutel}")  # fmt: skip
            opslaan, intrekken = st.columns(2)
            if opslaan.form_submit_button("Wijziging opslaan", icon=":material/save:",
                                          key="dossier_wijzig_opslaan"):  # fmt: skip
                _bewaar(
                    lambda: d.wijzig(keuze.id, wie(), basis, tekst=tekst,
                                     eigenaar=eigenaar, deadline=deadline, status=status,
                                     gedeeld=gedeeld),
                    "Wijziging opgeslagen (de vorige versie blijft bewaard).", "afspraken",
                    "afspraak", eigen_tekst=tekst if tekst != keuze.tekst else None,
                )  # fmt: skip
            if intrekken.form_submit_button("Intrekken", icon=":material/delete:",
                                            key="dossier_wijzig_intrekken"):  # fmt: skip
                _bewaar(
                    lambda: d.trek_in(keuze.id, wie(), basis),
                    "Afspraak ingetrokken (zij blijft in de geschiedenis).", "afspraken",
                    "afspraak",
                )  # fmt: skip
        st.markdown("###### Geschiedenis")
        _geschiedenis(d, keuze)


def _kpi_keuzes(alle: pl.DataFrame) -> list[tuple[str, str]]:
    """(kpi, stoplicht) of the page's KPIs, red first, then orange, then the rest."""
    volgorde = {"rood": 0, "oranje": 1, "groen": 2, "grijs": 3}
    rijen = [(r["kpi"], r["stoplicht"] or "grijs") for r in alle.iter_rows(named=True)]
    return sorted(dict.fromkeys(rijen), key=lambda x: volgorde.get(x[1], 9))


def _toelichting(d: Dossier, g, items: Sequence[Item], alle: pl.DataFrame, scope: Scope) -> None:  # noqa: ANN001
    """Why a figure looks as it does: one toelichting per KPI per talk, kept with history."""
    reg = data.registry()
    st.markdown("##### Toelichting bij de cijfers")
    _toon_melding("toelichting")
    bestaand = {i.kpi: i for i in gs.van_gesprek(items, g, "toelichting") if not i.ingetrokken}
    intern = gs.mag_schrijven(scope)
    for item in bestaand.values():
        with st.container(border=True):
            st.markdown(f"**{md(wd.kpi_label(reg, item.kpi))}**")
            st.text(item.tekst)
            if intern:
                st.caption(f"{md(wd.GEDEELD_TEKST[item.gedeeld])} · {md(wd.vastgelegd(item))}")
    if not bestaand:
        st.caption("Nog geen toelichting bij de cijfers van dit gesprek.")
    if not intern:
        return
    keuzes = _kpi_keuzes(alle)
    if not keuzes:
        return
    kleur = dict(keuzes)
    t = _teller("toelichting")
    with st.expander("Toelichting schrijven of bijwerken", icon=":material/edit_note:"):
        kpi_id = st.selectbox(
            "KPI", [k for k, _ in keuzes],
            format_func=lambda k: f"{formaat.stoplicht(kleur[k])} · {reg[k].label}"
            + (" (heeft toelichting)" if k in bestaand else ""),
            key=f"dossier_toelichting_kpi_{t}",
        )  # fmt: skip
        vorige = bestaand.get(kpi_id)
        sleutel = f"{kpi_id}_{t}"
        basis = _basis(f"toelichting_{sleutel}", vorige.versie if vorige else 0)
        with st.form(f"dossier_toelichting_{sleutel}", border=False):
            tekst = st.text_area(
                "Toelichting", value=vorige.tekst if vorige else "", max_chars=4000,
                key=f"dossier_toelichting_tekst_{sleutel}",
                placeholder="Waarom staat dit cijfer zo (bv. wachtlijst door personeelstekort)?",
            )  # fmt: skip
            gedeeld = st.checkbox(
                "Delen met de aanbieder (komt op de factsheet)",
                value=vorige.gedeeld if vorige else False,
                key=f"dossier_toelichting_gedeeld_{sleutel}",
            )  # fmt: skip
            if st.form_submit_button("Toelichting opslaan", type="primary", icon=":material/save:",
                                     key="dossier_toelichting_opslaan"):  # fmt: skip

                def actie() -> None:
                    if vorige is None:
                        d.nieuwe_toelichting(g, wie(), kpi_id, tekst, gedeeld)
                    elif basis == 0:  # a colleague wrote this KPI's toelichting meanwhile
                        raise VersieConflict(vorige, 0)
                    else:
                        d.wijzig(vorige.id, wie(), basis, tekst=tekst, gedeeld=gedeeld)

                _bewaar(actie, "Toelichting opgeslagen.", "toelichting", "toelichting",
                        eigen_tekst=tekst)  # fmt: skip


def _besluiten(d: Dossier, g, items: Sequence[Item], scope: Scope) -> None:  # noqa: ANN001
    """Decisions such as a voorschot adjusted from X to Y per a date, with the reason."""
    st.markdown("##### Besluiten")
    _toon_melding("besluit")
    besluiten = [i for i in gs.van_gesprek(items, g, "besluit") if not i.ingetrokken]
    intern = gs.mag_schrijven(scope)
    for item in besluiten:
        with st.container(border=True):
            st.markdown(f"**{md(wd.besluitregel(item))}**")
            st.text(item.tekst)
            if intern:
                st.caption(f"{md(wd.GEDEELD_TEKST[item.gedeeld])} · {md(wd.vastgelegd(item))}")
    if not besluiten:
        st.caption("Geen besluiten vastgelegd voor dit gesprek.")
    if not intern:
        return
    t = _teller("besluit")
    with st.expander("Besluit vastleggen", icon=":material/gavel:"):
        st.caption(
            "Aanpassingen in lumpsum of voorschot worden vastgelegd, zodat wijzigingen te "
            "herleiden en te verantwoorden zijn."
        )
        with st.form(f"dossier_besluit_{t}", border=False):
            links, midden, rechts, per_kolom = st.columns(4)
            onderwerp = links.selectbox("Onderwerp", list(ONDERWERP_KEUZE),
                                        format_func=ONDERWERP_KEUZE.get,
                                        key=f"dossier_besluit_onderwerp_{t}")  # fmt: skip
            van = midden.text_input("Van", key=f"dossier_besluit_van_{t}", placeholder="657.000,00")
            naar = rechts.text_input("Naar", key=f"dossier_besluit_naar_{t}",
                                     placeholder="600.000,00")  # fmt: skip
            per = per_kolom.date_input("Per", value=None, format="DD-MM-YYYY",
                                       key=f"dossier_besluit_per_{t}")  # fmt: skip
            reden = st.text_area("Reden", key=f"dossier_besluit_reden_{t}", max_chars=4000)
            gedeeld = st.checkbox("Delen met de aanbieder", value=False,
                                  key=f"dossier_besluit_gedeeld_{t}")  # fmt: skip
            if st.form_submit_button("Besluit opslaan", type="primary", icon=":material/save:",
                                     key="dossier_besluit_opslaan"):  # fmt: skip
                _bewaar(
                    lambda: d.nieuw_besluit(g, wie(), onderwerp, reden, naar or None, per,
                                            waarde_van=van or None, gedeeld=gedeeld),
                    "Besluit opgeslagen.", "besluit", "besluit",
                )  # fmt: skip
