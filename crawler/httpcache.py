"""The HTTP cache policy of incremental crawls."""
from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy


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
