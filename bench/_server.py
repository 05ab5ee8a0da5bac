"""`streamlit run` for bench/gelijktijdig.py, with thread stacks on SIGUSR1 and a wall-clock
sampler of where the server's threads are ($BENCH_PROFIEL: the file the samples go to).

The sampler looks at every thread's stack every few milliseconds (sys._current_frames): a
thread waiting for the GIL, a lock or DuckDB shows at the line it waits in, so the counts say
where the wall time of the page runs goes, not only where the CPU goes.
"""

from __future__ import annotations

import collections
import faulthandler
import os
import signal
import sys
import threading
import time

INTERVAL_S = 0.005
_OPNIEUW = threading.Event()  # SIGUSR2: forget the samples so far (e.g. after a warm-up)


def _sampler(doel: str) -> None:
    eigen = threading.get_ident()
    eigen_regels: collections.Counter[str] = collections.Counter()
    binnen: collections.Counter[str] = collections.Counter()
    monsters = 0
    laatst = time.monotonic()
    while True:
        time.sleep(INTERVAL_S)
        if _OPNIEUW.is_set():
            _OPNIEUW.clear()
            eigen_regels.clear()
            binnen.clear()
            monsters = 0
        namen = {t.ident: t.name for t in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident == eigen or not namen.get(ident, "").startswith("ScriptRunner"):
                continue
            monsters += 1
            code = frame.f_code
            eigen_regels[f"{code.co_filename}:{frame.f_lineno} {code.co_name}"] += 1
            gezien = set()
            while frame is not None:
                code = frame.f_code
                sleutel = f"{code.co_filename}:{code.co_firstlineno} {code.co_name}"
                if sleutel not in gezien:
                    gezien.add(sleutel)
                    binnen[sleutel] += 1
                frame = frame.f_back
        if time.monotonic() - laatst > 2:
            laatst = time.monotonic()
            with open(doel, "w") as f:
                f.write(f"monsters {monsters} (page-run threads x samples)\n\n")
                f.write("## waar (bovenste regel)\n")
                for regel, n in eigen_regels.most_common(60):
                    f.write(f"{n / max(monsters, 1):6.1%} {regel}\n")
                f.write("\n## binnen (functie op de stapel)\n")
                for regel, n in binnen.most_common(120):
                    f.write(f"{n / max(monsters, 1):6.1%} {regel}\n")


if __name__ == "__main__":
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    signal.signal(signal.SIGUSR2, lambda *_: _OPNIEUW.set())
    if os.environ.get("BENCH_PROFIEL"):
        threading.Thread(
            target=_sampler, args=(os.environ["BENCH_PROFIEL"],), daemon=True, name="sampler"
        ).start()
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[1:]]
    main()
