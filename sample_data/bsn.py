"""Synthetic BSNs that pass the 11-test, unique across chunks."""

from __future__ import annotations

import numpy as np

WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
_MOD = 10**8


def digits(numbers: np.ndarray, n: int) -> np.ndarray:
    """The n decimal digits (most significant first) of each number, as an (len, n) array."""
    powers = 10 ** np.arange(n - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers[None, :]) % 10


def elfproef(bsn: np.ndarray) -> np.ndarray:
    """True where the 9-digit number passes the 11-test."""
    return (digits(bsn, 9) @ WEIGHTS) % 11 == 0


class BsnSource:
    """Hands out distinct valid BSNs: a seeded bijection of a running counter on 8 digits."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng([seed, 11])
        a = int(rng.integers(10**6, 10**7)) * 2 + 1
        if a % 5 == 0:
            a += 2
        self._a = a
        self._b = int(rng.integers(0, _MOD))
        self._next = 0

    def take(self, n: int) -> np.ndarray:
        """n new valid BSNs as int64 (never repeated by this source)."""
        out = np.empty(0, dtype=np.int64)
        while out.size < n:
            want = n - out.size
            k = np.arange(self._next, self._next + want + want // 8 + 64, dtype=np.int64)
            first8 = (self._a * k + self._b) % _MOD
            check = (digits(first8, 8) @ WEIGHTS[:8]) % 11
            valid = (check < 10) & (first8 >= 10**6) & (first8 < 99_990_000)
            idx = np.flatnonzero(valid)[:want]
            self._next = int(k[idx[-1]]) + 1 if idx.size == want else int(k[-1]) + 1
            out = np.concatenate([out, first8[idx] * 10 + check[idx]])
        return out


def break_bsn(rng: np.random.Generator, bsn: np.ndarray) -> np.ndarray:
    """Change the check digit so that the number fails the 11-test."""
    last = bsn % 10
    new_last = (last + rng.integers(1, 10, bsn.size)) % 10
    return bsn - last + new_last
