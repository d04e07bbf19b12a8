"""The app under gunicorn, as production runs it, plus the peak memory of its workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cms import PROJECT_ROOT

VENV_BIN = Path(PROJECT_ROOT) / ".venv" / "bin"
SERVER_SECRET = "bench-server-secret-key-that-is-long-enough-0123456789"
CEILING_PATH = "/bench/ceiling"


@dataclass(frozen=True)
class ServerConfig:
    workers: int = 2
    threads: int = 1
    cache: bool = True

    @property
    def label(self) -> str:
        kind = (
            f"{self.workers} sync workers" if self.threads == 1 else f"{self.workers}x{self.threads} gthread"
        )
        return f"{kind}, cache {'on' if self.cache else 'off'}"


def processes(name: str) -> Iterator[tuple[int, str]]:
    """``(pid, text of /proc/<pid>/<name>)`` of every process still there when read."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / name).read_text()
            except OSError:  # it has exited meanwhile
                continue


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Gunicorn:
    """``with Gunicorn(url, config, ceiling_bytes) as server:`` serves ``wsgi:app`` on a free port."""

    def __init__(self, database_url: str, config: ServerConfig, ceiling_bytes: int) -> None:
        self.config = config
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CMS_ENV": "production",
            "CMS_SECRET_KEY": SERVER_SECRET,
            "CMS_SQLALCHEMY_DATABASE_URI": database_url,
            "CMS_PUBLIC_URL": self.base_url,
            "CMS_API_CACHE": "on" if config.cache else "off",
            "CMS_BENCH_CEILING_BYTES": str(ceiling_bytes),
            "CMS_INSTANCE_PATH": str(Path(PROJECT_ROOT) / "bench" / "data" / "instance"),
        }
        redis_url = os.environ.get("BENCH_CACHE_REDIS_URL")
        if redis_url:
            self.env["CMS_CACHE_REDIS_URL"] = redis_url
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        worker_class = ["--worker-class", "gthread", "--threads", str(self.config.threads)]
        command = [
            str(VENV_BIN / "gunicorn"),
            "--workers", str(self.config.workers),
            *(worker_class if self.config.threads > 1 else ["--worker-class", "sync"]),
            "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning",
            "wsgi:app",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env)
        try:
            self._wait_until_serving()
        except BaseException:
            self.__exit__(None, None, None)  # never leave a server behind
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base_url + CEILING_PATH, timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) == self.config.workers:
                        return
            except OSError:  # not listening yet, or still importing the app
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start serving within 60 s")

    def wait_until_idle(self, timeout: float = 120) -> None:
        """Return once the requests left over from the last wrk run are done.

        wrk closes its connections when its time is up, but requests it had sent stay queued and sync
        workers still serve them; slow ones would eat into the next measurement. One ceiling request
        per worker thread, all at once, queues behind them and returns when they are through.
        """
        slots = self.config.workers * self.config.threads
        with ThreadPoolExecutor(max_workers=slots) as pool:
            list(pool.map(lambda _: self._get_ceiling(timeout), range(slots)))

    def _get_ceiling(self, timeout: float) -> None:
        with urllib.request.urlopen(self.base_url + CEILING_PATH, timeout=timeout) as response:
            response.read()

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        parent = f"\nPPid:\t{self.process.pid}\n"
        return sorted(pid for pid, status in processes("status") if parent in status)

    def peak_rss_mb(self) -> list[float]:
        """VmHWM (the peak resident set) of every worker, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return peaks
