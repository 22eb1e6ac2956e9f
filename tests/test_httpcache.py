"""The cache policy and storage of incremental crawls, through Scrapy's own cache middleware."""
from __future__ import annotations

import logging
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.httpcache import RevalidationPolicy, cached_requests

ATTACHMENT = "http://example.gov.cn/P020110915.doc"
PAGE = "http://example.gov.cn/zwgk/index.html"
SQLITE = "crawler.httpcache.SqliteCacheStorage"
FILESYSTEM = "scrapy.extensions.httpcache.FilesystemCacheStorage"
ALWAYS_FRESH = "scrapy.extensions.httpcache.DummyPolicy"     # whatever is stored is answered
REPO = Path(__file__).resolve().parent.parent


def middleware(tmp_path, policy: str, storage: str = FILESYSTEM, **settings) -> HttpCacheMiddleware:
    crawler = get_crawler(settings_dict={"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path),
                                         "HTTPCACHE_POLICY": policy, "HTTPCACHE_STORAGE": storage, **settings})
    crawler.spider = crawler._create_spider("cache-test")
    mw = HttpCacheMiddleware.from_crawler(crawler)
    mw.spider_opened(crawler.spider)
    return mw


def revalidated_head(mw: HttpCacheMiddleware) -> Response:
    """A HEAD stored with its size, then answered `304` with `Content-Length: 0` as many servers do."""
    first = Request(ATTACHMENT, method="HEAD")
    assert mw.process_request(first) is None
    stored = Response(ATTACHMENT, status=200, request=first,
                      headers={"Content-Length": "23552", "ETag": '"abc"'})
    mw.process_response(first, stored)
    again = Request(ATTACHMENT, method="HEAD", headers={"Cache-Control": "max-age=0"})   # as the spider asks
    assert mw.process_request(again) is None                 # not fresh: revalidate
    assert again.headers.get(b"If-None-Match") == b'"abc"'
    not_modified = Response(ATTACHMENT, status=304, request=again,
                            headers={"Content-Length": "0", "ETag": '"abc"'})
    return mw.process_response(again, not_modified)


@pytest.mark.parametrize("storage", [FILESYSTEM, SQLITE])
def test_a_304_keeps_the_stored_size(tmp_path, storage):
    mw = middleware(tmp_path, "crawler.httpcache.RevalidationPolicy", storage)
    answer = revalidated_head(mw)
    assert answer.status == 200
    assert answer.headers[b"Content-Length"] == b"23552"
    stored = mw.storage.retrieve_response(mw.crawler.spider, Request(ATTACHMENT, method="HEAD"))
    assert stored.headers[b"Content-Length"] == b"23552"       # freshened, size kept, in the cache too


def test_scrapys_own_policy_takes_the_304s_size(tmp_path):
    """Why RevalidationPolicy exists: if Scrapy ever stops doing this, it can go."""
    answer = revalidated_head(middleware(tmp_path, "scrapy.extensions.httpcache.RFC2616Policy"))
    assert answer.headers[b"Content-Length"] == b"0"


def test_nightly_policy_keeps_the_stored_size_too(tmp_path):
    from crawler.nightly import NightlyCachePolicy
    assert issubclass(NightlyCachePolicy, RevalidationPolicy)


# --- SqliteCacheStorage ---------------------------------------------------------------

def three_requests() -> list[Request]:
    """A page, a HEAD of an attachment and a search POST: three fingerprints."""
    return [Request(PAGE), Request(ATTACHMENT, method="HEAD"),
            Request("http://example.gov.cn/search.jsp", method="POST", body=b"q=%E5%8E%BF")]


def answer(request: Request) -> Response:
    if request.method == "GET":
        return HtmlResponse(PAGE, status=200, request=request, body="<html>政府信息公开</html>".encode(),
                            headers={"Content-Type": "text/html; charset=utf-8", "Set-Cookie": ["a=1", "b=2"]})
    if request.method == "HEAD":
        return Response(ATTACHMENT, status=200, request=request, headers={"Content-Length": "23552"})
    return Response(request.url, status=403, request=request, body=b"denied", flags=["download_stopped"])


def crawl_once(mw: HttpCacheMiddleware, requests: list[Request]) -> None:
    for request in requests:
        assert mw.process_request(request) is None                  # a miss: downloaded
        mw.process_response(request, answer(request))


def test_sqlite_storage_stores_and_answers_through_the_middleware(tmp_path):
    mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    crawl_once(mw, three_requests())
    page, head, post = (mw.process_request(request) for request in three_requests())
    assert isinstance(page, HtmlResponse) and page.text == "<html>政府信息公开</html>"
    assert page.headers.getlist(b"Set-Cookie") == [b"a=1", b"b=2"]
    assert (head.status, head.headers[b"Content-Length"], head.body) == (200, b"23552", b"")
    assert (post.status, post.body, post.flags) == (403, b"denied", ["download_stopped", "cached"])
    assert page.flags == ["cached"] and mw.crawler.stats.get_value("httpcache/hit") == 3
    mw.spider_closed(mw.crawler.spider)
    assert cached_requests(tmp_path) == [("GET", PAGE), ("HEAD", ATTACHMENT),
                                         ("POST", "http://example.gov.cn/search.jsp")]


def test_sqlite_storage_survives_a_reopen_and_replaces_a_row(tmp_path):
    mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    crawl_once(mw, three_requests())
    mw.spider_closed(mw.crawler.spider)
    assert (tmp_path / "cache-test.sqlite").exists()

    again = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    request = Request(PAGE)
    assert again.process_request(request).text == "<html>政府信息公开</html>"
    assert isinstance(request.meta["cache_timestamp"], float)
    again.storage.store_response(again.crawler.spider, request, HtmlResponse(PAGE, body=b"<html>new</html>"))
    assert again.process_request(Request(PAGE)).body == b"<html>new</html>"
    assert len(cached_requests(tmp_path)) == 3


def rows(tmp_path) -> list[tuple]:
    with sqlite3.connect(tmp_path / "cache-test.sqlite") as db:
        return db.execute("SELECT compressed, headers, body FROM responses").fetchall()


def test_two_workers_share_one_file(tmp_path):
    """Two crawls with the same spider and cache dir (two workers on one machine) see each other's rows."""
    page, head, post = three_requests()
    first, second = middleware(tmp_path, ALWAYS_FRESH, SQLITE), middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    crawl_once(first, [page])
    crawl_once(second, [head, post])
    first.spider_closed(first.crawler.spider)
    assert second.process_request(Request(PAGE)).status == 200
    second.spider_closed(second.crawler.spider)
    assert len(cached_requests(tmp_path)) == 3


@pytest.mark.parametrize("gzip", [True, False])
def test_sqlite_storage_compresses_with_httpcache_gzip(tmp_path, gzip):
    body = b"<html>" + "县政府信息公开目录".encode() * 200 + b"</html>"
    mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE, HTTPCACHE_GZIP=gzip)
    mw.process_response(Request(PAGE), HtmlResponse(PAGE, body=body, headers={"Content-Type": "text/html"}))
    mw.spider_closed(mw.crawler.spider)
    [(compressed, headers, stored)] = rows(tmp_path)
    assert compressed == gzip
    assert (len(stored) < len(body) / 10) == gzip
    assert (zlib.decompress(stored) if gzip else stored) == body
    assert (zlib.decompress(headers) if gzip else headers).startswith(b"Content-Type: text/html\r\nDate: ")
    # Read back whatever the setting is now: each row says how it was stored.
    assert middleware(tmp_path, ALWAYS_FRESH, SQLITE, HTTPCACHE_GZIP=not gzip).process_request(Request(PAGE)).body == body


def test_sqlite_storage_expires_with_httpcache_expiration_secs(tmp_path):
    mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    crawl_once(mw, three_requests())
    mw.spider_closed(mw.crawler.spider)
    with sqlite3.connect(tmp_path / "cache-test.sqlite") as db:
        db.execute("UPDATE responses SET timestamp = timestamp - 7200 WHERE method = 'GET'")   # stored 2 h ago
    hour = middleware(tmp_path, ALWAYS_FRESH, SQLITE, HTTPCACHE_EXPIRATION_SECS=3600)
    page, head, _ = (hour.process_request(request) for request in three_requests())
    assert page is None and head.status == 200
    assert middleware(tmp_path, ALWAYS_FRESH, SQLITE).process_request(Request(PAGE)) is not None   # 0: never


def test_a_garbage_file_is_moved_aside_with_one_error(tmp_path, caplog):
    (tmp_path / "cache-test.sqlite").write_bytes(b"not a database, garbage " * 500)
    with caplog.at_level(logging.ERROR, logger="crawler.httpcache"):
        mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
        crawl_once(mw, three_requests())
    assert [r.getMessage() for r in caplog.records if "unreadable" in r.getMessage()] != []
    assert len(caplog.records) == 1
    assert len(list(tmp_path.glob("cache-test.sqlite.damaged-*"))) == 1
    assert mw.process_request(Request(PAGE)).status == 200          # the new cache works
    mw.spider_closed(mw.crawler.spider)
    assert len(cached_requests(tmp_path)) == 3


def test_a_file_damaged_inside_fails_once_and_the_crawl_goes_on(tmp_path, caplog):
    mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
    crawl_once(mw, three_requests())
    mw.spider_closed(mw.crawler.spider)
    path = tmp_path / "cache-test.sqlite"
    with path.open("r+b") as f:                 # page 1 (the schema) intact, the tables' pages garbage
        f.seek(4096)
        f.write(b"\xde\xad\xbe\xef" * (path.stat().st_size // 4))
    with caplog.at_level(logging.ERROR, logger="crawler.httpcache"):
        mw = middleware(tmp_path, ALWAYS_FRESH, SQLITE)
        assert [mw.process_request(request) for request in three_requests()] == [None, None, None]
        crawl_once(mw, three_requests()[:1])
    assert len(caplog.records) == 1 and "malformed" in caplog.records[0].getMessage()
    assert mw.process_request(Request(PAGE)).status == 200
    assert mw.crawler.stats.get_value("httpcache/retrieve_error") is None    # no traceback per request


CRASHING_CRAWL = """
import sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from twisted.internet import reactor
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from crawler.httpcache import SqliteCacheStorage

crawler = get_crawler(settings_dict={"HTTPCACHE_DIR": sys.argv[1]})
spider = crawler._create_spider("cache-test")
storage = SqliteCacheStorage(crawler.settings)

def crawl():
    storage.open_spider(spider)
    for i in range(50):             # a burst, then the crawl idles (waiting on slow servers)
        url = f"http://example.gov.cn/{i}.html"
        storage.store_response(spider, Request(url), Response(url, body=b"x" * 5000))
    print("stored", flush=True)

reactor.callWhenRunning(crawl)
reactor.run()
"""


def test_a_killed_crawl_keeps_what_was_stored_a_second_before(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", CRASHING_CRAWL, str(tmp_path)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "stored\n"
        stored_at = time.monotonic()
        while len(cached_requests(tmp_path)) < 50 and time.monotonic() - stored_at < 10:
            time.sleep(0.1)
        committed_after = time.monotonic() - stored_at
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert committed_after < 2.5        # committed by the timer though no store came after
    with sqlite3.connect(tmp_path / "cache-test.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*), min(length(body)) FROM responses").fetchone() == (50, 5000)
