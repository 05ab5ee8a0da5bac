"""The Financiën page in a real browser on a small hand-built extract (issue 20 review):
the year to date names the months it covers, a contract year whose second begrotingsjaar
has no plan for a gemeente shows no plan line for those months and says why. Screenshots in
test-artifacts/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.kpi_fixtures import Extract
from tests.test_toegang_oidc import _log_in, _server, oidc  # noqa: F401 - oidc: the fixture
from tests.test_ui_browser import ARTEFACTEN, CHROMIUM, _wacht_op_titel

AALTEN, BERKELLAND = "0197", "1859"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Aalten IAJ planned in 2023 and 2024 with monthly spending; Berkelland GWV planned in
    2023 only; peildatum 14-08-2024 (the last message)."""
    map_ = tmp_path_factory.mktemp("financien") / "extract"
    map_.mkdir()
    e = Extract()
    e.zorg(0, "TA1", "2023-01-01", "2023-01-02", gemeente=AALTEN)
    e.zorg(1, "TA2", "2024-03-01", "2024-03-04", gemeente=AALTEN)
    e.zorg(2, "TB1", "2023-02-01", "2023-02-01", "2023-12-31", product="43Z01")
    e.zorg(3, "TA3", "2024-08-14", "2024-08-14", gemeente=AALTEN)  # sets the peildatum
    (map_ / "begroting.csv").write_text(
        "gemeente,segment,jaar,begroot_bedrag,target_clienten,target_kosten_per_client\n"
        f"{AALTEN},IAJ,2023,120000,5,24000\n"
        f"{AALTEN},IAJ,2024,240000,6,40000\n"
        f"{BERKELLAND},GWV,2023,1155000,550,2100\n",
        encoding="utf-8",
    )
    regels = ["gemeente,segment,aanbieder,boekdatum,bedrag"]
    for maand, bedrag in enumerate([8000, 8000, 9000, 9000, 9000, 9000, 10000, 10000, 10000,
                                    10000, 11000, 11000], start=1):  # fmt: skip
        regels.append(f"{AALTEN},IAJ,11111111,2023-{maand:02d}-15,{bedrag}")
    for maand, bedrag in enumerate([18000, 18000, 20000, 20000, 22000, 22000, 25000], start=1):
        regels.append(f"{AALTEN},IAJ,11111111,2024-{maand:02d}-15,{bedrag}")
    for dag in ("2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"):
        regels.append(f"{BERKELLAND},GWV,11111111,{dag},261250")
    (map_ / "uitgaven.csv").write_text("\n".join(regels) + "\n", encoding="utf-8")
    con = e.laad(map_)
    con.close()
    return map_.parent / "warehouse.duckdb"


@pytest.fixture(scope="module")
def server(
    warehouse: Path,
    oidc: str,  # noqa: F811 - the fixture imported above
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The app on this hand-built warehouse. It is not the sample, so local mode is refused
    (issue 23 item 1): login through the OIDC mock as a regio user, as in production."""
    map_ = tmp_path_factory.mktemp("financien_inlog")
    gebruikers = map_ / "gebruikers.toml"
    gebruikers.write_text('[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n')
    with _server(warehouse, oidc, map_, gebruikers) as url:
        yield url


@pytest.fixture(scope="module")
def pagina(server: str) -> Iterator[Page]:
    ARTEFACTEN.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        _log_in(page, server, "cm@regio.nl")
        _wacht_op_titel(page, "Overzicht")
        yield page
        browser.close()


def test_lopend_jaar_noemt_zijn_maanden(server: str, pagina: Page) -> None:
    for periode in ("2024", "2024-01-01..2024-07-31"):
        pagina.goto(f"{server}/financien?periode={periode}")
        _wacht_op_titel(pagina, "Financiën")
        # the split covers January-July (the complete months to the peildatum 14-08-2024),
        # for the year as for exactly those months
        kop = pagina.locator("h3", has_text="Hoeveelheids- en prijsverschil")
        expect(kop).to_have_text("Hoeveelheids- en prijsverschil 01-01-2024 t/m 31-07-2024",
                                 timeout=90_000)  # fmt: skip
        assert not pagina.get_by_text("Niet berekend voor").count()
        assert not pagina.get_by_test_id("stException").count()
        naam = "financien_2024.png" if periode == "2024" else "financien_2024_tot_juli.png"
        pagina.screenshot(path=ARTEFACTEN / naam, full_page=True)


def test_contractjaar_zonder_tweede_plan_zegt_waarom(server: str, pagina: Page) -> None:
    pagina.goto(f"{server}/financien?periode=cj2023")
    _wacht_op_titel(pagina, "Financiën")
    reden = (
        "Prognose: Niet berekend: de begroting 2024 heeft geen plan voor GWV in gemeente 1859, "
        "dus geen prognose voor alle maanden."
    )
    expect(pagina.get_by_text(reden)).to_be_visible(timeout=90_000)
    # no "begroot" figure for the contract year: its plan is not complete
    begroot = pagina.get_by_test_id("stMetric").filter(has_text="Begroot contractjaar 2023/24")
    expect(begroot.get_by_test_id("stMetricValue")).to_have_text("–")
    pagina.screenshot(path=ARTEFACTEN / "financien_cj2023_half_plan.png", full_page=True)
    # Aalten alone has both plans: its plan line and figure are there
    pagina.goto(f"{server}/financien?periode=cj2023&gemeente={AALTEN}")
    _wacht_op_titel(pagina, "Financiën")
    begroot = pagina.get_by_test_id("stMetric").filter(has_text="Begroot contractjaar 2023/24")
    # 120.000 x 6/12 + 240.000 x 6/12
    expect(begroot.get_by_test_id("stMetricValue")).to_have_text("€ 180.000", timeout=90_000)
    assert not pagina.get_by_text(reden).count()
    assert not pagina.get_by_test_id("stException").count()
