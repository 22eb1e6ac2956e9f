"""`scrapy crawl disclosure`: gather, per unit, the facts the audits judge.

The spider decides what to fetch; the extractors (crawler/extract) decide what a
page says; the snapshot pipeline (crawler/pipelines.py) folds the facts into one
snapshot per unit. Nothing here knows a site: a unit is its entry URL (or its
name, for units the portal's unit directory hosts) and the config's layout.

Per unit: entry page -> disclosure section -> column tree -> every column's list
pages -> detail pages (a missing date, links and attachments to check, 任免
notices) -> leaders and their photos, workflow items and their flowcharts, the
mailbox and its letters.

Every request carries its unit (meta `unit`) and what to do with the answer
(meta `handler`, `ctx`). All answers come to `on_response`, all failures to
`on_failure`, so the unit's requests in flight are counted in one place: when
the count of a unit drops to zero, a `done` fact tells the pipeline to write its
snapshot. The counts, the URLs seen and the budgets live in `self.crawl_state`
(crawler/crawl_state.py), which Scrapy keeps in JOBDIR, so an interrupted crawl
resumes where it stopped.

At most DISCLOSURE_UNITS_AT_ONCE units are crawled at a time, so the request queue
and the facts in flight stay the size of a few units, not of a province. With
DISCLOSURE_REUSE_UNCHANGED (nightly runs), a unit whose watched pages all answer as
they did in the previous run takes that run's snapshot (crawler/revisit.py).
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawler import certificates, rendering, revisit, runs
from crawler.config import check_settings, exit_on_config_error
from crawler.fetch_policy import FetchPolicy, host_of
from crawler.crawl_state import CrawlState
from crawler.extract import content, links
from crawler.items import Fact, scrub
from crawler.middlewares import classify_failure
from crawler.pages import PAGE_KINDS
from crawler.pipelines import now_iso
from crawler.run_setup import as_of_date, select_units, writable_folder
from crawler.spiders.handlers import PageHandlers
from crawler.territories import Territories

logger = logging.getLogger(__name__)

# Every 4xx/5xx reaches on_response (after retries): a 404 is a fact, not an exception.
ERROR_STATUSES = list(range(400, 600))


class DisclosureSpider(PageHandlers, scrapy.Spider):
    name = "disclosure"

    def __init__(self, units: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.units_arg = units

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        check_settings(settings)
        if not settings.getbool("DISCLOSURE_INCREMENTAL"):
            settings.set("HTTPCACHE_ENABLED", False, priority="cmdline")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        return spider

    # --- set-up ---------------------------------------------------------------------

    def configure(self, settings) -> None:
        """Config, units and as-of date: all checked before any request."""
        self.config = exit_on_config_error(settings.get("DISCLOSURE_CONFIG"))
        self.units = select_units(self.config, self.units_arg)
        self.as_of = as_of_date(settings.get("DISCLOSURE_AS_OF"))
        self.out_dir = writable_folder(settings.get("DISCLOSURE_OUT"))
        self.limits = {
            "list": settings.getint("DISCLOSURE_MAX_LIST_PAGES"),
            "dates": settings.getint("DISCLOSURE_MAX_DETAIL_DATES"),
            "details": settings.getint("DISCLOSURE_MAX_DETAIL_PAGES"),
            "letters": settings.getint("DISCLOSURE_MAX_LETTER_PAGES"),
            "links": settings.getint("DISCLOSURE_MAX_LINKS_PER_UNIT"),
            "columns": settings.getint("DISCLOSURE_MAX_COLUMNS_PER_UNIT"),
            "requests": settings.getint("DISCLOSURE_MAX_REQUESTS_PER_UNIT"),
        }
        self.check_external = settings.getbool("DISCLOSURE_CHECK_EXTERNAL_LINKS")
        self.policy = FetchPolicy.from_config(self.config, self.check_external)
        self.image_maxsize = settings.getint("DISCLOSURE_IMAGE_MAXSIZE")
        self.image_max_pixels = settings.getint("DISCLOSURE_IMAGE_MAX_PIXELS")
        self.max_depth = settings.getint("DEPTH_LIMIT")
        self.max_hops = settings.getint("DISCLOSURE_MAX_HOPS")
        self.max_url_length = settings.getint("URLLENGTH_LIMIT")
        self.units_at_once = max(1, settings.getint("DISCLOSURE_UNITS_AT_ONCE"))
        self.reuse_unchanged = settings.getbool("DISCLOSURE_REUSE_UNCHANGED")
        self.content_max_age_days = settings.getfloat("DISCLOSURE_CONTENT_MAX_AGE_DAYS")
        self.trusted_ca = settings.getlist("DISCLOSURE_TRUSTED_CA")
        self.trust = None                        # crawler.certificates.TrustStore, loaded at the first HTTPS entry
        self.territories = Territories.of(self.config.units)   # whose section a link on a platform is
        self.config_digest = revisit.config_digest(self.config, self.limits, self.check_external)
        self.idle_before = False

    def open_run(self) -> None:
        """The run folder: a new one, or the same one again when resuming (JOBDIR or DISCLOSURE_RUN_ID)."""
        if not hasattr(self, "state"):          # no JOBDIR: Scrapy's SpiderState is off
            self.state = {}
        settings = self.crawler.settings
        self.crawl_state = CrawlState.of_job(self.state, lambda: settings.get("DISCLOSURE_RUN_ID")
                                             or self.fresh_run_id())
        self.run_id = self.crawl_state.run_id
        self.run_dir = self.out_dir / self.run_id
        self.run_dir.mkdir(parents=True, exist_ok=True)
        runs.write_run_info(
            self.run_dir, run_id=self.run_id, as_of=self.as_of.isoformat(),
            config=str(self.config.path), units=[u.id for u in self.units],
            started=runs.run_info(self.run_dir).get("started") or now_iso(),
            settings={name: settings.get(name) for name in NOTED_SETTINGS})

    def fresh_run_id(self) -> str:
        """A run id whose folder does not exist yet (two runs started in the same second)."""
        now = datetime.now(runs.CHINA)
        while (self.out_dir / runs.new_run_id(now)).exists():
            now += timedelta(seconds=1)
        return runs.new_run_id(now)

    def snapshot_exists(self, unit_id: str) -> bool:
        return Path(self.run_dir, "snapshots", f"{unit_id}.json").exists()

    async def start(self):
        self.open_run()
        for unit in self.units:
            if unit.id in self.crawl_state.started or self.snapshot_exists(unit.id):
                continue                         # crawled or in the resumed job's queue already
            while len(self.crawl_state.open) >= self.units_at_once:
                for fact in self.settle_lost_units():
                    yield fact
                await asyncio.sleep(UNIT_POLL_SECONDS)
            # facts of an earlier attempt whose job state was lost would be counted twice
            Path(self.run_dir, "partial", f"{unit.id}.jsonl").unlink(missing_ok=True)
            for item in self.start_unit(unit):
                yield item

    def settle_lost_units(self):
        """`done` facts for open units when nothing is in flight any more.

        A unit whose in-flight count never reaches zero (a callback died before
        releasing its request) would hold its place among the units at once for
        ever, and start() keeps the spider from idling, so the pipeline's own
        end-of-crawl fallback never runs. Seen idle twice in a row, such units
        are written with what they have.
        """
        idle = bool(self.crawl_state.open) and self.crawl_is_idle()
        lost, self.idle_before = (sorted(self.crawl_state.open) if idle and self.idle_before else []), idle
        for unit_id in lost:
            logger.warning("unit %s: nothing in flight but not done; writing it with what was gathered", unit_id)
            self.crawl_state.close(unit_id)
            yield Fact(unit_id, "done", {"facts": 0})   # 0: every fact it emitted is written by now

    def crawl_is_idle(self) -> bool:
        engine = self.crawler.engine
        return (not engine.downloader.active and engine.scraper.slot.is_idle()
                and not engine.scheduler.has_pending_requests())

    def start_unit(self, unit):
        """The first requests of a unit: its watched pages again when it may be unchanged, else its entry."""
        self.crawl_state.begin(unit.id)
        previous = self.reusable_snapshot(unit)
        if previous is None:
            yield from self.crawl_unit(unit)
            return
        path, snapshot = previous
        requests = [self.request(unit.id, page["url"], "revisit", method=page["method"], body=page["body"],
                                 ctx={"page": page}, seen_as="revisit")
                    for page in snapshot["watched_pages"]]
        requests = [r for r in requests if r is not None]
        self.crawl_state.unit(unit.id).revisit = {"left": len(requests), "snapshot": str(path),
                                           "started": now_iso()}
        if requests:
            yield from requests
        else:
            yield from self.revisited(unit.id, changed=True)

    def reusable_snapshot(self, unit) -> tuple[Path, dict] | None:
        if not self.reuse_unchanged:
            return None
        previous = revisit.previous_snapshot(self.run_dir, unit.id)
        if previous and revisit.reusable(previous[1], self.unit_basis(unit), datetime.now(runs.CHINA),
                                         self.content_max_age_days):
            return previous
        return None

    def unit_basis(self, unit) -> str:
        return revisit.basis(self.config_digest, unit, self.as_of)

    def handle_revisit(self, response, ctx):
        yield from self.revisited(response.meta["unit"], changed=not revisit.unchanged(ctx["page"], response))

    def revisited(self, unit_id: str, changed: bool):
        """One watched page asked again. The first that changed starts the unit's full crawl (the
        other answers are then ignored); when the last one is the same too, the unit is reused."""
        crawl = self.crawl_state.unit(unit_id)
        visit = crawl.revisit
        if visit is None:                        # changed already: crawled in full
            return
        visit["left"] -= 1
        if changed:
            crawl.revisit = None
            yield from self.crawl_unit(self.config.unit(unit_id))
            return
        if visit["left"] > 0:
            return
        crawl.revisit = None
        self.crawler.stats.inc_value("disclosure/units_reused")
        yield self.fact(unit_id, "reused", snapshot=visit["snapshot"], started=visit["started"])

    def crawl_unit(self, unit):
        """The unit's entry request (its own site, the given section, or the portal's unit directory)."""
        basis = self.unit_basis(unit)
        section = unit.overrides.get("disclosure_url")
        if section:                              # the escape hatch: the section's address is given
            yield self.fact(unit.id, "unit", entry_url=section, host=host_of(section),
                            own_site=bool(unit.url), started=now_iso(), basis=basis)
            yield self.request(unit.id, section, "section", entry=True, meta=certificates.entry_meta(section))
            return
        if unit.url:
            yield self.fact(unit.id, "unit", entry_url=unit.url, host=host_of(unit.url), own_site=True,
                            started=now_iso(), basis=basis)
            yield self.request(unit.id, unit.url, "entry", entry=True, meta=certificates.entry_meta(unit.url))
            return
        portal = self.portal_url()
        yield self.fact(unit.id, "unit", entry_url=None, own_site=False, started=now_iso(), basis=basis)
        request = portal and self.request(unit.id, portal, "directory", entry=True)
        if request:
            yield request
        else:
            yield self.fact(unit.id, "entry", fetched=False, error="not_found_in_directory",
                            error_detail="no portal URL in the config to find the unit in")
            yield self.done(unit.id)

    def portal_url(self) -> str | None:
        if not self.config.portal:
            return None
        return self.config.unit(self.config.portal).url

    # --- requests, facts and the in-flight count ------------------------------------------

    def request(self, unit_id: str, url: str, handler: str, *, via=None, ctx: dict | None = None,
                method: str = "GET", formdata: dict | None = None, body: str | None = None,
                budget: tuple | None = None, entry: bool = False, pagination: bool = False,
                meta: dict | None = None, seen_as: str = ""):
        """A request of the unit, or None when it is not to be made (seen, off limits, over budget).

        Only what the fetch policy allows is asked for (`allowed`).
        `seen_as` keeps a second kind of visit (a revisit) apart from the crawl's own."""
        if not url or urlsplit(url).scheme not in ("http", "https") or len(url) > self.max_url_length:
            return None
        depth = via.meta.get("depth", 0) + 1 if via is not None else 0
        hops = via.meta.get("hops", 0) + (not pagination) if via is not None else 0
        if (self.max_depth and depth > self.max_depth) or hops > self.max_hops:
            return None                          # (Scrapy's DepthMiddleware would drop it unseen)
        if not self.allowed(url, handler):
            self.crawler.stats.inc_value("disclosure/offsite_refused")
            return None
        if formdata is not None:
            req = scrapy.FormRequest(url, method=method, formdata=formdata)
        elif body:
            req = scrapy.Request(url, method=method, body=body.encode("latin-1"), headers=FORM_HEADERS)
        else:
            req = scrapy.Request(url, method=method)
        crawl = self.crawl_state.unit(unit_id)
        key = seen_as + self.crawler.request_fingerprinter.fingerprint(req).hex()
        if key in crawl.seen or not self.within_budget(unit_id, budget):
            return None
        if self.limits["requests"] and not self.within_budget(unit_id, ("requests", "unit")):
            if crawl.spent("requests", "unit") == self.limits["requests"]:
                crawl.budgets["requests|unit"] += 1          # say it once
                logger.warning("unit %s: DISCLOSURE_MAX_REQUESTS_PER_UNIT (%d) reached: no more requests for it",
                               unit_id, self.limits["requests"])
                self.crawler.stats.inc_value("disclosure/units_capped")
            return None
        crawl.seen.add(key)
        crawl.pending += 1
        return req.replace(
            callback=self.on_response, errback=self.on_failure, dont_filter=True,
            priority=PAGE_KINDS[handler].priority,
            meta={**(meta or {}), "unit": unit_id, "handler": handler, "ctx": ctx or {}, "entry": entry,
                  "hops": hops,
                  "handle_httpstatus_list": ERROR_STATUSES})

    def within_budget(self, unit_id: str, budget: tuple | None) -> bool:
        """Spend one of a budget (kind, scope): at most self.limits[kind] requests per scope."""
        if budget is None:
            return True
        kind, scope = budget
        return self.crawl_state.unit(unit_id).spend(kind, scope, self.limits[kind])

    def fact(self, unit_id: str, kind: str, /, **data) -> Fact:
        """A fact to yield (every fact made must be yielded: the pipeline counts them)."""
        fact = Fact(unit_id, kind, scrub(data))
        self.crawl_state.unit(unit_id).emitted += 1
        return fact

    def done(self, unit_id: str) -> Fact:
        return Fact(unit_id, "done", {"facts": self.crawl_state.close(unit_id)})

    def release(self, unit_id: str):
        """One request of the unit answered; yields `done` when it was the last one."""
        crawl = self.crawl_state.unit(unit_id)
        crawl.pending -= 1
        if crawl.pending <= 0:
            yield self.done(unit_id)

    def allowed(self, url: str, handler: str) -> bool:
        """The fetch policy (crawler/fetch_policy.py): pages on the hosts the config names; a unit's
        photos and attachments also under the same registrable domain; links checked elsewhere only
        with DISCLOSURE_CHECK_EXTERNAL_LINKS; never an internal address the config does not name."""
        if handler in ("image", "attachment", "revisit"):
            return self.policy.allows_media(url)
        if handler == "link":
            return self.policy.allows_link_check(url)
        return self.policy.allows_page(url)

    # --- the two callbacks -------------------------------------------------------------

    def on_response(self, response):
        unit_id = response.meta["unit"]
        handler = response.meta["handler"]
        if handler == "revisit":                 # asking again is not part of the unit's crawl
            yield from self.handle_revisit(response, response.meta["ctx"])
            yield from self.release(unit_id)
            return
        try:
            watched = revisit.watched_page(response) if PAGE_KINDS[handler].watched else None
            # `rendering`: the page was drawn by scripts and rendered, or could not be (crawler/rendering.py)
            yield self.fact(unit_id, "fetch", url=response.url, status=response.status,
                            bytes=len(response.body), watched=watched, rendering=response.meta.get("rendering"))
            if response.status >= 400:
                yield self.fact(unit_id, "failure", url=response.url, error=f"http_{response.status}")
            yield from getattr(self, PAGE_KINDS[handler].callback)(response, response.meta["ctx"])
        except Exception as exc:
            logger.exception("unit %s: reading %s failed", unit_id, response.url)
            self.crawler.stats.inc_value("disclosure/handler_errors")
            # a photo or link that breaks an extractor is still a fact: one that could not be read
            yield from self.failed_fact(response.request, "unreadable", repr(exc))
        yield from self.release(unit_id)

    def failed_fact(self, request, error: str, detail: str):
        errback = PAGE_KINDS[request.meta["handler"]].errback
        if errback is not None:
            yield from getattr(self, errback)(request, error, detail)

    def on_failure(self, failure):
        request = failure.request
        unit_id = request.meta["unit"]
        if request.meta["handler"] == "revisit":
            yield from self.revisited(unit_id, changed=True)
            yield from self.release(unit_id)
            return
        error, detail = classify_failure(failure)
        try:
            yield self.fact(unit_id, "failure", url=request.url, error=error)
            if request.meta.get("entry"):
                yield self.entry_failed(unit_id, error, detail)
            elif error != "robots":
                yield from self.unread(request, error)
            yield from self.failed_fact(request, error, detail)
        except Exception:
            logger.exception("unit %s: handling the failure of %s failed", unit_id, request.url)
        yield from self.release(unit_id)

    def entry_failed(self, unit_id: str, error: str, detail: str) -> Fact:
        if error == "robots":
            return self.fact(unit_id, "entry", fetched=False, blocked="robots", blocked_detail=detail)
        return self.fact(unit_id, "entry", fetched=False, error=error, error_detail=detail)

    # --- pages of the unit's section ---------------------------------------------------------

    def page_problem(self, response) -> str | None:
        """Why a page cannot be read as a page, or None."""
        if not isinstance(response, TextResponse):
            return "not_text"
        if links.challenge_kind(response):
            return "anti_crawler"
        if response.status >= 400:
            return f"http_{response.status}"
        if links.is_soft_404(response):
            return "soft_404"
        if content.cut_by_depth(response):
            return "cut_by_depth"
        return None

    def readable(self, response, problem: str | None = ""):
        """Yield the facts of a page that cannot be read (an entry page's fate either way);
        return whether it can be read: `if not (yield from self.readable(response)): return`.
        (`problem`: page_problem's answer when the caller has it already.)"""
        unit_id = response.meta["unit"]
        problem = self.page_problem(response) if problem == "" else problem
        if problem in ("anti_crawler", "soft_404", "not_text", "cut_by_depth"):
            yield self.fact(unit_id, "failure", url=response.url, error=problem)
        if response.meta.get("entry"):
            yield self.entry_fact(response, problem)
            yield from self.certificate_fact(response)
        elif problem and not is_gone(problem):
            yield from self.unread(response.request, problem)
        if problem is None:
            yield from self.unrendered(response)
        return problem is None

    def unrendered(self, response):
        """A page drawn by scripts that could not be rendered (crawler/rendering.py: no Chromium, a
        failure, the unit's budget spent) is read as served, and is unread: what it hides is unknown.
        An entry page is where the section is read from when it links to none."""
        why = rendering.not_rendered(response)
        handler = response.meta["handler"]
        if why and (PAGE_KINDS[handler].judged_by_absence or handler == "entry"):
            column = response.meta["ctx"].get("column") or {}
            yield self.fact(response.meta["unit"], "unread", kind="section" if handler == "entry" else handler,
                            url=response.url, why=why, column_url=column.get("url"))

    def unread(self, request, why: str):
        """A page the audits rely on that could not be read (5xx, timeout, cut, not text …): what it
        would have shown is unknown, never absent (a 404 is an answer: the page is gone)."""
        if PAGE_KINDS[request.meta["handler"]].judged_by_absence and not request.meta.get("entry"):
            column = request.meta["ctx"].get("column") or {}
            yield self.fact(request.meta["unit"], "unread", kind=request.meta["handler"], url=request.url,
                            why=why, column_url=column.get("url"))

    def entry_fact(self, response, problem: str | None) -> Fact:
        unit_id = response.meta["unit"]
        status = response.status
        if problem == "anti_crawler":
            return self.fact(unit_id, "entry", fetched=False, status=status, blocked="anti_crawler",
                             blocked_detail=f"HTTP {status}: {links.challenge_kind(response)}")
        if status == 429:                          # the site limits our rate: blocked, not down
            wait = response.headers.get(b"Retry-After")
            return self.fact(unit_id, "entry", fetched=False, status=status, blocked="rate_limited",
                             blocked_detail="HTTP 429" + (f", Retry-After {wait.decode('latin-1')}" if wait else ""))
        if problem and problem.startswith("http_"):
            tries = response.meta.get("retry_times", 0)
            return self.fact(unit_id, "entry", fetched=False, status=status, error="http",
                             error_detail=f"HTTP {status}" + (f" after {tries} retries" if tries else ""))
        if problem:
            return self.fact(unit_id, "entry", fetched=False, status=status, error="other",
                             error_detail=problem)
        return self.fact(unit_id, "entry", fetched=True, status=status, error=None, error_detail="",
                         blocked=None, blocked_detail="")

    def certificate_fact(self, response):
        """The certificate an HTTPS entry page came with, and what is wrong with it (facts only)."""
        if urlsplit(response.url).scheme == "https":
            self.trust = self.trust or certificates.TrustStore.load(self.trusted_ca)
            yield self.fact(response.meta["unit"], "entry", certificate=certificates.of_response(response, self.trust))


# Settings recorded in run.json: what shaped this run's facts.
NOTED_SETTINGS = ("DISCLOSURE_CONFIG", "DISCLOSURE_OUT", "DISCLOSURE_INCREMENTAL", "DISCLOSURE_MAX_LIST_PAGES",
                  "DISCLOSURE_MAX_DETAIL_DATES", "DISCLOSURE_MAX_DETAIL_PAGES", "DISCLOSURE_CHECK_EXTERNAL_LINKS",
                  "ROBOTSTXT_OBEY", "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "DOWNLOAD_MAXSIZE", "JOBDIR",
                  "DISCLOSURE_MAX_COLUMNS_PER_UNIT", "DISCLOSURE_MAX_REQUESTS_PER_UNIT", "DISCLOSURE_RENDER")
# Seconds between two looks at whether another unit may start (DISCLOSURE_UNITS_AT_ONCE).
UNIT_POLL_SECONDS = 0.2
# How a POST of a form goes out again when a watched page is revisited.
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def is_gone(problem: str) -> bool:
    """A page that answered that it is not there (404, 410, a soft 404): an answer, not a failure to read."""
    return problem in ("http_404", "http_410", "soft_404")

