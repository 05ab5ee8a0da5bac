"""What no filter, period or scope changes, computed once per load before the first request.

Why: on a freshly started dashboard the first twenty sessions all waited for the same
per-load results (the region's forecast of the contract year, the baseline values that
norms relative to a nulmeting need), computed by whichever session came first while the
others queued behind it (bench/gelijktijdig.py, round 1). Computed at server start, the
first round finds them in the process-wide cache of the load (kpi.eenhedensets.bron.GEDEELD)
and a session that comes earlier waits for this computation instead of starting its own.
Nothing here is a figure of its own: it fills the same cache the pages read through.
"""

from __future__ import annotations

import duckdb

from kpi.berekening import Berekening
from kpi.normen import Normen
from kpi.periode import openingsperiode
from kpi.prognose.eenheden import bereken_prognose
from kpi.prognose.overzicht import contractjaar_van


def bereken_vooraf(con: duckdb.DuckDBPyConnection, normen: Normen | None = None) -> list[str]:
    """Fill the per-load cache for `con`'s warehouse; returns what was computed (for the log).

    The forecast of the contract year of the peildatum (every forecast section cuts its
    figures from it) and the per-load parts of the opening period's computation per
    sub-segment and for the whole region (the baselines of every context).
    """
    berekening = Berekening(con, None, normen)
    if berekening.bron.laad_id is None:  # a warehouse without a load id shares nothing
        return []
    peildatum = berekening.peildatum
    contractjaar = contractjaar_van(peildatum)
    bereken_prognose(berekening.bron, contractjaar)
    opening = openingsperiode(peildatum)
    for per in ((), ("subsegment",)):  # the region's context, and each sub-segment's
        Berekening(con, None, normen).bereken(opening, per)
    return [f"prognose {contractjaar.label}", f"nulmetingen {opening.label}"]
