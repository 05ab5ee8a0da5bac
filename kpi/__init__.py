"""KPI engine of Stoplicht: KPI values, norms and stoplicht from the warehouse."""

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
