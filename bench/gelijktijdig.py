"""Many users at once: a real `streamlit run app.py`, N concurrent sessions over websockets.

Each session is what a browser tab is to the server: a websocket on /_stcore/stream that asks
for a page with a URL (query string) and receives the page's elements until the script run
has finished. A session walks through the pages a contract manager opens for one provider and
period (Overzicht, KPI-detail, Aanbieder, Benchmark, Datakwaliteit, Financiën); sessions differ
in provider, period and KPI, so they ask for different figures, as real users do. All sessions
start at once; a page's time runs from the request to the server's "script finished". Round 1
runs on a freshly started server (cold caches), round 2 repeats the same walk (warm); with
--nieuwe-vragen the later rounds ask for other providers and KPIs instead (a warm server that
has not answered these questions yet).

    .venv/bin/python -m bench.gelijktijdig --db data/stoplicht.duckdb --sessies 20

Prints one JSON line with p50, p95 and max per round and per page, and the exceptions seen.
Runs the app in local mode: the sample warehouse, role regio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.meten import REPO, belasting, machine, percentiel

PERIODEN = ("cj2023", "2024", "2024-Q2", "cj2022", "2023", "2024-05")
KPIS = ("doorlooptijd", "instroom", "uitstroom_volgens_plan", "lopend", "wachttijd", "recidive")
STAP_MAX_S = 180  # a page that has not finished by then counts as stuck


@dataclass(frozen=True)
class Stap:
    """One page a user opens: the page's URL path and its query string."""

    pagina: str
    query: dict[str, str]


@dataclass
class Uitkomst:
    """What one session saw: per step the page, the seconds it took, exceptions shown."""

    tijden: list[tuple[str, float]] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)


def wandeling(i: int, aanbieders: list[str]) -> list[Stap]:
    """The pages session i opens: one provider, one period, one KPI (varied over sessions)."""
    periode = PERIODEN[i % len(PERIODEN)]
    agb = aanbieders[(i * 7) % len(aanbieders)]
    kpi = KPIS[i % len(KPIS)]
    return [
        Stap("", {"periode": periode}),
        Stap("kpi_detail", {"periode": periode, "kpi": kpi}),
        Stap("aanbieder", {"periode": periode, "aanbieder": agb}),
        Stap("benchmark", {"periode": periode, "aanbieder": agb}),
        Stap("datakwaliteit", {"periode": periode}),
        Stap("financien", {"periode": periode}),
    ]


def _vraag(stap: Stap, pagina_hash: str) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = urlencode(stap.query)
    cs.page_name = stap.pagina
    cs.page_script_hash = pagina_hash
    return msg.SerializeToString()


async def sessie(url: str, stappen: list[Stap], start: asyncio.Event) -> Uitkomst:
    """One browser tab's traffic: connect, then each page in turn until its run finishes."""
    uit = Uitkomst()
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit"],
        origin=url,
        max_size=None,
        open_timeout=120,
        ping_interval=None,
    ) as ws:
        await start.wait()
        for stap in stappen:
            begin = time.perf_counter()
            await ws.send(_vraag(stap, ""))
            while True:
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(await asyncio.wait_for(ws.recv(), STAP_MAX_S))
                except TimeoutError:
                    uit.fouten.append(f"{stap.pagina}: geen antwoord binnen {STAP_MAX_S} s")
                    return uit
                soort = msg.WhichOneof("type")
                if soort == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    if element.WhichOneof("type") == "exception":
                        uit.fouten.append(f"{stap.pagina}: {element.exception.message[:200]}")
                elif (
                    soort == "script_finished"
                    # 0 = finished successfully; a rerun the script asked for starts anew
                    and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                ):
                    break
            uit.tijden.append((stap.pagina or "overzicht", time.perf_counter() - begin))
    return uit


async def ronde(url: str, wandelingen: list[list[Stap]]) -> list[Uitkomst]:
    """All sessions at once: they connect, then start together."""
    start = asyncio.Event()
    taken = [asyncio.create_task(sessie(url, w, start)) for w in wandelingen]
    await asyncio.sleep(0.5)  # let every session connect before the first request
    start.set()
    return await asyncio.gather(*taken)


def _samenvatting(uitkomsten: list[Uitkomst], seconden: float) -> dict:
    alle = [t for u in uitkomsten for _, t in u.tijden]
    per_pagina: dict[str, list[float]] = defaultdict(list)
    for u in uitkomsten:
        for pagina, t in u.tijden:
            per_pagina[pagina].append(t)

    def cijfers(ts: list[float]) -> dict:
        return {
            "n": len(ts),
            "p50_s": round(percentiel(ts, 0.5), 2),
            "p95_s": round(percentiel(ts, 0.95), 2),
            "max_s": round(max(ts), 2),
        }

    return {
        **cijfers(alle),
        "duur_s": round(seconden, 1),
        "per_pagina": {p: cijfers(ts) for p, ts in per_pagina.items()},
        "fouten": [f for u in uitkomsten for f in u.fouten],
    }


def _start_server(db: Path, poort: int, omgeving: dict[str, str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "STOPLICHT_DB": str(db.resolve()), **omgeving}
    return subprocess.Popen(
        [sys.executable, "-m", "bench._server", "run", "app.py", "--server.port", str(poort),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wacht_op(url: str) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("streamlit kwam niet op")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=REPO / "data" / "stoplicht.duckdb")
    ap.add_argument("--sessies", type=int, default=20)
    ap.add_argument("--rondes", type=int, default=2)
    ap.add_argument("--poort", type=int, default=8765)
    ap.add_argument(
        "--nieuwe-vragen",
        action="store_true",
        help="rounds after the first ask for other providers (and KPIs) than the rounds before: "
        "a warm server with questions it has not answered yet",
    )
    ap.add_argument("--log", type=Path, default=Path("/tmp/bench-gelijktijdig-server.log"))
    ap.add_argument("--profiel", type=Path, help="file for the server's thread samples")
    ap.add_argument(
        "--profiel-warm",
        action="store_true",
        help="samples only of the rounds after the first (warm caches)",
    )
    args = ap.parse_args(argv)

    con = duckdb.connect(str(args.db), read_only=True)
    aanbieders = [
        r[0]
        for r in con.execute(
            "select aanbieder from zorgtrajecten group by 1 order by count(*) desc"
        ).fetchall()
    ]
    con.close()

    def wandelingen_van(ronde_nr: int) -> list[list[Stap]]:
        verschuiving = ronde_nr * args.sessies if args.nieuwe_vragen else 0
        return [wandeling(verschuiving + i, aanbieders) for i in range(args.sessies)]

    url = f"http://127.0.0.1:{args.poort}"
    begin_belasting = belasting()
    omgeving = {"BENCH_PROFIEL": str(args.profiel)} if args.profiel else {}
    server = _start_server(args.db, args.poort, omgeving, args.log)
    try:
        _wacht_op(url)
        rondes = []
        for ronde_nr in range(args.rondes):
            begin = time.perf_counter()
            uitkomsten = asyncio.run(ronde(url, wandelingen_van(ronde_nr)))
            rondes.append(_samenvatting(uitkomsten, time.perf_counter() - begin))
            if args.profiel and args.profiel_warm and len(rondes) == 1:
                server.send_signal(signal.SIGUSR2)  # forget the cold round's samples
            if any("geen antwoord" in f for f in rondes[-1]["fouten"]):
                server.send_signal(signal.SIGUSR1)  # the stuck threads' stacks, into --log
                time.sleep(2)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a frozen server: the figures still get printed
            server.kill()
            server.wait()
    print(
        json.dumps(
            {
                "sessies": args.sessies,
                "stappen_per_sessie": len(wandelingen_van(0)[0]),
                "nieuwe_vragen": args.nieuwe_vragen,
                "rondes": rondes,
                "belasting_voor": begin_belasting,
                "belasting_na": belasting(),
                "machine": machine(),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
