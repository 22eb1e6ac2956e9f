"""The ground truth of a simulated web: every planted defect and every fact to gather.

Derived from the model alone (what the generator planted), never from crawling
or auditing it, with the definitions of CONTRACT.md and its default thresholds
(sandbox/layout.py). `python -m sandbox serve` writes it to var/sandbox-manifest.json.

Format (JSON, UTF-8, Chinese kept as is):

{"seed": 2011, "as_of": "2011-09-30", "scale": "county", "revision": 0,
 "units": [{"id", "name", "kind", "site", "family", "entry_url" (null: found via the portal's
            directory), "own_site", "in_site_group", "hostile": [sorted behaviours of its site],
            "tls": "" (plain HTTP) | valid | self_signed | expired | name_mismatch}],
 "defects": [{"unit_id", "check", "column", "subject", "detail"}],
 "facts": {unit_id: {"reachable", "blocked",
                     "columns": [{"label", "reference", "entries", "newest"}],
                     "leaders": [{"name", "post", "photo": {"kind", "width", "height"}}],
                     "workflows": [{"title", "flowchart" (image | attachment | none), "kind",
                                    "width", "height" (images; 0 otherwise)}],
                     "letters": [{"title", "received", "status", "answered"}],
                     "appointments": [{"person", "post", "action", "date", "title"}]}}}

Defects, one per (unit, check, column, subject):
- column: the reference column's name ('' for unit-wide checks); for link_broken the
  reference column of the page holding the link (the site's label if it maps to none).
- subject: the leader's name (leader_photo_*, leader_info_outdated), the workflow's
  title (flowchart_*), the letter's title (mailbox_backlog, one defect per letter),
  the link text (link_broken: body links answering 404 or soft-404, attachments
  answering 404 or zero bytes), '' otherwise.
- A unit whose site is unreachable (down, server_error, redirect_loop) or blocked
  (robots_disallow, anti_crawler_412) gets only site_unreachable / site_blocked
  (and site_not_unified): nothing of its content can be judged.
- column_stale: a dated column whose newest dated entry is older than its class
  allows (undated entries count as not updated); empty columns are column_empty only.
- leader_info_outdated: one defect per person the leader list contradicts, judged
  by the person's latest 任免 notice: appointed (任) but not listed, or removed (免)
  but still listed.
- mailbox_backlog: 未受理, or 已受理 without an answer, received more than
  mailbox_backlog_days before as_of.
- site_certificate_invalid: a unit whose own site serves HTTPS on a self-signed, expired or
  mismatched certificate (detail: the state); judged whatever else happened to the crawl.
- Absorbed hostile behaviours (slow, flaky_5xx, reset, calendar_trap, huge_file,
  gbk_no_header) plant no defect; a bomb_image photo is leader_photo_broken.
"""
from __future__ import annotations

import json
import os
from datetime import date, timedelta
from fnmatch import fnmatch
from pathlib import Path

from sandbox import families
from sandbox.layout import RECENCY_DAYS, REFERENCE_COLUMNS, THRESHOLDS
from sandbox.model import BAD_TLS, Column, Unit, Web, Workflow, newest

UNREACHABLE = ("down", "server_error", "redirect_loop")
BLOCKING = ("robots_disallow", "anti_crawler_412")

PHOTO_CHECKS = {"tiny": "leader_photo_low_quality", "blurred": "leader_photo_low_quality",
                "placeholder": "leader_photo_low_quality", "none": "leader_photo_missing",
                "broken_404": "leader_photo_broken", "html": "leader_photo_broken",
                "truncated": "leader_photo_broken", "bomb": "leader_photo_broken"}
FLOWCHART_CHECKS = {"image_small": ("flowchart_unclear",), "image_blurred": ("flowchart_unclear",),
                    "attachment_doc": ("flowchart_attachment",), "attachment_pdf": ("flowchart_attachment",),
                    "attachment_xls": ("flowchart_attachment",), "broken_404": ("flowchart_broken",),
                    # a zero-byte file is served: it is uploaded as an attachment, and it does not open
                    "broken_empty": ("flowchart_broken", "flowchart_attachment"), "none": ("flowchart_missing",)}
BROKEN_LINK_STATES = ("404", "soft_404")
BROKEN_ATTACHMENT_STATES = ("404", "empty")


def build_manifest(web: Web) -> dict:
    return {
        "seed": web.seed, "as_of": web.as_of.isoformat(), "scale": web.scale, "revision": web.revision,
        "units": [unit_entry(web, unit) for unit in web.units],
        "defects": [d for unit in web.units for d in unit_defects(web, unit)],
        "facts": {unit.id: unit_facts(web, unit) for unit in web.units},
    }


def write_manifest(web: Web, path: str | Path) -> Path:
    """Write atomically: a test may read the file while the server switches revisions."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(build_manifest(web), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)
    return path


# ----------------------------------------------------------------- units

def own_site(web: Web, unit: Unit) -> bool:
    """Whether the unit runs a site of its own (the portal counts as the portal unit's own)."""
    return unit.site != web.unit(web.portal_unit).site or unit.id == web.portal_unit


def in_site_group(web: Web, host: str) -> bool:
    return any(fnmatch(host, pattern) for pattern in web.site_group_hosts)


def unit_entry(web: Web, unit: Unit) -> dict:
    site = web.site(unit.site)
    return {"id": unit.id, "name": unit.name, "kind": unit.kind, "site": site.id, "family": site.family,
            "entry_url": families.entry_url(web, unit), "own_site": own_site(web, unit),
            "in_site_group": in_site_group(web, site.host), "hostile": sorted(site.hostile), "tls": site.tls}


# ----------------------------------------------------------------- defects

def defect(unit: Unit, check: str, column: str = "", subject: str = "", detail: str = "") -> dict:
    return {"unit_id": unit.id, "check": check, "column": column, "subject": subject, "detail": detail}


def unit_defects(web: Web, unit: Unit) -> list[dict]:
    site = web.site(unit.site)
    found = []
    if own_site(web, unit) and not in_site_group(web, site.host):
        found.append(defect(unit, "site_not_unified", detail=site.host))
    if own_site(web, unit) and site.tls in BAD_TLS and "down" not in site.hostile:
        found.append(defect(unit, "site_certificate_invalid", detail=site.tls))
    if site.hostile & set(UNREACHABLE):
        return found + [defect(unit, "site_unreachable", detail=",".join(sorted(site.hostile & set(UNREACHABLE))))]
    if site.hostile & set(BLOCKING):
        return found + [defect(unit, "site_blocked", detail=",".join(sorted(site.hostile & set(BLOCKING))))]
    return (found + site_defects(web, unit) + column_defects(web, unit) + leader_defects(unit)
            + workflow_defects(unit) + mailbox_defects(web, unit) + link_defects(unit))


def entries(unit: Unit, column: Column) -> int:
    """Entries a column shows: leaders and workflows for those roles, articles otherwise."""
    if column.role == "leaders":
        return len(unit.leaders)
    if column.role == "workflows":
        return len(unit.workflows)
    if column.role == "mailbox":
        return len(unit.letters or [])
    return len(column.articles)


def site_defects(web: Web, unit: Unit) -> list[dict]:
    limit = web.as_of - timedelta(days=THRESHOLDS["site_stale_days"])
    dates = [d for d in (newest(c.articles) for c in unit.columns) if d]
    found = []
    if not dates or max(dates) < limit:
        found.append(defect(unit, "site_stale", detail=str(max(dates)) if dates else "no dated entry"))
    with_content = {c.ref for c in unit.columns if c.ref and c.role != "mailbox" and entries(unit, c)}
    if len(with_content) < THRESHOLDS["coverage_min_columns"]:
        found.append(defect(unit, "coverage_narrow", detail="、".join(sorted(with_content))))
    return found


def column_defects(web: Web, unit: Unit) -> list[dict]:
    found = []
    for ref in web.layout or REFERENCE_COLUMNS:
        column = next((c for c in unit.columns if c.ref == ref.name), None)
        if column is None:
            if ref.required:
                found.append(defect(unit, "column_missing", ref.name))
        elif not entries(unit, column):
            found.append(defect(unit, "column_empty", ref.name))
        elif RECENCY_DAYS[ref.recency]:
            limit = web.as_of - timedelta(days=RECENCY_DAYS[ref.recency])
            last = newest(column.articles)
            if last is None or last < limit:
                found.append(defect(unit, "column_stale", ref.name, detail=str(last or "undated")))
    return found


def leader_defects(unit: Unit) -> list[dict]:
    found = [defect(unit, PHOTO_CHECKS[leader.photo.kind], "领导信息", leader.name, leader.photo.kind)
             for leader in unit.leaders if leader.photo.kind in PHOTO_CHECKS]
    listed = {leader.name for leader in unit.leaders}
    for person, action in latest_actions(unit).items():
        if (action == "任") != (person in listed):
            found.append(defect(unit, "leader_info_outdated", "领导信息", person, action))
    return found


def latest_actions(unit: Unit) -> dict[str, str]:
    """Each person's latest 任/免 in the unit's notices (oldest notices first, so later ones win)."""
    actions: dict[str, str] = {}
    for _, appointment in sorted(appointments(unit), key=lambda pair: pair[0].date or date.min):
        actions[appointment.person] = appointment.action
    return actions


def appointments(unit: Unit):
    return [(article, a) for column in unit.columns for article in column.articles for a in article.appointments]


def workflow_defects(unit: Unit) -> list[dict]:
    return [defect(unit, check, "工作流程", w.title, w.flowchart.kind)
            for w in unit.workflows for check in FLOWCHART_CHECKS.get(w.flowchart.kind, ())]


def mailbox_defects(web: Web, unit: Unit) -> list[dict]:
    limit = web.as_of - timedelta(days=THRESHOLDS["mailbox_backlog_days"])
    return [defect(unit, "mailbox_backlog", subject=letter.title, detail=f"{letter.received} {letter.status}")
            for letter in unit.letters or [] if letter.received < limit and unanswered(letter)]


def unanswered(letter) -> bool:
    return letter.status == "未受理" or (letter.status == "已受理" and letter.answered is None)


def link_defects(unit: Unit) -> list[dict]:
    found = []
    for column in unit.columns:
        where = column.ref or column.label
        for article in column.articles:
            found += [defect(unit, "link_broken", where, link.text, link.state)
                      for link in article.links if link.state in BROKEN_LINK_STATES]
            found += [defect(unit, "link_broken", where, att.name, att.state)
                      for att in article.attachments if att.state in BROKEN_ATTACHMENT_STATES]
    return found


# ----------------------------------------------------------------- facts

def unit_facts(web: Web, unit: Unit) -> dict:
    hostile = web.site(unit.site).hostile
    return {
        "reachable": not hostile & set(UNREACHABLE),
        "blocked": bool(hostile & set(BLOCKING)),
        "columns": [{"label": c.label, "reference": c.ref, "entries": entries(unit, c),
                     "newest": iso(newest(c.articles))} for c in unit.columns],
        "leaders": [{"name": l.name, "post": l.post,
                     "photo": {"kind": l.photo.kind, "width": l.photo.width, "height": l.photo.height}}
                    for l in unit.leaders],
        "workflows": [{"title": w.title, "flowchart": flowchart_form(web, unit, index, w), "kind": w.flowchart.kind,
                       "width": w.flowchart.width, "height": w.flowchart.height}
                      for index, w in enumerate(unit.workflows)],
        "letters": [{"title": x.title, "received": iso(x.received), "status": x.status,
                     "answered": iso(x.answered)} for x in unit.letters or []],
        "appointments": [{"person": a.person, "post": a.post, "action": a.action, "date": iso(article.date),
                          "title": article.title} for article, a in appointments(unit)],
    }


def flowchart_form(web: Web, unit: Unit, index: int, workflow: Workflow) -> str:
    """What the spider should find: image | attachment | none (the snapshot's flowchart kinds).

    A broken_404 flowchart is an <img> or a link as its renderer chose, so ask the renderer.
    """
    kind = workflow.flowchart.kind
    if kind == "broken_404":
        tag, _ = families.renderer_for(web, web.site(unit.site)).flowchart_link(unit, index, workflow)
        return "image" if tag == "img" else "attachment"
    if kind.startswith("image"):
        return "image"
    return "none" if kind == "none" else "attachment"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
