"""Split trajectories into toewijzingen (periods), including the 1-7-2022 conversion."""

from __future__ import annotations

import numpy as np

from sample_data.dates import NA, OPEN, day, weekday_on_or_after
from sample_data.providers import Providers, choice_by_group, provider_probs
from sample_data.reference import old_code_table
from sample_data.trajectories import T7, Table, Window, concat, take

# Period kinds.
ENDED, RUNNING, CONVERTED, HANDED_OVER, VOIDED, NOSHOW, PENDING = range(7)
# Period origins.
NEW, OVERSTAP, FOLLOW_UP, CONV_NEW, HANDOVER_NEW, REISSUE_NEW = range(6)

END_OVERGANG = day("2022-12-31")


def _weekdays_between(rng: np.random.Generator, lo: str, hi: str, n: int) -> np.ndarray:
    d = rng.integers(day(lo), day(hi) + 1, n)
    return np.minimum(weekday_on_or_after(d), day(hi))


def build_periods(
    rng: np.random.Generator, t: Table, prov: Providers, n_gem: int, win: Window
) -> Table:
    """One period per toewijzing; trajectories across 1-7-2022 on old codes get two."""
    n = t["sub"].size
    cutoff = win.cutoff
    first_old, n_old = old_code_table()
    old_code = first_old[t["sub"]] + (rng.random(n) * n_old[t["sub"]]).astype(np.int64)
    new_code = t["sub"]
    old = t["ingang"] < T7
    has_begin = t["begin"] != NA
    started = has_begin & (t["begin"] <= cutoff)
    contracted = prov.contracted[t["prov"]]
    spans = old & started & (t["begin"] < T7) & (t["end"] >= T7)
    handover_day = T7 + rng.integers(0, END_OVERGANG - T7 + 1, n)
    conv = spans & contracted
    hand = spans & ~contracted & (t["end"] >= handover_day)
    reissue = old & has_begin & (t["begin"] >= T7)
    single = ~(conv | hand | reissue)
    conv_day = _weekdays_between(rng, "2022-06-13", "2022-07-08", n)
    void_day = _weekdays_between(rng, "2022-06-13", "2022-06-30", n)
    probs = provider_probs(prov, n_gem)
    group = (t["sub"] * n_gem + t["gem"]) * 2 + 1
    contracted_prov = choice_by_group(rng, group, probs)

    def part(mask: np.ndarray, **cols: np.ndarray) -> Table:
        base = {
            "traj": t["traj"],
            "client": t["client"],
            "gem": t["gem"],
            "dom": t["dom"],
            "sub": t["sub"],
            "prov": t["prov"],
            "L": t["L"],
            "origin": t["origin"],
            "first": np.ones(n, dtype=bool),
            "aux_day": np.full(n, NA),
        }
        base.update(cols)
        return take(base, mask)

    def kind_of(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
        k = np.where(end == OPEN, RUNNING, ENDED)
        k = np.where(begin == NA, NOSHOW, k)
        return np.where((begin != NA) & (begin > cutoff), PENDING, k)

    end_or_open = np.where(t["end"] == NA, OPEN, t["end"])
    parts = [
        part(
            single,
            prod=np.where(old, old_code, new_code),
            ingang=t["ingang"],
            begin=t["begin"],
            ec=end_or_open,
            reden=t["reden"],
            kind=kind_of(t["begin"], t["end"]),
        ),
        part(
            conv,
            prod=old_code,
            ingang=t["ingang"],
            begin=t["begin"],
            ec=np.full(n, T7 - 1),
            reden=np.full(n, 36),
            kind=np.full(n, CONVERTED),
            aux_day=conv_day,
        ),
        part(
            conv,
            prod=new_code,
            ingang=np.full(n, T7),
            begin=np.full(n, T7),
            ec=t["end"],
            reden=t["reden"],
            kind=kind_of(np.full(n, T7), t["end"]),
            origin=np.full(n, CONV_NEW),
            first=np.zeros(n, dtype=bool),
            aux_day=conv_day,
        ),
        part(
            hand,
            prod=old_code,
            ingang=t["ingang"],
            begin=t["begin"],
            ec=handover_day - 1,
            reden=np.full(n, 36),
            kind=np.full(n, HANDED_OVER),
        ),
        part(
            hand,
            prod=new_code,
            ingang=handover_day,
            begin=handover_day,
            ec=t["end"],
            reden=t["reden"],
            kind=kind_of(handover_day, t["end"]),
            prov=contracted_prov,
            origin=np.full(n, HANDOVER_NEW),
        ),
        part(
            reissue,
            prod=old_code,
            ingang=t["ingang"],
            begin=np.full(n, NA),
            ec=np.full(n, NA),
            reden=np.full(n, -1),
            kind=np.full(n, VOIDED),
            aux_day=void_day,
        ),
        part(
            reissue,
            prod=new_code,
            ingang=np.full(n, T7),
            begin=t["begin"],
            ec=end_or_open,
            reden=t["reden"],
            kind=kind_of(t["begin"], t["end"]),
            prov=np.where(contracted, t["prov"], contracted_prov),
            origin=np.full(n, REISSUE_NEW),
            first=np.zeros(n, dtype=bool),
            aux_day=void_day,
        ),
    ]
    p = concat(parts)
    # keep what is visible in an extract starting at win.start
    k = p["kind"]
    keep = np.isin(k, [RUNNING, VOIDED, PENDING])
    keep |= np.isin(k, [ENDED, CONVERTED, HANDED_OVER]) & (p["ec"] >= win.start)
    keep |= (k == NOSHOW) & (p["ingang"] >= win.start)
    p = take(p, keep)
    # sorted by trajectory, so the second period of a split follows its first (per - 1)
    order = np.lexsort((p["ingang"], p["traj"]))
    p = take(p, order)
    p["per"] = np.arange(p["sub"].size, dtype=np.int64)
    return p
