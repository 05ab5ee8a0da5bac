"""Small-count suppression for what a provider may see (CBS practice for youth-care statistics).

Counts of people and their care are shown rounded to fives; 0 to 7 is shown as 'geheim'. A
share, median or mean resting on fewer than 8 units would reveal such a count, so it is
'geheim' too. Money, contracts and rejected input rows are not counts of people: exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kpi import formaat
from kpi.registry import Kpi

GEHEIM = "geheim"
DREMPEL = 8  # counts below this are not shown
# What a KPI's unit rows count when they are not people or their care.
NIET_PERSOONLIJK = frozenset(
    {"contract", "contractmaand", "uitgave", "begrotingscel", "invoerregel"}
)


def afgerond(n: int | float | Decimal) -> int | None:
    """A count as shown: rounded to the nearest five (half up), None when it is 0-7."""
    if n < 0:
        raise ValueError(f"een telling kan niet negatief zijn: {n}")
    if n < DREMPEL:
        return None
    return int((Decimal(str(n)) / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5


def telling(n: int | float | Decimal | None) -> str:
    """A count as text: 0-7 → 'geheim', else rounded to fives ('1.235'); None → ''."""
    if n is None:
        return ""
    getal = afgerond(n)
    return GEHEIM if getal is None else formaat.getal(getal)


def persoonlijk(kpi: Kpi) -> bool:
    """True when the KPI's units are people or their care (trajectories, messages, ...)."""
    return kpi.korrel not in NIET_PERSOONLIJK


def waarde_tekst(kpi: Kpi, waarde: Decimal | float | None, n: int | None) -> str:
    """A KPI value as a provider may see it: counts via `telling`, small-n values 'geheim'."""
    if waarde is None:
        return "–"
    if not persoonlijk(kpi):
        return formaat.waarde(waarde, kpi.eenheid)
    if kpi.eenheid == "aantal":
        return telling(waarde)
    if n is None or n < DREMPEL:
        return GEHEIM
    return formaat.waarde(waarde, kpi.eenheid)


def n_tekst(kpi: Kpi, n: int | None) -> str:
    """The n of a KPI value: suppressed when it counts people, exact otherwise."""
    if n is None:
        return ""
    return telling(n) if persoonlijk(kpi) else formaat.getal(n)


def grafiekwaarde(kpi: Kpi, waarde: Decimal | float | None, n: int | None) -> float | None:
    """A value for a chart: counts rounded to fives, and None where the text says 'geheim'."""
    if waarde is None:
        return None
    if not persoonlijk(kpi):
        return float(waarde)
    if kpi.eenheid == "aantal":
        getal = afgerond(waarde)
        return None if getal is None else float(getal)
    return None if n is None or n < DREMPEL else float(waarde)
