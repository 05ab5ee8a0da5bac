"""Login with Streamlit's own st.login / st.user (OpenID Connect) and the scope it gives.

The rules live in kpi/toegang.py (fail closed: local mode only on the sample data and only
while login is not configured; a user file that cannot be read gives nobody access). This
module shows the page for each outcome. No page shows a traceback, a server path or another
user's identity: what an administrator needs goes to the server log.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st

from kpi.scope import Scope
from kpi.toegang import (
    Gebruikers,
    ToegangFout,
    inloggen_gevraagd,
    is_ingetrokken,
    lees_gebruikers,
    lokale_scope,
    modus,
    trek_in,
)
from ui import data
from ui.componenten import letterlijk

LOKALE_ROL_ENV = "STOPLICHT_LOKALE_ROL"
_LOG = logging.getLogger("stoplicht.toegang")


@st.cache_data(show_spinner=False, max_entries=8)
def _gebruikers(pad: str, versie: tuple[int, int, int]) -> Gebruikers:
    """The user file, read and checked once per version of the file (start and change)."""
    gebruikers = lees_gebruikers(Path(pad))
    for probleem in gebruikers.problemen:
        _LOG.warning("gebruikersbestand %s: %s", pad, probleem)
    _LOG.info("gebruikersbestand %s: %d geldige gebruikers", pad, len(gebruikers.lijst))
    return gebruikers


def gebruikers(pad: Path) -> Gebruikers:
    """The valid entries of the user file at `pad`; ToegangFout when it cannot be read."""
    try:
        stat = pad.stat()
    except OSError as fout:
        raise ToegangFout(f"gebruikersbestand {pad} kan niet gelezen worden: {fout}") from fout
    return _gebruikers(str(pad), (stat.st_mtime_ns, stat.st_size, stat.st_ino))


def auth_ingericht() -> bool:
    """True when the Streamlit secrets have an [auth] section (login is set up)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _stop(tekst: str) -> None:
    st.title("Stoplicht")
    st.error(tekst, icon=":material/lock:")
    st.stop()


def uitloggen() -> None:
    """Log out: revoke this login (its cookie no longer logs in anywhere), then st.logout."""
    try:
        trek_in(st.user.to_dict())
    except OSError:
        _LOG.exception("uitloggen: de sessie kon niet ingetrokken worden")
    st.logout()


def huidige_scope() -> Scope:
    """The scope of this session; stops the run with a clear page when there is none."""
    try:
        return _scope()
    except ToegangFout as fout:
        _LOG.error("toegang geweigerd: %s", fout)
        _stop(
            "Het gebruikersbestand ontbreekt of kan niet gelezen worden, dus niemand krijgt nu "
            "toegang. De beheerder vindt de oorzaak in het serverlog."
        )
    except Exception:
        _LOG.exception("toegang: onverwachte fout")
        _stop(
            "De toegang kon niet gecontroleerd worden. De beheerder vindt de oorzaak in het "
            "serverlog."
        )
    raise AssertionError("unreachable")  # _stop ends the run


def _scope() -> Scope:
    auth = auth_ingericht()
    voorbeeld = False if inloggen_gevraagd(auth) else data.is_voorbeelddata()
    m = modus(auth, voorbeeld)
    if m.soort == "geweigerd":
        _stop(m.reden)
    if m.soort == "lokaal":
        scope = lokale_scope(os.environ.get(LOKALE_ROL_ENV))
        wie = " ".join(filter(None, [scope.rol, scope.gemeente, scope.aanbieder]))
        st.sidebar.info(
            f"Lokale modus zonder inloggen: voorbeelddata, rol {wie}.", icon=":material/lock_open:"
        )
        return scope
    assert m.bestand is not None
    lijst = gebruikers(m.bestand)  # before the login button: a broken file stops everyone
    identiteit = st.user.to_dict()
    if not identiteit.get("is_logged_in") or is_ingetrokken(identiteit):
        st.title("Stoplicht")
        st.write("Log in met het account van uw organisatie.")
        st.button("Inloggen", on_click=st.login, type="primary", key="inloggen")
        st.stop()
    email = str(identiteit.get("email") or "").lower()
    scope = lijst.scope_voor(identiteit)
    if scope is None:
        st.title("Stoplicht")
        wie = letterlijk(email, links=True) or "deze gebruiker"
        st.error(
            f"Geen toegang voor {wie}. Vraag de beheerder om toegang "
            "(een e-mailadres dat de identity provider niet als bevestigd meegeeft, telt niet)."
        )
        st.button("Uitloggen", on_click=uitloggen, key="uitloggen")
        st.stop()
    with st.sidebar:
        wie = letterlijk(email or str(identiteit.get("sub") or ""), links=True)
        st.caption(f"Ingelogd als {wie} · rol {scope.rol}")
        st.button("Uitloggen", on_click=uitloggen, key="uitloggen")
    return scope
