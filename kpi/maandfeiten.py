"""Reading the month facts back: the contract-month unit sets the load computed per month.

The load (warehouse/maandfeiten.py) runs the unit sets `contractmaanden` and `voorschot` once
over the span of the data and stores their rows by month. A query for whole months within
that span, with the load's peildatum, reads them back (`tekst`); any other period or
peildatum runs the unit set's SQL as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from warehouse.schema import MAANDFEITEN
from warehouse.schema import MAANDFEITEN_META as _META

from kpi.periode import laatste_dag


def bereik(meta: Mapping[str, str]) -> tuple[date, date, date] | None:
    """(van, tot, peildatum) of the month facts, from the warehouse's meta; None when absent."""
    if any(k not in meta for k in _META):
        return None
    van, tot, peildatum = (date.fromisoformat(meta[k]) for k in _META)
    return van, tot, peildatum


def tekst(
    naam: str, van: date, tot: date, peildatum: date, feiten: tuple[date, date, date] | None
) -> str | None:
    """The query reading unit set `naam` for [van, tot] from its month facts, or None when
    the facts cannot serve it (another peildatum, not whole months, outside their span)."""
    if naam not in MAANDFEITEN or feiten is None:
        return None
    f_van, f_tot, f_peildatum = feiten
    heel = van.day == 1 and tot == laatste_dag(tot.year, tot.month)
    if not heel or peildatum != f_peildatum or van < f_van or tot > f_tot:
        return None
    return f"select * from {MAANDFEITEN[naam]} where maand between $van and $tot"
