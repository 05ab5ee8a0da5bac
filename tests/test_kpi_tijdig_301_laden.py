"""tijdig_301 through the loader: referentie_aanbieder is optional in a CSV extract, and the raw
XML path fills it from the message (iJw/iWmo 3.2: AangevraagdProduct/ReferentieAanbieder in a
315, Antwoord/ReferentieAanbieder in a 319, ToegewezenProduct/ReferentieAanbieder in a 301)."""

from pathlib import Path

from kpi.berekening import bereken
from tests.conftest import (
    BERICHT_KOLOMMEN,
    REFERENTIE_BERICHTEN,
    bericht,
    bsn,
    laad,
    rijen,
    schrijf_extract,
)
from tests.kpi_fixtures import golden, verwacht


@golden("tijdig_301")
def test_csv_zonder_kolom_referentie_aanbieder(tmp_path: Path) -> None:
    assert "referentie_aanbieder" not in BERICHT_KOLOMMEN  # the extract has no such column
    client = {"bsn": bsn(1)}
    # a 315 on Mon 6-3-2023, answered by a 319 without referentie on Wed 8-3 (2 werkdagen):
    # on time; a 315 of another client on Mon 6-3, answered by a 301 on Tue 14-3 (the 6th
    # werkdag, due Mon 13-3): late
    berichten = [
        bericht(bericht_type="JW315", dagtekening="2023-03-06", ingangsdatum="2023-03-20", **client),
        bericht(bericht_type="JW319", dagtekening="2023-03-08", verzoek_antwoord="1",
                product_categorie="", product_code="", **client),
        bericht(bericht_type="JW315", dagtekening="2023-03-06", ingangsdatum="2023-03-20",
                bsn=bsn(2)),
        bericht(bericht_type="JW301", dagtekening="2023-03-14", toewijzingnummer="T2",
                ingangsdatum="2023-03-20", bsn=bsn(2)),
        # a later message, so that the peildatum lies past both deadlines
        bericht(bericht_type="JW301", dagtekening="2023-06-30", toewijzingnummer="T3",
                ingangsdatum="2023-07-01", bsn=bsn(3)),
    ]  # fmt: skip
    con = laad(schrijf_extract(tmp_path / "extract", berichten))
    assert rijen(con, "select count(*) from quarantaine where ernst = 'fout'") == [(0,)]
    assert rijen(con, "select count(*) from berichten where referentie_aanbieder is null") == [(5,)]
    uit = bereken(con, "2023-Q1", kpis=["tijdig_301"])
    verwacht(uit, "tijdig_301", [{"waarde": "0.5", "teller": 1, "noemer": 2, "voorlopig": False}])


@golden("tijdig_301")
def test_xml_315_en_319_via_referentie(tmp_path: Path) -> None:
    # The published WMO315 (Sat 15-7-2023, aanbieder 42420001, gemeente 0384, two lines with
    # referentie 42420001 and 42420002) and the WMO319 made its answer to the first line:
    # sent to 42420001 with ReferentieAanbieder 42420001 on Tue 18-7 (2 werkdagen later).
    x = tmp_path / "extract"
    schrijf_extract(x, [bericht(bericht_type="JW301", dagtekening="2023-08-31",
                                toewijzingnummer="T9", ingangsdatum="2023-09-01")])  # fmt: skip
    (x / "xml").mkdir()
    wmo = REFERENTIE_BERICHTEN / "wmo"
    (x / "xml" / "WMO315.xml").write_bytes((wmo / "WMO315.xml").read_bytes())
    antwoord = (wmo / "WMO319.xml").read_text(encoding="utf-8")
    for oud, nieuw in (
        ("<wmo319:Ontvanger>65656055<", "<wmo319:Ontvanger>42420001<"),
        ("<wmo319:ReferentieAanbieder>9003<", "<wmo319:ReferentieAanbieder>42420001<"),
        ("<iwmo:Dagtekening>2023-04-02<", "<iwmo:Dagtekening>2023-07-18<"),
    ):
        assert oud in antwoord
        antwoord = antwoord.replace(oud, nieuw)
    (x / "xml" / "WMO319.xml").write_text(antwoord, encoding="utf-8")
    con = laad(x)
    assert rijen(
        con,
        "select berichtsoort, referentie_aanbieder from berichten "
        "where bron_bestand like 'xml/%' order by berichtsoort, referentie_aanbieder",
    ) == [("315", "42420001"), ("315", "42420002"), ("319", "42420001")]
    uit = bereken(con, "2023-07", kpis=["tijdig_301"])
    # the first line answered in 2 werkdagen, the second never (deadline Fri 21-7 has passed)
    verwacht(uit, "tijdig_301", [{"waarde": "0.5", "teller": 1, "noemer": 2}])
