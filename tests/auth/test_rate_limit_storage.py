"""With CMS_RATELIMIT_STORAGE_URI pointing at Redis, every worker process counts against one budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.needs import need

#: One "worker": a fresh process configured only through the environment, making ``n`` failed logins.
WORKER = """
import json, sys
from cms import create_app
from cms.extensions import db
app = create_app()
with app.app_context():
    db.create_all()
client = app.test_client()
answers = []
for n in range(int(sys.argv[1])):
    answer = client.post("/api/v1/auth/login", json={"login": f"guess{n}", "password": "a wrong password"})
    answers.append([answer.status_code, answer.headers.get("Retry-After")])
print(json.dumps(answers))
"""


def _redis_url() -> str:
    configured = os.environ.get("CMS_RATELIMIT_STORAGE_URI", "")
    return configured if configured.startswith("redis://") else "redis://127.0.0.1:6379/0"


def _worker(tmp_path: Path, env: dict[str, str], attempts: int) -> list[list[object]]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(attempts)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_two_workers_share_one_login_budget_in_redis(tmp_path: Path) -> None:
    import redis

    url = _redis_url()
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.ConnectionError:
        need(False, f"a Redis server at {url}")
    prefix = f"cms-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "CMS_RATELIMIT_STORAGE_URI": url,
        "CMS_RATELIMIT_KEY_PREFIX": prefix,
        "CMS_SECRET_KEY": "a secret key for this test only, long enough",
        "CMS_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "CMS_PUBLIC_URL": "http://localhost",
    }
    try:
        first = _worker(tmp_path, env, 20)
        assert [status for status, _ in first] == [401] * 20
        second = _worker(tmp_path, env, 1)
        assert second[0][0] == 429
        assert int(str(second[0][1])) > 0
        assert list(server.scan_iter(f"*{prefix}*")), "the counts live in Redis"
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
