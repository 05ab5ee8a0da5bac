"""The fast paths give what the unit rows give: aggregation in SQL, a series in one pass."""

import duckdb
import polars as pl
import pytest

from kpi.aggregatie import aggregeer
from kpi.aggregatie_sql import in_sql
from kpi.bereken import Berekening, bereken, reeks
from kpi.eenheden import kolomsoorten
from kpi.filters import Filters
from kpi.periode import Periode


@pytest.fixture(scope="module")
def con(mini_warehouse):
    verbinding = duckdb.connect(str(mini_warehouse), read_only=True)
    yield verbinding
    verbinding.close()


@pytest.mark.parametrize(
    "per", [(), ("aanbieder",), ("gemeente", "subsegment", "aanbieder"), ("domein",)]
)
def test_aggregatie_in_sql_gelijk_aan_aggregatie_van_eenheden(con, per) -> None:
    berekening = Berekening(con)
    periode = Periode.parse("cj2022")
    getoetst = []
    for kpi in berekening.registry:
        if kpi.sql is None or not in_sql(kpi, kolomsoorten(kpi.sql)):
            continue
        in_duckdb = berekening.waarden(kpi, periode, per, Filters())
        rijen = berekening.eenheden(kpi, periode, Filters())
        verwacht = aggregeer(rijen, kpi, per)
        assert in_duckdb.equals(verwacht), kpi.id  # cj2022 ends before the peildatum
        getoetst.append(kpi.id)
    assert {"instroom", "doorlooptijd", "doorlooptijd_p80", "recidive", "benutting"} <= set(
        getoetst
    )


@pytest.mark.parametrize("per", [(), ("aanbieder",)])
def test_reeks_in_een_keer_gelijk_aan_maand_voor_maand(con, per) -> None:
    periode = Periode.parse("2022-11-15..2023-04-10")
    ids = [k.id for k in Berekening(con).registry if k.periodiek]
    in_een_keer = reeks(con, periode, per=per)
    los = pl.concat([bereken(con, maand, per=per, kpis=ids) for maand in periode.maanden()])
    assert in_een_keer.equals(los)


MAANDFEITEN_KPIS = ["benutting", "zorgkosten", "voorschot", "saldo_afrekening"]


@pytest.mark.parametrize(
    "periode", ["cj2022", "2023-Q2", "2022-11", "2023-03-15..2023-06-20", "cj2024"]
)
@pytest.mark.parametrize("per", [(), ("aanbieder",), ("gemeente", "subsegment")])
def test_maandfeiten_geven_wat_de_sql_geeft(con, monkeypatch, periode, per) -> None:
    from kpi import maandfeiten

    berekening = Berekening(con)
    assert berekening.bron.maandfeiten is not None  # the load filled them
    p = Periode.parse(periode)
    assert maandfeiten.tekst("contractmaanden", p.start, p.eind, berekening.peildatum,
                             berekening.bron.maandfeiten) is not None or ".." in periode  # fmt: skip
    filters = Filters(segment=con.execute("select min(segment) from contracten").fetchone()[0])
    met = [bereken(con, periode, per, f, kpis=MAANDFEITEN_KPIS) for f in (None, filters)]
    monkeypatch.setattr(maandfeiten, "tekst", lambda *_: None)  # always the SQL files
    zonder = [bereken(con, periode, per, f, kpis=MAANDFEITEN_KPIS) for f in (None, filters)]
    assert sum(a.height for a in met) > 0
    for a, b in zip(met, zonder, strict=True):
        assert a.sort(a.columns[:8]).equals(b.sort(b.columns[:8]))


def test_maandfeiten_alleen_voor_hele_maanden_binnen_bereik() -> None:
    from datetime import date

    from kpi.maandfeiten import tekst

    feiten = (date(2022, 1, 1), date(2024, 12, 31), date(2024, 12, 15))
    peil = date(2024, 12, 15)
    assert tekst("contractmaanden", date(2023, 1, 1), date(2023, 12, 31), peil, feiten)
    assert tekst("voorschot", date(2022, 1, 1), date(2024, 12, 31), peil, feiten)
    assert tekst("instroom", date(2023, 1, 1), date(2023, 12, 31), peil, feiten) is None
    assert tekst("voorschot", date(2023, 1, 2), date(2023, 12, 31), peil, feiten) is None
    assert tekst("voorschot", date(2023, 1, 1), date(2024, 12, 15), peil, feiten) is None
    assert tekst("voorschot", date(2021, 12, 1), date(2023, 12, 31), peil, feiten) is None
    assert tekst("voorschot", date(2024, 1, 1), date(2025, 1, 31), peil, feiten) is None
    assert (
        tekst("voorschot", date(2023, 1, 1), date(2023, 12, 31), date(2024, 6, 1), feiten) is None
    )
    assert tekst("voorschot", date(2023, 1, 1), date(2023, 12, 31), peil, None) is None


def test_groepen_vooraf_gelijk_aan_een_voor_een(con) -> None:
    """The concurrent queries (two cursors) give what one cursor gives, one query at a time."""
    from weergave.tabellen import MATRIX_KPIS

    berekening = Berekening(con)
    kpis = [k for k in berekening.kies(MATRIX_KPIS) if k.sql and in_sql(k, kolomsoorten(k.sql))]
    sets = {(k.sql, k.parameters) for k in kpis}
    assert len(sets) >= 4
    aanvragen = [
        (naam, ((p.start, p.eind),), Filters(), dict(params), tuple(k for k in kpis if k.sql == naam
         and k.parameters == params), ("aanbieder",))
        for naam, params in sorted(sets)
        for p in (Periode.parse("cj2022"), Periode.parse("2023-Q1"))
    ]  # fmt: skip
    berekening.bron.groepen_vooraf(aanvragen)

    def geordend(groepen: list[dict]) -> list[dict]:  # a group by has no row order
        return sorted(groepen, key=lambda g: [str(v) for v in g.values()])

    samen = [geordend(berekening.bron.groepen(*a)) for a in aanvragen]
    los = Berekening(con).bron
    assert samen == [geordend(los.groepen(*a)) for a in aanvragen]
    assert any(samen)


def test_tweede_cursor_ziet_de_feiten_ook_zonder_geladen_feiten(mini_warehouse) -> None:
    """A warehouse without stored facts: the second cursor gets the fact views as well."""
    from kpi.eenheden import Bron

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        bron = Bron(con, Periode.parse("2024").eind)
        bron._feiten_geladen = False  # as for a warehouse loaded without the fact tables
        cur = bron._tweede_cursor()
        rijen = cur.execute("select count(*) from traject_feiten").fetchone()[0]
        assert rijen == con.execute("select count(*) from traject_feiten").fetchone()[0] > 0
        views = cur.execute(
            "select count(*) from duckdb_views() where view_name = 'traject_feiten'"
        ).fetchone()[0]
        assert views == 1
    finally:
        con.close()


def test_wat_per_lading_bewaard_wordt_geldt_alleen_voor_die_lading(tmp_path) -> None:
    """Values kept across computations (kpi.eenheden.GEDEELD) are keyed on the load: loading
    other data into the same file gives fresh values in the same process."""
    from kpi.eenheden import Bron
    from tests.conftest import bericht, schrijf_extract
    from warehouse.laden import laad_extract

    db = tmp_path / "w.duckdb"
    tellingen = []
    for aantal in (1, 3):
        rijen = [
            bericht(bericht_type="JW301", toewijzingnummer=f"T{i}", dagtekening="2023-01-02",
                    ingangsdatum="2023-01-02", einddatum="2023-06-30")
            for i in range(aantal)
        ]  # fmt: skip
        laad_extract(schrijf_extract(tmp_path / f"x{aantal}", rijen), db)
        con = duckdb.connect(str(db), read_only=True)
        try:
            bron = Bron(con, Periode.parse("2024").eind)
            assert bron.laad_id is not None
            tellen = lambda: con.execute("select count(*) from berichten").fetchone()[0]  # noqa: B023, E731
            tellingen.append(bron.onthoud_per_lading(("aantal berichten",), tellen))
            assert bron.heeft_per_lading(("aantal berichten",))
        finally:
            con.close()
    assert tellingen == [1, 3]
