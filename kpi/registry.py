"""The KPI registry: declarations from kpis.toml loaded into frozen, validated objects.

Beside them the external KPIs of externe_kpis.toml (values from other sources, in table
kpi_waarden), read into the same objects. A leaf of kpi/: it imports no other module of the
package. A `functie` name is checked where the functions live, when a computation takes the
registry (kpi.berekening.Berekening).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from warehouse.schema import MAANDFEITEN_MAP, externe_kpis_pad

KPI_TOML = Path(__file__).with_name("kpis.toml")
SQL_MAP = Path(__file__).with_name("sql")
# Where unit-set SQL lives: kpi/sql, and the sets the load also computes per month.
SQL_MAPPEN = (SQL_MAP, MAANDFEITEN_MAP)

EENHEDEN = ("aantal", "dagen", "aandeel", "verhouding", "euro")
RICHTINGEN = ("lager_beter", "hoger_beter", "band", "neutraal")
AGGREGATIES = (
    "aantal", "aantal_clienten", "som", "aandeel", "mediaan", "gemiddelde", "p80", "aangeleverd",
)  # fmt: skip
STATISTIEKEN = ("mediaan", "gemiddelde", "p80")
N_SOORTEN = ("eenheden", "clienten")
# The groups a KPI may declare (`groep`), in the order of kpis.toml's sections; external KPIs
# choose one too. Registry.groep gives a group's KPIs in declaration order.
GROEPEN = ("stroom", "resultaat", "geld", "begroting", "prognose", "berichten", "ervaring")
TABELLEN = (
    "berichten",
    "producten",
    "aanbieders",
    "contracten",
    "voorschotten",
    "begroting",
    "uitgaven",
    "quarantaine",
    "toewijzingen",
    "start_stop",
    "zorgperiodes",
    "zorgtrajecten",
    "zorgepisodes",
    "zorgintervallen",
    "kpi_waarden",
)
# The unit set of every external KPI: its delivered values (kpi/sql/kpi_waarden.sql).
EXTERNE_EENHEDEN = "kpi_waarden"


class RegistryFout(ValueError):
    """A KPI declaration is invalid; the message names the entry."""


@dataclass(frozen=True)
class Kpi:
    """One KPI declaration."""

    id: str
    label: str
    definitie: str
    eenheid: str
    richting: str
    korrel: str
    aggregatie: str
    groep: str | None = None  # one of GROEPEN; every shipped KPI declares one
    eigenaar: str | None = None  # who owns the definition ("regio", or an external source)
    sql: str | None = None
    functie: str | None = None
    teller: str | None = None
    noemer: str | None = None
    waarde: str | None = None
    n: str = "eenheden"
    min_n: int = 10
    parameters: tuple[tuple[str, Any], ...] = ()
    vereist: tuple[str, ...] = ()
    periodiek: bool = True
    prognose: bool = False  # a forecast: computed when asked by name, not among 'all KPIs'
    # unit of teller and noemer: as declared, else aantal for shares and the KPI's own eenheid
    # otherwise (filled in by __post_init__)
    eenheid_teller: str | None = None
    geldig_van: date | None = None
    geldig_tot: date | None = None
    bronvermelding: str | None = None
    termijn_werkdagen: int | None = None
    termijn_dagen: int | None = None

    def __post_init__(self) -> None:
        if not self.eenheid_teller:
            standaard = "aantal" if self.eenheid in ("aandeel", "verhouding") else self.eenheid
            object.__setattr__(self, "eenheid_teller", standaard)

    def van_kracht(self, op: date) -> bool:
        """True when the KPI is part of the KPI set on day `op` (geldig_van..geldig_tot)."""
        return (self.geldig_van is None or self.geldig_van <= op) and (
            self.geldig_tot is None or op <= self.geldig_tot
        )

    @property
    def extern(self) -> bool:
        """True for a KPI whose values come from another source (externe_kpis.toml)."""
        return self.sql == EXTERNE_EENHEDEN

    @property
    def heeft_termijn(self) -> bool:
        """True when a unit's outcome is known only some days after its date (a deadline)."""
        return self.termijn_werkdagen is not None or self.termijn_dagen is not None

    @property
    def teller_in_centen(self) -> bool:
        """True when the teller is an amount in euro behind a figure that is not (a ratio of
        amounts: realisatie, jaarverwachting): rounded to cents after summing."""
        return self.eenheid_teller == "euro" and self.eenheid != "euro"

    @property
    def bron(self) -> str:
        """Name of the unit set: the SQL file or the function."""
        return self.sql or self.functie or ""


@dataclass(frozen=True)
class Registry:
    """All KPI declarations, in declaration order."""

    kpis: tuple[Kpi, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        gezien: set[str] = set()
        for kpi in self.kpis:
            if kpi.id in gezien:
                raise RegistryFout(f"KPI {kpi.id!r} is meer dan eens gedeclareerd")
            gezien.add(kpi.id)

    def __getitem__(self, kpi_id: str) -> Kpi:
        kpi = self.get(kpi_id)
        if kpi is None:
            raise KeyError(f"onbekende KPI {kpi_id!r}")
        return kpi

    def get(self, kpi_id: str, default: Kpi | None = None) -> Kpi | None:
        """The KPI with this id, or `default`."""
        return next((kpi for kpi in self.kpis if kpi.id == kpi_id), default)

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def __contains__(self, kpi_id: object) -> bool:
        return isinstance(kpi_id, str) and self.get(kpi_id) is not None

    @property
    def ids(self) -> tuple[str, ...]:
        """KPI ids in declaration order."""
        return tuple(kpi.id for kpi in self.kpis)

    def groep(self, naam: str) -> tuple[str, ...]:
        """Ids of the KPIs of group `naam` (kpis.toml `groep`), in declaration order."""
        if naam not in GROEPEN:
            raise KeyError(f"onbekende KPI-groep {naam!r}; bekend: {', '.join(GROEPEN)}")
        return tuple(kpi.id for kpi in self.kpis if kpi.groep == naam)

    def andere_statistieken(self, kpi_id: str) -> tuple[Kpi, ...]:
        """The other statistics of the same measure: for the median doorlooptijd its mean and
        80th percentile (same unit set, value column and parameters, another aggregation)."""
        kpi = self[kpi_id]
        if kpi.waarde is None or kpi.aggregatie not in STATISTIEKEN:
            return ()
        return tuple(
            k
            for k in self.kpis
            if k.id != kpi.id
            and k.aggregatie in STATISTIEKEN
            and (k.bron, k.waarde, k.parameters) == (kpi.bron, kpi.waarde, kpi.parameters)
        )


_VELDEN = {f.name for f in fields(Kpi)}
_VERPLICHT = ("id", "label", "definitie", "eenheid", "richting", "korrel", "aggregatie")


def _kpi(nummer: int, ruw: Mapping[str, Any]) -> Kpi:
    naam = f"KPI {ruw.get('id', f'#{nummer}')!r}"
    onbekend = set(ruw) - _VELDEN
    if onbekend:
        raise RegistryFout(f"{naam}: onbekende velden {sorted(onbekend)}")
    for veld in _VERPLICHT:
        if not ruw.get(veld):
            raise RegistryFout(f"{naam}: veld {veld!r} ontbreekt")
    waarden = dict(ruw)
    parameters = dict(ruw.get("parameters", {}))
    for veld in ("termijn_werkdagen", "termijn_dagen"):  # the unit query reads the same termijn
        if veld in ruw:
            parameters[veld] = ruw[veld]
    waarden["parameters"] = tuple(sorted(parameters.items()))
    waarden["vereist"] = tuple(ruw.get("vereist", ()))
    kpi = Kpi(**waarden)
    _controleer(naam, kpi)
    return kpi


def sql_pad(naam: str) -> Path | None:
    """The file of unit set `naam` (kpi/sql or warehouse/sql/maandfeiten), or None."""
    return next((m / f"{naam}.sql" for m in SQL_MAPPEN if (m / f"{naam}.sql").is_file()), None)


def sql_bestanden() -> list[Path]:
    """Every unit-set SQL file, sorted by name."""
    return sorted((p for m in SQL_MAPPEN for p in m.glob("*.sql")), key=lambda p: p.stem)


def controleer_functies(registry: Registry, functies: Iterable[str]) -> None:
    """Refuse a registry whose `functie` names one that does not exist (names the entry)."""
    bekend = set(functies)
    for kpi in registry:
        if kpi.functie is not None and kpi.functie not in bekend:
            raise RegistryFout(
                f"KPI {kpi.id!r}: functie {kpi.functie!r} bestaat niet in kpi/functies.py"
            )


def _controleer(naam: str, kpi: Kpi) -> None:
    keuzes = (
        ("eenheid", kpi.eenheid, EENHEDEN),
        ("richting", kpi.richting, RICHTINGEN),
        ("aggregatie", kpi.aggregatie, AGGREGATIES),
        ("n", kpi.n, N_SOORTEN),
        ("eenheid_teller", kpi.eenheid_teller, EENHEDEN),
    )
    for veld, waarde, toegestaan in keuzes:
        if waarde not in toegestaan:
            raise RegistryFout(f"{naam}: {veld} {waarde!r} is niet een van {toegestaan}")
    if kpi.groep is not None and kpi.groep not in GROEPEN:
        raise RegistryFout(
            f"{naam}: groep {kpi.groep!r} bestaat niet; kies een van {', '.join(GROEPEN)}"
        )
    if kpi.eigenaar is not None and not (isinstance(kpi.eigenaar, str) and kpi.eigenaar.strip()):
        raise RegistryFout(f"{naam}: eigenaar moet een tekst zijn")
    if (kpi.sql is None) == (kpi.functie is None):
        raise RegistryFout(f"{naam}: geef precies een van 'sql' of 'functie'")
    if kpi.sql is not None and sql_pad(kpi.sql) is None:
        raise RegistryFout(f"{naam}: SQL-bestand sql/{kpi.sql}.sql bestaat niet")
    if kpi.aggregatie in (*STATISTIEKEN, "som") and not kpi.waarde:
        raise RegistryFout(f"{naam}: aggregatie {kpi.aggregatie!r} vraagt een 'waarde'-kolom")
    if kpi.min_n < 0:
        raise RegistryFout(f"{naam}: min_n moet 0 of meer zijn")
    for veld in ("geldig_van", "geldig_tot"):
        waarde = getattr(kpi, veld)
        if waarde is not None and (not isinstance(waarde, date) or isinstance(waarde, datetime)):
            raise RegistryFout(f"{naam}: {veld} moet een datum zijn (2024-07-01), niet {waarde!r}")
    if kpi.geldig_van and kpi.geldig_tot and kpi.geldig_tot < kpi.geldig_van:
        raise RegistryFout(f"{naam}: geldig_tot ligt voor geldig_van")
    if kpi.termijn_werkdagen is not None and kpi.termijn_dagen is not None:
        raise RegistryFout(
            f"{naam}: geef ten hoogste een van 'termijn_werkdagen' of 'termijn_dagen'"
        )
    for veld in ("termijn_werkdagen", "termijn_dagen"):
        termijn = getattr(kpi, veld)
        if termijn is not None and (
            isinstance(termijn, bool) or not isinstance(termijn, int) or termijn < 1
        ):
            raise RegistryFout(f"{naam}: {veld} moet een geheel getal van 1 of meer zijn")
    for eis in kpi.vereist:
        for tabel in eis.split("|"):
            if tabel not in TABELLEN:
                raise RegistryFout(f"{naam}: vereiste tabel {tabel!r} bestaat niet")


def laad_registry(pad: Path | str | None = None, externe: Path | str | None = None) -> Registry:
    """Load and validate KPI declarations (default kpi/kpis.toml) and, after them, the external
    KPIs (`externe`, default schema.externe_kpis_pad(): kpi/externe_kpis.toml unless
    $STOPLICHT_EXTERNE_KPIS names another file; absent: none). Read again when a file changed."""
    bestanden = (Path(pad) if pad is not None else KPI_TOML, externe_kpis_pad(externe))
    # Every block of every page asks for the registry, in every session: one stat per file
    # and no resolve() (a realpath is a syscall per path component) keep the check cheap.
    return _registry(*(b.absolute() for b in bestanden), tuple(map(_versie, bestanden)))


def _versie(bestand: Path) -> int | None:
    try:
        return bestand.stat().st_mtime_ns
    except FileNotFoundError:
        return None


@lru_cache(maxsize=8)
def _registry(pad: Path, externe: Path, _versies: tuple) -> Registry:
    kpis = _lees(pad, _kpi)
    if externe.is_file():
        kpis += _lees(externe, _externe_kpi)
    return Registry(kpis)


def _lees(pad: Path, maak: Callable[[int, Mapping[str, Any]], Kpi]) -> tuple[Kpi, ...]:
    with pad.open("rb") as f:
        ruw = tomllib.load(f)
    onbekend = set(ruw) - {"kpi"}
    if onbekend:
        raise RegistryFout(f"{pad.name}: onbekende secties {sorted(onbekend)}")
    return tuple(maak(i, item) for i, item in enumerate(ruw.get("kpi", []), start=1))


# ---------------------------------------------------------------- external KPIs
_EXTERNE_VELDEN = ("id", "label", "groep", "eigenaar", "definitie", "eenheid", "richting",
                   "min_n", "bron", "geldig_van", "geldig_tot")  # fmt: skip
_EXTERN_VERPLICHT = ("id", "label", "definitie", "eenheid", "richting", "bron")
COMBINATIEREGEL = (
    "Over meer aangeleverde perioden, gemeenten, sub-segmenten of aanbieders samen: de som van "
    "de tellers gedeeld door de som van de noemers, nooit een gemiddelde; een waarde die zonder "
    "teller en noemer is aangeleverd, alleen voor precies de aangeleverde periode."
)


def _externe_kpi(nummer: int, ruw: Mapping[str, Any]) -> Kpi:
    """An entry of externe_kpis.toml as a KPI on unit set kpi_waarden (its delivered values,
    aggregated as 'aangeleverd'); its definition says the source and how values combine."""
    naam = f"externe KPI {ruw.get('id', f'#{nummer}')!r}"
    onbekend = set(ruw) - set(_EXTERNE_VELDEN)
    if onbekend:
        raise RegistryFout(f"{naam}: onbekende velden {sorted(onbekend)}")
    for veld in _EXTERN_VERPLICHT:
        if not ruw.get(veld):
            raise RegistryFout(f"{naam}: veld {veld!r} ontbreekt")
    waarden = {k: v for k, v in ruw.items() if k != "bron"}
    definitie = str(ruw["definitie"]).rstrip()
    definitie = f"{definitie if definitie.endswith('.') else definitie + '.'} Bron: {ruw['bron']}."
    return _kpi(
        nummer,
        {
            **waarden,
            "definitie": f"{definitie} {COMBINATIEREGEL}",
            "korrel": "meting",
            "aggregatie": "aangeleverd",
            "sql": EXTERNE_EENHEDEN,
            "parameters": {"kpi": ruw["id"]},
            "teller": "teller",
            "noemer": "noemer",
            "waarde": "waarde",
            "vereist": [EXTERNE_EENHEDEN],
            "bronvermelding": str(ruw["bron"]),
        },
    )
