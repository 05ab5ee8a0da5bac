"""Read extract files (CSV, Parquet, Excel) into all-text Polars frames with their line numbers.

A CSV file is checked before it is read: its encoding (UTF-8 with or without BOM, else
Windows-1252) and its delimiter (from the header and the first rows) are detected per file. A
file whose rows do not split like its header cannot be read at all; a single line that cannot
be read (wrong number of fields, bytes that are no text in the file's encoding) is set aside
with its line number, never lost. An Excel workbook is read sheet by sheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polars as pl
from lxml import etree

from datacontract.kolommen import Soort, Tabel

BRON_BESTAND = "_bron_bestand"
BRON_REGEL = "_bron_regel"
EXTENSIES = (".csv", ".parquet", ".xlsx")

# How each detected encoding is named in the load summary.
CODERINGEN = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 met BOM", "cp1252": "Windows-1252"}
PROEF_BYTES = 1 << 20  # the start of a CSV file that decides its encoding and delimiter
PROEF_REGELS = 200  # rows of that start that must split like the header
SCHEIDINGSTEKENS = (";", ",")

# Lines set aside while reading (table `quarantaine` gets them without the line itself).
REDEN_VELDEN = "verkeerd aantal velden"
REDEN_TEKENS = "tekens die niet gelezen kunnen worden"
REDEN_FORMULE = "formule zonder berekende waarde"
ONGELEZEN_SCHEMA = {
    BRON_REGEL: pl.Int64,
    "kolom": pl.String,
    "reden": pl.String,
    "waarde": pl.String,
}
_ONLEESBAAR = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of an unreadable byte

# The csv module's own limit (128 KiB) would refuse a whole file for one long field; a field
# longer than the contract allows is quarantined by the row checks instead (controle.MAX_VELD).
csv.field_size_limit(1 << 30)


class LaadFout(Exception):
    """An extract that cannot be loaded at all; names the file and, where known, the column."""

    def __init__(self, bestand: str, melding: str, kolom: str | None = None) -> None:
        self.bestand = bestand
        self.kolom = kolom
        self.melding = melding
        waar = f"{bestand}" + (f", kolom '{kolom}'" if kolom else "")
        super().__init__(f"{waar}: {melding}")


@dataclass
class Ingelezen:
    """One source as text: contract columns (missing optional ones as null) plus bookkeeping.

    `frame` is lazy so that large files stream; small tables simply collect it.
    """

    bestand: str
    # contract columns as String (date columns as Date where the file typed them and it was
    # opened with datums_getypt), plus _bron_bestand and _bron_regel
    frame: pl.LazyFrame
    extra_kolommen: list[str] = field(default_factory=list)
    # lines that could not be read as a row (ONGELEZEN_SCHEMA)
    ongelezen: pl.DataFrame | None = None
    codering: str | None = None  # a CSV file's encoding, as named in CODERINGEN


def bestanden_voor(extract: Path, tabel: str) -> list[Path]:
    """Files of one table: any file whose name starts with the table name, sorted by name."""
    return sorted(
        p
        for p in extract.iterdir()
        if p.is_file() and p.name.lower().startswith(tabel) and p.suffix.lower() in EXTENSIES
    )


def open_bronnen(
    pad: Path,
    tabel: Tabel,
    extract: Path,
    datums_getypt: bool = False,
    werkmap: Path | None = None,
) -> list[Ingelezen]:
    """The sources of one file: itself, or each sheet with data of an Excel workbook."""
    if pad.suffix.lower() == ".xlsx":
        return _excel_bronnen(pad, str(pad.relative_to(extract)), tabel, datums_getypt)
    return [open_bestand(pad, tabel, extract, datums_getypt=datums_getypt, werkmap=werkmap)]


def open_bestand(
    pad: Path,
    tabel: Tabel,
    extract: Path,
    regel_voor_regel: bool = False,
    datums_getypt: bool = False,
    werkmap: Path | None = None,
) -> Ingelezen:
    """Open one file of `tabel` as a lazy text frame; raise LaadFout when it cannot be read.

    CSV is scanned lazily. A file with short lines or bytes that are no text is read line by
    line (`regel_voor_regel`) at once, with the csv module, which sets those lines aside in
    `ongelezen`; so is a file whose long lines only show when collected (the caller opens it
    again). A Windows-1252 file is first converted to UTF-8 in `werkmap` (in memory without
    one). `datums_getypt`: a date column the file stores as a date (Parquet, Excel) stays a
    date instead of becoming text to be parsed again (controle.met_typen takes it as it is);
    for the messages, whose files are each checked on their own. An Excel file: its only
    sheet with data (`open_bronnen` reads a workbook with more).
    """
    naam = str(pad.relative_to(extract))
    suffix = pad.suffix.lower()
    if suffix == ".xlsx":
        bronnen = _excel_bronnen(pad, naam, tabel, datums_getypt)
        if len(bronnen) > 1:
            raise LaadFout(naam, "werkboek met meer dan een blad: lees het met open_bronnen")
        return bronnen[0]
    ongelezen, codering = None, None
    try:
        if suffix == ".csv":
            proef = _csv_proef(pad, naam)
            codering = proef.codering
            bron = None if regel_voor_regel else _utf8_bron(pad, proef, werkmap)
            if bron is None or not _snel_leesbaar(bron, proef):
                df, ongelezen, codering = _lees_csv_regel_voor_regel(pad, naam, proef.scheiding)
                ruw = df.lazy()
            else:
                ruw = pl.scan_csv(
                    bron,
                    separator=proef.scheiding,
                    infer_schema=False,
                    encoding="utf8",
                    raise_if_empty=True,
                    truncate_ragged_lines=False,
                )
            eerste_regel = 2
        else:
            ruw, eerste_regel = pl.scan_parquet(pad), 1
        schema = ruw.collect_schema()
    except LaadFout:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means: cannot be read at all
        raise LaadFout(naam, _fouttekst(exc)) from exc
    return _als_bron(naam, ruw, schema, eerste_regel, tabel, datums_getypt, ongelezen, codering)


def _als_bron(
    naam: str,
    ruw: pl.LazyFrame,
    schema: pl.Schema,
    eerste_regel: int,
    tabel: Tabel,
    datums_getypt: bool,
    ongelezen: pl.DataFrame | None,
    codering: str | None,
) -> Ingelezen:
    """The contract columns of a read source, under their own names, as text or typed dates."""
    namen = [_kolomnaam(c) for c in schema.names()]
    dubbel = sorted({c for c in namen if namen.count(c) > 1})
    if dubbel:
        raise LaadFout(naam, "kolom komt meer dan eens voor", kolom=dubbel[0])
    ruw = ruw.rename(dict(zip(schema.names(), namen, strict=True)))
    schema = pl.Schema(dict(zip(namen, schema.dtypes(), strict=True)))
    for kolom in tabel.kolommen:
        if kolom.verplicht and kolom.naam not in schema:
            raise LaadFout(naam, "verplichte kolom ontbreekt", kolom=kolom.naam)

    extra = [c for c in namen if c not in tabel.namen and not c.startswith("_")]
    if BRON_REGEL not in schema:
        ruw = ruw.with_row_index(BRON_REGEL, offset=eerste_regel)
    kolommen = [
        _als_datum(schema, k.naam)
        if datums_getypt and k.soort == Soort.DATUM and _is_datum(schema.get(k.naam))
        else _als_tekst(schema, k.naam, k.soort, k.breedte)
        for k in tabel.kolommen
    ]
    frame = ruw.select(
        *kolommen,
        pl.lit(naam).alias(BRON_BESTAND),
        pl.col(BRON_REGEL).cast(pl.Int64),
    )
    return Ingelezen(naam, frame, extra, ongelezen, CODERINGEN.get(codering or ""))


def lees_bronnen(
    pad: Path, tabel: Tabel, extract: Path, werkmap: Path | None = None
) -> list[Ingelezen]:
    """Open and read (small) files completely; lines that cannot be read are set aside."""
    return [
        _lees_helemaal(pad, b, tabel, extract)
        for b in open_bronnen(pad, tabel, extract, werkmap=werkmap)
    ]


def _lees_helemaal(pad: Path, bron: Ingelezen, tabel: Tabel, extract: Path) -> Ingelezen:
    try:
        frame = bron.frame.collect()
    except pl.exceptions.ComputeError:
        if pad.suffix.lower() != ".csv":
            raise
    except Exception as exc:  # noqa: BLE001
        raise LaadFout(bron.bestand, _fouttekst(exc)) from exc
    else:
        return Ingelezen(
            bron.bestand, frame.lazy(), bron.extra_kolommen, bron.ongelezen, bron.codering
        )
    bron = open_bestand(pad, tabel, extract, regel_voor_regel=True)
    return Ingelezen(
        bron.bestand,
        bron.frame.collect().lazy(),
        bron.extra_kolommen,
        bron.ongelezen,
        bron.codering,
    )


def _fouttekst(exc: Exception) -> str:
    eerste = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"bestand kan niet gelezen worden ({type(exc).__name__}: {eerste})"


def _kolomnaam(naam: str) -> str:
    return naam.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


# ---------------------------------------------------------------- CSV


def _scheidingsteken(kop: str) -> str:
    """The delimiter the header line uses: ';' when it has more of those than ','."""
    return ";" if kop.count(";") > kop.count(",") else ","


def codering_van(data: bytes) -> str:
    """The encoding of (the start of) a CSV file: 'utf-8-sig', 'utf-8' or 'cp1252'.

    UTF-8 with a BOM, or text that is valid UTF-8, is UTF-8. Otherwise it is Windows-1252 (what
    Excel writes on a Dutch Windows machine), unless the text holds more valid UTF-8 sequences
    for non-ASCII characters than invalid bytes: then it is UTF-8 with a few broken lines (read
    as Windows-1252 its names would turn into 'Ã«').
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        tekst = data.decode("utf-8", errors="surrogateescape")
        fout = len(_ONLEESBAAR.findall(tekst))
        goed = sum(1 for c in tekst if c > "\x7f") - fout
        return "utf-8" if goed > fout else "cp1252"
    return "utf-8"


@dataclass(frozen=True)
class _Proef:
    """What the start of a CSV file tells: its encoding, delimiter and header's field count."""

    codering: str
    scheiding: str
    velden: int


def _csv_proef(pad: Path, naam: str) -> _Proef:
    """Detect encoding and delimiter; refuse a file whose rows do not split like its header."""
    with pad.open("rb") as f:
        data = f.read(PROEF_BYTES)
        heel = not f.read(1)
    if not heel and b"\n" in data:
        data = data[: data.rindex(b"\n") + 1]  # whole lines only
    codering = codering_van(data)
    tekst = data.decode(codering, errors="surrogateescape")
    kop = tekst.split("\n", 1)[0].rstrip("\r") if tekst.strip() else ""
    if not kop.strip():
        raise LaadFout(naam, "bestand is leeg")
    scheiding = _scheidingsteken(kop)
    _controleer_scheiding(naam, tekst, scheiding)
    return _Proef(codering, scheiding, len(next(csv.reader([kop], delimiter=scheiding))))


def _controleer_scheiding(naam: str, tekst: str, scheiding: str) -> None:
    """Raise LaadFout when the first rows do not split into the header's number of fields.

    A file whose header uses ';' and whose rows use ',' would otherwise load each whole line
    as one field (with its BSN and date of birth). It stops the load when no row splits like
    the header, or (from 10 rows) fewer than half do; a few ragged lines are quarantined.
    """
    splits = {}
    for teken in SCHEIDINGSTEKENS:
        lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=teken)
        kop = len(next(lezer))
        rijen = [len(r) for r in itertools.islice(lezer, PROEF_REGELS) if any(v.strip() for v in r)]
        splits[teken] = (kop, rijen)
    kop, rijen = splits[scheiding]
    passend = sum(1 for n in rijen if n == kop)
    if not rijen or (passend and (len(rijen) < 10 or 2 * passend >= len(rijen))):
        return
    ander = next(t for t in SCHEIDINGSTEKENS if t != scheiding)
    anders = splits[ander][1]
    meest = max(set(anders), key=anders.count) if anders else 0
    hoe = (
        f"de kop is gescheiden met '{scheiding}', de regels met '{ander}'"
        if meest > 1 and 2 * anders.count(meest) > len(rijen)
        else f"de kop heeft {kop} velden gescheiden met '{scheiding}', de regels een ander aantal"
    )
    raise LaadFout(naam, f"de regels zijn anders gesplitst dan de kop: {hoe}")


def _utf8_bron(pad: Path, proef: _Proef, werkmap: Path | None) -> Path | bytes:
    """The file as UTF-8 for Polars: itself, or a Windows-1252 file converted, line for line.

    A byte that Windows-1252 does not define stays as it is, so that the converted file is no
    valid UTF-8 there and is read line by line, which sets that line aside.
    """
    if proef.codering != "cp1252":
        return pad
    if werkmap is None:
        geheugen = io.BytesIO()
        _naar_utf8(pad, geheugen)
        return geheugen.getvalue()
    uit = werkmap / f"utf8-{uuid.uuid4().hex}.csv"
    with uit.open("wb") as doel:
        _naar_utf8(pad, doel)
    return uit


def _naar_utf8(pad: Path, doel: IO[bytes]) -> None:
    decoder = codecs.getincrementaldecoder("cp1252")(errors="surrogateescape")
    with pad.open("rb") as f:
        while blok := f.read(1 << 24):
            doel.write(decoder.decode(blok).encode("utf-8", errors="surrogateescape"))
    doel.write(decoder.decode(b"", final=True).encode("utf-8", errors="surrogateescape"))


def _snel_leesbaar(bron: Path | bytes, proef: _Proef) -> bool:
    """True when Polars can read the file as it is: no line (but blank ones) with fewer
    fields than the header, and no byte that is no UTF-8.

    Polars pads a short line with nulls (an open-ended toewijzing, where the einddatum was
    cut off) and refuses a file for one bad byte; the csv module reads both line by line. One
    streaming pass over the lines, counting delimiters: a quoted delimiter only adds to the
    count, so a line with fewer than the header's is short (or part of a quoted multi-line
    field, which the csv module reads right too).
    """
    regel = pl.col("regel")
    try:
        kort, onleesbaar = (
            pl.scan_csv(
                bron,
                has_header=False,
                skip_rows=1,
                separator="\x1f",
                quote_char=None,
                infer_schema=False,
                encoding="utf8-lossy",
                new_columns=["regel"],
                truncate_ragged_lines=True,
            )
            .select(
                (
                    (regel.str.count_matches(proef.scheiding, literal=True) < proef.velden - 1)
                    & (regel.str.strip_chars() != "")
                )
                .any()
                .alias("kort"),
                regel.str.contains("\ufffd", literal=True).any().alias("onleesbaar"),
            )
            .collect()
            .row(0)
        )
    except pl.exceptions.NoDataError:
        return True  # the header alone
    except pl.exceptions.PolarsError:
        return False  # a line holds the unit separator itself: let the csv module read it
    return not kort and not onleesbaar


def _lees_csv_regel_voor_regel(
    pad: Path, naam: str, scheiding: str
) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """Slow path: good lines kept, the others set aside with their line number and reason.

    Reads the whole file, so its encoding is decided on all of it. Returns the good rows, the
    lines set aside and the encoding.
    """
    data = pad.read_bytes()
    codering = codering_van(data)
    tekst = data.decode(codering, errors="surrogateescape")
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    kop = [_ONLEESBAAR.sub("\ufffd", k) for k in next(lezer)]
    goed, slecht = [], []
    begin = lezer.line_num + 1
    for velden in lezer:
        regel, begin = begin, lezer.line_num + 1  # a quoted field may span lines
        if any(_ONLEESBAAR.search(v) for v in velden):
            slecht.append((regel, REDEN_TEKENS, f"geen geldige {CODERINGEN[codering]}"))
        elif len(velden) != len(kop):
            if any(v.strip() for v in velden):
                slecht.append((regel, REDEN_VELDEN, f"{len(velden)} velden, de kop {len(kop)}"))
        else:
            goed.append([*velden, str(regel)])
    kolommen = [*kop, BRON_REGEL]
    if len(set(kolommen)) != len(kolommen):
        raise LaadFout(naam, "kolom komt meer dan eens voor")
    df = pl.DataFrame(goed, schema={k: pl.String for k in kolommen}, orient="row").with_columns(
        pl.col(BRON_REGEL).cast(pl.Int64)
    )
    ongelezen = pl.DataFrame(
        {
            BRON_REGEL: [s[0] for s in slecht],
            "kolom": [None for _ in slecht],
            "reden": [s[1] for s in slecht],
            "waarde": [s[2] for s in slecht],
        },
        schema=ONGELEZEN_SCHEMA,
    )
    return df, ongelezen, codering


# ---------------------------------------------------------------- Excel


def _excel_bronnen(pad: Path, naam: str, tabel: Tabel, datums_getypt: bool) -> list[Ingelezen]:
    """One source per sheet with data; a workbook with a sheet of data that lacks the table's
    required columns is refused, naming the sheets (so that no sheet is silently skipped)."""
    try:
        bladen = pl.read_excel(
            io.BytesIO(pad.read_bytes()),
            sheet_id=0,
            infer_schema_length=None,
            drop_empty_rows=False,
            raise_if_empty=False,
        )
        formules = _formules_zonder_waarde(pad)
    except Exception as exc:  # noqa: BLE001 - any reader failure means: cannot be read at all
        raise LaadFout(naam, _fouttekst(exc)) from exc
    met_gegevens = {blad: df for blad, df in bladen.items() if df.width}
    if not met_gegevens:
        raise LaadFout(naam, "bestand is leeg")
    if len(met_gegevens) > 1:
        verplicht = [k.naam for k in tabel.kolommen if k.verplicht]
        zonder = {
            blad: [k for k in verplicht if k not in {_kolomnaam(c) for c in df.columns}]
            for blad, df in met_gegevens.items()
        }
        zonder = {blad: mist for blad, mist in zonder.items() if mist}
        if zonder:
            welke = "; ".join(f"'{b}' mist {', '.join(m)}" for b, m in zonder.items())
            raise LaadFout(
                naam,
                f"werkboek met {len(met_gegevens)} bladen met gegevens, niet elk met de "
                f"kolommen van {tabel.naam} ({welke}); zet elk blad in een eigen bestand of "
                "verwijder de andere bladen",
            )
    bronnen = []
    for blad, df in met_gegevens.items():
        bestand = naam if len(met_gegevens) == 1 else f"{naam}[{blad}]"
        ruw, ongelezen = _zonder_formules(df, formules.get(blad, {}), tabel)
        bronnen.append(
            _als_bron(bestand, ruw, ruw.collect_schema(), 2, tabel, datums_getypt, ongelezen, None)
        )
    return bronnen


def _zonder_formules(
    df: pl.DataFrame, formules: dict[int, tuple[str, str]], tabel: Tabel
) -> tuple[pl.LazyFrame, pl.DataFrame | None]:
    """Rows with a formula cell in a contract column that has no value computed (the file was
    written by a program that does not calculate) are set aside, naming the cell."""
    ruw = df.lazy().with_row_index(BRON_REGEL, offset=2)
    apart = {
        rij: (kolom, cel)
        for rij, (kop, cel) in sorted(formules.items())
        if (kolom := _kolomnaam(kop)) in tabel.namen
    }
    if not apart:
        return ruw, None
    ongelezen = pl.DataFrame(
        {
            BRON_REGEL: list(apart),
            "kolom": [k for k, _ in apart.values()],
            "reden": [REDEN_FORMULE for _ in apart],
            "waarde": [f"cel {c}" for _, c in apart.values()],
        },
        schema=ONGELEZEN_SCHEMA,
    )
    rijen = pl.Series(list(apart), dtype=pl.Int64).implode()
    return ruw.filter(~pl.col(BRON_REGEL).cast(pl.Int64).is_in(rijen)), ongelezen


_HOOFD = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PAKKET = "http://schemas.openxmlformats.org/package/2006/relationships"
_FORMULE = re.compile(rb"<(\w+:)?f[\s>/]")
_CEL = re.compile(r"^([A-Z]+)(\d+)$")


def _formules_zonder_waarde(pad: Path) -> dict[str, dict[int, tuple[str, str]]]:
    """Per sheet: the rows with a formula cell that has no cached value, with the first such
    cell's column header and reference: {sheet: {row: (header, 'B3')}}."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    uit: dict[str, dict[int, tuple[str, str]]] = {}
    with zipfile.ZipFile(pad) as z:
        boek = etree.fromstring(z.read("xl/workbook.xml"), parser)
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), parser)
        doelen = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PAKKET}}}Relationship")}
        teksten: list[str] | None = None
        for blad in boek.iter(f"{{{_HOOFD}}}sheet"):
            doel = doelen.get(blad.get(f"{{{_RELATIE}}}id"), "")
            lid = doel.lstrip("/") if doel.startswith("/") else f"xl/{doel}"
            if lid not in z.namelist():
                continue
            data = z.read(lid)
            if not _FORMULE.search(data):
                continue
            if teksten is None:
                teksten = _gedeelde_teksten(z, parser)
            cellen = _cellen_zonder_waarde(etree.fromstring(data, parser), teksten)
            if cellen:
                uit[blad.get("name", "")] = cellen
    return uit


def _gedeelde_teksten(z: zipfile.ZipFile, parser: etree.XMLParser) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    wortel = etree.fromstring(z.read("xl/sharedStrings.xml"), parser)
    return ["".join(si.itertext()) for si in wortel.iter(f"{{{_HOOFD}}}si")]


def _cellen_zonder_waarde(blad: etree._Element, teksten: list[str]) -> dict[int, tuple[str, str]]:
    kop: dict[str, str] = {}
    uit: dict[int, tuple[str, str]] = {}
    eerste_rij = None
    for cel in blad.iter(f"{{{_HOOFD}}}c"):
        m = _CEL.match(cel.get("r", ""))
        if not m:
            continue
        kolom, rij = m.group(1), int(m.group(2))
        eerste_rij = rij if eerste_rij is None else eerste_rij
        waarde = cel.find(f"{{{_HOOFD}}}v")
        if rij == eerste_rij:
            if cel.get("t") == "s" and waarde is not None and (waarde.text or "").isdigit():
                kop[kolom] = teksten[int(waarde.text or 0)]
            else:
                kop[kolom] = "".join(cel.itertext())
            continue
        formule = cel.find(f"{{{_HOOFD}}}f")
        # a string formula may have computed '' (t="str", <v></v>): that is a value
        leeg = waarde is None or (not waarde.text and cel.get("t") != "str")
        if formule is not None and leeg and rij not in uit:
            uit[rij] = (kop.get(kolom, kolom), f"{kolom}{rij}")
    return uit


# ---------------------------------------------------------------- typed columns


def _is_datum(dtype: pl.DataType | None) -> bool:
    return dtype is not None and (dtype == pl.Date or isinstance(dtype, pl.Datetime))


def _als_datum(schema: pl.Schema, naam: str) -> pl.Expr:
    """A typed date column kept as a date (a date-time: its date, as the text path keeps)."""
    col = pl.col(naam)
    return (col if schema[naam] == pl.Date else col.dt.date()).alias(naam)


def _als_tekst(schema: pl.Schema, naam: str, soort: Soort, breedte: int | None) -> pl.Expr:
    """Column `naam` as trimmed text (null when empty); typed sources converted explicitly."""
    if naam not in schema:
        return pl.lit(None, dtype=pl.String).alias(naam)
    dtype = schema[naam]
    col = pl.col(naam)
    if dtype == pl.String:
        expr = col
    elif _is_datum(dtype):
        expr = col.dt.strftime("%Y-%m-%d")
    elif dtype.is_integer():
        expr = col.cast(pl.String)
        if breedte:
            expr = expr.str.zfill(breedte)
    elif dtype.is_float():
        heel = col.round(0) == col
        tekst = (
            pl.when(heel).then(col.cast(pl.Int64).cast(pl.String)).otherwise(col.cast(pl.String))
        )
        expr = tekst.str.zfill(breedte) if breedte and soort == Soort.CODE else tekst
    else:
        expr = col.cast(pl.String)
    expr = expr.str.strip_chars()
    return pl.when(expr == "").then(None).otherwise(expr).alias(naam)
