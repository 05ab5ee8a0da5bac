"""Real OpenID Connect login: a local mock provider, `streamlit run app.py`, headless Chromium.

Logs in as a regio user and as a provider user through st.login and the provider's login form;
each sees what its role allows. And what must fail closed (issue 23): a user file that is
missing or goes missing gives nobody data and never local mode; one bad entry in it touches only
that entry and shows no traceback; an unverified e-mail and a subject other than the one an
entry is pinned to get nothing; logging out revokes the login cookie, also where it was copied;
a download URL gives nothing without a login.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import oidc_provider_mock
import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from kpi.toegang import STANDAARD_BESTAND
from tests.conftest import REPO
from tests.test_ui_browser import ARTEFACTEN, CHROMIUM, _vrije_poort, _wacht_op_titel

# One entry is broken (provider without AGB): it must not affect the others (issue 23 item 6).
KAPOT = '[[gebruiker]]\nemail = "kapot@aanbieder.nl"\nrol = "aanbieder"\n'


@pytest.fixture(scope="module")
def oidc() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@contextmanager
def _server(warehouse: Path, oidc: str, map_: Path, gebruikers: Path | None) -> Iterator[str]:
    """`streamlit run app.py` with [auth] pointing at the mock provider; yields its URL."""
    poort = _vrije_poort()
    (map_ / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{poort}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "stoplicht"\nclient_secret = "geheim"\n'
        f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n'
    )
    env = {**os.environ, "STOPLICHT_DB": str(warehouse),
           "STOPLICHT_INGETROKKEN": str(map_ / "ingetrokken.txt")}  # fmt: skip
    env.pop("STOPLICHT_GEBRUIKERS", None)
    if gebruikers is not None:
        env["STOPLICHT_GEBRUIKERS"] = str(gebruikers)
    proces = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(poort),
         "--server.address", "localhost", "--server.headless", "true",
         "--secrets.files", str(map_ / "secrets.toml")],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://localhost:{poort}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture(scope="module")
def app(
    mini_warehouse: Path, oidc: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    eigen, naam = con.execute(
        "select t.aanbieder, a.naam from zorgtrajecten t join aanbieders a using (aanbieder) "
        "group by all order by count(*) desc limit 1"
    ).fetchall()[0]
    ander_code, ander = con.execute(
        "select aanbieder, naam from aanbieders where aanbieder <> ? and aanbieder in "
        "(select aanbieder from zorgtrajecten) order by naam limit 1", [eigen]
    ).fetchall()[0]  # fmt: skip
    con.close()
    map_ = tmp_path_factory.mktemp("oidc")
    gebruikers = map_ / "gebruikers.toml"
    gebruikers.write_text(
        '[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n\n'
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{eigen}"\n\n'
        f"{KAPOT}\n"
        '[[gebruiker]]\nemail = "vast@aanbieder.nl"\nsub = "vast-1"\nrol = "aanbieder"\n'
        f'aanbieder = "{eigen}"\n'
    )
    with _server(mini_warehouse, oidc, map_, gebruikers) as url:
        yield {"url": url, "oidc": oidc, "eigen": eigen, "naam": naam, "ander": ander,
               "ander_code": ander_code, "gebruikers": gebruikers}  # fmt: skip


@pytest.fixture
def browser() -> Iterator:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def pagina(browser) -> Page:  # noqa: ANN001
    return browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()


def _zet_gebruiker(oidc: str, sub: str, claims: dict) -> None:
    """The claims the mock provider gives this subject (PUT /users/<sub>)."""
    verzoek = urllib.request.Request(
        f"{oidc}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(verzoek, timeout=10) as r:
        assert r.status == 204


def _wacht_op_tekst(page: Page, tekst: str) -> None:
    expect(page.get_by_text(tekst).first).to_be_visible(timeout=90_000)


def _geen_lekken(page: Page, *niet: str) -> None:
    """No traceback, no server path and none of these texts (other users, names) on the page."""
    inhoud = page.content()
    assert not page.get_by_test_id("stException").count()
    for tekst in ("Traceback", "/tmp/", str(REPO), '.py"', *niet):
        assert tekst not in inhoud, tekst


def _log_in(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Inloggen").click()
    # the mock provider's authorization form: the subject is the e-mail address
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()


def test_inloggen_als_regio(app: dict, pagina: Page) -> None:
    _log_in(pagina, app["url"], "cm@regio.nl")
    _wacht_op_titel(pagina, "Overzicht")
    expect(pagina.get_by_text("Ingelogd als cm@regio.nl · rol regio")).to_be_visible()
    pagina.get_by_test_id("stSidebar").get_by_role("link", name="Benchmark", exact=True).click()
    _wacht_op_titel(pagina, "Benchmark")
    pagina.screenshot(path=ARTEFACTEN / "oidc_regio.png", full_page=True)
    # the region may look at any provider, by link
    pagina.goto(f"{app['url']}/aanbieder?aanbieder={app['ander_code']}&periode=2024")
    _wacht_op_titel(pagina, f"{app['ander']} ({app['ander_code']})")


def test_inloggen_als_aanbieder(app: dict, pagina: Page) -> None:
    _log_in(pagina, app["url"], "info@aanbieder.nl")
    _wacht_op_titel(pagina, "Overzicht")
    expect(pagina.get_by_text("Ingelogd als info@aanbieder.nl · rol aanbieder")).to_be_visible()
    assert f"aanbieder={app['eigen']}" in pagina.url
    # the provider filter is fixed to itself
    zijbalk = pagina.get_by_test_id("stSidebar")
    filter_ = zijbalk.get_by_test_id("stSelectbox").filter(has_text="Aanbieder")
    expect(filter_.locator("input")).to_have_value(f"{app['naam']} ({app['eigen']})")
    expect(filter_.locator("input")).to_be_disabled()
    pagina.get_by_test_id("stSidebar").get_by_role("link", name="Aanbieder", exact=True).click()
    _wacht_op_titel(pagina, f"{app['naam']} ({app['eigen']})")
    pagina.screenshot(path=ARTEFACTEN / "oidc_aanbieder.png", full_page=True)
    assert app["ander"] not in pagina.content()
    # tampering with the URL does not widen the view
    pagina.goto(f"{app['url']}/?aanbieder=00000000&periode=2024")
    _wacht_op_titel(pagina, "Overzicht")
    assert f"aanbieder={app['eigen']}" in pagina.url


def test_slechte_regel_raakt_alleen_die_regel(app: dict, pagina: Page) -> None:
    """The broken entry's user gets no access, and sees no traceback or anyone else."""
    _log_in(pagina, app["url"], "kapot@aanbieder.nl")
    _wacht_op_tekst(pagina, "Geen toegang voor kapot@aanbieder.nl")
    _geen_lekken(pagina, "cm@regio.nl", "info@aanbieder.nl", "vast@aanbieder.nl", app["naam"])
    assert not pagina.get_by_test_id("stDataFrame").count()


def test_email_niet_bevestigd_geeft_geen_toegang(app: dict, pagina: Page) -> None:
    """A subject whose provider says its e-mail is unverified does not get that e-mail's role."""
    _zet_gebruiker(
        app["oidc"], "onbevestigd", {"email": "info@aanbieder.nl", "email_verified": False}
    )
    _log_in(pagina, app["url"], "onbevestigd")
    _wacht_op_tekst(pagina, "Geen toegang")
    _geen_lekken(pagina, app["naam"], app["eigen"])
    assert not pagina.get_by_test_id("stDataFrame").count()


def test_vastgezet_op_sub(app: dict, browser) -> None:  # noqa: ANN001
    """An entry pinned to an OIDC subject: that subject gets in, another with the same e-mail not."""
    claims = {"email": "vast@aanbieder.nl", "email_verified": True}
    _zet_gebruiker(app["oidc"], "vast-1", claims)
    _zet_gebruiker(app["oidc"], "ander-1", claims)
    goed = browser.new_context().new_page()
    _log_in(goed, app["url"], "vast-1")
    _wacht_op_titel(goed, "Overzicht")
    expect(goed.get_by_text("Ingelogd als vast@aanbieder.nl · rol aanbieder")).to_be_visible()
    fout = browser.new_context().new_page()
    _log_in(fout, app["url"], "ander-1")
    _wacht_op_tekst(fout, "Geen toegang voor vast@aanbieder.nl")
    _geen_lekken(fout, app["naam"], app["eigen"])


def _cookiekop(context: BrowserContext) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


def _haal(url: str, cookies: str | None = None) -> tuple[int, bytes]:
    verzoek = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
    try:
        with urllib.request.urlopen(verzoek, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as fout:
        return fout.code, b""


def _uitloggen(page: Page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name="Uitloggen").click()
    # the mock provider asks to end its session too, then sends the browser back
    page.get_by_role("button", name="End session").click(timeout=60_000)
    _wacht_op_tekst(page, "Log in met het account van uw organisatie.")


def test_uitloggen_trekt_de_sessie_in(app: dict, browser) -> None:  # noqa: ANN001
    """After logging out, a copy of the login cookie no longer logs in."""
    context = browser.new_context()
    page = context.new_page()
    _log_in(page, app["url"], "cm@regio.nl")
    _wacht_op_titel(page, "Overzicht")
    bewaard = context.cookies()
    _uitloggen(page)
    kopie = browser.new_context()
    kopie.add_cookies(bewaard)
    elders = kopie.new_page()
    elders.goto(app["url"])
    _wacht_op_tekst(elders, "Log in met het account van uw organisatie.")
    expect(elders.get_by_role("button", name="Inloggen")).to_be_visible()
    assert not elders.get_by_text("Ingelogd als").count()
    assert not elders.get_by_test_id("stDataFrame").count()


def test_download_vraagt_een_sessie(app: dict, browser) -> None:  # noqa: ANN001
    """/media/<hash>: the file for the logged-in browser; 403 for the URL alone or after logout."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _log_in(page, app["url"], "info@aanbieder.nl")
    _wacht_op_titel(page, "Overzicht")
    page.goto(f"{app['url']}/datakwaliteit?periode=2024")
    _wacht_op_titel(page, "Datakwaliteit")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    url = download.value.url
    assert "/media/" in url
    status, inhoud = _haal(url, _cookiekop(context))
    assert status == 200 and inhoud  # the logged-in browser gets its file
    assert _haal(url)[0] == 403  # the URL alone: nothing
    cookies = _cookiekop(context)
    _uitloggen(page)
    assert _haal(url, cookies)[0] == 403  # the cookie of a revoked login: nothing


def test_gebruikersbestand_weg_terwijl_de_app_draait(app: dict, pagina: Page) -> None:
    """Renaming the user file while the app runs stops everyone with a clear page."""
    _log_in(pagina, app["url"], "info@aanbieder.nl")
    _wacht_op_titel(pagina, "Overzicht")
    weg = app["gebruikers"].with_name("gebruikers.toml.weg")
    app["gebruikers"].rename(weg)
    try:
        pagina.reload()
        _wacht_op_tekst(pagina, "Het gebruikersbestand ontbreekt of kan niet gelezen worden")
        _geen_lekken(pagina, "Lokale modus", "rol regio", app["naam"], app["ander"])
        assert not pagina.get_by_test_id("stDataFrame").count()
    finally:
        weg.rename(app["gebruikers"])
    pagina.reload()
    _wacht_op_titel(pagina, "Overzicht")  # back when the file is back


def test_inloggen_ingericht_zonder_gebruikersbestand(
    mini_warehouse: Path, oidc: str, tmp_path: Path, pagina: Page
) -> None:
    """[auth] set up but no user file at all (none in the project either): no local mode."""
    assert not STANDAARD_BESTAND.exists(), "dit test vraagt een project zonder gebruikers.toml"
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    namen = [r[0] for r in con.execute("select naam from aanbieders limit 5").fetchall()]
    con.close()
    with _server(mini_warehouse, oidc, tmp_path, None) as url:
        pagina.goto(url)
        _wacht_op_tekst(pagina, "Het gebruikersbestand ontbreekt of kan niet gelezen worden")
        _geen_lekken(pagina, "Lokale modus", "rol regio", *namen)
        assert not pagina.get_by_test_id("stDataFrame").count()
