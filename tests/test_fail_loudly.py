"""Bounded per site and loud when nothing could be read: a 10 MB robots.txt costs ~512 KiB of
download, and a run whose every unit is on a closed port or an unroutable address exits with its own
code, one ALERT line, a failed-run banner, and is never `latest` nor a baseline. Real sockets, real
`scrapy crawl`; nothing of the crawler is replaced."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.robots import ROBOTS_MAX_BYTES
from tests.conftest import REPO, free_port
from tests.redis_server import redis_url  # noqa: F401  (pytest fixture)

CHUNK = 16 * 1024


class CountingServer:
    """One site on 127.0.0.1: pages from a dict, robots.txt of `robots_size` bytes written in paced
    chunks into a small send buffer, so what it counts as sent is close to what the client read."""

    def __init__(self, pages: dict[str, str], robots_head: bytes, robots_size: int, robots_tail: bytes):
        self.pages = pages
        self.robots_head, self.robots_size, self.robots_tail = robots_head, robots_size, robots_tail
        self.robots_sent = 0
        self.hits: list[str] = []
        self.port = free_port()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                self.request.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32 * 1024)
                super().setup()

            def do_GET(self):
                owner.hits.append(self.path)
                if self.path == "/robots.txt":
                    return owner.send_robots(self)
                body = owner.pages.get(self.path)
                data = (body or "<html><body>Not Found</body></html>").encode("utf-8")
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def robots_body(self):
        """The file, lazily: its head, filler comment lines, its tail (past the cut)."""
        yield self.robots_head
        filler = b"# " + b"x" * 61 + b"\n"
        left = self.robots_size - len(self.robots_head) - len(self.robots_tail)
        block = filler * (CHUNK // len(filler))
        while left > 0:
            yield block[:left]
            left -= len(block)
        yield self.robots_tail

    def send_robots(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(self.robots_size))
        handler.end_headers()
        try:
            for piece in self.robots_body():
                handler.wfile.write(piece)
                handler.wfile.flush()
                self.robots_sent += len(piece)
                time.sleep(0.001)
        except (BrokenPipeError, ConnectionResetError):
            pass                                   # the client stopped reading: what we wanted

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def write_config(path: Path, units: list[tuple[str, str, str]]) -> Path:
    text = '[county]\nname = "某县"\n[[columns]]\nname = "工作动态"\nrecency = "动态"\n'
    for unit_id, name, url in units:
        text += f'[[units]]\nid = "{unit_id}"\nname = "{name}"\nkind = "乡镇"\nurl = "{url}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def scrapy_crawl(config: Path, out: Path, *settings: str, timeout: float = 300) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_CONFIG={config}",
               "-s", f"DISCLOSURE_OUT={out}", "-s", "DISCLOSURE_AS_OF=2024-06-30", "-s", "DISCLOSURE_INCREMENTAL=0",
               "-s", "DISCLOSURE_RETRY_BACKOFF=0.05"]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("peek_bytes", ["65536", "0"])      # 0: capped GETs off, the robots.txt cap stays
def test_a_10_mb_robots_txt_costs_about_512_kib_and_its_first_512_kib_are_obeyed(tmp_path, peek_bytes):
    menu = '<ul class="menu"><li><a href="/u/gzdt/">工作动态</a></li><li><a href="/u/secret/">内部通知</a></li></ul>'
    items = "".join(f'<li><a href="/u/gzdt/{n}.html">县里召开第{n}次安全生产工作会议部署工作</a><span>2024-06-2{n}</span></li>'
                    for n in range(1, 5))
    article = '<html><body><div class="content"><h1>会议</h1><p>正文内容，会议部署了下一阶段工作。</p></div></body></html>'
    pages = {"/u/": f"<html><body>{menu}</body></html>",
             "/u/gzdt/": f"<html><body>{menu}<ul class='list'>{items}</ul></body></html>",
             "/u/secret/": f"<html><body>{menu}<ul class='list'>{items}</ul></body></html>",
             **{f"/u/gzdt/{n}.html": article for n in range(1, 5)}}
    size = 10 * 1024 * 1024
    site = CountingServer(pages, b"User-agent: *\nDisallow: /u/secret/\n", size, b"User-agent: *\nDisallow: /u/\n")
    config = write_config(tmp_path / "sites.toml", [("town", "甲镇", f"http://127.0.0.1:{site.port}/u/")])
    try:
        done = scrapy_crawl(config, tmp_path / "runs", f"DISCLOSURE_PEEK_BYTES={peek_bytes}")
    finally:
        site.close()
    assert done.returncode in (0, 3), done.stderr[-3000:]
    # Measured: the server wrote 540,707 of the 10,485,760 bytes before the client closed (without
    # RobotsTxtCap: all of them); the bound leaves room for the socket buffers in flight.
    assert ROBOTS_MAX_BYTES < site.robots_sent < 2 * 1024 * 1024, site.robots_sent
    assert "/u/secret/" not in site.hits                    # a rule in the first 512 KiB is obeyed
    assert "/u/gzdt/" in site.hits                          # the rule past the cut (Disallow: /u/) is not
    run = tmp_path / "runs" / "latest"
    unit = json.loads((run / "snapshots" / "town.json").read_text(encoding="utf-8"))
    assert unit["reachability"]["fetched"] and not unit["reachability"]["blocked"]
    assert [c["entry_count"] for c in unit["columns"] if c["name"] == "工作动态"] == [4]


def closed_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (bound, then released): a connection to it is refused at once."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# An address of the IPv6 documentation range (RFC 3849), never routed. (Scrapy's default resolver is
# IPv4 only: it fails on the literal before any packet is sent, as `dns`.)
UNROUTABLE = "http://[2001:db8::1]:8080/"


class BlackHole:
    """An address where packets vanish, as on a dropped route or a firewall that drops: the connection
    is accepted by the kernel and nothing ever answers, so the client times out. (A real unroutable
    IPv4 address would leave this machine: its egress is not the test's to use.)"""

    def __init__(self, host: str = "127.0.0.4"):
        self.socket = socket.socket()
        self.socket.bind((host, 0))
        self.socket.listen(16)
        self.url = f"http://{host}:{self.socket.getsockname()[1]}/"
        self.held: list[socket.socket] = []
        threading.Thread(target=self.swallow, daemon=True).start()

    def swallow(self):
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self):
        self.socket.close()
        for conn in self.held:
            conn.close()


def alert_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "ALERT:" in line]


def test_a_run_that_reads_nothing_fails_loudly_and_never_blames_the_units(tmp_path):
    hole = BlackHole()
    units = [("town_a", "甲镇", f"http://127.0.0.1:{closed_port()}/"),
             ("town_b", "乙镇", f"http://127.0.0.3:{closed_port('127.0.0.3')}/xxgk/"),
             ("dept_c", "丙局", UNROUTABLE), ("dept_d", "丁局", hole.url)]
    config = write_config(tmp_path / "sites.toml", units)
    out = tmp_path / "runs"
    try:
        done = scrapy_crawl(config, out, "DOWNLOAD_TIMEOUT=3", "RETRY_TIMES=1")
    finally:
        hole.close()
    assert done.returncode == 4, done.stderr[-3000:]                 # crawler/exit_codes.py NOTHING_READ
    (alert,) = alert_lines(done.stderr)
    assert "no unit could be read: 4 of 4 units gave no answer (refused 2, " in alert
    assert "timeout 1" in alert and "dns 1" in alert
    assert "Traceback" not in done.stderr
    assert not (out / "latest").exists()
    (run,) = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert info["complete"] and info["failed"] and not info["baseline"]
    assert info["summary"]["unreachable"] == 4 and info["alerts"] == [alert.split("ALERT: ", 1)[1]]
    assert "本次检查未能正常完成" in (run / "report.html").read_text(encoding="utf-8")
    bulletin = (run / "bulletin.md").read_text(encoding="utf-8")
    assert "本次检查未能正常完成" in bulletin and "甲镇" in bulletin
    assert "无法访问" not in bulletin                                  # no unit blamed as if its site were down
    # the next run's baseline is not this one
    from crawler import runs
    assert not runs.is_baseline(run)


def test_nightly_exits_with_the_crawls_code_when_nothing_could_be_read(tmp_path):
    config = write_config(tmp_path / "sites.toml", [("town_a", "甲镇", f"http://127.0.0.1:{closed_port()}/")])
    done = subprocess.run([sys.executable, "-m", "crawler.nightly", "--config", str(config), "--out",
                           str(tmp_path / "runs"), "--as-of", "2024-06-30", "-s", "DISCLOSURE_RETRY_BACKOFF=0.05",
                           "-s", f"HTTPCACHE_DIR={tmp_path / 'cache'}"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 4, done.stderr[-3000:]
    (alert,) = alert_lines(done.stderr)
    assert "no unit could be read: 1 of 1 units gave no answer (refused 1)" in alert


def test_distributed_worker_and_finish_exit_4_when_nothing_could_be_read(tmp_path, redis_url):
    config = write_config(tmp_path / "sites.toml", [("town_a", "甲镇", f"http://127.0.0.1:{closed_port()}/"),
                                                    ("town_b", "乙镇", f"http://127.0.0.3:{closed_port('127.0.0.3')}/")])
    run = lambda *args: subprocess.run([sys.executable, "-m", "crawler.distributed", *args, "--redis", redis_url],
                                       cwd=REPO, capture_output=True, text=True, timeout=300)
    enqueued = run("enqueue", "--config", str(config), "--as-of", "2024-06-30")
    assert enqueued.returncode == 0, enqueued.stderr
    run_id = enqueued.stdout.strip()
    out = tmp_path / "runs"
    worker = run("worker", "--run-id", run_id, "--out", str(out), "-s", "DISCLOSURE_RETRY_BACKOFF=0.05",
                 "-s", "DISCLOSURE_INCREMENTAL=0")
    assert worker.returncode == 4, worker.stderr[-3000:]
    (alert,) = alert_lines(worker.stderr)
    assert "none of the 2 units it crawled could be read" in alert
    finish = run("finish", "--run-id", run_id, "--out", str(out), "--timeout", "30")
    assert finish.returncode == 4, finish.stderr[-3000:]
    (alert,) = alert_lines(finish.stderr)
    assert "no unit could be read: 2 of 2 units gave no answer (refused 2)" in alert
    assert not (out / "latest").exists()


def test_a_rendered_pages_script_never_fetches_a_name_resolving_to_an_internal_address(tmp_path):
    """Chromium (crawler/rendering.py) resolves names itself: a page of the county's site (named) whose
    script fetches from `localhost` gets nothing from it, as the crawl's own requests get nothing; the
    same page with localhost named in the config gets both (the test can fail)."""
    import asyncio

    from crawler.fetch_policy import FetchPolicy
    from crawler.rendering import Chromium
    chromium_path = Path("/usr/bin/chromium")
    if not chromium_path.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    port = free_port()
    hits: list[str] = []
    script = ("fetch('/api/named.txt').then(r => r.text()).then(t => document.getElementById('a').textContent = t);"
              f"fetch('http://localhost:{port}/api/inside.txt').then(r => r.text())"
              ".then(t => document.getElementById('b').textContent = t);")
    pages = {"/page.html": ("text/html", f"<html><body><div id='a'></div><div id='b'></div><script>{script}</script>"
                                         "</body></html>"),
             "/api/named.txt": ("text/plain", "NAMED-DATA"), "/api/inside.txt": ("text/plain", "INSIDE-DATA")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.headers.get("Host", ""))
            kind, text = pages.get(self.path, ("text/plain", "not found"))
            data = text.encode("utf-8")
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Access-Control-Allow-Origin", "*")      # were it fetched, the page would show it
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{port}/"

    async def render(policy: FetchPolicy) -> str:
        chromium = Chromium(str(chromium_path), 15.0, None, refuse=policy.browser_refuses)
        try:
            return (await chromium.render(site + "page.html", None, None, 0))[-1]
        finally:
            await chromium.close()

    try:
        guarded = asyncio.run(render(FetchPolicy([site], ())))
        asked_inside = [host for host in hits if host.startswith("localhost")]
        trusted = asyncio.run(render(FetchPolicy([site, f"http://localhost:{port}/"], ())))
    finally:
        server.shutdown()
        server.server_close()
    assert "NAMED-DATA" in guarded and "INSIDE-DATA" not in guarded and asked_inside == []
    assert "NAMED-DATA" in trusted and "INSIDE-DATA" in trusted


def test_a_runs_exit_code_is_decided_in_one_place():
    from crawler import exit_codes
    assert exit_codes.for_run({"units": 3, "unreachable": 3}, ["no unit could be read: …"]) == exit_codes.NOTHING_READ
    assert exit_codes.for_run({"units": 3, "unreachable": 2, "blocked": 1}, ["…"]) == exit_codes.ALERT  # blocked: it answered
    assert exit_codes.for_run({"units": 3, "unreachable": 0}, []) == exit_codes.OK
    assert exit_codes.for_run({"units": 0, "unreachable": 0}, []) == exit_codes.OK
    assert exit_codes.for_run(None, []) == exit_codes.OK
    assert len({exit_codes.OK, exit_codes.FAILED, exit_codes.BAD_INPUT, exit_codes.ALERT, exit_codes.NOTHING_READ,
                exit_codes.LOCKED}) == 6


def test_a_refused_request_is_no_error_of_the_run():
    """A photo on a name resolving to an internal address was never sent: the snapshot keeps the kind,
    the run's error rate does not count it (a county with such photos must not raise an ALERT for it)."""
    from crawler.monitoring import summarize
    from crawler.snapshot import empty_snapshot
    snapshot = empty_snapshot("town", "甲镇", "乡镇")
    snapshot["reachability"].update(fetched=True, pages=8, errors={"internal_address": 5, "timeout": 2})
    summary = summarize([snapshot], 1.0)
    assert (summary["errors"], summary["error_rate"]) == (2, 0.2)
