"""link_broken: one finding per failing link or attachment the spider recorded (it keeps only those)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import NOT_FETCHED, describe_error, finding
from audits.finding import Finding
from crawler.config import Config

def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    columns = page_columns(snapshot)
    for link in snapshot["links"]:
        if link.get("error") == NOT_FETCHED:
            continue
        error = link.get("error") or f"http_{link.get('status')}"
        what = "附件" if link.get("kind") == "attachment" else "链接"
        text = " ".join(str(link.get("text") or "").split()) or link.get("url") or ""
        yield finding(snapshot, "link_broken",
                      f"{what}“{text}”无法打开（{describe_error(error, link.get('status'))}：{link.get('url', '')}），"
                      f"请修复或删除该{what}。",
                      column=link.get("column") or columns.get(link.get("page_url") or "", ""),
                      subject=text, url=link.get("page_url") or link.get("url") or "",
                      observed=error, expected="可正常打开")


def page_columns(snapshot: dict) -> dict[str, str]:
    """Page URL -> the reference (or, unmapped, the site's) name of the column it belongs to."""
    pages: dict[str, str] = {}
    for column in snapshot["columns"]:
        name = column.get("reference") or column.get("name") or ""
        pages.setdefault(column.get("url") or "", name)
        for entry in column.get("entries", []):
            pages.setdefault(entry.get("url") or "", name)
    pages.pop("", None)
    return pages
