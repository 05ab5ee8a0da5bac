"""Derivation rules: messages → toewijzingen → zorgperiodes → zorgtrajecten → zorgepisodes.

Each test builds a few messages by hand; the expected dates are worked out in the comments.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import AANBIEDER_A, AANBIEDER_B, bericht, bsn, laad, rijen, schrijf_extract

D = date.fromisoformat


def t301(nr: str, ingang: str, eind: str = "", dag: str | None = None, **kw: str) -> dict[str, str]:
    return bericht(
        bericht_type="JW301",
        toewijzingnummer=nr,
        ingangsdatum=ingang,
        einddatum=eind,
        dagtekening=dag or ingang,
        **kw,
    )


def t305(nr: str, begin: str, dag: str | None = None, **kw: str) -> dict[str, str]:
    return bericht(
        bericht_type="JW305", toewijzingnummer=nr, begindatum=begin, dagtekening=dag or begin, **kw
    )


def t307(
    nr: str, begin: str, eind: str, reden: str = "31", dag: str | None = None, **kw: str
) -> dict[str, str]:
    return bericht(
        bericht_type="JW307",
        toewijzingnummer=nr,
        begindatum=begin,
        einddatum_zorg=eind,
        reden_beeindiging=reden,
        dagtekening=dag or eind,
        **kw,
    )


def trajecten(con) -> list[tuple]:
    return rijen(
        con,
        "select aanbieder, segment, subsegment, begindatum, einddatum_zorg, einddatum, "
        "reden_beeindiging, aantal_periodes from zorgtrajecten order by begindatum",
    )


def test_conversie_1_juli_2022_is_een_zorgtraject(tmp_path: Path) -> None:
    # Old code 54001 from 3-3-2022, converted: 301 reden 10 ends it on 30-6-2022, 307 reden 36;
    # new code 54Z01 (same sub-segment) from 1-7-2022 with a 305 on 1-7-2022, still running.
    berichten = [
        t301("T1", "2022-03-01", "2022-12-31", product_code="54001"),
        t305("T1", "2022-03-03", product_code="54001"),
        t301(
            "T1",
            "2022-03-01",
            "2022-06-30",
            dag="2022-06-20",
            reden_wijziging="10",
            product_code="54001",
        ),
        t307("T1", "2022-03-03", "2022-06-30", reden="36", dag="2022-07-01", product_code="54001"),
        t301("T2", "2022-07-01", "2023-06-30", dag="2022-06-20"),
        t305("T2", "2022-07-01", dag="2022-07-04"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    # one zorgtraject from 3-3-2022, open (no 307 on its last period), capped at 30-6-2023
    assert trajecten(con) == [
        (AANBIEDER_A, "IAJ", "Jeugd Basis", D("2022-03-03"), None, D("2023-06-30"), None, 2)
    ]
    assert rijen(con, "select count(*) from zorgepisodes") == [(1,)]
    # the latest 301 of T1 (reden 10) set its einddatum
    assert rijen(
        con,
        "select einddatum, reden_wijziging, aantal_301 from toewijzingen where toewijzingnummer = 'T1'",
    ) == [(D("2022-06-30"), "10", 2)]


def test_verlenging_met_nieuwe_301_verlengt_de_periode(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-03-31"),
        t305("T1", "2023-01-02"),
        t301("T1", "2023-01-01", "2023-06-30", dag="2023-03-15", reden_wijziging="04"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    # no 307: care runs on to the (extended) toewijzing einddatum 30-6-2023
    assert rijen(con, "select begindatum, einddatum_zorg, einddatum from zorgperiodes") == [
        (D("2023-01-02"), None, D("2023-06-30"))
    ]


def test_verlenging_met_aansluitende_toewijzing_is_een_traject(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-03-31"),
        t305("T1", "2023-01-01"),
        t307("T1", "2023-01-01", "2023-03-31", reden="36"),
        t301("T2", "2023-04-01", "2023-09-30", dag="2023-03-20"),  # begins the day after
        t305("T2", "2023-04-01"),
        t307("T2", "2023-04-01", "2023-08-15"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert trajecten(con) == [
        (
            AANBIEDER_A,
            "IAJ",
            "Jeugd Basis",
            D("2023-01-01"),
            D("2023-08-15"),
            D("2023-08-15"),
            "31",
            2,
        )
    ]
    assert rijen(con, "select reden_groep from zorgtrajecten") == [("volgens_plan",)]


def test_gat_van_een_dag_geeft_twee_trajecten(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-03-31"),
        t305("T1", "2023-01-01"),
        t307("T1", "2023-01-01", "2023-03-31"),
        t301("T2", "2023-04-02", "2023-09-30"),  # 1 April is a day without care
        t305("T2", "2023-04-02"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert [(r[3], r[4]) for r in trajecten(con)] == [
        (D("2023-01-01"), D("2023-03-31")),
        (D("2023-04-02"), None),
    ]


def test_status_3_annuleert_de_start(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t305("T1", "2023-01-05", status_aanlevering="1"),
        t305("T1", "2023-01-05", dag="2023-01-10", status_aanlevering="3"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select count(*) from zorgperiodes") == [(0,)]
    assert rijen(con, "select count(*) from start_stop") == [(0,)]


def test_status_3_dan_nieuwe_start(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t305("T1", "2023-01-05", status_aanlevering="1"),
        t305("T1", "2023-01-05", dag="2023-01-10", status_aanlevering="3"),
        t305("T1", "2023-01-09", dag="2023-01-11", status_aanlevering="1"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select begindatum, start_dagtekening from zorgperiodes") == [
        (D("2023-01-09"), D("2023-01-11"))
    ]


def test_status_2_vervangt(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t305("T1", "2023-01-01"),
        t307("T1", "2023-01-01", "2023-05-31", dag="2023-06-02"),
        t307("T1", "2023-01-01", "2023-04-30", dag="2023-06-05", status_aanlevering="2"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select einddatum_zorg, einddatum from zorgperiodes") == [
        (D("2023-04-30"), D("2023-04-30"))
    ]


def test_terugval_zonder_toewijzingnummer(tmp_path: Path) -> None:
    # The 305 carries no toewijzingnummer: linked by client, gemeente, aanbieder, product and
    # toewijzing ingangsdatum. A second 305 with another ingangsdatum finds nothing.
    berichten = [
        t301("T1", "2023-02-01", "2023-12-31"),
        bericht(
            bericht_type="JW305",
            ingangsdatum="2023-02-01",
            begindatum="2023-02-06",
            dagtekening="2023-02-07",
        ),
        bericht(
            bericht_type="JW305",
            ingangsdatum="2023-03-01",
            begindatum="2023-03-06",
            dagtekening="2023-03-07",
        ),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(
        con, "select toewijzingnummer, koppeling, begindatum from start_stop order by begindatum"
    ) == [
        ("T1", "terugval", D("2023-02-06")),
        (None, "geen", D("2023-03-06")),
    ]
    assert rijen(con, "select toewijzingnummer, begindatum from zorgperiodes") == [
        ("T1", D("2023-02-06"))
    ]


def test_zorg_nooit_na_einde_toewijzing(tmp_path: Path) -> None:
    # Without 307: capped at the toewijzing einddatum, and the trajectory stays without end
    # (no uitstroom). With a 307 after the einddatum: capped too, but it did stop.
    berichten = [
        t301("T1", "2023-01-01", "2023-03-31"),
        t305("T1", "2023-01-01"),
        t301("T2", "2023-01-01", "2023-03-31", bsn=bsn(2)),
        t305("T2", "2023-01-01", bsn=bsn(2)),
        t307("T2", "2023-01-01", "2023-04-30", bsn=bsn(2)),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(
        con, "select toewijzingnummer, einddatum_zorg, einddatum from zorgperiodes order by 1"
    ) == [("T1", None, D("2023-03-31")), ("T2", D("2023-04-30"), D("2023-03-31"))]
    assert rijen(
        con,
        "select einddatum_zorg, einddatum from zorgtrajecten order by einddatum_zorg nulls first",
    ) == [
        (None, D("2023-03-31")),
        (D("2023-03-31"), D("2023-03-31")),
    ]


def test_overlappende_toewijzingen_tellen_een_keer(tmp_path: Path) -> None:
    # T1 1-1..30-6-2023 and T2 1-3..30-9-2023 in the same sub-segment: one interval
    # 1-1..30-9-2023 = 31+28+31+30+31+30+31+31+30 = 273 care days, not 181 + 214 = 395.
    berichten = [
        t301("T1", "2023-01-01", "2023-06-30"),
        t305("T1", "2023-01-01"),
        t307("T1", "2023-01-01", "2023-06-30"),
        t301("T2", "2023-03-01", "2023-09-30"),
        t305("T2", "2023-03-01"),
        t307("T2", "2023-03-01", "2023-09-30"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(
        con, "select begindatum, einddatum, einddatum - begindatum + 1 from zorgintervallen"
    ) == [(D("2023-01-01"), D("2023-09-30"), 273)]
    assert rijen(con, "select count(*) from zorgtrajecten") == [(1,)]


def test_307_voor_de_305(tmp_path: Path) -> None:
    # Stop dated before the start: the period is invalid, no zorgtraject.
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t305("T1", "2023-03-01"),
        t307("T1", "2023-01-15", "2023-02-01"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select geldig, ongeldig_reden from zorgperiodes") == [
        (False, "stop voor start")
    ]
    assert rijen(con, "select count(*) from zorgtrajecten") == [(0,)]


def test_307_eerder_verzonden_dan_305(tmp_path: Path) -> None:
    # The stop message arrives (dagtekening) before the start message: order does not matter.
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t307("T1", "2023-01-02", "2023-02-28", dag="2023-03-01"),
        t305("T1", "2023-01-02", dag="2023-03-10"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select begindatum, einddatum, geldig from zorgperiodes") == [
        (D("2023-01-02"), D("2023-02-28"), True)
    ]


def test_verwijderde_toewijzing_geeft_geen_zorg(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-12-31"),
        t305("T1", "2023-01-01"),
        t301("T1", "2023-01-01", "2023-01-01", dag="2023-01-20", reden_wijziging="13"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select verwijderd from toewijzingen") == [(True,)]
    assert rijen(con, "select count(*) from zorgperiodes") == [(0,)]


def test_laatste_301_op_dagtekening_en_berichtnummer(tmp_path: Path) -> None:
    # Same dagtekening: bericht_id 10 is later than 9 (numeric order, not text order).
    berichten = [
        t301("T1", "2023-01-01", "2023-06-30", dag="2023-01-01", bericht_id="10"),
        t301("T1", "2023-01-01", "2023-03-31", dag="2023-01-01", bericht_id="9"),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select einddatum from toewijzingen") == [(D("2023-06-30"),)]


def test_episode_over_segmenten_en_aanbieders(tmp_path: Path) -> None:
    # IAJ at A until 31-3, seamless GWV at B from 1-4: two zorgtrajecten, one zorgepisode,
    # attributed to the trajectory that ends last (B, GWV, Verblijf Groep).
    berichten = [
        t301("T1", "2023-01-01", "2023-03-31"),
        t305("T1", "2023-01-01"),
        t307("T1", "2023-01-01", "2023-03-31", reden="38"),
        t301(
            "T2",
            "2023-04-01",
            "2023-12-31",
            aanbieder=AANBIEDER_B,
            product_code="43Z01",
            product_categorie="43",
        ),
        t305(
            "T2", "2023-04-01", aanbieder=AANBIEDER_B, product_code="43Z01", product_categorie="43"
        ),
        t307(
            "T2",
            "2023-04-01",
            "2023-10-31",
            reden="32",
            aanbieder=AANBIEDER_B,
            product_code="43Z01",
            product_categorie="43",
        ),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select count(*) from zorgtrajecten") == [(2,)]
    assert rijen(
        con,
        "select aanbieder, segment, subsegment, begindatum, einddatum_zorg, reden_beeindiging, "
        "reden_groep, aantal_trajecten from zorgepisodes",
    ) == [
        (
            AANBIEDER_B,
            "GWV",
            "Verblijf Groep",
            D("2023-01-01"),
            D("2023-10-31"),
            "32",
            "voortijdig",
            2,
        )
    ]


def test_andere_client_andere_trajecten(tmp_path: Path) -> None:
    berichten = [
        t301("T1", "2023-01-01", "2023-06-30"),
        t305("T1", "2023-01-01"),
        t301("T2", "2023-01-01", "2023-06-30", bsn=bsn(2)),
        t305("T2", "2023-01-01", bsn=bsn(2)),
    ]
    con = laad(schrijf_extract(tmp_path / "x", berichten))
    assert rijen(con, "select count(distinct client_id), count(*) from zorgtrajecten") == [(2, 2)]
