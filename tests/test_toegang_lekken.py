"""Leak tests: a provider, logged in, sees on no page another provider or a client.

Every page is rendered for a provider user (through the user file and st.user, as in
production). All that the page shows — texts, tables, options, the data behind the charts,
download names — is scanned for the AGB codes and names of ALL other providers in the
warehouse, for pseudonymised client ids, and for counts below 8 that are not 'geheim'.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")
PAGINAS = sorted(p.name for p in (REPO / "paginas").glob("*.py"))
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "stoplicht",
    "client_secret": "geheim",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
# Table columns that hold counts of clients, care or messages (not money, not providers).
TELKOLOMMEN = {"n", "Teller", "Noemer", "Beëindigde trajecten", "Zorgdagen"}


@pytest.fixture(scope="module")
def omgeving(mini_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    aanbieders = con.execute("select aanbieder, naam from aanbieders").fetchall()
    eigen = con.execute(
        "select aanbieder from zorgtrajecten group by 1 order by count(*) desc limit 1"
    ).fetchall()[0][0]
    clients = {r[0] for r in con.execute("select distinct client_id from zorgtrajecten").fetchall()}
    map_ = tmp_path_factory.mktemp("toegang")
    gebruikers = map_ / "gebruikers.toml"
    gebruikers.write_text(
        '[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n\n'
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{eigen}"\n'
    )
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    os.environ["STOPLICHT_GEBRUIKERS"] = str(gebruikers)
    yield {
        "eigen": eigen,
        "anderen": [(c, n) for c, n in aanbieders if c != eigen],
        "clients": clients,
    }
    del os.environ["STOPLICHT_GEBRUIKERS"]


def draai_als(email: str, pagina: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email}
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pagina != "overzicht.py":
        at.switch_page(f"paginas/{pagina}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _knopen(at: AppTest):
    def alle(n):  # noqa: ANN001, ANN202
        yield n
        kinderen = getattr(n, "children", None)
        if isinstance(kinderen, dict):
            for k in kinderen.values():
                yield from alle(k)

    return list(alle(at._tree))


def _arrow_tekst(data: bytes) -> str:
    tabel = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    return json.dumps(tabel.to_pylist(), default=str)


def zichtbaar(at: AppTest) -> tuple[str, list]:
    """All text a page shows, and its tables (as pandas frames)."""
    delen: list[str] = []
    tabellen = []
    for knoop in _knopen(at):
        soort = getattr(knoop, "type", "")
        if soort == "dataframe":
            df = knoop.value
            tabellen.append(df)
            delen.append(df.to_csv())
        elif soort == "vega_lite_chart":
            delen.append(knoop.proto.spec)
            for ds in knoop.proto.datasets:
                delen.append(_arrow_tekst(ds.data.data))
            if knoop.proto.data.data:
                delen.append(_arrow_tekst(knoop.proto.data.data))
        elif soort in ("selectbox", "multiselect", "radio", "button_group"):
            delen.append(json.dumps([str(o) for o in getattr(knoop, "options", [])]))
            delen.append(str(getattr(knoop, "value", "")))
        elif soort == "download_button":
            delen.append(f"{knoop.proto.label} {knoop.proto.url}")
        elif soort == "metric":
            delen.append(f"{knoop.label} {knoop.value}")
        else:
            waarde = getattr(knoop, "value", None)
            if isinstance(waarde, str):
                delen.append(waarde)
    return "\n".join(delen), tabellen


def _telling_ok(tekst: str) -> bool:
    tekst = str(tekst).strip()
    if tekst in ("", "geheim", "nan", "None", "–"):
        return True
    if any(teken in tekst for teken in "€%,"):
        return True  # money, a share or a duration: not a count
    getal = int(tekst.replace(".", ""))
    return getal >= 8 and getal % 5 == 0


@pytest.mark.parametrize("pagina", PAGINAS)
@pytest.mark.parametrize(
    "query", [{}, {"periode": "cj2023"}, {"periode": "2024-Q2", "indeling": "subsegment"}]
)
def test_aanbieder_ziet_geen_anderen(omgeving: dict, pagina: str, query: dict) -> None:
    at = draai_als("info@aanbieder.nl", pagina, kpi="instroom", **query)
    tekst, tabellen = zichtbaar(at)
    assert omgeving["eigen"] in tekst or pagina in ("over_de_data.py",)
    for code, naam in omgeving["anderen"]:
        assert code not in tekst, f"AGB {code} ({naam}) op {pagina}"
        assert naam not in tekst, f"naam {naam} op {pagina}"
    assert not set(re.findall(r"\b[0-9a-f]{32}\b", tekst)) & omgeving["clients"], (
        "client id zichtbaar"
    )
    for df in tabellen:
        for kolom in TELKOLOMMEN & set(df.columns):
            for cel in df[kolom]:
                assert _telling_ok(cel), f"telling {cel!r} in kolom {kolom} op {pagina}"
        if {"KPI", "Waarde"} <= set(df.columns):
            for kpi_label, waarde in zip(df["KPI"], df["Waarde"], strict=True):
                if kpi_label in ("Instroom", "Uitstroom", "Cliënten in zorg", "Nieuwe cliënten",
                                 "Zorgdagen", "Toewijzing zonder start", "Verlopen zonder stop"):  # fmt: skip
                    assert _telling_ok(waarde), f"{kpi_label} = {waarde!r} op {pagina}"


@pytest.mark.parametrize("pagina", PAGINAS)
def test_url_met_andere_aanbieder_verandert_niets(omgeving: dict, pagina: str) -> None:
    ander, naam = omgeving["anderen"][0]
    at = draai_als("info@aanbieder.nl", pagina, aanbieder=ander, kpi="instroom")
    tekst, _ = zichtbaar(at)
    assert ander not in tekst and naam not in tekst
    assert at.query_params["aanbieder"] == omgeving["eigen"]


def test_geen_trajecten_voor_aanbieder(omgeving: dict) -> None:
    at = draai_als("info@aanbieder.nl", "kpi_detail.py", kpi="instroom")
    assert not [e for e in at.expander if "Trajecten" in e.label]
    regio = draai_als("cm@regio.nl", "kpi_detail.py", kpi="instroom")
    assert [e for e in regio.expander if "Trajecten" in e.label]


def test_onbekende_gebruiker_krijgt_niets(omgeving: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "vreemde@elders.nl"}
    at.run()
    assert any("Geen toegang" in e.value for e in at.error)
    assert not at.dataframe and not at.get("vega_lite_chart")


def test_niet_ingelogd_ziet_alleen_inloggen(omgeving: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.dataframe


def test_lokale_modus_geweigerd_met_gebruikersbestand(omgeving: dict) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()  # no [auth] secrets: login is not set up
    assert any("lokale modus is dan uitgeschakeld" in e.value for e in at.error)
    assert not at.dataframe


# ---------------------------------------------------------------- KPIs from other sources
# Cliënttevredenheid and doelrealisatie (kpi_waarden) pass through the same scope: the
# provider's own figures only, peers unnamed, small counts withheld.
EXTERNE_KPIS = ("clienttevredenheid", "doelrealisatie")


def _externe_labels() -> set[str]:
    from kpi.registry import laad_registry
    from weergave.tabellen import kpi_kop

    registry = laad_registry()
    return {kpi_kop(registry[k]) for k in EXTERNE_KPIS} | {registry[k].label for k in EXTERNE_KPIS}


@pytest.mark.parametrize("pagina", PAGINAS)
@pytest.mark.parametrize("kpi_id", EXTERNE_KPIS)
@pytest.mark.parametrize("periode", ["2023", "cj2023"])
def test_aanbieder_ziet_geen_anderen_bij_externe_kpis(
    omgeving: dict, pagina: str, kpi_id: str, periode: str
) -> None:
    at = draai_als("info@aanbieder.nl", pagina, kpi=kpi_id, periode=periode)
    tekst, tabellen = zichtbaar(at)
    for code, naam in omgeving["anderen"]:
        assert code not in tekst, f"AGB {code} ({naam}) op {pagina} bij {kpi_id}"
        assert naam not in tekst, f"naam {naam} op {pagina} bij {kpi_id}"
    assert not set(re.findall(r"\b[0-9a-f]{32}\b", tekst)) & omgeving["clients"]
    for df in tabellen:
        for kolom in TELKOLOMMEN & set(df.columns):
            for cel in df[kolom]:
                assert _telling_ok(cel), f"telling {cel!r} in kolom {kolom} op {pagina}"


@pytest.fixture(scope="module")
def kleine_aanbieder(omgeving: dict, mini_warehouse: Path, tmp_path_factory) -> dict:  # noqa: ANN001
    """A provider whose own cliënttevredenheid in 2023 rests on 3 to 7 respondents, and a user
    file that logs it in."""
    import kpi

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    per = kpi.bereken(con, "2023", per=["aanbieder"], kpis=["clienttevredenheid"])
    # 3 to 7 respondents and a share other than 0 or 100 %, so that its text is telling
    klein = per.filter(
        (per["n"] >= 3) & (per["n"] < 8) & (per["waarde"] > 0) & (per["waarde"] < 1)
    ).sort("n", "aanbieder")
    assert klein.height, "de voorbeelddata heeft een aanbieder met weinig respondenten"
    rij = klein.row(0, named=True)
    pad = tmp_path_factory.mktemp("klein") / "gebruikers.toml"
    pad.write_text(
        f'[[gebruiker]]\nemail = "klein@aanbieder.nl"\nrol = "aanbieder"\n'
        f'aanbieder = "{rij["aanbieder"]}"\n'
    )
    return {"aanbieder": rij["aanbieder"], "n": rij["n"], "waarde": rij["waarde"], "pad": pad}


@pytest.mark.parametrize("pagina", ["overzicht.py", "aanbieder.py", "kpi_detail.py"])
def test_externe_kpi_op_weinig_respondenten_is_geheim(
    kleine_aanbieder: dict, monkeypatch: pytest.MonkeyPatch, pagina: str
) -> None:
    from weergave import formaat

    monkeypatch.setenv("STOPLICHT_GEBRUIKERS", str(kleine_aanbieder["pad"]))
    at = draai_als("klein@aanbieder.nl", pagina, kpi="clienttevredenheid", periode="2023")
    tekst, tabellen = zichtbaar(at)
    assert kleine_aanbieder["aanbieder"] in tekst
    labels = _externe_labels()
    rijen = [
        r for df in tabellen if {"KPI", "Waarde"} <= set(df.columns)
        for r in df.to_dict("records") if r["KPI"] in labels
    ]  # fmt: skip
    # the figure is withheld: shown as 'geheim', or (as any withheld figure) left out
    for r in rijen:
        assert (r["Waarde"], r["n"]) == ("geheim", "geheim"), r
    metrics = {m.label: m.value for m in at.metric}
    for label, waarde in metrics.items():
        if label in labels:
            assert waarde == "geheim", (label, waarde)
    # the share itself is shown nowhere (in a table, a metric or a chart's data)
    assert formaat.procent(kleine_aanbieder["waarde"]) not in tekst
