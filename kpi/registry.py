"""The KPI registry: declarations from kpis.toml loaded into frozen, validated objects.

A leaf of kpi/: it imports no other module of the package. A `functie` name is checked where
the functions live, when a computation takes the registry (kpi.bereken.Berekening).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from warehouse.schema import MAANDFEITEN_MAP

KPI_TOML = Path(__file__).with_name("kpis.toml")
SQL_MAP = Path(__file__).with_name("sql")
# Where unit-set SQL lives: kpi/sql, and the sets the load also computes per month.
SQL_MAPPEN = (SQL_MAP, MAANDFEITEN_MAP)

EENHEDEN = ("aantal", "dagen", "aandeel", "verhouding", "euro")
RICHTINGEN = ("lager_beter", "hoger_beter", "band", "neutraal")
AGGREGATIES = ("aantal", "aantal_clienten", "som", "aandeel", "mediaan", "gemiddelde", "p80")
STATISTIEKEN = ("mediaan", "gemiddelde", "p80")
N_SOORTEN = ("eenheden", "clienten")
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
)


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
    eenheid_teller: str | None = None

    @property
    def teller_eenheid(self) -> str:
        """Unit of teller and noemer: counts for shares unless declared otherwise."""
        if self.eenheid_teller:
            return self.eenheid_teller
        return "aantal" if self.eenheid in ("aandeel", "verhouding") else self.eenheid

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
    waarden["parameters"] = tuple(sorted(dict(ruw.get("parameters", {})).items()))
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
        ("eenheid_teller", kpi.teller_eenheid, EENHEDEN),
    )
    for veld, waarde, toegestaan in keuzes:
        if waarde not in toegestaan:
            raise RegistryFout(f"{naam}: {veld} {waarde!r} is niet een van {toegestaan}")
    if (kpi.sql is None) == (kpi.functie is None):
        raise RegistryFout(f"{naam}: geef precies een van 'sql' of 'functie'")
    if kpi.sql is not None and sql_pad(kpi.sql) is None:
        raise RegistryFout(f"{naam}: SQL-bestand sql/{kpi.sql}.sql bestaat niet")
    if kpi.aggregatie in (*STATISTIEKEN, "som") and not kpi.waarde:
        raise RegistryFout(f"{naam}: aggregatie {kpi.aggregatie!r} vraagt een 'waarde'-kolom")
    if kpi.min_n < 0:
        raise RegistryFout(f"{naam}: min_n moet 0 of meer zijn")
    for eis in kpi.vereist:
        for tabel in eis.split("|"):
            if tabel not in TABELLEN:
                raise RegistryFout(f"{naam}: vereiste tabel {tabel!r} bestaat niet")


def laad_registry(pad: Path | str | None = None) -> Registry:
    """Load and validate KPI declarations (default kpi/kpis.toml)."""
    if pad is None:
        return _standaard_registry()
    return _lees(Path(pad))


@lru_cache(maxsize=1)
def _standaard_registry() -> Registry:
    return _lees(KPI_TOML)


def _lees(pad: Path) -> Registry:
    with pad.open("rb") as f:
        ruw = tomllib.load(f)
    onbekend = set(ruw) - {"kpi"}
    if onbekend:
        raise RegistryFout(f"{pad.name}: onbekende secties {sorted(onbekend)}")
    kpis = tuple(_kpi(i, item) for i, item in enumerate(ruw.get("kpi", []), start=1))
    return Registry(kpis)
