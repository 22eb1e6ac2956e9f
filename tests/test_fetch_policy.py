"""The fetch policy: only the county's own hosts, never an internal address the config does not
name, and no redirect off the county's sites; unit tests and one real crawl of a hostile server."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.fetch_policy import FetchPolicy, registrable_domain
from tests.conftest import REPO, free_port

POLICY = FetchPolicy(["http://www.hbjs.gov.cn/", "http://127.0.0.1:8311/"], ("*.hbjs.gov.cn",))


@pytest.mark.parametrize("url, page, media", [
    ("http://www.hbjs.gov.cn/xxgk/", True, True),
    ("http://yzz.hbjs.gov.cn/", True, True),                # the site group's subdomains
    ("http://img.hbjs.gov.cn/a.jpg", True, True),
    ("http://hbjs.gov.cn.evil.com/a.jpg", False, False),
    ("http://www.example.com/a.jpg", False, False),
    ("http://127.0.0.1:8311/xxgk/", True, True),            # named in the config: allowed though loopback
    ("http://127.0.0.1:9999/", False, False),               # another port of it is not named
    ("http://169.254.169.254/latest/meta-data/", False, False),
    ("http://10.0.0.1/", False, False),
    ("http://[::1]/", False, False),
])
def test_pages_on_named_hosts_media_under_their_domain_no_internal_addresses(url, page, media):
    assert (POLICY.allows_page(url), POLICY.allows_media(url)) == (page, media)


def test_registrable_domains_from_the_bundled_suffix_list():
    assert registrable_domain("www.hbjs.gov.cn") == "hbjs.gov.cn"
    assert registrable_domain("a.b.example.com.cn:8080") == "example.com.cn"
    assert registrable_domain("127.0.0.1:8311") == "127.0.0.1"


class Hits:
    def __init__(self):
        self.seen: list[tuple[str, str]] = []


def serve(host: str, port: int, hits: Hits, pages: dict[str, tuple[int, dict, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.seen.append((host, self.path))
            status, headers, body = pages.get(self.path, (404, {}, "<html><body>Not Found</body></html>"))
            data = body.encode("utf-8")
            self.send_response(status)
            for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_crawl_never_leaves_the_countys_hosts(tmp_path):
    port = free_port()
    named, other = f"http://127.0.0.1:{port}", f"http://127.0.0.2:{port}"
    hits = Hits()
    menu = "".join(f'<li><a href="/u/{slug}/">{name}</a></li>' for slug, name in
                   (("gzdt", "工作动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件")))
    items = "".join(f'<li><a href="/u/gzdt/{n}.html">县里召开第{n}次安全生产工作会议部署工作</a><span>2024-06-2{n}</span></li>'
                    for n in range(1, 5))
    article = (f'<html><body><div class="content"><h1>会议</h1><p>正文内容，会议部署了下一阶段工作。</p>'
               f'<p><a href="http://169.254.169.254/latest/meta-data/">元数据</a> <a href="{other}/x.doc">附件.doc</a>'
               f' <a href="/u/away.html">相关链接</a></p></div></body></html>')
    pages = {
        "/robots.txt": (404, {}, ""),
        "/r/": (302, {"Location": f"{other}/landing/"}, ""),
        "/u/": (200, {}, f"<html><body><ul class='menu'>{menu}</ul></body></html>"),
        "/u/gzdt/": (200, {}, f"<html><body><ul class='menu'>{menu}</ul><ul class='list'>{items}</ul></body></html>"),
        "/u/away.html": (302, {"Location": f"{other}/stolen/"}, ""),
        **{f"/u/gzdt/{n}.html": (200, {}, article) for n in range(1, 5)},
    }
    servers = [serve("127.0.0.1", port, hits, pages), serve("127.0.0.2", port, hits, pages)]
    config = tmp_path / "sites.toml"
    config.write_text(f'''[county]
name = "某县"
[[columns]]
name = "工作动态"
recency = "动态"
[[units]]
id = "redirector"
name = "甲镇"
kind = "乡镇"
url = "{named}/r/"
[[units]]
id = "unit"
name = "乙镇"
kind = "乡镇"
url = "{named}/u/"
''', encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_CONFIG={config}",
                               "-s", f"DISCLOSURE_OUT={tmp_path / 'runs'}", "-s", "DISCLOSURE_AS_OF=2024-06-30",
                               "-s", "DISCLOSURE_INCREMENTAL=0"], cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        for server in servers:
            server.shutdown()
    assert done.returncode in (0, 3), done.stderr[-3000:]
    assert [hit for hit in hits.seen if hit[0] != "127.0.0.1"] == []          # nothing fetched off the config's hosts
    run = tmp_path / "runs" / "latest"
    redirector = json.loads((run / "snapshots" / "redirector.json").read_text(encoding="utf-8"))
    assert redirector["reachability"]["error"] == "offsite_redirect"
    assert f"{other}/landing/" in redirector["reachability"]["error_detail"]
    unit = json.loads((run / "snapshots" / "unit.json").read_text(encoding="utf-8"))
    assert [c["entry_count"] for c in unit["columns"] if c["name"] == "工作动态"] == [4]
    assert any(link.get("error") == "offsite_redirect" for link in unit["links"])


def test_only_names_the_config_does_not_name_are_checked_by_their_address():
    policy = FetchPolicy(["http://www.jianshi.gov.cn/"], ())
    assert policy.checks_address("img.jianshi.gov.cn")              # under a named domain: resolved, checked
    assert policy.checks_address("localhost:8080")
    assert not policy.checks_address("www.jianshi.gov.cn")          # named: trusted
    assert not POLICY.checks_address("www.hbjs.gov.cn")             # named: trusted
    assert not POLICY.checks_address("yzz.hbjs.gov.cn")             # the site group: trusted
    assert not POLICY.checks_address("10.0.0.1")                    # a literal: `refused` judges it


def portrait(width: int = 150, height: int = 200) -> bytes:
    import io

    from PIL import Image, ImageDraw
    image = Image.new("RGB", (width, height), (200, 180, 160))
    draw = ImageDraw.Draw(image)
    for n in range(0, width, 6):                                   # some detail: not judged blurred
        draw.line((n, 0, width - n, height), fill=(n % 255, 40, 90), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def serve_bytes(port: int, hits: Hits, pages: dict[str, tuple[int, dict, bytes]]) -> ThreadingHTTPServer:
    """One server on 127.0.0.1 for every name that points there; hits record the Host asked for."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.seen.append((self.headers.get("Host", ""), self.path))
            status, headers, data = pages.get(self.path, (404, {}, b"<html><body>Not Found</body></html>"))
            self.send_response(status)
            for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(data)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_name_that_resolves_to_an_internal_address_is_refused_unless_the_config_names_it(tmp_path):
    """The county's site www.jianshi-test.gov.cn (named: trusted, though it resolves to 127.0.0.1) shows a
    leader photo on img.jianshi-test.gov.cn (same registrable domain, not named) and an article link to
    localhost: both resolve to loopback, so neither is fetched; they are recorded as refused, not broken."""
    import csv
    port = free_port()
    site, img = f"www.jianshi-test.gov.cn:{port}", f"img.jianshi-test.gov.cn:{port}"
    hits = Hits()
    menu = '<ul class="menu"><li><a href="/u/ld/">领导之窗</a></li><li><a href="/u/gzdt/">工作动态</a></li></ul>'
    items = "".join(f'<li><a href="/u/gzdt/{n}.html">县里召开第{n}次安全生产工作会议部署工作</a><span>2024-06-2{n}</span></li>'
                    for n in range(1, 5))
    article = (f'<html><body><div class="content"><h1>会议</h1><p>正文内容，会议部署了下一阶段工作。</p>'
               f'<p><a href="http://localhost:{port}/secret.html">内部系统</a></p></div></body></html>')
    leaders = (f'<html><body>{menu}<table class="ld"><tr><th>照片</th><th>姓名</th><th>职务</th></tr>'
               f'<tr><td><img src="http://{img}/ld/zhang.jpg" width="150" height="200"></td><td>张三</td><td>镇长</td></tr>'
               f'<tr><td><img src="/ld/li.jpg" width="150" height="200"></td><td>李四</td><td>副镇长</td></tr>'
               f'</table></body></html>')
    html = lambda text: (200, {}, text.encode("utf-8"))
    pages = {
        "/robots.txt": (404, {}, b""),
        "/u/": html(f"<html><body>{menu}</body></html>"),
        "/u/ld/": html(leaders),
        "/u/gzdt/": html(f"<html><body>{menu}<ul class='list'>{items}</ul></body></html>"),
        **{f"/u/gzdt/{n}.html": html(article) for n in range(1, 5)},
        "/ld/zhang.jpg": (200, {"Content-Type": "image/jpeg"}, portrait()),
        "/ld/li.jpg": (200, {"Content-Type": "image/jpeg"}, portrait()),
        "/secret.html": html("<html><body>内部系统</body></html>"),
    }
    server = serve_bytes(port, hits, pages)
    config = tmp_path / "sites.toml"
    config.write_text(f'''[county]
name = "某县"
[[columns]]
name = "工作动态"
recency = "动态"
[[columns]]
name = "领导信息"
synonyms = ["领导之窗"]
recency = "static"
role = "leaders"
[[units]]
id = "town"
name = "甲镇"
kind = "乡镇"
url = "http://{site}/u/"
''', encoding="utf-8")
    names = "www.jianshi-test.gov.cn=127.0.0.1,img.jianshi-test.gov.cn=127.0.0.1"
    try:
        done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_CONFIG={config}",
                               "-s", f"DISCLOSURE_OUT={tmp_path / 'runs'}", "-s", "DISCLOSURE_AS_OF=2024-06-30",
                               "-s", "DISCLOSURE_INCREMENTAL=0", "-s", "DISCLOSURE_CHECK_EXTERNAL_LINKS=1",
                               "-s", "TWISTED_DNS_RESOLVER=tests.local_names.LocalNamesResolver",
                               "-s", f"TEST_LOCAL_NAMES={names}"],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
    assert done.returncode in (0, 3), done.stderr[-3000:]
    asked = {host.split(":")[0] for host, _path in hits.seen}
    assert asked == {"www.jianshi-test.gov.cn"}, hits.seen                  # img. and localhost never asked
    assert ("www.jianshi-test.gov.cn:%d" % port, "/ld/li.jpg") in hits.seen   # the named host's photo is
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir() and not p.is_symlink()]
    unit = json.loads((run / "snapshots" / "town.json").read_text(encoding="utf-8"))
    photos = {leader["name"]: leader["photo"] for leader in unit["leaders"]}
    assert photos["张三"]["error"] == "internal_address"
    assert photos["李四"]["width"] == 150 and not photos["李四"]["error"]
    refused_links = [link for link in unit["links"] if link["url"] == f"http://localhost:{port}/secret.html"]
    assert refused_links and all(link["error"] == "internal_address" for link in refused_links)
    assert "'disclosure/internal_address_refused': " in done.stderr
    assert "img.jianshi-test.gov.cn resolves to 127.0.0.1, an internal address the config does not name" in done.stderr
    with open(run / "findings.csv", encoding="utf-8-sig", newline="") as f:
        found = {(row["check"], row["subject"]) for row in csv.DictReader(f)}
    assert ("leader_photo_broken", "张三") not in found and not any(check == "link_broken" for check, _ in found)
