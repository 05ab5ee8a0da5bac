"""Login with Streamlit's own st.login / st.user (OpenID Connect) and the role it gives.

- No user file configured: the clearly labelled local mode (sample data, role regio).
- A user file configured: login is required; local mode is refused. Unknown identities get
  no data.
"""

from __future__ import annotations

import os

import streamlit as st

from kpi.scope import Scope
from kpi.toegang import gebruikersbestand, lees_gebruikers, lokale_scope

LOKALE_ROL_ENV = "STOPLICHT_LOKALE_ROL"


@st.cache_data(show_spinner=False)
def _gebruikers(pad: str, gewijzigd: float) -> dict[str, Scope]:
    return lees_gebruikers(pad)


def _auth_ingericht() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def huidige_scope() -> Scope:
    """The scope of this session; stops the run with a message when there is none."""
    pad = gebruikersbestand()
    if pad is None:
        scope = lokale_scope(os.environ.get(LOKALE_ROL_ENV))
        wie = " ".join(filter(None, [scope.rol, scope.gemeente, scope.aanbieder]))
        st.sidebar.info(
            f"Lokale modus zonder inloggen: voorbeelddata, rol {wie}.", icon=":material/lock_open:"
        )
        return scope
    if not _auth_ingericht():
        st.title("Stoplicht")
        st.error(
            f"Er is een gebruikersbestand ({pad}), maar inloggen is niet ingericht: voeg de sectie "
            "[auth] toe aan .streamlit/secrets.toml. De lokale modus is dan uitgeschakeld."
        )
        st.stop()
    if not st.user.get("is_logged_in"):
        st.title("Stoplicht")
        st.write("Log in met het account van uw organisatie.")
        st.button("Inloggen", on_click=st.login, type="primary", key="inloggen")
        st.stop()
    email = str(st.user.get("email") or "").lower()
    scope = _gebruikers(str(pad), pad.stat().st_mtime).get(email)
    if scope is None:
        st.title("Stoplicht")
        st.error(f"Geen toegang voor {email or 'deze gebruiker'}. Vraag de beheerder om toegang.")
        st.button("Uitloggen", on_click=st.logout, key="uitloggen")
        st.stop()
    with st.sidebar:
        st.caption(f"Ingelogd als {email} · rol {scope.rol}")
        st.button("Uitloggen", on_click=st.logout, key="uitloggen")
    return scope
