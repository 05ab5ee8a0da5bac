"""The forecast's mathematics on plain arrays: days are integers (date.toordinal()).

A zorgtraject's duration D = einde − begin + 1 days (as the doorlooptijd KPI counts it). The
survival S(k) = P(D > k) for k = 0, 1, 2, ... (S(0) = 1): a trajectory that began on day B is
in care on day B + k exactly when D > k.

Kaplan–Meier with censoring and delayed entry (left truncation). Each trajectory of the
window contributes over the hazards k with L < k <= X:
- ended (D known, D <= peildatum − B + 1): X = D, an event at D;
- still open on the peildatum: known D >= peildatum − B + 1, so X = peildatum − B without
  an event (it survived the hazards 1..X; whether it ends on the peildatum itself is not yet
  known, so it is not counted at risk there);
- begun before the window's first day W: known to be in care on W, so D > W − B: L = W − B
  (it enters the risk sets from hazard L + 1); begun in the window: L = 0.
Hazard h(k) = events at k / trajectories at risk at k; S(k) = prod_{j<=k} (1 − h(j)). Beyond
the largest time at risk the estimate has no data: S stays flat there.

A client in care on the peildatum P with X = P − B days survived is in care on a later day t
with probability S(t − B) / S(X), up to its last possible day (toewijzing einddatum, the end
of the period): beyond it the probability is 0.

Expected instroom: trajectories begin at rate λ a day from P + 1 on; one begun on day s is in
care on day t >= s with probability S(t − s).

The interval is a prediction interval: the variance of the days still to come, summed over
independent clients (each client's remaining days, exactly under the survival curve) and the
instroom (compound Poisson, plus the uncertainty of λ given its count n: (n + 1) / T²), plus the
uncertainty of the survival curve itself (Greenwood, propagated by the delta method:
`staarten`, `instroom_staart`, `greenwood_variantie`; per contract in eenheden._kromme).
80 %: the normal approximation, mean ± 1.2816 × standard deviation.

The curve's uncertainty. log S(k) = sum_{j<=k} log(1 − h(j)), the terms' errors ε_j
independent with Greenwood's variance g(j) = d_j / (n_j (n_j − d_j)). A client in care is in
care on day t with r(t) = S(t − B) / S(X), so δr(t) = r(t) · sum_{X<j<=t−B} ε_j, and its
expected days in a window change by sum_j ε_j a(j) with a(j) = the expected days of the
window on days t with t − B >= j (the tail from day B + j). Instroom likewise, with S(k)
unconditioned (hazards 1..k). The contributions of all clients and the instroom of one
contract add up in a(j) before squaring (they share the curve): var = sum_j g(j) a(j)².
Contracts of one sub-segment share it too: a group adds their curve standard deviations
within a sub-segment (overzicht.kromme_variantie; an upper bound, exact when their a(j) are
proportional) and the variances of the sub-segments' independent curves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z80 = 1.2815515655446004  # 10th / 90th percentile of the standard normal: an 80 % interval
_LEEG = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Overleving:
    """A Kaplan–Meier estimate: s[k] = P(D > k), flat after the largest time at risk."""

    s: np.ndarray  # float64, s[0] = 1
    trajecten: int  # trajectories that took part (at risk at some hazard)
    beeindigd: int  # of those, ended in the window (events)
    tau: int  # the largest time at risk (days); no data beyond it
    g: np.ndarray | None = None  # Greenwood's g(k) = d / (n (n − d)) per hazard k (None: 0)

    @property
    def greenwood(self) -> np.ndarray:
        """g(k) per hazard k = 0 .. len(s) − 1: the variance of log(1 − h(k)); 0 without an
        event, and where every trajectory at risk ends (S falls to 0: nothing is left to
        carry an error)."""
        return np.zeros(self.s.size) if self.g is None else self.g

    def op(self, k: np.ndarray | int) -> np.ndarray:
        """S(k) for any integer k >= 0 (flat beyond the array)."""
        k = np.asarray(k, dtype=np.int64)
        return self.s[np.clip(k, 0, self.s.size - 1)]

    def cumulatief(self, lengte: int) -> np.ndarray:
        """c[m] = S(0) + ... + S(m) for m = 0 .. lengte − 1."""
        return np.cumsum(self.op(np.arange(lengte)))


def kaplan_meier(duur: np.ndarray, beeindigd: np.ndarray, instap: np.ndarray) -> Overleving:
    """Kaplan–Meier from X (event or censoring time), the event flag and the entry time L.

    A trajectory is at risk at hazard k when L < k <= X; one with X <= L takes no part.
    """
    duur = np.asarray(duur, dtype=np.int64)
    beeindigd = np.asarray(beeindigd, dtype=bool)
    instap = np.asarray(instap, dtype=np.int64)
    mee = duur > instap
    duur, beeindigd, instap = duur[mee], beeindigd[mee], instap[mee]
    if duur.size == 0:
        return Overleving(np.ones(1), 0, 0, 0)
    lengte = int(duur.max()) + 2
    # at risk at k: entered (L + 1 <= k) minus left (X + 1 <= k)
    binnen = np.cumsum(np.bincount(instap + 1, minlength=lengte)[:lengte])
    buiten = np.cumsum(np.bincount(duur + 1, minlength=lengte)[:lengte])
    risico = binnen - buiten
    gebeurd = np.bincount(duur[beeindigd], minlength=lengte)[:lengte]
    kans = np.divide(gebeurd, risico, out=np.zeros(lengte), where=risico > 0)
    s = np.cumprod(1.0 - kans)  # kans[0] = 0: no one is at risk at hazard 0 (D >= 1)
    rest = risico - gebeurd
    g = np.divide(gebeurd, risico * rest, out=np.zeros(lengte), where=(gebeurd > 0) & (rest > 0))
    return Overleving(s, int(duur.size), int(beeindigd.sum()), int(duur.max()), g)


def kansen_in_zorg(
    overleving: Overleving,
    begin: np.ndarray,
    verstreken: np.ndarray,
    laatste: np.ndarray,
    dagen: np.ndarray,
) -> np.ndarray:
    """P(in care on each of `dagen`) for clients in care on the peildatum (clients × days).

    `begin`: the zorgtraject's first day; `verstreken`: X = peildatum − begin; `laatste`: the
    last day care can run (toewijzing einddatum, end of the period): later days get 0.
    """
    begin = np.asarray(begin, dtype=np.int64)[:, None]
    noemer = overleving.op(np.asarray(verstreken, dtype=np.int64))[:, None]
    k = np.asarray(dagen, dtype=np.int64)[None, :] - begin
    teller = overleving.op(k)
    kans = np.divide(teller, noemer, out=np.zeros(teller.shape), where=noemer > 0)
    return np.where(dagen[None, :] <= np.asarray(laatste, dtype=np.int64)[:, None], kans, 0.0)


def cumulatieve_sommen(
    kansen: np.ndarray, dagen: np.ndarray, van: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, for every day w of `dagen`: the expected days in care in [van, w] and
    E[R²] of that number R (both 0 before `van`).

    For one trajectory, being in care on a day implies being in care on every earlier day of
    the window (survival only falls; the cap cuts the tail), so with p_t the daily chance and
    position j_t = t − van: E[R] = sum p_t and E[R²] = sum (2 j_t + 1) p_t; the variance of
    R is E[R²] − E[R]².
    """
    van = np.asarray(van, dtype=np.int64)[:, None]
    p = np.where(dagen[None, :] >= van, kansen, 0.0)
    return np.cumsum(p, axis=1), np.cumsum(p * (2 * (dagen[None, :] - van) + 1), axis=1)


def venster_som(
    kansen: np.ndarray, dagen: np.ndarray, van: np.ndarray, tot: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: expected days in care in [van, tot] and the variance of that number."""
    som, kwadraat = cumulatieve_sommen(kansen, dagen, van)
    rij = np.arange(som.shape[0])
    kolom = np.asarray(tot, dtype=np.int64) - dagen[0]
    geldig = kolom >= 0
    kolom = np.clip(kolom, 0, dagen.size - 1)
    verwacht = np.where(geldig, som[rij, kolom], 0.0)
    e2 = np.where(geldig, kwadraat[rij, kolom], 0.0)
    return verwacht, np.maximum(e2 - verwacht**2, 0.0)


def staarten(kansen: np.ndarray, dagen: np.ndarray, van: np.ndarray, tot: np.ndarray) -> np.ndarray:
    """Per row and day t of `dagen`: the expected days in care in [max(t, van), tot] (the
    tail of the window from t; for t before `van` the whole window). These are the weights
    a(j), j = t − begin, of the curve's hazards (see the module text)."""
    van = np.asarray(van, dtype=np.int64)[:, None]
    tot = np.asarray(tot, dtype=np.int64)[:, None]
    p = np.where((dagen[None, :] >= van) & (dagen[None, :] <= tot), kansen, 0.0)
    return np.cumsum(p[:, ::-1], axis=1)[:, ::-1]


def instroom_staart(overleving: Overleving, peildatum: int, van: int, tot: int) -> np.ndarray:
    """a(j) for j = 0 .. len(s) − 1 of instroom at rate 1 a day from peildatum + 1 over the
    window [van, tot]: sum over k >= j of S(k) × the number of days t of the window with
    t − k >= peildatum + 1 (a start day s = t − k after the peildatum); a(0) is not used."""
    lengte = overleving.s.size
    if tot < van or tot <= peildatum:
        return np.zeros(lengte)
    k = np.arange(0, tot - peildatum, dtype=np.int64)  # k <= tot − (peildatum + 1)
    aantal = np.maximum(tot - np.maximum(van, peildatum + 1 + k) + 1, 0)
    staart = np.cumsum((overleving.op(k) * aantal)[::-1])[::-1]
    uit = np.zeros(lengte)
    n = min(lengte, staart.size)
    uit[:n] = staart[:n]
    return uit


def greenwood_variantie(overleving: Overleving, gewichten: np.ndarray) -> np.ndarray:
    """sum_j g(j) a(j)² per row of `gewichten` (rows × len(s)): the variance of the expected
    days from the curve's own uncertainty (delta method)."""
    return (np.asarray(gewichten) ** 2) @ overleving.greenwood


def instroom_per_eenheid(
    overleving: Overleving, peildatum: int, van: int, tot: int
) -> tuple[float, float]:
    """(A, B) for instroom at rate 1 a day from peildatum + 1: expected days in [van, tot]
    (A) and the sum over start days of E[R_s²] (B), so that at rate λ the expected days are
    λ·A and the compound-Poisson variance λ·B."""
    if tot < van or tot <= peildatum:
        return 0.0, 0.0
    start = np.arange(peildatum + 1, tot + 1, dtype=np.int64)[:, None]
    dag = np.arange(van, tot + 1, dtype=np.int64)[None, :]
    k = dag - start
    s = np.where(k >= 0, overleving.op(np.maximum(k, 0)), 0.0)
    positie = dag - np.maximum(start, van)
    return float(s.sum()), float((s * (2 * positie + 1)).sum())


def instroom_variantie(rate: float, telling: int, dagen_telling: int, a: float, b: float) -> float:
    """Variance of the instroom's days: compound Poisson (λ·B) plus the uncertainty of λ
    counted as n over T = `dagen_telling` days: A² · (n + 1) / T², the variance of the rate
    given the count (Gamma(n + 1, T), flat prior), so that no instroom in the count (n = 0)
    is no proof of a rate 0. The expected days stay λ̂·A with λ̂ = n / T."""
    if dagen_telling <= 0:
        return 0.0
    return rate * b + a * a * (telling + 1) / dagen_telling**2


def verwachte_duur(overleving: Overleving, verstreken: np.ndarray) -> np.ndarray:
    """E[min(D, τ) | D > X] for open trajectories (X days survived): X plus the area under
    S(j) / S(X) for X <= j < τ, the restricted mean up to the largest time with data."""
    x = np.asarray(verstreken, dtype=np.int64)
    if x.size == 0:
        return np.zeros(0)
    tau = overleving.tau
    c = np.concatenate([[0.0], overleving.cumulatief(max(tau, 1) + 1)])  # c[m] = sum_{j<m} S(j)
    boven = c[tau] - c[np.clip(x, 0, tau)]
    noemer = overleving.op(x)
    rest = np.divide(boven, noemer, out=np.zeros(x.size), where=(noemer > 0) & (x < tau))
    return x + rest


def plekken_little(duren: np.ndarray, dagen_venster: int) -> tuple[float, float]:
    """Little's law L = λ·W with λ = N / T (arrivals a day) and W = the mean duration of
    those arrivals: L = sum(D) / T. Variance (compound Poisson arrivals): sum(D²) / T²."""
    duren = np.asarray(duren, dtype=np.float64)
    if dagen_venster <= 0:
        return 0.0, 0.0
    return float(duren.sum() / dagen_venster), float((duren**2).sum() / dagen_venster**2)


def interval(verwacht: float, variantie: float) -> tuple[float, float]:
    """The 80 % interval around `verwacht` (normal approximation)."""
    marge = Z80 * float(np.sqrt(max(variantie, 0.0)))
    return verwacht - marge, verwacht + marge


def eerste_overschrijding(verwacht: np.ndarray, grens: float) -> int | None:
    """Index of the first value above `grens`, or None."""
    boven = np.flatnonzero(np.asarray(verwacht) > grens)
    return int(boven[0]) if boven.size else None
