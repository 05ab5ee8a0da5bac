"""Real OpenID Connect login: a local mock provider, `streamlit run app.py`, headless Chromium.

Logs in as a regio user and as a provider user through st.login and the provider's login form;
each sees what its role allows.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import oidc_provider_mock
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import REPO
from tests.test_ui_browser import ARTEFACTEN, CHROMIUM, _vrije_poort, _wacht_op_titel


@pytest.fixture(scope="module")
def oidc() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


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
    poort = _vrije_poort()
    map_ = tmp_path_factory.mktemp("oidc")
    (map_ / "gebruikers.toml").write_text(
        '[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n\n'
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{eigen}"\n'
    )
    (map_ / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{poort}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "stoplicht"\nclient_secret = "geheim"\n'
        f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n'
    )
    env = {**os.environ, "STOPLICHT_DB": str(mini_warehouse),
           "STOPLICHT_GEBRUIKERS": str(map_ / "gebruikers.toml")}  # fmt: skip
    proces = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(poort),
         "--server.address", "localhost", "--server.headless", "true",
         "--secrets.files", str(map_ / "secrets.toml")],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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
        yield {"url": url, "eigen": eigen, "naam": naam, "ander": ander, "ander_code": ander_code}
    finally:
        proces.terminate()
        proces.wait(timeout=20)


@pytest.fixture
def pagina() -> Iterator[Page]:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
        browser.close()


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
