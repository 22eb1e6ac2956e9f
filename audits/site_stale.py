"""site_stale: nothing new in any column for longer than site_stale_days.

Undated entries count as not updated (national inspection practice), so a site
whose entries are all undated is stale too.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import finding, newest_entry_day, oldest_fresh_day, thresholds
from audits.finding import Finding
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    days = thresholds(snapshot, config)["site_stale_days"]
    oldest_fresh = oldest_fresh_day(as_of, days)
    newest = newest_entry_day(snapshot["columns"])
    if newest is not None and newest >= oldest_fresh:
        return
    if newest is None:
        observed, since = "无日期", "没有任何注明日期的信息"
    else:
        observed, since = newest.isoformat(), f"最新信息发布于{newest.isoformat()}"
    yield finding(snapshot, "site_stale",
                  f"{snapshot['unit']['name']}{since}，已超过{int(days)}天没有新信息，请及时更新公开内容。",
                  url=snapshot["unit"].get("entry_url") or "",
                  observed=observed, expected=f">= {oldest_fresh.isoformat()}")
