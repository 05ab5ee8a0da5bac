"""Display tables from the long KPI frame: Dutch text per cell, stoplicht beside every value."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from kpi.berekening import Uitleg
from kpi.financien import Uitgavenreeks, Verschiloverzicht
from kpi.geldigheid import contractjaren, overzicht
from kpi.periode import Periode, trendperiode, vorige_periode  # noqa: F401 - re-exported
from kpi.registry import Kpi, Registry, laad_registry
from kpi.stoplicht import Norm

from weergave import formaat, privacy

REGIO = "Regio (totaal)"
EIGEN_TOTAAL = "Totaal (eigen)"
NIET_VAN_TOEPASSING = "niet van toepassing"
# The KPIs of the stoplicht matrix unless the user picks others: these, and every external KPI
# of the declaration (kpi/externe_kpis.toml: a KPI added there shows without a code change).
MATRIX_KPIS = (
    "instroom", "uitstroom", "uitstroom_volgens_plan", "doorlooptijd", "lopend", "wachttijd",
    "recidive", "afschaling", "benutting", "saldo_afrekening", "tijdig_305", "tijdig_307",
) + tuple(k.id for k in laad_registry() if k.extern)  # fmt: skip
# The KPIs of the doorlooptijd table (doorlooptijden: median, mean, against the stated one), on
# the Aanbieder page and in the factsheet.
DOORLOOPTIJD_KPIS = ("doorlooptijd", "doorlooptijd_gemiddeld", "doorlooptijd_ratio")
# The KPIs compared with peers in the same sub-segment (Aanbieder page, factsheet).
POSITIE_KPIS = (
    "doorlooptijd", "uitstroom_volgens_plan", "wachttijd", "recidive", "benutting", "tijdig_305",
    "tijdig_307",
)  # fmt: skip


def normtekst(norm: str | None, eenheid: str) -> str:
    """A norm threshold as Dutch text: '>= 0.9' → '≥ 90,0 %', '0.9..1.05' → '90,0 % – 105,0 %'."""
    if not norm:
        return ""
    waarden = Norm.lees(norm)
    if waarden is None:
        return norm
    if waarden.onder is not None and waarden.boven is not None:
        return (
            f"{formaat.waarde(waarden.onder, eenheid)} – {formaat.waarde(waarden.boven, eenheid)}"
        )
    if waarden.boven is not None:
        return f"≤ {formaat.waarde(waarden.boven, eenheid)}"
    assert waarden.onder is not None
    return f"≥ {formaat.waarde(waarden.onder, eenheid)}"


def norm_samenvatting(
    groen: str | None, oranje: str | None, eenheid: str, deel: str | None = None
) -> str:
    """'groen ≥ 90,0 %; oranje ≥ 75,0 %', or 'geen norm'; for a figure judged per
    sub-segment (`deel`: the sub-segment that decided) it says so and whose norm it is."""
    if not groen and not oranje:
        return "geen norm"
    delen = []
    if groen:
        delen.append(f"groen {normtekst(groen, eenheid)}")
    if oranje:
        delen.append(f"oranje {normtekst(oranje, eenheid)}")
    norm = "; ".join(delen)
    if deel:
        return f"per sub-segment, het slechtste telt: {deel} ({norm})"
    return norm


def kort(waarde: Decimal | float, eenheid: str, in_miljoenen: bool | None = None) -> str:
    """A value short enough for a matrix cell: money in whole euros or in millions ('mln').

    `in_miljoenen` sets the scale (one per matrix column); None: millions from a million on.
    Below a million a value in millions gets two decimals ('€ 0,16 mln').
    """
    if eenheid == "dagen":
        heel = Decimal(str(waarde)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return formaat.dagen(heel)  # whole days in a cell; the tooltip has the decimal
    if eenheid != "euro":
        return formaat.waarde(waarde, eenheid)
    if in_miljoenen is None:
        in_miljoenen = abs(waarde) >= 1_000_000
    if in_miljoenen:
        decimalen = 1 if abs(waarde) >= 1_000_000 else 2
        return f"€ {formaat.getal(Decimal(str(waarde)) / 1_000_000, decimalen)} mln"
    return formaat.euro(waarde, 0)


def celtekst(
    waarde: Decimal | float | None,
    eenheid: str,
    stoplicht: str | None,
    in_miljoenen: bool | None = None,
) -> str:
    """A matrix cell: the value and its stoplicht symbol ('62,5 % ▲'); '–' without a value."""
    if waarde is None:
        return "–"
    symbool = formaat.stoplicht(stoplicht or "grijs").split(" ")[0]
    return f"{kort(waarde, eenheid, in_miljoenen)} {symbool}"


def _een_euroschaal(lang: pl.DataFrame) -> pl.DataFrame:
    """Money cells in one scale per KPI column: all in millions once one reaches a million."""
    euro = lang.filter((pl.col("eenheid") == "euro") & pl.col("waarde").is_not_null())
    if euro.is_empty():
        return lang
    miljoenen = {
        k: m >= 1_000_000
        for k, m in euro.group_by("kpi").agg(pl.col("waarde_getal").abs().max()).iter_rows()
    }
    geheim = lang["geheim"].to_list() if "geheim" in lang.columns else [False] * lang.height
    cellen = [
        cel
        if eenheid != "euro" or w is None or verborgen
        else celtekst(w, eenheid, licht, miljoenen.get(k))
        for k, eenheid, w, licht, cel, verborgen in zip(
            lang["kpi"], lang["eenheid"], lang["waarde"], lang["stoplicht"], lang["cel"], geheim,
            strict=True,
        )
    ]  # fmt: skip
    return lang.with_columns(cel=pl.Series(cellen, dtype=pl.String))


def kpi_kop(kpi: Kpi) -> str:
    """The KPI's name where its figures are shown: for a KPI from another source with that
    source beside it ('Cliënttevredenheid (bron: cliënttevredenheidsonderzoek)')."""
    return f"{kpi.label} (bron: {kpi.bronvermelding})" if kpi.bronvermelding else kpi.label


def geldigheidstekst(van: date | None, tot: date | None) -> str:
    """'vanaf 01-07-2023', 't/m 31-12-2024', '01-07-2023 t/m 31-12-2024' or 'hele looptijd'."""
    if van and tot:
        return f"{formaat.datum(van)} t/m {formaat.datum(tot)}"
    if van:
        return f"vanaf {formaat.datum(van)}"
    if tot:
        return f"t/m {formaat.datum(tot)}"
    return "hele looptijd"


def _buiten_kracht(kpi: Kpi, r: dict) -> bool:
    """True for a row of a period in which its KPI is not part of the KPI set."""
    eind = r.get("periode_eind")
    return eind is not None and not kpi.van_kracht(eind)


ALLEEN_PRECIES = "zonder teller en noemer alleen voor precies de aangeleverde periode"


def _toelichting(kpi: Kpi, r: dict, nvt: bool) -> str:
    """Why a row has no value, where that is not plain 'no data' ('' otherwise)."""
    if nvt:
        return f"KPI geldt {geldigheidstekst(kpi.geldig_van, kpi.geldig_tot)}"
    if kpi.extern and r["waarde"] is None and r["n"] and not r.get("geheim"):
        return ALLEEN_PRECIES  # delivered, but without teller/noemer for another period
    return ""


def met_tekst(resultaat: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The long frame plus label, unit, Dutch value text, norm text and a float value; a KPI
    outside the KPI set of the row's period reads 'niet van toepassing', never a zero."""
    rijen = []
    for r in resultaat.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        geheim = bool(r.get("geheim"))  # withheld by the data layer (provider scope)
        nvt = _buiten_kracht(kpi, r)
        if nvt:
            tekst = cel = NIET_VAN_TOEPASSING
        elif geheim:
            tekst = cel = privacy.GEHEIM
        else:
            tekst = formaat.waarde(r["waarde"], kpi.eenheid) if r["waarde"] is not None else "–"
            cel = celtekst(r["waarde"], kpi.eenheid, r["stoplicht"])
        rijen.append(
            {
                "kpi_label": kpi_kop(kpi),
                "eenheid": kpi.eenheid,
                "tekst": tekst,
                "cel": "n.v.t." if nvt else cel,
                "stoplicht_tekst": NIET_VAN_TOEPASSING
                if nvt
                else formaat.stoplicht(r["stoplicht"] or "grijs")
                + (" (voorlopig)" if r.get("voorlopig") else ""),
                "norm": _toelichting(kpi, r, nvt)
                if nvt
                else norm_samenvatting(
                    r["norm_groen"], r["norm_oranje"], kpi.eenheid, r.get("norm_deel")
                ),
                "waarde_getal": None if r["waarde"] is None else float(r["waarde"]),
                "bron": kpi.bronvermelding or "",
                "toelichting": _toelichting(kpi, r, nvt),
            }
        )
    extra = pl.DataFrame(
        rijen,
        schema={
            "kpi_label": pl.String,
            "eenheid": pl.String,
            "tekst": pl.String,
            "cel": pl.String,
            "stoplicht_tekst": pl.String,
            "norm": pl.String,
            "waarde_getal": pl.Float64,
            "bron": pl.String,
            "toelichting": pl.String,
        },
    )
    return pl.concat([resultaat, extra], how="horizontal")


def matrix_lang(
    per_rij: pl.DataFrame,
    regio: pl.DataFrame,
    indeling: str,
    namen: dict[str, str],
    registry: Registry,
    kpis: list[str],
    totaal: str = REGIO,
    vorige: tuple[pl.DataFrame, pl.DataFrame] | None = None,
) -> pl.DataFrame:
    """Long matrix: one row per (row, KPI), the region first; rows named by `namen`. A KPI
    outside the KPI set of the period reads 'n.v.t.' on every row, not only the region's.

    `vorige`: (per_rij, regio) of the previous period, for the columns vorige_tekst and
    verandering (the change and whether it is better or worse, see `verandering`).
    """
    per_rij = _met_niet_van_toepassing(per_rij, regio, indeling, registry)
    delen = []
    if regio.height:
        deel = met_tekst(regio.filter(pl.col("kpi").is_in(kpis)), registry)
        if vorige is not None:
            deel = met_vergelijking(deel, vorige[1], registry, ())
        delen.append(
            deel.with_columns(
                rij=pl.lit(totaal), rij_code=pl.lit(None, pl.String), rij_volgorde=pl.lit(0)
            )
        )
    if per_rij.height:
        deel = met_tekst(per_rij.filter(pl.col("kpi").is_in(kpis)), registry)
        if vorige is not None:
            deel = met_vergelijking(deel, vorige[0], registry, (indeling,))
        delen.append(
            deel.with_columns(
                rij=pl.col(indeling).replace_strict(namen, default=pl.col(indeling)),
                rij_code=pl.col(indeling),
                rij_volgorde=pl.lit(1),  # refined by `sorteer`
            )
        )
    if not delen:
        return pl.DataFrame()
    volgorde = {k: i for i, k in enumerate(kpis)}
    return _een_euroschaal(
        pl.concat(delen, how="vertical_relaxed")
        .with_columns(kpi_volgorde=pl.col("kpi").replace_strict(volgorde, default=99))
        .sort("rij_volgorde", "rij", "kpi_volgorde")
    )


def _met_niet_van_toepassing(
    per_rij: pl.DataFrame, regio: pl.DataFrame, indeling: str, registry: Registry
) -> pl.DataFrame:
    """`per_rij` plus, for every row it has, the region's row of each KPI not in force in the
    period (a grouped computation has no rows for such a KPI: kpi.geldigheid)."""
    if regio.is_empty() or per_rij.is_empty():
        return per_rij
    buiten = [
        r["kpi"] for r in regio.iter_rows(named=True) if _buiten_kracht(registry[r["kpi"]], r)
    ]
    if not buiten:
        return per_rij
    rijen = per_rij.select(indeling).unique(maintain_order=True)
    extra = regio.filter(pl.col("kpi").is_in(buiten)).drop(indeling).join(rijen, how="cross")
    return pl.concat([per_rij, extra.select(per_rij.columns)], how="vertical_relaxed")


def matrix_breed(lang: pl.DataFrame, registry: Registry, kpis: list[str]) -> pl.DataFrame:
    """Wide matrix for a table: first column the row name, then one text column per KPI."""
    if lang.is_empty():
        return pl.DataFrame({"Rij": []}, schema={"Rij": pl.String})
    labels = [kpi_kop(registry[k]) for k in kpis if k in set(lang["kpi"])]
    breed = (
        lang.select("rij", "rij_volgorde", "rij_code", "kpi_label", "cel")
        .pivot(on="kpi_label", index=["rij", "rij_volgorde", "rij_code"], values="cel")
        .sort("rij_volgorde")
    )
    return breed.select(pl.col("rij").alias("Rij"), pl.col("rij_code").alias("code"), *labels)


def stoplicht_per_cel(lang: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(row name, KPI label) → stoplicht colour, to colour a wide table."""
    return {
        (r, k): s or "grijs" for r, k, s in lang.select("rij", "kpi_label", "stoplicht").iter_rows()
    }


def sorteer(lang: pl.DataFrame, op: str) -> pl.DataFrame:
    """Order the rows: by name ('naam') or by a KPI's value, high to low; the region stays first."""
    if lang.is_empty():
        return lang
    rijen = lang.filter(pl.col("rij_volgorde") > 0).select("rij").unique().sort("rij")
    if op != "naam":
        waarden = lang.filter(pl.col("kpi") == op).select("rij", "waarde_getal")
        rijen = (
            rijen.join(waarden, on="rij", how="left")
            .sort(["waarde_getal", "rij"], descending=[True, False], nulls_last=True)
            .select("rij")
        )
    rang = {r: i for i, r in enumerate(rijen["rij"].to_list(), start=1)}
    return lang.with_columns(
        rij_volgorde=pl.when(pl.col("rij_volgorde") == 0)
        .then(0)
        .otherwise(pl.col("rij").replace_strict(rang, default=None))
    ).sort("rij_volgorde", "kpi_volgorde")


def normband(norm_groen: str | None, norm_deel: str | None = None) -> tuple[float, float] | None:
    """The green zone of a fixed norm as (low, high) for a chart band; None without a norm
    and for a figure judged per sub-segment (`norm_deel`: no one band fits it)."""
    if not norm_groen or norm_deel or (norm := Norm.lees(norm_groen)) is None:
        return None
    if norm.onder is not None and norm.boven is not None:
        return float(norm.onder), float(norm.boven)
    if norm.boven is not None:
        return 0.0, float(norm.boven)
    assert norm.onder is not None
    grens = float(norm.onder)
    return grens, max(1.0, grens * 1.5)


def _geheim_of(r: dict, tekst: str) -> str:
    """'geheim' for a figure the provider scope withheld (kpi.scope.beveilig), else `tekst`."""
    return privacy.GEHEIM if r.get("geheim") and not tekst else tekst


def _getal_of_none(x: object) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def _afstand_tot_band(waarde: Decimal, norm_groen: str | None) -> Decimal | None:
    """How far a value lies outside a green band 'a..b' (0 inside); None without a band."""
    norm = Norm.lees(norm_groen)
    if norm is None or norm.onder is None or norm.boven is None:
        return None
    onder, boven = norm.onder, norm.boven
    return max(onder - waarde, waarde - boven, Decimal(0))


_DECIMALEN = {"dagen": 1, "euro": 2}  # as formaat.waarde shows them


def verandering(
    nu: object, eerder: object, eenheid: str, richting: str, norm_groen: str | None = None
) -> tuple[str, str]:
    """The change from the previous period's value and whether it is better or worse.

    Returns (change, judgement): '+12 dagen', '-2,3 %-punt', '+€ 1.234,56' (with the
    relative change for counts, days and money: '+15 (+8,0 %)'), and 'beter', 'slechter',
    'gelijk' or '' for a neutral KPI. The KPI's direction decides; a band KPI is better
    when it lies closer to its green band (`norm_groen`, '0.9..1.05'). ('', '') when
    either value is missing.
    """
    a, b = _getal_of_none(nu), _getal_of_none(eerder)
    if a is None or b is None:
        return "", ""
    # the change as shown (rounded as its unit is): a change that shows as 0 is 'gelijk'
    procentpunt = eenheid in ("aandeel", "verhouding")
    schaal, decimalen = (100, 1) if procentpunt else (1, _DECIMALEN.get(eenheid, 0))
    delta = ((a - b) * schaal).quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    teken = "+" if delta > 0 else "-" if delta < 0 else "±"
    if procentpunt:
        tekst = f"{teken}{formaat.getal(abs(delta), 1)} %-punt"
    else:
        tekst = f"{teken}{formaat.waarde(abs(delta), eenheid)}"  # days carry their unit
        if b != 0 and delta != 0:
            tekst += f" ({teken}{formaat.procent(abs((a - b) / b))})"
    if richting == "neutraal":
        return tekst, ""
    if richting == "band":
        nu_af, eerder_af = _afstand_tot_band(a, norm_groen), _afstand_tot_band(b, norm_groen)
        if nu_af is None or eerder_af is None:
            return tekst, ""
        beter = eerder_af - nu_af if delta != 0 else Decimal(0)
    else:
        beter = -delta if richting == "lager_beter" else delta
    oordeel = "beter" if beter > 0 else "slechter" if beter < 0 else "gelijk"
    return tekst, oordeel


def verandering_tekst(verschil: str, oordeel: str) -> str:
    """'+12 dagen · slechter' (or only the change for a neutral KPI)."""
    if not verschil:
        return ""
    return f"{verschil} · {oordeel}" if oordeel else verschil


def met_vergelijking(
    tekst: pl.DataFrame, eerder: pl.DataFrame, registry: Registry, sleutel: tuple[str, ...]
) -> pl.DataFrame:
    """`met_tekst` rows plus the previous period's value text (vorige_tekst) and the change
    with its judgement (verandering), matched on KPI and `sleutel`; a withheld figure
    (geheim) on either side gives 'geheim'."""
    vorige = {}
    for r in eerder.iter_rows(named=True):
        vorige[(r["kpi"], *(r[d] for d in sleutel))] = r
    teksten, veranderingen = [], []
    for r in tekst.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        v = vorige.get((r["kpi"], *(r[d] for d in sleutel)))
        if v is None:
            teksten.append("–")
            veranderingen.append("")
            continue
        if r.get("geheim") or v.get("geheim"):
            teksten.append(
                privacy.GEHEIM if v.get("geheim") else formaat.waarde(v["waarde"], kpi.eenheid)
            )
            veranderingen.append(privacy.GEHEIM)
            continue
        teksten.append("–" if v["waarde"] is None else formaat.waarde(v["waarde"], kpi.eenheid))
        veranderingen.append(
            verandering_tekst(
                *verandering(r["waarde"], v["waarde"], kpi.eenheid, kpi.richting, r["norm_groen"])
            )
        )
    return tekst.with_columns(
        vorige_tekst=pl.Series(teksten, dtype=pl.String),
        verandering=pl.Series(veranderingen, dtype=pl.String),
    )


def kpi_tabel(
    resultaat: pl.DataFrame,
    registry: Registry,
    eerder: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per KPI with Dutch headers: label, value, stoplicht, norm, teller, noemer, n.

    With `eerder` (the same figures for the previous period) the columns "Vorige periode"
    and "Verandering" (the change, better or worse) stand right beside the value; the
    caller says which period that is.
    """
    if resultaat.is_empty():
        return pl.DataFrame(schema={"KPI": pl.String})
    t = met_tekst(resultaat, registry)
    if eerder is not None:
        t = met_vergelijking(t, eerder, registry, ())
    rijen = []
    for r in t.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        waarde = r["tekst"] + (
            f" ({r['toelichting']})" if r["toelichting"] == ALLEEN_PRECIES else ""
        )
        rij = {"KPI": r["kpi_label"], "Waarde": waarde}
        if eerder is not None:
            rij["Vorige periode"] = r["vorige_tekst"]
            rij["Verandering"] = r["verandering"]
        rij |= {
            "Stoplicht": r["stoplicht_tekst"],
            "Norm": r["norm"],
            "Teller": formaat.waarde(r["teller"], kpi.eenheid_teller)
            if r["teller"] is not None
            else "",
            "Noemer": formaat.waarde(r["noemer"], kpi.eenheid_teller)
            if r["noemer"] is not None
            else "",
            "n": _geheim_of(r, formaat.getal(r["n"])),
        }
        rijen.append(rij)
    return pl.DataFrame(rijen)


def _geld(x: object) -> str:
    return formaat.euro(x) if x is not None else ""


def per_contract(
    resultaat: pl.DataFrame,
    registry: Registry,
    gemeente_namen: dict[str, str],
    aanbieder_namen: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Benutting, zorgkosten, voorschot and saldo side by side per contract row."""
    if resultaat.is_empty():
        return pl.DataFrame()
    sleutels = [
        d for d in ("aanbieder", "gemeente", "subsegment") if resultaat[d].null_count() == 0
    ]
    t = met_tekst(resultaat, registry)
    rijen: dict[tuple, dict[str, str]] = {}
    for r in t.iter_rows(named=True):
        sleutel = tuple(r[d] for d in sleutels)
        rij = rijen.setdefault(sleutel, {})
        if "aanbieder" in sleutels and aanbieder_namen is not None:
            rij["Aanbieder"] = aanbieder_namen.get(r["aanbieder"], r["aanbieder"])
        if "gemeente" in sleutels:
            rij["Gemeente"] = gemeente_namen.get(r["gemeente"], r["gemeente"])
        if "subsegment" in sleutels:
            rij["Sub-segment"] = r["subsegment"]
        if r["kpi"] == "benutting":
            rij["Benutting"] = r["cel"]
            rij["Plekdagen (gecontracteerd)"] = (
                formaat.getal(r["noemer"]) if r["noemer"] is not None else ""
            )
            rij["Zorgdagen"] = formaat.getal(r["teller"]) if r["teller"] is not None else ""
        elif r["kpi"] == "zorgkosten":
            rij["Zorgkosten"] = _geld(r["waarde"])
        elif r["kpi"] == "voorschot":
            rij["Voorschot"] = _geld(r["waarde"])
        elif r["kpi"] == "saldo_afrekening":
            rij["Verwacht saldo"] = _geld(r["waarde"])
    kolommen = ["Aanbieder", "Gemeente", "Sub-segment", "Zorgdagen", "Plekdagen (gecontracteerd)",
                "Benutting", "Voorschot", "Zorgkosten", "Verwacht saldo"]  # fmt: skip
    frame = pl.DataFrame(list(rijen.values()))
    return frame.select([k for k in kolommen if k in frame.columns])


def doorlooptijden(resultaat: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Per sub-segment: median and mean duration, the stated duration and the ratio to it."""
    if resultaat.is_empty():
        return pl.DataFrame()
    t = met_tekst(resultaat, registry)
    rijen: dict[str, dict[str, str]] = {}
    kop = {
        "doorlooptijd": "Mediaan (dagen)",
        "doorlooptijd_gemiddeld": "Gemiddeld (dagen)",
        "doorlooptijd_ratio": "Werkelijk / opgegeven",
    }
    for r in t.iter_rows(named=True):
        rij = rijen.setdefault(
            r["subsegment"] or "Alle", {"Sub-segment": r["subsegment"] or "Alle"}
        )
        rij[kop[r["kpi"]]] = r["cel"]
        if r["kpi"] == "doorlooptijd_ratio":
            # the mean stated duration over the trajectories whose contract states one
            opgegeven = r["noemer"] / r["n"] if r["noemer"] is not None and r["n"] else None
            rij["Opgegeven (dagen, gemiddeld)"] = _geheim_of(
                r, formaat.waarde(opgegeven, "dagen") if opgegeven is not None else ""
            )
        if r["kpi"] == "doorlooptijd":
            rij["Beëindigde trajecten"] = _geheim_of(r, formaat.getal(r["n"]))
    volgorde = (
        "Sub-segment",
        "Mediaan (dagen)",
        "Gemiddeld (dagen)",
        "Opgegeven (dagen, gemiddeld)",
        "Werkelijk / opgegeven",
        "Beëindigde trajecten",
    )
    frame = pl.DataFrame(list(rijen.values()))
    return frame.select([k for k in volgorde if k in frame.columns])


def benchmark_data(
    vergelijking: pl.DataFrame,
    registry: Registry,
    kpi_id: str,
    namen: dict[str, str],
    normen: Mapping[str, str | None] | None = None,
) -> pl.DataFrame:
    """Display rows for a benchmark from kpi.scope.peers: peers unnamed, the own one named.

    `normen` (sub-segment → its green norm, as kpi.bereken gives norm_groen) adds the green
    zone per sub-segment (norm_onder, norm_boven, norm_tekst) for the chart and the position.
    """
    schema = {"subsegment": pl.String, "waarde_getal": pl.Float64, "tekst": pl.String,
              "n": pl.Int64, "eenheid": pl.String, "richting": pl.String,
              "geselecteerd": pl.Boolean, "aanbieder_label": pl.String,
              "norm_onder": pl.Float64, "norm_boven": pl.Float64,
              "norm_tekst": pl.String}  # fmt: skip
    kpi = registry[kpi_id]
    zones = {sub: _groene_zone(norm, kpi.eenheid) for sub, norm in (normen or {}).items()}
    rijen = []
    for r in vergelijking.iter_rows(named=True):
        if r["waarde"] is None and not r["eigen"]:
            continue
        eigen_naam = namen.get(r["aanbieder"], r["aanbieder"]) if r["eigen"] else None
        onder, boven = zones.get(r["subsegment"]) or (None, None)
        norm = (normen or {}).get(r["subsegment"])
        rijen.append(
            {
                "subsegment": r["subsegment"],
                "waarde_getal": None if r["waarde"] is None else float(r["waarde"]),
                "tekst": "geheim" if r["geheim"] else formaat.waarde(r["waarde"], kpi.eenheid),
                "n": r["n"],
                "eenheid": kpi.eenheid,
                "richting": kpi.richting,
                "geselecteerd": bool(r["eigen"]),
                "aanbieder_label": eigen_naam or "andere aanbieder",
                "norm_onder": onder,
                "norm_boven": boven,
                "norm_tekst": normtekst(norm, kpi.eenheid) if onder is not None else None,
            }
        )
    return pl.DataFrame(rijen, schema=schema)


def _groene_zone(norm_groen: str | None, eenheid: str) -> tuple[float, float] | None:
    """The green zone of a norm for a benchmark axis; a one-sided share norm ends at 100 %."""
    zone = normband(norm_groen)
    if zone is None:
        return None
    onder, boven = zone
    norm = Norm.lees(norm_groen)
    eenzijdig = norm is None or not norm.is_band  # '>= 0.9': normband invents an upper end
    return (onder, min(boven, 1.0)) if eenzijdig and eenheid == "aandeel" else (onder, boven)


def _positie_tot_band(waarde: float, onder: float, boven: float, eenheid: str) -> str:
    """'binnen de band', or how far below or above it ('4,2 %-punt onder de band')."""
    if onder <= waarde <= boven:
        return "binnen de band"
    verschil, kant = (onder - waarde, "onder") if waarde < onder else (waarde - boven, "boven")
    if eenheid in ("aandeel", "verhouding"):
        tekst = f"{formaat.getal(verschil * 100, 1)} %-punt"
    else:
        tekst = formaat.waarde(verschil, eenheid)
    return f"{tekst} {kant} de band"


def positie(bench: pl.DataFrame, *, beschermd: bool = False) -> pl.DataFrame:
    """Per sub-segment: the provider's place among the others and the spread of the others.

    For a KPI with a band norm (benutting) the place says how far the provider is from the
    green band, not high → low, where the band is known (benchmark_data with `normen`).
    `beschermd` (provider scope): for a KPI that counts, the median, lowest and highest of the
    others are counts too, shown as a provider sees counts (privacy.telling: rounded to fives,
    'geheim' below 8); a median of two protected counts can fall between fives.
    """

    def spreiding(x: float | None, eenheid: str) -> str:
        if beschermd and eenheid == "aantal" and x is not None:
            return privacy.telling(x)
        return formaat.waarde(x, eenheid)

    band = (
        "richting" in bench.columns
        and bench.height > 0
        and bench["richting"][0] == "band"
        and bench["norm_onder"].is_not_null().any()
    )
    plaatskop = "Afstand tot de groene band" if band else "Plaats (hoog → laag)"
    rijen = []
    for (sub,), groep in bench.group_by("subsegment", maintain_order=True):
        eenheid = groep["eenheid"][0]
        eigen = groep.filter(pl.col("geselecteerd"))
        anderen = groep.filter(~pl.col("geselecteerd") & pl.col("waarde_getal").is_not_null())
        plaats = "–"
        eigen_waarde = eigen["waarde_getal"][0] if eigen.height else None
        if band and eigen_waarde is not None:
            onder, boven = groep["norm_onder"][0], groep["norm_boven"][0]
            plaats = (
                "geen norm"
                if onder is None
                else _positie_tot_band(eigen_waarde, onder, boven, eenheid)
            )
        elif eigen_waarde is not None:
            hoger = int((anderen["waarde_getal"] > eigen_waarde).sum())
            plaats = f"{hoger + 1} van {anderen.height + 1}"
        rijen.append(
            {
                "Sub-segment": sub,
                "Andere aanbieders": anderen.height,
                "Eigen waarde": eigen["tekst"][0] if eigen.height else "–",
                plaatskop: plaats,
                "Mediaan anderen": spreiding(anderen["waarde_getal"].median(), eenheid),
                "Laagste": spreiding(anderen["waarde_getal"].min(), eenheid),
                "Hoogste": spreiding(anderen["waarde_getal"].max(), eenheid),
            }
        )
    return pl.DataFrame(rijen)


MAAND_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
REEKSEN = ("Prognose", "Realisatie", "Realisatie vorig jaar", "Verwachting")


def maandlabel(maand: date, contractjaar: bool) -> str:
    """A month on the axis: 'jan' in a calendar year, 'jul 2023' in a contract year."""
    kort = MAAND_KORT[maand.month - 1]
    return f"{kort} {maand.year}" if contractjaar else kort


def cumulatief(reeks: Uitgavenreeks) -> pl.DataFrame:
    """Long frame (reeks, maand 1-12 in the plan year, label, bedrag) for the Financiën chart:
    prognose, realisatie to the last complete month, last year, and the outlook from the last
    realised month straight to the year-end outlook (none once the year is complete)."""
    contract = reeks.planjaar.soort == "contractjaar"
    labels = {
        r["nummer"]: maandlabel(r["maand"], contract) for r in reeks.maanden.iter_rows(named=True)
    }
    rijen: list[tuple[str, int, str, float]] = []
    laatste: tuple[int, float] | None = None
    for r in reeks.maanden.iter_rows(named=True):
        for naam, kolom in (("Prognose", "prognose"), ("Realisatie", "realisatie"),
                            ("Realisatie vorig jaar", "vorig_jaar")):  # fmt: skip
            if r[kolom] is not None:
                rijen.append((naam, r["nummer"], labels[r["nummer"]], float(r[kolom])))
        if r["realisatie"] is not None:
            laatste = (r["nummer"], float(r["realisatie"]))
    if laatste and reeks.verwachting is not None:
        m0, r0 = laatste
        doel = float(reeks.verwachting)
        if m0 == 12:  # the year is complete: the outlook is what was spent, one point
            rijen.append(("Verwachting", 12, labels[12], doel))
        for m in range(m0, 13) if m0 < 12 else ():
            rijen.append(("Verwachting", m, labels[m], r0 + (doel - r0) * (m - m0) / (12 - m0)))
    return pl.DataFrame(rijen, schema=["reeks", "maand", "label", "bedrag"], orient="row")


def planjaartekst(reeks: Uitgavenreeks, periode: Periode) -> str:
    """In words, which months the chart shows and which plan they are set against."""
    plan = reeks.planjaar
    if plan.soort == "contractjaar":
        eerste, tweede = plan.start.year, plan.eind.year
        return (
            f"Contractjaar {eerste}/{tweede % 100:02d}: de uitgaven van juli {eerste} tot en met "
            f"juni {tweede} cumulatief, tegen de prognose van die twaalf maanden. De begroting "
            f"is per kalenderjaar, dus elke helft met zijn eigen plan: juli–december uit de "
            f"begroting {eerste}, januari–juni uit de begroting {tweede}."
        )
    tekst = (
        f"Kalenderjaar {plan.start.year}: de uitgaven vanaf 1 januari cumulatief, tegen de "
        "prognose."
    )
    if (periode.start, periode.eind) != (plan.start, plan.eind):
        tekst += f" {periode.label} valt in dit jaar; de grafiek toont het hele jaar."
    return tekst


def watervalstappen(overzicht: Verschiloverzicht, segment: str | None) -> pl.DataFrame:
    """Begroot → (target t.o.v. begroot) → hoeveelheidsverschil → prijsverschil → werkelijk,
    for one segment or all summed. The first bar is the plan of the span, the figure the page
    shows as begroot; where the targets (clients × cost per client) differ from it, that
    difference is its own step, so that the bars add up to the real spending exactly."""
    deel = overzicht.segmenten
    if segment is not None:
        deel = deel.filter(pl.col("segment") == segment)

    def som(kolom: str) -> float:
        return float(deel[kolom].sum())

    target, werkelijk = som("target"), som("werkelijk")
    begroot = som("begroot") if deel["begroot"].null_count() == 0 else None
    stappen: list[tuple[str, float, str]] = []
    if begroot is None or begroot == target:
        stappen.append(("Target" if begroot is None else "Begroot = target", target, "totaal"))
    else:
        stappen += [
            ("Begroot", begroot, "totaal"),
            ("Target t.o.v. begroot", target - begroot, "verschil"),
        ]
    stappen += [
        ("Hoeveelheidsverschil", som("hoeveelheidsverschil"), "verschil"),
        ("Prijsverschil", som("prijsverschil"), "verschil"),
        ("Werkelijk", werkelijk, "totaal"),
    ]
    return pl.DataFrame(stappen, schema=["stap", "bedrag", "soort"], orient="row")


def verschiltabel(overzicht: Verschiloverzicht) -> pl.DataFrame:
    """Per segment: budget, target and real spending, the two variances and their sum."""
    return pl.DataFrame(
        [
            {
                "Segment": r["segment"],
                "Begroot": _geld(r["begroot"]),
                "Uitgaven target": _geld(r["target"]),
                "Uitgaven werkelijk": _geld(r["werkelijk"]),
                "Hoeveelheidsverschil": _geld(r["hoeveelheidsverschil"]),
                "Prijsverschil": _geld(r["prijsverschil"]),
                "Totaal verschil": _geld(r["werkelijk"] - r["target"]),
            }
            for r in overzicht.segmenten.iter_rows(named=True)
        ]
    )


def verschilkop(overzicht: Verschiloverzicht) -> str:
    """The heading of the split, with the months it covers (the period may be longer)."""
    kop = "Hoeveelheids- en prijsverschil"
    spanne = overzicht.spanne
    if spanne is None:
        return kop
    if spanne.soort == "jaar":
        return f"{kop} {spanne.start.year}"
    return f"{kop} {formaat.datum(spanne.start)} t/m {formaat.datum(spanne.eind)}"


def spannetekst(overzicht: Verschiloverzicht) -> str:
    """What the split is computed for, in words."""
    spanne = overzicht.spanne
    if spanne is None:
        return ""
    if spanne.soort == "jaar":
        return f"Heel begrotingsjaar {spanne.start.year}, tegen de targets van het jaar."
    return (
        f"Het lopende jaar tot de peildatum: {formaat.datum(spanne.start)} t/m "
        f"{formaat.datum(spanne.eind)}"
        " (de volledige maanden), tegen de target van die maanden (het aandeel van die maanden "
        "in de prognose) en de target cliënten van het jaar."
    )


def _aaneen(perioden: list[Periode]) -> str:
    """Periods in words, consecutive ones as one span ('januari 2024 t/m juni 2024')."""
    reeksen: list[list[Periode]] = []
    for p in sorted(set(perioden), key=lambda p: (p.start, p.eind)):
        if reeksen and (p.start - reeksen[-1][-1].eind).days == 1:
            reeksen[-1].append(p)
        else:
            reeksen.append([p])
    return ", ".join(
        r[0].label if len(r) == 1 else f"{r[0].label} t/m {r[-1].label}" for r in reeksen
    )


def geen_cijfer(
    uitleg: Uitleg, namen: Mapping[str, str] | None = None, met_periode: bool = True
) -> list[str]:
    """One line per reason a figure is missing: the periods (consecutive months as one span)
    and groups (their names from `namen`) it holds for, then the reason."""
    namen = namen or {}
    per_reden: dict[tuple[str, str], list[Periode]] = {}
    for periode, reden in uitleg.redenen:
        per_reden.setdefault(("", reden), []).append(periode)
    for periode, groep, reden in uitleg.groepen:
        wie = ", ".join(namen.get(v, v) for _, v in groep)
        per_reden.setdefault((wie, reden), []).append(periode)
    regels = []
    for (wie, reden), perioden in per_reden.items():
        delen = [d for d in (wie, _aaneen(perioden) if met_periode else "") if d]
        regels.append(f"{' · '.join(delen)}: {reden}" if delen else reden)
    return regels


RICHTING = {
    "lager_beter": "lager is beter",
    "hoger_beter": "hoger is beter",
    "band": "binnen de band",
    "neutraal": "neutraal",
}


def definities(registry: Registry, niet_berekenbaar: dict[str, str] | None = None) -> pl.DataFrame:
    """Every KPI with its Dutch definition, unit, direction and minimum n."""
    niet = niet_berekenbaar or {}
    return pl.DataFrame(
        [
            {
                "KPI": k.label,
                "Definitie": k.definitie,
                "Eenheid": k.eenheid,
                "Richting": RICHTING.get(k.richting, k.richting),
                "Minimum n": k.min_n,
                "Beschikbaar": "nee: " + niet[k.id] if k.id in niet else "ja",
                "Bron": k.bronvermelding or "berekend uit het extract",
                "Geldig": geldigheidstekst(k.geldig_van, k.geldig_tot),
            }
            for k in registry
        ]
    )


# The judging rule of kpi/normen.py, for readers (Over de data, factsheet, deck).
NORMREGEL = (
    "Welke norm een cijfer beoordeelt, volgt uit waar zijn eenheden liggen, niet uit een "
    "filter: een filter dat geen eenheid weglaat (zoals segment IO bij een aanbieder die "
    "alleen Wmo levert) verandert het oordeel niet. Kan de norm van een KPI per sub-segment "
    "verschillen (een norm ten opzichte van de nulmeting, of een norm per domein of "
    "segment), dan wordt elk sub-segment apart beoordeeld tegen zijn eigen norm; bij een "
    "relatieve norm is dat de waarde van de hele regio in dat sub-segment in de nulmeting. "
    "Een cijfer over meer sub-segmenten krijgt het slechtste licht van zijn sub-segmenten "
    "(rood, dan oranje, dan groen; een sub-segment met te weinig gegevens telt niet mee), en "
    "erbij staat welk sub-segment de doorslag gaf en met welke norm. Zo is een geheel nooit "
    "beter dan een sub-segment ervan dat beoordeeld kan worden. Het cijfer is grijs als het "
    "zelf voorlopig is of te weinig gegevens heeft, of als geen sub-segment te beoordelen is."
)


def normen_tabel(  # noqa: ANN001 - normen: kpi.Normen
    normen, registry: Registry, alleen_aanbieder: str | None = None
) -> pl.DataFrame:
    """The norm rules in force, in words; for a provider without other providers' own norms."""
    rijen = []
    for r in normen.regels:
        if alleen_aanbieder and r.aanbieder not in (None, alleen_aanbieder):
            continue
        geldt = ", ".join(
            f"{s} {getattr(r, s)}" for s in ("domein", "segment", "subsegment", "aanbieder")
            if getattr(r, s) is not None
        ) or "iedereen"  # fmt: skip
        groen, oranje = regeltekst(r, registry)
        rijen.append(
            {
                "KPI": registry[r.kpi].label if r.kpi in registry else r.kpi,
                "Geldt voor": geldt,
                "Groen": groen,
                "Oranje": oranje,
                "Geldig": geldigheidstekst(r.geldig_van, r.geldig_tot),
                "Toelichting": r.toelichting,
            }
        )
    return pl.DataFrame(rijen)


def regeltekst(r, registry: Registry) -> tuple[str, str]:  # noqa: ANN001 - r: kpi NormRegel
    """The groen and oranje thresholds of a norm rule in words ('≥ 90,0 %')."""
    eenheid = registry[r.kpi].eenheid if r.kpi in registry else "aantal"
    if r.soort == "relatief":
        return (
            f"≤ {formaat.procent(r.groen)} slechter dan {r.basis.label}",
            f"≤ {formaat.procent(r.oranje)} slechter",
        )
    if r.soort == "band":
        return (
            f"{formaat.waarde(r.groen[0], eenheid)} – {formaat.waarde(r.groen[1], eenheid)}",
            f"{formaat.waarde(r.oranje[0], eenheid)} – {formaat.waarde(r.oranje[1], eenheid)}",
        )
    teken = "≤" if registry[r.kpi].richting == "lager_beter" else "≥"
    return (
        f"{teken} {formaat.waarde(r.groen, eenheid)}",
        f"{teken} {formaat.waarde(r.oranje, eenheid)}",
    )


def geldigheid_tabel(  # noqa: ANN001 - normen: kpi.Normen
    normen,
    registry: Registry,
    peildatum: date,
    alleen_aanbieder: str | None = None,
) -> pl.DataFrame:
    """Which KPIs and norms were in force in which contract year (on its last day): one row
    per KPI and selection of its norm rules, one column per contract year around the changes
    (geldigheid.contractjaren): the norm, 'geen norm' or 'niet van toepassing' (the KPI was
    not in the set). For a provider without the rules of other providers."""
    perioden = contractjaren(registry, normen, peildatum)
    rijen: dict[tuple, dict[str, str]] = {}
    for g in overzicht(registry, normen, perioden):
        if alleen_aanbieder and dict(g.selectie).get("aanbieder") not in (None, alleen_aanbieder):
            continue
        rij = rijen.setdefault(
            (g.kpi.id, g.selectie),
            {
                "KPI": g.kpi.label,
                "Geldt voor": ", ".join(f"{s} {v}" for s, v in g.selectie) or "iedereen",
            },
        )
        if not g.van_kracht:
            cel = NIET_VAN_TOEPASSING
        elif g.regel is None:
            cel = "geen eigen norm" if g.selectie else "geen norm"
        else:
            groen, oranje = regeltekst(g.regel, registry)
            cel = f"groen {groen}; oranje {oranje}"
        rij[g.periode.label] = cel
    kolommen = ["KPI", "Geldt voor", *(p.label for p in perioden)]
    # first what changes during the contract, then what holds throughout (registry order)
    volgorde = sorted(rijen.values(), key=lambda r: len({r[p.label] for p in perioden}) == 1)
    return pl.DataFrame(volgorde, schema=dict.fromkeys(kolommen, pl.String))
