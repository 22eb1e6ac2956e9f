"""`scrapy crawl`, exiting with the run's code (crawler/exit_codes.py): 3 when crawler.monitoring
raised an alert, 4 when no unit could be read at all.

Scrapy's own crawl command exits 0 whatever the spider found; a nightly job
needs a failing exit code to page someone. This project command (COMMANDS_MODULE
overrides the built-in one of the same name) runs the crawl exactly as Scrapy
does, then reads the code the monitor decided from the crawler's stats.
"""
from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler import exit_codes
from crawler.monitoring import EXIT_STAT


def log_summary_last(crawler) -> None:
    """The run summary and its ALERT lines as the last lines of the output: the monitor defers them
    (DISCLOSURE_DEFER_SUMMARY), since Scrapy's stats dump would come after them otherwise."""
    from crawler import runs
    from crawler.monitoring import log_summary
    run_dir = getattr(crawler.spider, "run_dir", None) if crawler.spider else None
    info = runs.run_info(run_dir) if run_dir is not None else {}
    if info.get("summary"):
        log_summary(info["summary"], info.get("alerts") or [])


class Command(ScrapyCrawl):

    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl disclosure`")
        self.settings.set("DISCLOSURE_DEFER_SUMMARY", True, priority="cmdline")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        log_summary_last(crawler)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exit_codes.FAILED
        else:
            self.exitcode = crawler.stats.get_value(EXIT_STAT) or exit_codes.OK
