"""Scrapy extensions of the disclosure crawl: capped downloads, progress, the run's end."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured, StopDownload
from twisted.internet import task

from crawler.items import Fact
from crawler.pipelines import unit_finished

logger = logging.getLogger(__name__)


class PeekDownloads:
    """A capped GET: stop downloading a request marked meta `peek` after DISCLOSURE_PEEK_BYTES.

    The callback still gets the response (flag `download_stopped`) with the bytes
    read so far: enough for a file signature or a soft-404 text, without pulling
    a 300 MB attachment through the county's uplink. A file announced larger than
    the download cap is stopped at its headers (status, type and size are known),
    where Scrapy would otherwise cancel it as an error.
    """

    def __init__(self, limit: int, maxsize: int):
        self.limit = limit
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getint("DISCLOSURE_PEEK_BYTES") <= 0:
            raise NotConfigured("DISCLOSURE_PEEK_BYTES is 0: capped GETs read whole")
        ext = cls(crawler.settings.getint("DISCLOSURE_PEEK_BYTES"), crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def headers_received(self, headers, body_length, request, spider=None):
        maxsize = request.meta.get("download_maxsize", self.maxsize)
        if request.meta.get("peek") and isinstance(body_length, int) and 0 < maxsize < body_length:
            raise StopDownload(fail=False)

    def bytes_received(self, data, request, spider=None):
        if not request.meta.get("peek"):
            return
        request.meta["peeked_bytes"] = request.meta.get("peeked_bytes", 0) + len(data)
        if request.meta["peeked_bytes"] >= self.limit:
            raise StopDownload(fail=False)


class QuietRobotsErrors:
    """One warning line, not an ERROR with a traceback, when a site's robots.txt cannot be fetched.

    Scrapy's RobotsTxtMiddleware logs every failed robots.txt download (a site that is
    down, refuses or times out) as an ERROR with the whole traceback; a nightly log of a
    province is then mostly tracebacks about sites the audit reports as unreachable anyway.
    The request itself goes ahead (Scrapy then treats the site as having no robots.txt)
    and its own failure is a fact of the unit.
    """

    LOGGER = "scrapy.downloadermiddlewares.robotstxt"

    def __init__(self, crawler):
        logging.getLogger(self.LOGGER).addFilter(self)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            request = (record.args or {}).get("request") if isinstance(record.args, dict) else None
            record.msg = "robots.txt for %s not fetched (%s: %s); its pages are asked for all the same"
            record.args = (request.url if request is not None else "?", type(error).__name__, error)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True

    def spider_closed(self, spider, reason):
        logging.getLogger(self.LOGGER).removeFilter(self)


class Progress:
    """Progress in the log: a line per finished unit, a periodic line, a table per unit at the end."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.pages = self.errors = 0
        self.rows: list[dict] = []
        self.loop = None
        self.done: int | None = None             # units with a snapshot, once known

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("DISCLOSURE_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.unit_finished, signal=unit_finished)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        if self.interval > 0:
            self.loop = task.LoopingCall(self.log_progress)
            self.loop.start(self.interval, now=False)

    def item_scraped(self, item, spider=None, response=None):
        if isinstance(item, Fact):
            self.pages += item.kind == "fetch"
            self.errors += item.kind == "failure"

    def counts(self) -> tuple[int, int]:
        """(units done, units of the run); units written before a resume count as done."""
        units = getattr(self.crawler.spider, "units", [])
        if self.done is None:                    # looked up on disk once, then counted
            run_dir = getattr(self.crawler.spider, "run_dir", None)
            if run_dir is None:
                return 0, len(units)
            self.done = sum(Path(run_dir, "snapshots", f"{u.id}.json").exists() for u in units)
        return self.done, len(units)

    def log_progress(self):
        done, total = self.counts()
        logger.info("progress: units %d/%d done, pages %d, errors %d", done, total, self.pages, self.errors)

    def unit_finished(self, unit_id, snapshot):
        if self.done is not None:
            self.done += 1
        done, total = self.counts()
        row = summary_row(snapshot)
        self.rows.append(row)
        logger.info("unit %d/%d done: %s pages=%d errors=%d", done, total, row["unit"], row["pages"],
                    row["errors"])

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.rows:
            logger.info("units of this crawl:\n%s", summary_table(self.rows))
        done, total = self.counts()
        logger.info("crawl %s: units %d/%d done, pages %d, errors %d", reason, done, total,
                    self.pages, self.errors)


SUMMARY_COLUMNS = ("unit_id", "unit", "entry", "pages", "errors", "columns", "entries", "leaders",
                   "workflows", "letters", "links")


def summary_row(snapshot: dict) -> dict:
    reach = snapshot["reachability"]
    entry = "ok" if reach["fetched"] else (reach["blocked"] or reach["error"] or "none")
    return {
        "unit_id": snapshot["unit"]["id"], "unit": snapshot["unit"]["name"], "entry": entry,
        "pages": reach["pages"], "errors": sum(reach["errors"].values()),
        "columns": len(snapshot["columns"]),
        "entries": sum(c["entry_count"] for c in snapshot["columns"]),
        "leaders": len(snapshot["leaders"]), "workflows": len(snapshot["workflows"]),
        "letters": len(snapshot["mailbox"]["letters"]), "links": snapshot["links_checked"],
    }


def summary_table(rows: list[dict]) -> str:
    """A plain-text table, one line per unit, in unit id order."""
    lines = [SUMMARY_COLUMNS] + [tuple(str(r[c]) for c in SUMMARY_COLUMNS)
                                 for r in sorted(rows, key=lambda r: r["unit_id"])]
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(SUMMARY_COLUMNS))]
    return "\n".join("  ".join(pad(cell, w) for cell, w in zip(line, widths)) for line in lines)


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


class FinishRun:
    """At the end of a finished crawl, audit the snapshots, screenshot the pages of the findings a
    person should see (crawler/evidence.py) and write the reports (reports.finish_run).

    An interrupted crawl (Ctrl-C, kill) writes no reports: its run folder stays
    incomplete, `latest` stays where it was, and the same JOBDIR resumes it.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("DISCLOSURE_FINISH_RUN"):
            raise NotConfigured("DISCLOSURE_FINISH_RUN is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        run_dir = getattr(spider, "run_dir", None)
        if run_dir is None:
            return
        if reason != "finished":
            logger.warning("crawl stopped (%s): run %s left incomplete; run again with the same JOBDIR "
                           "to resume it", reason, run_dir)
            return
        try:
            from reports import finish_run
        except ImportError as exc:
            logger.warning("reports.finish_run is not available (%s): snapshots are in %s, no reports written",
                           exc, run_dir)
            return
        from crawler.evidence import take_screenshots
        config, settings = spider.config, self.crawler.settings
        started = time.monotonic()
        finish_run(run_dir, config, spider.as_of, settings,
                   gather_evidence=lambda run_dir, findings: take_screenshots(run_dir, findings, config, settings))
        logger.info("reports of run %s written in %.1f s", run_dir, time.monotonic() - started)
