"""The benchmark's ceiling: a route that answers precomputed JSON bytes with no other work.

Registered only when ``BENCH_CEILING_BYTES`` is set (``make bench`` sets it to the size of the list
response it measures), so production apps never have it. Running in the same app and server as the
Content API, it shows what the stack costs before any CMS code runs: every endpoint is reported as
a ratio of it.
"""

from __future__ import annotations

from flask import Flask, Response

CEILING_PATH = "/bench/ceiling"


def ceiling_body(size: int) -> bytes:
    """A JSON document of exactly ``size`` bytes (at least the 10 of ``{"pad":""}``)."""
    frame = b'{"pad":""}'
    return frame[:-2] + b"x" * max(size - len(frame), 0) + frame[-2:]


def init_bench_ceiling(app: Flask) -> None:
    size = app.config.get("BENCH_CEILING_BYTES")
    if not size:
        return
    body = ceiling_body(int(size))

    def bench_ceiling() -> Response:
        return Response(body, mimetype="application/json")

    app.add_url_rule(CEILING_PATH, "bench_ceiling", bench_ceiling, methods=["GET"])
