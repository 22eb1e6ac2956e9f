"""The items of the disclosure spider: facts about one unit, as they are found.

The spider yields one `Fact` per observation; the snapshot pipeline appends each
to the unit's `partial/<unit-id>.jsonl` at once (so an interrupted crawl keeps
them) and folds them into the unit's snapshot when the unit is done
(crawler/pipelines.py, `assemble_snapshot`). Facts are plain JSON-able dicts so
that a line of the partial file is exactly one item.

Kinds and their data (dates ISO strings, sizes ints):
  unit         entry_url, host, own_site, started, basis   where the unit's crawl starts / its section is
  entry        fetched, status, error, error_detail, blocked, blocked_detail   the entry page's fate
  fetch        url, status, bytes, watched          one response received (pages and bytes); `watched`:
                                                    {method, url, body, status, digest} of a page where
                                                    news shows, to ask again next run (else null);
                                                    `rendering`: {status: rendered | failed | over_budget,
                                                    reason, detail} for a page drawn by scripts, else null
  failure      url, error                           one request that failed (errors per kind)
  unread       kind, url, why, column_url           a page the audits rely on that could not be read
  column       name, path, url, reference, match, role   a column of the disclosure section
  list_page    column_url, entries [{title,url,date,date_source}], truncated, text_chars, nothing_notice,
               page_date                            (a page's own text, its 暂无信息, the date a static page prints)
  entry_date   column_url, url, date                an entry's date read on its detail page
  leader       name, post, duties, page_url, photo_url, rank (place in the page's list)
  image        url, role, + the IMAGE fields of crawler/snapshot.py (leader photos, flowcharts)
  attachment   url, + the ATTACHMENT fields of crawler/snapshot.py (flowchart attachments)
  workflow     title, page_url, column, kind, url, rank   a workflow item and where its flowchart is
  mailbox      url
  letters      letters [{title,url,received,status,answered}]
  link         url, text, page_url, kind, status, error   a checked link (error null: it opens)
  appointment  person, post, action, date, title, url
  reused       snapshot, started                    the unit is unchanged: that snapshot stands (crawler/revisit.py)
  done         facts                                the unit has no request left; `facts` emitted before
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FACT_KINDS = ("unit", "entry", "fetch", "failure", "unread", "column", "list_page", "entry_date", "leader",
              "image", "attachment", "workflow", "mailbox", "letters", "letter_reply", "link", "appointment", "reused",
              "done")


# Characters no output can hold: a lone UTF-16 surrogate (no UTF-8 for it) and C0 controls other
# than tab and line breaks (XML, hence .docx and .xlsx, refuses them). Crawled text is hostile.
_UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")


def scrub(value):
    """`value` with every string made writable: surrogates become U+FFFD, controls go."""
    if isinstance(value, str):
        return _UNWRITABLE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value) \
            if _UNWRITABLE.search(value) else value
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


@dataclass
class Fact:
    unit_id: str
    kind: str
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in FACT_KINDS:
            raise ValueError(f"unknown fact kind {self.kind!r}")

    def as_dict(self) -> dict:
        """For serialising (the data is not copied: dataclasses.asdict's deep copy cost more than the write)."""
        return {"unit_id": self.unit_id, "kind": self.kind, "data": self.data}

    @classmethod
    def from_dict(cls, d: dict) -> "Fact":
        return cls(unit_id=d["unit_id"], kind=d["kind"], data=d.get("data", {}))
