"""The forecast (kpi/prognose) as Dutch text, tables and Altair charts; no Streamlit.

Every figure is marked *prognose* and carries its 80 % interval; the stoplicht of the
verwachte benutting is named with its symbol and the words 'dreigende overschrijding' or
'dreigende onderbenutting'; the voorschotadvies is a proposal with its arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import altair as alt
import polars as pl
from kpi.periode import MAANDEN
from kpi.prognose.overzicht import ONDERBENUTTING, OVERSCHRIJDING, SIGNAAL_TEKST, dekking

from weergave import formaat, privacy
from weergave.grafieken import Sjabloon, maandlabel, schema_van
from weergave.kleuren import ACCENT, NORMBAND

DREIGEND = (OVERSCHRIJDING, ONDERBENUTTING)
SORTERINGEN = {
    "afwijking": "Afwijking van de norm (dreigend bovenaan)",
    "benutting": "Verwachte benutting (hoog → laag)",
    "saldo": "Verwacht saldo (laag → hoog)",
    "naam": "Naam",
}
METHODE = (
    "Prognose op de peildatum tot het einde van het contractjaar. Verwachte zorgdagen = "
    "gerealiseerd tot de peildatum + voor elke cliënt in zorg de kans om elke volgende dag "
    "nog in zorg te zijn (overlevingscurve, Kaplan–Meier, van de zorgtrajecten van het "
    "sub-segment in de 24 maanden tot de peildatum, gegeven hoe lang het traject al loopt; "
    "nooit na de einddatum van de toewijzing) + nieuwe instroom in het tempo van de laatste 3 "
    "volle maanden. Het interval (80 %) geeft de spreiding van welke cliënten blijven en hoeveel "
    "er instromen, plus de onzekerheid van de overlevingscurve zelf (Greenwood). Een groep telt "
    "alleen de contracten met een prognose; een contract in een sub-segment met te weinig "
    "historie heeft geen prognose en dat staat erbij."
)
WAAROM = (
    "“Elk kwartaal monitoren we de plekbezetting. Mocht blijken dat de daadwerkelijke "
    "realisatie van de plekbezetting […] een dreigende onder- dan wel overschrijding laat zien, "
    "dan kan de bevoorschotting […] naar beneden dan wel boven worden bijgesteld.” "
    "(Sociaal Domein Achterhoek, financiële werkwijze)"
)


def _getal(x: float | None, decimalen: int = 0) -> str:
    return privacy.GEHEIM if x is None else formaat.getal(x, decimalen)


def interval(onder: float | None, boven: float | None, soort: str = "aantal") -> str:
    """'80 %: 1.234 – 1.456' in the unit of the figure."""
    if onder is None or boven is None:
        return ""
    tekst = {"euro": lambda x: formaat.euro(x, 0), "aandeel": lambda x: formaat.procent(x, 1)}
    maak = tekst.get(soort, lambda x: formaat.getal(x, 0))
    return f"80 %: {maak(onder)} – {maak(boven)}"


def met_interval(waarde: float | None, onder: Any, boven: Any, soort: str = "aantal") -> str:
    """'112,3 % (80 %: 104,1 % – 120,5 %)'; '–' without a forecast."""
    if waarde is None:
        return "–"
    hoofd = {"euro": formaat.euro(waarde, 0), "aandeel": formaat.procent(waarde, 1)}.get(
        soort, formaat.getal(waarde, 0)
    )
    rand = interval(onder, boven, soort)
    return f"{hoofd} ({rand})" if rand else hoofd


def signaal_tekst(stoplicht: str | None, signaal: str | None) -> str:
    """'■ rood · dreigende overschrijding' — symbol and words, never colour alone."""
    return f"{formaat.stoplicht(stoplicht or 'grijs')} · {SIGNAAL_TEKST.get(signaal or '', '')}"


def maandnaam(d: date) -> str:
    """'maart 2024'."""
    return f"{MAANDEN[d.month - 1]} {d.year}"


def volloop_tekst(rij: Mapping[str, Any]) -> str:
    """The first day on which more clients are (expected) in care than plekken."""
    if rij.get("benutting_verwacht") is None:
        return "geen prognose"
    datum = rij.get("volloop_datum")
    if datum is None:
        return "niet binnen dit contractjaar"
    if datum == rij.get("peildatum"):
        return f"al vol op de peildatum ({formaat.datum(datum)})"
    return formaat.datum(datum)


def advies_rekensom(rij: Mapping[str, Any]) -> str:
    """The voorschotadvies as a proposal with its arithmetic."""
    if rij.get("zorgkosten_verwacht") is None:
        return "Geen voorschotadvies: geen prognose."
    maanden = rij.get("resterende_maanden") or 0
    if not maanden:
        return "Geen voorschotadvies: er zijn geen resterende maanden in dit contractjaar."
    peil = rij["peildatum"]
    tekst = (
        f"Voorstel, geen besluit: (verwachte zorgkosten {formaat.euro(rij['zorgkosten_verwacht'])}"
        f" − voorschot t/m {maandnaam(peil)} {formaat.euro(rij['voorschot_betaald'])}) / "
        f"{maanden} resterende {'maand' if maanden == 1 else 'maanden'} = "
        f"{formaat.euro(rij['advies_rest'] / maanden)} per maand"
    )
    rand = interval(rij.get("voorschotadvies_onder"), rij.get("voorschotadvies_boven"), "euro")
    if rand:
        tekst += f" ({rand})"
    huidig = rij.get("voorschot_huidig_per_maand")
    if huidig is not None:
        tekst += f"; nu gepland {formaat.euro(huidig)} per maand"
    if rij["voorschotadvies"] is not None and rij["voorschotadvies"] < 0:
        tekst += (
            ". Negatief: het betaalde voorschot dekt de verwachte zorgkosten al; het verschil "
            "komt terug bij de afrekening"
        )
    return tekst + "."


def plekken_tekst(rij: Mapping[str, Any]) -> str:
    """'26 (80 %: 22 – 30) · gecontracteerd 20'."""
    if rij.get("benutting_verwacht") is None:
        return "geen prognose"
    if rij.get("plekken_volgend_jaar") is None:  # withheld for a provider (a small count)
        return f"{privacy.GEHEIM} · gecontracteerd {formaat.getal(rij['plekken'] or 0, 1)}"
    hoofd = met_interval(rij["plekken_volgend_jaar"], rij.get("plekken_onder"),
                         rij.get("plekken_boven"))  # fmt: skip
    return f"{hoofd} · gecontracteerd {formaat.getal(rij['plekken'] or 0, 1)}"


def _sorteer(groepen: pl.DataFrame, op: str, sleutels: list[str]) -> pl.DataFrame:
    if op == "benutting":
        return groepen.sort("benutting_verwacht", descending=True, nulls_last=True)
    if op == "saldo":
        return groepen.sort("saldo_verwacht", nulls_last=True)
    if op == "naam":
        return groepen.sort(sleutels, nulls_last=True)
    return groepen  # kpi.prognose.overzicht.per_groep: the threatening ones first


def contracttabel(
    groepen: pl.DataFrame,
    gemeente_namen: Mapping[str, str],
    aanbieder_namen: Mapping[str, str] | None = None,
    sorteer: str = "afwijking",
) -> pl.DataFrame:
    """One row per contract (or group) with Dutch text: signal, figures with interval."""
    if groepen.is_empty():
        return pl.DataFrame()
    sleutels = [d for d in ("aanbieder", "gemeente", "subsegment") if groepen[d].null_count() == 0]
    rijen = []
    for r in _sorteer(groepen, sorteer, sleutels).iter_rows(named=True):
        rij: dict[str, str] = {}
        if "aanbieder" in sleutels and aanbieder_namen is not None:
            rij["Aanbieder"] = aanbieder_namen.get(r["aanbieder"], r["aanbieder"])
        if "gemeente" in sleutels:
            rij["Gemeente"] = gemeente_namen.get(r["gemeente"], r["gemeente"])
        if "subsegment" in sleutels:
            rij["Sub-segment"] = r["subsegment"]
        rij |= {
            "Signaal (prognose)": signaal_tekst(r["stoplicht"], r["signaal"]),
            "Verwachte benutting": met_interval(
                r["benutting_verwacht"], r["benutting_onder"], r["benutting_boven"], "aandeel"
            ),
            "Afwijking": formaat.procent(r["afwijking"], 0) if r["afwijking"] else "",
            "Verwachte zorgdagen": privacy.GEHEIM
            if r["zorgdagen_verwacht"] is None and r["benutting_verwacht"] is not None
            else met_interval(r["zorgdagen_verwacht"], r["zorgdagen_onder"], r["zorgdagen_boven"]),
            "Verwachte zorgkosten": met_interval(
                r["zorgkosten_verwacht"], r["zorgkosten_onder"], r["zorgkosten_boven"], "euro"
            ),
            "Verwacht saldo": met_interval(
                r["saldo_verwacht"], r["saldo_onder"], r["saldo_boven"], "euro"
            ),
            "Voorschotadvies per maand (voorstel)": met_interval(
                r["voorschotadvies"],
                r["voorschotadvies_onder"],
                r["voorschotadvies_boven"],
                "euro",
            ),
            "Volloop": volloop_tekst(r),
            "Plekken volgend jaar": plekken_tekst(r),
            "Doorlooptijd (gem. / opgegeven)": _doorlooptijd(r),
        }
        opmerking = dekking_tekst(r)
        if opmerking:
            rij["Opmerking"] = opmerking
        rijen.append(rij)
    frame = pl.DataFrame(rijen)
    if "Opmerking" in frame.columns:
        frame = frame.with_columns(pl.col("Opmerking").fill_null(""))
    return frame


def _doorlooptijd(r: Mapping[str, Any]) -> str:
    echt = r.get("doorlooptijd_gemiddeld")
    opgegeven = r.get("opgegeven_dagen")
    delen = [formaat.getal(echt, 0) if echt is not None else "–"]
    delen.append(formaat.getal(opgegeven, 0) if opgegeven is not None else "–")
    return " / ".join(delen) + " dagen"


def kerncijfers(rij: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value, interval/explanation) for the headline metrics of one group."""
    return [
        (
            "Verwachte benutting (prognose)",
            formaat.procent(rij["benutting_verwacht"], 1)
            if rij["benutting_verwacht"] is not None
            else "–",
            interval(rij["benutting_onder"], rij["benutting_boven"], "aandeel")
            + f" · {signaal_tekst(rij['stoplicht'], rij['signaal'])}",
        ),
        (
            "Verwachte zorgkosten (prognose)",
            formaat.euro(rij["zorgkosten_verwacht"], 0) or "–",
            interval(rij["zorgkosten_onder"], rij["zorgkosten_boven"], "euro"),
        ),
        (
            "Verwacht saldo afrekening (prognose)",
            formaat.euro(rij["saldo_verwacht"], 0) or "–",
            interval(rij["saldo_onder"], rij["saldo_boven"], "euro")
            + " · positief: de aanbieder betaalt terug",
        ),
        (
            "Plekken volgend jaar (prognose)",
            _getal(rij["plekken_volgend_jaar"]) if rij["benutting_verwacht"] is not None else "–",
            interval(rij["plekken_onder"], rij["plekken_boven"])
            + f" · gecontracteerd {formaat.getal(rij['plekken'] or 0, 1)}",
        ),
    ]


def dekking_tekst(rij: Mapping[str, Any]) -> str | None:
    """'Prognose over 2 van de 3 contracten; 1 contract zonder prognose (telt niet mee): te
    weinig historie: …' — None when every contract of the group has a forecast."""
    tekst = dekking(
        int(rij.get("contracten") or 0), int(rij.get("zonder_prognose") or 0), rij.get("reden")
    )
    return None if tekst is None else f"{tekst[0].upper()}{tekst[1:]}."


def volloop_samenvatting(rij: Mapping[str, Any]) -> str:
    """'3 van de 40 contracten lopen naar verwachting vol; de eerste op 15-02-2025.' (of the
    contracts with a forecast, said so when some have none)."""
    aantal = int(rij.get("volloop_contracten") or 0)
    zonder = int(rij.get("zonder_prognose") or 0)
    totaal = int(rij.get("contracten") or 0) - zonder
    if rij.get("benutting_verwacht") is None:
        return "Volloop-signaal: geen prognose."
    contracten = "contracten met een prognose" if zonder else "contracten"
    if not aantal and totaal == 1:
        enkel = "contract met een prognose" if zonder else "contract"
        return f"Volloop-signaal: het {enkel} loopt naar verwachting niet vol."
    if not aantal:
        return f"Volloop-signaal: geen van de {totaal} {contracten} loopt naar verwachting vol."
    werkwoord = "loopt" if aantal == 1 else "lopen"
    return (
        f"Volloop-signaal: {aantal} van de {totaal} {contracten} {werkwoord} naar verwachting "
        f"vol (meer cliënten in zorg dan plekken); de eerste: {volloop_tekst(rij)}."
    )


def aandachtspunten(
    groepen: pl.DataFrame,
    gemeente_namen: Mapping[str, str],
    aanbieder_namen: Mapping[str, str],
    aantal: int = 10,
) -> pl.DataFrame:
    """The contracts with a threatening over- or under-use (oranje or rood), the most money
    at stake first (the expected saldo, either way): for the board deck's slide."""
    dreigend = groepen.filter(
        pl.col("signaal").is_in(list(DREIGEND)) & pl.col("stoplicht").is_in(["oranje", "rood"])
    ).sort(pl.col("saldo_verwacht").abs(), descending=True, nulls_last=True)
    rijen = []
    for r in dreigend.head(aantal).iter_rows(named=True):
        rijen.append(
            {
                "Contract": f"{aanbieder_namen.get(r['aanbieder'], r['aanbieder'])} · "
                f"{gemeente_namen.get(r['gemeente'], r['gemeente'])} · {r['subsegment']}",
                "Signaal": signaal_tekst(r["stoplicht"], r["signaal"]),
                "Verwachte benutting": met_interval(
                    r["benutting_verwacht"], r["benutting_onder"], r["benutting_boven"], "aandeel"
                ),
                "Verwacht saldo": formaat.euro(r["saldo_verwacht"], 0),
                "Voorschotadvies per maand": formaat.euro(r["voorschotadvies"], 0)
                if r["voorschotadvies"] is not None
                else "–",
            }
        )
    kolommen = ["Contract", "Signaal", "Verwachte benutting", "Verwacht saldo",
                "Voorschotadvies per maand"]  # fmt: skip
    if not rijen:
        return pl.DataFrame(schema={k: pl.String for k in kolommen})
    return pl.DataFrame(rijen).select(kolommen)


# ------------------------------------------------------------------ charts


def _reeksen(reeks: pl.DataFrame, real: str, verwacht: str, onder: str, boven: str) -> pl.DataFrame:
    """Long form for a chart: 'Realisatie' for months ended by the peildatum, 'Prognose' from
    the last of those on (so the dashed line starts where the solid one stops)."""
    if reeks.is_empty():
        return pl.DataFrame()
    basis = reeks.with_columns(label=maandlabel("maand"))
    realisatie = basis.filter(pl.col("soort") == "realisatie")
    prognose = basis.filter(pl.col("soort") == "prognose")
    if realisatie.height:
        prognose = pl.concat([realisatie.tail(1), prognose])
    delen = [
        realisatie.select(
            "maand", "label", pl.lit("Realisatie").alias("reeks"), pl.col(real).alias("waarde"),
            pl.lit(None, pl.Float64).alias("onder"), pl.lit(None, pl.Float64).alias("boven"),
        ),
        prognose.select(
            "maand", "label", pl.lit("Prognose").alias("reeks"), pl.col(verwacht).alias("waarde"),
            pl.col(onder).alias("onder"), pl.col(boven).alias("boven"),
        ),
    ]  # fmt: skip
    return pl.concat(delen).filter(pl.col("waarde").is_not_null())


def _volgorde(data: pl.DataFrame) -> list[str]:
    """The month labels of a chart's rows in calendar order (the x axis)."""
    return data.select("maand", "label").unique().sort("maand")["label"].to_list()


def _lijnen(
    data: pl.DataFrame,
    band: pl.DataFrame,
    volgorde: list[str],
    as_titel: str,
    formaat_as: str,
    titel: str,
    achter: Sequence[alt.Chart] = (),
    voor: Sequence[alt.Chart] = (),
) -> alt.LayerChart:
    """The realisatie and prognose lines (`data`) with the 80 % band (`band`: the prognose
    rows), months in the order `volgorde`, between the layers `achter` (drawn first) and
    `voor`; the chart is layered once (Altair copies every layer on each layering, a large
    part of a provider page's run)."""
    x = alt.X("label:O", sort=volgorde, title=None, axis=alt.Axis(labelAngle=-45))
    vlak = (
        alt.Chart(band)
        .mark_area(color=ACCENT, opacity=0.15)
        .encode(x=x, y=alt.Y("onder:Q"), y2=alt.Y2("boven:Q"))
    )
    lijn = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=35), color=ACCENT)
        .encode(
            x=x,
            y=alt.Y(
                "waarde:Q",
                title=as_titel,
                axis=alt.Axis(format=formaat_as),
                scale=alt.Scale(zero=formaat_as != ".0%"),  # a share: zoom in on the band
            ),
            strokeDash=alt.StrokeDash(
                "reeks:N",
                scale=alt.Scale(domain=["Realisatie", "Prognose"], range=[[1, 0], [6, 4]]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("label:O", title="Maand"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("waarde:Q", title=as_titel, format=formaat_as),
                alt.Tooltip("onder:Q", title="80 % onder", format=formaat_as),
                alt.Tooltip("boven:Q", title="80 % boven", format=formaat_as),
            ],
        )
    )
    return alt.layer(*achter, vlak, lijn, *voor).properties(height=280, title=titel)


def _lijngegevens(data: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The datasets of `_lijnen`: the lines, and the prognose rows for the band."""
    if data.is_empty():  # no columns: the band is the same empty frame
        return {"reeks": data, "band": data}
    return {"reeks": data, "band": data.filter(pl.col("reeks") == "Prognose")}


def benutting_grafiek(reeks: pl.DataFrame, norm: tuple[float, float] | None) -> alt.LayerChart:
    """Cumulative benutting per month of the contract year: realised (solid) up to the
    peildatum, the prognose dashed after it with its 80 % band, the norm's green zone behind."""
    return benutting_sjabloon(reeks, norm).maak()


def benutting_sjabloon(reeks: pl.DataFrame, norm: tuple[float, float] | None) -> Sjabloon:
    """`benutting_grafiek` as a Sjabloon (weergave.grafieken.Sjabloon)."""
    data = _reeksen(reeks, "benutting_gerealiseerd", "benutting_verwacht", "benutting_onder",
                    "benutting_boven")  # fmt: skip
    gegevens = _lijngegevens(data)
    if norm is not None:
        gegevens["vlak"] = pl.DataFrame({"onder": [norm[0]], "boven": [norm[1]]})
    volgorde = _volgorde(data) if data.height else []

    def maak() -> alt.LayerChart:
        achter = []
        if norm is not None:
            achter.append(
                alt.Chart(gegevens["vlak"])
                .mark_rect(color=NORMBAND, opacity=0.12)
                .encode(y=alt.Y("onder:Q"), y2=alt.Y2("boven:Q"))
            )
        titel = "Benutting: realisatie en prognose (gestreept, met 80 %-band)"
        return _lijnen(data, gegevens["band"], volgorde, "Benutting cumulatief", ".0%", titel,
                       achter)  # fmt: skip

    vorm = ("benutting", norm is not None, tuple(volgorde), schema_van(data))
    return Sjabloon(vorm, gegevens, maak)


def kosten_grafiek(reeks: pl.DataFrame) -> alt.LayerChart:
    """Cumulative zorgkosten per month: realised (solid), prognose (dashed, 80 % band), and
    the voorschot as planned (grey)."""
    return kosten_sjabloon(reeks).maak()


def kosten_sjabloon(reeks: pl.DataFrame) -> Sjabloon:
    """`kosten_grafiek` as a Sjabloon (weergave.grafieken.Sjabloon)."""
    data = _reeksen(reeks, "zorgkosten_gerealiseerd", "zorgkosten_verwacht", "zorgkosten_onder",
                    "zorgkosten_boven")  # fmt: skip
    titel = "Zorgkosten: realisatie en prognose (gestreept) tegen het voorschot"
    gegevens = _lijngegevens(data)
    volgorde = _volgorde(data) if data.height else []
    if not reeks.is_empty():
        gegevens["voorschot"] = (
            _reeksen(reeks, "voorschot", "voorschot", "voorschot", "voorschot")
            .select("label", "waarde")
            .unique("label", maintain_order=True)  # the same rows in the same order each run
            .with_columns(reeks=pl.lit("Voorschot (gepland)"))
        )

    def maak() -> alt.LayerChart:
        if "voorschot" not in gegevens:
            return _lijnen(data, gegevens["band"], volgorde, "€ cumulatief", "$,.0f", titel)
        lijn = (
            alt.Chart(gegevens["voorschot"])
            .mark_line(color="#999999")
            .encode(
                x=alt.X("label:O", sort=volgorde),
                y=alt.Y("waarde:Q"),
                tooltip=[
                    alt.Tooltip("label:O", title="Maand"),
                    alt.Tooltip("waarde:Q", title="Voorschot cumulatief", format="$,.0f"),
                ],
            )
        )
        return _lijnen(data, gegevens["band"], volgorde, "€ cumulatief", "$,.0f", titel,
                       voor=[lijn])  # fmt: skip

    vorm = ("kosten", "voorschot" in gegevens, tuple(volgorde), schema_van(data))
    return Sjabloon(vorm, gegevens, maak)
