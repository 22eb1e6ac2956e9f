"""coverage_narrow: content in only a few reference columns (the 长梁乡 and 业州镇 case of 2011,
many entries but all under 腐败风险预警防控)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import all_columns_read, columns_by_reference, content_count, finding, thresholds
from audits.finding import Finding
from crawler.config import Config


def columns_with_content(snapshot: dict, config: Config) -> list[str]:
    """Reference columns holding at least one entry (or leader / workflow item), in layout order;
    a mailbox is interaction, not disclosed information."""
    mapped = columns_by_reference(snapshot)
    return [ref.name for ref in config.columns
            if ref.role != "mailbox" and content_count(snapshot, mapped.get(ref.name, []), ref) > 0]


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    if not all_columns_read(snapshot):          # a column that could not be read may hold anything
        return
    minimum = int(thresholds(snapshot, config)["coverage_min_columns"])
    filled = columns_with_content(snapshot, config)
    if len(filled) >= minimum:
        return
    where = "只有" + "、".join(f"“{name}”" for name in filled) + "栏目有内容" if filled else "所有栏目都没有内容"
    yield finding(snapshot, "coverage_narrow",
                  f"{snapshot['unit']['name']}信息公开{where}，信息不全面，"
                  f"请参照《建始网》信息公开栏目设置补充各类应公开信息。",
                  url=snapshot["unit"].get("entry_url") or "",
                  observed=f"{len(filled)}个栏目", expected=f">= {minimum}个栏目")
