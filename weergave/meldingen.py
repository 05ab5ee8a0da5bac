"""What a reader must know about a period before reading its figures, in Dutch: that it lies
after the peildatum or before the data, or (partly) in the nulmeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpi.periode import Periode

from weergave import formaat

# Short forms, for a footer line that repeats what the full notice said.
KORT = {
    "na_peildatum": "periode (deels) na de peildatum",
    "voor_gegevens": "periode vóór de eerste gegevens",
    "nulmeting": "nulmeting: aanbieders nog niet op KPI's aangesproken",
}


@dataclass(frozen=True)
class Melding:
    """One notice: `soort` na_peildatum, voor_gegevens or nulmeting, and its Dutch text."""

    soort: str
    tekst: str

    @property
    def niveau(self) -> str:
        """'waarschuwing' when the figures are not what they seem, else 'info'."""
        return "info" if self.soort == "nulmeting" else "waarschuwing"

    @property
    def kort(self) -> str:
        """The notice in a few words."""
        return KORT[self.soort]


def _bereik(p: Periode) -> str:
    return f"{formaat.datum(p.start)} t/m {formaat.datum(p.eind)}"


def periode_meldingen(
    periode: Periode,
    peildatum: date,
    eerste_datum: date | None = None,
    nulmeting: Periode | None = None,
) -> list[Melding]:
    """The notices for a period: after the peildatum (wholly or in part), before the first
    data, and in the nulmeting (wholly or in part), in that order."""
    uit = []
    label = periode.label[0].upper() + periode.label[1:]
    pd = formaat.datum(peildatum)
    if periode.start > peildatum:
        uit.append(
            Melding(
                "na_peildatum",
                f"{label} ligt na de peildatum ({pd}): over deze periode zijn nog geen "
                "gegevens. Aantallen en bedragen zijn leeg of 0; standen (zoals cliënten in "
                "zorg) zijn die op de peildatum.",
            )
        )
    elif periode.eind > peildatum:
        uit.append(
            Melding(
                "na_peildatum",
                f"{label} loopt tot na de peildatum ({pd}): de cijfers gaan tot en met de "
                "peildatum en zijn voorlopig (grijs).",
            )
        )
    if eerste_datum is not None and periode.eind < eerste_datum:
        uit.append(
            Melding(
                "voor_gegevens",
                f"{label} ligt vóór de eerste gegevens ({formaat.datum(eerste_datum)}): over "
                "deze periode zijn geen gegevens.",
            )
        )
    if (
        nulmeting is not None
        and periode.start <= nulmeting.eind
        and periode.eind >= nulmeting.start
    ):
        geheel = nulmeting.start <= periode.start and periode.eind <= nulmeting.eind
        if periode == nulmeting:
            waar = f"{label} is de nulmeting ({_bereik(nulmeting)})"
        else:
            deels = "valt in" if geheel else "valt deels in"
            waar = f"{label} {deels} de nulmeting ({nulmeting.label}, {_bereik(nulmeting)})"
        uit.append(
            Melding(
                "nulmeting",
                f"{waar}: "
                "toen werden gegevens verzameld en normen bepaald, en werden aanbieders nog "
                "niet op de KPI's aangesproken. De stoplichten zijn ter informatie.",
            )
        )
    return uit
