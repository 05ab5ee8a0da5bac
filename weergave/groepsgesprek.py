"""A group talk as Dutch tables: the members side by side (for the municipality), and one
member's sheet with the others unnamed (kpi.gesprek.groepsblad)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl
from kpi.gesprek import Groepsblad
from kpi.registry import Registry

from weergave import tabellen

TE_WEINIG = "te weinig vergelijkbare aanbieders"


def naast_elkaar(
    cijfers: pl.DataFrame, registry: Registry, namen: Mapping[str, str], leden: Sequence[str]
) -> tuple[pl.DataFrame, dict[tuple[str, str], str]]:
    """KPI rows, one column per member ('Naam (AGB)'): value and stoplicht symbol; and the
    stoplicht per (KPI label, column) to colour the cells."""
    kolom = {c: f"{namen.get(c, c)} ({c})" for c in leden}
    if cijfers.is_empty():
        return pl.DataFrame(schema={"KPI": pl.String}), {}
    t = tabellen.met_tekst(cijfers, registry)
    volgorde = list(dict.fromkeys(cijfers["kpi"]))
    rijen, kleuren = [], {}
    for k in volgorde:
        deel = t.filter(pl.col("kpi") == k)
        label = registry[k].label
        rij = {"KPI": label}
        for c in leden:
            r = deel.filter(pl.col("aanbieder") == c)
            rij[kolom[c]] = r["cel"][0] if r.height else "–"
            if r.height:
                kleuren[(label, kolom[c])] = r["stoplicht"][0] or "grijs"
        rijen.append(rij)
    schema = {"KPI": pl.String, **{kolom[c]: pl.String for c in leden}}
    return pl.DataFrame(rijen, schema=schema), kleuren


def blad_tabel(blad: Groepsblad, registry: Registry, naam: str) -> pl.DataFrame:
    """One member's sheet: per KPI its own value, stoplicht and norm, and the other members
    (without names): how many, the median, lowest and highest, and its place."""
    eigen = tabellen.kpi_tabel(blad.eigen, registry)
    if eigen.is_empty():
        return eigen
    rijen = []
    for kpi_id, rij in zip(blad.eigen["kpi"], eigen.iter_rows(named=True), strict=True):
        vergelijk = {"Andere aanbieders": TE_WEINIG, "Mediaan anderen": "–", "Laagste": "–",
                     "Hoogste": "–", "Plaats (hoog → laag)": "–"}  # fmt: skip
        peers = blad.vergelijking.get(kpi_id)
        if peers is not None:
            bench = tabellen.benchmark_data(peers, registry, kpi_id, {blad.aanbieder: naam})
            anderen = bench.filter(~pl.col("geselecteerd") & pl.col("waarde_getal").is_not_null())
            if anderen.height and bench["geselecteerd"].any():
                positie = tabellen.positie(bench, beschermd=True).row(0, named=True)
                vergelijk = {
                    "Andere aanbieders": str(positie["Andere aanbieders"]),
                    "Mediaan anderen": positie["Mediaan anderen"],
                    "Laagste": positie["Laagste"],
                    "Hoogste": positie["Hoogste"],
                    "Plaats (hoog → laag)": positie["Plaats (hoog → laag)"],
                }
        rijen.append(
            {"KPI": rij["KPI"], "Eigen waarde": rij["Waarde"], "Stoplicht": rij["Stoplicht"],
             "Norm": rij["Norm"], "n": rij["n"], **vergelijk}
        )  # fmt: skip
    return pl.DataFrame(rijen)
