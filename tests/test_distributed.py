"""Scale-out on a real redis-server: the unit queue, and workers of which one is killed."""
from __future__ import annotations

import time

import redis

from crawler.distributed import UnitQueue
from tests.redis_server import redis_url  # noqa: F401  (pytest fixture)


def queue(url, run_id, consumer, reclaim_after=60.0):
    return UnitQueue(redis.Redis.from_url(url), run_id, consumer, reclaim_after=reclaim_after)


def test_each_unit_is_taken_by_one_worker(redis_url):
    coordinator = queue(redis_url, "r-take", "coordinator")
    assert coordinator.enqueue(["a", "b", "c"], {"as_of": "2011-09-30"})
    assert not coordinator.enqueue(["a", "b", "c"], {}), "a second enqueue must not duplicate units"
    w1, w2 = queue(redis_url, "r-take", "w1"), queue(redis_url, "r-take", "w2")
    taken = [w1.take(), w2.take(), w1.take()]
    assert sorted(c.unit_id for c in taken) == ["a", "b", "c"]
    assert w2.take() is None


def test_a_dead_workers_unit_is_redelivered_and_kept_once(redis_url):
    coordinator = queue(redis_url, "r-dead", "coordinator")
    coordinator.enqueue(["a"], {})
    dead = queue(redis_url, "r-dead", "dead", reclaim_after=0.2)
    alive = queue(redis_url, "r-dead", "alive", reclaim_after=0.2)
    lost = dead.take()
    assert alive.take() is None, "a unit still being crawled is nobody else's"
    time.sleep(0.3)
    again = alive.take()
    assert again.unit_id == "a" and again.deliveries == 2
    assert alive.complete(again, {"unit": {"id": "a"}, "by": "alive"})
    # the 'dead' worker was only slow: its late snapshot is dropped, not audited twice
    assert not dead.complete(lost, {"unit": {"id": "a"}, "by": "dead"})
    assert coordinator.snapshots() == {"a": {"unit": {"id": "a"}, "by": "alive"}}
    assert coordinator.outstanding() == 0


def test_keep_alive_stops_a_takeover(redis_url):
    queue(redis_url, "r-alive", "coordinator").enqueue(["a"], {})
    slow = queue(redis_url, "r-alive", "slow", reclaim_after=0.5)
    other = queue(redis_url, "r-alive", "other", reclaim_after=0.5)
    claim = slow.take()
    for _ in range(4):
        time.sleep(0.2)
        slow.keep_alive([claim])
        assert other.take() is None


def test_finish_is_claimed_once(redis_url):
    first, second = queue(redis_url, "r-fin", "one"), queue(redis_url, "r-fin", "two")
    assert [first.claim_finish(), second.claim_finish()] == [True, False]
