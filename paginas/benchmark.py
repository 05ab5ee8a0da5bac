"""Benchmark: per KPI and sub-segment the spread over providers; the chosen one highlighted."""

import streamlit as st

from ui import blokken, data, opmaak, url
from ui import componenten as ui

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

tabel = blokken.benchmark(
    kpi_id, selectie.periode, selectie.filters, ui.huidige_scope().sleutel(),
    opmaak.printversie(), toelichting=True,
)  # fmt: skip
if tabel is None:
    st.stop()
ui.downloads(tabel, f"benchmark_{kpi_id}_{selectie.periode}", "benchmark")
