"""site_not_unified: a unit running its own site outside the county's unified site group.

Judged from the host alone, so it applies to blocked and unreachable sites too.
A pattern may name the host with or without its port; either form matches.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from fnmatch import fnmatchcase

from audits.common import finding
from audits.finding import Finding
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    unit = snapshot["unit"]
    host = str(unit.get("host") or "").lower()
    if not unit.get("own_site") or not host or in_site_group(host, config.site_group_hosts):
        return
    yield finding(snapshot, "site_not_unified",
                  f"{unit['name']}自建网站（{host}）未纳入全县统一站群，"
                  f"请按《建始县互联网站管理办法》迁入统一站群规范管理。",
                  url=unit.get("entry_url") or "", observed=host, expected="统一站群")


def in_site_group(host: str, patterns: tuple[str, ...]) -> bool:
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return any(fnmatchcase(name, pattern.lower()) for pattern in patterns for name in (host, bare))
