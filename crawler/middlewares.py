"""Downloader middlewares: redirect loops caught early, redirects off the county's sites
refused, retries spaced out.

Scrapy's RedirectMiddleware only gives up after REDIRECT_MAX_TIMES hops and says
"max redirections reached"; a county entry page that redirects to itself is a
fact the audit reports (`redirect_loop`), so it is recognised on the first
repeat. Scrapy retries at once; a struggling county server deserves a pause.
"""
from __future__ import annotations

import asyncio

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL already visited in the same chain."""


class RedirectLoopMiddleware:
    """Raise RedirectLoop when a 3xx points back into its own redirect chain.

    Sits just outside RedirectMiddleware (a higher number), so it sees each 3xx first.
    """

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = safe_url_string(response.urljoin(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join(chain)} -> {target}")
        return response


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a host the fetch policy does not allow (crawler/fetch_policy.py)."""


class OffsiteRedirectMiddleware:
    """Raise OffsiteRedirect when a 3xx points off the county's sites: the target is recorded
    (the failure names it), never fetched. Asks the spider's fetch policy, for the request's kind."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        allowed = getattr(self.crawler.spider, "allowed", None)
        if not (300 <= response.status < 400 and location) or allowed is None:
            return response
        target = safe_url_string(response.urljoin(location.decode("latin-1")))
        if allowed(target, request.meta.get("handler", "")):
            return response
        self.crawler.stats.inc_value("disclosure/offsite_refused")
        raise OffsiteRedirect(f"redirects off the county's sites: {request.url} -> {target}")


def backoff_delay(tries_so_far: int, base: float, cap: float) -> float:
    """Seconds to wait before try number `tries_so_far + 1`: base, 2*base, 4*base … up to cap."""
    if tries_so_far <= 0 or base <= 0:
        return 0.0
    return min(cap, base * 2 ** (tries_so_far - 1))


class RetryBackoffMiddleware:
    """Delay a request that RetryMiddleware sent again (meta `retry_times` > 0).

    Placed after RetryMiddleware (550) on the way out, so the wait happens before
    the request takes a download slot; other hosts' requests go on meanwhile.
    """

    def __init__(self, base: float, cap: float):
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getfloat("DISCLOSURE_RETRY_BACKOFF"), s.getfloat("DISCLOSURE_RETRY_BACKOFF_MAX"))

    async def process_request(self, request, spider=None):
        delay = backoff_delay(request.meta.get("retry_times", 0), self.base, self.cap)
        if delay:
            await asyncio.sleep(delay)
        return None



# Download failures by kind, as the snapshot's reachability counts them (first match wins).
_FAILURE_KINDS = (
    ("dns", ("scrapy.exceptions.CannotResolveHostError", "twisted.internet.error.DNSLookupError")),
    ("refused", ("scrapy.exceptions.DownloadConnectionRefusedError",
                 "twisted.internet.error.ConnectionRefusedError")),
    ("timeout", ("scrapy.exceptions.DownloadTimeoutError", "twisted.internet.error.TimeoutError",
                 "twisted.internet.error.TCPTimedOutError", "twisted.internet.defer.TimeoutError")),
    ("too_large", ("scrapy.exceptions.DownloadCancelledError",)),
    ("reset", ("scrapy.exceptions.DownloadFailedError", "scrapy.exceptions.ResponseDataLossError",
               "twisted.internet.error.ConnectionLost", "twisted.internet.error.ConnectionDone",
               "twisted.web._newclient.ResponseFailed", "builtins.ConnectionResetError")),
)


def classify_failure(failure) -> tuple[str, str]:
    """(kind, detail) of a failed request: dns | refused | timeout | too_large | reset |
    redirect_loop | offsite_redirect | robots | other."""
    exc = failure.value
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if isinstance(exc, RedirectLoop) or (isinstance(exc, IgnoreRequest) and "redirection" in str(exc)):
        return "redirect_loop", detail
    if isinstance(exc, OffsiteRedirect):
        return "offsite_redirect", str(exc)
    if isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc):
        return "robots", "robots.txt forbids the page"
    for kind, names in _FAILURE_KINDS:
        if any(_is_instance(exc, name) for name in names):
            return kind, detail
    return "other", detail


def _is_instance(exc: BaseException, qualified_name: str) -> bool:
    return any(f"{cls.__module__}.{cls.__qualname__}" == qualified_name for cls in type(exc).__mro__)
