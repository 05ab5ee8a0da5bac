"""Leak tests: a provider, logged in, sees on no page another provider, a client or a small count.

Every page is rendered for a provider user (through the user file and st.user, as in
production). All that the page shows — texts, tables, options, the data behind the charts,
and the contents of every download (CSV, Excel, the numeric Excel, the factsheet PDF) — is
scanned for the AGB codes and names of ALL other providers in the warehouse, for pseudonymised
client ids, and for counts: a count a provider sees is 'geheim' or a multiple of 5 of at least
10. Counts are found by what they look like (an integer, or a text that reads as one), in any
column, not by a list of known count columns: a column of integers that is not a count (a code,
a declared minimum) must be named in NIET_TELLINGEN, so a new table cannot slip through.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pypdf
import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from kpi.registry import Kpi, laad_registry
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
REGISTRY = laad_registry()
# Columns whose integers are not counts of people, care, messages or input rows (with why).
NIET_TELLINGEN = {
    "aanbieder": "AGB-code",
    "agb-code": "AGB-code",
    "gemeente": "gemeentecode",
    "gemeentecode": "gemeentecode",
    "rij_code": "code of the matrix row",
    "minimum n": "the KPI's declared minimum, not a figure from the data",
    "andere aanbieders": "how many peer providers are compared (at least 3), not people",
    "rij_volgorde": "sort order",
    "kpi_volgorde": "sort order",
    "onder": "norm band",
    "boven": "norm band",
    "norm_groen": "norm",
    "norm_oranje": "norm",
    "norm_onder": "norm band",
    "norm_boven": "norm band",
}
_GEHEEL = re.compile(r"\d{1,3}(\.\d{3})+|\d+")  # '7', '1.235': an integer as formaat writes it
_SYMBOLEN = "●▲■○ "


def _kpi_van(rij: dict) -> Kpi | None:
    for sleutel in ("kpi", "KPI-code", "KPI", "kpi_label", "Omschrijving"):
        waarde = rij.get(sleutel)
        if not isinstance(waarde, str):
            continue
        if waarde in REGISTRY:
            return REGISTRY[waarde]
        for k in REGISTRY:
            if k.label == waarde:
                return k
    return None


def _als_geheel(waarde: object) -> int | None:
    """The integer a cell shows, or None when it does not show one (text, money, a share)."""
    if waarde is None or isinstance(waarde, bool):
        return None
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, float | Decimal):
        if not math.isfinite(waarde):
            return None  # NaN: an empty cell
        return int(waarde) if waarde == int(waarde) else None
    if isinstance(waarde, str):
        tekst = waarde.strip(_SYMBOLEN)
        return int(tekst.replace(".", "")) if _GEHEEL.fullmatch(tekst) else None
    return None


_LABELS = {k.label: k for k in REGISTRY}


def _kpi_kolom(kolom: str) -> Kpi | None:
    """The KPI a column is headed by ('Wachttijd (dagen)', 'Cliënttevredenheid (bron: …)')."""
    return _LABELS.get(kolom) or _LABELS.get(re.sub(r" \(.*\)$", "", kolom))


def _is_telling(kolom: str, waarde: object, rij: dict) -> bool:
    """Whether this cell shows a count (of people, care, messages or input rows)."""
    naam = kolom.lower()
    if naam in NIET_TELLINGEN:
        return False
    if _als_geheel(waarde) is None:
        return False
    kop_kpi = _kpi_kolom(kolom)
    if kop_kpi is not None and not isinstance(waarde, str):
        return kop_kpi.eenheid == "aantal"  # a KPI's own column of numbers (numeric Excel)
    kpi = _kpi_van(rij)
    if naam in ("teller", "noemer"):
        return kpi is None or kpi.eenheid_teller == "aantal"
    if naam in ("waarde", "waarde_getal") and not isinstance(waarde, str):
        eenheid = rij.get("eenheid") or rij.get("Eenheid") or (kpi.eenheid if kpi else None)
        if eenheid is None and isinstance(rij.get("tekst"), str):
            return _als_geheel(rij["tekst"]) is not None  # as the tooltip shows it
        return eenheid in (None, "aantal")
    return True


def samengevat(fouten: list[str]) -> list[str]:
    """Each place and column once, with its first offending value (for a readable failure)."""
    eerste: dict[str, str] = {}
    for f in fouten:
        plek, _, waarde = f.rpartition(" = ")
        eerste.setdefault(plek, waarde)
    return [f"{p} = {w}" for p, w in eerste.items()]


def onbeschermde_tellingen(rijen: list[dict], waar: str) -> list[str]:
    """Every count in these rows that is neither 'geheim' nor a multiple of 5 of at least 8."""
    fout = []
    for rij in rijen:
        for kolom, waarde in rij.items():
            if not _is_telling(str(kolom), waarde, rij):
                continue
            n = _als_geheel(waarde)
            if n is not None and (n < 8 or n % 5):
                fout.append(f"{waar}: {kolom} = {waarde!r}")
    return fout


class _Downloads(MediaFileManager):
    """AppTest's media manager, kept so a test can open what the download buttons hold."""

    laatste: MediaFileManager | None = None

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        _Downloads.laatste = self


@pytest.fixture(scope="module")
def omgeving(mini_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    aanbieders = con.execute("select aanbieder, naam from aanbieders").fetchall()
    volgorde = [
        r[0]
        for r in con.execute(
            "select aanbieder from zorgtrajecten group by 1 order by count(*) desc, 1"
        ).fetchall()
    ]
    clients = {r[0] for r in con.execute("select distinct client_id from zorgtrajecten").fetchall()}
    con.close()
    eigen, klein = volgorde[0], volgorde[-1]  # the largest provider, and one with tiny counts
    map_ = tmp_path_factory.mktemp("toegang")
    gebruikers = map_ / "gebruikers.toml"
    gebruikers.write_text(
        '[[gebruiker]]\nemail = "cm@regio.nl"\nrol = "regio"\n\n'
        f'[[gebruiker]]\nemail = "info@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{eigen}"\n\n'
        f'[[gebruiker]]\nemail = "klein@aanbieder.nl"\nrol = "aanbieder"\naanbieder = "{klein}"\n'
    )
    os.environ["STOPLICHT_DB"] = str(mini_warehouse)
    os.environ["STOPLICHT_GEBRUIKERS"] = str(gebruikers)
    os.environ["STOPLICHT_INGETROKKEN"] = str(map_ / "ingetrokken.txt")
    origineel = app_test.MediaFileManager
    app_test.MediaFileManager = _Downloads
    yield {
        "eigen": eigen,
        "klein": klein,
        "namen": dict(aanbieders),
        "clients": clients,
    }
    app_test.MediaFileManager = origineel
    del os.environ["STOPLICHT_GEBRUIKERS"], os.environ["STOPLICHT_INGETROKKEN"]


def identiteit(email: str, sub: str | None = None) -> dict:
    """st.user as Streamlit fills it from the ID token after a login."""
    return {"is_logged_in": True, "email": email, "sub": sub or f"sub-{email}",
            "iss": "http://localhost:9400", "iat": 1_700_000_000, "nonce": "n"}  # fmt: skip


def draai_als(email: str, pagina: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = identiteit(email)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pagina != "overzicht.py":
        at.switch_page(f"paginas/{pagina}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tabbladen(at: AppTest, pagina: str):  # noqa: ANN201 - a generator of the same AppTest
    """The page as drawn, then (Overzicht) again with its table tab open: only the open tab of
    the matrix is drawn, so what a provider sees in each must be checked in each."""
    yield at
    if pagina == "overzicht.py" and at.tabs:  # no tabs when the selection has no figures
        at.session_state["weergave"] = "Tabel"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.dataframe, "het tabblad Tabel toont geen tabel"
        yield at


def _knopen(at: AppTest):
    def alle(n):  # noqa: ANN001, ANN202
        yield n
        kinderen = getattr(n, "children", None)
        if isinstance(kinderen, dict):
            for k in kinderen.values():
                yield from alle(k)

    return list(alle(at._tree))


def _arrow_rijen(data: bytes) -> list[dict]:
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pylist()


def _download(knoop) -> tuple[str, bytes]:  # noqa: ANN001
    """File name and contents of a download button, as the browser would get them."""
    mgr = _Downloads.laatste
    assert mgr is not None
    url = knoop.proto.url or mgr.execute_deferred(knoop.proto.deferred_file_id)
    bestand = mgr._storage.get_file(url.rsplit("/", 1)[-1])
    return bestand.filename or url, bestand.content


def _rijen_van_bestand(naam: str, inhoud: bytes) -> tuple[str, list[dict]]:
    """A download's text and its table rows (CSV and Excel; a PDF has text only)."""
    if naam.endswith(".csv"):
        tekst = inhoud.decode("utf-8-sig")
        regels = tekst.splitlines()
        kop = regels[0].split(";")
        import csv

        rijen = [dict(zip(kop, r, strict=True)) for r in csv.reader(regels[1:], delimiter=";")]
        return tekst, rijen
    if naam.endswith(".xlsx"):
        boek = openpyxl.load_workbook(io.BytesIO(inhoud))
        rijen, delen = [], []
        for blad in boek.worksheets:
            waarden = list(blad.iter_rows(values_only=True))
            if not waarden:
                continue
            kop = [str(k) for k in waarden[0]]
            for r in waarden[1:]:
                rijen.append(dict(zip(kop, r, strict=True)))
            delen.append(json.dumps([[str(c) for c in r] for r in waarden]))
        return "\n".join(delen), rijen if "Definities" not in kop else rijen
    if naam.endswith(".pdf"):
        lezer = pypdf.PdfReader(io.BytesIO(inhoud))
        return "\n".join(p.extract_text() or "" for p in lezer.pages), []
    raise AssertionError(f"onbekend soort download {naam}")


def zichtbaar(at: AppTest) -> tuple[str, list[tuple[str, list[dict]]]]:
    """All text a page shows and its downloads hold, and every table's rows (with where)."""
    delen: list[str] = []
    tabellen: list[tuple[str, list[dict]]] = []
    for knoop in _knopen(at):
        soort = getattr(knoop, "type", "")
        if soort == "dataframe":
            df = knoop.value
            delen.append(df.to_csv())
            tabellen.append((f"tabel {list(df.columns)[:3]}", df.to_dict("records")))
        elif soort == "vega_lite_chart":
            delen.append(knoop.proto.spec)
            for ds in [*knoop.proto.datasets, *([knoop.proto] if knoop.proto.data.data else [])]:
                rijen = _arrow_rijen(ds.data.data)
                delen.append(json.dumps(rijen, default=str))
                tabellen.append(("grafiekdata", rijen))
        elif soort in ("selectbox", "multiselect", "radio", "button_group"):
            delen.append(json.dumps([str(o) for o in getattr(knoop, "options", [])]))
            delen.append(str(getattr(knoop, "value", "")))
        elif soort == "download_button":
            naam, inhoud = _download(knoop)
            tekst, rijen = _rijen_van_bestand(naam, inhoud)
            delen.append(f"{knoop.proto.label} {naam}\n{tekst}")
            tabellen.append((f"download {naam}", rijen))
        elif soort == "metric":
            delen.append(f"{knoop.label} {knoop.value}")
            tabellen.append((f"metric {knoop.label}", [{knoop.label: knoop.value}]))
        else:
            waarde = getattr(knoop, "value", None)
            if isinstance(waarde, str):
                delen.append(waarde)
    return "\n".join(delen), tabellen


def test_scanner_vindt_kleine_en_onafgeronde_tellingen() -> None:
    """The scanner itself: what it must flag and what it must let pass."""
    rijen = [
        {"reden": "x", "aantal": 7},  # a small count in a column it has never seen
        {"reden": "y", "aantal": "18"},  # not a multiple of 5, as text
        {"KPI": "Instroom", "Waarde": "3 ○", "n": "geheim"},
        {"kpi": "instroom", "waarde": Decimal("12"), "teller": 12.0, "n": 15},
        {"Instroom": "1.232 ●"},
    ]
    assert [f.split(": ", 1)[1] for f in onbeschermde_tellingen(rijen, "t")] == [
        "aantal = 7", "aantal = '18'", "Waarde = '3 ○'", "waarde = Decimal('12')",
        "teller = 12.0", "Instroom = '1.232 ●'",
    ]  # fmt: skip
    goed = [
        {"reden": "x", "aantal": "geheim"},
        {"KPI": "Volgens plan beëindigd", "Waarde": "57,9 %", "Teller": "10", "n": "20"},
        {"kpi": "uitstroom_volgens_plan", "waarde": Decimal(1), "teller": 10, "n": 10},
        {"kpi": "doorlooptijd", "waarde": 3.0, "teller": 3, "n": 10},  # days, not counts
        {"Doorlooptijd": "384,0 ■", "Verwacht saldo": "€ -3", "Minimum n": 10},
        {"aanbieder": "17014283", "Gemeente": "0197", "maand": "jul 2023"},
        {"maand": "jul 2023", "waarde_getal": 1.0, "tekst": "100,0 %", "n": 25},
        {"Aanbieder": "X", "Wachttijd (dagen)": 14, "Instroom": 15},  # numeric Excel
    ]
    assert onbeschermde_tellingen(goed, "t") == []


@pytest.mark.parametrize("pagina", PAGINAS)
@pytest.mark.parametrize(
    "query", [{}, {"periode": "cj2023"}, {"periode": "2024-Q2", "indeling": "subsegment"}]
)
@pytest.mark.parametrize("wie", ["eigen", "klein"])
def test_aanbieder_ziet_geen_anderen(omgeving: dict, pagina: str, query: dict, wie: str) -> None:
    email = "info@aanbieder.nl" if wie == "eigen" else "klein@aanbieder.nl"
    eigen = omgeving[wie]
    for at in tabbladen(draai_als(email, pagina, kpi="instroom", **query), pagina):
        tekst, tabellen = zichtbaar(at)
        assert eigen in tekst or pagina in ("over_de_data.py",)
        for code, naam in omgeving["namen"].items():
            if code == eigen:
                continue
            assert code not in tekst, f"AGB {code} ({naam}) op {pagina}"
            assert naam not in tekst, f"naam {naam} op {pagina}"
        assert not set(re.findall(r"\b[0-9a-f]{32}\b", tekst)) & omgeving["clients"], (
            "client id zichtbaar"
        )
        fouten = [f for waar, rijen in tabellen for f in onbeschermde_tellingen(rijen, waar)]
        assert not fouten, f"onbeschermde tellingen op {pagina}: {samengevat(fouten)}"


@pytest.mark.parametrize("pagina", PAGINAS)
def test_url_met_andere_aanbieder_verandert_niets(omgeving: dict, pagina: str) -> None:
    ander = omgeving["klein"]
    naam = omgeving["namen"][ander]
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
    at.user = identiteit("vreemde@elders.nl")
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
    for at in tabbladen(
        draai_als("info@aanbieder.nl", pagina, kpi=kpi_id, periode=periode), pagina
    ):
        tekst, tabellen = zichtbaar(at)
        for code, naam in omgeving["namen"].items():
            if code == omgeving["eigen"]:
                continue
            assert code not in tekst, f"AGB {code} ({naam}) op {pagina} bij {kpi_id}"
            assert naam not in tekst, f"naam {naam} op {pagina} bij {kpi_id}"
        assert not set(re.findall(r"\b[0-9a-f]{32}\b", tekst)) & omgeving["clients"]
        fouten = [f for waar, rijen in tabellen for f in onbeschermde_tellingen(rijen, waar)]
        assert not fouten, f"onbeschermde tellingen op {pagina} bij {kpi_id}: {samengevat(fouten)}"


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
    for at in tabbladen(at, pagina):  # noqa: B020 - the same AppTest, with another tab open
        tekst, tabellen = zichtbaar(at)
        assert kleine_aanbieder["aanbieder"] in tekst
        labels = _externe_labels()
        rijen = [
            r for _, tabel in tabellen for r in tabel
            if "Waarde" in r and r.get("KPI") in labels
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
