"""Tests of the sample-data generator: determinism, the data contract, faults and volumes."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from lxml import etree

from datacontract.kolommen import BERICHTEN
from sample_data.bsn import BsnSource, break_bsn, elfproef
from sample_data.generate import generate
from sample_data.reference import load_gemeenten

XSD_DIR = Path(__file__).resolve().parents[2] / "shared/reference/istandaarden/xsd"
DATE_COLS = (
    "dagtekening",
    "geboortedatum",
    "ingangsdatum",
    "einddatum",
    "begindatum",
    "einddatum_zorg",
)
BERICHTEN_COLS = list(BERICHTEN.namen)  # the data contract's order
VEKTIS = {
    "436": "JW301",
    "438": "JW305",
    "440": "JW307",
    "446": "JW315",
    "486": "JW317",
    "488": "JW319",
    "414": "WMO301",
    "418": "WMO305",
    "420": "WMO307",
    "444": "WMO315",
    "480": "WMO317",
    "482": "WMO319",
}


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini")
    generate(out, seed=42, scale="mini")
    return out


@pytest.fixture(scope="session")
def regio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regio")
    generate(out, seed=42, scale="regio")
    return out


def manifest(d: Path) -> dict:
    return json.loads((d / "manifest.json").read_text(encoding="utf-8"))


def hashes(d: Path) -> dict[str, str]:
    return {
        str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


def read_berichten(d: Path) -> pl.DataFrame:
    """All berichten files as text columns (lower-case names, ISO dates, raw values kept)."""
    frames = []
    for f in sorted(d.glob("berichten_*")):
        if f.suffix == ".csv":
            sep = ";" if f.read_text(encoding="utf-8").split("\n", 1)[0].count(";") else ","
            df = pl.read_csv(f, separator=sep, infer_schema=False)
        else:
            df = pl.read_parquet(f)
        df = df.rename({c: c.lower() for c in df.columns})
        df = df.with_columns(pl.all().cast(pl.String), bron=pl.lit(f.name))
        frames.append(df.select([*BERICHTEN_COLS, "bron"]))
    return pl.concat(frames)


def parse_date(col: str) -> pl.Expr:
    c = pl.col(col)
    return pl.coalesce(
        c.str.to_date("%Y-%m-%d", strict=False), c.str.to_date("%d-%m-%Y", strict=False)
    )


def passes_elfproef(bsn: pl.Series) -> np.ndarray:
    digits = np.array([[int(ch) for ch in s] for s in bsn.to_list()], dtype=np.int64)
    return (digits @ np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0


# ---------------------------------------------------------------- determinism
def test_same_seed_gives_identical_files(mini: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=42, scale="mini")
    assert hashes(tmp_path) == hashes(mini)


def test_other_seed_gives_other_data(mini: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=43, scale="mini")
    a, b = hashes(mini), hashes(tmp_path)
    assert a["berichten_2023.parquet"] != b["berichten_2023.parquet"]
    assert a["contracten.csv"] != b["contracten.csv"]


def test_unknown_scale_or_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale="wereld")
    with pytest.raises(ValueError, match="formaat"):
        generate(tmp_path, scale="mini", formaat="json")


# ---------------------------------------------------------------- layout and columns
def test_all_files_present_with_contract_columns(mini: Path) -> None:
    m = manifest(mini)
    expected = {
        "berichten_2021.csv",
        "berichten_2022.csv",
        "berichten_2023.parquet",
        "berichten_2024.parquet",
        "producten.csv",
        "aanbieders.xlsx",
        "contracten.csv",
        "voorschotten.parquet",
        "begroting.xlsx",
        "uitgaven.csv",
        "kpi_waarden_clienttevredenheid.csv",
        "kpi_waarden_doelrealisatie.xlsx",
    }
    assert set(m["bestanden"]) == expected
    for name in expected:
        assert (mini / name).is_file()
    assert m["xml"]["bestanden"] == len(list((mini / "xml").glob("*.xml"))) > 0

    first = pl.read_csv(mini / "berichten_2021.csv", separator=";", infer_schema=False)
    assert [c.lower() for c in first.columns] == BERICHTEN_COLS
    assert first.columns != [c.lower() for c in first.columns]  # header case differs
    second = pl.read_csv(mini / "berichten_2022.csv", infer_schema=False)
    assert second.columns == [*BERICHTEN_COLS, "opmerking"]
    third = pl.read_parquet(mini / "berichten_2023.parquet")
    assert third.columns == BERICHTEN_COLS
    assert third.schema["dagtekening"] == pl.Date
    assert third.schema["gemeente"] == pl.String
    assert third.schema["bsn"] == pl.String

    tables = {
        "producten.csv": [
            "product_code",
            "product_categorie",
            "subsegment",
            "segment",
            "domein",
            "zwaarte",
            "geldig_van",
            "geldig_tot",
        ],
        "aanbieders.xlsx": ["aanbieder", "naam", "grootte"],
        "contracten.csv": [
            "aanbieder",
            "gemeente",
            "subsegment",
            "geldig_van",
            "geldig_tot",
            "plekken",
            "plekprijs",
            "opgegeven_doorlooptijd_dagen",
        ],
        "voorschotten.parquet": ["aanbieder", "gemeente", "maand", "bedrag"],
        "begroting.xlsx": [
            "gemeente",
            "segment",
            "jaar",
            "begroot_bedrag",
            "target_clienten",
            "target_kosten_per_client",
            "maand",
            "prognose_cumulatief",
        ],
        "uitgaven.csv": ["gemeente", "segment", "aanbieder", "boekdatum", "bedrag"],
        "kpi_waarden_clienttevredenheid.csv": KPI_WAARDEN_COLS,
        "kpi_waarden_doelrealisatie.xlsx": KPI_WAARDEN_COLS,
    }
    for name, cols in tables.items():
        assert read_table(mini / name).columns == cols, name
        assert m["bestanden"][name] == read_table(mini / name).height


KPI_WAARDEN_COLS = ["kpi", "aanbieder", "gemeente", "subsegment", "periode_van", "periode_tot",
                    "teller", "noemer", "bron"]  # fmt: skip


def test_kpi_waarden_for_part_of_the_providers(mini: Path) -> None:
    """Cliënttevredenheid and doelrealisatie: a part of the contracted providers, every
    segment covered, half-years, teller <= noemer, doelrealisatie from contract year 2023/24."""
    m = manifest(mini)
    aanbieders = read_table(mini / "aanbieders.xlsx")["aanbieder"].n_unique()
    producten = read_table(mini / "producten.csv")
    for kpi, naam in (("clienttevredenheid", "kpi_waarden_clienttevredenheid.csv"),
                      ("doelrealisatie", "kpi_waarden_doelrealisatie.xlsx")):  # fmt: skip
        df = read_table(mini / naam).with_columns(
            pl.col("periode_van", "periode_tot").cast(pl.String).str.slice(0, 10),
            pl.col("teller", "noemer").cast(pl.Int64),
        )
        assert set(df["kpi"]) == {kpi}
        assert m["kpi_waarden"][kpi] == {
            "rijen": df.height,
            "aanbieders": df["aanbieder"].n_unique(),
        }
        assert 0 < df["aanbieder"].n_unique() < aanbieders
        segmenten = df.join(producten.select("subsegment", "segment").unique(), on="subsegment")
        assert set(segmenten["segment"]) == {"IAJ", "GWV", "IO"}
        assert (df["teller"] <= df["noemer"]).all() and (df["noemer"] > 0).all()
        helften = set(zip(df["periode_van"], df["periode_tot"], strict=True))
        assert helften <= {("2022-07-01", "2022-12-31"), ("2023-01-01", "2023-06-30"),
                           ("2023-07-01", "2023-12-31"), ("2024-01-01", "2024-06-30"),
                           ("2024-07-01", "2024-12-31")}  # fmt: skip
    doel = read_table(mini / "kpi_waarden_doelrealisatie.xlsx")
    assert doel["periode_van"].cast(pl.String).min() >= "2023-07-01"
    assert doel["gemeente"].null_count() == 0  # per gemeente; cliënttevredenheid per provider


def read_table(path: Path) -> pl.DataFrame:
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_excel(path)


def test_row_counts_match_manifest(mini: Path) -> None:
    m = manifest(mini)
    df = read_berichten(mini)
    assert df.height == m["berichten_rijen"]
    for name, n in df.group_by("bron").len().iter_rows():
        assert m["bestanden"][name] == n


def test_codes_are_text_with_leading_zeros(mini: Path) -> None:
    df = read_berichten(mini)
    gemeente = df["gemeente"]
    assert gemeente.str.contains(r"^\d{4}$").all()
    assert gemeente.str.starts_with("0").any()
    assert df["aanbieder"].str.contains(r"^\d{8}$").all()
    bsn = df["bsn"].drop_nulls()
    assert bsn.str.contains(r"^\d{9}$").all()
    assert bsn.str.starts_with("0").any()
    aanbieders = pl.read_excel(mini / "aanbieders.xlsx")
    assert aanbieders.schema["aanbieder"] == pl.String
    assert aanbieders["aanbieder"].str.contains(r"^\d{8}$").all()
    assert set(df["aanbieder"].unique()) <= set(aanbieders["aanbieder"])
    contracten = pl.read_csv(mini / "contracten.csv", infer_schema=False)
    assert contracten["gemeente"].str.contains(r"^\d{4}$").all()
    assert contracten["gemeente"].str.starts_with("0").any()


def test_message_types_include_vektis_numbers(mini: Path) -> None:
    df = read_berichten(mini)
    types = set(df["bericht_type"].unique())
    assert types & set(VEKTIS)
    normal = {VEKTIS.get(t, t) for t in types}
    assert normal == {f"{d}{s}" for d in ("JW", "WMO") for s in (301, 305, 307, 315, 317, 319)}


# ---------------------------------------------------------------- BSN
def test_bsn_source_gives_distinct_valid_numbers() -> None:
    src = BsnSource(1)
    a, b = src.take(5000), src.take(5000)
    both = np.concatenate([a, b])
    assert np.unique(both).size == both.size
    assert elfproef(both).all()
    assert elfproef(np.array([123456782])).all()
    assert not elfproef(break_bsn(np.random.default_rng(0), both)).any()


def test_bsns_pass_the_11_test_except_the_injected(mini: Path) -> None:
    df = read_berichten(mini)
    bsn = df["bsn"].drop_nulls()
    failing = int((~passes_elfproef(bsn)).sum())
    assert failing == manifest(mini)["faults"]["invalid_bsn"] > 0
    xml_bsn = []
    for f in (mini / "xml").glob("*.xml"):
        xml_bsn += [el.text for el in etree.parse(str(f)).iter() if el.tag.endswith("}Bsn")]
    assert passes_elfproef(pl.Series(xml_bsn)).all()
    # a 319 carries no client
    no_client = df.filter(pl.col("bsn").is_null())["bericht_type"].unique().to_list()
    assert {VEKTIS.get(t, t)[-3:] for t in no_client} == {"319"}


# ---------------------------------------------------------------- XML
@pytest.mark.skipif(not XSD_DIR.is_dir(), reason="iStandaarden XSDs not available")
def test_xml_messages_validate_against_xsd(mini: Path) -> None:
    schemas: dict[str, etree.XMLSchema] = {}
    files = sorted((mini / "xml").glob("*.xml"))
    assert files
    for f in files:
        kind = f.name.split("_")[0]
        if kind not in schemas:
            sub = "jw" if kind.startswith("JW") else "wmo"
            schemas[kind] = etree.XMLSchema(etree.parse(str(XSD_DIR / sub / f"{kind}.xsd")))
        doc = etree.parse(str(f))
        assert schemas[kind].validate(doc), (f.name, schemas[kind].error_log.last_error)


def test_xml_messages_are_not_also_in_the_tables(mini: Path) -> None:
    df = read_berichten(mini)
    ids = set(df["bericht_id"].unique())
    xml_ids = {f.stem.split("_")[1] for f in (mini / "xml").glob("*.xml")}
    assert xml_ids and not xml_ids & ids
    kinds = {f.name.split("_")[0][-3:] for f in (mini / "xml").glob("*.xml")}
    assert kinds == {"301", "305", "307", "315", "317", "319"}


# ---------------------------------------------------------------- the 1-7-2022 conversion
def test_conversion_messages(mini: Path) -> None:
    producten = pl.read_csv(mini / "producten.csv", infer_schema=False)
    df = read_berichten(mini).with_columns([parse_date(c).alias(c) for c in DATE_COLS])
    df = df.with_columns(soort=pl.col("bericht_type").replace(VEKTIS).str.slice(-3))
    df = df.filter(  # leave out the injected copies with an unknown product
        pl.col("product_code").is_null()
        | pl.col("product_code").is_in(producten["product_code"].to_list())
    )
    old = df.filter(
        (pl.col("soort") == "301")
        & (pl.col("reden_wijziging") == "10")
        & (pl.col("einddatum") == pl.date(2022, 6, 30))
    )
    assert old.height > 0
    # the new toewijzing is in the same message: ingangsdatum 1-7-2022, a new product code
    new = df.filter(
        (pl.col("soort") == "301")
        & (pl.col("ingangsdatum") == pl.date(2022, 7, 1))
        & pl.col("bericht_id").is_in(old["bericht_id"].implode())
    )
    assert new.height >= 0.9 * old.height
    assert new["product_code"].str.slice(2, 1).eq("Z").all()
    assert old["product_code"].str.slice(2, 1).ne("Z").all()
    stops = df.filter(
        (pl.col("soort") == "307")
        & (pl.col("einddatum_zorg") == pl.date(2022, 6, 30))
        & (pl.col("reden_beeindiging") == "36")
    )
    starts = df.filter((pl.col("soort") == "305") & (pl.col("begindatum") == pl.date(2022, 7, 1)))
    assert stops.height > 0.8 * old.height
    assert starts.height > 0.8 * old.height
    # new care from 1-7-2022 uses new codes only
    oud = set(producten.filter(pl.col("geldig_tot").is_not_null())["product_code"])
    late_old = df.filter(
        (pl.col("soort") == "301")
        & pl.col("reden_wijziging").is_null()
        & (pl.col("ingangsdatum") >= pl.date(2022, 7, 1))
        & pl.col("product_code").is_in(oud)
    )
    assert late_old.height == 0


# ---------------------------------------------------------------- injected faults
def test_fault_counts_match_manifest(mini: Path) -> None:
    m = manifest(mini)["faults"]
    df = read_berichten(mini)
    producten = set(pl.read_csv(mini / "producten.csv", infer_schema=False)["product_code"])
    gemeenten = {g.code for g in load_gemeenten()}
    assert (
        df.filter(
            pl.col("product_code").is_not_null() & ~pl.col("product_code").is_in(producten)
        ).height
        == m["unknown_product"]
        > 0
    )
    assert df.filter(~pl.col("gemeente").is_in(gemeenten)).height == m["unknown_gemeente"] > 0
    dup = df.drop("bron").height - df.drop("bron").unique().height
    assert dup == m["duplicate_rows"] > 0
    bad_dates = df.select(
        pl.any_horizontal(
            [pl.col(c).is_not_null() & parse_date(c).is_null() for c in DATE_COLS]
        ).sum()
    ).item()
    assert bad_dates == m["unparsable_date"] > 0
    parsed = df.with_columns([parse_date(c).alias(c) for c in DATE_COLS])
    assert (
        parsed.filter(pl.col("einddatum_zorg") < pl.col("begindatum")).height
        == (m["stop_before_start"])
    )


def test_every_extra_fault_is_a_separate_message(mini: Path) -> None:
    df = read_berichten(mini)
    per_id = df.drop("bron").unique().group_by("bericht_id").agg(pl.len())
    assert per_id["len"].max() <= 2  # at most a two-line message (conversion)


# ---------------------------------------------------------------- regio volumes and realism
def test_regio_volumes(regio: Path) -> None:
    m = manifest(regio)
    assert [g["gemeente"] for g in m["gemeenten"]] == [
        "0197",
        "0222",
        "0294",
        "1509",
        "1586",
        "1859",
        "1876",
        "1955",
    ]
    assert m["peildatum"] == "2024-12-31"
    for year in ("2021", "2022", "2023", "2024"):
        v = m["volumes"][year]
        assert 7_500 <= v["jeugd_trajecten"] <= 11_000
        assert 5_500 <= v["jeugd_clienten"] <= 9_000
        assert 17_000 <= v["wmo_clienten"] <= 24_000
    assert 250_000 <= m["berichten_rijen"] <= 500_000
    assert 50 <= m["xml"]["bestanden"] <= 200
    k = m["kwaliteit"]
    assert 0.03 <= k["late_305"] / k["standing_305"] <= 0.25
    assert 0.03 <= k["late_307"] / k["standing_307"] <= 0.25
    rows = m["berichten_rijen"]
    for name, n in m["faults"].items():
        assert 0.0001 * rows <= n <= 0.01 * rows, name


def test_regio_providers_and_prices(regio: Path) -> None:
    aanbieders = pl.read_excel(regio / "aanbieders.xlsx")
    assert 50 <= aanbieders.height <= 70
    assert set(aanbieders["grootte"]) == {"klein", "regulier", "strategisch"}
    assert aanbieders["naam"].n_unique() == aanbieders.height
    contr = pl.read_csv(regio / "contracten.csv", infer_schema_length=None)
    producten = pl.read_csv(regio / "producten.csv").select("subsegment", "segment").unique()
    prijs = (
        contr.join(producten, on="subsegment")
        .group_by("segment")
        .agg(pl.col("plekprijs").min().alias("lo"), pl.col("plekprijs").max().alias("hi"))
    )
    ranges = {"IO": (4_500, 16_000), "IAJ": (7_500, 21_000), "GWV": (37_000, 92_000)}
    for seg, lo, hi in prijs.iter_rows():
        assert ranges[seg][0] <= lo and hi <= ranges[seg][1], seg
    years = set(contr["geldig_van"].unique())
    assert years == {"2022-07-01", "2023-07-01", "2024-07-01"}
    assert (contr["plekken"] % 1 != 0).any()
    voorschot = pl.read_parquet(regio / "voorschotten.parquet")
    assert (voorschot["maand"].dt.day() == 1).all()
    assert voorschot["maand"].min() == date(2022, 7, 1)
    begroting = pl.read_excel(regio / "begroting.xlsx")
    plan = begroting.filter(pl.col("maand").is_not_null()).sort("gemeente", "segment", "maand")
    assert plan.height > 0
    assert (
        plan.group_by("gemeente", "segment")
        .agg(pl.col("prognose_cumulatief").diff().min())
        .get_column("prognose_cumulatief")
        > 0
    ).all()
