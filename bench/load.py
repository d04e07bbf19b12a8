"""Driving a server with wrk and reading back what it measured."""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WRK = "/usr/bin/wrk"
REPORT_SCRIPT = Path(__file__).with_name("report.lua")


@dataclass(frozen=True)
class Sample:
    """One wrk run."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Measurement:
    """The repetitions of one endpoint on one server; the report uses their medians."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def requests_per_s(self) -> float:
        return statistics.median(s.requests_per_s for s in self.samples)

    @property
    def p50_ms(self) -> float:
        return statistics.median(s.p50_ms for s in self.samples)

    @property
    def p99_ms(self) -> float:
        return statistics.median(s.p99_ms for s in self.samples)

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.samples)


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    seconds: int,
    connections: int = 16,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> Sample:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    header_args = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    command = [
        WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
        "-s", str(REPORT_SCRIPT), *header_args, base_url, "--", listing.name,
    ]  # fmt: skip
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60)
    finally:
        Path(listing.name).unlink(missing_ok=True)
    line = next(x for x in output.stdout.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(v for k, v in data.items() if k.startswith("errors_"))
    if not data["requests"]:  # nothing answered within the run: no latency to report, only "too slow"
        return Sample(requests_per_s=0.0, p50_ms=math.inf, p99_ms=math.inf, errors=errors)
    return Sample(
        requests_per_s=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
    )
