"""The forecast per contract or any wider group: values, 80 % interval, stoplicht, signal.

Figures are sums of the unit set `prognose` (one row per contract) over the group's contracts
that have a forecast, as the KPI engine sums them (the forecast KPIs of kpis.toml,
eenheden.waarden); the group says how many of its contracts have none and why (`dekking`).
The variances of independent contracts add up, so the interval of a group is mean ± 1.2816 ×
the square root of the summed variance. The stoplicht of the verwachte benutting comes from
the engine (normen.toml). A provider scope narrows the rows and protects counts
(kpi/scope.py), as for every KPI. `met_exportkolommen` puts the interval, the volloop date,
the signal words and the coverage beside the forecast KPIs in the long-form export.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from kpi.aggregatie import GEEN
from kpi.berekening import Berekening
from kpi.export import NIET_BEREKEND
from kpi.filters import DIMENSIES, Filters
from kpi.normen import Normen
from kpi.per_waarde import per_waarde
from kpi.periode import Periode
from kpi.prognose.eenheden import DRIELING, MEETKOLOM, bereken_prognose, met_prognose
from kpi.prognose.methode import Z80
from kpi.registry import laad_registry
from kpi.scope import REGIO, Scope, telling
from kpi.stoplicht import Norm

# The forecast KPIs: kpis.toml's group `prognose`, in declaration order.
PROGNOSE_KPIS = laad_registry().groep("prognose")
CONTRACT = tuple(DRIELING)  # per contract: aanbieder × gemeente × sub-segment
# signaal: what the verwachte benutting says against its norm band
OVERSCHRIJDING, ONDERBENUTTING, BINNEN, GEEN_PROGNOSE, GEEN_NORM = (
    "overschrijding",
    "onderbenutting",
    "binnen",
    "geen_prognose",
    "geen_norm",
)
# the words of the signal, wherever it is shown (pages, factsheet, deck, export)
SIGNAAL_TEKST = {
    OVERSCHRIJDING: "dreigende overschrijding",
    ONDERBENUTTING: "dreigende onderbenutting",
    BINNEN: "binnen de norm",
    GEEN_PROGNOSE: "geen prognose",
    GEEN_NORM: "geen norm",
}
VOLLOOP_TEKST = ("niet binnen deze periode", "loopt vol")  # volloop: no / yes
_ERNST = {"rood": 0, "oranje": 1, "groen": 2, "grijs": 3}
# counts of people or their care days: rounded to fives for a provider (kpi.scope.telling)
TELLINGEN = (
    "zorgdagen_gerealiseerd", "zorgdagen_verwacht", "zorgdagen_onder", "zorgdagen_boven",
    "in_zorg_peildatum", "instroom_3m", "instroom_12m", "plekken_volgend_jaar",
    "plekken_onder", "plekken_boven",
)  # fmt: skip


def dekking(contracten: int, zonder: int, reden: str | None) -> str | None:
    """Over how many of how many contracts a group's forecast goes, and why the others have
    none (None: every contract has one). Dutch, for pages and exports alike."""
    if not zonder:
        return None
    if zonder >= contracten:
        if contracten == 1:
            return f"geen prognose: {reden}"
        return f"geen prognose voor de {contracten} contracten: {reden}"
    woord = "contract" if zonder == 1 else "contracten"
    return (
        f"prognose over {contracten - zonder} van de {contracten} contracten; {zonder} {woord} "
        f"zonder prognose (telt niet mee): {reden}"
    )


def contractjaar_van(peildatum: date) -> Periode:
    """The contract year (1 July – 30 June) that holds the peildatum."""
    return Periode.contractjaar(peildatum.year if peildatum.month >= 7 else peildatum.year - 1)


def _f(kolom: str) -> pl.Expr:
    return pl.col(kolom).cast(pl.Float64)


def _som(waarde: str | pl.Expr) -> pl.Expr:
    """The sum of a column or expression as a float, the same bits on every run: Polars'
    float sums in a group_by depend on how its threads split the rows (the same frame gave
    other last bits on a first call than on later ones, so a chart or an export differed
    between two runs), while a Decimal sum is an integer sum, exact in any order (each
    value is rounded to 1e-10 first, as the unit set `prognose` stores them)."""
    kolom = pl.col(waarde) if isinstance(waarde, str) else waarde
    return kolom.cast(MEETKOLOM).sum().cast(pl.Float64)


def _grenzen(midden: pl.Expr, variantie: pl.Expr, vloer: pl.Expr | None = None) -> list[pl.Expr]:
    marge = Z80 * variantie.sqrt()
    onder = midden - marge
    if vloer is not None:  # days already realised cannot be undone
        onder = pl.when(onder.is_not_null()).then(pl.max_horizontal(onder, vloer))
    return [onder, midden + marge]


def signaal(waarde: float | None, norm_groen: str | None, stoplicht: str | None) -> str:
    """overschrijding / onderbenutting (oranje or rood, above or below the green band),
    binnen (groen), geen_prognose (no value) or geen_norm."""
    if waarde is None:
        return GEEN_PROGNOSE
    if not norm_groen or stoplicht not in ("groen", "oranje", "rood"):
        return GEEN_NORM if not norm_groen else GEEN_PROGNOSE
    if stoplicht == "groen":
        return BINNEN
    band = Norm.lees(norm_groen)
    if band is None or not band.is_band:
        return GEEN_NORM
    return OVERSCHRIJDING if waarde > float(band.boven) else ONDERBENUTTING


def afwijking(waarde: float | None, norm_groen: str | None) -> float:
    """Distance beyond the green band relative to the band's edge (0 within or unknown)."""
    band = Norm.lees(norm_groen)
    if waarde is None or band is None or not band.is_band:
        return 0.0
    laag, hoog = float(band.onder), float(band.boven)
    if waarde > hoog:
        return (waarde - hoog) / hoog if hoog else waarde - hoog
    if waarde < laag:
        return (laag - waarde) / laag if laag else laag - waarde
    return 0.0


def _eenheden(b: Berekening, periode: Periode, filters: Filters) -> pl.DataFrame:
    """The unit rows of `prognose`, filtered as the engine filters them."""
    return b.eenheden(b.registry["verwachte_zorgdagen"], periode, filters)


def kromme_variantie(
    rijen: pl.DataFrame, groepen: Sequence[str], maten: Sequence[str]
) -> pl.DataFrame:
    """Per group: the variance that the survival curves' own uncertainty adds, per measure
    m (column `{m}_sd_kromme` of the rows, out: `{m}_variantie_kromme`). The contracts of one
    sub-segment lean on the same curve, so their standard deviations add up within it (an
    upper bound: their weights on the curve's hazards are not exactly proportional), and
    the sub-segments' curves are independent, so their variances add up."""
    binnen = rijen.group_by(*dict.fromkeys([*groepen, "subsegment"])).agg(
        _som(f"{m}_sd_kromme").alias(m) for m in maten
    )
    return binnen.group_by(*groepen).agg(
        _som(pl.col(m) ** 2).alias(f"{m}_variantie_kromme") for m in maten
    )


_KROMME = ("zorgdagen", "zorgkosten", "voorschotadvies")


def _variantie(maat: str) -> pl.Expr:
    """The variance of an interval: which clients stay and how many come (summed over the
    contracts) plus the survival curves' own uncertainty (kromme_variantie)."""
    return pl.col(f"{maat}_variantie") + pl.col(f"{maat}_variantie_kromme").fill_null(0.0)


def _zonder_prognose_reden(reden: pl.Expr) -> pl.Expr:
    """The distinct reasons of a group's contracts without forecast, joined ('; ')."""
    return reden.drop_nulls().unique().sort().str.join("; ")


def per_groep(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str | None = None,
    per: Sequence[str] = CONTRACT,
    filters: Filters | None = None,
    peildatum: date | None = None,
    scope: Scope | None = None,
    normen: Normen | Path | str | None = None,
    berekening: Berekening | None = None,
) -> pl.DataFrame:
    """The forecast per group of `per` (default: per contract; () for the whole selection).

    `periode`: default the contract year of the peildatum. Every figure of a group is over
    its contracts that have a forecast (as the engine's values, eenheden.waarden);
    `contracten` counts all its contracts, `zonder_prognose` those without one, `reden` says
    why. Columns: the dimensions (null = all), the period, the figures and their 80 % bounds
    (`*_onder`, `*_boven`), the stoplicht of the verwachte benutting with its norm,
    `signaal` and `afwijking`, the voorschotadvies parts, the volloop count and earliest
    date, Little's plekken. Sorted: the threatening ones first (rood, oranje; then by
    afwijking), then by the dimensions.
    """
    scope = scope or REGIO
    b = berekening or Berekening(con, peildatum, normen)
    periode = Periode.parse(periode) if periode is not None else contractjaar_van(b.peildatum)
    per = tuple(per)
    gefilterd = scope.filters(filters)
    rijen = _eenheden(b, periode, gefilterd)
    groepen = list(per) if per else ["_alle"]
    if not per:
        rijen = rijen.with_columns(_alle=pl.lit(0))
    met = met_prognose(rijen)
    telling = rijen.group_by(groepen, maintain_order=True).agg(
        pl.len().alias("contracten"),
        pl.col("reden").is_not_null().sum().alias("zonder_prognose"),
        _zonder_prognose_reden(pl.col("reden")).alias("reden"),
    )
    sommen = met.group_by(groepen).agg(
        *(_som(m).alias(m) for m in _SOMMEN),
        pl.col("volloop_datum").min().alias("volloop_datum"),
        pl.col("resterende_maanden").max().alias("resterende_maanden"),
        _f("opgegeven_dagen").mean().alias("opgegeven_dagen"),
        _som(_f("plekken_volgend_jaar") * _f("plekprijs")).alias("lumpsum_volgend_jaar"),
    )
    sommen = sommen.join(
        kromme_variantie(met, groepen, _KROMME), on=groepen, how="left", nulls_equal=True
    )
    met = telling.join(sommen, on=groepen, how="left", nulls_equal=True).with_columns(
        pl.lit(None, pl.String).alias(d) for d in DIMENSIES if d not in per
    )
    verwacht = pl.col("zorgdagen_verwacht")
    zd_onder, zd_boven = _grenzen(verwacht, _variantie("zorgdagen"),
                                  pl.col("zorgdagen_gerealiseerd"))  # fmt: skip
    zk_onder, zk_boven = _grenzen(pl.col("zorgkosten_verwacht"), _variantie("zorgkosten"),
                                  pl.col("zorgkosten_gerealiseerd"))  # fmt: skip
    va_onder, va_boven = _grenzen(pl.col("voorschotadvies"), _variantie("voorschotadvies"))
    pl_onder, pl_boven = _grenzen(pl.col("plekken_volgend_jaar"), pl.col("plekken_variantie"))
    plekdagen = pl.col("plekdagen_periode")
    met = met.with_columns(
        zorgdagen_onder=zd_onder,
        zorgdagen_boven=zd_boven,
        zorgkosten_onder=zk_onder,
        zorgkosten_boven=zk_boven,
        voorschotadvies_onder=va_onder,
        voorschotadvies_boven=va_boven,
        plekken_onder=pl.when(pl_onder.is_not_null()).then(pl.max_horizontal(pl_onder, 0.0)),
        plekken_boven=pl_boven,
    ).with_columns(
        benutting_verwacht=pl.when(plekdagen > 0).then(verwacht / plekdagen),
        benutting_onder=pl.when(plekdagen > 0).then(pl.col("zorgdagen_onder") / plekdagen),
        benutting_boven=pl.when(plekdagen > 0).then(pl.col("zorgdagen_boven") / plekdagen),
        # saldo = voorschot − zorgkosten: its bounds are the costs' bounds the other way
        saldo_onder=pl.col("saldo_verwacht")
        - (pl.col("zorgkosten_boven") - pl.col("zorgkosten_verwacht")),
        saldo_boven=pl.col("saldo_verwacht")
        + (pl.col("zorgkosten_verwacht") - pl.col("zorgkosten_onder")),
        voorschot_huidig_per_maand=pl.when(pl.col("resterende_maanden") > 0).then(
            pl.col("voorschot_rest") / pl.col("resterende_maanden")
        ),
        volloop_contracten=pl.col("volloopt"),
        doorlooptijd_gemiddeld=pl.when(pl.col("instroom_12m") > 0).then(
            pl.col("doorlooptijd_som") / pl.col("instroom_12m")
        ),
        periode_start=pl.lit(periode.start),
        periode_eind=pl.lit(periode.eind),
        peildatum=pl.lit(b.peildatum),
    )
    met = _met_stoplicht(met, b, periode, per, gefilterd)
    if scope.is_aanbieder:
        met = beveilig(met)
    ernst = pl.col("stoplicht").replace_strict(_ERNST, default=3)
    return (
        met.sort(
            [ernst, pl.col("afwijking"), *(pl.col(d) for d in per)],
            descending=[False, True, *([False] * len(per))],
            nulls_last=True,
        )
        .drop("_alle", strict=False)
        .select(*DIMENSIES, pl.exclude(*DIMENSIES))  # the same columns, in one order, for any per
    )


def van_aanbieder(per_aanbieder: pl.DataFrame, aanbieder: str) -> pl.DataFrame:
    """One provider's forecast cut from the forecast of all providers: what per_groep gives
    with the filter aanbieder = `aanbieder`, row for row and in the same order.

    `per_aanbieder`: per_groep grouped by ("aanbieder", *per) under the same filters without
    the aanbieder (outside a provider scope). Every figure of a group is over its own
    contracts, its stoplicht is the engine's for the same group (which kpi.berekening's
    uit_per_aanbieder shows equal to the filtered one where there are units) and a provider
    without contracts has no rows either way. Why: one forecast then serves every provider's
    page, so twenty first requests for twenty providers cost one forecast, not twenty
    (bench/README "Many users at once"); tests/test_kpi_snelle_paden.py compares both paths.
    """
    return per_aanbieder.filter(pl.col("aanbieder") == aanbieder).with_columns(
        aanbieder=pl.lit(None, pl.String)
    )


def maandreeks_van_aanbieder(per_aanbieder: pl.DataFrame, aanbieder: str) -> pl.DataFrame:
    """One provider's maandreeks cut from maandreeks(per=("aanbieder", *per)) of all
    providers: what maandreeks(per=per) gives with the filter aanbieder = `aanbieder`
    (the same reason and test as van_aanbieder)."""
    return per_aanbieder.filter(pl.col("aanbieder") == aanbieder).drop("aanbieder")


_SOMMEN = (
    "zorgdagen_gerealiseerd", "zorgdagen_verwacht", "zorgdagen_variantie", "plekdagen_periode",
    "zorgkosten_gerealiseerd", "zorgkosten_verwacht", "zorgkosten_variantie",
    "voorschot_betaald", "voorschot_rest", "voorschot_periode", "saldo_verwacht",
    "advies_rest", "voorschotadvies", "voorschotadvies_variantie", "volloopt", "plekken",
    "plekken_volgend_jaar", "plekken_variantie", "in_zorg_peildatum", "instroom_3m",
    "instroom_12m", "doorlooptijd_som",
)  # fmt: skip


def beveilig(frame: pl.DataFrame) -> pl.DataFrame:
    """Provider scope on a forecast frame: counts of people and their care days rounded to
    fives, 0 to 7 withheld (kpi.scope.telling); money and shares of contracts stay exact."""
    return frame.with_columns(
        per_waarde(frame[k], _telling, pl.Float64) for k in TELLINGEN if k in frame.columns
    )


def _telling(x: float | None) -> float | None:
    waarde = telling(None if x is None else max(x, 0.0))
    return None if waarde is None else float(waarde)


def _met_stoplicht(
    met: pl.DataFrame, b: Berekening, periode: Periode, per: tuple[str, ...], filters: Filters
) -> pl.DataFrame:
    """The engine's stoplicht and norm of verwachte_benutting, the signal and the deviation."""
    oordeel = b.bereken(periode, per, filters, ["verwachte_benutting"]).select(
        *per, "stoplicht", "norm_groen", "norm_oranje"
    )
    if per:
        met = met.join(oordeel, on=list(per), how="left", nulls_equal=True)
    else:
        met = met.with_columns(
            **{k: pl.lit(oordeel[k][0] if oordeel.height else None) for k in oordeel.columns}
        )
    rijen = met.select("benutting_verwacht", "norm_groen", "stoplicht").iter_rows()
    signalen, afstanden = [], []
    for waarde, norm, kleur in rijen:
        signalen.append(signaal(waarde, norm, kleur))
        afstanden.append(afwijking(waarde, norm) if kleur in ("oranje", "rood") else 0.0)
    return met.with_columns(
        stoplicht=pl.col("stoplicht").fill_null("grijs"),
        signaal=pl.Series(signalen, dtype=pl.String),
        afwijking=pl.Series(afstanden, dtype=pl.Float64),
    )


def maandreeks(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str | None = None,
    filters: Filters | None = None,
    peildatum: date | None = None,
    scope: Scope | None = None,
    berekening: Berekening | None = None,
    per: Sequence[str] = (),
) -> pl.DataFrame:
    """Per month of the period, cumulative to the month's end, summed over the selection's
    contracts that have a forecast (as per_groep, so the line ends at its figure): realised
    and expected zorgdagen, zorgkosten (with 80 % bounds), plekdagen, benutting, voorschot;
    per group of `per` (default the whole selection). `soort`: 'realisatie' for months
    ended on or before the peildatum, else 'prognose'."""
    scope = scope or REGIO
    b = berekening or Berekening(con, peildatum)
    periode = Periode.parse(periode) if periode is not None else contractjaar_van(b.peildatum)
    maanden = b.bron.filtreer(bereken_prognose(b.bron, periode).maanden, scope.filters(filters))
    maanden = maanden.filter(pl.col("zorgdagen_verwacht").is_not_null())
    maten = [
        c
        for c in maanden.columns
        if c.startswith(("zorg", "plek", "voorschot")) and not c.endswith("_sd_kromme")
    ]
    uit = (
        maanden.group_by(*per, "maand")
        .agg(_som(m).alias(m) for m in maten)
        .join(
            kromme_variantie(maanden, [*per, "maand"], _KROMME[:2]),
            on=[*per, "maand"],
            nulls_equal=True,
        )  # fmt: skip
        .sort(*per, "maand")
    )
    dagen = pl.col("plekdagen")
    zd_onder, zd_boven = _grenzen(
        pl.col("zorgdagen_verwacht"), _variantie("zorgdagen"), pl.col("zorgdagen_gerealiseerd")
    )
    zk_onder, zk_boven = _grenzen(
        pl.col("zorgkosten_verwacht"), _variantie("zorgkosten"), pl.col("zorgkosten_gerealiseerd")
    )
    einde = pl.col("maand").dt.month_end()
    uit = uit.with_columns(
        soort=pl.when(einde <= b.peildatum)
        .then(pl.lit("realisatie"))
        .otherwise(pl.lit("prognose")),
        zorgdagen_onder=zd_onder,
        zorgdagen_boven=zd_boven,
        zorgkosten_onder=zk_onder,
        zorgkosten_boven=zk_boven,
    ).with_columns(
        benutting_gerealiseerd=pl.when(dagen > 0).then(pl.col("zorgdagen_gerealiseerd") / dagen),
        benutting_verwacht=pl.when(dagen > 0).then(pl.col("zorgdagen_verwacht") / dagen),
        benutting_onder=pl.when(dagen > 0).then(pl.col("zorgdagen_onder") / dagen),
        benutting_boven=pl.when(dagen > 0).then(pl.col("zorgdagen_boven") / dagen),
    )
    return beveilig(uit) if scope.is_aanbieder else uit


# ------------------------------------------------------------------ export

# The forecast's own columns in the long-form export (kpi/cli.py), after niet_berekend; empty
# on the rows of other KPIs, and absent from an export without a forecast KPI.
EXPORT_KOLOMMEN = {
    "soort": pl.String,  # 'prognose'
    "interval_onder": pl.Decimal(38, 10),  # 80 % interval of `waarde`, in its unit
    "interval_boven": pl.Decimal(38, 10),
    "volloop_datum": pl.Date,  # volloop: the first day with more clients than plekken
    "signaal": pl.String,  # verwachte_benutting: SIGNAAL_TEKST; volloop: VOLLOOP_TEKST
    "contracten": pl.Int64,  # contracts in the group
    "zonder_prognose": pl.Int64,  # of those, without forecast (not in the figures)
    "toelichting": pl.String,  # dekking(): over how many contracts, why not the others
}
# per forecast KPI: the per_groep columns of its interval (volloop: a date, no interval)
_GRENZEN = {
    "verwachte_zorgdagen": "zorgdagen",
    "verwachte_benutting": "benutting",
    "verwachte_zorgkosten": "zorgkosten",
    "verwacht_saldo": "saldo",
    "voorschotadvies": "voorschotadvies",
    "plekken_volgend_jaar": "plekken",
}


def met_exportkolommen(
    uitkomst: pl.DataFrame,
    con: duckdb.DuckDBPyConnection,
    periode: Periode,
    per: Sequence[str] = (),
    filters: Filters | None = None,
    peildatum: date | None = None,
    normen: Normen | Path | str | None = None,
) -> pl.DataFrame:
    """The engine's long form (kpi.bereken) with, on the rows of the forecast KPIs, the
    columns EXPORT_KOLOMMEN from per_groep (same period, grouping and filters) and, for a
    group without any forecast, the reason in `niet_berekend` (value, n, voorlopig and
    stoplicht empty, as on the export's other rows without a figure). Unchanged when it
    holds no forecast KPI."""
    gevraagd = [k for k in PROGNOSE_KPIS if k in set(uitkomst["kpi"].to_list())]
    if not gevraagd:
        return uitkomst
    groepen = per_groep(con, periode, per, filters, peildatum, normen=normen)
    sleutels = [pl.col(d).fill_null(GEEN) if d in per else pl.col(d) for d in DIMENSIES]
    zonder_alles = pl.col("zonder_prognose") >= pl.col("contracten")
    teksten = [
        dekking(c, z, r)
        for c, z, r in groepen.select("contracten", "zonder_prognose", "reden").iter_rows()
    ]
    groepen = groepen.with_columns(_dekking=pl.Series(teksten, dtype=pl.String))
    delen = []
    for kpi in gevraagd:
        maat = _GRENZEN.get(kpi)
        geen = pl.lit(None, pl.Float64)
        signaal_ = pl.lit(None, pl.String)
        if kpi == "verwachte_benutting":
            signaal_ = pl.col("signaal").replace_strict(SIGNAAL_TEKST, default=None)
        elif kpi == "volloop":
            signaal_ = (
                pl.when(pl.col("volloop_contracten") > 0)
                .then(pl.lit(VOLLOOP_TEKST[1]))
                .when(pl.col("volloop_contracten").is_not_null())
                .then(pl.lit(VOLLOOP_TEKST[0]))
            )
        delen.append(
            groepen.select(
                pl.lit(kpi).alias("kpi"),
                *sleutels,
                pl.lit("prognose").alias("soort"),
                (pl.col(f"{maat}_onder") if maat else geen).round(10).alias("interval_onder"),
                (pl.col(f"{maat}_boven") if maat else geen).round(10).alias("interval_boven"),
                (pl.col("volloop_datum") if kpi == "volloop" else pl.lit(None, pl.Date)).alias(
                    "volloop_datum"
                ),
                pl.when(~zonder_alles).then(signaal_).alias("signaal"),
                pl.col("contracten").cast(pl.Int64),
                pl.col("zonder_prognose").cast(pl.Int64),
                pl.when(~zonder_alles).then(pl.col("_dekking")).alias("toelichting"),
                pl.when(zonder_alles).then(pl.col("_dekking")).alias("_reden"),
            ).cast(EXPORT_KOLOMMEN)  # type: ignore[arg-type]
        )
    extra = pl.concat(delen)
    samen = uitkomst.join(
        extra, on=["kpi", *DIMENSIES], how="left", nulls_equal=True, maintain_order="left"
    )
    geen_cijfer = pl.col("_reden").is_not_null()
    leeg = ("n", "voorlopig", "norm_groen", "norm_oranje", "norm_deel", "stoplicht")
    bestaand = pl.col(NIET_BEREKEND) if NIET_BEREKEND in samen.columns else pl.lit(None)
    return samen.with_columns(
        *(pl.when(~geen_cijfer).then(pl.col(k)).alias(k) for k in leeg if k in samen.columns),
        pl.when(geen_cijfer).then(pl.col("_reden")).otherwise(bestaand).alias(NIET_BEREKEND),
    ).select(*(c for c in uitkomst.columns if c != NIET_BEREKEND), NIET_BEREKEND, *EXPORT_KOLOMMEN)
