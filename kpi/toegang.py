"""Who may log in: the user file, the mode the dashboard runs in, revoked sessions.

The rules fail closed:
- Login is required as soon as it is configured in any way: an `[auth]` section in the
  Streamlit secrets, $STOPLICHT_GEBRUIKERS, or a gebruikers.toml in the project. The user file
  is then read from that place; a file that is missing or cannot be read gives nobody access
  (the page says so), it never turns login off.
- Without any of these the dashboard runs in local mode (role regio, no login) only on the
  sample data: a warehouse loaded from an extract that `sample_data` generated, checked file by
  file against the generator's manifest. On any other warehouse local mode is refused.
- One bad entry in the user file is skipped (and logged); the other entries keep working.
- An identity matches an entry only on what the identity provider vouches for: an e-mail
  address with `email_verified` false is not used, and an entry may pin the OIDC `sub`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from kpi.scope import ROLLEN, Scope

GEBRUIKERS_ENV = "STOPLICHT_GEBRUIKERS"
STANDAARD_BESTAND = Path(__file__).resolve().parents[1] / "gebruikers.toml"
INGETROKKEN_ENV = "STOPLICHT_INGETROKKEN"
STANDAARD_INGETROKKEN = Path(__file__).resolve().parents[1] / "secrets" / "ingetrokken.txt"
# Streamlit keeps the login cookie 30 days; a revocation is kept a day longer than that.
SESSIE_MAX_S = 31 * 24 * 3600
VELDEN = frozenset({"email", "sub", "rol", "gemeente", "aanbieder", "naam"})
_AGB = re.compile(r"\d{8}")
_GEMEENTE = re.compile(r"\d{4}")

Soort = Literal["lokaal", "inloggen", "geweigerd"]


class ToegangFout(ValueError):
    """The user file as a whole cannot be used (missing, unreadable, not TOML)."""


@dataclass(frozen=True)
class Gebruiker:
    """One valid entry of the user file: who (e-mail and/or OIDC subject) gets which scope."""

    scope: Scope
    email: str | None = None
    sub: str | None = None


@dataclass(frozen=True)
class Gebruikers:
    """The valid entries of a user file, and one line per entry that was skipped."""

    lijst: tuple[Gebruiker, ...]
    problemen: tuple[str, ...] = ()

    def scope_voor(self, identiteit: Mapping[str, object]) -> Scope | None:
        """The scope of a login identity (the claims in st.user), or None: no access.

        An entry matches when every identifier it names matches: its `sub` the identity's
        subject, its `email` the identity's e-mail address, and that address only when the
        provider does not say it is unverified (`email_verified` absent, true or "true").
        """
        email = _bevestigd_email(identiteit)
        sub = str(identiteit.get("sub") or "") or None
        treffers = [
            g
            for g in self.lijst
            if (g.sub is None or g.sub == sub)
            and (g.email is None or g.email == email)
            and (g.sub is not None or g.email is not None)
        ]
        return treffers[0].scope if len(treffers) == 1 else None


def _bevestigd_email(identiteit: Mapping[str, object]) -> str | None:
    email = str(identiteit.get("email") or "").strip().lower() or None
    if "email_verified" not in identiteit:
        return email  # the provider does not say (Entra ID): the address stands as given
    bevestigd = identiteit["email_verified"]
    if bevestigd is True or (isinstance(bevestigd, str) and bevestigd.lower() == "true"):
        return email
    return None


def gebruikersbestand() -> Path | None:
    """The configured user file: $STOPLICHT_GEBRUIKERS, else gebruikers.toml if it exists."""
    uit_env = os.environ.get(GEBRUIKERS_ENV)
    if uit_env:
        return Path(uit_env)
    return STANDAARD_BESTAND if STANDAARD_BESTAND.exists() else None


def lees_gebruikers(pad: Path) -> Gebruikers:
    """The user file's [[gebruiker]] entries; bad entries are skipped, named in `problemen`.

    Raises ToegangFout when the file cannot be used at all (then nobody gets access).
    """
    try:
        with Path(pad).open("rb") as f:
            ruw = tomllib.load(f)
    except OSError as fout:
        raise ToegangFout(f"gebruikersbestand {pad} kan niet gelezen worden: {fout}") from fout
    except tomllib.TOMLDecodeError as fout:
        raise ToegangFout(f"gebruikersbestand {pad} is geen geldige TOML: {fout}") from fout
    lijst = ruw.get("gebruiker", [])
    if not isinstance(lijst, list):
        raise ToegangFout(f"gebruikersbestand {pad}: [[gebruiker]] is geen lijst")
    problemen: list[str] = []
    goed: list[tuple[int, Gebruiker]] = []
    for i, g in enumerate(lijst, start=1):
        try:
            goed.append((i, _gebruiker(g)))
        except ValueError as fout:
            problemen.append(f"gebruiker #{i} overgeslagen: {fout}")
    # an address or subject named twice is ambiguous: neither entry counts
    for veld in ("email", "sub"):
        tellingen: dict[str, list[int]] = {}
        for i, g in goed:
            waarde = getattr(g, veld)
            if waarde is not None:
                tellingen.setdefault(waarde, []).append(i)
        dubbel = {i for nummers in tellingen.values() if len(nummers) > 1 for i in nummers}
        for i in sorted(dubbel):
            problemen.append(f"gebruiker #{i} overgeslagen: {veld} komt meer dan eens voor")
        goed = [(i, g) for i, g in goed if i not in dubbel]
    return Gebruikers(tuple(g for _, g in goed), tuple(problemen))


def _gebruiker(g: object) -> Gebruiker:
    if not isinstance(g, dict):
        raise ValueError("geen tabel met velden")
    onbekend = sorted(set(g) - VELDEN)
    if onbekend:
        raise ValueError(f"onbekende velden {onbekend}; toegestaan: {sorted(VELDEN)}")
    email = g.get("email")
    sub = g.get("sub")
    if email is not None and (not isinstance(email, str) or "@" not in email):
        raise ValueError("email is geen e-mailadres")
    if sub is not None and (not isinstance(sub, str) or not sub.strip()):
        raise ValueError("sub is geen tekst")
    if email is None and sub is None:
        raise ValueError("email of sub ontbreekt")
    rol = g.get("rol")
    if rol not in ROLLEN:
        raise ValueError(f"rol {rol!r} is niet een van {ROLLEN}")
    gemeente, aanbieder = g.get("gemeente"), g.get("aanbieder")
    if rol == "aanbieder" and not (isinstance(aanbieder, str) and _AGB.fullmatch(aanbieder)):
        raise ValueError("rol aanbieder vraagt aanbieder = een AGB-code van 8 cijfers, als tekst")
    if rol == "gemeente" and not (isinstance(gemeente, str) and _GEMEENTE.fullmatch(gemeente)):
        raise ValueError("rol gemeente vraagt gemeente = een gemeentecode van 4 cijfers, als tekst")
    scope = Scope(
        rol,
        gemeente if rol == "gemeente" else None,
        aanbieder if rol == "aanbieder" else None,
    )
    return Gebruiker(scope, email.strip().lower() if email else None, sub.strip() if sub else None)


def lokale_scope(tekst: str | None) -> Scope:
    """Local mode (no login): role regio, or a narrower preview such as 'aanbieder:01234567'.

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


@dataclass(frozen=True)
class Modus:
    """How the dashboard runs: local mode, login with a user file, or refused (with why)."""

    soort: Soort
    bestand: Path | None = None  # the user file (login)
    reden: str = ""  # for 'geweigerd': what the page says


def inloggen_gevraagd(auth_ingericht: bool) -> bool:
    """True when login is configured in any way ([auth], $STOPLICHT_GEBRUIKERS, the file)."""
    return auth_ingericht or bool(os.environ.get(GEBRUIKERS_ENV)) or STANDAARD_BESTAND.exists()


def modus(auth_ingericht: bool, voorbeelddata: bool) -> Modus:
    """The mode for this run: never local once login is configured or the data are real."""
    if inloggen_gevraagd(auth_ingericht):
        if not auth_ingericht:
            return Modus(
                "geweigerd",
                reden="Er is een gebruikersbestand, maar inloggen is niet ingericht: voeg de "
                "sectie [auth] toe aan .streamlit/secrets.toml. De lokale modus is dan "
                "uitgeschakeld.",
            )
        return Modus("inloggen", bestand=Path(os.environ.get(GEBRUIKERS_ENV) or STANDAARD_BESTAND))
    if not voorbeelddata:
        return Modus(
            "geweigerd",
            reden="Dit warehouse is niet de voorbeelddata: de lokale modus (zonder inloggen) is "
            "uitgeschakeld. Richt inloggen in met een gebruikersbestand en de sectie [auth] in "
            ".streamlit/secrets.toml (zie de README).",
        )
    return Modus("lokaal")


def is_voorbeelddata(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse was loaded from an extract generated by sample_data.

    The extract folder named in meta must hold the generator's manifest.json, and every
    file the load read must be in it with the same number of rows (so real files copied
    into a sample folder do not pass). Anything that cannot be checked counts as real data.
    """
    cur = con.cursor()
    try:
        meta = dict(cur.execute("select sleutel, waarde from meta").fetchall())
        verslag = cur.execute("select bron_bestand, regels_in from laadverslag").fetchall()
    except duckdb.Error:
        return False
    try:
        manifest = json.loads((Path(meta.get("extract", "")) / "manifest.json").read_text())
        bestanden = dict(manifest["bestanden"])
        xml = int(manifest["xml"]["bestanden"])
        manifest["seed"], manifest["scale"]  # noqa: B018 - the generator's own keys
    except (OSError, ValueError, KeyError, TypeError):
        return False
    gelezen = {b: n for b, n in verslag if not b.startswith("xml/")}
    aantal_xml = sum(1 for b, _ in verslag if b.startswith("xml/"))
    return gelezen == bestanden and aantal_xml == xml


def sessiesleutel(identiteit: Mapping[str, object]) -> str | None:
    """One login (not one person): a hash of issuer, subject, issue time and nonce."""
    delen = [str(identiteit.get(k) or "") for k in ("iss", "sub", "iat", "nonce")]
    if not delen[1] or not (delen[2] or delen[3]):
        return None
    return hashlib.sha256("\x1f".join(delen).encode()).hexdigest()


def ingetrokken_bestand() -> Path:
    """Where revoked logins are kept: $STOPLICHT_INGETROKKEN, else secrets/ingetrokken.txt."""
    return Path(os.environ.get(INGETROKKEN_ENV) or STANDAARD_INGETROKKEN)


def trek_in(identiteit: Mapping[str, object], pad: Path | None = None) -> None:
    """Revoke this login: its cookie no longer logs in, also where it was copied."""
    sleutel = sessiesleutel(identiteit)
    if sleutel is None:
        return
    pad = pad or ingetrokken_bestand()
    nu = time.time()
    blijft = {s: t for s, t in _lees_ingetrokken(pad).items() if t > nu}
    blijft[sleutel] = nu + SESSIE_MAX_S
    pad.parent.mkdir(parents=True, exist_ok=True)
    tijdelijk = pad.with_name(f".{pad.name}.{os.getpid()}")
    fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.writelines(f"{s} {int(t)}\n" for s, t in blijft.items())
    os.replace(tijdelijk, pad)


def is_ingetrokken(identiteit: Mapping[str, object], pad: Path | None = None) -> bool:
    """True when this login was revoked (logged out), or cannot be told apart from others."""
    sleutel = sessiesleutel(identiteit)
    if sleutel is None:
        return True  # no subject or issue time: nothing to revoke by, so not accepted
    return sleutel in _lees_ingetrokken(pad or ingetrokken_bestand())


def _lees_ingetrokken(pad: Path) -> dict[str, float]:
    try:
        regels = pad.read_text().splitlines()
    except FileNotFoundError:
        return {}
    except OSError as fout:  # unreadable: no login can be checked, so none is accepted
        raise ToegangFout(
            f"lijst ingetrokken sessies {pad} kan niet gelezen worden: {fout}"
        ) from fout
    uit = {}
    for regel in regels:
        sleutel, _, tot = regel.partition(" ")
        if sleutel and tot.isdigit():
            uit[sleutel] = float(tot)
    return uit
