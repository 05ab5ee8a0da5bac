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
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from datacontract.kolommen import BERICHTEN

__all__ = [
    "KPI_BERICHTSOORTEN",
    "XmlResultaat",
    "parse_bericht",
    "parse_bestand",
    "standaard_xsd_dir",
]

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
_XS = "http://www.w3.org/2001/XMLSchema"
_XSD_VERWACHT_RE = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)\.?$")
_XSD_TYPE_RE = re.compile(
    r"of the (?:local )?(?:atomic|list|union) type '(?:\{[^}]*\})?([\w.-]+)'\.$"
)
_XSD_GRENS_RE = re.compile(r"'(\d+)'\.$")


@dataclass(frozen=True)
class XmlResultaat:
    """Outcome of parsing one XML message."""

    rows: list[dict[str, str | None]]  # one dict per product line, keys = BERICHTEN.namen
    fout: str | None  # None when parsed; else a Dutch reason
    kolom: str | None  # element / column the fault is about, when known
    ernst: str | None  # None | 'fout' (reject) | 'genegeerd' (valid, not used by the KPIs)
    bericht_type: str | None  # 'JW301' etc. when known
    regel: int | None = None  # line of the fault in the XML file, when known
    waarde: str | None = None  # what the message says where it is wrong (its namespace), if safe
    # a message its XSD refused: its product lines as read without the XSD (for the raw row in
    # quarantine, where the BSN becomes its pseudonym); empty otherwise
    ruwe_rijen: list[dict[str, str | None]] = field(default_factory=list)


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


def _fout(
    reden: str,
    kolom: str | None = None,
    bericht_type: str | None = None,
    regel: int | None = None,
    waarde: str | None = None,
) -> XmlResultaat:
    return XmlResultaat(
        rows=[],
        fout=reden,
        kolom=kolom,
        ernst="fout",
        bericht_type=bericht_type,
        regel=regel,
        waarde=waarde,
    )


def _xsd_pad(xsd_dir: Path, std: str, bericht_type: str) -> Path | None:
    for pad in (
        xsd_dir / _XSD_SUBDIR[std] / f"{bericht_type}.xsd",
        xsd_dir / f"{bericht_type}.xsd",
    ):
        if pad.is_file():
            return pad
    return None


@functools.lru_cache(maxsize=64)
def _schemanamen(path: Path) -> frozenset[str]:
    """The names an XSD (with what it imports and includes) declares: elements, attributes
    and types. An error text names only these, never a name taken from the message itself."""
    namen: set[str] = set()
    te_lezen, gelezen = [path], set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    while te_lezen:
        pad = te_lezen.pop()
        if pad in gelezen or not pad.is_file():
            continue
        gelezen.add(pad)
        wortel = etree.parse(str(pad), parser).getroot()
        for soort in ("element", "attribute", "simpleType", "complexType"):
            namen.update(e.get("name") for e in wortel.iter(f"{{{_XS}}}{soort}") if e.get("name"))
        for soort in ("import", "include"):
            for e in wortel.iter(f"{{{_XS}}}{soort}"):
                if e.get("schemaLocation"):
                    te_lezen.append((pad.parent / e.get("schemaLocation")).resolve())
    return frozenset(namen)


def _lokaal(naam: str) -> str:
    """'jw301:Relatie[1]' or '{ns}Relatie' -> 'Relatie'."""
    return re.sub(r"\[\d+\]$", "", naam).rsplit("}", 1)[-1].rsplit(":", 1)[-1]


# The rule an XSD error breaks, by lxml's error type, where its text needs no detail.
_XSD_REGELS = {
    "SCHEMAV_CVC_PATTERN_VALID": "waarde past niet in het voorgeschreven patroon",
    "SCHEMAV_CVC_ENUMERATION_VALID": "waarde staat niet in de codelijst",
    "SCHEMAV_CVC_MININCLUSIVE_VALID": "waarde kleiner dan toegestaan",
    "SCHEMAV_CVC_MINEXCLUSIVE_VALID": "waarde kleiner dan toegestaan",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": "waarde groter dan toegestaan",
    "SCHEMAV_CVC_MAXEXCLUSIVE_VALID": "waarde groter dan toegestaan",
    "SCHEMAV_CVC_TOTALDIGITS_VALID": "waarde heeft te veel cijfers",
    "SCHEMAV_CVC_FRACTIONDIGITS_VALID": "waarde heeft te veel decimalen",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_1": "element moet leeg zijn",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "tekst in een element dat alleen elementen bevat",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": "attribuut niet toegestaan",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": "attribuut niet toegestaan",
    "SCHEMAV_CVC_TYPE_3_1_1": "attribuut niet toegestaan",
    "SCHEMAV_CVC_COMPLEX_TYPE_4": "verplicht attribuut ontbreekt",
    "SCHEMAV_CVC_ELT_1": "root-element niet gedeclareerd in het XSD",
    "SCHEMAV_CVC_IDC": "sleutel of verwijzing klopt niet",
}
_XSD_LENGTES = {
    "SCHEMAV_CVC_MAXLENGTH_VALID": "waarde langer dan {} tekens",
    "SCHEMAV_CVC_MINLENGTH_VALID": "waarde korter dan {} tekens",
    "SCHEMAV_CVC_LENGTH_VALID": "waarde is niet {} tekens lang",
}


def _xsd_regel(fout: etree._LogEntry, bekend: frozenset[str]) -> str:
    """The rule an XSD error is about, as a fixed Dutch text: the kind of fault and what the
    schema prescribes (a type name, a length, the elements expected), never the value."""
    soort, tekst = fout.type_name, fout.message or ""
    if soort in _XSD_REGELS:
        return _XSD_REGELS[soort]
    if soort in _XSD_LENGTES:
        grens = _XSD_GRENS_RE.search(tekst)
        return _XSD_LENGTES[soort].format(grens.group(1) if grens else "?")
    if soort.startswith("SCHEMAV_CVC_DATATYPE_VALID"):
        m = _XSD_TYPE_RE.search(tekst)
        typ = m.group(1) if m and m.group(1) in bekend else None
        return (
            f"geen geldige waarde voor type {typ}" if typ else "geen geldige waarde voor het type"
        )
    if soort in ("SCHEMAV_ELEMENT_CONTENT", "SCHEMAV_CVC_COMPLEX_TYPE_2_4"):
        m = _XSD_VERWACHT_RE.search(tekst)
        namen = [_lokaal(n.strip()) for n in m.group(1).split(",")] if m else []
        verwacht = ", ".join(n for n in namen if n in bekend)
        wat = "verplicht element ontbreekt" if "Missing child" in tekst else "element niet verwacht"
        return f"{wat}; verwacht: {verwacht}" if verwacht else wat
    return f"voldoet niet aan het XSD ({soort})"


def _xsd_element(fout: etree._LogEntry, bekend: frozenset[str]) -> tuple[str, str | None]:
    """The element an XSD error is about, by its last two steps ('Client/Bsn'), and its own
    name (the column of the quarantine row); a name the XSD does not declare shows as '?'."""
    stappen = [_lokaal(s) for s in (fout.path or "").split("/") if s][1:]  # without the root
    stappen = [s if s in bekend else "?" for s in stappen]
    eigen = stappen[-1] if stappen and stappen[-1] != "?" else None
    return "/".join(stappen[-2:]) or "Bericht", eigen


def _valideer(
    root: etree._Element, xsd_dir: Path, std: str, bericht_type: str
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
    except etree.XMLSchemaValidateError:
        return _fout(f"XSD-validatie van {bericht_type} mislukt", bericht_type=bericht_type)
    except etree.DocumentInvalid as exc:
        fouten = list(exc.error_log) or list(schema.error_log)
        if not fouten:
            return _fout(f"XSD-fout in {bericht_type}", bericht_type=bericht_type)
        # A fixed text per element and rule: lxml's own message quotes the value (a date of
        # birth, a phone number, BSN digits), which must not reach the reason.
        eerste = fouten[0]
        bekend = _schemanamen(pad.resolve())
        element, eigen = _xsd_element(eerste, bekend)
        reden = f"XSD-fout in {bericht_type}: {element}: {_xsd_regel(eerste, bekend)}"
        return _fout(reden, kolom=eigen, bericht_type=bericht_type, regel=eerste.line or None)
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
    return dict.fromkeys(BERICHTEN.namen)


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


@dataclass(frozen=True)
class _Soort:
    """What a message's root element says it is."""

    ns: str  # its namespace
    std: str  # 'ijw' | 'iwmo'
    nr: str  # the berichtsoort: '301' etc.
    bericht_type: str  # 'JW301' etc.
    berichtcode: str  # the Vektis BerichtCode its header must carry


def _wortel(data: bytes) -> etree._Element | XmlResultaat:
    """The root element of a well-formed message without DTD, or the fault."""
    if not data or not data.strip():
        return _fout("leeg bestand: geen XML-bericht")
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        # lxml's message may quote the text where parsing stopped: only the line is kept
        return _fout("geen geldige XML (niet well-formed)", regel=exc.lineno or None)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # iJw/iWmo messages have no DTD; entities are never expanded (no XXE), so refuse them.
        return _fout("DOCTYPE/entiteiten zijn niet toegestaan in een iJw/iWmo-bericht")
    return root


def _soort(root: etree._Element) -> _Soort | XmlResultaat:
    """The message type from the root element's namespace: an iJw/iWmo 3.2 'Bericht' of a type
    with a known Vektis code, or the fault."""
    qname = etree.QName(root)
    ns = qname.namespace or ""
    m = _NS_RE.match(ns)
    # What the message itself says (its namespace, its root element's name) goes beside the
    # reason as its value, never into the fixed text; a name is named only when it is a word.
    element = qname.localname if re.fullmatch(r"[A-Za-z]{1,40}", qname.localname) else None
    if m is None:
        waar = "een namespace die geen iJw/iWmo 3.2 is" if ns else "zonder namespace"
        return _fout(
            f"onbekend bericht: root-element{f' {element!r}' if element else ''} met {waar}; "
            "verwacht een iJw/iWmo 3.2 bericht (http://www.istandaarden.nl/ijw/3_2/jw301/schema"
            " e.d.)",
            kolom=element,
            waarde=ns or None,
        )
    std, nr = m.group("std"), m.group("nr")
    bericht_type = f"{m.group('soort').upper()}{nr}"
    versie = (m.group("major"), m.group("minor"))
    if versie != ("3", "2"):
        welke = ".".join(versie) if all(len(v) <= 2 for v in versie) else "een andere"
        return _fout(
            f"{_STANDAARD_NAAM[std]}-versie {welke} wordt niet ondersteund (alleen release 3.2)",
            bericht_type=bericht_type,
            waarde=ns,
        )
    if (std, m.group("soort")) not in {("ijw", "jw"), ("iwmo", "wmo")}:
        return _fout("onbekende namespace", bericht_type=bericht_type, waarde=ns)
    if qname.localname != "Bericht":
        return _fout(
            f"root-element is {f'{element!r}' if element else 'een ander'}, verwacht 'Bericht'"
            f" ({bericht_type})",
            kolom=element,
            bericht_type=bericht_type,
        )
    berichtcode = VEKTIS_BERICHTCODE.get(bericht_type)
    if berichtcode is None:
        return _fout(
            f"berichtsoort {bericht_type} wordt niet ondersteund (geen Vektis-berichtcode bekend)",
            bericht_type=bericht_type,
        )
    return _Soort(ns, std, nr, bericht_type, berichtcode)


def _header(lz: _Lezer, root: etree._Element, soort: _Soort) -> etree._Element | XmlResultaat:
    """The message's Header, carrying the BerichtCode of its type, or the fault."""
    bericht_type = soort.bericht_type
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
    if code != soort.berichtcode:
        gegeven = f" {code}" if re.fullmatch(r"\d{3}", code) else ""  # a code, nothing else
        return _fout(
            f"BerichtCode{gegeven} past niet bij berichtsoort {bericht_type} "
            f"(verwacht Vektis-code {soort.berichtcode})",
            kolom="BerichtCode",
            bericht_type=bericht_type,
        )
    return header


def _niet_voor_kpis(soort: _Soort) -> XmlResultaat:
    """A valid message of a kind the KPIs do not use: ignored, with its kind named."""
    omschrijving = OMSCHRIJVING.get(soort.nr)
    naam = f"{soort.bericht_type} ({omschrijving})" if omschrijving else soort.bericht_type
    return XmlResultaat(
        rows=[],
        fout=f"berichtsoort {naam} wordt niet gebruikt voor de KPI's",
        kolom=None,
        ernst="genegeerd",
        bericht_type=soort.bericht_type,
    )


def _basisrij(lz: _Lezer, header: etree._Element, soort: _Soort) -> Rij:
    """The header's columns of every row: type, id, dagtekening, gemeente and aanbieder (a 301
    and a 319 go from gemeente to aanbieder, the others the other way)."""
    afzender = lz.tekst(header, "Afzender")
    ontvanger = lz.tekst(header, "Ontvanger")
    van_gemeente = soort.nr in {"301", "319"}
    basis = _leeg_rij()
    basis.update(
        bericht_type=soort.bericht_type,
        bericht_id=lz.tekst(header, "BerichtIdentificatie/@Identificatie"),
        dagtekening=lz.tekst(header, "BerichtIdentificatie/@Dagtekening"),
        gemeente=afzender if van_gemeente else ontvanger,
        aanbieder=ontvanger if van_gemeente else afzender,
    )
    return basis


def parse_bericht(data: bytes, xsd_dir: Path | None = None) -> XmlResultaat:
    """Parse one iJw/iWmo 3.2 message (bytes of one XML file) into `berichten` rows.

    With `xsd_dir` the message is validated against its XSD first (``<xsd_dir>/jw|wmo/<TYPE>.xsd``
    or ``<xsd_dir>/<TYPE>.xsd``); without it only the structure is read.
    """
    root = _wortel(data)
    if isinstance(root, XmlResultaat):
        return root
    soort = _soort(root)
    if isinstance(soort, XmlResultaat):
        return soort
    lz = _Lezer(soort.ns, _BASIS_NS[soort.std])
    header = _header(lz, root, soort)
    if isinstance(header, XmlResultaat):
        return header

    bericht_type, nr = soort.bericht_type, soort.nr
    ongeldig = None if xsd_dir is None else _valideer(root, Path(xsd_dir), soort.std, bericht_type)
    if nr not in KPI_BERICHTSOORTEN:
        return ongeldig if ongeldig is not None else _niet_voor_kpis(soort)
    rijen = _EXTRACTORS[nr](lz, root, _basisrij(lz, header, soort))
    if ongeldig is not None:
        # refused by its XSD: its product lines as read go beside the fault, for the raw row
        return replace(ongeldig, ruwe_rijen=rijen)
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
