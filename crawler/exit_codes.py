"""The exit codes of `scrapy crawl disclosure`, `python -m crawler.nightly` and
`python -m crawler.distributed`, and the one function deciding a finished run's (README "Exit codes").

Cron and systemd only see the code: each says what to do next. A run that read nothing at all
(every unit's site gave no answer: the network, DNS or a proxy is down) is told apart from one that
raised an alert about some units, and both from bad input, where nothing was crawled.
"""
from __future__ import annotations

OK = 0
FAILED = 1              # the crawl could not start (Scrapy's bootstrap) or died; a traceback says why
BAD_INPUT = 2           # a bad config, setting, unit name or DISCLOSURE_OUT: nothing was crawled
ALERT = 3               # the run completed and raised an ALERT (a unit gone silent, many failed requests,
                        # most units unreachable); its reports are written
NOTHING_READ = 4        # no unit could be read at all: the network is probably down; reports say so,
                        # the run is neither `latest` nor a baseline
LOCKED = 75             # nightly: another run holds the lock (EX_TEMPFAIL: try again later)


def nothing_read(summary: dict) -> bool:
    """No unit of the run could be read at all: every one's site gave no answer (a blocked site did)."""
    return bool(summary.get("units")) and summary.get("unreachable") == summary.get("units")


def for_run(summary: dict | None, alerts: list[str]) -> int:
    """The exit code of a finished run, from its monitoring summary and ALERT lines (crawler/monitoring.py)."""
    if summary and nothing_read(summary):
        return NOTHING_READ
    return ALERT if alerts else OK
