"""The cache policy of incremental crawls, through Scrapy's own cache middleware."""
from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.httpcache import RevalidationPolicy

ATTACHMENT = "http://example.gov.cn/P020110915.doc"


def middleware(tmp_path, policy: str) -> HttpCacheMiddleware:
    crawler = get_crawler(settings_dict={"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(tmp_path),
                                         "HTTPCACHE_POLICY": policy})
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


def test_a_304_keeps_the_stored_size(tmp_path):
    answer = revalidated_head(middleware(tmp_path, "crawler.httpcache.RevalidationPolicy"))
    assert answer.status == 200
    assert answer.headers[b"Content-Length"] == b"23552"


def test_scrapys_own_policy_takes_the_304s_size(tmp_path):
    """Why RevalidationPolicy exists: if Scrapy ever stops doing this, it can go."""
    answer = revalidated_head(middleware(tmp_path, "scrapy.extensions.httpcache.RFC2616Policy"))
    assert answer.headers[b"Content-Length"] == b"0"


def test_nightly_policy_keeps_the_stored_size_too(tmp_path):
    from crawler.nightly import NightlyCachePolicy
    assert issubclass(NightlyCachePolicy, RevalidationPolicy)
