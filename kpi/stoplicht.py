"""Stoplicht: judge a KPI value against its norm (groen / oranje / rood / grijs)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from kpi.aggregatie import als_decimaal
from kpi.normen import NormRegel

Drempel = Fraction | tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Oordeel:
    """The colour and the thresholds it was judged against (as text, '.' decimals)."""

    stoplicht: str
    norm_groen: str | None = None
    norm_oranje: str | None = None


GRIJS = Oordeel("grijs")


def drempels(
    regel: NormRegel, richting: str, basiswaarde: Fraction | None
) -> tuple[Drempel, Drempel] | None:
    """Absolute groen and oranje thresholds; None when a relative norm lacks its baseline."""
    if regel.soort != "relatief":
        return regel.groen, regel.oranje
    if basiswaarde is None:
        return None
    marge = abs(basiswaarde)
    groen, oranje = regel.groen, regel.oranje
    assert isinstance(groen, Fraction) and isinstance(oranje, Fraction)
    if richting == "lager_beter":
        return basiswaarde + groen * marge, basiswaarde + oranje * marge
    if richting == "hoger_beter":
        return basiswaarde - groen * marge, basiswaarde - oranje * marge
    return (
        (basiswaarde - groen * marge, basiswaarde + groen * marge),
        (basiswaarde - oranje * marge, basiswaarde + oranje * marge),
    )


def _binnen(waarde: Fraction, drempel: Drempel, richting: str) -> bool:
    if isinstance(drempel, tuple):
        return drempel[0] <= waarde <= drempel[1]
    return waarde <= drempel if richting == "lager_beter" else waarde >= drempel


def _getal(x: Fraction) -> str:
    d = als_decimaal(x)
    assert d is not None
    tekst = f"{d.normalize():f}"
    return "0" if tekst in ("-0", "0") else tekst


def _tekst(drempel: Drempel, richting: str) -> str:
    if isinstance(drempel, tuple):
        return f"{_getal(drempel[0])}..{_getal(drempel[1])}"
    return f"{'<=' if richting == 'lager_beter' else '>='} {_getal(drempel)}"


def beoordeel(
    waarde: Fraction | None,
    n: int,
    voorlopig: bool,
    min_n: int,
    richting: str,
    regel: NormRegel | None,
    basiswaarde: Fraction | None = None,
) -> Oordeel:
    """Judge one value; grijs without a norm, with n < min_n, when voorlopig or without value."""
    if regel is None:
        return GRIJS
    norm = _norm(regel, richting, basiswaarde)
    if norm is None:
        return GRIJS
    (groen, oranje), tekst = norm
    if waarde is None or n < min_n or voorlopig:
        return Oordeel("grijs", *tekst)
    if _binnen(waarde, groen, richting):
        return Oordeel("groen", *tekst)
    if _binnen(waarde, oranje, richting):
        return Oordeel("oranje", *tekst)
    return Oordeel("rood", *tekst)


@lru_cache(maxsize=4096)
def _norm(
    regel: NormRegel, richting: str, basiswaarde: Fraction | None
) -> tuple[tuple[Drempel, Drempel], tuple[str, str]] | None:
    """The thresholds and their texts (groen, oranje) of a rule; the same for many values."""
    grenzen = drempels(regel, richting, basiswaarde)
    if grenzen is None:
        return None
    groen, oranje = grenzen
    return grenzen, (_tekst(groen, richting), _tekst(oranje, richting))
