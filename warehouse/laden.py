"""Load an extract directory into a new DuckDB warehouse and swap it in when complete."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse.controle import (
    dubbelen,
    eerste_fout,
    getypt,
    met_typen,
    quarantaine_regels,
    typeregels,
)
from warehouse.kolommen import (
    AANBIEDERS,
    BERICHTEN,
    PRODUCTEN,
    TABELLEN,
    Tabel,
)
from warehouse.lezen import (
    BRON_BESTAND,
    BRON_REGEL,
    Ingelezen,
    LaadFout,
    bestanden_voor,
    lees_bestand,
)
from warehouse.pseudoniem import pseudonimiseer, sleutel
from warehouse.regels import (
    SLEUTELS,
    Referentie,
    aanbiederregels,
    berichtregels,
    financiele_regels,
    normaliseer_berichttype,
    productregels,
)

SQL_MAP = Path(__file__).parent / "sql"
REFERENTIE_MAP = Path(__file__).parent / "reference"
SCHEMA_VERSIE = "1"
QUARANTAINE_SCHEMA = {
    "tabel": pl.String,
    "bron_bestand": pl.String,
    "bron_regel": pl.Int32,
    "kolom": pl.String,
    "reden": pl.String,
    "ernst": pl.String,
    "bericht_type": pl.String,
    "gemeente": pl.String,
    "aanbieder": pl.String,
    "ruwe_regel": pl.String,
}
STAPPEN = (
    "referentie",
    "berichten",
    "financiën",
    "opslaan",
    "toewijzingen en zorgtrajecten",
    "afronden",
)

Voortgang = Callable[[str], None]


@dataclass(frozen=True)
class Laadresultaat:
    """What a load did: rows per table, the per-file report, quarantine counts, peildatum."""

    db: Path
    rijen: dict[str, int]
    laadverslag: pl.DataFrame
    quarantaine_per_reden: pl.DataFrame
    peildatum: str | None
    seconden: float


@dataclass
class _Verwerkt:
    goed: pl.DataFrame
    quarantaine: list[pl.DataFrame]
    verslag: list[dict[str, object]]


def gemeentelijst() -> pl.DataFrame:
    """The CBS municipality list shipped with the product."""
    return pl.read_csv(REFERENTIE_MAP / "gemeenten.csv", infer_schema=False)


def laad_extract(extract: Path, db: Path, voortgang: Voortgang | None = None) -> Laadresultaat:
    """Check and load `extract` into a fresh warehouse at `db`; on failure the old one stays."""
    begin = time.perf_counter()
    extract, db = Path(extract), Path(db)
    stap = voortgang or (lambda _s: None)
    if not extract.is_dir():
        raise LaadFout(str(extract), "extractmap bestaat niet")
    if not bestanden_voor(extract, "producten"):
        raise LaadFout(str(extract), "tabel producten ontbreekt (verplicht)", kolom=None)
    xml_map = extract / "xml"
    if not bestanden_voor(extract, "berichten") and not xml_map.is_dir():
        raise LaadFout(str(extract), "geen berichten: berichten.* of map xml/ ontbreekt")

    key = sleutel()
    stap(STAPPEN[0])
    gemeenten = gemeentelijst()
    producten = _verwerk(PRODUCTEN, _lees(extract, PRODUCTEN), productregels(), None)
    ref_producten = producten.goed.select(
        "product_code", "domein", "segment", "subsegment", "zwaarte"
    )
    aanbieder_bestanden = _lees(extract, AANBIEDERS)
    ref = Referentie(
        gemeenten=frozenset(gemeenten.get_column("gemeente").to_list()),
        aanbieders=None,
        producten=ref_producten,
    )
    aanbieders = _verwerk(AANBIEDERS, aanbieder_bestanden, aanbiederregels(), ref)
    if aanbieder_bestanden:
        ref = Referentie(
            ref.gemeenten,
            frozenset(aanbieders.goed.get_column("aanbieder").to_list()),
            ref_producten,
        )

    stap(STAPPEN[1])
    berichten_bestanden = _lees(extract, BERICHTEN)
    xml_bestanden, xml_quarantaine, xml_verslag = _lees_xml(xml_map)
    berichten = _verwerk(
        BERICHTEN, berichten_bestanden + xml_bestanden, berichtregels(ref), ref, key=key
    )
    berichten.quarantaine.extend(xml_quarantaine)
    berichten.verslag.extend(xml_verslag)

    stap(STAPPEN[2])
    financieel: dict[str, _Verwerkt] = {}
    for tabel in TABELLEN:
        if tabel.naam in ("producten", "aanbieders", "berichten"):
            continue
        financieel[tabel.naam] = _verwerk(
            tabel, _lees(extract, tabel), financiele_regels(tabel.naam, ref), ref
        )
    if "contracten" in financieel:
        financieel["contracten"].goed = _met_segment(financieel["contracten"].goed, ref_producten)

    alle = {"producten": producten, "aanbieders": aanbieders, "berichten": berichten, **financieel}
    quarantaine = (
        pl.concat(
            [q for v in alle.values() for q in v.quarantaine]
            or [pl.DataFrame(schema=QUARANTAINE_SCHEMA)],
            how="vertical_relaxed",
        )
        .select(list(QUARANTAINE_SCHEMA))
        .cast(QUARANTAINE_SCHEMA)
    )
    laadverslag = pl.DataFrame(
        [r for v in alle.values() for r in v.verslag],
        schema={
            "bron_bestand": pl.String,
            "tabel": pl.String,
            "regels_in": pl.Int64,
            "geladen": pl.Int64,
            "dubbel": pl.Int64,
            "genegeerd": pl.Int64,
            "afgekeurd": pl.Int64,
            "extra_kolommen": pl.String,
        },
    ).sort("tabel", "bron_bestand")
    _controleer_sluitend(laadverslag)

    peildatum = berichten.goed.get_column("dagtekening").max()
    meta = pl.DataFrame(
        {
            "sleutel": ["peildatum", "geladen_op", "extract", "schema_versie"],
            "waarde": [
                peildatum.isoformat() if peildatum else "",
                datetime.now(UTC).isoformat(timespec="seconds"),
                str(extract.resolve()),
                SCHEMA_VERSIE,
            ],
        }
    )
    tabellen = {naam: v.goed for naam, v in alle.items()}
    tabellen["gemeenten"] = gemeenten
    tabellen["quarantaine"] = quarantaine
    tabellen["laadverslag"] = laadverslag
    tabellen["meta"] = meta

    stap(STAPPEN[3])
    rijen = _schrijf_warehouse(db, tabellen, stap)
    stap(STAPPEN[5])
    per_reden = (
        quarantaine.group_by("tabel", "ernst", "reden")
        .len("aantal")
        .sort(["aantal", "tabel", "reden"], descending=[True, False, False])
    )
    return Laadresultaat(
        db=db,
        rijen=rijen,
        laadverslag=laadverslag,
        quarantaine_per_reden=per_reden,
        peildatum=peildatum.isoformat() if peildatum else None,
        seconden=time.perf_counter() - begin,
    )


def _lees(extract: Path, tabel: Tabel) -> list[Ingelezen]:
    return [lees_bestand(p, tabel, extract) for p in bestanden_voor(extract, tabel.naam)]


def _lees_xml(map_: Path) -> tuple[list[Ingelezen], list[pl.DataFrame], list[dict[str, object]]]:
    """Raw iJw/iWmo XML messages: rows like berichten, plus file-level faults."""
    if not map_.is_dir():
        return [], [], []
    from warehouse.xml_berichten import BERICHTEN_KOLOMMEN, parse_bestand, standaard_xsd_dir

    xsd = standaard_xsd_dir()
    rijen: list[dict[str, object]] = []
    fouten: list[dict[str, object]] = []
    verslag: list[dict[str, object]] = []
    for pad in sorted(map_.glob("*.xml")):
        naam = f"{map_.name}/{pad.name}"
        res = parse_bestand(pad, xsd)
        if res.fout:
            fouten.append(
                {
                    "tabel": "berichten",
                    "bron_bestand": naam,
                    "bron_regel": 1,
                    "kolom": res.kolom,
                    "reden": res.fout,
                    "ernst": res.ernst or "fout",
                    "bericht_type": res.bericht_type,
                    "gemeente": None,
                    "aanbieder": None,
                    "ruwe_regel": None,  # the XML holds names and addresses: not kept
                }
            )
            genegeerd = 1 if res.ernst == "genegeerd" else 0
            verslag.append(_verslagregel(naam, "berichten", 1, 0, 0, genegeerd, 1 - genegeerd, []))
            continue
        for i, rij in enumerate(res.rows, start=1):
            rijen.append({**rij, BRON_BESTAND: naam, BRON_REGEL: i})
    if not rijen:
        return [], [pl.DataFrame(fouten, schema=QUARANTAINE_SCHEMA)] if fouten else [], verslag
    schema = {k: pl.String for k in BERICHTEN_KOLOMMEN} | {
        BRON_BESTAND: pl.String,
        BRON_REGEL: pl.Int64,
    }
    frame = pl.DataFrame(rijen, schema=schema).select(*BERICHTEN.namen, BRON_BESTAND, BRON_REGEL)
    q = [pl.DataFrame(fouten, schema=QUARANTAINE_SCHEMA)] if fouten else []
    return [Ingelezen(map_.name + "/", frame)], q, verslag


def _verslagregel(
    bestand: str,
    tabel: str,
    regels_in: int,
    geladen: int,
    dubbel: int,
    genegeerd: int,
    afgekeurd: int,
    extra: list[str],
) -> dict[str, object]:
    return {
        "bron_bestand": bestand,
        "tabel": tabel,
        "regels_in": regels_in,
        "geladen": geladen,
        "dubbel": dubbel,
        "genegeerd": genegeerd,
        "afgekeurd": afgekeurd,
        "extra_kolommen": ", ".join(extra) or None,
    }


def _verwerk(
    tabel: Tabel,
    bestanden: list[Ingelezen],
    regels: list,
    ref: Referentie | None,
    key: bytes | None = None,
) -> _Verwerkt:
    """Check, type and deduplicate one table's rows; every row ends up good or in quarantine."""
    uit = _uitvoerkolommen(tabel)
    if not bestanden:
        return _Verwerkt(pl.DataFrame(schema=uit), [], [])
    quarantaine: list[pl.DataFrame] = []
    for b in bestanden:
        if b.ongelezen is not None and b.ongelezen.height:
            quarantaine.append(
                b.ongelezen.select(
                    pl.lit(tabel.naam).alias("tabel"),
                    pl.lit(b.bestand).alias("bron_bestand"),
                    pl.col(BRON_REGEL).cast(pl.Int32).alias("bron_regel"),
                    pl.lit(None, pl.String).alias("kolom"),
                    pl.col("reden"),
                    pl.lit("fout").alias("ernst"),
                    pl.lit(None, pl.String).alias("bericht_type"),
                    pl.lit(None, pl.String).alias("gemeente"),
                    pl.lit(None, pl.String).alias("aanbieder"),
                    pl.lit(None, pl.String).alias("ruwe_regel"),  # may hold a raw BSN
                )
            )
    frame = pl.concat([b.frame for b in bestanden], how="vertical").with_row_index("_volgnr")
    ruwe_kolommen = [c for c in tabel.namen if c not in ("bsn", "geboortedatum")]
    if tabel.naam == "berichten":
        assert key is not None
        frame = normaliseer_berichttype(frame).with_columns(
            pseudonimiseer(frame.get_column("bsn"), key).alias("client_id")
        )
        ruwe_kolommen.append("client_id")
    if tabel.naam == "producten":
        frame = frame.with_columns(pl.col("domein").str.to_lowercase())
    frame = eerste_fout(met_typen(frame, tabel), typeregels(tabel) + regels)

    slecht = frame.filter(pl.col("_reden").is_not_null())
    bericht_type = "bericht_type" if tabel.naam == "berichten" else None
    quarantaine.append(quarantaine_regels(slecht, tabel.naam, "fout", ruwe_kolommen, bericht_type))

    goed = _getypt(frame.filter(pl.col("_reden").is_null()), tabel)
    sleutel_ = SLEUTELS.get(tabel.naam)
    if sleutel_:
        inhoud = [c for c in uit if c not in ("regel_id", "bron_bestand", "bron_regel")]
        goed = dubbelen(
            goed, sleutel_, inhoud, kolom="bericht_id" if tabel.naam == "berichten" else None
        )
        later = goed.filter(pl.col("_dubbel").is_not_null())
        for ernst in ("dubbel", "fout"):
            deel = later.filter(pl.col("_dubbel") == ernst)
            if deel.height:
                quarantaine.append(
                    quarantaine_regels(
                        deel,
                        tabel.naam,
                        ernst,
                        [c for c in inhoud if c in deel.columns],
                        bericht_type,
                    )
                )
        goed = goed.filter(pl.col("_dubbel").is_null())
    goed_uit = goed.select(list(uit)).cast(uit)

    verslag = _verslag(tabel.naam, bestanden, frame, goed, quarantaine)
    return _Verwerkt(goed_uit, quarantaine, verslag)


def _verslag(
    tabel: str,
    bestanden: list[Ingelezen],
    frame: pl.DataFrame,
    goed: pl.DataFrame,
    quarantaine: list[pl.DataFrame],
) -> list[dict[str, object]]:
    """Per file: rows in, loaded, duplicate, ignored, rejected."""
    q = pl.concat(quarantaine, how="vertical_relaxed") if quarantaine else None
    per_bestand_in = dict(frame.group_by(BRON_BESTAND).len().iter_rows())
    per_bestand_goed = dict(goed.group_by(BRON_BESTAND).len().iter_rows())
    extra = {b.bestand: b.extra_kolommen for b in bestanden}
    ongelezen = {
        b.bestand: (b.ongelezen.height if b.ongelezen is not None else 0) for b in bestanden
    }
    regels = []
    for bestand in sorted(set(per_bestand_in) | set(ongelezen)):
        aantallen = {"fout": 0, "dubbel": 0, "genegeerd": 0}
        if q is not None:
            for ernst, n in (
                q.filter(pl.col("bron_bestand") == bestand).group_by("ernst").len().iter_rows()
            ):
                aantallen[ernst] = n
        regels.append(
            _verslagregel(
                bestand,
                tabel,
                per_bestand_in.get(bestand, 0) + ongelezen.get(bestand, 0),
                per_bestand_goed.get(bestand, 0),
                aantallen["dubbel"],
                aantallen["genegeerd"],
                aantallen["fout"],
                extra.get(bestand, []),
            )
        )
    return regels


def _controleer_sluitend(verslag: pl.DataFrame) -> None:
    """Input rows = loaded + duplicate + ignored + rejected, for every file; else a bug."""
    mis = verslag.filter(
        pl.col("regels_in")
        != pl.col("geladen") + pl.col("dubbel") + pl.col("genegeerd") + pl.col("afgekeurd")
    )
    if mis.height:
        raise AssertionError(f"laadverslag sluit niet: {mis.to_dicts()}")


def _uitvoerkolommen(tabel: Tabel) -> dict[str, pl.DataType]:
    schema = {
        "producten": {
            "product_code": pl.String,
            "product_categorie": pl.String,
            "subsegment": pl.String,
            "segment": pl.String,
            "domein": pl.String,
            "zwaarte": pl.Int32,
            "geldig_van": pl.Date,
            "geldig_tot": pl.Date,
        },
        "aanbieders": {"aanbieder": pl.String, "naam": pl.String, "grootte": pl.String},
        "berichten": {
            "regel_id": pl.Int64,
            "bron_bestand": pl.String,
            "bron_regel": pl.Int32,
            "bericht_type": pl.String,
            "berichtsoort": pl.String,
            "domein": pl.String,
            "afzender": pl.String,
            "bericht_id": pl.String,
            "dagtekening": pl.Date,
            "gemeente": pl.String,
            "aanbieder": pl.String,
            "client_id": pl.String,
            "geboortejaar": pl.Int32,
            "toewijzingnummer": pl.String,
            "referentie_aanbieder": pl.String,
            "product_categorie": pl.String,
            "product_code": pl.String,
            "ingangsdatum": pl.Date,
            "einddatum": pl.Date,
            "reden_wijziging": pl.String,
            "begindatum": pl.Date,
            "einddatum_zorg": pl.Date,
            "reden_beeindiging": pl.String,
            "status_aanlevering": pl.String,
            "verzoek_antwoord": pl.String,
        },
        "contracten": {
            "aanbieder": pl.String,
            "gemeente": pl.String,
            "subsegment": pl.String,
            "geldig_van": pl.Date,
            "geldig_tot": pl.Date,
            "plekken": pl.Float64,
            "plekprijs": pl.Decimal(18, 2),
            "opgegeven_doorlooptijd_dagen": pl.Int32,
        },
        "voorschotten": {
            "aanbieder": pl.String,
            "gemeente": pl.String,
            "maand": pl.Date,
            "bedrag": pl.Decimal(18, 2),
        },
        "begroting": {
            "gemeente": pl.String,
            "segment": pl.String,
            "jaar": pl.Int32,
            "begroot_bedrag": pl.Decimal(18, 2),
            "target_clienten": pl.Float64,
            "target_kosten_per_client": pl.Decimal(18, 2),
            "maand": pl.Date,
            "prognose_cumulatief": pl.Decimal(18, 2),
        },
        "uitgaven": {
            "gemeente": pl.String,
            "segment": pl.String,
            "aanbieder": pl.String,
            "boekdatum": pl.Date,
            "bedrag": pl.Decimal(18, 2),
        },
    }
    return schema[tabel.naam]


def _getypt(frame: pl.DataFrame, tabel: Tabel) -> pl.DataFrame:
    """The good rows with typed values under their own names, plus bookkeeping columns."""
    typed = [getypt(k.naam).alias(k.naam) for k in tabel.kolommen if k.naam != "bsn"]
    extra: list[pl.Expr] = [
        pl.col(BRON_BESTAND).alias("bron_bestand"),
        pl.col(BRON_REGEL).alias("bron_regel"),
        pl.col("_volgnr"),
        pl.col(BRON_BESTAND),
        pl.col(BRON_REGEL),
    ]
    if tabel.naam == "berichten":
        extra += [
            pl.col("_volgnr").alias("regel_id"),
            pl.col("client_id"),
            getypt("geboortedatum").dt.year().alias("geboortejaar"),
        ]
        typed = [e for e in typed if e.meta.output_name() not in ("bericht_type", "geboortedatum")]
        typed += [
            pl.col("_n_bericht_type").alias("bericht_type"),
            pl.col("_n_berichtsoort").alias("berichtsoort"),
            pl.col("_n_domein").alias("domein"),
            pl.col("_n_afzender").alias("afzender"),
        ]
    return frame.select(*typed, *extra)


def _met_segment(contracten: pl.DataFrame, producten: pl.DataFrame) -> pl.DataFrame:
    """Derive segment and domein of each contract from its sub-segment."""
    per_subsegment = producten.group_by("subsegment").agg(
        pl.col("segment").sort().first(), pl.col("domein").sort().first()
    )
    return contracten.join(per_subsegment, on="subsegment", how="left", maintain_order="left")


def _schrijf_warehouse(
    db: Path, tabellen: dict[str, pl.DataFrame], stap: Voortgang
) -> dict[str, int]:
    """Write everything to a temporary DuckDB file, derive, and swap it in atomically."""
    db.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tijdelijk.unlink()
    con = duckdb.connect(str(tijdelijk))
    try:
        con.execute("set threads = 2")
        con.execute((SQL_MAP / "schema.sql").read_text())
        for naam, frame in tabellen.items():
            con.register("_invoer", frame.to_arrow())
            con.execute(f"insert into {naam} by name select * from _invoer")  # naam: our constant
            con.unregister("_invoer")
        stap(STAPPEN[4])
        for sql in sorted(SQL_MAP.glob("[0-9][0-9]_*.sql")):
            con.execute(sql.read_text())
        rijen = {
            naam: con.execute(f"select count(*) from {naam}").fetchone()[0]  # noqa: S608
            for (naam,) in con.execute(
                "select table_name from information_schema.tables order by table_name"
            ).fetchall()
        }
        con.execute("checkpoint")
        con.close()
        os.replace(tijdelijk, db)
    except BaseException:
        con.close()
        with contextlib.suppress(FileNotFoundError):
            tijdelijk.unlink()
        raise
    return rijen
