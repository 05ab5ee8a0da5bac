"""The Streamlit settings the many-users measurement rests on (bench/gelijktijdig.py): present
in .streamlit/config.toml and real option names (Streamlit ignores a misspelt key silently)."""

from __future__ import annotations

import tomllib

from streamlit import config

from tests.conftest import REPO


def test_instellingen_voor_veel_gebruikers_staan_er_en_bestaan() -> None:
    with (REPO / ".streamlit" / "config.toml").open("rb") as f:
        ingesteld = tomllib.load(f)
    # no source watcher walking every module after each run; no full gc.collect(2) after
    # every script run (it held the GIL for every other session)
    assert ingesteld["server"]["fileWatcherType"] == "none"
    assert ingesteld["runner"]["postScriptGC"] is False
    bekend = set(config._config_options_template)
    for sectie, opties in ingesteld.items():
        for naam in opties:
            assert f"{sectie}.{naam}" in bekend, f"{sectie}.{naam} is geen Streamlit-optie"
