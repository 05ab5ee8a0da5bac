"""What the warehouse file holds and which version of it: the constants every layer reads.

The loader writes this schema; `kpi/` reads it (and adapts to older versions). Nothing here
imports another module of the project, so any layer may import it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SQL_MAP = Path(__file__).parent / "sql"
FEITEN_MAP = SQL_MAP / "feiten"  # the KPI fact tables: one select per table, named after it
# Unit sets the load also computes once per month (warehouse/maandfeiten.py); kpi/ reads the
# same files as unit sets for any other period, so each has one definition, here.
MAANDFEITEN_MAP = SQL_MAP / "maandfeiten"
# unit set -> the table holding its rows for whole months (named after what it holds)
MAANDFEITEN = {"contractmaanden": "contractmaand_feiten", "voorschot": "voorschot_feiten"}
MAANDFEITEN_META = ("maandfeiten_van", "maandfeiten_tot", "maandfeiten_peildatum")

# 2: with the KPI fact tables (sql/feiten); 3: zorgintervallen.client_nr; 4: .overlapt;
# 5: kpi_waarden (KPI values from other sources; kpi/ treats an older warehouse as without)
SCHEMA_VERSIE = "5"
CLIENTNUMMER_VANAF = 3  # the first schema version whose load fills zorgintervallen.client_nr
OVERLAPT_VANAF = 4  # the first schema version whose load fills zorgintervallen.overlapt

# The external KPIs, whose values come in table kpi_waarden: declared once, as data, beside
# kpis.toml. The loader reads which KPI ids (and units) an extract may deliver, the registry
# the rest. $STOPLICHT_EXTERNE_KPIS names another file.
EXTERNE_KPIS_TOML = Path(__file__).parents[1] / "kpi" / "externe_kpis.toml"
EXTERNE_KPIS_OMGEVING = "STOPLICHT_EXTERNE_KPIS"


def externe_kpis_pad(pad: Path | str | None = None) -> Path:
    """The external KPI declaration: `pad`, else $STOPLICHT_EXTERNE_KPIS, else the default."""
    return Path(pad or os.environ.get(EXTERNE_KPIS_OMGEVING) or EXTERNE_KPIS_TOML)


_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


def parameternamen(sql: str) -> set[str]:
    """The $name bind parameters a query uses."""
    return set(_PARAMETER.findall(sql))
