"""Periods: month, quarter, kalenderjaar, contractjaar or any date range, with Dutch labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

_JAAR = re.compile(r"^(\d{4})$")
_KWARTAAL = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MAAND = re.compile(r"^(\d{4})-(\d{2})$")
_CONTRACTJAAR = re.compile(r"^[Cc][Jj](\d{4})$")
_BEREIK = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
# The dates a period asked for in the dashboard may span. Jeugdwet and Wmo 2015 data start after
# 2000, so a period outside this window is a typo or a tampered link; the window also keeps the
# previous period, the trend months and the date widgets well inside Python's date range.
VENSTER = (date(2000, 1, 1), date(2100, 12, 31))


def laatste_dag(jaar: int, maand: int) -> date:
    """Last day of a month."""
    if maand == 12:
        return date(jaar, 12, 31)
    return date(jaar, maand + 1, 1) - timedelta(days=1)


def datum_nl(d: date) -> str:
    """Date as dd-mm-jjjj."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def kwartaal_van(d: date) -> int:
    """The calendar quarter (1-4) a date lies in."""
    return (d.month - 1) // 3 + 1


def contractjaar_van(d: date) -> int:
    """The year a date's contract year starts in (1 July): 2023-03-01 -> 2022."""
    return d.year if d.month >= 7 else d.year - 1


@dataclass(frozen=True)
class Periode:
    """A closed date range [start, eind] with the kind it was asked as."""

    start: date
    eind: date
    soort: str = "bereik"  # 'maand' | 'kwartaal' | 'jaar' | 'contractjaar' | 'bereik'
    # A month of a contractjaar's series: that contract year (its cumulative figures run from
    # 1 July, functies.planjaar). None for every other period, also a month asked by itself.
    deel_van: Periode | None = None

    def __post_init__(self) -> None:
        if self.eind < self.start:
            raise ValueError(f"periode eindigt ({self.eind}) voor de start ({self.start})")

    @classmethod
    def maand(cls, jaar: int, maand: int) -> Periode:
        """The calendar month."""
        return cls(date(jaar, maand, 1), laatste_dag(jaar, maand), "maand")

    @classmethod
    def kwartaal(cls, jaar: int, kwartaal: int) -> Periode:
        """The calendar quarter (1-4)."""
        eerste = 3 * (kwartaal - 1) + 1
        return cls(date(jaar, eerste, 1), laatste_dag(jaar, eerste + 2), "kwartaal")

    @classmethod
    def jaar(cls, jaar: int) -> Periode:
        """The calendar year."""
        return cls(date(jaar, 1, 1), date(jaar, 12, 31), "jaar")

    @classmethod
    def contractjaar(cls, jaar: int) -> Periode:
        """Contract year starting 1 July of `jaar` ('cj2022' = 2022-07-01..2023-06-30)."""
        return cls(date(jaar, 7, 1), date(jaar + 1, 6, 30), "contractjaar")

    @classmethod
    def parse(cls, tekst: str | Periode) -> Periode:
        """Parse '2023', '2023-Q2', '2023-05', 'cj2022' or '2023-01-01..2023-06-30'."""
        if isinstance(tekst, Periode):
            return tekst
        t = tekst.strip()
        try:
            if m := _JAAR.match(t):
                return cls.jaar(int(m[1]))
            if m := _KWARTAAL.match(t):
                return cls.kwartaal(int(m[1]), int(m[2]))
            if m := _MAAND.match(t):
                return cls.maand(int(m[1]), int(m[2]))
            if m := _CONTRACTJAAR.match(t):
                return cls.contractjaar(int(m[1]))
            if m := _BEREIK.match(t):
                return cls(date.fromisoformat(m[1]), date.fromisoformat(m[2]), "bereik")
        except ValueError as fout:
            reden = fout.args[0] if str(fout).startswith("periode ") else "geen bestaande datum"
            raise ValueError(f"ongeldige periode {tekst!r}: {reden}") from None
        raise ValueError(
            f"onbekende periode {tekst!r}; gebruik 2023, 2023-Q2, 2023-05, cj2022 "
            "of 2023-01-01..2023-06-30"
        )

    @property
    def code(self) -> str:
        """Canonical text form, parseable by `Periode.parse`."""
        s = self.start
        if self.soort == "jaar":
            return f"{s.year}"
        if self.soort == "kwartaal":
            return f"{s.year}-Q{kwartaal_van(s)}"
        if self.soort == "maand":
            return f"{s.year}-{s.month:02d}"
        if self.soort == "contractjaar":
            return f"cj{s.year}"
        return f"{s.isoformat()}..{self.eind.isoformat()}"

    @property
    def label(self) -> str:
        """Dutch label: '2023', 'Q2 2023', 'mei 2023', 'contractjaar 2022/23', '... t/m ...'."""
        s = self.start
        if self.soort == "jaar":
            return f"{s.year}"
        if self.soort == "kwartaal":
            return f"Q{kwartaal_van(s)} {s.year}"
        if self.soort == "maand":
            return f"{MAANDEN[s.month - 1]} {s.year}"
        if self.soort == "contractjaar":
            return f"contractjaar {s.year}/{(s.year + 1) % 100:02d}"
        return f"{datum_nl(s)} t/m {datum_nl(self.eind)}"

    @property
    def in_venster(self) -> bool:
        """True when the period lies within VENSTER (what the dashboard accepts from a link)."""
        return VENSTER[0] <= self.start and self.eind <= VENSTER[1]

    @property
    def dagen(self) -> int:
        """Number of calendar days, both ends included."""
        return (self.eind - self.start).days + 1

    def maanden(self) -> tuple[Periode, ...]:
        """The months of this period, the first and last clipped to it (for trend series).

        The months of a contractjaar carry it (`deel_van`): a cumulative figure of such a month
        runs from 1 July, not from 1 January."""
        if self.soort == "contractjaar":
            maanden = Periode(self.start, self.eind).maanden()
            return tuple(replace(m, deel_van=self) for m in maanden)
        uit = []
        jaar, maand = self.start.year, self.start.month
        while date(jaar, maand, 1) <= self.eind:
            volledig = Periode.maand(jaar, maand)
            start = max(volledig.start, self.start)
            eind = min(volledig.eind, self.eind)
            heel = start == volledig.start and eind == volledig.eind
            uit.append(volledig if heel else Periode(start, eind, "bereik"))
            jaar, maand = (jaar + 1, 1) if maand == 12 else (jaar, maand + 1)
        return tuple(uit)

    def __str__(self) -> str:
        return self.label


def openingsperiode(peildatum: date) -> Periode:
    """The period the dashboard opens with: the latest complete calendar year at the peildatum."""
    p = peildatum
    return Periode.jaar(p.year if (p.month, p.day) == (12, 31) else p.year - 1)


def vorige_periode(periode: Periode) -> Periode:
    """The period of the same kind just before (last year, last quarter, last month, ...)."""
    s = periode.start
    if periode.soort == "jaar":
        return Periode.jaar(s.year - 1)
    if periode.soort == "contractjaar":
        return Periode.contractjaar(s.year - 1)
    if periode.soort == "kwartaal":
        kw = kwartaal_van(s)
        return Periode.kwartaal(s.year - 1, 4) if kw == 1 else Periode.kwartaal(s.year, kw - 1)
    if periode.soort == "maand":
        return Periode.maand(s.year - 1, 12) if s.month == 1 else Periode.maand(s.year, s.month - 1)
    lengte = periode.eind - periode.start
    eind = periode.start - timedelta(days=1)
    return Periode(eind - lengte, eind, "bereik")


def trendperiode(periode: Periode) -> Periode:
    """Months to show a trend over: the period itself, or the 12 months up to a short one."""
    if periode.soort in ("jaar", "contractjaar") or (periode.eind - periode.start).days >= 180:
        return periode
    eind = periode.eind
    jaar, maand = (eind.year - 1, eind.month + 1) if eind.month < 12 else (eind.year, 1)
    return Periode(Periode.maand(jaar, maand).start, eind, "bereik")
