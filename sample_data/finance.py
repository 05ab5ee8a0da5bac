"""Finance extracts sized from the generated care: contracten, voorschotten, begroting, uitgaven."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from sample_data.dates import NA, day, weekday_on_or_before
from sample_data.providers import Providers
from sample_data.reference import SEGMENTEN, SUBSEGMENTEN
from sample_data.trajectories import Table, Window

CONTRACT_YEARS = (
    ("2022-07-01", "2023-06-30"),
    ("2023-07-01", "2024-06-30"),
    ("2024-07-01", "2025-06-30"),
)
PRICE_INDEX = 0.035  # yearly price increase of the contracts
PROGNOSE_WEIGHTS = np.array(
    [0.070, 0.075, 0.080, 0.082, 0.085, 0.086, 0.080, 0.075, 0.088, 0.090, 0.092, 0.097]
)
_SUB_SEG = np.array([SEGMENTEN.index(s.segment) for s in SUBSEGMENTEN])
_BASE_PRICE = np.array([s.plekprijs for s in SUBSEGMENTEN])
_MEDIAN = np.array([s.duur_mediaan for s in SUBSEGMENTEN])


def care_days_per_month(p: Table, win: Window) -> pl.DataFrame:
    """Zorgdagen per (prov, gem, sub, month) from the started periods, months from win.start."""
    started = (p["begin"] != NA) & (p["begin"] <= win.cutoff)
    b = np.maximum(p["begin"][started], win.start)
    e = np.minimum(p["ec"][started], win.cutoff)
    ok = e >= b
    b, e = b[ok], e[ok]
    prov, gem, sub = (p[k][started][ok] for k in ("prov", "gem", "sub"))
    mb = b.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    me = e.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    nm = me - mb + 1
    idx = np.repeat(np.arange(b.size), nm)
    m = mb[idx] + np.arange(idx.size) - np.repeat(np.cumsum(nm) - nm, nm)
    m_start = m.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    m_end = (m + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    days = np.minimum(e[idx], m_end) - np.maximum(b[idx], m_start) + 1
    df = pl.DataFrame(
        {
            "prov": prov[idx].astype(np.int32),
            "gem": gem[idx].astype(np.int32),
            "sub": sub[idx].astype(np.int32),
            "maand": m_start.astype(np.int32),
            "dagen": days.astype(np.int32),
        }
    )
    return (
        df.group_by("prov", "gem", "sub", "maand")
        .agg(pl.col("dagen").sum().cast(pl.Int64))
        .sort("prov", "gem", "sub", "maand")
    )


def clients_per_year(p: Table, win: Window, years: range) -> pl.DataFrame:
    """Distinct clients with a zorgdag per (gem, segment, year)."""
    started = (p["begin"] != NA) & (p["begin"] <= win.cutoff)
    frames = []
    for y in years:
        a, z = day(f"{y}-01-01"), day(f"{y}-12-31")
        m = started & (p["begin"] <= z) & (np.minimum(p["ec"], win.cutoff) >= a)
        frames.append(
            pl.DataFrame(
                {"gem": p["gem"][m], "seg": _SUB_SEG[p["sub"][m]], "client": p["client"][m]}
            ).with_columns(jaar=pl.lit(y))
        )
    return (
        pl.concat(frames)
        .group_by("gem", "seg", "jaar")
        .agg(pl.col("client").n_unique().alias("clienten"))
        .cast({"gem": pl.Int64, "seg": pl.Int64, "jaar": pl.Int64})
        .sort("gem", "seg", "jaar")
    )


def _cy_index(maand: pl.Expr) -> pl.Expr:
    """Contract year (0, 1, 2) of a month as day number; -1 before 2022-07-01."""
    bounds = [day(a) for a, _ in CONTRACT_YEARS]
    return (
        pl.when(maand >= bounds[2])
        .then(2)
        .when(maand >= bounds[1])
        .then(1)
        .when(maand >= bounds[0])
        .then(0)
        .otherwise(-1)
    )


def contracts(
    rng: np.random.Generator, zd: pl.DataFrame, prov: Providers, n_gem: int, win: Window
) -> pl.DataFrame:
    """Places per (prov, gem, sub, contract year) from the observed care and a target benutting."""
    frames = []
    for cy, (van, tot) in enumerate(CONTRACT_YEARS):
        a, z = day(van), min(day(tot), win.cutoff)
        obs = (
            zd.filter((pl.col("maand") >= a) & (pl.col("maand") <= z))
            .group_by("prov", "gem", "sub")
            .agg(pl.col("dagen").sum())
            .sort("prov", "gem", "sub")
        )
        pv, gm, sb = (obs[c].to_numpy() for c in ("prov", "gem", "sub"))
        dagen = obs["dagen"].to_numpy().astype(float)
        # contracted providers also get a small contract where they deliver nothing yet
        serves = (prov.weight > 0)[:, :, None] & prov.covers[:, None, :]
        serves &= prov.contracted[:, None, None]
        ep, es, eg = np.nonzero(serves)
        extra = rng.random(ep.size) < 0.08
        have = set(zip(pv.tolist(), gm.tolist(), sb.tolist(), strict=True))
        extra &= np.array(
            [(a_, g_, s_) not in have for a_, g_, s_ in zip(ep, eg, es, strict=True)], dtype=bool
        )
        pv = np.concatenate([pv, ep[extra]])
        gm = np.concatenate([gm, eg[extra]])
        sb = np.concatenate([sb, es[extra]])
        dagen = np.concatenate([dagen, np.zeros(int(extra.sum()))])
        keep = prov.contracted[pv]
        pv, gm, sb, dagen = pv[keep], gm[keep], sb[keep], dagen[keep]
        occupied = dagen / (z - a + 1)
        target = prov.benutting[pv] * rng.uniform(0.96, 1.04, pv.size)
        plekken = np.maximum(np.round(occupied / target, 1), 0.5)
        prijs = np.round(_BASE_PRICE[sb] * prov.price_factor[pv] * (1 + PRICE_INDEX) ** cy, 0)
        doorloop = np.round(_MEDIAN[sb] * 1.1 * prov.doorloop_factor[pv]).astype(np.int64)
        frames.append(
            pl.DataFrame(
                {
                    "prov": pv,
                    "gem": gm,
                    "sub": sb,
                    "cy": np.full(pv.size, cy),
                    "plekken": plekken,
                    "plekprijs": prijs,
                    "doorlooptijd": doorloop,
                }
            )
        )
    return pl.concat(frames).sort("prov", "gem", "sub", "cy")


def advances(contr: pl.DataFrame, prov: Providers, win: Window) -> pl.DataFrame:
    """Monthly voorschot per (prov, gem) from 2022-07; adjusted for clear over- or under-use."""
    months = (
        np.arange(
            np.datetime64("2022-07", "M"),
            np.datetime64(win.cutoff, "D").astype("datetime64[M]") + 1,
        )
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    per_year = (
        contr.with_columns(jaarbedrag=pl.col("plekken") * pl.col("plekprijs"))
        .group_by("prov", "gem", "cy")
        .agg(pl.col("jaarbedrag").sum())
    )
    m = pl.DataFrame({"maand": months}).with_columns(cy=_cy_index(pl.col("maand")))
    df = per_year.join(m, on="cy").sort("prov", "gem", "maand")
    factor = np.where(prov.benutting > 1.1, 1.06, np.where(prov.benutting < 0.85, 0.95, 1.0))
    adjust_from = np.where(prov.benutting > 1.1, day("2023-10-01"), day("2024-01-01"))
    f = factor[df["prov"].to_numpy()]
    late = df["maand"].to_numpy() >= adjust_from[df["prov"].to_numpy()]
    bedrag = df["jaarbedrag"].to_numpy() / 12 * np.where(late, f, 1.0)
    return df.select("prov", "gem", "maand").with_columns(bedrag=np.round(bedrag, 2))


def spending(
    rng: np.random.Generator,
    zd: pl.DataFrame,
    contr: pl.DataFrame,
    prov: Providers,
    win: Window,
) -> pl.DataFrame:
    """Monthly bookings per (gem, segment, prov): zorgdagen x dagprijs, plus a few corrections."""
    df = zd.with_columns(cy=_cy_index(pl.col("maand")))
    df = df.join(
        contr.select("prov", "gem", "sub", "cy", "plekprijs"),
        on=["prov", "gem", "sub", "cy"],
        how="left",
    ).sort("prov", "gem", "sub", "maand")
    pv, sb = df["prov"].to_numpy(), df["sub"].to_numpy()
    base = _BASE_PRICE[sb] * prov.price_factor[pv] * 0.97
    prijs = df["plekprijs"].fill_null(np.nan).to_numpy()
    prijs = np.where(np.isnan(prijs), base, prijs)
    bedrag = df["dagen"].to_numpy() * prijs / 365 * rng.uniform(0.98, 1.02, len(df))
    out = (
        df.select("prov", "gem", "maand")
        .with_columns(seg=_SUB_SEG[sb], bedrag=bedrag)
        .group_by("gem", "seg", "prov", "maand")
        .agg(pl.col("bedrag").sum())
        .sort("gem", "seg", "prov", "maand")
    )
    month_end = (
        out["maand"].to_numpy().astype("datetime64[D]").astype("datetime64[M]") + 1
    ).astype("datetime64[D]").astype(np.int64) - 1
    out = out.with_columns(boekdatum=weekday_on_or_before(month_end))
    # a few corrections booked the month after (negative), and costs without an aanbieder
    n = len(out)
    corr = rng.random(n) < 0.004
    c = out.filter(pl.Series(corr)).with_columns(
        bedrag=-pl.col("bedrag") * rng.uniform(0.05, 0.3, int(corr.sum())),
        boekdatum=pl.col("boekdatum") + 20,
    )
    c = c.filter(pl.col("boekdatum") <= win.cutoff)
    yearly = (
        out.with_columns(jaar=pl.col("maand").cast(pl.Date).dt.year())
        .group_by("gem", "seg", "jaar")
        .agg(pl.col("bedrag").sum())
        .sort("gem", "seg", "jaar")
    )
    overig = yearly.with_columns(
        prov=pl.lit(-1),
        bedrag=pl.col("bedrag") * rng.uniform(0.005, 0.015, len(yearly)),
        boekdatum=pl.date(pl.col("jaar"), 12, 15).cast(pl.Int64),
        maand=pl.date(pl.col("jaar"), 12, 1).cast(pl.Int64),
    ).select(out.columns)
    out = pl.concat([out, c.select(out.columns), overig.cast(out.schema)])
    return out.with_columns(bedrag=pl.col("bedrag").round(2)).sort(
        "gem", "seg", "boekdatum", "prov", "bedrag"
    )


def budget(
    rng: np.random.Generator,
    uitg: pl.DataFrame,
    clients: pl.DataFrame,
    years: range,
    monthly_gems: int = 3,
) -> pl.DataFrame:
    """Yearly budget and targets per (gem, segment); monthly prognose for a few (last year)."""
    real = (
        uitg.with_columns(jaar=pl.col("boekdatum").cast(pl.Int32).cast(pl.Date).dt.year())
        .group_by("gem", "seg", "jaar")
        .agg(pl.col("bedrag").sum())
        .cast({"gem": pl.Int64, "seg": pl.Int64, "jaar": pl.Int64})
    )
    df = real.join(clients, on=["gem", "seg", "jaar"], how="inner").sort("gem", "seg", "jaar")
    df = df.filter(pl.col("jaar").is_in(list(years)))
    n = len(df)
    begroot = np.round(df["bedrag"].to_numpy() * rng.uniform(0.93, 1.08, n), -3)
    target_cl = np.maximum(np.round(df["clienten"].to_numpy() * rng.uniform(0.9, 1.1, n)), 1)
    yearly = df.select("gem", "seg", "jaar").with_columns(
        begroot_bedrag=begroot,
        target_clienten=target_cl,
        target_kosten_per_client=np.round(begroot / target_cl, 2),
        maand=pl.lit(None, dtype=pl.Int64),
        prognose_cumulatief=pl.lit(None, dtype=pl.Float64),
    )
    last = max(years)
    gems = sorted(set(yearly["gem"].to_list()))[:monthly_gems]
    plan = yearly.filter((pl.col("jaar") == last) & pl.col("gem").is_in(gems))
    w = np.cumsum(PROGNOSE_WEIGHTS) / PROGNOSE_WEIGHTS.sum()
    months = [day(date(last, m, 1).isoformat()) for m in range(1, 13)]
    rows = []
    for g, s, b in plan.select("gem", "seg", "begroot_bedrag").iter_rows():
        for mi in range(12):
            rows.append((g, s, last, months[mi], round(b * w[mi], 2)))
    monthly = (
        pl.DataFrame(
            rows, schema=["gem", "seg", "jaar", "maand", "prognose_cumulatief"], orient="row"
        )
        .with_columns(
            begroot_bedrag=pl.lit(None, dtype=pl.Float64),
            target_clienten=pl.lit(None, dtype=pl.Float64),
            target_kosten_per_client=pl.lit(None, dtype=pl.Float64),
        )
        .select(yearly.columns)
    )
    return pl.concat([yearly, monthly.cast(yearly.schema)])
