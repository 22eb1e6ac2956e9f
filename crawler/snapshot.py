"""The snapshot: everything gathered for one unit, `snapshots/<unit-id>.json`.

It is the only thing audits read, so it holds facts, never judgements: the
spider measures a photo (size, sharpness, hash); the audit decides it is poor.
Dates are ISO strings (`2011-09-15`) or null; sizes are ints; every list is
present (possibly empty). A snapshot must be enough to redo every audit offline.

The schema is defined once, by the dataclasses below (`Snapshot` and the records it
holds); the pipeline writes `asdict(Snapshot(...))` shapes, and `read_snapshot` migrates
older versions and validates every field's type before any audit reads it. A snapshot
that does not parse or validate raises `SnapshotError`, naming the file and the field.
Audits and reports read the validated dict. Annotated example (version SCHEMA_VERSION):

{
  "schema": 3,
  "unit": {"id": "yezhou", "name": "业州镇", "kind": "乡镇",
           "entry_url": "http://...",           # where the crawl of the unit started (null: not found)
           "host": "www.yzz.gov.cn",            # host[:port] of the unit's disclosure section
           "own_site": true},                   # false when hosted on the portal's catalogue
  "crawl": {"run_id": "20110930-020000", "as_of": "2011-09-30",
            "started": "2011-09-30T02:00:00+08:00", "finished": "...",
            "verified": "2011-09-30T02:00:00+08:00",   # start of the full crawl these facts come from
            "reused_from": null,                 # run id of that crawl when this run found the unit
                                                 # unchanged and kept its facts (crawler/revisit.py)
            "basis": "9f2c...",                  # digest of the config and code that shaped the facts
            "rendered": 0},                      # pages drawn by scripts, read rendered in Chromium
                                                 # (those that could not be rendered are `unread`)
  "reachability": {
      "fetched": true,                          # entry page fetched with a 2xx
      "status": 200,                            # last HTTP status of the entry page (null: none)
      "error": null,                            # dns | refused | timeout | reset | http | redirect_loop | not_found_in_directory | other
      "error_detail": "",                       # human-readable, e.g. "HTTP 503 after 3 retries"
      "blocked": null,                          # robots | anti_crawler (412/521 challenge) | rate_limited (429)
      "blocked_detail": "",
      "pages": 120, "bytes": 1234567,           # responses received for this unit
      "errors": {"http_404": 3, "timeout": 1},  # failed requests per kind
      "certificate": null                       # HTTPS entry page: crawler/certificates.py's facts
                                                # {subject, issuer, names, not_before, not_after,
                                                #  checked, problems: [self_signed | expired |
                                                #  not_yet_valid | name_mismatch | untrusted]}
  },
  "columns": [{
      "name": "领导之窗",                        # as the site shows it
      "path": ["信息公开目录", "机构概况", "领导之窗"],   # menu path as shown
      "url": "http://.../col/col123/index.html",
      "reference": "领导信息",                   # reference layout name, null: maps to none
      "match": "synonym",                       # exact | synonym | fuzzy | none
      "role": "leaders",                        # the reference column's role in the config, or null
      "entries": [{"title": "...", "url": "...", "date": "2011-09-15",
                   "date_source": "list"}],     # list | detail | null (undated)
      "entry_count": 37,                        # len(entries)
      "newest": "2011-09-15",                   # newest entry date (a static page: the date it
                                                # prints), null if none dated
      "pages": 3,                               # list pages read
      "truncated": false,                       # pagination cap reached
      "text_chars": 0,                          # most Chinese characters of its own text on a list
                                                # page (outside links and chrome): a static column
      "nothing_notice": null,                   # what a page of it says when it holds nothing (暂无信息)
      "page_date": null                         # the date a page without a list prints (更新时间)
  }],
  "leaders": [{
      "name": "张三", "post": "镇长", "duties": "主持全面工作",
      "page_url": "http://...",                 # where a person sees the leader
      "photo": null | IMAGE                     # null: the page shows no photo at all
  }],
  "workflows": [{
      "title": "行政许可流程图", "page_url": "http://...",
      "column": "工作流程",                      # reference column name it was found in
      "flowchart": {"kind": "image" | "attachment" | "none",
                    ...IMAGE fields when kind == "image",
                    ...ATTACHMENT fields when kind == "attachment"}
  }],
  "mailbox": {"url": "http://..." | null,       # null: no mailbox found
              "letters": [{"title": "...", "url": "...", "received": "2011-06-03",
                           "status": "未受理",    # 未受理 | 已受理 | 已办结 (as shown)
                           "answered": null}]},
  "links": [{"url": "...", "text": "...", "page_url": "...",   # every link checked, as observed
             "kind": "link" | "attachment",
             "status": 404,                     # null: no answer (see error)
             "bytes": 1234,                     # size served (Content-Length or body), null: unknown
             "soft_404": false,                 # a 200 page saying 页面不存在
             "error": null | "timeout" | ...}], # why no answer came (transport; internal_address: refused), audits/links.py judges
  "links_checked": 250,                         # how many distinct links were checked
  "unread": [{"kind": "list",                  # pages the audits rely on that could not be read (5xx,
              "url": "...", "why": "timeout",   # timeouts, too large, not text): directory | section | list |
              "column_url": "..." | null}],     # leader_detail | workflow | mailbox; nothing is concluded
                                                # from what they lack, and the unit is not fully audited
  "appointments": [{"person": "李四", "post": "副镇长", "action": "任" | "免",
                    "date": "2011-08-01", "title": "...", "url": "..."}],
  "watched_pages": [{"method": "GET", "url": "...", "body": null,   # pages where news shows (not
                     "status": 200, "digest": "..."}]               # content), asked again next run
}

IMAGE = {"url": "...", "status": 200, "content_type": "image/jpeg", "bytes": 12345,
         "format": "JPEG", "width": 300, "height": 400,
         "sharpness": 123.4,          # variance of the Laplacian on a normalised grey copy
         "phash": "c3d2...",          # imagehash.phash hex
         "thumbnail": "data:image/jpeg;base64,...",   # <= 96 px, for the report
         "preview": "data:image/webp;base64,...",     # <= 800 px, never enlarged: the evidence report.html
                                                      # opens large (crawler/extract/media.py); null: none kept
         "error": null}               # http_404 | not_image | truncated | too_large | timeout | ...
ATTACHMENT = {"url": "...", "status": 200, "content_type": "...", "bytes": 23456,
              "ext": "doc", "signature": "ole2" | "pdf" | "zip" | "png" | ... | null,
              "error": null}
"""
from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path

from crawler.files import write_text_atomically

SCHEMA_VERSION = 3


class SnapshotError(ValueError):
    """A snapshot file that cannot be read, parsed or validated; the message names the file."""


@dataclass
class UnitInfo:
    id: str
    name: str
    kind: str
    entry_url: str | None = None
    host: str | None = None
    own_site: bool = False


@dataclass
class Reachability:
    fetched: bool = False
    status: int | None = None
    error: str | None = None
    error_detail: str = ""
    blocked: str | None = None
    blocked_detail: str = ""
    pages: int = 0
    bytes: int = 0
    errors: dict = field(default_factory=dict)
    certificate: dict | None = None           # HTTPS entry page: crawler/certificates.py's facts


@dataclass
class Entry:
    title: str
    url: str
    date: str | None = None
    date_source: str | None = None


@dataclass
class Column:
    name: str
    url: str
    path: list[str] = field(default_factory=list)
    reference: str | None = None
    match: str = "none"
    role: str | None = None
    entries: list[Entry] = field(default_factory=list)
    entry_count: int = 0
    newest: str | None = None
    pages: int = 0
    truncated: bool = False
    text_chars: int = 0
    nothing_notice: str | None = None
    page_date: str | None = None


@dataclass
class Image:
    """A photo or flowchart image as measured (the one definition of these fields)."""
    url: str | None = None
    status: int | None = None
    content_type: str | None = None
    bytes: int | None = None
    format: str | None = None
    width: int | None = None
    height: int | None = None
    sharpness: float | None = None
    phash: str | None = None
    thumbnail: str | None = None
    preview: str | None = None                # schema 3: the picture as a person opens it large
    error: str | None = None


@dataclass
class Attachment:
    """A flowchart attachment as fetched (HEAD or a capped GET)."""
    url: str | None = None
    status: int | None = None
    content_type: str | None = None
    bytes: int | None = None
    ext: str | None = None
    signature: str | None = None
    error: str | None = None


@dataclass
class Leader:
    name: str
    post: str = ""
    duties: str = ""
    page_url: str | None = None
    photo: Image | None = None


@dataclass
class Workflow:
    title: str
    page_url: str | None = None
    column: str | None = None
    flowchart: dict = field(default_factory=lambda: {"kind": "none"})   # kind + Image or Attachment fields


@dataclass
class Letter:
    title: str
    url: str | None = None
    received: str | None = None
    status: str | None = None
    answered: str | None = None


@dataclass
class Mailbox:
    url: str | None = None
    letters: list[Letter] = field(default_factory=list)


@dataclass
class Link:
    url: str
    text: str = ""
    page_url: str | None = None
    kind: str = "link"
    status: int | None = None
    bytes: int | None = None
    soft_404: bool = False
    error: str | None = None
    column: str | None = None


@dataclass
class Unread:
    kind: str
    url: str
    why: str
    column_url: str | None = None


@dataclass
class Appointment:
    person: str
    post: str
    action: str
    date: str | None = None
    title: str = ""
    url: str | None = None


@dataclass
class WatchedPage:
    method: str
    url: str
    body: str | None = None
    status: int | None = None
    digest: str | None = None


@dataclass
class Snapshot:
    unit: UnitInfo
    schema: int = SCHEMA_VERSION
    crawl: dict = field(default_factory=dict)
    reachability: Reachability = field(default_factory=Reachability)
    columns: list[Column] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    mailbox: Mailbox = field(default_factory=Mailbox)
    links: list[Link] = field(default_factory=list)
    links_checked: int = 0
    unread: list[Unread] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    watched_pages: list[WatchedPage] = field(default_factory=list)


IMAGE_FIELDS = tuple(f.name for f in fields(Image))
ATTACHMENT_FIELDS = tuple(f.name for f in fields(Attachment))
LINK_FIELDS = tuple(f.name for f in fields(Link))
FLOWCHART_KINDS = ("image", "attachment", "none")


def empty_snapshot(unit_id: str, name: str, kind: str) -> dict:
    snapshot = asdict(Snapshot(unit=UnitInfo(unit_id, name, kind)))
    return {"schema": snapshot.pop("schema"), **snapshot}


def write_snapshot(path: str | Path, snapshot: dict) -> None:
    """Write atomically, so a crash never leaves half a snapshot."""
    write_text_atomically(path, json.dumps(snapshot, ensure_ascii=False, indent=1))


def read_snapshot(path: str | Path) -> dict:
    """The snapshot at `path`, migrated to SCHEMA_VERSION and validated; SnapshotError otherwise."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot be read as JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict):
        raise SnapshotError(f"{path}: a snapshot is a JSON object, found {type(data).__name__}")
    data = migrate(data, path)
    problem = _problem(data, Snapshot, "")
    if problem:
        raise SnapshotError(f"{path}: {problem}")
    return data


def migrate(data: dict, path) -> dict:
    """Bring a snapshot written by an older version up to SCHEMA_VERSION (missing fields take
    their defaults in validation). 1 -> 2: `links` held only failing links, with their verdict
    in `error`; it is kept as the observation it was (status, error). 2 -> 3: images gained
    `preview`; an older run kept none (null: the report shows its thumbnail and says so)."""
    version = data.get("schema")
    if version not in OLDER_SCHEMAS + (SCHEMA_VERSION,):
        raise SnapshotError(f"{path}: snapshot schema {version!r}, expected {SCHEMA_VERSION} "
                            f"(or {' or '.join(map(str, OLDER_SCHEMAS))})")
    data["schema"] = SCHEMA_VERSION
    for link in data.get("links") or []:
        if isinstance(link, dict) and link.get("error") == "soft_404":
            link.update(soft_404=True, error=None)
    if version in (1, 2):
        for image in _images(data):
            image.setdefault("preview", None)
    return data


OLDER_SCHEMAS = (1, 2)      # versions read_snapshot still migrates


def _images(data: dict) -> list[dict]:
    """The image records of a snapshot dict (leaders' photos, image flowcharts), unvalidated."""
    photos = [leader.get("photo") for leader in data.get("leaders") or [] if isinstance(leader, dict)]
    charts = [w.get("flowchart") for w in data.get("workflows") or [] if isinstance(w, dict)]
    return [i for i in photos + [c for c in charts if isinstance(c, dict) and c.get("kind") == "image"]
            if isinstance(i, dict)]


def read_snapshots(run_dir: str | Path) -> list[dict]:
    """All snapshots of a run, by unit id (SnapshotError on the first that cannot be read)."""
    return [read_snapshot(p) for p in sorted(Path(run_dir, "snapshots").glob("*.json"))]


def readable_snapshots(run_dir: str | Path) -> tuple[list[dict], list[str]]:
    """The run's snapshots that can be read, and one line per one that cannot."""
    good, bad = [], []
    for path in sorted(Path(run_dir, "snapshots").glob("*.json")):
        try:
            good.append(read_snapshot(path))
        except SnapshotError as exc:
            bad.append(str(exc))
    return good, bad


# --- validation: every field of the dict against the dataclass that defines it -------------
# A checker per type hint, built once (a run reads thousands of snapshots, each thousands of
# values): check(value, where) -> why it does not fit, or None; missing fields take their defaults.

Check = typing.Callable[[object, str], "str | None"]
_CHECKERS: dict[object, Check] = {}


def _problem(value, schema, where: str) -> str | None:
    """Why `value` does not fit `schema` (a dataclass or a type hint), filling missing fields with
    their defaults in place; None when it fits."""
    return _checker(schema)(value, where)


def _checker(schema) -> Check:
    if schema not in _CHECKERS:
        _CHECKERS[schema] = _build(schema)
    return _CHECKERS[schema]


def _build(schema) -> Check:
    origin = typing.get_origin(schema)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(schema)
        nullable = type(None) in options
        checks = [_checker(option) for option in options if option is not type(None)]

        def union(value, where):
            if value is None and nullable:
                return None
            problems = [check(value, where) for check in checks]
            return None if None in problems else problems[0]
        return union
    if origin is list:
        (item,) = typing.get_args(schema)
        check_item = _checker(item)

        def listed(value, where):
            if not isinstance(value, list):
                return f"{where or 'snapshot'}: expected a list, found {type(value).__name__}"
            for i, v in enumerate(value):
                if check_item(v, "") is not None:          # where named only when something is wrong
                    return check_item(v, f"{where}[{i}]")
            return None
        return listed
    if isinstance(schema, type) and hasattr(schema, "__dataclass_fields__"):
        return _record_checker(schema)
    if schema is float:
        types_ok, exclude = (int, float), bool
    elif schema is int:
        types_ok, exclude = int, bool
    else:
        types_ok, exclude = schema, ()

    def scalar(value, where):
        if isinstance(value, types_ok) and not (exclude and isinstance(value, exclude)):
            return None
        return f"{where}: expected {schema.__name__}, found {type(value).__name__} {value!r:.40}"
    return scalar


def _record_checker(schema) -> Check:
    hints = typing.get_type_hints(schema)
    spec = [(f.name, f.default, f.default_factory, _checker(hints[f.name])) for f in fields(schema)]

    def record(value, where):
        if not isinstance(value, dict):
            return f"{where or 'snapshot'}: expected an object, found {type(value).__name__}"
        for name, default, factory, check in spec:
            if name not in value:
                if default is MISSING and factory is MISSING:
                    return f"{where + '.' if where else ''}{name}: missing"
                value[name] = default if default is not MISSING else factory()
                continue
            problem = check(value[name], f"{where}.{name}" if where else name) if check(value[name], "") else None
            if problem:
                return problem
        if schema is Workflow and value["flowchart"].get("kind") not in FLOWCHART_KINDS:
            return f"{where}.flowchart.kind: {value['flowchart'].get('kind')!r} is not one of {FLOWCHART_KINDS}"
        return None
    return record
