"""Every validation rule: one bad row, the column and reason it must be quarantined with."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AANBIEDER_A, bericht, bsn, laad, rijen, schrijf_extract

GOED_301 = dict(
    bericht_type="JW301",
    toewijzingnummer="T1",
    dagtekening="2023-01-02",
    ingangsdatum="2023-01-02",
    einddatum="2023-06-30",
)
GOED_305 = dict(
    bericht_type="JW305", toewijzingnummer="T1", dagtekening="2023-01-10", begindatum="2023-01-09"
)
GOED_307 = dict(
    bericht_type="JW307",
    toewijzingnummer="T1",
    dagtekening="2023-05-03",
    begindatum="2023-01-09",
    einddatum_zorg="2023-05-01",
    reden_beeindiging="31",
)

# (name, the bad row, expected column, expected reason fragment)
REGELS = [
    ("onbekend berichttype", dict(GOED_301, bericht_type="JW999"), "bericht_type", "onbekend berichttype 'JW999'"),
    ("bsn ontbreekt", dict(GOED_301, bsn=""), "bsn", "verplicht veld ontbreekt"),
    ("bsn 8 cijfers", dict(GOED_301, bsn="12345678"), "bsn", "BSN heeft geen 9 cijfers"),
    ("bsn elfproef", dict(GOED_301, bsn="123456781"), "bsn", "BSN voldoet niet aan de elfproef"),
    ("bericht_id ontbreekt", dict(GOED_301, bericht_id=" "), "bericht_id", "verplicht veld ontbreekt"),
    ("dagtekening ontbreekt", dict(GOED_301, dagtekening=""), "dagtekening", "verplicht veld ontbreekt"),
    ("ongeldige datum", dict(GOED_301, dagtekening="2023-02-30"), "dagtekening", "ongeldige datum '2023-02-30'"),
    ("ongeldige NL datum", dict(GOED_301, ingangsdatum="31-06-2023"), "ingangsdatum", "ongeldige datum '31-06-2023'"),
    ("onmogelijke datum", dict(GOED_301, einddatum="2300-01-01"), "einddatum", "onmogelijke datum"),
    ("geen datum", dict(GOED_305, begindatum="gisteren"), "begindatum", "ongeldige datum 'gisteren'"),
    ("gemeente onbekend", dict(GOED_301, gemeente="9999"), "gemeente", "onbekende gemeentecode '9999'"),
    ("gemeente 3 cijfers", dict(GOED_301, gemeente="197"), "gemeente", "code moet 4 cijfers zijn"),
    ("agb 7 cijfers", dict(GOED_301, aanbieder="1234567"), "aanbieder", "code moet 8 cijfers zijn"),
    ("301 zonder toewijzingnummer", dict(GOED_301, toewijzingnummer=""), "toewijzingnummer", "verplicht veld ontbreekt in een 301"),
    ("301 zonder product", dict(GOED_301, product_code=""), "product_code", "verplicht veld ontbreekt in een 301"),
    ("301 zonder ingangsdatum", dict(GOED_301, ingangsdatum=""), "ingangsdatum", "verplicht veld ontbreekt in een 301"),
    ("305 zonder begindatum", dict(GOED_305, begindatum=""), "begindatum", "verplicht veld ontbreekt in een 305"),
    ("307 zonder einddatum zorg", dict(GOED_307, einddatum_zorg=""), "einddatum_zorg", "verplicht veld ontbreekt in een 307"),
    ("307 zonder reden", dict(GOED_307, reden_beeindiging=""), "reden_beeindiging", "verplicht veld ontbreekt in een 307"),
    ("product onbekend", dict(GOED_301, product_code="99X99"), "product_code", "onbekende productcode '99X99'"),
    ("product ander domein", dict(GOED_301, bericht_type="WMO301"), "product_code", "hoort bij een ander domein '54Z01 (jeugd)'"),
    ("einddatum voor ingangsdatum", dict(GOED_301, einddatum="2022-12-31"), "einddatum", "einddatum ligt voor de ingangsdatum"),
    ("stop voor start", dict(GOED_307, einddatum_zorg="2023-01-08"), "einddatum_zorg", "stop voor start"),
    ("reden onbekend", dict(GOED_307, reden_beeindiging="19"), "reden_beeindiging", "onbekende reden beëindiging '19'"),
    ("status onbekend", dict(GOED_305, status_aanlevering="9"), "status_aanlevering", "is niet 1, 2 of 3"),
    ("verzoek antwoord", dict(bericht_type="JW319", dagtekening="2023-01-02", verzoek_antwoord="5", product_code="", product_categorie=""), "verzoek_antwoord", "is niet 1 of 2"),
]  # fmt: skip


@pytest.mark.parametrize(("naam", "rij", "kolom", "reden"), REGELS, ids=[r[0] for r in REGELS])
def test_regel_zet_rij_in_quarantaine(
    tmp_path: Path, naam: str, rij: dict, kolom: str, reden: str
) -> None:
    goed = bericht(**GOED_301, bericht_id="100")
    con = laad(schrijf_extract(tmp_path / "x", [goed, bericht(**rij)]))
    q = rijen(con, "select bron_bestand, bron_regel, kolom, reden, waarde, ernst from quarantaine")
    assert len(q) == 1, q
    bestand, regel, q_kolom, q_reden, q_waarde, ernst = q[0]
    assert (bestand, regel, ernst) == ("berichten.csv", 3, "fout")  # line 3: header + good row
    assert q_kolom == kolom
    tekst = q_reden if q_waarde is None else f"{q_reden} '{q_waarde}'"
    assert reden in tekst
    if kolom == "bsn":
        assert q_waarde is None  # a BSN is never echoed
    # the good row is loaded, the bad one is not
    assert rijen(con, "select count(*) from berichten") == [(1,)]


def test_319_zonder_bsn_is_geldig(tmp_path: Path) -> None:
    rij = bericht(bericht_type="JW319", dagtekening="2023-01-02", bsn="", verzoek_antwoord="1")
    con = laad(schrijf_extract(tmp_path / "x", [rij]))
    assert rijen(con, "select count(*) from quarantaine") == [(0,)]
    assert rijen(con, "select berichtsoort, client_id, afzender from berichten") == [
        ("319", None, "0197")
    ]


def test_vektis_nummer_als_berichttype(tmp_path: Path) -> None:
    con = laad(schrijf_extract(tmp_path / "x", [bericht(**dict(GOED_301, bericht_type="436"))]))
    assert rijen(con, "select bericht_type, berichtsoort, domein from berichten") == [
        ("JW301", "301", "jeugd")
    ]


def test_aanbieder_niet_in_aanbieders(tmp_path: Path) -> None:
    aanbieders = [{"aanbieder": AANBIEDER_A, "naam": "Zorg A", "grootte": "klein"}]
    rij = bericht(**GOED_301, aanbieder="11111111")
    con = laad(schrijf_extract(tmp_path / "x", [rij], aanbieders=aanbieders))
    assert rijen(con, "select kolom, reden, waarde from quarantaine") == [
        ("aanbieder", "onbekende aanbieder (niet in aanbieders)", "11111111")
    ]


def test_dubbel_bericht_een_keer_geladen_en_geteld(tmp_path: Path) -> None:
    rij = bericht(**GOED_301, bericht_id="7")
    con = laad(schrijf_extract(tmp_path / "x", [rij, rij, rij]))
    assert rijen(con, "select count(*) from berichten") == [(1,)]
    q = rijen(con, "select bron_regel, ernst, reden, waarde from quarantaine order by bron_regel")
    assert q == [
        (3, "dubbel", "dubbel: al geladen", "eerder: berichten.csv regel 2"),
        (4, "dubbel", "dubbel: al geladen", "eerder: berichten.csv regel 2"),
    ]
    assert rijen(
        con,
        "select regels_in, geladen, dubbel, afgekeurd from laadverslag where tabel = ?",
        "berichten",
    ) == [(3, 1, 2, 0)]


def test_tegenstrijdig_dubbel_is_fout(tmp_path: Path) -> None:
    a = bericht(**GOED_301, bericht_id="7")
    b = dict(a, einddatum="2023-12-31")  # same message and product line, other content
    con = laad(schrijf_extract(tmp_path / "x", [a, b]))
    assert rijen(con, "select ernst, kolom from quarantaine") == [("fout", "bericht_id")]
    assert "tegenstrijdig" in rijen(con, "select reden from quarantaine")[0][0]


def test_quarantaine_bewaart_geen_bsn(tmp_path: Path) -> None:
    fout_bsn = "123456781"
    con = laad(schrijf_extract(tmp_path / "x", [bericht(**GOED_301, bsn=fout_bsn)]))
    (ruw,) = rijen(con, "select ruwe_regel from quarantaine")[0]
    assert fout_bsn not in ruw
    assert '"client_id"' in ruw


FINANCIEEL = [
    ("contracten", {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Onbekend", "geldig_van": "2022-07-01", "geldig_tot": "2023-06-30", "plekken": "10", "plekprijs": "1460"}, "subsegment", "onbekend subsegment"),
    ("contracten", {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Jeugd Basis", "geldig_van": "2023-07-01", "geldig_tot": "2023-06-30", "plekken": "10", "plekprijs": "1460"}, "geldig_tot", "geldig tot voor geldig van"),
    ("contracten", {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Jeugd Basis", "geldig_van": "2022-07-01", "geldig_tot": "2023-06-30", "plekken": "-1", "plekprijs": "1460"}, "plekken", "negatief"),
    ("contracten", {"aanbieder": AANBIEDER_A, "gemeente": "0197", "subsegment": "Jeugd Basis", "geldig_van": "2022-07-01", "geldig_tot": "2023-06-30", "plekken": "tien", "plekprijs": "1460"}, "plekken", "geen getal 'tien'"),
    ("voorschotten", {"aanbieder": AANBIEDER_A, "gemeente": "0197", "maand": "2023-01-15", "bedrag": "100"}, "maand", "eerste dag van de maand"),
    ("voorschotten", {"aanbieder": AANBIEDER_A, "gemeente": "9998", "maand": "2023-01-01", "bedrag": "100"}, "gemeente", "onbekende gemeentecode"),
    ("begroting", {"gemeente": "", "segment": "XYZ", "jaar": "2023", "begroot_bedrag": "1000"}, "segment", "onbekend segment"),
    ("begroting", {"gemeente": "", "segment": "IAJ", "jaar": "1899", "begroot_bedrag": "1000"}, "jaar", "onmogelijk jaar"),
    ("uitgaven", {"gemeente": "0197", "segment": "IAJ", "aanbieder": "", "boekdatum": "2023-13-01", "bedrag": "5"}, "boekdatum", "ongeldige datum"),
    ("uitgaven", {"gemeente": "0197", "segment": "IAJ", "aanbieder": "", "boekdatum": "2023-01-01", "bedrag": ""}, "bedrag", "verplicht veld ontbreekt"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tabel", "rij", "kolom", "reden"),
    FINANCIEEL,
    ids=[f"{t}-{k}-{r}" for t, _, k, r in FINANCIEEL],
)
def test_financiele_regels(tmp_path: Path, tabel: str, rij: dict, kolom: str, reden: str) -> None:
    con = laad(schrijf_extract(tmp_path / "x", [bericht(**GOED_301)], **{tabel: [rij]}))
    q = rijen(con, "select tabel, kolom, reden, waarde from quarantaine")
    assert len(q) == 1 and q[0][0] == tabel and q[0][1] == kolom, q
    assert reden in (q[0][2] if q[0][3] is None else f"{q[0][2]} '{q[0][3]}'"), q
    assert rijen(con, f"select count(*) from {tabel}") == [(0,)]


def test_nederlandse_bedragen_en_getallen(tmp_path: Path) -> None:
    contract = {"aanbieder": AANBIEDER_A, "gemeente": "1859", "subsegment": "Jeugd Basis", "geldig_van": "01-07-2022", "geldig_tot": "30-06-2023", "plekken": "45", "plekprijs": "€ 14.600,00"}  # fmt: skip
    con = laad(schrijf_extract(tmp_path / "x", [bericht(**GOED_301)], contracten=[contract]))
    assert rijen(con, "select plekken, plekprijs::varchar, segment, domein from contracten") == [
        (45.0, "14600.00", "IAJ", "jeugd")
    ]


def test_bsn_helper_geeft_geldige_nummers() -> None:
    # 123456782 is the worked example of elfproef.md; our helper yields 11-test-valid numbers too
    for n in (1, 2, 50):
        b = bsn(n)
        som = sum(int(c) * w for c, w in zip(b, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
        assert som % 11 == 0
