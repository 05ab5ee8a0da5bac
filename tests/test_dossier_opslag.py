"""The dossier store: history kept, nothing overwritten, bad input refused in Dutch, concurrent
writers all land, a warehouse load never touches it, backup and restore."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from dossier import Dossier, DossierFout, Gesprek, VersieConflict, dossier_pad
from dossier.cli import main as dossier_cli
from tests.conftest import AANBIEDER_A, AANBIEDER_B, REPO, bericht, schrijf_extract

VANDAAG = datetime(2024, 3, 15, 10, 0, tzinfo=UTC)
BINNENKORT = (date.today() + timedelta(days=30)).isoformat()  # a due date for the real clock
G2024 = Gesprek(AANBIEDER_A, "2024", date(2024, 1, 1), date(2024, 12, 31))


def klok(moment: datetime = VANDAAG):  # noqa: ANN201
    """A fixed clock, so 'today' and the recorded moments are known."""
    return lambda: moment


@pytest.fixture
def d(tmp_path: Path) -> Dossier:
    return Dossier(tmp_path / "dossier.sqlite", klok=klok())


def test_afspraak_bewaart_elke_versie_met_wie_en_wanneer(tmp_path: Path) -> None:
    pad = tmp_path / "dossier.sqlite"
    eerste = Dossier(pad, klok=klok(datetime(2024, 3, 15, 10, 0, tzinfo=UTC)))
    a = eerste.nieuwe_afspraak(
        G2024, "cm1@regio.nl", "Wachtlijst halveren", "aanbieder", "2024-06-30"
    )
    tweede = Dossier(pad, klok=klok(datetime(2024, 4, 2, 9, 30, tzinfo=UTC)))
    tweede.wijzig(a.id, "cm2@regio.nl", 1, tekst="Wachtlijst halveren voor 1 juli")
    derde = Dossier(pad, klok=klok(datetime(2024, 7, 1, 8, 0, tzinfo=UTC)))
    derde.wijzig(a.id, "cm1@regio.nl", 2, status="gedaan")

    versies = derde.geschiedenis(a.id)
    assert [(v.versie, v.door, v.tekst, v.status) for v in versies] == [
        (1, "cm1@regio.nl", "Wachtlijst halveren", "open"),
        (2, "cm2@regio.nl", "Wachtlijst halveren voor 1 juli", "open"),
        (3, "cm1@regio.nl", "Wachtlijst halveren voor 1 juli", "gedaan"),
    ]
    assert [v.op for v in versies] == [
        datetime(2024, 3, 15, 10, 0, tzinfo=UTC),
        datetime(2024, 4, 2, 9, 30, tzinfo=UTC),
        datetime(2024, 7, 1, 8, 0, tzinfo=UTC),
    ]
    # the item itself keeps who made it and when; reading gives the latest version
    nu = derde.item(a.id)
    assert (nu.versie, nu.status, nu.aangemaakt_door) == (3, "gedaan", "cm1@regio.nl")
    assert nu.aangemaakt_op == datetime(2024, 3, 15, 10, 0, tzinfo=UTC)
    assert [i.id for i in derde.items(aanbieder=AANBIEDER_A)] == [a.id]


def test_de_database_weigert_overschrijven_en_verwijderen(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    with sqlite3.connect(d.pad) as con:
        for sql in ("update versie set tekst = 'weg'", "delete from versie",
                    "update item set aanbieder = '87654321'", "delete from item"):  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError, match="dossier"):
                con.execute(sql)
            con.rollback()
    assert d.item(a.id).tekst == "Plan uitstroom"


def test_intrekken_laat_een_spoor(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    d.trek_in(a.id, "cm2@regio.nl", 1)
    assert d.items(aanbieder=AANBIEDER_A) == []
    [ingetrokken] = d.items(aanbieder=AANBIEDER_A, met_ingetrokken=True)
    assert (ingetrokken.ingetrokken, ingetrokken.door, ingetrokken.versie) == (
        True,
        "cm2@regio.nl",
        2,
    )
    assert [v.ingetrokken for v in d.geschiedenis(a.id)] == [False, True]


def test_verouderde_versie_overschrijft_niets(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm1@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    d.wijzig(a.id, "cm2@regio.nl", 1, status="gedaan")
    with pytest.raises(VersieConflict) as fout:
        d.wijzig(a.id, "cm1@regio.nl", 1, tekst="Plan uitstroom, herzien")
    assert "intussen gewijzigd door cm2@regio.nl" in str(fout.value)
    assert "niets overschreven" in str(fout.value)
    assert [v.versie for v in d.geschiedenis(a.id)] == [1, 2]
    assert d.item(a.id).tekst == "Plan uitstroom"


def test_niets_gewijzigd_is_geen_nieuwe_versie(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    assert d.wijzig(a.id, "cm@regio.nl", 1, tekst="  Plan uitstroom ", status="open").versie == 1
    assert len(d.geschiedenis(a.id)) == 1


@pytest.mark.parametrize(
    ("velden", "melding"),
    [
        ({"tekst": ""}, "De tekst van de afspraak is leeg: vul een tekst in."),
        ({"tekst": "   \n "}, "De tekst van de afspraak is leeg: vul een tekst in."),
        ({"tekst": "x" * 10_000}, "De tekst van de afspraak is 10.000 tekens lang; er passen er 4.000 in."),
        ({"tekst": "plan\x00"}, "onzichtbaar stuurteken"),
        ({"deadline": "2024-03-14"}, "De deadline 14-03-2024 ligt in het verleden (vandaag is 15-03-2024)"),
        ({"deadline": "31-02-2024"}, "De deadline '31-02-2024' is geen bestaande datum"),
        ({"deadline": None}, "De deadline ontbreekt"),
        ({"deadline": "2030-01-01"}, "meer dan 5 jaar vooruit"),
        ({"eigenaar": " "}, "Wie de afspraak uitvoert (eigenaar) is leeg"),
        ({"aanbieder": "123"}, "AGB-code '123' bestaat niet uit 8 cijfers."),
        ({"wie": ""}, "Wie schrijft is leeg"),
    ],
)  # fmt: skip
def test_slechte_afspraak_krijgt_een_duidelijke_melding(
    d: Dossier, velden: dict, melding: str
) -> None:
    args = {"tekst": "Plan uitstroom", "eigenaar": "aanbieder", "deadline": "2024-06-30",
            "wie": "cm@regio.nl", "aanbieder": AANBIEDER_A} | velden  # fmt: skip
    g = Gesprek(args.pop("aanbieder"), "2024", date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(DossierFout) as fout:
        d.nieuwe_afspraak(g, args.pop("wie"), **args)
    assert melding in str(fout.value)
    assert d.aantallen() == {"versies": 0}  # nothing half-written


def test_de_grens_van_tekst_en_deadline_mag(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "x" * 4000, "aanbieder", "15-03-2024")
    assert len(a.tekst) == 4000 and a.deadline == date(2024, 3, 15)


def test_een_verstreken_deadline_blijft_bij_een_statuswijziging(tmp_path: Path) -> None:
    pad = tmp_path / "dossier.sqlite"
    a = Dossier(pad, klok=klok()).nieuwe_afspraak(
        G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-04-01"
    )
    later = Dossier(pad, klok=klok(datetime(2024, 9, 1, tzinfo=UTC)))
    # the status of an overdue afspraak may change; its old deadline stays as it is
    assert later.wijzig(a.id, "cm@regio.nl", 1, status="gedaan").deadline == date(2024, 4, 1)
    # but a new deadline must lie ahead
    with pytest.raises(DossierFout, match="ligt in het verleden"):
        later.wijzig(a.id, "cm@regio.nl", 2, deadline="2024-08-01")
    assert later.wijzig(a.id, "cm@regio.nl", 2, deadline="2024-12-01").versie == 3


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [("657.000,00", Decimal("657000.00")), ("€ 657.000", Decimal("657000")),
     ("1.234.567,5", Decimal("1234567.5")), (600000, Decimal("600000")), ("45", Decimal("45"))],
)  # fmt: skip
def test_besluit_leest_nederlandse_bedragen(d: Dossier, waarde: object, verwacht: Decimal) -> None:
    b = d.nieuw_besluit(G2024, "cm@regio.nl", "voorschot", "Minder cliënten dan gegund",
                        waarde, "2024-07-01", waarde_van="657.000,00")  # fmt: skip
    assert b.waarde_naar == verwacht and b.waarde_van == Decimal("657000.00")
    assert d.item(b.id).waarde_naar == verwacht  # exact after the round trip


@pytest.mark.parametrize(
    ("velden", "melding"),
    [
        ({"waarde_naar": "657.5"}, "is niet eenduidig"),
        ({"waarde_naar": "-10"}, "kan niet negatief zijn"),
        ({"waarde_naar": "veel"}, "is geen getal"),
        ({"waarde_naar": None}, "De nieuwe waarde ontbreekt"),
        ({"onderwerp": "korting"}, "Onderwerp 'korting' bestaat niet"),
        ({"reden": ""}, "De reden van het besluit is leeg"),
        ({"ingangsdatum": ""}, "De ingangsdatum ontbreekt"),
    ],
)  # fmt: skip
def test_slecht_besluit(d: Dossier, velden: dict, melding: str) -> None:
    args = {"onderwerp": "voorschot", "reden": "Minder cliënten", "waarde_naar": "600.000,00",
            "ingangsdatum": "2024-07-01"} | velden  # fmt: skip
    with pytest.raises(DossierFout, match=melding):
        d.nieuw_besluit(G2024, "cm@regio.nl", **args)


def test_overige_soorten_en_hun_controles(d: Dossier) -> None:
    t = d.nieuwe_toelichting(G2024, "cm@regio.nl", "doorlooptijd", "Complexe casuïstiek")
    assert (t.kpi, t.gedeeld) == ("doorlooptijd", False)  # a note is internal unless shared
    with pytest.raises(DossierFout, match="Kies een KPI"):
        d.nieuwe_toelichting(G2024, "cm@regio.nl", "", "Complexe casuïstiek")
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan", "aanbieder", "2024-06-30")
    p = d.nieuw_agendapunt(G2024, "cm@regio.nl", "Afspraak Plan nalopen", afspraak_id=a.id)
    assert p.afspraak_id == a.id and p.gedeeld
    ander = Gesprek(AANBIEDER_B, "2024", date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(DossierFout, match="hoort niet bij deze aanbieder"):
        d.nieuw_agendapunt(ander, "cm@regio.nl", "Plan van een ander", afspraak_id=a.id)
    with pytest.raises(DossierFout, match="geen veld"):
        d.wijzig(t.id, "cm@regio.nl", 1, status="gedaan")
    with pytest.raises(DossierFout, match="ten minste 2 aanbieders"):
        d.nieuwe_groep("Dagbesteding", "2024", date(2024, 1, 1), date(2024, 12, 31),
                       "cm@regio.nl", [AANBIEDER_A], "Groep")  # fmt: skip
    g = d.nieuwe_groep("Dagbesteding", "2024", date(2024, 1, 1), date(2024, 12, 31),
                       "cm@regio.nl", [AANBIEDER_B, AANBIEDER_A, AANBIEDER_A], "Groep")  # fmt: skip
    assert g.leden == (AANBIEDER_A, AANBIEDER_B) and g.aanbieder is None


def test_geen_dossierbestand_wordt_geweigerd(tmp_path: Path) -> None:
    vreemd = tmp_path / "vreemd.sqlite"
    with sqlite3.connect(vreemd) as con:
        con.execute("create table t (x)")
    with pytest.raises(DossierFout, match="geen dossierbestand van Stoplicht"):
        Dossier(vreemd)
    tekst = tmp_path / "tekst.sqlite"
    tekst.write_text("geen database")
    with pytest.raises(DossierFout, match="geen dossierbestand"):
        Dossier(tekst)


def test_pad_uit_omgeving_of_naast_de_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STOPLICHT_DOSSIER", raising=False)
    assert (
        dossier_pad(tmp_path / "data" / "stoplicht.duckdb") == tmp_path / "data" / "dossier.sqlite"
    )
    assert dossier_pad() == Path("data/dossier.sqlite")
    monkeypatch.setenv("STOPLICHT_DOSSIER", str(tmp_path / "elders.sqlite"))
    assert dossier_pad(tmp_path / "data" / "stoplicht.duckdb") == tmp_path / "elders.sqlite"


# ---------------------------------------------------------------------- beside the warehouse


def _sha(pad: Path) -> str:
    return hashlib.sha256(pad.read_bytes()).hexdigest()


def test_dossier_overleeft_een_nieuwe_lading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warehouse.laden import laad_extract

    monkeypatch.delenv("STOPLICHT_DOSSIER", raising=False)
    extract = schrijf_extract(
        tmp_path / "extract",
        [bericht(bericht_type="301", dagtekening="2024-01-05", toewijzingnummer="T1",
                 ingangsdatum="2024-01-08")],
    )  # fmt: skip
    db = tmp_path / "data" / "stoplicht.duckdb"
    laad_extract(extract, db)
    d = Dossier(dossier_pad(db))
    assert d.pad.parent == db.parent  # beside the warehouse
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", BINNENKORT)
    d.wijzig(a.id, "cm@regio.nl", 1, status="gedaan")
    with sqlite3.connect(d.pad) as con:
        con.execute("pragma wal_checkpoint(truncate)")
    voor = _sha(d.pad)
    warehouse_voor = _sha(db)

    laad_extract(extract, db)  # a reload: a new warehouse file is swapped in
    assert _sha(db) != warehouse_voor  # the warehouse did change (a new file, geladen_op)
    assert _sha(d.pad) == voor  # the dossier did not
    assert [(v.versie, v.status) for v in Dossier(d.pad).geschiedenis(a.id)] == [
        (1, "open"),
        (2, "gedaan"),
    ]


# ---------------------------------------------------------------------- concurrency


# A contract manager in another process (as `python -m dossier` or a second server would be)
# adding afspraken as fast as it can. A fresh interpreter, not multiprocessing: a spawned child
# re-imports the parent's __main__, and after an AppTest in the same pytest worker that is
# app.py, so the child ran the whole dashboard in bare mode before (or instead of) writing.
SCHRIJVER = """
import sys, time
from datetime import date
from pathlib import Path
from dossier import Dossier, Gesprek
pad, naam, aantal, start, aanbieder, deadline = sys.argv[1:]
while not Path(start).exists():  # both processes start writing together
    time.sleep(0.005)
d = Dossier(pad)
g = Gesprek(aanbieder, "2024", date(2024, 1, 1), date(2024, 12, 31))
for i in range(int(aantal)):
    d.nieuwe_afspraak(g, naam, f"{naam} afspraak {i}", "aanbieder", deadline)
"""


def test_twee_processen_schrijven_tegelijk_en_alles_komt_aan(tmp_path: Path) -> None:
    pad = tmp_path / "dossier.sqlite"
    Dossier(pad)
    start = tmp_path / "start"
    processen = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SCHRIJVER,
                str(pad),
                naam,
                "60",
                str(start),
                AANBIEDER_A,
                BINNENKORT,
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for naam in ("cm1@regio.nl", "cm2@regio.nl")
    ]
    try:
        start.touch()
        uitvoer = [p.communicate(timeout=600) for p in processen]  # generous: a busy machine
        assert [p.returncode for p in processen] == [0, 0], [fout for _, fout in uitvoer]
    finally:
        for p in processen:
            if p.poll() is None:
                p.kill()
    items = Dossier(pad).items(aanbieder=AANBIEDER_A)
    teksten = {i.tekst for i in items}
    assert len(items) == 120 and len(teksten) == 120
    assert teksten == {
        f"{n} afspraak {i}" for n in ("cm1@regio.nl", "cm2@regio.nl") for i in range(60)
    }
    with sqlite3.connect(pad) as con:
        assert con.execute("pragma integrity_check").fetchone() == ("ok",)


def test_twee_threads_wijzigen_dezelfde_afspraak(d: Dossier) -> None:
    """Two contract managers save the same afspraak at the same moment, both from version 1:
    one lands, the other is told and nothing of the first is overwritten; saved again on the
    new version, the second lands too."""
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    samen = threading.Barrier(2)
    uitkomst: dict[str, object] = {}

    def bewaar(wie: str, velden: dict) -> None:
        samen.wait()
        try:
            uitkomst[wie] = d.wijzig(a.id, wie, 1, **velden)
        except VersieConflict as fout:
            uitkomst[wie] = fout

    threads = [threading.Thread(target=bewaar, args=("cm1@regio.nl", {"status": "gedaan"})),
               threading.Thread(target=bewaar, args=("cm2@regio.nl", {"eigenaar": "gemeente"}))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicten = [w for w, u in uitkomst.items() if isinstance(u, VersieConflict)]
    assert len(conflicten) == 1
    tweede = conflicten[0]
    velden = {"cm1@regio.nl": {"status": "gedaan"}, "cm2@regio.nl": {"eigenaar": "gemeente"}}[
        tweede
    ]
    d.wijzig(a.id, tweede, 2, **velden)  # saved again on the newest version
    nu = d.item(a.id)
    assert (nu.versie, nu.status, nu.eigenaar) == (3, "gedaan", "gemeente")


def test_veel_threads_zonder_basisversie_landen_allemaal(d: Dossier) -> None:
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", "2024-06-30")
    samen = threading.Barrier(8)

    def bewaar(n: int) -> None:
        samen.wait()
        d.wijzig(a.id, f"cm{n}@regio.nl", None, tekst=f"Plan uitstroom {n}")

    threads = [threading.Thread(target=bewaar, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versies = d.geschiedenis(a.id)
    assert [v.versie for v in versies] == list(range(1, 10))
    assert {v.tekst for v in versies[1:]} == {f"Plan uitstroom {n}" for n in range(8)}


# ---------------------------------------------------------------------- backup and restore


def test_backup_en_restore_via_de_opdrachtregel(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    pad = tmp_path / "data" / "dossier.sqlite"
    d = Dossier(pad)
    a = d.nieuwe_afspraak(G2024, "cm@regio.nl", "Plan uitstroom", "aanbieder", BINNENKORT)
    backup = tmp_path / "backups" / "dossier.sqlite"
    assert dossier_cli(["backup", "--dossier", str(pad), "--out", str(backup)]) == 0
    assert "1 afspraak, 1 versies" in capsys.readouterr().err
    d.wijzig(a.id, "cm@regio.nl", 1, status="gedaan")
    d.nieuwe_toelichting(G2024, "cm@regio.nl", "doorlooptijd", "Na de backup geschreven")

    assert dossier_cli(["restore", str(backup), "--dossier", str(pad)]) == 0
    melding = capsys.readouterr().err
    assert "teruggezet" in melding and "de vorige inhoud staat in" in melding
    terug = Dossier(pad)
    assert terug.aantallen() == {"afspraak": 1, "versies": 1}
    assert terug.item(a.id).status == "open"
    # what the restore replaced is kept beside the dossier
    [veilig] = pad.parent.glob("dossier.sqlite.voor-herstel-*")
    assert Dossier(veilig).aantallen() == {"afspraak": 1, "toelichting": 1, "versies": 3}
    # the restored dossier takes new writes as before
    assert terug.wijzig(a.id, "cm@regio.nl", 1, status="vervallen").versie == 2


def test_restore_weigert_wat_geen_backup_is(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pad = tmp_path / "dossier.sqlite"
    Dossier(pad).nieuwe_afspraak(G2024, "cm@regio.nl", "Plan", "aanbieder", BINNENKORT)
    onzin = tmp_path / "onzin.sqlite"
    onzin.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert dossier_cli(["restore", str(onzin), "--dossier", str(pad)]) == 2
    assert "fout:" in capsys.readouterr().err
    assert dossier_cli(["restore", str(tmp_path / "weg.sqlite"), "--dossier", str(pad)]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert Dossier(pad).aantallen() == {"afspraak": 1, "versies": 1}  # untouched
    assert not list(tmp_path.glob("dossier.sqlite.voor-herstel-*"))


def test_backup_tijdens_het_schrijven_is_heel(tmp_path: Path) -> None:
    pad = tmp_path / "dossier.sqlite"
    d = Dossier(pad)
    klaar = threading.Event()

    def schrijf() -> None:
        i = 0
        while not klaar.is_set():
            d.nieuwe_afspraak(G2024, "cm@regio.nl", f"Afspraak {i}", "aanbieder", BINNENKORT)
            i += 1

    t = threading.Thread(target=schrijf)
    t.start()
    try:
        backups = [d.backup(tmp_path / f"b{n}.sqlite") for n in range(5)]
    finally:
        klaar.set()
        t.join()
    for b in backups:
        with sqlite3.connect(b) as con:
            assert con.execute("pragma integrity_check").fetchone() == ("ok",)
            # every item has its first version: a backup never holds half a save
            assert con.execute(
                "select count(*) from item where id not in (select item_id from versie)"
            ).fetchone() == (0,)


def test_een_bezet_bestand_wordt_opnieuw_geprobeerd_een_andere_fout_niet() -> None:
    """SQLite answers 'database is locked' at once, without its busy timeout, while another
    process cleans up the WAL on closing its last connection: the lock step is tried again. Any
    other error comes through the first time."""
    from dossier.opslag import _met_herhaling

    pogingen: list[int] = []

    def bezet_tweemaal() -> None:
        pogingen.append(1)
        if len(pogingen) < 3:
            raise sqlite3.OperationalError("database is locked")

    _met_herhaling(bezet_tweemaal)
    assert len(pogingen) == 3

    anders: list[int] = []

    def kapot() -> None:
        anders.append(1)
        raise sqlite3.OperationalError("no such table: item")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _met_herhaling(kapot)
    assert len(anders) == 1
