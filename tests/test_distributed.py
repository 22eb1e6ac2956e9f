"""Scale-out on a real redis-server: the unit queue, and workers of which one is killed."""
from __future__ import annotations

import csv
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from crawler import runs
from crawler.distributed import GROUP, MAX_DELIVERIES, UnitQueue, stream_key
from tests.conftest import free_port
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


def test_a_unit_that_keeps_killing_workers_can_be_given_up(redis_url):
    queue(redis_url, "r-poison", "coordinator").enqueue(["poison"], {})
    deliveries = []
    for attempt in range(MAX_DELIVERIES + 1):       # each worker dies holding the unit
        worker = queue(redis_url, "r-poison", f"w{attempt}", reclaim_after=0.05)
        time.sleep(0.1)
        claim = worker.take()
        deliveries.append(claim.deliveries)
    assert deliveries == list(range(1, MAX_DELIVERIES + 2))
    worker.give_up(claim, "killed its workers")
    assert worker.outstanding() == 0 and worker.given_up() == {"poison": "killed its workers"}
    time.sleep(0.1)
    assert worker.take() is None


def test_finish_is_claimed_once(redis_url):
    first, second = queue(redis_url, "r-fin", "one"), queue(redis_url, "r-fin", "two")
    assert [first.claim_finish(), second.claim_finish()] == [True, False]


# --- why not scrapy-redis: verified against the Scrapy we pin -----------------------

SCRAPY_REDIS_PROBE = """
import json, sys, threading, http.server
import redis
from scrapy.crawler import CrawlerProcess
from scrapy_redis.spiders import RedisSpider

url, key = sys.argv[1], "probe:start_urls"
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = redis.Redis.from_url(url)
client.lpush(key, json.dumps({"url": f"http://127.0.0.1:{server.server_port}/unit"}))
seen = {"start_requests_called": False, "left_in_redis_while_crawling": None}

class Probe(RedisSpider):
    name = "probe"
    def start_requests(self):
        seen["start_requests_called"] = True
        return super().start_requests()
    def parse(self, response):
        seen["left_in_redis_while_crawling"] = client.llen(key)

process = CrawlerProcess({"REDIS_URL": url, "MAX_IDLE_TIME_BEFORE_CLOSE": 1, "LOG_LEVEL": "ERROR"})
process.crawl(Probe)
process.start()
print(json.dumps(seen))
"""


def test_scrapy_redis_on_our_scrapy_neither_starts_nor_keeps_work_for_redelivery(redis_url):
    """The facts behind choosing Redis Streams (README "Scale-out").

    Scrapy >= 2.13 never calls start_requests(), which RedisMixin relies on (it only
    gets work from its idle-signal fallback), and the URL leaves Redis when it is
    read, before it is crawled: a worker killed then loses it for good.
    """
    answer = subprocess.run([sys.executable, "-c", SCRAPY_REDIS_PROBE, redis_url],
                            capture_output=True, text=True, timeout=60)
    assert answer.returncode == 0, answer.stderr
    seen = json.loads(answer.stdout.strip().splitlines()[-1])
    assert seen == {"start_requests_called": False, "left_in_redis_while_crawling": 0}


# --- workers crawling the sandbox, one of them killed ---------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def calm_units(manifest: dict, count: int) -> list[str]:
    """Units whose sites behave (hostile ones are tests/test_resilience.py's business)."""
    return [u["id"] for u in manifest["units"] if not u["hostile"]][:count]


def distributed(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.distributed", *args], cwd=ROOT, **popen)


def pending_of(client: redis.Redis, run_id: str, consumer: str) -> int:
    return client.xpending_range(stream_key(run_id), GROUP, "-", "+", 100, consumername=consumer).__len__()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.timeout(240)
def test_a_worker_killed_mid_unit_loses_nothing_and_audits_nothing_twice(sandbox_web, redis_url, tmp_path):
    units = calm_units(sandbox_web.manifest, 6)
    enqueue = subprocess.run(
        [sys.executable, "-m", "crawler.distributed", "enqueue", "--redis", redis_url, "--config",
         str(sandbox_web.config_path), "--as-of", "2011-09-30", "--units", ",".join(units)],
        cwd=ROOT, capture_output=True, text=True, check=True)
    run_id = enqueue.stdout.strip()
    out = tmp_path / "runs"
    worker_args = ["worker", "--redis", redis_url, "--run-id", run_id, "--out", str(out),
                   "-s", "DISCLOSURE_WORKER_UNITS=1", "-s", "DISCLOSURE_RECLAIM_AFTER=2"]
    logs = [open(tmp_path / f"worker{i}.log", "w", encoding="utf-8") for i in range(2)]
    victim, survivor = (distributed(*worker_args, stdout=log, stderr=subprocess.STDOUT) for log in logs)
    client = redis.Redis.from_url(redis_url)
    try:
        victim_name = f"{socket.gethostname()}-{victim.pid}"
        wait_for(lambda: pending_of(client, run_id, victim_name) > 0, 60, "the victim to take a unit")
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert survivor.wait(timeout=180) == 0
    finally:
        for proc in (victim, survivor):
            proc.kill()
        for log in logs:
            log.close()
    taken_again = (tmp_path / "worker1.log").read_text(encoding="utf-8")
    assert "(delivery 2)" in taken_again, "the killed worker's unit must be taken over"

    finish = distributed("finish", "--redis", redis_url, "--run-id", run_id, "--out", str(out),
                         "--timeout", "60", stderr=subprocess.PIPE, text=True)
    assert finish.wait(timeout=120) == 0, finish.stderr.read()
    run_dir = out / run_id
    assert sorted(p.stem for p in (run_dir / "snapshots").glob("*.json")) == sorted(units)
    info = runs.run_info(run_dir)
    assert info["complete"] and info["counts"]["units"] == len(units)
    assert info["summary"]["units"] == len(units) and info["distributed"]["given_up"] == {}
    # six units of the config: a limited run, complete but never `latest` (CONTRACT.md)
    assert info["limited"] and not info["baseline"] and not (out / "latest").exists()
    with open(run_dir / "findings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["unit_id"] for r in rows} <= set(units)
    assert len(rows) == len({tuple(r.values()) for r in rows}), "a unit audited twice repeats its findings"

    again = distributed("finish", "--redis", redis_url, "--run-id", run_id, "--out", str(out),
                        stderr=subprocess.PIPE, text=True)
    assert again.wait(timeout=60) == 0 and "finished by another process" in again.stderr.read()
    assert runs.run_info(run_dir)["finished"] == info["finished"], "the run is audited once"


def test_no_redis_is_one_clear_message(tmp_path):
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    answer = subprocess.run([sys.executable, "-m", "crawler.distributed", "worker", "--redis", nobody,
                             "--run-id", "20110930-020000", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 2 and "Traceback" not in answer.stderr
    assert f"cannot reach Redis at {nobody}" in answer.stderr


def test_an_unknown_run_is_one_clear_message(redis_url, tmp_path):
    answer = subprocess.run([sys.executable, "-m", "crawler.distributed", "finish", "--redis", redis_url,
                             "--run-id", "19990101-000000", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert answer.returncode == 2 and "Traceback" not in answer.stderr
    assert "run 19990101-000000 is not on this Redis" in answer.stderr
