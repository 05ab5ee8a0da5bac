"""Parse raw iJw / iWmo 3.2 XML messages into `berichten` rows.

One XML file holds one message. `parse_bericht` turns it into one row per product line, with the
raw values as strings (dates as in the XML, codes with their leading zeros). It never validates
dates, BSN or codes itself beyond what the XSD does: the loader applies the same row rules to XML
rows and CSV rows. Names, addresses, phone numbers and e-mail addresses are never read.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

__all__ = [
    "BERICHTEN_KOLOMMEN",
    "KPI_BERICHTSOORTEN",
    "XmlResultaat",
    "parse_bericht",
    "parse_bestand",
    "standaard_xsd_dir",
]

BERICHTEN_KOLOMMEN: tuple[str, ...] = (
    "bericht_type",
    "bericht_id",
    "dagtekening",
    "gemeente",
    "aanbieder",
    "bsn",
    "geboortedatum",
    "toewijzingnummer",
    "referentie_aanbieder",
    "product_categorie",
    "product_code",
    "ingangsdatum",
    "einddatum",
    "reden_wijziging",
    "begindatum",
    "einddatum_zorg",
    "reden_beeindiging",
    "status_aanlevering",
    "verzoek_antwoord",
)

# Message kinds (berichtsoort) the KPIs use.
KPI_BERICHTSOORTEN: frozenset[str] = frozenset({"301", "305", "307", "315", "317", "319"})

# Vektis BerichtCode (COD002-VEKTIS) per message type. iWmo: only the codes published in the
# reference set; other iWmo types are refused because their code cannot be checked.
VEKTIS_BERICHTCODE: dict[str, str] = {
    "JW301": "436",
    "JW302": "437",
    "JW305": "438",
    "JW306": "439",
    "JW307": "440",
    "JW308": "441",
    "JW315": "446",
    "JW316": "447",
    "JW317": "486",
    "JW318": "487",
    "JW319": "488",
    "JW320": "489",
    "JW323": "490",
    "JW325": "491",
    "WMO301": "414",
    "WMO305": "418",
    "WMO307": "420",
    "WMO315": "444",
    "WMO317": "480",
    "WMO319": "482",
    "WMO323": "484",
}

# Short Dutch description per berichtsoort, used in reasons.
OMSCHRIJVING: dict[str, str] = {
    "301": "toewijzing",
    "302": "retour toewijzing",
    "305": "start zorg",
    "306": "retour start zorg",
    "307": "stop zorg",
    "308": "retour stop zorg",
    "315": "verzoek om toewijzing",
    "316": "retour verzoek om toewijzing",
    "317": "verzoek om wijziging",
    "318": "retour verzoek om wijziging",
    "319": "antwoord op verzoek",
    "320": "retour antwoord op verzoek",
    "323": "declaratie",
    "325": "retour declaratie",
}

Rij = dict[str, str | None]

_NS_RE = re.compile(
    r"^http://www\.istandaarden\.nl/(?P<std>ijw|iwmo)/(?P<major>\d+)_(?P<minor>\d+)"
    r"/(?P<soort>jw|wmo)(?P<nr>\d{3})/schema$"
)
_BASIS_NS = {
    "ijw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
    "iwmo": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
}
_STANDAARD_NAAM = {"ijw": "iJw", "iwmo": "iWmo"}
_XSD_SUBDIR = {"ijw": "jw", "iwmo": "wmo"}
_CLARK_RE = re.compile(r"\{([^}]*)\}")
_XSD_ELEMENT_RE = re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)'")


@dataclass(frozen=True)
class XmlResultaat:
    """Outcome of parsing one XML message."""

    rows: list[dict[str, str | None]]  # one dict per product line, keys = BERICHTEN_KOLOMMEN
    fout: str | None  # None when parsed; else a Dutch reason
    kolom: str | None  # element / column the fault is about, when known
    ernst: str | None  # None | 'fout' (reject) | 'genegeerd' (valid, not used by the KPIs)
    bericht_type: str | None  # 'JW301' etc. when known


def standaard_xsd_dir() -> Path | None:
    """Directory with the iJw/iWmo XSDs: env STOPLICHT_XSD_DIR, else the shared reference copy.

    An explicitly set STOPLICHT_XSD_DIR is returned as given (a wrong path then shows up as an
    XSD-not-found fault per message instead of silently skipping validation). Without the variable,
    returns the first existing candidate, or None when no XSDs are available.
    """
    env = os.environ.get("STOPLICHT_XSD_DIR", "").strip()
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1]
    for kandidaat in (repo.parent / "shared" / "reference" / "istandaarden" / "xsd",):
        if kandidaat.is_dir():
            return kandidaat
    return None


@functools.lru_cache(maxsize=64)
def _schema(path: Path) -> etree.XMLSchema:
    """Compile (once per path) the XSD at `path`; it resolves its basisschema import itself."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def _xml_parser() -> etree.XMLParser:
    # A fresh parser per call: safe across threads, no entity expansion, no network access.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def _fout(reden: str, kolom: str | None = None, bericht_type: str | None = None) -> XmlResultaat:
    return XmlResultaat(rows=[], fout=reden, kolom=kolom, ernst="fout", bericht_type=bericht_type)


def _xsd_pad(xsd_dir: Path, std: str, bericht_type: str) -> Path | None:
    for pad in (
        xsd_dir / _XSD_SUBDIR[std] / f"{bericht_type}.xsd",
        xsd_dir / f"{bericht_type}.xsd",
    ):
        if pad.is_file():
            return pad
    return None


def _kort(tekst: str, prefixen: dict[str, str]) -> str:
    """Replace '{namespace}' in an lxml message by the conventional prefix ('jw318:')."""
    return _CLARK_RE.sub(
        lambda m: f"{prefixen[m.group(1)]}:" if m.group(1) in prefixen else m.group(0), tekst
    )


def _valideer(
    root: etree._Element, xsd_dir: Path, std: str, bericht_type: str, ns: str
) -> XmlResultaat | None:
    """Validate against the message's XSD; return a fault result, or None when valid."""
    pad = _xsd_pad(xsd_dir, std, bericht_type)
    if pad is None:
        return _fout(
            f"XSD voor {bericht_type} niet gevonden in {xsd_dir} (verwacht "
            f"{_XSD_SUBDIR[std]}/{bericht_type}.xsd); bericht niet gevalideerd",
            bericht_type=bericht_type,
        )
    try:
        schema = _schema(pad.resolve())
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        return _fout(f"XSD {pad} kan niet worden geladen: {exc}", bericht_type=bericht_type)
    try:
        schema.assertValid(root.getroottree())
    except etree.XMLSchemaValidateError as exc:
        return _fout(f"XSD-validatie van {bericht_type} mislukt: {exc}", bericht_type=bericht_type)
    except etree.DocumentInvalid as exc:
        fouten = list(exc.error_log) or list(schema.error_log)
        prefixen = {ns: bericht_type.lower(), _BASIS_NS[std]: std}
        if not fouten:
            return _fout(f"XSD-fout in {bericht_type}: {exc}", bericht_type=bericht_type)
        eerste = fouten[0]
        element = _XSD_ELEMENT_RE.search(eerste.message or "")
        reden = (
            f"XSD-fout in {bericht_type}, regel {eerste.line}: {_kort(eerste.message, prefixen)}"
        )
        if len(fouten) > 1:
            meer = len(fouten) - 1
            reden += f" (en nog {meer} XSD-{'fout' if meer == 1 else 'fouten'})"
        return _fout(reden, kolom=element.group(1) if element else None, bericht_type=bericht_type)
    return None


class _Lezer:
    """Namespace-aware element lookups for one message, independent of the prefixes used."""

    def __init__(self, ns: str, basis_ns: str) -> None:
        self.ns = ns
        self.basis = basis_ns

    def pad(self, pad: str) -> str:
        """'Header/BerichtIdentificatie/@Identificatie' style path → Clark notation path.

        Steps prefixed with '@' live in the basisschema namespace, the others in the message's.
        """
        stappen = []
        for stap in pad.split("/"):
            if stap.startswith("@"):
                stappen.append(f"{{{self.basis}}}{stap[1:]}")
            else:
                stappen.append(f"{{{self.ns}}}{stap}")
        return "/".join(stappen)

    def tekst(self, el: etree._Element | None, pad: str) -> str | None:
        if el is None:
            return None
        waarde = el.findtext(self.pad(pad))
        if waarde is None:
            return None
        waarde = waarde.strip()
        return waarde or None

    def alle(self, el: etree._Element | None, pad: str) -> list[etree._Element]:
        return [] if el is None else el.findall(self.pad(pad))

    def een(self, el: etree._Element | None, pad: str) -> etree._Element | None:
        return None if el is None else el.find(self.pad(pad))

    def product(self, el: etree._Element) -> Rij:
        return {
            "product_categorie": self.tekst(el, "Product/@Categorie"),
            "product_code": self.tekst(el, "Product/@Code"),
        }


def _leeg_rij() -> Rij:
    return dict.fromkeys(BERICHTEN_KOLOMMEN)


def _rij(basis: Rij, **waarden: str | None) -> Rij:
    rij = dict(basis)
    rij.update(waarden)
    return rij


def _rijen_301(lz: _Lezer, root: etree._Element, basis: Rij) -> list[Rij]:
    client = lz.een(root, "Client")
    basis = _rij(
        basis,
        bsn=lz.tekst(client, "Bsn"),
        geboortedatum=lz.tekst(client, "Geboortedatum/@Datum"),
    )
    return [
        _rij(
            basis,
            toewijzingnummer=lz.tekst(tp, "ToewijzingNummer"),
            referentie_aanbieder=lz.tekst(tp, "ReferentieAanbieder"),
            **lz.product(tp),
            ingangsdatum=lz.tekst(tp, "Ingangsdatum"),
            einddatum=lz.tekst(tp, "Einddatum"),
            reden_wijziging=lz.tekst(tp, "RedenWijziging"),
        )
        for tp in lz.alle(client, "ToegewezenProducten/ToegewezenProduct")
    ]


def _rijen_305_307(lz: _Lezer, root: etree._Element, basis: Rij, stop: bool) -> list[Rij]:
    client = lz.een(root, "Client")
    basis = _rij(
        basis,
        bsn=lz.tekst(client, "Bsn"),
        geboortedatum=lz.tekst(client, "Geboortedatum/@Datum"),
    )
    pad = "StopProducten/StopProduct" if stop else "StartProducten/StartProduct"
    rijen = []
    for sp in lz.alle(client, pad):
        rij = _rij(
            basis,
            toewijzingnummer=lz.tekst(sp, "ToewijzingNummer"),
            **lz.product(sp),
            ingangsdatum=lz.tekst(sp, "ToewijzingIngangsdatum"),
            begindatum=lz.tekst(sp, "Begindatum"),
            status_aanlevering=lz.tekst(sp, "StatusAanlevering"),
        )
        if stop:
            rij["einddatum_zorg"] = lz.tekst(sp, "Einddatum")
            rij["reden_beeindiging"] = lz.tekst(sp, "RedenBeeindiging")
        rijen.append(rij)
    return rijen


def _rijen_315(lz: _Lezer, root: etree._Element, basis: Rij) -> list[Rij]:
    client = lz.een(root, "Client")
    basis = _rij(
        basis,
        bsn=lz.tekst(client, "Bsn"),
        geboortedatum=lz.tekst(client, "Geboortedatum/@Datum"),
    )
    return [
        _rij(
            basis,
            referentie_aanbieder=lz.tekst(ap, "ReferentieAanbieder"),
            **lz.product(ap),
            ingangsdatum=lz.tekst(ap, "ToewijzingIngangsdatum"),
            einddatum=lz.tekst(ap, "ToewijzingEinddatum"),
        )
        for ap in lz.alle(client, "AangevraagdeProducten/AangevraagdProduct")
    ]


def _rijen_317(lz: _Lezer, root: etree._Element, basis: Rij) -> list[Rij]:
    client = lz.een(root, "Client")
    verzoek = lz.een(client, "Verzoek")
    basis = _rij(
        basis,
        bsn=lz.tekst(client, "Bsn"),
        referentie_aanbieder=lz.tekst(verzoek, "ReferentieAanbieder"),
    )
    rijen = [
        _rij(
            basis,
            toewijzingnummer=lz.tekst(tw, "ToewijzingNummer"),
            ingangsdatum=lz.tekst(tw, "GewensteIngangsdatum"),
            einddatum=lz.tekst(tw, "Einddatum"),
        )
        for tw in lz.alle(verzoek, "TeWijzigenProducten/TeWijzigenProduct")
    ]
    rijen += [
        _rij(
            basis,
            **lz.product(nw),
            ingangsdatum=lz.tekst(nw, "GewensteIngangsdatum"),
            einddatum=lz.tekst(nw, "Einddatum"),
        )
        for nw in lz.alle(verzoek, "NieuweProducten/NieuwProduct")
    ]
    # OngewijzigdProduct lines give no row; a request without changed or new lines is one row.
    return rijen or [basis]


def _rijen_319(lz: _Lezer, root: etree._Element, basis: Rij) -> list[Rij]:
    antwoord = lz.een(root, "Antwoord")
    return [
        _rij(
            basis,
            referentie_aanbieder=lz.tekst(antwoord, "ReferentieAanbieder"),
            verzoek_antwoord=lz.tekst(antwoord, "VerzoekAntwoord"),
        )
    ]


_Extractor = Callable[[_Lezer, etree._Element, Rij], list[Rij]]

_EXTRACTORS: dict[str, _Extractor] = {
    "301": _rijen_301,
    "305": lambda lz, root, basis: _rijen_305_307(lz, root, basis, stop=False),
    "307": lambda lz, root, basis: _rijen_305_307(lz, root, basis, stop=True),
    "315": _rijen_315,
    "317": _rijen_317,
    "319": _rijen_319,
}

# Element holding the product lines, named in the fault when a message has none.
_PRODUCTREGEL = {
    "301": "ToegewezenProduct",
    "305": "StartProduct",
    "307": "StopProduct",
    "315": "AangevraagdProduct",
}


def parse_bericht(data: bytes, xsd_dir: Path | None = None) -> XmlResultaat:
    """Parse one iJw/iWmo 3.2 message (bytes of one XML file) into `berichten` rows.

    With `xsd_dir` the message is validated against its XSD first (``<xsd_dir>/jw|wmo/<TYPE>.xsd``
    or ``<xsd_dir>/<TYPE>.xsd``); without it only the structure is read.
    """
    if not data or not data.strip():
        return _fout("leeg bestand: geen XML-bericht")
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        return _fout(f"geen geldige XML (niet well-formed): {exc}")

    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # iJw/iWmo messages have no DTD; entities are never expanded (no XXE), so refuse them.
        return _fout("DOCTYPE/entiteiten zijn niet toegestaan in een iJw/iWmo-bericht")

    # Message type from the root element's namespace.
    qname = etree.QName(root)
    ns = qname.namespace or ""
    m = _NS_RE.match(ns)
    if m is None:
        waar = f"namespace '{ns}'" if ns else "geen namespace"
        return _fout(
            f"onbekend bericht: root-element '{qname.localname}' met {waar}; verwacht een "
            "iJw/iWmo 3.2 bericht (http://www.istandaarden.nl/ijw/3_2/jw301/schema e.d.)",
            kolom=qname.localname,
        )
    std, nr = m.group("std"), m.group("nr")
    bericht_type = f"{m.group('soort').upper()}{nr}"
    if (m.group("major"), m.group("minor")) != ("3", "2"):
        return _fout(
            f"{_STANDAARD_NAAM[std]}-versie {m.group('major')}.{m.group('minor')} wordt niet "
            f"ondersteund (alleen release 3.2): namespace '{ns}'",
            bericht_type=bericht_type,
        )
    if (std, m.group("soort")) not in {("ijw", "jw"), ("iwmo", "wmo")}:
        return _fout(f"onbekende namespace '{ns}'", bericht_type=bericht_type)
    if qname.localname != "Bericht":
        return _fout(
            f"root-element is '{qname.localname}', verwacht 'Bericht' ({bericht_type})",
            kolom=qname.localname,
            bericht_type=bericht_type,
        )
    verwachte_code = VEKTIS_BERICHTCODE.get(bericht_type)
    if verwachte_code is None:
        return _fout(
            f"berichtsoort {bericht_type} wordt niet ondersteund (geen Vektis-berichtcode bekend)",
            bericht_type=bericht_type,
        )

    lz = _Lezer(ns, _BASIS_NS[std])
    header = lz.een(root, "Header")
    if header is None:
        return _fout(
            f"{bericht_type}: element Header ontbreekt", kolom="Header", bericht_type=bericht_type
        )
    code = lz.tekst(header, "BerichtCode")
    if code is None:
        return _fout(
            f"{bericht_type}: Header/BerichtCode ontbreekt",
            kolom="BerichtCode",
            bericht_type=bericht_type,
        )
    if code != verwachte_code:
        return _fout(
            f"BerichtCode {code} past niet bij berichtsoort {bericht_type} "
            f"(verwacht Vektis-code {verwachte_code})",
            kolom="BerichtCode",
            bericht_type=bericht_type,
        )

    if xsd_dir is not None:
        ongeldig = _valideer(root, Path(xsd_dir), std, bericht_type, ns)
        if ongeldig is not None:
            return ongeldig

    if nr not in KPI_BERICHTSOORTEN:
        omschrijving = OMSCHRIJVING.get(nr)
        soort = f"{bericht_type} ({omschrijving})" if omschrijving else bericht_type
        return XmlResultaat(
            rows=[],
            fout=f"berichtsoort {soort} wordt niet gebruikt voor de KPI's",
            kolom=None,
            ernst="genegeerd",
            bericht_type=bericht_type,
        )

    afzender = lz.tekst(header, "Afzender")
    ontvanger = lz.tekst(header, "Ontvanger")
    van_gemeente = nr in {"301", "319"}
    basis = _leeg_rij()
    basis.update(
        bericht_type=bericht_type,
        bericht_id=lz.tekst(header, "BerichtIdentificatie/@Identificatie"),
        dagtekening=lz.tekst(header, "BerichtIdentificatie/@Dagtekening"),
        gemeente=afzender if van_gemeente else ontvanger,
        aanbieder=ontvanger if van_gemeente else afzender,
    )
    rijen = _EXTRACTORS[nr](lz, root, basis)
    if not rijen:
        element = _PRODUCTREGEL.get(nr, "productregel")
        return _fout(
            f"{bericht_type} bevat geen productregels ({element})",
            kolom=element,
            bericht_type=bericht_type,
        )
    return XmlResultaat(rows=rijen, fout=None, kolom=None, ernst=None, bericht_type=bericht_type)


def parse_bestand(path: Path, xsd_dir: Path | None = None) -> XmlResultaat:
    """Read one XML file and parse it with `parse_bericht`; an unreadable file is a 'fout'."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return _fout(f"bestand {path} kan niet worden gelezen: {exc.strerror or exc}")
    return parse_bericht(data, xsd_dir)
