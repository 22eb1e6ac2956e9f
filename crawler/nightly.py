"""The nightly entry point: one `scrapy crawl disclosure` at a time, resumed if the last one died.

    python -m crawler.nightly [--config config/sites.toml] [--out runs] [--keep-runs 30]
                              [--as-of YYYY-MM-DD] [--units a,b] [-s NAME=VALUE ...]

- A lock (fcntl.flock on DISCLOSURE_OUT/.nightly.lock) keeps two runs from
  overlapping: the second one prints why and exits with EXIT_LOCKED.
- Incremental crawling is on (DISCLOSURE_INCREMENTAL: HTTP cache with
  conditional requests; NightlyCachePolicy keeps published content fresh for
  a few days) and old runs are pruned (DISCLOSURE_KEEP_RUNS).
- A run that dies halfway never moves `latest` (runs.point_latest is only
  called for complete runs); the next start continues that run folder
  (DISCLOSURE_RUN_ID) and crawls only the units that have no snapshot yet.
  After a graceful stop (SIGTERM, Ctrl-C) Scrapy's JOBDIR is resumed request by
  request; after a hard death its job state is stale, so it is dropped with the
  half-crawled units' partial facts, and those units start over.
The crawl's exit code is passed on (crawler/exit_codes.py: 3 for an ALERT of
crawler.monitoring, 4 when no unit could be read at all), so it fails the cron job or
systemd unit.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from scrapy.extensions.throttle import AutoThrottle

from crawler import exit_codes, runs
from crawler.httpcache import RevalidationPolicy
from crawler.pages import CONTENT_KINDS

EXIT_LOCKED = exit_codes.LOCKED       # EX_TEMPFAIL: try again later
# What makes a crawl a nightly one (bench/run.py measures re-crawls with the same).
NIGHTLY_SETTINGS = {
    "DISCLOSURE_INCREMENTAL": "1",
    "HTTPCACHE_POLICY": "crawler.nightly.NightlyCachePolicy",
    "DISCLOSURE_REUSE_UNCHANGED": "1",
}
LOCK_NAME = ".nightly.lock"
JOBDIR_NAME = "jobdir"
# Written into the JOBDIR when the crawl stopped gracefully: its job state can be trusted.
CLEAN_STOP = "stopped-cleanly"


class AlreadyRunning(Exception):
    pass


class NightlyCachePolicy(RevalidationPolicy):
    """RFC 2616 caching, except that published content that opened stays fresh for a few days.

    Revalidating every cached page costs one round trip per page, every night:
    an unchanged re-crawl would still send as many requests as the first one. A
    content page (CONTENT_KINDS) whose cached answer was a 2xx is taken from
    the cache without asking while younger than DISCLOSURE_CONTENT_MAX_AGE_DAYS
    (default 7), so a change to an article, a replaced photo or a link that died
    shows within that many nights; everything else follows RFC 2616 (with the
    spider's `Cache-Control: max-age=0`, a conditional request every night).
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.content_max_age = settings.getfloat("DISCLOSURE_CONTENT_MAX_AGE_DAYS") * 86400

    def is_cached_response_fresh(self, cachedresponse, request) -> bool:
        if (request.meta.get("handler") in CONTENT_KINDS and 200 <= cachedresponse.status < 300
                and self._compute_current_age(cachedresponse, request, time.time()) < self.content_max_age):
            return True
        return super().is_cached_response_fresh(cachedresponse, request)


class RevalidationAwareAutoThrottle(AutoThrottle):
    """AutoThrottle that lets a `304 Not Modified` lower the delay, as a 200 does.

    Scrapy's AutoThrottle only ever lowers a site's delay on a 200; in an
    incremental re-crawl nearly every answer is a 304 (the HTTP cache revalidates),
    so the delay stayed at AUTOTHROTTLE_START_DELAY for the whole night: an
    unchanged re-crawl measured 20x slower than the first crawl (bench/results.md).
    """

    def _adjust_delay(self, slot, latency, response):
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


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


def prepare_resume(run_dir: Path) -> None:
    """Keep the JOBDIR of a graceful stop; drop the job state and partial facts a hard death left."""
    marker = run_dir / JOBDIR_NAME / CLEAN_STOP
    if marker.exists():
        marker.unlink()
        return
    shutil.rmtree(run_dir / JOBDIR_NAME, ignore_errors=True)
    shutil.rmtree(run_dir / "partial", ignore_errors=True)


def crawl_command(args: argparse.Namespace, run_id: str, resumed: bool) -> list[str]:
    """The `scrapy crawl disclosure` command line of tonight's run."""
    run_dir = args.out / run_id
    settings = {
        "DISCLOSURE_CONFIG": args.config,
        "DISCLOSURE_OUT": str(args.out),
        "DISCLOSURE_RUN_ID": run_id,
        "JOBDIR": str(run_dir / JOBDIR_NAME),
        **NIGHTLY_SETTINGS,
        "DISCLOSURE_KEEP_RUNS": str(args.keep_runs),
    }
    # A resumed run is judged as of the date it started with, so its findings stay coherent.
    as_of = args.as_of or (resumed and runs.run_info(run_dir).get("as_of"))
    if as_of:
        settings["DISCLOSURE_AS_OF"] = as_of
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    for extra in args.setting:
        command += ["-s", extra]
    if args.units:
        command += ["-a", f"units={args.units}"]
    return command


def run_crawl(command: list[str]) -> int:
    """Run the crawl; a SIGTERM or Ctrl-C to this process is passed on, so Scrapy can stop gracefully."""
    child = subprocess.Popen(command)
    def forward(signum, _frame):
        child.send_signal(signum)
    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def note_clean_stop(run_dir: Path, exit_code: int) -> None:
    """An incomplete run whose crawl exited by itself (not killed) stopped gracefully."""
    jobdir = run_dir / JOBDIR_NAME
    if exit_code >= 0 and jobdir.is_dir() and not runs.is_complete(run_dir):
        (jobdir / CLEAN_STOP).touch()


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
                prepare_resume(resumed)
            run_id = resumed.name if resumed is not None else runs.new_run_id()
            exit_code = run_crawl(crawl_command(args, run_id, resumed is not None))
            note_clean_stop(args.out / run_id, exit_code)
            drop_finished_jobdirs(args.out)
            return exit_code
    except AlreadyRunning as exc:
        print(f"nightly: {exc}", file=sys.stderr)
        return EXIT_LOCKED


if __name__ == "__main__":
    sys.exit(main())
