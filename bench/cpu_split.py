"""Where a request's CPU goes under load: the gunicorn workers' and the PostgreSQL backends'.

``python -m bench.cpu_split <sqlite|postgresql> <size> <on|off> <path>...`` serves a built data set
under gunicorn (2 sync workers, response cache on or off), drives the ceiling and then each path with
wrk (16 connections, 2 s warm-up, 6 s measured) and divides the CPU seconds the workers and every
``postgres`` process spent meanwhile (from /proc) by the requests answered. Both share the machine's
two cores with wrk, so a microsecond saved in either is throughput gained; a wait is not CPU and does
not count. Not part of ``make bench``: a tool for finding what to change next.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

from bench import dataset as datasets
from bench.server import CEILING_PATH, Gunicorn, ServerConfig, processes

_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_SECONDS = 2
MEASURED_SECONDS = 6
#: The size of list page 1 with include=authors,tags in the bench's data sets, as the ceiling answers.
CEILING_BYTES = 27914


def cpu_seconds(chosen: Callable[[int, str], bool]) -> float:
    """User and system CPU of the processes ``chosen(pid, command name)`` picks."""
    total = 0
    for pid, stat in processes("stat"):
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if chosen(pid, name):
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def wrk(url: str, seconds: int) -> float:
    """Requests per second wrk reports."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    kind, size, cache, paths = argv[0], int(argv[1]), argv[2] == "on", argv[3:]
    dataset = datasets.dataset_for(kind, size)
    if not datasets.is_current(dataset):
        print(f"{dataset.label} is not built yet: run make bench first", file=sys.stderr)
        return 2
    with Gunicorn(dataset.url, ServerConfig(cache=cache), CEILING_BYTES) as server:
        workers = set(server.worker_pids())

        def in_workers(pid: int, name: str) -> bool:
            return pid in workers

        def in_postgres(pid: int, name: str) -> bool:
            return name.startswith("postgres")

        for path in [CEILING_PATH, *paths]:
            url = server.base_url + path
            wrk(url, WARMUP_SECONDS)
            server.wait_until_idle()
            before = cpu_seconds(in_workers), cpu_seconds(in_postgres)
            rate = wrk(url, MEASURED_SECONDS)
            after = cpu_seconds(in_workers), cpu_seconds(in_postgres)
            answered = rate * MEASURED_SECONDS
            worker_us, postgres_us = ((b - a) * 1e6 / answered for a, b in zip(before, after, strict=True))
            shares = f"workers {worker_us:5.0f} µs, postgres {postgres_us:5.0f} µs per request"
            print(f"{path[:60]:60} {rate:7.0f} req/s  {shares}")
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
