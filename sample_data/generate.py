"""Deterministic sample extract for Stoplicht: `python -m sample_data.generate --out DIR`."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from sample_data import faults as flt
from sample_data.bsn import BsnSource
from sample_data.dates import NA, day
from sample_data.externe_kpis import kpi_waarden
from sample_data.finance import (
    CONTRACT_YEARS,
    advances,
    budget,
    care_days_per_month,
    clients_per_year,
    contracts,
    spending,
)
from sample_data.messages import build_messages
from sample_data.periods import build_periods
from sample_data.providers import AgbSource, Providers, make_providers
from sample_data.quality import quality_counts, volumes
from sample_data.reference import (
    NEW_CODES_VALID_FROM,
    OLD_CODES_VALID_FROM,
    OLD_CODES_VALID_TO,
    ONBEKENDE_GEMEENTEN,
    ONBEKENDE_PRODUCTEN,
    SEGMENTEN,
    SUBSEGMENTEN,
    VEKTIS,
    Gemeente,
    jeugdzorgregios,
    products,
    regio_gemeenten,
)
from sample_data.trajectories import Simulator, Table, Window, take
from sample_data.writers import BerichtenSink, FileSpec, Lookup, berichten_frame, write_table
from sample_data.xml_out import XmlWriter, person

CUTOFF = "2024-12-31"
FORMATEN = ("gemengd", "csv", "parquet", "beide")


@dataclass(frozen=True)
class Scale:
    """Size of a run: which regions, the per-capita volume factor, first year, XML messages."""

    land: bool
    volume: float
    start: str
    xml: dict[int, int]
    default_formaat: str


SCALES = {
    "mini": Scale(
        False, 0.08, "2021-01-01", {301: 8, 305: 6, 307: 6, 315: 4, 317: 3, 319: 3}, "gemengd"
    ),
    "regio": Scale(
        False, 1.0, "2021-01-01", {301: 35, 305: 30, 307: 25, 315: 15, 317: 10, 319: 10}, "gemengd"
    ),
    # national volumes are doubled per inhabitant to reach the ~50 million rows of the brief
    "land": Scale(
        True, 2.0, "2020-01-01", {301: 15, 305: 10, 307: 10, 315: 5, 317: 5, 319: 5}, "parquet"
    ),
}


def file_specs(years: list[int], formaat: str) -> dict[int, FileSpec]:
    """One berichten file per year; the first year's also carries the pre-window stock."""
    specs = {}
    for i, y in enumerate(years):
        first = i == 0
        opm = y == 2022
        if formaat == "parquet" or (formaat == "gemengd" and i >= 2):
            spec = FileSpec(
                f"berichten_{y}.parquet",
                "parquet",
                dates="date",
                vektis=first,
                opmerking=opm,
                header_variant=first,
            )
        elif first:
            spec = FileSpec(
                f"berichten_{y}.csv",
                "csv",
                sep=";",
                dates="nl",
                vektis=True,
                opmerking=opm,
                header_variant=True,
            )
        else:
            spec = FileSpec(f"berichten_{y}.csv", "csv", sep=",", dates="iso", opmerking=opm)
        specs[y] = spec
    return specs


# The files of table kpi_waarden (any file whose name starts with the table name belongs to it).
KPI_WAARDEN_BESTANDEN = {
    "clienttevredenheid": "kpi_waarden_clienttevredenheid",
    "doelrealisatie": "kpi_waarden_doelrealisatie",
}


def table_names(formaat: str) -> dict[str, str]:
    tabellen = ("producten", "aanbieders", "contracten", "voorschotten", "begroting", "uitgaven",
                *KPI_WAARDEN_BESTANDEN)  # fmt: skip
    if formaat in ("csv", "parquet"):
        ext = dict.fromkeys(tabellen, formaat)
    else:
        ext = {
            "producten": "csv",
            "aanbieders": "xlsx",
            "contracten": "csv",
            "voorschotten": "parquet",
            "begroting": "xlsx",
            "uitgaven": "csv",
            "clienttevredenheid": "csv",
            "doelrealisatie": "xlsx",
        }
    return {t: f"{KPI_WAARDEN_BESTANDEN.get(t, t)}.{e}" for t, e in ext.items()}


def producten_frame() -> pl.DataFrame:
    prods = products()
    return pl.DataFrame(
        {
            "product_code": [p.code for p in prods],
            "product_categorie": [p.categorie for p in prods],
            "subsegment": [SUBSEGMENTEN[p.subsegment].naam for p in prods],
            "segment": [SUBSEGMENTEN[p.subsegment].segment for p in prods],
            "domein": [SUBSEGMENTEN[p.subsegment].domein for p in prods],
            "zwaarte": [SUBSEGMENTEN[p.subsegment].zwaarte for p in prods],
            "geldig_van": [
                NEW_CODES_VALID_FROM if p.nieuw else OLD_CODES_VALID_FROM for p in prods
            ],
            "geldig_tot": [None if p.nieuw else OLD_CODES_VALID_TO for p in prods],
        }
    ).with_columns(pl.col("geldig_van", "geldig_tot").str.to_date())


def _toewijzingnummers(p: Table, n_gem: int) -> np.ndarray:
    """Per gemeente a running number in order of the first 301 (overlapping across gemeenten)."""
    order = np.lexsort((p["per"], p["d301"], p["gem"]))
    gem_sorted = p["gem"][order]
    start = np.searchsorted(gem_sorted, np.arange(n_gem))
    rank = np.arange(order.size) - start[gem_sorted]
    tnr = np.empty(order.size, dtype=np.int64)
    tnr[order] = 10_000_001 + rank
    return tnr


def _assign_ids(rows: Table, region: int) -> Table:
    """Sort by dagtekening and give every message a bericht_id (12 digits at most)."""
    order = np.lexsort((rows["line"], rows["msg"], rows["dag"]))
    rows = take(rows, order)
    _, first, inv = np.unique(rows["msg"], return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    rows["bid"] = (region + 1) * 10**10 + rank[inv] + 1
    return rows


def _select_xml(
    rng: np.random.Generator, rows: Table, targets: dict[int, int], win: Window
) -> np.ndarray:
    """Rows of whole messages that go to xml/ instead of the tables."""
    ok = (rows["fault"] == flt.OK) & (rows["corr"] == 0) & (rows["dag"] >= win.start)
    uniq, first, inv = np.unique(rows["msg"], return_index=True, return_inverse=True)
    bad = np.bincount(inv, weights=~ok, minlength=uniq.size) > 0
    lines = np.bincount(inv, minlength=uniq.size)
    soort = rows["soort"][first]
    chosen = []
    for s, k in sorted(targets.items()):
        cands = np.flatnonzero(~bad & (soort == s))
        if s == 301:
            multi = cands[lines[cands] > 1]
            n_multi = min(3, multi.size, k)
            pick = rng.choice(multi, size=n_multi, replace=False) if n_multi else np.empty(0, int)
            rest = np.setdiff1d(cands, pick)
            more = rng.choice(rest, size=min(k - n_multi, rest.size), replace=False)
            chosen.append(np.concatenate([pick, more]))
        else:
            chosen.append(rng.choice(cands, size=min(k, cands.size), replace=False))
    sel = np.zeros(uniq.size, dtype=bool)
    sel[np.concatenate(chosen).astype(np.int64)] = True
    return sel[inv]


def _write_xml(
    rng: np.random.Generator,
    folder: Path,
    rows: Table,
    lk: Lookup,
    gemeenten: list[Gemeente],
    geslacht: np.ndarray,
) -> int:
    df = berichten_frame(rows, lk, FileSpec("xml", "csv"))
    recs = df.with_columns(pl.all().fill_null("")).to_dicts()
    writer = XmlWriter(folder)
    drop_tnr = rng.random(len(recs)) < 0.3
    groups: dict[int, list[dict[str, str]]] = {}
    for i, rec in enumerate(recs):
        dom = "jeugd" if rows["dom"][i] == 0 else "wmo"
        soort = str(rows["soort"][i])
        client = int(rows["client"][i])
        g = "1" if client < 0 else str(geslacht[client])
        rec.update(domein=dom, soort=soort, berichtcode=VEKTIS[dom][soort], geslacht=g)
        rec.update(person(max(client, 0), g))
        gi = int(rows["gem"][i])
        rec["plaats"] = gemeenten[gi].naam if gi < len(gemeenten) else "Onbekend"
        if soort in ("305", "307") and drop_tnr[i]:
            rec["toewijzingnummer"] = ""
        groups.setdefault(int(rows["bid"][i]), []).append(rec)
    for bid in sorted(groups):
        writer.write(groups[bid])
    return writer.count


def _finance_frames(
    rng: np.random.Generator,
    p: Table,
    prov: Providers,
    gemeenten: list[Gemeente],
    win: Window,
    years: range,
    monthly_gems: int,
) -> dict[str, pl.DataFrame]:
    g = len(gemeenten)
    zd = care_days_per_month(p, win)
    contr = contracts(rng, zd, prov, g, win)
    vs = advances(contr, prov, win)
    uitg = spending(rng, zd, contr, prov, win)
    cl = clients_per_year(p, win, years)
    begr = budget(rng, uitg, cl, years, monthly_gems)
    agb = pl.Series(prov.agb + [None], dtype=pl.String)
    codes = pl.Series([x.code for x in gemeenten], dtype=pl.String)
    subnames = pl.Series([s.naam for s in SUBSEGMENTEN], dtype=pl.String)
    segs = pl.Series(list(SEGMENTEN), dtype=pl.String)
    cy_van = pl.Series([day(a) for a, _ in CONTRACT_YEARS], dtype=pl.Int32)
    cy_tot = pl.Series([day(b) for _, b in CONTRACT_YEARS], dtype=pl.Int32)

    def date_col(s: pl.Series) -> pl.Series:
        return s.cast(pl.Int32).cast(pl.Date)

    def prov_col(s: pl.Series) -> pl.Series:
        idx = s.to_numpy().astype(np.int64)
        return agb.gather(np.where(idx < 0, len(prov.agb), idx))

    out = {
        "contracten": pl.DataFrame(
            {
                "aanbieder": agb.gather(contr["prov"].to_numpy()),
                "gemeente": codes.gather(contr["gem"].to_numpy()),
                "subsegment": subnames.gather(contr["sub"].to_numpy()),
                "geldig_van": date_col(cy_van.gather(contr["cy"].to_numpy())),
                "geldig_tot": date_col(cy_tot.gather(contr["cy"].to_numpy())),
                "plekken": contr["plekken"],
                "plekprijs": contr["plekprijs"],
                "opgegeven_doorlooptijd_dagen": contr["doorlooptijd"],
            }
        ),
        "voorschotten": pl.DataFrame(
            {
                "aanbieder": agb.gather(vs["prov"].to_numpy()),
                "gemeente": codes.gather(vs["gem"].to_numpy()),
                "maand": date_col(vs["maand"]),
                "bedrag": vs["bedrag"],
            }
        ),
        "uitgaven": pl.DataFrame(
            {
                "gemeente": codes.gather(uitg["gem"].to_numpy()),
                "segment": segs.gather(uitg["seg"].to_numpy()),
                "aanbieder": prov_col(uitg["prov"]),
                "boekdatum": date_col(uitg["boekdatum"]),
                "bedrag": uitg["bedrag"],
            }
        ),
        "begroting": pl.DataFrame(
            {
                "gemeente": codes.gather(begr["gem"].to_numpy()),
                "segment": segs.gather(begr["seg"].to_numpy()),
                "jaar": begr["jaar"].cast(pl.Int64),
                "begroot_bedrag": begr["begroot_bedrag"],
                "target_clienten": begr["target_clienten"],
                "target_kosten_per_client": begr["target_kosten_per_client"],
                "maand": date_col(begr["maand"]),
                "prognose_cumulatief": begr["prognose_cumulatief"],
            }
        ),
        "aanbieders": pl.DataFrame(
            {"aanbieder": prov.agb, "naam": prov.naam, "grootte": prov.grootte}
        ),
    }
    return out


def _run(out: Path, seed: int, scale: str, formaat: str, log: bool) -> dict:
    sc = SCALES[scale]
    win = Window(day(sc.start), day(CUTOFF))
    years = list(range(int(sc.start[:4]), int(CUTOFF[:4]) + 1))
    regions = jeugdzorgregios() if scale == "land" else [("Achterhoek", regio_gemeenten())]
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("berichten_*"), out / "xml"]:
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    specs = file_specs(years, formaat)
    csv_years = np.array([y for y, s in specs.items() if s.kind == "csv"])
    sink = BerichtenSink(out)
    agb_src, bsn_src = AgbSource(seed), BsnSource(seed)
    prods = products()
    prod_codes = [p.code for p in prods] + list(ONBEKENDE_PRODUCTEN)
    prod_cats = [p.categorie for p in prods] + [c[:2] for c in ONBEKENDE_PRODUCTEN]
    fault_counts = dict.fromkeys(flt.FAULT_NAMES.values(), 0)
    quality: dict[str, int] = {}
    vol: dict[str, dict[str, int]] = {}
    tables: dict[str, list[pl.DataFrame]] = {}
    externe: dict[str, dict[str, int]] = {}  # kpi_waarden per KPI: rows, providers delivering
    xml_files = xml_lines = 0
    peildatum = NA
    all_gemeenten: list[Gemeente] = []
    t0 = time.perf_counter()
    for r, (naam, gemeenten) in enumerate(regions):
        rng = np.random.default_rng([seed, r])
        all_gemeenten.extend(gemeenten)
        g = len(gemeenten)
        inw = np.array([x.inwoners for x in gemeenten], dtype=float)
        prov = make_providers(rng, g, int(inw.sum()), naam, agb_src)
        t = Simulator(rng, inw, prov, win, sc.volume).run()
        p = build_periods(rng, t, prov, g, win)
        rows, p = build_messages(rng, p, prov, g, win)
        n_cl = int(t["client"].max()) + 1
        birth = np.zeros(n_cl, dtype=np.int64)
        birth[t["client"]] = t["birth"]
        geslacht = rng.integers(1, 3, n_cl)
        lk = Lookup(
            gem_codes=[x.code for x in gemeenten] + list(ONBEKENDE_GEMEENTEN),
            agb=prov.agb,
            prod_codes=prod_codes,
            prod_cats=prod_cats,
            bsn=bsn_src.take(n_cl),
            birth=birth,
            tnr=_toewijzingnummers(p, g),
            region=r,
        )
        rows = flt.add_fault_columns(rows)
        region_peil = int(rows["dag"].max())
        flt.stop_before_start(rng, rows, p, region_peil)
        year = rows["dag"].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        year = np.maximum(year, years[0])
        rows = flt.inject_copies(rng, rows, lk.bsn, g, len(prods), np.isin(year, csv_years))
        q = quality_counts(rows, p, region_peil)
        for k, v in q.items():
            quality[k] = quality.get(k, 0) + v
        peildatum = max(peildatum, region_peil)
        rows = _assign_ids(rows, r)
        if r == 0 and sum(sc.xml.values()):
            to_xml = _select_xml(rng, rows, sc.xml, win)
            xml_lines += int(to_xml.sum())
            xml_files += _write_xml(rng, out / "xml", take(rows, to_xml), lk, gemeenten, geslacht)
            rows = take(rows, ~to_xml)
        rows = flt.duplicates(rng, rows)
        order = np.lexsort((rows["fault"], rows["line"], rows["bid"], rows["dag"]))
        rows = take(rows, order)
        for k, v in flt.count_faults(rows).items():
            fault_counts[k] += v
        # rows are sorted by dagtekening, so every year is a slice
        bounds = np.searchsorted(rows["dag"], [day(f"{y + 1}-01-01") for y in years])
        lo = 0
        for y, hi in zip(years, bounds, strict=True):
            if hi > lo:
                part = {k: v[lo:hi] for k, v in rows.items()}
                sink.write(specs[y], berichten_frame(part, lk, specs[y]))
            lo = hi
        for k, v in volumes(p, range(years[0], years[-1] + 1), win.cutoff).items():
            acc = vol.setdefault(k, {})
            for kk, vv in v.items():
                acc[kk] = acc.get(kk, 0) + vv
        fin = _finance_frames(
            rng, p, prov, gemeenten, win, range(years[0], years[-1] + 1), 3 if r == 0 else 0
        )
        for k, v in fin.items():
            tables.setdefault(k, []).append(v)
        zorgdagen = care_days_per_month(p, win)
        for k, v in kpi_waarden(seed, r, prov, lk.gem_codes[:g], zorgdagen).items():
            tables.setdefault(k, []).append(v)
            acc = externe.setdefault(k, {"rijen": 0, "aanbieders": 0})
            acc["rijen"] += v.height
            acc["aanbieders"] += v["aanbieder"].n_unique()
        if log:
            print(
                f"[{time.perf_counter() - t0:7.1f}s] {naam}: {rows['soort'].size:,} rows",
                file=sys.stderr,
                flush=True,
            )
    sink.close()
    names = table_names(formaat)
    counts = dict(sink.rows)
    counts[names["producten"]] = write_table(producten_frame(), out / names["producten"])
    for t_name in ("aanbieders", "contracten", "voorschotten", "begroting", "uitgaven",
                   *KPI_WAARDEN_BESTANDEN):  # fmt: skip
        df = pl.concat(tables[t_name])
        counts[names[t_name]] = write_table(df, out / names[t_name])
    quarantaine = {k: v for k, v in fault_counts.items() if k != "duplicate_rows"}
    manifest = {
        "seed": seed,
        "scale": scale,
        "formaat": formaat,
        "peildatum": str(np.datetime64(peildatum, "D")),
        "periode": {"van": sc.start, "tot": CUTOFF},
        "gemeenten": [{"gemeente": x.code, "naam": x.naam} for x in all_gemeenten],
        "bestanden": dict(sorted(counts.items())),
        "berichten_rijen": sum(v for k, v in counts.items() if k.startswith("berichten_")),
        "xml": {"bestanden": xml_files, "productregels": xml_lines},
        "faults": {**quarantaine, "duplicate_rows": fault_counts["duplicate_rows"]},
        "kwaliteit": quality,
        "volumes": vol,
        "kpi_waarden": externe,
        "fault_encoding": FAULT_ENCODING,
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


FAULT_ENCODING = {
    "invalid_bsn": "extra copy of a 301/305/307/315 row with a new bericht_id and a 9-digit BSN "
    "that fails the 11-test (the correct message is also present)",
    "unknown_product": "extra copy of a 301/305/307 row, new bericht_id, product_code not in "
    "producten (" + ", ".join(ONBEKENDE_PRODUCTEN) + ")",
    "unparsable_date": "extra copy, new bericht_id, one date that is not a calendar date "
    "(30-02-YYYY / DD-13-YYYY or YYYY-02-30 / YYYY-13-DD); CSV files only",
    "unknown_gemeente": "extra copy, new bericht_id, gemeente code not in the CBS list ("
    + ", ".join(ONBEKENDE_GEMEENTEN)
    + ")",
    "stop_before_start": "the only 307 of a toewijzing that stays valid past the peildatum, with "
    "einddatum_zorg 1-30 days before its own begindatum",
    "duplicate_rows": "number of extra exact copies of a row (same bericht_id and product line), "
    "next to the original in the same file",
    "kwaliteit": "late = dagtekening >= 14 days after begindatum/einddatum_zorg (on-time ones are "
    "at most 5 weekdays); missing_307 and toewijzing_zonder_305 are the injected "
    "cases, expected_zonder_* follow kpi-definities.md with python-holidays NL",
}


def generate(
    out: Path,
    seed: int = 42,
    scale: str = "regio",
    formaat: str | None = None,
    log: bool = False,
) -> dict:
    """Write an extract directory and return its manifest ("beide": both, in csv/ and parquet/)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {sorted(SCALES)}")
    formaat = formaat or SCALES[scale].default_formaat
    if formaat not in FORMATEN:
        raise ValueError(f"unknown formaat {formaat!r}; use one of {FORMATEN}")
    out = Path(out)
    if formaat == "beide":
        return {
            "csv": _run(out / "csv", seed, scale, "csv", log),
            "parquet": _run(out / "parquet", seed, scale, "parquet", log),
        }
    return _run(out, seed, scale, formaat, log)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", choices=sorted(SCALES), default="regio")
    ap.add_argument(
        "--formaat",
        choices=FORMATEN,
        default=None,
        help="default: gemengd (regio, mini) or parquet (land)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    m = generate(args.out, args.seed, args.scale, args.formaat, log=True)
    rows = m["berichten_rijen"] if "berichten_rijen" in m else m["parquet"]["berichten_rijen"]
    print(
        f"{args.out}: {rows:,} berichten rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr
    )


if __name__ == "__main__":
    main()
