"""The unit rows behind a KPI figure (kpi.eenheden) as a Dutch table: headers, names, text.

Codes of gemeenten and aanbieders become their names; 0/1 flags become ja/nee; dates, days,
counts and money are written as everywhere else in the UI (weergave.formaat).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import polars as pl
from kpi.registry import Kpi

from weergave import formaat

KORREL = {
    "zorgtraject": "Zorgtraject",
    "zorgepisode": "Zorgepisode",
    "zorginterval": "Zorginterval",
    "client": "Cliënt",
    "bericht": "Bericht",
    "toewijzing": "Toewijzing",
    "contract": "Contract",
    "contractmaand": "Contract en maand",
    "begrotingscel": "Begrotingsregel",
    "uitgave": "Uitgave",
    "invoerregel": "Invoerregel",
}
# Column of a unit set → (Dutch header, how to write a value).
_JA_NEE = "ja_nee"
KOLOMMEN: dict[str, tuple[str, str]] = {
    "client_id": ("Cliënt (pseudoniem)", "tekst"),
    "gemeente": ("Gemeente", "tekst"),
    "domein": ("Domein", "domein"),
    "segment": ("Segment", "tekst"),
    "subsegment": ("Sub-segment", "tekst"),
    "aanbieder": ("Aanbieder", "tekst"),
    "voorlopig": ("Voorlopig", _JA_NEE),
    "datum": ("Datum", "datum"),
    "maand": ("Maand", "maand"),
    "volgens_plan": ("Volgens plan beëindigd", _JA_NEE),
    "duur": ("Duur", "dagen"),
    "opgegeven_dagen": ("Opgegeven doorlooptijd", "dagen"),
    "nieuw": ("Nieuwe cliënt", _JA_NEE),
    "wachttijd": ("Wachttijd", "dagen"),
    "binnen_norm": ("Wachttijd binnen norm", _JA_NEE),
    "teruggekeerd": ("Binnen 365 dagen terug in zorg", _JA_NEE),
    "vervolg": ("Vervolg binnen 90 dagen", _JA_NEE),
    "lichter": ("Lichter vervolg", _JA_NEE),
    "dagen": ("Zorgdagen", "aantal"),
    "zorgdagen": ("Zorgdagen", "aantal"),
    "plekdagen": ("Plekdagen (gecontracteerd)", "aantal"),
    "zorgkosten": ("Zorgkosten", "euro"),
    "bedrag": ("Voorschot", "euro"),
    "voorschot": ("Voorschot", "euro"),
    "saldo": ("Saldo", "euro"),
    "tijdig": ("Op tijd", _JA_NEE),
    "zonder_start": ("Zonder start", _JA_NEE),
    "zonder_stop": ("Zonder stop", _JA_NEE),
    "reden": ("Reden", "tekst"),
    "realisatie": ("Realisatie", "euro"),
    "vorig_jaar": ("Realisatie vorig jaar", "euro"),
    "verwachting": ("Verwachting", "euro"),
    "prognose": ("Prognose", "euro"),
    "jaarbudget": ("Jaarbudget", "euro"),
    "hoeveelheidsverschil": ("Hoeveelheidsverschil", "euro"),
    "prijsverschil": ("Prijsverschil", "euro"),
    "uitgaven_real": ("Uitgaven werkelijk", "euro"),
    "uitgaven_target": ("Uitgaven target", "euro"),
    "clienten_real": ("Cliënten werkelijk", "aantal"),
}
_DOMEIN = {"jeugd": "Jeugd", "wmo": "Wmo"}


def _schrijver(soort: str) -> Callable[[object], str]:
    if soort == _JA_NEE:
        return lambda x: "" if x is None else ("ja" if x else "nee")
    if soort == "datum":
        return lambda x: formaat.datum(x) if isinstance(x, date) else ""
    if soort == "maand":
        return lambda x: f"{x.month:02d}-{x.year}" if isinstance(x, date) else ""
    if soort == "domein":
        return lambda x: "" if x is None else _DOMEIN.get(str(x), str(x))
    if soort == "tekst":
        return lambda x: "" if x is None else str(x)
    return lambda x: formaat.waarde(x, soort)  # type: ignore[arg-type]


def onderliggende_rijen(
    rijen: pl.DataFrame, kpi: Kpi, namen: Mapping[str, Mapping[str, str]]
) -> pl.DataFrame:
    """The unit rows with Dutch headers and names: `namen` maps gemeente and aanbieder codes."""
    kolommen: dict[str, list[str]] = {}
    for kolom in rijen.columns:
        waarden = rijen[kolom].to_list()
        if kolom == "eenheid":
            kolommen[KORREL.get(kpi.korrel, kpi.korrel.capitalize())] = [
                "" if w is None else str(w) for w in waarden
            ]
            continue
        kop, soort = KOLOMMEN.get(kolom, (kolom.replace("_", " ").capitalize(), "tekst"))
        if kolom in namen:
            waarden = [namen[kolom].get(w, w) if w is not None else None for w in waarden]
        schrijf = _schrijver(soort)
        kolommen[kop if kop not in kolommen else f"{kop} ({kolom})"] = [schrijf(w) for w in waarden]
    return pl.DataFrame(kolommen, schema=dict.fromkeys(kolommen, pl.String))
