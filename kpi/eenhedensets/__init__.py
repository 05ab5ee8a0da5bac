"""Unit sets: the rows a KPI aggregates, read from the warehouse for a period.

One job per module:
- `sqltekst`: the SQL text of a unit set (kpi/sql/<naam>.sql or its month facts, composite
  sets `SAMENGESTELD`, the filter around a query); no database.
- `schema`: what the queries need of the warehouse: views for what an older or hand-built
  warehouse lacks (fact tables, zorgintervallen.client_nr and .overlapt), the column types of
  every unit set (`kolomsoorten`), the meta table.
- `bron`: the query runner `Bron`: bind parameters, the cache of one computation, the
  process-wide cache per load (`GEDEELD`) and the threads that run queries two at a time.
"""

from kpi.eenhedensets.bron import GEDEELD, Bron, GroepsAanvraag
from kpi.eenhedensets.schema import (
    feiten_als_views,
    kolomsoorten,
    lees_meta,
    scalar,
    zorgintervallen_als_view,
)
from kpi.eenhedensets.sqltekst import (
    MAAND_SPLITSING,
    PERIODELIJSTEN,
    SAMENGESTELD,
    STANDAARD_KOLOMMEN,
    gefilterd,
    in_een_keer,
    samengesteld,
    sql_tekst,
)

__all__ = [
    "GEDEELD",
    "MAAND_SPLITSING",
    "PERIODELIJSTEN",
    "SAMENGESTELD",
    "STANDAARD_KOLOMMEN",
    "Bron",
    "GroepsAanvraag",
    "feiten_als_views",
    "gefilterd",
    "in_een_keer",
    "kolomsoorten",
    "lees_meta",
    "samengesteld",
    "scalar",
    "sql_tekst",
    "zorgintervallen_als_view",
]
