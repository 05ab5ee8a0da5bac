"""PDF building blocks (reportlab): fonts, styles, tables with stoplicht cells, page footer."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle
from weergave import formaat
from weergave.kleuren import ACCENT, STOPLICHT_ACHTERGROND

PAGINA = A4
MARGE = 15 * mm
BREEDTE = PAGINA[0] - 2 * MARGE
# DejaVu has the stoplicht symbols (● ▲ ■ ○) and ≤ ≥; Debian's fonts-dejavu-core installs it.
_DEJAVU = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
_SYMBOLEN = str.maketrans({"●": "", "▲": "", "■": "", "○": "", "≤": "<=", "≥": ">="})


@lru_cache(maxsize=1)
def lettertypen() -> tuple[str, str, bool]:
    """(regular, bold, has symbols): DejaVu Sans when installed, else reportlab's Vera."""
    for map_ in _DEJAVU:
        gewoon, vet = map_ / "DejaVuSans.ttf", map_ / "DejaVuSans-Bold.ttf"
        if gewoon.is_file() and vet.is_file():
            pdfmetrics.registerFont(TTFont("StoplichtSans", str(gewoon)))
            pdfmetrics.registerFont(TTFont("StoplichtSans-Bold", str(vet)))
            return "StoplichtSans", "StoplichtSans-Bold", True
    pdfmetrics.registerFont(TTFont("StoplichtSans", "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("StoplichtSans-Bold", "VeraBd.ttf"))
    return "StoplichtSans", "StoplichtSans-Bold", False


def _zichtbaar(x: object) -> str:
    """The text as printed: symbols the font lacks dropped, '12,5 %' and '€ 1.234' kept
    on one line (no-break space)."""
    s = "" if x is None else str(x)
    if not lettertypen()[2]:
        s = s.translate(_SYMBOLEN).strip()
    return s.replace(" %", "\u00a0%").replace("€ ", "€\u00a0")


def tekst(x: object) -> str:
    """Text safe for a Paragraph; symbols the font lacks are dropped (the word stays)."""
    return escape(_zichtbaar(x))


@lru_cache(maxsize=1)
def stijlen() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the factsheet."""
    gewoon, vet, _ = lettertypen()
    basis = ParagraphStyle("tekst", fontName=gewoon, fontSize=9, leading=12)
    return {
        "titel": ParagraphStyle(
            "titel", parent=basis, fontName=vet, fontSize=17, leading=21, textColor=ACCENT
        ),
        "ondertitel": ParagraphStyle("ondertitel", parent=basis, fontSize=10.5, leading=14),
        "kop": ParagraphStyle(
            "kop",
            parent=basis,
            fontName=vet,
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        "tekst": basis,
        "klein": ParagraphStyle("klein", parent=basis, fontSize=7.5, leading=9.5),
        "cel": ParagraphStyle("cel", parent=basis, fontSize=7.5, leading=9),
        "celkop": ParagraphStyle("celkop", parent=basis, fontName=vet, fontSize=7.5, leading=9),
        "kerncijfer": ParagraphStyle(
            "kerncijfer", parent=basis, fontName=vet, fontSize=13, leading=16
        ),
        "melding": ParagraphStyle(
            "melding",
            parent=basis,
            fontSize=8.5,
            leading=11,
            backColor=colors.HexColor("#FBE7BE"),
            borderColor=colors.HexColor("#E69F00"),
            borderWidth=0.5,
            borderPadding=4,
            spaceBefore=6,
            spaceAfter=6,
        ),
    }


def alinea(x: object, stijl: str = "tekst") -> Paragraph:
    """A paragraph in one of the house styles."""
    return Paragraph(tekst(x), stijlen()[stijl])


def melding(x: object) -> Paragraph:
    """A notice the reader must see before the figures (a period after the peildatum, the
    nulmeting), in a coloured box."""
    return alinea(x, "melding")


_PADDING = 3  # left and right cell padding of `tabel`, points


def _minimum(tekst_: str, stijl: ParagraphStyle, heel: bool) -> float:
    """The narrowest a cell can be without breaking inside a word (`heel`: the whole text
    on one line, for numbers and amounts), in points."""
    stukken = [tekst_] if heel else tekst_.split(" ")
    breedste = max((pdfmetrics.stringWidth(w, stijl.fontName, stijl.fontSize) for w in stukken),
                   default=0.0)  # fmt: skip
    return breedste + 2 * _PADDING + 1


def passende_breedtes(
    frame: pl.DataFrame, breedtes: Sequence[float], rechts: Sequence[str] = ()
) -> list[float]:
    """Column widths as asked, widened where a header word or a cell word would not fit
    (a number or amount in `rechts` must fit whole, and so must a header of one or two
    words), the room taken from the columns that have it to spare; the total stays the
    same. So a header never breaks inside a word and an amount never wraps."""
    kop, cel = stijlen()["celkop"], stijlen()["cel"]
    nodig = []
    for kolom in frame.columns:
        teksten = [_zichtbaar(x) for x in frame[kolom].to_list() if x is not None]
        minimum = _minimum(kolom, kop, heel=len(kolom.split()) <= 2)  # 'Minimum n' whole
        for t in teksten:
            minimum = max(minimum, _minimum(t, cel, heel=kolom in rechts))
        nodig.append(minimum)
    uit = list(breedtes)
    tekort = sum(max(n - b, 0) for n, b in zip(nodig, uit, strict=True))
    ruimte = [max(b - n, 0) for n, b in zip(nodig, uit, strict=True)]
    if tekort <= 0 or sum(ruimte) <= 0:
        return uit
    deel = min(1.0, tekort / sum(ruimte))
    return [max(n, b - r * deel) for n, b, r in zip(nodig, uit, ruimte, strict=True)]


def stoplicht_van(tekst_: str | None) -> str | None:
    """The stoplicht named in a cell: '▲ oranje (voorlopig)' or '62,5 % ▲' → 'oranje'."""
    if not tekst_:
        return None
    for kleur in ("groen", "oranje", "rood", "grijs"):
        if kleur in tekst_:
            return kleur
    for kleur, woord in formaat.STOPLICHT_TEKST.items():  # a matrix cell: '62,5 % ▲'
        if tekst_.rstrip().endswith(woord.split(" ")[0]):
            return kleur
    return None


def tabel(
    frame: pl.DataFrame,
    breedtes: Sequence[float],
    stoplichtkolommen: Sequence[str] = (),
    kleur_van: Callable[[int, str], str | None] | None = None,
    rechts: Sequence[str] = (),
) -> Table:
    """A table with a header row; cells of `stoplichtkolommen` get their stoplicht fill.

    `kleur_van(rij, kolom)` may name the stoplicht of any other cell (a matrix); `rechts`:
    columns aligned right (numbers).
    """
    kolommen = frame.columns
    data: list[list[Flowable]] = [[alinea(k, "celkop") for k in kolommen]]
    opmaak: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(ACCENT)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#D0D0D0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    rechts_stijl = ParagraphStyle("cel_rechts", parent=stijlen()["cel"], alignment=2)
    for r, rij in enumerate(frame.iter_rows(named=True), start=1):
        cellen = []
        for k, kolom in enumerate(kolommen):
            waarde = rij[kolom]
            stijl = rechts_stijl if kolom in rechts else stijlen()["cel"]
            cellen.append(Paragraph(tekst(waarde), stijl))
            kleur = stoplicht_van(waarde) if kolom in stoplichtkolommen else None
            if kleur_van is not None and kleur is None:
                kleur = kleur_van(r - 1, kolom)
            if kleur:
                opmaak.append(
                    ("BACKGROUND", (k, r), (k, r), colors.HexColor(STOPLICHT_ACHTERGROND[kleur]))
                )
        data.append(cellen)
    breedtes = passende_breedtes(frame, breedtes, rechts)
    t = Table(data, colWidths=breedtes, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(opmaak))
    return t


def afbeelding(png: bytes, breedte: float, max_hoogte: float | None = None) -> Image:
    """A PNG scaled to `breedte` (points), keeping its aspect ratio, at most `max_hoogte` high."""
    beeld = Image(io.BytesIO(png))
    verhouding = beeld.imageHeight / beeld.imageWidth
    b, h = breedte, breedte * verhouding
    if max_hoogte is not None and h > max_hoogte:
        b, h = max_hoogte / verhouding, max_hoogte
    return Image(io.BytesIO(png), width=b, height=h, hAlign="LEFT")


def genummerd_canvas(voettekst: Sequence[str]) -> type[canvas.Canvas]:
    """A canvas class that writes the footer lines and 'pagina i van n' on every page."""

    class Genummerd(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - reportlab's own
            super().__init__(*args, **kwargs)
            self._paginas: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._paginas.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            totaal = len(self._paginas)
            for staat in self._paginas:
                self.__dict__.update(staat)
                self._voet(totaal)
                super().showPage()
            super().save()

        def _voet(self, totaal: int) -> None:
            gewoon = lettertypen()[0]
            self.setFont(gewoon, 7)
            self.setFillColor(colors.HexColor("#555555"))
            self.setStrokeColor(colors.HexColor("#BBBBBB"))
            self.line(MARGE, 13 * mm, PAGINA[0] - MARGE, 13 * mm)
            for i, regel in enumerate(voettekst):
                self.drawString(MARGE, 9.5 * mm - i * 3.2 * mm, tekst_zonder_escape(regel))
            self.drawRightString(
                PAGINA[0] - MARGE, 9.5 * mm, f"pagina {self._pageNumber} van {totaal}"
            )

    return Genummerd


def tekst_zonder_escape(x: str) -> str:
    """Canvas text (no markup): symbols the font lacks dropped."""
    return x if lettertypen()[2] else x.translate(_SYMBOLEN)
