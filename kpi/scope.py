"""Who sees what: a scope narrows every query, and in provider scope protects small numbers.

Roles (see shared/domain/README.md):
- regio: everything, all gemeenten and providers, with names; drill-down to pseudonymised rows.
- gemeente: the same data; the gemeente filter is only preset to its own, it may widen.
- aanbieder: its own figures only; peers as values without names or codes, only peers with
  n at least the KPI's minimum and only where at least 3 such peers remain; counts rounded to
  fives and 0-7 shown as "geheim" (CBS practice); no client-level rows at all.

The scope is applied here, in the data layer, so that a page, an export or a tampered URL
cannot ask for more than the scope allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from kpi.filters import Filters
from kpi.registry import Registry, laad_registry

ROLLEN = ("regio", "gemeente", "aanbieder")
# Grains whose units are not people or their care: money, contracts, rejected input rows.
# Their figures are shown exactly; everything else counts people and is protected.
NIET_PERSOONLIJK = frozenset(
    {"contract", "contractmaand", "uitgave", "begrotingscel", "invoerregel"}
)
GEHEIM_ONDER = 8  # counts 0..7 are not shown to providers
AFRONDEN_OP = 5
MIN_PEERS = 3


class BuitenScope(PermissionError):
    """A request for data the scope does not allow (e.g. client rows in provider scope)."""


@dataclass(frozen=True)
class Scope:
    """The role of the person looking, with its gemeente or provider."""

    rol: str = "regio"
    gemeente: str | None = None
    aanbieder: str | None = None

    def __post_init__(self) -> None:
        if self.rol not in ROLLEN:
            raise ValueError(f"onbekende rol {self.rol!r}; kies uit {ROLLEN}")
        if self.rol == "aanbieder" and not self.aanbieder:
            raise ValueError("rol aanbieder vraagt een AGB-code")
        if self.rol == "gemeente" and not self.gemeente:
            raise ValueError("rol gemeente vraagt een gemeentecode")

    @property
    def is_aanbieder(self) -> bool:
        """True in provider scope: own figures only, small numbers protected, no names."""
        return self.rol == "aanbieder"

    @property
    def mag_trajecten_zien(self) -> bool:
        """Drill-down to (pseudonymised) client rows exists only outside provider scope."""
        return not self.is_aanbieder

    def filters(self, gevraagd: Filters | None = None) -> Filters:
        """The filters a query may use: what was asked, narrowed to the scope."""
        gevraagd = gevraagd or Filters()
        if self.is_aanbieder:
            return gevraagd.binnen(Filters(aanbieder=self.aanbieder))
        return gevraagd

    def sleutel(self) -> tuple[str, str, str]:
        """A hashable form, for caches keyed on plain values."""
        return (self.rol, self.gemeente or "", self.aanbieder or "")

    @classmethod
    def uit_sleutel(cls, sleutel: tuple[str, str, str]) -> Scope:
        """The inverse of `sleutel`."""
        rol, gemeente, aanbieder = sleutel
        return cls(rol, gemeente or None, aanbieder or None)


REGIO = Scope()


def telling(n: int | Decimal | float | None) -> int | None:
    """A count as shown to a provider: None ("geheim") below 8, else rounded to a multiple of 5."""
    if n is None:
        return None
    waarde = int(n)
    if waarde < GEHEIM_ONDER:
        return None
    return (waarde + AFRONDEN_OP // 2) // AFRONDEN_OP * AFRONDEN_OP


def beveilig(resultaat: pl.DataFrame, registry: Registry | None = None) -> pl.DataFrame:
    """Provider scope on a long KPI frame: protect small numbers; adds a `geheim` column.

    Every count is rounded to fives and withheld below 8: n, values of unit 'aantal', and the
    teller/noemer of shares that count. For KPIs that count people or their care, a value
    resting on n < 8 (a share, a median) is withheld as well. Money and the figures of
    contracts (NIET_PERSOONLIJK) are exact when they are not counts.
    """
    registry = registry or laad_registry()
    if resultaat.is_empty():
        return resultaat.with_columns(geheim=pl.lit(False))
    rijen = []
    for r in resultaat.iter_rows(named=True):
        kpi = registry[r["kpi"]]
        waarde, teller, noemer = r["waarde"], r["teller"], r["noemer"]
        klein = r["n"] is not None and r["n"] < GEHEIM_ONDER
        geheim = False
        if klein and kpi.korrel not in NIET_PERSOONLIJK:
            waarde = teller = noemer = None
            geheim = True
        else:
            if kpi.eenheid == "aantal" and waarde is not None:
                waarde = _als_decimaal(telling(waarde))
                geheim = waarde is None
            if kpi.eenheid_teller == "aantal":
                teller = _als_decimaal(telling(teller))
                noemer = _als_decimaal(telling(noemer))
        rijen.append(
            {**r, "waarde": waarde, "teller": teller, "noemer": noemer,
             "n": telling(r["n"]), "geheim": geheim}
        )  # fmt: skip
    schema = {**resultaat.schema, "geheim": pl.Boolean}
    uit = pl.DataFrame(rijen, schema=schema)
    if "stoplicht" not in uit.columns:
        return uit
    # a withheld value has no stoplicht of its own
    return uit.with_columns(
        stoplicht=pl.when(pl.col("geheim")).then(pl.lit("grijs")).otherwise(pl.col("stoplicht"))
    )


def _als_decimaal(x: int | None) -> Decimal | None:
    return None if x is None else Decimal(x)


def peers(
    alle: pl.DataFrame,
    scope: Scope,
    registry: Registry | None = None,
    eigen: str | None = None,
) -> pl.DataFrame:
    """Provider values per sub-segment for a benchmark, as a scope may see them.

    `alle`: kpi.bereken(per=('subsegment', 'aanbieder')) for one KPI over all providers (the
    data layer's own call, never shown as is). Returns subsegment, aanbieder, waarde, n,
    eigen, stoplicht, geheim. `eigen`: the provider to highlight (in provider scope always the
    provider itself); with one, only its sub-segments are kept. Peers need n >= the KPI's
    minimum and a value. In provider scope a sub-segment keeps peers only when at least 3
    remain, peers carry no code, and small numbers are protected.
    """
    registry = registry or laad_registry()
    kolommen = ["subsegment", "aanbieder", "waarde", "n", "eigen", "stoplicht", "geheim"]
    if alle.is_empty():
        return pl.DataFrame(
            schema={"subsegment": pl.String, "aanbieder": pl.String, "waarde": pl.Decimal(38, 10),
                    "n": pl.Int64, "eigen": pl.Boolean, "stoplicht": pl.String,
                    "geheim": pl.Boolean}
        )  # fmt: skip
    min_n = registry[alle["kpi"][0]].min_n
    eigen_code = (scope.aanbieder if scope.is_aanbieder else eigen) or ""
    is_eigen = pl.col("aanbieder") == pl.lit(eigen_code, pl.String)
    bruikbaar = alle.filter(is_eigen | ((pl.col("n") >= min_n) & pl.col("waarde").is_not_null()))
    if eigen_code:
        eigen_subs = bruikbaar.filter(is_eigen)["subsegment"].unique().to_list()
        bruikbaar = bruikbaar.filter(pl.col("subsegment").is_in(eigen_subs))
    if not scope.is_aanbieder:
        return bruikbaar.with_columns(eigen=is_eigen, geheim=pl.lit(False)).select(kolommen)
    genoeg = (
        bruikbaar.filter(~is_eigen)
        .group_by("subsegment")
        .len()
        .filter(pl.col("len") >= MIN_PEERS)["subsegment"]
        .to_list()
    )
    deel = bruikbaar.filter(is_eigen | pl.col("subsegment").is_in(genoeg))
    return (
        beveilig(deel, registry)
        .with_columns(eigen=is_eigen)
        .with_columns(aanbieder=pl.when(pl.col("eigen")).then(pl.col("aanbieder")).otherwise(None))
        .sort("subsegment", "waarde", nulls_last=True)
        .select(kolommen)
    )


# Rejected input rows per table, severity, reason and provider: the one query behind the
# quarantine tables of Datakwaliteit and Over de data (not bound to a period).
QUARANTAINE_SQL = """
select
    q.tabel,
    q.ernst,
    q.reden,
    coalesce(q.aanbieder, '(onbekend)') as aanbieder,
    coalesce(a.naam, q.aanbieder, '(onbekend)') as naam,
    count(*) as aantal
from quarantaine as q
left join aanbieders as a on a.aanbieder = q.aanbieder
group by all
"""


def quarantaine(
    con: duckdb.DuckDBPyConnection, scope: Scope, gevraagd: Filters | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Quarantined rows as a scope may see them: (per reason, per provider with errors).

    Per reason: tabel, ernst, reden, aantal, over all providers the scope allows (a provider:
    its own rows only). Per provider: aanbieder, naam, reden, aantal for rows with ernst
    'fout', narrowed to the aanbieder filter asked for. In provider scope every aantal is a
    protected count (`telling`: rounded to fives, None = "geheim" below 8), taken after the
    sum, and ordered by what is shown, so the order does not tell a withheld count either.
    """
    alles = con.cursor().sql(QUARANTAINE_SQL).pl()
    if scope.is_aanbieder:
        alles = alles.filter(pl.col("aanbieder") == scope.aanbieder)
    per_reden = alles.group_by("tabel", "ernst", "reden").agg(pl.col("aantal").sum())
    codes = scope.filters(gevraagd).aanbieder
    fouten = alles.filter(pl.col("ernst") == "fout")
    if codes is not None:
        fouten = fouten.filter(pl.col("aanbieder").is_in(list(codes)))
    per_aanbieder = fouten.select("aanbieder", "naam", "reden", "aantal")
    if scope.is_aanbieder:
        per_reden, per_aanbieder = _beveilig_aantal(per_reden), _beveilig_aantal(per_aanbieder)
    sleutel = ["tabel", "reden"]
    return (
        per_reden.sort(["aantal", *sleutel], descending=[True, False, False], nulls_last=True),
        per_aanbieder.sort(
            ["aantal", "aanbieder", "reden"], descending=[True, False, False], nulls_last=True
        ),
    )


def telling_expr(kolom: str) -> pl.Expr:
    """`telling` as a Polars expression on an integer column (the same rule, column-wise)."""
    c = pl.col(kolom)
    afgerond = (c + AFRONDEN_OP // 2) // AFRONDEN_OP * AFRONDEN_OP
    return pl.when(c < GEHEIM_ONDER).then(None).otherwise(afgerond).cast(pl.Int64).alias(kolom)


def _beveilig_aantal(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(telling_expr("aantal"))
