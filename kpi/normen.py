"""Norm configuration: one TOML file; default per KPI, overrides, fixed/band/relative norms."""

# Overrides per domein, segment, subsegment and aanbieder (most specific wins); a norm is a
# fixed threshold pair, a band, or relative to a baseline period (the nulmeting). A norm may
# hold from and/or up to a day (geldig_van, geldig_tot): a period is judged by the norms in
# force on its last day.

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from kpi.periode import Periode
from kpi.registry import Registry, laad_registry

NORMEN_TOML = Path(__file__).with_name("normen.toml")
SELECTOREN = ("aanbieder", "subsegment", "segment", "domein")  # most specific first
GELDIGHEID = ("geldig_van", "geldig_tot")
# The selectors that follow from where a figure's units lie (the aanbieder is who is judged).
DEEL_SELECTOREN = ("subsegment", "segment", "domein")
# The judging rule (kpi/README.md, normen.toml and the text of "Over de data",
# weergave.tabellen.NORMREGEL, say the same):
# - Which norm judges a figure follows from where its units lie, never from a filter that
#   leaves them as they are: the domein, segment and sub-segment of the norm are those of the
#   units; the aanbieder is the one the figure is about (grouped by or filtered on). A
#   relative norm compares with the region's value in the baseline period in the same
#   sub-segment.
# - A KPI whose norm can differ between sub-segments (Normen.per_subsegment) is judged per
#   sub-segment: each sub-segment's part of the figure against that sub-segment's norm. A
#   figure in one sub-segment is that part. A figure over several gets the worst light of
#   its parts (rood before oranje before groen; a grey part does not count) and shows the
#   norm of the part that decided (column norm_deel), so a whole is never better than a
#   sub-segment of it that can be judged. It stays grey when it is grey itself (no value,
#   n below the minimum, voorlopig) or every part is grey.
_VELDEN = {"kpi", "groen", "oranje", "basis", "toelichting", *SELECTOREN, *GELDIGHEID}
# Settings the KPI queries read as bind parameters, with their defaults.
INSTELLINGEN = {"wachttijd_norm_dagen": 42, "prognose_min_trajecten": 20}


class NormFout(ValueError):
    """The norm configuration is invalid; the message names the entry."""


def _getal(x: Any, naam: str) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise NormFout(f"{naam}: {x!r} is geen getal")
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


@dataclass(frozen=True)
class NormRegel:
    """One norm: thresholds for one KPI, optionally for one domein/segment/subsegment/aanbieder."""

    # soort 'vast': groen/oranje are thresholds; 'band': (laag, hoog) ranges; 'relatief':
    # allowed relative deviation from the region's value in period `basis`.

    kpi: str
    soort: str
    groen: Fraction | tuple[Fraction, Fraction]
    oranje: Fraction | tuple[Fraction, Fraction]
    basis: Periode | None = None
    domein: str | None = None
    segment: str | None = None
    subsegment: str | None = None
    aanbieder: str | None = None
    toelichting: str = ""
    geldig_van: date | None = None
    geldig_tot: date | None = None

    def geldig_op(self, op: date | None) -> bool:
        """True when the rule is in force on day `op` (None: the dates are not looked at)."""
        if op is None:
            return True
        return (self.geldig_van is None or self.geldig_van <= op) and (
            self.geldig_tot is None or op <= self.geldig_tot
        )

    @property
    def specificiteit(self) -> tuple[bool, ...]:
        """Ranks rules: an aanbieder rule beats a subsegment rule beats segment beats domein."""
        return tuple(getattr(self, s) is not None for s in SELECTOREN)

    def past_bij(self, context: Mapping[str, str | None]) -> bool:
        """True when every selector of this rule equals the context's value."""
        return all(
            getattr(self, s) is None or getattr(self, s) == context.get(s) for s in SELECTOREN
        )


@dataclass(frozen=True)
class Normen:
    """All norm rules plus the settings KPIs read as bind parameters."""

    regels: tuple[NormRegel, ...]
    instellingen: tuple[tuple[str, Any], ...] = tuple(INSTELLINGEN.items())
    # the period in which data was gathered and norms set, providers not yet held to KPIs
    nulmeting: Periode | None = None

    def kies(
        self, kpi_id: str, context: Mapping[str, str | None], op: date | None = None
    ) -> NormRegel | None:
        """The most specific rule for `kpi_id` that fits the context and is in force on day
        `op` (a period's last day), or None."""
        passend = [
            r for r in self.regels if r.kpi == kpi_id and r.past_bij(context) and r.geldig_op(op)
        ]
        return max(passend, key=lambda r: r.specificiteit, default=None)

    @property
    def gedateerd(self) -> frozenset[str]:
        """The KPIs with a rule that holds only from or up to a day: their norm depends on the
        period."""
        return frozenset(r.kpi for r in self.regels if r.geldig_van or r.geldig_tot)

    def per_subsegment(self, kpi_id: str) -> bool:
        """True when the norm of `kpi_id` can differ from one sub-segment to another: it has
        a relative norm (each sub-segment its own baseline) or a rule for a domein, segment
        or sub-segment. Such a KPI is judged per sub-segment (the rule above)."""
        return any(
            r.kpi == kpi_id
            and (r.soort == "relatief" or any(getattr(r, s) for s in DEEL_SELECTOREN))
            for r in self.regels
        )


def _regel(nummer: int, ruw: Mapping[str, Any], registry: Registry) -> NormRegel:
    naam = f"norm #{nummer} ({ruw.get('kpi', '?')})"
    onbekend = set(ruw) - _VELDEN
    if onbekend:
        raise NormFout(f"{naam}: onbekende velden {sorted(onbekend)}")
    for veld in ("kpi", "groen", "oranje"):
        if veld not in ruw:
            raise NormFout(f"{naam}: veld {veld!r} ontbreekt")
    if ruw["kpi"] not in registry:
        raise NormFout(f"{naam}: onbekende KPI {ruw['kpi']!r}")
    richting = registry[ruw["kpi"]].richting
    selectie = {s: ruw.get(s) for s in SELECTOREN}
    gemeen = {
        "kpi": ruw["kpi"],
        "toelichting": ruw.get("toelichting", ""),
        **selectie,
        **_geldigheid(ruw, naam),
    }
    if "basis" in ruw:
        groen, oranje = _getal(ruw["groen"], naam), _getal(ruw["oranje"], naam)
        if not 0 <= groen <= oranje:
            raise NormFout(f"{naam}: relatief vraagt 0 <= groen <= oranje")
        try:
            basis = Periode.parse(str(ruw["basis"]))
        except ValueError as fout:
            raise NormFout(f"{naam}: {fout}") from None
        return NormRegel(soort="relatief", groen=groen, oranje=oranje, basis=basis, **gemeen)
    if isinstance(ruw["groen"], list):
        banden = []
        for kleur in ("groen", "oranje"):
            band = ruw[kleur]
            if not isinstance(band, list) or len(band) != 2:
                raise NormFout(f"{naam}: {kleur} moet een band [laag, hoog] zijn")
            laag, hoog = (_getal(x, naam) for x in band)
            if laag > hoog:
                raise NormFout(f"{naam}: band {kleur} heeft laag > hoog")
            banden.append((laag, hoog))
        (gl, gh), (ol, oh) = banden
        if not (ol <= gl and gh <= oh):
            raise NormFout(f"{naam}: de groene band moet binnen de oranje band liggen")
        return NormRegel(soort="band", groen=banden[0], oranje=banden[1], **gemeen)
    groen, oranje = _getal(ruw["groen"], naam), _getal(ruw["oranje"], naam)
    if richting == "lager_beter" and groen > oranje:
        raise NormFout(f"{naam}: bij lager_beter moet groen <= oranje")
    if richting == "hoger_beter" and groen < oranje:
        raise NormFout(f"{naam}: bij hoger_beter moet groen >= oranje")
    if richting in ("band", "neutraal"):
        raise NormFout(f"{naam}: KPI met richting {richting!r} vraagt een band of relatieve norm")
    return NormRegel(soort="vast", groen=groen, oranje=oranje, **gemeen)


def _geldigheid(ruw: Mapping[str, Any], naam: str) -> dict[str, date | None]:
    """geldig_van and geldig_tot of a norm entry: TOML dates (2025-01-01), or absent."""
    uit: dict[str, date | None] = {}
    for veld in GELDIGHEID:
        waarde = ruw.get(veld)
        if waarde is not None and (not isinstance(waarde, date) or isinstance(waarde, datetime)):
            raise NormFout(f"{naam}: {veld} moet een datum zijn (2025-01-01), niet {waarde!r}")
        uit[veld] = waarde
    if uit["geldig_van"] and uit["geldig_tot"] and uit["geldig_tot"] < uit["geldig_van"]:
        raise NormFout(f"{naam}: geldig_tot ligt voor geldig_van")
    return uit


def _overlappen(a: NormRegel, b: NormRegel) -> bool:
    """True when two rules are in force on a common day."""
    return (a.geldig_van or date.min) <= (b.geldig_tot or date.max) and (
        b.geldig_van or date.min
    ) <= (a.geldig_tot or date.max)


def _controleer_uniek(regels: tuple[NormRegel, ...]) -> None:
    """Refuse two rules for the same KPI and selection that are in force on a common day."""
    gezien: dict[tuple, list[tuple[int, NormRegel]]] = {}
    for i, regel in enumerate(regels, start=1):
        sleutel = (regel.kpi, *(getattr(regel, s) for s in SELECTOREN))
        for j, eerder in gezien.get(sleutel, []):
            if _overlappen(regel, eerder):
                raise NormFout(f"norm #{i} ({regel.kpi}): zelfde KPI en selectie als norm #{j}")
        gezien.setdefault(sleutel, []).append((i, regel))


def normenbestand(pad: Path | str | None = None) -> Path | str | None:
    """The norm file in force: `pad` when given, else the file $STOPLICHT_NORMEN names, else
    None (kpi/normen.toml). One rule for the dashboard, the reports and the export, so a
    download or an export judges a figure as its page does."""
    return pad if pad is not None else os.environ.get("STOPLICHT_NORMEN") or None


def laad_normen(pad: Path | str | None = None, registry: Registry | None = None) -> Normen:
    """Load and validate a norm file (default kpi/normen.toml); read again when it changed."""
    registry = registry or laad_registry()
    pad = Path(pad) if pad is not None else NORMEN_TOML
    return _laad_normen(pad.resolve(), pad.stat().st_mtime_ns, registry)


@lru_cache(maxsize=16)
def _laad_normen(pad: Path, _gewijzigd: int, registry: Registry) -> Normen:
    with pad.open("rb") as f:
        ruw = tomllib.load(f)
    onbekend = set(ruw) - {"norm", "instellingen", "nulmeting"}
    if onbekend:
        raise NormFout(f"{pad.name}: onbekende secties {sorted(onbekend)}")
    regels = tuple(_regel(i, r, registry) for i, r in enumerate(ruw.get("norm", []), start=1))
    _controleer_uniek(regels)
    gegeven = dict(ruw.get("instellingen", {}))
    onbekend = set(gegeven) - set(INSTELLINGEN)
    if onbekend:
        raise NormFout(f"[instellingen]: onbekende instellingen {sorted(onbekend)}")
    return Normen(
        regels, tuple(sorted({**INSTELLINGEN, **gegeven}.items())), _nulmeting(ruw, pad.name)
    )


def _nulmeting(ruw: Mapping[str, Any], bestand: str) -> Periode | None:
    """The [nulmeting] section: `periode = "cj2022"`; None without the section."""
    sectie = ruw.get("nulmeting")
    if sectie is None:
        return None
    if not isinstance(sectie, Mapping) or set(sectie) != {"periode"}:
        raise NormFout(f"{bestand}: [nulmeting] vraagt precies het veld 'periode'")
    try:
        return Periode.parse(str(sectie["periode"]))
    except ValueError as fout:
        raise NormFout(f"[nulmeting]: {fout}") from None
