"""The judging rule (kpi/normen.py): the norm follows the units, not the filter; a KPI whose
norm differs between sub-segments is judged per sub-segment and the worst part counts."""

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.filters import Filters
from kpi.normen import NormRegel, laad_normen
from kpi.periode import Periode
from kpi.stoplicht import (
    NORM_SCHEMA,
    Deel,
    beoordeel_per_deel,
    normkolommen,
    oordeel_over_delen,
    stoplicht_kolom,
)
from tests.kpi_fixtures import Warehouse, enkel, golden, verwacht

F = Fraction
CJ2022 = Periode.parse("cj2022")
RELATIEF = NormRegel(kpi="x", soort="relatief", groen=F(5, 100), oranje=F(15, 100), basis=CJ2022)
VAST = NormRegel(kpi="x", soort="vast", groen=F(28), oranje=F(42))
WMO = NormRegel(kpi="x", soort="vast", groen=F(14), oranje=F(28), domein="wmo")


# ---------------------------------------------------------------- the rule on its own


def test_een_deel_is_het_cijfer_zelf() -> None:
    # one part: the figure judged on its own value against that part's norm, no part named
    oordeel = beoordeel_per_deel(F(30), 20, False, 10, "lager_beter",
                                 [Deel("A", F(30), 20, False, VAST)])  # fmt: skip
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_deel) == ("oranje", "<= 28", None)


def test_ook_onder_een_norm_telt_het_slechtste_deel() -> None:
    # both parts under <= 28 / <= 42: A 20 is groen, B 45 rood. The figure's median (30,
    # oranje on its own) is judged by its parts: rood, decided by B, never better than B
    delen = [Deel("A", F(20), 10, False, VAST), Deel("B", F(45), 10, False, VAST)]
    oordeel = beoordeel_per_deel(F(30), 20, False, 10, "lager_beter", delen)
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_deel) == ("rood", "<= 28", "B")


def test_verschillende_normen_het_slechtste_deel_telt() -> None:
    # A: baseline 100, groen <= 105: 104 is groen. B: baseline 400, groen <= 420, oranje
    # <= 460: 450 is oranje. The figure (median 277) gets B's light and B's norm.
    delen = [
        Deel("A", F(104), 10, False, RELATIEF, F(100)),
        Deel("B", F(450), 10, False, RELATIEF, F(400)),
    ]
    oordeel = beoordeel_per_deel(F(277), 20, False, 10, "lager_beter", delen)
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_oranje, oordeel.norm_deel) == (
        "oranje",
        "<= 420",
        "<= 460",
        "B",
    )


def test_een_grijs_deel_telt_niet_mee() -> None:
    # C: 900 against baseline 200 would be rood, but n = 3 < 10: grey, so A (groen) decides
    delen = [
        Deel("A", F(104), 10, False, RELATIEF, F(100)),
        Deel("C", F(900), 3, False, RELATIEF, F(200)),
    ]
    oordeel = beoordeel_per_deel(F(104), 13, False, 10, "lager_beter", delen)
    assert (oordeel.stoplicht, oordeel.norm_deel) == ("groen", "A")
    # a part without a baseline (no norm) is grey too
    zonder = [Deel("A", F(104), 10, False, RELATIEF, F(100)), Deel("D", F(1), 50, False, None)]
    assert beoordeel_per_deel(F(50), 60, False, 10, "lager_beter", zonder).stoplicht == "groen"


def test_alle_delen_grijs_of_het_cijfer_zelf_grijs() -> None:
    delen = [
        Deel("A", F(200), 6, False, RELATIEF, F(100)),
        Deel("B", F(900), 5, False, RELATIEF, F(400)),
    ]
    # n = 11 is enough for the figure, but no part can be judged: grey, the larger part named
    oordeel = beoordeel_per_deel(F(300), 11, False, 10, "lager_beter", delen)
    assert (oordeel.stoplicht, oordeel.norm_deel) == ("grijs", "A")
    # a voorlopig figure is grey, whatever its parts say; it still shows the deciding norm
    rood = [Deel("A", F(200), 10, False, RELATIEF, F(100)), Deel("B", F(1), 10, False, VAST)]
    oordeel = beoordeel_per_deel(F(100), 20, True, 10, "lager_beter", rood)
    assert (oordeel.stoplicht, oordeel.norm_groen, oordeel.norm_deel) == ("grijs", "<= 105", "A")


def test_gelijke_kleur_dan_grootste_n_dan_naam() -> None:
    delen = [
        Deel("B", F(104), 10, False, RELATIEF, F(100)),
        Deel("A", F(404), 30, False, RELATIEF, F(400)),
        Deel("C", F(204), 30, False, RELATIEF, F(200)),
    ]
    # all groen: the part with the largest n decides, of two equal the first name
    assert beoordeel_per_deel(F(300), 70, False, 10, "lager_beter", delen).norm_deel == "A"


# ------------------------------------------- the rows at once agree with the rule one by one

_KLEUREN_NORMEN = [
    (VAST, None),
    (WMO, None),
    (RELATIEF, F(100)),
    (RELATIEF, F(400)),
    (RELATIEF, None),  # no baseline: no norm
    (None, None),
]


@given(
    figuren=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30),  # figure value
            st.integers(min_value=0, max_value=40),  # figure n
            st.booleans(),  # figure voorlopig
            st.lists(  # parts: norm, value, n, voorlopig
                st.tuples(
                    st.integers(min_value=0, max_value=len(_KLEUREN_NORMEN) - 1),
                    st.integers(min_value=0, max_value=500),
                    st.integers(min_value=0, max_value=20),
                    st.booleans(),
                ),
                min_size=0,
                max_size=4,
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=200, deadline=None)
def test_oordeel_over_delen_als_beoordeel_per_deel(figuren) -> None:
    """The Polars form (used by kpi.bereken) gives, figure by figure, what the rule gives."""
    min_n = 10
    eigen_norm = normkolommen(VAST, "lager_beter", None)  # the figure's own context norm
    hoofd, delen, verwacht_ = [], [], []
    for i, (waarde, n, voorlopig, deel_spec) in enumerate(figuren):
        waarde = waarde * 10
        hoofd.append({"sleutel": i, "waarde": waarde, "n": n, "voorlopig": voorlopig,
                      "min_n": min_n, **eigen_norm})  # fmt: skip
        stukken = []
        for j, (keuze, w, dn, dv) in enumerate(deel_spec):
            regel, basis = _KLEUREN_NORMEN[keuze]
            naam = f"deel{j}"
            kolommen = normkolommen(regel, "lager_beter", basis)
            rij = {"sleutel": i, "deel": naam, "waarde": w, "n": dn, "voorlopig": dv,
                   "min_n": min_n, **kolommen}  # fmt: skip
            delen.append(rij)
            stukken.append(Deel(naam, F(w), dn, dv, regel, basis))
        if stukken:
            uit = beoordeel_per_deel(F(waarde), n, voorlopig, min_n, "lager_beter", stukken)
        else:  # no parts: the figure keeps its own norm
            uit = beoordeel_per_deel(F(waarde), n, voorlopig, min_n, "lager_beter",
                                     [Deel("", None, 0, False, VAST)])  # fmt: skip
        verwacht_.append((uit.stoplicht, uit.norm_groen, uit.norm_deel))
    schema = {"sleutel": pl.Int64, "waarde": pl.Decimal(38, 10), "n": pl.Int64,
              "voorlopig": pl.Boolean, "min_n": pl.Int64, **NORM_SCHEMA}  # fmt: skip
    deel_schema = {**schema, "deel": pl.String}
    delen_frame = pl.DataFrame(delen, schema=deel_schema).with_columns(
        stoplicht=stoplicht_kolom(pl.col("min_n"))
    )
    uit = oordeel_over_delen(pl.DataFrame(hoofd, schema=schema), delen_frame, ["sleutel"])
    gekregen = [
        (s, g if h else None, d)
        for s, g, h, d in uit.select("stoplicht", "norm_groen", "heeft_norm", "norm_deel").rows()
    ]
    assert gekregen == verwacht_


# ---------------------------------------------------------------- through the engine

NORMEN = """
[[norm]]
kpi = "doorlooptijd"
basis = "cj2022"
groen = 0.05
oranje = 0.15

[[norm]]
kpi = "wachttijd"
groen = 28
oranje = 42

[[norm]]
kpi = "wachttijd"
domein = "wmo"
groen = 14
oranje = 28
"""
P, Q = "22222222", "33333333"  # P: a Wmo-only provider; Q: the rest of the region


@pytest.fixture
def normen_pad(tmp_path: Path) -> Path:
    pad = tmp_path / "normen.toml"
    pad.write_text(NORMEN, encoding="utf-8")
    return pad


def _trajecten(w: Warehouse, prefix: str, aantal: int, begin: str, duur: int, **kw) -> None:
    start = date.fromisoformat(begin)
    for i in range(aantal):
        w.traject(f"{prefix}{i}", start, start + timedelta(days=duur - 1), **kw)


def _regio(zwaar_duur: int) -> Warehouse:
    """The nulmeting (cj2022, all at Q): Licht 10 trajectories of 100 days, Zwaar 10 of 400,
    IAJ-A (jeugd) 10 of 50, Midden 10 of 200. Contract year 2023/24, all at P (Wmo only):
    Licht 10 of 104 days, Zwaar 10 of `zwaar_duur`, Midden 3 of 300; each P trajectory
    begins 20 days after its toewijzing."""
    w = Warehouse(peildatum="2024-12-31")
    for code, sub, seg, dom in (
        ("01", "Licht", "IO", "wmo"),
        ("02", "Zwaar", "IO", "wmo"),
        ("03", "Midden", "IO", "wmo"),
        ("04", "IAJ-A", "IAJ", "jeugd"),
    ):
        w.product(code, sub, seg, dom)  # fmt: skip
    wmo = {"domein": "wmo", "segment": "IO"}
    _trajecten(w, "ql", 10, "2022-09-01", 100, aanbieder=Q, subsegment="Licht", **wmo)
    _trajecten(w, "qz", 10, "2022-01-01", 400, aanbieder=Q, subsegment="Zwaar", **wmo)
    _trajecten(w, "qm", 10, "2022-09-01", 200, aanbieder=Q, subsegment="Midden", **wmo)
    _trajecten(w, "qj", 10, "2022-09-01", 50, aanbieder=Q)
    wacht = {"aanbieder": P, **wmo}
    for prefix, aantal, begin, duur, sub in (
        ("pl", 10, "2023-07-01", 104, "Licht"),
        ("pz", 10, "2023-03-01", zwaar_duur, "Zwaar"),
        ("pm", 3, "2023-07-01", 300, "Midden"),
    ):
        start = date.fromisoformat(begin)
        for i in range(aantal):
            w.traject(f"{prefix}{i}", start, start + timedelta(days=duur - 1), subsegment=sub,
                      wacht_ingangsdatum=start - timedelta(days=20), **wacht)  # fmt: skip
    return w


# The same provider's figure, asked as the contract manager asks it: the segment and domein
# filters change none of its rows.
ZELFDE_RIJEN = [
    Filters(aanbieder=P),
    Filters(aanbieder=P, segment="IO"),
    Filters(aanbieder=P, domein="wmo", segment="IO"),
]


@golden("doorlooptijd", "wachttijd")
def test_overbodig_filter_verandert_het_oordeel_niet(normen_pad: Path) -> None:
    # Baselines (cj2022 medians, groen +5 %): Licht 100 (<= 105), Zwaar 400 (<= 420), Midden
    # 200 (<= 210). P in 2023/24: Licht 104 (groen), Zwaar 410 (groen), Midden 3 x 300 (n 3:
    # grey, does not count). P's median over 23 trajectories (104 x10, 300 x3, 410 x10): the
    # 12th value, 300. Before the rule the baseline followed the filter: without one the
    # whole region (50, 100, 200, 400 x10 each: (100 + 200) / 2 = 150, oranje <= 172,5),
    # with segment IO that of IO (100, 200, 400 x10: 200, oranje <= 230): rood both times
    # against two different norms, while every sub-segment that can be judged is groen.
    w = _regio(zwaar_duur=410)
    uitkomsten = [
        enkel(w.bereken("cj2023", kpis=["doorlooptijd", "wachttijd"], filters=f,
                        normen=normen_pad), "doorlooptijd")
        for f in ZELFDE_RIJEN
    ]  # fmt: skip
    gezien = {(u["waarde"], u["stoplicht"], u["norm_groen"], u["norm_deel"]) for u in uitkomsten}
    # every part groen: groen; the largest part first by n (10, 10), then by name: Licht
    assert gezien == {(300, "groen", "<= 105", "Licht")}
    # wachttijd: every part is Wmo (<= 14 / <= 28); Licht (10 trajectories of 20 days) is
    # oranje, Midden (3) grey: oranje with and without the filter (before: <= 28 groen
    # without it, <= 14 oranje with it)
    for f in ZELFDE_RIJEN:
        rij = enkel(w.bereken("cj2023", kpis=["wachttijd"], filters=f, normen=normen_pad),
                    "wachttijd")  # fmt: skip
        assert (rij["waarde"], rij["norm_groen"], rij["norm_deel"], rij["stoplicht"]) == (
            20,
            "<= 14",
            "Licht",
            "oranje",
        )


@golden("doorlooptijd")
def test_een_rood_subsegment_maakt_het_geheel_rood(normen_pad: Path) -> None:
    # Zwaar now 470 days against baseline 400: beyond 460 (oranje <= 15 %): rood. Licht stays
    # groen. The whole: rood, decided by Zwaar, shown with Zwaar's norm; never groen while a
    # sub-segment of it is rood, and the breakdown per sub-segment says the same.
    w = _regio(zwaar_duur=470)
    geheel = enkel(
        w.bereken("cj2023", kpis=["doorlooptijd"], filters=Filters(aanbieder=P),
                  normen=normen_pad), "doorlooptijd",
    )  # fmt: skip
    assert (geheel["stoplicht"], geheel["norm_groen"], geheel["norm_oranje"]) == (
        "rood",
        "<= 420",
        "<= 460",
    )
    assert geheel["norm_deel"] == "Zwaar"
    per_sub = w.bereken("cj2023", kpis=["doorlooptijd"], per=["subsegment"],
                        filters=Filters(aanbieder=P), normen=normen_pad)  # fmt: skip
    verwacht(
        per_sub,
        "doorlooptijd",
        [
            {"subsegment": "Licht", "waarde": 104, "norm_groen": "<= 105", "stoplicht": "groen",
             "norm_deel": None},
            {"subsegment": "Midden", "waarde": 300, "norm_groen": "<= 210", "stoplicht": "grijs",
             "norm_deel": None},
            {"subsegment": "Zwaar", "waarde": 470, "norm_groen": "<= 420", "stoplicht": "rood",
             "norm_deel": None},
        ],
    )  # fmt: skip
    # per aanbieder (the Overzicht matrix) the same light as filtered on the provider
    per_aanbieder = w.bereken("cj2023", kpis=["doorlooptijd"], per=["aanbieder"],
                              normen=normen_pad)  # fmt: skip
    rij = per_aanbieder.filter(pl.col("aanbieder") == P).row(0, named=True)
    assert (rij["stoplicht"], rij["norm_deel"]) == ("rood", "Zwaar")


def test_standaardnormen_oordelen_per_subsegment() -> None:
    normen = laad_normen()
    assert normen.per_subsegment("doorlooptijd")  # relative to the nulmeting
    assert normen.per_subsegment("wachttijd")  # a norm for the domein wmo
    assert not normen.per_subsegment("tijdig_305")  # one norm for everyone
    assert normen.nulmeting == CJ2022
