"""column_missing, column_empty and column_stale: the unit's columns against the reference layout.

Several site columns may map to one reference column (e.g. 工作动态 and 乡镇动态
both to 工作动态); they are judged together. A site column that maps to none is
not judged: menus mix columns with other links (unit directories, mailboxes), and
its recency class is unknown.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import (UNDATED, column_content, column_unread, columns_by_reference, content_count, finding,
                           quoted, role_items, section_unread, staleness)
from audits.finding import Finding
from crawler.config import Config, ReferenceColumn


# National inspection practice fails a whole site with five or more blank, or five or more
# stale, columns (../shared/REFERENCES.md): those findings are then of high severity.
SITE_FAILING_COUNT = {"column_empty": 5, "column_stale": 5}


def audit(snapshot: dict, config: Config, as_of: date) -> list[Finding]:
    if section_unread(snapshot):                 # its columns are unknown, not missing
        return []
    mapped = columns_by_reference(snapshot)
    findings: list[Finding] = []
    for reference in config.columns:
        site_columns = [c for c in mapped.get(reference.name, []) if not column_unread(snapshot, c)]
        if not mapped.get(reference.name):
            findings.extend(missing(snapshot, reference))
        elif not site_columns or reference.role == "mailbox":   # unread: unknown; letters: mailbox_backlog's
            continue
        elif content_count(snapshot, site_columns, reference) == 0:
            findings.append(empty(snapshot, reference.name, site_columns[0]))
        else:
            findings.extend(stale(snapshot, config, reference, site_columns, as_of))
    return raise_site_failing(findings)


def raise_site_failing(findings: list[Finding]) -> list[Finding]:
    for check, count in SITE_FAILING_COUNT.items():
        same = [f for f in findings if f.check == check]
        if len(same) >= count:
            for f in same:
                f.severity = "high"
    return findings


def missing(snapshot: dict, reference: ReferenceColumn) -> Iterator[Finding]:
    # Leaders or workflows found outside a recognised column still show the column's content.
    if reference.required and role_items(snapshot, reference) == 0:
        yield finding(snapshot, "column_missing",
                      f"缺少{quoted(reference.name)}栏目，请参照《建始网》信息公开栏目设置增设该栏目并发布相关信息。",
                      column=reference.name, url=snapshot["unit"].get("entry_url") or "",
                      observed="无此栏目", expected="设置栏目")


def empty(snapshot: dict, name: str, column: dict) -> Finding:
    return finding(snapshot, "column_empty",
                   f"{quoted(name)}栏目没有任何信息，请及时发布应公开的内容。",
                   column=name, url=column.get("url") or "", observed="0条", expected=">= 1条")


def stale(snapshot: dict, config: Config, reference: ReferenceColumn, site_columns: list[dict],
          as_of: date) -> Iterator[Finding]:
    max_age = config.max_age_days(reference)
    if max_age <= 0 or not any(column_content(c) for c in site_columns):
        return
    found = staleness(site_columns, as_of, max_age)
    if not found:
        return
    observed, expected = found
    if observed == UNDATED:
        message = f"{quoted(reference.name)}栏目的信息均未注明发布日期，视为未更新，请及时更新并注明发布日期。"
    else:
        message = f"{quoted(reference.name)}栏目最新信息发布于{observed}，已超过{max_age}天未更新，请及时更新。"
    yield finding(snapshot, "column_stale", message, column=reference.name,
                  url=site_columns[0].get("url") or "", observed=observed, expected=expected)
