"""The group talk on paper: an overview with the members side by side (for the municipality's
roles only: it names every member) and one sheet per member with the others unnamed.

The region's own words (../shared/seeds/): for smaller providers a "Groepsgesprek meerdere
kleinere vergelijkbare zorgaanbieders". Each member's sheet is made in that member's scope
(kpi.gesprek.groepsblad: counts protected, others without name or code, only where at least 3
others remain), so it can be handed to that member.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import duckdb
from kpi.gesprek import groep_cijfers, groepsblad
from kpi.normen import Normen
from kpi.periode import Periode
from kpi.scope import REGIO, Scope
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer
from weergave import formaat, privacy
from weergave import groepsgesprek as wg

from rapport import pdf
from rapport.gegevens import Context, lees_context, veilige_naam


def _document(titel: str, voet: tuple[str, ...], verhaal: list) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=pdf.PAGINA, leftMargin=pdf.MARGE, rightMargin=pdf.MARGE,
        topMargin=pdf.MARGE, bottomMargin=20 * mm, title=titel, author="Stoplicht",
    )  # fmt: skip
    doc.build(verhaal, canvasmaker=pdf.genummerd_canvas(voet))
    return buffer.getvalue()


def _kop(titel: str, ondertitel: str) -> list:
    return [pdf.alinea(titel, "titel"), pdf.alinea(ondertitel, "ondertitel"), Spacer(1, 4)]


def overzicht_pdf(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    subsegment: str,
    leden: Sequence[str],
    scope: Scope = REGIO,
    context: Context | None = None,
) -> bytes:
    """The members' figures side by side, with names: for the municipality's roles only."""
    p = Periode.parse(periode)
    context = context or lees_context(con)
    reg = context.registry
    cijfers = groep_cijfers(context.berekening(con), p, subsegment, leden, scope)
    tabel, kleuren = wg.naast_elkaar(cijfers, reg, context.aanbieders, leden)
    kolommen = tabel.columns
    breedte = [34] + [146 / max(len(kolommen) - 1, 1)] * (len(kolommen) - 1)
    verhaal = _kop(
        f"Groepsgesprek {subsegment}",
        f"{p.label} ({formaat.datum(p.start)} t/m {formaat.datum(p.eind)}) · "
        f"{len(leden)} aanbieders",
    )
    verhaal += [
        pdf.alinea(
            "Intern voor de gemeenten: de deelnemers met naam naast elkaar, alleen hun zorg in "
            "dit sub-segment. Geef elke aanbieder zijn eigen groepsblad, waarop de anderen "
            "zonder naam staan.",
            "klein",
        ),
        pdf.alinea(
            "Stoplicht: ● groen = binnen de norm · ▲ oranje = let op · ■ rood = buiten de norm "
            "· ○ grijs = geen norm, te weinig gegevens of voorlopig.",
            "klein",
        ),
        pdf.alinea("Cijfers naast elkaar", "kop"),
    ]
    if tabel.height:
        totaal = sum(breedte)
        verhaal.append(
            pdf.tabel(
                tabel,
                [pdf.BREEDTE * b / totaal for b in breedte],
                kleur_van=lambda r, k: kleuren.get((tabel["KPI"][r], k)),
                rechts=kolommen[1:],
            )
        )
    else:
        verhaal.append(pdf.alinea("Geen gegevens over deze aanbieders in deze periode.", "klein"))
    voet = (f"Stoplicht · groepsgesprek {subsegment} · {p.label} · intern · peildatum "
            f"{formaat.datum(context.peildatum)}", context.bron)  # fmt: skip
    return _document(f"Groepsgesprek {subsegment} {p.label}", voet, verhaal)


def blad_pdf(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    subsegment: str,
    leden: Sequence[str],
    aanbieder: str,
    context: Context | None = None,
) -> bytes:
    """One member's sheet of the group talk, in that member's scope."""
    p = Periode.parse(periode)
    context = context or lees_context(con)
    naam = context.naam("aanbieder", aanbieder)
    blad = groepsblad(
        context.berekening(con),
        p,
        subsegment,
        leden,
        aanbieder,
        Scope("aanbieder", aanbieder=aanbieder),
    )
    tabel = wg.blad_tabel(blad, context.registry, naam)
    verhaal = _kop(
        f"Groepsgesprek {subsegment}: {naam}",
        f"AGB {aanbieder} · {p.label} ({formaat.datum(p.start)} t/m {formaat.datum(p.eind)})",
    )
    verhaal.append(
        pdf.alinea(
            f"U spreekt met {len(leden) - 1} vergelijkbare aanbieders in {subsegment}. De "
            "andere aanbieders staan er zonder naam in; een vergelijking staat er alleen waar "
            "ten minste 3 andere aanbieders genoeg trajecten hebben. Aantallen zijn afgerond "
            f"op vijftallen; 0 tot en met 7 staat als '{privacy.GEHEIM}'.",
            "klein",
        )
    )
    verhaal.append(pdf.alinea("Uw cijfers en die van de groep", "kop"))
    if tabel.height:
        verhaal.append(
            pdf.tabel(
                tabel,
                [pdf.BREEDTE * b / 182 for b in (30, 18, 22, 28, 10, 20, 16, 13, 13, 12)],
                ("Stoplicht",),
                rechts=("Eigen waarde", "n", "Mediaan anderen", "Laagste", "Hoogste"),
            )
        )
    else:
        verhaal.append(pdf.alinea("Geen gegevens over deze aanbieder in deze periode.", "klein"))
    voet = (f"Stoplicht · groepsgesprek {subsegment} · {naam} (AGB {aanbieder}) · {p.label} · "
            f"peildatum {formaat.datum(context.peildatum)}", context.bron)  # fmt: skip
    return _document(f"Groepsgesprek {subsegment} {naam} {p.label}", voet, verhaal)


def groepsgesprek(
    con: duckdb.DuckDBPyConnection,
    periode: Periode | str,
    subsegment: str,
    leden: Sequence[str],
    map_: Path,
    normen: Normen | Path | str | None = None,
) -> list[Path]:
    """The overview and every member's sheet as PDF files in `map_`, judged by `normen`."""
    context = lees_context(con, normen=normen)
    p = Periode.parse(periode)
    map_.mkdir(parents=True, exist_ok=True)
    basis = f"groepsgesprek_{veilige_naam(subsegment)}_{p.code.replace('..', '_')}"
    overzicht = map_ / f"{basis}_overzicht_intern.pdf"
    overzicht.write_bytes(overzicht_pdf(con, p, subsegment, leden, REGIO, context))
    paden = [overzicht]
    for agb in leden:
        pad = map_ / f"{basis}_{veilige_naam(context.naam('aanbieder', agb))}_{agb}.pdf"
        pad.write_bytes(blad_pdf(con, p, subsegment, leden, agb, context))
        paden.append(pad)
    return paden
