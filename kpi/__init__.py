"""KPI engine of Stoplicht: KPI values, norms and stoplicht from the warehouse.

`kpi.bereken(...)` and `kpi.eenheden(...)` are the functions users call; they live in the
module kpi/berekening.py (with the engine class `Berekening`), unit sets are read by the
package kpi.eenhedensets, so no function of the package shares its name with a module.
"""

from kpi.berekening import (
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
