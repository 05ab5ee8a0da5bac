"""In front of Streamlit's server: downloads (/media/...) only for a logged-in session.

Streamlit serves a download button's file at /media/<hash>.<ext> to anyone who has the URL.
Once login is configured, this middleware (app.py passes it to st.App) asks of every such
request what the app asks of a page: a valid login cookie, a login that was not revoked by
logging out, and an identity the user file gives a scope. Without that the answer is 403, so
a URL alone (from a history, a log, a shared screen) leaks nothing.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from streamlit import config
from streamlit.auth_util import get_cookie_with_chunks
from streamlit.url_util import make_url_path
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

from kpi.toegang import (
    ToegangFout,
    gebruikersbestand,
    inloggen_gevraagd,
    is_ingetrokken,
    lees_gebruikers,
)

_LOG = logging.getLogger("stoplicht.toegang")


def identiteit_uit_cookies(cookies: Mapping[str, str]) -> dict[str, Any]:
    """The login identity in Streamlit's signed login cookie, or {} (absent, forged, expired)."""
    geheim = get_cookie_secret()

    def een(naam: str) -> bytes | None:
        waarde = cookies.get(naam)
        if waarde is None:
            return None
        return decode_signed_value(geheim, naam, waarde.encode("latin-1"))

    ruw = get_cookie_with_chunks(een, USER_COOKIE_NAME)
    if not ruw:
        return {}
    try:
        identiteit = json.loads(ruw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return identiteit if isinstance(identiteit, dict) else {}


def _auth_ingericht() -> bool:
    from streamlit.runtime.secrets import secrets_singleton

    try:
        return secrets_singleton.load_if_toml_exists() and "auth" in secrets_singleton
    except Exception:  # noqa: BLE001 - unreadable secrets: login is not set up
        return False


def mag_downloaden(cookies: Mapping[str, str]) -> bool:
    """Whether a request with these cookies may fetch a download."""
    if not inloggen_gevraagd(_auth_ingericht()):
        return True  # local mode: only ever the sample data (kpi.toegang.modus)
    identiteit = identiteit_uit_cookies(cookies)
    if not identiteit.get("is_logged_in"):
        return False
    pad = gebruikersbestand()
    try:
        if is_ingetrokken(identiteit) or pad is None:
            return False
        return lees_gebruikers(pad).scope_voor(identiteit) is not None
    except ToegangFout:
        _LOG.exception("download geweigerd: toegang kan niet gecontroleerd worden")
        return False


class AlleenMetSessie:
    """ASGI middleware: /media/... answers 403 unless `mag_downloaden`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            media = make_url_path(config.get_option("server.baseUrlPath") or "", "/media/")
            if scope.get("path", "").startswith(media) and not mag_downloaden(
                Request(scope).cookies
            ):
                antwoord = PlainTextResponse("Geen toegang: log eerst in.", status_code=403)
                await antwoord(scope, receive, send)
                return
        await self.app(scope, receive, send)


MIDDLEWARE = [Middleware(AlleenMetSessie)]


# Imported once at start, before the first session: twenty sessions that import pandas (or
# another large package) for the first time at the same moment got "partially initialized
# module" errors on a fresh server (bench/gelijktijdig.py), and each waited for the others.
VOORAF_GELADEN = (
    "pandas", "pyarrow", "altair", "xlsxwriter", "openpyxl", "vl_convert", "pptx", "reportlab",
    "kpi", "rapport", "weergave.tabellen", "weergave.grafieken", "ui.data", "ui.componenten",
    "ui.filters", "ui.rapporten", "ui.toegang",
)  # fmt: skip


def bereken_vooraf() -> None:
    """kpi.vooraf.bereken_vooraf on the warehouse the pages serve, on a connection of its own;
    a failure is logged and left to the pages (they compute the same when they need it)."""
    import duckdb

    from kpi.vooraf import bereken_vooraf as vul
    from ui import data

    pad = data.warehouse_pad()
    if not pad.exists():  # the first page builds the sample warehouse; nothing to share yet
        return
    try:
        con = duckdb.connect(str(pad), read_only=True)
        try:
            gedaan = vul(con, data.normen())
        finally:
            con.close()
        _LOG.info("vooraf berekend: %s", ", ".join(gedaan) or "niets (geen laad-id)")
    except Exception:
        _LOG.exception("vooraf berekenen mislukt; de pagina's berekenen het zelf")


VOORAF: threading.Thread | None = None  # the thread of bereken_vooraf (tests join it)


@asynccontextmanager
async def opstarten(app: Any) -> AsyncIterator[None]:
    """st.App lifespan: import what every page needs before the server takes sessions, then
    compute what every page shares (kpi/vooraf.py) beside the first sessions: one that needs
    it meanwhile waits for this computation rather than starting the same one."""
    global VOORAF

    def laad() -> None:
        for naam in VOORAF_GELADEN:
            importlib.import_module(naam)

    await asyncio.to_thread(laad)
    VOORAF = threading.Thread(target=bereken_vooraf, name="stoplicht-vooraf", daemon=True)
    VOORAF.start()
    yield
