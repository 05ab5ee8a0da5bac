"""The results table: bench/RESULTATEN.md from the benchmark's measurements."""

from __future__ import annotations

from pathlib import Path

from bench.meten import mediaan, percentiel

DOEL_TOTAAL_S = 30.0  # land: load from Parquet (with derivation) + full KPI export
DOEL_PIEK_GIB = 8.0
DOEL_MS = {"land": 150.0, "regio": 50.0}  # interactive p95
DOEL_RATIO = 3.0  # at least this much faster than pandas at land


def _s(x: float) -> str:
    return f"{x:.1f} s"


def _gib(x: float) -> str:
    return f"{x:.2f} GiB"


def _doelen(r: dict) -> list[str]:
    regels = ["| doel | gemeten (mediaan) | gehaald |", "|---|---|---|"]
    if "land" in r:
        land = r["land"]
        laden = mediaan(land["laden_parquet"]["seconden"])
        export = mediaan(land["export"]["seconden"])
        totaal = laden + export
        piek = max(mediaan(land["laden_parquet"]["piek_gib"]), mediaan(land["export"]["piek_gib"]))
        regels.append(
            f"| land: laden uit Parquet (met afleiding) + volledige KPI-export < 30 s "
            f"| {_s(laden)} + {_s(export)} = {_s(totaal)} "
            f"| {_oordeel(totaal <= DOEL_TOTAAL_S, f'{totaal / DOEL_TOTAAL_S:.1f}x het doel')} |"
        )
        regels.append(
            f"| land: piekgeheugen < 8 GiB | {_gib(piek)} "
            f"| {_oordeel(piek < DOEL_PIEK_GIB, f'{piek - DOEL_PIEK_GIB:+.2f} GiB')} |"
        )
        p = land["pandas"]
        ratio = (mediaan(p["lezen"]) + mediaan(p["rekenen"])) / mediaan(p["kpi"])
        zelfde = p["aantal_verschillen"] == 0
        regels.append(
            f"| land: ≥ 3x sneller dan pandas, zelfde uitkomst | {ratio:.1f}x, "
            f"{'zelfde getallen' if zelfde else str(p['aantal_verschillen']) + ' verschillen'} "
            f"| {_oordeel(ratio >= DOEL_RATIO and zelfde, f'{ratio:.1f}x')} |"
        )
    for schaal, doel in DOEL_MS.items():
        if schaal not in r:
            continue
        for q in r[schaal]["interactief"]:
            p95 = percentiel(q["ms"], 0.95)
            regels.append(
                f"| {schaal}: {q['naam']} p95 < {doel:.0f} ms | {p95:.0f} ms "
                f"| {_oordeel(p95 < doel, f'{p95 / doel:.2f}x het doel, {p95 - doel:+.0f} ms')} |"
            )
    return regels


def _oordeel(gehaald: bool, mis: str) -> str:
    return "ja" if gehaald else f"**nee** ({mis})"


def _laden(r: dict) -> list[str]:
    regels = [
        "| schaal | invoer | runs | wall p50 | piek p50 | berichten (Polars) | opslaan | "
        "afleiding + afronden | berichten geladen |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for schaal, s in r.items():
        for formaat in ("parquet", "csv"):
            m = s[f"laden_{formaat}"]
            st = m["stappen"]
            afleiding = st["toewijzingen en zorgtrajecten"] + st["afronden"]
            regels.append(
                f"| {schaal} | {formaat} | {m['runs']} | {_s(mediaan(m['seconden']))} "
                f"| {_gib(mediaan(m['piek_gib']))} | {_s(st['berichten'])} "
                f"| {_s(st['opslaan'] + st['financiën'])} | {_s(afleiding)} "
                f"| {m['rijen']['berichten']:,} |".replace(",", ".")
            )
    return regels


def _afleiding(r: dict) -> list[str]:
    schalen = list(r)
    regels = ["| stap | " + " | ".join(schalen) + " |", "|---" * (len(schalen) + 1) + "|"]
    for stap in r[schalen[0]]["afleiding"]:
        regels.append(
            f"| `{stap}` | " + " | ".join(_s(r[s]["afleiding"][stap]) for s in schalen) + " |"
        )
    totaal = " | ".join(_s(sum(r[s]["afleiding"].values())) for s in schalen)
    regels.append(f"| totaal | {totaal} |")
    return regels


def _export(r: dict) -> list[str]:
    regels = ["| schaal | runs | wall p50 | piek p50 | rijen |", "|---|---|---|---|---|"]
    for schaal, s in r.items():
        e = s["export"]
        regels.append(
            f"| {schaal} | {e['runs']} | {_s(mediaan(e['seconden']))} "
            f"| {_gib(mediaan(e['piek_gib']))} | {e['rijen']} |"
        )
    return regels


def _interactief(r: dict) -> list[str]:
    regels = [
        "| schaal | query | runs | p50 | p95 | max | eerste aanroep | "
        "DuckDB-queries per aanroep | antwoorden uit de cache per aanroep |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for schaal, s in r.items():
        for q in s["interactief"]:
            runs = len(q["ms"])
            eerste = q.get("eerste_ms")
            regels.append(
                f"| {schaal} | {q['naam']} | {len(q['ms'])} | {percentiel(q['ms'], 0.5):.0f} ms "
                f"| {percentiel(q['ms'], 0.95):.0f} ms | {max(q['ms']):.0f} ms "
                f"| {'' if eerste is None else f'{eerste:.0f} ms'} "
                f"| {q.get('queries', 0) / runs:.1f} | {q['cache_treffers'] / runs:.1f} |"
            )
    regels.append("")
    for q in next(iter(r.values()))["interactief"]:
        regels.append(f"- *{q['naam']}*: {q['omschrijving']}")
    return regels


def _pandas(r: dict) -> list[str]:
    regels = [
        "| schaal | pandas lezen | pandas rekenen | kpi.bereken | verhouding (lezen + rekenen) "
        "| alleen rekenen | groepen | zelfde getallen |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for schaal, s in r.items():
        p = s["pandas"]
        lezen, rekenen, kpi = mediaan(p["lezen"]), mediaan(p["rekenen"]), mediaan(p["kpi"])
        zelfde = "ja" if p["aantal_verschillen"] == 0 else f"nee ({p['aantal_verschillen']})"
        verhouding = (lezen + rekenen) / kpi
        regels.append(
            f"| {schaal} | {_s(lezen)} | {_s(rekenen)} | {_s(kpi)} | {verhouding:.1f}x "
            f"| {rekenen / kpi:.1f}x | {p['groepen']} | {zelfde} |"
        )
    return regels


def schrijf(resultaten: dict, pad: Path) -> None:
    """Write the Markdown results table."""
    m = resultaten["machine"]
    r = resultaten["schalen"]
    delen = [
        "# Benchmark: snelheid en geheugen",
        "",
        f"Gemeten met `{resultaten['opdracht']}` (zie [`__main__.py`](__main__.py)) op "
        f"{m['datum']}, commit `{m['commit']}`.",
        f"Machine: {m['cpu']}, {m['geheugen']} geheugen, gedeeld met andere processen; "
        f"Python {m['python']}; {m['pakketten']}.",
        f"Load average (1 / 5 / 15 min) bij de start {resultaten['belasting_begin']}, "
        f"aan het eind {resultaten['belasting_eind']}; per onderdeel hieronder.",
        "Voorbeelddata: `python -m sample_data.generate --seed 42 --scale regio|land "
        "--formaat beide`. Medianen over de runs; piekgeheugen = ru_maxrss van het kindproces "
        f"(os.wait4). Elke meting: [`{pad.stem.lower()}.json`]({pad.stem.lower()}.json). "
        "Toelichting en waar de tijd heen gaat: [`README.md`](README.md).",
        "",
        *(
            f"Extract {schaal}: "
            + (
                f"gegenereerd in {_s(x['generatie_s'])}."
                if x["generatie_s"] is not None
                else "bestaand extract (zelfde seed en schaal) hergebruikt."
            )
            for schaal, x in r.items()
        ),
        "",
        "## Doelen",
        "",
        *_doelen(r),
        "",
        "## Laden (`warehouse load`, één kindproces per run)",
        "",
        *_laden(r),
        "",
        "## Afleiding per stap (opnieuw uitgevoerd op een kopie, zelfde DuckDB-instellingen)",
        "",
        *_afleiding(r),
        "",
        "## KPI-export (`python -m kpi export --periode 2024 --per "
        "gemeente,subsegment,aanbieder --out x.parquet`)",
        "",
        *_export(r),
        "",
        "## Interactieve queries zoals het dashboard ze stelt",
        "",
        *_interactief(r),
        "",
        "Cache: `Bron.onthoud` bewaart uitkomsten binnen één aanroep (KPI's op dezelfde "
        "eenhedenset delen één query). Tussen aanroepen bewaart het proces alleen wat per "
        "lading vastligt (`kpi.eenhedensets.GEDEELD`, sleutel meta `laad_id`): de "
        "basiswaarden van relatieve normen (nulmeting) en metadata; die vult de eerste "
        "aanroep (kolom *eerste aanroep*, na `GEDEELD.leeg()`). KPI-waarden zelf worden bij "
        "elke aanroep opnieuw berekend. Het dashboard heeft daarnaast `st.cache_data`, die "
        "hier niet meedoet. De queries van één aanroep lopen met twee tegelijk (twee cores).",
        "",
        "## pandas-implementatie naast `kpi.bereken` (instroom, doorlooptijd, recidive; 2024 "
        "per gemeente × subsegment × aanbieder)",
        "",
        *_pandas(r),
        "",
        "`bench/pandas_kpi.py` leest zorgtrajecten en zorgepisodes in pandas en rekent zoals "
        "kpi-definities.md het zegt; de uitkomst wordt per groep vergeleken met kpi.bereken "
        "(waarde, teller, noemer, n, voorlopig).",
        "",
        "## Load average per onderdeel",
        "",
        "| schaal | " + " | ".join(next(iter(r.values()))["belasting"]) + " |",
        "|---" * (len(next(iter(r.values()))["belasting"]) + 1) + "|",
        *(f"| {s} | " + " | ".join(x["belasting"].values()) + " |" for s, x in r.items()),
        "",
    ]
    pad.write_text("\n".join(delen), encoding="utf-8")
