"""The bookkeeping tables of a load (laadverslag, quarantine counts, table sizes) for reading:
Dutch headers, thousands separators, no 'None', times in Dutch time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl
from kpi.per_waarde import per_waarde

from weergave import formaat

KOPPEN = {
    "bron_bestand": "Bestand",
    "tabel": "Tabel",
    "regels_in": "Regels in het bestand",
    "geladen": "Geladen",
    "dubbel": "Dubbel",
    "genegeerd": "Genegeerd",
    "afgekeurd": "Afgekeurd",
    "extra_kolommen": "Extra kolommen (niet opgeslagen)",
    "ernst": "Ernst",
    "reden": "Reden",
    "aantal": "Aantal",
    "aanbieder": "AGB-code",
    "naam": "Aanbieder",
    "rijen": "Rijen",
}


def met_koppen(frame: pl.DataFrame) -> pl.DataFrame:
    """The same columns under Dutch headers, values as they are (for a download)."""
    return frame.rename({k: KOPPEN[k] for k in frame.columns if k in KOPPEN})


def leesbaar(frame: pl.DataFrame) -> pl.DataFrame:
    """Dutch headers; whole numbers with thousands separators; empty instead of None.

    Text columns stay text (a 'geheim' count stays 'geheim'); an unknown column keeps its name.
    """
    kolommen = []
    for naam, soort in frame.schema.items():
        if soort.is_integer() or soort.is_float() or isinstance(soort, pl.Decimal):
            kolom = per_waarde(frame[naam], formaat.getal, pl.String)
        else:
            kolom = frame[naam].cast(pl.String)
        kolommen.append(kolom.fill_null("").alias(KOPPEN.get(naam, naam)))
    return pl.DataFrame(kolommen)


def _nederlandse_tijd() -> ZoneInfo | None:
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:  # no time zone database (some Windows installs)
        return None


def geladen_op(tekst: str | None) -> str:
    """meta.geladen_op (ISO, UTC) as '03-12-2026 12:51' in Dutch time; '' when absent."""
    if not tekst:
        return ""
    try:
        moment = datetime.fromisoformat(tekst)
    except ValueError:
        return tekst
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = _nederlandse_tijd()
    if zone is None:
        return f"{formaat.datumtijd(moment.astimezone(UTC))} UTC"
    return formaat.datumtijd(moment.astimezone(zone))
