"""Filters: bind parameters, single values for norm context, narrowing by a scope."""

import pytest

from kpi.filters import Filters
from tests.kpi_fixtures import Warehouse, verwacht


def test_params_en_lijsten() -> None:
    f = Filters(gemeente="0197", aanbieder=["1", "2"])
    assert f.gemeente == ("0197",) and f.aanbieder == ("1", "2")
    params = f.params()
    assert params["f_gemeente"] == ["0197"] and params["f_domein"] is None
    assert "$f_gemeente" in f.sql() and "0197" not in f.sql()  # values never in the SQL
    assert "f_domein" not in f.sql()  # a dimension without a filter adds no condition
    assert Filters().sql() == "true"
    assert hash(f) == hash(Filters(gemeente=("0197",), aanbieder=("1", "2")))


def test_enkel() -> None:
    assert Filters(segment="GWV").enkel("segment") == "GWV"
    assert Filters(segment=["GWV", "IAJ"]).enkel("segment") is None
    assert Filters().enkel("segment") is None


def test_binnen_scope() -> None:
    scope = Filters(aanbieder="11111111")
    assert Filters(gemeente="0197").binnen(scope) == Filters(gemeente="0197", aanbieder="11111111")
    # asking for another aanbieder than the scope allows leaves nothing
    assert Filters(aanbieder=["22222222"]).binnen(scope).aanbieder == ()
    assert Filters(aanbieder=["11111111", "2"]).binnen(scope).aanbieder == ("11111111",)


def test_lege_scope_geeft_niets_en_geen_fout() -> None:
    w = Warehouse()
    w.traject("c1", "2023-01-10", "2023-02-10")
    alles = w.bereken("2023", kpis=["instroom", "voorschot"])
    verwacht(alles, "instroom", [{"waarde": 1}])
    niets = w.bereken("2023", kpis=["instroom"], filters=Filters(aanbieder=()))
    verwacht(niets, "instroom", [{"waarde": 0, "n": 0}])


def test_uit_paren_en_zonder() -> None:
    """The UI's hashable form becomes a Filters in one place; `zonder` opens a dimension
    again (the peers of a provider: the same filters without the aanbieder)."""
    f = Filters.uit_paren((("gemeente", "0197"), ("aanbieder", "11111111")))
    assert f == Filters(gemeente="0197", aanbieder="11111111")
    assert Filters.uit_paren(()) == Filters()
    assert f.zonder("aanbieder") == Filters(gemeente="0197")
    assert f.zonder("aanbieder", "gemeente") == Filters()
    assert Filters().zonder("aanbieder") == Filters()
    with pytest.raises(ValueError, match="onbekende dimensie"):
        f.zonder("aanbeider")
