"""Downloader middlewares: redirect loops caught early, redirects off the county's sites
refused, pages that send the browser on followed, retries spaced out.

Scrapy's RedirectMiddleware only gives up after REDIRECT_MAX_TIMES hops and says
"max redirections reached"; a county entry page that redirects to itself is a
fact the audit reports (`redirect_loop`), so it is recognised on the first
repeat. Scrapy retries at once; a struggling county server deserves a pause.
"""
from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding
from w3lib.url import safe_url_string

from crawler.extract.navigation import client_redirect
from crawler.fetch_policy import host_of, hostname, internal_address

logger = logging.getLogger(__name__)


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


class CrawlerMiddleware:
    """A middleware that keeps its crawler (stats, the spider's fetch policy)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class OffsiteRedirectMiddleware(CrawlerMiddleware):
    """Raise OffsiteRedirect when a 3xx points off the county's sites: the target is recorded
    (the failure names it), never fetched. Asks the spider's fetch policy, for the request's kind."""

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


class InternalAddress(IgnoreRequest):
    """A host name the config does not name resolves to an internal address (crawler/fetch_policy.py)."""


INTERNAL_ADDRESS_STAT = "disclosure/internal_address_refused"


class ResolvedAddressMiddleware(CrawlerMiddleware):
    """Raise InternalAddress, before anything is sent, when a host NAME the config does not name (a
    photo host under the unit's domain, a redirect's target, an external link) resolves to a loopback,
    private, link-local or reserved address: inside a government network a hostile page must not steer
    the crawler at internal services by DNS any more than by an IP literal (the fetch policy refuses
    those before the request is made). Named hosts are trusted and never resolved here.

    The name is resolved by the reactor's resolver (TWISTED_DNS_RESOLVER, Scrapy's caching one), so
    the download that follows connects to the very address checked here, from Scrapy's DNS cache. A
    name that does not resolve is let through: its download fails as `dns`, as it would have.
    First in the chain (before robots.txt is asked for, before the HTTP cache answers). One warning
    per host; every refusal counts in INTERNAL_ADDRESS_STAT and fails its request as `internal_address`
    (the photo, attachment or link is recorded as refused, which the audits do not judge)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.warned: set[str] = set()

    async def process_request(self, request, spider=None):
        policy = getattr(self.crawler.spider, "policy", None)
        host = host_of(request.url)
        if policy is None or not policy.checks_address(host):
            return None
        from twisted.internet import reactor
        name = hostname(host)
        try:
            address = await maybe_deferred_to_future(reactor.resolve(name))
        except Exception:                        # DNSLookupError, DNS timeout: the download says so
            return None
        if not internal_address(address):
            return None
        self.crawler.stats.inc_value(INTERNAL_ADDRESS_STAT)
        why = f"{name} resolves to {address}, an internal address the config does not name"
        if name not in self.warned:
            self.warned.add(name)
            logger.warning("%s: nothing on it is fetched (first: %s)", why, request.url)
        raise InternalAddress(f"{why}: {request.url} not fetched")


class ClientRedirectMiddleware(MetaRefreshMiddleware):
    """Follow a page that sends the browser on by itself (navigation.client_redirect): Scrapy's
    meta refresh, and the stub home page whose script sets window.location, as many county
    sites' `/` does. Such a target passes the fetch policy like a 3xx (OffsiteRedirect). Replaces
    Scrapy's MetaRefreshMiddleware, whose settings (METAREFRESH_ENABLED, _MAXDELAY) it keeps."""

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_redirect") or request.method == "HEAD" or not isinstance(response, HtmlResponse):
            return response
        target = client_redirect(response, self._maxdelay)
        if not target or urlsplit(target).scheme not in ("http", "https"):
            return response
        allowed = getattr(self.crawler.spider, "allowed", None)
        if allowed is not None and not allowed(target, request.meta.get("handler", "")):
            self.crawler.stats.inc_value("disclosure/offsite_refused")
            raise OffsiteRedirect(f"sends the browser off the county's sites: {request.url} -> {target}")
        redirected = self._redirect_request_using_get(request, response, safe_url_string(target))
        return self._redirect(redirected, request, "client redirect")


class CharsetMiddleware(CrawlerMiddleware):
    """A page whose Content-Type header names one charset while its bytes are in the one its
    <meta> names (UTF-8 in the header over a GBK body): read in the meta's. Scrapy trusts the
    header first, which turns such a page into mojibake and its columns into "missing"."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse):
            return response
        header = http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1"))
        if not header:
            return response
        declared = html_body_declared_encoding(response.body)     # the first 4 KiB only: cheap, so first
        if not declared or resolve_encoding(declared) == resolve_encoding(header):
            return response
        try:
            response.body.decode(header, errors="strict")
            return response
        except (UnicodeDecodeError, LookupError):
            pass
        try:
            response.body.decode(declared, errors="strict")
        except (UnicodeDecodeError, LookupError):
            return response
        logger.warning("%s: the header says %s, the page is in %s (its <meta>): read as %s",
                       request.url, header, declared, declared)
        self.crawler.stats.inc_value("disclosure/charset_corrected")
        return response.replace(encoding=declared)


def retry_after_seconds(value: bytes | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (RFC 9110); None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time()) if moment else None


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

    def __init__(self, base: float, cap: float, retry_after_max: float = 60.0):
        self.base = base
        self.cap = cap
        self.retry_after_max = retry_after_max

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off: nothing is retried")
        return cls(s.getfloat("DISCLOSURE_RETRY_BACKOFF"), s.getfloat("DISCLOSURE_RETRY_BACKOFF_MAX"),
                   s.getfloat("DISCLOSURE_RETRY_AFTER_MAX"))

    async def process_request(self, request, spider=None):
        delay = backoff_delay(request.meta.get("retry_times", 0), self.base, self.cap)
        delay = max(delay, request.meta.get("retry_after", 0.0) if request.meta.get("retry_times") else 0.0)
        if delay:
            await asyncio.sleep(delay)
        return None

    def process_response(self, request, response, spider=None):
        """A 429 or 503 with Retry-After: the retry waits that long, up to the cap; a longer wait
        is not retried at all (the site is rate-limiting us: the spider reports it as such)."""
        wait = retry_after_seconds(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None
        if wait is not None:
            if wait > self.retry_after_max:
                request.meta["dont_retry"] = True
            else:
                request.meta["retry_after"] = wait
        return response



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
    redirect_loop | too_many_redirects | offsite_redirect | internal_address | robots | other."""
    exc = failure.value
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if isinstance(exc, InternalAddress):          # first: its message holds a URL, which may say anything
        return "internal_address", str(exc)
    if isinstance(exc, RedirectLoop):
        return "redirect_loop", detail
    if isinstance(exc, IgnoreRequest) and "redirection" in str(exc):      # REDIRECT_MAX_TIMES hops, no loop
        return "too_many_redirects", detail
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
