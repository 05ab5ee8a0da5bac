"""Small building blocks shared by the pages: header, empty message, downloads, legend."""

from __future__ import annotations

import inspect
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

import altair as alt
import polars as pl
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec, _to_arrow_dataset

from kpi.berekening import Uitleg
from kpi.export import zonder_formules
from kpi.financien import Uitgavenreeks, Verschiloverzicht
from kpi.periode import Periode
from kpi.registry import Kpi
from kpi.scope import Scope
from ui import data, opmaak
from ui.data import FilterWaarden, Opties
from ui.filters import Selectie
from weergave import formaat, meldingen, onderliggend, privacy, tabellen
from weergave.grafieken import Sjabloon
from weergave.kleuren import STOPLICHT_ACHTERGROND


def huidige_selectie() -> Selectie:
    """The selection the router made for this run."""
    return st.session_state["selectie"]


def huidige_scope() -> Scope:
    """The scope (role) the router established for this session."""
    return st.session_state["scope"]


# Markdown's special characters; a name from the data gets them escaped (see `letterlijk`).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=^])")
# Streamlit turns bare addresses into links after the Markdown is parsed, so an escape does
# not stop that: an invisible word joiner (U+2060) inside "://", "www." and before "@" does.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WOORDVERBINDER = "\u2060"


def letterlijk(tekst: str, *, links: bool = False) -> str:
    """Text (a name from the data) that Streamlit's Markdown shows as it is, on one line.

    `links=True` lets a bare address stay a link (the e-mail address one logged in with).
    """
    een_regel = " ".join(str(tekst).split())
    if not links:
        een_regel = _AUTOLINK.sub(WOORDVERBINDER, een_regel)
    return _MARKDOWN.sub(r"\\\1", een_regel)


def kop(titel: str, selectie: Selectie, opties: Opties) -> None:
    """Page title plus one line saying what is shown, and what the reader must know about
    the period (after the peildatum, before the data, in the nulmeting). Names from the
    data are shown literally, not as Markdown."""
    st.title(letterlijk(titel))
    delen = [selectie.periode_object.label]
    for d, code in selectie.waarden.items():
        delen.append(f"{d}: {letterlijk(opties.naam(d, code))}")
    if not selectie.waarden:
        delen.append("hele regio")
    st.caption(" · ".join(delen) + f" · peildatum {formaat.datum(opties.peildatum)}")
    periode_meldingen(selectie.periode_object, opties)


def periode_meldingen(periode: Periode, opties: Opties) -> None:
    """The notices of weergave.meldingen for a period: a warning when the figures are not
    what they seem (after the peildatum, before the data), a note for the nulmeting."""
    for melding in meldingen.periode_meldingen(
        periode, opties.peildatum, data.eerste_datum(), data.normen().nulmeting
    ):
        if melding.niveau == "waarschuwing":
            st.warning(melding.tekst, icon=":material/event_busy:")
        else:
            st.info(melding.tekst, icon=":material/science:")


def leeg(wat: str = "deze selectie") -> None:
    """Say in words that there is nothing to show."""
    st.info(
        f"Geen gegevens voor {wat}. Kies een andere periode of maak een filter ruimer.",
        icon=":material/filter_alt_off:",
    )


def niet_van_toepassing(kpi: Kpi, periode: Periode) -> bool:
    """Say so when a KPI is not part of the KPI set in the period (judged on its last day)."""
    if kpi.van_kracht(periode.eind):
        return False
    st.info(
        f"{kpi.label}: {tabellen.NIET_VAN_TOEPASSING} in {periode.label}. De KPI hoort bij de "
        f"afgesproken set {tabellen.geldigheidstekst(kpi.geldig_van, kpi.geldig_tot)}.",
        icon=":material/event_busy:",
    )
    return True


def heeft_gegevens(resultaat: pl.DataFrame) -> bool:
    """True when a KPI result rests on at least one unit (n > 0 somewhere)."""
    return resultaat.height > 0 and int(resultaat["n"].sum()) > 0


def stoplicht_legenda() -> None:
    """The legend: symbol and word, never colour alone."""
    st.caption(
        "Stoplicht: ● groen = binnen de norm · ▲ oranje = let op · ■ rood = buiten de norm · "
        "○ grijs = geen norm, te weinig gegevens (n onder het minimum) of voorlopig. "
        "Beweeg over een cel voor de norm."
    )


def kleur_cellen(breed: pl.DataFrame, kleuren: dict[tuple[str, str], str], rijkolom: str = "Rij"):
    """A pandas Styler colouring each KPI cell by its stoplicht (for st.dataframe)."""
    pdf = breed.to_pandas()

    def stijl(rij):  # noqa: ANN001, ANN202 - pandas callback
        def kleur(kolom: str) -> str:
            return STOPLICHT_ACHTERGROND.get(kleuren.get((rij[rijkolom], kolom), ""), "")

        return [f"background-color: {kleur(k)}" if k != rijkolom else "" for k in rij.index]

    return pdf.style.apply(stijl, axis=1)


def zonder_markdown(x: object) -> object:
    """A cell's text with Markdown's special characters escaped (st.table renders Markdown);
    other values as they are. Names and reasons from the data stay plain text."""
    return _MARKDOWN.sub(r"\\\1", x) if isinstance(x, str) else x


def statische_tabel(styler: Styler) -> None:
    """An HTML table with every row (st.table), its texts shown literally."""
    st.table(styler.format(zonder_markdown), hide_index=True)


def toon(
    frame: pl.DataFrame,
    hoogte: int | None = None,
    volledig: bool = False,
    afdruk: bool | None = None,
) -> None:
    """A read-only table, wide enough for Dutch money and stoplicht text.

    `volledig` (long texts such as definitions) and the print version draw it as an HTML
    table: every row and every word, wrapped, instead of a scrolling grid that cuts them off.
    `afdruk` says whether this is the print version; a `blok` passes it (it is part of the
    block's key), a page leaves it to the session.
    """
    if afdruk is None:
        afdruk = opmaak.printversie()
    if volledig or afdruk:
        statische_tabel(frame.to_pandas().style)
        return
    breed = {
        k: st.column_config.TextColumn(width="medium")
        for k in frame.columns
        if frame.schema[k] == pl.String
    }
    # As Arrow: Streamlit turns a Polars frame into pandas and back into Arrow, 20 times the
    # work of taking the Arrow table as it is; the browser gets the same rows, with the
    # frame's own types where pandas would change them (a count with a gap, a date):
    # tests/test_ui_blokken.py::test_tabel_als_arrow_is_de_tabel_van_polars.
    st.dataframe(frame.to_arrow(), hide_index=True, column_config=breed, height=hoogte or "auto")


# Altair checks every chart object against the schema as it is made ("debug mode"); in the
# server that was a tenth of a provider page's run (see vega_lite). A chart's whole spec is
# still validated in the tests (tests/test_ui_grafiek.py) and wherever to_dict() is called
# with its default validate=True (the reports).
alt.utils.schemapi.disable_debug_mode()


class _ZonderSchemacontrole:
    """An Altair chart whose to_dict() skips Altair's JSON-schema validation (see vega_lite)."""

    def __init__(self, grafiek: alt.TopLevelMixin) -> None:
        self.grafiek = grafiek

    def to_dict(self) -> dict:
        return self.grafiek.to_dict(validate=False)


def vega_lite(grafiek: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec st.altair_chart sends for `grafiek` (Streamlit's own conversion: the
    data as Arrow datasets, theme "none"), made without Altair's schema validation.

    Why: validating the spec was a quarter of a provider page's run (cProfile of the Aanbieder
    page for new providers, bench/README "Many users at once"), done under the lock Streamlit
    holds around every conversion, so twenty sessions queued on it. The charts are validated
    in the tests instead: tests/test_ui_grafiek.py converts every chart of the pages both ways
    (this one and the validating st.altair_chart one) and compares them.
    """
    return _convert_altair_to_vega_lite_spec(_ZonderSchemacontrole(grafiek))  # type: ignore[arg-type]


def toon_grafiek(
    grafiek: alt.TopLevelMixin, plek: DeltaGenerator | None = None, **opties: Any
) -> Any:
    """Draw an Altair chart as st.altair_chart(grafiek, theme=None) draws it, via vega_lite
    (no schema validation at run time); `plek` a column or container, default the page.
    Returns what st.vega_lite_chart returns (the selection with on_select="rerun")."""
    teken = plek.vega_lite_chart if plek is not None else st.vega_lite_chart
    return teken(vega_lite(grafiek), theme=None, **opties)


# Vega-Lite specs of charts by their Sjabloon.vorm, with the dataset names left open: a
# chart with the same vorm only needs its datasets (weergave.grafieken.Sjabloon says why).
_SJABLONEN: OrderedDict[tuple, tuple[dict, dict[str, str]]] = OrderedDict()  # spec, open names
_SJABLONEN_SLOT = threading.Lock()
_SJABLONEN_MAX = 256
_OPEN = "\x00sjabloon:"  # marks an open dataset name in a template


def _vervang(spec: Any, namen: Mapping[str, str]) -> Any:
    """`spec` with every string that is a key of `namen` replaced by its value (new dicts and
    lists; the template itself is never changed)."""
    if isinstance(spec, dict):
        return {k: _vervang(v, namen) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_vervang(v, namen) for v in spec]
    if isinstance(spec, str):
        return namen.get(spec, spec)
    return spec


def _datasets(gegevens: Mapping[str, pl.DataFrame]) -> tuple[dict[str, str], dict[str, Any]]:
    """Per dataset key the name Streamlit gives its data (a hash of its Arrow bytes), and
    the datasets by name, as the chart's spec carries them."""
    datasets: dict[str, Any] = {}
    namen = {k: _to_arrow_dataset(frame, datasets)["name"] for k, frame in gegevens.items()}
    return namen, datasets


def vega_lite_uit_sjabloon(sjabloon: Sjabloon) -> dict:
    """What vega_lite(sjabloon.maak()) gives, from the template of its vorm when there is one.

    The first chart of a vorm is built and converted as usual; its spec, with its dataset
    names opened up, becomes the template. A chart whose datasets are not exactly the
    frames of `gegevens` (or two of them with the same rows) gets no template and is built
    every time. tests/test_ui_grafiek.py compares both paths for every provider.
    """
    namen, datasets = _datasets(sjabloon.gegevens)
    with _SJABLONEN_SLOT:
        gevonden = _SJABLONEN.get(sjabloon.vorm)
        if gevonden is not None:
            _SJABLONEN.move_to_end(sjabloon.vorm)
    if gevonden is not None:
        sjabloonspec, open_namen = gevonden
        spec = _vervang(sjabloonspec, {open_namen[k]: namen[k] for k in open_namen})
        spec["datasets"] = {namen[k]: datasets[namen[k]] for k in open_namen}  # spec's order
        return spec
    spec = vega_lite(sjabloon.maak())
    uniek = len(set(namen.values())) == len(namen)
    if uniek and set(spec.get("datasets", {})) == set(namen.values()):
        sleutel = {naam: k for k, naam in namen.items()}
        open_namen = {sleutel[naam]: f"{_OPEN}{sleutel[naam]}" for naam in spec["datasets"]}
        zonder = {k: v for k, v in spec.items() if k != "datasets"}
        sjabloonspec = _vervang(zonder, {namen[k]: open_namen[k] for k in namen})
        sjabloonspec = {k: (None if k == "datasets" else sjabloonspec.get(k)) for k in spec}
        with _SJABLONEN_SLOT:
            _SJABLONEN[sjabloon.vorm] = (sjabloonspec, open_namen)
            while len(_SJABLONEN) > _SJABLONEN_MAX:
                _SJABLONEN.popitem(last=False)
    return spec


def toon_sjabloon(sjabloon: Sjabloon, plek: DeltaGenerator | None = None, **opties: Any) -> Any:
    """toon_grafiek(sjabloon.maak(), plek, ...), with the spec from its template."""
    teken = plek.vega_lite_chart if plek is not None else st.vega_lite_chart
    return teken(vega_lite_uit_sjabloon(sjabloon), theme=None, **opties)


P = ParamSpec("P")
R = TypeVar("R")
BLOK_SLEUTELS = ("scope", "afdruk")  # every block's key holds the scope and the print flag
BLOKKEN: list[Callable] = []  # every block as written (for the test that reads their source)


def blok(functie: Callable[P, R]) -> Callable[P, R]:
    """A block of a page drawn once per key and replayed from the cache on later runs.

    Why: with 20 sessions at once the server spent most of a warm page run formatting
    tables cell by cell and turning Altair charts into Vega-Lite (with schema validation),
    all in Python under one GIL (bench/gelijktijdig.py). st.cache_data records the elements
    a function draws and replays them on a hit, so a block with the same arguments costs
    almost nothing the next time, in every session.

    The key is the arguments and nothing else, so a block takes only plain values and reads
    nothing from the session: it must have the parameters `scope` (the session's scope key:
    a block never crosses scopes) and `afdruk` (the print version draws tables whole), reads
    figures only through ui.data with that scope, creates its own columns and containers,
    and holds no widgets (a download button stays outside, fed by what the block returns).
    tests/test_ui_blokken.py checks that a replayed block shows what drawing it showed.
    """
    parameters = inspect.signature(functie).parameters
    ontbreekt = [p for p in BLOK_SLEUTELS if p not in parameters]
    if ontbreekt:
        raise TypeError(f"blok {functie.__qualname__} mist de parameter(s) {ontbreekt}")
    BLOKKEN.append(functie)
    return st.cache_data(show_spinner=False, max_entries=256)(functie)


def csv_bestand(frame: pl.DataFrame) -> bytes:
    """A table as a CSV for people: ';', decimal comma (a Dutch spreadsheet reads the numbers
    as numbers), UTF-8 with BOM, and no text cell that a spreadsheet runs as a formula."""
    tekst = zonder_formules(frame).write_csv(separator=";", decimal_comma=True)
    return tekst.encode("utf-8-sig")


def excel_bestand(frame: pl.DataFrame, blad: str) -> bytes:
    """A table as an Excel file (Polars writes text as text, never as a formula)."""
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet=blad[:31], autofit=True)
    return buffer.getvalue()


def downloads(
    frame: pl.DataFrame, naam: str, sleutel: str, excel: Callable[[], bytes] | None = None
) -> None:
    """CSV and Excel downloads of a table (Dutch headers); `excel` builds a numeric workbook.

    Without `excel` the workbook holds the table as shown. The files are made when the button
    is pressed, not on every run of the page: writing the Excel files of a page took about
    half of its run (pure Python, holding the GIL while other sessions wait;
    bench/gelijktijdig.py), and a file not made has no URL to leak.
    """
    links, rechts = st.columns([1, 1])
    links.download_button(
        "Download CSV",
        lambda: csv_bestand(frame),
        file_name=f"{naam}.csv",
        mime="text/csv",
        key=f"csv_{sleutel}",
        icon=":material/download:",
        on_click="ignore",
    )
    rechts.download_button(
        "Download Excel",
        excel or (lambda: excel_bestand(frame, naam)),
        file_name=f"{naam}.xlsx",
        key=f"xlsx_{sleutel}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
    )


def klikdoel(
    lang: pl.DataFrame,
    klik,
    keuze,
    breed: pl.DataFrame,
    indeling: str,  # noqa: ANN001
) -> tuple[str, dict[str, str]] | None:
    """Where a click in the matrix (chart or table) leads: a page and its extra URL parameters.

    A KPI cell opens KPI-detail for that KPI and row; a provider's name opens its Aanbieder page.
    The selection is cleared first, so that coming back does not jump again.
    """
    rij_code = dict(lang.select("rij", "rij_code").unique().iter_rows())
    label_kpi = dict(lang.select("kpi_label", "kpi").unique().iter_rows())
    rij = kpi_id = None
    cellen = (klik.selection.get("cel") or []) if klik else []
    if cellen:
        rij, kpi_id = cellen[0].get("rij"), cellen[0].get("kpi")
        st.session_state.pop("matrix", None)
    elif keuze and keuze.selection.cells:
        index, kolom = keuze.selection.cells[0]
        rij = breed["Rij"][index]
        kpi_id = label_kpi.get(kolom)
        st.session_state.pop("matrix_tabel", None)
    if rij is None:
        return None
    code = rij_code.get(rij)
    extra = {indeling: code} if code else {}
    if kpi_id:
        return "paginas/kpi_detail.py", {**extra, "kpi": kpi_id}
    if indeling == "aanbieder" and code:
        return "paginas/aanbieder.py", extra
    return "paginas/kpi_detail.py", extra


# Scoped queries: pages call these, never ui.data directly, so every figure on a page passes
# through the session's scope (ui.data's functions require the scope as an argument).


def opties() -> Opties:
    """Filter choices as this scope may see them."""
    return data.opties(huidige_scope().sleutel())


def waarden(
    periode: str, per: tuple[str, ...], filters: FilterWaarden, kpis: tuple[str, ...] | None
) -> pl.DataFrame:
    """KPI values within the session's scope."""
    return data.waarden(periode, per, filters, kpis, huidige_scope().sleutel())


def reeks(
    periode: str, per: tuple[str, ...], filters: FilterWaarden, kpis: tuple[str, ...]
) -> pl.DataFrame:
    """Monthly KPI values within the session's scope."""
    return data.reeks(periode, per, filters, kpis, huidige_scope().sleutel())


def uitleg(
    kpi_id: str,
    periode: str,
    per: tuple[str, ...],
    filters: FilterWaarden,
    per_maand: bool = False,
) -> Uitleg:
    """Why a KPI gives no figure for the period, its months or a group, within the scope."""
    return data.kpi_uitleg(kpi_id, periode, per, filters, huidige_scope().sleutel(), per_maand)


def uitgavenreeks(periode: str, filters: FilterWaarden) -> Uitgavenreeks:
    """Cumulative spending by month of the plan year; refused in provider scope."""
    return data.uitgavenreeks(periode, filters, huidige_scope().sleutel())


def verschiloverzicht(periode: str, filters: FilterWaarden) -> Verschiloverzicht:
    """Volume and price variance per segment, or why none; refused in provider scope."""
    return data.verschiloverzicht(periode, filters, huidige_scope().sleutel())


def vergelijking(periode: str, filters: FilterWaarden, kpi_id: str) -> pl.DataFrame:
    """Providers per sub-segment for a benchmark, as the session's scope may see them."""
    return data.vergelijking(periode, filters, kpi_id, huidige_scope().sleutel())


def eenheden(kpi_id: str, periode: str, filters: FilterWaarden) -> pl.DataFrame:
    """Drill-down rows; refused in provider scope."""
    return data.eenheden(kpi_id, periode, filters, huidige_scope().sleutel())


@st.cache_data(show_spinner="Trajecten ophalen…", max_entries=32)
def _onderliggend(
    kpi_id: str, periode: str, filters: FilterWaarden, scope: data.ScopeSleutel
) -> pl.DataFrame:
    rijen = data.eenheden(kpi_id, periode, filters, scope)
    keuzes = data.opties(scope)
    namen = {"gemeente": keuzes.namen("gemeente"), "aanbieder": keuzes.namen("aanbieder")}
    return onderliggend.onderliggende_rijen(rijen, data.registry()[kpi_id], namen)


def onderliggende_rijen(kpi_id: str, periode: str, filters: FilterWaarden) -> pl.DataFrame:
    """Drill-down rows as a Dutch table (names, ja/nee, Dutch dates), cached: writing every
    cell as text takes about half a second for 30 thousand rows. Refused in provider scope."""
    return _onderliggend(kpi_id, periode, filters, huidige_scope().sleutel())


def quarantaine(filters: FilterWaarden = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Quarantine per reason and per provider within the session's scope, ready to show.

    In provider scope the counts are protected (kpi.scope) and read as text: 'geheim' below 8.
    """
    scope = huidige_scope()
    per_reden, per_aanbieder = data.quarantaine(filters, scope.sleutel())
    if scope.is_aanbieder:
        return privacy.tellingen_als_tekst(per_reden), privacy.tellingen_als_tekst(per_aanbieder)
    return per_reden, per_aanbieder
