"""Row checks: every input row is either typed and kept, or put in quarantine with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from datacontract.kolommen import Soort, Tabel
from warehouse.lezen import BRON_BESTAND, BRON_REGEL, Ingelezen
from warehouse.pseudoniem import zonder_bsn

MIN_JAAR, MAX_JAAR = 1900, 2100
# The longest field the contract takes (a name, a reference); a longer one is quarantined,
# and a raw row in quarantine keeps at most this much of each field.
MAX_VELD = 1000
# Columns whose value is personal data: never shown beside a reason (the raw row of a
# message keeps neither; see berichten.RUWE_KOLOMMEN).
PERSOONSKOLOMMEN = frozenset({"bsn", "geboortedatum"})
WAARDE_LENGTE = 60  # characters of an offending value shown beside its reason
F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


@dataclass(frozen=True)
class Regel:
    """One check: `fout` is true on a row that breaks it; `reden` says why, in Dutch.

    The reason is a fixed text (so quarantine counts group by it); `waarde` is the offending
    value shown beside it (default: the column's own value; never a BSN or date of birth).
    """

    kolom: str | None
    fout: pl.Expr
    reden: str
    waarde: pl.Expr | None = None


def getypt(naam: str) -> pl.Expr:
    """The typed value of a column, as computed by `met_typen` (null when unparsable)."""
    return pl.col(f"__{naam}")


def _datum(col: pl.Expr) -> pl.Expr:
    s = col.str.replace(r"[ T]00:00(:00)?(\.0+)?$", "")
    iso = s.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    nl = s.str.strptime(pl.Date, "%d-%m-%Y", strict=False)
    return pl.coalesce(iso, nl)


def _getal(col: pl.Expr) -> pl.Expr:
    # Dutch "1.234,56" and plain "1234.56" both read; a comma is always the decimal mark.
    nl = col.str.contains(",")
    tekst = pl.when(nl).then(col.str.replace_all(r"\.", "").str.replace(",", ".")).otherwise(col)
    return tekst.str.replace_all(r"^€\s*|\s", "").cast(pl.Float64, strict=False)


def _typed(naam: str, soort: Soort) -> pl.Expr:
    col = pl.col(naam)
    if soort == Soort.DATUM:
        return _datum(col)
    if soort == Soort.GEHEEL:
        return _getal(col).pipe(lambda g: pl.when(g.round(0) == g).then(g.cast(pl.Int64)))
    if soort == Soort.GETAL:
        return _getal(col)
    if soort == Soort.BEDRAG:
        return _getal(col).round(2).cast(pl.Decimal(18, 2), strict=False)
    return col


def met_typen(frame: F, tabel: Tabel) -> F:
    """Add a typed twin `__naam` for every contract column (a date column that is a date
    already, see lezen.open_bestand: itself)."""
    schema = frame.collect_schema()

    def getypte(naam: str, soort: Soort) -> pl.Expr:
        if soort == Soort.DATUM and schema.get(naam) == pl.Date:
            return pl.col(naam)
        return _typed(naam, soort)

    return frame.with_columns(getypte(k.naam, k.soort).alias(f"__{k.naam}") for k in tabel.kolommen)


def typeregels(tabel: Tabel) -> list[Regel]:
    """Checks that follow from the contract alone: required, parseable, plausible."""
    regels: list[Regel] = [
        Regel(
            k.naam,
            pl.col(k.naam).str.len_chars() > MAX_VELD,
            f"veld langer dan {MAX_VELD} tekens",
            pl.format("{} tekens", pl.col(k.naam).str.len_chars()),
        )
        for k in tabel.kolommen
        if k.soort != Soort.DATUM  # a date column may be typed; a long text is no date
    ]
    for k in tabel.kolommen:
        col, typed = pl.col(k.naam), getypt(k.naam)
        if k.verplicht and k.naam != "bsn":  # a 319 carries no client: see berichtregels
            regels.append(Regel(k.naam, col.is_null(), "verplicht veld ontbreekt"))
        if k.soort == Soort.DATUM:
            regels.append(Regel(k.naam, col.is_not_null() & typed.is_null(), "ongeldige datum"))
            jaar = typed.dt.year()
            regels.append(
                Regel(
                    k.naam,
                    typed.is_not_null() & ((jaar < MIN_JAAR) | (jaar > MAX_JAAR)),
                    "onmogelijke datum",
                )
            )
        elif k.soort in (Soort.GEHEEL, Soort.GETAL, Soort.BEDRAG):
            regels.append(Regel(k.naam, col.is_not_null() & typed.is_null(), "geen getal"))
        elif k.soort == Soort.CODE and k.breedte and k.naam != "bsn":
            patroon = rf"^\d{{{k.breedte}}}$"
            regels.append(
                Regel(
                    k.naam,
                    col.is_not_null() & ~col.str.contains(patroon),
                    f"code moet {k.breedte} cijfers zijn",
                )
            )
    return regels


def in_lijst(col: pl.Expr, waarden: list[str] | set[str] | None) -> pl.Expr:
    """True where the value is in `waarden` (or `waarden` is None: nothing to check against)."""
    if waarden is None:
        return pl.lit(True)
    return col.is_in(pl.Series(sorted(waarden), dtype=pl.String).implode())


def heeft_fout(regels: list[Regel]) -> pl.Expr:
    """True on a row that breaks any of `regels` (cheaper than `eerste_fout` on every row)."""
    if not regels:
        return pl.lit(False)
    return pl.any_horizontal([r.fout.fill_null(False) for r in regels])


def eerste_fout(frame: F, regels: list[Regel]) -> F:
    """Add `_kolom`, `_reden` and `_waarde` of the first rule each row breaks (null when none)."""
    geen = pl.lit(None, pl.String)
    if not regels:
        return frame.with_columns(geen.alias("_kolom"), geen.alias("_reden"), geen.alias("_waarde"))
    kolom: Any = pl
    reden: Any = pl
    waarde: Any = pl
    for r in regels:
        fout = r.fout.fill_null(False)
        kolom = kolom.when(fout).then(pl.lit(r.kolom, pl.String))
        reden = reden.when(fout).then(pl.lit(r.reden))
        if r.waarde is not None:
            eigen = r.waarde
        elif r.kolom and r.kolom not in PERSOONSKOLOMMEN:
            eigen = pl.col(r.kolom)
        else:
            eigen = geen
        waarde = waarde.when(fout).then(eigen.cast(pl.String))
    return frame.with_columns(
        kolom.otherwise(None).alias("_kolom"),
        reden.otherwise(None).alias("_reden"),
        waarde.otherwise(None).alias("_waarde"),
    )


def quarantaine_regels(
    frame: F,
    tabel: str,
    ernst: str,
    ruwe_kolommen: list[str],
    key: bytes,
    bericht_type: str | None = None,
) -> F:
    """Quarantine rows (schema of table `quarantaine`) from rows carrying `_kolom` and `_reden`.

    The raw row (JSON of `ruwe_kolommen`), the offending value and the columns copied from the
    row (bericht_type, gemeente, aanbieder: a rejected row may hold anything there) keep no
    BSN-like number: nine digits on their own become their pseudonym, whatever the column.
    Each copied field is cut at MAX_VELD characters.
    """
    schema = frame.collect_schema()

    def tekst(naam: str | None, lengte: int = MAX_VELD) -> pl.Expr:
        if naam and naam in schema:
            return bsn_vrij(pl.col(naam).cast(pl.String), key).str.slice(0, lengte)
        return pl.lit(None, pl.String)

    def ruw_veld(naam: str) -> pl.Expr:
        if schema[naam] != pl.String or naam == "client_id":  # client_id: a pseudonym already
            return pl.col(naam)
        return bsn_vrij(pl.col(naam).str.slice(0, MAX_VELD), key).alias(naam)

    ruw = pl.struct([ruw_veld(c) for c in ruwe_kolommen if c in schema]).struct.json_encode()
    return frame.select(
        pl.lit(tabel).alias("tabel"),
        pl.col(BRON_BESTAND).alias("bron_bestand"),
        pl.col(BRON_REGEL).cast(pl.Int32).alias("bron_regel"),
        pl.col("_kolom").alias("kolom"),
        pl.col("_reden").alias("reden"),
        tekst("_waarde", WAARDE_LENGTE).alias("waarde"),
        pl.lit(ernst).alias("ernst"),
        tekst(bericht_type).alias("bericht_type"),
        tekst("gemeente").alias("gemeente"),
        tekst("aanbieder").alias("aanbieder"),
        ruw.alias("ruwe_regel"),
    )


def bsn_vrij(tekst: pl.Expr, key: bytes) -> pl.Expr:
    """`tekst` with every BSN-like number replaced by its pseudonym (pseudoniem.zonder_bsn)."""

    def vervang(reeks: pl.Series) -> pl.Series:
        verdacht = reeks.str.contains(r"\d{9}").fill_null(False)
        if not verdacht.any():
            return reeks
        waarden = reeks.to_list()
        for i in verdacht.arg_true().to_list():
            waarden[i] = zonder_bsn(waarden[i], key)
        return pl.Series(reeks.name, waarden, dtype=pl.String)

    return tekst.map_batches(vervang, return_dtype=pl.String)


def ongelezen_als_quarantaine(bron: Ingelezen, tabel: str) -> pl.DataFrame:
    """The lines of a source that could not be read as a row, as quarantine rows (the line
    itself is not kept: split wrongly, any field may hold a BSN or a date of birth)."""
    assert bron.ongelezen is not None
    return bron.ongelezen.select(
        pl.lit(tabel).alias("tabel"),
        pl.lit(bron.bestand).alias("bron_bestand"),
        pl.col(BRON_REGEL).cast(pl.Int32).alias("bron_regel"),
        pl.col("kolom"),
        pl.col("reden"),
        pl.col("waarde"),
        pl.lit("fout").alias("ernst"),
        pl.lit(None, pl.String).alias("bericht_type"),
        pl.lit(None, pl.String).alias("gemeente"),
        pl.lit(None, pl.String).alias("aanbieder"),
        pl.lit(None, pl.String).alias("ruwe_regel"),
    )


def dubbelen(
    frame: pl.DataFrame,
    sleutel: list[str],
    inhoud: list[str],
    volgorde: str = "_volgnr",
    kolom: str | None = None,
) -> pl.DataFrame:
    """Mark rows sharing `sleutel` with an earlier row: exact copies 'dubbel', others 'fout'.

    Adds `_dubbel` ('dubbel' | 'fout' | null), `_kolom` and `_reden` pointing at the first
    occurrence. The earliest row by `volgorde` of each key stays. `kolom` names the column
    reported (default: the first key column).
    """
    kolom = kolom or sleutel[0]
    eerste = (
        frame.sort(volgorde)
        .group_by(sleutel, maintain_order=True)
        .agg(
            pl.col(volgorde).first().alias("_eerste"),
            pl.struct(inhoud).first().struct.json_encode().alias("_eerste_inhoud"),
            pl.col(BRON_BESTAND).first().alias("_eerste_bestand"),
            pl.col(BRON_REGEL).first().alias("_eerste_regel"),
        )
    )
    gemerkt = frame.join(eerste, on=sleutel, how="left", nulls_equal=True, maintain_order="left")
    zelfde = pl.struct(inhoud).struct.json_encode() == pl.col("_eerste_inhoud")
    is_later = pl.col(volgorde) != pl.col("_eerste")
    waar = pl.format("{} regel {}", pl.col("_eerste_bestand"), pl.col("_eerste_regel"))
    return gemerkt.with_columns(
        pl.when(is_later & zelfde)
        .then(pl.lit("dubbel"))
        .when(is_later)
        .then(pl.lit("fout"))
        .alias("_dubbel"),
        pl.when(is_later).then(pl.lit(kolom)).alias("_kolom"),
        pl.when(is_later & zelfde)
        .then(pl.lit("dubbel: al geladen"))
        .when(is_later)
        .then(pl.lit("tegenstrijdig dubbel: zelfde sleutel, andere inhoud"))
        .alias("_reden"),
        pl.when(is_later).then(pl.format("eerder: {}", waar)).alias("_waarde"),
    ).drop("_eerste", "_eerste_inhoud", "_eerste_bestand", "_eerste_regel")
