"""Fixed reference data of the generator: gemeenten, sub-segments, products, code lists."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GEMEENTEN_CSV = Path(__file__).with_name("gemeenten.csv")
# ../shared/reference/... beside the repository (a developer input, not needed at run time)
CBS_MD = (
    Path(__file__).resolve().parents[2]
    / "shared/reference/istandaarden/codelijsten/jw/CBS_Gemeentecodes.md"
)

REGIO_NAAM = "Achterhoek"

# Inhabitants (rounded) of the eight municipalities of Sociaal Domein Achterhoek.
REGIO_INWONERS: dict[str, int] = {
    "0197": 27_000,  # Aalten
    "1859": 44_000,  # Berkelland
    "1876": 37_000,  # Bronckhorst
    "0222": 58_000,  # Doetinchem
    "1955": 36_000,  # Montferland
    "1586": 30_000,  # Oost Gelre
    "1509": 39_000,  # Oude IJsselstreek
    "0294": 29_000,  # Winterswijk
}

# Rough inhabitants of the larger municipalities (by name); the rest is estimated.
GROTE_GEMEENTEN: dict[str, int] = {
    "Amsterdam": 931_000,
    "Rotterdam": 670_000,
    "'s-Gravenhage": 566_000,
    "Utrecht": 374_000,
    "Eindhoven": 243_000,
    "Groningen": 243_000,
    "Tilburg": 228_000,
    "Almere": 226_000,
    "Breda": 188_000,
    "Nijmegen": 183_000,
    "Apeldoorn": 167_000,
    "Arnhem": 166_000,
    "Haarlem": 165_000,
    "Enschede": 161_000,
    "Haarlemmermeer": 160_000,
    "Amersfoort": 160_000,
    "Zaanstad": 160_000,
    "'s-Hertogenbosch": 160_000,
    "Zwolle": 132_000,
    "Leiden": 127_000,
    "Zoetermeer": 127_000,
    "Leeuwarden": 125_000,
    "Maastricht": 122_000,
    "Dordrecht": 121_000,
    "Ede": 120_000,
    "Alphen aan den Rijn": 115_000,
    "Westland": 113_000,
    "Alkmaar": 111_000,
    "Emmen": 108_000,
    "Delft": 105_000,
    "Venlo": 103_000,
    "Deventer": 102_000,
    "Helmond": 93_000,
    "Oss": 93_000,
    "Amstelveen": 93_000,
    "Purmerend": 93_000,
    "Hilversum": 92_000,
    "Súdwest-Fryslân": 91_000,
    "Sittard-Geleen": 91_000,
    "Heerlen": 87_000,
}
NL_INWONERS = 17_950_000


@dataclass(frozen=True)
class Gemeente:
    """A municipality with its CBS code and an (estimated) number of inhabitants."""

    code: str
    naam: str
    provincie: str
    jeugdzorgregio: str
    inwoners: int


def parse_cbs_md(path: Path = CBS_MD) -> list[tuple[str, str, str, str]]:
    """Parse the CBS gemeentecodes table (code, naam, provincie, jeugdzorgregio) from markdown."""
    rows = []
    pattern = re.compile(r"^\|\s*(\d{4})\s*\|([^|]+)\|([^|]+)\|([^|]+)\|")
    for line in path.read_text(encoding="utf-8").splitlines():
        m = pattern.match(line)
        if m:
            rows.append(tuple(part.strip() for part in m.groups()))
    return sorted(rows)


def estimate_inwoners(rows: list[tuple[str, str, str, str]]) -> list[int]:
    """Known sizes for the region and the large cities; a fixed lognormal draw for the rest."""
    known: list[int | None] = []
    for code, naam, _, _ in rows:
        known.append(REGIO_INWONERS.get(code, GROTE_GEMEENTEN.get(naam)))
    n_unknown = sum(k is None for k in known)
    rest = NL_INWONERS - sum(k for k in known if k is not None)
    draw = np.random.default_rng(20260101).lognormal(np.log(27_000), 0.6, n_unknown)
    draw = np.clip(draw, 1_000, 60_000)
    draw = draw / draw.sum() * rest
    it = iter(draw)
    return [int(k) if k is not None else int(round(next(it), -2)) for k in known]


def write_gemeenten_csv(path: Path = GEMEENTEN_CSV, md: Path = CBS_MD) -> None:
    """Write the shipped gemeenten list (run once by a developer when the CBS list changes)."""
    rows = parse_cbs_md(md)
    inwoners = estimate_inwoners(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["gemeente", "naam", "provincie", "jeugdzorgregio", "inwoners_schatting"])
        for (code, naam, prov, regio), n in zip(rows, inwoners, strict=True):
            w.writerow([code, naam, prov, regio, n])


def load_gemeenten() -> list[Gemeente]:
    """All municipalities, sorted by CBS code."""
    with GEMEENTEN_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            Gemeente(
                r["gemeente"],
                r["naam"],
                r["provincie"],
                r["jeugdzorgregio"],
                int(r["inwoners_schatting"]),
            )
            for r in csv.DictReader(fh)
        ]


def regio_gemeenten() -> list[Gemeente]:
    """The eight municipalities of Sociaal Domein Achterhoek with their real sizes."""
    return [
        Gemeente(g.code, g.naam, g.provincie, g.jeugdzorgregio, REGIO_INWONERS[g.code])
        for g in load_gemeenten()
        if g.code in REGIO_INWONERS
    ]


def jeugdzorgregios() -> list[tuple[str, list[Gemeente]]]:
    """All youth-care regions with their municipalities, Achterhoek first, then by name."""
    regios: dict[str, list[Gemeente]] = {}
    for g in load_gemeenten():
        regios.setdefault(g.jeugdzorgregio, []).append(g)
    names = sorted(regios, key=lambda n: (n != REGIO_NAAM, n))
    return [(n, regios[n]) for n in names]


# Codes that are not in the CBS list (dissolved municipalities and a test code).
ONBEKENDE_GEMEENTEN = ("0196", "0381", "0000", "9999")


# ---------------------------------------------------------------- sub-segments and products
@dataclass(frozen=True)
class Subsegment:
    """A sub-segment: what is bought, with its new (from 2022-07-01) and old product codes."""

    naam: str
    segment: str
    domein: str
    zwaarte: int
    nieuwe_code: str
    oude_codes: tuple[str, ...]
    aandeel: float  # share of new trajectories within the domein
    duur_mediaan: float  # median duration of care in days
    duur_sigma: float
    wacht_mediaan: float  # median wait (begindatum - ingangsdatum) in days
    plekprijs: float  # yearly price of one place (euro), contract year 2022/23


# naam, segment, domein, zwaarte, new code, old codes, share, duration median/sigma, wait, price
# fmt: off
_SUBSEGMENT_TABLE = (
    ("Jeugd Basis", "IAJ", "jeugd", 1, "45Z01", ("45A48", "45A49", "54001"),
     0.400, 140, 0.60, 21, 8_800),
    ("Jeugd Specialistisch", "IAJ", "jeugd", 2, "54Z01", ("54002", "54003", "45A51"),
     0.290, 230, 0.60, 26, 11_500),
    ("Jeugd Dagbehandeling", "IAJ", "jeugd", 3, "41Z01", ("41A05", "41A06"),
     0.090, 250, 0.55, 31, 14_500),
    ("Jeugd Behandeling Intensief", "IAJ", "jeugd", 4, "54Z02", ("54004", "54005"),
     0.100, 300, 0.60, 31, 16_800),
    ("Pleegzorg-plus", "GWV", "jeugd", 1, "44Z01", ("44A01", "44A02"),
     0.042, 600, 0.70, 39, 42_000),
    ("Gezinshuiszorg", "GWV", "jeugd", 2, "43Z01", ("43A21",),
     0.030, 700, 0.70, 46, 55_000),
    ("Verblijf Groep", "GWV", "jeugd", 3, "43Z02", ("43A31", "43A32"),
     0.036, 420, 0.70, 39, 66_000),
    ("Verblijf Intensief", "GWV", "jeugd", 4, "43Z03", ("43A41",),
     0.012, 330, 0.60, 36, 76_000),
    ("Ondersteuning Licht", "IO", "wmo", 1, "02Z01", ("02A01", "02A05"),
     0.350, 300, 0.80, 18, 5_200),
    ("Dagbesteding", "IO", "wmo", 2, "07Z01", ("07A01", "07A02"),
     0.220, 750, 0.80, 23, 7_800),
    ("Ondersteuning Middel", "IO", "wmo", 3, "02Z02", ("02A06", "02A07"),
     0.250, 500, 0.80, 21, 9_400),
    ("Dagbesteding Intensief", "IO", "wmo", 4, "07Z03", ("07A05",),
     0.080, 900, 0.70, 27, 11_800),
    ("Ondersteuning Zwaar", "IO", "wmo", 5, "02Z03", ("02A08", "02A09"),
     0.100, 650, 0.80, 23, 13_000),
)
# fmt: on
SUBSEGMENTEN: tuple[Subsegment, ...] = tuple(Subsegment(*row) for row in _SUBSEGMENT_TABLE)

DOMEINEN = ("jeugd", "wmo")
SEGMENTEN = ("IAJ", "GWV", "IO")
OLD_CODES_VALID_FROM = "2015-01-01"
OLD_CODES_VALID_TO = "2022-06-30"
NEW_CODES_VALID_FROM = "2022-07-01"

# Product codes that are in no producten table (fault injection).
ONBEKENDE_PRODUCTEN = ("54Z99", "45Z09", "02Z98", "07Z99", "43A99")


@dataclass(frozen=True)
class Product:
    """One row of producten.csv."""

    code: str
    categorie: str
    subsegment: int  # index into SUBSEGMENTEN
    nieuw: bool


def products() -> list[Product]:
    """New codes first (index = sub-segment index), then the old codes."""
    out = [Product(s.nieuwe_code, s.nieuwe_code[:2], i, True) for i, s in enumerate(SUBSEGMENTEN)]
    for i, s in enumerate(SUBSEGMENTEN):
        out.extend(Product(c, c[:2], i, False) for c in s.oude_codes)
    return out


def old_code_table() -> tuple[np.ndarray, np.ndarray]:
    """Per sub-segment: offset into products() of its first old code and the number of old codes."""
    prods = products()
    first = np.zeros(len(SUBSEGMENTEN), dtype=np.int64)
    count = np.zeros(len(SUBSEGMENTEN), dtype=np.int64)
    for i, p in enumerate(prods):
        if not p.nieuw:
            if count[p.subsegment] == 0:
                first[p.subsegment] = i
            count[p.subsegment] += 1
    return first, count


# ---------------------------------------------------------------- message code lists
BERICHTSOORTEN = ("301", "305", "307", "315", "317", "319")
VEKTIS = {
    "jeugd": {"301": "436", "305": "438", "307": "440", "315": "446", "317": "486", "319": "488"},
    "wmo": {"301": "414", "305": "418", "307": "420", "315": "444", "317": "480", "319": "482"},
}

# Reden beeindiging (JZ588 / WMO588) with their probability for an ordinary end of care.
REDEN_EINDE: dict[str, tuple[tuple[str, float], ...]] = {
    "jeugd": (
        ("31", 0.660),
        ("32", 0.070),
        ("33", 0.040),
        ("34", 0.080),
        ("35", 0.030),
        ("02", 0.003),
        ("20", 0.010),
        ("36", 0.015),
        ("37", 0.012),
        ("38", 0.050),
        ("39", 0.030),
    ),
    "wmo": (
        ("19", 0.560),
        ("21", 0.050),
        ("22", 0.030),
        ("23", 0.060),
        ("02", 0.100),
        ("20", 0.020),
        ("31", 0.030),
        ("36", 0.020),
        ("37", 0.010),
        ("38", 0.040),
        ("39", 0.080),
    ),
}
VOLGENS_PLAN = {"jeugd": ("31",), "wmo": ("19",)}
VOORTIJDIG = {"jeugd": ("32", "33", "34", "35"), "wmo": ("21", "22", "23")}
VERHUIZING = {"jeugd": "35", "wmo": "31"}
