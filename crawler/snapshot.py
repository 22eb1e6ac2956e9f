"""The snapshot: everything gathered for one unit, `snapshots/<unit-id>.json`.

It is the only thing audits read, so it holds facts, never judgements: the
spider measures a photo (size, sharpness, hash); the audit decides it is poor.
Dates are ISO strings (`2011-09-15`) or null; sizes are ints; every list is
present (possibly empty). A snapshot must be enough to redo every audit offline.

Schema (version SCHEMA_VERSION):

{
  "schema": 1,
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
            "rendered": 0,                       # pages drawn by scripts, read rendered in Chromium
            "not_rendered": [{"url": "...", "status": "failed" | "over_budget", "detail": "...",
                              "page": "list"}],   # what the page was fetched as (entry, section, list, mailbox ...)
                                                 # pages that needed rendering and were read as served
            "not_fully_audited": false},         # true when not_rendered holds any page
  "reachability": {
      "fetched": true,                          # entry page fetched with a 2xx
      "status": 200,                            # last HTTP status of the entry page (null: none)
      "error": null,                            # dns | refused | timeout | reset | http | redirect_loop | not_found_in_directory | other
      "error_detail": "",                       # human-readable, e.g. "HTTP 503 after 3 retries"
      "blocked": null,                          # robots | anti_crawler (412/521 challenge)
      "blocked_detail": "",
      "pages": 120, "bytes": 1234567,           # responses received for this unit
      "errors": {"http_404": 3, "timeout": 1}   # failed requests per kind
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
  "links": [{"url": "...", "text": "...", "page_url": "...",   # only the failing ones
             "kind": "link" | "attachment",
             "status": 404, "error": "http_404" | "soft_404" | "timeout" | ...}],
  "links_checked": 250,                         # how many distinct links were checked
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
         "error": null}               # http_404 | not_image | truncated | too_large | timeout | ...
ATTACHMENT = {"url": "...", "status": 200, "content_type": "...", "bytes": 23456,
              "ext": "doc", "signature": "ole2" | "pdf" | "zip" | "png" | ... | null,
              "error": null}
"""
from __future__ import annotations

import json
from pathlib import Path

from crawler.files import write_text_atomically

SCHEMA_VERSION = 1


def empty_snapshot(unit_id: str, name: str, kind: str) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "unit": {"id": unit_id, "name": name, "kind": kind,
                 "entry_url": None, "host": None, "own_site": False},
        "crawl": {},
        "reachability": {"fetched": False, "status": None, "error": None, "error_detail": "",
                         "blocked": None, "blocked_detail": "", "pages": 0, "bytes": 0,
                         "errors": {}},
        "columns": [],
        "leaders": [],
        "workflows": [],
        "mailbox": {"url": None, "letters": []},
        "links": [],
        "links_checked": 0,
        "appointments": [],
        "watched_pages": [],
    }


def write_snapshot(path: str | Path, snapshot: dict) -> None:
    """Write atomically, so a crash never leaves half a snapshot."""
    write_text_atomically(path, json.dumps(snapshot, ensure_ascii=False, indent=1))


def read_snapshot(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as f:
        snapshot = json.load(f)
    if snapshot.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"{path}: snapshot schema {snapshot.get('schema')!r}, expected {SCHEMA_VERSION}")
    return snapshot


def read_snapshots(run_dir: str | Path) -> list[dict]:
    """All snapshots of a run, by unit id."""
    return [read_snapshot(p) for p in sorted(Path(run_dir, "snapshots").glob("*.json"))]
