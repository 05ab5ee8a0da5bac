"""Dutch formatting of money, shares, numbers and dates."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from weergave import formaat


@pytest.mark.parametrize(
    ("x", "tekst"),
    [
        (Decimal("1234.56"), "€ 1.234,56"),
        (Decimal("657000"), "€ 657.000,00"),
        (Decimal("-157.5"), "€ -157,50"),
        (Decimal("0.005"), "€ 0,01"),  # half up
        (Decimal("-0.001"), "€ 0,00"),  # no negative zero
        (14600, "€ 14.600,00"),
    ],
)
def test_euro(x: Decimal | int, tekst: str) -> None:
    assert formaat.euro(x) == tekst


@pytest.mark.parametrize(
    ("x", "tekst"),
    [
        (0.125, "12,5 %"),
        (Decimal("0.98630137"), "98,6 %"),
        (Fraction(1, 3), "33,3 %"),
        (1, "100,0 %"),
    ],
)
def test_procent(x: object, tekst: str) -> None:
    assert formaat.procent(x) == tekst


def test_getal_en_datum() -> None:
    assert formaat.getal(1234567) == "1.234.567"
    assert formaat.getal(Decimal("28917.5"), 1) == "28.917,5"
    assert formaat.getal(None) == ""
    assert formaat.datum(date(2024, 12, 31)) == "31-12-2024"
    assert formaat.datumtijd(datetime(2026, 12, 3, 7, 5, 59)) == "03-12-2026 07:05"


@pytest.mark.parametrize(
    ("x", "tekst"),
    [
        (Decimal("260.0"), "260 dagen"),  # a whole median: no ',0' (issue 15)
        (Decimal("260.5"), "260,5 dagen"),  # the mean of two middle values keeps its half
        (Decimal("287.34"), "287,3 dagen"),  # a mean: one decimal
        (Decimal("287.96"), "288 dagen"),  # rounds to a whole day: no decimal left
        (1, "1 dag"),
        (Decimal("1260"), "1.260 dagen"),
        (0, "0 dagen"),
        (None, ""),
    ],
)
def test_dagen_met_eenheid(x: object, tekst: str) -> None:
    assert formaat.dagen(x) == tekst


def test_waarde_per_eenheid() -> None:
    assert formaat.waarde(Decimal("26"), "dagen") == "26 dagen"
    assert formaat.waarde(Decimal("0.5"), "aandeel") == "50,0 %"
    assert formaat.waarde(Decimal("200"), "euro") == "€ 200,00"
    assert formaat.waarde(Decimal("3600"), "aantal") == "3.600"
    assert formaat.stoplicht("groen").endswith("groen")
