"""Hand-built test warehouses for the KPI tests, and helpers to compare results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

from datacontract.kolommen import BERICHTEN
from kpi.berekening import bereken
from sample_data.bsn import BsnSource

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_SQL = ROOT / "warehouse" / "sql" / "schema.sql"

# Reden beeindiging groups, as kpi-definities.md lists them (test-side, for building rows).
_VOLGENS_PLAN = {"31", "19"}
_VOORTIJDIG = {"32", "33", "34", "35", "21", "22", "23"}

# Test-the-docs: every KPI id -> the golden tests that check it (filled by @golden).
GOLDEN: dict[str, set[str]] = {}

Datum = date | str


def golden(*kpi_ids: str) -> Callable:
    """Mark a test as a golden test (hand-worked expected values) for these KPIs."""

    def markeer(test: Callable) -> Callable:
        for kpi_id in kpi_ids:
            GOLDEN.setdefault(kpi_id, set()).add(f"{test.__module__}.{test.__name__}")
        return test

    return markeer


def d(x: Datum | None) -> date | None:
    """'2023-05-01' -> date; dates and None pass through."""
    return date.fromisoformat(x) if isinstance(x, str) else x


def reden_groep(reden: str | None) -> str | None:
    """The spec's grouping of reden beeindiging codes."""
    if reden is None:
        return None
    if reden in _VOLGENS_PLAN:
        return "volgens_plan"
    return "voortijdig" if reden in _VOORTIJDIG else "overig"


class Warehouse:
    """A warehouse from schema.sql (in memory, or a file), filled row by row by small builders."""

    def __init__(self, peildatum: Datum | None = "2024-12-31", pad: Path | None = None) -> None:
        self.con = duckdb.connect(str(pad) if pad else ":memory:")
        self.con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        self._volgnummer = 0
        if peildatum is not None:
            self.con.execute("insert into meta values ('peildatum', ?)", [d(peildatum).isoformat()])

    def _nummer(self) -> int:
        self._volgnummer += 1
        return self._volgnummer

    def _voeg_toe(self, tabel: str, rij: dict[str, Any]) -> None:
        kolommen = ", ".join(rij)
        vraagtekens = ", ".join("?" for _ in rij)
        self.con.execute(
            f"insert into {tabel} ({kolommen}) values ({vraagtekens})", list(rij.values())
        )

    # ------------------------------------------------------------ reference
    def product(
        self,
        code: str,
        subsegment: str,
        segment: str = "IAJ",
        domein: str = "jeugd",
        zwaarte: int = 1,
    ) -> None:
        """A product code mapped to a subsegment."""
        self._voeg_toe(
            "producten",
            {
                "product_code": code,
                "subsegment": subsegment,
                "segment": segment,
                "domein": domein,
                "zwaarte": zwaarte,
            },
        )

    # ------------------------------------------------------------ care
    def traject(
        self,
        client: str,
        begin: Datum,
        eind: Datum | None = None,
        *,
        reden: str | None = "31",
        gestopt: bool | None = None,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        segment: str = "IAJ",
        subsegment: str = "IAJ-A",
        zwaarte: int = 1,
        wacht_ingangsdatum: Datum | None = None,
        interval: bool = True,
    ) -> str:
        """A zorgtraject (ended with a 307 when `eind` is given), plus its zorginterval."""
        gestopt = eind is not None if gestopt is None else gestopt
        traject_id = f"{client}|{aanbieder}|{segment}|{d(begin)}"
        self._voeg_toe(
            "zorgtrajecten",
            {
                "traject_id": traject_id,
                "client_id": client,
                "aanbieder": aanbieder,
                "domein": domein,
                "segment": segment,
                "subsegment": subsegment,
                "zwaarte": zwaarte,
                "gemeente": gemeente,
                "begindatum": d(begin),
                "einddatum_zorg": d(eind) if gestopt else None,
                "einddatum": d(eind),
                "reden_beeindiging": reden if gestopt else None,
                "reden_groep": reden_groep(reden) if gestopt else None,
                "wacht_ingangsdatum": d(wacht_ingangsdatum or begin),
                "aantal_periodes": 1,
            },
        )
        if interval:
            self.interval(
                client,
                begin,
                eind,
                aanbieder=aanbieder,
                gemeente=gemeente,
                domein=domein,
                segment=segment,
                subsegment=subsegment,
            )
        return traject_id

    def interval(
        self,
        client: str,
        begin: Datum,
        eind: Datum | None = None,
        *,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        segment: str = "IAJ",
        subsegment: str = "IAJ-A",
    ) -> None:
        """A merged care interval (einde None = open)."""
        self._voeg_toe(
            "zorgintervallen",
            {
                "client_id": client,
                "gemeente": gemeente,
                "aanbieder": aanbieder,
                "domein": domein,
                "segment": segment,
                "subsegment": subsegment,
                "begindatum": d(begin),
                "einddatum": d(eind),
            },
        )

    def episode(
        self,
        client: str,
        begin: Datum,
        eind: Datum | None = None,
        *,
        reden: str | None = "31",
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        segment: str = "IAJ",
        subsegment: str = "IAJ-A",
        zwaarte: int = 1,
    ) -> None:
        """A zorgepisode (ended with a 307 when `eind` is given)."""
        self._voeg_toe(
            "zorgepisodes",
            {
                "episode_id": f"{client}|{domein}|{d(begin)}",
                "client_id": client,
                "domein": domein,
                "aanbieder": aanbieder,
                "segment": segment,
                "subsegment": subsegment,
                "zwaarte": zwaarte,
                "gemeente": gemeente,
                "begindatum": d(begin),
                "einddatum_zorg": d(eind),
                "einddatum": d(eind),
                "reden_beeindiging": reden if eind else None,
                "reden_groep": reden_groep(reden) if eind else None,
                "aantal_trajecten": 1,
            },
        )

    # ------------------------------------------------------------ messages
    def toewijzing(
        self,
        nummer: str,
        client: str,
        ingangsdatum: Datum,
        einddatum: Datum | None = None,
        *,
        verwijderd: bool = False,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        segment: str = "IAJ",
        subsegment: str = "IAJ-A",
        product_code: str = "45A01",
    ) -> None:
        """A toewijzing as the loader derives it from its 301s."""
        self._voeg_toe(
            "toewijzingen",
            {
                "gemeente": gemeente,
                "toewijzingnummer": nummer,
                "client_id": client,
                "aanbieder": aanbieder,
                "domein": domein,
                "segment": segment,
                "subsegment": subsegment,
                "zwaarte": 1,
                "product_code": product_code,
                "ingangsdatum": d(ingangsdatum),
                "einddatum": d(einddatum),
                "verwijderd": verwijderd,
                "eerste_dagtekening": d(ingangsdatum),
                "laatste_dagtekening": d(ingangsdatum),
                "aantal_301": 1,
            },
        )

    def start_stop(
        self,
        soort: str,
        nummer: str | None,
        client: str,
        begindatum: Datum,
        dagtekening: Datum,
        einddatum_zorg: Datum | None = None,
        *,
        reden: str | None = None,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        product_code: str = "45A01",
    ) -> None:
        """A standing 305 or 307 product line."""
        self._voeg_toe(
            "start_stop",
            {
                "berichtsoort": soort,
                "regel_id": self._nummer(),
                "gemeente": gemeente,
                "toewijzingnummer": nummer,
                "koppeling": "nummer" if nummer else "geen",
                "client_id": client,
                "aanbieder": aanbieder,
                "product_code": product_code,
                "begindatum": d(begindatum),
                "einddatum_zorg": d(einddatum_zorg),
                "reden_beeindiging": reden,
                "dagtekening": d(dagtekening),
            },
        )

    def bericht(
        self,
        soort: str,
        dagtekening: Datum,
        *,
        client: str | None = "c1",
        referentie: str | None = None,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        product_code: str | None = "45A01",
    ) -> None:
        """One message product line (for 315/301/319)."""
        nummer = self._nummer()
        afzender = gemeente if soort in ("301", "319") else aanbieder
        self._voeg_toe(
            "berichten",
            {
                "regel_id": nummer,
                "bron_bestand": "test",
                "bron_regel": nummer,
                "bericht_type": ("JW" if domein == "jeugd" else "WMO") + soort,
                "berichtsoort": soort,
                "domein": domein,
                "afzender": afzender,
                "bericht_id": f"b{nummer}",
                "dagtekening": d(dagtekening),
                "gemeente": gemeente,
                "aanbieder": aanbieder,
                "client_id": client,
                "referentie_aanbieder": referentie,
                "product_code": product_code,
            },
        )

    # ------------------------------------------------------------ finance
    def contract(
        self,
        van: Datum,
        tot: Datum,
        plekken: float,
        plekprijs: str | Decimal,
        *,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
        domein: str = "jeugd",
        segment: str = "IAJ",
        subsegment: str = "IAJ-A",
        opgegeven_dagen: int | None = None,
    ) -> None:
        """Places bought: plekken at plekprijs a year, valid [van, tot]."""
        self._voeg_toe(
            "contracten",
            {
                "aanbieder": aanbieder,
                "gemeente": gemeente,
                "subsegment": subsegment,
                "segment": segment,
                "domein": domein,
                "geldig_van": d(van),
                "geldig_tot": d(tot),
                "plekken": plekken,
                "plekprijs": Decimal(plekprijs),
                "opgegeven_doorlooptijd_dagen": opgegeven_dagen,
            },
        )

    def voorschot(
        self,
        maand: Datum,
        bedrag: str | Decimal,
        *,
        aanbieder: str = "11111111",
        gemeente: str = "1859",
    ) -> None:
        """An advance paid for a month."""
        self._voeg_toe(
            "voorschotten",
            {
                "aanbieder": aanbieder,
                "gemeente": gemeente,
                "maand": d(maand),
                "bedrag": Decimal(bedrag),
            },
        )

    def begroting(
        self,
        segment: str,
        jaar: int,
        *,
        gemeente: str | None = None,
        bedrag: str | None = None,
        target_clienten: float | None = None,
        kosten_per_client: str | None = None,
        maand: Datum | None = None,
        prognose_cumulatief: str | None = None,
    ) -> None:
        """A budget row (gemeente None: the whole region)."""
        self._voeg_toe(
            "begroting",
            {
                "gemeente": gemeente,
                "segment": segment,
                "jaar": jaar,
                "begroot_bedrag": None if bedrag is None else Decimal(bedrag),
                "target_clienten": target_clienten,
                "target_kosten_per_client": (
                    None if kosten_per_client is None else Decimal(kosten_per_client)
                ),
                "maand": d(maand),
                "prognose_cumulatief": (
                    None if prognose_cumulatief is None else Decimal(prognose_cumulatief)
                ),
            },
        )

    def uitgave(
        self,
        boekdatum: Datum,
        bedrag: str | Decimal,
        *,
        segment: str = "IAJ",
        gemeente: str = "1859",
        aanbieder: str | None = "11111111",
    ) -> None:
        """A booked spending row."""
        self._voeg_toe(
            "uitgaven",
            {
                "gemeente": gemeente,
                "segment": segment,
                "aanbieder": aanbieder,
                "boekdatum": d(boekdatum),
                "bedrag": Decimal(bedrag),
            },
        )

    def quarantaine(
        self,
        reden: str,
        *,
        ernst: str = "fout",
        bericht_type: str | None = "JW305",
        gemeente: str | None = "1859",
        aanbieder: str | None = "11111111",
    ) -> None:
        """A quarantined input row."""
        nummer = self._nummer()
        self._voeg_toe(
            "quarantaine",
            {
                "tabel": "berichten",
                "bron_bestand": "test.csv",
                "bron_regel": nummer,
                "reden": reden,
                "ernst": ernst,
                "bericht_type": bericht_type,
                "gemeente": gemeente,
                "aanbieder": aanbieder,
            },
        )

    # ------------------------------------------------------------ other sources
    def kpi_waarde(
        self,
        kpi: str,
        van: Datum,
        tot: Datum,
        *,
        teller: int | str | None = None,
        noemer: int | str | None = None,
        waarde: str | None = None,
        n: int | None = None,
        aanbieder: str = "11111111",
        gemeente: str | None = None,
        subsegment: str | None = None,
        bron: str | None = None,
    ) -> None:
        """A delivered measurement of an external KPI (table kpi_waarden)."""
        self._voeg_toe(
            "kpi_waarden",
            {
                "kpi": kpi,
                "aanbieder": aanbieder,
                "gemeente": gemeente,
                "subsegment": subsegment,
                "periode_van": d(van),
                "periode_tot": d(tot),
                "waarde": None if waarde is None else Decimal(waarde),
                "teller": None if teller is None else Decimal(teller),
                "noemer": None if noemer is None else Decimal(noemer),
                "n": n,
                "bron": bron,
            },
        )

    # ------------------------------------------------------------ computing
    def bereken(
        self, periode: str, kpis: Iterable[str] | None = None, **kwargs: Any
    ) -> pl.DataFrame:
        """Run the engine on this warehouse."""
        return bereken(self.con, periode, kpis=kpis, **kwargs)


def dec(x: Any) -> Decimal | None:
    """An expected value as the engine's Decimal(38, 10)."""
    if x is None:
        return None
    if isinstance(x, Fraction):
        x = Decimal(x.numerator) / Decimal(x.denominator)
    return Decimal(str(x)).quantize(Decimal("1e-10"))


def waarden(uitkomst: pl.DataFrame, kpi: str, kolommen: Iterable[str]) -> pl.DataFrame:
    """The rows of one KPI, selected columns, sorted on them."""
    kolommen = list(kolommen)
    return uitkomst.filter(pl.col("kpi") == kpi).select(kolommen).sort(kolommen, nulls_last=True)


def verwacht(
    uitkomst: pl.DataFrame, kpi: str, rijen: list[dict[str, Any]], *, extra: Iterable[str] = ()
) -> None:
    """Assert the KPI's rows equal `rijen` (hand-worked) on the columns the rows name."""
    kolommen = list(rijen[0]) if rijen else ["waarde", *extra]
    schema = dict(uitkomst.select(kolommen).schema)
    getallen = {"waarde", "teller", "noemer"}
    verwachte = pl.DataFrame(
        [{k: dec(v) if k in getallen else v for k, v in r.items()} for r in rijen],
        schema=schema,
    )
    assert_frame_equal(
        waarden(uitkomst, kpi, kolommen),
        verwachte.sort(kolommen, nulls_last=True),
    )


def enkel(uitkomst: pl.DataFrame, kpi: str) -> dict[str, Any]:
    """The single row of a KPI (asserts there is exactly one)."""
    rijen = uitkomst.filter(pl.col("kpi") == kpi)
    assert rijen.height == 1, f"{kpi}: {rijen.height} rijen"
    return rijen.row(0, named=True)


# ---------------------------------------------------------------- end-to-end extracts
PRODUCTEN_CSV = (
    "product_code,product_categorie,subsegment,segment,domein,zwaarte,geldig_van,geldig_tot\n"
    "54001,54,Jeugd Basis,IAJ,jeugd,1,2015-01-01,2022-06-30\n"
    "54Z01,54,Jeugd Basis,IAJ,jeugd,1,2022-07-01,\n"
    "43Z01,43,Verblijf Groep,GWV,jeugd,3,2022-07-01,\n"
    "02Z01,02,Ondersteuning Licht,IO,wmo,1,2022-07-01,\n"
)


class Extract:
    """A tiny extract (berichten.csv + producten.csv), written as the data contract describes."""

    def __init__(self) -> None:
        self.rijen: list[dict[str, str]] = []
        self.bsns = [f"{b:09d}" for b in BsnSource(seed=11).take(50)]  # client n -> a valid BSN

    def bericht(self, soort: str, client: int, dagtekening: Datum, **velden: Any) -> None:
        """One JW message product line; dates may be strings."""
        rij = {
            "bericht_type": f"JW{soort}",
            "bericht_id": str(len(self.rijen) + 1),
            "dagtekening": str(d(dagtekening)),
            "gemeente": "1859",
            "aanbieder": "11111111",
            "bsn": self.bsns[client],
        }
        rij.update({k: "" if v is None else str(v) for k, v in velden.items()})
        self.rijen.append(rij)

    def zorg(
        self,
        client: int,
        nummer: str,
        ingangsdatum: Datum,
        begindatum: Datum,
        einddatum_zorg: Datum | None = None,
        *,
        einddatum: Datum | None = None,
        product: str = "54Z01",
        reden: str = "31",
        dag_305: Datum | None = None,
        dag_307: Datum | None = None,
        **velden: Any,
    ) -> None:
        """A toewijzing (301) with its start (305) and, when `einddatum_zorg` is given, stop (307)."""
        toewijzing = {
            "toewijzingnummer": nummer,
            "product_categorie": product[:2],
            "product_code": product,
            "ingangsdatum": d(ingangsdatum),
            **velden,
        }
        self.bericht("301", client, ingangsdatum, einddatum=d(einddatum), **toewijzing)
        self.bericht("305", client, dag_305 or begindatum, begindatum=d(begindatum), **toewijzing)
        if einddatum_zorg is not None:
            self.bericht(
                "307",
                client,
                dag_307 or einddatum_zorg,
                begindatum=d(begindatum),
                einddatum_zorg=d(einddatum_zorg),
                reden_beeindiging=reden,
                **toewijzing,
            )

    def laad(self, map_: Path) -> duckdb.DuckDBPyConnection:
        """Write the extract, load it with the warehouse loader, open the result read-only."""
        from warehouse.laden import laad_extract

        map_.mkdir(parents=True, exist_ok=True)
        kolommen = BERICHTEN.namen  # the data contract's columns, as the loader knows them
        regels = [",".join(kolommen)]
        regels += [",".join(r.get(k, "") for k in kolommen) for r in self.rijen]
        (map_ / "berichten.csv").write_text("\n".join(regels) + "\n", encoding="utf-8")
        (map_ / "producten.csv").write_text(PRODUCTEN_CSV, encoding="utf-8")
        db = map_.parent / "warehouse.duckdb"
        laad_extract(map_, db)
        return duckdb.connect(str(db), read_only=True)
