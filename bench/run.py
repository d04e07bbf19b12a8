"""``make bench``: build the data sets, serve each under gunicorn, drive it with wrk, write RESULTS.md.

Settings come from the environment (see ``Settings.from_env``); ``BENCH_QUICK=1`` is a smoke run of a
minute or two. Every endpoint is measured in the same server process as the ceiling, with their
repetitions interleaved, so that what the other processes on the machine do affects both alike.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench import dataset as datasets
from bench import probe
from bench.load import Measurement, run_wrk
from bench.report import RAW, RESULTS, write_results
from bench.server import Gunicorn, ServerConfig


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    databases: tuple[str, ...]
    duration: int
    reps: int
    warmup: int
    connections: int
    threads: int
    quick: bool

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Settings:
        quick = env.get("BENCH_QUICK", "") not in ("", "0")
        return cls(
            sizes=tuple(
                int(s) for s in env.get("BENCH_SIZES", "1000" if quick else "1000,100000").split(",")
            ),
            databases=tuple(env.get("BENCH_DATABASES", "sqlite,postgresql").split(",")),
            duration=int(env.get("BENCH_DURATION", "1" if quick else "3")),
            reps=int(env.get("BENCH_REPS", "1" if quick else "3")),
            warmup=int(env.get("BENCH_WARMUP", "2")),
            connections=int(env.get("BENCH_CONNECTIONS", "16")),
            threads=int(env.get("BENCH_THREADS", "0" if quick else "4")),
            quick=quick,
        )


@dataclass
class ServerRun:
    config: ServerConfig
    measurements: dict[str, Measurement] = field(default_factory=dict)
    peak_rss_mb: list[float] = field(default_factory=list)


@dataclass
class DatasetRun:
    dataset: datasets.Dataset
    endpoints: list[probe.Endpoint]
    list_bytes: int
    search_totals: dict[str, int]
    servers: list[ServerRun] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def plan(size: int, largest: int, threads: int, available: set[str]) -> list[tuple[ServerConfig, list[str]]]:
    """Which endpoints each server configuration measures: the full set at the largest size, what
    the 1k-vs-100k comparison needs at smaller ones, and workers-vs-threads on list page 1 only."""
    big = size == largest
    warm = ["list", "detail", "tag", "search", "304"] if big else ["list", "detail", "304"]
    cold = (
        ["list", "deep", "cursor", "detail", "tag", "search", "search_1c", "304"]
        if big
        else ["list", "detail", "tag", "304"]
    )
    runs = [(ServerConfig(cache=True), warm), (ServerConfig(cache=False), cold)]
    if big and threads > 1:
        runs += [(ServerConfig(threads=threads, cache=True), ["list"])]
        runs += [(ServerConfig(threads=threads, cache=False), ["list"])]
    return [(config, ["ceiling", *[k for k in keys if k in available]]) for config, keys in runs]


def build_all(settings: Settings) -> dict[str, Any]:
    """Build the data sets that are missing or stale. Loading runs in three processes side by side
    (PostgreSQL computes each row's tsvector as it arrives, so its big set is loaded in two halves)."""
    wanted = [datasets.dataset_for(kind, size) for size in settings.sizes for kind in settings.databases]
    started = time.monotonic()
    stale = [d for d in wanted if not datasets.is_current(d)]
    for dataset in wanted:
        if dataset not in stale:
            log(f"{dataset.label}: cached data set is current")
        elif datasets.only_migrations_behind(dataset):
            log(f"{dataset.label}: running the newer migrations on the cached data set")
            datasets.upgrade(dataset)
            stale.remove(dataset)
    for dataset in stale:
        log(f"{dataset.label}: creating the schema with the migrations")
        datasets.prepare(dataset)
    tasks = [
        (dataset, low, high)
        for dataset in sorted(stale, key=lambda d: -d.size)
        for low, high in datasets.chunks(
            dataset, 2 if dataset.kind == "postgresql" and dataset.size > 10_000 else 1
        )
    ]
    with ProcessPoolExecutor(max_workers=3) as pool:
        list(pool.map(_load, tasks))
        list(pool.map(_finish, stale))
    spent = time.monotonic() - started
    if stale:
        log(f"built {', '.join(d.label for d in stale)} in {spent:.0f} s")
    for dataset in wanted:
        added = datasets.create_missing_indexes(dataset)
        if added:
            log(f"{dataset.label}: created indexes the models declare but no migration builds yet: {added}")
    extra = sorted({name for d in wanted for name in datasets.indexes_beyond_migrations(d)})
    return {"seconds": time.monotonic() - started, "built": [d.label for d in stale], "indexes": extra}


def _load(task: tuple[datasets.Dataset, int, int]) -> None:
    datasets.load_chunk(*task, log=log)


def _finish(dataset: datasets.Dataset) -> None:
    datasets.finish(dataset, log)


def measure_dataset(dataset: datasets.Dataset, settings: Settings) -> DatasetRun:
    found = probe.endpoints(dataset)
    list_bytes = probe.count_queries(dataset, found)
    run = DatasetRun(dataset, found, list_bytes, probe.search_totals(dataset))
    by_key = {e.key: e for e in found}
    for config, keys in plan(dataset.size, max(settings.sizes), settings.threads, set(by_key)):
        log(f"{dataset.label}, {config.label}: {', '.join(keys)}")
        server_run = ServerRun(config)
        with Gunicorn(dataset.url, config, list_bytes) as server:
            chosen = [by_key[k] for k in keys]
            headers = {e.key: _headers_for(server.base_url, e) for e in chosen}
            # One warm-up over every path of every endpoint: fills each worker's cache and pool.
            everything = [path for endpoint in chosen for path in endpoint.paths]
            run_wrk(server.base_url, everything, seconds=settings.warmup)
            server.wait_until_idle()
            for _ in range(settings.reps):
                for endpoint in chosen:
                    sample = run_wrk(
                        server.base_url,
                        endpoint.paths,
                        seconds=settings.duration,
                        connections=endpoint.connections or settings.connections,
                        threads=1 if endpoint.connections == 1 else 2,
                        headers=headers[endpoint.key],
                    )
                    server_run.measurements.setdefault(endpoint.key, Measurement()).samples.append(sample)
                    server.wait_until_idle()
            server_run.peak_rss_mb = server.peak_rss_mb()
        run.servers.append(server_run)
    return run


def _headers_for(base_url: str, endpoint: probe.Endpoint) -> dict[str, str]:
    """The 304 endpoint sends the ETag this very server gave for the list page; others send none."""
    import urllib.request

    if endpoint.status != 304:
        return {}
    with urllib.request.urlopen(base_url + endpoint.paths[0], timeout=30) as response:
        etag = response.headers["ETag"]
    request = urllib.request.Request(base_url + endpoint.paths[0], headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as answer:
        if answer.code == 304:
            return {"If-None-Match": etag}
        raise
    raise RuntimeError(f"{endpoint.paths[0]} did not answer 304 to its own ETag")


def main() -> int:
    started = time.monotonic()
    settings = Settings.from_env(dict(os.environ))
    log(f"settings: {settings}")
    build = build_all(settings)
    runs = []
    for size in settings.sizes:
        for kind in settings.databases:
            runs.append(measure_dataset(datasets.dataset_for(kind, size), settings))
    total = time.monotonic() - started
    raw = {
        "settings": asdict(settings),
        "build": build,
        "total_seconds": total,
        "finished": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "runs": [_raw(r) for r in runs],
    }
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.write_text(json.dumps(raw, indent=1, default=str))
    text = write_results(RESULTS, raw)
    print(text)
    log(f"done in {total:.0f} s; wrote {RESULTS}")
    return 0


def _raw(run: DatasetRun) -> dict[str, Any]:
    return {
        "label": run.dataset.label,
        "kind": run.dataset.kind,
        "size": run.dataset.size,
        "list_bytes": run.list_bytes,
        "search_totals": run.search_totals,
        "endpoints": [
            {k: getattr(e, k) for k in ("key", "title", "status", "queries_warm", "queries_cold")}
            | {"sample_paths": e.paths[:3], "paths": len(e.paths)}
            for e in run.endpoints
        ],
        "servers": [
            {
                "label": s.config.label,
                "workers": s.config.workers,
                "threads": s.config.threads,
                "cache": s.config.cache,
                "peak_rss_mb": s.peak_rss_mb,
                "measurements": {
                    key: {
                        "requests_per_s": m.requests_per_s,
                        "p50_ms": m.p50_ms,
                        "p99_ms": m.p99_ms,
                        "errors": m.errors,
                        "samples": [asdict(x) for x in m.samples],
                    }
                    for key, m in s.measurements.items()
                },
            }
            for s in run.servers
        ],
    }


if __name__ == "__main__":
    sys.exit(main())
