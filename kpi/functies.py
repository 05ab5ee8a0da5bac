"""Unit sets that need Python: settlement, realisation against plan, volume and price variance."""

# Each function takes a Bron and a Periode and returns unfiltered unit rows (the standard
# columns plus its measures); the engine filters and aggregates them like any SQL unit set.
# Money stays Decimal; rational factors are applied with Fraction and kept to 10 decimals.

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from kpi.aggregatie import GEEN, als_decimaal, centen
from kpi.eenhedensets import STANDAARD_KOLOMMEN, Bron, scalar
from kpi.filters import DIMENSIES
from kpi.periode import MAANDEN, Periode, datum_nl, laatste_dag
from kpi.prognose.eenheden import prognose
from kpi.registry import Kpi

MEETKOLOM = pl.Decimal(38, 10)
_SCHAAL = Decimal("1e-10")
_NUL = Decimal(0)


def _decimaal(x: Decimal | Fraction | int) -> Decimal:
    if isinstance(x, Fraction):
        return als_decimaal(x)  # exact, in integers
    return Decimal(x).quantize(_SCHAAL, rounding=ROUND_HALF_UP)


def _frame(rijen: Iterable[dict[str, Any]], maten: tuple[str, ...]) -> pl.DataFrame:
    schema: dict[str, Any] = {k: pl.String for k in STANDAARD_KOLOMMEN}
    schema["voorlopig"] = pl.Boolean
    schema.update({m: MEETKOLOM for m in maten})
    volledig = [
        {"voorlopig": False, **{m: _NUL for m in maten}, **{k: v for k, v in r.items()}}
        for r in rijen
    ]
    return pl.DataFrame(volledig, schema=schema)


def _dimensies(rij: dict[str, Any]) -> dict[str, Any]:
    return {d: rij[d] for d in DIMENSIES}


def uitgaven_per_maand(bron: Bron, van: date, tot: date) -> pl.DataFrame:
    """Spending in [van, tot] per dimensions and month: booked uitgaven, else lumpsum costs."""
    if bron.heeft_rijen("uitgaven"):
        rijen = bron.sql("uitgaven", van, tot)
    else:
        rijen = bron.sql("contractmaanden", van, tot).rename({"zorgkosten": "bedrag"})
    return (
        rijen.group_by([*DIMENSIES, "maand"])
        .agg(pl.col("bedrag").sum())
        .sort([*DIMENSIES, "maand"], nulls_last=True)
    )


def planjaar(periode: Periode) -> Periode:
    """The year a realisatie figure of `periode` is cumulated over: the contract year for a
    contractjaar (1 July - 30 June) and for each month of a contractjaar's series, else the
    calendar year of the period's end."""
    if periode.soort == "contractjaar":
        return Periode.contractjaar(periode.start.year)
    if periode.deel_van is not None:
        return planjaar(periode.deel_van)
    return Periode.jaar(periode.eind.year)


def maandnummer(plan: Periode, d: date) -> int:
    """Position (1-12) of the month of `d` in plan year `plan` (July is 1 in a contract year)."""
    return (d.year - plan.start.year) * 12 + d.month - plan.start.month + 1


def volledige_maanden(plan: Periode, peil: date) -> int:
    """Number of complete months of plan year `plan` on day `peil` (0-12)."""
    if peil < plan.start:
        return 0
    if peil >= plan.eind:
        return 12
    maand = maandnummer(plan, peil)
    return maand if peil == laatste_dag(peil.year, peil.month) else maand - 1


def laatste_volledige_maand(peil: date, jaar: int) -> int:
    """Number of complete months of calendar year `jaar` on day `peil` (0-12)."""
    return volledige_maanden(Periode.jaar(jaar), peil)


def verwachting_factor(maand: int, volledig: int) -> Fraction:
    """Weight of month `maand`'s spending in the year-end outlook after `volledig` months."""
    # Outlook = realisation to date + remaining months x average of the last 3 complete
    # months, which is linear in each month's spending: weight 1, plus (12 - m) / k for the
    # last k = min(3, m) complete months.
    if maand > volledig:
        return Fraction(0)
    k = min(3, volledig)
    return 1 + Fraction(12 - volledig, k) if maand > volledig - k else Fraction(1)


def jaar_eerder(d: date) -> date:
    """The same day one year earlier (29 February: the 28th)."""
    return d.replace(year=d.year - 1) if (d.month, d.day) != (2, 29) else date(d.year - 1, 2, 28)


def plan_per_cel(bron: Bron, jaar: int, maand: int) -> dict[str, tuple[dict[str, Any], Fraction]]:
    """Per budget cell of begrotingsjaar `jaar` (key: its eenheid): the cell and its cumulative
    plan to the end of calendar month `maand` (0: nothing yet). The plan is the given monthly
    prognose, else the budget x maand / 12; a cell with neither is left out."""
    uit: dict[str, tuple[dict[str, Any], Fraction]] = {}
    cellen = bron.sql(
        "begroting", date(jaar, 1, 1), date(jaar, 12, 31), jaar=jaar, maand=max(maand, 1)
    )
    for cel in cellen.iter_rows(named=True):
        if maand == 0:
            uit[cel["eenheid"]] = (cel, Fraction(0))
        elif cel["prognose_maand"] is not None:
            uit[cel["eenheid"]] = (cel, Fraction(cel["prognose_maand"]))
        elif cel["jaarbudget"] is not None:
            uit[cel["eenheid"]] = (cel, Fraction(cel["jaarbudget"]) * maand / 12)
    return uit


def _plan_tussen(bron: Bron, jaar: int, na: int, tot: int) -> dict[str, tuple[dict, Fraction]]:
    """Per budget cell of `jaar`: the plan of calendar months na+1 .. tot."""
    eind, begin = plan_per_cel(bron, jaar, tot), plan_per_cel(bron, jaar, na)
    return {e: (cel, plan - begin[e][1]) for e, (cel, plan) in eind.items() if e in begin}


def planrijen(bron: Bron, plan: Periode, eind: date, volledig: int) -> list[dict[str, Any]]:
    """Unit rows of the plan (prognose) of plan year `plan` up to the end of the month of `eind`,
    and the plan year's budget (jaarbudget; 0 while `volledig`, the complete months, is 0).

    A calendar year: per cell its plan to that month and its budget. A contract year: each
    begrotingsjaar with its own plan, July-December from the first, January-June from the
    second; its budget is that of those twelve months (the two halves).
    """
    rijen = []
    if plan.soort != "contractjaar":
        for cel, prognose in plan_per_cel(bron, plan.start.year, eind.month).values():
            budget = Fraction(cel["jaarbudget"] or 0) if volledig else Fraction(0)
            rijen.append((cel, prognose, budget))
    else:
        jaar, maand = plan.start.year, maandnummer(plan, eind)
        helften = ((jaar, 6, 6 + min(maand, 6)), (jaar + 1, 0, max(maand - 6, 0)))
        for deel_jaar, na, tot in helften:
            budget = _plan_tussen(bron, deel_jaar, na, na + 6) if volledig else {}
            for e, (cel, prognose) in _plan_tussen(bron, deel_jaar, na, tot).items():
                if tot > na or e in budget:
                    rijen.append((cel, prognose, budget[e][1] if e in budget else Fraction(0)))
    return [
        {
            "eenheid": f"plan|{cel['eenheid']}",
            **_dimensies(cel),
            "prognose": _decimaal(prognose),
            "jaarbudget": _decimaal(budget),
        }
        for cel, prognose, budget in rijen
    ]


def planmaanden(plan: Periode, eind: date) -> tuple[tuple[int, int], ...]:
    """(begrotingsjaar, calendar month) pairs whose cumulative plan a figure of plan year
    `plan` up to the month of `eind` adds up: a calendar year its own to that month; a
    contract year July-December of the first begrotingsjaar (to that month), and, from
    January, January to that month of the second."""
    jaar = plan.start.year
    if plan.soort != "contractjaar":
        return ((jaar, eind.month),)
    maand = maandnummer(plan, eind)
    if maand <= 6:
        return ((jaar, 6 + maand),)
    return ((jaar, 12), (jaar + 1, maand - 6))


def _plancellen(bron: Bron, jaar: int, maand: int) -> frozenset[tuple[str | None, str]]:
    """(gemeente or None for the region, segment) of the budget cells of `jaar` that have a
    plan to calendar month `maand` (plan_per_cel)."""

    def maak() -> frozenset[tuple[str | None, str]]:
        cellen = plan_per_cel(bron, jaar, maand).values()
        return frozenset((cel["gemeente"], cel["segment"]) for cel, _ in cellen)

    return bron.onthoud_per_lading(("plancellen", jaar, maand), maak)


def _gedekt(sleutel: tuple[str | None, str], cellen: frozenset[tuple[str | None, str]]) -> bool:
    gemeente, segment = sleutel
    if gemeente is None:  # a region cell: the segment planned in any form
        return any(s == segment for _, s in cellen)
    # begroting.sql uses a segment's region row only where it has no gemeente rows
    return (gemeente, segment) in cellen or (None, segment) in cellen


def ontbrekend_plan(
    bron: Bron,
    maanden: Iterable[tuple[int, int]],
    sleutels: Iterable[tuple[str | None, str | None]],
) -> dict[tuple[str | None, str], str]:
    """For each (gemeente, segment) of `sleutels` (spending or a plan cell) that some
    begrotingsjaar of `maanden` (planmaanden) gives no plan for: why, in Dutch. A figure
    against the plan that holds such a cell would set spending against part of a plan (e.g.
    a contract year whose second begrotingsjaar has no begroting yet), so it is not given."""
    uit: dict[tuple[str | None, str], str] = {}
    maanden = tuple(maanden)
    for sleutel in sleutels:
        gemeente, segment = sleutel
        if segment is None:
            continue
        jaren = [j for j, m in maanden if not _gedekt((gemeente, segment), _plancellen(bron, j, m))]
        if jaren:
            waar = "de regio" if gemeente is None else f"gemeente {gemeente}"
            uit[gemeente, segment] = (
                f"de begroting {' en '.join(map(str, jaren))} heeft geen plan voor {segment} "
                f"in {waar}"
            )
    return uit


def plan_reden(delen: Iterable[str]) -> str:
    """The reason a figure against the plan is not given, from the cells' reasons."""
    lijst = sorted(set(delen))
    tekst = "; ".join(lijst[:3])
    if len(lijst) > 3:
        tekst += f" (en nog {len(lijst) - 3})"
    return f"Niet berekend: {tekst}, dus geen prognose voor alle maanden."


ALLEEN_VORIG_JAAR = (
    "Niet berekend: in dit jaar geen uitgaven en geen prognose, alleen uitgaven in het jaar ervoor."
)


def realisatie_groepsreden(eenheden: pl.DataFrame, per: Sequence[str], kpi: Kpi) -> pl.DataFrame:
    """The groups (by `per`, GEEN for no value) of a realisatie KPI set against the plan that
    hold a cell without a full plan (ontbrekend_plan), or nothing of the plan year (only last
    year's spending: no figure, not an empty 0 / 0), with the reason (column reden)."""
    kolom = f"reden_{kpi.noemer}"
    schema = {**{d: pl.String for d in per}, "reden": pl.String}
    if not kpi.noemer or kolom not in eenheden.columns or eenheden.is_empty():
        return pl.DataFrame(schema=schema)
    sleutels = [pl.col(d).fill_null(GEEN) for d in per] or [pl.lit(0).alias("_alle")]
    groepen = eenheden.group_by(sleutels).agg(
        pl.col(kolom).drop_nulls().unique().sort().alias("_delen"),
        pl.col("eenheid").str.starts_with("vorig_jaar|").all().alias("_alleen_vorig_jaar"),
    )
    rijen = [
        {
            **{d: r[d] for d in per},
            "reden": plan_reden(r["_delen"]) if r["_delen"] else ALLEEN_VORIG_JAAR,
        }
        for r in groepen.iter_rows(named=True)
        if r["_delen"] or r["_alleen_vorig_jaar"]
    ]
    return pl.DataFrame(rijen, schema=schema).sort(list(per), nulls_last=True)


def realisatie(bron: Bron, periode: Periode) -> pl.DataFrame:
    """Cumulative spending of the plan year, last year and year-end outlook, beside the plan."""
    return realisatie_tot(bron, planjaar(periode), periode.eind)


def realisatie_tot(bron: Bron, plan: Periode, eind: date) -> pl.DataFrame:
    """Unit rows: spending from the start of plan year `plan` to `eind`, the same span one year
    earlier, the outlook for the plan year, and the plan (planrijen) to the month of `eind`."""
    begin = plan.start
    rijen: list[dict[str, Any]] = []

    maten = ("realisatie", "vorig_jaar", "verwachting", "prognose", "jaarbudget")
    delen: list[pl.DataFrame] = []

    def uitgaven(van: date, tot: date, maat: str, factor: Callable[[date], Fraction]) -> None:
        eenheid = pl.concat_str(
            [pl.lit(maat), *(pl.col(d).fill_null("None") for d in DIMENSIES),
             pl.col("maand").cast(pl.String)],
            separator="|",
        )  # fmt: skip
        per_maand = uitgaven_per_maand(bron, van, tot).with_columns(eenheid=eenheid)
        gewicht = {m: factor(m) for m in per_maand["maand"].unique().to_list()}
        heel = [m for m, f in gewicht.items() if f == 1]  # the amount itself: in Polars
        delen.append(
            per_maand.filter(pl.col("maand").is_in(heel)).select(
                "eenheid",
                pl.lit(None, pl.String).alias("client_id"),
                *DIMENSIES,
                pl.lit(False).alias("voorlopig"),
                *(
                    (pl.col("bedrag") if m == maat else pl.lit(_NUL)).cast(MEETKOLOM).alias(m)
                    for m in maten
                ),
            )
        )
        for r in per_maand.filter(~pl.col("maand").is_in(heel)).iter_rows(named=True):
            bedrag = _decimaal(Fraction(r["bedrag"]) * gewicht[r["maand"]])
            rijen.append({"eenheid": r["eenheid"], **_dimensies(r), maat: bedrag})

    uitgaven(begin, eind, "realisatie", lambda _: Fraction(1))
    uitgaven(jaar_eerder(begin), jaar_eerder(eind), "vorig_jaar", lambda _: Fraction(1))
    volledig = volledige_maanden(plan, min(eind, bron.peildatum))
    if volledig:
        laatste = plan.maanden()[volledig - 1].eind
        uitgaven(
            begin,
            laatste,
            "verwachting",
            lambda maand: verwachting_factor(maandnummer(plan, maand), volledig),
        )
    # no complete month yet: no outlook, so no budget to set it against
    rijen += planrijen(bron, plan, eind, volledig)
    uit = pl.concat([*delen, _frame(rijen, maten)], how="vertical")
    # a cell with spending or a plan in the plan year but without a plan for some of its
    # months: its figures against the plan are not given (last year's spending needs none)
    sleutels = (
        uit.filter(~pl.col("eenheid").str.starts_with("vorig_jaar|"))
        .select("gemeente", "segment")
        .unique()
        .rows()
    )
    nodig = {"prognose": planmaanden(plan, eind), "jaarbudget": planmaanden(plan, plan.eind)}
    if not volledig:
        nodig["jaarbudget"] = ()  # no outlook, so no budget needed (the figure is empty)
    for noemer, maanden in nodig.items():
        ontbreekt = ontbrekend_plan(bron, maanden, sleutels)
        kaart = pl.DataFrame(
            [(g, seg, r) for (g, seg), r in ontbreekt.items()],
            schema={"gemeente": pl.String, "segment": pl.String, f"reden_{noemer}": pl.String},
            orient="row",
        )
        uit = uit.join(
            kaart, on=["gemeente", "segment"], how="left", nulls_equal=True, maintain_order="left"
        )
    return uit


def uitgaven_vanaf(bron: Bron) -> date | None:
    """From when the spending data cover the months: booked uitgaven from 1 January of the
    first year with a booking (a month without bookings in it is a month without spending);
    lumpsum costs from the first month of the first contract (before it no cost is known).
    None without either."""

    def maak() -> date | None:
        if bron.heeft_rijen("uitgaven"):
            eerste = scalar(bron.cur, "select min(boekdatum) from uitgaven")
            return None if eerste is None else date(eerste.year, 1, 1)
        eerste = scalar(bron.cur, "select min(geldig_van) from contracten")
        return None if eerste is None else eerste.replace(day=1)

    return bron.onthoud_per_lading(("uitgaven_vanaf",), maak)


def _maandtekst(d: date) -> str:
    return f"{MAANDEN[d.month - 1]} {d.year}"


def realisatie_reden(bron: Bron, periode: Periode, per: Sequence[str], kpi: Kpi) -> str | None:
    """Why a realisatie KPI gives no figure for `periode` grouped by `per` (None: it does).

    The plan exists per gemeente and segment only, so a figure against it is not given per
    sub-segment or aanbieder. A cumulative figure needs spending from the start of its plan
    year (last year's: of the year before): where the spending data begin later, the line
    would run flat at zero and then jump, so none is given.
    """
    if kpi.noemer in ("prognose", "jaarbudget"):
        buiten = [d for d in per if d in ("subsegment", "aanbieder")]
        if buiten:
            return (
                "De begroting is er per gemeente en segment, niet per "
                f"{' en '.join(buiten)}: geen realisatie tegen de prognose."
            )
    plan = planjaar(periode)
    begin = jaar_eerder(plan.start) if kpi.waarde == "vorig_jaar" else plan.start
    vanaf = uitgaven_vanaf(bron)
    if vanaf is not None and vanaf > begin:
        return (
            f"De uitgaven beginnen pas in {_maandtekst(vanaf)}: geen cumulatieve uitgaven "
            f"vanaf {datum_nl(begin)}."
        )
    return None


def verschilspanne(periode: Periode, peildatum: date) -> tuple[Periode | None, str | None]:
    """The part of a begrotingsjaar the volume/price split is computed for, or why not.

    The targets in `begroting` are per begrotingsjaar (calendar year): the split is computed
    for a whole begrotingsjaar, and year-to-date at the peildatum (a period from 1 January
    that reaches the peildatum): then for the complete months to the peildatum, against the
    target of those months. Any other period gives (None, the reason in Dutch).
    """
    start, eind, jaar = periode.start, periode.eind, periode.start.year
    regel = (
        "de targets in de begroting gelden per begrotingsjaar (kalenderjaar); het verschil "
        "wordt berekend voor een heel kalenderjaar, of voor het lopende jaar tot de peildatum"
    )
    niet = f"Niet berekend voor {periode.label}: "
    if periode.soort == "contractjaar" or eind.year != jaar:
        return None, f"{niet}die valt in twee begrotingsjaren en {regel}."
    heel_jaar = start == date(jaar, 1, 1) and eind == date(jaar, 12, 31)
    if heel_jaar and peildatum >= eind:
        return Periode.jaar(jaar), None
    maanden = laatste_volledige_maand(peildatum, jaar)
    # the year to date: a period from 1 January that reaches the peildatum, or that is
    # exactly the complete months to it (what the split is computed for, asked as such)
    tot_nu = maanden > 0 and eind == laatste_dag(jaar, maanden)
    if start != date(jaar, 1, 1) or (eind < peildatum and not tot_nu):
        return None, f"{niet}{regel}."
    if peildatum < start:
        return None, f"{niet}de periode begint na de peildatum ({datum_nl(peildatum)})."
    if maanden == 0:
        return (
            None,
            f"{niet}in {jaar} is tot de peildatum ({datum_nl(peildatum)}) nog geen maand volledig.",
        )
    return Periode(start, laatste_dag(jaar, maanden), "bereik"), None


def verschil_toelichting(bron: Bron, periode: Periode, kpi: Kpi) -> str | None:
    """What a variance figure covers where that is less than the period asked: the year to
    date, its complete months to the peildatum (None: the period itself)."""
    spanne, _ = verschilspanne(periode, bron.peildatum)
    if spanne is None or (spanne.start, spanne.eind) == (periode.start, periode.eind):
        return None
    return (
        f"Berekend over {datum_nl(spanne.start)} t/m {datum_nl(spanne.eind)}: de volledige "
        f"maanden tot de peildatum ({datum_nl(bron.peildatum)}), tegen de target van die "
        "maanden."
    )


def verschil_reden(bron: Bron, periode: Periode, per: Sequence[str], kpi: Kpi) -> str | None:
    """Why hoeveelheids- and prijsverschil are not computed for `periode` (None: they are)."""
    spanne, reden = verschilspanne(periode, bron.peildatum)
    if spanne is None:
        return reden
    cellen = _targetcellen(bron, spanne.start.year)
    if not cellen:
        return (
            f"Niet berekend: de begroting {spanne.start.year} heeft geen targets (target "
            "cliënten en kosten per cliënt)."
        )
    # targets at the grain asked for: without them a split would set the real figures of a
    # group against no target, and the targets of the whole segment would land in a group
    # without a value ('(geen)')
    korrel = {d for d in ("gemeente", "subsegment", "aanbieder") if any(c[d] for c in cellen)}
    buiten = [d for d in per if d in ("gemeente", "subsegment", "aanbieder") and d not in korrel]
    if buiten:
        heeft = "segment en gemeente" if "gemeente" in korrel else "segment"
        return (
            f"Niet berekend per {' en '.join(buiten)}: de begroting {spanne.start.year} heeft "
            f"targets per {heeft}, niet per {' of '.join(buiten)}."
        )
    return None


def _targetcellen(bron: Bron, jaar: int) -> list[dict[str, Any]]:
    """The budget cells of `jaar` with target clients and target cost per client."""
    cellen = bron.sql("begroting", date(jaar, 1, 1), date(jaar, 12, 31), jaar=jaar, maand=12)
    return [
        cel
        for cel in cellen.iter_rows(named=True)
        if cel["target_clienten"] is not None and cel["target_kosten_per_client"] is not None
    ]


def hoeveelheid_en_prijs(
    uitgaven_real: Decimal,
    clienten_real: int,
    clienten_target: Decimal,
    kosten_per_client_target: Decimal,
) -> tuple[Decimal, Decimal]:
    """(hoeveelheidsverschil, prijsverschil); their sum is real - target spending exactly."""
    # prijsverschil = (KN_real - KN_target) x clients_real = uitgaven_real - KN_target x
    # clients_real, so no division (and no rounding) is needed.
    hoeveelheid = (clienten_real - clienten_target) * kosten_per_client_target
    prijs = uitgaven_real - kosten_per_client_target * clienten_real
    return hoeveelheid, prijs


def verschil(bron: Bron, periode: Periode) -> pl.DataFrame:
    """Volume and price variance per budget cell with targets, for a whole begrotingsjaar or
    the year to date at the peildatum (verschilspanne); no rows for any other period.

    Year to date (k complete months): the target spending is the year's (target clients x
    target cost per client) times the plan's share of the year in those months, prognose(k)
    / prognose(12) from the monthly prognose, else k / 12; the target clients are the year's,
    so the target cost per client is the year's times that share. begroot: the plan itself
    to that month (as the prognose line), for the step from budget to target. Year to date
    the money is in cents: target and hoeveelheidsverschil rounded half up, prijsverschil
    the rest, so the two add up to real - target exactly (a whole year: exact as it is).

    Beside each cell one row per real client (a zorgdag in the span in the cell's segment,
    and gemeente where the cell has one), all measures 0: the KPIs' n counts them.
    """
    maten = (
        "hoeveelheidsverschil",
        "prijsverschil",
        "uitgaven_real",
        "uitgaven_target",
        "clienten_real",
        "begroot",
    )
    spanne, _ = verschilspanne(periode, bron.peildatum)
    if spanne is None:
        return _frame([], maten)
    jaar, maanden = spanne.start.year, spanne.eind.month
    cellen = _targetcellen(bron, jaar)
    jaarplan = plan_per_cel(bron, jaar, 12)
    plan_tot_nu = plan_per_cel(bron, jaar, maanden)
    uitgaven = uitgaven_per_maand(bron, spanne.start, spanne.eind)
    zorg = bron.sql("zorgdagen", spanne.start, spanne.eind).select(
        "client_id", "gemeente", "segment"
    )
    # per segment, and per segment and gemeente: spending and distinct clients
    real_per, clienten_per = {}, {}
    for sleutels in (["segment"], ["segment", "gemeente"]):
        for *cel, bedrag in uitgaven.group_by(sleutels).agg(pl.col("bedrag").sum()).iter_rows():
            real_per[tuple(cel)] = bedrag
        for *cel, aantal in zorg.group_by(sleutels).agg(pl.col("client_id").n_unique()).iter_rows():
            clienten_per[tuple(cel)] = aantal
    rijen = []
    for cel in cellen:
        sleutel = (cel["segment"],)
        if cel["gemeente"] is not None:
            sleutel = (cel["segment"], cel["gemeente"])
        real = Decimal(real_per.get(sleutel) or _NUL)
        clienten = clienten_per.get(sleutel, 0)
        target_clienten = Decimal(repr(cel["target_clienten"]))  # a double: its decimal text
        kn_target = Decimal(cel["target_kosten_per_client"])
        begroot = plan_tot_nu[cel["eenheid"]][1] if cel["eenheid"] in plan_tot_nu else None
        if maanden == 12:  # products of decimals: exact as they are
            hoeveelheid, prijs = hoeveelheid_en_prijs(real, clienten, target_clienten, kn_target)
            target = target_clienten * kn_target
        else:
            jaar_plan = jaarplan[cel["eenheid"]][1] if cel["eenheid"] in jaarplan else None
            aandeel = (
                plan_tot_nu[cel["eenheid"]][1] / jaar_plan
                if jaar_plan and cel["eenheid"] in plan_tot_nu
                else Fraction(maanden, 12)
            )
            # a share of the year need not end in a decimal: money in cents, half up
            kn_tot_nu = Fraction(kn_target) * aandeel
            target = centen(Fraction(target_clienten) * kn_tot_nu)
            hoeveelheid = centen((clienten - Fraction(target_clienten)) * kn_tot_nu)
            # so that the two add up to real - target exactly
            prijs = real - target - hoeveelheid
        rijen.append(
            {
                "eenheid": cel["eenheid"],
                **_dimensies(cel),
                "hoeveelheidsverschil": _decimaal(hoeveelheid),
                "prijsverschil": _decimaal(prijs),
                "uitgaven_real": _decimaal(real),
                "uitgaven_target": _decimaal(target),
                "clienten_real": Decimal(clienten),
                "begroot": None if begroot is None else _decimaal(begroot),
            }
        )
    celrijen = _frame(rijen, maten)
    return pl.concat([celrijen, _clientrijen(celrijen, zorg, maten)], how="vertical")


def _clientrijen(cellen: pl.DataFrame, zorg: pl.DataFrame, maten: tuple[str, ...]) -> pl.DataFrame:
    """One unit row per real client of each cell (see `verschil`), its measures 0."""
    cel = cellen.select(pl.col("eenheid").alias("cel"), *DIMENSIES)
    per_gemeente = cel.filter(pl.col("gemeente").is_not_null()).join(
        zorg.unique(), on=["segment", "gemeente"]
    )
    regio = cel.filter(pl.col("gemeente").is_null()).join(
        zorg.select("client_id", "segment").unique(), on="segment"
    )
    clienten = pl.concat([per_gemeente, regio], how="diagonal")
    return clienten.select(
        pl.concat_str(pl.lit("client|"), pl.col("cel")).alias("eenheid"),
        "client_id",
        *DIMENSIES,
        pl.lit(False).alias("voorlopig"),
        *(pl.lit(None if m == "begroot" else _NUL, MEETKOLOM).alias(m) for m in maten),
    ).sort("eenheid", "client_id")


def verschil_groepsreden(eenheden: pl.DataFrame, per: Sequence[str], kpi: Kpi) -> pl.DataFrame:
    """The groups of a variance (by `per`, GEEN for no value) that hold a budget cell without
    targets at the grain asked (a region cell grouped by gemeente), with the reason."""
    schema = {**{d: pl.String for d in per}, "reden": pl.String}
    fijn = [d for d in per if d in ("gemeente", "subsegment", "aanbieder")]
    if not fijn or eenheden.is_empty():
        return pl.DataFrame(schema=schema)
    grof = eenheden.filter(pl.any_horizontal(pl.col(d).is_null() for d in fijn))
    if grof.is_empty():
        return pl.DataFrame(schema=schema)
    groepen = grof.group_by([pl.col(d).fill_null(GEEN) for d in per]).agg(
        pl.col("segment").drop_nulls().unique().sort().alias("_segmenten")
    )
    rijen = [
        {
            **{d: r[d] for d in per},
            "reden": (
                f"Niet berekend: de begroting heeft voor {', '.join(r['_segmenten'])} targets "
                f"voor de hele regio, niet per {' of '.join(fijn)}."
            ),
        }
        for r in groepen.iter_rows(named=True)
    ]
    return pl.DataFrame(rijen, schema=schema).sort(list(per), nulls_last=True)


# Why a function's KPI gives no figure for a period (and grouping): None when it does.
REDENEN: dict[str, Callable[[Bron, Periode, Sequence[str], Kpi], str | None]] = {
    "realisatie": realisatie_reden,
    "verschil": verschil_reden,
}
# Which groups of a function's KPI give no figure, from its (filtered) unit rows: a frame
# with the grouping's columns (GEEN for no value) and `reden`; the groups not in it do.
GROEPSREDENEN: dict[str, Callable[[pl.DataFrame, Sequence[str], Kpi], pl.DataFrame]] = {
    "realisatie": realisatie_groepsreden,
    "verschil": verschil_groepsreden,
}
# What a function's KPI figure for a period covers, where it is less than the period: None
# when it is the period itself.
TOELICHTINGEN: dict[str, Callable[[Bron, Periode, Kpi], str | None]] = {
    "verschil": verschil_toelichting,
}


FUNCTIES: dict[str, Callable[..., pl.DataFrame]] = {
    "realisatie": realisatie,
    "verschil": verschil,
    "prognose": prognose,  # kpi/prognose/eenheden.py
}
