"""Turn periods (toewijzingen) into message rows: 315, 301, 305, 307, 317 and 319."""

from __future__ import annotations

import numpy as np

from sample_data.dates import (
    NA,
    OPEN,
    message_date,
    on_time,
    unambiguous,
    weekday_on_or_after,
    weekday_on_or_before,
)
from sample_data.periods import (
    CONV_NEW,
    CONVERTED,
    ENDED,
    HANDED_OVER,
    HANDOVER_NEW,
    NOSHOW,
    OVERSTAP,
    REISSUE_NEW,
    VOIDED,
)
from sample_data.providers import Providers
from sample_data.reference import SUBSEGMENTEN
from sample_data.trajectories import T7, Table, Window, concat

COLS = (
    "soort",
    "dom",
    "dag",
    "gem",
    "prov",
    "client",
    "per",
    "prod",
    "ingang",
    "eind",
    "begin",
    "eindzorg",
    "rw",
    "rb",
    "status",
    "antwoord",
    "ref",
    "msg",
    "line",
    "opm",
    "corr",
)
DATE_COLS = ("dag", "ingang", "eind", "begin", "eindzorg")
# compact storage of the row columns (int32 unless listed)
ROW_DTYPES = {
    "soort": np.int16,
    "dom": np.int8,
    "rw": np.int8,
    "rb": np.int8,
    "status": np.int8,
    "antwoord": np.int8,
    "line": np.int8,
    "opm": np.int8,
    "corr": np.int8,
    "msg": np.int64,
}
# opmerking codes (only written where a file carries the extra column)
OPM_TEXT = {
    1: "conversie 1-7-2022",
    2: "overdracht niet-gecontracteerde aanbieder",
    3: "correctie",
    4: "toewijzing ten onrechte verstuurd",
}
# corr: 1 = original later cancelled, 2 = the cancelling message (status 3), 3 = its replacement

P_CORRECTION = 0.004
P_MISSING_307 = 0.006
P_REJECTED_317 = 0.008


class RowBuilder:
    """Collects blocks of message rows; every block gets fresh message keys unless given."""

    def __init__(self) -> None:
        self.blocks: list[Table] = []
        self.next_msg = 0

    def new_msgs(self, n: int) -> np.ndarray:
        out = np.arange(self.next_msg, self.next_msg + n, dtype=np.int64)
        self.next_msg += n
        return out

    def add(self, n: int, **cols: np.ndarray | int) -> np.ndarray:
        block: Table = {}
        for c in COLS:
            v = cols.get(c, NA if c in DATE_COLS else 0 if c == "corr" else -1)
            block[c] = np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy()
        if "msg" not in cols:
            block["msg"] = self.new_msgs(n)
        if "line" not in cols:
            block["line"] = np.zeros(n, dtype=np.int64)
        self.blocks.append(block)
        return block["msg"]

    def table(self) -> Table:
        return concat(self.blocks)


def _u(rng: np.random.Generator, lo: int, hi: int, n: int) -> np.ndarray:
    """Uniform integers in [lo, hi]."""
    return rng.integers(lo, hi + 1, n)


def _heavier_code() -> np.ndarray:
    out = np.arange(len(SUBSEGMENTEN))
    for i, s in enumerate(SUBSEGMENTEN):
        for j, o in enumerate(SUBSEGMENTEN):
            if o.segment == s.segment and o.zwaarte == s.zwaarte + 1:
                out[i] = j
    return out


def build_messages(
    rng: np.random.Generator, p: Table, prov: Providers, n_gem: int, win: Window
) -> tuple[Table, Table]:
    """Message rows for all periods; returns (rows, periods with derived dates added)."""
    cutoff = win.cutoff
    n = p["sub"].size
    rb = RowBuilder()
    gem_late = rng.uniform(0.02, 0.12, n_gem)
    dom, L, ingang, begin, ec, kind = p["dom"], p["L"], p["ingang"], p["begin"], p["ec"], p["kind"]
    who = {"dom": dom, "gem": p["gem"], "prov": p["prov"], "client": p["client"]}
    e0 = np.where(L > 0, ingang + L - 1, OPEN)
    e0_out = np.where(L > 0, e0, NA)
    partner = np.where(
        np.isin(p["origin"], [CONV_NEW, HANDOVER_NEW, REISSUE_NEW]), p["per"] - 1, -1
    )

    # ---------------------------------------------------------------- 315 and first 301
    p315 = np.where(dom == 0, 0.65, 0.35)
    p315 = np.where(p["origin"] == OVERSTAP, 0.5, p315)
    p315 = np.where(p["origin"] == HANDOVER_NEW, 0.4, p315)
    has315 = p["first"] & (rng.random(n) < p315)
    retro = rng.random(n) < 0.2
    req = np.where(
        retro,
        weekday_on_or_after(ingang + _u(rng, 1, 10, n)),
        weekday_on_or_before(ingang - _u(rng, 0, 21, n)),
    )
    answer = unambiguous(req, message_date(rng, req, gem_late[p["gem"]]))
    d301 = np.where(has315, answer, weekday_on_or_before(ingang - _u(rng, 0, 14, n)))
    d301 = np.where(np.isin(p["origin"], [CONV_NEW, REISSUE_NEW]), p["aux_day"], d301)
    m = has315
    rb.add(
        int(m.sum()),
        soort=315,
        dag=req[m],
        **{k: v[m] for k, v in who.items()},
        prod=p["prod"][m],
        ingang=ingang[m],
        eind=e0_out[m],
        ref=p["per"][m],
    )

    # ---------------------------------------------------------------- verlengingen (and 317)
    started = (begin != NA) & (begin <= cutoff)
    cover = np.where(ec <= cutoff, ec, cutoff + 1)
    need = started & (L > 0) & (cover > e0)
    n_ext = np.where(need, -(-(cover - e0) // np.maximum(L, 1)), 0)
    idx = np.repeat(np.arange(n), n_ext)
    j = np.arange(idx.size) - np.repeat(np.cumsum(n_ext) - n_ext, n_ext) + 1
    prev_end = e0[idx] + (j - 1) * L[idx]
    new_end = prev_end + L[idx]
    vdag = weekday_on_or_before(prev_end - _u(rng, 3, 25, idx.size))
    vdag = np.maximum(vdag, d301[idx] + 1)
    with317 = rng.random(idx.size) < 0.2
    next_ref = n
    ref317 = np.where(with317, next_ref + np.arange(idx.size), -1)
    next_ref += idx.size
    m = with317
    d317 = weekday_on_or_before(np.maximum(vdag[m] - _u(rng, 3, 12, int(m.sum())), d301[idx[m]]))
    d317 = np.minimum(d317, vdag[m])
    wm = {k: v[idx[m]] for k, v in who.items()}
    rb.add(
        int(m.sum()),
        soort=317,
        dag=d317,
        **wm,
        per=idx[m],
        ingang=ingang[idx[m]],
        eind=new_end[m],
        ref=ref317[m],
    )
    in_onderzoek = rng.random(d317.size) < 0.1
    k = in_onderzoek
    rb.add(
        int(k.sum()),
        soort=319,
        dag=np.minimum(on_time(rng, d317[k]), vdag[m][k]),
        dom=wm["dom"][k],
        gem=wm["gem"][k],
        prov=wm["prov"][k],
        antwoord=2,
        ref=ref317[m][k],
    )
    # before the extract's start only the last verlenging of a toewijzing is kept
    next_same = np.append(idx[1:] == idx[:-1], False)
    next_vdag = np.append(vdag[1:], OPEN)
    visible = (vdag >= win.start) | ~next_same | (next_vdag >= win.start)
    m = visible
    rb.add(
        int(m.sum()),
        soort=301,
        dag=vdag[m],
        **{k: v[idx[m]] for k, v in who.items()},
        per=idx[m],
        prod=p["prod"][idx[m]],
        ingang=ingang[idx[m]],
        eind=new_end[m],
        rw=4,
        ref=ref317[m],
    )
    e_sched = np.where(L > 0, e0 + n_ext * L, OPEN)

    # ---------------------------------------------------------------- end adjustments (301)
    e_final = e_sched.copy()
    first_msg = np.full(n, -1)
    m = kind == CONVERTED
    first_msg[m] = rb.add(
        int(m.sum()),
        soort=301,
        dag=p["aux_day"][m],
        **{k: v[m] for k, v in who.items()},
        per=p["per"][m],
        prod=p["prod"][m],
        ingang=ingang[m],
        eind=ec[m],
        rw=10,
        opm=1,
    )
    e_final[m] = ec[m]
    m = kind == HANDED_OVER
    hdag = np.maximum(weekday_on_or_before(ec[m] + 1 - _u(rng, 1, 14, int(m.sum()))), d301[m] + 1)
    rb.add(
        int(m.sum()),
        soort=301,
        dag=hdag,
        **{k: v[m] for k, v in who.items()},
        per=p["per"][m],
        prod=p["prod"][m],
        ingang=ingang[m],
        eind=ec[m],
        rw=3,
        opm=2,
    )
    e_final[m] = ec[m]
    m = kind == VOIDED
    first_msg[m] = rb.add(
        int(m.sum()),
        soort=301,
        dag=p["aux_day"][m],
        **{k: v[m] for k, v in who.items()},
        per=p["per"][m],
        prod=p["prod"][m],
        ingang=ingang[m],
        eind=ingang[m],
        rw=13,
        opm=4,
    )
    e_final[m] = ingang[m]
    rw, dag_adj = _end_adjustment(rng, p, e_sched, d301)
    m = rw > 0
    rb.add(
        int(m.sum()),
        soort=301,
        dag=dag_adj[m],
        **{k: v[m] for k, v in who.items()},
        per=p["per"][m],
        prod=p["prod"][m],
        ingang=ingang[m],
        eind=ec[m],
        rw=rw[m],
    )
    e_final[m] = ec[m]

    # ---------------------------------------------------------------- first 301 of each period
    msg = rb.new_msgs(n)
    line = np.zeros(n, dtype=np.int64)
    pm = partner >= 0
    shared = pm & (first_msg[np.maximum(partner, 0)] >= 0)
    shared &= p["prov"] == p["prov"][np.maximum(partner, 0)]
    msg = np.where(shared, first_msg[np.maximum(partner, 0)], msg)
    line[shared] = 1
    opm = np.select(
        [p["origin"] == CONV_NEW, p["origin"] == HANDOVER_NEW, p["origin"] == REISSUE_NEW],
        [1, 2, 1],
        -1,
    )
    rb.add(
        n,
        soort=301,
        dag=d301,
        **who,
        per=p["per"],
        prod=p["prod"],
        ingang=ingang,
        eind=e0_out,
        ref=np.where(has315, p["per"], -1),
        msg=msg,
        line=line,
        opm=opm,
    )

    # ---------------------------------------------------------------- 305
    p_late = prov.p_late[p["prov"]]
    b = np.where(started, begin, 0)
    d305 = unambiguous(b, np.maximum(message_date(rng, b, p_late), d301))
    corr305 = started & (d305 <= cutoff - 60) & (p["origin"] != CONV_NEW)
    corr305 &= rng.random(n) < P_CORRECTION
    _start_stop_rows(rng, rb, 305, started, corr305, p, who, d305, begin, ec, ingang)

    # ---------------------------------------------------------------- 307
    stops = np.isin(kind, [ENDED, CONVERTED, HANDED_OVER]) & (ec <= cutoff)
    missing = (kind == ENDED) & (L > 0) & (e_final <= cutoff - 30) & stops
    missing &= rng.random(n) < P_MISSING_307
    stops &= ~missing
    e = np.where(stops, ec, 0)
    d307 = unambiguous(e, np.maximum(message_date(rng, e, p_late), d305))
    corr307 = stops & (d307 <= cutoff - 60) & (kind == ENDED) & (rng.random(n) < P_CORRECTION)
    reden = np.where(kind == ENDED, p["reden"], 36)
    _start_stop_rows(rng, rb, 307, stops, corr307, p, who, d307, begin, ec, ingang, reden)

    # ---------------------------------------------------------------- rejected 317 (new product)
    long_enough = (ec - begin > 60) & started & (ingang >= T7)
    m = long_enough & (rng.random(n) < P_REJECTED_317)
    d = weekday_on_or_before(begin[m] + _u(rng, 20, 60, int(m.sum())))
    ok = d <= np.minimum(ec[m], cutoff)
    sel = np.flatnonzero(m)[ok]
    d = d[ok]
    refs = next_ref + np.arange(sel.size)
    next_ref += sel.size
    gewenst = d + 14
    rb.add(
        sel.size,
        soort=317,
        dag=d,
        **{k: v[sel] for k, v in who.items()},
        prod=_heavier_code()[p["sub"][sel]],
        ingang=gewenst,
        eind=gewenst + 181,
        ref=refs,
    )
    rb.add(
        sel.size,
        soort=319,
        dag=message_date(rng, d, np.full(sel.size, 0.1)),
        dom=dom[sel],
        gem=p["gem"][sel],
        prov=p["prov"][sel],
        antwoord=1,
        ref=refs,
    )

    rows = rb.table()
    keep = rows["dag"] <= cutoff
    keep &= ~np.isin(rows["soort"], [315, 317, 319]) | (rows["dag"] >= win.start)
    rows = {k: v[keep].astype(ROW_DTYPES.get(k, np.int32)) for k, v in rows.items()}
    p = dict(p)
    p.update(d301=d301, e_final=e_final, missing_307=missing, noshow=kind == NOSHOW)
    return rows, p


def _end_adjustment(
    rng: np.random.Generator, p: Table, e_sched: np.ndarray, d301: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A 301 that ends the toewijzing at the real end of care (reden wijziging by reden stop)."""
    n = p["sub"].size
    dom, r, ec = p["dom"], p["reden"], p["ec"]
    ended = (p["kind"] == ENDED) & ((e_sched == OPEN) | (e_sched > ec))
    jeugd, wmo = dom == 0, dom == 1
    # (mask, reden wijziging, probability, earliest offset, latest offset)
    rules = [
        (r == 38, 9, 0.9, -10, 0),
        (r == 2, 2, 0.7, 2, 20),
        ((jeugd & (r == 35)) | (wmo & (r == 31)), 7, 0.6, 0, 15),
        (r == 39, 6, 0.6, 0, 20),
        ((jeugd & np.isin(r, [32, 33, 34])) | (wmo & np.isin(r, [21, 22, 23])), 5, 0.4, 1, 25),
        (r == 36, 5, 0.9, -10, 0),
        (r == 37, 12, 0.6, 0, 10),
        ((jeugd & (r == 31)) | (wmo & (r == 19)), 5, 0.2, 1, 20),
    ]
    rw = np.full(n, -1)
    dag = np.full(n, NA)
    u = rng.random(n)
    for mask, code, prob, lo, hi in rules:
        m = ended & mask & (u < prob) & (rw < 0)
        rw[m] = code
        dag[m] = ec[m] + _u(rng, lo, hi, int(m.sum()))
    dag = np.where(rw > 0, np.maximum(weekday_on_or_after(np.where(rw > 0, dag, 0)), d301 + 1), NA)
    return rw, dag


def _start_stop_rows(
    rng: np.random.Generator,
    rb: RowBuilder,
    soort: int,
    mask: np.ndarray,
    corr: np.ndarray,
    p: Table,
    who: Table,
    dag: np.ndarray,
    begin: np.ndarray,
    ec: np.ndarray,
    ingang: np.ndarray,
    reden: np.ndarray | None = None,
) -> None:
    """305 or 307 rows; a few are sent with a wrong date, cancelled (status 3) and resent."""

    def rows(m: np.ndarray, dag_m: np.ndarray, begin_m: np.ndarray, ec_m: np.ndarray, **kw) -> None:
        extra = {"eindzorg": ec_m, "rb": reden[m]} if soort == 307 else {}
        rb.add(
            int(m.sum()),
            soort=soort,
            dag=dag_m,
            **{k: v[m] for k, v in who.items()},
            per=p["per"][m],
            prod=p["prod"][m],
            ingang=ingang[m],
            begin=begin_m,
            **extra,
            **kw,
        )

    normal = mask & ~corr
    rows(normal, dag[normal], begin[normal], ec[normal], status=1)
    m = mask & corr
    k = int(m.sum())
    if k == 0:
        return
    shift = rng.integers(1, 11, k) * np.where(rng.random(k) < 0.5, -1, 1)
    if soort == 305:
        wrong_b, wrong_e = begin[m] + shift, ec[m]
        true_day = begin[m]
    else:
        wrong_e = ec[m] + shift
        wrong_e = np.where(wrong_e < begin[m], ec[m] + 3, wrong_e)
        wrong_b = begin[m]
        true_day = ec[m]
    cancel_dag = weekday_on_or_after(dag[m] + rng.integers(5, 31, k))
    rows(m, dag[m], wrong_b, wrong_e, status=1, corr=1)
    rows(m, cancel_dag, wrong_b, wrong_e, status=3, corr=2, opm=3)
    rows(m, unambiguous(true_day, cancel_dag), begin[m], ec[m], status=1, corr=3, opm=3)
