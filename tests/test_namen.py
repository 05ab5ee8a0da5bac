"""One name per concept (issue 21 section 4): no name a package exports hides one of its
modules, so `kpi.bereken` is always the function and `kpi.berekening` always the module.

Python binds `package.<module>` when a module is first imported; a later
`from package.x import x` in `__init__.py` rebinds it, and `import kpi.x` then gives the
function, not the module. Every module of every layer package is imported here and the
package attribute of the same name must still be that module.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pytest

PAKKETTEN = (
    "sample_data",
    "datacontract",
    "warehouse",
    "kpi",
    "kpi.eenhedensets",
    "kpi.prognose",
    "weergave",
    "rapport",
    "ui",
)


@pytest.mark.parametrize("pakket", PAKKETTEN)
def test_geen_naam_verbergt_een_module(pakket: str) -> None:
    p = importlib.import_module(pakket)
    modules = [m.name for m in pkgutil.iter_modules(p.__path__) if m.name != "__main__"]
    assert modules, pakket
    verborgen = []
    for naam in modules:
        importlib.import_module(f"{pakket}.{naam}")
        if getattr(p, naam) is not sys.modules[f"{pakket}.{naam}"]:
            verborgen.append(f"{pakket}.{naam} is {type(getattr(p, naam)).__name__}")
    assert not verborgen, verborgen


def test_selectie_filters_zonder() -> None:
    """The pages' peers view (Groepsgesprek): the hashable filters without a dimension, by
    kpi.Filters.zonder's rule, the order of DIMENSIES kept."""
    from ui.filters import Selectie

    s = Selectie("2024", {"aanbieder": "11111111", "gemeente": "0197", "segment": "GWV"})
    assert s.filters_zonder("aanbieder") == (("gemeente", "0197"), ("segment", "GWV"))
    assert s.filters_zonder("aanbieder", "gemeente", "segment") == ()
    assert Selectie("2024").filters_zonder("aanbieder") == ()
    with pytest.raises(ValueError, match="onbekende dimensie"):
        s.filters_zonder("aanbeider")
