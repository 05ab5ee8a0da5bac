"""The dossier on the Aanbieder page (AppTest, local mode and logged in): writing afspraken,
the agenda, the status of earlier afspraken, toelichting and besluiten; messages in Dutch."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dossier import Dossier
from kpi import gesprek as gs
from tests.conftest import REPO
from tests.test_toegang_lekken import AUTH

APP = str(REPO / "app.py")
DEADLINE = date.today() + timedelta(days=60)


@pytest.fixture
def omgeving(mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    agb, naam = con.execute(
        "select t.aanbieder, a.naam from zorgtrajecten t join aanbieders a using (aanbieder) "
        "group by all order by count(*) desc, 1 limit 1"
    ).fetchone()
    con.close()
    pad = tmp_path / "dossier.sqlite"
    monkeypatch.setenv("STOPLICHT_DB", str(mini_warehouse))
    monkeypatch.setenv("STOPLICHT_DOSSIER", str(pad))
    monkeypatch.delenv("STOPLICHT_GEBRUIKERS", raising=False)
    return {"agb": agb, "naam": naam, "pad": pad}


def open_pagina(agb: str, periode: str = "2024", **sessie) -> AppTest:  # noqa: ANN003
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in sessie.items():
        setattr(at, k, v)
    at.query_params["aanbieder"] = agb
    at.query_params["periode"] = periode
    at.run()
    at.switch_page("paginas/aanbieder.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _veld(lijst, begin: str):  # noqa: ANN001, ANN202
    [gevonden] = [w for w in lijst if (w.key or "").startswith(begin)]
    return gevonden


def schrijf_afspraak(at: AppTest, tekst: str, deadline: date | None = DEADLINE) -> AppTest:
    _veld(at.text_area, "dossier_afspraak_tekst").input(tekst)
    _veld(at.date_input, "dossier_afspraak_deadline").set_value(deadline)
    at.button(key="dossier_afspraak_opslaan").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def teksten(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_afspraak_schrijven_en_terugzien(omgeving: dict) -> None:
    at = schrijf_afspraak(open_pagina(omgeving["agb"]), "Plan voor uitstroom EED, per kwartaal")
    assert [s.value for s in at.success] == ["Afspraak opgeslagen."]
    [a] = Dossier(omgeving["pad"]).items(aanbieder=omgeving["agb"])
    assert (a.tekst, a.deadline, a.door, a.periode, a.gedeeld, a.status) == (
        "Plan voor uitstroom EED, per kwartaal",
        DEADLINE,
        "lokaal",
        "2024",
        True,
        "open",
    )
    # a new session (a reload) shows it, with its owner and deadline
    opnieuw = open_pagina(omgeving["agb"])
    assert "Plan voor uitstroom EED, per kwartaal" in teksten(opnieuw)
    assert any(f"deadline {DEADLINE.strftime('%d-%m-%Y')}" in c.value for c in opnieuw.caption)
    # the form is empty again after saving
    assert _veld(at.text_area, "dossier_afspraak_tekst").value == ""


@pytest.mark.parametrize(
    ("tekst", "deadline", "melding"),
    [
        ("  ", DEADLINE, "De tekst van de afspraak is leeg: vul een tekst in."),
        ("Plan", None, "De deadline ontbreekt: vul een datum in."),
    ],
)
def test_slechte_invoer_geeft_een_melding_en_bewaart_niets(
    omgeving: dict, tekst: str, deadline: date | None, melding: str
) -> None:
    at = schrijf_afspraak(open_pagina(omgeving["agb"]), tekst, deadline)
    assert [e.value for e in at.error] == [melding]
    assert Dossier(omgeving["pad"]).items() == []


def test_de_pagina_laat_geen_deadline_in_het_verleden_kiezen(omgeving: dict) -> None:
    at = open_pagina(omgeving["agb"])
    veld = _veld(at.date_input, "dossier_afspraak_deadline")
    assert veld.min == Dossier(omgeving["pad"]).vandaag()


def test_agenda_vaststellen_uit_het_voorstel(omgeving: dict) -> None:
    agb, d = omgeving["agb"], Dossier(omgeving["pad"])
    at = open_pagina(agb)
    voorgesteld = [
        w for w in at.text_input if (w.key or "").startswith("dossier_agenda_tekst_kpi:")
    ]
    assert voorgesteld, "geen KPI-voorstel op de agenda"
    sleutels = [w.key.removeprefix("dossier_agenda_tekst_").rsplit("_", 1)[0] for w in voorgesteld]
    eerste, *rest = voorgesteld
    eerste.input("Doorlooptijd: oorzaak en plan")  # edited before accepting
    if rest:
        _veld(at.checkbox, f"dossier_agenda_mee_{sleutels[1]}_").uncheck()  # not this one
    _veld(at.text_area, "dossier_agenda_eigen").input("Wachtlijst\n\nInzet onderaannemers")
    at.button(key="dossier_agenda_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["Agenda opgeslagen."]
    punten = d.items(aanbieder=agb, soort="agendapunt")
    assert punten[0].tekst == "Doorlooptijd: oorzaak en plan" and punten[0].kpi
    assert [p.tekst for p in punten[-2:]] == ["Wachtlijst", "Inzet onderaannemers"]
    assert len(punten) == len(voorgesteld) - (1 if rest else 0) + 2
    assert teksten(at)[: len(punten)] == [f"{n}. {p.tekst}" for n, p in enumerate(punten, 1)]
    # what is on the agenda is not proposed again
    opnieuw = open_pagina(agb)
    nog = [w.key for w in opnieuw.text_input if (w.key or "").startswith("dossier_agenda_tekst_")]
    assert not any(sleutels[0] in k for k in nog)
    if rest:
        assert any(sleutels[1] in k for k in nog)  # the one left off is still proposed


def test_status_van_een_eerdere_afspraak_bijwerken(omgeving: dict) -> None:
    agb, d = omgeving["agb"], Dossier(omgeving["pad"])
    a = d.nieuwe_afspraak(gs.gesprek(agb, "2023"), "cm@regio.nl", "Wachtlijst halveren",
                          "aanbieder", DEADLINE)  # fmt: skip
    at = open_pagina(agb)
    assert any("vorige gesprek (2023)" in c.value for c in at.caption)
    at.selectbox(key=f"dossier_status_{a.id}_0").select("gedaan")
    at.button(key="dossier_status_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["1 status(sen) opgeslagen."]
    assert [(v.versie, v.status, v.door) for v in d.geschiedenis(a.id)] == [
        (1, "open", "cm@regio.nl"),
        (2, "gedaan", "lokaal"),
    ]


def test_wijziging_van_een_collega_gaat_niet_verloren(omgeving: dict) -> None:
    agb, d = omgeving["agb"], Dossier(omgeving["pad"])
    a = d.nieuwe_afspraak(gs.gesprek(agb, "2023"), "cm@regio.nl", "Wachtlijst halveren",
                          "aanbieder", DEADLINE)  # fmt: skip
    at = open_pagina(agb)
    d.wijzig(a.id, "collega@regio.nl", 1, status="vervallen")  # saved while the page was open
    at.selectbox(key=f"dossier_status_{a.id}_0").select("gedaan")
    at.button(key="dossier_status_opslaan").click()
    at.run()
    assert any("intussen gewijzigd door collega@regio.nl" in e.value for e in at.error)
    assert d.item(a.id).status == "vervallen"  # the colleague's change stands
    assert not at.success
    # the form shows the newest version now; saved from it, the change lands
    at.selectbox(key=f"dossier_status_{a.id}_1").select("gedaan")
    at.button(key="dossier_status_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["1 status(sen) opgeslagen."]
    assert [v.status for v in d.geschiedenis(a.id)] == ["open", "vervallen", "gedaan"]


def test_toelichting_en_besluit(omgeving: dict) -> None:
    agb, d = omgeving["agb"], Dossier(omgeving["pad"])
    at = open_pagina(agb)
    kpi_id = _veld(at.selectbox, "dossier_toelichting_kpi").value
    _veld(at.text_area, "dossier_toelichting_tekst").input("Complexe casuïstiek")
    at.button(key="dossier_toelichting_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["Toelichting opgeslagen."]
    # writing the same KPI's toelichting again makes a new version of it
    _veld(at.text_area, "dossier_toelichting_tekst").input("Complexe casuïstiek en wachtlijst")
    at.button(key="dossier_toelichting_opslaan").click()
    at.run()
    [t] = d.items(aanbieder=agb, soort="toelichting")
    assert (t.kpi, t.versie, t.tekst, t.gedeeld) == (
        kpi_id,
        2,
        "Complexe casuïstiek en wachtlijst",
        False,
    )

    _veld(at.text_input, "dossier_besluit_van").input("657.000,00")
    _veld(at.text_input, "dossier_besluit_naar").input("600.000")
    _veld(at.date_input, "dossier_besluit_per").set_value(date(2024, 7, 1))
    at.button(key="dossier_besluit_opslaan").click()
    at.run()
    assert [e.value for e in at.error] == ["De reden van het besluit is leeg: vul een tekst in."]
    _veld(at.text_area, "dossier_besluit_reden").input("Minder cliënten dan gegund")
    at.button(key="dossier_besluit_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["Besluit opgeslagen."]
    [b] = d.items(aanbieder=agb, soort="besluit")
    assert (str(b.waarde_van), str(b.waarde_naar), b.ingangsdatum) == (
        "657000.00",
        "600000",
        date(2024, 7, 1),
    )
    assert "**Voorschot van € 657\\.000,00 naar € 600\\.000,00 per 01\\-07\\-2024**" in [
        m.value for m in at.markdown
    ]


# The claims an ID token always carries (a login without them is not accepted: ui/toegang.py)
INLOG = {"sub": "s-1", "iss": "http://localhost:9400", "iat": 1_700_000_000, "nonce": "n"}


def test_ingelogd_schrijft_onder_eigen_naam(omgeving: dict, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    gebruikers = tmp_path / "gebruikers.toml"
    gebruikers.write_text('[[gebruiker]]\nemail = "CM@Regio.nl"\nrol = "regio"\n')
    monkeypatch.setenv("STOPLICHT_GEBRUIKERS", str(gebruikers))
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "CM@Regio.nl", **INLOG}
    at.query_params["aanbieder"] = omgeving["agb"]
    at.query_params["periode"] = "2024"
    at.run()
    at.switch_page("paginas/aanbieder.py")
    at.run()
    schrijf_afspraak(at, "Plan uitstroom")
    [a] = Dossier(omgeving["pad"]).items()
    assert a.door == a.aangemaakt_door == "cm@regio.nl"


def test_dossier_staat_naast_de_warehouse(
    omgeving: dict, mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kopie = tmp_path / "data" / "stoplicht.duckdb"
    kopie.parent.mkdir()
    shutil.copy(mini_warehouse, kopie)
    monkeypatch.setenv("STOPLICHT_DB", str(kopie))
    monkeypatch.delenv("STOPLICHT_DOSSIER")
    at = schrijf_afspraak(open_pagina(omgeving["agb"]), "Plan uitstroom")
    naast = tmp_path / "data" / "dossier.sqlite"
    assert [i.tekst for i in Dossier(naast).items(aanbieder=omgeving["agb"])][
        -1
    ] == "Plan uitstroom"
    assert not at.error


def test_afspraak_wijzigen_met_geschiedenis_en_conflict(omgeving: dict) -> None:
    agb, d = omgeving["agb"], Dossier(omgeving["pad"])
    a = d.nieuwe_afspraak(gs.gesprek(agb, "2024"), "cm@regio.nl", "Plan uitstroom", "aanbieder",
                          DEADLINE)  # fmt: skip
    at = open_pagina(agb)
    _veld(at.text_area, "dossier_wijzig_tekst").input("Plan uitstroom, met aantallen")
    at.button(key="dossier_wijzig_opslaan").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Wijziging opgeslagen (de vorige versie blijft bewaard)."
    ]
    assert [v.tekst for v in d.geschiedenis(a.id)] == [
        "Plan uitstroom",
        "Plan uitstroom, met aantallen",
    ]
    # the history under the form shows both versions
    assert any("Versie 2" in c.value and "tekst gewijzigd" in c.value for c in at.caption)

    # a colleague saves while this form is open: the edit is refused, the typed text shown
    _veld(at.text_area, "dossier_wijzig_tekst").input("Mijn versie")
    d.wijzig(a.id, "collega@regio.nl", 2, eigenaar="gemeente")
    at.button(key="dossier_wijzig_opslaan").click()
    at.run()
    [fout] = [e.value for e in at.error]
    assert "intussen gewijzigd door collega@regio.nl" in fout and "Mijn versie" in fout
    assert d.item(a.id).tekst == "Plan uitstroom, met aantallen"

    at.button(key="dossier_wijzig_intrekken").click()
    at.run()
    assert d.items(aanbieder=agb) == [] and d.item(a.id).ingetrokken
    assert "Plan uitstroom, met aantallen" not in teksten(at)


def test_groep_vastleggen_en_als_aanbieder_zien(
    omgeving: dict, mini_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    sub = con.execute(
        "select subsegment from zorgtrajecten where year(begindatum) = 2024 group by 1 "
        "order by count(distinct aanbieder) desc, 1 limit 1"
    ).fetchone()[0]
    con.close()
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["periode"] = "2024"
    at.query_params["subsegment"] = sub
    at.run()
    at.switch_page("paginas/groepsgesprek.py")
    at.run()
    kies = at.multiselect[0]
    leden = kies.options[-5:]  # the five largest (options run small to large)
    codes = [o.split("(")[1].split(")")[0] for o in leden]
    kies.set_value(codes[:3])
    at.run()
    assert any(
        "ziet een aanbieder de anderen op zijn groepsblad niet" in w.value for w in at.warning
    )
    at.multiselect[0].set_value(codes)
    at.run()
    assert not at.warning
    at.button(key="groep_opslaan").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    [groep] = Dossier(omgeving["pad"]).items(soort="groep")
    assert (groep.subsegment, groep.periode, groep.leden, groep.door) == (
        sub,
        "2024",
        tuple(sorted(codes)),
        "lokaal",
    )
    assert any("Deze groep staat in het dossier" in c.value for c in at.caption)
    kolommen = at.dataframe[0].value.columns.tolist()
    assert kolommen[0] == "KPI" and len(kolommen) == 1 + len(codes)

    # a member, logged in, sees its own sheet of this group and no other member
    gebruikers = tmp_path / "gebruikers.toml"
    gebruikers.write_text(
        f'[[gebruiker]]\nemail = "info@lid.nl"\nrol = "aanbieder"\naanbieder = "{codes[0]}"\n'
    )
    monkeypatch.setenv("STOPLICHT_GEBRUIKERS", str(gebruikers))
    lid = AppTest.from_file(APP, default_timeout=180)
    lid.secrets["auth"] = AUTH
    lid.user = {"is_logged_in": True, "email": "info@lid.nl", **INLOG}
    lid.query_params["periode"] = "2024"
    lid.run()
    lid.switch_page("paginas/groepsgesprek.py")
    lid.run()
    assert not lid.exception, [e.value for e in lid.exception]
    assert [s.value for s in lid.subheader] == [f"{groep.tekst} ({sub})"]
    zichtbaar = " ".join(
        [c.value for c in lid.caption] + [lid.dataframe[0].value.to_csv()]
        + [str(b.proto.label) for b in lid.get("download_button")]
    )  # fmt: skip
    assert "U spreekt met 4 vergelijkbare aanbieders" in zichtbaar
    assert not [c for c in codes[1:] if c in zichtbaar]


def test_getypte_tekst_wordt_geen_markdown() -> None:
    from ui.gesprek import md

    assert md("**vet** [link](http://x) cm@regio.nl $x$ :red[rood] 1. punt") == (
        r"\*\*vet\*\* \[link\]\(http\://x\) cm\@regio\.nl \$x\$ \:red\[rood\] 1\. punt"
    )
