"""The data contract as data: per extract table its columns, types and required flags.

Declared once, here, in the contract's column order: the loader checks and stores by it, the
XML reader fills a row per product line by it, the sample generator writes its files by it and
the tests build extracts from it. This package sits below every other one, so each may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Soort(Enum):
    """How a column is read and checked."""

    TEKST = "tekst"  # free text, kept as is (trimmed)
    CODE = "code"  # a code: text, leading zeros kept; numeric sources zero-padded to `breedte`
    DATUM = "datum"  # ISO 2023-12-31 or Dutch 31-12-2023
    GEHEEL = "geheel"  # integer
    GETAL = "getal"  # decimal number ("1.5" or Dutch "1,5")
    BEDRAG = "bedrag"  # money in euros, stored as DECIMAL(18, 2)


@dataclass(frozen=True)
class Kolom:
    """One column of an extract table."""

    naam: str
    soort: Soort
    verplicht: bool = False
    breedte: int | None = None  # zero-pad width for numeric codes (gemeente 4, AGB 8, BSN 9)


@dataclass(frozen=True)
class Tabel:
    """One extract table: its columns, in the order of the data contract."""

    naam: str
    kolommen: tuple[Kolom, ...]
    verplicht: bool = False  # must the extract hold this table?

    @property
    def namen(self) -> tuple[str, ...]:
        return tuple(k.naam for k in self.kolommen)

    def kolom(self, naam: str) -> Kolom:
        return next(k for k in self.kolommen if k.naam == naam)


def _k(naam: str, soort: Soort, verplicht: bool = False, breedte: int | None = None) -> Kolom:
    return Kolom(naam, soort, verplicht, breedte)


T, C, D, N, G, B = Soort.TEKST, Soort.CODE, Soort.DATUM, Soort.GEHEEL, Soort.GETAL, Soort.BEDRAG

BERICHTEN = Tabel(
    "berichten",
    (
        _k("bericht_type", C, True),
        _k("bericht_id", C, True),
        _k("dagtekening", D, True),
        _k("gemeente", C, True, 4),
        _k("aanbieder", C, True, 8),
        _k("bsn", C, True, 9),  # not required on a 319, which carries no client
        _k("geboortedatum", D),
        _k("toewijzingnummer", C),  # required for 301
        _k("referentie_aanbieder", C),
        _k("product_categorie", C, False, 2),  # required for 301
        _k("product_code", C),  # required for 301
        _k("ingangsdatum", D),  # required for 301
        _k("einddatum", D),
        _k("reden_wijziging", C, False, 2),
        _k("begindatum", D),  # required for 305 and 307
        _k("einddatum_zorg", D),  # required for 307
        _k("reden_beeindiging", C, False, 2),  # required for 307
        _k("status_aanlevering", C),
        _k("verzoek_antwoord", C),
    ),
    verplicht=True,
)

PRODUCTEN = Tabel(
    "producten",
    (
        _k("product_code", C, True),
        _k("product_categorie", C, False, 2),
        _k("subsegment", T, True),
        _k("segment", T, True),
        _k("domein", C, True),
        _k("zwaarte", N, True),
        _k("geldig_van", D),
        _k("geldig_tot", D),
    ),
    verplicht=True,
)

AANBIEDERS = Tabel(
    "aanbieders",
    (_k("aanbieder", C, True, 8), _k("naam", T, True), _k("grootte", C)),
)

CONTRACTEN = Tabel(
    "contracten",
    (
        _k("aanbieder", C, True, 8),
        _k("gemeente", C, True, 4),
        _k("subsegment", T, True),
        _k("geldig_van", D, True),
        _k("geldig_tot", D, True),
        _k("plekken", G, True),
        _k("plekprijs", B, True),
        _k("opgegeven_doorlooptijd_dagen", N),
    ),
)

VOORSCHOTTEN = Tabel(
    "voorschotten",
    (
        _k("aanbieder", C, True, 8),
        _k("gemeente", C, True, 4),
        _k("maand", D, True),
        _k("bedrag", B, True),
    ),
)

BEGROTING = Tabel(
    "begroting",
    (
        _k("gemeente", C, False, 4),
        _k("segment", T, True),
        _k("jaar", N, True),
        _k("begroot_bedrag", B),
        _k("target_clienten", G),
        _k("target_kosten_per_client", B),
        _k("maand", D),
        _k("prognose_cumulatief", B),
    ),
)

UITGAVEN = Tabel(
    "uitgaven",
    (
        _k("gemeente", C, True, 4),
        _k("segment", T, True),
        _k("aanbieder", C, False, 8),
        _k("boekdatum", D, True),
        _k("bedrag", B, True),
    ),
)

# KPI values from other sources than the berichtenverkeer (cliënttevredenheid, doelrealisatie):
# one row per delivered measurement of a KPI declared in kpi/externe_kpis.toml, for one
# aanbieder (optionally one gemeente and/or sub-segment) and one period [periode_van,
# periode_tot]. A share comes as teller and noemer (preferred: periods combine by their sums)
# or as waarde alone (shown only for exactly that period); n is what it rests on (respondents,
# trajectories), by default the noemer.
KPI_WAARDEN = Tabel(
    "kpi_waarden",
    (
        _k("kpi", C, True),
        _k("aanbieder", C, True, 8),
        _k("gemeente", C, False, 4),
        _k("subsegment", T),
        _k("periode_van", D, True),
        _k("periode_tot", D, True),
        _k("waarde", G),
        _k("teller", G),
        _k("noemer", G),
        _k("n", N),
        _k("bron", T),
    ),
)

# Load order matters: reference tables first, they check the others.
TABELLEN: tuple[Tabel, ...] = (
    PRODUCTEN,
    AANBIEDERS,
    BERICHTEN,
    CONTRACTEN,
    VOORSCHOTTEN,
    BEGROTING,
    UITGAVEN,
    KPI_WAARDEN,
)

# Message types: the contract's names, the Vektis numbers (COD002) accepted as aliases.
BERICHTSOORTEN = ("301", "305", "307", "315", "317", "319")
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
BERICHT_TYPES = tuple(f"{d}{s}" for d in ("JW", "WMO") for s in BERICHTSOORTEN)

# Reden beëindiging groups (kpi-definities.md).
VOLGENS_PLAN = {"jeugd": ("31",), "wmo": ("19",)}
VOORTIJDIG = {"jeugd": ("32", "33", "34", "35"), "wmo": ("21", "22", "23")}
REDEN_OVERLIJDEN = "02"
REDEN_WIJZIGING_VERWIJDERD = "13"
