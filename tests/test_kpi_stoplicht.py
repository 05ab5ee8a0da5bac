"""Norms and stoplicht: fixed, band and relative norms; most specific wins; grey rules."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.filters import Filters
from kpi.normen import NormFout, NormRegel, laad_normen
from kpi.periode import Periode
from kpi.stoplicht import NORM_SCHEMA, Norm, beoordeel, normkolommen, stoplicht_kolom
from tests.kpi_fixtures import Warehouse, enkel, golden, verwacht

F = Fraction


def _vast(groen: Fraction, oranje: Fraction) -> NormRegel:
    return NormRegel(kpi="x", soort="vast", groen=groen, oranje=oranje)


@pytest.mark.parametrize(
    ("waarde", "kleur"),
    [(F(28), "groen"), (F(29), "oranje"), (F(42), "oranje"), (F(43), "rood")],
)
def test_vast_lager_beter(waarde: Fraction, kleur: str) -> None:
    oordeel = beoordeel(waarde, 10, False, 10, "lager_beter", _vast(F(28), F(42)))
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_oranje) == (
        kleur,
        "<= 28",
        "<= 42",
    )


@pytest.mark.parametrize(("waarde", "kleur"), [(F(9, 10), "groen"), (F(89, 100), "oranje")])
def test_vast_hoger_beter(waarde: Fraction, kleur: str) -> None:
    oordeel = beoordeel(waarde, 10, False, 10, "hoger_beter", _vast(F(9, 10), F(3, 4)))
    assert (oordeel.stoplicht, oordeel.norm_groen) == (kleur, ">= 0.9")


@pytest.mark.parametrize(
    ("waarde", "kleur"),
    [(F(9, 10), "groen"), (F(105, 100), "groen"), (F(106, 100), "oranje"), (F(79, 100), "rood")],
)
def test_band(waarde: Fraction, kleur: str) -> None:
    regel = NormRegel(
        kpi="benutting", soort="band", groen=(F(9, 10), F(105, 100)), oranje=(F(8, 10), F(115, 100))
    )
    oordeel = beoordeel(waarde, 1, False, 1, "band", regel)
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_oranje) == (
        kleur,
        "0.9..1.05",
        "0.8..1.15",
    )


def test_relatief_ten_opzichte_van_basis() -> None:
    regel = NormRegel(kpi="x", soort="relatief", groen=F(5, 100), oranje=F(15, 100))
    # baseline 200 days, lower is better: groen up to 210, oranje up to 230
    assert beoordeel(F(210), 10, False, 10, "lager_beter", regel, F(200)).stoplicht == "groen"
    oordeel = beoordeel(F(231), 10, False, 10, "lager_beter", regel, F(200))
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_oranje) == (
        "rood",
        "<= 210",
        "<= 230",
    )
    # higher is better: groen from 190
    assert beoordeel(F(189), 10, False, 10, "hoger_beter", regel, F(200)).stoplicht == "oranje"
    # no baseline: grey, no norm shown
    assert beoordeel(F(1), 10, False, 10, "lager_beter", regel, None).norm_groen is None


def test_grijs() -> None:
    regel = _vast(F(28), F(42))
    assert beoordeel(F(1), 10, False, 10, "lager_beter", None).stoplicht == "grijs"  # no norm
    te_weinig = beoordeel(F(1), 9, False, 10, "lager_beter", regel)  # n < min_n
    assert (te_weinig.stoplicht, te_weinig.norm_groen) == ("grijs", "<= 28")
    assert beoordeel(F(1), 10, True, 10, "lager_beter", regel).stoplicht == "grijs"  # voorlopig
    assert beoordeel(None, 10, False, 10, "lager_beter", regel).stoplicht == "grijs"  # no value


NORMEN = """
[instellingen]
wachttijd_norm_dagen = 42

[[norm]]
kpi = "wachttijd"
groen = 10
oranje = 20

[[norm]]
kpi = "wachttijd"
segment = "GWV"
groen = 30
oranje = 40

[[norm]]
kpi = "wachttijd"
aanbieder = "22222222"
groen = 1
oranje = 2

[[norm]]
kpi = "doorlooptijd"
basis = "cj2022"
groen = 0.05
oranje = 0.15
"""


@pytest.fixture
def normen_pad(tmp_path: Path) -> Path:
    pad = tmp_path / "normen.toml"
    pad.write_text(NORMEN, encoding="utf-8")
    return pad


@golden("wachttijd")
def test_meest_specifieke_norm_wint(normen_pad: Path) -> None:
    w = Warehouse()
    for i in range(10):  # ten trajectories with wachttijd 15 at A in IAJ, GWV and at B
        w.traject(f"a{i}", "2023-03-16", wacht_ingangsdatum="2023-03-01")
        w.traject(f"g{i}", "2023-03-16", wacht_ingangsdatum="2023-03-01", segment="GWV")
        w.traject(f"b{i}", "2023-03-16", wacht_ingangsdatum="2023-03-01", aanbieder="22222222")
    uit = w.bereken("2023", kpis=["wachttijd"], per=["segment", "aanbieder"], normen=normen_pad)
    verwacht(
        uit,
        "wachttijd",
        [
            # default norm (<= 10 / <= 20): 15 is oranje
            {
                "segment": "IAJ",
                "aanbieder": "11111111",
                "norm_groen": "<= 10",
                "stoplicht": "oranje",
            },
            # segment override (<= 30): groen
            {
                "segment": "GWV",
                "aanbieder": "11111111",
                "norm_groen": "<= 30",
                "stoplicht": "groen",
            },
            # aanbieder override beats the default (<= 1 / <= 2): rood
            {"segment": "IAJ", "aanbieder": "22222222", "norm_groen": "<= 1", "stoplicht": "rood"},
        ],
    )
    # a filter on one segment counts as context too
    gwv = w.bereken("2023", kpis=["wachttijd"], normen=normen_pad, filters=Filters(segment="GWV"))
    assert enkel(gwv, "wachttijd")["norm_groen"] == "<= 30"


@golden("doorlooptijd")
def test_relatieve_norm_tegen_nulmeting(normen_pad: Path) -> None:
    w = Warehouse(peildatum="2024-12-31")
    # nulmeting cj2022: ten trajectories of 100 days ending in it -> median 100
    for i in range(10):
        w.traject(f"n{i}", "2022-09-01", "2022-12-09")  # 30 + 31 + 30 + 9 = 100 days
    # after it: ten of 110 days (10 % worse: oranje), Aalten ten of 104 days (groen)
    for i in range(10):
        w.traject(f"x{i}", "2023-07-01", "2023-10-18")  # 31 + 31 + 30 + 18 = 110
        w.traject(f"y{i}", "2023-07-01", "2023-10-12", gemeente="0197")  # 104
    uit = w.bereken(
        "2023-07-01..2023-12-31", kpis=["doorlooptijd"], per=["gemeente"], normen=normen_pad
    )
    verwacht(
        uit,
        "doorlooptijd",
        [
            # baseline median 100: groen <= 105, oranje <= 115
            {"gemeente": "0197", "waarde": 104, "norm_oranje": "<= 115", "stoplicht": "groen"},
            {"gemeente": "1859", "waarde": 110, "norm_oranje": "<= 115", "stoplicht": "oranje"},
        ],
    )


@pytest.mark.parametrize(
    ("toml", "melding"),
    [
        ('[[norm]]\nkpi = "bestaat_niet"\ngroen = 1\noranje = 2', "onbekende KPI 'bestaat_niet'"),
        ('[[norm]]\nkpi = "wachttijd"\ngroen = 50\noranje = 20', "groen <= oranje"),
        ('[[norm]]\nkpi = "benutting"\ngroen = 1\noranje = 2', "band of relatieve"),
        (
            '[[norm]]\nkpi = "benutting"\ngroen = [0.9, 1.1]\noranje = [0.95, 1.2]',
            "binnen de oranje",
        ),
        ('[[norm]]\nkpi = "wachttijd"\ngroen = 1\noranje = 2\nkleur = "x"', "onbekende velden"),
        ('[[norm]]\nkpi = "wachttijd"\ngroen = 1', "'oranje' ontbreekt"),
        (
            '[[norm]]\nkpi = "recidive"\ngroen = 0.1\noranje = 0.2\n'
            '[[norm]]\nkpi = "recidive"\ngroen = 0.1\noranje = 0.3',
            "norm #2 (recidive): zelfde KPI en selectie als norm #1",
        ),
    ],
)
def test_ongeldige_normen_noemen_de_regel(tmp_path: Path, toml: str, melding: str) -> None:
    pad = tmp_path / "normen.toml"
    pad.write_text(toml, encoding="utf-8")
    with pytest.raises(NormFout, match=melding.replace("(", r"\(").replace(")", r"\)")):
        laad_normen(pad)


@golden("wachttijd_binnen_norm")
def test_normen_zonder_instellingen_en_met_andere_wachttijdnorm(tmp_path: Path) -> None:
    w = Warehouse()
    w.traject("a", "2023-03-31", wacht_ingangsdatum="2023-03-01")  # 30 days
    w.traject("b", "2023-04-15", wacht_ingangsdatum="2023-03-01")  # 45 days
    zonder = tmp_path / "zonder.toml"
    zonder.write_text('[[norm]]\nkpi = "recidive"\ngroen = 0.1\noranje = 0.2\n', encoding="utf-8")
    # default wachttijdnorm 42 days: a within, b not
    uit = w.bereken("2023", kpis=["wachttijd_binnen_norm"], normen=zonder)
    verwacht(uit, "wachttijd_binnen_norm", [{"waarde": "0.5", "norm_groen": None}])
    streng = tmp_path / "streng.toml"
    streng.write_text("[instellingen]\nwachttijd_norm_dagen = 28\n", encoding="utf-8")
    verwacht(
        w.bereken("2023", kpis=["wachttijd_binnen_norm"], normen=streng),
        "wachttijd_binnen_norm",
        [{"waarde": 0}],
    )
    fout = tmp_path / "fout.toml"
    fout.write_text("[instellingen]\nwachtijd_norm_dagen = 28\n", encoding="utf-8")
    with pytest.raises(NormFout, match="onbekende instellingen"):
        laad_normen(fout)


def test_standaardnormen_laden() -> None:
    normen = laad_normen()
    assert dict(normen.instellingen)["wachttijd_norm_dagen"] == 42
    assert normen.kies("benutting", {}).soort == "band"
    assert normen.kies("wachttijd", {"domein": "wmo"}).groen == 14


# ---------------------------------------------------------------- many rows at once

_breuk = st.fractions(min_value=-5, max_value=5, max_denominator=30)


@st.composite
def _regels(draw: st.DrawFn) -> tuple[NormRegel | None, str, Fraction | None]:
    richting = draw(st.sampled_from(["lager_beter", "hoger_beter", "neutraal"]))
    soort = draw(st.sampled_from(["geen", "vast", "band", "relatief"]))
    if soort == "geen":
        return None, richting, None
    if soort == "relatief":
        groen, oranje = sorted(draw(st.lists(_breuk.map(abs), min_size=2, max_size=2)))
        basis = draw(st.none() | _breuk)
        regel = NormRegel(kpi="x", soort="relatief", groen=groen, oranje=oranje,
                          basis=Periode.parse("cj2022"))  # fmt: skip
        return regel, richting, basis
    if soort == "band":
        a, b, c, d = sorted(draw(st.lists(_breuk, min_size=4, max_size=4)))
        return NormRegel(kpi="x", soort="vast", groen=(b, c), oranje=(a, d)), richting, None
    groen, oranje = draw(_breuk), draw(_breuk)
    return NormRegel(kpi="x", soort="vast", groen=groen, oranje=oranje), richting, None


@given(
    norm=_regels(),
    rijen=st.lists(
        st.tuples(
            st.none() | st.decimals(min_value=-6, max_value=6, places=10),
            st.integers(min_value=0, max_value=12),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
)
@settings(max_examples=300, deadline=None)
def test_stoplicht_kolom_oordeelt_als_beoordeel(norm, rijen) -> None:
    """Judging rows together in Polars gives, row by row, what beoordeel gives; the values
    and thresholds are often equal, so the exact bounds at 10 decimals are exercised."""
    regel, richting, basis = norm
    kolommen = normkolommen(regel, richting, basis)
    frame = pl.DataFrame(
        [{"waarde": w, "n": n, "voorlopig": v, **kolommen} for w, n, v in rijen],
        schema={
            "waarde": pl.Decimal(38, 10),
            "n": pl.Int64,
            "voorlopig": pl.Boolean,
            **NORM_SCHEMA,
        },  # fmt: skip
    )
    kleuren = frame.select(stoplicht_kolom(min_n=5)).to_series().to_list()
    for (w, n, v), kleur in zip(rijen, kleuren, strict=True):
        oordeel = beoordeel(None if w is None else Fraction(w), n, v, 5, richting, regel, basis)
        assert kleur == oordeel.stoplicht
        verwacht_tekst = (oordeel.norm_groen, oordeel.norm_oranje)
        assert (kolommen["norm_groen"], kolommen["norm_oranje"]) == verwacht_tekst


@pytest.mark.parametrize(
    ("richting", "waarde", "kleur"),
    [
        ("lager_beter", "0.3333333333", "groen"),  # below 1/3
        ("lager_beter", "0.3333333334", "oranje"),  # above 1/3, below 1/2
        ("lager_beter", "0.5000000000", "oranje"),  # exactly the oranje threshold
        ("hoger_beter", "0.3333333333", "rood"),
        ("hoger_beter", "0.3333333334", "oranje"),  # >= 1/3 but < 1/2
        ("hoger_beter", "0.5", "groen"),
    ],
)
def test_stoplicht_kolom_op_de_grens(richting: str, waarde: str, kleur: str) -> None:
    from decimal import Decimal

    groen, oranje = (F(1, 3), F(1, 2)) if richting == "lager_beter" else (F(1, 2), F(1, 3))
    kolommen = normkolommen(_vast(groen, oranje), richting, None)
    frame = pl.DataFrame(
        [{"waarde": Decimal(waarde), "n": 10, "voorlopig": False, **kolommen}],
        schema={
            "waarde": pl.Decimal(38, 10),
            "n": pl.Int64,
            "voorlopig": pl.Boolean,
            **NORM_SCHEMA,
        },  # fmt: skip
    )
    assert frame.select(stoplicht_kolom(min_n=5)).item() == kleur
    assert beoordeel(F(waarde), 10, False, 5, richting, _vast(groen, oranje)).stoplicht == kleur


def test_gewijzigd_normbestand_wordt_opnieuw_gelezen(tmp_path: Path) -> None:
    """The norm file is parsed once per change: an edit is seen by the next computation."""
    import os

    pad = tmp_path / "normen.toml"
    pad.write_text('[[norm]]\nkpi = "wachttijd"\ngroen = 28\noranje = 42\n', encoding="utf-8")
    eerst = laad_normen(pad)
    assert laad_normen(pad) is eerst  # unchanged: the same parsed rules
    pad.write_text('[[norm]]\nkpi = "wachttijd"\ngroen = 21\noranje = 42\n', encoding="utf-8")
    os.utime(pad, ns=(pad.stat().st_atime_ns, pad.stat().st_mtime_ns + 1_000_000))
    (regel,) = laad_normen(pad).regels
    assert regel.groen == F(21)


@pytest.mark.parametrize(
    ("drempel", "richting", "norm", "tekst"),
    [
        (F(9, 10), "hoger_beter", Norm(onder=Decimal("0.9")), ">= 0.9"),
        (F(100), "lager_beter", Norm(boven=Decimal(100)), "<= 100"),
        ((F(9, 10), F(21, 20)), "band", Norm(Decimal("0.9"), Decimal("1.05")), "0.9..1.05"),
        (F(-1, 3), "hoger_beter", Norm(onder=Decimal("-0.3333333333")), ">= -0.3333333333"),
    ],
)
def test_norm_als_waarden_en_tekst(
    drempel: Fraction | tuple[Fraction, Fraction], richting: str, norm: Norm, tekst: str
) -> None:
    """A threshold travels as values (the side it bounds, as Decimal); its text is the
    export's, and `Norm.lees` gives the same values back from that text."""
    gemaakt = Norm.van_drempel(drempel, richting)
    assert gemaakt == norm
    assert gemaakt.tekst == tekst
    assert Norm.lees(tekst) == norm
    assert gemaakt.is_band == isinstance(drempel, tuple)


@pytest.mark.parametrize("tekst", [None, "", "geen norm", ">= x", "<= NaN", "1..", "=> 3"])
def test_norm_lees_zonder_norm(tekst: str | None) -> None:
    assert Norm.lees(tekst) is None
