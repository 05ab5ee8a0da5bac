"""The pages with AppTest (issue 15, items 3, 5, 6, 7): one judgement whatever redundant
filter is set, periods after the peildatum and the nulmeting said in words, the previous
period beside the value on the Aanbieder page and in the Overzicht tooltip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")


@pytest.fixture(scope="module")
def db(mini_warehouse: Path) -> Path:
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    return mini_warehouse


@pytest.fixture(scope="module")
def wmo_aanbieder(db: Path) -> str:
    """The provider with the most trajectories that delivers only Wmo (segment IO)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select aanbieder from zorgtrajecten group by 1 having bool_and(domein = 'wmo') "
            "order by count(*) desc, 1 limit 1"
        ).fetchall()[0][0]
    finally:
        con.close()


def draai(pagina: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pagina != "overzicht.py":
        at.switch_page(f"paginas/{pagina}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _oordeel(at: AppTest) -> tuple[str, str]:
    metrics = {m.label: m.value for m in at.metric}
    norm = next(m.value for m in at.markdown if m.value.startswith("**Norm.**"))
    return metrics["Stoplicht"], norm


@pytest.mark.parametrize("kpi_id", ["doorlooptijd", "wachttijd"])
def test_kpi_detail_zelfde_oordeel_met_overbodig_filter(
    db: Path, wmo_aanbieder: str, kpi_id: str
) -> None:
    # segment IO and domein wmo leave every row of a Wmo-only provider as it is
    zonder = _oordeel(draai("kpi_detail.py", periode="cj2023", kpi=kpi_id, aanbieder=wmo_aanbieder))
    met = _oordeel(
        draai("kpi_detail.py", periode="cj2023", kpi=kpi_id, aanbieder=wmo_aanbieder,
              segment="IO")
    )  # fmt: skip
    assert zonder == met


@pytest.mark.parametrize(
    ("pagina", "periode", "stuk"),
    [
        ("overzicht.py", "cj2030", "ligt na de peildatum (31-12-2024)"),
        ("financien.py", "2025", "2025 ligt na de peildatum (31-12-2024)"),
        ("kpi_detail.py", "cj2024", "loopt tot na de peildatum"),
        ("aanbieder.py", "2030", "ligt na de peildatum"),
    ],
)
def test_periode_na_de_peildatum_staat_erbij(
    db: Path, wmo_aanbieder: str, pagina: str, periode: str, stuk: str
) -> None:
    at = draai(pagina, periode=periode, aanbieder=wmo_aanbieder, kpi="doorlooptijd")
    assert any(stuk in w.value for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize("pagina", ["overzicht.py", "kpi_detail.py", "aanbieder.py"])
def test_nulmeting_staat_bij_elk_stoplicht(db: Path, wmo_aanbieder: str, pagina: str) -> None:
    at = draai(pagina, periode="cj2022", aanbieder=wmo_aanbieder, kpi="doorlooptijd")
    teksten = [i.value for i in at.info]
    assert any("is de nulmeting" in t and "nog niet op de KPI's aangesproken" in t
               for t in teksten), teksten  # fmt: skip
    # a year that is partly nulmeting says so too
    deels = draai(pagina, periode="2023", aanbieder=wmo_aanbieder, kpi="doorlooptijd")
    assert any("valt deels in de nulmeting" in i.value for i in deels.info)
    # and a later period does not
    later = draai(pagina, periode="cj2023", aanbieder=wmo_aanbieder, kpi="doorlooptijd")
    assert not any("nulmeting" in i.value for i in later.info)


def test_aanbieder_vergelijking_naast_de_waarde(db: Path, wmo_aanbieder: str) -> None:
    at = draai("aanbieder.py", periode="cj2023", aanbieder=wmo_aanbieder)
    tabel = at.dataframe[0].value
    kolommen = list(tabel.columns)
    # right beside the value: the previous period, then the change with better/worse
    assert kolommen[:4] == ["KPI", "Waarde", "Vorige periode", "Verandering"]
    assert any("Vorige periode: contractjaar 2022/23" in c.value for c in at.caption)
    rijen = tabel.set_index("KPI")
    assert rijen.loc["Doorlooptijd", "Verandering"].endswith(("beter", "slechter", "gelijk"))
    assert " · " not in rijen.loc["Instroom", "Verandering"]  # neutral: only the change


def test_overzicht_tooltip_met_vorige_periode(db: Path) -> None:
    at = draai("overzicht.py", periode="cj2023")
    (grafiek,) = at.get("vega_lite_chart")
    tooltip = json.dumps(json.loads(grafiek.proto.spec))
    assert '"title": "Vorige periode"' in tooltip and '"title": "Verandering"' in tooltip


def test_over_de_data_schrijft_de_regel(db: Path) -> None:
    at = draai("over_de_data.py")
    teksten = " ".join(m.value for m in at.markdown)
    assert "**Welke norm telt.**" in teksten and "het slechtste licht" in teksten
    assert "**Nulmeting.** Contractjaar 2022/23" in teksten
