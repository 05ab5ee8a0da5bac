"""A Python function over the values of a column, run in the calling thread, not in Polars.

Why: `Expr.map_elements` runs its Python function on Polars' worker threads, which must take
the GIL. In the dashboard's server many sessions run at once; one thread holding the GIL while
it waits for those same workers (a `to_pandas` for st.dataframe, say) and the workers waiting
for the GIL froze the whole process: 20 sessions at once on the Datakwaliteit page never got
an answer again (bench/gelijktijdig.py, 2026-12-04). So code the server runs applies Python
functions to values here and never inside a Polars expression; tests/test_per_waarde.py runs
the formatting of the pages in threads beside `to_pandas` and greps for `map_elements`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def per_waarde(
    reeks: pl.Series,
    functie: Callable[[Any], Any],
    dtype: pl.DataType | type[pl.DataType],
    *,
    ook_leeg: bool = False,
) -> pl.Series:
    """`functie` of every value of `reeks`, as a Series of the same name and `dtype`.

    A null stays null unless `ook_leeg`, then `functie` gets None as well (as
    `map_elements(..., skip_nulls=False)` would pass it).
    """
    uit = [functie(v) if v is not None or ook_leeg else None for v in reeks.to_list()]
    return pl.Series(reeks.name, uit, dtype=dtype)
