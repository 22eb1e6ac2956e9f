"""Helpers every audit module shares: reading a snapshot, making findings, dates."""
from __future__ import annotations

from datetime import date, timedelta

from audits.finding import Finding
from crawler.config import Config, ReferenceColumn, Unit


def finding(snapshot: dict, check: str, message: str, **fields: str) -> Finding:
    """A finding about the snapshot's unit."""
    unit = snapshot["unit"]
    return Finding(unit_id=unit["id"], unit=unit["name"], check=check, message=message, **fields)


def config_unit(snapshot: dict, config: Config) -> Unit:
    """The config's unit for this snapshot (a bare one when the config lacks it, e.g. an old run)."""
    unit = snapshot["unit"]
    try:
        return config.unit(unit["id"])
    except KeyError:
        return Unit(id=unit["id"], name=unit["name"], kind=unit.get("kind", ""))


def thresholds(snapshot: dict, config: Config) -> dict[str, float]:
    return config.thresholds_for(config_unit(snapshot, config))


def content_was_read(snapshot: dict) -> bool:
    """False when the site kept us out or could not be fetched: its content is then unknown."""
    reach = snapshot["reachability"]
    return bool(reach.get("fetched")) and not reach.get("blocked")


def parse_day(text: str | None) -> date | None:
    """An ISO date of the snapshot, None when absent or malformed (crawled data is never trusted)."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def oldest_fresh_day(as_of: date, max_age_days: float) -> date:
    """The oldest date that still counts as up to date: older than this is stale."""
    return as_of - timedelta(days=int(max_age_days))


UNDATED = "无日期"   # observed of a column or site whose entries carry no date at all


def staleness(columns: list[dict], as_of: date, max_age_days: float) -> tuple[str, str] | None:
    """(observed, expected) when nothing in these columns is newer than max_age_days, else None.

    observed is the newest date, or UNDATED when no entry is dated (counted as never updated).
    """
    oldest_fresh = oldest_fresh_day(as_of, max_age_days)
    newest = newest_entry_day(columns, as_of)
    if newest is not None and newest >= oldest_fresh:
        return None
    return (newest.isoformat() if newest else UNDATED), f">= {oldest_fresh.isoformat()}"


def blur(image: dict, min_sharpness: float) -> tuple[str, str] | None:
    """(observed, expected) when the image's sharpness is under the threshold (0 disables), else None."""
    sharpness = image.get("sharpness") or 0.0
    if min_sharpness <= 0 or sharpness >= min_sharpness:
        return None
    return f"清晰度{sharpness:.1f}", f">= {min_sharpness:g}"


def newest_entry_day(columns: list[dict], as_of: date) -> date | None:
    """The newest dated entry over these columns, as of that day.

    Undated entries count as never updated; dates after as_of (typos such as 2101,
    or news published after the day being judged) are left out, so they cannot
    make a column look fresh.
    """
    days = [parse_day(e.get("date")) for c in columns for e in c.get("entries", [])]
    days += [parse_day(c.get("page_date")) for c in columns if column_content(c) and not c.get("entries")]
    return max((d for d in days if d and d <= as_of), default=None)


# What could not be read is unknown, never absent (snapshot "unread"): no absence or staleness
# finding is drawn from a page the crawl could not read.
SECTION_PAGES = ("directory", "section")


def section_unread(snapshot: dict) -> bool:
    """The unit's section (or the directory leading to it) could not be read: its columns are unknown."""
    return any(u.get("kind") in SECTION_PAGES for u in snapshot.get("unread", []))


def column_unread(snapshot: dict, column: dict) -> bool:
    """A column of which nothing was read because its page could not be."""
    return (not column.get("entries") and not column.get("text_chars")
            and any(u.get("column_url") == column.get("url") for u in snapshot.get("unread", [])))


def all_columns_read(snapshot: dict) -> bool:
    return not section_unread(snapshot) and not any(column_unread(snapshot, c) for c in snapshot["columns"])


def columns_by_reference(snapshot: dict) -> dict[str, list[dict]]:
    """The site's columns grouped by the reference column they map to (unmapped ones left out)."""
    grouped: dict[str, list[dict]] = {}
    for column in snapshot["columns"]:
        if column.get("reference"):
            grouped.setdefault(column["reference"], []).append(column)
    return grouped


def role_items(snapshot: dict, column: ReferenceColumn | None) -> int:
    """How many leaders / workflow items (or mailboxes) the snapshot found for a column of that role.

    Leader and workflow columns are pages rather than lists, so their content is
    what the spider gathered there, not list entries; a mailbox column is there
    when the unit has a mailbox, wherever its link was.
    """
    if column is None:
        return 0
    if column.role == "leaders":
        return len(snapshot["leaders"])
    if column.role == "workflows":
        return len(snapshot["workflows"])
    if column.role == "mailbox":
        return int(bool(snapshot["mailbox"].get("url")))
    return 0


# Chinese characters of its own text (outside links and page chrome) that make a column page
# without a list a static column with content (公开指南, 机构职能): more than a heading and a
# line of boilerplate, less than the shortest real 机构职能 page.
STATIC_PAGE_MIN_CHARS = 40


def column_content(column: dict) -> int:
    """What a site column holds: its entries; 1 for a static page of text; 0 when its page says it
    holds nothing (暂无信息) and nothing on it is dated (a stray link there is no entry)."""
    entries = column.get("entries", [])
    notice = column.get("nothing_notice")
    if notice and not any(e.get("date") for e in entries):
        return 0
    if entries:
        return len(entries)
    return int(not notice and (column.get("text_chars") or 0) >= STATIC_PAGE_MIN_CHARS)


def content_count(snapshot: dict, columns: list[dict], reference: ReferenceColumn | None) -> int:
    """What these site columns hold plus the leaders/workflows (mailbox) of the reference column's role."""
    return sum(column_content(c) for c in columns) + role_items(snapshot, reference)


def role_column_name(config: Config, role: str) -> str:
    """The reference name of the column holding leaders / workflows ('' if the layout has none)."""
    return next((c.name for c in config.columns if c.role == role), "")


# What the spider's failure kinds (crawler/snapshot.py) mean, for the messages.
ERROR_WORDS = {
    "dns": "域名无法解析", "refused": "连接被拒绝", "timeout": "访问超时", "reset": "连接被重置",
    "redirect_loop": "页面循环跳转", "too_many_redirects": "页面跳转次数过多",
    "offsite_redirect": "跳转到本县网站以外的地址", "http": "服务器返回错误",
    "other": "访问出错",
    "not_found_in_directory": "门户网站的单位目录中找不到该单位",
    "soft_404": "页面显示“页面不存在”", "not_image": "链接返回的不是图片", "truncated": "图片文件不完整",
    "too_large": "文件过大或图片尺寸异常", "empty": "文件为空，0字节",
    "signature_mismatch": "文件内容与扩展名不符",
    "internal_address": "指向内部网络地址，未访问",
}
# Not a fault of the site: the crawl did not get to it (stopped, capped), so it is not judged.
NOT_FETCHED = "not_fetched"
# Nor is what the crawl refused to fetch: a host name resolving to an internal address the config
# does not name (crawler/fetch_policy.py). Refused, not broken: nobody knows whether it opens.
REFUSED_ADDRESS = "internal_address"
UNJUDGED_ERRORS = (NOT_FETCHED, REFUSED_ADDRESS)


def image_failure(image: dict) -> str | None:
    """The failure kind of an image that cannot be shown (None: it can)."""
    if image.get("error"):
        return image["error"]
    if image.get("status") != 200:
        return f"http_{image.get('status')}"
    return None if image.get("width") else "not_image"


def describe_error(code: str | None, status: int | None = None) -> str:
    """A failure kind in Chinese: "http_404" -> "链接失效，HTTP 404"."""
    code = code or (f"http_{status}" if status else "other")
    if code.startswith("http_") and code[5:].isdigit():
        return f"链接失效，HTTP {code[5:]}" if code[5:] in ("404", "410") else f"服务器返回错误 HTTP {code[5:]}"
    words = ERROR_WORDS.get(code, code)
    return f"{words} HTTP {status}" if code == "http" and status else words


def person_name(text: str | None) -> str:
    """Names are often padded to a fixed width with (full-width) spaces: 张　三."""
    return "".join(str(text or "").split())


def quoted(name: str) -> str:
    return f"“{name}”"
