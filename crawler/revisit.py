"""Unchanged units: take the previous run's snapshot when none of the unit's pages changed.

An unchanged nightly re-crawl used to read every page of every unit again (from
the HTTP cache, but parsed all the same), and took 92% of the first crawl's time
(bench/results.md). News shows on a unit's *watched* pages: entry, section, list,
leader, workflow and mailbox pages, everything but published content. So each
snapshot keeps, for every watched page it read, the request and a digest of the
answer (`watched_pages`). On the next nightly run the spider first asks for those
pages only (conditional requests, mostly answered 304 from the cache), and when
every answer is what it was, this run takes the previous snapshot as it is
(`crawl.reused_from`). Any difference, failure or doubt: the unit is crawled in full.

Published content (articles, images, attachments, link targets) is only read in a
full crawl. `crawl.verified` says when that last happened; a snapshot verified
more than DISCLOSURE_CONTENT_MAX_AGE_DAYS ago is not reused: the same bound under
which crawler.nightly.NightlyCachePolicy serves content without asking.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from crawler import runs
from crawler.snapshot import read_snapshot

# Failures a second visit would find again: a snapshot with any other kind (timeouts,
# resets, 5xx, challenges) is of a bad night and is crawled again in full.
STABLE_ERRORS = frozenset({"soft_404", "robots", "redirect_loop", "too_many_redirects", "offsite_redirect",
                           "internal_address", "too_large", "not_text", "empty", "cut_by_depth"})
RETRIED_4XX = frozenset({"http_408", "http_429"})
# The code that turns pages into facts: a new version of it must not reuse the old one's facts.
FACT_SOURCES = (*sorted(Path(__file__).parent.joinpath("extract").glob("*.py")),
                Path(__file__).parent / "spiders" / "disclosure.py")


def digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


# A watched page read rendered (a page drawn by scripts, crawler/rendering.py) is asked again
# rendered: its digest says so, and is of the rendered DOM.
RENDERED = "rendered:"


def answer_digest(response) -> str:
    return (RENDERED if "rendered" in response.flags else "") + digest(response.body)


def was_rendered(page: dict) -> bool:
    return str(page.get("digest") or "").startswith(RENDERED)


def watched_page(response) -> dict:
    """The request to ask again and what it answered. After a redirect, the first URL is asked
    again with a GET (the method of a redirected POST is not known any more)."""
    request = response.request
    first = response.meta.get("redirect_urls")
    if first:
        method, url, body = "GET", first[0], ""
    else:
        method, url, body = request.method, request.url, request.body.decode("latin-1")
    return {"method": method, "url": url, "body": body or None, "status": response.status,
            "digest": answer_digest(response)}


def unchanged(page: dict, response) -> bool:
    return response.status == page.get("status") and answer_digest(response) == page.get("digest")


def _code_digest() -> str:
    h = hashlib.blake2b(digest_size=16)
    for path in FACT_SOURCES:
        h.update(path.read_bytes())
    return h.hexdigest()


CODE_DIGEST = _code_digest()


def config_digest(config, limits: dict, check_external: bool) -> str:
    """A digest of what, besides its own entry and the pages, shapes every unit's facts: the reference
    layout, the hosts counted as the county's, the crawl limits and the extractors' code."""
    hosts = sorted({urlsplit(u.url).netloc.lower() for u in config.units if u.url})
    portal = config.unit(config.portal).url if config.portal else None
    shape = {"columns": [asdict(c) for c in config.columns], "mailbox_names": list(config.mailbox_names),
             "site_group": list(config.site_group_hosts), "hosts": hosts, "portal": portal,
             "limits": limits, "check_external": check_external, "code": CODE_DIGEST}
    return _digest_of(shape)


def basis(shared: str, unit, as_of) -> str:
    """A digest of what, besides the pages, shaped a unit's facts: config_digest, the unit's config
    entry, and the year (dates without one are read in it)."""
    return _digest_of({"shared": shared, "unit": asdict(unit), "year": as_of.year})


def _digest_of(shape: dict) -> str:
    return digest(json.dumps(shape, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))


def previous_snapshot(run_dir: Path, unit_id: str) -> tuple[Path, dict] | None:
    """The unit's snapshot in the newest complete run before run_dir, if it can be read."""
    previous = runs.previous_complete_run(run_dir)
    path = previous / "snapshots" / f"{unit_id}.json" if previous else None
    if path is None or not path.exists():
        return None
    try:
        return path, read_snapshot(path)
    except (OSError, ValueError):
        return None


def reusable(snapshot: dict, unit_basis: str, now: datetime, max_age_days: float) -> bool:
    """Whether a previous snapshot may stand for tonight once its watched pages answer the same."""
    crawl, reach = snapshot.get("crawl") or {}, snapshot.get("reachability") or {}
    if crawl.get("basis") != unit_basis or not snapshot.get("watched_pages") or not reach.get("fetched"):
        return False
    if any(not stable_error(kind) for kind in reach.get("errors") or {}):
        return False
    try:
        verified = datetime.fromisoformat(crawl["verified"])
    except (KeyError, TypeError, ValueError):
        return False
    return (now - verified).total_seconds() < max_age_days * 86400


def stable_error(kind: str) -> bool:
    return kind in STABLE_ERRORS or (kind.startswith("http_4") and kind not in RETRIED_4XX)


def carried_over(previous: dict, crawl: dict) -> dict:
    """The previous snapshot as tonight's: its facts, tonight's crawl record."""
    before = previous.get("crawl") or {}
    return {**previous, "crawl": {**crawl, "verified": before.get("verified"), "basis": before.get("basis"),
                                  "reused_from": before.get("reused_from") or before.get("run_id")}}
