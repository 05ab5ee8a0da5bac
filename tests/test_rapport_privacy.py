"""weergave.privacy.telling: a count as a provider sees it (CBS: 0-7 'geheim', else fives)."""

from decimal import Decimal

import pytest

from weergave.privacy import GEHEIM, telling


@pytest.mark.parametrize(
    ("n", "tekst"),
    [
        (None, ""),
        (0, GEHEIM),
        (7, GEHEIM),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (1234, "1.235"),
        (Decimal("22475"), "22.475"),
        (Decimal("22477"), "22.475"),
    ],
)
def test_telling(n: int | Decimal | None, tekst: str) -> None:
    assert telling(n) == tekst


def test_telling_negatief_is_een_fout() -> None:
    with pytest.raises(ValueError, match="negatief"):
        telling(-1)
