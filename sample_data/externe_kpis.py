"""KPI values from other sources (table kpi_waarden): cliënttevredenheid and doelrealisatie.

"In de toekomst ook andere bronnen mogelijk (bv. cliënttevredenheid)" and "Deze doelrealisatie
KPI's kunnen ook als onderdeel van de managementinformatie worden toegevoegd" (the region,
../shared/seeds). A part of the contracted providers delivers them per half-year, sized from
their care: cliënttevredenheid per aanbieder and sub-segment from the start of the contracts
(2022-07-01), doelrealisatie per aanbieder, gemeente and sub-segment from contract year
2023/24, when it joined the KPI set. Both carry teller and noemer, so periods combine by sums.

Drawn from a random stream of their own (seed, 100, region): the other files stay the same.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sample_data.dates import day
from sample_data.providers import Providers
from sample_data.reference import SEGMENTEN, SUBSEGMENTEN

# (first day, last day) of the half-years delivered, up to the sample's cut-off
HALFJAREN = (
    ("2022-07-01", "2022-12-31"),
    ("2023-01-01", "2023-06-30"),
    ("2023-07-01", "2023-12-31"),
    ("2024-01-01", "2024-06-30"),
    ("2024-07-01", "2024-12-31"),
)
DOELREALISATIE_VANAF = "2023-07-01"  # kpi/externe_kpis.toml: in the KPI set from cj2023
BRON = {"clienttevredenheid": "cliënttevredenheidsonderzoek", "doelrealisatie": "doelevaluaties"}
DEELNAME = {"clienttevredenheid": 0.65, "doelrealisatie": 0.5}  # share of providers delivering
_SUB_SEG = np.array([SEGMENTEN.index(s.segment) for s in SUBSEGMENTEN])


def _deelnemers(rng: np.random.Generator, prov: Providers, kans: float) -> np.ndarray:
    """Contracted providers that deliver: a random part, and in every segment its largest."""
    mee = prov.contracted & (rng.random(prov.n) < kans)
    per_segment = np.stack([prov.weight[:, np.equal(_SUB_SEG, s)].sum(axis=1) for s in range(3)], 1)
    for s in range(per_segment.shape[1]):
        kandidaten = np.where(prov.contracted, per_segment[:, s], 0.0)
        if kandidaten.max() > 0:
            mee[int(kandidaten.argmax())] = True
    return mee


def _halfjaren(zorgdagen: pl.DataFrame, sleutels: list[str], vanaf: str) -> pl.DataFrame:
    """Average clients in care per half-year from `vanaf` (zorgdagen / days), per `sleutels`."""
    delen = []
    for van, tot in HALFJAREN:
        if van < vanaf:
            continue
        dagen = day(tot) - day(van) + 1
        deel = (
            zorgdagen.filter(pl.col("maand").is_between(day(van), day(tot)))
            .group_by(sleutels)
            .agg((pl.col("dagen").sum() / dagen).alias("clienten"))
            .with_columns(periode_van=pl.lit(van), periode_tot=pl.lit(tot))
        )
        delen.append(deel)
    return pl.concat(delen).sort([*sleutels, "periode_van"])


def kpi_waarden(
    seed: int, regio: int, prov: Providers, gem_codes: list[str], zorgdagen: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The two files' rows (columns of table kpi_waarden) for one region.

    `zorgdagen`: finance.care_days_per_month (prov, gem, sub, maand, dagen).
    """
    rng = np.random.default_rng([seed, 100, regio])
    agb = np.array(prov.agb, dtype=object)
    codes = np.array(gem_codes, dtype=object)
    subnamen = np.array([s.naam for s in SUBSEGMENTEN], dtype=object)
    uit = {}
    soorten = (
        ("clienttevredenheid", ["prov", "sub"], "2022-07-01", 0.35, (0.68, 0.95)),
        ("doelrealisatie", ["prov", "gem", "sub"], DOELREALISATIE_VANAF, 0.25, (0.55, 0.9)),
    )
    jaar = pl.col("periode_van").dt.year()
    helft = pl.when(pl.col("periode_van").dt.month() == 1).then(pl.lit("1e helft"))
    helft = helft.otherwise(pl.lit("2e helft"))
    for kpi, sleutels, vanaf, respons, (laag, hoog) in soorten:
        mee = _deelnemers(rng, prov, DEELNAME[kpi])
        kans = rng.uniform(laag, hoog, prov.n)  # each provider's own level
        eigen = zorgdagen.filter(pl.col("prov").is_in(np.flatnonzero(mee)))
        rijen = _halfjaren(eigen, sleutels, vanaf)
        p = rijen["prov"].to_numpy()
        noemer = rng.binomial(np.ceil(rijen["clienten"].to_numpy() * 1.3).astype(np.int64), respons)
        teller = rng.binomial(noemer, kans[p])
        frame = pl.DataFrame(
            {
                "kpi": kpi,
                "aanbieder": agb[p].tolist(),
                "gemeente": codes[rijen["gem"].to_numpy()].tolist() if "gem" in sleutels else None,
                "subsegment": subnamen[rijen["sub"].to_numpy()].tolist(),
                "periode_van": rijen["periode_van"].str.to_date(),
                "periode_tot": rijen["periode_tot"].str.to_date(),
                "teller": teller,
                "noemer": noemer,
            },
            schema_overrides={"gemeente": pl.String},
        ).with_columns(bron=pl.format("{} {}, {}", pl.lit(BRON[kpi]), jaar, helft))
        uit[kpi] = frame.filter(pl.col("noemer") > 0)
    return uit
