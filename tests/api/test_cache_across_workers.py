"""Real gunicorn servers share the test database and each worker keeps its own response cache (or all
use Redis): a change made through one worker is in the very next answer of every other.

One server runs a single worker, so a test can warm it and then ask exactly it; the other runs two
workers behind one port, the way production runs, and a check reaches each of them in turn (see
``ask_every_worker``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from flask import Flask

from cms.api.cache_stores import RedisStore
from cms.auth.models import Role
from cms.db import rfc3339, utcnow
from tests.api.test_articles_write import key_for
from tests.api.test_response_cache import REDIS_URL, redis_available
from tests.conftest import TEST_SECRET
from tests.needs import need

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    content: bytes

    def json(self) -> Any:
        return orjson.loads(self.content)


def fetch(
    url: str, method: str = "GET", json: object = None, headers: dict[str, str] | None = None
) -> Answer:
    """One real HTTP request; 4xx and 5xx come back as answers, not exceptions."""
    body = None if json is None else orjson.dumps(json)
    all_headers = {**(headers or {}), **({"Content-Type": "application/json"} if body else {})}
    # The URL is always a loopback server this module started.
    req = urllib.request.Request(url, data=body, method=method, headers=all_headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


@dataclass
class Server:
    url: str
    workers: int
    process: subprocess.Popen[bytes]
    access_log: Path

    def answered_by(self, since: int) -> list[str]:
        """The pids that answered each request after the first ``since`` ones."""
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return [line.split()[0] for line in lines[since:]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(env: dict[str, str], workers: int, log: Path) -> Server:
    port = _free_port()
    access_log = log.with_suffix(".access")
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(r)s %(s)s",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen([*command, "wsgi:app"], cwd=PROJECT, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()}")
        try:
            if fetch(f"{url}/api/v1/tags").status == 200:
                return Server(url, workers, process, access_log)
        except OSError:
            time.sleep(0.2)
    process.terminate()
    process.wait(timeout=30)
    raise RuntimeError(f"gunicorn did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module", params=["memory", "redis"])
def servers(
    request: pytest.FixtureRequest, app: Flask, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Server]]:
    """A one-worker and a two-worker server, on the database the tests write to."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update(
        CMS_SECRET_KEY=TEST_SECRET,
        CMS_SQLALCHEMY_DATABASE_URI=str(app.config["SQLALCHEMY_DATABASE_URI"]),
        CMS_INSTANCE_PATH=str(tmp_path_factory.mktemp("workers")),
        CMS_PUBLIC_URL="http://127.0.0.1",
    )
    prefix = f"test:{uuid.uuid4().hex}:"
    if request.param == "redis":
        need(redis_available(), "a Redis server on 127.0.0.1:6379")
        env.update(CMS_CACHE_REDIS_URL=REDIS_URL, CMS_CACHE_REDIS_PREFIX=prefix)
    logs = tmp_path_factory.mktemp("logs")
    started: list[Server] = []
    try:
        for n, workers in enumerate((1, 2)):
            started.append(_start(env, workers, logs / f"gunicorn-{n}.log"))
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            server.process.wait(timeout=30)
        if request.param == "redis":
            RedisStore(REDIS_URL, prefix=prefix, ttl=1).clear()


class HeldConnection:
    """A connection whose request is not sent yet: the sync worker that accepted it waits on it, so the
    next request must go to another worker."""

    def __init__(self, server: Server) -> None:
        host, port = server.url.removeprefix("http://").split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=10)

    def ask(self, path: str) -> Answer:
        with self.socket:
            self.socket.sendall(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            )
            raw = b""
            while chunk := self.socket.recv(65536):
                raw += chunk
        head, _, content = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in header_lines)
        return Answer(int(status_line.split()[1]), headers, content)


def ask_every_worker(server: Server, path: str, times: int = 1) -> list[Answer]:
    """Each worker of ``server`` answers ``path`` ``times`` times; every answer is returned.

    Which worker takes a connection is up to the kernel, so all but one are kept busy with a held
    connection while the last one answers; then the held ones are answered. The access log shows that
    each worker (by pid) answered.
    """
    before = len(server.answered_by(0))
    answers: list[Answer] = []
    for _ in range(times):
        held = [HeldConnection(server) for _ in range(server.workers - 1)]
        answers.append(fetch(server.url + path))
        answers.extend(connection.ask(path) for connection in reversed(held))
    deadline = time.monotonic() + 5
    while len(server.answered_by(before)) < len(answers) and time.monotonic() < deadline:
        time.sleep(0.01)  # the access log line follows the answer
    pids = server.answered_by(before)
    assert len(set(pids)) == server.workers, f"not every worker answered: {pids}"
    return answers


def titles(server: Server, path: str = "/api/v1/articles?limit=100") -> list[str]:
    """The titles every worker answers with (they must agree)."""
    seen = []
    for response in ask_every_worker(server, path):
        assert response.status == 200
        seen.append([article["title"] for article in response.json()["data"]])
    assert all(answer == seen[0] for answer in seen), seen
    return seen[0]


def warm(server: Server, path: str = "/api/v1/articles?limit=100") -> str:
    """Have every worker answer twice (the second answer from its cache); all must be the same."""
    answers = ask_every_worker(server, path, times=2)
    assert all(answer.content == answers[0].content for answer in answers)
    return str(answers[0].headers["ETag"])


def test_a_publish_through_one_worker_shows_on_the_next_request_to_the_others(servers: list[Server]) -> None:
    one, pair = servers
    _, auth = key_for(Role.EDITOR)
    created = fetch(f"{one.url}/api/v1/articles", "POST", {"title": "Fresh news"}, auth)
    assert created.status == 201
    article_id = created.json()["data"]["id"]
    etags = {server.url: warm(server) for server in servers}
    assert titles(one) == titles(pair) == []

    published = fetch(f"{one.url}/api/v1/articles/{article_id}", "PATCH", {"status": "published"}, auth)
    assert published.status == 200
    assert titles(pair) == ["Fresh news"]
    assert titles(one) == ["Fresh news"]

    for server in servers:
        warm(server, f"/api/v1/articles/{article_id}")
    edited = fetch(f"{pair.url}/api/v1/articles/{article_id}", "PATCH", {"title": "Corrected news"}, auth)
    assert edited.status == 200
    for server in servers:
        assert titles(server) == ["Corrected news"]
        again = fetch(server.url + "/api/v1/articles?limit=100", headers={"If-None-Match": etags[server.url]})
        assert again.status == 200
        detail = fetch(f"{server.url}/api/v1/articles/{article_id}")
        assert detail.json()["data"]["title"] == "Corrected news"


def test_a_scheduled_article_goes_live_on_every_worker_without_a_write(servers: list[Server]) -> None:
    _, auth = key_for(Role.EDITOR)
    when = utcnow() + timedelta(seconds=2)
    payload = {"title": "On the hour", "status": "published", "published_at": rfc3339(when)}
    created = fetch(f"{servers[0].url}/api/v1/articles", "POST", payload, auth)
    assert created.json()["data"]["status"] == "scheduled"
    for server in servers:
        warm(server)
        assert titles(server) == []
        assert fetch(f"{server.url}/api/v1/articles/slug/on-the-hour").status == 404
    # rfc3339 keeps whole seconds: wait until the stored time has surely passed.
    while utcnow() < when + timedelta(seconds=1):
        time.sleep(0.1)
    for server in servers:
        assert titles(server) == ["On the hour"]
        assert fetch(f"{server.url}/api/v1/articles/slug/on-the-hour").status == 200
