"""The unit set `prognose`: one row per contract valid in the period, with its forecast.

A contract is (aanbieder, gemeente, sub-segment, geldig_van) as in `contracten`; its piece of
the period is its validity within the period. The forecast is made on the Bron's peildatum P:

- realised zorgdagen and zorgkosten up to P: the unit set `contractmaanden` (so they are the
  benutting and zorgkosten KPIs' figures);
- expected zorgdagen after P: the clients in care on P (sql/in_zorg.sql), each by the
  survival of its sub-segment given its days in care (kpi/prognose/methode.py), capped at its
  interval's last possible day (toewijzing einddatum) and the piece's end; plus the instroom
  at the contract's daily rate of the last 3 complete months, with the same survival;
- the survival: Kaplan–Meier per sub-segment over the zorgtrajecten of the 24 months up to P
  (sql/trajecten.sql), open ones censored at P, those begun earlier entering late; a
  sub-segment with fewer trajectories than the setting `prognose_min_trajecten` (normen.toml)
  gives its contracts no forecast (measures null but the realised ones, and `reden` says
  why);
- the voorschot: the unit set `voorschot` (paid, else derived from the contract), split into
  the months up to the peildatum's month and the months after it;
- plekken volgend jaar (Little's law) from the zorgtrajecten begun in the 12 months up to P.

The survival is always estimated over the whole warehouse: a filter or a provider scope
narrows the rows afterwards (Berekening.eenheden filters function unit sets), never the
history a forecast rests on.

A wider view (`waarden`, the engine's aggregation of the forecast KPIs, and
overzicht.per_groep) forecasts over the contracts of the view that have a forecast, every
figure over the same contracts (value, teller, noemer, interval), and says how many of how
many and why the others have none; a view without any has no value. So the forecast of a
region is the sum of its contracts' forecasts. The variances of the clients and the instroom
add up over contracts (independent given the curves).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from warehouse.schema import parameternamen

from kpi.aggregatie import GEEN, RESULTAAT_SCHEMA, aggregeer
from kpi.eenhedensets import Bron
from kpi.filters import DIMENSIES
from kpi.periode import Periode, laatste_dag
from kpi.prognose import methode
from kpi.prognose.methode import Overleving
from kpi.registry import Kpi

SQL_MAP = Path(__file__).with_name("sql")
VENSTER_MAANDEN = 24  # the survival's history
INSTROOM_MAANDEN = 3  # complete months for the instroom rate
LITTLE_MAANDEN = 12  # the flow for next year's plekken
STANDAARD_MINIMUM = 20  # prognose_min_trajecten when the norm file gives none
MEETKOLOM = pl.Decimal(38, 10)
_TIEN = Decimal("1e-10")
_CENT = Decimal("0.01")
_BLOK = 20_000  # clients per block of the (clients × days) matrix
_EPOCHE = date(1970, 1, 1).toordinal()  # a Date cast to Int64 counts days from here
_OPEN = 10**7  # day number of 'no end' (far beyond any date)

# Measures of a unit row (Decimal(38, 10)); null for a contract without forecast, except the
# realised ones and the instroom count.
MATEN = (
    "zorgdagen_gerealiseerd",
    "zorgdagen_verwacht",
    "zorgdagen_variantie",
    "plekdagen_periode",
    "zorgkosten_gerealiseerd",
    "zorgkosten_verwacht",
    "zorgkosten_variantie",
    "voorschot_betaald",
    "voorschot_rest",
    "voorschot_periode",
    "saldo_verwacht",
    "advies_rest",
    "voorschotadvies",
    "voorschotadvies_variantie",
    # the survival curve's own uncertainty (Greenwood), as a standard deviation: contracts of
    # one sub-segment share the curve, so a group adds these up within a sub-segment
    "zorgdagen_sd_kromme",
    "zorgkosten_sd_kromme",
    "voorschotadvies_sd_kromme",
    "volloopt",
    "contract",
    "plekken",
    "plekken_volgend_jaar",
    "plekken_variantie",
    "in_zorg_peildatum",
    "instroom_3m",
    "instroom_12m",
    "doorlooptijd_som",
    "opgegeven_dagen",
)
GEREALISEERD = ("zorgdagen_gerealiseerd", "zorgkosten_gerealiseerd")
OVERIG_SCHEMA: dict[str, Any] = {
    "geldig_van": pl.Date,
    "stuk_van": pl.Date,
    "stuk_tot": pl.Date,
    "volloop_datum": pl.Date,
    "resterende_maanden": pl.Int64,
    "trajecten_overleving": pl.Int64,
    "plekprijs": MEETKOLOM,
    "reden": pl.String,
}
MAAND_MATEN = (
    "zorgdagen_gerealiseerd",
    "zorgdagen_verwacht",
    "zorgdagen_variantie",
    "plekdagen",
    "zorgkosten_gerealiseerd",
    "zorgkosten_verwacht",
    "zorgkosten_variantie",
    "zorgdagen_sd_kromme",
    "zorgkosten_sd_kromme",
    "voorschot",
)


@dataclass(frozen=True)
class Prognose:
    """The forecast of one period on one peildatum, for every contract of the warehouse."""

    peildatum: date
    periode: Periode
    eenheden: pl.DataFrame  # one row per contract: standard columns, MATEN, OVERIG_SCHEMA
    maanden: pl.DataFrame  # per contract (eenheid) and month: cumulative to the month's end
    overleving: Mapping[str, Overleving] = field(default_factory=dict)  # per sub-segment
    minimum: int = STANDAARD_MINIMUM


# ------------------------------------------------------------------ small helpers


@lru_cache(maxsize=8)
def _sql(naam: str) -> str:
    return (SQL_MAP / f"{naam}.sql").read_text(encoding="utf-8")


def _query(bron: Bron, naam: str, **params: Any) -> pl.DataFrame:
    """Run kpi/prognose/sql/<naam>.sql with bind parameters on the Bron's cursor."""
    tekst = _sql(naam)
    frame = pl.from_arrow(
        bron.cur.execute(tekst, {k: params[k] for k in parameternamen(tekst)}).to_arrow_table()
    )
    assert isinstance(frame, pl.DataFrame)
    return frame


def maanden_terug(d: date, maanden: int) -> date:
    """The same day `maanden` months earlier (the month's last day where it is shorter)."""
    index = d.year * 12 + d.month - 1 - maanden
    jaar, maand = divmod(index, 12)
    return date(jaar, maand + 1, min(d.day, calendar.monthrange(jaar, maand + 1)[1]))


def venster(peildatum: date, maanden: int) -> tuple[date, date]:
    """The `maanden` months up to and including the peildatum: (first day, peildatum)."""
    return maanden_terug(peildatum, maanden) + timedelta(days=1), peildatum


def volledige_maanden(peildatum: date, maanden: int) -> tuple[date, date]:
    """The last `maanden` complete months on the peildatum: (first day, last day)."""
    eind = (
        peildatum
        if peildatum == laatste_dag(peildatum.year, peildatum.month)
        else (peildatum.replace(day=1) - timedelta(days=1))
    )
    index = eind.year * 12 + eind.month - maanden  # first month, 0-based month index
    jaar, maand = divmod(index, 12)
    return date(jaar, maand + 1, 1), eind


def _getal(x: Any) -> Decimal:
    """Any number (int, float, numpy, Decimal) as a Decimal; floats by their shortest repr."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int | np.integer):
        return Decimal(int(x))
    return Decimal(repr(float(x)))


def _dec(x: Any, stap: Decimal = _TIEN) -> Decimal | None:
    """A number rounded half up to `stap` (10 decimals, or cents); None stays None."""
    if x is None:
        return None
    return _getal(x).quantize(stap, rounding=ROUND_HALF_UP)


def _maandbegin(d: date) -> date:
    return d.replace(day=1)


def _maanden_tussen(van: date, tot: date) -> list[date]:
    """First days of the months from van's month to tot's month."""
    uit, m = [], _maandbegin(van)
    while m <= tot:
        uit.append(m)
        m = laatste_dag(m.year, m.month) + timedelta(days=1)
    return uit


def _geldig_van(eenheid: pl.Expr) -> pl.Expr:
    """The contract's geldig_van from a contract unit key 'aanbieder|gemeente|subsegment|
    geldig_van|maand' (contractmaanden, voorschot), counted from the end: a sub-segment's
    name may itself hold a '|'."""
    return eenheid.str.split("|").list.get(-2).str.to_date("%Y-%m-%d")


# ------------------------------------------------------------------ survival


def overleving_per_subsegment(
    trajecten: pl.DataFrame, peildatum: date, venster_van: date
) -> dict[str, Overleving]:
    """Kaplan–Meier per sub-segment over the trajectories of the window (methode.py)."""
    uit = {}
    p, w = peildatum.toordinal(), venster_van.toordinal()
    dagen = trajecten.select("subsegment", _dagnummer("begindatum"), _dagnummer("einde"))
    for (subsegment,), deel in dagen.group_by(["subsegment"], maintain_order=True):
        begin, einde = deel["begindatum"].to_numpy(), deel["einde"].to_numpy()
        geeindigd = einde <= p
        duur = np.where(geeindigd, einde - begin + 1, p - begin)
        instap = np.maximum(w - begin, 0)
        uit[str(subsegment)] = methode.kaplan_meier(duur, geeindigd, instap)
    return uit


# ------------------------------------------------------------------ the computation


def bereken_prognose(bron: Bron, periode: Periode) -> Prognose:
    """The forecast of `periode` on the Bron's peildatum, kept for the load (no filter or
    scope changes it)."""
    return bron.onthoud_per_lading(("prognose", periode), lambda: _bereken(bron, periode))


def prognose(bron: Bron, periode: Periode) -> pl.DataFrame:
    """The unit set `prognose` (kpi/functies.py): one row per contract valid in the period."""
    return bereken_prognose(bron, periode).eenheden


def met_prognose(rijen: pl.DataFrame) -> pl.DataFrame:
    """The unit rows of the contracts that have a forecast."""
    return rijen.filter(pl.col("reden").is_null())


def waarden(rijen: pl.DataFrame, kpi: Kpi, per: Sequence[str]) -> pl.DataFrame:
    """A forecast KPI's values per group of `per` (kpi/berekening.py): aggregated over the
    contracts with a forecast only, so that waarde, teller, noemer and n describe the same
    contracts; a group whose contracts have none has no value (waarde, teller and noemer
    null, n 0), as a selection without any (overzicht.per_groep says why)."""
    met = met_prognose(rijen)
    if not per:
        if met.is_empty():
            return pl.DataFrame([{"n": 0, "voorlopig": False}], schema=RESULTAAT_SCHEMA)
        return aggregeer(met, kpi, per)
    uit = aggregeer(met, kpi, per)
    sleutels = [pl.col(d).fill_null(GEEN) for d in per]
    zonder = rijen.select(sleutels).unique().join(uit.select(per), on=list(per), how="anti")
    if zonder.is_empty():
        return uit
    leeg = zonder.with_columns(n=pl.lit(0, pl.Int64), voorlopig=pl.lit(False))
    return (
        pl.concat([uit, leeg], how="diagonal_relaxed")
        .select(RESULTAAT_SCHEMA.keys())
        .cast(RESULTAAT_SCHEMA)  # type: ignore[arg-type]
        .sort(list(per), nulls_last=True)
    )


def _bereken(bron: Bron, periode: Periode) -> Prognose:
    p_datum = bron.peildatum
    p = p_datum.toordinal()
    minimum = int(bron.instellingen.get("prognose_min_trajecten", STANDAARD_MINIMUM))
    venster_van, _ = venster(p_datum, VENSTER_MAANDEN)
    trajecten = _query(bron, "trajecten", venster_van=venster_van, peildatum=p_datum)
    trajecten = trajecten.with_columns(b=_dagnummer("begindatum"), e=_dagnummer("einde"))
    overleving = overleving_per_subsegment(trajecten, p_datum, venster_van)

    stukken = (
        _query(bron, "contracten", van=periode.start, tot=periode.eind)
        .with_columns(
            stuk_van=pl.max_horizontal(pl.col("geldig_van"), pl.lit(periode.start)),
            stuk_tot=pl.min_horizontal(pl.col("geldig_tot"), pl.lit(periode.eind)),
        )
        .sort(*DRIELING, "geldig_van")
        .with_row_index("i")
        .with_columns(pl.col("i").cast(pl.Int64))
    )
    if stukken.is_empty():
        return Prognose(p_datum, periode, _leeg_eenheden(), _lege_maanden(), overleving, minimum)
    t = _Tijdas.maak(stukken, periode, p)
    sub_c = stukken["subsegment"].to_list()
    heeft = np.array(
        [s in overleving and overleving[s].trajecten >= minimum for s in sub_c], dtype=bool
    )
    per_drieling: dict[tuple, list[int]] = {}
    for i, k in enumerate(stukken.select(DRIELING).iter_rows()):
        per_drieling.setdefault(k, []).append(i)

    toekomst = _Toekomst.leeg(stukken.height, t)
    zorg = _query(bron, "in_zorg", peildatum=p_datum)
    _voorraad(toekomst, zorg, per_drieling, sub_c, heeft, overleving, t)
    instroom3 = _instroom(toekomst, trajecten, p_datum, per_drieling, sub_c, heeft, overleving, t)
    _kromme(toekomst, zorg, per_drieling, sub_c, heeft, overleving, t, instroom3, p_datum)
    real, voorschot = _realisatie_en_voorschot(bron, periode, stukken, t)
    little = _little(trajecten, p_datum, overleving, per_drieling, t)
    return _samengesteld(
        p_datum, periode, stukken, t, toekomst, heeft, instroom3, real, voorschot, little,
        overleving, minimum,
    )  # fmt: skip


DRIELING = ["aanbieder", "gemeente", "subsegment"]


def _dagnummer(kolom: str) -> pl.Expr:
    """A date column as day numbers (date.toordinal()); null (open ended) as a large number."""
    return (pl.col(kolom).cast(pl.Int64) + _EPOCHE).fill_null(_OPEN)


@dataclass(frozen=True)
class _Tijdas:
    """The days after the peildatum and the contract pieces' windows, as day numbers."""

    p: int  # the peildatum
    van: np.ndarray  # per piece: first day
    tot: np.ndarray  # per piece: last day
    toekomst_van: np.ndarray  # per piece: first day still to come (after p)
    dagen: np.ndarray  # p + 1 .. the last piece's end
    maanden: list[date]  # first days of the period's months
    maand_tot: np.ndarray  # per piece and month: last day of the cumulative window (or < van)

    @classmethod
    def maak(cls, stukken: pl.DataFrame, periode: Periode, p: int) -> _Tijdas:
        van = stukken.select(_dagnummer("stuk_van"))["stuk_van"].to_numpy()
        tot = stukken.select(_dagnummer("stuk_tot"))["stuk_tot"].to_numpy()
        dagen = np.arange(p + 1, max(int(tot.max()), p + 1) + 1, dtype=np.int64)
        maanden = _maanden_tussen(periode.start, periode.eind)
        einden = np.array([laatste_dag(m.year, m.month).toordinal() for m in maanden])
        return cls(
            p, van, tot, np.maximum(van, p + 1), dagen, maanden,
            np.minimum(einden[None, :], tot[:, None]),
        )  # fmt: skip

    def index(self, dag: np.ndarray) -> np.ndarray:
        """Column of `dagen` for day numbers (−1 before the first day after p)."""
        return np.where(dag > self.p, np.minimum(dag - self.p - 1, self.dagen.size - 1), -1)


@dataclass
class _Toekomst:
    """Per piece the expected days after the peildatum, their variance, the expected
    clients in care per day, and the same for the cumulative month windows."""

    verwacht: np.ndarray
    variantie: np.ndarray
    curve: np.ndarray  # pieces × dagen
    maand_verwacht: np.ndarray  # pieces × months
    maand_variantie: np.ndarray
    in_zorg_peildatum: np.ndarray
    sd_kromme: np.ndarray  # the curve's own uncertainty (Greenwood), per piece
    maand_sd_kromme: np.ndarray  # pieces × months

    @classmethod
    def leeg(cls, n: int, t: _Tijdas) -> _Toekomst:
        m = len(t.maanden)
        return cls(
            np.zeros(n), np.zeros(n), np.zeros((n, t.dagen.size)), np.zeros((n, m)),
            np.zeros((n, m)), np.zeros(n), np.zeros(n), np.zeros((n, m)),
        )  # fmt: skip


def _op(som: np.ndarray, kwadraat: np.ndarray, kolom: np.ndarray) -> tuple[np.ndarray, ...]:
    """(E, var) per row at column `kolom` of the cumulative sums (0 where kolom < 0)."""
    rij = np.arange(som.shape[0])
    geldig = kolom >= 0
    k = np.maximum(kolom, 0)
    e = np.where(geldig, som[rij, k], 0.0)
    e2 = np.where(geldig, kwadraat[rij, k], 0.0)
    return e, np.maximum(e2 - e**2, 0.0)


def _voorraad(
    toekomst: _Toekomst,
    zorg: pl.DataFrame,
    per_drieling: Mapping[tuple, list[int]],
    sub_c: list[str],
    heeft: np.ndarray,
    overleving: Mapping[str, Overleving],
    t: _Tijdas,
) -> None:
    """(a) The clients in care on the peildatum, each in each piece of its contract."""
    stuk, rij = [], []
    for j, k in enumerate(zorg.select(DRIELING).iter_rows()):
        for i in per_drieling.get(k, ()):
            stuk.append(i)
            rij.append(j)
    if not stuk:
        return
    s_idx, z_idx = np.array(stuk), np.array(rij)
    op_p = (t.van[s_idx] <= t.p) & (t.tot[s_idx] >= t.p)
    np.add.at(toekomst.in_zorg_peildatum, s_idx[op_p], 1.0)
    z = zorg.select(_dagnummer("traject_begin"), _dagnummer("einde"))
    begin, einde = z["traject_begin"].to_numpy()[z_idx], z["einde"].to_numpy()[z_idx]
    subs = np.array(sub_c, dtype=object)[s_idx]
    n = heeft.size
    for sub in np.unique(subs):
        kies = np.flatnonzero(subs == sub)
        if not heeft[s_idx[kies[0]]]:
            continue  # no forecast in this sub-segment
        for blok in range(0, kies.size, _BLOK):
            r = kies[blok : blok + _BLOK]
            s = s_idx[r]
            laatste = np.minimum(einde[r], t.tot[s])
            kansen = methode.kansen_in_zorg(
                overleving[sub], begin[r], t.p - begin[r], laatste, t.dagen
            )
            som, kwadraat = methode.cumulatieve_sommen(kansen, t.dagen, t.toekomst_van[s])
            e, v = _op(som, kwadraat, t.index(t.tot[s]))
            toekomst.verwacht += np.bincount(s, e, n)
            toekomst.variantie += np.bincount(s, v, n)
            for m in range(len(t.maanden)):
                e, v = _op(som, kwadraat, t.index(t.maand_tot[s, m]))
                toekomst.maand_verwacht[:, m] += np.bincount(s, e, n)
                toekomst.maand_variantie[:, m] += np.bincount(s, v, n)
            volgorde = np.argsort(s, kind="stable")
            uniek, begin_groep = np.unique(s[volgorde], return_index=True)
            dagelijks = np.where(t.dagen[None, :] >= t.toekomst_van[s][:, None], kansen, 0.0)
            toekomst.curve[uniek] += np.add.reduceat(dagelijks[volgorde], begin_groep, axis=0)


def _instroom(
    toekomst: _Toekomst,
    trajecten: pl.DataFrame,
    peildatum: date,
    per_drieling: Mapping[tuple, list[int]],
    sub_c: list[str],
    heeft: np.ndarray,
    overleving: Mapping[str, Overleving],
    t: _Tijdas,
) -> np.ndarray:
    """(b) New instroom at each contract's daily rate of the last 3 complete months.
    Returns the count per piece (the zorgtrajecten begun in those months)."""
    van, tot = volledige_maanden(peildatum, INSTROOM_MAANDEN)
    dagen_telling = (tot - van).days + 1
    begonnen = trajecten.filter(pl.col("begindatum").is_between(van, tot))
    telling = {(a, g, s): c for a, g, s, c in begonnen.group_by(DRIELING).len().iter_rows()}
    per_eenheid: dict[tuple, tuple[float, float]] = {}

    def eenheid(sub: str, v: int, w: int) -> tuple[float, float]:
        if (sub, v, w) not in per_eenheid:
            per_eenheid[sub, v, w] = methode.instroom_per_eenheid(overleving[sub], t.p, v, w)
        return per_eenheid[sub, v, w]

    aantallen = np.zeros(heeft.size)
    cumulatief: dict[str, np.ndarray] = {}
    for k, stukken in per_drieling.items():
        aantal = telling.get(k, 0)
        for i in stukken:
            aantallen[i] = aantal
            # a count of 0 still carries the rate's uncertainty (methode.instroom_variantie)
            if not heeft[i] or t.toekomst_van[i] > t.tot[i]:
                continue
            sub = sub_c[i]
            rate = aantal / dagen_telling  # zorgtrajecten begun a day
            a, b = eenheid(sub, int(t.toekomst_van[i]), int(t.tot[i]))
            toekomst.verwacht[i] += rate * a
            toekomst.variantie[i] += methode.instroom_variantie(rate, aantal, dagen_telling, a, b)
            for m in range(len(t.maanden)):
                a, b = eenheid(sub, int(t.toekomst_van[i]), int(t.maand_tot[i, m]))
                toekomst.maand_verwacht[i, m] += rate * a
                toekomst.maand_variantie[i, m] += methode.instroom_variantie(
                    rate, aantal, dagen_telling, a, b
                )
            if sub not in cumulatief:  # in care on p + 1 + j: S(0) + ... + S(j)
                cumulatief[sub] = overleving[sub].cumulatief(t.dagen.size)
            binnen = (t.dagen >= t.toekomst_van[i]) & (t.dagen <= t.tot[i])
            toekomst.curve[i] += np.where(binnen, rate * cumulatief[sub], 0.0)
    return aantallen


def _kromme(
    toekomst: _Toekomst,
    zorg: pl.DataFrame,
    per_drieling: Mapping[tuple, list[int]],
    sub_c: list[str],
    heeft: np.ndarray,
    overleving: Mapping[str, Overleving],
    t: _Tijdas,
    aantallen: np.ndarray,
    peildatum: date,
) -> None:
    """The survival curve's own uncertainty per piece and cumulative month window: Greenwood
    by the delta method (methode.greenwood_variantie). The clients in care and the instroom
    of one piece share the curve, so their weights a(j) add up before squaring."""
    van3, tot3 = volledige_maanden(peildatum, INSTROOM_MAANDEN)
    dagen_telling = (tot3 - van3).days + 1
    einden = np.concatenate([t.tot[:, None], t.maand_tot], axis=1)  # window ends per piece
    variantie = np.zeros(einden.shape)
    stuk, rij = [], []
    for j, k in enumerate(zorg.select(DRIELING).iter_rows()):
        for i in per_drieling.get(k, ()):
            stuk.append(i)
            rij.append(j)
    s_idx, z_idx = np.array(stuk, dtype=np.int64), np.array(rij, dtype=np.int64)
    z = zorg.select(_dagnummer("traject_begin"), _dagnummer("einde"))
    begin_z, einde_z = z["traject_begin"].to_numpy(), z["einde"].to_numpy()
    subs = np.array(sub_c, dtype=object)
    staart: dict[tuple, np.ndarray] = {}
    for sub in np.unique(subs[heeft]) if heeft.any() else ():
        o = overleving[sub]
        g, lengte = o.greenwood, o.s.size
        if not g.any():
            continue
        stukken = np.flatnonzero((subs == sub) & heeft)
        lokaal = np.full(heeft.size, -1)
        lokaal[stukken] = np.arange(stukken.size)
        r = np.flatnonzero(lokaal[s_idx] >= 0) if s_idx.size else s_idx
        s = s_idx[r]
        if r.size:
            begin = begin_z[z_idx[r]]
            laatste = np.minimum(einde_z[z_idx[r]], t.tot[s])
            kansen = methode.kansen_in_zorg(o, begin, t.p - begin, laatste, t.dagen)
            kansen = np.where(t.dagen[None, :] >= t.toekomst_van[s][:, None], kansen, 0.0)
            # C(t) = expected days from day t on; a zero column for 'after the last day'
            rest = np.cumsum(kansen[:, ::-1], axis=1)[:, ::-1]
            rest = np.concatenate([rest, np.zeros((r.size, 1))], axis=1)
            hazard = t.dagen[None, :] - begin[:, None]  # the hazard of each day's weight
            binnen_kromme = hazard < lengte
        for w in range(einden.shape[1]):
            gewicht = np.zeros((stukken.size, lengte))
            if r.size:
                kolom = t.index(einden[s, w])  # −1: the window ends on or before P
                volgende = rest[np.arange(r.size), np.where(kolom >= 0, kolom + 1, -1)]
                a = np.where(
                    (t.dagen[None, :] <= einden[s, w][:, None]) & (kolom >= 0)[:, None],
                    rest[:, :-1] - volgende[:, None],
                    0.0,
                )
                geldig = binnen_kromme & (a > 0)
                plek = (lokaal[s][:, None] * lengte + hazard)[geldig]
                gewicht += np.bincount(plek, a[geldig], stukken.size * lengte).reshape(
                    stukken.size, lengte
                )
            for k, i in enumerate(stukken):
                if aantallen[i] == 0 or t.toekomst_van[i] > einden[i, w]:
                    continue
                sleutel = (sub, int(t.toekomst_van[i]), int(einden[i, w]))
                if sleutel not in staart:
                    staart[sleutel] = methode.instroom_staart(o, t.p, *sleutel[1:])
                gewicht[k] += aantallen[i] / dagen_telling * staart[sleutel]
            variantie[stukken, w] = methode.greenwood_variantie(o, gewicht)
    toekomst.sd_kromme[:] = np.sqrt(variantie[:, 0])
    toekomst.maand_sd_kromme[:] = np.sqrt(variantie[:, 1:])


@dataclass(frozen=True)
class _Geld:
    """Per piece: totals (exact) and per month (floats, for the charts)."""

    totaal: dict[int, tuple]  # i -> figures
    per_maand: np.ndarray  # pieces × months × figures


def _realisatie_en_voorschot(
    bron: Bron, periode: Periode, stukken: pl.DataFrame, t: _Tijdas
) -> tuple[_Geld, _Geld]:
    """(c) Realised zorgdagen and zorgkosten up to the peildatum (contractmaanden), and the
    voorschot (voorschot: paid, else from the contract) split at the peildatum's month."""
    sleutel = stukken.select("i", *DRIELING, "geldig_van")
    maand_nr = pl.DataFrame(
        {"maand": t.maanden, "m": list(range(len(t.maanden)))},
        schema={"maand": pl.Date, "m": pl.Int64},
    )

    def per_stuk(frame: pl.DataFrame) -> pl.DataFrame:
        return (
            frame.filter(pl.col("subsegment").is_not_null())
            .with_columns(geldig_van=_geldig_van(pl.col("eenheid")))
            .join(sleutel, on=[*DRIELING, "geldig_van"])
            .join(maand_nr, on="maand")
        )

    real = per_stuk(bron.sql("contractmaanden", periode.start, periode.eind))
    real_tot = real.group_by("i").agg(pl.col("zorgdagen").sum(), pl.col("zorgkosten").sum())
    real_maand = np.zeros((stukken.height, len(t.maanden), 2))
    for i, m, zd, zk in real.select("i", "m", "zorgdagen", "zorgkosten").iter_rows():
        real_maand[i, m] += (float(zd), float(zk))
    p_maand = _maandbegin(date.fromordinal(t.p))
    vs = per_stuk(bron.sql("voorschot", periode.start, periode.eind))
    vs_tot = vs.group_by("i").agg(
        pl.col("bedrag").filter(pl.col("maand") <= p_maand).sum().alias("betaald"),
        pl.col("bedrag").filter(pl.col("maand") > p_maand).sum().alias("rest"),
    )
    vs_maand = np.zeros((stukken.height, len(t.maanden), 1))
    for i, m, bedrag in vs.select("i", "m", "bedrag").iter_rows():
        vs_maand[i, m, 0] += float(bedrag)
    return (
        _Geld({i: (zd, zk) for i, zd, zk in real_tot.iter_rows()}, real_maand),
        _Geld({i: (b, r) for i, b, r in vs_tot.iter_rows()}, vs_maand),
    )


def _little(
    trajecten: pl.DataFrame,
    peildatum: date,
    overleving: Mapping[str, Overleving],
    per_drieling: Mapping[tuple, list[int]],
    t: _Tijdas,
) -> dict[int, tuple[int, float, float, float]]:
    """(d) Per piece: (arrivals, sum of their durations, L, var L) of its drieling's
    zorgtrajecten begun in the 12 months up to the peildatum. Ended ones count with their
    duration, open ones with their expected duration by the survival (restricted mean). A
    drieling's flow belongs to one of its pieces: the one valid on the peildatum, else its
    last."""
    van, _ = venster(peildatum, LITTLE_MAANDEN)
    dagen_venster = (peildatum - van).days + 1
    cohort = trajecten.filter(
        (pl.col("begindatum") >= van) & pl.col("subsegment").is_in(list(overleving))
    )
    b, e = cohort["b"].to_numpy(), cohort["e"].to_numpy()
    duur = (e - b + 1).astype(np.float64)
    subs = cohort["subsegment"].to_numpy()
    for sub in np.unique(subs):
        kies = (subs == sub) & (e > t.p)
        duur[kies] = methode.verwachte_duur(overleving[sub], t.p - b[kies])
    per = (
        cohort.with_columns(duur=duur)
        .group_by(DRIELING)
        .agg(pl.len().alias("n"), pl.col("duur").sum(), (pl.col("duur") ** 2).sum().alias("kw"))
    )
    uit = {}
    for a, g, s, n, som, kwadraat in per.iter_rows():
        stukken = per_drieling.get((a, g, s))
        if not stukken:
            continue
        op = [i for i in stukken if t.van[i] <= t.p <= t.tot[i]]
        uit[(op or stukken)[-1]] = (
            int(n),
            float(som),
            som / dagen_venster,
            kwadraat / dagen_venster**2,
        )
    return uit


def _samengesteld(
    peildatum: date,
    periode: Periode,
    stukken: pl.DataFrame,
    t: _Tijdas,
    toekomst: _Toekomst,
    heeft: np.ndarray,
    instroom3: np.ndarray,
    real: _Geld,
    voorschot: _Geld,
    little: Mapping[int, tuple[int, float, float, float]],
    overleving: Mapping[str, Overleving],
    minimum: int,
) -> Prognose:
    """The unit rows (exact decimals, as the engine sums them) and the month series."""
    p_maand = _maandbegin(peildatum)
    eenheden = []
    for c in stukken.iter_rows(named=True):
        i, sub = c["i"], c["subsegment"]
        zd_real, zk_real = real.totaal.get(i, (0, Decimal(0)))
        betaald, rest = voorschot.totaal.get(i, (Decimal(0), Decimal(0)))
        zd_real, zk_real = _getal(zd_real), _getal(zk_real or 0)
        betaald, rest = _getal(betaald or 0), _getal(rest or 0)
        maanden_stuk = _maanden_tussen(c["stuk_van"], c["stuk_tot"])
        resterend = sum(1 for m in maanden_stuk if m > p_maand)
        plekprijs = _getal(c["plekprijs"])
        plekken = _dec(c["plekken"])
        trajecten = overleving[sub].trajecten if sub in overleving else 0
        rij: dict[str, Any] = {
            "eenheid": "|".join([*(c[d] for d in DRIELING), c["geldig_van"].isoformat()]),
            "client_id": None,
            **{d: c.get(d) for d in DIMENSIES},
            "voorlopig": False,  # a forecast is never voorlopig; without one: `reden`
            "zorgdagen_gerealiseerd": _dec(zd_real),
            "zorgkosten_gerealiseerd": _dec(zk_real),
            "instroom_3m": _dec(instroom3[i]),
            "opgegeven_dagen": _dec(c["opgegeven_doorlooptijd_dagen"]),
            "geldig_van": c["geldig_van"],
            "stuk_van": c["stuk_van"],
            "stuk_tot": c["stuk_tot"],
            "resterende_maanden": resterend,
            "trajecten_overleving": trajecten,
            "plekprijs": _dec(plekprijs),
            "reden": None,
        }
        if not heeft[i]:
            rij["reden"] = (
                f"te weinig historie: {trajecten} "
                f"{'zorgtraject' if trajecten == 1 else 'zorgtrajecten'} in sub-segment {sub} "
                f"in de {VENSTER_MAANDEN} maanden tot de peildatum, minimaal {minimum}"
            )
            eenheden.append(rij)
            continue
        dagprijs = plekprijs / 365
        kosten = zk_real + _dec(_getal(toekomst.verwacht[i]) * dagprijs, _CENT)
        advies_rest = kosten - betaald
        n12, som12, plekken_l, var_l = little.get(i, (0, 0.0, 0.0, 0.0))
        volloop = _volloop(t, toekomst, i, c["plekken"])
        rij |= {
            # the voorschot only beside a forecast, so that sums over a group compare alike
            "voorschot_betaald": _dec(betaald),
            "voorschot_rest": _dec(rest),
            "voorschot_periode": _dec(betaald + rest),
            "zorgdagen_verwacht": _dec(zd_real + _getal(toekomst.verwacht[i])),
            "zorgdagen_variantie": _dec(toekomst.variantie[i]),
            "plekdagen_periode": _dec(plekken * ((c["stuk_tot"] - c["stuk_van"]).days + 1)),
            "zorgkosten_verwacht": _dec(kosten),
            "zorgkosten_variantie": _dec(toekomst.variantie[i] * float(dagprijs) ** 2),
            "zorgdagen_sd_kromme": _dec(toekomst.sd_kromme[i]),
            "zorgkosten_sd_kromme": _dec(toekomst.sd_kromme[i] * float(dagprijs)),
            "voorschotadvies_sd_kromme": _dec(toekomst.sd_kromme[i] * float(dagprijs) / resterend)
            if resterend
            else None,
            "saldo_verwacht": _dec(betaald + rest - kosten),
            "advies_rest": _dec(advies_rest),
            "voorschotadvies": _dec(advies_rest / resterend, _CENT) if resterend else None,
            # the advice moves with the costs, spread over the remaining months
            "voorschotadvies_variantie": _dec(
                toekomst.variantie[i] * (float(dagprijs) / resterend) ** 2
            )
            if resterend
            else None,
            "volloopt": Decimal(1 if volloop else 0),
            "volloop_datum": volloop,
            "contract": Decimal(1),
            "plekken": plekken,
            "plekken_volgend_jaar": _dec(plekken_l),
            "plekken_variantie": _dec(var_l),
            "in_zorg_peildatum": _dec(toekomst.in_zorg_peildatum[i]),
            "instroom_12m": _dec(n12),
            "doorlooptijd_som": _dec(som12),
        }
        eenheden.append(rij)
    return Prognose(
        peildatum,
        periode,
        pl.DataFrame(eenheden, schema=_eenheden_schema()),
        _maandreeks(stukken, t, toekomst, heeft, real, voorschot),
        overleving,
        minimum,
    )


def _volloop(t: _Tijdas, toekomst: _Toekomst, i: int, plekken: float) -> date | None:
    """The first day of the piece (from the peildatum on) with more clients in care than
    plekken: on the peildatum the clients really in care, after it the expected number."""
    if t.van[i] <= t.p <= t.tot[i] and toekomst.in_zorg_peildatum[i] > plekken:
        return date.fromordinal(t.p)
    binnen = (t.dagen >= t.toekomst_van[i]) & (t.dagen <= t.tot[i])
    eerste = methode.eerste_overschrijding(np.where(binnen, toekomst.curve[i], 0.0), plekken)
    return None if eerste is None or not binnen[eerste] else date.fromordinal(int(t.dagen[eerste]))


def _maandreeks(
    stukken: pl.DataFrame,
    t: _Tijdas,
    toekomst: _Toekomst,
    heeft: np.ndarray,
    real: _Geld,
    voorschot: _Geld,
) -> pl.DataFrame:
    """Per piece and month of the piece: cumulative realised and expected figures to the
    month's end (floats: for charts), the forecast null without forecast."""
    maand_van = np.array([m.toordinal() for m in t.maanden])
    in_stuk = (maand_van[None, :] <= t.tot[:, None]) & (t.maand_tot >= t.van[:, None])
    cum_real = np.cumsum(real.per_maand, axis=1)
    cum_vs = np.cumsum(voorschot.per_maand[:, :, 0], axis=1)
    dagprijs = stukken["plekprijs"].cast(pl.Float64).to_numpy() / 365
    plekken = stukken["plekken"].to_numpy()
    i, m = np.nonzero(in_stuk)
    verwacht = np.where(heeft[i], cum_real[i, m, 0] + toekomst.maand_verwacht[i, m], np.nan)
    var = np.where(heeft[i], toekomst.maand_variantie[i, m], np.nan)
    kosten = cum_real[i, m, 1] + toekomst.maand_verwacht[i, m] * dagprijs[i]
    frame = pl.DataFrame(
        {
            "i": i,
            "maand": [t.maanden[x] for x in m],
            "zorgdagen_gerealiseerd": cum_real[i, m, 0],
            "zorgdagen_verwacht": verwacht,
            "zorgdagen_variantie": var,
            "plekdagen": plekken[i] * (t.maand_tot[i, m] - t.van[i] + 1),
            "zorgkosten_gerealiseerd": cum_real[i, m, 1],
            "zorgkosten_verwacht": np.where(heeft[i], kosten, np.nan),
            "zorgkosten_variantie": var * dagprijs[i] ** 2,
            "zorgdagen_sd_kromme": np.where(heeft[i], toekomst.maand_sd_kromme[i, m], np.nan),
            "zorgkosten_sd_kromme": np.where(
                heeft[i], toekomst.maand_sd_kromme[i, m] * dagprijs[i], np.nan
            ),
            "voorschot": cum_vs[i, m],
        }
    ).with_columns(pl.col(MAAND_MATEN).fill_nan(None))
    sleutels = stukken.select(
        "i",
        pl.concat_str([*DRIELING, pl.col("geldig_van").cast(pl.String)], separator="|").alias(
            "eenheid"
        ),
        *DIMENSIES,
    )
    return frame.join(sleutels, on="i").select(_maanden_schema().keys()).cast(_maanden_schema())


def _eenheden_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {"eenheid": pl.String, "client_id": pl.String}
    schema |= {d: pl.String for d in DIMENSIES}
    schema["voorlopig"] = pl.Boolean
    schema |= {m: MEETKOLOM for m in MATEN}
    return schema | OVERIG_SCHEMA


def _maanden_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {"eenheid": pl.String}
    schema |= {d: pl.String for d in DIMENSIES}
    schema["maand"] = pl.Date
    return schema | {m: pl.Float64 for m in MAAND_MATEN}


def _leeg_eenheden() -> pl.DataFrame:
    return pl.DataFrame(schema=_eenheden_schema())


def _lege_maanden() -> pl.DataFrame:
    return pl.DataFrame(schema=_maanden_schema())
