"""Norm configuration: one TOML file; default per KPI, overrides, fixed/band/relative norms."""

# Overrides per domein, segment, subsegment and aanbieder (most specific wins); a norm is a
# fixed threshold pair, a band, or relative to a baseline period (the nulmeting).

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from kpi.periode import Periode
from kpi.registry import Registry, laad_registry

NORMEN_TOML = Path(__file__).with_name("normen.toml")
SELECTOREN = ("aanbieder", "subsegment", "segment", "domein")  # most specific first
_VELDEN = {"kpi", "groen", "oranje", "basis", "toelichting", *SELECTOREN}
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

    def kies(self, kpi_id: str, context: Mapping[str, str | None]) -> NormRegel | None:
        """The most specific rule for `kpi_id` that fits the context, or None."""
        passend = [r for r in self.regels if r.kpi == kpi_id and r.past_bij(context)]
        return max(passend, key=lambda r: r.specificiteit, default=None)


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
    gemeen = {"kpi": ruw["kpi"], "toelichting": ruw.get("toelichting", ""), **selectie}
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


def laad_normen(pad: Path | str | None = None, registry: Registry | None = None) -> Normen:
    """Load and validate a norm file (default kpi/normen.toml); read again when it changed."""
    registry = registry or laad_registry()
    pad = Path(pad) if pad is not None else NORMEN_TOML
    return _laad_normen(pad.resolve(), pad.stat().st_mtime_ns, registry)


@lru_cache(maxsize=16)
def _laad_normen(pad: Path, _gewijzigd: int, registry: Registry) -> Normen:
    with pad.open("rb") as f:
        ruw = tomllib.load(f)
    onbekend = set(ruw) - {"norm", "instellingen"}
    if onbekend:
        raise NormFout(f"{pad.name}: onbekende secties {sorted(onbekend)}")
    regels = tuple(_regel(i, r, registry) for i, r in enumerate(ruw.get("norm", []), start=1))
    gezien: dict[tuple, int] = {}
    for i, regel in enumerate(regels, start=1):
        sleutel = (regel.kpi, *(getattr(regel, s) for s in SELECTOREN))
        if sleutel in gezien:
            raise NormFout(
                f"norm #{i} ({regel.kpi}): zelfde KPI en selectie als norm #{gezien[sleutel]}"
            )
        gezien[sleutel] = i
    gegeven = dict(ruw.get("instellingen", {}))
    onbekend = set(gegeven) - set(INSTELLINGEN)
    if onbekend:
        raise NormFout(f"[instellingen]: onbekende instellingen {sorted(onbekend)}")
    return Normen(regels, tuple(sorted({**INSTELLINGEN, **gegeven}.items())))
