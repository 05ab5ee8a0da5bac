"""What every export needs besides KPI values: names, peildatum, the data source, file names."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePath

import duckdb
from kpi.berekening import Berekening, lees_peildatum
from kpi.normen import Normen, laad_normen
from kpi.periode import Periode
from kpi.registry import Registry, laad_registry
from weergave import formaat
from weergave.meldingen import Melding, periode_meldingen


@dataclass(frozen=True)
class Context:
    """Names of gemeenten and aanbieders, the peildatum and the source line of a warehouse,
    and the norms the export judges its figures by."""

    peildatum: date
    bron: str
    gemeenten: dict[str, str]
    aanbieders: dict[str, str]
    registry: Registry
    eerste_datum: date | None = None  # the first dagtekening: where the data begins
    nulmeting: Periode | None = None  # normen.toml [nulmeting]
    normen: Normen | None = None  # None: kpi/normen.toml

    def berekening(self, con: duckdb.DuckDBPyConnection) -> Berekening:
        """A computation judged by this context's norms: in the dashboard the norms in force
        there ($STOPLICHT_NORMEN), so a download shows the stoplicht its page shows."""
        return Berekening(con, normen=self.normen, registry=self.registry)

    def naam(self, dimensie: str, code: str | None) -> str:
        """Display name of a gemeente or aanbieder code; other codes as they are."""
        if code is None:
            return "Alle"
        return {"gemeente": self.gemeenten, "aanbieder": self.aanbieders}.get(dimensie, {}).get(
            code, code
        )

    def meldingen(self, periode: Periode) -> list[Melding]:
        """What a reader must know about `periode` (weergave.meldingen)."""
        return periode_meldingen(periode, self.peildatum, self.eerste_datum, self.nulmeting)


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.cursor().execute("select sleutel, waarde from meta").fetchall())


def bronregel(meta: dict[str, str]) -> str:
    """'Bron: iJw/iWmo-berichten en financiële extracten (extract 'x', geladen op 26-11-2026)'."""
    delen = []
    if meta.get("extract"):
        delen.append(f"extract '{PurePath(meta['extract']).name}'")  # no local paths on paper
    if meta.get("geladen_op"):
        with contextlib.suppress(ValueError):  # an odd timestamp only loses this detail
            geladen = datetime.fromisoformat(meta["geladen_op"])
            delen.append(f"geladen op {formaat.datum(geladen)}")
    details = f" ({', '.join(delen)})" if delen else ""
    return f"Bron: iJw/iWmo-berichtenverkeer en financiële extracten{details}"


def lees_context(
    con: duckdb.DuckDBPyConnection,
    registry: Registry | None = None,
    normen: Normen | Path | str | None = None,
) -> Context:
    """Names, peildatum and source line from the warehouse; `normen` (a file, or loaded; default
    kpi/normen.toml) judges the figures and gives the nulmeting."""
    cur = con.cursor()
    gemeenten = dict(cur.execute("select gemeente, naam from gemeenten").fetchall())
    aanbieders = dict(cur.execute("select aanbieder, naam from aanbieders").fetchall())
    (eerste,) = cur.execute("select min(dagtekening) from berichten").fetchone() or (None,)
    registry = registry or laad_registry()
    if not isinstance(normen, Normen):
        normen = laad_normen(normen, registry)
    return Context(
        peildatum=lees_peildatum(con),
        bron=bronregel(_meta(con)),
        gemeenten=gemeenten,
        aanbieders=aanbieders,
        registry=registry,
        eerste_datum=eerste,
        nulmeting=normen.nulmeting,
        normen=normen,
    )


def veilige_naam(tekst: str, max_lengte: int = 60) -> str:
    """A file name part from any text: ASCII letters, digits and '-', nothing else."""
    ascii_ = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode("ascii")
    schoon = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-")
    return schoon[:max_lengte].rstrip("-") or "onbekend"
