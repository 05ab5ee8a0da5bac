"""Tests for warehouse.xml_berichten on the published iJw/iWmo 3.2 example messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datacontract import kolommen
from warehouse import xml_berichten
from warehouse.xml_berichten import (
    XmlResultaat,
    parse_bericht,
    parse_bestand,
    standaard_xsd_dir,
)

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "istandaarden"
BERICHTEN = REF / "berichten"
XSD = REF / "xsd"

# Validate with and without the XSDs: structural parsing must give the same rows.
XSD_MODI = pytest.mark.parametrize("xsd_dir", [XSD, None], ids=["xsd", "structureel"])


def voorbeeld(naam: str) -> bytes:
    sub = "jw" if naam.startswith("JW") else "wmo"
    return (BERICHTEN / sub / f"{naam}.xml").read_bytes()


def ok(res: XmlResultaat) -> list[dict[str, str | None]]:
    assert res.fout is None, res.fout
    assert res.ernst is None
    assert res.kolom is None
    for rij in res.rows:
        assert tuple(rij) == kolommen.BERICHTEN.namen
        assert all(v is None or isinstance(v, str) for v in rij.values())
    return res.rows


def velden(rij: dict[str, str | None]) -> dict[str, str]:
    """The filled fields of a row."""
    return {k: v for k, v in rij.items() if v is not None}


# --- KPI message types: rows read by hand from the example files -------------------------------

JW301_BASIS = {
    "bericht_type": "JW301",
    "bericht_id": "123456789012",
    "dagtekening": "2026-04-01",
    "gemeente": "0384",
    "aanbieder": "42420001",
    "bsn": "999900006",
    "geboortedatum": "2010-02-14",
    "product_categorie": "55",
    "ingangsdatum": "2026-04-01",
}


@XSD_MODI
def test_jw301(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("JW301"), xsd_dir))
    assert [velden(r) for r in rows] == [
        JW301_BASIS
        | {
            "toewijzingnummer": "300201",
            "referentie_aanbieder": "40A12341234",
            "product_code": "55A11",
            "einddatum": "2026-07-14",
        },
        JW301_BASIS
        | {
            "toewijzingnummer": "300202",
            "referentie_aanbieder": "40A12341235",
            "product_code": "55A12",
            "einddatum": "2026-07-19",
        },
    ]
    assert parse_bericht(voorbeeld("JW301"), xsd_dir).bericht_type == "JW301"


@XSD_MODI
def test_jw305(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("JW305"), xsd_dir))
    basis = {
        "bericht_type": "JW305",
        "bericht_id": "123456789012",
        "dagtekening": "2026-04-15",
        "gemeente": "0363",
        "aanbieder": "65656055",
        "bsn": "999900006",
        "geboortedatum": "2010-02-14",
        "product_categorie": "55",
        "ingangsdatum": "2026-04-01",
        "status_aanlevering": "1",
    }
    assert [velden(r) for r in rows] == [
        basis | {"toewijzingnummer": "300201", "product_code": "55A11", "begindatum": "2026-04-03"},
        basis | {"toewijzingnummer": "300202", "product_code": "55A12", "begindatum": "2026-04-15"},
    ]


@XSD_MODI
def test_jw307(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("JW307"), xsd_dir))
    basis = {
        "bericht_type": "JW307",
        "bericht_id": "123456789012",
        "dagtekening": "2026-07-20",
        "gemeente": "0363",
        "aanbieder": "65656055",
        "bsn": "999900006",
        "geboortedatum": "2010-02-14",
        "product_categorie": "55",
        "ingangsdatum": "2026-04-01",
        "einddatum_zorg": "2026-07-17",
        "reden_beeindiging": "31",
        "status_aanlevering": "1",
    }
    assert [velden(r) for r in rows] == [
        basis | {"toewijzingnummer": "300201", "product_code": "55A11", "begindatum": "2026-04-03"},
        basis | {"toewijzingnummer": "300202", "product_code": "55A12", "begindatum": "2026-04-15"},
    ]


def test_jw315_ongeldige_datum_met_xsd_is_fout() -> None:
    res = parse_bericht(voorbeeld("JW315"), XSD)
    assert res.ernst == "fout"
    assert res.rows == []
    assert res.bericht_type == "JW315"
    assert res.kolom == "ToewijzingEinddatum"
    assert (res.fout, res.regel) == (
        "XSD-fout in JW315: AangevraagdProduct/ToewijzingEinddatum: "
        "geen geldige waarde voor type LDT_Datum",
        44,
    )
    # the value is not in the reason; the product lines as read without the XSD carry it
    assert "2027-06-31" not in res.fout
    assert [r["einddatum"] for r in res.ruwe_rijen] == ["2027-06-31", "2027-06-31"]


def test_jw315_zonder_xsd_geeft_ruwe_datum_door() -> None:
    # Without XSDs the invalid date passes as a raw string; the loader's date rule quarantines it.
    rows = ok(parse_bericht(voorbeeld("JW315"), None))
    basis = {
        "bericht_type": "JW315",
        "bericht_id": "123456789012",
        "dagtekening": "2026-04-01",
        "gemeente": "0384",
        "aanbieder": "42420001",
        "bsn": "999900006",
        "geboortedatum": "2010-02-14",
        "product_categorie": "55",
        "ingangsdatum": "2026-04-01",
        "einddatum": "2027-06-31",
    }
    assert [velden(r) for r in rows] == [
        basis | {"referentie_aanbieder": "40A12341234", "product_code": "55A11"},
        basis | {"referentie_aanbieder": "40A12341235", "product_code": "55A12"},
    ]


@XSD_MODI
def test_jw317_einde_voor_ingang_wordt_doorgegeven(xsd_dir: Path | None) -> None:
    # Schema-valid; the Einddatum before GewensteIngangsdatum is left to the loader's row rules.
    rows = ok(parse_bericht(voorbeeld("JW317"), xsd_dir))
    assert [velden(r) for r in rows] == [
        {
            "bericht_type": "JW317",
            "bericht_id": "987654321",
            "dagtekening": "2026-01-02",
            "gemeente": "0384",
            "aanbieder": "65656055",
            "bsn": "999900006",
            "referentie_aanbieder": "9003",
            "product_categorie": "45",
            "product_code": "45A03",
            "ingangsdatum": "2026-11-01",
            "einddatum": "2024-02-28",
        }
    ]


@XSD_MODI
def test_jw319(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("JW319"), xsd_dir))
    assert [velden(r) for r in rows] == [
        {
            "bericht_type": "JW319",
            "bericht_id": "876543219",
            "dagtekening": "2026-04-01",
            "gemeente": "0384",
            "aanbieder": "65656055",
            "referentie_aanbieder": "9003",
            "verzoek_antwoord": "1",
        }
    ]
    assert rows[0]["bsn"] is None


@XSD_MODI
def test_wmo301(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("WMO301"), xsd_dir))
    assert [velden(r) for r in rows] == [
        {
            "bericht_type": "WMO301",
            "bericht_id": "123456789012",
            "dagtekening": "2023-08-13",
            "gemeente": "0384",
            "aanbieder": "42420001",
            "bsn": "999900006",
            "geboortedatum": "1967-08-13",
            "toewijzingnummer": "101",
            "referentie_aanbieder": "42420002",
            "product_categorie": "01",
            "product_code": "01A01",
            "ingangsdatum": "2023-01-01",
            "einddatum": "2023-12-31",
        }
    ]


@XSD_MODI
def test_wmo305(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("WMO305"), xsd_dir))
    basis = {
        "bericht_type": "WMO305",
        "bericht_id": "123456789013",
        "dagtekening": "2025-04-05",
        "gemeente": "0363",
        "aanbieder": "65656055",
        "bsn": "999900006",
        "geboortedatum": "1967-08-13",
        "product_categorie": "01",
        "ingangsdatum": "2025-04-01",
        "status_aanlevering": "1",
    }
    assert [velden(r) for r in rows] == [
        basis | {"toewijzingnummer": "300201", "product_code": "01A11", "begindatum": "2025-04-03"},
        basis | {"toewijzingnummer": "300202", "product_code": "01A12", "begindatum": "2025-04-04"},
    ]


@XSD_MODI
def test_wmo307(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("WMO307"), xsd_dir))
    basis = {
        "bericht_type": "WMO307",
        "bericht_id": "123456789014",
        "dagtekening": "2025-07-21",
        "gemeente": "0363",
        "aanbieder": "65656055",
        "bsn": "999900006",
        "geboortedatum": "1967-08-13",
        "product_categorie": "01",
        "ingangsdatum": "2025-04-01",
        "einddatum_zorg": "2025-07-18",
        "reden_beeindiging": "31",
        "status_aanlevering": "1",
    }
    assert [velden(r) for r in rows] == [
        basis | {"toewijzingnummer": "300201", "product_code": "01A11", "begindatum": "2025-04-03"},
        basis | {"toewijzingnummer": "300202", "product_code": "01A12", "begindatum": "2025-04-15"},
    ]


@XSD_MODI
def test_wmo315(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("WMO315"), xsd_dir))
    basis = {
        "bericht_type": "WMO315",
        "bericht_id": "123456789012",
        "dagtekening": "2023-07-15",
        "gemeente": "0384",
        "aanbieder": "42420001",
        "bsn": "999900006",
        "geboortedatum": "1972-07-16",
        "ingangsdatum": "2023-06-01",
        "einddatum": "2023-06-30",
    }
    assert [velden(r) for r in rows] == [
        basis
        | {"referentie_aanbieder": "42420001", "product_categorie": "01", "product_code": "ABCDE"},
        basis
        | {"referentie_aanbieder": "42420002", "product_categorie": "02", "product_code": "BCDEF"},
    ]


@XSD_MODI
def test_wmo317(xsd_dir: Path | None) -> None:
    # OngewijzigdProduct 10071 gives no row; TeWijzigenProduct and NieuwProduct one each.
    rows = ok(parse_bericht(voorbeeld("WMO317"), xsd_dir))
    basis = {
        "bericht_type": "WMO317",
        "bericht_id": "987654321",
        "dagtekening": "2023-04-02",
        "gemeente": "0384",
        "aanbieder": "65656055",
        "bsn": "999900006",
        "referentie_aanbieder": "9003",
        "ingangsdatum": "2023-04-02",
        "einddatum": "2023-12-31",
    }
    assert [velden(r) for r in rows] == [
        basis | {"toewijzingnummer": "10072"},
        basis | {"product_categorie": "01", "product_code": "01A12"},
    ]


@XSD_MODI
def test_wmo319(xsd_dir: Path | None) -> None:
    rows = ok(parse_bericht(voorbeeld("WMO319"), xsd_dir))
    assert [velden(r) for r in rows] == [
        {
            "bericht_type": "WMO319",
            "bericht_id": "876543219",
            "dagtekening": "2023-04-02",
            "gemeente": "0384",
            "aanbieder": "65656055",
            "referentie_aanbieder": "9003",
            "verzoek_antwoord": "1",
        }
    ]


# --- other message types and known-bad examples -------------------------------------------------


@XSD_MODI
@pytest.mark.parametrize(
    ("naam", "omschrijving"),
    [
        ("JW302", "retour toewijzing"),
        ("JW306", "retour start zorg"),
        ("JW308", "retour stop zorg"),
        ("JW316", "retour verzoek om toewijzing"),
        ("JW320", "retour antwoord op verzoek"),
        ("JW323", "declaratie"),
        ("JW325", "retour declaratie"),
        ("WMO323", "declaratie"),
    ],
)
def test_overige_soorten_genegeerd(naam: str, omschrijving: str, xsd_dir: Path | None) -> None:
    res = parse_bericht(voorbeeld(naam), xsd_dir)
    assert res.ernst == "genegeerd"
    assert res.rows == []
    assert res.bericht_type == naam
    assert res.fout == f"berichtsoort {naam} ({omschrijving}) wordt niet gebruikt voor de KPI's"


def test_jw318_element_buiten_volgorde_is_xsd_fout() -> None:
    res = parse_bericht(voorbeeld("JW318"), XSD)
    assert res.ernst == "fout"
    assert res.rows == []
    assert res.bericht_type == "JW318"
    assert res.kolom == "RetourCode"
    assert res.regel == 33
    assert res.fout == (
        "XSD-fout in JW318: Verzoek/RetourCode: element niet verwacht; verwacht: "
        "OngewijzigdeProducten, TeWijzigenProducten, NieuweProducten, RetourCodes"
    )


def test_jw318_zonder_xsd_genegeerd() -> None:
    res = parse_bericht(voorbeeld("JW318"), None)
    assert res.ernst == "genegeerd"


def test_alle_voorbeelden_gedekt() -> None:
    """Every published example is covered by the tests above (guards against new files)."""
    namen = {p.stem for p in BERICHTEN.glob("*/*.xml")}
    assert namen == {
        *(f"JW{n}" for n in (301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325)),
        *(f"WMO{n}" for n in (301, 305, 307, 315, 317, 319, 323)),
    }


# --- faults -----------------------------------------------------------------------------------


@XSD_MODI
def test_niet_well_formed(xsd_dir: Path | None) -> None:
    data = voorbeeld("JW301")
    res = parse_bericht(data[: len(data) // 2], xsd_dir)
    assert res.ernst == "fout"
    assert res.rows == []
    assert res.fout is not None and "geen geldige XML" in res.fout


@pytest.mark.parametrize("data", [b"", b"   \n"])
def test_leeg_bestand(data: bytes) -> None:
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.fout is not None and "leeg" in res.fout


@XSD_MODI
def test_verkeerde_berichtcode(xsd_dir: Path | None) -> None:
    data = voorbeeld("JW301").replace(b">436</jw301:BerichtCode>", b">437</jw301:BerichtCode>")
    res = parse_bericht(data, xsd_dir)
    assert res.ernst == "fout"
    assert res.kolom == "BerichtCode"
    assert res.bericht_type == "JW301"
    assert res.fout == "BerichtCode 437 past niet bij berichtsoort JW301 (verwacht Vektis-code 436)"


def test_verkeerde_berichtcode_wmo() -> None:
    data = voorbeeld("WMO305").replace(b">418<", b">438<")
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.fout is not None and "verwacht Vektis-code 418" in res.fout


@XSD_MODI
def test_onbekende_namespace(xsd_dir: Path | None) -> None:
    data = voorbeeld("JW301").replace(
        b"http://www.istandaarden.nl/ijw/3_2/jw301/schema", b"http://example.org/bericht"
    )
    res = parse_bericht(data, xsd_dir)
    assert res.ernst == "fout"
    assert res.bericht_type is None
    assert res.fout is not None
    # the namespace is the message's own text: beside the reason, not in it
    assert res.fout.startswith("onbekend bericht: root-element 'Bericht' met een namespace")
    assert res.waarde == "http://example.org/bericht"


def test_geen_namespace() -> None:
    res = parse_bericht(b"<Bericht><Header/></Bericht>")
    assert res.ernst == "fout"
    assert res.fout is not None and "zonder namespace" in res.fout


def test_andere_release_niet_ondersteund() -> None:
    data = voorbeeld("JW301").replace(b"/ijw/3_2/jw301/", b"/ijw/3_1/jw301/")
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.fout is not None and "3.1" in res.fout and "3.2" in res.fout


def test_wmo_soort_zonder_bekende_berichtcode() -> None:
    data = voorbeeld("WMO305").replace(b"wmo305", b"wmo306")
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.bericht_type == "WMO306"
    assert res.fout is not None and "niet ondersteund" in res.fout


def test_ander_root_element() -> None:
    data = voorbeeld("JW301").replace(b"jw301:Bericht", b"jw301:Berichten")
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.kolom == "Berichten"


def test_header_ontbreekt() -> None:
    data = re.sub(rb"<jw301:Header>.*</jw301:Header>", b"", voorbeeld("JW301"), flags=re.S)
    res = parse_bericht(data)
    assert res.ernst == "fout"
    assert res.kolom == "Header"


def test_301_zonder_productregels_zonder_xsd() -> None:
    data = re.sub(
        rb"<jw301:ToegewezenProducten>.*</jw301:ToegewezenProducten>",
        b"",
        voorbeeld("JW301"),
        flags=re.S,
    )
    res = parse_bericht(data, None)
    assert res.ernst == "fout"
    assert res.kolom == "ToegewezenProduct"
    assert res.fout == "JW301 bevat geen productregels (ToegewezenProduct)"
    # With the XSD the same message is a schema fault.
    met_xsd = parse_bericht(data, XSD)
    assert met_xsd.ernst == "fout"
    assert met_xsd.fout is not None and met_xsd.fout.startswith("XSD-fout in JW301")


def test_doctype_geweigerd() -> None:
    data = voorbeeld("JW301").replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    )
    data = data.replace(b">999900006</jw301:Bsn>", b">&e;</jw301:Bsn>")
    for xsd_dir in (XSD, None):
        res = parse_bericht(data, xsd_dir)
        assert res.ernst == "fout"
        assert res.fout is not None and "DOCTYPE" in res.fout


def test_xsd_niet_gevonden(tmp_path: Path) -> None:
    res = parse_bericht(voorbeeld("JW301"), tmp_path)
    assert res.ernst == "fout"
    assert res.fout is not None and "niet gevonden" in res.fout and "jw/JW301.xsd" in res.fout


def test_parse_bestand(tmp_path: Path) -> None:
    res = parse_bestand(BERICHTEN / "jw" / "JW301.xml", XSD)
    assert res == parse_bericht(voorbeeld("JW301"), XSD)
    weg = parse_bestand(tmp_path / "bestaat-niet.xml")
    assert weg.ernst == "fout"
    assert weg.fout is not None and "kan niet worden gelezen" in weg.fout


# An XSD fault names the element and the rule in a fixed text, never the value: lxml's own
# message quotes it ("'16-05-2003' is not a valid value of ... LDT_Datum"), a date of birth, a
# phone number, BSN digits. (name, old text, new text, reason, column)
XSD_WAARDEN = [
    ("geboortedatum", b"<ijw:Datum>2010-02-14</ijw:Datum>", b"<ijw:Datum>16-05-2003</ijw:Datum>",
     "Geboortedatum/Datum: geen geldige waarde voor type LDT_Datum", "Datum"),
    ("telefoon", b">0201234567</ijw:Telefoonnummer>", b">020-1234567 of 06-12345678</ijw:Telefoonnummer>",
     "Telefoon01/Telefoonnummer: waarde langer dan 15 tekens", "Telefoonnummer"),
    ("bsn", b">999900006<", b">99990000<",
     "Client/Bsn: waarde past niet in het voorgeschreven patroon", "Bsn"),
    ("achternaam", b">Wit<", b">" + b"Wittebroodsweken" * 20 + b"<",
     "Geslachtsnaam/Achternaam: waarde langer dan 200 tekens", "Achternaam"),
    ("postcode", b">9999XX<", b">9999 XX Amsterdam<",
     "Adres/Postcode: waarde langer dan 8 tekens", "Postcode"),
    ("geslacht", b"<jw301:Geslacht>1</jw301:Geslacht>", b"<jw301:Geslacht>7</jw301:Geslacht>",
     "Client/Geslacht: waarde staat niet in de codelijst", "Geslacht"),
    ("eigen element", b"<jw301:Bsn>999900006</jw301:Bsn>",
     b"<jw301:Bsn>999900006</jw301:Bsn><jw301:Bsn999900006>1</jw301:Bsn999900006>",
     "Client/?: element niet verwacht; verwacht: Geboortedatum", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("oud", "nieuw", "reden", "kolom"),
    [x[1:] for x in XSD_WAARDEN],
    ids=[x[0] for x in XSD_WAARDEN],
)
def test_xsd_reden_noemt_element_en_regel_nooit_de_waarde(
    oud: bytes, nieuw: bytes, reden: str, kolom: str | None
) -> None:
    data = voorbeeld("JW301")
    assert oud in data
    res = parse_bericht(data.replace(oud, nieuw, 1), XSD)
    assert res.ernst == "fout"
    assert res.fout == f"XSD-fout in JW301: {reden}"
    assert res.kolom == kolom
    waarde = re.search(rb">([^<]*)<", nieuw)
    assert waarde is not None
    for deel in re.findall(r"[0-9A-Za-z-]{4,}", waarde.group(1).decode()):
        assert deel not in res.fout, deel
    assert "999900006" not in res.fout
    # the rows as read without the XSD, for the (pseudonymised) raw row in quarantine
    assert [r["toewijzingnummer"] for r in res.ruwe_rijen] == ["300201", "300202"]


def test_niet_well_formed_noemt_de_regel_niet_de_tekst() -> None:
    data = voorbeeld("JW301").replace(b"999900006</jw301:Bsn>", b"999900006</jw301:Bsn999900006>")
    res = parse_bericht(data, XSD)
    assert (res.fout, res.regel) == ("geen geldige XML (niet well-formed)", 19)


# --- variants ---------------------------------------------------------------------------------


@XSD_MODI
def test_305_zonder_toewijzingnummer(xsd_dir: Path | None) -> None:
    # The task-oriented variant omits ToewijzingNummer; it is optional in the XSD.
    data = re.sub(
        rb"\s*<jw305:ToewijzingNummer>\d+</jw305:ToewijzingNummer>", b"", voorbeeld("JW305")
    )
    assert b"ToewijzingNummer" not in data
    rows = ok(parse_bericht(data, xsd_dir))
    assert len(rows) == 2
    assert [r["toewijzingnummer"] for r in rows] == [None, None]
    assert [r["product_code"] for r in rows] == ["55A11", "55A12"]
    assert [r["ingangsdatum"] for r in rows] == ["2026-04-01", "2026-04-01"]


@XSD_MODI
def test_317_alleen_ongewijzigd_geeft_een_rij(xsd_dir: Path | None) -> None:
    data = re.sub(
        rb"<jw317:NieuweProducten>.*</jw317:NieuweProducten>", b"", voorbeeld("JW317"), flags=re.S
    )
    rows = ok(parse_bericht(data, xsd_dir))
    assert len(rows) == 1
    assert rows[0]["bsn"] == "999900006"
    assert rows[0]["referentie_aanbieder"] == "9003"
    assert rows[0]["toewijzingnummer"] is None
    assert rows[0]["product_code"] is None


@XSD_MODI
def test_onafhankelijk_van_prefix(xsd_dir: Path | None) -> None:
    origineel = parse_bericht(voorbeeld("JW301"), xsd_dir)
    # Default namespace for the message elements, another prefix for the basisschema.
    data = (
        voorbeeld("JW301")
        .replace(b"xmlns:jw301=", b"xmlns=")
        .replace(b"jw301:", b"")
        .replace(b"xmlns:ijw=", b"xmlns:b=")
        .replace(b"ijw:", b"b:")
    )
    assert b"jw301:" not in data and b"ijw:" not in data
    assert ok(parse_bericht(data, xsd_dir)) == origineel.rows


def test_voorloopnullen_en_witruimte_blijven_tekst() -> None:
    data = voorbeeld("WMO301").replace(b">0384<", b">\n\t0384 <")
    rij = ok(parse_bericht(data))[0]
    assert rij["gemeente"] == "0384"
    assert rij["product_categorie"] == "01"


def test_geen_persoonsgegevens_in_rijen() -> None:
    verboden_exact = {"Wit", "Tom", "Tim", "de", "van", "T", "W", "PR", "Peter R", "1"}
    verboden_deel = [
        "Wit",
        "Tom",
        "Tim",
        "Jansen",
        "Vries",
        "Galen",
        "Bakker",
        "Klaas",
        "Peter",
        "Meindert",
        "Mentor",
        "Dijkhof",
        "straat",
        "Amsterdam",
        "Arnhem",
        "9999XX",
        "@",
        "0201234567",
        "Commentaar",
        "Revalidatiecentrum",
        "huisarts",
        "Verwijzer",
    ]
    gezien = 0
    for pad in sorted(BERICHTEN.glob("*/*.xml")):
        for rij in parse_bestand(pad, None).rows:
            gezien += 1
            for kolom, waarde in rij.items():
                if waarde is None or kolom in {"status_aanlevering", "verzoek_antwoord"}:
                    continue
                assert waarde not in verboden_exact, (pad.name, kolom, waarde)
                for deel in verboden_deel:
                    assert deel not in waarde, (pad.name, kolom, waarde)
    assert gezien == 20


# --- XSD location and schema cache -------------------------------------------------------------


def test_standaard_xsd_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STOPLICHT_XSD_DIR", raising=False)
    assert standaard_xsd_dir() == XSD
    monkeypatch.setenv("STOPLICHT_XSD_DIR", str(tmp_path))
    assert standaard_xsd_dir() == tmp_path


def test_schemas_worden_gecached() -> None:
    parse_bericht(voorbeeld("JW305"), XSD)
    voor = xml_berichten._schema.cache_info()
    parse_bericht(voorbeeld("JW305"), XSD)
    na = xml_berichten._schema.cache_info()
    assert na.hits == voor.hits + 1
    assert na.misses == voor.misses
