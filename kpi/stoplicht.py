"""Stoplicht: judge a KPI value against its norm (groen / oranje / rood / grijs)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType

import polars as pl

from kpi.aggregatie import als_decimaal
from kpi.normen import NormRegel

Drempel = Fraction | tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Oordeel:
    """The colour and the thresholds it was judged against (as text, '.' decimals); for a
    figure judged per sub-segment, `norm_deel` names the sub-segment whose norm decided."""

    stoplicht: str
    norm_groen: str | None = None
    norm_oranje: str | None = None
    norm_deel: str | None = None


GRIJS = Oordeel("grijs")
# How bad a light is, for the worst of several parts: a grey part never decides.
ERNST = {"rood": 3, "oranje": 2, "groen": 1, "grijs": 0}


def drempels(
    regel: NormRegel, richting: str, basiswaarde: Fraction | None
) -> tuple[Drempel, Drempel] | None:
    """Absolute groen and oranje thresholds; None when a relative norm lacks its baseline."""
    if regel.soort != "relatief":
        return regel.groen, regel.oranje
    if basiswaarde is None:
        return None
    marge = abs(basiswaarde)
    groen, oranje = regel.groen, regel.oranje
    assert isinstance(groen, Fraction) and isinstance(oranje, Fraction)
    if richting == "lager_beter":
        return basiswaarde + groen * marge, basiswaarde + oranje * marge
    if richting == "hoger_beter":
        return basiswaarde - groen * marge, basiswaarde - oranje * marge
    return (
        (basiswaarde - groen * marge, basiswaarde + groen * marge),
        (basiswaarde - oranje * marge, basiswaarde + oranje * marge),
    )


def _binnen(waarde: Fraction, drempel: Drempel, richting: str) -> bool:
    if isinstance(drempel, tuple):
        return drempel[0] <= waarde <= drempel[1]
    return waarde <= drempel if richting == "lager_beter" else waarde >= drempel


def _decimaal(x: Fraction) -> Decimal:
    d = als_decimaal(x)
    assert d is not None
    return d


def _getal(d: Decimal) -> str:
    tekst = f"{d.normalize():f}"
    return "0" if tekst in ("-0", "0") else tekst


@dataclass(frozen=True)
class Norm:
    """One threshold (groen or oranje) as values: the lowest and the highest value inside
    it, None where it is open on that side. '>= 0.9' is Norm(onder=0.9), '<= 100' is
    Norm(boven=100), the band '0.9..1.05' is Norm(0.9, 1.05). The long frame and the
    export carry it as `tekst`; `lees` is the one way back from that text."""

    onder: Decimal | None = None
    boven: Decimal | None = None

    @property
    def is_band(self) -> bool:
        return self.onder is not None and self.boven is not None

    @property
    def tekst(self) -> str:
        """'>= 0.9', '<= 100' or '0.9..1.05' ('.' decimals, no trailing zeros)."""
        if self.onder is not None and self.boven is not None:
            return f"{_getal(self.onder)}..{_getal(self.boven)}"
        if self.onder is not None:
            return f">= {_getal(self.onder)}"
        assert self.boven is not None
        return f"<= {_getal(self.boven)}"

    @staticmethod
    def van_drempel(drempel: Drempel, richting: str) -> Norm:
        """A threshold of `drempels` as values (10 decimals, rounded half up)."""
        if isinstance(drempel, tuple):
            return Norm(_decimaal(drempel[0]), _decimaal(drempel[1]))
        if richting == "lager_beter":
            return Norm(boven=_decimaal(drempel))
        return Norm(onder=_decimaal(drempel))

    @staticmethod
    @lru_cache(maxsize=4096)
    def lees(tekst: str | None) -> Norm | None:
        """The norm of a text column (norm_groen, norm_oranje) of the long frame; None for
        no norm (None or '') and for text that is no norm."""
        if not tekst:
            return None
        tekst = tekst.strip()
        try:
            if tekst[:2] in ("<=", ">="):
                waarde = Decimal(tekst[2:].strip())
                norm = Norm(boven=waarde) if tekst[:2] == "<=" else Norm(onder=waarde)
            else:
                onder, scheiding, boven = tekst.partition("..")
                if not scheiding:
                    return None
                norm = Norm(Decimal(onder.strip()), Decimal(boven.strip()))
        except ArithmeticError:  # decimal.InvalidOperation: no number
            return None
        grenzen = (g for g in (norm.onder, norm.boven) if g is not None)
        return norm if all(g.is_finite() for g in grenzen) else None


def _tekst(drempel: Drempel, richting: str) -> str:
    return Norm.van_drempel(drempel, richting).tekst


def beoordeel(
    waarde: Fraction | None,
    n: int,
    voorlopig: bool,
    min_n: int,
    richting: str,
    regel: NormRegel | None,
    basiswaarde: Fraction | None = None,
) -> Oordeel:
    """Judge one value; grijs without a norm, with n < min_n, when voorlopig or without value."""
    if regel is None:
        return GRIJS
    norm = _norm(regel, richting, basiswaarde)
    if norm is None:
        return GRIJS
    (groen, oranje), tekst = norm
    if waarde is None or n < min_n or voorlopig:
        return Oordeel("grijs", *tekst)
    if _binnen(waarde, groen, richting):
        return Oordeel("groen", *tekst)
    if _binnen(waarde, oranje, richting):
        return Oordeel("oranje", *tekst)
    return Oordeel("rood", *tekst)


@dataclass(frozen=True)
class Deel:
    """One sub-segment's part of a figure: its own value, n, voorlopig, and its norm."""

    naam: str
    waarde: Fraction | None
    n: int
    voorlopig: bool
    regel: NormRegel | None
    basiswaarde: Fraction | None = None


def beoordeel_per_deel(
    waarde: Fraction | None,
    n: int,
    voorlopig: bool,
    min_n: int,
    richting: str,
    delen: Sequence[Deel],
) -> Oordeel:
    """Judge a figure made of parts (its sub-segments), by the rule of kpi/normen.py.

    One part: the figure itself against that part's norm. Several: the worst light of the
    parts (a grey part does not count; ties: the part with the larger n, then the first
    name), with that part's norm and name; grey when the figure is grey itself.
    """
    if len(delen) <= 1:
        eerste = delen[0] if delen else None
        regel = eerste.regel if eerste else None
        basis = eerste.basiswaarde if eerste else None
        return beoordeel(waarde, n, voorlopig, min_n, richting, regel, basis)
    oordelen = [
        (d, beoordeel(d.waarde, d.n, d.voorlopig, min_n, richting, d.regel, d.basiswaarde))
        for d in delen
    ]
    deel, oordeel = min(oordelen, key=lambda x: (-ERNST[x[1].stoplicht], -x[0].n, x[0].naam))
    kleur = oordeel.stoplicht
    if waarde is None or n < min_n or voorlopig:
        kleur = "grijs"
    return Oordeel(kleur, oordeel.norm_groen, oordeel.norm_oranje, deel.naam)


@lru_cache(maxsize=4096)
def _norm(
    regel: NormRegel, richting: str, basiswaarde: Fraction | None
) -> tuple[tuple[Drempel, Drempel], tuple[str, str]] | None:
    """The thresholds and their texts (groen, oranje) of a rule; the same for many values."""
    grenzen = drempels(regel, richting, basiswaarde)
    if grenzen is None:
        return None
    groen, oranje = grenzen
    return grenzen, (_tekst(groen, richting), _tekst(oranje, richting))


# ---------------------------------------------------------------- many rows at once
# A value is judged after rounding to 10 decimals (Decimal(38, 10)); for such a value v and a
# threshold F (any fraction), v <= F exactly when v <= floor(F * 1e10) / 1e10, and v >= F
# exactly when v >= ceil(F * 1e10) / 1e10. So each threshold becomes a Decimal bound and the
# rows are compared in Polars, exactly as `beoordeel` compares them one by one.

_EENHEID = 10**10
GRENS_TYPE = pl.Decimal(38, 10)
GRENZEN = ("groen_laag", "groen_hoog", "oranje_laag", "oranje_hoog")


def _omlaag(x: Fraction) -> Decimal:
    return Decimal(math.floor(x * _EENHEID)).scaleb(-10)


def _omhoog(x: Fraction) -> Decimal:
    return Decimal(math.ceil(x * _EENHEID)).scaleb(-10)


def _grenzen(drempel: Drempel, richting: str) -> tuple[Decimal | None, Decimal | None]:
    """(lowest, highest) 10-decimal value inside `drempel` (None: no bound on that side)."""
    if isinstance(drempel, tuple):
        return _omhoog(drempel[0]), _omlaag(drempel[1])
    if richting == "lager_beter":
        return None, _omlaag(drempel)
    return _omhoog(drempel), None


@lru_cache(maxsize=4096)
def normkolommen(
    regel: NormRegel | None, richting: str, basiswaarde: Fraction | None
) -> Mapping[str, object]:
    """The norm of one context as columns for `stoplicht_kolom`: heeft_norm, the texts, and
    the bounds of groen and oranje. Cached and read-only: few rules and baselines serve many
    contexts."""
    norm = None if regel is None else _norm(regel, richting, basiswaarde)
    if norm is None:
        return MappingProxyType({"heeft_norm": False, "norm_groen": None, "norm_oranje": None})
    (groen, oranje), (tekst_groen, tekst_oranje) = norm
    (gl, gh), (ol, oh) = _grenzen(groen, richting), _grenzen(oranje, richting)
    return MappingProxyType(
        {
            "heeft_norm": True,
            "norm_groen": tekst_groen,
            "norm_oranje": tekst_oranje,
            "groen_laag": gl,
            "groen_hoog": gh,
            "oranje_laag": ol,
            "oranje_hoog": oh,
        }
    )


NORM_SCHEMA = {
    "heeft_norm": pl.Boolean,
    "norm_groen": pl.String,
    "norm_oranje": pl.String,
    **{g: GRENS_TYPE for g in GRENZEN},
}


def _binnen_kolom(laag: str, hoog: str) -> pl.Expr:
    waarde = pl.col("waarde")
    return (pl.col(laag).is_null() | (waarde >= pl.col(laag))) & (
        pl.col(hoog).is_null() | (waarde <= pl.col(hoog))
    )


def stoplicht_kolom(min_n: int | pl.Expr) -> pl.Expr:
    """The colour of each row (columns waarde, n, voorlopig and NORM_SCHEMA), as `beoordeel`;
    `min_n` a number or a column expression."""
    return (
        pl.when(~pl.col("heeft_norm").fill_null(False))
        .then(pl.lit("grijs"))
        .when(pl.col("waarde").is_null() | (pl.col("n") < min_n) | pl.col("voorlopig"))
        .then(pl.lit("grijs"))
        .when(_binnen_kolom("groen_laag", "groen_hoog"))
        .then(pl.lit("groen"))
        .when(_binnen_kolom("oranje_laag", "oranje_hoog"))
        .then(pl.lit("oranje"))
        .otherwise(pl.lit("rood"))
    )


def oordeel_over_delen(
    hoofd: pl.DataFrame, delen: pl.DataFrame, sleutel: Sequence[str]
) -> pl.DataFrame:
    """Figures judged per sub-segment, as `beoordeel_per_deel` judges them one by one.

    `hoofd`: the figures (columns `sleutel`, waarde, n, voorlopig, min_n and NORM_SCHEMA: the
    norm of their own context); `delen`: their parts (columns `sleutel`, deel, n, stoplicht
    and NORM_SCHEMA, each part judged against its own norm). Returns `hoofd` with the norm
    to show and the columns norm_deel and stoplicht. A figure without parts keeps its norm.
    """
    keuze = (
        delen.with_columns(
            _ernst=pl.col("stoplicht").replace_strict(ERNST, return_dtype=pl.Int8),
            _normen=pl.len().over(sleutel),  # the number of parts
        )
        .sort(
            [*sleutel, "_ernst", "n", "deel"],
            descending=[*(False for _ in sleutel), True, True, False],
            nulls_last=True,
        )
        .group_by(sleutel, maintain_order=True)
        .first()
        .select(
            *sleutel,
            pl.col("_normen"),
            pl.col("deel").alias("_deel"),
            pl.col("stoplicht").alias("_deel_stoplicht"),
            *(pl.col(k).alias(f"_deel_{k}") for k in NORM_SCHEMA),
        )
    )
    samen = hoofd.join(keuze, on=list(sleutel), how="left", nulls_equal=True,
                       maintain_order="left")  # fmt: skip
    heeft_delen = pl.col("_normen").is_not_null()
    meer = pl.col("_normen") > 1
    samen = samen.with_columns(
        *(
            pl.when(heeft_delen).then(pl.col(f"_deel_{k}")).otherwise(pl.col(k)).alias(k)
            for k in NORM_SCHEMA
        ),
        norm_deel=pl.when(meer).then(pl.col("_deel")),
    )
    grijs_zelf = pl.col("waarde").is_null() | (pl.col("n") < pl.col("min_n")) | pl.col("voorlopig")
    return samen.with_columns(
        stoplicht=pl.when(~meer.fill_null(False))
        .then(stoplicht_kolom(pl.col("min_n")))
        .when(grijs_zelf)
        .then(pl.lit("grijs"))
        .otherwise(pl.col("_deel_stoplicht"))
    ).drop("_normen", "_deel", "_deel_stoplicht", *(f"_deel_{k}" for k in NORM_SCHEMA))
