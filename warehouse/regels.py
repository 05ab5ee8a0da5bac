"""Table-specific checks, on top of the type checks of the data contract."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from datacontract.kolommen import BERICHT_TYPES, VEKTIS
from warehouse.controle import Regel, getypt, in_lijst
from warehouse.lezen import BRON_BESTAND, BRON_REGEL, LaadFout
from warehouse.pseudoniem import elfproef
from warehouse.schema import externe_kpis_pad

REDENEN_BEEINDIGING = {
    "jeugd": {"02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"},
    "wmo": {"02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39"},
}


@dataclass(frozen=True)
class Referentie:
    """What rows are checked against: the reference tables as loaded."""

    gemeenten: frozenset[str]
    aanbieders: frozenset[str] | None  # None: no aanbieders table in the extract
    producten: pl.DataFrame  # product_code, domein, segment, subsegment, zwaarte
    # the external KPIs kpi_waarden may deliver: id -> eenheid (externe_kpi_eenheden)
    externe_kpis: Mapping[str, str] | None = None

    @property
    def subsegmenten(self) -> set[str]:
        return set(self.producten.get_column("subsegment").to_list())

    @property
    def segmenten(self) -> set[str]:
        return set(self.producten.get_column("segment").to_list())


def normaliseer_berichttype(frame: pl.DataFrame) -> pl.DataFrame:
    """bericht_type as 'JW301' (Vektis numbers accepted); add berichtsoort, domein, afzender."""
    ruw = pl.col("bericht_type").str.to_uppercase().str.replace_all(r"\s", "")
    vektis = ruw.replace_strict(VEKTIS, default=None, return_dtype=pl.String)
    bekend = pl.when(ruw.is_in(list(BERICHT_TYPES))).then(ruw)
    genormaliseerd = pl.coalesce(bekend, vektis)
    soort = genormaliseerd.str.slice(-3)
    return frame.with_columns(
        genormaliseerd.alias("_n_bericht_type"),
        soort.alias("_n_berichtsoort"),
        pl.when(genormaliseerd.str.starts_with("JW"))
        .then(pl.lit("jeugd"))
        .when(genormaliseerd.str.starts_with("WMO"))
        .then(pl.lit("wmo"))
        .alias("_n_domein"),
        pl.when(soort.is_in(["301", "319"]))
        .then(pl.col("gemeente"))
        .otherwise(pl.col("aanbieder"))
        .alias("_n_afzender"),
    )


_SOORT = pl.col("_n_berichtsoort")
_DOMEIN = pl.col("_n_domein")


def berichtregels(ref: Referentie) -> list[Regel]:
    """Checks on message rows, in the order they are reported (first broken rule wins):
    the message type, the BSN, the fields a message type requires, the codes against the
    reference tables, then dates and coded values."""
    onbekend_type = Regel(
        "bericht_type", pl.col("_n_bericht_type").is_null(), "onbekend berichttype"
    )
    return [
        onbekend_type,
        *_bsnregels(),
        *_verplichte_velden(),
        *_referentieregels(ref),
        *_waarderegels(),
    ]


def _bsnregels() -> list[Regel]:
    bsn = pl.col("bsn")
    return [
        Regel("bsn", (_SOORT != "319") & bsn.is_null(), "verplicht veld ontbreekt (BSN)"),
        Regel("bsn", bsn.is_not_null() & ~bsn.str.contains(r"^\d{9}$"), "BSN heeft geen 9 cijfers"),
        Regel("bsn", bsn.is_not_null() & ~elfproef(bsn), "BSN voldoet niet aan de elfproef"),
    ]


def _verplichte_velden() -> list[Regel]:
    def verplicht_voor(kolom: str, soorten: list[str]) -> Regel:
        return Regel(
            kolom,
            _SOORT.is_in(soorten) & pl.col(kolom).is_null(),
            f"verplicht veld ontbreekt in een {'/'.join(soorten)}",
        )

    return [
        verplicht_voor("toewijzingnummer", ["301"]),
        verplicht_voor("product_code", ["301"]),
        verplicht_voor("product_categorie", ["301"]),
        verplicht_voor("ingangsdatum", ["301"]),
        verplicht_voor("begindatum", ["305", "307"]),
        verplicht_voor("einddatum_zorg", ["307"]),
        verplicht_voor("reden_beeindiging", ["307"]),
    ]


def _referentieregels(ref: Referentie) -> list[Regel]:
    productdomein = pl.col("product_code").replace_strict(
        dict(zip(ref.producten["product_code"], ref.producten["domein"], strict=True)),
        default=None,
        return_dtype=pl.String,
    )
    return [
        Regel(
            "gemeente",
            ~in_lijst(pl.col("gemeente"), ref.gemeenten),
            "onbekende gemeentecode",
        ),
        Regel(
            "aanbieder",
            ~in_lijst(pl.col("aanbieder"), ref.aanbieders),
            "onbekende aanbieder (niet in aanbieders)",
        ),
        Regel(
            "product_code",
            pl.col("product_code").is_not_null() & productdomein.is_null(),
            "onbekende productcode",
        ),
        Regel(
            "product_code",
            productdomein.is_not_null() & (productdomein != _DOMEIN),
            "productcode hoort bij een ander domein",
            pl.format("{} ({})", pl.col("product_code"), productdomein),
        ),
    ]


def _waarderegels() -> list[Regel]:
    reden_bekend = (
        pl.when(_DOMEIN == "jeugd")
        .then(in_lijst(pl.col("reden_beeindiging"), REDENEN_BEEINDIGING["jeugd"]))
        .otherwise(in_lijst(pl.col("reden_beeindiging"), REDENEN_BEEINDIGING["wmo"]))
    )
    return [
        Regel(
            "einddatum",
            getypt("einddatum") < getypt("ingangsdatum"),
            "einddatum ligt voor de ingangsdatum",
        ),
        Regel(
            "einddatum_zorg",
            getypt("einddatum_zorg") < getypt("begindatum"),
            "stop voor start: einddatum zorg ligt voor de begindatum",
        ),
        Regel(
            "reden_beeindiging",
            pl.col("reden_beeindiging").is_not_null() & ~reden_bekend,
            "onbekende reden beëindiging",
        ),
        Regel(
            "status_aanlevering",
            pl.col("status_aanlevering").is_not_null()
            & ~pl.col("status_aanlevering").is_in(["1", "2", "3"]),
            "status aanlevering is niet 1, 2 of 3",
        ),
        Regel(
            "verzoek_antwoord",
            pl.col("verzoek_antwoord").is_not_null()
            & ~pl.col("verzoek_antwoord").is_in(["1", "2"]),
            "verzoek antwoord is niet 1 of 2",
        ),
    ]


def productregels() -> list[Regel]:
    """Checks on the producten reference table."""
    return [
        Regel(
            "domein",
            ~pl.col("domein").str.to_lowercase().is_in(["jeugd", "wmo"]),
            "domein is niet jeugd of wmo",
        ),
        Regel("zwaarte", getypt("zwaarte") < 1, "zwaarte moet 1 of hoger zijn"),
        Regel(
            "geldig_tot", getypt("geldig_tot") < getypt("geldig_van"), "geldig tot voor geldig van"
        ),
    ]


def aanbiederregels() -> list[Regel]:
    """Checks on the aanbieders reference table."""
    return [
        Regel(
            "grootte",
            pl.col("grootte").is_not_null()
            & ~pl.col("grootte").str.to_lowercase().is_in(["klein", "regulier", "strategisch"]),
            "grootte is niet klein, regulier of strategisch",
        )
    ]


def _gemeente_bekend(ref: Referentie, leeg_mag: bool = False) -> Regel:
    col = pl.col("gemeente")
    fout = ~in_lijst(col, ref.gemeenten)
    if leeg_mag:
        fout = col.is_not_null() & fout
    return Regel("gemeente", fout, "onbekende gemeentecode")


def _aanbieder_bekend(ref: Referentie) -> Regel:
    col = pl.col("aanbieder")
    return Regel(
        "aanbieder",
        col.is_not_null() & ~in_lijst(col, ref.aanbieders),
        "onbekende aanbieder (niet in aanbieders)",
    )


def financiele_regels(tabel: str, ref: Referentie) -> list[Regel]:
    """Checks on the finance tables."""
    segment = Regel(
        "segment",
        ~in_lijst(pl.col("segment"), ref.segmenten),
        "onbekend segment (niet in producten)",
    )
    if tabel == "contracten":
        return [
            _gemeente_bekend(ref),
            _aanbieder_bekend(ref),
            Regel(
                "subsegment",
                ~in_lijst(pl.col("subsegment"), ref.subsegmenten),
                "onbekend subsegment (niet in producten)",
            ),
            Regel(
                "geldig_tot",
                getypt("geldig_tot") < getypt("geldig_van"),
                "geldig tot voor geldig van",
            ),
            Regel("plekken", getypt("plekken") < 0, "plekken mag niet negatief zijn"),
            Regel("plekprijs", getypt("plekprijs") < 0, "plekprijs mag niet negatief zijn"),
        ]
    if tabel == "voorschotten":
        return [
            _gemeente_bekend(ref),
            _aanbieder_bekend(ref),
            Regel(
                "maand", getypt("maand").dt.day() != 1, "maand moet de eerste dag van de maand zijn"
            ),
        ]
    if tabel == "begroting":
        return [
            _gemeente_bekend(ref, leeg_mag=True),
            segment,
            Regel("jaar", (getypt("jaar") < 2000) | (getypt("jaar") > 2100), "onmogelijk jaar"),
            Regel(
                "maand", getypt("maand").dt.day() != 1, "maand moet de eerste dag van de maand zijn"
            ),
            Regel(
                "prognose_cumulatief",
                pl.col("prognose_cumulatief").is_not_null() & pl.col("maand").is_null(),
                "prognose zonder maand",
            ),
        ]
    if tabel == "uitgaven":
        return [_gemeente_bekend(ref), segment, _aanbieder_bekend(ref)]
    if tabel == "kpi_waarden":
        return kpi_waarden_regels(ref)
    raise ValueError(f"geen regels voor tabel {tabel}")


# Natural keys: a second row with the same key is a duplicate ('dubbel' when identical).
SLEUTELS: dict[str, list[str]] = {
    "producten": ["product_code"],
    "aanbieders": ["aanbieder"],
    "berichten": [
        "bericht_type",
        "afzender",
        "bericht_id",
        "client_id",
        "toewijzingnummer",
        "referentie_aanbieder",
        "product_code",
        "ingangsdatum",
        "begindatum",
    ],
    "contracten": ["aanbieder", "gemeente", "subsegment", "geldig_van"],
    "voorschotten": ["aanbieder", "gemeente", "maand"],
    "begroting": ["gemeente", "segment", "jaar", "maand"],
    # uitgaven has no natural key: two equal bookings on one day are both real.
    "kpi_waarden": ["kpi", "aanbieder", "gemeente", "subsegment", "periode_van", "periode_tot"],
}


# ---------------------------------------------------------------- kpi_waarden
# KPI values from other sources (cliënttevredenheid, doelrealisatie) for the KPIs declared in
# kpi/externe_kpis.toml. The checks below are per row; `overlappende_perioden` (NACONTROLES)
# then compares the good rows with each other.

# The stored columns: figures as DECIMAL(18, 6), so that sums over periods are exact.
KPI_WAARDEN_KOLOMMEN: dict[str, pl.DataType] = {
    "kpi": pl.String(),
    "aanbieder": pl.String(),
    "gemeente": pl.String(),
    "subsegment": pl.String(),
    "periode_van": pl.Date(),
    "periode_tot": pl.Date(),
    "waarde": pl.Decimal(18, 6),
    "teller": pl.Decimal(18, 6),
    "noemer": pl.Decimal(18, 6),
    "n": pl.Int32(),
    "bron": pl.String(),
}
AFWIJKING_WAARDE = 0.005  # waarde beside teller/noemer may differ by rounding to whole percents


def externe_kpi_eenheden(pad: Path | str | None = None) -> dict[str, str]:
    """The external KPIs an extract may deliver values for: id -> eenheid, read from their
    declaration (schema.externe_kpis_pad); the registry in kpi/ checks the rest of it."""
    bestand = externe_kpis_pad(pad)
    if not bestand.is_file():
        return {}
    try:
        with bestand.open("rb") as f:
            ruw = tomllib.load(f)
    except tomllib.TOMLDecodeError as fout:
        raise LaadFout(str(bestand), f"declaratie van externe KPI's onleesbaar: {fout}") from None
    return {str(k.get("id")): str(k.get("eenheid")) for k in ruw.get("kpi", []) if k.get("id")}


def kpi_waarden_regels(ref: Referentie) -> list[Regel]:
    """Checks on kpi_waarden rows, in the order they are reported (first broken rule wins)."""
    eenheden = dict(ref.externe_kpis or {})
    eenheid = pl.col("kpi").replace_strict(eenheden, default=None, return_dtype=pl.String)
    aandeel = eenheid == "aandeel"
    waarde, teller, noemer, n = (getypt(k) for k in ("waarde", "teller", "noemer", "n"))
    paar = teller.is_not_null() & noemer.is_not_null()
    return [
        Regel(
            "kpi",
            ~in_lijst(pl.col("kpi"), set(eenheden)),
            "onbekende KPI (niet gedeclareerd in externe_kpis.toml)",
        ),
        _aanbieder_bekend(ref),
        _gemeente_bekend(ref, leeg_mag=True),
        Regel(
            "subsegment",
            pl.col("subsegment").is_not_null() & ~in_lijst(pl.col("subsegment"), ref.subsegmenten),
            "onbekend subsegment (niet in producten)",
        ),
        Regel(
            "periode_tot",
            getypt("periode_tot") < getypt("periode_van"),
            "periode tot ligt voor periode van",
        ),
        Regel(
            "noemer",
            teller.is_null() != noemer.is_null(),
            "teller en noemer horen samen: geef beide of geen van beide",
        ),
        Regel(
            "waarde",
            waarde.is_null() & ~paar,
            "geen waarde: geef een waarde, of teller en noemer",
        ),
        Regel("teller", teller < 0, "teller mag niet negatief zijn"),
        Regel("noemer", noemer < 0, "noemer mag niet negatief zijn"),
        Regel("n", n < 0, "n mag niet negatief zijn"),
        Regel("noemer", paar & (noemer == 0), "noemer is 0: geen waarde te berekenen"),
        Regel(
            "teller",
            aandeel & paar & (teller > noemer),
            "teller groter dan noemer bij een aandeel",
            pl.format("{} / {}", pl.col("teller"), pl.col("noemer")),
        ),
        Regel(
            "waarde",
            aandeel & ((waarde < 0) | (waarde > 1)),
            "aandeel buiten 0–1 (een aandeel als fractie: 0,82 voor 82 %)",
        ),
        Regel(
            "waarde",
            paar & (noemer > 0) & ((waarde - teller / noemer).abs() > AFWIJKING_WAARDE),
            "waarde past niet bij teller / noemer",
            pl.format("{} bij {} / {}", pl.col("waarde"), pl.col("teller"), pl.col("noemer")),
        ),
        Regel("n", n.is_null() & noemer.is_null(), "n ontbreekt (geen n en geen noemer)"),
    ]


def _dekt(a: str | None, b: str | None) -> bool:
    """True when a row for `a` and one for `b` can count the same clients (None: all)."""
    return a is None or b is None or a == b


def overlappende_perioden(goed: pl.DataFrame) -> pl.DataFrame:
    """Mark kpi_waarden rows whose period shares a day with an earlier kept row of the same KPI
    and aanbieder that counts the same clients (same or no gemeente, same or no sub-segment):
    together they would count people twice. Rows are taken in input order; a marked row is not
    kept, so it marks nothing itself. Sets `_kolom`, `_reden`, `_waarde` (null: kept)."""
    # per (kpi, aanbieder), per (gemeente, subsegment): the kept periods and where they came from
    behouden: dict[tuple, dict[tuple, list[tuple[date, date, str, int]]]] = {}
    rijen = goed.select(
        "kpi", "aanbieder", "gemeente", "subsegment", "periode_van", "periode_tot",
        BRON_BESTAND, BRON_REGEL,
    ).rows()  # fmt: skip
    waarde: list[str | None] = [None] * goed.height
    for i in goed["_volgnr"].arg_sort().to_list():
        kpi, agb, gem, sub, van, tot, bestand, regel = rijen[i]
        eerder = behouden.setdefault((kpi, agb), {})
        botsing = next(
            (
                p
                for (g, s), perioden in eerder.items()
                if _dekt(g, gem) and _dekt(s, sub)
                for p in perioden
                if p[0] <= tot and van <= p[1]
            ),
            None,
        )
        if botsing:
            waarde[i] = f"eerder: {botsing[2]} regel {botsing[3]}"
        else:
            eerder.setdefault((gem, sub), []).append((van, tot, bestand, regel))
    fout = pl.Series(waarde, dtype=pl.String).is_not_null()
    return goed.with_columns(
        _kolom=pl.when(fout).then(pl.lit("periode_van")),
        _reden=pl.when(fout).then(
            pl.lit("periode overlapt met een eerdere regel voor dezelfde KPI en aanbieder")
        ),
        _waarde=pl.Series(waarde, dtype=pl.String),
    )


# Checks across the good rows of a table, after duplicates are removed: each marks rows with
# `_kolom`, `_reden` and `_waarde`; the marked rows go to quarantine.
NACONTROLES: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
    "kpi_waarden": overlappende_perioden,
}
