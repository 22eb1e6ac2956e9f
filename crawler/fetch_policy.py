"""What the crawl may fetch: only the county's own sites, as its config names them.

- Pages (entries, sections, lists, articles, links) on the hosts the config names: the units'
  URLs and overrides, and the unified site group (`*.host` for its subdomains).
- Photos and attachments also on hosts under the same registrable domain as a named host
  (img.xx.gov.cn beside www.xx.gov.cn), by the Public Suffix List of the `tldextract` package's
  bundled copy (never fetched at run time): a unit's media server is the unit's.
- Never an address in a loopback, private, link-local or reserved range, unless the config names
  that very host: inside a government network, a hostile page must not steer the crawler at
  internal services (169.254.169.254, 10.0.0.1 …). An IP literal is judged here (`refused`); a
  host NAME the config does not name is judged by the address it resolves to, just before the
  download (`checks_address`, ResolvedAddressMiddleware in crawler/middlewares.py): a photo host
  under the unit's domain whose name points at 10.x or 127.x is refused all the same; so is a
  script's request in a page rendered by Chromium (`browser_refuses`). Hosts the config names are
  trusted whatever they resolve to (the sandbox itself runs on 127.x).

Redirects that leave these hosts are not followed (OffsiteRedirects, crawler/middlewares.py).
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from audits.site_group import in_site_group

# The bundled suffix list only: no request to publicsuffix.org, no cache folder written.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def hostname(host: str) -> str:
    """host[:port] -> host (an IPv6 literal keeps its brackets off)."""
    if host.startswith("["):
        return host[1:host.index("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """gov.cn counts as a suffix: www.hbjs.gov.cn -> hbjs.gov.cn; an IP address is its own domain."""
    name = hostname(host)
    if is_ip(name):
        return name
    parts = _SUFFIXES(name)
    return ".".join(p for p in (parts.domain, parts.suffix) if p) or name


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


@lru_cache(maxsize=4096)
def internal_address(name: str) -> bool:
    """An IP literal no public site has: loopback, private, link-local, reserved, multicast."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return not address.is_global


class FetchPolicy:
    def __init__(self, named_urls, site_group_hosts: tuple[str, ...], check_external: bool = False):
        self.named = {host_of(u) for u in named_urls if u}
        self.site_group = tuple(site_group_hosts)
        self.domains = {registrable_domain(h) for h in self.named}
        self.check_external = check_external
        self._named: dict[str, bool] = {}

    @classmethod
    def from_config(cls, config, check_external: bool = False) -> "FetchPolicy":
        urls = []
        for unit in config.units:
            overrides = unit.overrides
            urls += [unit.url, overrides.get("disclosure_url"), *overrides.get("column_urls", {}).values()]
        return cls(urls, config.site_group_hosts, check_external)

    def named_host(self, host: str) -> bool:
        known = self._named.get(host)
        if known is None:                      # asked for every request: the patterns are matched once per host
            known = self._named[host] = host in self.named or in_site_group(host, self.site_group)
        return known

    def refused(self, host: str) -> bool:
        """An internal address the config does not name."""
        return internal_address(hostname(host)) and not self.named_host(host)

    def checks_address(self, host: str) -> bool:
        """Whether the address a host resolves to must be checked (`internal_address`) before
        connecting: a name the config does not name. (IP literals are judged by `refused`.)"""
        return not is_ip(hostname(host)) and not self.named_host(host)

    async def browser_refuses(self, url: str) -> bool:
        """Whether headless Chromium (crawler/rendering.py) may not fetch this for a page it renders: an
        internal address the config does not name, written as one (`refused`) or a name resolving to one.
        Chromium resolves names itself, with the system's resolver: the name is looked up the same way
        here (getaddrinfo), and refused when any of its addresses is internal."""
        if not url.startswith(("http://", "https://")):
            return False
        host = host_of(url)
        if self.refused(host):
            return True
        if not self.checks_address(host):
            return False
        try:
            found = await asyncio.get_running_loop().getaddrinfo(hostname(host), None, type=socket.SOCK_STREAM)
        except OSError:
            return False                        # no address: the browser's request fails by itself
        return any(internal_address(str(info[4][0]).split("%", 1)[0]) for info in found)

    def allows_page(self, url: str) -> bool:
        host = host_of(url)
        return self.named_host(host) and not self.refused(host)

    def allows_media(self, url: str) -> bool:
        host = host_of(url)
        return not self.refused(host) and (self.named_host(host) or registrable_domain(host) in self.domains)

    def allows_link_check(self, url: str) -> bool:
        """A link of an article is checked on the county's hosts; elsewhere only when asked to."""
        return self.allows_page(url) or (self.check_external and not self.refused(host_of(url)))
