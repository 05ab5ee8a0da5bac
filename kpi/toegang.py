"""The user file: which login identity (e-mail) gets which role and scope."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from kpi.scope import ROLLEN, Scope

GEBRUIKERS_ENV = "STOPLICHT_GEBRUIKERS"
STANDAARD_BESTAND = Path(__file__).resolve().parents[1] / "gebruikers.toml"


class ToegangFout(ValueError):
    """The user file is invalid; the message names the entry."""


def gebruikersbestand() -> Path | None:
    """The configured user file: $STOPLICHT_GEBRUIKERS, else gebruikers.toml in the project."""
    uit_env = os.environ.get(GEBRUIKERS_ENV)
    if uit_env:
        return Path(uit_env)
    return STANDAARD_BESTAND if STANDAARD_BESTAND.exists() else None


def lees_gebruikers(pad: Path) -> dict[str, Scope]:
    """E-mail (lower case) → scope, from a TOML file with [[gebruiker]] entries."""
    with Path(pad).open("rb") as f:
        ruw = tomllib.load(f)
    uit: dict[str, Scope] = {}
    for i, g in enumerate(ruw.get("gebruiker", []), start=1):
        naam = f"gebruiker #{i} ({g.get('email', '?')})"
        email = str(g.get("email", "")).strip().lower()
        if "@" not in email:
            raise ToegangFout(f"{naam}: geen geldig e-mailadres")
        if email in uit:
            raise ToegangFout(f"{naam}: e-mailadres komt meer dan eens voor")
        rol = g.get("rol")
        if rol not in ROLLEN:
            raise ToegangFout(f"{naam}: rol {rol!r} is niet een van {ROLLEN}")
        try:
            uit[email] = Scope(rol, g.get("gemeente"), g.get("aanbieder"))
        except ValueError as fout:
            raise ToegangFout(f"{naam}: {fout}") from fout
    return uit


def lokale_scope(tekst: str | None) -> Scope:
    """Local mode (no user file): role regio, or a narrower preview such as 'aanbieder:01234567'.

    Only ever narrows: local mode is the sample data on one's own machine.
    """
    if not tekst:
        return Scope()
    rol, _, code = tekst.partition(":")
    if rol == "aanbieder":
        return Scope("aanbieder", aanbieder=code)
    if rol == "gemeente":
        return Scope("gemeente", gemeente=code)
    return Scope()
