"""RESULTS.md from a run's raw figures: the targets of issue 7 first, then every measurement.

Hand-written findings (profiles, what each change bought) live in bench/analysis.md and are appended,
so a new run replaces the numbers but keeps the explanation.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ANALYSIS = Path(__file__).with_name("analysis.md")
RESULTS = Path(__file__).with_name("RESULTS.md")
RAW = Path(__file__).parent / "data" / "results.json"
TITLES = {
    "list": "List page 1, include=authors,tags",
    "deep": "Deep page (offset)",
    "cursor": "Deep page by cursor (after=)",
    "detail": "Detail by slug",
    "tag": "List filtered by tag",
    "search": "Search q=",
    "search_1c": "Search q=, one connection (no queueing)",
    "304": "Conditional GET answered 304",
    "ceiling": "CEILING: precomputed bytes",
}
SEARCH_P99_MS = 50.0
RSS_LIMIT_MB = 150.0


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    holds: bool | None  # None: not measured in this run


def _server(run: dict[str, Any], *, cache: bool, threads: int = 1) -> dict[str, Any] | None:
    return next((s for s in run["servers"] if s["cache"] is cache and s["threads"] == threads), None)


def _ratio(server: dict[str, Any] | None, key: str) -> float | None:
    if not server or key not in server["measurements"] or "ceiling" not in server["measurements"]:
        return None
    m = server["measurements"]
    ceiling = float(m["ceiling"]["requests_per_s"])
    return float(m[key]["requests_per_s"]) / ceiling if ceiling else None


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def targets(raw: dict[str, Any]) -> list[Target]:
    runs = raw["runs"]
    largest = max((r["size"] for r in runs), default=0)
    found: list[Target] = []
    for run in (r for r in runs if r["size"] == largest):
        warm, cold = _server(run, cache=True), _server(run, cache=False)
        name = run["label"]
        for key, limit, server, path in (
            ("list", 0.70, warm, "warm"), ("detail", 0.70, warm, "warm"), ("304", 0.85, warm, "warm"),
            ("list", 0.30, cold, "cold"), ("detail", 0.30, cold, "cold"), ("304", 0.30, cold, "cold"),
        ):  # fmt: skip
            ratio = _ratio(server, key)
            found.append(
                Target(
                    f"{name}: {TITLES[key]} ({path}) >= {limit:.0%} of ceiling req/s",
                    _pct(ratio),
                    None if ratio is None else ratio >= limit,
                )
            )
        found += _deep_targets(name, cold)
        found.append(_search_target(name, cold, warm))
        peaks = [p for s in run["servers"] for p in s["peak_rss_mb"]]
        found.append(
            Target(
                f"{name}: peak RSS per worker <= {RSS_LIMIT_MB:.0f} MB",
                "n/a" if not peaks else f"{max(peaks):.0f} MB",
                None if not peaks else max(peaks) <= RSS_LIMIT_MB,
            )
        )
    found += _flatness_targets(runs, largest)
    return found


def _search_target(name: str, cold: dict[str, Any] | None, warm: dict[str, Any] | None) -> Target:
    """Judged on one connection, cache off: a request's own latency. Under 16 connections on two
    workers each request also waits for those ahead of it; those figures are shown beside it."""
    alone = (cold or {}).get("measurements", {}).get("search_1c")
    loaded = [
        f"{path}, 16 connections: {m['p99_ms']:.0f} ms"
        for server, path in ((cold, "cold"), (warm, "warm"))
        if (m := (server or {}).get("measurements", {}).get("search"))
    ]
    measured = "n/a" if not alone else f"{alone['p99_ms']:.1f} ms"
    return Target(
        f"{name}: search p99 <= {SEARCH_P99_MS:.0f} ms (cold, one connection)",
        measured + (f" ({'; '.join(loaded)})" if loaded else ""),
        None if not alone else alone["p99_ms"] <= SEARCH_P99_MS,
    )


def _deep_targets(name: str, cold: dict[str, Any] | None) -> list[Target]:
    """The issue asks for a deep page within 2x of page 1, by cursor (``after=``) where an offset
    cannot get there: an offset steps over every row before it, so ``page=`` deep down costs in
    proportion to its depth. One verdict, with both figures."""
    measurements = (cold or {}).get("measurements", {})
    first = measurements.get("list")
    title = f"{name}: deep page p50 <= 2x list page 1 p50 (cold; by cursor where offsets cannot get there)"
    if not first or "cursor" not in measurements:
        return [Target(title, "no cursor pagination measured", None)]
    figures, ratios = [], {}
    for key, how in (("cursor", "by cursor"), ("deep", "by offset")):
        if deep := measurements.get(key):
            ratios[key] = deep["p50_ms"] / first["p50_ms"] if first["p50_ms"] else float("inf")
            figures.append(f"{how} {deep['p50_ms']:.1f} ms = {ratios[key]:.2f}x")
    return [Target(title, "; ".join(figures), min(ratios.values()) <= 2.0)]


def _flatness_targets(runs: list[dict[str, Any]], largest: int) -> list[Target]:
    """1k vs 100k: the ratio to the ceiling at the large size stays within 20% of the small size's."""
    found: list[Target] = []
    smallest = min((r["size"] for r in runs), default=0)
    if smallest == largest:
        return found
    for big in (r for r in runs if r["size"] == largest):
        small = next((r for r in runs if r["size"] == smallest and r["kind"] == big["kind"]), None)
        if not small:
            continue
        for cache, path in ((True, "warm"), (False, "cold")):
            big_server, small_server = _server(big, cache=cache), _server(small, cache=cache)
            for key in ("list", "detail", "tag", "304"):
                a, b = _ratio(big_server, key), _ratio(small_server, key)
                if not a or not b:
                    continue
                found.append(
                    Target(
                        f"{big['label']} vs {small['label']}: {TITLES[key]} ({path}) within 20%",
                        f"{_pct(a)} vs {_pct(b)} of ceiling ({a / b:.2f}x)",
                        a / b >= 0.8,
                    )
                )
    return found


def _verdict(holds: bool | None) -> str:
    return {True: "yes", False: "**NO**", None: "not measured"}[holds]


def measurement_table(run: dict[str, Any]) -> list[str]:
    queries = {e["key"]: e for e in run["endpoints"]}
    lines = [
        "| Endpoint | Server | req/s | x ceiling | p50 ms | x ceiling | p99 ms | x ceiling "
        "| SQL/req | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for server in run["servers"]:
        m = server["measurements"]
        ceiling = m.get("ceiling")
        for key, row in m.items():
            sql = queries.get(key, {}).get("queries_warm" if server["cache"] else "queries_cold")
            rel = (
                (
                    f"{row['requests_per_s'] / ceiling['requests_per_s']:.0%}",
                    f"{row['p50_ms'] / ceiling['p50_ms']:.2f}x",
                    f"{row['p99_ms'] / ceiling['p99_ms']:.2f}x",
                )
                if ceiling and all(ceiling[k] for k in ("requests_per_s", "p50_ms", "p99_ms"))
                else ("", "", "")
            )
            lines.append(
                f"| {TITLES.get(key, key)} | {server['label']} | {row['requests_per_s']:.0f} | {rel[0]} | "
                f"{row['p50_ms']:.1f} | {rel[1]} | {row['p99_ms']:.1f} | {rel[2]} | "
                f"{'' if sql is None or key == 'ceiling' else sql} | {row['errors']} |"
            )
    return lines


def threads_table(raw: dict[str, Any]) -> list[str]:
    lines = [
        "| Data set | Server | ceiling req/s | list page 1 req/s | list p99 ms |",
        "|---|---|---:|---:|---:|",
    ]
    for run in raw["runs"]:
        if not any(s["threads"] > 1 for s in run["servers"]):
            continue
        for server in run["servers"]:
            m = server["measurements"]
            if "list" in m and "ceiling" in m:
                lines.append(
                    f"| {run['label']} | {server['label']} | {m['ceiling']['requests_per_s']:.0f} | "
                    f"{m['list']['requests_per_s']:.0f} | {m['list']['p99_ms']:.1f} |"
                )
    return lines if len(lines) > 2 else []


def render(raw: dict[str, Any]) -> str:
    settings = raw["settings"]
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {raw.get('finished') or f'{datetime.now(UTC):%Y-%m-%d %H:%M}'} UTC"
        f"{' (QUICK smoke run: figures are rough)' if settings['quick'] else ''}; the whole run took "
        f"{raw['total_seconds'] / 60:.1f} min, of which building data sets "
        f"{raw['build']['seconds'] / 60:.1f} min "
        f"({', '.join(raw['build']['built']) or 'none: the cached ones were current'}).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}. wrk: {settings['connections']} connections, 2 threads, "
        f"{settings['duration']} s per run after a {settings['warmup']} s warm-up, {settings['reps']} "
        "repetitions (medians), endpoints and the ceiling interleaved within each server.",
        "",
        "Absolute numbers depend on the machine and on what else runs on it (this machine's 2 cores are "
        "shared with wrk and with other work), so every figure stands beside the ceiling measured by the "
        "same server in the same run: read the ratios, not the absolute requests per second.",
        "",
        "## Targets (issue 7)",
        "",
        "| Target | Measured | Holds |",
        "|---|---|---|",
        *[f"| {t.name} | {t.measured} | {_verdict(t.holds)} |" for t in targets(raw)],
        "",
    ]
    for run in raw["runs"]:
        out += [
            f"## {run['label']}",
            "",
            f"List page 1 is {run['list_bytes']} bytes; the ceiling answers as many. SQL/req counts the "
            "statements one request sends to the database after an identical one (cache on: served from "
            "the response cache), counted at the driver; the content token's query (on SQLite often only "
            "its `PRAGMA data_version`) is among them.",
            "",
            *measurement_table(run),
            "",
            "Peak RSS per worker (VmHWM): "
            + "; ".join(
                f"{s['label']}: {', '.join(f'{p:.0f} MB' for p in s['peak_rss_mb'])}" for s in run["servers"]
            ),
            "",
            "Search queries and their matches: "
            + ", ".join(f"`{q}` {n}" for q, n in run["search_totals"].items()),
            "",
        ]
    threads = threads_table(raw)
    if threads:
        out += ["## Sync workers or threads", "", *threads, ""]
    out += [
        "## Data sets",
        "",
        "Generated by bench/corpus.py (fixed seed): 200 authors, 500 tags (power-law popularity), 1-5 tags "
        "and 1-2 authors per article, ~4 KB Markdown bodies, half German, half English, all published; "
        "loaded with executemany (SQLite) and COPY (PostgreSQL), then indexed for search in one go.",
        "",
    ]
    if raw["build"].get("indexes"):
        out += [
            "The schema comes from the migrations. These indexes are declared in the models but no "
            f"migration creates them yet, so the bench created them: {', '.join(raw['build']['indexes'])}.",
            "",
        ]
    if ANALYSIS.exists():
        out += [ANALYSIS.read_text().rstrip(), ""]
    return "\n".join(out)


def write_results(path: Path, raw: dict[str, Any]) -> str:
    text = render(raw)
    path.write_text(text)
    return text


def main() -> int:
    """``python -m bench.report``: write RESULTS.md again from the last run's raw figures (after
    editing bench/analysis.md, say), without measuring anything."""
    raw = json.loads(RAW.read_text())
    write_results(RESULTS, raw)
    print(f"rewrote {RESULTS} from {RAW}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
