"""`scrapy audit RUN_DIR`: redo a run's audits and reports from its stored snapshots.

No request is made. The settings are the crawl's (`-s DISCLOSURE_CONFIG=...`,
`-s DISCLOSURE_AS_OF=...`); the config and the date default to the ones the run
recorded, so redoing a run gives the same findings whenever it is done.
"""
from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler import exit_codes
from crawler.config import check_settings, exit_on_config_error
from crawler.runs import run_info
from reports.run import OUTPUTS, as_date, finish_run

EXIT_NOT_A_RUN = exit_codes.BAD_INPUT


def not_a_run_reason(run_dir: Path) -> str | None:
    """Why `run_dir` cannot be audited again, or None when it can."""
    if not run_dir.exists():
        return "no such folder"
    if not run_dir.is_dir():
        return "not a folder"
    if not any(run_dir.joinpath("snapshots").glob("*.json")):
        return "not a run folder (no snapshots/*.json in it)"
    return None


class Command(ScrapyCommand):
    name = "audit"                  # for messages; `scrapy report` is the same command
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "RUN_DIR"

    def short_desc(self) -> str:
        return "Redo a run's audits and reports from its snapshots, without crawling"

    def _fail(self, message: str) -> None:
        print(f"scrapy {self.name}: {message}", file=sys.stderr)
        self.exitcode = EXIT_NOT_A_RUN

    def _config_path(self, run_dir: Path) -> str:
        """-s DISCLOSURE_CONFIG if given, else the config the run recorded, else the project default."""
        given = self.settings.getpriority("DISCLOSURE_CONFIG") >= SETTINGS_PRIORITIES["cmdline"]
        recorded = run_info(run_dir).get("config")
        if not given and recorded and Path(recorded).is_file():
            return recorded
        return self.settings.get("DISCLOSURE_CONFIG")

    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError(f"give exactly one run folder, e.g. `scrapy {self.name} runs/latest`")
        check_settings(self.settings)
        run_dir = Path(args[0])
        reason = not_a_run_reason(run_dir)
        if reason:
            return self._fail(f"{run_dir}: {reason}")
        run_dir = run_dir.resolve()    # `runs/latest` names the run it points at
        config = exit_on_config_error(self._config_path(run_dir))
        as_of = self.settings.get("DISCLOSURE_AS_OF") or run_info(run_dir).get("as_of")
        if not as_of:
            return self._fail(f"{run_dir}: run.json records no as-of date; "
                              "give one with -s DISCLOSURE_AS_OF=YYYY-mm-dd")
        try:
            as_of = as_date(as_of)
        except ValueError:
            return self._fail(f"DISCLOSURE_AS_OF {as_of!r} is not a date (YYYY-mm-dd)")
        findings = finish_run(run_dir, config, as_of, self.settings)
        print(f"{len(findings)} findings as of {as_of}; outputs in {run_dir}/: {', '.join(OUTPUTS)}")
        for line in run_info(run_dir).get("unreadable_snapshots") or []:
            self._fail(f"ALERT: snapshot skipped: {line}")
