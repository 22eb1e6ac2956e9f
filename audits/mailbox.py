"""mailbox_backlog: one finding per letter received more than mailbox_backlog_days before as_of
that is still 未受理, or 已受理 without an answer."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import finding, oldest_fresh_day, parse_day, thresholds
from audits.finding import Finding
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    days = int(thresholds(snapshot, config)["mailbox_backlog_days"])
    oldest_allowed = oldest_fresh_day(as_of, days)
    mailbox = snapshot["mailbox"]
    for letter in mailbox.get("letters", []):
        received = parse_day(letter.get("received"))
        if received is None or received >= oldest_allowed or not is_pending(letter):
            continue
        state = "未受理" if letter.get("status") == "未受理" else "已受理但未答复"
        title = letter.get("title") or ""
        yield finding(snapshot, "mailbox_backlog",
                      f"信箱来信“{title}”于{received.isoformat()}收到，超过{days}天仍{state}，"
                      f"请登录后台受理并办理。",
                      subject=title, url=letter.get("url") or mailbox.get("url") or "",
                      observed=received.isoformat(), expected=f">= {oldest_allowed.isoformat()} 或已办理")


def is_pending(letter: dict) -> bool:
    status = str(letter.get("status") or "").strip()
    return status == "未受理" or (status == "已受理" and not letter.get("answered"))
