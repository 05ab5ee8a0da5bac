"""Registry: every KPI of the spec declared, complete, golden-tested; bad declarations refused."""

import importlib
import re
from pathlib import Path

import pytest

from kpi.registry import GROEPEN, RegistryFout, laad_registry
from tests.kpi_fixtures import GOLDEN

SPEC = Path(__file__).resolve().parents[2] / "shared" / "domain" / "kpi-definities.md"
TESTS = Path(__file__).resolve().parent


def _spec_ids() -> set[str]:
    """KPI ids in the tables of kpi-definities.md, plus the two variances defined in prose."""
    ids = set()
    in_tabel = False
    for regel in SPEC.read_text(encoding="utf-8").splitlines():
        if regel.startswith("| id |"):
            in_tabel = True
        elif in_tabel and regel.startswith("|"):
            cel = regel.split("|")[1].strip()
            if re.fullmatch(r"[a-z_0-9]+", cel):
                ids.add(cel)
        else:
            in_tabel = False
    return ids | {"hoeveelheidsverschil", "prijsverschil"}


def test_elke_kpi_uit_de_spec_is_gedeclareerd() -> None:
    spec = _spec_ids()
    assert len(spec) == 23  # 21 in the tables (8 flow, 2 results, 5 money, 6 messages) + 2
    assert spec <= set(laad_registry().ids)


def test_elke_declaratie_is_compleet() -> None:
    for kpi in laad_registry():
        assert kpi.label and kpi.definitie and kpi.eenheid and kpi.richting, kpi.id
        assert kpi.definitie.endswith("."), kpi.id


def test_elke_kpi_heeft_een_golden_test() -> None:
    for pad in sorted(TESTS.glob("test_kpi_*.py")):
        importlib.import_module(f"tests.{pad.stem}")
    registry = laad_registry()
    # every computed KPI; the KPIs from other sources (externe_kpis.toml) share one unit set
    # and aggregation, golden-tested on the shipped ones, so that the region can add one by
    # configuration alone
    berekend = {k.id for k in registry if not k.extern}
    assert berekend <= set(GOLDEN) <= set(registry.ids)
    assert {k.id for k in registry if k.extern} & set(GOLDEN)


KPI = """
[[kpi]]
id = "{id}"
label = "L"
definitie = "D."
eenheid = "aantal"
richting = "neutraal"
korrel = "zorgtraject"
aggregatie = "aantal"
sql = "instroom"
"""


def _schrijf(tmp_path: Path, tekst: str) -> Path:
    pad = tmp_path / "kpis.toml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_dubbele_kpi_wordt_geweigerd_met_naam(tmp_path: Path) -> None:
    pad = _schrijf(tmp_path, KPI.format(id="a") + KPI.format(id="dubbel") + KPI.format(id="dubbel"))
    with pytest.raises(RegistryFout, match="'dubbel' is meer dan eens gedeclareerd"):
        laad_registry(pad)


@pytest.mark.parametrize(
    ("vervang", "melding"),
    [
        (('eenheid = "aantal"', 'eenheid = "stuks"'), "KPI 'x': eenheid 'stuks'"),
        (('sql = "instroom"', 'sql = "bestaat_niet"'), "sql/bestaat_niet.sql bestaat niet"),
        (('sql = "instroom"', 'sql = "instroom"\nfunctie = "realisatie"'), "precies een"),
        (('label = "L"', 'label = ""'), "KPI 'x': veld 'label' ontbreekt"),
        (('aggregatie = "aantal"', 'aggregatie = "mediaan"'), "vraagt een 'waarde'-kolom"),
        (('korrel = "zorgtraject"', 'korrel = "zorgtraject"\nkleur = 1'), "onbekende velden"),
        (('korrel = "zorgtraject"', 'korrel = "z"\nvereist = ["tabel"]'), "vereiste tabel"),
    ],
)
def test_ongeldige_declaratie(tmp_path: Path, vervang: tuple[str, str], melding: str) -> None:
    pad = _schrijf(tmp_path, KPI.format(id="x").replace(*vervang))
    with pytest.raises(RegistryFout, match=re.escape(melding)):
        laad_registry(pad)


def test_onbekende_functie_wordt_geweigerd_bij_berekenen(
    tmp_path: Path, mini_warehouse: Path
) -> None:
    """The registry is a leaf and loads it; the computation, which knows the functions, refuses."""
    import duckdb

    from kpi.berekening import Berekening

    con = duckdb.connect(str(mini_warehouse), read_only=True)
    pad = _schrijf(tmp_path, KPI.format(id="x").replace('sql = "instroom"', 'functie = "geen"'))
    registry = laad_registry(pad)
    with pytest.raises(RegistryFout, match=re.escape("KPI 'x': functie 'geen' bestaat niet")):
        Berekening(con, registry=registry)


def test_registry_is_bevroren() -> None:
    registry = laad_registry()
    with pytest.raises(AttributeError):
        registry["instroom"].label = "x"  # type: ignore[misc]
    with pytest.raises(KeyError, match="onbekende KPI 'niets'"):
        registry["niets"]


def test_zonder_start_en_stop_zeggen_dat_ze_aan_de_periode_gebonden_zijn() -> None:
    # kpi-definities.md: toewijzingen starting (zonder_start) / ending (zonder_stop) in the
    # period; the UI shows the registry's definitie
    reg = laad_registry()
    assert reg["zonder_start"].definitie.startswith("Gebonden aan de periode")
    assert "die in de periode ingaan" in reg["zonder_start"].definitie
    assert reg["zonder_stop"].definitie.startswith("Gebonden aan de periode")
    assert "die in de periode aflopen" in reg["zonder_stop"].definitie
    assert reg["zonder_start"].periodiek and reg["zonder_stop"].periodiek


def test_elke_kpi_heeft_een_groep_en_een_eigenaar() -> None:
    for kpi in laad_registry():
        assert kpi.groep in GROEPEN and kpi.eigenaar, kpi.id
    assert {k.eigenaar for k in laad_registry() if not k.extern} == {"regio"}


def test_onbekende_groep_wordt_geweigerd_met_naam(tmp_path: Path) -> None:
    pad = _schrijf(
        tmp_path, KPI.format(id="x").replace('label = "L"', 'label = "L"\ngroep = "gld"')
    )
    with pytest.raises(RegistryFout, match=re.escape("KPI 'x': groep 'gld' bestaat niet")):
        laad_registry(pad)


def test_onbekende_groep_in_externe_kpis_wordt_geweigerd(tmp_path: Path) -> None:
    extern = tmp_path / "externe_kpis.toml"
    extern.write_text(
        '[[kpi]]\nid = "e"\nlabel = "E"\ngroep = "tevredenheid"\ndefinitie = "D."\n'
        'eenheid = "aandeel"\nrichting = "hoger_beter"\nbron = "B"\n',
        encoding="utf-8",
    )
    with pytest.raises(RegistryFout, match=re.escape("'e': groep 'tevredenheid' bestaat niet")):
        laad_registry(_schrijf(tmp_path, KPI.format(id="x")), extern)


def test_groep_geeft_de_gedeclareerde_ids_in_volgorde(tmp_path: Path) -> None:
    tekst = "".join(
        KPI.format(id=i).replace('label = "L"', f'label = "L"\ngroep = "{g}"')
        for i, g in (("b", "geld"), ("a", "stroom"), ("c", "geld"), ("d", "berichten"))
    )
    registry = laad_registry(_schrijf(tmp_path, tekst))
    assert registry.groep("geld") == ("b", "c")
    assert registry.groep("stroom") == ("a",)
    assert registry.groep("prognose") == ()
    with pytest.raises(KeyError, match="onbekende KPI-groep 'gld'"):
        registry.groep("gld")


def test_groepen_van_de_declaratie() -> None:
    """The shipped groups in declaration order: every id once, in the file's order."""
    reg = laad_registry()
    assert reg.groep("geld") == ("benutting", "zorgkosten", "voorschot", "saldo_afrekening")
    assert reg.groep("begroting") == (
        "realisatie", "realisatie_vorig_jaar", "jaarverwachting", "hoeveelheidsverschil",
        "prijsverschil",
    )  # fmt: skip
    assert reg.groep("berichten") == (
        "tijdig_305", "tijdig_307", "tijdig_301", "zonder_start", "zonder_stop", "quarantaine",
    )  # fmt: skip
    assert reg.groep("prognose") == (
        "verwachte_zorgdagen", "verwachte_benutting", "verwachte_zorgkosten", "verwacht_saldo",
        "voorschotadvies", "volloop", "plekken_volgend_jaar",
    )  # fmt: skip
    assert reg.groep("resultaat") == ("recidive", "afschaling", "doelrealisatie")
    alle = [i for g in GROEPEN for i in reg.groep(g)]
    assert sorted(alle) == sorted(reg.ids)
    volgorde = {i: n for n, i in enumerate(reg.ids)}
    for g in GROEPEN:
        assert [volgorde[i] for i in reg.groep(g)] == sorted(volgorde[i] for i in reg.groep(g))


def test_eenheid_teller_een_naam() -> None:
    """eenheid_teller: as declared, else aantal for shares and the KPI's own eenheid."""
    reg = laad_registry()
    assert reg["realisatie"].eenheid_teller == "euro" and reg["realisatie"].teller_in_centen
    assert reg["recidive"].eenheid_teller == "aantal" and not reg["recidive"].teller_in_centen
    assert reg["saldo_afrekening"].eenheid_teller == "euro"
    assert not reg["saldo_afrekening"].teller_in_centen
    assert [k.id for k in reg if k.teller_in_centen] == ["realisatie", "jaarverwachting"]


ROOT = TESTS.parent
CODE = ("kpi", "weergave", "rapport", "ui", "paginas")


def test_geen_groep_met_de_hand_opgesomd() -> None:
    """A group is read from the declaration (Registry.groep), never listed again by hand: no
    module or page spells out a group's ids in a row (the declaration and a copy would drift)."""
    reg = laad_registry()
    for groep in GROEPEN:
        ids = reg.groep(groep)
        if len(ids) < 2:
            continue
        rij = re.compile(r"\s*,\s*".join(f"[\"']{i}[\"']" for i in ids))
        for map_ in CODE:
            for pad in (ROOT / map_).rglob("*.py"):
                tekst = pad.read_text(encoding="utf-8")
                assert not rij.search(tekst), f"{pad.relative_to(ROOT)} somt groep {groep!r} op"


def test_gekozen_lijsten_noemen_gedeclareerde_kpis() -> None:
    """The named choices of KPIs (which a table shows, in which order) hold declared ids, and
    where a choice is part of a group it stays inside it."""
    from kpi.gesprek import GROEP_KPIS
    from rapport import deck, factsheet
    from weergave import grafieken, tabellen

    reg = laad_registry()
    keuzes = {
        "tabellen.MATRIX_KPIS": tabellen.MATRIX_KPIS,
        "tabellen.POSITIE_KPIS": tabellen.POSITIE_KPIS,
        "tabellen.DOORLOOPTIJD_KPIS": tabellen.DOORLOOPTIJD_KPIS,
        "gesprek.GROEP_KPIS": GROEP_KPIS,
        "factsheet.TREND_KPIS": factsheet.TREND_KPIS,
        "factsheet.BENCHMARK_GRAFIEK": factsheet.BENCHMARK_GRAFIEK,
        "factsheet.KERNCIJFERS": tuple(factsheet.KERNCIJFERS),
        "deck.DOORLOOPTIJD_RECIDIVE": deck.DOORLOOPTIJD_RECIDIVE,
        "grafieken.STROOM_LIJNEN": grafieken.STROOM_LIJNEN,
        "deck.FINANCIEN": deck.FINANCIEN,
    }
    for naam, ids in keuzes.items():
        assert ids and len(set(ids)) == len(ids), naam
        assert set(ids) <= set(reg.ids), (naam, set(ids) - set(reg.ids))
    assert set(tabellen.DOORLOOPTIJD_KPIS) <= set(reg.groep("stroom"))
    assert set(factsheet.KERNCIJFERS) <= set(reg.groep("geld"))
    assert set(deck.FINANCIEN) <= set(reg.groep("begroting"))
    assert set(factsheet.BENCHMARK_GRAFIEK) <= set(tabellen.POSITIE_KPIS)
    # the matrix: every external KPI of the declaration after the chosen ones
    assert tabellen.MATRIX_KPIS[-2:] == tuple(k.id for k in reg if k.extern)


def test_benchmarkpagina_noemt_gedeclareerde_kpis() -> None:
    """The Benchmark page's choice (a script, read as text) holds declared ids."""
    import ast

    bron = (ROOT / "paginas" / "benchmark.py").read_text(encoding="utf-8")
    lijst = next(
        n.value
        for n in ast.parse(bron).body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "BENCHMARK_KPIS"
    )
    ids = ast.literal_eval(lijst)
    assert ids and set(ids) <= set(laad_registry().ids)
