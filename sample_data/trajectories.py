"""Simulate zorgtrajecten of one region: arrivals, waits, durations, ends and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_data.dates import NA, OPEN, day
from sample_data.providers import Providers, choice_by_group, provider_probs
from sample_data.reference import (
    DOMEINEN,
    REDEN_EINDE,
    SEGMENTEN,
    SUBSEGMENTEN,
    VERHUIZING,
    VOLGENS_PLAN,
    VOORTIJDIG,
)

Table = dict[str, np.ndarray]

T7 = day("2022-07-01")  # start of the new contracts and product codes
WET_2015 = day("2015-01-01")  # Jeugdwet and Wmo 2015

# New trajectories per 1,000 inhabitants per year, growth per year, years of history simulated.
RATE = {"jeugd": 13.0, "wmo": 20.0}
GROWTH = {"jeugd": 0.03, "wmo": 0.035}
HISTORY_YEARS = {"jeugd": 5, "wmo": 9}
P_REUSE_CLIENT = 0.18
P_NOSHOW = 0.007

_SUB_DOM = np.array([DOMEINEN.index(s.domein) for s in SUBSEGMENTEN])
_SUB_SEG = np.array([SEGMENTEN.index(s.segment) for s in SUBSEGMENTEN])
_SUB_ZW = np.array([s.zwaarte for s in SUBSEGMENTEN])
_SUB_SHARE = np.array([s.aandeel for s in SUBSEGMENTEN])
_SUB_MED = np.array([s.duur_mediaan for s in SUBSEGMENTEN])
_SUB_SIG = np.array([s.duur_sigma for s in SUBSEGMENTEN])
_SUB_WAIT = np.array([s.wacht_mediaan for s in SUBSEGMENTEN])


@dataclass(frozen=True)
class Window:
    """The extract's period: messages from start (plus the stock running then) up to cutoff."""

    start: int
    cutoff: int


def concat(tables: list[Table]) -> Table:
    """Concatenate tables with the same columns."""
    return {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}


def take(t: Table, idx: np.ndarray) -> Table:
    """Rows idx (indices or boolean mask) of a table."""
    return {k: v[idx] for k, v in t.items()}


def _reden_codes(dom: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = REDEN_EINDE[DOMEINEN[dom]]
    codes = np.array([int(c) for c, _ in pairs])
    p = np.array([q for _, q in pairs])
    return codes, p / p.sum()


def _draw_reden(rng: np.random.Generator, dom: np.ndarray, age: np.ndarray) -> np.ndarray:
    out = np.empty(dom.size, dtype=np.int64)
    for d in (0, 1):
        m = dom == d
        codes, p = _reden_codes(d)
        out[m] = rng.choice(codes, size=int(m.sum()), p=p)
    # in the Wmo death depends on age
    wmo = dom == 1
    young = wmo & (age < 65) & (out == 2) & (rng.random(dom.size) < 0.8)
    out[young] = 19
    old = wmo & (age >= 80) & (out == 19) & (rng.random(dom.size) < 0.12)
    out[old] = 2
    return out


def _duration(rng: np.random.Generator, sub: np.ndarray, reden: np.ndarray) -> np.ndarray:
    dur = rng.lognormal(np.log(_SUB_MED[sub]), _SUB_SIG[sub])
    u = rng.random(sub.size)
    short = np.isin(reden, [32, 33, 34, 35, 21, 22, 23])
    dur = np.where(short, dur * (0.15 + 0.55 * u), dur)
    dur = np.where(reden == 38, dur * (0.3 + 0.6 * u), dur)
    dur = np.where(np.isin(reden, [2, 20, 36, 37, 39]), dur * (0.3 + 0.7 * u), dur)
    return np.clip(dur, 7, 12 * 365).astype(np.int64)


def _wait(rng: np.random.Generator, sub: np.ndarray, prov_mult: np.ndarray) -> np.ndarray:
    w = rng.lognormal(np.log(_SUB_WAIT[sub] * prov_mult), 0.75)
    w = np.where(rng.random(sub.size) < 0.10, 0, w)
    return np.clip(w, 0, 365).astype(np.int64)


def _arrival_days(
    rng: np.random.Generator, n: int, start: int, end: int, growth: float
) -> np.ndarray:
    """Days in [start, end] with exponential growth; 20 % on the first of the month, no weekends."""
    span = end - start + 1
    years = span / 365.25
    g = np.log1p(growth)
    u = rng.random(n)
    t = np.log1p(u * np.expm1(g * years)) / g  # inverse CDF of exp(g t) on [0, years]
    d = start + np.minimum((t * 365.25).astype(np.int64), span - 1)
    dt = d.astype("datetime64[D]")
    first = dt.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    d = np.where(rng.random(n) < 0.2, np.maximum(first, start), d)
    return np.busday_offset(d.astype("datetime64[D]"), 0, roll="forward").astype(np.int64)


class Simulator:
    """Draws the trajectories of one region."""

    def __init__(
        self,
        rng: np.random.Generator,
        inwoners: np.ndarray,
        providers: Providers,
        window: Window,
        volume: float = 1.0,
    ) -> None:
        self.rng = rng
        self.inwoners = inwoners
        self.G = inwoners.size
        self.prov = providers
        self.win = window
        self.volume = volume
        self.probs = provider_probs(providers, self.G)

    # ------------------------------------------------------------ helpers
    def _group(self, sub: np.ndarray, gem: np.ndarray, ingang: np.ndarray) -> np.ndarray:
        return (sub * self.G + gem) * 2 + (ingang >= T7)

    def choose_provider(
        self, sub: np.ndarray, gem: np.ndarray, ingang: np.ndarray, avoid: np.ndarray | None = None
    ) -> np.ndarray:
        """A provider per row; where avoid is given, try a few times to draw another one."""
        g = self._group(sub, gem, ingang)
        p = choice_by_group(self.rng, g, self.probs)
        if avoid is not None:
            for _ in range(4):
                same = p == avoid
                if not same.any():
                    break
                p[same] = choice_by_group(self.rng, g[same], self.probs)
        return p

    def _finish(self, t: Table) -> Table:
        """Draw wait (where not set), provider-dependent durations and ends."""
        rng = self.rng
        n = t["sub"].size
        age = (t["begin"] - t["birth"]) / 365.25
        reden = _draw_reden(rng, t["dom"], age)
        dur = _duration(rng, t["sub"], reden)
        end = t["begin"] + dur - 1
        # jeugdhulp stops before 23 (volgens plan), Wmo support at 100 at the latest (death)
        limit = t["birth"] + np.where(t["dom"] == 0, 23, 100) * 365 - 1
        capped = (end > limit) & (limit >= t["begin"])
        end = np.where(capped, limit, end)
        reden = np.where(capped, np.where(t["dom"] == 0, 31, 2), reden)
        running = end > self.win.cutoff
        t["end"] = np.where(running, OPEN, end)
        t["reden"] = np.where(running, -1, reden)
        t["L"] = self._toewijzing_length(t["sub"])
        t["noshow"] = np.zeros(n, dtype=bool)
        return t

    def _toewijzing_length(self, sub: np.ndarray) -> np.ndarray:
        """Length of a toewijzing in days (0 = open-ended) by segment."""
        seg = _SUB_SEG[sub]
        u = self.rng.random(sub.size)
        iaj = np.select([u < 0.45, u < 0.95], [182, 365], 0)
        gwv = np.select([u < 0.85, u < 0.95], [365, 730], 0)
        io = np.select([u < 0.35, u < 0.65, u < 0.70], [365, 730, 1095], 0)
        return np.choose(seg, [iaj, gwv, io]).astype(np.int64)

    # ------------------------------------------------------------ generation 0
    def arrivals(self) -> Table:
        """New trajectories (and new clients) from the history start to the cutoff."""
        rng = self.rng
        parts = []
        for d, dom in enumerate(DOMEINEN):
            start = self.win.start - HISTORY_YEARS[dom] * 365
            years = (self.win.cutoff - start + 1) / 365.25
            lam = RATE[dom] * self.volume * self.inwoners / 1000 * years
            counts = rng.poisson(lam)
            gem = np.repeat(np.arange(self.G), counts)
            n = gem.size
            ingang = _arrival_days(rng, n, start, self.win.cutoff, GROWTH[dom])
            subs = np.flatnonzero(d == _SUB_DOM)
            share = _SUB_SHARE[subs] / _SUB_SHARE[subs].sum()
            sub = rng.choice(subs, size=n, p=share)
            parts.append({"gem": gem, "dom": np.full(n, d), "sub": sub, "ingang": ingang})
        t = concat(parts)
        n = t["gem"].size
        t["client"] = np.arange(n, dtype=np.int64)
        t["birth"] = t["ingang"] - self._age_days(t["dom"])
        self._reuse_clients(t)
        t["prov"] = self.choose_provider(t["sub"], t["gem"], t["ingang"])
        wait = _wait(rng, t["sub"], self.prov.wait_mult[t["prov"]])
        t["begin"] = t["ingang"] + wait
        t["gen"] = np.zeros(n, dtype=np.int64)
        t["origin"] = np.zeros(n, dtype=np.int64)  # 0 new, 1 overstap, 2 other follow-up
        t = self._finish(t)
        noshow = (rng.random(n) < P_NOSHOW) & (t["ingang"] <= self.win.cutoff - 60)
        t["noshow"] = noshow
        t["begin"] = np.where(noshow, NA, t["begin"])
        t["end"] = np.where(noshow, NA, t["end"])
        t["reden"] = np.where(noshow, -1, t["reden"])
        pending = ~noshow & (t["begin"] > self.win.cutoff)
        t["end"] = np.where(pending, OPEN, t["end"])
        t["reden"] = np.where(pending, -1, t["reden"])
        return t

    def _age_days(self, dom: np.ndarray) -> np.ndarray:
        rng = self.rng
        n = dom.size
        u = rng.random(n)
        jeugd = np.select(
            [u < 0.08, u < 0.50],
            [rng.uniform(0.2, 4, n), rng.uniform(4, 12, n)],
            rng.uniform(12, 17.9, n),
        )
        wmo = np.select(
            [u < 0.12, u < 0.40, u < 0.68],
            [rng.uniform(18, 40, n), rng.uniform(40, 65, n), rng.uniform(65, 80, n)],
            rng.uniform(80, 95, n),
        )
        return (np.where(dom == 0, jeugd, wmo) * 365.25).astype(np.int64)

    def _reuse_clients(self, t: Table) -> None:
        """Some trajectories belong to a client with another one (same gemeente and domein)."""
        rng = self.rng
        n = t["gem"].size
        key = t["dom"] * self.G + t["gem"]
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        lo = np.searchsorted(sorted_key, key, side="left")
        hi = np.searchsorted(sorted_key, key, side="right")
        pick = order[lo + (rng.random(n) * (hi - lo)).astype(np.int64)]
        close = np.abs(t["ingang"][pick] - t["ingang"]) < 2 * 365
        reuse = (rng.random(n) < P_REUSE_CLIENT) & close & (pick != np.arange(n))
        owner = np.where(reuse, pick, np.arange(n))
        t["client"] = t["client"][owner]
        t["birth"] = t["birth"][owner]
        # a reused client must be old enough at this start (18 in the Wmo)
        too_young = t["birth"] > t["ingang"] - np.where(t["dom"] == 1, 18 * 366, 30)
        t["client"] = np.where(too_young, np.arange(n), t["client"])
        own_birth = t["ingang"] - self._age_days(t["dom"])
        t["birth"] = np.where(too_young, own_birth, t["birth"])

    # ------------------------------------------------------------ follow-ups
    def follow_ups(self, prev: Table, gen: int) -> Table | None:
        """Overstap, afschaling, opschaling, recidive and resumption after a temporary stop."""
        rng = self.rng
        ended = (prev["end"] != OPEN) & ~prev["noshow"] & (prev["end"] <= self.win.cutoff)
        p = take(prev, ended)
        n = p["sub"].size
        if n == 0:
            return None
        dom, sub, r = p["dom"], p["sub"], p["reden"]
        u = rng.random(n)
        plan = ((dom == 0) & (r == int(VOLGENS_PLAN["jeugd"][0]))) | (
            (dom == 1) & (r == int(VOLGENS_PLAN["wmo"][0]))
        )
        early = np.isin(r, [int(c) for c in VOORTIJDIG["jeugd"]]) & (dom == 0)
        early |= np.isin(r, [int(c) for c in VOORTIJDIG["wmo"]]) & (dom == 1)
        early &= r != int(VERHUIZING["jeugd"])
        p_rec = np.where(dom == 0, 0.07, 0.05)
        can_down = _SUB_ZW[sub] > 1
        kind = np.full(n, -1)
        kind[(r == 38) & (u < 0.9)] = 0  # overstap, seamless
        kind[(r == 20) & (u < 0.6)] = 1  # resumption at the same provider
        kind[plan & can_down & (u < 0.18)] = 2  # afschaling
        kind[plan & (u >= 0.18) & (u < 0.18 + p_rec)] = 3  # recidive
        kind[early & (u < 0.25)] = 4  # other provider, same or heavier
        kind[early & (u >= 0.25) & (u < 0.35)] = 3
        kind[np.isin(r, [36, 37]) & (u < 0.3)] = 3
        keep = kind >= 0
        p = take(p, keep)
        kind = kind[keep]
        n = kind.size
        if n == 0:
            return None
        new_sub = p["sub"].copy()
        # afschaling: a lighter sub-segment of the same segment
        m = kind == 2
        new_sub[m] = self._lighter(p["sub"][m])
        m = kind == 4
        new_sub[m] = self._heavier_or_same(p["sub"][m])
        m = kind == 3
        new_sub[m] = self._redraw_in_domain(p["dom"][m])
        gap = np.ones(n, dtype=np.int64)
        gap[kind == 1] = rng.integers(14, 61, int((kind == 1).sum()))
        for k in (2, 4):
            gap[kind == k] = rng.integers(7, 91, int((kind == k).sum()))
        m = kind == 3
        g = np.clip(rng.lognormal(np.log(120), 0.7, int(m.sum())), 8, 364).astype(np.int64)
        edge = rng.random(g.size)
        g = np.where(edge < 0.075, 365, np.where(edge < 0.15, 366, g))
        gap[m] = g
        begin = p["end"] + gap
        wait = _wait(rng, new_sub, np.ones(n))
        ingang = np.where(kind <= 1, begin, begin - np.minimum(wait, gap - 1))
        t: Table = {
            "gem": p["gem"],
            "dom": p["dom"],
            "sub": new_sub,
            "ingang": ingang,
            "client": p["client"],
            "birth": p["birth"],
        }
        avoid = np.where(np.isin(kind, [0, 4]), p["prov"], -1)
        prov = self.choose_provider(new_sub, p["gem"], ingang, avoid)
        same = (kind == 1) | ((kind == 2) & (rng.random(n) < 0.4))
        same &= (ingang < T7) | self.prov.contracted[p["prov"]]
        t["prov"] = np.where(same, p["prov"], prov)
        t["begin"] = begin
        t["gen"] = np.full(n, gen)
        t["origin"] = np.where(kind == 0, 1, 2)
        t = self._finish(t)
        ok = t["ingang"] <= self.win.cutoff
        jeugd_age = (t["begin"] - t["birth"]) / 365.25
        ok &= ~((t["dom"] == 0) & (jeugd_age > 22.5))
        t = take(t, ok)
        pending = t["begin"] > self.win.cutoff
        t["end"] = np.where(pending, OPEN, t["end"])
        t["reden"] = np.where(pending, -1, t["reden"])
        return t

    def _lighter(self, sub: np.ndarray) -> np.ndarray:
        out = sub.copy()
        for s in np.unique(sub):
            cands = np.flatnonzero((_SUB_SEG[s] == _SUB_SEG) & (_SUB_ZW[s] > _SUB_ZW))
            m = sub == s
            out[m] = self.rng.choice(cands, size=int(m.sum()))
        return out

    def _heavier_or_same(self, sub: np.ndarray) -> np.ndarray:
        out = sub.copy()
        for s in np.unique(sub):
            cands = np.flatnonzero((_SUB_SEG[s] == _SUB_SEG) & (_SUB_ZW[s] <= _SUB_ZW))
            m = sub == s
            out[m] = self.rng.choice(cands, size=int(m.sum()))
        return out

    def _redraw_in_domain(self, dom: np.ndarray) -> np.ndarray:
        out = np.empty(dom.size, dtype=np.int64)
        for d in (0, 1):
            subs = np.flatnonzero(d == _SUB_DOM)
            share = _SUB_SHARE[subs] / _SUB_SHARE[subs].sum()
            m = dom == d
            out[m] = self.rng.choice(subs, size=int(m.sum()), p=share)
        return out

    def run(self) -> Table:
        """All trajectories: arrivals plus up to six generations of follow-ups."""
        gens = [self.arrivals()]
        for gen in range(1, 7):
            nxt = self.follow_ups(gens[-1], gen)
            if nxt is None or nxt["sub"].size == 0:
                break
            gens.append(nxt)
        t = concat(gens)
        # care running on 1-1-2015 (decentralisation) starts there in the new laws
        pre = t["ingang"] < WET_2015
        t["ingang"] = np.where(pre, WET_2015, t["ingang"])
        has_begin = t["begin"] != NA
        t["begin"] = np.where(has_begin, np.maximum(t["begin"], t["ingang"]), NA)
        t["traj"] = np.arange(t["sub"].size, dtype=np.int64)
        return t
