"""The fast paths give what the unit rows give: aggregation in SQL, a series in one pass."""

from collections import Counter
from decimal import Decimal

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.aggregatie import aggregeer
from kpi.aggregatie_sql import ENIGE_RIJ, groepsquery, groepswaarden, in_sql
from kpi.berekening import Berekening, bereken, reeks
from kpi.eenhedensets import kolomsoorten
from kpi.eenhedensets.bron import _groepen
from kpi.filters import DIMENSIES, Filters
from kpi.periode import Periode
from kpi.registry import Kpi


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
    berekening.bron.vooraf(groepen=aanvragen)

    def geordend(groepen: pl.DataFrame) -> pl.DataFrame:  # a group by has no row order
        return groepen.sort(groepen.columns, nulls_last=True)

    samen = [geordend(berekening.bron.groepen(*a)) for a in aanvragen]
    los = Berekening(con).bron
    for uit, aanvraag in zip(samen, aanvragen, strict=True):
        assert uit.equals(geordend(los.groepen(*aanvraag)))
    assert any(not uit.is_empty() for uit in samen)


def test_tweede_cursor_ziet_de_feiten_ook_zonder_geladen_feiten(mini_warehouse) -> None:
    """A warehouse without stored facts: the second cursor gets the fact views as well."""
    from kpi.eenhedensets import Bron

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    try:
        bron = Bron(con.cursor(), Periode.parse("2024").eind)
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
    """Values kept across computations (kpi.eenhedensets.GEDEELD) are keyed on the load: loading
    other data into the same file gives fresh values in the same process."""
    from kpi.eenhedensets import Bron
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
            bron = Bron(con.cursor(), Periode.parse("2024").eind)
            assert bron.laad_id is not None
            tellen = lambda: con.execute("select count(*) from berichten").fetchone()[0]  # noqa: B023, E731
            tellingen.append(bron.onthoud_per_lading(("aantal berichten",), tellen))
            assert bron.heeft_per_lading(("aantal berichten",))
        finally:
            con.close()
    assert tellingen == [1, 3]


def test_per_lading_rekent_een_sleutel_een_keer_ook_als_veel_threads_tegelijk_vragen() -> None:
    """Twenty sessions that ask for the same per-load value at once (the region's forecast on a
    fresh server) get one computation between them, all the same value; a computation that
    fails raises in its own thread and the next caller computes anew instead of waiting."""
    import threading
    import time

    from kpi.eenhedensets.bron import _Gedeeld

    gedeeld = _Gedeeld()
    berekend = []

    def maak() -> object:
        berekend.append(1)
        time.sleep(0.2)  # long enough that all threads ask while it runs
        return object()

    start = threading.Barrier(20)
    uit: list[object] = []

    def vraag() -> None:
        start.wait()
        uit.append(gedeeld.haal(("prognose",), maak))

    threads = [threading.Thread(target=vraag) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(uit) == 20 and len(berekend) == 1
    assert all(u is uit[0] for u in uit)

    def faalt() -> object:
        raise RuntimeError("kapot")

    with pytest.raises(RuntimeError):
        gedeeld.haal(("ander",), faalt)
    assert gedeeld.haal(("ander",), lambda: 7) == 7
    assert not gedeeld.bevat(("derde",))


# The final values computed in SQL (aggregatie_sql._eindwaarden) against the exact Python
# reference (aggregatie.aggregeer, Fractions) on random unit rows: negative numbers, zero
# noemers, nulls, decimals with 2 and 10 decimals, single values and rounding ties.
def _kpi(id_: str, aggregatie: str, **velden) -> Kpi:
    return Kpi(id_, id_, "", "aantal", "neutraal", "", aggregatie, sql="x", **velden)


EIND_KPIS = (
    _kpi("aantal", "aantal"),
    _kpi("aantal_teller", "aantal", teller="g"),
    _kpi("clienten", "aantal_clienten"),
    _kpi("clienten_teller", "aantal_clienten", teller="b", n="clienten"),
    _kpi("som", "som", waarde="d2", teller="g", noemer="d10"),
    _kpi("aandeel", "aandeel"),
    _kpi("aandeel_geheel", "aandeel", teller="g", noemer="h"),
    _kpi("aandeel_decimaal", "aandeel", teller="h", noemer="d10"),
    _kpi("aandeel_geld", "aandeel", teller="d2", noemer="d10"),
    _kpi("aandeel_bool", "aandeel", teller="b", noemer="g", n="clienten"),
    _kpi("mediaan", "mediaan", waarde="v"),
    _kpi("gemiddelde", "gemiddelde", waarde="v"),
    _kpi("p80", "p80", waarde="v"),
    _kpi("mediaan_32", "mediaan", waarde="w"),
    _kpi("gemiddelde_32", "gemiddelde", waarde="w"),
)
EENHEID_SCHEMA = {
    "eenheid": pl.String, "client_id": pl.String, **dict.fromkeys(DIMENSIES, pl.String),
    "voorlopig": pl.Boolean, "g": pl.Int32, "h": pl.Int64, "b": pl.Boolean,
    "d2": pl.Decimal(18, 2), "d10": pl.Decimal(38, 10), "v": pl.Int64, "w": pl.Int32,
    ENIGE_RIJ: pl.Boolean,
}  # fmt: skip

_rij = st.fixed_dictionaries(
    {
        "client_id": st.sampled_from(["c1", "c2", "c3", None]),
        "aanbieder": st.sampled_from(["A", "B", None]),
        "voorlopig": st.sampled_from([True, False, None]),
        "g": st.one_of(st.none(), st.integers(-3, 2048)),
        "h": st.one_of(st.none(), st.sampled_from([0, 1, 3, 7, 2048, 10**9 + 7])),
        "b": st.one_of(st.none(), st.booleans()),
        "d2": st.one_of(st.none(), st.decimals(-1000, 1000, places=2)),
        "d10": st.one_of(st.none(), st.decimals(-3, 3, places=10)),
        "v": st.one_of(st.none(), st.integers(-50, 400)),
        "e": st.one_of(st.none(), st.booleans()),
        # 32 bits: the median from DuckDB's median(), in doubles (up to the extremes)
        "w": st.one_of(
            st.none(), st.integers(-50, 400), st.sampled_from([-(2**31), 2**31 - 1, 2**31 - 2])
        ),
    }
)


def _eenheden(rijen: list[dict]) -> pl.DataFrame:
    aangevuld = [
        {**{k: None for k in EENHEID_SCHEMA}, **r, "eenheid": str(i)} for i, r in enumerate(rijen)
    ]
    # enige_rij_client (aggregatie_sql.ENIGE_RIJ) may be true only for a client's only row;
    # drawn per row ("e") and kept where that holds, so both ways of counting take part
    aantal = Counter(r["client_id"] for r in aangevuld)
    for r in aangevuld:
        enig = r["client_id"] is not None and aantal[r["client_id"]] == 1
        r[ENIGE_RIJ] = r.pop("e", None) and enig
    return pl.DataFrame(aangevuld, schema=EENHEID_SCHEMA)


# Without p80 the median and the mean come from plain aggregates (quantile_disc for the
# 64-bit v, median for the 32-bit w), not from the window over value counts: both ways are
# checked.
ZONDER_P80 = tuple(k for k in EIND_KPIS if k.aggregatie != "p80")


def _beide_vormen(
    eenheden: pl.DataFrame, per: tuple[str, ...], kpis: tuple[Kpi, ...] = EIND_KPIS
) -> list[list[pl.DataFrame]]:
    """The values of `kpis` from one group query over `eenheden`, in both forms: final
    values computed in SQL, and partial results finalised in Python (aggregatie_sql.Groepen)."""
    con = duckdb.connect()
    try:
        con.register("eenheden_tabel", eenheden)
        rel = con.sql("from eenheden_tabel")
        soorten = dict(zip(rel.columns, map(str, rel.types), strict=True))
        uit = []
        for eind in (True, False):
            query = groepsquery("select * from eenheden_tabel", kpis, per, soorten, eind=eind)
            uit.append(groepswaarden(_groepen(con, query, {}, eind), kpis, per))
        return uit
    finally:
        con.close()


@settings(max_examples=250, deadline=None)
@given(
    rijen=st.lists(_rij, max_size=25),
    per=st.sampled_from([(), ("aanbieder",)]),
    kpis=st.sampled_from([EIND_KPIS, ZONDER_P80]),
    met_enige_rij=st.booleans(),
)
def test_eindwaarden_in_sql_gelijk_aan_exacte_python(rijen, per, kpis, met_enige_rij) -> None:
    """Also with and without the enige_rij_client column: a unit set without it counts every
    client the distinct way."""
    eenheden = _eenheden(rijen)
    if not met_enige_rij:
        eenheden = eenheden.drop(ENIGE_RIJ)
    in_sql, in_python = _beide_vormen(eenheden, per, kpis)
    for kpi, sql_waarden, python_waarden in zip(kpis, in_sql, in_python, strict=True):
        verwacht = aggregeer(eenheden, kpi, per)
        assert sql_waarden.equals(verwacht), kpi.id
        assert python_waarden.equals(verwacht), kpi.id


def test_eindwaarden_ronden_half_op_zoals_decimal() -> None:
    """1/2048 = 0.00048828125: a tie at the 11th decimal goes away from zero, both ways."""
    rijen = [
        {"aanbieder": "A", "g": 1, "h": 2048, "d2": Decimal("-1.00"), "d10": Decimal("2048")},
        {"aanbieder": "B", "g": -1, "h": 2048, "v": 1},
        {"aanbieder": "B", "g": 0, "h": 0, "v": 2},
    ]
    ids = [k.id for k in EIND_KPIS]
    for vorm in _beide_vormen(_eenheden(rijen), ("aanbieder",)):
        aandeel = vorm[ids.index("aandeel_geheel")]["waarde"].to_list()
        assert aandeel == [Decimal("0.0004882813"), Decimal("-0.0004882813")]
        geld = vorm[ids.index("aandeel_geld")]["waarde"].to_list()
        assert geld == [Decimal("-0.0004882813")]  # B has no d10: no noemer, no group


def test_als_decimaal_exact_ook_voorbij_28_cijfers() -> None:
    """Half up, ties away from zero, in integers: no double rounding by Decimal's context."""
    from fractions import Fraction

    from kpi.aggregatie import als_decimaal

    assert als_decimaal(Fraction(1, 2048)) == Decimal("0.0004882813")
    assert als_decimaal(Fraction(-1, 2048)) == Decimal("-0.0004882813")
    assert als_decimaal(Fraction(-1, 3 * 10**10)) == Decimal("0E-10")
    # 19 integer digits and a tie at the 11th decimal: 29 significant digits
    groot = Fraction(12345678901234567890 * 10**11 + 5, 10**11)
    assert als_decimaal(groot) == Decimal("12345678901234567890.0000000001")
    assert als_decimaal(-groot) == Decimal("-12345678901234567890.0000000001")
    assert als_decimaal(None) is None


def _aanbieders(con) -> list[str]:
    rijen = con.execute("select distinct aanbieder from toewijzingen order by 1").fetchall()
    return [r[0] for r in rijen]


def _genoemd(con) -> str:
    """The provider the extra norms name: the one with the most toewijzingen."""
    sql = "select aanbieder from toewijzingen group by 1 order by count(*) desc, 1 limit 1"
    return con.execute(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def normen_met_aanbieder(con, tmp_path_factory):
    """The norms in force plus two that name a provider: its figures where it has no units
    come from the plain path, not from the rows of a provider without units; its forecast's
    stoplicht is judged by its own band."""
    from kpi.normen import laad_normen
    from kpi.registry import laad_registry
    from tests.conftest import REPO

    agb = _genoemd(con)
    tekst = (REPO / "kpi" / "normen.toml").read_text(encoding="utf-8")
    tekst += (
        f'\n[[norm]]\nkpi = "uitstroom_volgens_plan"\naanbieder = "{agb}"\n'
        "groen = 0.5\noranje = 0.4\n"
        f'\n[[norm]]\nkpi = "verwachte_benutting"\naanbieder = "{agb}"\n'
        "groen = [0.97, 1.0]\noranje = [0.95, 1.02]\n"
    )
    pad = tmp_path_factory.mktemp("normen") / "normen.toml"
    pad.write_text(tekst, encoding="utf-8")
    return laad_normen(pad, laad_registry())


@pytest.mark.parametrize(
    ("periode", "per", "kpis"),
    [
        ("2023", (), None),  # a whole year before the peildatum
        ("2024-Q4", (), None),  # voorlopig: the termijn of its last days runs past the peildatum
        ("2026", (), None),  # a period with no data
        ("cj2024", ("subsegment",), None),
        ("2024-05", ("gemeente", "subsegment"), ("zorgkosten", "benutting", "doorlooptijd")),
    ],
)
def test_een_aanbieder_uit_alle_aanbieders_gelijk_aan_gefilterd(
    con, normen_met_aanbieder, periode, per, kpis
) -> None:
    """`uit_per_aanbieder` (the Aanbieder page's figures cut from one computation for all
    providers) gives, for every provider and for one without any care, the frame the plain
    filtered computation gives: same rows, same values, same order."""
    from kpi.berekening import GEEN_AANBIEDER, uit_per_aanbieder

    normen = normen_met_aanbieder
    alle = bereken(con, periode, per=("aanbieder", *per), kpis=kpis, normen=normen)
    zonder = bereken(
        con, periode, per=per, filters=Filters(aanbieder=(GEEN_AANBIEDER,)), kpis=kpis,
        normen=normen,
    )  # fmt: skip
    aanbieders = [*_aanbieders(con), "99999999"]  # the last: no units anywhere
    apart_gevraagd = []
    for agb in aanbieders:
        gefilterd = Filters(aanbieder=(agb,))

        def apart(ids: list[str], gefilterd: Filters = gefilterd) -> pl.DataFrame:
            apart_gevraagd.append((gefilterd.aanbieder, ids))
            return bereken(con, periode, per=per, filters=gefilterd, kpis=ids, normen=normen)

        verwacht = bereken(con, periode, per=per, filters=gefilterd, kpis=kpis, normen=normen)
        uit = uit_per_aanbieder(alle, zonder, agb, per, kpis, apart, normen)
        assert uit.equals(verwacht), (agb, periode, per)
    assert len(aanbieders) > 20
    if periode == "2026":  # nobody has units: the provider named by a norm took the plain path
        assert apart_gevraagd == [((_genoemd(con),), ["uitstroom_volgens_plan"])]


def _gelijk(uit: pl.DataFrame, verwacht: pl.DataFrame) -> None:
    """Same columns, rows, order and values, bit for bit (the forecast's sums are exact:
    overzicht._som)."""
    from polars.testing import assert_frame_equal

    assert_frame_equal(uit, verwacht, check_exact=True)


@pytest.mark.parametrize(
    ("peildatum", "per", "filters"),
    [
        (None, (), {}),
        (None, ("gemeente", "subsegment"), {}),
        (None, ("subsegment",), {"segment": ("GWV",)}),
        ("2024-02-10", (), {}),  # another contract year: cj2023
    ],
)
def test_prognose_van_een_aanbieder_uit_alle_aanbieders_gelijk_aan_gefilterd(
    con, normen_met_aanbieder, peildatum, per, filters
) -> None:
    """overzicht.van_aanbieder and maandreeks_van_aanbieder (the Aanbieder page's forecast cut
    from one forecast for all providers) give, for every provider and for one without any
    contract, the frames of the plain filtered forecast: same rows, values and order; also
    with a norm rule that names a provider."""
    from datetime import date

    from kpi.prognose import overzicht

    dag = date.fromisoformat(peildatum) if peildatum else None
    b = Berekening(con, dag, normen_met_aanbieder)
    basis = Filters(**filters)
    alle = overzicht.per_groep(con, per=("aanbieder", *per), filters=basis, berekening=b)
    maanden = overzicht.maandreeks(con, filters=basis, berekening=b, per=("aanbieder", *per))
    aanbieders = [*_aanbieders(con), "99999999"]  # the last: no contracts anywhere
    met_rijen = 0
    for agb in aanbieders:
        gefilterd = Filters(**filters, aanbieder=(agb,))
        verwacht = overzicht.per_groep(con, per=per, filters=gefilterd, berekening=b)
        _gelijk(overzicht.van_aanbieder(alle, agb), verwacht)
        reeks_verwacht = overzicht.maandreeks(con, filters=gefilterd, berekening=b, per=per)
        _gelijk(overzicht.maandreeks_van_aanbieder(maanden, agb), reeks_verwacht)
        met_rijen += verwacht.height > 0
    assert met_rijen >= 3 and verwacht.is_empty()  # providers with contracts; none for the last
    eigen = overzicht.van_aanbieder(alle, _genoemd(con))  # judged by the band that names it
    assert set(eigen["norm_groen"]) == ({"0.97..1"} if eigen.height else set())
    assert eigen.height or filters
