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

import json
import os
import socket
from dataclasses import dataclass

import redis

GROUP = "workers"
# A unit whose crawl killed this many workers is given up (a poison unit must not stall the run).
MAX_DELIVERIES = 3


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
        self.redis.xack(self.stream, GROUP, claim.message_id)
        return bool(kept)

    def give_up(self, claim: Claim, reason: str) -> None:
        """Record a unit no worker could finish, and acknowledge it so the run can end."""
        self.redis.hset(given_up_key(self.run_id), claim.unit_id, reason)
        self.redis.xack(self.stream, GROUP, claim.message_id)

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
