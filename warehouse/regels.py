"""Table-specific checks, on top of the type checks of the data contract."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from warehouse.controle import Regel, getypt, in_lijst
from warehouse.kolommen import BERICHT_TYPES, VEKTIS
from warehouse.pseudoniem import elfproef

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


def berichtregels(ref: Referentie) -> list[Regel]:
    """Checks on message rows, in the order they are reported (first broken rule wins)."""
    soort = pl.col("_n_berichtsoort")
    domein = pl.col("_n_domein")
    bsn = pl.col("bsn")
    productdomein = pl.col("product_code").replace_strict(
        dict(zip(ref.producten["product_code"], ref.producten["domein"], strict=True)),
        default=None,
        return_dtype=pl.String,
    )

    def verplicht_voor(kolom: str, soorten: list[str]) -> Regel:
        return Regel(
            kolom,
            soort.is_in(soorten) & pl.col(kolom).is_null(),
            f"verplicht veld ontbreekt in een {'/'.join(soorten)}",
        )

    reden_bekend = (
        pl.when(domein == "jeugd")
        .then(in_lijst(pl.col("reden_beeindiging"), REDENEN_BEEINDIGING["jeugd"]))
        .otherwise(in_lijst(pl.col("reden_beeindiging"), REDENEN_BEEINDIGING["wmo"]))
    )
    return [
        Regel(
            "bericht_type",
            pl.col("_n_bericht_type").is_null(),
            "onbekend berichttype",
        ),
        Regel("bsn", (soort != "319") & bsn.is_null(), "verplicht veld ontbreekt (BSN)"),
        Regel("bsn", bsn.is_not_null() & ~bsn.str.contains(r"^\d{9}$"), "BSN heeft geen 9 cijfers"),
        Regel("bsn", bsn.is_not_null() & ~elfproef(bsn), "BSN voldoet niet aan de elfproef"),
        verplicht_voor("toewijzingnummer", ["301"]),
        verplicht_voor("product_code", ["301"]),
        verplicht_voor("product_categorie", ["301"]),
        verplicht_voor("ingangsdatum", ["301"]),
        verplicht_voor("begindatum", ["305", "307"]),
        verplicht_voor("einddatum_zorg", ["307"]),
        verplicht_voor("reden_beeindiging", ["307"]),
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
            productdomein.is_not_null() & (productdomein != domein),
            "productcode hoort bij een ander domein",
            pl.format("{} ({})", pl.col("product_code"), productdomein),
        ),
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
}
