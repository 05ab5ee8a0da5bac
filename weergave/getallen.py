"""Numeric forms of the display tables, for downloads: numbers stay numbers, words beside them."""

from __future__ import annotations

import polars as pl
from kpi.registry import Registry

from weergave import privacy

CODEKOP = {"aanbieder": "AGB-code", "gemeente": "Gemeentecode"}


def matrix_kop(registry: Registry, kpi_id: str) -> str:
    """The header of a KPI's value column in a numeric matrix: the label, with days as unit."""
    kpi = registry[kpi_id]
    return f"{kpi.label} (dagen)" if kpi.eenheid == "dagen" else kpi.label


def matrix_getallen(
    lang: pl.DataFrame, registry: Registry, kpis: list[str], indeling: str | None = None
) -> pl.DataFrame:
    """The matrix for a download: per KPI the value as a number and the stoplicht beside it.

    A value the provider scope withheld is empty, its stoplicht column says 'geheim'.
    """
    if lang.is_empty():
        return pl.DataFrame({"Rij": []}, schema={"Rij": pl.String})
    aanwezig = set(lang["kpi"])
    gekozen = [k for k in kpis if k in aanwezig]
    geheim = pl.col("geheim").fill_null(False) if "geheim" in lang.columns else pl.lit(False)
    cellen = lang.select(
        "rij",
        "rij_volgorde",
        "rij_code",
        "kpi",
        pl.when(geheim).then(None).otherwise(pl.col("waarde_getal")).alias("getal"),
        pl.when(geheim)
        .then(pl.lit(privacy.GEHEIM))
        .otherwise(
            pl.col("stoplicht").fill_null("grijs")
            + pl.when(pl.col("voorlopig").fill_null(False))
            .then(pl.lit(" (voorlopig)"))
            .otherwise(pl.lit(""))
        )
        .alias("licht"),
    )
    breed = cellen.pivot(
        on="kpi", index=["rij", "rij_volgorde", "rij_code"], values=["getal", "licht"]
    ).sort("rij_volgorde")
    kolommen = [pl.col("rij").alias("Rij")]
    if indeling in CODEKOP:
        kolommen.append(pl.col("rij_code").alias(CODEKOP[indeling]))
    for k in gekozen:
        kop = matrix_kop(registry, k)
        kolommen += [
            pl.col(f"getal_{k}").cast(pl.Float64).alias(kop),
            pl.col(f"licht_{k}").alias(f"{registry[k].label} stoplicht"),
        ]
    return breed.select(kolommen)
