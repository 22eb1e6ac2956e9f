"""End-of-run monitoring: a summary in the log and in run.json, and ALERT lines.

The summary counts what the snapshots of the run say (units audited,
unreachable, blocked, pages, failed requests) plus the run's duration. An alert
is raised when
  - a unit that yielded data in the previous complete run yields nothing now
    (its site moved, changed template, or started refusing us), or
  - the share of failed requests passes DISCLOSURE_ALERT_ERROR_RATE.
  - no unit could be read at all (one line instead of any other: the network is down).
Each alert is one log line starting with `ALERT:`; the count goes into the stat
`disclosure/alerts` and the run's exit code (crawler/exit_codes.py decides it) into
`disclosure/exit_code`, which the project's `crawl` command exits with
(crawler/commands/crawl.py), so cron and systemd see it.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler import exit_codes, runs
from crawler.exit_codes import nothing_read
from crawler.snapshot import readable_snapshots

logger = logging.getLogger(__name__)

EXIT_ALERT = exit_codes.ALERT
ALERT_STAT = "disclosure/alerts"
EXIT_STAT = "disclosure/exit_code"
# More than this share of a run's units could not be fetched (no network, a proxy down): the run
# failed as a whole; it is not made `latest` nor used as the baseline of the next one.
FAILED_RUN_SHARE = 0.5
# ... in a run of at least this many units: one or two units down is their own alert, not a failed run.
FAILED_RUN_MIN_UNITS = 3
# Failure kinds of requests the crawl refused to send (crawler/fetch_policy.py: a name resolving to an
# internal address): no site failed them, so they are not errors of the run (the snapshot keeps them).
NOT_SENT = frozenset({"internal_address"})


def unfetched_units(snapshots: list[dict]) -> list[dict]:
    """Units whose site gave no answer at all (a blocked site did answer)."""
    return [s for s in snapshots if not s["reachability"].get("fetched") and not s["reachability"].get("blocked")]


def run_failed(snapshots: list[dict]) -> bool:
    """Whether most units of the run could not be fetched, or none could (in a run of any size)."""
    units, unfetched = len(snapshots), len(unfetched_units(snapshots))
    return bool(units) and (unfetched == units
                            or (units >= FAILED_RUN_MIN_UNITS and unfetched > FAILED_RUN_SHARE * units))


def yielded_data(snapshot: dict) -> bool:
    """Whether the crawl of the unit gathered anything to audit."""
    return bool(any(c.get("entry_count") or c.get("entries") for c in snapshot["columns"])
                or snapshot["leaders"] or snapshot["workflows"] or snapshot["mailbox"]["letters"])


def summarize(snapshots: list[dict], duration: float) -> dict:
    """The run's figures, from its snapshots. An unchanged unit (crawler/revisit.py) counts the
    pages, bytes and errors of the full crawl its facts come from; `unchanged` says how many."""
    reach = [s["reachability"] for s in snapshots]
    pages = sum(r.get("pages") or 0 for r in reach)
    errors = sum(n for r in reach for kind, n in r.get("errors", {}).items() if kind not in NOT_SENT)
    return {
        "units": len(snapshots),
        "units_with_data": sum(yielded_data(s) for s in snapshots),
        "unchanged": sum(1 for s in snapshots if (s.get("crawl") or {}).get("reused_from")),
        "unreachable": sum(1 for r in reach if not r.get("fetched") and not r.get("blocked")),
        "blocked": sum(1 for r in reach if r.get("blocked")),
        "not_fully_audited": sum(1 for s in snapshots if s.get("unread")),   # pages it relies on unread
        "pages": pages,
        "bytes": sum(r.get("bytes") or 0 for r in reach),
        "errors": errors,
        "error_rate": round(errors / (pages + errors), 4) if pages + errors else 0.0,
        "rendered": sum((s.get("crawl") or {}).get("rendered") or 0 for s in snapshots),   # drawn by scripts
        "duration_s": round(duration, 1),
    }


def units_gone_silent(snapshots: list[dict], previous: list[dict]) -> list[dict]:
    """Units of this run that yielded data in the previous complete run and yield nothing now."""
    had_data = {s["unit"]["id"] for s in previous if yielded_data(s)}
    return [s for s in snapshots if s["unit"]["id"] in had_data and not yielded_data(s)]


def alerts(snapshots: list[dict], previous: list[dict], summary: dict, max_error_rate: float) -> list[str]:
    """One plain line per alert (without the `ALERT:` prefix)."""
    lines = []
    if nothing_read(summary):
        why = Counter(s["reachability"].get("error") or "other" for s in snapshots)
        kinds = ", ".join(f"{kind} {n}" for kind, n in why.most_common())
        cause = ("the network, DNS or a proxy is probably down" if summary["units"] >= FAILED_RUN_MIN_UNITS
                 else "the site is down, or the network, DNS or a proxy is")
        lines.append(f"no unit could be read: {summary['units']} of {summary['units']} units gave no answer ({kinds}): "
                     f"{cause}; nothing was audited, the run is not `latest` (exit {exit_codes.NOTHING_READ})")
        return lines             # one line, not one per unit nor an error rate
    if run_failed(snapshots):
        lines.append(f"{len(unfetched_units(snapshots))} of {len(snapshots)} units could not be fetched: the run "
                     "failed as a whole (network down?); it is not made `latest` and its report says so")
        return lines             # one line, not one per silent unit
    for s in units_gone_silent(snapshots, previous):
        unit, reach = s["unit"], s["reachability"]
        why = reach.get("blocked") or reach.get("error") or "no columns, leaders or letters found"
        lines.append(f"{unit['name']} ({unit['id']}) yielded data in the previous run and nothing now: {why}")
    if summary["error_rate"] > max_error_rate:
        lines.append(f"{summary['error_rate']:.0%} of requests failed ({summary['errors']} of "
                     f"{summary['pages'] + summary['errors']}), above the {max_error_rate:.0%} threshold")
    return lines


def previous_snapshots(run_dir: Path) -> list[dict]:
    """The baseline run's snapshots that can be read (a damaged one is no reason to fail now)."""
    previous = runs.previous_baseline_run(run_dir)
    if not previous:
        return []
    snapshots, unreadable = readable_snapshots(previous)
    for line in unreadable:
        logger.warning("previous run: snapshot left out: %s", line)
    return snapshots


def log_summary(summary: dict, found: list[str]) -> None:
    logger.info("run summary: %s", ", ".join(f"{k}={v}" for k, v in summary.items()))
    for line in found:
        logger.error("ALERT: %s", line)


def report_run(run_dir: str | Path, duration: float, max_error_rate: float,
               log: bool = True) -> tuple[dict, list[str]]:
    """Summarize the run folder, log the summary and alerts (unless `log` is false: the caller logs them
    later, as the last lines of its output), store both in run.json."""
    run_dir = Path(run_dir)
    snapshots, _ = readable_snapshots(run_dir)       # (finish_run names the unreadable ones)
    summary = summarize(snapshots, duration)
    found = alerts(snapshots, previous_snapshots(run_dir), summary, max_error_rate)
    if log:
        log_summary(summary, found)
    runs.write_run_info(run_dir, summary=summary, alerts=found)
    return summary, found


class RunMonitor:
    """Scrapy extension: report_run() when the spider closes, and count alerts in the stats.

    It reads the run folder from the spider's `run_dir` attribute, after the
    snapshot pipeline has written every snapshot (pipelines close before
    spider_closed is sent).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_error_rate = crawler.settings.getfloat("DISCLOSURE_ALERT_ERROR_RATE")
        # set by the project's `crawl` command, which logs the summary after Scrapy's stats dump
        self.defer = crawler.settings.getbool("DISCLOSURE_DEFER_SUMMARY")
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("DISCLOSURE_FINISH_RUN"):
            raise NotConfigured("DISCLOSURE_FINISH_RUN is off")
        return cls(crawler)

    def spider_opened(self, spider):
        self.started = time.monotonic()

    def spider_closed(self, spider, reason):
        run_dir = getattr(spider, "run_dir", None)
        if run_dir is None or not Path(run_dir, "snapshots").is_dir():
            return  # the run stopped before any unit was crawled (e.g. a bad config)
        summary, found = report_run(run_dir, time.monotonic() - self.started, self.max_error_rate,
                                    log=not self.defer)
        self.crawler.stats.set_value(ALERT_STAT, len(found))
        self.crawler.stats.set_value(EXIT_STAT, exit_codes.for_run(summary, found))
