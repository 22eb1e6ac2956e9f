"""One asyncio process serving every site of a simulated web over real HTTP/1.1 on loopback.

Each site listens on its own address (`Site.host`, e.g. 127.0.1.5) at one common
port. The families' renderers (sandbox/families) make the pages; this module adds
what a real web server does (Content-Length, keep-alive, HEAD, ETag and
Last-Modified with 304 answers, gzip) and the hostile behaviours of model.HOSTILE
that each site's `Site.hostile` switches on (generator.with_hostile changes them
for every site, so the manifest stays true). As served:
  slow              every response delayed by ServeOptions.slow_seconds
  flaky_5xx         503 on the first request of each URL, the page on the next
  reset             TCP reset (RST) on the first request of a third of the URLs (by crc32 of the target)
  redirect_loop     the entry page redirects to itself (via "?loop=1"), forever
  server_error      the entry page answers 503, always
  robots_disallow   /robots.txt says "Disallow: /"; pages are served
  anti_crawler_412  every request: 412 with a $_ts script (old ASP sites: 521 with a document.cookie script)
  down              nothing listens (connection refused)
  calendar_trap     every HTML page links /calendar/2011-09.html; each month links the next, endlessly
  gbk_no_header     Content-Type without charset (the page's <meta> names GBK)
  huge_file, bomb_image   the renderers' (an attachment streamed here, a PNG declaring a huge size)

A site whose `Site.tls` is set listens with TLS, on a certificate made at start by
sandbox/tls.py (valid from the sandbox CA, self-signed, expired, or for another name);
one with `Site.http_redirect` too answers plain HTTP on the same address and port with a 301
to its https:// address (each connection's first byte tells a TLS handshake from HTTP);
ServeOptions.ca_path receives the CA's certificate (PEM) for clients told to trust it.

Control endpoints, answered on the portal's address only:
  POST /__sandbox__/revision   form or query `n=N`: serve `generator.change(web, N)` from now on
                               (N=0: back to the generated web) and rewrite the manifest file.
  GET  /__sandbox__/manifest   the ground truth of the revision being served (JSON).
"""
from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import socket
import struct
import traceback
import zlib
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

from sandbox import families
from sandbox.generator import change
from sandbox.manifest import build_manifest, write_manifest
from sandbox.model import Site, Web
from sandbox.tls import TlsMaterial

MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024 * 1024
IDLE_SECONDS = 30
STREAM_CHUNK = 64 * 1024
GZIP_MIN_BYTES = 1024
CONTROL_PREFIX = "/__sandbox__/"
CALENDAR_PREFIX = "/calendar/"

CHALLENGE_412 = ("<html><head><meta charset=\"utf-8\"><script type=\"text/javascript\">"
                 "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=48211;$_ts.cd=\"qEqWrrAlDGLcqqx\";"
                 "</script><script type=\"text/javascript\" src=\"/sQOx7PDHA5sS/c.FxJzG50F.js\"></script>"
                 "</head><body></body></html>")
CHALLENGE_521 = ("<html><body><script>document.cookie=('_')+('_jsl_clearance')+('=')+"
                 "('1317348000.123|0|'+'abcdef');location.href=location.pathname+location.search</script>"
                 "</body></html>")


@dataclass
class ServeOptions:
    slow_seconds: float = 0.3               # delay of each response of a "slow" site
    manifest_path: str | None = None        # rewritten when the revision changes
    ca_path: str | None = None              # where the sandbox CA's certificate is written at start


@dataclass
class HttpRequest:
    method: str
    target: str
    version: str                            # HTTP/1.1 | HTTP/1.0
    headers: dict[str, str]                 # lower-case names
    body: bytes

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        return connection == "keep-alive" if self.version == "HTTP/1.0" else connection != "close"


class Reset(Exception):
    """Raised to drop the connection with a TCP reset."""


class SandboxServer:
    def __init__(self, web: Web, options: ServeOptions | None = None, renderer: ModuleType = families):
        self.base = web
        self.options = options or ServeOptions()
        self.renderer = renderer            # provides Request, Response, render(), entry_url()
        self.tried: set[tuple[str, str]] = set()    # (site, target) already answered once
        self.servers: list[asyncio.base_events.Server] = []
        self.connections: dict[asyncio.StreamWriter, asyncio.Task] = {}   # open ones, closed on stop
        self.tls: TlsMaterial | None = None    # made at start when a site serves HTTPS
        self.dual: list[tuple[socket.socket, asyncio.Task]] = []   # HTTPS + HTTP-redirect listeners
        self.serve_web(web)

    def serve_web(self, web: Web) -> None:
        self.web = web
        self.sites = {site.id: site for site in web.sites}
        self.entry_paths_of: dict[str, set[str]] = {}

    # ------------------------------------------------------------- lifecycle

    async def start(self) -> list[Site]:
        """Listen on every site's address except those that are `down`; the sites listening.

        Raises OSError naming the address when one cannot be bound (e.g. the port is in use).
        """
        listening = []
        if any(site.tls for site in self.web.sites):
            self.tls = TlsMaterial.for_sites(self.web.sites)
            if self.options.ca_path:
                self.tls.write_ca(self.options.ca_path)
        for site in self.web.sites:
            if "down" in site.hostile:
                continue
            if site.tls and site.http_redirect:
                try:
                    self.listen_dual(site)
                except OSError as error:
                    await self.stop()
                    raise OSError(error.errno, f"cannot listen on {site.host}:{site.port} (site {site.id}): "
                                               f"{error.strerror}") from error
                listening.append(site)
                continue
            try:
                server = await asyncio.start_server(lambda r, w, sid=site.id: self.serve_connection(sid, r, w),
                                                    host=site.host, port=site.port, limit=MAX_HEADER_BYTES,
                                                    reuse_address=True,
                                                    ssl=self.tls.contexts[site.id] if site.tls else None)
            except OSError as error:
                await self.stop()
                raise OSError(error.errno, f"cannot listen on {site.host}:{site.port} (site {site.id}): "
                                           f"{error.strerror}") from error
            self.servers.append(server)
            listening.append(site)
        return listening

    def listen_dual(self, site: Site) -> None:
        """One address and port for HTTPS and for plain HTTP (answered by a redirect to HTTPS)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((site.host, site.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        self.dual.append((sock, asyncio.create_task(self.accept_dual(site, sock))))

    async def accept_dual(self, site: Site, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task] = set()
        while True:
            conn, _ = await loop.sock_accept(sock)
            task = asyncio.create_task(self.sniff(site, conn))
            pending.add(task)
            task.add_done_callback(pending.discard)

    async def sniff(self, site: Site, conn: socket.socket) -> None:
        """Hand the connection to TLS (first byte 0x16, a handshake) or to the redirecting HTTP answerer."""
        loop = asyncio.get_running_loop()
        conn.setblocking(False)
        try:
            first = await asyncio.wait_for(peek(loop, conn), IDLE_SECONDS)
        except (asyncio.TimeoutError, OSError):
            first = b""
        if not first:
            conn.close()
            return
        secure = first == b"\x16"
        reader = asyncio.StreamReader(limit=MAX_HEADER_BYTES)
        handler = ((lambda r, w: self.serve_connection(site.id, r, w)) if secure
                   else (lambda r, w: self.redirect_connection(site, r, w)))
        try:
            await loop.connect_accepted_socket(lambda: asyncio.StreamReaderProtocol(reader, handler), conn,
                                               ssl=self.tls.contexts[site.id] if secure else None)
        except (OSError, ConnectionError):
            conn.close()

    async def redirect_connection(self, site: Site, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        """Plain HTTP to an HTTPS site: 301 to the same path on https://, as a web server's rewrite rule does."""
        self.connections[writer] = asyncio.current_task()
        try:
            request = await asyncio.wait_for(read_request(reader), IDLE_SECONDS)
            if request is not None:
                body = b"<html><head><title>301 Moved Permanently</title></head><body><h1>Moved Permanently</h1></body></html>"
                await send(writer, 301, {"Location": site.origin + request.target, "Content-Type": "text/html",
                                         "Content-Length": str(len(body)), "Connection": "close"},
                           b"" if request.method == "HEAD" else body, 0)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()
            self.connections.pop(writer, None)

    async def stop(self) -> None:
        """Stop listening, hang up on open connections and let their tasks end (never cancelled midway)."""
        for sock, task in self.dual:
            task.cancel()
            sock.close()
        self.dual = []
        for server in self.servers:
            server.close()
        for writer in list(self.connections):
            writer.close()
        if self.connections:
            await asyncio.wait(list(self.connections.values()), timeout=5)
        for server in self.servers:
            await server.wait_closed()

    # ------------------------------------------------------------- connections

    async def serve_connection(self, site_id: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.connections[writer] = asyncio.current_task()
        try:
            await self.converse(site_id, reader, writer)
            writer.close()
        except Reset:
            reset(writer)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, ValueError):
            writer.close()   # idle, cut short or garbled: hang up as a real server does
        finally:
            self.connections.pop(writer, None)

    async def converse(self, site_id: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        """Answer requests on one connection until the client or HTTP/1.x says it is over."""
        while True:
            request = await asyncio.wait_for(read_request(reader), IDLE_SECONDS)
            if request is None:
                return
            await self.answer(site_id, request, writer)
            if not request.keep_alive:
                return

    async def answer(self, site_id: str, request: HttpRequest, writer: asyncio.StreamWriter) -> None:
        site = self.sites[site_id]
        hostile = site.hostile
        if "slow" in hostile:
            await asyncio.sleep(self.options.slow_seconds)
        try:
            status, headers, body, stream_bytes = self.respond(site, hostile, request)
        except Reset:
            raise
        except Exception:   # a renderer's bug: answer as a real server would, and say where
            traceback.print_exc()
            status, headers, body, stream_bytes = plain(500, "<h1>500 Internal Server Error</h1>")
        if request.method == "HEAD":
            body, stream_bytes = b"", 0
        await send(writer, status, headers, body, stream_bytes)

    # ------------------------------------------------------------- responses

    def respond(self, site: Site, hostile: set[str], request: HttpRequest):
        """(status, headers, body, stream_bytes) for one request, hostile behaviours applied."""
        path = urlsplit(request.target).path
        if path.startswith(CONTROL_PREFIX) and site.id == self.web.unit(self.web.portal_unit).site:
            return self.control(request, path)
        first_try = (site.id, request.target) not in self.tried
        self.tried.add((site.id, request.target))
        if "anti_crawler_412" in hostile:
            return challenge(site)
        if "robots_disallow" in hostile and path == "/robots.txt":
            return plain(200, "User-agent: *\nDisallow: /\n", "text/plain; charset=utf-8")
        if "reset" in hostile and first_try and zlib.crc32(request.target.encode()) % 3 == 0:
            raise Reset
        if "flaky_5xx" in hostile and first_try:
            return plain(503, "<h1>503 Service Temporarily Unavailable</h1>")
        if path in self.entry_paths(site):
            if "redirect_loop" in hostile:
                loop_target = path if "loop=1" in request.target else f"{path}?loop=1"
                return 302, {"Location": loop_target, "Content-Length": "0"}, b"", 0
            if "server_error" in hostile:
                return plain(503, "<h1>503 Service Unavailable</h1>")
        if "calendar_trap" in hostile and path.startswith(CALENDAR_PREFIX):
            return plain(200, calendar_page(path), "text/html; charset=utf-8")
        return self.rendered(site, hostile, request, path)

    def rendered(self, site: Site, hostile: set[str], request: HttpRequest, path: str):
        query = urlsplit(request.target).query
        form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True) if request.body else {}
        req = self.renderer.Request(method="GET" if request.method == "HEAD" else request.method, path=path,
                                    query=parse_qs(query, keep_blank_values=True), form=form,
                                    headers=request.headers)
        response = self.renderer.render(self.web, site, req)
        body = response.body
        if "calendar_trap" in hostile and response.content_type.startswith("text/html"):
            body = with_calendar_link(body)
        headers = {"Content-Type": content_type(response.content_type, site, hostile), **response.headers}
        if response.stream_bytes:
            headers["Content-Length"] = str(response.stream_bytes)
            return response.status, headers, b"", response.stream_bytes
        headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if response.last_modified:
            headers["Last-Modified"] = format_datetime(response.last_modified, usegmt=True)
        if response.status == 200 and not_modified(request.headers, headers["ETag"], response.last_modified):
            return 304, {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}, b"", 0
        if accepts_gzip(request.headers) and compressible(headers["Content-Type"], body):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["Content-Length"] = str(len(body))
        return response.status, headers, body, 0

    def entry_paths(self, site: Site) -> set[str]:
        """Paths of the site's home page: "/" and the entry URLs of its units."""
        if site.id not in self.entry_paths_of:
            urls = [self.renderer.entry_url(self.web, self.web.unit(unit_id)) for unit_id in site.units]
            self.entry_paths_of[site.id] = {"/"} | {urlsplit(url).path or "/" for url in urls if url}
        return self.entry_paths_of[site.id]

    def control(self, request: HttpRequest, path: str):
        if path == CONTROL_PREFIX + "manifest":
            return plain(200, json.dumps(build_manifest(self.web), ensure_ascii=False), "application/json")
        if path == CONTROL_PREFIX + "revision" and request.method == "POST":
            values = {**parse_qs(urlsplit(request.target).query), **parse_qs(request.body.decode("utf-8", "replace"))}
            self.switch(int(values.get("n", ["1"])[0]))
            return plain(200, json.dumps({"revision": self.web.revision}), "application/json")
        return plain(404, "unknown control endpoint")

    def switch(self, revision: int) -> None:
        """Serve `revision` of the generated web from now on (0: the web as generated)."""
        self.serve_web(change(self.base, revision) if revision else self.base)
        if self.options.manifest_path:
            write_manifest(self.web, self.options.manifest_path)


# ----------------------------------------------------------------- HTTP helpers

async def peek(loop: asyncio.AbstractEventLoop, conn: socket.socket) -> bytes:
    """The connection's first byte, left unread (b"" when the client hung up)."""
    while True:
        try:
            return conn.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            ready = loop.create_future()
            loop.add_reader(conn.fileno(), lambda: ready.done() or ready.set_result(None))
            try:
                await ready
            finally:
                loop.remove_reader(conn.fileno())


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """One request from the connection; None at a clean end of stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial.strip():
            return None
        raise
    except asyncio.LimitOverrunError as error:
        raise ValueError("request head too large") from error
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    if length > MAX_BODY_BYTES:
        raise ValueError("request body too large")
    body = await reader.readexactly(length) if length else b""
    return HttpRequest(method.upper(), target, version.strip().upper(), headers, body)


async def send(writer: asyncio.StreamWriter, status: int, headers: dict[str, str], body: bytes,
               stream_bytes: int) -> None:
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Unknown"
    head = [f"HTTP/1.1 {status} {reason}", "Server: Apache/2.2.3 (sandbox)"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    await writer.drain()
    filler = b"0" * STREAM_CHUNK
    while stream_bytes > 0:   # a huge file: written chunk by chunk, never held whole
        chunk = filler[:min(stream_bytes, STREAM_CHUNK)]
        writer.write(chunk)
        await writer.drain()
        stream_bytes -= len(chunk)


def reset(writer: asyncio.StreamWriter) -> None:
    """Abort with RST: SO_LINGER 0 makes close() reset instead of a clean FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def plain(status: int, text: str, ctype: str = "text/html; charset=utf-8"):
    body = text.encode("utf-8")
    return status, {"Content-Type": ctype, "Content-Length": str(len(body))}, body, 0


def challenge(site: Site):
    """An anti-crawler answer: 412 with a $_ts script, or (old ASP sites) 521 setting a cookie."""
    if site.family == "asp":
        return plain(521, CHALLENGE_521)
    return plain(412, CHALLENGE_412)


def content_type(declared: str, site: Site, hostile: set[str]) -> str:
    """GBK sites declare their charset only in <meta> when gbk_no_header is on, in the header otherwise."""
    if not declared.startswith("text/html"):
        return declared
    if "gbk_no_header" in hostile:
        return "text/html"
    if "charset" not in declared:
        return f"{declared}; charset={site.encoding}"
    return declared


def not_modified(headers: dict[str, str], etag: str, last_modified) -> bool:
    if "if-none-match" in headers:
        return etag in [t.strip() for t in headers["if-none-match"].split(",")] or headers["if-none-match"] == "*"
    if last_modified and "if-modified-since" in headers:
        try:
            return parsedate_to_datetime(headers["if-modified-since"]) >= last_modified.replace(microsecond=0)
        except (TypeError, ValueError):
            return False
    return False


def accepts_gzip(headers: dict[str, str]) -> bool:
    return "gzip" in headers.get("accept-encoding", "")


def compressible(ctype: str, body: bytes) -> bool:
    return len(body) >= GZIP_MIN_BYTES and (ctype.startswith("text/") or "json" in ctype or "xml" in ctype)


# ----------------------------------------------------------------- the calendar trap

def calendar_page(path: str) -> str:
    """An endless month calendar: every month links to the next and the previous one."""
    stem = path[len(CALENDAR_PREFIX):].removesuffix(".html")
    try:
        year, month = (int(part) for part in stem.split("-"))
    except ValueError:
        year, month = 2011, 9
    following = (year + month // 12, month % 12 + 1)
    previous = (year - (month == 1), (month - 2) % 12 + 1)
    return (f"<html><head><meta charset=\"utf-8\"><title>活动日历 {year}年{month}月</title></head><body>"
            f"<h1>{year}年{month}月</h1><p>本月暂无活动安排。</p>"
            f"<a href=\"{CALENDAR_PREFIX}{previous[0]}-{previous[1]:02d}.html\">上一月</a> "
            f"<a href=\"{CALENDAR_PREFIX}{following[0]}-{following[1]:02d}.html\">下一月</a></body></html>")


def with_calendar_link(body: bytes) -> bytes:
    """Every HTML page of a trapped site links to the calendar, as a sidebar widget would."""
    link = f"<a href=\"{CALENDAR_PREFIX}2011-09.html\">活动日历</a>".encode("ascii", "xmlcharrefreplace")
    marker = body.rfind(b"</body>")
    return body[:marker] + link + body[marker:] if marker >= 0 else body + link
