"""The HTTP cache of incremental crawls: its policy and a SQLite storage."""
from __future__ import annotations

import logging
import pickle
import sqlite3
import time
import zlib
from pathlib import Path

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.project import data_path
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.response import response_from_dict
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

logger = logging.getLogger(__name__)

# A SIGKILLed crawl loses at most this much of its stores (WAL with synchronous=NORMAL
# survives a process crash for every committed transaction) ...
COMMIT_SECONDS = 1.0
# ... or this many, whichever comes first: it bounds the memory they wait in on a fast crawl.
COMMIT_STORES = 500
# How long to wait for another process's write lock (a second worker with the same spider
# holds it for one batch: milliseconds) before giving up on a batch.
BUSY_TIMEOUT_SECONDS = 30
# The error codes of a file that is not, or no longer, a readable database.
DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    fingerprint BLOB PRIMARY KEY,   -- crawler.request_fingerprinter
    method      TEXT NOT NULL,      -- of the request
    request_url TEXT NOT NULL,
    url         TEXT NOT NULL,      -- of the response
    status      INTEGER NOT NULL,
    headers     BLOB NOT NULL,      -- raw header lines
    body        BLOB NOT NULL,
    extra       BLOB NOT NULL,      -- the rest of Response.to_dict() (flags, class, protocol ...), pickled
    compressed  INTEGER NOT NULL,   -- headers, body and extra are zlib streams (HTTPCACHE_GZIP)
    timestamp   REAL NOT NULL       -- when stored (HTTPCACHE_EXPIRATION_SECS)
)"""


class RevalidationPolicy(RFC2616Policy):
    """RFC 2616 caching that keeps a stored response's own Content-Length through a 304.

    On a 304 Scrapy freshens the stored response with every header of the answer,
    Content-Length included. Servers that answer 304 with `Content-Length: 0`
    (common, though RFC 9110 §8.6 forbids it) would turn every cached attachment
    into a zero-byte file from the second night on. RFC 9111 §3.2 excepts
    Content-Length from that update; so do we.
    """

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        valid = super().is_cached_response_valid(cachedresponse, response, request)
        if valid and response.status == 304:
            response.headers.pop(b"Content-Length", None)
        return valid


class SqliteCacheStorage:
    """Scrapy's HTTP cache in one SQLite file per spider (`HTTPCACHE_DIR/<spider>.sqlite`).

    Scrapy's FilesystemCacheStorage writes a directory and six files per response:
    on a first crawl that costs more time than the crawl itself. Here a response
    is one row. Rows wait in memory (where reads find them too) and are written
    in one short transaction every COMMIT_SECONDS (also when the crawl idles, by
    a timer) or COMMIT_STORES stores, and on close: the write lock is held for
    milliseconds, so two workers sharing the file do not stall each other.
    A damaged file is moved aside once, with one error logged, and the crawl
    goes on with an empty cache instead of failing on every request.
    """

    def __init__(self, settings):
        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"], createdir=True))
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.use_gzip = settings.getbool("HTTPCACHE_GZIP")
        self.db: sqlite3.Connection | None = None
        self.path: Path | None = None
        self.spider = None
        self._unwritten: dict[bytes, tuple] = {}       # fingerprint -> row, not in the file yet
        self._last_write = time.monotonic()
        self._ticker = None

    def open_spider(self, spider) -> None:
        self.spider = spider
        self._fingerprinter = spider.crawler.request_fingerprinter
        self.path = self.cachedir / f"{spider.name}.sqlite"
        try:
            self.db = connect(self.path)
        except sqlite3.DatabaseError as error:
            self._start_afresh(error)
        logger.debug("Using SQLite cache storage in %(path)s", {"path": self.path}, extra={"spider": spider})
        if is_reactor_installed():          # not when driven by hand, as in tests
            self._ticker = create_looping_call(self._write_unwritten)
            self._ticker.start(COMMIT_SECONDS, now=False)

    def close_spider(self, spider) -> None:
        if self._ticker is not None and self._ticker.running:
            self._ticker.stop()
        self._write_unwritten()
        if self.db is not None:
            self.db.close()
            self.db = None

    def retrieve_response(self, spider, request):
        """The stored response (None if missing or expired), as Scrapy's storages rebuild it."""
        fingerprint = self._fingerprinter.fingerprint(request)
        row = self._unwritten.get(fingerprint) or self._guarded(self._read, fingerprint)
        if row is None:
            return None
        url, status, headers, body, extra, compressed, timestamp = row[3:]
        if 0 < self.expiration_secs < time.time() - timestamp:
            return None
        if compressed:
            headers, body, extra = (zlib.decompress(blob) for blob in (headers, body, extra))
        request.meta["cache_timestamp"] = timestamp
        return response_from_dict({**pickle.loads(extra), "url": url, "status": status,
                                   "headers": headers_raw_to_dict(headers), "body": body})

    def store_response(self, spider, request, response) -> None:
        """Store (or replace) the request's row; in the file within COMMIT_SECONDS."""
        if self.db is None:                 # no usable cache this run
            return
        extra = {k: v for k, v in response.to_dict().items() if k not in {"url", "status", "headers", "body"}}
        # `cached` is the middleware's mark on what it read from here, not part of the response.
        extra["flags"] = [flag for flag in extra.get("flags", []) if flag != "cached"]
        blobs = (headers_dict_to_raw(response.headers), response.body, pickle.dumps(extra, protocol=4))
        if self.use_gzip:
            blobs = tuple(zlib.compress(blob) for blob in blobs)
        fingerprint = self._fingerprinter.fingerprint(request)
        self._unwritten[fingerprint] = (fingerprint, request.method, request.url, response.url,
                                        response.status, *blobs, int(self.use_gzip), time.time())
        if len(self._unwritten) >= COMMIT_STORES or time.monotonic() - self._last_write >= COMMIT_SECONDS:
            self._write_unwritten()

    def _read(self, fingerprint: bytes):
        return self.db.execute("SELECT * FROM responses WHERE fingerprint = ?", (fingerprint,)).fetchone()

    def _write_unwritten(self) -> None:
        """One transaction for the rows in memory; if it fails (locked past the busy timeout,
        disk full ...) they are dropped with a warning: those responses are simply not cached."""
        self._last_write = time.monotonic()
        if not self._unwritten:
            return
        try:
            if self._guarded(self._insert, list(self._unwritten.values())) is None:
                return                      # the file was damaged: the rows go into the new one next time
        except sqlite3.Error:
            logger.warning("Could not store %(count)d responses in the HTTP cache %(path)s",
                           {"count": len(self._unwritten), "path": self.path}, exc_info=True,
                           extra={"spider": self.spider})
        self._unwritten.clear()

    def _insert(self, rows: list[tuple]) -> bool:
        try:
            self.db.execute("BEGIN IMMEDIATE")          # waits (busy timeout) for another writer
            self.db.executemany("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.execute("COMMIT")
        except sqlite3.Error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return True

    def _guarded(self, operation, *args):
        """Run a database operation; a damaged file is replaced by an empty one (and the result is None)."""
        if self.db is None:                 # no usable cache this run
            return None
        try:
            return operation(*args)
        except sqlite3.DatabaseError as error:
            if not is_damage(error):
                raise
            self._start_afresh(error)
            return None

    def _start_afresh(self, error: Exception) -> None:
        """Move a damaged database aside (for a post-mortem) and go on with a new, empty one."""
        if self.db is not None:
            self.db.close()
        self.db = None
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        logger.error("HTTP cache %(path)s is unreadable (%(error)s): moved to %(aside)s, this crawl starts "
                     "with an empty cache", {"path": self.path, "error": error, "aside": aside.name},
                     extra={"spider": self.spider})
        try:
            for suffix in ("", "-wal", "-shm"):
                damaged = Path(f"{self.path}{suffix}")
                if damaged.exists():
                    damaged.rename(f"{aside}{suffix}")
            self.db = connect(self.path)
        except (OSError, sqlite3.Error):
            self._unwritten.clear()
            logger.exception("No HTTP cache in %(path)s for this crawl", {"path": self.path},
                             extra={"spider": self.spider})


def connect(path: Path) -> sqlite3.Connection:
    """The cache database, created if missing; raises sqlite3.DatabaseError on a damaged file."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)   # transactions: ours
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")   # with WAL: a process crash never loses a commit
        db.execute(SCHEMA)
    except sqlite3.Error:
        db.close()
        raise
    return db


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is corrupt or not a database (not merely busy or full)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in DAMAGED


def cached_requests(cache_dir) -> list[tuple[str, str]]:
    """(method, url) of every request stored by SqliteCacheStorage under cache_dir, sorted, each once."""
    requests = set()
    for path in sorted(Path(cache_dir).glob("*.sqlite")):
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            requests.update(db.execute("SELECT method, request_url FROM responses"))
        finally:
            db.close()
    return sorted(requests)
