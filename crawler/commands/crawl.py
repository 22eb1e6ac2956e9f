"""`scrapy crawl`, exiting with EXIT_ALERT when crawler.monitoring raised an alert.

Scrapy's own crawl command exits 0 whatever the spider found; a nightly job
needs a failing exit code to page someone. This project command (COMMANDS_MODULE
overrides the built-in one of the same name) runs the crawl exactly as Scrapy
does, then reads the monitor's alert count from the crawler's stats.
"""
from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.monitoring import ALERT_STAT, EXIT_ALERT


def reprint_summary(crawler) -> None:
    """The run summary and its ALERT lines again, as the last lines of the output (Scrapy's stats dump
    comes after the monitor's lines otherwise)."""
    import sys
    from crawler import runs
    run_dir = getattr(crawler.spider, "run_dir", None) if crawler.spider else None
    if run_dir is None:
        return
    info = runs.run_info(run_dir)
    if info.get("summary"):
        print("run summary: " + ", ".join(f"{k}={v}" for k, v in info["summary"].items()), file=sys.stderr)
    for line in info.get("alerts") or []:
        print(f"ALERT: {line}", file=sys.stderr)


class Command(ScrapyCrawl):

    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl disclosure`")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        reprint_summary(crawler)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats.get_value(ALERT_STAT):
            self.exitcode = EXIT_ALERT
