"""The SQL text of unit sets: their files, composite sets, the filter around a query.

No database here: this module turns a unit set's name and a period into the text of its
query (`query`), which `bron.Bron` runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from kpi import maandfeiten
from kpi.filters import DIMENSIES, Filters
from kpi.registry import sql_pad

# Every unit set has these columns; the measures a KPI reads come after them.
STANDAARD_KOLOMMEN = ("eenheid", "client_id", *DIMENSIES, "voorlopig")
# Unit sets whose every row falls in one month of any period and does not depend on the
# period otherwise: a monthly series reads them once for its whole range and splits them by
# this column (the day that places the unit in a period, or the month piece it covers).
MAAND_SPLITSING = {
    "instroom": "datum",
    "uitstroom": "datum",
    "afschaling": "datum",
    "recidive": "datum",
    "berichten_tijdig": "datum",
    "tijdig_301": "datum",
    "zonder_start": "datum",
    "zonder_stop": "datum",
    "contractmaanden": "maand",
    "voorschot": "maand",
    "uitgaven": "maand",
    "saldo_afrekening": "maand",
}
# Unit sets that take a list of periods ($perioden_van, $perioden_tot) and number their rows
# by period (`_deel`): a unit can count in several months, so a series asks for all at once.
PERIODELIJSTEN = frozenset({"lopend", "zorgdagen"})


# Composite unit sets: kpi/sql/<naam>.sql reads other unit sets, each from a CTE named
# deel_<set> that holds that set's query for the period (`query`: its SQL or its month
# facts). A part marked True is read up to the peildatum at most: its $tot is renamed
# $<set>_tot, which holds the period's end or the peildatum, whichever comes first.
SAMENGESTELD: Mapping[str, Mapping[str, bool]] = MappingProxyType(
    {"saldo_afrekening": MappingProxyType({"contractmaanden": False, "voorschot": True})}
)
_TOT = re.compile(r"\$tot\b")


def samengesteld(naam: str, deeltekst: Callable[[str], str]) -> str:
    """The query of composite unit set `naam`: its parts (`deeltekst(set)`: the set's query
    for the period) as CTEs before the text of kpi/sql/<naam>.sql."""
    delen = []
    for deel, tot_peildatum in SAMENGESTELD[naam].items():
        tekst = deeltekst(deel)
        if tot_peildatum:
            tekst = _TOT.sub(f"${deel}_tot", tekst)
        delen.append(f"deel_{deel} as (\n{tekst}\n)")
    return "with\n\n" + ",\n\n".join(delen) + "\n\n" + sql_tekst(naam)


def deeleinden(naam: str, tot: date, peildatum: date) -> dict[str, date]:
    """The day up to which each part of composite unit set `naam` is read for a period
    ending on `tot`: that day, or the peildatum for a part marked so (SAMENGESTELD)."""
    return {
        deel: min(tot, peildatum) if tot_peildatum else tot
        for deel, tot_peildatum in SAMENGESTELD[naam].items()
    }


def query(
    naam: str, van: date, tot: date, peildatum: date, feiten: tuple[date, date, date] | None
) -> str:
    """The unit query of kpi/sql/<naam>.sql for [van, tot]: its month facts where they
    serve the period (kpi/maandfeiten.py, `feiten`: the months the load computed), else
    the file itself; a composite set with each part's query as a CTE."""
    if naam in SAMENGESTELD:
        einden = deeleinden(naam, tot, peildatum)
        return samengesteld(naam, lambda deel: query(deel, van, einden[deel], peildatum, feiten))
    return maandfeiten.tekst(naam, van, tot, peildatum, feiten) or sql_tekst(naam)


def in_een_keer(naam: str) -> bool:
    """True when a series can read unit set `naam` for all its periods in one query."""
    return naam in MAAND_SPLITSING or naam in PERIODELIJSTEN


@lru_cache(maxsize=64)
def sql_tekst(naam: str) -> str:
    """The text of unit set <naam> (kpi/sql, or warehouse/sql/maandfeiten for month facts)."""
    pad = sql_pad(naam)
    if pad is None:
        raise KeyError(f"onbekende eenhedenset {naam!r}")
    return pad.read_text(encoding="utf-8")


def gefilterd(eenheden_sql: str, filters: Filters) -> str:
    """A unit query with the filters applied (Filters.sql, bind parameters $f_<dimension>)."""
    return f"select * from (\n{eenheden_sql}\n) as eenheden\nwhere {filters.sql()}"
