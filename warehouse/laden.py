"""Load an extract directory into a new DuckDB warehouse and swap it in when complete."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from datacontract.kolommen import (
    AANBIEDERS,
    BERICHTEN,
    PRODUCTEN,
    TABELLEN,
    Tabel,
)
from warehouse.berichten import Berichtenresultaat, verwerk_berichten
from warehouse.controle import (
    MAX_VELD,
    PERSOONSKOLOMMEN,
    WAARDE_LENGTE,
    dubbelen,
    eerste_fout,
    getypt,
    met_typen,
    ongelezen_als_quarantaine,
    quarantaine_regels,
    typeregels,
)
from warehouse.lezen import (
    BRON_BESTAND,
    BRON_REGEL,
    Ingelezen,
    LaadFout,
    bestanden_voor,
    lees_bronnen,
    open_bronnen,
)
from warehouse.maandfeiten import vul as vul_maandfeiten
from warehouse.pseudoniem import hmac_blokken, pseudoniem, sleutel, zonder_bsn
from warehouse.regels import (
    KPI_WAARDEN_KOLOMMEN,
    NACONTROLES,
    SLEUTELS,
    Referentie,
    aanbiederregels,
    externe_kpi_eenheden,
    financiele_regels,
    productregels,
)
from warehouse.schema import FEITEN_MAP, SCHEMA_VERSIE, SQL_MAP
from warehouse.xml_berichten import (
    XmlResultaat,
    parse_bestand,
    standaard_xsd_dir,
)

REFERENTIE_MAP = Path(__file__).parent / "reference"
QUARANTAINE_SCHEMA = {
    "tabel": pl.String,
    "bron_bestand": pl.String,
    "bron_regel": pl.Int32,
    "kolom": pl.String,
    "reden": pl.String,
    "waarde": pl.String,
    "ernst": pl.String,
    "bericht_type": pl.String,
    "gemeente": pl.String,
    "aanbieder": pl.String,
    "ruwe_regel": pl.String,
}
VERSLAG_SCHEMA = {
    "bron_bestand": pl.String,
    "tabel": pl.String,
    "regels_in": pl.Int64,
    "geladen": pl.Int64,
    "dubbel": pl.Int64,
    "genegeerd": pl.Int64,
    "afgekeurd": pl.Int64,
    "extra_kolommen": pl.String,
    "codering": pl.String,
    "opmerking": pl.String,
}
OPMERKING_LEEG = "geen gegevensregels: het bestand heeft alleen een kop"
STAPPEN = (
    "referentie",
    "berichten",
    "financiën",
    "opslaan",
    "toewijzingen en zorgtrajecten",
    "afronden",
)

GEHEUGEN_DUCKDB = "4GB"  # DuckDB's share of a load's memory (the default is 80 % of RAM)

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


class LaadAfgebroken(BaseException):
    """A load stopped by SIGTERM or SIGINT: its work is removed, the old warehouse stays."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"signaal {signal.Signals(signum).name}")


def laad_extract(
    extract: Path,
    db: Path,
    voortgang: Voortgang | None = None,
    externe_kpis: Path | str | None = None,
) -> Laadresultaat:
    """Check and load `extract` into a fresh warehouse at `db`; on failure the old one stays.

    `externe_kpis`: the declaration of the KPIs table kpi_waarden may deliver values for
    (default: schema.externe_kpis_pad()).
    """
    begin = time.perf_counter()
    extract, db = Path(extract), Path(db)
    stap = voortgang or (lambda _s: None)
    db.parent.mkdir(parents=True, exist_ok=True)
    with _laadslot(db), _afbreken_bij_signaal():
        ruim_achtergelaten_op(db)
        if not extract.is_dir():
            raise LaadFout(str(extract), "extractmap bestaat niet")
        if not bestanden_voor(extract, "producten"):
            raise LaadFout(str(extract), "tabel producten ontbreekt (verplicht)")
        if not bestanden_voor(extract, "berichten") and not (extract / "xml").is_dir():
            raise LaadFout(str(extract), "geen berichten: berichten.* of map xml/ ontbreekt")

        key = sleutel()
        werkmap = None
        try:
            # mode 700: it holds the input with its BSNs, and the warehouse until complete
            werkmap = Path(tempfile.mkdtemp(prefix=f".laden-{os.getpid()}-", dir=db.parent))
            invoer = _lees_en_controleer(extract, key, werkmap, stap, externe_kpis)
            stap(STAPPEN[3])
            rijen, laadverslag, per_reden, peildatum = _schrijf_warehouse(
                db, werkmap, invoer, extract, key, stap
            )
        finally:
            if werkmap is not None:
                shutil.rmtree(werkmap, ignore_errors=True)
    stap(STAPPEN[5])
    return Laadresultaat(
        db=db,
        rijen=rijen,
        laadverslag=laadverslag,
        quarantaine_per_reden=per_reden,
        peildatum=peildatum,
        seconden=time.perf_counter() - begin,
    )


@contextlib.contextmanager
def _laadslot(db: Path) -> Iterator[None]:
    """Hold the lock file `<db>.lock` for the whole load; a second load to the same
    warehouse is refused (else the one finishing last would silently win). The lock is the
    operating system's (flock): it goes with the process, also when that is killed."""
    pad = db.with_name(f"{db.name}.lock")
    while True:
        fd = os.open(pad, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            houder = os.read(fd, 20).decode("ascii", errors="replace").strip() or "?"
            os.close(fd)
            raise LaadFout(
                str(db),
                f"er loopt al een lading naar deze warehouse (proces {houder}); "
                "wacht tot die klaar is en probeer het dan opnieuw",
            ) from None
        try:
            zelfde = os.stat(pad).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            zelfde = False
        if zelfde:
            break
        os.close(fd)  # the previous holder removed the file as we opened it: open the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            pad.unlink()
        os.close(fd)


@contextlib.contextmanager
def _afbreken_bij_signaal() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into LaadAfgebroken, so that the work folder (raw BSNs) and the
    half-written warehouse are removed on the way out. Python runs the handler between two
    steps of the load, so a long query finishes first. Only the main thread can set handlers
    (the dashboard loads the sample in another one; there the defaults stay)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    soorten = (signal.SIGTERM, signal.SIGINT)

    def stop(signum: int, _frame: object) -> None:
        for s in soorten:  # a second signal must not interrupt the clean-up
            signal.signal(s, signal.SIG_IGN)
        raise LaadAfgebroken(signum)

    vorige = {s: signal.signal(s, stop) for s in soorten}
    try:
        yield
    finally:
        for s, handler in vorige.items():
            signal.signal(s, handler)


def _draait(pid: int) -> bool:
    """True when a process with this id exists (it may be another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def ruim_achtergelaten_op(db: Path) -> list[Path]:
    """Remove what a load that no longer runs left beside `db`: its work folder (checked
    input, with BSNs not yet pseudonymised) and its half-written warehouse. Both names carry
    the loading process's id; a load still running keeps them. Returns what was removed."""
    weg = []
    kandidaten = [*db.parent.glob(".laden-*"), *db.parent.glob(f"{db.name}.tmp-*")]
    for pad in kandidaten:
        naam = pad.name.removeprefix(".laden-").removeprefix(f"{db.name}.tmp-")
        pid = naam.split("-")[0].split(".")[0]
        if not pid.isdigit() or _draait(int(pid)):
            continue  # not ours to judge, or its load is still running
        if pad.is_dir():
            shutil.rmtree(pad, ignore_errors=True)
        else:
            pad.unlink(missing_ok=True)
        weg.append(pad)
    return weg


@dataclass
class _Invoer:
    """Everything read and checked, ready to be written."""

    tabellen: dict[str, pl.DataFrame]  # the small tables, typed
    quarantaine: pl.DataFrame  # rejected rows found so far (duplicate messages come later)
    verslag: pl.DataFrame  # per-file report of all tables but berichten
    berichten: Berichtenresultaat


def _lees_en_controleer(
    extract: Path,
    key: bytes,
    werkmap: Path,
    stap: Voortgang,
    externe_kpis: Path | str | None = None,
) -> _Invoer:
    stap(STAPPEN[0])
    gemeenten = gemeentelijst()
    producten = _verwerk(PRODUCTEN, _lees(extract, PRODUCTEN, werkmap), productregels(), None, key)
    ref_producten = producten.goed.select(
        "product_code", "domein", "segment", "subsegment", "zwaarte"
    )
    ref = Referentie(frozenset(gemeenten.get_column("gemeente").to_list()), None, ref_producten)
    aanbieder_bestanden = _lees(extract, AANBIEDERS, werkmap)
    aanbieders = _verwerk(AANBIEDERS, aanbieder_bestanden, aanbiederregels(), ref, key)
    if aanbieder_bestanden:
        bekend = frozenset(aanbieders.goed.get_column("aanbieder").to_list())
        ref = Referentie(ref.gemeenten, bekend, ref_producten)

    stap(STAPPEN[1])
    bronnen: list[tuple[Path | None, Ingelezen]] = [
        (p, bron)
        for p in bestanden_voor(extract, "berichten")
        for bron in open_bronnen(p, BERICHTEN, extract, datums_getypt=True, werkmap=werkmap)
    ]
    xml_bron, xml_quarantaine, xml_verslag = _lees_xml(extract / "xml", key)
    if xml_bron is not None:
        bronnen.append((None, xml_bron))
    berichten = verwerk_berichten(bronnen, extract, ref, key, werkmap / "berichten")

    stap(STAPPEN[2])
    ref = replace(ref, externe_kpis=externe_kpi_eenheden(externe_kpis))
    verwerkt = {"producten": producten, "aanbieders": aanbieders}
    for tabel in TABELLEN:
        if tabel.naam not in ("producten", "aanbieders", "berichten"):
            regels = financiele_regels(tabel.naam, ref)
            verwerkt[tabel.naam] = _verwerk(tabel, _lees(extract, tabel, werkmap), regels, ref, key)
    verwerkt["contracten"].goed = _met_segment(verwerkt["contracten"].goed, ref_producten)

    quarantaine = pl.concat(
        [q for v in verwerkt.values() for q in v.quarantaine]
        + xml_quarantaine
        + berichten.ongelezen
        + [pl.read_parquet(p) for p in berichten.fout]
        + [pl.DataFrame(schema=QUARANTAINE_SCHEMA)],
        how="vertical_relaxed",
    )
    verslag = pl.DataFrame(
        [r for v in verwerkt.values() for r in v.verslag] + xml_verslag, schema=VERSLAG_SCHEMA
    )
    tabellen = {naam: v.goed for naam, v in verwerkt.items()} | {"gemeenten": gemeenten}
    return _Invoer(
        tabellen,
        quarantaine.select(list(QUARANTAINE_SCHEMA)).cast(QUARANTAINE_SCHEMA),
        verslag,
        berichten,
    )


def _lees(extract: Path, tabel: Tabel, werkmap: Path) -> list[Ingelezen]:
    return [
        bron
        for p in bestanden_voor(extract, tabel.naam)
        for bron in lees_bronnen(p, tabel, extract, werkmap)
    ]


def _lees_xml(
    map_: Path, key: bytes
) -> tuple[Ingelezen | None, list[pl.DataFrame], list[dict[str, object]]]:
    """Raw iJw/iWmo XML messages: rows like berichten, plus file-level faults."""
    if not map_.is_dir():
        return None, [], []
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
                    "bron_regel": res.regel or 1,
                    "kolom": res.kolom,
                    "reden": res.fout,
                    "waarde": zonder_bsn(res.waarde[:WAARDE_LENGTE], key) if res.waarde else None,
                    "ernst": res.ernst or "fout",
                    "bericht_type": res.bericht_type,
                    "gemeente": None,
                    "aanbieder": None,
                    "ruwe_regel": _ruwe_xml_regel(res, key),
                }
            )
            genegeerd = 1 if res.ernst == "genegeerd" else 0
            verslag.append(_verslagregel(naam, "berichten", 1, 0, 0, genegeerd, 1 - genegeerd, []))
            continue
        for i, rij in enumerate(res.rows, start=1):
            rijen.append({**rij, BRON_BESTAND: naam, BRON_REGEL: i})
    q = [pl.DataFrame(fouten, schema=QUARANTAINE_SCHEMA)] if fouten else []
    if not rijen:
        return None, q, verslag
    schema = {k: pl.String for k in BERICHTEN.namen} | {
        BRON_BESTAND: pl.String,
        BRON_REGEL: pl.Int64,
    }
    frame = (
        pl.DataFrame(rijen, schema=schema)
        .select(*BERICHTEN.namen, BRON_BESTAND, BRON_REGEL)
        .with_row_index("_volg", offset=1)
    )
    return Ingelezen(map_.name + "/", frame.lazy()), q, verslag


def _ruwe_xml_regel(res: XmlResultaat, key: bytes) -> str | None:
    """The product lines of a refused message as read without its XSD, as the raw row of a
    message row in quarantine: the BSN as its pseudonym, no date of birth; the XML's names,
    addresses and phone numbers were never read (xml_berichten). None when none were read."""
    if not res.ruwe_rijen:
        return None
    regels = []
    for rij in res.ruwe_rijen:
        bsn = rij.get("bsn")
        regel = {
            k: zonder_bsn(v[:MAX_VELD], key) if isinstance(v, str) else v
            for k, v in rij.items()
            if k not in PERSOONSKOLOMMEN
        }
        regels.append(regel | {"client_id": pseudoniem(bsn, key) if bsn else None})
    return json.dumps(regels if len(regels) > 1 else regels[0], ensure_ascii=False)


def _verslagregel(
    bestand: str,
    tabel: str,
    regels_in: int,
    geladen: int,
    dubbel: int,
    genegeerd: int,
    afgekeurd: int,
    extra: list[str],
    codering: str | None = None,
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
        "codering": codering,
        "opmerking": OPMERKING_LEEG if regels_in == 0 else None,
    }


def _verwerk(
    tabel: Tabel, bestanden: list[Ingelezen], regels: list, ref: Referentie | None, key: bytes
) -> _Verwerkt:
    """Check, type and deduplicate one small table; every row ends up good or in quarantine."""
    uit = _uitvoerkolommen(tabel)
    if not bestanden:
        return _Verwerkt(pl.DataFrame(schema=uit), [], [])
    quarantaine: list[pl.DataFrame] = [
        ongelezen_als_quarantaine(b, tabel.naam)
        for b in bestanden
        if b.ongelezen is not None and b.ongelezen.height
    ]
    frame = pl.concat([b.frame.collect() for b in bestanden]).with_row_index("_volgnr")
    if tabel.naam == "producten":
        frame = frame.with_columns(pl.col("domein").str.to_lowercase())
    frame = eerste_fout(met_typen(frame, tabel), typeregels(tabel) + regels)
    slecht = frame.filter(pl.col("_reden").is_not_null())
    quarantaine.append(quarantaine_regels(slecht, tabel.naam, "fout", list(tabel.namen), key))

    goed = _getypt(frame.filter(pl.col("_reden").is_null()), tabel)
    sleutel_ = SLEUTELS.get(tabel.naam)
    if sleutel_:
        inhoud = [c for c in uit if c in goed.columns]
        goed = dubbelen(goed, sleutel_, inhoud)
        for ernst in ("dubbel", "fout"):
            deel = goed.filter(pl.col("_dubbel") == ernst)
            if deel.height:
                quarantaine.append(quarantaine_regels(deel, tabel.naam, ernst, inhoud, key))
        goed = goed.filter(pl.col("_dubbel").is_null())
    nacontrole = NACONTROLES.get(tabel.naam)
    if nacontrole is not None:  # checks across rows (regels.NACONTROLES)
        goed = nacontrole(goed)
        slecht = goed.filter(pl.col("_reden").is_not_null())
        inhoud = [c for c in uit if c in goed.columns]
        quarantaine.append(quarantaine_regels(slecht, tabel.naam, "fout", inhoud, key))
        goed = goed.filter(pl.col("_reden").is_null())
    goed_uit = goed.select(list(uit)).cast(uit)
    return _Verwerkt(
        goed_uit, quarantaine, _verslag(tabel.naam, bestanden, frame, goed, quarantaine)
    )


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
    codering = {b.bestand: b.codering for b in bestanden}
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
                codering.get(bestand),
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
        "kpi_waarden": KPI_WAARDEN_KOLOMMEN,
    }
    return schema[tabel.naam]


def _getypt(frame: pl.DataFrame, tabel: Tabel) -> pl.DataFrame:
    """The good rows with typed values under their own names, plus bookkeeping columns."""
    return frame.select(
        *(getypt(k.naam).alias(k.naam) for k in tabel.kolommen),
        pl.col("_volgnr"),
        pl.col(BRON_BESTAND),
        pl.col(BRON_REGEL),
    )


def _met_segment(contracten: pl.DataFrame, producten: pl.DataFrame) -> pl.DataFrame:
    """Derive segment and domein of each contract from its sub-segment."""
    per_subsegment = producten.group_by("subsegment").agg(
        pl.col("segment").sort().first(), pl.col("domein").sort().first()
    )
    return contracten.join(per_subsegment, on="subsegment", how="left", maintain_order="left")


def duckdb_instellingen(con: duckdb.DuckDBPyConnection) -> None:
    """The DuckDB settings of a load (the benchmark re-runs the derivation with them)."""
    con.execute("set threads = 2")
    con.execute("set preserve_insertion_order = false")
    # well below the machine's memory: larger sorts spill to disk instead of failing
    con.execute(f"set memory_limit = '{GEHEUGEN_DUCKDB}'")


def leid_feiten_af(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the KPI fact tables from the derived tables, each in its file's sort order."""
    con.execute("set preserve_insertion_order = true")
    for sql in sorted(FEITEN_MAP.glob("*.sql")):
        con.execute(f"insert into {sql.stem} by name {sql.read_text()}")  # stem: our table
    con.execute("set preserve_insertion_order = false")


def _schrijf_warehouse(
    db: Path, werkmap: Path, invoer: _Invoer, extract: Path, key: bytes, stap: Voortgang
) -> tuple[dict[str, int], pl.DataFrame, pl.DataFrame, str | None]:
    """Write everything to a temporary DuckDB file, derive, check, and swap it in atomically.

    The file is written in the work folder (mode 700: readable by no one else while it is
    being written, its WAL and spill files with it) and gets mode 600 before the swap.
    Returns rows per table, the per-file report, quarantine counts per reason and the peildatum.
    """
    tijdelijk = werkmap / f"{db.name}.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tijdelijk.unlink()
    con = duckdb.connect(str(tijdelijk))
    try:
        duckdb_instellingen(con)
        con.execute((SQL_MAP / "schema.sql").read_text())
        for naam, frame in (
            invoer.tabellen | {"quarantaine": invoer.quarantaine, "laadverslag": invoer.verslag}
        ).items():
            con.register("_invoer", frame.to_arrow())
            con.execute(f"insert into {naam} by name select * from _invoer")  # naam: our constant
            con.unregister("_invoer")
        # the checked message files (every row, BSN not yet pseudonymised) through a view
        con.read_parquet([str(p) for p in invoer.berichten.goed]).create_view(
            "berichten_gecontroleerd", replace=True
        )
        con.execute((SQL_MAP / "pseudoniemen.sql").read_text(), hmac_blokken(key))
        con.execute((SQL_MAP / "berichten_kandidaten.sql").read_text())
        stap(STAPPEN[4])
        for sql in sorted(SQL_MAP.glob("[0-9][0-9]_*.sql")):
            con.execute(sql.read_text())
        con.execute("drop table pseudoniemen")
        con.execute("drop view berichten_gecontroleerd")
        leid_feiten_af(con)
        peildatum = con.execute("select max(dagtekening)::varchar from berichten").fetchone()[0]
        if peildatum:
            vul_maandfeiten(con, date.fromisoformat(peildatum))

        verslag = _berichtenverslag(con, invoer.berichten)
        con.register("_invoer", verslag.to_arrow())
        con.execute("insert into laadverslag by name select * from _invoer")
        con.unregister("_invoer")
        laadverslag = con.sql("select * from laadverslag order by tabel, bron_bestand").pl()
        _controleer_sluitend(laadverslag)

        meta = {
            "peildatum": peildatum or "",
            "geladen_op": datetime.now(UTC).isoformat(timespec="seconds"),
            "extract": str(extract.resolve()),
            "schema_versie": SCHEMA_VERSIE,
            "feiten": "ja",  # the fact tables are filled (kpi reads them instead of views)
            "laad_id": uuid.uuid4().hex,  # this load: what kpi keeps per load is keyed on it
        }
        con.executemany("insert into meta values (?, ?)", list(meta.items()))
        per_reden = con.sql(
            "select tabel, ernst, reden, count(*) as aantal from quarantaine group by all "
            "order by aantal desc, tabel, reden"
        ).pl()
        rijen = {
            naam: con.execute(f"select count(*) from {naam}").fetchone()[0]  # noqa: S608
            for (naam,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' order by table_name"
            ).fetchall()
        }
        con.execute("checkpoint")
        con.close()
        os.chmod(tijdelijk, 0o600)
        os.replace(tijdelijk, db)
    except BaseException:
        con.close()
        with contextlib.suppress(FileNotFoundError):
            tijdelijk.unlink()
        raise
    return rijen, laadverslag, per_reden, peildatum


def _berichtenverslag(con: duckdb.DuckDBPyConnection, res: Berichtenresultaat) -> pl.DataFrame:
    """Per message file: input rows (counted by the pipeline) and where each row went."""
    geladen = dict(
        con.execute("select bron_bestand, count(*) from berichten group by 1").fetchall()
    )
    q: dict[tuple[str, str], int] = {
        (b, e): n
        for b, e, n in con.execute(
            "select bron_bestand, ernst, count(*) from quarantaine "
            "where tabel = 'berichten' group by 1, 2"
        ).fetchall()
    }
    regels = [
        _verslagregel(
            bestand,
            "berichten",
            regels_in,
            geladen.get(bestand, 0),
            q.get((bestand, "dubbel"), 0),
            q.get((bestand, "genegeerd"), 0),
            q.get((bestand, "fout"), 0),
            res.extra.get(bestand, []),
            res.codering.get(bestand),
        )
        for bestand, regels_in in sorted(res.invoer.items())
    ]
    return pl.DataFrame(regels, schema=VERSLAG_SCHEMA)
