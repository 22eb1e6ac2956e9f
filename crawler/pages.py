"""The kinds of page the spider fetches, in one table (as Scrapy declares DOWNLOADER_MIDDLEWARES_BASE).

Every request carries its kind (request meta `handler`). The table says, per kind:
- `callback` / `errback`: the spider's methods that read its answer / its failure (None: the
  failure is only counted);
- `priority`: later stages first, so a unit finishes (and frees memory) before new ones start;
- `watched`: a page where news shows (sections, lists, leaders, mailbox), asked again first by a
  nightly revisit; the others (articles, images, attachments, link targets) are published
  content, which rarely changes (crawler/revisit.py, crawler/nightly.py);
- `judged_by_absence`: the audits conclude from what such a page lacks (columns, entries,
  leaders, letters), so when it cannot be read its unit is not fully audited (snapshot `unread`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageKind:
    callback: str
    errback: str | None = None
    priority: int = 0
    watched: bool = True
    judged_by_absence: bool = False


PAGE_KINDS: dict[str, PageKind] = {
    "entry": PageKind("handle_entry"),
    "directory": PageKind("handle_directory", judged_by_absence=True),
    "section": PageKind("handle_section", "failed_section", judged_by_absence=True),
    "list": PageKind("handle_list", priority=5, judged_by_absence=True),
    "mailbox": PageKind("handle_mailbox", priority=10, judged_by_absence=True),
    # a letter's own page, read when the list shows no answer; it changes when one comes
    "letter": PageKind("handle_letter", priority=20),
    "detail": PageKind("handle_detail", priority=10, watched=False),
    "leader_detail": PageKind("handle_leader_detail", priority=20, judged_by_absence=True),
    "workflow": PageKind("handle_workflow", priority=20, judged_by_absence=True),
    "link": PageKind("handle_link", "failed_link", priority=20, watched=False),
    "image": PageKind("handle_image", "failed_image", priority=30, watched=False),
    "attachment": PageKind("handle_attachment", "failed_attachment", priority=30, watched=False),
    # a watched page of the previous run asked again (not part of the unit's crawl)
    "revisit": PageKind("handle_revisit", priority=40, watched=False),
}

# Published content: served from the nightly cache without asking, never watched.
CONTENT_KINDS = frozenset(name for name, kind in PAGE_KINDS.items() if not kind.watched and name != "revisit")
