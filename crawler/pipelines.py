"""The snapshot pipeline: facts in, one snapshot per unit out.

Every Fact is appended to `<run_dir>/partial/<unit-id>.jsonl` the moment it
arrives (flushed, so a killed crawl keeps it and a resumed one continues the
file). When the spider says a unit is done (a `done` fact carrying how many facts
it emitted for the unit) and that many have been written, the facts are folded
into `<run_dir>/snapshots/<unit-id>.json` (crawler/snapshot.py) and the partial
file is removed. A crash therefore loses at most the units still in flight.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from scrapy import signals

from crawler import revisit
from crawler.items import Fact
from crawler.runs import CHINA
from crawler.snapshot import (ATTACHMENT_FIELDS, IMAGE_FIELDS, LINK_FIELDS, empty_snapshot, read_snapshot,
                              write_snapshot)

logger = logging.getLogger(__name__)

# Sent with (unit_id, snapshot) once a unit's snapshot is on disk.
unit_finished = object()

UNREAD_FIELDS = ("kind", "url", "why", "column_url")


def now_iso() -> str:
    return datetime.now(CHINA).isoformat(timespec="seconds")


class SnapshotPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.written: dict[str, int] = {}     # unit id -> facts in its partial file
        self.expected: dict[str, int] = {}    # unit id -> facts the spider emitted, once it is done
        self.finished: set[str] = set()
        self.files: dict = {}                 # unit id -> its partial file, open while the unit is crawled
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        if not isinstance(item, Fact):
            return item
        spider = self.crawler.spider
        if item.kind == "done":
            self.expected[item.unit_id] = item.data["facts"]
        else:
            self._append(spider, item)
        if self.written_count(spider, item.unit_id) >= self.expected.get(item.unit_id, float("inf")):
            self.finish_unit(spider, item.unit_id)
        return item

    def partial_path(self, spider, unit_id: str) -> Path:
        return Path(spider.run_dir, "partial", f"{unit_id}.jsonl")

    def written_count(self, spider, unit_id: str) -> int:
        if unit_id not in self.written:   # a resumed crawl continues an existing file
            path = self.partial_path(spider, unit_id)
            self.written[unit_id] = end_lines(path) if path.exists() else 0
        return self.written[unit_id]

    def _append(self, spider, fact: Fact) -> None:
        count = self.written_count(spider, fact.unit_id)
        f = self.files.get(fact.unit_id)
        if f is None:                        # kept open: opening a file per fact cost more than writing it
            path = self.partial_path(spider, fact.unit_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            f = self.files[fact.unit_id] = path.open("a", encoding="utf-8")
        f.write(json.dumps(fact.as_dict(), ensure_ascii=False, default=str) + "\n")
        f.flush()                            # in the kernel's hands: a killed crawl keeps it
        self.written[fact.unit_id] = count + 1

    def close_file(self, unit_id: str) -> None:
        f = self.files.pop(unit_id, None)
        if f is not None:
            f.close()

    def read_facts(self, spider, unit_id: str) -> list[Fact]:
        path = self.partial_path(spider, unit_id)
        if not path.exists():
            return []
        facts = []
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    facts.append(Fact.from_dict(json.loads(line)))
                except (ValueError, KeyError):   # a line torn by a killed crawl
                    logger.warning("unit %s: skipping a damaged line of %s", unit_id, path)
        return facts

    def finish_unit(self, spider, unit_id: str) -> dict:
        if unit_id in self.finished:
            return {}
        self.finished.add(unit_id)
        self.close_file(unit_id)
        unit = spider.config.unit(unit_id)
        crawl = {"run_id": spider.run_id, "as_of": spider.as_of.isoformat(), "finished": now_iso()}
        facts = self.read_facts(spider, unit_id)
        reused = next((f.data for f in facts if f.kind == "reused"), None)
        snapshot = reused_snapshot(reused, crawl) if reused else None
        if snapshot is None:
            snapshot = assemble_snapshot(unit, facts, crawl)
        write_snapshot(Path(spider.run_dir, "snapshots", f"{unit_id}.json"), snapshot)
        self.partial_path(spider, unit_id).unlink(missing_ok=True)
        self.crawler.signals.send_catch_log(unit_finished, unit_id=unit_id, snapshot=snapshot)
        return snapshot

    def close_spider(self, spider=None):
        for unit_id in list(self.files):
            self.close_file(unit_id)
        spider = self.crawler.spider
        partial = Path(spider.run_dir, "partial") if hasattr(spider, "run_dir") else None
        if partial and partial.is_dir() and not any(partial.iterdir()):
            partial.rmdir()                     # every unit written: nothing left to resume

    def spider_idle(self, spider):
        """Nothing left to crawl: a unit not yet written was lost track of; write what it has."""
        for unit_id in sorted(spider.crawl_state.started):
            if unit_id not in self.finished and not spider.snapshot_exists(unit_id):
                logger.warning("unit %s still had requests counted in flight at the end; "
                               "writing its snapshot with what was gathered", unit_id)
                self.finish_unit(spider, unit_id)


def end_lines(path: Path) -> int:
    """Lines in a partial file; a line torn by a kill is ended, so the next fact starts a line of its own."""
    with path.open("rb+") as f:
        lines = sum(1 for _ in f)
        f.seek(0, 2)
        if f.tell():
            f.seek(-1, 2)
            if f.read(1) != b"\n":
                f.write(b"\n")
    return lines


def reused_snapshot(reused: dict, crawl: dict) -> dict | None:
    """The previous run's snapshot of an unchanged unit (crawler/revisit.py), None if it is gone."""
    try:
        previous = read_snapshot(reused["snapshot"])
    except (OSError, ValueError) as exc:
        logger.error("unit unchanged, but its previous snapshot cannot be read (%s): written empty", exc)
        return None
    return revisit.carried_over(previous, {**crawl, "started": reused.get("started") or crawl["finished"]})


def assemble_snapshot(unit, facts: list[Fact], crawl: dict) -> dict:
    """Fold a unit's facts, in the order they came, into its snapshot (crawler/snapshot.py)."""
    snapshot = empty_snapshot(unit.id, unit.name, unit.kind)
    by_kind: dict[str, list[dict]] = {}
    for fact in facts:
        by_kind.setdefault(fact.kind, []).append(fact.data)
    first = next((d for d in by_kind.get("unit", []) if d.get("started")), {})
    started = first.get("started") or crawl.get("finished")
    # a full crawl: its facts are verified as of its start (crawler/revisit.py)
    snapshot["crawl"] = {**crawl, "started": started, "verified": started, "basis": first.get("basis"),
                         "reused_from": None}
    snapshot["crawl"].update(_rendering(by_kind.get("fetch", [])))
    watched = [d["watched"] for d in by_kind.get("fetch", []) if d.get("watched")]
    snapshot["watched_pages"] = _unique(watched, key=lambda d: (d["method"], d["url"], d["body"]))
    for data in by_kind.get("unit", []):
        snapshot["unit"].update({k: data[k] for k in ("entry_url", "host", "own_site") if k in data})
    snapshot["reachability"] = _reachability(by_kind)
    snapshot["columns"] = _columns(by_kind)
    images = {d["url"]: _fields(d, IMAGE_FIELDS) for d in by_kind.get("image", [])}
    attachments = {d["url"]: _fields(d, ATTACHMENT_FIELDS) for d in by_kind.get("attachment", [])}
    snapshot["leaders"] = _leaders(by_kind.get("leader", []), images)
    snapshot["workflows"] = _workflows(by_kind.get("workflow", []), images, attachments)
    snapshot["mailbox"] = _mailbox(by_kind)
    links = _unique(by_kind.get("link", []), key=lambda d: d["url"])
    snapshot["links_checked"] = len(links)
    snapshot["links"] = [_fields(d, LINK_FIELDS) for d in links]     # as observed: audits/links.py judges
    snapshot["unread"] = _unique([_fields(d, UNREAD_FIELDS) for d in by_kind.get("unread", [])],
                                 key=lambda d: (d["kind"], d["url"]))
    snapshot["appointments"] = _unique(by_kind.get("appointment", []),
                                       key=lambda d: (d["person"], d["post"], d["action"], d.get("url")))
    return snapshot


def _fields(data: dict, names: tuple[str, ...]) -> dict:
    return {name: data.get(name) for name in names}


def _unique(records: list[dict], key) -> list[dict]:
    seen, kept = set(), []
    for record in records:
        k = key(record)
        if k not in seen:
            seen.add(k)
            kept.append(record)
    return kept


def in_page_order(records: list[dict]) -> list[dict]:
    """Leaders and workflow items as their page lists them (their own pages answer in any order)."""
    return sorted(records, key=lambda d: d.get("rank") if d.get("rank") is not None else float("inf"))


def _rendering(fetches: list[dict]) -> dict:
    """Pages drawn by scripts read rendered (crawler/rendering.py; those that could not be are `unread`)."""
    return {"rendered": sum(1 for d in fetches if (d.get("rendering") or {}).get("status") == "rendered")}


def _reachability(by_kind: dict[str, list[dict]]) -> dict:
    reach = empty_snapshot("", "", "")["reachability"]
    for data in by_kind.get("entry", []):
        reach.update({k: data[k] for k in ("fetched", "status", "error", "error_detail",
                                           "blocked", "blocked_detail", "certificate") if k in data})
    fetches = by_kind.get("fetch", [])
    reach["pages"] = len(fetches)
    reach["bytes"] = sum(d.get("bytes") or 0 for d in fetches)
    errors: dict[str, int] = {}
    for data in by_kind.get("failure", []):
        errors[data["error"]] = errors.get(data["error"], 0) + 1
    reach["errors"] = errors
    return reach


def _columns(by_kind: dict[str, list[dict]]) -> list[dict]:
    columns: dict[str, dict] = {}
    for data in by_kind.get("column", []):
        columns.setdefault(data["url"], {
            "name": data["name"], "path": data.get("path") or [data["name"]], "url": data["url"],
            "reference": data.get("reference"), "match": data.get("match") or "none", "role": data.get("role"),
            "entries": [], "entry_count": 0, "newest": None, "pages": 0, "truncated": False,
            "text_chars": 0, "nothing_notice": None, "page_date": None})
    for data in by_kind.get("list_page", []):
        column = columns.get(data["column_url"])
        if column is None:
            continue
        column["pages"] += 1
        column["truncated"] = column["truncated"] or bool(data.get("truncated"))
        column["entries"].extend(data.get("entries", []))
        column["text_chars"] = max(column["text_chars"], data.get("text_chars") or 0)
        column["page_date"] = max(filter(None, (column["page_date"], data.get("page_date"))), default=None)
        notices = [n for n in (column["nothing_notice"], data.get("nothing_notice")) if n]
        column["nothing_notice"] = min(notices, default=None)      # the same whatever order pages came in
    detail_dates = {(d["column_url"], d["url"]): d["date"] for d in by_kind.get("entry_date", [])}
    for column in columns.values():
        entries = _unique(column["entries"], key=lambda e: e["url"])
        for entry in entries:
            found = detail_dates.get((column["url"], entry["url"]))
            if entry.get("date") is None and found:
                entry.update(date=found, date_source="detail")
        column["entries"] = entries
        column["entry_count"] = len(entries)
        dates = [e["date"] for e in entries if e.get("date")]
        column["newest"] = max(dates or filter(None, [column["page_date"]]), default=None)
    return list(columns.values())


def _leaders(records: list[dict], images: dict[str, dict]) -> list[dict]:
    leaders = []
    for data in in_page_order(_unique(records, key=lambda d: (d["name"], d.get("page_url")))):
        photo_url = data.get("photo_url")
        photo = None
        if photo_url:
            photo = images.get(photo_url) or {**_fields({}, IMAGE_FIELDS), "url": photo_url, "error": "not_fetched"}
        leaders.append({"name": data["name"], "post": data.get("post") or "",
                        "duties": data.get("duties") or "", "page_url": data.get("page_url"),
                        "photo": photo})
    return leaders


def _workflows(records: list[dict], images: dict[str, dict], attachments: dict[str, dict]) -> list[dict]:
    workflows = []
    for data in in_page_order(_unique(records, key=lambda d: (d.get("page_url"), d["title"]))):
        kind, url = data.get("kind") or "none", data.get("url")
        if kind == "image":
            flowchart = {"kind": "image", **(images.get(url) or {**_fields({}, IMAGE_FIELDS), "url": url,
                                                                 "error": "not_fetched"})}
        elif kind == "attachment":
            flowchart = {"kind": "attachment", **(attachments.get(url) or {
                **_fields({}, ATTACHMENT_FIELDS), "url": url, "error": "not_fetched"})}
        else:
            flowchart = {"kind": "none"}
        workflows.append({"title": data["title"], "page_url": data.get("page_url"),
                          "column": data.get("column"), "flowchart": flowchart})
    return workflows


def _mailbox(by_kind: dict[str, list[dict]]) -> dict:
    urls = [d["url"] for d in by_kind.get("mailbox", [])]
    letters = [letter for d in by_kind.get("letters", []) for letter in d.get("letters", [])]
    # one letter, not two, when the first list page is also served as ?page=1 (its url is the page's)
    letters = _unique(letters, key=lambda l: (l["title"], l.get("received")))
    # what a letter's own page says of its answer, where the list showed none
    replies = {d["url"]: d for d in by_kind.get("letter_reply", [])}
    for letter in letters:
        reply = replies.get(letter.get("url"))
        if reply is not None:
            letter["status"] = reply.get("status") or letter.get("status")
            letter["answered"] = letter.get("answered") or reply.get("answered")
    return {"url": urls[0] if urls else None, "letters": letters}
