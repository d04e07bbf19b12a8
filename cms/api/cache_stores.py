"""Where cached responses are kept: in the worker (an LRU bounded in bytes) or in a shared Redis.

Every entry is filed under a content token; an entry under an older token can never be asked for
again, so the memory store drops everything when it first sees a new token, and Redis entries simply
expire.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import orjson
import redis

log = logging.getLogger(__name__)

#: After a Redis error, requests go uncached for this long before Redis is tried again, so that an
#: unreachable server costs one timeout per interval instead of one per request.
REDIS_RETRY_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.25


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    mimetype: str | None
    link: str | None
    #: May be answered in front of Flask (cms/api/cache_front.py).
    front: bool = False

    @property
    def size(self) -> int:
        return len(self.body) + len(self.link or "") + 200  # the object and its key, roughly

    def encode(self) -> bytes:
        return orjson.dumps([self.mimetype, self.link, self.front]) + b"\n" + self.body

    @classmethod
    def decode(cls, data: bytes) -> CachedResponse:
        head, _, body = data.partition(b"\n")
        mimetype, link, front = orjson.loads(head)
        return cls(body, mimetype, link, front)


class CacheStore(Protocol):
    def get(self, token: str, key: str) -> CachedResponse | None: ...
    def put(self, token: str, key: str, entry: CachedResponse) -> None: ...
    def clear(self) -> None: ...


class MemoryStore:
    """This worker's entries for the newest token it has seen, least recently used dropped first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._token = ""
        self._size = 0
        self._lock = threading.Lock()

    def get(self, token: str, key: str) -> CachedResponse | None:
        with self._lock:
            if token != self._token:
                self._drop_all(token)
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, token: str, key: str, entry: CachedResponse) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            if token != self._token:
                return  # rendered under a token that has been replaced meanwhile
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old.size
            self._entries[key] = entry
            self._size += entry.size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._drop_all("")

    def __len__(self) -> int:
        return len(self._entries)

    def _drop_all(self, token: str) -> None:
        self._entries.clear()
        self._size = 0
        self._token = token


class RedisStore:
    """Entries shared by every worker and host; a Redis that is down means uncached, never an error."""

    def __init__(self, url: str, *, prefix: str, ttl: int) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self._client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._retry_at = 0.0

    def _name(self, token: str, key: str) -> str:
        return self.prefix + hashlib.blake2b(f"{token}\x1e{key}".encode(), digest_size=20).hexdigest()

    def _available(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, error: redis.RedisError) -> None:
        self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
        log.warning("Response cache unavailable, serving uncached for %ss: %s", REDIS_RETRY_SECONDS, error)

    def get(self, token: str, key: str) -> CachedResponse | None:
        if not self._available():
            return None
        try:
            data = self._client.get(self._name(token, key))
        except redis.RedisError as error:
            self._failed(error)
            return None
        return CachedResponse.decode(data) if isinstance(data, bytes) else None

    def put(self, token: str, key: str, entry: CachedResponse) -> None:
        if not self._available():
            return
        try:
            self._client.set(self._name(token, key), entry.encode(), ex=self.ttl)
        except redis.RedisError as error:
            self._failed(error)

    def clear(self) -> None:
        """Delete this prefix's entries (and only those: the database may hold other data)."""
        try:
            names = list(self._client.scan_iter(match=self.prefix + "*", count=500))
            if names:
                self._client.delete(*names)
        except redis.RedisError as error:
            self._failed(error)


@cache
def code_fingerprint() -> str:
    """A hash of the CMS's own source: deploying code that renders differently changes every key and
    ETag, while workers running the same code agree."""
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
