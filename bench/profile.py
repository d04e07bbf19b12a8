"""Where a request's time goes: pyinstrument over in-process requests to one data set.

``python -m bench.profile [sqlite|postgresql] [size] [requests]`` (pyinstrument is not a dependency:
``.venv/bin/pip install pyinstrument``). Each endpoint of the benchmark is requested ``requests``
times through the test client, cache on and off, and the call tree (time in
this process only: no HTTP server, no wrk) goes to bench/data/profile-<set>-<endpoint>-<cache>.txt;
the summary lists the functions with the most time of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import dataset as datasets
from bench import probe


def main(argv: list[str]) -> int:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is needed: .venv/bin/pip install pyinstrument", file=sys.stderr)
        return 2
    kind = argv[0] if argv else "sqlite"
    size = int(argv[1]) if len(argv) > 1 else 100_000
    count = int(argv[2]) if len(argv) > 2 else 50
    dataset = datasets.dataset_for(kind, size)
    if not datasets.is_current(dataset):
        print(f"{dataset.label} is not built yet: run make bench first", file=sys.stderr)
        return 2
    found = [e for e in probe.endpoints(dataset) if e.key != "ceiling"]
    for cache in (True, False):
        app = probe.bench_app(dataset, cache=cache)
        client = app.test_client()
        for endpoint in found:
            etag = client.get(endpoint.paths[0]).headers.get("ETag", "")
            headers = {"If-None-Match": etag} if endpoint.status == 304 else {}
            for path in endpoint.paths:  # warm: every path once before profiling
                client.get(path, headers=headers)
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for number in range(count):
                client.get(endpoint.paths[number % len(endpoint.paths)], headers=headers)
            profiler.stop()
            name = f"profile-{kind}-{size}-{endpoint.key}-{'warm' if cache else 'cold'}.txt"
            out = Path(datasets.DATA_DIR) / name
            out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
            session = profiler.last_session
            per_request = session.duration / count * 1000 if session else 0.0
            print(
                f"{endpoint.key:8} cache {'on ' if cache else 'off'}: {per_request:6.2f} ms/request -> {out}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
