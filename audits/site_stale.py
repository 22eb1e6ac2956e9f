"""site_stale: nothing new in any column, nor in the mailbox, for longer than site_stale_days.

Undated entries count as not updated (national inspection practice), so a site
whose entries are all undated is stale too.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import UNDATED, all_columns_read, finding, staleness, thresholds
from audits.finding import Finding
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    if not all_columns_read(snapshot):          # the news may be on a page that could not be read
        return
    days = int(thresholds(snapshot, config)["site_stale_days"])
    stale = staleness([*snapshot["columns"], letters_as_column(snapshot)], as_of, days)
    if not stale:
        return
    observed, expected = stale
    name = snapshot["unit"]["name"]
    if observed == UNDATED:
        message = f"{name}公开的信息均未注明发布日期，视为未更新，请及时更新并注明发布日期。"
    else:
        message = f"{name}最新信息发布于{observed}，已超过{days}天没有新信息，请及时更新公开内容。"
    yield finding(snapshot, "site_stale", message, url=snapshot["unit"].get("entry_url") or "",
                  observed=observed, expected=expected)


def letters_as_column(snapshot: dict) -> dict:
    """The mailbox's letters and replies as dated entries: a letter shown or answered is news on the site."""
    letters = snapshot["mailbox"].get("letters", [])
    return {"entries": [{"date": day} for letter in letters
                        for day in (letter.get("received"), letter.get("answered")) if day]}
