"""The sandbox server's HTTP behaviour and its hostile behaviours, over real sockets on loopback.

Most tests serve the generated county web with a tiny stand-in renderer (this file's
`StubRenderer`), so they test the server alone; the last ones use the real process of
tests/conftest.py's `sandbox_web` with the families' renderers.
"""
from __future__ import annotations

import asyncio
import gzip
import html
import http.client
import io
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
from PIL import Image

from sandbox.families import renderer_for
from sandbox.families.common import LETTERS_PER_PAGE, page_count
from sandbox.generator import CHANGED_COLUMNS, change, generate, with_hostile
from sandbox.model import PHOTO_KINDS
from sandbox.server import SandboxServer, ServeOptions
from tests.conftest import free_port, start_sandbox, stop_sandbox

MODIFIED = datetime(2011, 9, 15, 8, 0, tzinfo=timezone.utc)
HUGE_BYTES = 3 * 1024 * 1024


@dataclass
class StubRequest:
    method: str
    path: str
    query: dict
    form: dict
    headers: dict


@dataclass
class StubResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    last_modified: datetime | None = None
    stream_bytes: int = 0


class StubRenderer:
    """Stands in for sandbox.families: one page per path, a huge file at /huge.zip."""
    Request = StubRequest
    Response = StubResponse

    @staticmethod
    def render(web, site, req):
        if req.path == "/huge.zip":
            return StubResponse(content_type="application/zip", stream_bytes=HUGE_BYTES)
        text = f"<html><body><p>{site.id} {req.method} {req.path}</p>{'建始' * 400}</body></html>"
        return StubResponse(body=text.encode(site.encoding), last_modified=MODIFIED,
                            content_type="text/html" if site.encoding != "utf-8" else "text/html; charset=utf-8")

    @staticmethod
    def entry_url(web, unit):
        return web.site(unit.site).origin + "/index.html"


class Running:
    """A SandboxServer on its own event loop in a thread."""

    def __init__(self, options: ServeOptions, hostile: bool = True):
        self.original = generate(port=free_port())
        self.web = with_hostile(self.original, enabled=hostile)
        self.server = SandboxServer(self.web, options, renderer=StubRenderer)
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.server.start())
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert started.wait(30)

    def close(self):
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)

    def site_with(self, behaviour: str, family: str | None = None):
        """A site planted with the behaviour (as generated, whether or not it is switched off)."""
        planted = next(s for s in self.original.sites if behaviour in s.hostile and family in (None, s.family))
        return self.web.site(planted.id)

    def calm_site(self):
        return next(s for s in self.web.sites if not s.hostile)

    def request(self, site, path="/index.html", method="GET", headers=None):
        conn = http.client.HTTPConnection(site.host, site.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def running():
    server = Running(ServeOptions(slow_seconds=0.2))
    yield server
    server.close()


@pytest.fixture(scope="module")
def calm():
    server = Running(ServeOptions(), hostile=False)
    yield server
    server.close()


def test_get_sends_length_and_keeps_the_connection_alive(running):
    site = running.calm_site()
    conn = http.client.HTTPConnection(site.host, site.port, timeout=30)
    for path in ("/index.html", "/other.html"):
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) == len(body)
        assert f"{site.id} GET {path}" in body.decode("utf-8")
    conn.close()


def test_head_has_the_headers_of_get_and_no_body(running):
    site = running.calm_site()
    get, body = running.request(site)
    head, nothing = running.request(site, method="HEAD")
    assert nothing == b""
    assert head.status == 200
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(body))
    assert head.headers["ETag"] == get.headers["ETag"]


def test_conditional_requests_get_304(running):
    site = running.calm_site()
    first, _ = running.request(site)
    assert first.headers["Last-Modified"] == "Thu, 15 Sep 2011 08:00:00 GMT"
    by_etag, body = running.request(site, headers={"If-None-Match": first.headers["ETag"]})
    by_date, _ = running.request(site, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    older, again = running.request(site, headers={"If-Modified-Since": "Mon, 01 Aug 2011 00:00:00 GMT"})
    assert (by_etag.status, body) == (304, b"")
    assert by_date.status == 304
    assert older.status == 200 and again


def test_gzip_when_asked(running):
    site = running.calm_site()
    response, body = running.request(site, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "建始" in gzip.decompress(body).decode("utf-8")


def test_slow_site_delays_every_response(running):
    site = running.site_with("slow")
    started = time.monotonic()
    response, _ = running.request(site)
    assert response.status == 200
    assert time.monotonic() - started >= 0.2


def test_flaky_site_fails_the_first_try_then_recovers(running):
    site = running.site_with("flaky_5xx")
    first, _ = running.request(site, "/flaky.html")
    second, body = running.request(site, "/flaky.html")
    assert first.status == 503
    assert second.status == 200 and b"flaky.html" in body


def test_reset_drops_the_first_try_of_some_urls(running):
    site = running.site_with("reset")
    path = next(p for p in (f"/page{i}.html" for i in range(50)) if zlib.crc32(p.encode()) % 3 == 0)
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        running.request(site, path)
    response, _ = running.request(site, path)
    assert response.status == 200


def test_redirect_loop_on_the_entry_page(running):
    site = running.site_with("redirect_loop")
    path = "/index.html"
    for _ in range(4):
        response, _ = running.request(site, path)
        assert response.status == 302
        location = response.headers["Location"]
        path = urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else "")
    assert path.startswith("/index.html")


def test_robots_disallow(running):
    response, body = running.request(running.site_with("robots_disallow"), "/robots.txt")
    assert response.status == 200
    assert "Disallow: /" in body.decode()


def test_anti_crawler_answers_412_or_521_to_everything(running):
    for path in ("/index.html", "/robots.txt"):
        response, body = running.request(running.site_with("anti_crawler_412", "trs"), path)
        assert response.status == 412 and b"$_ts" in body
    response, body = running.request(running.site_with("anti_crawler_412", "asp"))
    assert response.status == 521 and b"document.cookie" in body


def test_nothing_listens_on_a_down_site(running):
    site = running.site_with("down")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((site.host, site.port), timeout=5).close()


def test_server_error_on_the_entry_page_always(running):
    site = running.site_with("server_error")
    assert [running.request(site)[0].status for _ in range(3)] == [503, 503, 503]
    assert running.request(site, "/about.html")[0].status == 200


def test_gbk_site_declares_no_charset_in_the_header(running):
    site = running.site_with("gbk_no_header")
    response, body = running.request(site, "/gbk.html")
    assert response.headers["Content-Type"] == "text/html"
    assert "建始" in body.decode("gbk")


def test_huge_file_is_streamed_in_full(running):
    response, body = running.request(running.calm_site(), "/huge.zip")
    assert int(response.headers["Content-Length"]) == HUGE_BYTES == len(body)
    head, nothing = running.request(running.calm_site(), "/huge.zip", method="HEAD")
    assert (int(head.headers["Content-Length"]), nothing) == (HUGE_BYTES, b"")


def test_calendar_trap_never_ends(running):
    site = running.site_with("calendar_trap")
    _, page = running.request(site, "/index.html")
    assert b'href="/calendar/2011-09.html"' in page
    _, december = running.request(site, "/calendar/2011-12.html")
    assert b'href="/calendar/2012-01.html"' in december
    _, far = running.request(site, "/calendar/2987-06.html")
    assert b'href="/calendar/2987-07.html"' in far


def test_no_hostile_switches_every_behaviour_off(calm):
    for behaviour in ("flaky_5xx", "anti_crawler_412", "server_error", "redirect_loop"):
        assert calm.request(calm.site_with(behaviour))[0].status == 200, behaviour
    response, _ = calm.request(calm.site_with("gbk_no_header"), "/a.html")
    assert response.headers["Content-Type"] == "text/html; charset=gbk"
    site = calm.site_with("down")
    socket.create_connection((site.host, site.port), timeout=5).close()



# ----------------------------------------------------------------- the real process (families' renderers)

# As a crawler that audits a site whatever its certificate: HTTPS without verification.
UNVERIFIED = ssl._create_unverified_context()


def fetch(url: str, tries: int = 3):
    """(status, headers, body) of a GET, HTTP errors included; retried like a crawler on 503 and resets."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=30, context=UNVERIFIED) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == tries - 1:
                return error.code, error.headers, error.read()
        except (ConnectionResetError, http.client.RemoteDisconnected):
            if attempt == tries - 1:
                raise


VERIFY_ERRORS = {"self_signed": "self-signed certificate", "expired": "certificate has expired",
                 "name_mismatch": "IP address mismatch"}


def test_https_sites_serve_the_planted_certificates(sandbox_web):
    """Verified against the sandbox CA (written beside the manifest), the valid site passes and each
    bad one fails for its own reason; unverified, every one serves its pages."""
    trusting = ssl.create_default_context(cafile=str(sandbox_web.ca_path))
    states = {unit["id"]: unit["tls"] for unit in sandbox_web.manifest["units"] if unit["tls"]}
    assert sorted(states.values()) == ["expired", "name_mismatch", "self_signed", "valid"]
    for unit in sandbox_web.manifest["units"]:
        if not unit["tls"]:
            continue
        assert unit["entry_url"].startswith("https://")
        assert fetch(unit["entry_url"])[0] == 200, unit["id"]
        if unit["tls"] == "valid":
            urllib.request.urlopen(unit["entry_url"], timeout=30, context=trusting).close()
            continue
        with pytest.raises(urllib.error.URLError) as failed:
            urllib.request.urlopen(unit["entry_url"], timeout=30, context=trusting).close()
        assert VERIFY_ERRORS[unit["tls"]] in str(failed.value.reason), (unit["id"], failed.value.reason)


def judged_units(sandbox_web):
    """Units whose site lets the audit in, with their site and renderer."""
    web = sandbox_web.web
    for unit in web.units:
        facts = sandbox_web.manifest["facts"][unit.id]
        if facts["reachable"] and not facts["blocked"]:
            site = web.site(unit.site)
            yield unit, site, renderer_for(web, site)


def test_every_entry_url_answers_as_the_manifest_says(sandbox_web):
    for unit in sandbox_web.manifest["units"]:
        if not unit["entry_url"]:
            continue
        facts = sandbox_web.manifest["facts"][unit["id"]]
        if not facts["reachable"]:
            with pytest.raises(OSError):   # refused, 503 or redirected forever
                urllib.request.urlopen(unit["entry_url"], timeout=30, context=UNVERIFIED).close()
        elif facts["blocked"] and "anti_crawler_412" in unit["hostile"]:
            assert fetch(unit["entry_url"])[0] in (412, 521)
        else:
            assert fetch(unit["entry_url"])[0] == 200, unit["id"]


def test_served_photos_measure_as_the_manifest_says(sandbox_web):
    measured = Counter()
    for unit, site, renderer in judged_units(sandbox_web):
        for index, leader in enumerate(unit.leaders):
            photo = leader.photo
            path = (renderer.placeholder_path(photo.width, photo.height) if photo.kind == "placeholder"
                    else renderer.photo_path(unit, index, leader))
            if photo.kind == "none":
                continue
            status, headers, body = fetch(site.origin + path)
            measured[photo.kind] += 1
            if photo.kind in ("good", "tiny", "blurred", "placeholder"):
                assert (status, Image.open(io.BytesIO(body)).size) == (200, (photo.width, photo.height))
            elif photo.kind == "broken_404":
                assert status == 404
            elif photo.kind == "html":
                assert status == 200 and headers["Content-Type"].startswith("text/html")
            else:   # truncated, bomb: served, but no readable picture
                with pytest.raises((OSError, Image.DecompressionBombError)):
                    Image.open(io.BytesIO(body)).load()
    assert set(measured) == set(PHOTO_KINDS) - {"none"}


SIGNATURES = {"doc": b"\xd0\xcf\x11\xe0", "xls": b"\xd0\xcf\x11\xe0", "pdf": b"%PDF"}


def test_served_flowcharts_are_what_the_manifest_says(sandbox_web):
    for unit, site, renderer in judged_units(sandbox_web):
        for index, workflow in enumerate(unit.workflows):
            kind = workflow.flowchart.kind
            link = renderer.flowchart_link(unit, index, workflow)
            if kind == "none":
                assert link is None
                continue
            status, _, body = fetch(site.origin + link[1])
            if kind.startswith("image_"):
                assert Image.open(io.BytesIO(body)).size == (workflow.flowchart.width, workflow.flowchart.height)
            elif kind.startswith("attachment_"):
                assert body.startswith(SIGNATURES[kind.removeprefix("attachment_")])
            elif kind == "broken_404":
                assert status == 404
            else:
                assert (status, body) == (200, b"")


def test_newest_articles_are_served_with_their_titles(sandbox_web):
    for unit, site, renderer in judged_units(sandbox_web):
        for column in unit.columns:
            if column.articles and column.role == "list":
                article = column.articles[0]
                status, _, body = fetch(site.origin + renderer.article_path(unit, column, article))
                assert status == 200
                assert html.escape(article.title, quote=False) in body.decode(site.encoding), (unit.id, column.label)


def test_gbk_sites_send_gbk_with_the_charset_only_in_meta(sandbox_web):
    unit = sandbox_web.web.unit("guoshuiju")
    site = sandbox_web.web.site(unit.site)
    status, headers, body = fetch(site.origin + renderer_for(sandbox_web.web, site).section_path(unit))
    assert (status, headers["Content-Type"]) == (200, "text/html")
    text = body.decode("gbk")
    assert "charset=gb" in text.lower() and unit.name in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_revision_switch_between_two_crawls(sandbox_web):
    web = sandbox_web.web
    changed = change(web, 1)
    unit = changed.unit(CHANGED_COLUMNS[0][0])
    column = next(c for c in unit.columns if c.ref == CHANGED_COLUMNS[0][1])
    site = changed.site(unit.site)
    new_path = renderer_for(changed, site).article_path(unit, column, column.articles[0])
    assert fetch(site.origin + new_path)[0] == 404
    with sandbox_web.revision(1):
        assert sandbox_web.manifest["revision"] == 1
        assert fetch(site.origin + new_path)[0] == 200
        served = json.loads(fetch(sandbox_web.url(web.portal_unit and site.id, "/__sandbox__/manifest"))[2])
        assert served["revision"] == 1
    assert sandbox_web.manifest["revision"] == 0
    assert fetch(site.origin + new_path)[0] == 404


def test_serve_stops_cleanly_on_sigterm(tmp_path):
    sandbox = start_sandbox(tmp_path, "--no-hostile")
    assert fetch(sandbox.url("sifaju", "/"))[0] == 200      # down only when hostile
    assert not {"site_unreachable", "site_blocked"} & {d["check"] for d in sandbox.manifest["defects"]}
    assert stop_sandbox(sandbox) == 0
    assert "stopped" in sandbox.log_path.read_text(encoding="utf-8")


def test_http_10_connection_is_closed_after_the_answer(running):
    site = running.calm_site()
    with socket.create_connection((site.host, site.port), timeout=10) as conn:
        conn.sendall(b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := conn.recv(65536):     # ends only because the server closes
            received += chunk
    assert received.startswith(b"HTTP/1.1 200 OK")


def test_a_renderer_error_is_a_500_and_the_server_goes_on(running, monkeypatch):
    site = running.calm_site()
    monkeypatch.setattr(StubRenderer, "render", staticmethod(lambda web, site, req: 1 / 0))
    assert running.request(site, "/boom.html")[0].status == 500
    monkeypatch.undo()
    assert running.request(site, "/boom.html")[0].status == 200


def test_a_port_in_use_is_reported_with_its_address():
    with socket.socket() as blocker:
        blocker.bind(("127.0.1.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = SandboxServer(generate(port=port), renderer=StubRenderer)
        with pytest.raises(OSError, match=f"127.0.1.1:{port}"):
            asyncio.run(server.start())


def test_mailbox_pages_show_every_letter(sandbox_web):
    for unit, site, renderer in judged_units(sandbox_web):
        if unit.letters:
            pages = range(1, page_count(len(unit.letters), LETTERS_PER_PAGE) + 1)
            shown = "".join(fetch(site.origin + renderer.mailbox_path(unit, page))[2].decode(site.encoding)
                            for page in pages)
            assert all(html.escape(letter.title, quote=False) in shown for letter in unit.letters), unit.id
