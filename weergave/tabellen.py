"""Display tables from the long KPI frame: Dutch text per cell, stoplicht beside every value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from kpi.periode import Periode, trendperiode, vorige_periode  # noqa: F401 - re-exported
from kpi.registry import Registry

from weergave import formaat, privacy

REGIO = "Regio (totaal)"
EIGEN_TOTAAL = "Totaal (eigen)"
# The KPIs of the stoplicht matrix unless the user picks others.
MATRIX_KPIS = (
    "instroom", "uitstroom", "uitstroom_volgens_plan", "doorlooptijd", "lopend", "wachttijd",
    "recidive", "afschaling", "benutting", "saldo_afrekening", "tijdig_305", "tijdig_307",
)  # fmt: skip
# The KPIs compared with peers in the same sub-segment (Aanbieder page, factsheet).
POSITIE_KPIS = (
    "doorlooptijd", "uitstroom_volgens_plan", "wachttijd", "recidive", "benutting", "tijdig_305",
    "tijdig_307",
)  # fmt: skip
_NORM = re.compile(r"^\s*(<=|>=)\s*(-?[\d.]+)\s*$")
_BAND = re.compile(r"^\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)\s*$")


def normtekst(norm: str | None, eenheid: str) -> str:
    """A norm threshold as Dutch text: '>= 0.9' → '≥ 90,0 %', '0.9..1.05' → '90,0 % – 105,0 %'."""
    if not norm:
        return ""
    if m := _NORM.match(norm):
        teken = "≤" if m[1] == "<=" else "≥"
        return f"{teken} {formaat.waarde(Decimal(m[2]), eenheid)}"
    if m := _BAND.match(norm):
        return (
            f"{formaat.waarde(Decimal(m[1]), eenheid)} – {formaat.waarde(Decimal(m[2]), eenheid)}"
        )
    return norm


def norm_samenvatting(groen: str | None, oranje: str | None, eenheid: str) -> str:
    """'groen ≥ 90,0 %; oranje ≥ 75,0 %', or 'geen norm'."""
    if not groen and not oranje:
        return "geen norm"
    delen = []
    if groen:
        delen.append(f"groen {normtekst(groen, eenheid)}")
    if oranje:
        delen.append(f"oranje {normtekst(oranje, eenheid)}")
    return "; ".join(delen)


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


def met_tekst(resultaat: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The long frame plus label, unit, Dutch value text, norm text and a float value."""
    rijen = []
    for r in resultaat.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        geheim = bool(r.get("geheim"))  # withheld by the data layer (provider scope)
        tekst = formaat.waarde(r["waarde"], kpi.eenheid) if r["waarde"] is not None else "–"
        rijen.append(
            {
                "kpi_label": kpi.label,
                "eenheid": kpi.eenheid,
                "tekst": privacy.GEHEIM if geheim else tekst,
                "cel": privacy.GEHEIM
                if geheim
                else celtekst(r["waarde"], kpi.eenheid, r["stoplicht"]),
                "stoplicht_tekst": formaat.stoplicht(r["stoplicht"] or "grijs"),
                "norm": norm_samenvatting(r["norm_groen"], r["norm_oranje"], kpi.eenheid),
                "waarde_getal": None if r["waarde"] is None else float(r["waarde"]),
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
) -> pl.DataFrame:
    """Long matrix: one row per (row, KPI), the region first; rows named by `namen`."""
    delen = []
    if regio.height:
        delen.append(
            met_tekst(regio.filter(pl.col("kpi").is_in(kpis)), registry).with_columns(
                rij=pl.lit(totaal), rij_code=pl.lit(None, pl.String), rij_volgorde=pl.lit(0)
            )
        )
    if per_rij.height:
        delen.append(
            met_tekst(per_rij.filter(pl.col("kpi").is_in(kpis)), registry).with_columns(
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


def matrix_breed(lang: pl.DataFrame, registry: Registry, kpis: list[str]) -> pl.DataFrame:
    """Wide matrix for a table: first column the row name, then one text column per KPI."""
    if lang.is_empty():
        return pl.DataFrame({"Rij": []}, schema={"Rij": pl.String})
    labels = [registry[k].label for k in kpis if k in set(lang["kpi"])]
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


def normband(norm_groen: str | None) -> tuple[float, float] | None:
    """The green zone of a fixed norm as (low, high) for a chart band; None without a norm."""
    if not norm_groen:
        return None
    if m := _BAND.match(norm_groen):
        return float(m[1]), float(m[2])
    if m := _NORM.match(norm_groen):
        grens = float(m[2])
        return (0.0, grens) if m[1] == "<=" else (grens, max(1.0, grens * 1.5))
    return None


def _geheim_of(r: dict, tekst: str) -> str:
    """'geheim' for a figure the provider scope withheld (kpi.scope.beveilig), else `tekst`."""
    return privacy.GEHEIM if r.get("geheim") and not tekst else tekst


def kpi_tabel(resultaat: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """One row per KPI with Dutch headers: label, value, stoplicht, norm, teller, noemer, n."""
    if resultaat.is_empty():
        return pl.DataFrame(schema={"KPI": pl.String})
    t = met_tekst(resultaat, registry)
    rijen = []
    for r in t.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        rijen.append(
            {
                "KPI": r["kpi_label"],
                "Waarde": r["tekst"],
                "Stoplicht": r["stoplicht_tekst"] + (" (voorlopig)" if r["voorlopig"] else ""),
                "Norm": r["norm"],
                "Teller": formaat.waarde(r["teller"], kpi.teller_eenheid)
                if r["teller"] is not None
                else "",
                "Noemer": formaat.waarde(r["noemer"], kpi.teller_eenheid)
                if r["noemer"] is not None
                else "",
                "n": _geheim_of(r, formaat.getal(r["n"])),
            }
        )
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
    eenzijdig = not _BAND.match(norm_groen or "")  # '>= 0.9': normband invents an upper end
    return (onder, min(boven, 1.0)) if eenzijdig and eenheid == "aandeel" else (onder, boven)


def _afstand_tot_band(waarde: float, onder: float, boven: float, eenheid: str) -> str:
    """'binnen de band', or how far below or above it ('4,2 %-punt onder de band')."""
    if onder <= waarde <= boven:
        return "binnen de band"
    verschil, kant = (onder - waarde, "onder") if waarde < onder else (waarde - boven, "boven")
    if eenheid in ("aandeel", "verhouding"):
        tekst = f"{formaat.getal(verschil * 100, 1)} %-punt"
    else:
        tekst = formaat.waarde(verschil, eenheid)
    return f"{tekst} {kant} de band"


def positie(bench: pl.DataFrame) -> pl.DataFrame:
    """Per sub-segment: the provider's place among the others and the spread of the others.

    For a KPI with a band norm (benutting) the place says how far the provider is from the
    green band, not high → low, where the band is known (benchmark_data with `normen`).
    """
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
                else _afstand_tot_band(eigen_waarde, onder, boven, eenheid)
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
                "Mediaan anderen": formaat.waarde(anderen["waarde_getal"].median(), eenheid),
                "Laagste": formaat.waarde(anderen["waarde_getal"].min(), eenheid),
                "Hoogste": formaat.waarde(anderen["waarde_getal"].max(), eenheid),
            }
        )
    return pl.DataFrame(rijen)


def cumulatieve_perioden(jaar: int, peildatum: date) -> list[tuple[int, str]]:
    """For each month of `jaar`: the period from 1 January to the end of that month."""
    return [(m, f"{jaar}-01-01..{Periode.maand(jaar, m).eind.isoformat()}") for m in range(1, 13)]


def cumulatief(per_maand: dict[int, pl.DataFrame], peildatum: date) -> pl.DataFrame:
    """Long frame (reeks, maand, bedrag): prognose, realisatie, last year, and the outlook line."""
    rijen: list[tuple[str, int, float]] = []
    laatste: tuple[int, float] | None = None
    verwacht_jaar = None
    for m, frame in sorted(per_maand.items()):
        waarden = {r["kpi"]: r for r in frame.iter_rows(named=True)}
        real = waarden.get("realisatie")
        if real and real["noemer"] is not None:
            rijen.append(("Prognose", m, float(real["noemer"])))
        eind = frame["periode_eind"][0] if frame.height else None
        if real and real["teller"] is not None and eind is not None and eind <= peildatum:
            rijen.append(("Realisatie", m, float(real["teller"])))
            laatste = (m, float(real["teller"]))
            jv = waarden.get("jaarverwachting")
            verwacht_jaar = float(jv["teller"]) if jv and jv["teller"] is not None else None
        vorig = waarden.get("realisatie_vorig_jaar")
        if vorig and vorig["waarde"] is not None:
            rijen.append(("Realisatie vorig jaar", m, float(vorig["waarde"])))
    if laatste and verwacht_jaar is not None and laatste[0] < 12:
        m0, r0 = laatste
        for m in range(m0, 13):
            rijen.append(("Verwachting", m, r0 + (verwacht_jaar - r0) * (m - m0) / (12 - m0)))
    elif laatste and laatste[0] == 12:
        rijen.append(("Verwachting", 12, laatste[1]))
    return pl.DataFrame(rijen, schema=["reeks", "maand", "bedrag"], orient="row")


def watervalstappen(verschil: pl.DataFrame, segment: str | None) -> pl.DataFrame:
    """Target → hoeveelheidsverschil → prijsverschil → real, for one segment or all summed."""
    deel = verschil if segment is None else verschil.filter(pl.col("segment") == segment)
    hv = deel.filter(pl.col("kpi") == "hoeveelheidsverschil")
    pv = deel.filter(pl.col("kpi") == "prijsverschil")
    target = float(hv["noemer"].sum())
    werkelijk = float(hv["teller"].sum())
    return pl.DataFrame(
        {
            "stap": ["Target", "Hoeveelheidsverschil", "Prijsverschil", "Werkelijk"],
            "bedrag": [target, float(hv["waarde"].sum()), float(pv["waarde"].sum()), werkelijk],
            "soort": ["totaal", "verschil", "verschil", "totaal"],
        }
    )


def verschiltabel(verschil: pl.DataFrame) -> pl.DataFrame:
    """Per segment: target and real spending, the two variances and their sum, in euros."""
    rijen = []
    for (segment,), groep in verschil.group_by("segment", maintain_order=True):
        hv = groep.filter(pl.col("kpi") == "hoeveelheidsverschil").row(0, named=True)
        pv = groep.filter(pl.col("kpi") == "prijsverschil").row(0, named=True)
        rijen.append(
            {
                "Segment": segment,
                "Uitgaven target": _geld(hv["noemer"]),
                "Uitgaven werkelijk": _geld(hv["teller"]),
                "Hoeveelheidsverschil": _geld(hv["waarde"]),
                "Prijsverschil": _geld(pv["waarde"]),
                "Totaal verschil": _geld(
                    None if hv["teller"] is None else hv["teller"] - hv["noemer"]
                ),
            }
        )
    return pl.DataFrame(rijen)


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
            }
            for k in registry
        ]
    )


def normen_tabel(  # noqa: ANN001 - normen: kpi.Normen
    normen, registry: Registry, alleen_aanbieder: str | None = None
) -> pl.DataFrame:
    """The norm rules in force, in words; for a provider without other providers' own norms."""
    rijen = []
    for r in normen.regels:
        if alleen_aanbieder and r.aanbieder not in (None, alleen_aanbieder):
            continue
        eenheid = registry[r.kpi].eenheid if r.kpi in registry else "aantal"
        geldt = ", ".join(
            f"{s} {getattr(r, s)}" for s in ("domein", "segment", "subsegment", "aanbieder")
            if getattr(r, s) is not None
        ) or "iedereen"  # fmt: skip
        if r.soort == "relatief":
            groen = f"≤ {formaat.procent(r.groen)} slechter dan {r.basis.label}"
            oranje = f"≤ {formaat.procent(r.oranje)} slechter"
        elif r.soort == "band":
            groen = f"{formaat.waarde(r.groen[0], eenheid)} – {formaat.waarde(r.groen[1], eenheid)}"
            oranje = (
                f"{formaat.waarde(r.oranje[0], eenheid)} – {formaat.waarde(r.oranje[1], eenheid)}"
            )
        else:
            teken = "≤" if registry[r.kpi].richting == "lager_beter" else "≥"
            groen = f"{teken} {formaat.waarde(r.groen, eenheid)}"
            oranje = f"{teken} {formaat.waarde(r.oranje, eenheid)}"
        rijen.append(
            {
                "KPI": registry[r.kpi].label if r.kpi in registry else r.kpi,
                "Geldt voor": geldt,
                "Groen": groen,
                "Oranje": oranje,
                "Toelichting": r.toelichting,
            }
        )
    return pl.DataFrame(rijen)
