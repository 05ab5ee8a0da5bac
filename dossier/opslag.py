"""The dossier store: a SQLite file beside the warehouse that a warehouse load never touches.

SQLite, not DuckDB, because this is many small writes from several writers at once: the
Streamlit sessions of several contract managers (threads of one server) and the command line
(another process). DuckDB lets one process hold a file open for writing and then refuses the
others even for reading; SQLite in WAL mode lets readers go on while one writer commits, and a
writer that finds the file busy waits (busy timeout) instead of failing. Every write is a short
`BEGIN IMMEDIATE` transaction on its own connection, so two contract managers saving at the
same moment are serialised and both land. SQLite's online backup API copies a consistent
snapshot while others write (`backup`, `herstel`).

Nothing is overwritten: an item is created once and every edit is a new version (the triggers
in sql/schema.sql refuse UPDATE and DELETE). An edit names the version it was based on; when a
colleague saved a newer one in the meantime the edit is refused with `VersieConflict`, so
nobody's change is silently replaced.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dossier import invoer
from dossier.invoer import DossierFout

SCHEMA_SQL = Path(__file__).parent / "sql" / "schema.sql"
SCHEMA_VERSIE = 1  # PRAGMA user_version of a dossier this code writes
APPLICATIE_ID = 0x53544C44  # PRAGMA application_id: 'STLD', marks a file as a Stoplicht dossier
DOSSIER_ENV = "STOPLICHT_DOSSIER"
BESTANDSNAAM = "dossier.sqlite"
WACHTTIJD_S = 30.0  # how long a writer waits for another's transaction before giving up
TIJDZONE = ZoneInfo("Europe/Amsterdam")  # 'today' for a due date is the region's today

SOORTEN = ("agendapunt", "afspraak", "toelichting", "besluit", "groep")
SOORT_NAAM = {"agendapunt": "Dit agendapunt", "afspraak": "Deze afspraak",
              "toelichting": "Deze toelichting", "besluit": "Dit besluit",
              "groep": "Deze groep"}  # fmt: skip
# the fields an edit may change, per kind (ingetrokken for every kind)
VELDEN = {
    "agendapunt": ("tekst", "gedeeld", "kpi", "afspraak_id"),
    "afspraak": ("tekst", "eigenaar", "deadline", "status", "gedeeld"),
    "toelichting": ("tekst", "kpi", "gedeeld"),
    "besluit": ("tekst", "onderwerp", "waarde_van", "waarde_naar", "ingangsdatum", "gedeeld"),
    "groep": ("tekst", "leden"),
}
_VERSIEKOLOMMEN = ("tekst", "gedeeld", "ingetrokken", "kpi", "afspraak_id", "eigenaar",
                   "deadline", "status", "onderwerp", "waarde_van", "waarde_naar",
                   "ingangsdatum", "leden")  # fmt: skip


def dossier_pad(warehouse: Path | str | None = None) -> Path:
    """The dossier file: $STOPLICHT_DOSSIER, else dossier.sqlite beside the warehouse."""
    uit_env = os.environ.get(DOSSIER_ENV)
    if uit_env:
        return Path(uit_env)
    map_ = Path(warehouse).parent if warehouse is not None else Path("data")
    return map_ / BESTANDSNAAM


@dataclass(frozen=True)
class Gesprek:
    """The CM-gesprek an item belongs to: one provider, one period (as kpi.Periode codes it)."""

    aanbieder: str
    periode: str
    van: date
    tot: date


@dataclass(frozen=True)
class Item:
    """One dossier item in one version (the latest, unless read from `geschiedenis`)."""

    id: int
    soort: str
    aanbieder: str | None
    subsegment: str | None
    periode: str
    periode_van: date
    periode_tot: date
    versie: int
    volgnummer: int
    tekst: str
    gedeeld: bool
    ingetrokken: bool
    kpi: str | None
    afspraak_id: int | None
    eigenaar: str | None
    deadline: date | None
    status: str | None
    onderwerp: str | None
    waarde_van: Decimal | None
    waarde_naar: Decimal | None
    ingangsdatum: date | None
    leden: tuple[str, ...]
    aangemaakt_door: str
    aangemaakt_op: datetime
    door: str  # who wrote this version
    op: datetime  # when (UTC)

    @property
    def gesprek(self) -> Gesprek | None:
        """The talk of a provider's item (None for a groep)."""
        if self.aanbieder is None:
            return None
        return Gesprek(self.aanbieder, self.periode, self.periode_van, self.periode_tot)


class VersieConflict(DossierFout):
    """An edit based on a version that is no longer the latest: a colleague saved in between."""

    def __init__(self, nieuwste: Item, basis: int) -> None:
        self.nieuwste = nieuwste
        tijd = nieuwste.op.astimezone(TIJDZONE).strftime("%d-%m-%Y %H:%M")
        super().__init__(
            f"{SOORT_NAAM[nieuwste.soort]} is intussen gewijzigd door {nieuwste.door} "
            f"({tijd}): u werkte met versie {basis}, de nieuwste is versie {nieuwste.versie}. "
            "Er is niets overschreven; bekijk de nieuwe versie en sla uw wijziging opnieuw op."
        )


def _datum(x: str | None) -> date | None:
    return None if x is None else date.fromisoformat(x)


def _item(rij: sqlite3.Row) -> Item:
    waarden: dict[str, Any] = dict(rij)
    for k in ("periode_van", "periode_tot", "deadline", "ingangsdatum"):
        waarden[k] = _datum(waarden[k])
    for k in ("aangemaakt_op", "op"):
        waarden[k] = datetime.fromisoformat(waarden[k])
    for k in ("waarde_van", "waarde_naar"):
        waarden[k] = None if waarden[k] is None else Decimal(waarden[k])
    waarden["gedeeld"] = bool(waarden["gedeeld"])
    waarden["ingetrokken"] = bool(waarden["ingetrokken"])
    waarden["leden"] = tuple(json.loads(waarden["leden"])) if waarden["leden"] else ()
    return Item(**{f.name: waarden[f.name] for f in fields(Item)})


def _tekstvorm(veld: str, x: object) -> object:
    """A field value as the database stores it."""
    if x is None:
        return None
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, Decimal):
        return format(x, "f")
    if veld == "leden":
        return json.dumps(list(x)) if x else None
    return x


class Dossier:
    """The dossier file. Cheap to create; every call opens and closes its own connection, so
    one object can be shared by threads (the Streamlit sessions)."""

    def __init__(self, pad: Path | str, klok: Callable[[], datetime] | None = None) -> None:
        self.pad = Path(pad)
        self._klok = klok or (lambda: datetime.now(UTC))
        self._maak()

    # ------------------------------------------------------------------ connection and schema

    def _verbind(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.pad, timeout=WACHTTIJD_S, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("pragma foreign_keys = on")
        con.execute("pragma synchronous = full")  # a saved afspraak survives a power cut
        _eerste_lezing(con)
        return con

    @contextmanager
    def _transactie(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: takes the write lock at once (BEGIN IMMEDIATE), so two writers
        queue instead of one failing halfway."""
        with closing(self._verbind()) as con:
            _met_herhaling(lambda: con.execute("begin immediate"))
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    def _maak(self) -> None:
        self.pad.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = self._verbind()
        except sqlite3.DatabaseError as fout:
            raise DossierFout(f"{self.pad} is geen dossierbestand ({fout}).") from None
        with closing(con):
            versie = _controleer_bestand(con, self.pad)
            if con.execute("pragma journal_mode").fetchone()[0] != "wal":
                con.execute("pragma journal_mode = wal")  # readers never wait for a writer
            if versie == SCHEMA_VERSIE:
                return  # made before: nothing to write
        with self._transactie() as con:
            for opdracht in _opdrachten(SCHEMA_SQL.read_text(encoding="utf-8")):
                con.execute(opdracht)
            con.execute(f"pragma user_version = {SCHEMA_VERSIE}")
            con.execute(f"pragma application_id = {APPLICATIE_ID}")

    def _nu(self) -> datetime:
        return self._klok().astimezone(UTC)

    def vandaag(self) -> date:
        """Today in the region (the earliest due date a new afspraak may have)."""
        return self._klok().astimezone(TIJDZONE).date()

    # ------------------------------------------------------------------ writing

    def nieuwe_afspraak(
        self,
        gesprek: Gesprek,
        wie: str,
        tekst: str,
        eigenaar: str,
        deadline: date | str,
        gedeeld: bool = True,
    ) -> Item:
        """An afspraak of this talk: what, who acts, by when; status open."""
        return self._voeg_toe(
            "afspraak", gesprek, wie,
            {"tekst": tekst, "eigenaar": eigenaar, "deadline": deadline, "status": "open",
             "gedeeld": gedeeld},
        )  # fmt: skip

    def nieuwe_toelichting(
        self, gesprek: Gesprek, wie: str, kpi: str, tekst: str, gedeeld: bool = False
    ) -> Item:
        """Why a KPI looks as it does (e.g. why it is red); internal unless shared."""
        return self._voeg_toe(
            "toelichting", gesprek, wie, {"tekst": tekst, "kpi": kpi, "gedeeld": gedeeld}
        )

    def nieuw_besluit(
        self,
        gesprek: Gesprek,
        wie: str,
        onderwerp: str,
        reden: str,
        waarde_naar: Decimal | int | str | None,
        ingangsdatum: date | str,
        waarde_van: Decimal | int | str | None = None,
        gedeeld: bool = False,
    ) -> Item:
        """A decision, e.g. the voorschot from X to Y per a date, with the reason."""
        return self._voeg_toe(
            "besluit", gesprek, wie,
            {"tekst": reden, "onderwerp": onderwerp, "waarde_van": waarde_van,
             "waarde_naar": waarde_naar, "ingangsdatum": ingangsdatum, "gedeeld": gedeeld},
        )  # fmt: skip

    def nieuw_agendapunt(
        self,
        gesprek: Gesprek,
        wie: str,
        tekst: str,
        kpi: str | None = None,
        afspraak_id: int | None = None,
        gedeeld: bool = True,
    ) -> Item:
        """A point on the agenda of this talk, optionally about a KPI or an earlier afspraak."""
        return self._voeg_toe(
            "agendapunt", gesprek, wie,
            {"tekst": tekst, "kpi": kpi, "afspraak_id": afspraak_id, "gedeeld": gedeeld},
        )  # fmt: skip

    def nieuwe_groep(
        self,
        subsegment: str,
        periode: str,
        van: date,
        tot: date,
        wie: str,
        leden: tuple[str, ...] | list[str],
        naam: str,
    ) -> Item:
        """A group talk: comparable small providers of one sub-segment, for one period."""
        sleutel = Gesprek("", periode, van, tot)
        return self._voeg_toe("groep", sleutel, wie, {"tekst": naam, "leden": leden}, subsegment)

    def _voeg_toe(
        self,
        soort: str,
        gesprek: Gesprek,
        wie: str,
        velden: Mapping[str, object],
        subsegment: str | None = None,
    ) -> Item:
        wie = invoer.wie(wie)
        if soort == "groep":
            aanbieder = None
            subsegment = invoer.tekst(subsegment, "Het sub-segment", invoer.MAX_KORT)
        else:
            aanbieder = invoer.agb(gesprek.aanbieder)
        periode = invoer.tekst(gesprek.periode, "De periode", 40)
        if gesprek.tot < gesprek.van:
            raise DossierFout("De periode eindigt voor zij begint.")
        schoon = _controleer(soort, {"ingetrokken": False, **velden}, None, self.vandaag())
        nu = self._nu().isoformat(timespec="seconds")
        with self._transactie() as con:
            if schoon.get("afspraak_id") is not None:
                _controleer_afspraak_ref(con, schoon["afspraak_id"], aanbieder)
            cur = con.execute(
                "insert into item (soort, aanbieder, subsegment, periode, periode_van, "
                "periode_tot, aangemaakt_door, aangemaakt_op) values (?, ?, ?, ?, ?, ?, ?, ?)",
                (soort, aanbieder, subsegment, periode, gesprek.van.isoformat(),
                 gesprek.tot.isoformat(), wie, nu),
            )  # fmt: skip
            item_id = cur.lastrowid
            _schrijf_versie(con, item_id, 1, schoon, wie, nu)
            return _lees(con, item_id)

    def wijzig(self, item_id: int, wie: str, basis_versie: int | None, **velden: object) -> Item:
        """A new version of an item with the given fields changed; the others carry over.

        `basis_versie`: the version the user saw. When another version was saved since, the
        edit is refused (VersieConflict) and nothing is written. None: no such check (for a
        script that means to apply its change to whatever is newest). Changing nothing writes
        nothing and returns the item as it is.
        """
        wie = invoer.wie(wie)
        nu = self._nu().isoformat(timespec="seconds")
        with self._transactie() as con:
            huidig = _lees(con, item_id)
            if basis_versie is not None and basis_versie != huidig.versie:
                raise VersieConflict(huidig, basis_versie)
            toegestaan = {*VELDEN[huidig.soort], "ingetrokken"}
            onbekend = set(velden) - toegestaan
            if onbekend:
                raise DossierFout(
                    f"{SOORT_NAAM[huidig.soort]} heeft geen veld {', '.join(sorted(onbekend))}."
                )
            vorige = {k: getattr(huidig, k) for k in _VERSIEKOLOMMEN}
            schoon = _controleer(huidig.soort, {**vorige, **velden}, vorige, self.vandaag())
            if all(_tekstvorm(k, schoon[k]) == _tekstvorm(k, vorige[k]) for k in schoon):
                return huidig
            if schoon.get("afspraak_id") is not None:
                _controleer_afspraak_ref(con, schoon["afspraak_id"], huidig.aanbieder)
            _schrijf_versie(con, item_id, huidig.versie + 1, schoon, wie, nu)
            return _lees(con, item_id)

    def trek_in(self, item_id: int, wie: str, basis_versie: int | None) -> Item:
        """Withdraw an item: a new version marked ingetrokken; its history stays."""
        return self.wijzig(item_id, wie, basis_versie, ingetrokken=True)

    # ------------------------------------------------------------------ reading

    def items(
        self,
        aanbieder: str | None = None,
        soort: str | None = None,
        periode: str | None = None,
        subsegment: str | None = None,
        alleen_gedeeld: bool = False,
        met_ingetrokken: bool = False,
    ) -> list[Item]:
        """Items in their latest version, oldest first; withdrawn ones only when asked."""
        voorwaarden, params = [], []
        for kolom, waarde in (("aanbieder", aanbieder), ("soort", soort), ("periode", periode),
                              ("subsegment", subsegment)):  # fmt: skip
            if waarde is not None:
                voorwaarden.append(f"{kolom} = ?")
                params.append(waarde)
        if alleen_gedeeld:
            voorwaarden.append("gedeeld = 1")
        if not met_ingetrokken:
            voorwaarden.append("ingetrokken = 0")
        waar = " and ".join(voorwaarden) or "true"
        with closing(self._verbind()) as con:
            rijen = con.execute(
                f"select * from huidig where {waar} order by periode_van, id", params
            ).fetchall()
        return [_item(r) for r in rijen]

    def item(self, item_id: int) -> Item:
        """One item in its latest version."""
        with closing(self._verbind()) as con:
            return _lees(con, item_id)

    def geschiedenis(self, item_id: int) -> list[Item]:
        """Every version of an item, the first first."""
        with closing(self._verbind()) as con:
            rijen = con.execute(
                "select i.*, v.* from item as i join versie as v on v.item_id = i.id "
                "where i.id = ? order by v.versie",
                (item_id,),
            ).fetchall()
        if not rijen:
            raise DossierFout(f"Item {item_id} staat niet in het dossier.")
        return [_item(r) for r in rijen]

    def stand(self) -> int:
        """A number that grows with every saved version (for caches of what reads the dossier)."""
        with closing(self._verbind()) as con:
            return int(con.execute("select coalesce(max(volgnummer), 0) from versie").fetchone()[0])

    def aantallen(self) -> dict[str, int]:
        """Items (latest versions, withdrawn included) per kind, and the number of versions."""
        with closing(self._verbind()) as con:
            uit = dict(con.execute("select soort, count(*) from item group by soort").fetchall())
            uit["versies"] = con.execute("select count(*) from versie").fetchone()[0]
        return uit

    # ------------------------------------------------------------------ backup and restore

    def backup(self, doel: Path | str) -> Path:
        """A consistent copy of the whole dossier in one file (SQLite online backup: others
        may go on writing). Written beside `doel` first and renamed, so a half copy never
        has the name of a backup."""
        doel = Path(doel)
        doel.parent.mkdir(parents=True, exist_ok=True)
        tijdelijk = doel.with_name(f"{doel.name}.tmp-{os.getpid()}")
        tijdelijk.unlink(missing_ok=True)
        try:
            with closing(self._verbind()) as bron, closing(sqlite3.connect(tijdelijk)) as kopie:
                bron.backup(kopie)
                kopie.execute("pragma journal_mode = delete")  # one self-contained file
            os.replace(tijdelijk, doel)
        finally:
            tijdelijk.unlink(missing_ok=True)
        return doel

    def herstel(self, bron: Path | str) -> Path:
        """Replace the dossier's content by a backup; returns the safety copy of what it held.

        The backup is checked first (a dossier file, not newer than this code, intact); the
        current content is then copied aside (`<dossier>.voor-herstel-<moment>`) so a restore
        itself loses nothing, and the backup is copied in through SQLite's backup API, under
        its locks, so open connections of a running dashboard stay valid.
        """
        bron = Path(bron)
        if not bron.is_file():
            raise DossierFout(f"Backup {bron} bestaat niet.")
        with closing(sqlite3.connect(f"file:{bron}?mode=ro", uri=True)) as con:
            _controleer_bestand(con, bron, leeg_mag=False)
            rijen = con.execute("pragma integrity_check").fetchall()
            if [tuple(r) for r in rijen] != [("ok",)]:
                raise DossierFout(f"Backup {bron} is beschadigd: {rijen[0][0]}")
        moment = self._nu().strftime("%Y%m%dT%H%M%S")
        veilig = self.backup(self.pad.with_name(f"{self.pad.name}.voor-herstel-{moment}"))
        lezen = sqlite3.connect(f"file:{bron}?mode=ro", uri=True)
        with closing(lezen) as van, closing(self._verbind()) as naar:
            van.backup(naar)
        self._maak()  # back to WAL mode; brings an older backup's schema up to date
        return veilig


def _opdrachten(sql: str) -> list[str]:
    """The statements of the schema file (a trigger body holds ';' inside begin ... end)."""
    opdrachten, deel = [], ""
    for regel in sql.splitlines(keepends=True):
        if regel.lstrip().startswith("--"):
            continue
        deel += regel
        if sqlite3.complete_statement(deel):
            opdrachten.append(deel.strip())
            deel = ""
    if deel.strip():
        raise ValueError(f"onvolledige SQL in {SCHEMA_SQL}: {deel[:60]!r}")
    return opdrachten


def _controleer_bestand(con: sqlite3.Connection, pad: Path, leeg_mag: bool = True) -> int:
    """The schema version of a dossier file (0: empty); refuses a file that is not a dossier
    or was written by a newer version of Stoplicht."""
    try:
        applicatie = con.execute("pragma application_id").fetchone()[0]
        versie = con.execute("pragma user_version").fetchone()[0]
        tabellen = con.execute("select count(*) from sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as fout:
        raise DossierFout(f"{pad} is geen dossierbestand ({fout}).") from None
    if tabellen == 0 and applicatie == 0:
        if leeg_mag:
            return 0
        raise DossierFout(f"{pad} is leeg: geen dossierbackup.")
    if applicatie != APPLICATIE_ID:
        raise DossierFout(f"{pad} is geen dossierbestand van Stoplicht.")
    if versie > SCHEMA_VERSIE:
        raise DossierFout(
            f"{pad} is geschreven door een nieuwere versie van Stoplicht (schema {versie}, "
            f"deze versie kent {SCHEMA_VERSIE})."
        )
    return versie


def _lees(con: sqlite3.Connection, item_id: int) -> Item:
    rij = con.execute("select * from huidig where id = ?", (item_id,)).fetchone()
    if rij is None:
        raise DossierFout(f"Item {item_id} staat niet in het dossier.")
    return _item(rij)


def _controleer_afspraak_ref(
    con: sqlite3.Connection, afspraak_id: int, aanbieder: str | None
) -> None:
    rij = con.execute("select soort, aanbieder from item where id = ?", (afspraak_id,)).fetchone()
    if rij is None or rij["soort"] != "afspraak" or rij["aanbieder"] != aanbieder:
        raise DossierFout(f"Afspraak {afspraak_id} hoort niet bij deze aanbieder.")


def _schrijf_versie(
    con: sqlite3.Connection, item_id: int, versie: int, velden: Mapping[str, object], wie: str,
    nu: str,
) -> None:  # fmt: skip
    kolommen = list(_VERSIEKOLOMMEN)
    con.execute(
        f"insert into versie (item_id, versie, {', '.join(kolommen)}, door, op) "
        f"values (?, ?, {', '.join('?' for _ in kolommen)}, ?, ?)",
        (item_id, versie, *(_tekstvorm(k, velden.get(k)) for k in kolommen), wie, nu),
    )


def _controleer(
    soort: str, velden: Mapping[str, object], vorige: Mapping[str, object] | None, vandaag: date
) -> dict[str, object]:
    """The fields of a new version, checked and normalised for its kind (invoer.py)."""
    uit: dict[str, object] = dict.fromkeys(_VERSIEKOLOMMEN)
    uit["ingetrokken"] = bool(velden.get("ingetrokken"))
    uit["gedeeld"] = bool(velden.get("gedeeld")) if soort != "groep" else False
    if soort == "afspraak":
        uit["tekst"] = invoer.tekst(velden.get("tekst"), "De tekst van de afspraak")
        uit["eigenaar"] = invoer.tekst(
            velden.get("eigenaar"), "Wie de afspraak uitvoert (eigenaar)", invoer.MAX_KORT
        )
        deadline = invoer.datum(velden.get("deadline"), "De deadline")
        if vorige is None or deadline != vorige.get("deadline"):
            deadline = invoer.deadline(deadline, vandaag)  # a new due date lies ahead
        uit["deadline"] = deadline
        uit["status"] = invoer.status(velden.get("status"))
    elif soort == "toelichting":
        uit["kpi"] = invoer.kpi_id(velden.get("kpi"))
        uit["tekst"] = invoer.tekst(velden.get("tekst"), "De toelichting")
    elif soort == "besluit":
        uit["onderwerp"] = invoer.onderwerp(velden.get("onderwerp"))
        uit["tekst"] = invoer.tekst(velden.get("tekst"), "De reden van het besluit")
        uit["ingangsdatum"] = invoer.datum(velden.get("ingangsdatum"), "De ingangsdatum")
        for k, veld in (("waarde_van", "De oude waarde"), ("waarde_naar", "De nieuwe waarde")):
            x = velden.get(k)
            if x is None or (isinstance(x, str) and not x.strip()):
                if k == "waarde_naar" and uit["onderwerp"] != "overig":
                    raise DossierFout(
                        f"De nieuwe waarde ontbreekt: waar gaat het {uit['onderwerp']} naartoe?"
                    )
                continue
            uit[k] = invoer.waarde(x, veld)
    elif soort == "agendapunt":
        uit["tekst"] = invoer.tekst(velden.get("tekst"), "Het agendapunt")
        if velden.get("kpi"):
            uit["kpi"] = invoer.kpi_id(velden["kpi"])
        if velden.get("afspraak_id") is not None:
            uit["afspraak_id"] = int(velden["afspraak_id"])  # type: ignore[arg-type]
    elif soort == "groep":
        uit["tekst"] = invoer.tekst(velden.get("tekst"), "De naam van de groep", invoer.MAX_KORT)
        leden = sorted({invoer.agb(c) for c in (velden.get("leden") or ())})  # type: ignore[union-attr]
        if len(leden) < 2:
            raise DossierFout("Een groepsgesprek vraagt ten minste 2 aanbieders.")
        uit["leden"] = tuple(leden)
    else:
        raise DossierFout(f"Onbekende soort {soort!r}; kies uit {', '.join(SOORTEN)}.")
    return uit


def _met_herhaling(stap: Callable[[], object]) -> None:
    """Run a step that only takes a lock, again after a short pause while SQLite says the file
    is busy, for at most WACHTTIJD_S. The busy timeout covers a writer waiting for another,
    but not the moment the last connection of another process closes and cleans up the WAL
    (https://sqlite.org/wal.html, "Sometimes Queries Return SQLITE_BUSY"): then SQLite answers
    'database is locked' at once. Every connection here is short-lived, so that moment comes
    often with two processes writing; the step has changed nothing yet, so repeating it is safe."""
    tot = time.monotonic() + WACHTTIJD_S
    pauze = 0.005
    while True:
        try:
            stap()
            return
        except sqlite3.OperationalError as fout:
            tekst = str(fout).lower()
            if ("locked" not in tekst and "busy" not in tekst) or time.monotonic() > tot:
                raise
        time.sleep(pauze)
        pauze = min(pauze * 2, 0.2)


def _eerste_lezing(con: sqlite3.Connection) -> None:
    """Open the connection's view of the WAL with one read, so that what follows on this
    connection no longer meets another process's WAL cleanup (see _met_herhaling)."""
    _met_herhaling(lambda: con.execute("select count(*) from sqlite_master").fetchone())
