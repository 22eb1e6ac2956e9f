"""Evidence one can see: screenshots of the pages the findings name, taken once the audits decided.

The spider gathers, the audits decide, the reports only present. A screenshot is gathered
evidence of a decision, so it is taken by the crawl's finishing step, between the audits and
the reports (`reports.run.finish_run` is handed `take_screenshots` by the crawl:
crawler.extensions.FinishRun and crawler.distributed's `finish`), never by `scrapy audit`,
which fetches nothing and presents the screenshots its run already holds. In the run folder:

    evidence/screenshots.json          the index (EvidenceIndex below): what was taken, for which
                                       findings, what could not be and why
    evidence/<unit-id>-<digest>.jpg    one JPEG per page, SCREENSHOT_WIDTH px wide, its top
                                       SCREENSHOT_MAX_HEIGHT px at most

Which findings (SCREENSHOT_CHECKS): those whose page shows the problem to the eye. Several
findings on one page (three leaders without a photo) share one screenshot.

What is fetched: the page through the crawl's own fetch policy (crawler/fetch_policy.py: a page
on a host the config names), and what the browser asks for to draw it (styles, scripts, the
photos) only where the policy allows a unit's media (the same registrable domain, never an
internal address the config does not name); fonts and media never. The browser is the crawl's
(crawler.rendering.Chromium: Playwright driving the Debian chromium, DISCLOSURE_RENDER_EXECUTABLE).

Budget: at most DISCLOSURE_EVIDENCE_SCREENSHOTS pages and DISCLOSURE_EVIDENCE_SECONDS seconds
per run, DISCLOSURE_RENDER_CONCURRENCY at a time, each page within DISCLOSURE_RENDER_TIMEOUT;
units take turns (every unit's first page before any unit's second), so a unit with sixty
overdue letters cannot use up the run's screenshots. Pages left over are counted in the index.
Without Chromium (or when it cannot start): one WARNING, an index saying why, and the reports
are written without screenshots.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from audits.checks import CHECKS
from audits.finding import Finding
from crawler.files import write_text_atomically
from crawler.fetch_policy import FetchPolicy

logger = logging.getLogger(__name__)

EVIDENCE_DIR = "evidence"
INDEX_FILE = "screenshots.json"

# Findings a person should see on the page itself, and why these:
#   site_stale, column_empty, column_stale  the list as published: nothing in it, or its newest date
#   leader_photo_*                          the leaders' page as readers get it: no photo, a broken
#                                           picture, a tiny or blurred one
#   flowchart_missing / _broken / _unclear  the workflow item's page: no chart, a broken one, an unreadable one
#   mailbox_backlog                         the mailbox's list with the letter's date and 未受理
# Not: site_unreachable and site_blocked (nothing to show, or a site that asked not to be read),
# column_missing and coverage_narrow (an absence: a menu shows nothing to point at),
# leader_info_outdated (the contradiction is between two pages), flowchart_attachment (a download
# link looks like any link), link_broken (the link looks like any other on its page, and a unit may
# have hundreds; the workbook links to each), site_not_unified and site_certificate_invalid
# (judged from the host and the certificate, not from what the page shows).
SCREENSHOT_CHECKS = ("site_stale", "column_empty", "column_stale", "leader_photo_missing",
                     "leader_photo_broken", "leader_photo_low_quality", "flowchart_missing",
                     "flowchart_broken", "flowchart_unclear", "mailbox_backlog")

# A desktop browser's width (what a coordinator's screen shows); the top of a long page only:
# what a finding is about (a list's newest entries, the leaders, the chart) sits near the top of
# county CMS pages, and a 1280x1800 JPEG at quality 60 is ~150-250 KB.
SCREENSHOT_WIDTH = 1280
SCREENSHOT_MAX_HEIGHT = 1800
SCREENSHOT_QUALITY = 60


@dataclass
class Screenshot:
    """One page captured: `file` is its name in evidence/, `checks` the findings it shows."""
    unit_id: str
    url: str
    file: str
    checks: list[str]
    width: int
    height: int
    bytes: int


@dataclass
class EvidenceIndex:
    taken: list[Screenshot] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)      # {"unit_id", "url", "why"}
    left_out: int = 0                                     # pages over DISCLOSURE_EVIDENCE_* budgets
    unavailable: str | None = None                        # why no screenshot could be taken at all


@dataclass
class Page:
    """A page to capture: where, for which unit, for which of its findings."""
    unit_id: str
    url: str
    checks: list[str]


def pages_to_capture(findings: list[Finding], policy: FetchPolicy) -> list[Page]:
    """The distinct pages of the findings of SCREENSHOT_CHECKS that the fetch policy allows, in
    turns across units (units in the order their findings come, a unit's pages in check order)."""
    by_unit: dict[str, dict[str, Page]] = {}
    rank = {check: i for i, check in enumerate(CHECKS)}
    for f in sorted(findings, key=lambda f: rank[f.check]):
        if f.check not in SCREENSHOT_CHECKS or not f.url.startswith(("http://", "https://")) \
                or not policy.allows_page(f.url):
            continue
        page = by_unit.setdefault(f.unit_id, {}).setdefault(f.url, Page(f.unit_id, f.url, []))
        if f.check not in page.checks:
            page.checks.append(f.check)
    queues = [list(pages.values()) for pages in by_unit.values()]
    turns = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(turns) for q in queues if i < len(q)]


def screenshot_name(unit_id: str, url: str) -> str:
    return f"{unit_id}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:12]}.jpg"


def take_screenshots(run_dir: str | Path, findings: list[Finding], config, settings) -> EvidenceIndex:
    """Capture the pages of the findings a person should see into `run_dir/evidence/` (within the
    budgets); the index is written there and returned. Never raises for a page or a missing browser."""
    folder = Path(run_dir, EVIDENCE_DIR)
    if folder.exists():                         # a finish redone: this run's decisions only
        shutil.rmtree(folder)
    limit = settings.getint("DISCLOSURE_EVIDENCE_SCREENSHOTS")
    policy = FetchPolicy.from_config(config)
    pages = pages_to_capture(findings, policy)
    if limit <= 0 or not pages:
        return EvidenceIndex(left_out=len(pages))
    folder.mkdir(parents=True)
    from crawler.rendering import Chromium
    async def refuse(url: str) -> bool:          # a host name resolving to an internal address too
        return not policy.allows_media(url) or await policy.browser_refuses(url)

    chromium = Chromium(settings.get("DISCLOSURE_RENDER_EXECUTABLE"), settings.getfloat("DISCLOSURE_RENDER_TIMEOUT"),
                        settings.get("USER_AGENT"), refuse=refuse)
    capture = _capture(chromium, pages[:limit], folder, settings.getfloat("DISCLOSURE_EVIDENCE_SECONDS"),
                       max(1, settings.getint("DISCLOSURE_RENDER_CONCURRENCY")), policy.allows_page)
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:         # a loop of its own: the crawl's reactor may be running here
        index = pool.submit(asyncio.run, capture).result()
    index.left_out += max(0, len(pages) - limit)
    if index.unavailable:
        logger.warning("screenshots not taken: %s; the reports are written without them", index.unavailable)
    else:
        logger.info("evidence: %d page screenshots in %.1f s (%d failed, %d over the budget)", len(index.taken),
                    time.monotonic() - started, len(index.failed), index.left_out)
    write_index(folder, index)
    return index


async def _capture(chromium, pages: list[Page], folder: Path, seconds: float, at_once: int,
                   page_allowed) -> EvidenceIndex:
    index = EvidenceIndex()
    deadline = time.monotonic() + seconds
    try:
        try:
            await asyncio.wait_for(chromium.start(), chromium.timeout)
        except Exception as exc:
            index.unavailable = f"Chromium could not be started ({type(exc).__name__}: {exc})".splitlines()[0]
            index.left_out = len(pages)
            return index
        waiting = list(reversed(pages))

        async def worker():
            while waiting:
                page = waiting.pop()
                left = deadline - time.monotonic()
                if left <= 0:
                    index.left_out += 1
                    continue
                path = folder / screenshot_name(page.unit_id, page.url)
                try:
                    width, height = await asyncio.wait_for(
                        chromium.screenshot(page.url, path, SCREENSHOT_WIDTH, SCREENSHOT_MAX_HEIGHT,
                                            SCREENSHOT_QUALITY, page_allowed), min(left, chromium.timeout * 2))
                except Exception as exc:
                    why = f"{type(exc).__name__}: {exc}".splitlines()[0]
                    index.failed.append({"unit_id": page.unit_id, "url": page.url, "why": why})
                    path.unlink(missing_ok=True)
                    continue
                index.taken.append(Screenshot(page.unit_id, page.url, path.name, page.checks, width, height,
                                              path.stat().st_size))

        await asyncio.gather(*(worker() for _ in range(at_once)))
        order = {(p.unit_id, p.url): i for i, p in enumerate(pages)}
        index.taken.sort(key=lambda s: order[(s.unit_id, s.url)])
        return index
    finally:
        try:
            await chromium.close()
        except Exception as exc:                # a browser already gone
            logger.debug("closing Chromium: %s", exc)


def write_index(folder: Path, index: EvidenceIndex) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(folder / INDEX_FILE, json.dumps(asdict(index), ensure_ascii=False, indent=1))


def read_index(run_dir: str | Path) -> EvidenceIndex | None:
    """The run's evidence index with only the screenshots whose file is there; None when the run has
    none (an older run, screenshots off) or it cannot be read (reports then show no screenshot)."""
    folder = Path(run_dir, EVIDENCE_DIR)
    try:
        data = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        taken = [Screenshot(**s) for s in data.get("taken") or []]
        index = EvidenceIndex(taken=[s for s in taken if Path(s.file).name == s.file and (folder / s.file).is_file()],
                              failed=list(data.get("failed") or []), left_out=int(data.get("left_out") or 0),
                              unavailable=data.get("unavailable"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        logger.warning("evidence index of %s unreadable (%s): reports without screenshots", run_dir, exc)
        return None
    return index
