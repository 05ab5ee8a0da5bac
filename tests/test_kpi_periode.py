"""Periods: parser, Dutch labels, months of a period."""

from datetime import date

import pytest

from kpi.periode import Periode


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
