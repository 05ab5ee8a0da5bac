"""Fictional care providers (aanbieders) of one region and how clients are spread over them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_data.reference import SEGMENTEN, SUBSEGMENTEN

_PREFIX = (
    "Stichting",
    "Zorggroep",
    "Jeugdhulp",
    "Begeleiding",
    "Praktijk",
    "Coöperatie",
    "Zorgcollectief",
    "Ondersteuning",
    "Woongroep",
    "Gezinshuis",
    "Zorgboerderij",
    "Huize",
)
_KERN_A = (
    "Zonne",
    "Linde",
    "Esche",
    "Hazel",
    "Vlinder",
    "Kiem",
    "Bron",
    "Dauw",
    "Veld",
    "Hoeve",
    "Brugge",
    "Baken",
    "Kompas",
    "Wilge",
    "Eike",
    "Ooie",
    "Beke",
    "Molen",
    "Stee",
    "Heide",
    "Akker",
    "Lange",
    "Vlas",
    "Klaver",
)
_KERN_B = (
    "wende",
    "hof",
    "kamp",
    "laar",
    "weide",
    "veste",
    "borg",
    "stede",
    "hoek",
    "horst",
    "dal",
    "linge",
    "brink",
    "hage",
    "wijk",
    "rade",
)
_SEGMENT_KANS = {"strategisch": None, "regulier": (0.45, 0.15, 0.40), "klein": (0.40, 0.15, 0.45)}
_GEWICHT = {"strategisch": 30.0, "regulier": 6.0, "klein": 1.2}


@dataclass
class Providers:
    """Providers of one region as parallel arrays (index = provider number in the region)."""

    agb: list[str]
    naam: list[str]
    grootte: list[str]
    weight: np.ndarray  # (P, S) relative volume per sub-segment; 0 = does not deliver it
    covers: np.ndarray  # (P, G) serves the gemeente
    contracted: np.ndarray  # (P,) contracted from 2022-07-01
    p_late: np.ndarray  # (P,) chance that a 305/307 is late
    wait_mult: np.ndarray  # (P,) waiting-list factor
    price_factor: np.ndarray  # (P,) price relative to the sub-segment's base price
    benutting: np.ndarray  # (P,) target use of contracted places (places are sized from it)
    doorloop_factor: np.ndarray  # (P,) stated duration relative to the real median

    @property
    def n(self) -> int:
        return len(self.agb)


class AgbSource:
    """Distinct 8-digit AGB codes (text, leading zeros possible) across all regions of a run."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng([seed, 8])
        self._a = int(rng.integers(10**5, 10**6)) * 10 + 3
        self._b = int(rng.integers(0, 10**8))
        self._next = 1
        self.used_names: set[str] = set()

    def take(self, n: int) -> list[str]:
        k = np.arange(self._next, self._next + n, dtype=np.int64)
        self._next += n
        return [f"{v:08d}" for v in (self._a * k + self._b) % 10**8]


def _names(rng: np.random.Generator, n: int, used: set[str], regio: str) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        naam = (
            f"{_PREFIX[rng.integers(len(_PREFIX))]} "
            f"{_KERN_A[rng.integers(len(_KERN_A))]}{_KERN_B[rng.integers(len(_KERN_B))]}"
        )
        if naam in used:
            naam = f"{naam} {regio}"
        if naam in used:
            continue
        used.add(naam)
        out.append(naam)
    return out


def make_providers(
    rng: np.random.Generator, n_gemeenten: int, inwoners: int, regio: str, agb: AgbSource
) -> Providers:
    """About 60 providers for 300,000 inhabitants: a few strategic ones carry most volume."""
    n = int(np.clip(round(60 * np.sqrt(inwoners / 300_000)), 24, 140))
    n_strat = max(4, round(n * 0.09))
    n_reg = round(n * 0.38)
    sizes = ["strategisch"] * n_strat + ["regulier"] * n_reg + ["klein"] * (n - n_strat - n_reg)
    n_sub = len(SUBSEGMENTEN)
    seg_of = np.array([SEGMENTEN.index(s.segment) for s in SUBSEGMENTEN])
    weight = np.zeros((n, n_sub))
    covers = np.zeros((n, n_gemeenten), dtype=bool)
    strat_segments = ("IAJ", "IO", "GWV", "IAJ", "IO", "IAJ", "IO", "GWV")
    for p, size in enumerate(sizes):
        if size == "strategisch":
            seg = SEGMENTEN.index(strat_segments[p % len(strat_segments)])
            subs = np.flatnonzero(seg_of == seg)
        else:
            seg = rng.choice(3, p=_SEGMENT_KANS[size])
            cands = np.flatnonzero(seg_of == seg)
            k = rng.integers(2, 4) if size == "regulier" else rng.integers(1, 3)
            subs = rng.choice(cands, size=min(k, cands.size), replace=False)
            if size == "regulier" and rng.random() < 0.15:
                subs = np.append(subs, rng.integers(n_sub))
        weight[p, subs] = _GEWICHT[size] * rng.uniform(0.6, 1.4, subs.size)
        if size == "klein" and n_gemeenten > 3:
            home = rng.choice(n_gemeenten, size=rng.integers(1, 4), replace=False)
            covers[p, home] = True
        else:
            covers[p, :] = True
    # about 10 % is not contracted from 2022-07-01: some regular providers, more small ones
    contracted = np.ones(n, dtype=bool)
    size_arr = np.array(sizes)
    for size, share in (("regulier", 0.04), ("klein", 0.06)):
        cands = np.flatnonzero(size_arr == size)
        k = min(cands.size, max(1, round(n * share)))
        contracted[rng.choice(cands, size=k, replace=False)] = False
    # every sub-segment needs a contracted provider that serves all gemeenten
    for s in range(n_sub):
        ok = (weight[:, s] > 0) & contracted & covers.all(axis=1)
        if not ok.any():
            cands = np.flatnonzero(contracted & covers.all(axis=1))
            weight[rng.choice(cands), s] = _GEWICHT["regulier"]
    p_late = np.where(rng.random(n) < 0.2, rng.uniform(0.15, 0.35, n), rng.uniform(0.01, 0.08, n))
    kind = rng.random(n)
    benutting = np.where(
        kind < 0.2,
        rng.uniform(1.12, 1.30, n),
        np.where(kind < 0.4, rng.uniform(0.70, 0.85, n), rng.uniform(0.92, 1.05, n)),
    )
    return Providers(
        agb=agb.take(n),
        naam=_names(rng, n, agb.used_names, regio),
        grootte=sizes,
        weight=weight,
        covers=covers,
        contracted=contracted,
        p_late=p_late,
        wait_mult=rng.lognormal(0.0, 0.3, n),
        price_factor=rng.uniform(0.9, 1.1, n),
        benutting=benutting,
        doorloop_factor=rng.uniform(0.75, 1.25, n),
    )


def provider_probs(prov: Providers, n_gemeenten: int) -> np.ndarray:
    """Choice probabilities, shape (n_sub * n_gemeenten * 2, P); group = (sub * G + gem) * 2 + era.

    Era 1 (ingangsdatum from 2022-07-01) only uses contracted providers.
    """
    n_sub = len(SUBSEGMENTEN)
    w = prov.weight.T[:, None, None, :] * prov.covers.T[None, :, None, :]  # (S, G, 1, P)
    era = np.stack([np.ones(prov.n), prov.contracted.astype(float)])  # (2, P)
    probs = w * era[None, None, :, :]
    fallback = prov.weight.T[:, None, None, :] * era[None, None, :, :]
    empty = probs.sum(axis=3, keepdims=True) == 0
    probs = np.where(empty, np.broadcast_to(fallback, probs.shape), probs)
    return probs.reshape(n_sub * n_gemeenten * 2, prov.n)


def choice_by_group(rng: np.random.Generator, group: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """One column per element of group, drawn with weights probs[group] (need not sum to 1)."""
    n_groups, k = probs.shape
    cum = np.cumsum(probs, axis=1)
    cum = cum / cum[:, -1:]
    flat = (cum + np.arange(n_groups)[:, None]).ravel()
    pos = np.searchsorted(flat, group + rng.random(group.size), side="right")
    return np.minimum(pos - group * k, k - 1)
