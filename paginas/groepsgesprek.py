"""Groepsgesprek: a chosen set of comparable small providers in one sub-segment, side by side
(for the gemeenten), and each member's own sheet with the others unnamed."""

import polars as pl
import streamlit as st

from kpi import gesprek as gs
from ui import componenten as ui
from ui import data
from ui import groepsgesprek as groep
from ui.gesprek import grootte, md, store, wie
from weergave import formaat
from weergave import groepsgesprek as wg

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
scope = ui.huidige_scope()
ui.kop("Groepsgesprek", selectie, opties)
st.caption(
    "Voor kleinere aanbieders: een CM-gesprek light of een groepsgesprek met meerdere "
    "vergelijkbare aanbieders in hetzelfde sub-segment."
)
periode = selectie.periode
namen = opties.namen("aanbieder")

if scope.is_aanbieder:
    groepen = gs.groepen(store(), scope, selectie.periode_object.code)
    if not groepen:
        st.info(
            f"Voor {selectie.periode_object.label} is er geen groepsgesprek met uw organisatie "
            "vastgelegd.",
            icon=":material/groups:",
        )
        st.stop()
    for gr in groepen:
        st.subheader(f"{gr.naam} ({gr.subsegment})")
        st.caption(
            f"U spreekt met {gr.aantal - 1} vergelijkbare aanbieders. De anderen staan er zonder "
            "naam in; een vergelijking alleen waar ten minste 3 andere aanbieders genoeg "
            "trajecten hebben."
        )
        blad = groep.blad_van_groep(gr.id, gr.versie, scope.aanbieder, scope.sleutel())
        st.dataframe(
            wg.blad_tabel(blad, registry, namen.get(scope.aanbieder, scope.aanbieder)),
            hide_index=True,
        )
        groep.blad_pdf_knop(
            lambda gr=gr: groep.blad_pdf_van_groep(gr.id, gr.versie, scope.aanbieder),
            periode, scope.aanbieder, namen.get(scope.aanbieder, scope.aanbieder),
        )  # fmt: skip
    st.stop()

# the municipality's roles: choose the group
omvang = ui.waarden(
    periode, ("subsegment", "aanbieder"), selectie.filters_zonder("aanbieder"), ("lopend",)
)
omvang = omvang.filter(pl.col("n") > 0)
if omvang.is_empty():
    ui.leeg("een groepsgesprek in deze periode")
    st.stop()
subsegmenten = sorted(set(omvang["subsegment"]))
gekozen_sub = selectie.waarden.get("subsegment")
if gekozen_sub is None and (eigen := selectie.waarden.get("aanbieder")):
    van_eigen = omvang.filter(pl.col("aanbieder") == eigen).sort("n", descending=True)
    gekozen_sub = van_eigen["subsegment"][0] if van_eigen.height else None
subsegment = st.selectbox(
    "Sub-segment",
    subsegmenten,
    index=subsegmenten.index(gekozen_sub) if gekozen_sub in subsegmenten else 0,
    key="groep_subsegment",
)
klein = {c for c, g in grootte().items() if g == gs.KLEIN}
in_sub = omvang.filter(pl.col("subsegment") == subsegment).sort("n")
clienten = dict(in_sub.select("aanbieder", "n").iter_rows())
kandidaten = in_sub["aanbieder"].to_list()
opgeslagen = next(
    (g for g in gs.groepen(store(), scope, selectie.periode_object.code)
     if g.subsegment == subsegment),
    None,
)  # fmt: skip
standaard = (
    [c for c in opgeslagen.leden if c in kandidaten] if opgeslagen
    else [c for c in kandidaten if c in klein]
)  # fmt: skip
leden = st.multiselect(
    "Deelnemers",
    kandidaten,
    default=standaard,
    format_func=lambda c: (
        f"{namen.get(c, c)} ({c}) · {grootte().get(c, 'grootte onbekend')} · "
        f"{formaat.getal(clienten.get(c))} {'cliënt' if clienten.get(c) == 1 else 'cliënten'} "
        "in zorg"
    ),
    key=f"groep_leden_{subsegment}_{opgeslagen.versie if opgeslagen else 0}",
    help="Voorgesteld: de kleine aanbieders in dit sub-segment (grootte 'klein' in het extract), "
    "of de groep zoals die in het dossier staat.",
)
leden_t = tuple(sorted(leden))
if len(leden_t) < 2:
    st.info("Kies ten minste 2 aanbieders voor een groepsgesprek.", icon=":material/groups:")
    st.stop()
if len(leden_t) < gs.MIN_GROEP_VOOR_AANBIEDER:
    st.warning(
        f"Met {len(leden_t)} deelnemers ziet een aanbieder de anderen op zijn groepsblad niet: "
        "een vergelijking vraagt ten minste 3 andere aanbieders (zonder naam).",
        icon=":material/visibility_off:",
    )

if opgeslagen and tuple(opgeslagen.leden) == leden_t:
    st.caption(f"Deze groep staat in het dossier ({md(opgeslagen.naam)}).")
elif st.button("Groep vastleggen in het dossier", icon=":material/save:", key="groep_opslaan"):
    naam = f"Groepsgesprek {subsegment} {selectie.periode_object.label}"
    p = selectie.periode_object
    if opgeslagen:
        store().wijzig(opgeslagen.id, wie(), opgeslagen.versie, leden=leden_t)
    else:
        store().nieuwe_groep(subsegment, p.code, p.start, p.eind, wie(), leden_t, naam)
    st.rerun()

st.subheader("Cijfers naast elkaar")
st.caption(f"Intern, met namen: de zorg van deze aanbieders in {subsegment}.")
cijfers = groep.cijfers(periode, subsegment, leden_t, scope.sleutel())
tabel, kleuren = wg.naast_elkaar(cijfers, registry, namen, leden_t)
ui.stoplicht_legenda()
st.dataframe(ui.kleur_cellen(tabel, kleuren, rijkolom="KPI"), hide_index=True)
st.download_button(
    "Groepsoverzicht (PDF, intern)",
    lambda: groep.overzicht_pdf(periode, subsegment, leden_t, scope.sleutel()),
    file_name=f"groepsgesprek_{periode}_overzicht_intern.pdf",
    mime="application/pdf",
    key="groepsoverzicht_pdf",
    icon=":material/picture_as_pdf:",
)

st.subheader("Groepsblad per aanbieder")
st.caption("Zoals de aanbieder het ziet: de eigen cijfers, de anderen zonder naam.")
wie_blad = st.selectbox(
    "Aanbieder", leden_t, format_func=lambda c: f"{namen.get(c, c)} ({c})", key="groep_blad"
)
blad = groep.blad(periode, subsegment, leden_t, wie_blad, scope.sleutel())
st.dataframe(wg.blad_tabel(blad, registry, namen.get(wie_blad, wie_blad)), hide_index=True)
groep.blad_pdf_knop(
    lambda: groep.blad_pdf(periode, subsegment, leden_t, wie_blad),
    periode, wie_blad, namen.get(wie_blad, wie_blad),
)  # fmt: skip
