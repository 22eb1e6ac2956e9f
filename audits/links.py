"""link_broken: one finding per checked link or attachment that does not open (the snapshot keeps what
was observed of every link checked; `failure` decides)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import UNJUDGED_ERRORS, describe_error, finding
from audits.finding import Finding
from crawler.config import Config

# Links whose fate is unknown, not bad: never fetched (a cap, an internal address refused), or sent
# off the county's sites, where the crawl does not follow.
UNKNOWN = (*UNJUDGED_ERRORS, "offsite_redirect")


def failure(link: dict) -> str | None:
    """Why a checked link is broken, from what was observed (None: it opens)."""
    if link.get("error"):
        return link["error"]                     # no answer: timeout, refused …
    status = link.get("status")
    if isinstance(status, int) and status >= 400:
        return f"http_{status}"
    if link.get("soft_404"):
        return "soft_404"                        # 200, saying 页面不存在
    if link.get("kind") == "attachment" and link.get("bytes") == 0:
        return "empty"                           # a zero-byte file opens as nothing
    return None


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    columns = page_columns(snapshot)
    for link in snapshot["links"]:
        error = failure(link)
        if error is None or error in UNKNOWN:
            continue
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
