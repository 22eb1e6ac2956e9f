"""robots.txt read as the large search engines read it: its first 512 KiB only.

A site serving megabytes of robots.txt would otherwise cost seconds to parse and a slow
match on every request of the crawl's only thread (Google documents the same 500 KiB
limit). Rules past the cut are ignored, as they are by those engines.
"""
from __future__ import annotations

from scrapy.robotstxt import ProtegoRobotParser

ROBOTS_MAX_BYTES = 512 * 1024


class BoundedRobotParser(ProtegoRobotParser):
    """Scrapy's Protego parser (ROBOTSTXT_PARSER) over the first ROBOTS_MAX_BYTES of the file."""

    def __init__(self, robotstxt_body: bytes, spider=None):
        cut = robotstxt_body[:ROBOTS_MAX_BYTES]
        if len(robotstxt_body) > ROBOTS_MAX_BYTES:
            cut = cut[:cut.rfind(b"\n") + 1]           # whole lines only
        super().__init__(cut, spider)
