"""Checks on what is written into the dossier, each with a Dutch message a user can act on."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

MAX_TEKST = 4000  # about a page: an afspraak, a toelichting or a reason, not a report
MAX_KORT = 200  # an owner, a name
MAX_JAREN_VOORUIT = 5
MAX_WAARDE = Decimal("1000000000000")  # a voorschot of a trillion euros is a typing error
STATUSSEN = ("open", "gedaan", "vervallen")
ONDERWERPEN = ("voorschot", "lumpsum", "plekken", "overig")
_AGB = re.compile(r"\d{8}")
_KPI = re.compile(r"[a-z][a-z0-9_]{0,63}")
_DUIZENDTALLEN = re.compile(r"-?\d{1,3}(\.\d{3})+")


class DossierFout(ValueError):
    """Input the dossier does not accept; the message says what to change, in Dutch."""


def getal(n: int) -> str:
    """A whole number with Dutch thousands separators: 10000 -> '10.000'."""
    return f"{n:,}".replace(",", ".")


def dag(d: date) -> str:
    """A date as '31-12-2024'."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def tekst(waarde: object, veld: str = "De tekst", max_lengte: int = MAX_TEKST) -> str:
    """A text as stored: line ends as \\n, outer spaces trimmed; not empty, not too long."""
    if waarde is None:
        raise DossierFout(f"{veld} is leeg: vul een tekst in.")
    if not isinstance(waarde, str):
        raise DossierFout(f"{veld} moet tekst zijn, geen {type(waarde).__name__}.")
    schoon = waarde.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not schoon:
        raise DossierFout(f"{veld} is leeg: vul een tekst in.")
    if len(schoon) > max_lengte:
        raise DossierFout(
            f"{veld} is {getal(len(schoon))} tekens lang; er passen er {getal(max_lengte)} in. "
            "Maak de tekst korter."
        )
    if any(unicodedata.category(t) == "Cc" and t not in "\n\t" for t in schoon):
        raise DossierFout(
            f"{veld} bevat een onzichtbaar stuurteken; haal het weg en probeer opnieuw."
        )
    return schoon


def agb(code: object) -> str:
    """An AGB code: 8 digits."""
    tekst_ = str(code or "").strip()
    if not _AGB.fullmatch(tekst_):
        raise DossierFout(f"AGB-code {tekst_!r} bestaat niet uit 8 cijfers.")
    return tekst_


def kpi_id(waarde: object) -> str:
    """A KPI id as the registry writes it ('doorlooptijd')."""
    tekst_ = str(waarde or "").strip()
    if not _KPI.fullmatch(tekst_):
        raise DossierFout(f"Kies een KPI; {tekst_!r} is geen KPI-code.")
    return tekst_


def datum(waarde: object, veld: str) -> date:
    """A date from a date, an ISO text '2024-12-31' or a Dutch text '31-12-2024'."""
    if isinstance(waarde, datetime):
        return waarde.date()
    if isinstance(waarde, date):
        return waarde
    tekst_ = str(waarde or "").strip()
    if not tekst_:
        raise DossierFout(f"{veld} ontbreekt: vul een datum in.")
    try:
        if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", tekst_):
            d, m, j = (int(x) for x in tekst_.split("-"))
            return date(j, m, d)
        return date.fromisoformat(tekst_)
    except ValueError:
        raise DossierFout(
            f"{veld} {tekst_!r} is geen bestaande datum (schrijf 31-12-2024)."
        ) from None


def deadline(waarde: object, vandaag: date) -> date:
    """The due date of a new or rescheduled afspraak: today or later, within five years."""
    d = datum(waarde, "De deadline")
    if d < vandaag:
        raise DossierFout(
            f"De deadline {dag(d)} ligt in het verleden (vandaag is {dag(vandaag)}): "
            "kies vandaag of een latere datum."
        )
    if d > _jaren_later(vandaag, MAX_JAREN_VOORUIT):
        raise DossierFout(
            f"De deadline {dag(d)} ligt meer dan {MAX_JAREN_VOORUIT} jaar vooruit; "
            "controleer het jaartal."
        )
    return d


def _jaren_later(d: date, jaren: int) -> date:
    try:
        return d.replace(year=d.year + jaren)
    except ValueError:  # 29 February
        return d.replace(year=d.year + jaren, day=28)


def status(waarde: object) -> str:
    """One of open, gedaan, vervallen."""
    tekst_ = str(waarde or "").strip().lower()
    if tekst_ not in STATUSSEN:
        raise DossierFout(f"Status {waarde!r} bestaat niet; kies open, gedaan of vervallen.")
    return tekst_


def onderwerp(waarde: object) -> str:
    """What a besluit changes: voorschot, lumpsum, plekken or overig."""
    tekst_ = str(waarde or "").strip().lower()
    if tekst_ not in ONDERWERPEN:
        raise DossierFout(
            f"Onderwerp {waarde!r} bestaat niet; kies {', '.join(ONDERWERPEN[:-1])} of "
            f"{ONDERWERPEN[-1]}."
        )
    return tekst_


def waarde(x: object, veld: str) -> Decimal:
    """An amount or a number of places, exact: 657000, '657.000,00', '€ 657.000' or '1.5'.

    With a comma, the comma is the decimal sign and dots group thousands (Dutch); without one,
    dots only in groups of three ('657.000') are thousands, any other dot is refused as unclear.
    """
    if isinstance(x, bool):
        raise DossierFout(f"{veld} moet een getal zijn.")
    if isinstance(x, int | Decimal):
        getal_ = Decimal(x)
    elif isinstance(x, float):
        getal_ = Decimal(repr(x))
    else:
        ruw = str(x or "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
        if not ruw:
            raise DossierFout(f"{veld} ontbreekt: vul een getal in.")
        if "," in ruw:
            ruw = ruw.replace(".", "").replace(",", ".")
        elif _DUIZENDTALLEN.fullmatch(ruw):
            ruw = ruw.replace(".", "")
        elif "." in ruw:
            raise DossierFout(
                f"{veld} {x!r} is niet eenduidig: schrijf 657.000,00 of 657000 (komma voor "
                "decimalen)."
            )
        try:
            getal_ = Decimal(ruw)
        except InvalidOperation:
            raise DossierFout(f"{veld} {x!r} is geen getal.") from None
    if not getal_.is_finite():
        raise DossierFout(f"{veld} {x!r} is geen getal.")
    if getal_ < 0:
        raise DossierFout(f"{veld} kan niet negatief zijn.")
    if getal_ > MAX_WAARDE:
        raise DossierFout(f"{veld} is onwaarschijnlijk groot; controleer het getal.")
    return getal_


def wie(waarde: object) -> str:
    """Who writes: the logged-in identity (an e-mail) or 'lokaal'."""
    return tekst(waarde, "Wie schrijft", MAX_KORT)
