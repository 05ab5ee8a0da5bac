"""Raw iJw/iWmo 3.2 XML messages (one message per file), valid against the published XSDs."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

_NS = {
    "jeugd": ("ijw", "jw", "http://www.istandaarden.nl/ijw/3_2/"),
    "wmo": ("iwmo", "wmo", "http://www.istandaarden.nl/iwmo/3_2/"),
}
ACHTERNAMEN = (
    ("Jansen", ""),
    ("Vries", "de"),
    ("Bakker", ""),
    ("Visser", ""),
    ("Smit", ""),
    ("Meijer", ""),
    ("Berg", "van den"),
    ("Mulder", ""),
    ("Bos", ""),
    ("Vos", ""),
    ("Dijk", "van"),
    ("Wit", "de"),
    ("Hendriks", ""),
    ("Brink", "ten"),
    ("Kamphuis", ""),
    ("Wolters", ""),
    ("Lensink", ""),
    ("Hoftijzer", ""),
    ("Roerdink", ""),
    ("Ebbers", ""),
    ("Heuvel", "te"),
    ("Groot", "de"),
    ("Klein Gunnewiek", ""),
    ("Tiemessen", ""),
)
VOORNAMEN = {
    "1": ("Daan", "Sem", "Lucas", "Jan", "Gerrit", "Bram", "Thijs", "Henk", "Willem", "Ruben"),
    "2": ("Emma", "Julia", "Sanne", "Anna", "Fenna", "Maria", "Lotte", "Ineke", "Tess", "Johanna"),
}
_LETTERS = "ABCDEGHJKL"
STRATEN = (
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Schoolstraat",
    "Beukenlaan",
    "Markt",
    "Stationsweg",
    "Eikenlaan",
    "Hoge Veld",
    "Slingepark",
)


class _Doc:
    """Element factory for one message: m() in the message namespace, b() in the basisschema."""

    def __init__(self, m_ns: str, b_ns: str) -> None:
        self.m_ns = m_ns
        self.b_ns = b_ns

    def m(self, parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{self.m_ns}}}{tag}")
        if text is not None:
            el.text = text
        return el

    def b(self, parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{self.b_ns}}}{tag}")
        if text is not None:
            el.text = text
        return el

    def product(self, parent: etree._Element, ln: dict[str, str]) -> None:
        prod = self.m(parent, "Product")
        self.b(prod, "Categorie", ln["product_categorie"])
        self.b(prod, "Code", ln["product_code"])

    def omvang(self, parent: etree._Element, ln: dict[str, str]) -> None:
        omvang = self.m(parent, "Omvang")
        verblijf = ln["product_categorie"] in ("43", "44")
        self.b(omvang, "Volume", "1" if verblijf else "3")
        self.b(omvang, "Eenheid", "14" if verblijf else "04")
        self.b(omvang, "Frequentie", "1" if verblijf else "2")

    def name(self, client: etree._Element, ln: dict[str, str], full: bool) -> None:
        naam = self.m(client, "Naam")
        gn = self.b(naam, "Geslachtsnaam")
        self.b(gn, "Achternaam", ln["achternaam"])
        if ln["voorvoegsel"]:
            self.b(gn, "Voorvoegsel", ln["voorvoegsel"])
        self.b(naam, "Voornamen", ln["voornaam"])
        self.b(naam, "Voorletters", ln["voornaam"][0])
        if full:
            self.b(naam, "NaamGebruik", "1")


class XmlWriter:
    """Writes one message per file into a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def write(self, lines: list[dict[str, str]]) -> str:
        """Write one message (lines: its product lines, same header); returns the file name."""
        first = lines[0]
        domein, soort = first["domein"], first["soort"]
        base_prefix, msg_prefix, root_ns = _NS[domein]
        b_ns = f"{root_ns}basisschema/schema"
        m_prefix = f"{msg_prefix}{soort}"
        m_ns = f"{root_ns}{m_prefix}/schema"
        d = _Doc(m_ns, b_ns)
        m, b = d.m, d.b

        root = etree.Element(f"{{{m_ns}}}Bericht", nsmap={base_prefix: b_ns, m_prefix: m_ns})
        header = m(root, "Header")
        m(header, "BerichtCode", first["berichtcode"])
        m(header, "BerichtVersie", "3")
        m(header, "BerichtSubversie", "2")
        from_gemeente = soort in ("301", "319")
        m(header, "Afzender", first["gemeente"] if from_gemeente else first["aanbieder"])
        m(header, "Ontvanger", first["aanbieder"] if from_gemeente else first["gemeente"])
        ident = m(header, "BerichtIdentificatie")
        b(ident, "Identificatie", first["bericht_id"])
        b(ident, "Dagtekening", first["dagtekening"])
        xsd = m(header, "XsdVersie")
        b(xsd, "BasisschemaXsdVersie", "1.0.0")
        b(xsd, "BerichtXsdVersie", "1.0.0")

        if soort == "319":
            antw = m(root, "Antwoord")
            m(antw, "ReferentieAanbieder", first["referentie_aanbieder"])
            m(antw, "VerzoekAntwoord", first["verzoek_antwoord"])
            if first["verzoek_antwoord"] == "1":
                m(antw, "RedenAfwijzingVerzoek", "7")
            return self._save(root, first)

        client = m(root, "Client")
        m(client, "Bsn", first["bsn"])
        if soort == "317":
            verzoek = m(client, "Verzoek")
            m(verzoek, "ReferentieAanbieder", first["referentie_aanbieder"])
            m(verzoek, "RedenVerzoek", "1")
            for ln in lines:
                if ln["toewijzingnummer"]:
                    tp = m(m(verzoek, "TeWijzigenProducten"), "TeWijzigenProduct")
                    m(tp, "ToewijzingNummer", ln["toewijzingnummer"])
                else:
                    tp = m(m(verzoek, "NieuweProducten"), "NieuwProduct")
                    d.product(tp, ln)
                m(tp, "GewensteIngangsdatum", ln["ingangsdatum"])
                if ln["einddatum"]:
                    m(tp, "Einddatum", ln["einddatum"])
            return self._save(root, first)

        geb = m(client, "Geboortedatum")
        b(geb, "Datum", first["geboortedatum"])
        m(client, "Geslacht", first["geslacht"])
        d.name(client, first, full=soort == "301")
        if soort == "301":
            contact = m(m(client, "Contactgegevens"), "Contact")
            m(contact, "Soort", "01")
            adres = m(contact, "Adres")
            b(b(adres, "Huis"), "Huisnummer", first["huisnummer"])
            b(adres, "Postcode", first["postcode"])
            b(adres, "Straatnaam", first["straat"])
            b(adres, "Plaatsnaam", first["plaats"])
            prods = m(client, "ToegewezenProducten")
            for ln in lines:
                tp = m(prods, "ToegewezenProduct")
                m(tp, "ToewijzingNummer", ln["toewijzingnummer"])
                if ln["referentie_aanbieder"]:
                    m(tp, "ReferentieAanbieder", ln["referentie_aanbieder"])
                d.product(tp, ln)
                m(tp, "Toewijzingsdatum", ln["dagtekening"])
                m(tp, "Toewijzingstijd", "09:30:00")
                m(tp, "Ingangsdatum", ln["ingangsdatum"])
                if ln["einddatum"]:
                    m(tp, "Einddatum", ln["einddatum"])
                if ln["reden_wijziging"]:
                    m(tp, "RedenWijziging", ln["reden_wijziging"])
                d.omvang(tp, ln)
        elif soort == "315":
            prods = m(client, "AangevraagdeProducten")
            for ln in lines:
                ap = m(prods, "AangevraagdProduct")
                m(ap, "ReferentieAanbieder", ln["referentie_aanbieder"])
                d.product(ap, ln)
                m(ap, "ToewijzingIngangsdatum", ln["ingangsdatum"])
                if ln["einddatum"]:
                    m(ap, "ToewijzingEinddatum", ln["einddatum"])
                d.omvang(ap, ln)
                verwijzer = m(ap, "Verwijzer")
                b(verwijzer, "Type", "02" if ln["domein"] == "jeugd" else "01")
                b(verwijzer, "Naam", "huisarts" if ln["domein"] == "jeugd" else "gemeente")
        else:
            tag = "StartProduct" if soort == "305" else "StopProduct"
            prods = m(client, tag.replace("Product", "Producten"))
            for ln in lines:
                sp = m(prods, tag)
                if ln["toewijzingnummer"]:
                    m(sp, "ToewijzingNummer", ln["toewijzingnummer"])
                d.product(sp, ln)
                m(sp, "ToewijzingIngangsdatum", ln["ingangsdatum"])
                m(sp, "Begindatum", ln["begindatum"])
                if soort == "307":
                    m(sp, "RedenBeeindiging", ln["reden_beeindiging"])
                    m(sp, "Einddatum", ln["einddatum_zorg"])
                m(sp, "StatusAanlevering", ln["status_aanlevering"])
        return self._save(root, first)

    def _save(self, root: etree._Element, first: dict[str, str]) -> str:
        name = f"{first['bericht_type']}_{first['bericht_id']}.xml"
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        (self.folder / name).write_bytes(data)
        self.count += 1
        return name


def person(client: int, geslacht: str) -> dict[str, str]:
    """A fictional name and address for a client number."""
    achternaam, voorvoegsel = ACHTERNAMEN[(client * 7 + 3) % len(ACHTERNAMEN)]
    voornamen = VOORNAMEN[geslacht if geslacht in VOORNAMEN else "1"]
    return {
        "achternaam": achternaam,
        "voorvoegsel": voorvoegsel,
        "voornaam": voornamen[(client * 13 + 5) % len(voornamen)],
        "huisnummer": str(1 + client % 187),
        "postcode": f"{7000 + client % 300}{_LETTERS[client % 10]}{_LETTERS[client // 10 % 10]}",
        "straat": STRATEN[client % len(STRATEN)],
    }
