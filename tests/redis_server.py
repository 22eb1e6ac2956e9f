"""A real redis-server for the tests: started on a free loopback port in a tmp dir, stopped after.

Used by tests/test_distributed.py and tests/test_nightly.py through the
`redis_url` fixture below (import it into the test module).
"""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis

from tests.conftest import free_port


def start_redis(workdir) -> tuple[subprocess.Popen, str]:
    """Start redis-server without persistence; return the process and its URL once it answers PING."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run `make system-deps` (scripts/install-system-deps.sh)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            return proc, url
        except redis.ConnectionError:
            if proc.poll() is not None:
                pytest.fail(f"redis-server exited with {proc.returncode}")
            time.sleep(0.05)
    proc.kill()
    pytest.fail("redis-server did not answer PING")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    proc, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)
