"""Dates as int64 day numbers (days since 1970-01-01) and message-delay helpers."""

from __future__ import annotations

import numpy as np

NA = -999_999  # missing date
OPEN = 999_999  # open end / beyond the horizon


def day(iso: str) -> int:
    """Day number of an ISO date."""
    return int(np.datetime64(iso, "D").astype(np.int64))


def to_dt(days: np.ndarray) -> np.ndarray:
    """Day numbers to datetime64[D]."""
    return days.astype("datetime64[D]")


def month_start(days: np.ndarray) -> np.ndarray:
    """First day of the month of each day."""
    return to_dt(days).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def weekday_werkdagen(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Monday-Friday days in (start, end], ignoring holidays (an upper bound on werkdagen)."""
    return np.busday_count(to_dt(start + 1), to_dt(end + 1))


def on_time(rng: np.random.Generator, base: np.ndarray) -> np.ndarray:
    """A dagtekening 0-5 weekdays after base: on time under any holiday calendar."""
    k = rng.choice(6, size=base.size, p=[0.08, 0.30, 0.26, 0.16, 0.12, 0.08])
    shifted = np.busday_offset(to_dt(base + 1), np.maximum(k - 1, 0), roll="forward")
    out = shifted.astype(np.int64)
    return np.where(k == 0, weekday_on_or_after(base), out)


def late(rng: np.random.Generator, base: np.ndarray) -> np.ndarray:
    """A dagtekening at least 14 days after base (late under any holiday calendar)."""
    extra = np.minimum(rng.exponential(12.0, base.size).astype(np.int64), 120)
    d = base + 14 + extra
    return np.busday_offset(to_dt(d), 0, roll="forward").astype(np.int64)


def message_date(rng: np.random.Generator, base: np.ndarray, p_late: np.ndarray) -> np.ndarray:
    """Dagtekening after base: on time, or late with probability p_late."""
    is_late = rng.random(base.size) < p_late
    return np.where(is_late, late(rng, base), on_time(rng, base))


def unambiguous(base: np.ndarray, dag: np.ndarray) -> np.ndarray:
    """Push dates that are neither surely on time nor surely late to base + 14 days."""
    wd = weekday_werkdagen(base, dag)
    ok = (wd <= 5) | (dag - base >= 14)
    return np.where(ok, dag, base + 14)


def weekday_on_or_after(days: np.ndarray) -> np.ndarray:
    """The day itself if Monday-Friday, else the next Monday."""
    return np.busday_offset(to_dt(days), 0, roll="forward").astype(np.int64)


def weekday_on_or_before(days: np.ndarray) -> np.ndarray:
    """The day itself if Monday-Friday, else the Friday before."""
    return np.busday_offset(to_dt(days), 0, roll="backward").astype(np.int64)
