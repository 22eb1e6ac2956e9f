"""A DNS resolver for test crawls: the names of a made-up county resolved to loopback addresses, as
the county's own DNS would point them; any other name (localhost …) is resolved as usual.

`-s TWISTED_DNS_RESOLVER=tests.local_names.LocalNamesResolver -s TEST_LOCAL_NAMES=www.x.gov.cn=127.0.0.1,…`
It stands for the world's DNS, offline; what the crawler does with the answers is the real code.
"""
from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LocalNamesResolver(CachingThreadedResolver):

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.names = dict(pair.split("=", 1) for pair in crawler.settings.get("TEST_LOCAL_NAMES", "").split(",")
                              if pair)
        return resolver

    def getHostByName(self, name, timeout=()):
        if name in self.names:
            return defer.succeed(self.names[name])
        return super().getHostByName(name, timeout)
