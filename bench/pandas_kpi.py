"""Instroom, doorlooptijd and recidive in plain pandas, the way an analyst would write them.

Read straight from kpi-definities.md: the zorgtrajecten and zorgepisodes tables are read
into pandas whole and filtered, merged and grouped there. Used by the benchmark to compare
speed with `kpi.bereken` and to check that both give the same numbers.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import polars as pl

DIMS = ["gemeente", "subsegment", "aanbieder"]
KPIS = ("instroom", "doorlooptijd", "recidive")


def lees(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables as pandas frames."""
    trajecten = con.execute("select * from zorgtrajecten").df()
    episodes = con.execute("select * from zorgepisodes").df()
    return trajecten, episodes


def bereken(
    trajecten: pd.DataFrame, episodes: pd.DataFrame, van: date, tot: date, peildatum: date
) -> pd.DataFrame:
    """One row per KPI x (gemeente, subsegment, aanbieder): waarde, teller, noemer, n, voorlopig."""
    van_, tot_, peil = pd.Timestamp(van), pd.Timestamp(tot), pd.Timestamp(peildatum)

    # instroom: zorgtrajecten with begin in the period
    gestart = trajecten[(trajecten["begindatum"] >= van_) & (trajecten["begindatum"] <= tot_)]
    instroom = gestart.groupby(DIMS).size().rename("n").reset_index()
    instroom["waarde"] = instroom["n"].astype(float)
    instroom["teller"] = instroom["waarde"]
    instroom["noemer"] = None
    instroom["voorlopig"] = False
    instroom["kpi"] = "instroom"

    # doorlooptijd: median of (end - begin + 1) days of the zorgtrajecten ended (307) in it
    t = trajecten[trajecten["einddatum_zorg"].notna()].copy()
    t["einde"] = t["einddatum"].fillna(t["einddatum_zorg"])
    t = t[(t["einde"] >= van_) & (t["einde"] <= tot_)]
    t["duur"] = (t["einde"] - t["begindatum"]).dt.days + 1
    doorloop = t.groupby(DIMS)["duur"].agg(["median", "size"]).reset_index()
    doorloop = doorloop.rename(columns={"median": "waarde", "size": "n"})
    doorloop["teller"] = None
    doorloop["noemer"] = None
    doorloop["voorlopig"] = False
    doorloop["kpi"] = "doorlooptijd"

    # recidive: share of the episodes ended in the period (death excluded) whose client begins
    # a new episode in the same domein in (end, end + 365]
    e = episodes.copy()
    e["einde"] = e["einddatum"].fillna(e["einddatum_zorg"])
    klaar = e[
        e["einddatum_zorg"].notna()
        & (e["einde"] >= van_)
        & (e["einde"] <= tot_)
        & (e["reden_beeindiging"].fillna("") != "02")
    ]
    paren = klaar[["episode_id", "client_id", "domein", "einde"]].merge(
        episodes[["client_id", "domein", "begindatum"]], on=["client_id", "domein"]
    )
    terug = paren[
        (paren["begindatum"] > paren["einde"])
        & (paren["begindatum"] <= paren["einde"] + pd.Timedelta(days=365))
    ]["episode_id"].unique()
    klaar = klaar.assign(
        teruggekeerd=klaar["episode_id"].isin(terug).astype(int),
        voorlopig=klaar["einde"] + pd.Timedelta(days=365) > peil,
    )
    recidive = (
        klaar.groupby(DIMS)
        .agg(
            teller=("teruggekeerd", "sum"),
            n=("teruggekeerd", "size"),
            voorlopig=("voorlopig", "any"),
        )
        .reset_index()
    )
    recidive["noemer"] = recidive["n"]
    recidive["waarde"] = recidive["teller"] / recidive["noemer"]
    recidive["kpi"] = "recidive"

    kolommen = ["kpi", *DIMS, "waarde", "teller", "noemer", "n", "voorlopig"]
    return pd.concat([instroom[kolommen], doorloop[kolommen], recidive[kolommen]])


def _decimaal(x: object) -> Decimal | None:
    if x is None or (isinstance(x, float) and x != x):
        return None
    return Decimal(repr(float(x))).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)


def verschillen(pandas_uit: pd.DataFrame, engine: pl.DataFrame) -> list[str]:
    """Where the pandas result and kpi.bereken differ (empty list: the same numbers)."""
    sleutel = ["kpi", *DIMS]
    p = {tuple(r[k] for k in sleutel): r for r in pandas_uit.to_dict("records")}
    e = {tuple(r[k] for k in sleutel): r for r in engine.iter_rows(named=True)}
    fouten = []
    for k in sorted(set(p) | set(e), key=str):
        if k not in p or k not in e:
            fouten.append(f"{k}: alleen in {'pandas' if k in p else 'kpi.bereken'}")
            continue
        a, b = p[k], e[k]
        for veld in ("waarde", "teller", "noemer"):
            pa, ke = _decimaal(a[veld]), b[veld]
            if ke is not None:
                ke = ke.quantize(Decimal("1e-10"))
            # floats carry ~16 digits: a share is equal when it agrees to 1e-9
            if (pa is None) != (ke is None) or (pa is not None and abs(pa - ke) > Decimal("1e-9")):
                fouten.append(f"{k}: {veld} pandas {pa} vs kpi {ke}")
        if int(a["n"]) != b["n"] or bool(a["voorlopig"]) != b["voorlopig"]:
            fouten.append(
                f"{k}: n/voorlopig pandas {a['n']}/{a['voorlopig']} "
                f"vs kpi {b['n']}/{b['voorlopig']}"
            )
    return fouten
