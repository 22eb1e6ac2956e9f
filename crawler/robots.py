"""robots.txt read as the large search engines read it: its first 512 KiB only.

A site serving megabytes of robots.txt would otherwise cost seconds to parse and a slow
match on every request of the crawl's only thread (Google documents the same 500 KiB
limit). Rules past the cut are ignored, as they are by those engines.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import ProtegoRobotParser

ROBOTS_MAX_BYTES = 512 * 1024


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
