"""The access rules without a browser: user file, mode, sample check, revoked logins.

The same rules run in the real login path in tests/test_toegang_oidc.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from kpi import toegang
from kpi.scope import Scope
from kpi.toegang import (
    ToegangFout,
    is_ingetrokken,
    is_voorbeelddata,
    lees_gebruikers,
    lokale_scope,
    modus,
    trek_in,
)
from tests.conftest import bericht, laad, schrijf_extract

GOED = (
    '[[gebruiker]]\nemail = "CM@Regio.nl"\nrol = "regio"\n\n'
    '[[gebruiker]]\nemail = "w@aalten.nl"\nrol = "gemeente"\ngemeente = "0197"\n\n'
    '[[gebruiker]]\nemail = "info@zorg.nl"\nrol = "aanbieder"\naanbieder = "01234567"\n'
)


def _ik(email: str | None = None, sub: str = "s-1", **claims: object) -> dict:
    return {"is_logged_in": True, "email": email, "sub": sub, "iss": "https://idp",
            "iat": 1_700_000_000, "nonce": "n", **claims}  # fmt: skip


def test_gebruikersbestand(tmp_path: Path) -> None:
    pad = tmp_path / "gebruikers.toml"
    pad.write_text(GOED)
    g = lees_gebruikers(pad)
    assert g.problemen == ()
    assert g.scope_voor(_ik("cm@regio.nl")) == Scope()
    assert g.scope_voor(_ik("W@Aalten.nl")) == Scope("gemeente", gemeente="0197")
    assert g.scope_voor(_ik("info@zorg.nl")) == Scope("aanbieder", aanbieder="01234567")
    assert g.scope_voor(_ik("vreemde@elders.nl")) is None
    assert lokale_scope(None) == Scope()
    assert lokale_scope("aanbieder:01234567") == Scope("aanbieder", aanbieder="01234567")


@pytest.mark.parametrize(
    ("slecht", "reden"),
    [
        ('email = "x@y.nl"\nrol = "aanbieder"', "AGB"),  # the entry of issue 23 item 6
        ('email = "x@y.nl"\nrol = "aanbieder"\naanbieder = 1234567', "AGB"),  # a number
        ('email = "x@y.nl"\nrol = "gemeente"\ngemeente = "197"', "gemeentecode"),
        ('email = "x@y.nl"\nrol = "baas"', "rol 'baas'"),
        ('email = "geen-adres"\nrol = "regio"', "e-mailadres"),
        ('rol = "regio"', "email of sub ontbreekt"),
        ('email = "x@y.nl"\nrole = "regio"', "onbekende velden"),
    ],
)
def test_een_slechte_regel_wordt_overgeslagen(tmp_path: Path, slecht: str, reden: str) -> None:
    """One bad entry is skipped and named (for the log); everyone else keeps access."""
    pad = tmp_path / "gebruikers.toml"
    pad.write_text(f"{GOED}\n[[gebruiker]]\n{slecht}\n")
    g = lees_gebruikers(pad)
    assert len(g.problemen) == 1 and reden in g.problemen[0] and "#4" in g.problemen[0]
    assert g.scope_voor(_ik("cm@regio.nl")) == Scope()
    assert g.scope_voor(_ik("info@zorg.nl")) == Scope("aanbieder", aanbieder="01234567")
    assert g.scope_voor(_ik("x@y.nl")) is None


def test_dubbel_adres_geeft_geen_van_beide_toegang(tmp_path: Path) -> None:
    pad = tmp_path / "gebruikers.toml"
    pad.write_text(GOED + '\n[[gebruiker]]\nemail = "info@zorg.nl"\nrol = "regio"\n')
    g = lees_gebruikers(pad)
    assert g.scope_voor(_ik("info@zorg.nl")) is None  # ambiguous: neither role
    assert [p.split(":")[0] for p in g.problemen] == [
        "gebruiker #3 overgeslagen",
        "gebruiker #4 overgeslagen",
    ]
    assert g.scope_voor(_ik("cm@regio.nl")) == Scope()


@pytest.mark.parametrize(
    "inhoud", [None, "dit is [geen toml", '[[gebruiker]]\nemail = "a@b.nl"\nrol = "regio"\x00']
)
def test_onleesbaar_bestand_geeft_niemand_toegang(tmp_path: Path, inhoud: str | None) -> None:
    pad = tmp_path / "gebruikers.toml"
    if inhoud is not None:
        pad.write_text(inhoud)
    with pytest.raises(ToegangFout):
        lees_gebruikers(pad)


@pytest.mark.parametrize(
    ("bevestigd", "toegang"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, False), (0, False)],
)
def test_email_verified(tmp_path: Path, bevestigd: object, toegang: bool) -> None:
    """An e-mail the provider calls unverified is not used; without the claim it stands."""
    pad = tmp_path / "gebruikers.toml"
    pad.write_text(GOED)
    g = lees_gebruikers(pad)
    verwacht = Scope("aanbieder", aanbieder="01234567") if toegang else None
    assert g.scope_voor(_ik("info@zorg.nl", email_verified=bevestigd)) == verwacht
    assert g.scope_voor(_ik("info@zorg.nl")) == Scope("aanbieder", aanbieder="01234567")


def test_vastgezet_op_sub(tmp_path: Path) -> None:
    """An entry with `sub` matches only that subject; a sub-only entry needs no e-mail."""
    pad = tmp_path / "gebruikers.toml"
    pad.write_text(
        '[[gebruiker]]\nemail = "info@zorg.nl"\nsub = "abc-123"\nrol = "aanbieder"\n'
        'aanbieder = "01234567"\n\n'
        '[[gebruiker]]\nsub = "def-456"\nrol = "regio"\n'
    )
    g = lees_gebruikers(pad)
    eigen = Scope("aanbieder", aanbieder="01234567")
    assert g.scope_voor(_ik("info@zorg.nl", sub="abc-123")) == eigen
    assert g.scope_voor(_ik("info@zorg.nl", sub="iemand-anders")) is None  # same e-mail
    assert g.scope_voor(_ik("info@zorg.nl", sub="abc-123", email_verified=False)) is None
    assert g.scope_voor(_ik(None, sub="def-456")) == Scope()
    assert g.scope_voor(_ik("wie@dan.ook", sub="def-456")) == Scope()


def test_modus_faalt_dicht(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never local once login is configured or the data are real (issue 23 item 1)."""
    standaard = tmp_path / "gebruikers.toml"
    monkeypatch.setattr(toegang, "STANDAARD_BESTAND", standaard)
    monkeypatch.delenv(toegang.GEBRUIKERS_ENV, raising=False)
    # nothing configured: local mode on the sample, refused on anything else
    assert modus(False, True).soort == "lokaal"
    assert modus(False, False).soort == "geweigerd"
    assert "niet de voorbeelddata" in modus(False, False).reden
    # [auth] configured and the user file absent (or renamed while running): login, with the
    # default file, which then cannot be read, so nobody gets in; never local mode
    m = modus(True, True)
    assert (m.soort, m.bestand) == ("inloggen", standaard)
    with pytest.raises(ToegangFout):
        lees_gebruikers(m.bestand)
    standaard.write_text(GOED)
    assert modus(True, True).soort == "inloggen"
    assert modus(False, True).soort == "geweigerd"  # a user file without [auth]
    standaard.rename(tmp_path / "weg.toml")
    assert modus(True, True).soort == "inloggen"
    monkeypatch.setenv(toegang.GEBRUIKERS_ENV, str(tmp_path / "elders.toml"))
    assert modus(True, False).bestand == tmp_path / "elders.toml"
    assert modus(False, True).soort == "geweigerd"


def test_voorbeelddata_herkend(mini_warehouse: Path, tmp_path: Path) -> None:
    """The generated sample passes; a real extract, or real files in the sample folder, not."""
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    assert is_voorbeelddata(con)
    con.close()
    echt = laad(schrijf_extract(tmp_path / "echt", [bericht(bericht_type="JW305")]))
    assert not is_voorbeelddata(echt)
    # a sample folder whose files were replaced by others: same names, other row counts
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    extract = Path(dict(con.execute("select * from meta").fetchall())["extract"])
    con.close()
    kopie = tmp_path / "kopie"
    shutil.copytree(extract, kopie)
    manifest = json.loads((kopie / "manifest.json").read_text())
    manifest["bestanden"]["contracten.csv"] += 1
    (kopie / "manifest.json").write_text(json.dumps(manifest))
    db = tmp_path / "kopie.duckdb"
    shutil.copy(mini_warehouse, db)
    schrijf = duckdb.connect(str(db))
    schrijf.execute("update meta set waarde = ? where sleutel = 'extract'", [str(kopie)])
    schrijf.close()
    assert not is_voorbeelddata(duckdb.connect(str(db), read_only=True))
    (kopie / "manifest.json").unlink()
    assert not is_voorbeelddata(duckdb.connect(str(db), read_only=True))


def test_uitloggen_trekt_de_sessie_in(tmp_path: Path) -> None:
    pad = tmp_path / "ingetrokken.txt"
    ik, later = _ik("info@zorg.nl"), _ik("info@zorg.nl", iat=1_700_000_999)
    assert not is_ingetrokken(ik, pad)
    trek_in(ik, pad)
    assert is_ingetrokken(ik, pad)
    assert not is_ingetrokken(later, pad)  # a new login of the same person is a new session
    assert (pad.stat().st_mode & 0o777) == 0o600
    trek_in(later, pad)
    assert is_ingetrokken(ik, pad) and is_ingetrokken(later, pad)
    # an identity without subject and issue time cannot be told apart: not accepted
    assert is_ingetrokken({"is_logged_in": True, "email": "x@y.nl"}, pad)
