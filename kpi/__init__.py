"""KPI engine of Stoplicht: KPI values, norms and stoplicht from the warehouse.

`kpi.bereken(...)` and `kpi.eenheden(...)` are the functions users call (from the module
kpi/bereken.py; unit sets are read by the package kpi.eenhedensets). Import other names of
the module as `from kpi.bereken import ...`: `kpi.bereken` itself is the function.
"""

from kpi.bereken import (
    KOLOMMEN,
    bereken,
    eenheden,
    niet_berekenbaar,
    quarantaine_per_reden,
    reeks,
)
from kpi.filters import DIMENSIES, Filters
from kpi.normen import Normen, laad_normen
from kpi.periode import Periode
from kpi.registry import Kpi, Registry, laad_registry
from kpi.scope import BuitenScope, Scope

__all__ = [
    "BuitenScope",
    "DIMENSIES",
    "KOLOMMEN",
    "Filters",
    "Kpi",
    "Normen",
    "Periode",
    "Registry",
    "Scope",
    "bereken",
    "eenheden",
    "laad_normen",
    "laad_registry",
    "niet_berekenbaar",
    "quarantaine_per_reden",
    "reeks",
]
