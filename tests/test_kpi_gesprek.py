"""kpi/gesprek.py on hand-built cases: the agenda proposal, the previous talk's afspraken, what
a provider may see of a dossier, and a member's sheet of a group talk."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dossier import Dossier, Gesprek
from kpi import gesprek as gs
from kpi.berekening import Berekening, bereken
from kpi.filters import Filters
from kpi.scope import BuitenScope, Scope
from tests.conftest import AANBIEDER_A, AANBIEDER_B

# the dossier is written on 10 January 2024, so every deadline below still lay ahead then
GESCHREVEN = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
Q4_2023 = Gesprek(AANBIEDER_A, "2023-Q4", date(2023, 10, 1), date(2023, 12, 31))
Q1 = Gesprek(AANBIEDER_A, "2024-Q1", date(2024, 1, 1), date(2024, 3, 31))
Q2 = Gesprek(AANBIEDER_A, "2024-Q2", date(2024, 4, 1), date(2024, 6, 30))
JAAR = Gesprek(AANBIEDER_A, "2024", date(2024, 1, 1), date(2024, 12, 31))
B_Q1 = Gesprek(AANBIEDER_B, "2024-Q1", date(2024, 1, 1), date(2024, 3, 31))
PEILDAG = date(2024, 7, 10)  # the day of the Q2 talk


def _rij(kpi_id: str, stoplicht: str, waarde: str | None = "1", groen: str | None = "<= 1") -> dict:
    return {"kpi": kpi_id, "stoplicht": stoplicht, "waarde": None if waarde is None else Decimal(waarde),
            "norm_groen": groen, "norm_oranje": None}  # fmt: skip


# The provider's KPI values for Q2, in registry order: two red, two orange, the rest not.
RESULTAAT = pl.DataFrame(
    [
        _rij("instroom", "grijs", "40", None),  # no norm
        _rij("uitstroom_volgens_plan", "oranje", "0.65", ">= 0.7"),
        _rij("doorlooptijd", "rood", "456", "<= 365"),
        _rij("wachttijd", "groen", "12", "<= 14"),
        _rij("recidive", "grijs", "0.3", "<= 0.15"),  # voorlopig or too few: grey
        _rij("benutting", "oranje", "1.12", "0.9..1.05"),
        _rij("tijdig_305", "rood", "0.6", ">= 0.9"),
        _rij("tijdig_307", "grijs", None, ">= 0.9"),  # withheld
    ],
    schema={"kpi": pl.String, "stoplicht": pl.String, "waarde": pl.Decimal(38, 10),
            "norm_groen": pl.String, "norm_oranje": pl.String},
)  # fmt: skip


@pytest.fixture
def dossier(tmp_path: Path) -> tuple[Dossier, dict[str, int]]:
    d = Dossier(tmp_path / "dossier.sqlite", klok=lambda: GESCHREVEN)
    cm = "cm@regio.nl"
    ids = {}

    def afspraak(naam: str, g: Gesprek, deadline: str, status: str = "open") -> None:
        a = d.nieuwe_afspraak(g, cm, naam, "aanbieder", deadline)
        if status != "open":
            a = d.wijzig(a.id, cm, 1, status=status)
        ids[naam] = a.id

    afspraak("q1 open, deadline voorbij", Q1, "2024-05-31")  # due
    afspraak("q1 open, deadline op de dag van het gesprek", Q1, "2024-07-10")  # due
    afspraak("q1 open, deadline een dag later", Q1, "2024-07-11")  # not yet due
    afspraak("q1 gedaan", Q1, "2024-03-31", "gedaan")
    afspraak("q4 vervallen", Q4_2023, "2024-02-01", "vervallen")
    afspraak("q4 open, deadline voorbij", Q4_2023, "2024-02-15")  # due (an older talk)
    afspraak("q1 ingetrokken", Q1, "2024-04-30")
    d.trek_in(ids["q1 ingetrokken"], cm, 1)
    afspraak("q2 open (dit gesprek)", Q2, "2024-07-01")  # this talk: not 'earlier'
    afspraak("jaar open (een later gesprek)", JAAR, "2024-06-01")  # the year talk is held after Q2
    afspraak("andere aanbieder", B_Q1, "2024-05-01")
    return d, ids


def _voorstel_namen(voorstel: list[gs.Voorstel], ids: dict[str, int]) -> list[str]:
    naam = {v: k for k, v in ids.items()}
    return [f"kpi:{v.kpi}" if v.soort == "kpi" else naam[v.afspraak.id] for v in voorstel]


def test_agenda_voorstel_van_een_handgemaakt_geval(dossier) -> None:  # noqa: ANN001
    d, ids = dossier
    items = d.items(met_ingetrokken=True)  # everything, other providers and withdrawn too
    voorstel = gs.agenda_voorstel(RESULTAAT, items, Q2, PEILDAG)
    assert _voorstel_namen(voorstel, ids) == [
        # red first, then orange, each in registry order
        "kpi:doorlooptijd",
        "kpi:tijdig_305",
        "kpi:uitstroom_volgens_plan",
        "kpi:benutting",
        # then the open afspraken of earlier talks that are due, by deadline
        "q4 open, deadline voorbij",
        "q1 open, deadline voorbij",
        "q1 open, deadline op de dag van het gesprek",
    ]
    rood = voorstel[0]
    assert (rood.stoplicht, rood.waarde, rood.norm_groen) == ("rood", Decimal("456"), "<= 365")
    assert not any(v.op_agenda for v in voorstel)


def test_cm_gesprek_light_stelt_alleen_rood_en_afspraken_voor(dossier) -> None:  # noqa: ANN001
    d, ids = dossier
    voorstel = gs.agenda_voorstel(RESULTAAT, d.items(), Q2, PEILDAG, licht=True)
    assert _voorstel_namen(voorstel, ids) == [
        "kpi:doorlooptijd",
        "kpi:tijdig_305",
        "q4 open, deadline voorbij",
        "q1 open, deadline voorbij",
        "q1 open, deadline op de dag van het gesprek",
    ]


def test_voorstel_weet_wat_al_op_de_agenda_staat(dossier) -> None:  # noqa: ANN001
    d, ids = dossier
    d.nieuw_agendapunt(Q2, "cm@regio.nl", "Doorlooptijd bespreken", kpi="doorlooptijd")
    d.nieuw_agendapunt(
        Q2, "cm@regio.nl", "Afspraak nalopen", afspraak_id=ids["q1 open, deadline voorbij"]
    )
    weg = d.nieuw_agendapunt(Q2, "cm@regio.nl", "Benutting", kpi="benutting")
    d.trek_in(weg.id, "cm@regio.nl", 1)  # taken off the agenda again
    d.nieuw_agendapunt(Q1, "cm@regio.nl", "Vorig gesprek", kpi="tijdig_305")  # another talk
    toelichting = d.nieuwe_toelichting(Q2, "cm@regio.nl", "doorlooptijd", "Complexe casuïstiek")
    voorstel = gs.agenda_voorstel(RESULTAAT, d.items(), Q2, PEILDAG)
    op = {v.sleutel: v.op_agenda for v in voorstel}
    assert [k for k, v in op.items() if v] == [
        "kpi:doorlooptijd",
        f"afspraak:{ids['q1 open, deadline voorbij']}",
    ]
    assert voorstel[0].toelichting.id == toelichting.id and voorstel[1].toelichting is None


def test_lege_uitkomst_geeft_alleen_afspraken(dossier) -> None:  # noqa: ANN001
    d, _ = dossier
    voorstel = gs.agenda_voorstel(RESULTAAT.clear(), d.items(), Q2, PEILDAG)
    assert [v.soort for v in voorstel] == ["afspraak"] * 3


def test_eerdere_afspraken_van_het_vorige_gesprek(dossier) -> None:  # noqa: ANN001
    d, ids = dossier
    eerder = gs.eerdere_afspraken(d.items(), Q2)
    naam = {v: k for k, v in ids.items()}
    assert eerder.vorig_gesprek == "2024-Q1" and eerder.vorig_label == "Q1 2024"
    # every afspraak of Q1 (any status, by deadline), and the older talk's open one
    assert [naam[i.id] for i in eerder.afspraken] == [
        "q4 open, deadline voorbij",
        "q1 gedaan",
        "q1 open, deadline voorbij",
        "q1 open, deadline op de dag van het gesprek",
        "q1 open, deadline een dag later",
    ]
    assert gs.eerdere_afspraken(d.items(), Q4_2023) == gs.EerdereAfspraken(None, ())


def test_aanbieder_ziet_alleen_eigen_gedeelde_items(tmp_path: Path) -> None:
    d = Dossier(tmp_path / "dossier.sqlite", klok=lambda: GESCHREVEN)
    cm = "cm@regio.nl"
    gedeeld = d.nieuwe_afspraak(Q1, cm, "gedeeld", "aanbieder", "2024-05-01", gedeeld=True)
    d.nieuwe_afspraak(Q1, cm, "intern", "aanbieder", "2024-05-01", gedeeld=False)
    d.nieuwe_toelichting(Q1, cm, "doorlooptijd", "interne toelichting")  # internal by default
    weg = d.nieuwe_toelichting(Q1, cm, "wachttijd", "ingetrokken", gedeeld=True)
    d.trek_in(weg.id, cm, 1)
    d.nieuwe_afspraak(B_Q1, cm, "van een ander", "aanbieder", "2024-05-01", gedeeld=True)
    d.nieuwe_groep("Dagbesteding", "2024-Q1", Q1.van, Q1.tot, cm, [AANBIEDER_A, AANBIEDER_B], "G")

    eigen = Scope("aanbieder", aanbieder=AANBIEDER_A)
    assert [i.tekst for i in gs.dossier_van(d, AANBIEDER_A, eigen)] == ["gedeeld"]
    assert gs.dossier_van(d, AANBIEDER_B, eigen) == []  # another provider's dossier: nothing
    # zichtbaar also holds when handed everything, withdrawn items included
    assert [i.id for i in gs.zichtbaar(d.items(met_ingetrokken=True), eigen)] == [gedeeld.id]
    assert len(gs.dossier_van(d, AANBIEDER_A, Scope())) == 3  # regio: internal notes too
    # a group shows a provider only itself and the number of members
    [groep] = gs.groepen(d, eigen)
    assert (groep.leden, groep.aantal) == ((AANBIEDER_A,), 2)
    assert gs.groepen(d, Scope())[0].leden == (AANBIEDER_A, AANBIEDER_B)
    assert gs.groepen(d, Scope("aanbieder", aanbieder="11111111")) == []
    assert not gs.mag_schrijven(eigen) and gs.mag_schrijven(Scope("gemeente", gemeente="0197"))
    with pytest.raises(BuitenScope):
        gs.vereis_schrijfrecht(eigen)


def test_groepsblad_toont_anderen_zonder_code(mini_warehouse: Path) -> None:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    b = Berekening(con)
    # the five providers with the most trajectories in one sub-segment
    sub, *_ = con.execute(
        "select subsegment from zorgtrajecten group by 1 order by count(distinct aanbieder) desc limit 1"
    ).fetchone()
    leden = tuple(r[0] for r in con.execute(
        "select aanbieder from zorgtrajecten where subsegment = ? group by 1 order by count(*) desc limit 5",
        [sub],
    ).fetchall())  # fmt: skip
    eigen = leden[0]
    blad = gs.groepsblad(b, "2024", sub, leden, eigen, Scope("aanbieder", aanbieder=eigen))
    assert set(blad.eigen["aanbieder"]) == {eigen}
    for kpi_id, peers in blad.vergelijking.items():
        anderen = peers.filter(~pl.col("eigen"))
        assert anderen["aanbieder"].is_null().all(), kpi_id  # no code of another member
        assert anderen.height == 0 or anderen.height >= 3, kpi_id  # at least 3 others, or none
    # the figures side by side are for the municipality only
    with pytest.raises(BuitenScope):
        gs.groep_cijfers(b, "2024", sub, leden, Scope("aanbieder", aanbieder=eigen))
    naast = gs.groep_cijfers(b, "2024", sub, leden, Scope())
    assert set(naast["aanbieder"]) == set(leden)
    # each member's figure is its care in this sub-segment only
    for agb in leden:
        alleen = bereken(con, "2024", filters=Filters(subsegment=sub, aanbieder=agb),
                             kpis=["lopend"])  # fmt: skip
        rij = naast.filter((pl.col("aanbieder") == agb) & (pl.col("kpi") == "lopend"))
        assert rij["waarde"].to_list() == alleen["waarde"].to_list()
    with pytest.raises(BuitenScope):
        gs.groepsblad(b, "2024", sub, leden, leden[1], Scope("aanbieder", aanbieder=eigen))
