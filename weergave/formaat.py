"""Dutch formatting of numbers, money, shares and dates: the one place values become text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from kpi.periode import datum_nl

Getal = int | float | Decimal | Fraction
TIJDZONE = ZoneInfo("Europe/Amsterdam")  # moments are shown in the region's time

STOPLICHT_TEKST = {
    "groen": "● groen",
    "oranje": "▲ oranje",
    "rood": "■ rood",
    "grijs": "○ grijs",
}


def _decimaal(x: Getal) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, Fraction):
        return Decimal(x.numerator) / Decimal(x.denominator)
    if isinstance(x, float):
        return Decimal(repr(x))
    return Decimal(x)


def getal(x: Getal | None, decimalen: int = 0) -> str:
    """Number with '.' for thousands and ',' for decimals: 1234567,5 -> '1.234.567,5'."""
    if x is None:
        return ""
    q = _decimaal(x).quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no '-0'
    teken = "-" if q < 0 else ""
    geheel, _, breuk = f"{abs(q):f}".partition(".")
    groepen = f"{int(geheel):,}".replace(",", ".")
    return f"{teken}{groepen},{breuk}" if breuk else f"{teken}{groepen}"


def euro(x: Getal | None, decimalen: int = 2) -> str:
    """Money: '€ 1.234,56'; negative '€ -1.234,56'."""
    return "" if x is None else f"€ {getal(x, decimalen)}"


def procent(x: Getal | None, decimalen: int = 1) -> str:
    """A share stored as 0..1, shown as a percentage: 0.125 -> '12,5 %'."""
    return "" if x is None else f"{getal(_decimaal(x) * 100, decimalen)} %"


def datum(d: date | None) -> str:
    """Date as '31-12-2024'."""
    return "" if d is None else datum_nl(d)


def tijdstip(moment: datetime | None) -> str:
    """A moment in the region's time as '31-12-2024 14:05' (a naive moment counts as UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    lokaal = moment.astimezone(TIJDZONE)
    return f"{datum_nl(lokaal.date())} {lokaal.hour:02d}:{lokaal.minute:02d}"


def dagen(x: Getal | None) -> str:
    """Days with their unit, a decimal only where there is one: '260 dagen', '260,5 dagen'."""
    if x is None:
        return ""
    d = _decimaal(x).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    heel = d == d.to_integral_value()
    return f"{getal(d, 0 if heel else 1)} {'dag' if d == 1 else 'dagen'}"


def datumtijd(x: datetime | None) -> str:
    """Date and time as '03-12-2026 07:05'."""
    return "" if x is None else f"{datum_nl(x.date())} {x.hour:02d}:{x.minute:02d}"


def waarde(x: Getal | None, eenheid: str) -> str:
    """Format a KPI value by its registry unit (aantal, dagen, aandeel, verhouding, euro)."""
    if eenheid == "euro":
        return euro(x)
    if eenheid in ("aandeel", "verhouding"):
        return procent(x)
    if eenheid == "dagen":
        return dagen(x)
    return getal(x, 0)


def stoplicht(kleur: str) -> str:
    """Stoplicht with a symbol, so it never relies on colour alone."""
    return STOPLICHT_TEKST.get(kleur, kleur)
