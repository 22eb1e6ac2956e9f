"""Shared fixtures.

`sandbox_web` (session-scoped): the simulated county web served for real by
`python -m sandbox serve` in a subprocess on a free port, e.g.

    def test_spider_finds_leaders(sandbox_web):
        config = load_config(sandbox_web.config_path)       # a sites.toml pointing at it
        truth = sandbox_web.manifest                         # its ground truth (dict)
        home = sandbox_web.url("hbjs", "/")                  # a URL on one of its sites
        with sandbox_web.revision(1):                        # serve the changed web meanwhile
            ...
"""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 120


def free_port() -> int:
    """A port free on the loopback (the sandbox's addresses share it: 127.0.0.0/8 is one interface)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SandboxWeb:
    port: int
    config_path: Path            # a sites.toml for this port (load it with crawler.config.load_config)
    manifest_path: Path
    log_path: Path               # the server's output
    process: subprocess.Popen

    @property
    def manifest(self) -> dict:
        """The ground truth of the revision being served."""
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    @property
    def ca_path(self) -> Path:
        """The certificate (PEM) of the CA that issued the HTTPS sites' certificates (sandbox/tls.py)."""
        return self.manifest_path.with_name("sandbox-ca.pem")

    @cached_property
    def web(self):
        """The generated model (sandbox.model.Web) of revision 0, for tests that need more than the manifest."""
        from sandbox.generator import generate
        return generate(port=self.port)

    def url(self, site_id: str, path: str = "/") -> str:
        return self.web.site(site_id).origin + path

    @contextmanager
    def revision(self, number: int):
        """Serve revision `number` inside the block, revision 0 again after it."""
        self.switch(number)
        try:
            yield
        finally:
            self.switch(0)

    def switch(self, number: int) -> None:
        portal = self.web.site(self.web.unit(self.web.portal_unit).site)
        request = urllib.request.Request(f"{portal.origin}/__sandbox__/revision", data=f"n={number}".encode(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["revision"] == number


def start_sandbox(workdir: Path, *options: str, attempts: int = 3) -> SandboxWeb:
    """Start `python -m sandbox serve` on a free port and wait for its ready line.

    A port free on 127.0.0.1 may be taken on one of the sandbox's other addresses
    (another sandbox on this machine): then it tries another port.
    """
    for attempt in range(attempts):
        try:
            return start_sandbox_on(free_port(), workdir, *options)
        except SandboxNotReady:
            if attempt == attempts - 1:
                raise


class SandboxNotReady(RuntimeError):
    pass


def start_sandbox_on(port: int, workdir: Path, *options: str) -> SandboxWeb:
    manifest = workdir / "sandbox-manifest.json"
    config = workdir / "sandbox.toml"
    log = workdir / "sandbox.log"
    subprocess.run([sys.executable, "-m", "sandbox", "config", "--port", str(port), "-o", str(config), *options],
                   cwd=REPO, check=True)       # options choose the web (--blind, --no-hostile): both need them
    with open(log, "w", encoding="utf-8") as out:   # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", str(port),
                                    "--manifest", str(manifest), *options],
                                   cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    wait_ready(process, log)
    return SandboxWeb(port=port, config_path=config, manifest_path=manifest, log_path=log, process=process)


def wait_ready(process: subprocess.Popen, log: Path) -> None:
    """Until the server prints its ready line (a line starting with "ready" or "sandbox ready", not
    any line holding the word: "address already in use" is no ready server)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        if any(line.startswith(("ready", "sandbox ready")) for line in lines):
            return
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise SandboxNotReady("server did not become ready:\n" + log.read_text(encoding="utf-8", errors="replace"))


def stop_server(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()


def stop_sandbox(sandbox: SandboxWeb) -> int:
    return stop_server(sandbox.process)


@pytest.fixture(scope="session")
def sandbox_web(tmp_path_factory):
    sandbox = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield sandbox
    stop_sandbox(sandbox)


@pytest.fixture(scope="session")
def blind_web(tmp_path_factory):
    """The blind web (sandbox/blind.py) served once for the session: the families' own tests and
    the ratchet's crawl share it."""
    sandbox = start_sandbox(tmp_path_factory.mktemp("blind"), "--blind")
    yield sandbox
    stop_sandbox(sandbox)


@pytest.fixture(scope="session")
def sandbox_run(sandbox_web, tmp_path_factory):
    """(run folder, crawl log) of one full `scrapy crawl disclosure` of the sandbox as of its date.

    Shared by every test that judges a whole run (snapshots, accuracy, findings, the 2011
    replay): the full crawl is the slowest thing the suite does, so it is done once.
    """
    from tests.crawling import crawl, run_dirs
    out = tmp_path_factory.mktemp("full")
    done = crawl(sandbox_web, out)
    (run_dir,) = run_dirs(out)
    return run_dir, done.stderr
