"""Benchmark: per KPI and sub-segment the spread over providers; the chosen one highlighted."""

import streamlit as st

from ui import componenten as ui
from ui import data, url
from weergave import grafieken, tabellen

BENCHMARK_KPIS = [
    "doorlooptijd",
    "uitstroom_volgens_plan",
    "wachttijd",
    "recidive",
    "afschaling",
    "benutting",
    "tijdig_305",
    "tijdig_307",
    "instroom",
    "lopend",
]

selectie, opties, registry = ui.huidige_selectie(), ui.opties(), data.registry()
ui.kop("Benchmark", selectie, opties)
kpi_id = url.keuze(
    st,
    "selectbox",
    "KPI",
    BENCHMARK_KPIS,
    parameter="kpi",
    standaard=BENCHMARK_KPIS[0],
    sleutel="bench_kpi",
    gevolg=f"getoond wordt {registry[BENCHMARK_KPIS[0]].label}",
    format_func=lambda k: registry[k].label,
)
kpi = registry[kpi_id]
st.markdown(f"**Definitie.** {kpi.definitie}")

eigen = selectie.waarden.get("aanbieder")
normen = ui.normen_per(selectie, "subsegment", kpi_id)
bench = tabellen.benchmark_data(
    ui.vergelijking(selectie.periode, selectie.filters, kpi_id), registry, kpi_id,
    opties.namen("aanbieder"), normen,
)  # fmt: skip
if bench.is_empty():
    ui.leeg()
    st.stop()
st.caption(
    (
        "De gekozen aanbieder is donker; "
        if eigen
        else "Kies een aanbieder in de filters om die uit te lichten; "
    )
    + f"andere aanbieders staan er zonder naam, en alleen met n ≥ {kpi.min_n}. De zwarte streep "
    "is de mediaan van de andere aanbieders, het groene vlak de groene zone van de norm."
)
st.altair_chart(grafieken.benchmark(bench, kpi.eenheid, kpi.label), theme=None)
tabel = tabellen.positie(bench, beschermd=ui.huidige_scope().is_aanbieder)
ui.toon(tabel)
ui.downloads(tabel, f"benchmark_{kpi_id}_{selectie.periode}", "benchmark")
