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
snapshot. The counts, the URLs seen and the budgets live in `self.state`, which
Scrapy keeps in JOBDIR, so an interrupted crawl resumes where it stopped.

At most DISCLOSURE_UNITS_AT_ONCE units are crawled at a time, so the request queue
and the facts in flight stay the size of a few units, not of a province. With
DISCLOSURE_REUSE_UNCHANGED (nightly runs), a unit whose watched pages all answer as
they did in the previous run takes that run's snapshot (crawler/revisit.py).
"""
from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawler import certificates, rendering, revisit, runs
from crawler.config import check_settings, exit_on_config_error
from crawler.fetch_policy import FetchPolicy, host_of
from crawler.extract import (appointments, columns, content, detail, leaders, links, listing, mailbox,
                             media, navigation, text, workflows)
from crawler.items import Fact, scrub
from crawler.middlewares import classify_failure
from crawler.pages import PAGE_KINDS
from crawler.pipelines import now_iso

logger = logging.getLogger(__name__)

# Every 4xx/5xx reaches on_response (after retries): a 404 is a fact, not an exception.
ERROR_STATUSES = list(range(400, 600))
HEAD_UNSUPPORTED = (405, 501)


class DisclosureSpider(scrapy.Spider):
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
        self.unit_folders = entry_folders(self.config.units)
        self.config_digest = revisit.config_digest(self.config, self.limits, self.check_external)
        self.idle_before = False

    def open_run(self) -> None:
        """The run folder: a new one, or the same one again when resuming (JOBDIR or DISCLOSURE_RUN_ID)."""
        if not hasattr(self, "state"):          # no JOBDIR: Scrapy's SpiderState is off
            self.state = {}
        settings = self.crawler.settings
        self.run_id = self.state.setdefault("run_id", settings.get("DISCLOSURE_RUN_ID") or self.fresh_run_id())
        for key in ("pending", "emitted", "budgets", "revisits", "column_urls"):
            self.state.setdefault(key, {})
        for key in ("seen", "started", "open", "mailboxes"):
            self.state.setdefault(key, set())
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

    def units_started(self) -> set[str]:
        return set(self.state.get("started", ()))

    def snapshot_exists(self, unit_id: str) -> bool:
        return Path(self.run_dir, "snapshots", f"{unit_id}.json").exists()

    async def start(self):
        self.open_run()
        for unit in self.units:
            if unit.id in self.state["started"] or self.snapshot_exists(unit.id):
                continue                         # crawled or in the resumed job's queue already
            while len(self.state["open"]) >= self.units_at_once:
                for fact in self.settle_lost_units():
                    yield fact
                await asyncio.sleep(UNIT_POLL_SECONDS)
            self.state["started"].add(unit.id)
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
        idle = bool(self.state["open"]) and self.crawl_is_idle()
        lost, self.idle_before = (sorted(self.state["open"]) if idle and self.idle_before else []), idle
        for unit_id in lost:
            logger.warning("unit %s: nothing in flight but not done; writing it with what was gathered", unit_id)
            self.state["open"].discard(unit_id)
            yield Fact(unit_id, "done", {"facts": 0})   # 0: every fact it emitted is written by now

    def crawl_is_idle(self) -> bool:
        engine = self.crawler.engine
        return (not engine.downloader.active and engine.scraper.slot.is_idle()
                and not engine.scheduler.has_pending_requests())

    def start_unit(self, unit):
        """The first requests of a unit: its watched pages again when it may be unchanged, else its entry."""
        self.state["open"].add(unit.id)
        previous = self.reusable_snapshot(unit)
        if previous is None:
            yield from self.crawl_unit(unit)
            return
        path, snapshot = previous
        requests = [self.request(unit.id, page["url"], "revisit", method=page["method"], body=page["body"],
                                 ctx={"page": page}, seen_as="revisit")
                    for page in snapshot["watched_pages"]]
        requests = [r for r in requests if r is not None]
        self.state["revisits"][unit.id] = {"left": len(requests), "snapshot": str(path),
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
        visit = self.state["revisits"].get(unit_id)
        if visit is None:                        # changed already: crawled in full
            return
        visit["left"] -= 1
        if changed:
            del self.state["revisits"][unit_id]
            yield from self.crawl_unit(self.config.unit(unit_id))
            return
        if visit["left"] > 0:
            return
        del self.state["revisits"][unit_id]
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
        key = (unit_id, seen_as + self.crawler.request_fingerprinter.fingerprint(req).hex())
        if key in self.state["seen"] or not self.within_budget(unit_id, budget):
            return None
        if self.limits["requests"] and not self.within_budget(unit_id, ("requests", "unit")):
            if self.state["budgets"].get(f"{unit_id}|requests|unit") == self.limits["requests"]:
                self.state["budgets"][f"{unit_id}|requests|unit"] += 1          # say it once
                logger.warning("unit %s: DISCLOSURE_MAX_REQUESTS_PER_UNIT (%d) reached: no more requests for it",
                               unit_id, self.limits["requests"])
                self.crawler.stats.inc_value("disclosure/units_capped")
            return None
        self.state["seen"].add(key)
        self.state["pending"][unit_id] = self.state["pending"].get(unit_id, 0) + 1
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
        key = f"{unit_id}|{kind}|{scope}"
        used = self.state["budgets"].get(key, 0)
        if used >= self.limits[kind]:
            return False
        self.state["budgets"][key] = used + 1
        return True

    def fact(self, unit_id: str, kind: str, /, **data) -> Fact:
        """A fact to yield (every fact made must be yielded: the pipeline counts them)."""
        fact = Fact(unit_id, kind, scrub(data))
        self.state["emitted"][unit_id] = self.state["emitted"].get(unit_id, 0) + 1
        return fact

    def done(self, unit_id: str) -> Fact:
        self.state["open"].discard(unit_id)
        return Fact(unit_id, "done", {"facts": self.state["emitted"].get(unit_id, 0)})

    def release(self, unit_id: str):
        """One request of the unit answered; yields `done` when it was the last one."""
        left = self.state["pending"].get(unit_id, 0) - 1
        self.state["pending"][unit_id] = left
        if left <= 0:
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

    def handle_entry(self, response, ctx):
        """A unit's own home page: find its disclosure section (or read the page as one)."""
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        yield self.fact(unit_id, "unit", host=host_of(response.url))
        yield from self.look_for_mailbox(response)
        section = navigation.find_disclosure_link(response)
        if section and section != response.url and not self.is_own_section(response, section):
            yield self.request(unit_id, section, "section", via=response)
        else:
            yield from self.read_section(response)

    def is_own_section(self, response, section_link: str) -> bool:
        """The entry page already is the unit's section (a unit's section on a shared platform,
        whose 政务公开 link and breadcrumb lead up to the platform's directory of all units):
        it shows a column tree of the reference layout, and the section link leads out of it."""
        if not navigation.leads_out_of(section_link, response.url):
            return False
        mapped = {columns.map_column(link.name, self.config.columns)[0]
                  for link in navigation.column_tree(response)}
        return len(mapped - {None}) >= MIN_SECTION_COLUMNS

    def handle_directory(self, response, ctx):
        """The portal, for a unit it hosts: find the unit's section in its unit directory."""
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        unit = self.config.unit(unit_id)
        section = navigation.find_unit_section(response, unit.name)
        if section:
            yield self.fact(unit_id, "unit", entry_url=section, host=host_of(section), own_site=False)
            yield self.request(unit_id, section, "section", via=response, entry=True)
            return
        catalogue = navigation.find_disclosure_link(response)
        request = catalogue and not ctx.get("catalogue") and self.request(
            unit_id, catalogue, "directory", via=response, ctx={"catalogue": True}, entry=True)
        if request:
            yield request
        else:
            yield self.fact(unit_id, "entry", fetched=False, status=response.status,
                            error="not_found_in_directory",
                            error_detail=f"{unit.name} not found in the unit directory of {response.url}")

    def handle_section(self, response, ctx):
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        # a directory of units is no section: the unit's own entry in it is
        own = navigation.find_unit_in_directory(response, self.config.unit(unit_id).name)
        if own and own != response.url:
            request = self.request(unit_id, own, "section", via=response)
            if request:
                yield request
                return
        yield from self.look_for_mailbox(response)
        yield from self.read_section(response)

    def failed_section(self, request, error, detail):
        """A home page robots.txt allows, with a disclosure section it forbids: kept out all the same."""
        if error == "robots" and not request.meta.get("entry"):
            yield self.fact(request.meta["unit"], "entry", blocked="robots",
                            blocked_detail=f"robots.txt forbids the disclosure section {request.url}")

    def read_section(self, response):
        """The column tree: one column fact each, and its first list page."""
        unit_id = response.meta["unit"]
        found = [(link, *columns.map_column(link.name, self.config.columns))
                 for link in navigation.column_tree(self.selected(response, "menu"))
                 if not self.in_other_units_section(unit_id, link.url)]
        found += self.column_overrides(unit_id, found) + self.mailbox_column(response, found)
        known = self.state["column_urls"].get(unit_id, set())
        room = self.limits["columns"] - len(known)
        new = [f for f in found if f[0].url not in known]
        if self.limits["columns"] and len(new) > room:
            logger.warning("unit %s: %d columns on %s, more than DISCLOSURE_MAX_COLUMNS_PER_UNIT (%d): "
                           "the first %d read", unit_id, len(known) + len(new), response.url,
                           self.limits["columns"], max(room, 0))
            self.crawler.stats.inc_value("disclosure/columns_capped")
            found = [f for f in found if f[0].url in known] + new[:max(room, 0)]
        self.state["column_urls"].setdefault(unit_id, set()).update(link.url for link, _, _ in found)
        for link, reference, match in found:
            role = self.config.column(reference).role if reference else None
            yield self.fact(unit_id, "column", name=link.name, path=list(link.path), url=link.url,
                            reference=reference, match=match, role=role)
            column = {"url": link.url, "name": link.name, "reference": reference, "role": role}
            if role == "mailbox":                # letters, not articles: judged by mailbox_backlog only
                yield from self.mailbox_found(unit_id, link.url, response)
            elif link.url == response.url:        # the section page is the column's first list page
                yield from self.handle_list(response, {"column": column})
            else:
                yield self.request(unit_id, link.url, "list", via=response, ctx={"column": column},
                                   budget=("list", link.url))

    def mailbox_column(self, response, found: list) -> list:
        """The section's mailbox link, when the layout lists the mailbox as a column (menus keep
        interaction links apart from columns otherwise)."""
        reference = next((c for c in self.config.columns if c.role == "mailbox"), None)
        if reference is None or any(ref == reference.name for _, ref, _ in found):
            return []
        link = navigation.find_mailbox(response, (*reference.names, *self.config.mailbox_names))
        if not link or not text.same_host(link.url, response.url):
            return []
        return [(link, reference.name, "synonym")]

    def in_other_units_section(self, unit_id: str, url: str) -> bool:
        """A link into the folder of another unit's entry (its section on a shared platform):
        never audited as this unit's column."""
        own = self.unit_folders.get(unit_id, "")
        owner = max((folder for folder in self.unit_folders.values() if url.startswith(folder)),
                    key=len, default="")
        return bool(owner) and owner != own and not (own and own.startswith(owner))

    def column_overrides(self, unit_id: str, found: list) -> list:
        """Columns the config gives by URL (overrides.column_urls) that the menu did not show."""
        given = self.config.unit(unit_id).overrides.get("column_urls", {})
        shown = {link.url for link, _, _ in found}
        return [(navigation.ColumnLink(reference, url, (reference,)), reference, "exact")
                for reference, url in given.items() if url not in shown]

    def handle_list(self, response, ctx):
        """One list page of a column: entries, the column's other pages, what its entries lead to."""
        unit_id = response.meta["unit"]
        column = ctx["column"]
        if not (yield from self.readable(response)):
            return
        # a later page of a list is dated as of the oldest date of the page that named it (a date
        # printed without its year is then not put a year too late)
        # the section's own menu, repeated on a column page, holds columns, not entries
        menu = frozenset(self.state["column_urls"].get(unit_id, ()))
        page = listing.parse_list(response, date.fromisoformat(ctx["not_after"]) if ctx.get("not_after")
                                  else self.as_of, not_entries=menu)
        entries = page.entries
        if self.selected(response, "list") is not response:      # the unit's own selector picks the entries
            entries = listing.parse_list(self.selected(response, "list"), self.as_of, not_entries=menu).entries
        shown = content.page_content(response)
        # a static column's page (no list, text of its own): its links, and the date it prints
        article = detail.parse_detail(response, self.as_of) if not entries and shown.text_chars else None
        truncated = False
        for pr in page.next_requests:
            request = self.page_request(unit_id, pr, "list", response, {**ctx, "not_after": iso(pr.not_after)},
                                        budget=("list", column["url"]), pagination=True)
            truncated = truncated or (request is None and self.over_budget(unit_id, "list", column["url"]))
            if request:
                yield request
        yield self.fact(unit_id, "list_page", column_url=column["url"], truncated=truncated,
                        text_chars=shown.text_chars, nothing_notice=shown.nothing_notice,
                        page_date=iso(article.date) if article else None, entries=[
            {"title": e.title, "url": e.url, "date": iso(e.date), "date_source": "list" if e.date else None}
            for e in entries])
        if column["role"] == "leaders":
            yield from self.read_leaders(response, entries)
        elif column["role"] == "workflows":
            yield from self.read_workflows(response, column, entries)
        elif entries:
            for rank, entry in enumerate(entries):
                yield self.entry_request(unit_id, column, entry, response, rank)
        elif article:
            for ref in [*article.attachments, *article.links]:
                yield self.link_request(unit_id, ref, response)

    def over_budget(self, unit_id: str, kind: str, scope: str) -> bool:
        return self.state["budgets"].get(f"{unit_id}|{kind}|{scope}", 0) >= self.limits[kind]

    def page_request(self, unit_id, page_request, handler, response, ctx, budget, pagination=False):
        """A request for a PageRequest of an extractor (a later list page, a POST dataproxy call)."""
        return self.request(unit_id, page_request.url, handler, via=response, ctx=ctx,
                            method=page_request.method, formdata=page_request.formdata, budget=budget,
                            pagination=pagination)

    def entry_request(self, unit_id: str, column: dict, entry, response, rank: int = 0):
        """What an entry of the list leads to, by the column's role (`rank`: its place in the list)."""
        ctx = {"column": column, "title": entry.title, "date": iso(entry.date), "list_url": response.url,
               "rank": rank}
        if column["role"] == "personnel" or appointments.is_appointment_notice(entry.title):
            return self.request(unit_id, entry.url, "detail", via=response, ctx=ctx)   # every 任免 notice
        budget = ("dates", column["url"]) if entry.date is None else ("details", column["url"])
        return self.request(unit_id, entry.url, "detail", via=response, ctx=ctx, budget=budget)

    def handle_detail(self, response, ctx):
        """An article: its date when the list had none, its links and attachments, 任免 notices."""
        unit_id = response.meta["unit"]
        column = ctx["column"]
        problem = self.page_problem(response)
        yield from self.entry_link(response, ctx, problem)
        if not (yield from self.readable(response, problem)):
            return
        article = detail.parse_detail(response, self.as_of)
        if ctx.get("date") is None and article.date:
            yield self.fact(unit_id, "entry_date", column_url=column["url"], url=response.request.url,
                            date=iso(article.date))
        for ref in [*article.attachments, *article.links]:
            yield self.link_request(unit_id, ref, response)
        title = article.title or ctx.get("title") or ""
        if column["role"] == "personnel" or appointments.is_appointment_notice(title):
            for a in appointments.parse_appointments(title, article.text):
                yield self.fact(unit_id, "appointment", person=a.person, post=a.post, action=a.action,
                                date=iso(article.date) or ctx.get("date"), title=title,
                                url=response.url)

    def entry_link(self, response, ctx, problem: str | None):
        """A list entry's link as observed (audits/links.py judges a 404 or 页面不存在 page broken)."""
        if ctx.get("list_url"):
            yield self.fact(response.meta["unit"], "link", url=response.request.url, text=ctx.get("title") or "",
                            kind="link", page_url=ctx["list_url"], status=response.status, bytes=None,
                            soft_404=problem == "soft_404", error=None)

    # --- leaders -------------------------------------------------------------------------------

    def read_leaders(self, response, entries):
        """The leaders of a leaders column page; each entry's page when the page lists none itself."""
        unit_id = response.meta["unit"]
        found = leaders.parse_leaders(self.selected(response, "leaders"))
        for rank, ref in enumerate(found):
            listed = {**leader_dict(ref), "rank": rank}
            if ref.detail is not None:
                yield self.page_request(unit_id, ref.detail, "leader_detail", response,
                                        {"leader": listed}, budget=None)
            else:
                yield from self.leader_facts(unit_id, listed, response)
        if not found:
            for rank, entry in enumerate(entries):
                yield self.request(unit_id, entry.url, "leader_detail", via=response,
                                   ctx={"leader": {"name": entry.title, "page_url": entry.url, "rank": rank}})

    def handle_leader_detail(self, response, ctx):
        if not (yield from self.readable(response)):
            return
        listed = ctx.get("leader") or {}
        found = leader_dict(leaders.parse_leader_detail(response))
        merged = {k: found.get(k) or listed.get(k) for k in ("post", "duties", "photo_url")}
        # the name the list links by, when it is a name (a list of menu titles is not); else the page's
        listed_name = listed.get("name") if leaders.is_name(listed.get("name") or "") else None
        merged.update(name=listed_name or found.get("name"), page_url=listed.get("page_url") or response.url,
                      rank=listed.get("rank"))
        if merged["name"]:
            yield from self.leader_facts(response.meta["unit"], merged, response)

    def leader_facts(self, unit_id: str, leader: dict, response):
        photo = leader.get("photo_url")
        yield self.fact(unit_id, "leader", name=leader["name"], post=leader.get("post") or "",
                        duties=leader.get("duties") or "", page_url=leader.get("page_url") or response.url,
                        photo_url=photo, rank=leader.get("rank"))
        if photo:
            yield self.image_request(unit_id, photo, response, "photo")

    # --- media: photos, flowchart images and attachments ------------------------------------

    def image_request(self, unit_id: str, url: str, response, role: str):
        return self.request(unit_id, url, "image", via=response, ctx={"role": role},
                            meta={"download_maxsize": self.image_maxsize})

    def handle_image(self, response, ctx):
        measured = {"format": None, "width": None, "height": None, "sharpness": None, "phash": None,
                    "thumbnail": None, "error": None}
        if response.status >= 400:
            measured["error"] = f"http_{response.status}"
        else:
            measured.update(media.measure_image(response.body, self.image_max_pixels))
        yield self.fact(response.meta["unit"], "image", url=response.request.url, role=ctx["role"],
                        status=response.status, content_type=content_type(response),
                        bytes=len(response.body), **measured)

    def failed_image(self, request, error, detail):
        yield self.fact(request.meta["unit"], "image", url=request.url, role=request.meta["ctx"]["role"],
                        status=None, error=error)

    def read_workflows(self, response, column: dict, entries):
        """The workflow items of a workflows column page: shown inline, or each on its own page."""
        unit_id = response.meta["unit"]
        items = workflows.parse_workflows(self.selected(response, "workflows"))
        for rank, item in enumerate(items):
            ctx = {"column": column, "title": item.title, "rank": rank}
            if item.flowchart is not None:
                yield from self.workflow_facts(response, item.title, item.page_url, item.flowchart, ctx)
            elif item.detail is not None:
                yield self.page_request(unit_id, item.detail, "workflow", response, ctx, budget=None)
        if not items:                            # the list's entries are the items' pages
            for rank, entry in enumerate(entries):
                yield self.request(unit_id, entry.url, "workflow", via=response,
                                   ctx={"column": column, "title": entry.title, "rank": rank})

    def handle_workflow(self, response, ctx):
        """A workflow item's own page: where its flowchart is, then the flowchart itself."""
        if (yield from self.readable(response)):
            chart = workflows.parse_flowchart(response)
            yield from self.workflow_facts(response, ctx.get("title") or chart.title, response.url, chart, ctx)

    def workflow_facts(self, response, title: str, page_url: str, chart, ctx):
        unit_id = response.meta["unit"]
        yield self.fact(unit_id, "workflow", title=title or "", page_url=page_url,
                        column=ctx["column"]["reference"], kind=chart.kind, url=chart.url, rank=ctx.get("rank"))
        if chart.kind == "image":
            yield self.image_request(unit_id, chart.url, response, "flowchart")
        elif chart.kind == "attachment":
            yield self.request(unit_id, chart.url, "attachment", via=response,
                               meta={"peek": True})

    def handle_attachment(self, response, ctx):
        yield self.fact(response.meta["unit"], "attachment", **attachment_facts(response))

    def failed_attachment(self, request, error, detail):
        yield self.fact(request.meta["unit"], "attachment", url=request.url, status=None,
                        ext=extension(request.url), error=error)

    # --- links and attachments inside articles ----------------------------------------------

    def link_request(self, unit_id: str, ref, response):
        """Check a link: HEAD for attachments (big files), a capped GET for pages (soft-404s)."""
        ctx = {"text": ref.text, "kind": ref.kind, "page_url": response.url}
        method = "HEAD" if ref.kind == "attachment" else "GET"
        return self.request(unit_id, ref.url, "link", via=response, ctx=ctx, method=method,
                            budget=("links", "unit"), meta={"peek": True})

    def handle_link(self, response, ctx):
        unit_id = response.meta["unit"]
        if response.request.method == "HEAD" and response.status in HEAD_UNSUPPORTED:
            retry = self.request(unit_id, response.request.url, "link", via=response, ctx=ctx,
                                 meta={"peek": True})
            if retry:
                yield retry
                return
        soft_404 = (response.status < 400 and response.request.method == "GET"
                    and isinstance(response, TextResponse) and links.is_soft_404(response))
        yield self.fact(unit_id, "link", url=response.request.url, text=ctx["text"], kind=ctx["kind"],
                        page_url=ctx["page_url"], status=response.status, bytes=body_size(response),
                        soft_404=soft_404, error=None)

    def failed_link(self, request, error, detail):
        ctx = request.meta["ctx"]
        yield self.fact(request.meta["unit"], "link", url=request.url, text=ctx["text"], kind=ctx["kind"],
                        page_url=ctx["page_url"], status=None, bytes=None, soft_404=False, error=error)

    def selected(self, response, key: str):
        """The page narrowed to what the unit's `[units.overrides] selectors` picks for `key` (menu,
        list, leaders, workflows, letters), for the site no heuristic reads; the whole page when the
        unit has none for it, or when the selector picks nothing here (then one warning)."""
        selector = self.config.unit(response.meta["unit"]).overrides.get("selectors", {}).get(key)
        if not selector or not isinstance(response, TextResponse):
            return response
        picked = response.css(selector).getall()
        if not picked:
            logger.warning("unit %s: selectors.%s %r picks nothing on %s: read the whole page",
                           response.meta["unit"], key, selector, response.url)
            return response
        head = "".join(response.css("base").getall())      # relative links resolve as on the page
        body = f"<html><head><meta charset='utf-8'>{head}</head><body>" + "\n".join(picked) + "</body></html>"
        return response.replace(body=body.encode("utf-8"), encoding="utf-8")

    # --- the mailbox ---------------------------------------------------------------------------

    def look_for_mailbox(self, response):
        unit_id = response.meta["unit"]
        url = navigation.find_mailbox_link(response, self.config.mailbox_names)
        if url:
            yield from self.mailbox_found(unit_id, url, response)

    def mailbox_found(self, unit_id: str, url: str, response):
        if unit_id not in self.state["mailboxes"]:    # the first mailbox link found is the unit's
            self.state["mailboxes"].add(unit_id)
            yield self.fact(unit_id, "mailbox", url=url)
            yield self.request(unit_id, url, "mailbox", via=response)

    def handle_mailbox(self, response, ctx):
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        page = mailbox.parse_letters(response, self.as_of)
        letters = mailbox.parse_letters(self.selected(response, "letters"), self.as_of).letters
        yield self.fact(unit_id, "letters", letters=[
            {"title": l.title, "url": l.url, "received": iso(l.received), "status": l.status,
             "answered": iso(l.answered)} for l in letters])
        for pr in page.next_requests:
            yield self.page_request(unit_id, pr, "mailbox", response, ctx, budget=("letters", "pages"),
                                    pagination=True)


# Settings recorded in run.json: what shaped this run's facts.
NOTED_SETTINGS = ("DISCLOSURE_CONFIG", "DISCLOSURE_OUT", "DISCLOSURE_INCREMENTAL", "DISCLOSURE_MAX_LIST_PAGES",
                  "DISCLOSURE_MAX_DETAIL_DATES", "DISCLOSURE_MAX_DETAIL_PAGES", "DISCLOSURE_CHECK_EXTERNAL_LINKS",
                  "ROBOTSTXT_OBEY", "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "DOWNLOAD_MAXSIZE", "JOBDIR",
                  "DISCLOSURE_MAX_COLUMNS_PER_UNIT", "DISCLOSURE_MAX_REQUESTS_PER_UNIT", "DISCLOSURE_RENDER")
# Reference columns an entry page's own menu must show for it to be the unit's section.
MIN_SECTION_COLUMNS = 3
# Seconds between two looks at whether another unit may start (DISCLOSURE_UNITS_AT_ONCE).
UNIT_POLL_SECONDS = 0.2
# How a POST of a form goes out again when a watched page is revisited.
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def entry_folders(units) -> dict[str, str]:
    """unit id -> the folder of its entry URL, for entries below a site's root (sections of a
    shared platform, e.g. http://host/xxgk/unit/)."""
    folders = {}
    for unit in units:
        url = unit.overrides.get("disclosure_url") or unit.url
        if url:
            parts = urlsplit(url)
            folder = parts.path.rsplit("/", 1)[0] + "/"
            if folder != "/":
                folders[unit.id] = f"{parts.scheme}://{parts.netloc.lower()}{folder}"
    return folders


def is_gone(problem: str) -> bool:
    """A page that answered that it is not there (404, 410, a soft 404): an answer, not a failure to read."""
    return problem in ("http_404", "http_410", "soft_404")


def writable_folder(path: str) -> Path:
    """DISCLOSURE_OUT as a folder run folders can be written in: one line and exit 2 otherwise,
    before any request (cron must not see a crawl that could keep nothing succeed)."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        why = "it is a file" if folder.exists() and not folder.is_dir() else (exc.strerror or str(exc))
        print(f"DISCLOSURE_OUT: {str(folder)!r} cannot hold run folders ({why})", file=sys.stderr)
        raise SystemExit(2) from None
    return folder


def select_units(config, units_arg: str) -> list:
    """The units named by `-a units=` (ids or names, comma-separated), all when empty."""
    wanted = [w.strip() for w in (units_arg or "").replace("，", ",").split(",") if w.strip()]
    if not wanted:
        return list(config.units)
    unknown = [w for w in wanted if not any(w in (u.id, u.name) for u in config.units)]
    if unknown:
        import difflib
        choices = [key for u in config.units for key in (u.id, u.name)]
        for word in unknown:
            close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            print(f"{config.path}: -a units=: unknown unit {word!r}{hint}", file=sys.stderr)
        valid = ", ".join(f"{u.id} ({u.name})" for u in config.units)
        print(f"valid units: {valid}", file=sys.stderr)
        raise SystemExit(2)
    return [config.unit(w) for w in dict.fromkeys(wanted)]


def as_of_date(value: str | None) -> date:
    if not value:
        return datetime.now(runs.CHINA).date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        print(f"DISCLOSURE_AS_OF: {value!r} is not a date like 2011-09-30", file=sys.stderr)
        raise SystemExit(2) from None


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def leader_dict(ref) -> dict:
    return {k: v for k, v in asdict(ref).items() if k != "detail"}


def content_type(response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1").split(";")[0].strip() if value else None


def extension(url: str) -> str | None:
    """The file type a URL names, also behind a download script (downfile.jsp?filename=x.pdf)."""
    return text.url_extension(url) or None


def body_size(response) -> int | None:
    """The size of what the URL serves: Content-Length, else the body read (None when cut short)."""
    length = response.headers.get(b"Content-Length")
    if length and length.isdigit():
        return int(length)
    if "download_stopped" in response.flags or response.request.method == "HEAD":
        return None
    return len(response.body)


def attachment_facts(response) -> dict:
    """Status, type, size and file signature of an attachment, from a HEAD or a capped GET."""
    size = body_size(response)
    error = f"http_{response.status}" if response.status >= 400 else ("empty" if size == 0 else None)
    return {"url": response.request.url, "status": response.status, "content_type": content_type(response),
            "bytes": size, "ext": extension(response.request.url),
            "signature": media.sniff_signature(response.body[:64]) if response.body else None,
            "error": error}
