"""Altair chart builders: each returns an alt.Chart and never calls Streamlit."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import altair as alt
import polars as pl
from kpi.per_waarde import per_waarde

from weergave import formaat
from weergave.kleuren import ACCENT, NORMBAND, STOPLICHT_KLEUR, STOPLICHT_VOLGORDE


def keuze(kanaal: type[alt.SchemaBase], test: object, ja: object, nee: object) -> alt.SchemaBase:
    """alt.condition(test, alt.value(ja), alt.value(nee)) as the channel's own value object
    (alt.ColorValue, alt.SizeValue, ...): the same spec, but encode() takes it as it is.

    Why: encode() turns a plain dict or a shorthand string into a channel object with
    Altair's from_dict, which hashes the whole schema each call (about 7 ms; several per
    chart on every page run). Channels are therefore written as objects (alt.Y2("boven:Q"),
    not y2="boven:Q"); tests/test_weergave_grafieken_kanalen.py compares both forms.
    """
    return kanaal(**alt.condition(test, alt.value(ja), alt.value(nee)))


@dataclass(frozen=True)
class Sjabloon:
    """A chart described for a template (ui.componenten.toon_sjabloon): `maak` builds it from
    exactly the frames in `gegevens` (no other data), and `vorm` holds everything else that
    shapes its spec (titles, units, which layers there are, the order of an axis), so two
    charts with the same `vorm` differ only in their datasets.

    Why: building a layered Altair chart and turning it into Vega-Lite was a third of a
    provider page's run, for a spec that is the same for every provider but for the data
    (bench/README "Many users at once"). tests/test_ui_grafiek.py compares the template's
    spec with the plain one for every provider of the test warehouse.
    """

    vorm: tuple
    gegevens: Mapping[str, pl.DataFrame]
    maak: Callable[[], alt.TopLevelMixin]


def schema_van(frame: pl.DataFrame) -> tuple[tuple[str, str], ...]:
    """A frame's columns and types, for a Sjabloon's `vorm`."""
    return tuple((k, str(v)) for k, v in frame.schema.items())


DUTCH_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€ ", ""],
    "minus": "-",  # the hyphen weergave.formaat writes, not U+2212
}
DUTCH_TIME = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                    "dec"],
}  # fmt: skip

MAAND_KORT = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def maandlabel(kolom: str) -> pl.Expr:
    """A date column as 'mrt 2024' (a Polars expression: no Python per value, kpi/per_waarde)."""
    maand = (
        pl.col(kolom)
        .dt.month()
        .replace_strict(dict(enumerate(MAAND_KORT, start=1)), return_dtype=pl.String)
    )
    return pl.concat_str(maand, pl.col(kolom).dt.year().cast(pl.String), separator=" ")


_STOPLICHT_SCHAAL = alt.Scale(
    domain=list(STOPLICHT_VOLGORDE), range=[STOPLICHT_KLEUR[k] for k in STOPLICHT_VOLGORDE]
)


def thema() -> alt.theme.ThemeConfig:
    """The one chart theme: Dutch number format, quiet axes, the house font sizes."""
    return {  # type: ignore[return-value]
        "config": {
            "locale": {"number": DUTCH_LOCALE, "time": DUTCH_TIME},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "title": {"fontSize": 14, "anchor": "start"},
            "range": {"category": ["#1F4E79", "#56B4E9", "#E69F00", "#009E73", "#CC79A7"]},
        }
    }


alt.theme.register("stoplicht", enable=True)(thema)


def _as(eenheid: str) -> str:
    """Axis number format for a unit."""
    return {"aandeel": ".0%", "verhouding": ".0%", "euro": "$,.0f", "dagen": ",.0f"}.get(
        eenheid, ",.0f"
    )


def _as_tooltip(eenheid: str) -> str:
    """Tooltip number format for a unit (one decimal more than the axis)."""
    return {"aandeel": ".1%", "verhouding": ".1%", "euro": "$,.0f", "dagen": ",.1~f"}.get(
        eenheid, ",.0f"
    )


# Money on an axis as weergave.formaat.euro writes it, '€ -1.234' (d3's currency format would
# put the sign first, '-€ 1.234'): one style for negative amounts on screen and in exports.
EURO_LABEL = "'€ ' + format(datum.value, ',.0f')"


def as_formaat(eenheid: str) -> alt.Axis:
    """An axis for a unit: Dutch numbers, money as '€ -1.234'."""
    if eenheid == "euro":
        return alt.Axis(labelExpr=EURO_LABEL)
    return alt.Axis(format=_as(eenheid))


EENHEID_OP_AS = {
    "dagen": "dagen", "aandeel": "%", "verhouding": "%", "euro": "€", "aantal": "aantal"
}  # fmt: skip


def astitel(titel: str, eenheid: str) -> str:
    """An axis title with its unit: 'Doorlooptijd (dagen)'."""
    eenheid_tekst = EENHEID_OP_AS.get(eenheid)
    return f"{titel} ({eenheid_tekst})" if eenheid_tekst else titel


def matrix(lang: pl.DataFrame, hoogte_per_rij: int = 26, titel: str = "Stoplicht") -> alt.Chart:
    """The stoplicht matrix: rows × KPIs, coloured cells with value and symbol; norm on hover.

    Sized by its rows: each row gets `hoogte_per_rij` pixels (a step, not a total height, which
    the dashboard would fit the axis labels into as well and so squash a few rows to nothing).
    """
    rijen = lang.select("rij", "rij_volgorde").unique().sort("rij_volgorde")["rij"].to_list()
    kolommen = lang.sort("kpi_volgorde").select("kpi_label").unique(maintain_order=True)
    selectie = alt.selection_point(name="cel", fields=["rij", "kpi"], on="click")
    vergelijking = [  # the previous period, where the page computed it (tabellen.matrix_lang)
        alt.Tooltip(f"{kolom}:N", title=titel)
        for kolom, titel in (("vorige_tekst", "Vorige periode"), ("verandering", "Verandering"))
        if kolom in lang.columns
    ]
    basis = alt.Chart(lang).encode(
        x=alt.X("kpi_label:N", sort=kolommen["kpi_label"].to_list(), title=None,
                axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=180)),
        y=alt.Y("rij:N", sort=rijen, title=None, axis=alt.Axis(labelLimit=260)),
    )  # fmt: skip
    vlakken = (
        basis.mark_rect(stroke="white", strokeWidth=2)
        .encode(
            color=alt.Color("stoplicht:N", scale=_STOPLICHT_SCHAAL, title="Stoplicht"),
            opacity=keuze(alt.OpacityValue, selectie, 1.0, 0.85),
            tooltip=[
                alt.Tooltip("rij:N", title="Rij"),
                alt.Tooltip("kpi_label:N", title="KPI"),
                alt.Tooltip("tekst:N", title="Waarde"),
                alt.Tooltip("stoplicht_tekst:N", title="Stoplicht"),
                alt.Tooltip("norm:N", title="Norm"),
                *vergelijking,
                alt.Tooltip("n:Q", title="n", format=",.0f"),
            ],
        )
        .add_params(selectie)
    )
    teksten = basis.mark_text(fontSize=11).encode(
        text=alt.Text("cel:N"),
        color=keuze(alt.ColorValue, alt.datum.stoplicht == "rood", "white", "#1a1a1a"),
    )
    return (vlakken + teksten).properties(
        height=alt.Step(hoogte_per_rij),
        width=alt.Step(100),
        title=titel,
        description=f"{titel}: {len(rijen)} rijen × {len(kolommen)} KPI's; elke cel toont de "
        "waarde en het stoplicht (symbool en kleur).",
    )


def trend(reeks: pl.DataFrame, eenheid: str, titel: str, norm: tuple | None = None) -> alt.Chart:
    """KPI by month with, where a fixed norm exists, the green band behind it. A voorlopig
    month is a grey diamond ('voorlopig' in legend and tooltip); a share's axis stops at
    100 %."""
    voorlopig = pl.col("voorlopig").fill_null(False) if "voorlopig" in reeks.columns else False
    data = reeks.sort("periode_start").select(
        maandlabel("periode_start").alias("maand"), pl.col("waarde_getal"), pl.col("stoplicht"),
        pl.col("tekst"), pl.col("n"),
        pl.when(voorlopig).then(pl.lit("voorlopig")).otherwise(pl.lit("definitief"))
        .alias("status"),
    )  # fmt: skip
    schaal = alt.Scale(domainMax=1, clamp=True) if eenheid == "aandeel" else alt.Undefined
    basis = alt.Chart(data).encode(
        x=alt.X("maand:O", title=None, sort=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(
            "waarde_getal:Q", title=astitel(titel, eenheid), axis=as_formaat(eenheid), scale=schaal
        ),
        tooltip=[
            alt.Tooltip("maand:O", title="Maand"),
            alt.Tooltip("tekst:N", title=titel),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("n:Q", title="n"),
        ],
    )
    lijn = basis.mark_line(color=ACCENT)
    punten = basis.mark_point(size=40, filled=True).encode(
        color=alt.Color(
            "status:N",
            scale=alt.Scale(
                domain=["definitief", "voorlopig"], range=[ACCENT, STOPLICHT_KLEUR["grijs"]]
            ),
            title=None,
            legend=alt.Legend(orient="top") if "voorlopig" in set(data["status"]) else None,
        ),
        shape=alt.Shape(
            "status:N",
            scale=alt.Scale(domain=["definitief", "voorlopig"], range=["circle", "diamond"]),
            legend=None,
        ),
    )
    lagen: list[alt.Chart] = []
    if norm is not None:
        onder, boven = norm
        if eenheid == "aandeel":
            boven = min(boven, 1.0)  # a share never passes 100 %
        band = pl.DataFrame({"onder": [onder], "boven": [boven]})
        lagen.append(
            alt.Chart(band)
            .mark_rect(color=NORMBAND, opacity=0.12)
            .encode(y=alt.Y("onder:Q"), y2=alt.Y2("boven:Q"))
        )
    uitleg = " met de groene zone van de norm als vlak" if norm is not None else ""
    return alt.layer(*lagen, lijn, punten).properties(
        height=260,
        title=titel,
        description=f"{titel} per maand, {data.height} maanden{uitleg}.",
    )


def verdeling(data: pl.DataFrame, dimensie_label: str, eenheid: str, titel: str) -> alt.Chart:
    """Horizontal bars per group (gemeente, segment, aanbieder), coloured by stoplicht."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("naam:N", sort="-x", title=dimensie_label, axis=alt.Axis(labelLimit=240)),
            x=alt.X("waarde_getal:Q", title=astitel(titel, eenheid), axis=as_formaat(eenheid)),
            color=alt.Color("stoplicht:N", scale=_STOPLICHT_SCHAAL, title="Stoplicht"),
            tooltip=[
                alt.Tooltip("naam:N", title=dimensie_label),
                alt.Tooltip("tekst:N", title=titel),
                alt.Tooltip("stoplicht_tekst:N", title="Stoplicht"),
                alt.Tooltip("n:Q", title="n"),
            ],
        )
        .properties(
            height=alt.Step(24),
            title=f"{titel} per {dimensie_label.lower()}",
            description=f"{titel} per {dimensie_label.lower()}: {data.height} staven, gekleurd "
            "naar het stoplicht.",
        )
    )


def benchmark(data: pl.DataFrame, eenheid: str, titel: str) -> alt.LayerChart:
    """Distribution over providers: one dot each, the selected provider highlighted.

    Behind the dots, per sub-segment, the green zone of the norm (columns norm_onder and
    norm_boven of weergave.tabellen.benchmark_data, where known) and a stripe at the median of
    the other providers.
    """
    return benchmark_sjabloon(data, eenheid, titel).maak()


def benchmark_sjabloon(data: pl.DataFrame, eenheid: str, titel: str) -> Sjabloon:
    """`benchmark` as a Sjabloon: one dataset, the layers decided by the data's columns."""
    heeft_band = {"norm_onder", "norm_boven", "norm_tekst"} <= set(data.columns) and bool(
        data["norm_onder"].is_not_null().any()
    )
    heeft_mediaan = (
        data.filter(~pl.col("geselecteerd") & pl.col("waarde_getal").is_not_null()).height > 0
    )
    return Sjabloon(
        ("benchmark", eenheid, titel, heeft_band, heeft_mediaan, schema_van(data)),
        {"bench": data},
        lambda: _benchmark(data, eenheid, titel, heeft_band, heeft_mediaan),
    )


def _benchmark(
    data: pl.DataFrame, eenheid: str, titel: str, heeft_band: bool, heeft_mediaan: bool
) -> alt.LayerChart:
    x_titel = astitel(titel, eenheid)
    basis = alt.Chart(data).encode(
        x=alt.X("waarde_getal:Q", title=x_titel, axis=as_formaat(eenheid)),
        y=alt.Y("subsegment:N", title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("aanbieder_label:N", title="Aanbieder"),
            alt.Tooltip("tekst:N", title=titel),
            alt.Tooltip("n:Q", title="n"),
        ],
    )
    punten = basis.mark_circle(size=90, opacity=0.55).encode(
        color=keuze(alt.ColorValue, alt.datum.geselecteerd, ACCENT, "#9aa5b1"),
        size=keuze(alt.SizeValue, alt.datum.geselecteerd, 260, 90),
    )
    # Band and median are drawn from the same data (Vega aggregates), so the chart carries
    # one dataset: what a reader (or a leak test) sees in it is all there is.
    lagen: list[alt.Chart] = []
    if heeft_band:
        lagen.append(
            alt.Chart(data)
            .transform_filter("isValid(datum.norm_onder)")
            .transform_aggregate(
                norm_onder="min(norm_onder)",
                norm_boven="max(norm_boven)",
                norm_tekst="min(norm_tekst)",
                groupby=["subsegment"],
            )
            .mark_bar(color=NORMBAND, opacity=0.18, height={"band": 0.8})
            .encode(
                x=alt.X("norm_onder:Q", title=x_titel, axis=as_formaat(eenheid)),
                x2=alt.X2("norm_boven:Q"),
                y=alt.Y("subsegment:N", title=None),
                tooltip=[alt.Tooltip("norm_tekst:N", title="Groene zone van de norm")],
            )
        )
    if heeft_mediaan:
        lagen.append(
            alt.Chart(data)
            .transform_filter("!datum.geselecteerd && isValid(datum.waarde_getal)")
            .transform_aggregate(mediaan="median(waarde_getal)", groupby=["subsegment"])
            .mark_tick(color="#1a1a1a", thickness=2, size=30)
            .encode(
                x=alt.X("mediaan:Q", title=x_titel),
                y=alt.Y("subsegment:N", title=None),
                tooltip=[
                    alt.Tooltip("subsegment:N", title="Sub-segment"),
                    alt.Tooltip(
                        "mediaan:Q", title="Mediaan andere aanbieders", format=_as_tooltip(eenheid)
                    ),
                ],
            )
        )
    return alt.layer(*lagen, punten).properties(
        height=alt.Step(38),
        title=titel,
        description=f"{titel}: per sub-segment een punt per aanbieder, de gekozen aanbieder "
        "groot en donker, een streep op de mediaan van de andere aanbieders"
        + (" en een groen vlak voor de groene zone van de norm." if heeft_band else "."),
    )


# The four lines of the Financiën chart, each in its own style so that none hides another:
# the plan a wide pale band drawn first (the realisatie runs through it, it stays visible);
# last year thin; the outlook dashed in another colour; realisatie solid with points, on top.
CUMULATIEF_REEKSEN = ("Prognose", "Realisatie", "Realisatie vorig jaar", "Verwachting")
CUMULATIEF_STIJL = {
    "Prognose": {"kleur": "#9e9e9e", "streep": [1, 0], "dikte": 10, "dekking": 0.35},
    "Realisatie": {"kleur": ACCENT, "streep": [1, 0], "dikte": 2.5, "dekking": 1.0},
    "Realisatie vorig jaar": {"kleur": "#56B4E9", "streep": [1, 0], "dikte": 1.5, "dekking": 1.0},
    "Verwachting": {"kleur": "#E69F00", "streep": [6, 4], "dikte": 2.5, "dekking": 1.0},
}


def cumulatief(data: pl.DataFrame, titel: str = "Uitgaven cumulatief") -> alt.LayerChart:
    """Cumulative spending per month of the plan year (tabellen.cumulatief: reeks, maand,
    label, bedrag): the plan as a pale band behind, last year thin, the outlook dashed, the
    realisatie on top (CUMULATIEF_STIJL); one colour legend."""
    volgorde = data.sort("maand").select("label").unique(maintain_order=True)["label"].to_list()
    kleur = alt.Scale(
        domain=list(CUMULATIEF_REEKSEN),
        range=[CUMULATIEF_STIJL[r]["kleur"] for r in CUMULATIEF_REEKSEN],
    )
    basis = alt.Chart(data).encode(
        x=alt.X("label:O", title=None, sort=volgorde, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("bedrag:Q", title="€ cumulatief", axis=as_formaat("euro")),
        color=alt.Color(
            "reeks:N",
            scale=kleur,
            title=None,
            legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=4, symbolOpacity=1),
        ),
        tooltip=[
            alt.Tooltip("reeks:N", title="Reeks"),
            alt.Tooltip("label:O", title="Maand"),
            alt.Tooltip("bedrag_tekst:N", title="Bedrag"),
        ],
    )
    bedrag_tekst = EURO_LABEL.replace("datum.value", "datum.bedrag")  # '€ -158', as in tables

    def laag(reeks: str, **punt: object) -> alt.Chart:
        stijl = CUMULATIEF_STIJL[reeks]
        return (
            basis.transform_filter(alt.datum.reeks == reeks)
            .transform_calculate(bedrag_tekst=bedrag_tekst)
            .mark_line(
                strokeWidth=stijl["dikte"],
                strokeDash=stijl["streep"],
                opacity=stijl["dekking"],
                strokeCap="round",
                point=alt.OverlayMarkDef(**punt) if punt else False,
            )
        )

    return alt.layer(
        laag("Prognose"),
        laag("Realisatie vorig jaar"),
        laag("Verwachting", size=30, filled=False),
        laag("Realisatie", size=45, filled=True),
    ).properties(
        height=320,
        title=titel,
        description=f"{titel} per maand: de prognose als breed vlak, de realisatie, de "
        "realisatie vorig jaar en de verwachting (gestippeld), elk een eigen lijn.",
    )


def _afgerond_omlaag(x: float) -> float:
    """A round number at or below x (16.734.000 → 16.000.000)."""
    if x <= 0:
        return 0.0
    stap = 10 ** (math.floor(math.log10(x)) - 1)
    return math.floor(x / stap) * stap


def waterval(stappen: pl.DataFrame, titel: str = "Uitgaven: begroot → werkelijk") -> alt.LayerChart:
    """Waterfall from the budget (and target) via hoeveelheids- and prijsverschil to real spending.

    `stappen`: columns stap (label), bedrag (the step; totals as their level), soort
    ('totaal' | 'verschil'), in order. When the differences are small against the totals the
    axis starts near them (said in the axis title), and every bar carries its amount.
    """
    rijen = []
    niveau = 0.0
    for stap, bedrag, soort in stappen.select("stap", "bedrag", "soort").iter_rows():
        if soort == "totaal":
            rijen.append((stap, 0.0, bedrag, bedrag, "totaal"))
            niveau = bedrag
        else:
            rijen.append(
                (stap, niveau, niveau + bedrag, bedrag, "hoger" if bedrag > 0 else "lager")
            )
            niveau += bedrag
    niveaus = [x for r in rijen for x in (r[1], r[2]) if r[4] != "totaal"] + [
        r[2] for r in rijen if r[4] == "totaal"
    ]
    laag, hoog = min(niveaus), max(niveaus)
    basis = 0.0
    if laag > 0 and hoog - laag < 0.2 * hoog:
        basis = _afgerond_omlaag(laag - 2 * (hoog - laag))
    data = pl.DataFrame(
        [(s, basis if k == "totaal" else v, t, b, k) for s, v, t, b, k in rijen],
        schema=["stap", "van", "tot", "bedrag", "soort"],
        orient="row",
    ).with_columns(
        boven=pl.max_horizontal("van", "tot"),
    )
    data = data.with_columns(
        per_waarde(data["bedrag"], lambda x: formaat.euro(x, 0), pl.String).alias("bedrag_tekst")
    )
    kleur = alt.Scale(domain=["totaal", "hoger", "lager"], range=[ACCENT, "#C0392B", "#009E73"])
    as_titel = "€" if basis == 0 else "€ (de as begint niet bij 0)"
    schaal = alt.Scale(zero=False, domainMin=basis) if basis else alt.Scale(zero=False)
    basis_grafiek = alt.Chart(data).encode(
        x=alt.X("stap:N", sort=data["stap"].to_list(), title=None, axis=alt.Axis(labelAngle=0))
    )
    staven = basis_grafiek.mark_bar(size=46).encode(
        y=alt.Y("van:Q", title=as_titel, axis=as_formaat("euro"), scale=schaal),
        y2=alt.Y2("tot:Q"),
        color=alt.Color("soort:N", scale=kleur, legend=None),
        tooltip=[
            alt.Tooltip("stap:N", title="Stap"),
            alt.Tooltip("bedrag_tekst:N", title="Bedrag"),
        ],
    )
    bedragen = basis_grafiek.mark_text(dy=-8, fontSize=11).encode(
        y=alt.Y("boven:Q"), text=alt.Text("bedrag_tekst:N")
    )
    return alt.layer(staven, bedragen).properties(
        height=300,
        title=titel,
        description=f"{titel}: staven van de target-uitgaven via het hoeveelheids- en het "
        "prijsverschil naar de werkelijke uitgaven, elk met het bedrag erboven.",
    )


# The KPIs the in- and outflow chart draws as two lines in one chart (`lijnen`), in the
# factsheet and in the board deck alike.
STROOM_LIJNEN = ("instroom", "uitstroom")


def lijnen(data: pl.DataFrame, eenheid: str, titel: str) -> alt.Chart:
    """Several series by month in one chart (e.g. instroom and uitstroom), one colour each.

    `data`: columns periode_start (date), reeks (label), waarde_getal, tekst.
    """
    volgorde = data["reeks"].unique(maintain_order=True).to_list()
    maanden = data.sort("periode_start").select(
        maandlabel("periode_start").alias("maand"),
        pl.col("reeks"), pl.col("waarde_getal"), pl.col("tekst"),
    )  # fmt: skip
    return (
        alt.Chart(maanden)
        .mark_line(point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X("maand:O", title=None, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("waarde_getal:Q", title=astitel(titel, eenheid), axis=as_formaat(eenheid)),
            color=alt.Color("reeks:N", title=None, sort=volgorde, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("maand:O", title="Maand"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("tekst:N", title=titel),
            ],
        )
        .properties(
            height=260,
            title=titel,
            description=f"{titel} per maand: {', '.join(volgorde)}, elk een lijn.",
        )
    )
