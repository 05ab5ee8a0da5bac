"""Working days: Mon-Fri and not a Dutch public holiday (holidays.NL)."""

from datetime import date

import pytest

from kpi.werkdagen import is_werkdag, op_tijd, plus_werkdagen, termijnkalender


@pytest.mark.parametrize(
    ("dag", "werkdag"),
    [
        (date(2023, 4, 26), True),  # Wednesday
        (date(2023, 4, 27), False),  # Koningsdag (Thursday)
        (date(2023, 4, 29), False),  # Saturday
        (date(2023, 4, 7), False),  # Goede Vrijdag
        (date(2023, 4, 10), False),  # Tweede Paasdag
        (date(2023, 5, 18), False),  # Hemelvaartsdag
        (date(2023, 5, 29), False),  # Tweede Pinksterdag
        (date(2023, 12, 26), False),  # Tweede Kerstdag
        (date(2025, 5, 5), False),  # Bevrijdingsdag in a lustrum year
    ],
)
def test_is_werkdag(dag: date, werkdag: bool) -> None:
    assert is_werkdag(dag) is werkdag


def test_vijfde_werkdag_na_dag_voor_koningsdag() -> None:
    # Wed 26-4-2023; Thu 27-4 is Koningsdag. Werkdagen after: Fri 28-4 (1), Mon 1-5 (2),
    # Tue 2-5 (3), Wed 3-5 (4), Thu 4-5 (5), Fri 5-5 (6; Bevrijdingsdag is no holiday in 2023).
    assert plus_werkdagen(date(2023, 4, 26), 5) == date(2023, 5, 4)
    assert op_tijd(date(2023, 4, 26), date(2023, 5, 4))  # 5th werkdag: on time
    assert not op_tijd(date(2023, 4, 26), date(2023, 5, 5))  # 6th: late
    assert not op_tijd(date(2023, 4, 26), date(2023, 5, 6))  # Saturday after the 5th: late
    assert op_tijd(date(2023, 4, 26), date(2023, 4, 20))  # dated before the start: on time


def test_pasen() -> None:
    # Thu 6-4-2023; Good Friday 7-4 and Easter Monday 10-4 are holidays:
    # 11-4 (1), 12-4 (2), 13-4 (3), 14-4 (4), 17-4 (5)
    assert plus_werkdagen(date(2023, 4, 6), 5) == date(2023, 4, 17)


def test_een_dag_die_zelf_geen_werkdag_is() -> None:
    # Saturday 29-4-2023: Mon 1-5 (1) ... Fri 5-5 (5)
    assert plus_werkdagen(date(2023, 4, 29), 5) == date(2023, 5, 5)


def test_termijnkalender() -> None:
    dagen, uiterlijk = termijnkalender(date(2023, 4, 26), date(2023, 4, 27))
    assert dagen == [date(2023, 4, 26), date(2023, 4, 27)]
    # from Koningsdag itself: 28-4, 1-5, 2-5, 3-5, 4-5
    assert uiterlijk == [date(2023, 5, 4), date(2023, 5, 4)]
