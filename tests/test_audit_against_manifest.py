"""The audits agree with the sandbox manifest's definitions, spider aside.

Snapshots are built straight from the generated model, as a spider that misses
nothing would gather them: the pictures are the sandbox's real bytes measured by
the spider's own measure_image, attachments carry their sniffed signatures. The
audits over them must then find exactly the defects the manifest plants (derived
from the model by the sandbox, never from our audits), at both scoring levels.
The full crawl's score (sandbox/score_findings.py) adds the spider's own errors.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from audits import audit_run
from crawler.config import load_config
from crawler.extract.media import measure_image, sniff_signature
from sandbox import media
from sandbox.generator import generate
from sandbox.manifest import UNREACHABLE, build_manifest, own_site
from sandbox.model import Article, Column, Flowchart, Leader, Photo, Unit, Web, Workflow
from sandbox.score_findings import expected_items, item_key, score
from sandbox.siteconfig import config_text

BLOCK_KINDS = {"robots_disallow": "robots", "anti_crawler_412": "anti_crawler"}


@pytest.fixture(scope="module")
def web() -> Web:
    return generate()


@pytest.fixture(scope="module")
def config(web, tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "sandbox.toml"
    path.write_text(config_text(web), encoding="utf-8")
    return load_config(path)


def test_audits_find_exactly_the_planted_defects(web, config):
    manifest = build_manifest(web)
    findings = audit_run([snapshot_of(web, unit) for unit in web.units], config, web.as_of)
    found = [(f.unit_id, f.check, item_key(f.check, f.column, f.subject)) for f in findings]
    expected = expected_items(manifest, {u.id for u in web.units})
    assert sorted(found) == sorted(expected)
    assert all(unit.precision == unit.recall == item.precision == item.recall == 1.0
               for unit, item in score(found, expected).values())


# ----------------------------------------------------------------- the model as a perfect spider sees it

def certificate_facts(site) -> dict | None:
    """What crawler/certificates.py records of the site's certificate, the sandbox CA trusted."""
    if not site.tls:
        return None
    return {"subject": f"CN={site.host}", "issuer": "CN=建始县沙盒根证书", "names": [site.host],
            "not_before": "2026-01-01", "not_after": "2026-12-31", "checked": "2026-06-01T00:00:00+00:00",
            "problems": [] if site.tls == "valid" else [site.tls]}


def snapshot_of(web: Web, unit: Unit) -> dict:
    site = web.site(unit.site)
    origin = f"http://{site.host}:{site.port}"
    blocked = next((BLOCK_KINDS[h] for h in sorted(site.hostile) if h in BLOCK_KINDS), None)
    fetched = not site.hostile & set(UNREACHABLE) and not blocked
    base = f"{origin}/{unit.id}"
    articles = [(column, article) for column in unit.columns for article in column.articles]
    return {
        "schema": 1,
        "unit": {"id": unit.id, "name": unit.name, "kind": unit.kind, "entry_url": f"{base}/",
                 "host": f"{site.host}:{site.port}", "own_site": own_site(web, unit)},
        "crawl": {"as_of": web.as_of.isoformat()},
        "reachability": {"fetched": fetched, "status": 200 if fetched else None,
                         "error": None if fetched or blocked else "http", "error_detail": "",
                         "blocked": blocked, "blocked_detail": "", "pages": 1, "bytes": 1, "errors": {},
                         "certificate": certificate_facts(site) if fetched or blocked else None},
        "columns": [column_facts(base, column) for column in unit.columns],
        "leaders": [leader_facts(base, i, leader) for i, leader in enumerate(unit.leaders)],
        "workflows": [workflow_facts(base, i, workflow) for i, workflow in enumerate(unit.workflows)],
        "mailbox": {"url": f"{base}/xf/" if unit.letters is not None else None,
                    "letters": [{"title": x.title, "url": f"{base}/xf/{x.id}", "received": iso(x.received),
                                 "status": x.status, "answered": iso(x.answered)} for x in unit.letters or []]},
        "links": [link for column, article in articles for link in broken_links(base, column, article)],
        "links_checked": 0,
        "appointments": [{"person": a.person, "post": a.post, "action": a.action, "date": iso(article.date),
                          "title": article.title, "url": article_url(base, article)}
                         for _, article in articles for a in article.appointments],
    }


def column_facts(base: str, column: Column) -> dict:
    # Leader and workflow columns are pages, not lists: their content is in leaders / workflows.
    listed = column.articles if column.role in ("list", "personnel") else []
    entries = [{"title": a.title, "url": article_url(base, a), "date": iso(a.date),
                "date_source": "list" if a.date else None} for a in listed]
    return {"name": column.label, "path": [column.label], "url": f"{base}/{column.slug}/",
            "reference": column.ref, "match": "exact" if column.ref else "none", "entries": entries,
            "entry_count": len(entries), "newest": max((e["date"] for e in entries if e["date"]), default=None),
            "pages": 1, "truncated": False}


def article_url(base: str, article: Article) -> str:
    return f"{base}/art/{article.id}.html"


def broken_links(base: str, column: Column, article: Article) -> list[dict]:
    page = article_url(base, article)
    links = [{"url": f"{base}/gone/{i}", "text": link.text, "page_url": page, "kind": "link",
              "status": 404 if link.state == "404" else 200, "error": "http_404" if link.state == "404" else "soft_404"}
             for i, link in enumerate(article.links) if link.state in ("404", "soft_404")]
    return links + [{"url": f"{base}/att/{i}.{a.ext}", "text": a.name, "page_url": page, "kind": "attachment",
                     "status": 404 if a.state == "404" else 200, "error": "http_404" if a.state == "404" else "empty"}
                    for i, a in enumerate(article.attachments) if a.state in ("404", "empty")]


def leader_facts(base: str, index: int, leader: Leader) -> dict:
    return {"name": leader.name, "post": leader.post, "duties": leader.duties,
            "page_url": f"{base}/ld/{index}.html", "photo": photo_facts(base, index, leader.photo)}


def photo_facts(base: str, index: int, photo: Photo) -> dict | None:
    if photo.kind == "none":
        return None
    # The one default avatar is one file of the site, linked from every leader that has it.
    site_origin = base.rsplit("/", 1)[0]
    url = f"{site_origin}/default-{photo.width}x{photo.height}.jpg" if photo.kind == "placeholder" \
        else f"{base}/photo/{index}.jpg"
    if photo.kind == "broken_404":
        return failed_image(url, 404, "http_404")
    if photo.kind == "html":
        return failed_image(url, 200, "not_image")
    body = photo_body(photo.kind, photo.width, photo.height, photo.seed)
    return {"url": url, "status": 200, "content_type": "image/jpeg", "bytes": len(body), **measured(body)}


def workflow_facts(base: str, index: int, workflow: Workflow) -> dict:
    return {"title": workflow.title, "page_url": f"{base}/lc/{index}.html", "column": "工作流程",
            "flowchart": flowchart_facts(f"{base}/lc/{index}", workflow.flowchart)}


def flowchart_facts(url: str, chart: Flowchart) -> dict:
    if chart.kind == "none":
        return {"kind": "none"}
    if chart.kind == "broken_404":
        return {"kind": "image", **failed_image(url + ".png", 404, "http_404")}
    if chart.kind == "broken_empty":
        return attachment(url + ".doc", "doc", b"")
    if chart.kind.startswith("attachment_"):
        ext = chart.kind.removeprefix("attachment_")
        return attachment(f"{url}.{ext}", ext, media.attachment_bytes(ext, "流程图", chart.seed)[0])
    body = chart_body(chart.kind, chart.width, chart.height, chart.seed)
    return {"kind": "image", "url": url + ".png", "status": 200, "content_type": "image/png",
            "bytes": len(body), **measured(body)}


def attachment(url: str, ext: str, body: bytes) -> dict:
    return {"kind": "attachment", "url": url, "status": 200, "content_type": media.ATTACHMENT_TYPES.get(ext, ""),
            "bytes": len(body), "ext": ext, "signature": sniff_signature(body[:16]), "error": None}


def failed_image(url: str, status: int, error: str) -> dict:
    return {"url": url, "status": status, "content_type": "text/html", "bytes": 0, "format": None, "width": None,
            "height": None, "sharpness": None, "phash": None, "thumbnail": None, "error": error}


@lru_cache(maxsize=None)
def photo_body(kind: str, width: int, height: int, seed: int) -> bytes:
    return media.photo_bytes(kind, width, height, seed)[0]


@lru_cache(maxsize=None)
def chart_body(kind: str, width: int, height: int, seed: int) -> bytes:
    return media.flowchart_bytes(kind, width, height, seed)[0]


@lru_cache(maxsize=None)
def measured(body: bytes) -> dict:
    return measure_image(body)


def iso(day) -> str | None:
    return day.isoformat() if day else None
