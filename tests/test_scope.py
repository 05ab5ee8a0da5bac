"""The scope in the data layer: narrowing, small-number protection, anonymous peers, users."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from kpi import BuitenScope, Filters, Scope, bereken, eenheden
from kpi.scope import beveilig, peers, quarantaine, telling, telling_expr


@pytest.mark.parametrize(
    ("n", "getoond"),
    [
        (0, None),
        (1, None),
        (7, None),
        (8, 10),
        (10, 10),
        (12, 10),
        (13, 15),
        (1234, 1235),
        (1232, 1230),
    ],
)
def test_telling_afgerond_op_vijftallen_en_geheim_onder_8(n: int, getoond: int | None) -> None:
    assert telling(n) == getoond


def test_scope_vernauwt_filters_en_url_kan_niet_verbreden() -> None:
    s = Scope("aanbieder", aanbieder="01234567")
    assert s.filters(Filters()).aanbieder == ("01234567",)
    # asking for another provider gives nothing, never the other provider
    assert s.filters(Filters(aanbieder="87654321")).aanbieder == ()
    assert s.filters(Filters(gemeente="0197")).gemeente == ("0197",)
    assert Scope().filters(Filters(aanbieder="87654321")).aanbieder == ("87654321",)
    with pytest.raises(ValueError, match="AGB"):
        Scope("aanbieder")


def _regel(
    kpi: str, waarde: str | None, n: int, teller: str | None = None, noemer: str | None = None
) -> dict:
    return {
        "kpi": kpi, "gemeente": None, "domein": None, "segment": None, "subsegment": None,
        "aanbieder": "01234567", "waarde": None if waarde is None else Decimal(waarde),
        "teller": None if teller is None else Decimal(teller),
        "noemer": None if noemer is None else Decimal(noemer), "n": n, "voorlopig": False,
        "stoplicht": "groen",
    }  # fmt: skip


def test_beveilig_telt_af_en_houdt_kleine_aantallen_achter() -> None:
    frame = pl.DataFrame(
        [
            _regel("instroom", "23", 23, "23"),  # a count: 23 → 25
            _regel("uitstroom", "6", 6, "6"),  # 6 < 8: geheim
            _regel("uitstroom_volgens_plan", "0.5", 6, "3", "6"),  # a share on n = 6: geheim
            _regel("uitstroom_volgens_plan", "0.75", 12, "9", "12"),  # n 12: value kept, 9 → 10
            _regel("zorgkosten", "1234.56", 3),  # money: exact, whatever n; n itself a count
        ]
    )
    uit = beveilig(frame).select("kpi", "waarde", "teller", "noemer", "n", "geheim", "stoplicht")
    assert uit.rows() == [
        ("instroom", Decimal(25), Decimal(25), None, 25, False, "groen"),
        ("uitstroom", None, None, None, None, True, "grijs"),
        ("uitstroom_volgens_plan", None, None, None, None, True, "grijs"),
        ("uitstroom_volgens_plan", Decimal("0.75"), Decimal(10), Decimal(10), 10, False, "groen"),
        ("zorgkosten", Decimal("1234.56"), None, None, None, False, "groen"),  # n 3: geheim
    ]


def _peers(waarden: list[tuple[str, str, float, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"kpi": "doorlooptijd", "subsegment": s, "aanbieder": a, "waarde": Decimal(str(w)), "n": n,
          "teller": None, "noemer": None, "voorlopig": False, "stoplicht": "groen",
          "gemeente": None, "domein": None, "segment": None} for s, a, w, n in waarden]
    )  # fmt: skip


def test_peers_zonder_namen_met_minimum_n_en_minstens_drie() -> None:
    alle = _peers(
        [
            ("Basis", "00000001", 100, 40),  # the provider itself
            ("Basis", "00000002", 120, 30),
            ("Basis", "00000003", 150, 12),
            ("Basis", "00000004", 90, 9),  # n 9 < min n 10: not a peer
            ("Basis", "00000005", 200, 50),
            ("Zwaar", "00000001", 300, 20),
            ("Zwaar", "00000002", 310, 20),  # only 2 peers in Zwaar: none shown
            ("Zwaar", "00000003", 320, 20),
            ("Licht", "00000006", 50, 20),  # not the provider's sub-segment: left out
        ]
    )
    s = Scope("aanbieder", aanbieder="00000001")
    uit = peers(alle, s)
    assert set(uit["aanbieder"].drop_nulls()) == {"00000001"}  # no other code
    basis = uit.filter(pl.col("subsegment") == "Basis")
    assert sorted(float(w) for w in basis.filter(~pl.col("eigen"))["waarde"]) == [
        120.0,
        150.0,
        200.0,
    ]
    zwaar = uit.filter(pl.col("subsegment") == "Zwaar")
    assert zwaar.height == 1 and zwaar["eigen"][0]
    assert "Licht" not in set(uit["subsegment"])
    # the region sees the codes
    assert "00000002" in set(peers(alle, Scope(), eigen="00000001")["aanbieder"])


def test_geen_trajecten_voor_aanbieders(mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    agb = con.execute("select aanbieder from zorgtrajecten limit 1").fetchall()[0][0]
    with pytest.raises(BuitenScope):
        eenheden(con, "instroom", "2024", scope=Scope("aanbieder", aanbieder=agb))
    assert eenheden(con, "instroom", "2024").height > 0


def test_bereken_in_aanbiederscope_alleen_eigen_rijen(mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    agb = con.execute(
        "select aanbieder from zorgtrajecten group by 1 order by count(*) desc limit 1"
    ).fetchall()[0][0]
    s = Scope("aanbieder", aanbieder=agb)
    per = bereken(con, "2024", per=["aanbieder"], kpis=["instroom", "lopend"], scope=s)
    assert set(per["aanbieder"]) == {agb}
    eigen = bereken(con, "2024", filters=Filters(aanbieder=agb), kpis=["instroom"])["waarde"][0]
    getoond = per.filter(pl.col("kpi") == "instroom")["waarde"][0]
    assert getoond == telling(eigen)  # the same figure, rounded to fives
    # tampering: asking for another provider in provider scope yields nothing of that provider
    ander = con.execute(
        "select aanbieder from zorgtrajecten where aanbieder <> ? limit 1", [agb]
    ).fetchall()[0][0]
    niets = bereken(
        con, "2024", per=["aanbieder"], filters=Filters(aanbieder=ander), kpis=["instroom"], scope=s
    )
    assert ander not in set(niets["aanbieder"].drop_nulls())


def test_telling_als_expressie_gelijk_aan_telling() -> None:
    """The column-wise form of the rule gives what the scalar form gives, 0 to 1000."""
    frame = pl.DataFrame({"aantal": list(range(1001))})
    assert frame.select(telling_expr("aantal"))["aantal"].to_list() == [
        telling(n) for n in range(1001)
    ]


def _quarantaine_warehouse(pad: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse file with only what the quarantine tables read, counts chosen by hand."""
    con = duckdb.connect(str(pad))
    con.execute("create table aanbieders (aanbieder varchar, naam varchar)")
    con.execute("insert into aanbieders values ('01234567', 'Zorg A'), ('87654321', 'Zorg B')")
    con.execute(
        "create table quarantaine (tabel varchar, ernst varchar, reden varchar, aanbieder varchar)"
    )
    rijen = (
        [("berichten", "fout", "BSN ongeldig", "01234567")] * 18
        + [("berichten", "fout", "BSN ongeldig", "87654321")] * 4
        + [("berichten", "fout", "onbekende productcode", "01234567")] * 7
        + [("berichten", "dubbel", "dubbel: al geladen", "01234567")] * 12
        + [("berichten", "fout", "onbekende productcode", None)] * 3
    )
    con.executemany("insert into quarantaine values (?, ?, ?, ?)", rijen)
    con.close()
    return duckdb.connect(str(pad), read_only=True)


def test_quarantaine_in_scope(tmp_path: Path) -> None:
    con = _quarantaine_warehouse(tmp_path / "q.duckdb")
    reden, per = quarantaine(con, Scope())
    # the region: exact counts over all providers; per provider only the errors
    assert reden.rows() == [
        ("berichten", "fout", "BSN ongeldig", 22),
        ("berichten", "dubbel", "dubbel: al geladen", 12),
        ("berichten", "fout", "onbekende productcode", 10),
    ]
    assert per.rows() == [
        ("01234567", "Zorg A", "BSN ongeldig", 18),
        ("01234567", "Zorg A", "onbekende productcode", 7),
        ("87654321", "Zorg B", "BSN ongeldig", 4),
        ("(onbekend)", "(onbekend)", "onbekende productcode", 3),
    ]
    _, gefilterd = quarantaine(con, Scope(), Filters(aanbieder="87654321"))
    assert gefilterd.rows() == [("87654321", "Zorg B", "BSN ongeldig", 4)]
    # a provider: its own rows only; 18 -> 20, 12 -> 10, 7 -> geheim (None), after the sum
    a = Scope("aanbieder", aanbieder="01234567")
    reden, per = quarantaine(con, a)
    assert reden.rows() == [
        ("berichten", "fout", "BSN ongeldig", 20),
        ("berichten", "dubbel", "dubbel: al geladen", 10),
        ("berichten", "fout", "onbekende productcode", None),
    ]
    assert per.rows() == [
        ("01234567", "Zorg A", "BSN ongeldig", 20),
        ("01234567", "Zorg A", "onbekende productcode", None),
    ]
    # asking for another provider in provider scope gives nothing of it
    _, ander = quarantaine(con, a, Filters(aanbieder="87654321"))
    assert ander.is_empty()
