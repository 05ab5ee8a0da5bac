"""Small counts as text for what a provider may see (CBS practice for youth-care statistics).

The rule itself lives in the data layer (kpi.scope: counts rounded to fives, 0 to 7 withheld);
this is how such a count reads on screen, on paper and on a slide.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from kpi.per_waarde import per_waarde
from kpi.scope import telling as afgerond

from weergave import formaat

GEHEIM = "geheim"


def telling(n: int | float | Decimal | None) -> str:
    """A count as a provider sees it: 0-7 → 'geheim', else rounded to fives ('1.235')."""
    if n is None:
        return ""
    if n < 0:
        raise ValueError(f"een telling kan niet negatief zijn: {n}")
    getal = afgerond(n)
    return GEHEIM if getal is None else formaat.getal(getal)


def tellingen_als_tekst(
    frame: pl.DataFrame, kolommen: tuple[str, ...] = ("aantal",)
) -> pl.DataFrame:
    """Protected count columns (kpi.scope: None = withheld) as a provider reads them."""
    return frame.with_columns(
        per_waarde(frame[k], lambda n: GEHEIM if n is None else formaat.getal(n), pl.String,
                   ook_leeg=True)
        for k in kolommen
    )  # fmt: skip
