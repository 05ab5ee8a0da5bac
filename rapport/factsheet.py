"""Factsheet per aanbieder (PDF) for the CM-gesprek, in that provider's scope.

Peers are never named ('andere aanbieder') and counts of people are suppressed as CBS does;
both come from the data layer's provider scope (kpi.scope.beveilig and kpi.scope.peers). The
KPI values of all providers are computed once per period (grouped by aanbieder), so a batch of
factsheets costs one computation plus the rendering per provider.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

import altair as alt
import duckdb
import polars as pl
from dossier import Dossier
from kpi.aggregatie import GEEN
from kpi.berekening import Berekening
from kpi.filters import Filters
from kpi.normen import Normen
from kpi.periode import Periode
from kpi.registry import Registry
from kpi.scope import Scope, beveilig, peers
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table
from weergave import formaat, grafieken, privacy, tabellen
from weergave.meldingen import Melding

from rapport import pdf
from rapport import prognose as vooruit
from rapport.beeld import png
from rapport.gegevens import Context, lees_context, veilige_naam
from rapport.gesprek import Dossierdeel, dossierdeel, pdf_sectie

# The monthly trends: instroom and uitstroom in one chart, then one chart each.
TREND_GRAFIEKEN = ("lopend", "doorlooptijd", "tijdig_305")
TREND_KPIS = (*grafieken.STROOM_LIJNEN, *TREND_GRAFIEKEN)
BENCHMARK_GRAFIEK = ("doorlooptijd", "uitstroom_volgens_plan")
KERNCIJFERS = {
    "voorschot": "Voorschot",
    "zorgkosten": "Zorgkosten (zorgdagen × dagprijs)",
    "saldo_afrekening": "Verwacht saldo afrekening",
}


@dataclass(frozen=True)
class Periodegegevens:
    """The KPI values behind the factsheets of one period, grouped by aanbieder."""

    periode: Periode
    vorige: Periode
    filters: Filters
    kpis: pl.DataFrame  # per aanbieder, every KPI
    vorige_kpis: pl.DataFrame  # per aanbieder, the period before
    per_subsegment: pl.DataFrame  # per (subsegment, aanbieder): peers and doorlooptijd
    contracten: pl.DataFrame  # per (aanbieder, gemeente, subsegment): money
    trend: pl.DataFrame  # per month and aanbieder
    prognose: vooruit.Prognosegegevens = field(default_factory=vooruit.Prognosegegevens)

    def voor(self, agb: str) -> Periodegegevens:
        """Only what one provider's factsheet reads: its rows, and its sub-segments' peers."""
        eigen = pl.col("aanbieder") == agb
        subsegmenten = self.per_subsegment.filter(eigen)["subsegment"].unique()
        return replace(
            self,
            kpis=self.kpis.filter(eigen),
            vorige_kpis=self.vorige_kpis.filter(eigen),
            per_subsegment=self.per_subsegment.filter(
                pl.col("subsegment").is_in(subsegmenten.implode())
            ),
            contracten=self.contracten.filter(eigen),
            trend=self.trend.filter(eigen),
            prognose=self.prognose.voor(agb),
        )

    def aanbieders(self) -> list[str]:
        """Providers with at least one period-bound unit in the period."""
        met = self.kpis.filter(
            (pl.col("n") > 0) & (pl.col("aanbieder") != GEEN) & (pl.col("kpi") != "quarantaine")
        )
        return sorted(set(met["aanbieder"]))


def verzamel(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    filters: Filters | None = None,
    aanbieder: str | None = None,
    berekening: Berekening | None = None,
) -> Periodegegevens:
    """Compute once what the factsheets of a period need (one provider's, or all)."""
    b = berekening or Berekening(con)
    periode = Periode.parse(periode)
    vorige = tabellen.vorige_periode(periode)
    peers = (filters or Filters()).zonder("aanbieder")
    eigen = peers if aanbieder is None else replace(peers, aanbieder=(aanbieder,))
    per_aanbieder = ("aanbieder",)
    trend = [
        b.bereken(m, per_aanbieder, eigen, TREND_KPIS)
        for m in tabellen.trendperiode(periode).maanden()
    ]
    return Periodegegevens(
        periode=periode,
        vorige=vorige,
        filters=peers,
        kpis=b.bereken(periode, per_aanbieder, eigen),
        vorige_kpis=b.bereken(vorige, per_aanbieder, eigen),
        per_subsegment=b.bereken(
            periode,
            ("subsegment", "aanbieder"),
            peers,
            {*tabellen.POSITIE_KPIS, *tabellen.DOORLOOPTIJD_KPIS},
        ),
        contracten=b.bereken(
            periode, ("aanbieder", "gemeente", "subsegment"), eigen, b.registry.groep("geld")
        ),
        trend=pl.concat(trend, how="vertical"),
        prognose=vooruit.verzamel(b, eigen),
    )


@dataclass(frozen=True)
class Factsheet:
    """The content of one factsheet: display tables (text) and charts, nothing laid out yet."""

    aanbieder: str
    naam: str
    periode: Periode
    selectie: str
    context: Context
    kpis: pl.DataFrame
    vorige: Periode
    meldingen: tuple[Melding, ...]
    trends: alt.TopLevelMixin | None
    benchmark: alt.TopLevelMixin | None
    positie: pl.DataFrame
    kerncijfers: dict[str, str]
    contracten: pl.DataFrame
    doorlooptijden: pl.DataFrame
    berichten: pl.DataFrame
    definities: pl.DataFrame
    dossier: Dossierdeel | None = None  # the shared part of the CM-gesprek dossier
    prognose: vooruit.FactsheetPrognose | None = None


def _eigen(
    frame: pl.DataFrame, agb: str, registry: Registry, kpis: Iterable[str] | None = None
) -> pl.DataFrame:
    """The provider's own rows as its scope may see them (kpi.scope.beveilig)."""
    uit = frame.filter(pl.col("aanbieder") == agb)
    uit = uit if kpis is None else uit.filter(pl.col("kpi").is_in(list(kpis)))
    return beveilig(uit, registry)


def _selectietekst(filters: Filters, context: Context) -> str:
    delen = [
        f"{d}: {', '.join(context.naam(d, v) for v in waarden)}"
        for d, waarden in filters.zonder("aanbieder").gezet().items()
    ]
    return " · ".join(delen) or "alle gemeenten en segmenten"


def _trendreeks(g: Periodegegevens, agb: str, kpi_id: str, reg: Registry) -> pl.DataFrame:
    """A provider's monthly series as its scope may see it; every month present."""
    maanden = pl.DataFrame(
        {"periode_start": [m.start for m in tabellen.trendperiode(g.periode).maanden()]}
    )
    rijen = _eigen(g.trend, agb, reg, [kpi_id])
    if rijen.height:
        rijen = tabellen.met_tekst(rijen, reg).select(
            "periode_start", "waarde_getal", "tekst", "stoplicht", "n", "voorlopig"
        )
    else:
        rijen = pl.DataFrame(
            schema={"periode_start": pl.Date, "waarde_getal": pl.Float64, "tekst": pl.String,
                    "stoplicht": pl.String, "n": pl.Int64, "voorlopig": pl.Boolean}
        )  # fmt: skip
    return maanden.join(rijen, on="periode_start", how="left").with_columns(
        tekst=pl.col("tekst").fill_null(privacy.GEHEIM),
        stoplicht=pl.col("stoplicht").fill_null("grijs"),
    )


def _trends(g: Periodegegevens, agb: str, reg: Registry) -> alt.TopLevelMixin | None:
    if g.trend.filter(pl.col("aanbieder") == agb).is_empty():
        return None
    stroom = pl.concat(
        [
            _trendreeks(g, agb, k, reg).with_columns(reeks=pl.lit(reg[k].label))
            for k in grafieken.STROOM_LIJNEN
        ]
    )
    grafieken_ = [grafieken.lijnen(stroom, "aantal", "Instroom en uitstroom")]
    for k in TREND_GRAFIEKEN:
        periode_rij = _eigen(g.kpis, agb, reg, [k])
        norm = (
            tabellen.normband(periode_rij["norm_groen"][0], periode_rij["norm_deel"][0])
            if periode_rij.height
            else None
        )
        grafieken_.append(
            grafieken.trend(_trendreeks(g, agb, k, reg), reg[k].eenheid, reg[k].label, norm)
        )
    klein = [c.properties(width=290, height=150) for c in grafieken_]
    # each chart its own colours: the series of one are not the status of another
    return alt.vconcat(
        alt.hconcat(klein[0], klein[1]).resolve_scale(color="independent", shape="independent"),
        alt.hconcat(klein[2], klein[3]).resolve_scale(color="independent", shape="independent"),
    ).resolve_scale(color="independent", shape="independent")


def _positie(
    g: Periodegegevens, agb: str, naam: str, reg: Registry
) -> tuple[pl.DataFrame, alt.TopLevelMixin | None]:
    scope = Scope("aanbieder", aanbieder=agb)
    delen, grafieken_ = [], []
    for k in tabellen.POSITIE_KPIS:
        alle = g.per_subsegment.filter(pl.col("kpi") == k)
        # peers without code or name, only where at least 3 remain (kpi.scope.peers)
        bench = tabellen.benchmark_data(peers(alle, scope, reg), reg, k, {agb: naam})
        met_anderen = bench.filter(~pl.col("geselecteerd"))["subsegment"].unique()
        bench = bench.filter(pl.col("subsegment").is_in(met_anderen.implode()))
        if bench.is_empty() or not bench["geselecteerd"].any():
            continue
        delen.append(
            tabellen.positie(bench, beschermd=True).select(
                pl.lit(reg[k].label).alias("KPI"), pl.all()
            )
        )
        if k in BENCHMARK_GRAFIEK:
            grafieken_.append(
                grafieken.benchmark(bench, reg[k].eenheid, reg[k].label).properties(
                    width=250, height=alt.Step(26)
                )
            )
    positie = pl.concat(delen) if delen else pl.DataFrame()
    grafiek = alt.hconcat(*grafieken_, spacing=60) if grafieken_ else None
    return positie, grafiek


def inhoud(g: Periodegegevens, agb: str, context: Context) -> Factsheet:
    """The factsheet of one provider from the period's values, in that provider's scope."""
    reg = context.registry
    naam = context.naam("aanbieder", agb)
    ruw = g.kpis.filter(pl.col("aanbieder") == agb)
    alle = _eigen(g.kpis, agb, reg).filter(ruw["n"] > 0)
    # the previous period and the change stand beside the value (tabellen.kpi_tabel)
    kpis = tabellen.kpi_tabel(alle, reg, _eigen(g.vorige_kpis, agb, reg))
    if kpis.height:
        kpis = kpis.select(
            "KPI", "Waarde", "Vorige periode", "Verandering", "Stoplicht", "Norm", "n"
        )
    bedragen = dict(_eigen(g.kpis, agb, reg, KERNCIJFERS).select("kpi", "waarde").iter_rows())
    positie, benchmark = _positie(g, agb, naam, reg)
    contracten = tabellen.per_contract(_eigen(g.contracten, agb, reg), reg, context.gemeenten)
    if contracten.height:
        contracten = contracten.sort([c for c in ("Gemeente", "Sub-segment") if c in contracten])
    getoond = set(alle["kpi"]) | set(tabellen.POSITIE_KPIS) | set(tabellen.DOORLOOPTIJD_KPIS)
    return Factsheet(
        aanbieder=agb,
        naam=naam,
        periode=g.periode,
        selectie=_selectietekst(g.filters, context),
        context=context,
        kpis=kpis,
        vorige=g.vorige,
        meldingen=tuple(context.meldingen(g.periode)),
        trends=_trends(g, agb, reg),
        benchmark=benchmark,
        positie=positie,
        kerncijfers={
            label: formaat.euro(bedragen.get(k)) or "–" for k, label in KERNCIJFERS.items()
        },
        contracten=contracten,
        doorlooptijden=tabellen.doorlooptijden(
            _eigen(g.per_subsegment, agb, reg, tabellen.DOORLOOPTIJD_KPIS), reg
        ),
        berichten=tabellen.kpi_tabel(alle.filter(pl.col("kpi").is_in(reg.groep("berichten"))), reg),
        definities=tabellen.definities(reg)
        .filter(pl.col("KPI").is_in([k.label for k in reg if k.id in getoond]))
        .select("KPI", "Definitie", "Richting", "Minimum n"),
        prognose=vooruit.factsheet_inhoud(g.prognose.voor(agb), agb, context),
    )


def _mm(*breedtes: float) -> list[float]:
    """Column widths in mm, scaled to the text width."""
    totaal = sum(breedtes)
    return [pdf.BREEDTE * b / totaal for b in breedtes]


def _sectie(kop: str, *inhoud_: object) -> KeepTogether:
    return KeepTogether([pdf.alinea(kop, "kop"), *inhoud_])


def _leeg(wat: str) -> object:
    return pdf.alinea(f"Geen gegevens over {wat} in deze periode.", "klein")


def _inleiding_pdf(f: Factsheet) -> list:
    """Title, selection, how to read the figures, the notices and the KPIs against the norm."""
    p = f.periode
    verhaal: list = [
        pdf.alinea(f"Factsheet {f.naam}", "titel"),
        pdf.alinea(
            f"AGB {f.aanbieder} · {p.label} ({formaat.datum(p.start)} t/m "
            f"{formaat.datum(p.eind)}) · {f.selectie}",
            "ondertitel",
        ),
        Spacer(1, 4),
        pdf.alinea(
            "Voor het contractmanagementgesprek. Andere aanbieders staan er zonder naam in "
            "('andere aanbieder'). Aantallen cliënten en trajecten zijn afgerond op vijftallen; "
            f"0 tot en met 7 staat als '{privacy.GEHEIM}', net als een aandeel of mediaan op "
            "minder dan 8 trajecten.",
            "klein",
        ),
        pdf.alinea(
            "Stoplicht: ● groen = binnen de norm · ▲ oranje = let op · ■ rood = buiten de norm · "
            "○ grijs = geen norm, te weinig gegevens of voorlopig. Kan de norm per sub-segment "
            "verschillen, dan telt elk sub-segment tegen zijn eigen norm en krijgt een cijfer "
            "over meer sub-segmenten het slechtste licht; de kolom Norm noemt dan het "
            "sub-segment dat de doorslag gaf. "
            f"Vorige periode: {f.vorige.label}; verandering: het verschil daarmee en of dat "
            "beter of slechter is (de richting van de KPI beslist).",
            "klein",
        ),
        *(pdf.melding(m.tekst) for m in f.meldingen),
        pdf.alinea("KPI's tegen de norm", "kop"),
    ]
    if f.kpis.height:
        verhaal.append(
            pdf.tabel(
                f.kpis,
                _mm(28, 19, 18, 30, 18, 42, 10),
                ("Stoplicht",),
                rechts=("Waarde", "Vorige periode", "n"),
            )
        )
    else:
        verhaal.append(_leeg("deze aanbieder"))
    return verhaal


def _trends_pdf(f: Factsheet) -> KeepTogether:
    trends: list = [_leeg("het verloop per maand")]
    if f.trends is not None:
        trends = [
            pdf.afbeelding(png(f.trends), pdf.BREEDTE),
            pdf.alinea(
                "Per maand. Een maand waarin een aantal op 0 tot en met 7 uitkomt, of een "
                "mediaan of aandeel op minder dan 8 trajecten rust, ontbreekt (geheim). "
                "Groene band: de norm.",
                "klein",
            ),
        ]
    return _sectie("Trends", *trends)


def _positie_pdf(f: Factsheet) -> list:
    """The position among peers: chart and table, or why there is none."""
    if not f.positie.height:
        return [
            _sectie(
                "Positie tussen vergelijkbare aanbieders (zelfde sub-segment)",
                pdf.alinea(
                    "Te weinig vergelijkbare aanbieders: een vergelijking vraagt ten minste 3 "
                    "andere aanbieders in hetzelfde sub-segment.",
                    "klein",
                ),
            )
        ]
    return [
        KeepTogether(
            [pdf.alinea("Positie tussen vergelijkbare aanbieders (zelfde sub-segment)", "kop")]
            + ([pdf.afbeelding(png(f.benchmark), pdf.BREEDTE, 80 * mm)] if f.benchmark else [])
        ),
        pdf.tabel(
            f.positie,
            _mm(30, 30, 23, 18, 20, 20, 17, 17),
            rechts=f.positie.columns[2:],
        ),
        pdf.alinea(
            "Andere aanbieders: zonder naam, met n ten minste het minimum van de KPI; een "
            "sub-segment met minder dan 3 andere aanbieders staat er niet in.",
            "klein",
        ),
    ]


def _geld_pdf(f: Factsheet) -> KeepTogether:
    """The key amounts and the table per contract."""
    kern = Table(
        [
            [pdf.alinea(label, "klein") for label in f.kerncijfers],
            [pdf.alinea(bedrag, "kerncijfer") for bedrag in f.kerncijfers.values()],
        ],
        colWidths=_mm(1, 1, 1),
        hAlign="LEFT",
    )
    geld: list = [kern, pdf.alinea("Verwacht saldo: voorschot min zorgkosten; positief: de "
                                   "aanbieder betaalt terug.", "klein"), Spacer(1, 4)]  # fmt: skip
    if f.contracten.height:
        breed = {"Gemeente": 20, "Sub-segment": 27, "Zorgdagen": 20,
                 "Plekdagen (gecontracteerd)": 29, "Benutting": 18, "Voorschot": 22,
                 "Zorgkosten": 22, "Verwacht saldo": 22}  # fmt: skip
        kolommen = f.contracten.columns
        geld.append(
            pdf.tabel(
                f.contracten,
                _mm(*(breed.get(k, 20) for k in kolommen)),
                ("Benutting",),
                rechts=[k for k in kolommen if k not in ("Gemeente", "Sub-segment")],
            )
        )
    return _sectie("Benutting, voorschot en zorgkosten per contract", *geld)


def _doorlooptijd_pdf(f: Factsheet) -> KeepTogether:
    if f.doorlooptijden.height:
        dlt = [
            pdf.tabel(
                f.doorlooptijden,
                _mm(*([34] + [24] * (f.doorlooptijden.width - 1))),
                ("Mediaan (dagen)", "Werkelijk / opgegeven"),
                rechts=f.doorlooptijden.columns[1:],
            ),
            pdf.alinea(
                "Opgegeven: de gemiddelde doorlooptijd uit de inschrijving (contract) over de "
                "beëindigde trajecten; boven 100 % duurt het langer dan opgegeven.",
                "klein",
            ),
        ]
    else:
        dlt = [_leeg("beëindigde trajecten")]
    return _sectie("Opgegeven en werkelijke doorlooptijd", *dlt)


def _berichten_pdf(f: Factsheet) -> KeepTogether:
    berichten = [_leeg("berichten")]
    if f.berichten.height:
        berichten = [
            pdf.tabel(
                f.berichten.select("KPI", "Waarde", "Stoplicht", "Norm", "Teller", "Noemer", "n"),
                _mm(38, 19, 24, 44, 15, 15, 14),
                ("Stoplicht",),
                rechts=("Waarde", "Teller", "Noemer", "n"),
            )
        ]
    return _sectie("Berichtenverkeer", *berichten)


def factsheet_pdf(f: Factsheet) -> bytes:
    """Lay out a factsheet as an A4 PDF: KPIs, trends, peers, money, durations, messages,
    definitions; peildatum and data source in the footer of every page."""
    p, ctx = f.periode, f.context
    verhaal: list = [
        *_inleiding_pdf(f),
        PageBreak(),
        _trends_pdf(f),
        *_positie_pdf(f),
        _geld_pdf(f),
        *vooruit.factsheet_sectie(f.prognose),
        _doorlooptijd_pdf(f),
        _berichten_pdf(f),
        *pdf_sectie(f.dossier, ctx.registry),
        PageBreak(),
        pdf.alinea("Definities", "kop"),
        pdf.tabel(f.definities, _mm(36, 108, 22, 16), rechts=("Minimum n",)),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pdf.PAGINA,
        leftMargin=pdf.MARGE,
        rightMargin=pdf.MARGE,
        topMargin=pdf.MARGE,
        bottomMargin=20 * mm,
        title=f"Factsheet {f.naam} {p.label}",
        author="Stoplicht",
        subject=f"Factsheet {p.label}",
    )
    voet = (
        f"Stoplicht · factsheet {f.naam} (AGB {f.aanbieder}) · {p.label} · "
        f"peildatum {formaat.datum(ctx.peildatum)}",
        ctx.bron,
    )
    doc.build(verhaal, canvasmaker=pdf.genummerd_canvas(voet))
    return buffer.getvalue()


def maak_factsheet(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    aanbieder: str,
    filters: Filters | None = None,
    dossier: Dossier | None = None,
    normen: Normen | Path | str | None = None,
) -> bytes:
    """The factsheet PDF of one provider for a period (optionally within other filters); with
    a dossier, its shared agenda, afspraken and toelichting are in it. `normen`: the norms
    the figures are judged by (default kpi/normen.toml)."""
    context = lees_context(con, normen=normen)
    g = verzamel(con, periode, filters, aanbieder=aanbieder, berekening=context.berekening(con))
    deel = None if dossier is None else dossierdeel(dossier, aanbieder, g.periode)
    return factsheet_pdf(replace(inhoud(g, aanbieder, context), dossier=deel))


def bestandsnaam(agb: str, naam: str) -> str:
    """'Zorg-A-B-V_01234567.pdf': the provider's name made safe, with its AGB."""
    return f"{veilige_naam(naam)}_{agb}.pdf"


Voortgang = Callable[[Iterable[Path], int], Iterable[Path]]
Taak = tuple[Periodegegevens, Context, str, Path, Dossierdeel | None]


def _opwarmen() -> None:
    """Start of a worker: load the modules and the chart renderer (its first call is slow)."""
    png(alt.Chart(pl.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))


def _schrijf(taak: Taak) -> Path:
    g, context, agb, pad, deel = taak
    pad.write_bytes(factsheet_pdf(replace(inhoud(g, agb, context), dossier=deel)))
    return pad


def factsheets(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    map_: Path,
    filters: Filters | None = None,
    voortgang: Voortgang = lambda paden, _totaal: paden,
    processen: int = 1,
    dossier: Dossier | None = None,
    normen: Normen | Path | str | None = None,
) -> list[Path]:
    """One factsheet PDF per provider with data in the period, written into `map_`.

    The KPI values are computed once; the rendering (charts, PDF) runs in `processen`
    processes, which start while the values are computed. `voortgang(paden, totaal)` wraps
    the stream of written files (e.g. tqdm). With a `dossier`, each factsheet holds its
    provider's shared agenda, afspraken and toelichting for the period.
    """
    pool = None
    if processen > 1:
        # spawn, not fork: a forked process can inherit a locked polars or DuckDB thread pool
        pool = ProcessPoolExecutor(
            processen, mp_context=get_context("spawn"), initializer=_opwarmen
        )
        for _ in range(processen):
            pool.submit(int)  # start the workers now; they warm up during `verzamel`
    try:
        context = lees_context(con, normen=normen)
        g = verzamel(con, periode, filters, berekening=context.berekening(con))
        map_.mkdir(parents=True, exist_ok=True)
        kies = set(filters.aanbieder) if filters and filters.aanbieder else None
        taken: list[Taak] = [
            (
                g.voor(agb),
                context,
                agb,
                map_ / bestandsnaam(agb, context.naam("aanbieder", agb)),
                None if dossier is None else dossierdeel(dossier, agb, g.periode),
            )
            for agb in g.aanbieders()
            if kies is None or agb in kies
        ]
        if pool is None:
            return list(voortgang(map(_schrijf, taken), len(taken)))
        return list(voortgang(pool.map(_schrijf, taken), len(taken)))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
