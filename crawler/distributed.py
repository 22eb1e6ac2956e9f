"""Scale-out: a run's units on a Redis Stream, crawled by any number of worker processes.

The engine is Redis's own: a Stream with a consumer group. Each unit is one
message; a worker reads it with XREADGROUP, crawls the whole unit, uploads the
unit's snapshot into a Redis hash and only then XACKs. While it crawls it
re-claims its own messages every few seconds (a heartbeat); a worker that dies
stops doing so, and after `reclaim_after` seconds another worker takes the
unit over with XAUTOCLAIM. So no unit is lost. Snapshots are keyed by unit id
(HSETNX: the first complete one wins) and the finish step runs once (SET NX),
so no unit is audited twice. Why not scrapy-redis: see README "Scale-out".

Snapshots travel through Redis, so workers on other machines need no shared
folder: `finish` writes them into the run folder and audits them once.

    python -m crawler.distributed enqueue --redis URL [--run-id ID] [--units a,b]
    python -m crawler.distributed worker  --redis URL --run-id ID   (any number, any machine)
    python -m crawler.distributed finish  --redis URL --run-id ID   (waits, then audits once)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import redis
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from twisted.internet import task

from crawler import exit_codes, monitoring, runs
from crawler.config import check_settings, exit_on_config_error
from crawler.pipelines import unit_finished
from crawler.snapshot import write_snapshot
from crawler.run_setup import as_of_date, select_units
from crawler.spiders.disclosure import DisclosureSpider

logger = logging.getLogger(__name__)

GROUP = "workers"
# A unit whose crawl killed this many workers is given up (a poison unit must not stall the run).
MAX_DELIVERIES = 3
POLL_SECONDS = 0.5


def stream_key(run_id: str) -> str:
    return f"disclosure:{run_id}:units"


def meta_key(run_id: str) -> str:
    return f"disclosure:{run_id}:meta"


def snapshots_key(run_id: str) -> str:
    return f"disclosure:{run_id}:snapshots"


def given_up_key(run_id: str) -> str:
    return f"disclosure:{run_id}:given_up"


def finished_key(run_id: str) -> str:
    return f"disclosure:{run_id}:finished"


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass(frozen=True)
class Claim:
    """One unit taken by a worker: the stream message id and the unit id."""
    message_id: str
    unit_id: str
    deliveries: int = 1


class UnitQueue:
    """The units of one run, shared by the coordinator, the workers and the finish step."""

    def __init__(self, client: redis.Redis, run_id: str, consumer: str | None = None,
                 reclaim_after: float = 60.0):
        self.redis = client
        self.run_id = run_id
        self.consumer = consumer or consumer_name()
        self.reclaim_after_ms = int(reclaim_after * 1000)
        self.stream = stream_key(run_id)

    # --- coordinator -------------------------------------------------------------

    def enqueue(self, unit_ids: list[str], meta: dict) -> bool:
        """Put the run's units on the stream once; False when the run was already enqueued."""
        if not self.redis.hsetnx(meta_key(self.run_id), "meta", json.dumps(meta, ensure_ascii=False)):
            return False
        self.redis.hset(meta_key(self.run_id), "units", json.dumps(unit_ids, ensure_ascii=False))
        self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        with self.redis.pipeline() as pipe:
            for unit_id in unit_ids:
                pipe.xadd(self.stream, {"unit": unit_id})
            pipe.execute()
        return True

    def meta(self) -> dict:
        raw = self.redis.hget(meta_key(self.run_id), "meta")
        if raw is None:
            raise LookupError(f"run {self.run_id} is not on this Redis (enqueue it first)")
        return json.loads(raw)

    def unit_ids(self) -> list[str]:
        return json.loads(self.redis.hget(meta_key(self.run_id), "units") or "[]")

    # --- workers ---------------------------------------------------------------

    def take(self, block_ms: int = 0) -> Claim | None:
        """The next unit: one a dead worker left behind first, else a new one; None when none is free."""
        claim = self._reclaim_stale()
        if claim is not None:
            return claim
        answer = self.redis.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=1,
                                       block=block_ms or None)
        for _stream, messages in answer or []:
            for message_id, fields in messages:
                return Claim(_text(message_id), _text(fields[b"unit"]))
        return None

    def _reclaim_stale(self) -> Claim | None:
        _next, messages, _deleted = self.redis.xautoclaim(
            self.stream, GROUP, self.consumer, self.reclaim_after_ms, start_id="0-0", count=1)
        for message_id, fields in messages:
            message_id = _text(message_id)
            return Claim(message_id, _text(fields[b"unit"]), self._deliveries(message_id))
        return None

    def _deliveries(self, message_id: str) -> int:
        pending = self.redis.xpending_range(self.stream, GROUP, message_id, message_id, 1)
        return pending[0]["times_delivered"] if pending else 1

    def keep_alive(self, claims: list[Claim]) -> None:
        """Heartbeat: re-claiming our own messages resets their idle time, so nobody takes them over."""
        if claims:
            self.redis.xclaim(self.stream, GROUP, self.consumer, 0,
                              [c.message_id for c in claims], justid=True)

    def complete(self, claim: Claim, snapshot: dict) -> bool:
        """Store the unit's snapshot (first one wins), then acknowledge; True if this one was kept."""
        kept = self.redis.hsetnx(snapshots_key(self.run_id), claim.unit_id,
                                 json.dumps(snapshot, ensure_ascii=False))
        self.acknowledge(claim)
        return bool(kept)

    def acknowledge(self, claim: Claim) -> None:
        self.redis.xack(self.stream, GROUP, claim.message_id)

    def give_up(self, claim: Claim, reason: str) -> None:
        """Record a unit no worker could finish, and acknowledge it so the run can end."""
        self.redis.hset(given_up_key(self.run_id), claim.unit_id, reason)
        self.acknowledge(claim)

    def has_snapshot(self, unit_id: str) -> bool:
        return bool(self.redis.hexists(snapshots_key(self.run_id), unit_id))

    # --- progress and finish ---------------------------------------------------

    def outstanding(self) -> int:
        """Units neither stored nor given up yet."""
        settled = self.redis.hlen(snapshots_key(self.run_id)) + self.redis.hlen(given_up_key(self.run_id))
        return len(self.unit_ids()) - settled

    def snapshots(self) -> dict[str, dict]:
        return {_text(k): json.loads(v) for k, v in self.redis.hgetall(snapshots_key(self.run_id)).items()}

    def given_up(self) -> dict[str, str]:
        return {_text(k): _text(v) for k, v in self.redis.hgetall(given_up_key(self.run_id)).items()}

    def claim_finish(self) -> bool:
        """True for exactly one caller: the one that audits the run."""
        return bool(self.redis.set(finished_key(self.run_id), self.consumer, nx=True))


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# --- the worker: the disclosure spider fed from the queue ----------------------------------

class QueueFedSpider(DisclosureSpider):
    """The disclosure spider, taking its units from the run's queue instead of the config's list.

    start() stays alive until every unit of the run is settled (by this worker or
    another), so a unit abandoned by a dead worker late in the run is still picked
    up. Each unit's snapshot goes to Redis the moment the snapshot pipeline has
    written it (signal `unit_finished`), then the message is acknowledged.
    """

    def configure(self, settings) -> None:
        super().configure(settings)
        self.queue = UnitQueue(redis.Redis.from_url(settings.get("DISCLOSURE_REDIS_URL")),
                               settings.get("DISCLOSURE_RUN_ID"),
                               reclaim_after=settings.getfloat("DISCLOSURE_RECLAIM_AFTER"))
        self.units_at_once = settings.getint("DISCLOSURE_WORKER_UNITS")
        self.claims: dict[str, Claim] = {}
        self.crawled: list[dict] = []           # this worker's snapshots: did it read anything at all?

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.store_snapshot, signal=unit_finished)
        return spider

    async def start(self):
        self.open_run()
        # The heartbeat runs on its own clock: start() is not iterated while the downloader is full.
        self.heartbeat = task.LoopingCall(self.keep_alive)
        self.heartbeat.start(self.queue.reclaim_after_ms / 3000, now=False)
        while True:
            claim = self.queue.take() if len(self.claims) < self.units_at_once else None
            if claim is not None:
                unit = self.accept(claim)
                if unit is not None:
                    for item in self.start_unit(unit):
                        yield item
                continue
            if not self.claims and self.queue.outstanding() <= 0:
                self.heartbeat.stop()
                return
            for fact in self.settle_lost_units():
                yield fact
            await asyncio.sleep(POLL_SECONDS)

    def accept(self, claim: Claim):
        """The unit to crawl for a claim, or None when it is settled already or given up."""
        if self.queue.has_snapshot(claim.unit_id):       # a worker stored it, then died before acking
            self.queue.acknowledge(claim)
            return None
        if claim.deliveries > MAX_DELIVERIES:
            logger.error("unit %s: given up after %d workers died crawling it", claim.unit_id, MAX_DELIVERIES)
            self.queue.give_up(claim, f"{MAX_DELIVERIES} workers died crawling it")
            return None
        self.claims[claim.unit_id] = claim
        logger.info("unit %s taken (delivery %d)", claim.unit_id, claim.deliveries)
        return self.config.unit(claim.unit_id)

    def keep_alive(self) -> None:
        self.queue.keep_alive(list(self.claims.values()))

    def store_snapshot(self, unit_id: str, snapshot: dict) -> None:
        self.crawled.append(snapshot)
        claim = self.claims.pop(unit_id, None)
        if claim is not None and not self.queue.complete(claim, snapshot):
            logger.warning("unit %s: another worker stored it first; this crawl is dropped", unit_id)


def worker_settings(queue: UnitQueue, redis_url: str, scratch: Path, overrides: list[str]):
    """The project's settings for a worker: the run's config and date, no reports (finish does them)."""
    meta = queue.meta()
    settings = get_project_settings()
    settings.setdict({
        "DISCLOSURE_CONFIG": meta["config"], "DISCLOSURE_AS_OF": meta["as_of"],
        "DISCLOSURE_RUN_ID": queue.run_id, "DISCLOSURE_OUT": str(scratch),
        "DISCLOSURE_REDIS_URL": redis_url, "DISCLOSURE_FINISH_RUN": False,
    }, priority="cmdline")
    settings.setdict(dict(o.split("=", 1) for o in overrides), priority="cmdline")
    return settings


def run_worker(redis_url: str, run_id: str, scratch_root: Path, overrides: list[str]) -> int:
    queue = UnitQueue(redis.Redis.from_url(redis_url), run_id)
    scratch = scratch_root / queue.consumer        # partial facts of this worker only
    process = CrawlerProcess(worker_settings(queue, redis_url, scratch, overrides))
    crawler = process.create_crawler(QueueFedSpider)
    process.crawl(crawler)
    process.start()
    shutil.rmtree(scratch, ignore_errors=True)     # every snapshot it made is in Redis now
    if process.bootstrap_failed:
        return exit_codes.FAILED
    crawled = getattr(crawler.spider, "crawled", [])
    summary = {"units": len(crawled), "unreachable": len(monitoring.unfetched_units(crawled))}
    if exit_codes.nothing_read(summary):           # its machine's network is down, most likely
        line = (f"worker {queue.consumer}: none of the {len(crawled)} units it crawled could be read: "
                "its network, DNS or proxy is probably down")
        logger.error("ALERT: %s", line)          # (Scrapy's log handler, to stderr, is still in place)
    return exit_codes.for_run(summary, [])


# --- coordinator and finish ----------------------------------------------------------------

def enqueue(redis_url: str, config_path: str, as_of: str | None, units_arg: str, run_id: str | None) -> str:
    """Put a run's units on the queue; the run id to give the workers and the finish step."""
    config = exit_on_config_error(config_path)
    units = select_units(config, units_arg)
    run_id = run_id or runs.new_run_id()
    meta = {"config": str(Path(config_path).resolve()), "as_of": as_of_date(as_of).isoformat(),
            "enqueued": time.time()}
    if not UnitQueue(redis.Redis.from_url(redis_url), run_id).enqueue([u.id for u in units], meta):
        print(f"run {run_id} was already enqueued; its units are not added twice", file=sys.stderr)
    return run_id


def wait_until_settled(queue: UnitQueue, timeout: float | None) -> bool:
    deadline = None if timeout is None else time.monotonic() + timeout
    while queue.outstanding() > 0:
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def finish(redis_url: str, run_id: str, out_dir: Path, settings, timeout: float | None = None) -> int:
    """Wait for every unit, then (once, whoever calls) write the snapshots into the run folder and audit."""
    queue = UnitQueue(redis.Redis.from_url(redis_url), run_id)
    meta = queue.meta()
    if not wait_until_settled(queue, timeout):
        print(f"run {run_id}: {queue.outstanding()} unit(s) still outstanding after {timeout} s", file=sys.stderr)
        return 1
    if not queue.claim_finish():
        print(f"run {run_id} is finished by another process already", file=sys.stderr)
        return 0
    run_dir = out_dir / run_id
    for unit_id, snapshot in queue.snapshots().items():
        write_snapshot(run_dir / "snapshots" / f"{unit_id}.json", snapshot)
    given_up = queue.given_up()
    runs.write_run_info(run_dir, run_id=run_id, as_of=meta["as_of"], config=meta["config"],
                        units=queue.unit_ids(), distributed={"given_up": given_up})
    from reports import finish_run      # the reports package imports the audits: only the finisher needs them
    config = exit_on_config_error(meta["config"])
    from crawler.evidence import take_screenshots
    finish_run(run_dir, config, meta["as_of"], settings,
               gather_evidence=lambda run_dir, findings: take_screenshots(run_dir, findings, config, settings))
    summary, alerts = monitoring.report_run(
        run_dir, time.time() - meta["enqueued"],
        settings.getfloat("DISCLOSURE_ALERT_ERROR_RATE"))
    for unit_id, reason in given_up.items():
        logger.error("ALERT: unit %s has no snapshot: %s", unit_id, reason)
        print(f"ALERT: unit {unit_id} has no snapshot: {reason}", file=sys.stderr)
        alerts = [*alerts, f"unit {unit_id} has no snapshot: {reason}"]
    return exit_codes.for_run(summary, alerts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.distributed",
                                     description="Scale-out of `scrapy crawl disclosure` over a Redis Stream.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("enqueue", "worker", "finish"):
        command = commands.add_parser(name)
        command.add_argument("--redis", required=True, help="redis://host:port/db")
        command.add_argument("--run-id", required=name != "enqueue")
        command.add_argument("--out", type=Path, default=Path("runs"), help="DISCLOSURE_OUT (default runs)")
        command.add_argument("-s", "--setting", action="append", default=[], metavar="NAME=VALUE")
        if name == "enqueue":
            command.add_argument("--config", default="config/sites.toml")
            command.add_argument("--as-of")
            command.add_argument("--units", default="")
        if name == "finish":
            command.add_argument("--timeout", type=float, help="give up waiting after this many seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = get_project_settings()
    settings.setdict(dict(s.split("=", 1) for s in args.setting), priority="cmdline")
    check_settings(settings)                    # every command refuses a malformed DISCLOSURE_* value
    try:
        if args.command == "enqueue":
            print(enqueue(args.redis, args.config, args.as_of, args.units, args.run_id))
            return 0
        if args.command == "worker":
            return run_worker(args.redis, args.run_id, args.out / ".workers", args.setting)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
        return finish(args.redis, args.run_id, args.out, settings, args.timeout)
    except redis.ConnectionError as exc:
        print(f"cannot reach Redis at {args.redis}: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except LookupError as exc:
        print(str(exc), file=sys.stderr)
        return exit_codes.BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
