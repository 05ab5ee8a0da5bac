"""Golden tests for message quality: timeliness, missing start/stop, quarantine."""

from fractions import Fraction

from kpi.berekening import quarantaine_per_reden
from kpi.filters import Filters
from tests.kpi_fixtures import Warehouse, enkel, golden, verwacht

B = "22222222"


@golden("tijdig_305")
def test_tijdig_305_rond_koningsdag() -> None:
    w = Warehouse(peildatum="2023-12-31")
    # begindatum Wed 26-4-2023, Koningsdag Thu 27-4: the 5th werkdag after is Thu 4-5
    w.start_stop("305", "T1", "c1", "2023-04-26", "2023-05-04")  # 5th werkdag: on time
    w.start_stop("305", "T2", "c2", "2023-04-26", "2023-05-05")  # 6th werkdag: late
    w.start_stop("305", "T3", "c3", "2023-04-26", "2023-05-06")  # Saturday after: late
    w.start_stop("305", "T4", "c4", "2023-06-01", "2023-05-20")  # sent before the start: on time
    w.start_stop("305", "T5", "c5", "2023-03-31", "2023-03-31")  # begins in Q1: not counted
    w.start_stop("307", "T1", "c1", "2023-04-26", "2023-06-30", "2023-05-01")  # a 307: not counted
    uit = w.bereken("2023-Q2", kpis=["tijdig_305"])
    verwacht(uit, "tijdig_305", [{"waarde": "0.5", "teller": 2, "noemer": 4, "n": 4}])


@golden("tijdig_307")
def test_tijdig_307_rond_pasen() -> None:
    w = Warehouse(peildatum="2023-12-31")
    # einddatum zorg Thu 6-4-2023; Good Friday 7-4 and Easter Monday 10-4 are holidays:
    # 11-4, 12-4, 13-4, 14-4, 17-4 -> due by Mon 17-4
    w.start_stop("307", "T1", "c1", "2023-01-01", "2023-04-17", "2023-04-06")  # on time
    w.start_stop("307", "T2", "c2", "2023-01-01", "2023-04-18", "2023-04-06")  # late
    w.start_stop("305", "T3", "c3", "2023-04-06", "2023-04-30")  # a 305: not counted
    uit = w.bereken("2023-04", kpis=["tijdig_307"])
    verwacht(uit, "tijdig_307", [{"waarde": "0.5", "teller": 1, "noemer": 2}])


@golden("tijdig_305", "tijdig_307")
def test_tijdig_dimensies_uit_toewijzing_of_product() -> None:
    w = Warehouse(peildatum="2023-12-31")
    w.product("45A01", "IAJ-A")
    w.product("02Z01", "IO-A", segment="IO", domein="wmo")
    w.toewijzing("T1", "c1", "2023-04-01", subsegment="IAJ-B")
    w.start_stop("305", "T1", "c1", "2023-04-03", "2023-04-04")  # linked: subsegment IAJ-B
    w.start_stop("305", None, "c2", "2023-04-03", "2023-04-20", product_code="02Z01")  # unlinked
    uit = w.bereken("2023-04", kpis=["tijdig_305"], per=["domein", "subsegment"])
    verwacht(
        uit,
        "tijdig_305",
        [
            {"domein": "jeugd", "subsegment": "IAJ-B", "waarde": 1},
            {"domein": "wmo", "subsegment": "IO-A", "waarde": 0},
        ],
    )


@golden("tijdig_301")
def test_tijdig_301() -> None:
    w = Warehouse(peildatum="2023-06-30")
    # v1: 315 on Wed 26-4 (due Thu 4-5), answered by a 301 with the same referentie on 4-5
    w.bericht("315", "2023-04-26", client="c1", referentie="R1")
    w.bericht("301", "2023-05-04", client="c1", referentie="R1")
    # v2: answered by a 319 (no client) on Fri 5-5: late
    w.bericht("315", "2023-04-26", client="c2", referentie="R2")
    w.bericht("319", "2023-05-05", client=None, referentie="R2", product_code=None)
    # v3: answered by a 301 without referentie, same client and product, on 28-4: on time
    w.bericht("315", "2023-04-26", client="c3", referentie="R3")
    w.bericht("301", "2023-04-28", client="c3", referentie=None)
    # v4: 315 on Tue 20-6, due Tue 27-6; only another aanbieder got a 301: unanswered, late
    w.bericht("315", "2023-06-20", client="c4", referentie="R4")
    w.bericht("301", "2023-06-21", client="c4", referentie="R4", aanbieder=B)
    # v5: 315 on Wed 28-6, due Wed 5-7 (after the peildatum), unanswered: voorlopig
    w.bericht("315", "2023-06-28", client="c5", referentie="R5")
    uit = w.bereken("2023-Q2", kpis=["tijdig_301"])
    # on time: v1, v3 of 5; voorlopig because of v5
    verwacht(
        uit,
        "tijdig_301",
        [{"waarde": "0.4", "teller": 2, "noemer": 5, "n": 5, "voorlopig": True}],
    )
    assert enkel(uit, "tijdig_301")["stoplicht"] == "grijs"


@golden("tijdig_301")
def test_tijdig_301_antwoord_zonder_referentie() -> None:
    w = Warehouse(peildatum="2023-06-30")
    # c1: 315 on Wed 3-5-2023 (5 werkdagen later: Wed 10-5); a 319 without referentie on
    # Fri 5-5, 2 werkdagen after, for the same client, gemeente and aanbieder: on time
    w.bericht("315", "2023-05-03", client="c1", referentie="R1")
    w.bericht("319", "2023-05-05", client="c1", referentie=None, product_code=None)
    # c2: 315 on Wed 24-5-2023; Whit Monday 29-5 is no werkdag: 25-5, 26-5, 30-5, 31-5, 1-6
    # is the 5th werkdag, so a 319 without referentie on Fri 2-6 (the 6th) is late
    w.bericht("315", "2023-05-24", client="c2", referentie="R2")
    w.bericht("319", "2023-06-02", client="c2", referentie=None, product_code=None)
    uit = w.bereken("2023-Q2", kpis=["tijdig_301"])
    # on time: c1 of c1, c2
    verwacht(uit, "tijdig_301", [{"waarde": "0.5", "teller": 1, "noemer": 2, "n": 2}])
    # the same day one werkdag earlier (Thu 1-6) would still be on time
    w.bericht("315", "2023-05-24", client="c3", referentie="R3")
    w.bericht("319", "2023-06-01", client="c3", referentie=None, product_code=None)
    verwacht(w.bereken("2023-Q2", kpis=["tijdig_301"]), "tijdig_301", [{"teller": 2, "noemer": 3}])


@golden("tijdig_301")
def test_tijdig_301_twee_verzoeken_op_volgorde_beantwoord() -> None:
    w = Warehouse(peildatum="2023-06-30")
    # one client, two 315s without a referentie in the answers: Mon 6-3 (due Mon 13-3) and
    # Tue 7-3 (due Tue 14-3). The 319 of Wed 8-3 answers the earliest unanswered one (6-3:
    # on time); the 301 of Wed 15-3 then answers the other (7-3: one day late).
    w.bericht("315", "2023-03-06", client="c1", referentie="A")
    w.bericht("315", "2023-03-07", client="c1", referentie="B")
    w.bericht("319", "2023-03-08", client="c1", referentie=None, product_code=None)
    w.bericht("301", "2023-03-15", client="c1", referentie=None)
    # c2: the product decides where both give one. 315 for 45A02 on Mon 6-3, 315 for 45A01
    # on Tue 7-3; a 301 for 45A01 on Wed 8-3 answers the second (on time); the first stays
    # unanswered (late)
    w.bericht("315", "2023-03-06", client="c2", referentie="C", product_code="45A02")
    w.bericht("315", "2023-03-07", client="c2", referentie="D", product_code="45A01")
    w.bericht("301", "2023-03-08", client="c2", referentie=None, product_code="45A01")
    # c3: an earlier 317 (a request too, answered by nothing else) takes the 319 of Fri 3-3;
    # the 315 of Thu 2-3 after it gets no answer: late
    w.bericht("317", "2023-03-01", client="c3", referentie="E", product_code=None)
    w.bericht("315", "2023-03-02", client="c3", referentie="F")
    w.bericht("319", "2023-03-03", client="c3", referentie=None, product_code=None)
    # c4: an answer dated before the 315 answers nothing
    w.bericht("301", "2023-03-01", client="c4", referentie=None)
    w.bericht("315", "2023-03-02", client="c4", referentie="G")
    uit = w.bereken("2023-Q1", kpis=["tijdig_301"])
    # 315s of Q1: c1 A (on time), c1 B (late), c2 C (late), c2 D (on time), c3 F (late),
    # c4 G (late, unanswered): 2 of 6; the 317 is no unit
    verwacht(uit, "tijdig_301", [{"waarde": Fraction(2, 6), "teller": 2, "noemer": 6, "n": 6}])
    # c5: answers are taken in date order. 315 H on Mon 6-3 has its own 301 (referentie H)
    # only on Fri 10-3, so when the 319 without referentie comes on Tue 7-3, H is still the
    # earliest unanswered request: the 319 answers H (on time), and the 315 I of 7-3 gets
    # nothing (late)
    w.bericht("315", "2023-03-06", client="c5", referentie="H")
    w.bericht("315", "2023-03-07", client="c5", referentie="I")
    w.bericht("319", "2023-03-07", client="c5", referentie=None, product_code=None)
    w.bericht("301", "2023-03-10", client="c5", referentie="H")
    verwacht(w.bereken("2023-Q1", kpis=["tijdig_301"]), "tijdig_301", [{"teller": 3, "noemer": 8}])


@golden("zonder_start")
def test_zonder_start() -> None:
    w = Warehouse(peildatum="2023-06-30")
    w.toewijzing("T1", "c1", "2023-05-01")  # 60 days before the peildatum, no 305: counts
    w.toewijzing("T2", "c2", "2023-05-19")  # exactly 42 days before: not yet due
    w.toewijzing("T3", "c3", "2023-05-18")  # 43 days before, started
    w.start_stop("305", "T3", "c3", "2023-05-18", "2023-05-19")
    w.toewijzing("T4", "c4", "2023-04-01", verwijderd=True)  # removed: not counted
    w.toewijzing("T5", "c5", "2022-12-01")  # outside the period
    uit = w.bereken("2023-Q2", kpis=["zonder_start"])
    # T1 of the due T1, T3
    verwacht(uit, "zonder_start", [{"waarde": 1, "teller": 1, "noemer": 2, "n": 2}])


@golden("zonder_stop")
def test_zonder_stop() -> None:
    w = Warehouse(peildatum="2023-06-30")
    # T1 ends Thu 22-6, 307 due Thu 29-6 < peildatum; started, no 307: counts
    w.toewijzing("T1", "c1", "2023-01-01", "2023-06-22")
    w.start_stop("305", "T1", "c1", "2023-01-02", "2023-01-03")
    # T2 ends Fri 23-6, due Fri 30-6 = peildatum: not yet overdue
    w.toewijzing("T2", "c2", "2023-01-01", "2023-06-23")
    w.start_stop("305", "T2", "c2", "2023-01-02", "2023-01-03")
    # T3 ends 31-5, started and stopped
    w.toewijzing("T3", "c3", "2023-01-01", "2023-05-31")
    w.start_stop("305", "T3", "c3", "2023-01-02", "2023-01-03")
    w.start_stop("307", "T3", "c3", "2023-01-02", "2023-06-01", "2023-05-31")
    # T4 ends 31-5 but never started: not counted
    w.toewijzing("T4", "c4", "2023-01-01", "2023-05-31")
    uit = w.bereken("2023-Q2", kpis=["zonder_stop"])
    verwacht(uit, "zonder_stop", [{"waarde": 1, "teller": 1, "noemer": 2, "n": 2}])


@golden("quarantaine")
def test_quarantaine() -> None:
    w = Warehouse()
    w.quarantaine("bsn faalt elfproef")
    w.quarantaine("onbekende productcode")
    w.quarantaine("bsn faalt elfproef", gemeente="0197", bericht_type="WMO305")
    w.quarantaine("dubbel bericht", ernst="dubbel")  # loaded once: not a rejection
    w.quarantaine("323 niet gebruikt", ernst="genegeerd")  # not a rejection
    # 3 rejected rows, whatever the period
    for periode in ("2023", "2019-05"):
        verwacht(w.bereken(periode, kpis=["quarantaine"]), "quarantaine", [{"waarde": 3}])
    per = w.bereken("2023", kpis=["quarantaine"], per=["domein"])
    verwacht(per, "quarantaine", [{"domein": "jeugd", "waarde": 2}, {"domein": "wmo", "waarde": 1}])
    gefilterd = w.bereken("2023", kpis=["quarantaine"], filters=Filters(gemeente="0197"))
    verwacht(gefilterd, "quarantaine", [{"waarde": 1, "stoplicht": "groen"}])
    # by reason, most frequent first
    assert quarantaine_per_reden(w.con).rows() == [
        ("bsn faalt elfproef", 2),
        ("onbekende productcode", 1),
    ]
