"""Periods: parser, Dutch labels, months of a period."""

from datetime import date

import pytest

from kpi.periode import Periode, contractjaar_van, kwartaal_van, trendperiode, vorige_periode


@pytest.mark.parametrize(
    ("tekst", "start", "eind", "label"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023"),
        ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30), "Q2 2023"),
        ("2023-q4", date(2023, 10, 1), date(2023, 12, 31), "Q4 2023"),
        ("2023-05", date(2023, 5, 1), date(2023, 5, 31), "mei 2023"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "februari 2024"),
        ("cj2022", date(2022, 7, 1), date(2023, 6, 30), "contractjaar 2022/23"),
        ("CJ2099", date(2099, 7, 1), date(2100, 6, 30), "contractjaar 2099/00"),
        (
            "2023-01-01..2023-06-30",
            date(2023, 1, 1),
            date(2023, 6, 30),
            "01-01-2023 t/m 30-06-2023",
        ),
    ],
)
def test_parse_en_label(tekst: str, start: date, eind: date, label: str) -> None:
    periode = Periode.parse(tekst)
    assert (periode.start, periode.eind, periode.label) == (start, eind, label)
    assert Periode.parse(periode.code) == periode


@pytest.mark.parametrize(
    "tekst", ["2023-13", "2023-Q5", "cj22", "2023-06-30..2023-01-01", "2023-02-30..2023-03-01", ""]
)
def test_ongeldige_periode(tekst: str) -> None:
    with pytest.raises(ValueError, match="periode"):
        Periode.parse(tekst)


def test_maanden_van_contractjaar() -> None:
    maanden = Periode.parse("cj2022").maanden()
    assert [m.label for m in maanden][:2] == ["juli 2022", "augustus 2022"]
    assert len(maanden) == 12 and maanden[-1].eind == date(2023, 6, 30)


def test_maanden_van_bereik_worden_afgekapt() -> None:
    # 15 Jan - 10 Mar: a clipped January, a whole February, a clipped March
    maanden = Periode.parse("2023-01-15..2023-03-10").maanden()
    assert [(m.start, m.eind) for m in maanden] == [
        (date(2023, 1, 15), date(2023, 1, 31)),
        (date(2023, 2, 1), date(2023, 2, 28)),
        (date(2023, 3, 1), date(2023, 3, 10)),
    ]
    assert maanden[1].soort == "maand" and maanden[0].soort == "bereik"


def test_dagen() -> None:
    assert Periode.parse("2024").dagen == 366
    assert Periode.parse("cj2022").dagen == 365


@pytest.mark.parametrize(
    ("d", "kwartaal", "contractjaar"),
    [
        (date(2023, 1, 1), 1, 2022),  # January belongs to the contract year that began last July
        (date(2023, 3, 31), 1, 2022),
        (date(2023, 4, 1), 2, 2022),
        (date(2023, 6, 30), 2, 2022),
        (date(2023, 7, 1), 3, 2023),  # 1 July starts a contract year
        (date(2023, 12, 31), 4, 2023),
    ],
)
def test_kwartaal_en_contractjaar_van_een_datum(d: date, kwartaal: int, contractjaar: int) -> None:
    assert kwartaal_van(d) == kwartaal
    assert contractjaar_van(d) == contractjaar
    assert (
        Periode.contractjaar(contractjaar_van(d)).start
        <= d
        <= Periode.contractjaar(contractjaar_van(d)).eind
    )


@pytest.mark.parametrize(
    ("tekst", "binnen"),
    [
        ("2024", True),
        ("cj2099", True),  # ends 30-6-2100, inside the window
        ("2000-01-01..2100-12-31", True),  # the window itself
        ("1999", False),
        ("1999-12-31..2024-12-31", False),
        ("2101-Q1", False),
        ("0001-01-01..9999-12-31", False),  # issue 23: 'year 10000 is out of range'
    ],
)
def test_venster_voor_een_link(tekst: str, binnen: bool) -> None:
    assert Periode.parse(tekst).in_venster is binnen


@pytest.mark.parametrize(
    ("tekst", "vorige"),
    [
        ("2024", "2023"),
        ("cj2023", "cj2022"),
        ("2024-Q1", "2023-Q4"),
        ("2024-Q3", "2024-Q2"),
        ("2024-01", "2023-12"),
        ("2024-03", "2024-02"),
        # a range: the same number of days just before (10 days ending 31-12-2023)
        ("2024-01-01..2024-01-10", "2023-12-22..2023-12-31"),
    ],
)
def test_vorige_periode(tekst: str, vorige: str) -> None:
    assert vorige_periode(Periode.parse(tekst)).code == vorige
    assert vorige_periode(Periode.parse(tekst)).dagen == Periode.parse(vorige).dagen


def test_trendperiode() -> None:
    # a year or contract year is its own trend; a quarter gets the 12 months up to its end
    assert trendperiode(Periode.parse("2024")) == Periode.parse("2024")
    assert trendperiode(Periode.parse("cj2023")) == Periode.parse("cj2023")
    kwartaal = trendperiode(Periode.parse("2024-Q2"))
    assert (kwartaal.start, kwartaal.eind) == (date(2023, 7, 1), date(2024, 6, 30))
    december = trendperiode(Periode.parse("2024-12"))
    assert (december.start, december.eind) == (date(2024, 1, 1), date(2024, 12, 31))
    assert len(december.maanden()) == 12
