"""site_stale: nothing new in any column for longer than site_stale_days.

Undated entries count as not updated (national inspection practice), so a site
whose entries are all undated is stale too.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import finding, staleness, thresholds
from audits.finding import Finding
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    days = int(thresholds(snapshot, config)["site_stale_days"])
    stale = staleness(snapshot["columns"], as_of, days)
    if stale:
        observed, since, expected = stale
        yield finding(snapshot, "site_stale",
                      f"{snapshot['unit']['name']}{since}，已超过{days}天没有新信息，请及时更新公开内容。",
                      url=snapshot["unit"].get("entry_url") or "", observed=observed, expected=expected)
