"""The CM-gesprek dossier: agenda, afspraken, toelichting and besluiten per provider and period.

A data layer beside the warehouse (its own SQLite file, see opslag.py): a warehouse load never
touches it, and it imports nothing from kpi/, weergave/, rapport/ or ui/. Who may see what of
it is decided a layer up (kpi/gesprek.py).
"""

from dossier.invoer import MAX_TEKST, ONDERWERPEN, STATUSSEN, DossierFout
from dossier.opslag import (
    DOSSIER_ENV,
    SOORTEN,
    Dossier,
    Gesprek,
    Item,
    VersieConflict,
    dossier_pad,
)

__all__ = [
    "DOSSIER_ENV",
    "MAX_TEKST",
    "ONDERWERPEN",
    "SOORTEN",
    "STATUSSEN",
    "Dossier",
    "DossierFout",
    "Gesprek",
    "Item",
    "VersieConflict",
    "dossier_pad",
]
