"""The nightly entry point: one `scrapy crawl disclosure` at a time, resumed if the last one died.

    python -m crawler.nightly [--config config/sites.toml] [--out runs] [--keep-runs 30]
                              [--as-of YYYY-MM-DD] [--units a,b] [-s NAME=VALUE ...]

- A lock (fcntl.flock on DISCLOSURE_OUT/.nightly.lock) keeps two runs from
  overlapping: the second one prints why and exits with EXIT_LOCKED.
- Incremental crawling is on (DISCLOSURE_INCREMENTAL: HTTP cache with
  conditional requests) and old runs are pruned (DISCLOSURE_KEEP_RUNS).
- A run that dies halfway never moves `latest` (runs.point_latest is only
  called for complete runs); the next start continues that run folder
  (DISCLOSURE_RUN_ID) with the Scrapy job state kept in its JOBDIR, and crawls
  only the units that have no snapshot yet.
The crawl's exit code is passed on, so an ALERT of crawler.monitoring fails the
cron job or systemd unit.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from crawler import runs

EXIT_LOCKED = 75          # EX_TEMPFAIL: try again later
LOCK_NAME = ".nightly.lock"
JOBDIR_NAME = "jobdir"


class AlreadyRunning(Exception):
    pass


@contextmanager
def run_lock(out_dir: Path):
    """Hold an exclusive lock on out_dir for the duration; AlreadyRunning if another process has it.

    flock is released by the kernel when the holder dies, so a crashed run never
    leaves a stale lock behind.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            raise AlreadyRunning(f"another run is in progress in {out_dir} "
                                 f"(lock {path} held by pid {holder}); not starting a second one") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()


def unfinished_run(out_dir: Path) -> Path | None:
    """The newest run folder that started after the newest complete run and never completed."""
    if not out_dir.is_dir():
        return None
    complete = runs.complete_runs(out_dir)
    newest_complete = complete[-1].name if complete else ""
    candidates = [p for p in out_dir.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
                  and p.name > newest_complete and not runs.is_complete(p)]
    return max(candidates, key=lambda p: p.name, default=None)


def crawl_command(args: argparse.Namespace, resumed: Path | None) -> list[str]:
    """The `scrapy crawl disclosure` command line of tonight's run."""
    settings = {
        "DISCLOSURE_CONFIG": args.config,
        "DISCLOSURE_OUT": str(args.out),
        "DISCLOSURE_INCREMENTAL": "1",
        "DISCLOSURE_KEEP_RUNS": str(args.keep_runs),
        "DISCLOSURE_NIGHTLY": "1",
    }
    if args.as_of:
        settings["DISCLOSURE_AS_OF"] = args.as_of
    if resumed is not None:
        settings["DISCLOSURE_RUN_ID"] = resumed.name
        settings["JOBDIR"] = str(resumed / JOBDIR_NAME)
        # The resumed run is judged as of the date it started with, so its findings stay coherent.
        as_of = runs.run_info(resumed).get("as_of")
        if as_of and not args.as_of:
            settings["DISCLOSURE_AS_OF"] = as_of
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    for extra in args.setting:
        command += ["-s", extra]
    if args.units:
        command += ["-a", f"units={args.units}"]
    return command


def drop_finished_jobdirs(out_dir: Path) -> None:
    """JOBDIR is only needed to resume; a complete run does not keep it."""
    for run_dir in runs.complete_runs(out_dir):
        shutil.rmtree(run_dir / JOBDIR_NAME, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.nightly", description=__doc__.split("\n")[0])
    parser.add_argument("--config", default="config/sites.toml")
    parser.add_argument("--out", type=Path, default=Path("runs"))
    parser.add_argument("--keep-runs", type=int, default=30, help="complete runs to keep (default 30)")
    parser.add_argument("--as-of", help="judge recency as of this date (default: today in Asia/Shanghai)")
    parser.add_argument("--units", help="comma-separated unit ids or names (default: every unit)")
    parser.add_argument("-s", "--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="any other Scrapy setting, passed on")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with run_lock(args.out):
            resumed = unfinished_run(args.out)
            if resumed is not None:
                print(f"resuming the unfinished run {resumed}", flush=True)
            exit_code = subprocess.call(crawl_command(args, resumed))
            drop_finished_jobdirs(args.out)
            return exit_code
    except AlreadyRunning as exc:
        print(f"nightly: {exc}", file=sys.stderr)
        return EXIT_LOCKED


if __name__ == "__main__":
    sys.exit(main())
