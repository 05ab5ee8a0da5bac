"""The load as a whole: file formats, XML, reconciliation, idempotence, safe swap, privacy."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import (
    BERICHT_KOLOMMEN,
    PRODUCT_KOLOMMEN,
    PRODUCTEN,
    REFERENTIE_BERICHTEN,
    REPO,
    bericht,
    bsn,
    laad,
    rijen,
    schrijf_csv,
    schrijf_extract,
)
from warehouse.laden import laad_extract
from warehouse.lezen import LaadFout

D = date.fromisoformat

BASIS = [
    bericht(bericht_type="JW301", toewijzingnummer="T1", dagtekening="2023-01-02", ingangsdatum="2023-01-02", einddatum="2023-06-30"),
    bericht(bericht_type="JW305", toewijzingnummer="T1", dagtekening="2023-01-10", begindatum="2023-01-09"),
]  # fmt: skip


def _tabellen(db: Path) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    namen = [
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    ]
    uit = {n: con.sql(f"select * from {n}").pl() for n in sorted(namen)}
    con.close()
    return uit


# ---------------------------------------------------------------- file formats


def test_csv_komma_en_iso_datums(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    # rewrite berichten with ',' and Dutch dates in one column
    df = pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False)
    df = df.with_columns(
        pl.col("dagtekening").str.strptime(pl.Date, "%Y-%m-%d").dt.strftime("%d-%m-%Y")
    )
    (x / "berichten.csv").unlink()
    df.write_csv(x / "berichten_2023.csv", separator=",")
    con = laad(x)
    assert rijen(con, "select dagtekening from berichten order by regel_id") == [
        (D("2023-01-02"),),
        (D("2023-01-10"),),
    ]
    assert rijen(con, "select gemeente, aanbieder from berichten limit 1") == [("0197", "01234567")]


def test_parquet_met_getypte_kolommen_houdt_voorloopnullen(tmp_path: Path) -> None:
    # A Parquet file with integer codes (leading zeros lost by the writer) and real Date columns.
    x = schrijf_extract(tmp_path / "x", BASIS)
    (x / "berichten.csv").unlink()
    pl.DataFrame(
        {
            "BERICHT_TYPE": ["JW301"],  # column names match case-insensitively
            "bericht_id": [5],
            "dagtekening": [date(2023, 1, 2)],
            "gemeente": [197],
            "aanbieder": [1234567],
            "bsn": [int(bsn(1))],
            "toewijzingnummer": ["T1"],
            "product_categorie": [54],
            "product_code": ["54Z01"],
            "ingangsdatum": [date(2023, 1, 2)],
            "einddatum": [None],
            "reden_wijziging": ["04"],
        },
        schema_overrides={"einddatum": pl.Date},
    ).write_parquet(x / "berichten_2023.parquet")
    con = laad(x)
    assert rijen(
        con,
        "select gemeente, aanbieder, bericht_id, product_categorie, reden_wijziging, ingangsdatum from berichten",
    ) == [("0197", "01234567", "5", "54", "04", D("2023-01-02"))]


def test_csv_en_getypte_parquet_geven_dezelfde_warehouse(tmp_path: Path) -> None:
    """Parquet keeps its date columns as dates through the checks (no text round trip); the
    result is the same as from a CSV of the same messages, quarantine and all."""
    from datacontract.kolommen import BERICHTEN, Soort
    from sample_data.generate import generate
    from warehouse.controle import _datum
    from warehouse.lezen import _kolomnaam, _scheidingsteken, open_bestand

    generate(tmp_path / "gen", seed=11, scale="mini", formaat="csv")
    csv_map, parquet_map = tmp_path / "csv", tmp_path / "parquet"
    shutil.copytree(tmp_path / "gen", csv_map)
    shutil.copytree(tmp_path / "gen", parquet_map)
    datums = [k.naam for k in BERICHTEN.kolommen if k.soort == Soort.DATUM]
    for pad in sorted(csv_map.glob("berichten*.csv")):
        kop = pad.read_text(encoding="utf-8-sig").splitlines()[0]
        df = pl.read_csv(pad, infer_schema=False, separator=_scheidingsteken(kop))
        df = df.rename({k: _kolomnaam(k) for k in df.columns})
        getypt = {c: _datum(pl.col(c).str.strip_chars()) for c in datums if c in df.columns}
        # a text that is no date has no Parquet twin: such rows are left out of both
        leesbaar = [pl.col(c).is_null() | e.is_not_null() for c, e in getypt.items()]
        typed = df.filter(pl.all_horizontal(leesbaar)).with_columns(
            e.alias(c) for c, e in getypt.items()
        )
        # the CSV as ISO text, as the raw row of a quarantined Parquet row shows its dates
        typed.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") for c in getypt).write_csv(pad)
        (parquet_map / pad.name).unlink()
        # one date column as a date-time, as Excel and some exports give it
        typed = typed.with_columns(pl.col("begindatum").cast(pl.Datetime("us")))
        typed.write_parquet(parquet_map / pad.with_suffix(".parquet").name)
    uit = {}
    for map_ in (csv_map, parquet_map):
        db = tmp_path / f"{map_.name}.duckdb"
        laad_extract(map_, db)
        uit[map_.name] = _tabellen(db)
    assert uit["csv"]["berichten"].height > 1000
    for naam, csv in uit["csv"].items():
        if naam == "meta":
            continue
        par = uit["parquet"][naam]
        # where a row came from differs: the file's name, its line (a CSV line counts the
        # header, a Parquet row does not) and its encoding (a CSV file's only)
        plaats = [c for c in ("regel_id", "bron_regel", "codering") if c in csv.columns]
        csv, par = csv.drop(plaats), par.drop(plaats)
        for kolom in ("bron_bestand", "waarde", "ruwe_regel"):
            if csv.schema.get(kolom) == pl.String:  # not kpi_waarden.waarde, a number
                weg = pl.col(kolom).str.replace_all(r"\.(csv|parquet)( regel \d+)?", "")
                csv, par = csv.with_columns(weg), par.with_columns(weg)
        assert csv.sort(csv.columns).equals(par.sort(par.columns)), naam
    redenen = set(uit["parquet"]["quarantaine"]["reden"].to_list())
    assert "stop voor start: einddatum zorg ligt voor de begindatum" in redenen
    # and the Parquet dates were read as dates, not as text
    pad = sorted(parquet_map.glob("berichten*.parquet"))[0]
    schema = open_bestand(pad, BERICHTEN, parquet_map, datums_getypt=True).frame.collect_schema()
    assert schema["dagtekening"] == pl.Date and schema["begindatum"] == pl.Date


def test_excel_referentie_en_financien(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    pl.DataFrame({"aanbieder": ["01234567"], "naam": ["Zorg A"], "grootte": ["klein"]}).write_excel(
        x / "aanbieders.xlsx"
    )
    pl.DataFrame(
        {
            "aanbieder": ["01234567"],
            "gemeente": ["0197"],
            "maand": [date(2023, 1, 1)],
            "bedrag": [1216.67],
        }
    ).write_excel(x / "voorschotten.xlsx")
    con = laad(x)
    assert rijen(con, "select aanbieder, naam from aanbieders") == [("01234567", "Zorg A")]
    assert rijen(con, "select maand, bedrag::varchar from voorschotten") == [
        (D("2023-01-01"), "1216.67")
    ]


def test_extra_kolommen_apart_en_niet_opgeslagen(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    df = pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False).with_columns(
        pl.lit("Jansen").alias("achternaam")
    )
    df.write_csv(x / "berichten.csv", separator=";")
    db = tmp_path / "w.duckdb"
    con = laad(x, db)
    assert rijen(con, "select extra_kolommen from laadverslag where tabel = 'berichten'") == [
        ("achternaam",)
    ]
    con.close()
    assert b"Jansen" not in db.read_bytes()


def test_regel_met_verkeerd_aantal_velden_in_quarantaine(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    with (x / "berichten.csv").open("a", encoding="utf-8") as f:
        f.write("JW305;99;2023-01-10;0197" + ";" * 16 + "\n")  # 20 fields instead of 18
        f.write("JW305;98;2023-01-10;0197\n")  # 4 fields
    con = laad(x)
    assert rijen(con, "select bron_regel, reden, waarde from quarantaine order by bron_regel") == [
        (4, "verkeerd aantal velden", "20 velden, de kop 18"),
        (5, "verkeerd aantal velden", "4 velden, de kop 18"),
    ]
    assert rijen(
        con, "select regels_in, geladen, afgekeurd from laadverslag where tabel = 'berichten'"
    ) == [(4, 2, 2)]


def test_ontbrekende_verplichte_kolom_stopt_met_bestand_en_kolom(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    df = pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False).drop("dagtekening")
    df.write_csv(x / "berichten.csv", separator=";")
    with pytest.raises(LaadFout) as fout:
        laad_extract(x, tmp_path / "w.duckdb")
    assert fout.value.bestand == "berichten.csv"
    assert fout.value.kolom == "dagtekening"
    assert not (tmp_path / "w.duckdb").exists()


# ---------------------------------------------------------------- XML


def test_xml_voorbeeldberichten(tmp_path: Path) -> None:
    """The published iJw/iWmo examples: the XSD-valid KPI messages load, the known-bad ones do not."""
    x = schrijf_extract(tmp_path / "x", BASIS)
    (x / "xml").mkdir()
    for domein in ("jw", "wmo"):
        for pad in (REFERENTIE_BERICHTEN / domein).glob("*.xml"):
            shutil.copy(pad, x / "xml" / pad.name)
    con = laad(x)
    per_bestand = dict(
        rijen(
            con,
            "select bron_bestand, count(*) from berichten where bron_bestand like 'xml/%' group by 1",
        )
    )
    # worked out from the files: JW301 2 product lines, JW305 2, JW307 2, JW319 1;
    # WMO301 1, WMO305 2, WMO307 2, WMO315 2, WMO317 2 (te wijzigen + nieuw), WMO319 1
    assert per_bestand == {
        "xml/JW301.xml": 2, "xml/JW305.xml": 2, "xml/JW307.xml": 2, "xml/JW319.xml": 1,
        "xml/WMO301.xml": 1, "xml/WMO305.xml": 2, "xml/WMO307.xml": 2, "xml/WMO315.xml": 2,
        "xml/WMO317.xml": 2, "xml/WMO319.xml": 1,
    }  # fmt: skip
    fouten = dict(rijen(con, "select bron_bestand, reden from quarantaine where ernst = 'fout'"))
    assert set(fouten) == {"xml/JW315.xml", "xml/JW317.xml", "xml/JW318.xml"}
    assert fouten["xml/JW315.xml"] == (  # invalid date: the rule, not the value
        "XSD-fout in JW315: AangevraagdProduct/ToewijzingEinddatum: "
        "geen geldige waarde voor type LDT_Datum"
    )
    assert fouten["xml/JW318.xml"].startswith(
        "XSD-fout in JW318: Verzoek/RetourCode: element niet verwacht"
    )
    assert fouten["xml/JW317.xml"] == "einddatum ligt voor de ingangsdatum"
    # the value is kept in the raw row only, with the BSN as its pseudonym, no date of birth
    ((regel, kolom, waarde, ruw),) = rijen(
        con,
        "select bron_regel, kolom, waarde, ruwe_regel from quarantaine where bron_bestand = 'xml/JW315.xml'",
    )
    assert (regel, kolom, waarde) == (44, "ToewijzingEinddatum", None)
    regels = json.loads(ruw)
    assert [r["einddatum"] for r in regels] == ["2027-06-31", "2027-06-31"]
    assert all(
        len(r["client_id"]) == 32 and "bsn" not in r and "geboortedatum" not in r for r in regels
    )
    assert "999900006" not in ruw and "2010-02-14" not in ruw
    genegeerd = {
        r[0] for r in rijen(con, "select bron_bestand from quarantaine where ernst = 'genegeerd'")
    }
    assert "xml/JW323.xml" in genegeerd and "xml/JW302.xml" in genegeerd
    # JW301 as loaded: gemeente 0384 (Diemen) assigns 55A11 to AGB 42420001 from 1-4-2026
    assert rijen(
        con,
        "select gemeente, aanbieder, toewijzingnummer, product_code, ingangsdatum, einddatum, geboortejaar "
        "from berichten where bron_bestand = 'xml/JW301.xml' order by toewijzingnummer",
    ) == [
        ("0384", "42420001", "300201", "55A11", D("2026-04-01"), D("2026-07-14"), 2010),
        ("0384", "42420001", "300202", "55A12", D("2026-04-01"), D("2026-07-19"), 2010),
    ]
    assert rijen(
        con,
        "select sum(regels_in) = sum(geladen + dubbel + genegeerd + afgekeurd) from laadverslag",
    ) == [(True,)]


# ---------------------------------------------------------------- reconciliation


VELD = st.one_of(
    st.just(""),
    st.sampled_from(["JW301", "JW305", "JW307", "WMO301", "436", "JW999", "0197", "9999", "01234567", "54Z01", "XX", "31", "3", "1"]),
    st.sampled_from(["2023-01-05", "31-12-2023", "2023-02-30", "2023-13-01", "05/01/2023", "1800-01-01"]),
    st.sampled_from([bsn(1), bsn(2), "123456781", "12345678", "abc"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters=";\n\r\"'"), max_size=8),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    regels=st.lists(st.lists(VELD, min_size=len(BERICHT_KOLOMMEN), max_size=len(BERICHT_KOLOMMEN)), max_size=25),
    herhaal=st.lists(st.integers(min_value=0, max_value=24), max_size=5),
    kapot=st.lists(st.integers(min_value=1, max_value=30), max_size=3),
)  # fmt: skip
def test_elke_invoerregel_geladen_of_in_quarantaine(
    tmp_path_factory, regels, herhaal, kapot
) -> None:
    """Property: for messy input, input rows = loaded + duplicate + ignored + rejected, per file."""
    x = tmp_path_factory.mktemp("x")
    rijen_ = [list(r) for r in regels] + [[BASIS[0].get(k, "") for k in BERICHT_KOLOMMEN]]
    rijen_ += [rijen_[i] for i in herhaal if i < len(rijen_)]  # exact duplicates
    schrijf_csv(x / "berichten.csv", BERICHT_KOLOMMEN, rijen_)
    # split at line feeds only, as the CSV readers do (splitlines would also split inside a
    # field at \x1e or \x85 and so make most rows ragged, a file the load refuses)
    tekst = (x / "berichten.csv").read_text(encoding="utf-8").removesuffix("\n").split("\n")
    for k in kapot:  # lines with too few fields
        tekst.insert(min(k, len(tekst)), "JW301;1;2023-01-01")
    (x / "berichten.csv").write_text("\n".join(tekst) + "\n", encoding="utf-8")
    schrijf_csv(x / "producten.csv", PRODUCT_KOLOMMEN, PRODUCTEN)
    res = laad_extract(x, x / "w.duckdb")
    invoer = len(tekst) - 1
    con = duckdb.connect(str(x / "w.duckdb"), read_only=True)
    geladen = con.execute("select count(*) from berichten").fetchone()[0]
    quarantaine = con.execute(
        "select count(*) from quarantaine where tabel = 'berichten'"
    ).fetchone()[0]
    con.close()
    assert geladen + quarantaine == invoer
    v = res.laadverslag.filter(pl.col("tabel") == "berichten").row(0, named=True)
    assert v["regels_in"] == invoer and v["geladen"] == geladen


# ---------------------------------------------------------------- idempotence and safe swap


def test_twee_keer_laden_geeft_dezelfde_warehouse(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS + [BASIS[0]])
    eerste, tweede = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    laad_extract(x, eerste)
    laad_extract(x, tweede)
    a, b = _tabellen(eerste), _tabellen(tweede)
    assert a.keys() == b.keys()
    for naam in a:
        links, rechts = a[naam], b[naam]
        if naam == "meta":  # the moment and the id of the load are what differs
            ids = [m.filter(pl.col("sleutel") == "laad_id")["waarde"] for m in (links, rechts)]
            assert ids[0].len() == 1 and not ids[0].equals(ids[1])  # each load its own id
            links = links.filter(~pl.col("sleutel").is_in(["geladen_op", "laad_id"]))
            rechts = rechts.filter(~pl.col("sleutel").is_in(["geladen_op", "laad_id"]))
        # a table is a set of rows: compare in a fixed order
        assert links.sort(links.columns).equals(rechts.sort(rechts.columns)), naam
    # and loading again over the same file replaces it with the same content
    laad_extract(x, eerste)
    opnieuw = _tabellen(eerste)["berichten"]
    assert opnieuw.sort("regel_id").equals(a["berichten"].sort("regel_id"))


def test_mislukte_load_laat_oude_warehouse_intact(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    laad_extract(schrijf_extract(tmp_path / "goed", BASIS), db)
    voor = db.read_bytes()
    slecht = schrijf_extract(tmp_path / "slecht", BASIS)
    (slecht / "contracten.csv").write_bytes(b"\x00\x01\x02 geen csv")
    with pytest.raises(LaadFout) as fout:
        laad_extract(slecht, db)
    assert "contracten.csv" in str(fout.value)
    assert db.read_bytes() == voor
    assert not list(tmp_path.glob("w.duckdb.tmp-*"))


def test_cli_exit_codes(tmp_path: Path) -> None:
    x = schrijf_extract(tmp_path / "x", BASIS)
    db = tmp_path / "w.duckdb"
    ok = subprocess.run(
        [sys.executable, "-m", "warehouse", "load", str(x), "--db", str(db), "--stil"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "Peildatum: 2023-01-10" in ok.stdout
    assert "berichten.csv: 2 regels = 2 geladen + 0 dubbel + 0 genegeerd + 0 afgekeurd" in ok.stdout
    df = pl.read_csv(x / "berichten.csv", separator=";", infer_schema=False).drop("bsn")
    df.write_csv(x / "berichten.csv", separator=";")
    fout = subprocess.run(
        [sys.executable, "-m", "warehouse", "load", str(x), "--db", str(db), "--stil"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert fout.returncode == 2
    assert "berichten.csv" in fout.stderr and "'bsn'" in fout.stderr


# ---------------------------------------------------------------- privacy


def test_geen_bsn_in_het_duckdb_bestand(tmp_path: Path) -> None:
    """Every BSN of the input, valid or not, is absent from the bytes of the warehouse file."""
    bsns = [bsn(i) for i in range(1, 30)] + ["123456781", "999999999"]
    berichten = [
        bericht(bericht_type="JW301", toewijzingnummer=f"T{i}", dagtekening="2023-01-02", ingangsdatum="2023-01-02", bsn=b)
        for i, b in enumerate(bsns)
    ]  # fmt: skip
    db = tmp_path / "w.duckdb"
    laad_extract(schrijf_extract(tmp_path / "x", berichten), db)
    inhoud = db.read_bytes()
    for b in bsns:
        assert b.encode() not in inhoud, b
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(distinct client_id) from berichten").fetchone()[0] == 29


def test_sleutelbestand_wordt_gemaakt_met_eigen_rechten(tmp_path: Path, monkeypatch) -> None:
    from warehouse import pseudoniem

    monkeypatch.delenv(pseudoniem.SLEUTEL_ENV, raising=False)
    pad = tmp_path / "secrets" / "pseudoniem.key"
    monkeypatch.setenv(pseudoniem.SLEUTELBESTAND_ENV, str(pad))
    k1 = pseudoniem.sleutel()
    assert pad.exists() and stat.S_IMODE(pad.stat().st_mode) == 0o600
    assert pseudoniem.sleutel() == k1  # stable: the same pseudonyms on every load
    assert pseudoniem.pseudoniem("123456782", k1) != pseudoniem.pseudoniem("123456782", b"other")
    assert "secrets/" in (REPO / ".gitignore").read_text()


def test_regel_id_uniek_ook_over_xml_bestanden(tmp_path: Path) -> None:
    """Each XML file numbers its own product lines from 1; regel_id must still be unique."""
    x = schrijf_extract(tmp_path / "x", BASIS)
    (x / "xml").mkdir()
    for naam in ("JW301.xml", "JW305.xml", "JW307.xml", "JW319.xml"):
        shutil.copy(REFERENTIE_BERICHTEN / "jw" / naam, x / "xml" / naam)
    con = laad(x)
    assert rijen(con, "select count(*), count(distinct regel_id) from berichten") == [(9, 9)]
    # and so each standing start or stop occurs once
    assert rijen(
        con, "select count(*) = count(distinct (berichtsoort, regel_id)) from start_stop"
    ) == [(True,)]


def test_laden_ruimt_achtergelaten_werk_van_een_afgebroken_lading_op(tmp_path: Path) -> None:
    """A crashed load leaves its work folder (raw input) and half-written file; the next
    load removes them, but not those of a load still running."""
    db = tmp_path / "w.duckdb"
    dood = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    achtergelaten = [tmp_path / f".laden-{dood}-abc", tmp_path / f"w.duckdb.tmp-{dood}"]
    achtergelaten[0].mkdir()
    (achtergelaten[0] / "berichten.parquet").write_bytes(b"ruwe invoer")
    achtergelaten[1].write_bytes(b"half")
    (tmp_path / f"w.duckdb.tmp-{dood}.wal").write_bytes(b"half")
    lopend = tmp_path / f".laden-{os.getpid()}-xyz"
    lopend.mkdir()
    laad_extract(schrijf_extract(tmp_path / "x", BASIS), db)
    assert not any(p.exists() for p in achtergelaten)
    assert not (tmp_path / f"w.duckdb.tmp-{dood}.wal").exists()
    assert lopend.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["w.duckdb", "x", lopend.name])
