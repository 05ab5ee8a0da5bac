"""Inject a small, counted number of faults into the message rows.

Every fault sits in a row of its own: copies of real messages with a new bericht_id carry an
invalid BSN, an unknown product code, an unparsable date or an unknown gemeente (as if the
message was rejected and then resent correctly), 307s with a stop before start replace the real
stop of a toewijzing that is still valid at the peildatum, and duplicates are exact copies.
"""

from __future__ import annotations

import numpy as np

from sample_data.bsn import break_bsn
from sample_data.dates import OPEN
from sample_data.messages import DATE_COLS
from sample_data.periods import ENDED
from sample_data.reference import ONBEKENDE_GEMEENTEN, ONBEKENDE_PRODUCTEN
from sample_data.trajectories import Table, concat, take

(
    OK,
    INVALID_BSN,
    UNKNOWN_PRODUCT,
    UNPARSABLE_DATE,
    UNKNOWN_GEMEENTE,
    STOP_BEFORE_START,
    DUPLICATE,
) = range(7)
FAULT_NAMES = {
    INVALID_BSN: "invalid_bsn",
    UNKNOWN_PRODUCT: "unknown_product",
    UNPARSABLE_DATE: "unparsable_date",
    UNKNOWN_GEMEENTE: "unknown_gemeente",
    STOP_BEFORE_START: "stop_before_start",
    DUPLICATE: "duplicate_rows",
}
RATES = {
    INVALID_BSN: 0.003,
    UNKNOWN_PRODUCT: 0.002,
    UNPARSABLE_DATE: 0.002,
    UNKNOWN_GEMEENTE: 0.001,
    STOP_BEFORE_START: 0.01,  # of the eligible 307s
    DUPLICATE: 0.004,
}


def _pick(rng: np.random.Generator, eligible: np.ndarray, rate: float) -> np.ndarray:
    """Indices of a binomial number of eligible rows, in ascending order."""
    cands = np.flatnonzero(eligible)
    k = int(rng.binomial(cands.size, rate)) if cands.size else 0
    return np.sort(rng.choice(cands, size=k, replace=False)) if k else np.empty(0, np.int64)


def add_fault_columns(rows: Table) -> Table:
    n = rows["soort"].size
    rows["fault"] = np.zeros(n, dtype=np.int8)
    rows["bad_bsn"] = np.full(n, -1, dtype=np.int64)
    rows["bad_col"] = np.full(n, -1, dtype=np.int8)
    return rows


def inject_copies(
    rng: np.random.Generator,
    rows: Table,
    bsn: np.ndarray,
    n_gem: int,
    n_prod: int,
    csv_rows: np.ndarray,
) -> Table:
    """Append faulty copies (new message keys); csv_rows marks rows that go to a CSV file."""
    base = (rows["fault"] == OK) & (rows["corr"] == 0)
    has_client = rows["client"] >= 0
    copies = []
    next_msg = int(rows["msg"].max()) + 1

    def copy(idx: np.ndarray, fault: int) -> Table:
        nonlocal next_msg
        c = take(rows, idx)
        c["fault"] = np.full(idx.size, fault)
        c["line"] = np.zeros(idx.size, dtype=np.int64)
        c["msg"] = np.arange(next_msg, next_msg + idx.size)
        next_msg += idx.size
        return c

    main_types = np.isin(rows["soort"], [301, 305, 307, 315])
    idx = _pick(rng, base & has_client & main_types, RATES[INVALID_BSN])
    c = copy(idx, INVALID_BSN)
    c["bad_bsn"] = break_bsn(rng, bsn[c["client"]])
    copies.append(c)

    idx = _pick(rng, base & np.isin(rows["soort"], [301, 305, 307]), RATES[UNKNOWN_PRODUCT])
    c = copy(idx, UNKNOWN_PRODUCT)
    c["prod"] = n_prod + rng.integers(0, len(ONBEKENDE_PRODUCTEN), idx.size)
    copies.append(c)

    idx = _pick(rng, base & has_client & main_types & csv_rows, RATES[UNPARSABLE_DATE])
    c = copy(idx, UNPARSABLE_DATE)
    col = np.where(
        c["soort"] == 305,
        DATE_COLS.index("begin"),
        np.where(c["soort"] == 307, DATE_COLS.index("eindzorg"), DATE_COLS.index("dag")),
    )
    c["bad_col"] = np.where(
        (c["soort"] == 301) & (rng.random(idx.size) < 0.5), DATE_COLS.index("ingang"), col
    )
    copies.append(c)

    idx = _pick(rng, base & has_client & main_types, RATES[UNKNOWN_GEMEENTE])
    c = copy(idx, UNKNOWN_GEMEENTE)
    c["gem"] = n_gem + rng.integers(0, len(ONBEKENDE_GEMEENTEN), idx.size)
    copies.append(c)
    return concat([rows, *copies])


def stop_before_start(rng: np.random.Generator, rows: Table, periods: Table, cutoff: int) -> None:
    """Make a few 307s end before they begin, where the toewijzing is valid past the cutoff."""
    per = np.maximum(rows["per"], 0)
    valid_after = (periods["e_final"][per] == OPEN) | (periods["e_final"][per] > cutoff)
    eligible = (rows["soort"] == 307) & (rows["fault"] == OK) & (rows["corr"] == 0)
    eligible &= (rows["per"] >= 0) & (periods["kind"][per] == ENDED) & valid_after
    idx = _pick(rng, eligible, RATES[STOP_BEFORE_START])
    rows["eindzorg"][idx] = rows["begin"][idx] - rng.integers(1, 31, idx.size)
    rows["fault"][idx] = STOP_BEFORE_START


def duplicates(rng: np.random.Generator, rows: Table) -> Table:
    """Exact copies of some rows (one extra copy, sometimes two); same bericht_id."""
    idx = _pick(rng, (rows["fault"] == OK) & (rows["corr"] == 0), RATES[DUPLICATE])
    twice = idx[rng.random(idx.size) < 0.1]
    extra = np.concatenate([idx, twice])
    c = take(rows, extra)
    c["fault"] = np.full(extra.size, DUPLICATE)
    return concat([rows, c])


def count_faults(rows: Table) -> dict[str, int]:
    """Rows per fault kind (for duplicate_rows: the number of extra copies)."""
    return {name: int((rows["fault"] == code).sum()) for code, name in FAULT_NAMES.items()}
