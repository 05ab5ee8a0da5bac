"""Working days: Monday to Friday and not a Dutch public holiday (holidays.NL)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# The iJw/iWmo deadline of a 305, 307 or answer to a 315, unless a KPI declares its own.
TERMIJN_WERKDAGEN = 5


@lru_cache(maxsize=64)
def _feestdagen(jaar: int) -> frozenset[date]:
    return frozenset(holidays.NL(years=jaar))


def is_werkdag(d: date) -> bool:
    """True when `d` is a Monday-Friday that is not a Dutch public holiday."""
    return d.isoweekday() <= 5 and d not in _feestdagen(d.year)


def plus_werkdagen(d: date, aantal: int) -> date:
    """The `aantal`-th working day after `d` (d itself never counts)."""
    if aantal < 1:
        raise ValueError("aantal werkdagen moet minstens 1 zijn")
    dag, geteld = d, 0
    while geteld < aantal:
        dag += timedelta(days=1)
        if is_werkdag(dag):
            geteld += 1
    return dag


def op_tijd(gebeurtenis: date, dagtekening: date, werkdagen: int = TERMIJN_WERKDAGEN) -> bool:
    """True when `dagtekening` is at most `werkdagen` working days after `gebeurtenis`."""
    return dagtekening <= plus_werkdagen(gebeurtenis, werkdagen)


def termijnkalender(
    van: date, tot: date, werkdagen: int = TERMIJN_WERKDAGEN
) -> tuple[list[date], list[date]]:
    """For every day in [van, tot]: the day and its deadline (`werkdagen` working days later)."""
    # Passed to SQL as two list bind parameters, so the SQL never needs its own holiday list.
    dagen, uiterlijk = _termijnkalender(van, tot, werkdagen)
    return list(dagen), list(uiterlijk)


@lru_cache(maxsize=256)
def _termijnkalender(
    van: date, tot: date, werkdagen: int
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    dagen = tuple(van + timedelta(days=i) for i in range((tot - van).days + 1))
    return dagen, tuple(plus_werkdagen(d, werkdagen) for d in dagen)
