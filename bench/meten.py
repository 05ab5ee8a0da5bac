"""Measuring helpers: a child process with its wall time and peak memory, percentiles, machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A fixed pseudonymisation key: the benchmark never reads or creates the real key file.
OMGEVING = {"STOPLICHT_PSEUDONIEM_SLEUTEL": "benchmark-sleutel", "PYTHONPATH": str(REPO)}


@dataclass(frozen=True)
class Kind:
    """One child process: wall time, peak resident memory and what it printed."""

    seconden: float
    piek_gib: float
    uitvoer: str

    def json(self) -> dict:
        """The child's last stdout line as JSON (the bench children print one)."""
        return json.loads(self.uitvoer.strip().splitlines()[-1])


def draai(argumenten: list[str]) -> Kind:
    """Run `python ARGS` from the repo; wall time, and peak memory from os.wait4's rusage."""
    omgeving = {**os.environ, **OMGEVING}
    with tempfile.TemporaryFile("w+") as uit, tempfile.TemporaryFile("w+") as fout:
        begin = time.perf_counter()
        proces = subprocess.Popen(
            [sys.executable, *argumenten], cwd=REPO, env=omgeving, stdout=uit, stderr=fout
        )
        _, status, gebruik = os.wait4(proces.pid, 0)
        seconden = time.perf_counter() - begin
        proces.returncode = os.waitstatus_to_exitcode(status)
        uit.seek(0)
        fout.seek(0)
        if proces.returncode != 0:
            melding = fout.read()[-3000:]
            raise RuntimeError(f"{' '.join(argumenten)} faalde ({proces.returncode}):\n{melding}")
        # ru_maxrss is in KiB on Linux: the peak resident memory of this one child
        return Kind(seconden, gebruik.ru_maxrss / 2**20, uit.read())


def percentiel(waarden: list[float], p: float) -> float:
    """Percentile with linear interpolation (numpy's default)."""
    s = sorted(waarden)
    h = (len(s) - 1) * p
    onder = int(h)
    if onder + 1 >= len(s):
        return s[-1]
    return s[onder] + (h - onder) * (s[onder + 1] - s[onder])


def mediaan(waarden: list[float]) -> float:
    """The median."""
    return percentiel(waarden, 0.5)


def belasting() -> str:
    """Load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = next(
        (
            r.split(":", 1)[1].strip()
            for r in Path("/proc/cpuinfo").read_text().splitlines()
            if r.startswith("model name")
        ),
        platform.processor(),
    )
    geheugen = next(
        int(r.split()[1])
        for r in Path("/proc/meminfo").read_text().splitlines()
        if r.startswith("MemTotal")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "datum": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{model}, {os.cpu_count()} cores",
        "geheugen": f"{geheugen / 2**20:.1f} GiB",
        "python": platform.python_version(),
        "pakketten": ", ".join(
            f"{p} {version(p)}" for p in ("duckdb", "polars", "pandas", "pyarrow")
        ),
        "commit": commit,
    }
