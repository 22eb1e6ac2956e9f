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


def staleness(columns: list[dict], as_of: date, max_age_days: float) -> tuple[str, str, str] | None:
    """(observed, phrase, expected) when nothing in these columns is newer than max_age_days, else None.

    observed is the newest date ("无日期" when no entry is dated); phrase says it in Chinese.
    """
    oldest_fresh = oldest_fresh_day(as_of, max_age_days)
    newest = newest_entry_day(columns)
    if newest is not None and newest >= oldest_fresh:
        return None
    expected = f">= {oldest_fresh.isoformat()}"
    if newest is None:
        return "无日期", "没有注明发布日期的信息", expected
    return newest.isoformat(), f"最新信息发布于{newest.isoformat()}", expected


def blur(image: dict, min_sharpness: float) -> tuple[str, str] | None:
    """(observed, expected) when the image's sharpness is under the threshold (0 disables), else None."""
    sharpness = image.get("sharpness") or 0.0
    if min_sharpness <= 0 or sharpness >= min_sharpness:
        return None
    return f"清晰度{sharpness:.1f}", f">= {min_sharpness:g}"


def newest_entry_day(columns: list[dict]) -> date | None:
    """The newest dated entry over these columns; undated entries count as never updated."""
    days = [parse_day(e.get("date")) for c in columns for e in c.get("entries", [])]
    return max((d for d in days if d), default=None)


def columns_by_reference(snapshot: dict) -> dict[str, list[dict]]:
    """The site's columns grouped by the reference column they map to (unmapped ones left out)."""
    grouped: dict[str, list[dict]] = {}
    for column in snapshot["columns"]:
        if column.get("reference"):
            grouped.setdefault(column["reference"], []).append(column)
    return grouped


def role_items(snapshot: dict, column: ReferenceColumn | None) -> int:
    """How many leaders / workflow items the snapshot found for a column of that role.

    Leader and workflow columns are pages rather than lists, so their content is
    what the spider gathered there, not list entries.
    """
    if column is None:
        return 0
    if column.role == "leaders":
        return len(snapshot["leaders"])
    if column.role == "workflows":
        return sum(1 for w in snapshot["workflows"] if w.get("column") in (None, "", column.name))
    return 0


def content_count(snapshot: dict, columns: list[dict], reference: ReferenceColumn | None) -> int:
    """Entries of these site columns plus the leaders/workflows of the reference column's role."""
    entries = sum(len(c.get("entries", [])) for c in columns)
    return entries + role_items(snapshot, reference)


def reference_column(config: Config, name: str | None) -> ReferenceColumn | None:
    if not name:
        return None
    try:
        return config.column(name)
    except KeyError:
        return None


def role_column_name(config: Config, role: str) -> str:
    """The reference name of the column holding leaders / workflows ('' if the layout has none)."""
    return next((c.name for c in config.columns if c.role == role), "")


def quoted(name: str) -> str:
    return f"“{name}”"
