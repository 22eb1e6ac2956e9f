"""robots.txt read as the large search engines read it: its first 512 KiB only.

A site serving megabytes of robots.txt would otherwise cost seconds to parse and a slow
match on every request of the crawl's only thread (Google documents the same 500 KiB
limit). Rules past the cut are ignored, as they are by those engines. Nor is the rest
downloaded: RobotsTxtCap stops the download of Scrapy's robots.txt request just past the
cut (a 10 MB file costs ~512 KiB of the county's uplink, not 10 MB).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import StopDownload
from scrapy.robotstxt import ProtegoRobotParser

ROBOTS_MAX_BYTES = 512 * 1024


def is_robots_request(request) -> bool:
    """The request Scrapy's RobotsTxtMiddleware makes for a site's robots.txt (never one of the spider's)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"


class RobotsTxtCap:
    """Downloader middleware: a robots.txt download stops (StopDownload, keeping what it read) once it
    holds more than ROBOTS_MAX_BYTES; BoundedRobotParser reads those bytes up to the last whole line
    before the cut, as it read the whole file before. (DOWNLOAD_MAXSIZE still cancels a file announced
    larger than it, before any byte: then the site has no robots.txt, as Scrapy treats any failure.)"""

    READ = "robots_bytes_read"                 # request meta: bytes of robots.txt received so far

    @classmethod
    def from_crawler(cls, crawler):
        cap = cls()
        crawler.signals.connect(cap.bytes_received, signal=signals.bytes_received)
        return cap

    def process_request(self, request, spider=None):
        if is_robots_request(request):
            request.meta[self.READ] = 0
        return None

    def bytes_received(self, data, request, spider=None):
        if self.READ not in request.meta:
            return
        request.meta[self.READ] += len(data)
        if request.meta[self.READ] > ROBOTS_MAX_BYTES:         # past the cut: its partial line is dropped
            raise StopDownload(fail=False)


class BoundedRobotParser(ProtegoRobotParser):
    """Scrapy's Protego parser (ROBOTSTXT_PARSER) over the first ROBOTS_MAX_BYTES of the file."""

    def __init__(self, robotstxt_body: bytes, spider=None):
        cut = robotstxt_body[:ROBOTS_MAX_BYTES]
        if len(robotstxt_body) > ROBOTS_MAX_BYTES:
            cut = cut[:cut.rfind(b"\n") + 1]           # whole lines only
        super().__init__(cut, spider)


def robots_middleware(crawler) -> RobotsTxtMiddleware | None:
    """The crawl's own RobotsTxtMiddleware (None when ROBOTSTXT_OBEY is off or nothing runs)."""
    engine = getattr(crawler, "engine", None)
    chain = getattr(getattr(getattr(engine, "downloader", None), "middleware", None), "middlewares", ())
    return next((mw for mw in chain if isinstance(mw, RobotsTxtMiddleware)), None)


async def allowed_by_robots(crawler, url: str) -> bool:
    """The crawl's robots.txt decision for `url`, for requests that do not go through Scrapy's
    downloader (a rendering browser's scripts and their XHR/fetch calls): the same parsers, read
    once per host and cached by the crawl's RobotsTxtMiddleware (a host not asked yet has its
    robots.txt fetched through the crawl, as a page of it would), the same user agent. Allowed when
    robots.txt is not obeyed or cannot be read (as the middleware treats it)."""
    middleware = robots_middleware(crawler)
    if middleware is None:
        return True
    parser = await middleware.robot_parser(Request(url))
    if parser is None:
        return True
    agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT") or "*"
    return parser.allowed(url, agent)
