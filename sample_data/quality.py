"""Counts of message-quality cases in the generated extract, for the manifest."""

from __future__ import annotations

import holidays
import numpy as np

from sample_data.dates import NA, day, to_dt
from sample_data.faults import OK
from sample_data.periods import NOSHOW, VOIDED
from sample_data.trajectories import Table

LATE_DAYS = 14  # late messages are at least this many days late; on-time ones at most 5 weekdays


def nl_holidays(first_year: int, last_year: int) -> np.ndarray:
    """Dutch public holidays (python-holidays) as datetime64[D]."""
    nl = holidays.country_holidays("NL", years=range(first_year, last_year + 1))
    return np.array(sorted(nl), dtype="datetime64[D]")


def werkdagen(start: np.ndarray, end: np.ndarray, hol: np.ndarray) -> np.ndarray:
    """Werkdagen in (start, end]: Monday-Friday and not a public holiday."""
    return np.busday_count(to_dt(start + 1), to_dt(end + 1), holidays=hol)


def _standing(rows: Table, soort: int) -> np.ndarray:
    """Standing 305/307 rows: first delivery not cancelled later, no fault."""
    return (
        (rows["soort"] == soort)
        & (rows["status"] == 1)
        & (rows["corr"] != 1)
        & (rows["fault"] == OK)
    )


def quality_counts(rows: Table, p: Table, peildatum: int) -> dict[str, int]:
    """Injected quality faults and what the KPI definitions should find (before XML split)."""
    n_per = p["sub"].size
    s305 = _standing(rows, 305)
    s307 = _standing(rows, 307)
    late305 = s305 & (rows["dag"] - rows["begin"] >= LATE_DAYS)
    late307 = s307 & (rows["dag"] - rows["eindzorg"] >= LATE_DAYS)
    r315 = (rows["soort"] == 315) & (rows["fault"] == OK)
    answer = p["d301"][rows["ref"][r315]]
    req = rows["dag"][r315]

    ok = rows["fault"] == OK
    is301 = ok & (rows["soort"] == 301) & (rows["per"] >= 0)
    has301 = np.zeros(n_per, dtype=bool)
    has301[rows["per"][is301]] = True
    has305 = np.zeros(n_per, dtype=bool)
    has305[rows["per"][s305]] = True
    has307 = np.zeros(n_per, dtype=bool)
    has307[rows["per"][s307]] = True
    # the latest 301 of each toewijzing sets its einddatum
    i301 = np.flatnonzero(is301)
    order = np.lexsort(
        (rows["line"][i301], rows["msg"][i301], rows["dag"][i301], rows["per"][i301])
    )
    i301 = i301[order]
    last = np.ones(i301.size, dtype=bool)
    last[:-1] = rows["per"][i301][1:] != rows["per"][i301][:-1]
    eind = np.full(n_per, NA)
    eind[rows["per"][i301][last]] = rows["eind"][i301][last]
    rw = np.full(n_per, -1)
    rw[rows["per"][i301][last]] = rows["rw"][i301][last]

    toew = has301 & (rw != 13)
    zonder_start = toew & ~has305 & (p["ingang"] < peildatum - 42)
    hol = nl_holidays(2000, 2026)
    expired = toew & has305 & (eind != NA)
    wd = werkdagen(np.where(expired, eind, peildatum), np.full(n_per, peildatum), hol)
    zonder_stop = expired & (wd > 5) & ~has307
    return {
        "standing_305": int(s305.sum()),
        "late_305": int(late305.sum()),
        "standing_307": int(s307.sum()),
        "late_307": int(late307.sum()),
        "requests_315": int(r315.sum()),
        "late_answer_315": int(((answer - req >= LATE_DAYS) & (answer <= peildatum)).sum()),
        "unanswered_315": int((answer > peildatum).sum()),
        "missing_307": int((p["missing_307"] & has305).sum()),
        "toewijzing_zonder_305": int(((p["kind"] == NOSHOW) & has301).sum()),
        "voided_toewijzingen": int(((p["kind"] == VOIDED) & has301).sum()),
        "expected_zonder_start": int(zonder_start.sum()),
        "expected_zonder_stop": int(zonder_stop.sum()),
    }


def volumes(p: Table, years: range, cutoff: int) -> dict[str, dict[str, int]]:
    """Jeugd trajectories and Wmo clients with care in each year (ground truth)."""
    started = (p["begin"] != NA) & (p["begin"] <= cutoff)
    out: dict[str, dict[str, int]] = {}
    for y in years:
        a, z = day(f"{y}-01-01"), day(f"{y}-12-31")
        act = started & (p["begin"] <= z) & (np.minimum(p["ec"], cutoff) >= a)
        j = act & (p["dom"] == 0)
        w = act & (p["dom"] == 1)
        out[str(y)] = {
            "jeugd_trajecten": int(np.unique(p["traj"][j]).size),
            "jeugd_clienten": int(np.unique(p["client"][j]).size),
            "wmo_trajecten": int(np.unique(p["traj"][w]).size),
            "wmo_clienten": int(np.unique(p["client"][w]).size),
        }
    return out
