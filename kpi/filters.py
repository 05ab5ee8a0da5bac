"""Filters on the dimensions, applied as bind parameters to every unit query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import polars as pl

DIMENSIES = ("gemeente", "domein", "segment", "subsegment", "aanbieder")


def _als_tuple(waarde: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if waarde is None:
        return None
    if isinstance(waarde, str):
        return (waarde,)
    return tuple(waarde)


@dataclass(frozen=True)
class Filters:
    """Selected values per dimension; None = all, a tuple = any of these values."""

    # A role-based scope narrows a Filters with `binnen`, so every query honours it.

    gemeente: tuple[str, ...] | None = None
    domein: tuple[str, ...] | None = None
    segment: tuple[str, ...] | None = None
    subsegment: tuple[str, ...] | None = None
    aanbieder: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for veld in fields(self):
            object.__setattr__(self, veld.name, _als_tuple(getattr(self, veld.name)))

    @classmethod
    def uit_paren(cls, paren: Iterable[tuple[str, str | Iterable[str]]]) -> Filters:
        """From the UI's hashable form, ((dimensie, waarde), ...) as the cached queries take
        it (ui.data.FilterWaarden): the one conversion."""
        return cls(**dict(paren))

    def zonder(self, *dimensies: str) -> Filters:
        """This filter with `dimensies` open again (all values): e.g. zonder("aanbieder") to
        compare a provider with its peers under the same other filters."""
        onbekend = set(dimensies) - set(DIMENSIES)
        if onbekend:
            raise ValueError(f"onbekende dimensie(s) {sorted(onbekend)}; kies uit {DIMENSIES}")
        return replace(self, **dict.fromkeys(dimensies))

    def gezet(self) -> dict[str, tuple[str, ...]]:
        """The rule `sql` and `polars` both apply: a unit passes when, for every dimension
        this filter sets, its value is one of these; a unit without a value never passes a
        dimension that is set. A dimension it does not set costs nothing."""
        return {d: v for d in DIMENSIES if (v := getattr(self, d)) is not None}

    def sql(self) -> str:
        """The where-clause that applies this filter (`gezet`) to any unit set: each value
        list a varchar[] bind parameter ($f_<dimension>, from `params`), never in the SQL
        text."""
        delen = [f"list_contains($f_{d}::varchar[], {d})" for d in self.gezet()]
        return " and ".join(delen) or "true"

    def polars(self) -> pl.Expr:
        """The same filter (`gezet`) as a Polars expression, for unit rows built in Python."""
        masker = pl.lit(True)
        for d, waarden in self.gezet().items():
            masker = masker & pl.col(d).is_in(pl.Series(list(waarden), dtype=pl.String).implode())
        return masker

    def params(self) -> dict[str, list[str] | None]:
        """Bind parameters for `sql`."""
        return {f"f_{d}": None if (v := getattr(self, d)) is None else list(v) for d in DIMENSIES}

    def enkel(self, dimensie: str) -> str | None:
        """The value of a dimension when the filter fixes exactly one, else None."""
        waarden = getattr(self, dimensie)
        return waarden[0] if waarden is not None and len(waarden) == 1 else None

    def binnen(self, scope: Filters) -> Filters:
        """The intersection with a scope: every dimension narrowed to what both allow."""
        nieuw = {}
        for d in DIMENSIES:
            eigen, grens = getattr(self, d), getattr(scope, d)
            if grens is None:
                nieuw[d] = eigen
            elif eigen is None:
                nieuw[d] = grens
            else:
                nieuw[d] = tuple(v for v in eigen if v in grens)
        return replace(self, **nieuw)
