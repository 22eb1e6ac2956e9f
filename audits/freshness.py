"""How fresh each reference column of a unit is: the records report.html's freshness table and
column chart render, decided here with the same rules as the findings (audits/columns.py), so
the page never says otherwise than findings.csv (a typo dated 2101 is no freshness; a column
that could not be read is unknown, not empty).

One `ColumnFreshness` per unit and reference column; `site_newest` is the newest date a person
reads for the whole unit (the bulletin's 最近更新于…).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audits.common import (column_content, column_unread, columns_by_reference, newest_entry_day, role_items,
                           section_unread)
from audits.site_stale import letters_as_column
from crawler.config import Config

# What a cell shows: a state, and for dated columns the days since the newest entry.
MISSING, EMPTY, UNDATED, FRESH, LATE, NOT_TIMED, UNREAD, ITEMS = (
    "missing", "empty", "undated", "fresh", "late", "not_timed", "unread", "items")
ROLE_MEASURE = {"leaders": "人", "workflows": "项"}


@dataclass(frozen=True)
class ColumnFreshness:
    column: str                 # the reference column
    state: str                  # missing | empty | undated | fresh | late | not_timed | unread | items
    newest: str | None = None   # newest dated entry not after the as-of date (ISO)
    days: int | None = None     # days from it to the as-of date
    allowed: int = 0            # days its recency class allows (0: not judged on recency)
    items: str = ""             # a leaders / workflows column: "3人", "5项"


def unit_freshness(snapshot: dict, config: Config, as_of: date) -> list[ColumnFreshness]:
    """One record per reference column of the layout, in layout order."""
    mapped = columns_by_reference(snapshot)
    records = []
    for reference in config.columns:
        allowed = int(config.max_age_days(reference))
        site_columns = mapped.get(reference.name, [])
        count = role_items(snapshot, reference)
        if reference.role in ROLE_MEASURE and count:
            records.append(ColumnFreshness(reference.name, ITEMS, allowed=allowed,
                                           items=f"{count}{ROLE_MEASURE[reference.role]}"))
            continue
        if section_unread(snapshot) or (site_columns and all(column_unread(snapshot, c) for c in site_columns)):
            records.append(ColumnFreshness(reference.name, UNREAD, allowed=allowed))
            continue
        if not site_columns:
            records.append(ColumnFreshness(reference.name, MISSING, allowed=allowed))
            continue
        if not sum(column_content(c) for c in site_columns) + count:
            records.append(ColumnFreshness(reference.name, EMPTY, allowed=allowed))
            continue
        newest = newest_entry_day(site_columns, as_of)
        if newest is None:
            records.append(ColumnFreshness(reference.name, UNDATED, allowed=allowed))
            continue
        days = (as_of - newest).days
        state = NOT_TIMED if allowed <= 0 else (LATE if days > allowed else FRESH)
        records.append(ColumnFreshness(reference.name, state, newest.isoformat(), days, allowed))
    return records


def site_newest(snapshot: dict, as_of: date) -> str | None:
    """The newest date on the unit's pages a person reads (entries, letters, replies), not after as_of."""
    newest = newest_entry_day([*snapshot["columns"], letters_as_column(snapshot)], as_of)
    return newest.isoformat() if newest else None
