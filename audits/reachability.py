"""site_unreachable and site_blocked, from the snapshot's reachability facts.

A blocked site (robots.txt, an anti-crawler challenge) is not a content defect:
the audit simply could not look. Either way its content checks stay silent.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import describe_error, finding
from audits.finding import Finding
from crawler.config import Config

BLOCK_REASONS = {
    "robots": "robots.txt 禁止抓取",
    "anti_crawler": "反爬虫验证拦截",
    "rate_limited": "访问频率受限（HTTP 429）",
}


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    reach = snapshot["reachability"]
    url = snapshot["unit"].get("entry_url") or ""
    name = snapshot["unit"]["name"]
    status = f"，HTTP {reach['status']}" if reach.get("status") else ""
    if reach.get("blocked"):
        reason = BLOCK_REASONS.get(reach["blocked"], reach["blocked"]) + status
        yield finding(snapshot, "site_blocked",
                      f"{name}网站拒绝抓取（{reason}），本次无法检查其内容，请联系网站运维方允许检查或改为人工核查。",
                      url=url, observed=reach["blocked"], expected="允许抓取")
    elif not reach.get("fetched"):
        yield finding(snapshot, "site_unreachable",
                      f"{name}网站无法访问（{describe_error(reach.get('error'), reach.get('status'))}），"
                      f"请尽快恢复网站正常运行。",
                      url=url, observed=reach.get("error") or "无响应", expected="HTTP 200")
