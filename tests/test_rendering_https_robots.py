"""Rendering as the static crawl fetches: over HTTPS on a certificate a browser warns about (the
page is still read, and the certificate is still a finding), never a request of the browser
that the site's robots.txt forbids (its scripts' XHR/fetch calls go through the crawl's own
robots.txt decision; a page whose data is forbidden is unread, not empty), and a page whose data
endpoint is down is unread, as a static page answering 5xx is."""
from __future__ import annotations

import asyncio
import csv
from types import SimpleNamespace

import pytest
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.test import get_crawler

from crawler.robots import BoundedRobotParser, allowed_by_robots
from sandbox.tls import make_ca, server_context, site_certificate
from tests.render_web import COLUMNS, LEADERS, LETTERS, start_web
from tests.test_rendering_chromium import CHROMIUM, crawl, facts

PORTS = range(19870, 19900)
ROBOTS = "User-agent: *\nDisallow: /api/\n"


def findings(out) -> list[dict]:
    with open(out / "runs/latest/findings.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def crawler_with_robots(body: str, netloc: str = "x.gov.cn"):
    """A crawler whose RobotsTxtMiddleware has read `body` for `netloc` (no download)."""
    real = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "ROBOTSTXT_PARSER": "crawler.robots.BoundedRobotParser",
                                      "USER_AGENT": "disclosure-auditor"})
    middleware = RobotsTxtMiddleware(real)
    middleware._parsers[netloc] = BoundedRobotParser(body.encode())
    engine = SimpleNamespace(downloader=SimpleNamespace(middleware=SimpleNamespace(middlewares=[middleware])))
    return SimpleNamespace(engine=engine, settings=real.settings)


def test_the_browsers_requests_get_the_crawls_robots_decision():
    crawler = crawler_with_robots(ROBOTS + "User-agent: disclosure-auditor\nDisallow: /private/\n")
    allowed = lambda url: asyncio.run(allowed_by_robots(crawler, url))    # noqa: E731
    assert allowed("http://x.gov.cn/static/app.js")
    assert not allowed("http://x.gov.cn/private/list.json")               # the group naming our agent
    assert allowed("http://x.gov.cn/api/list.json")                       # not in our agent's group
    assert not asyncio.run(allowed_by_robots(crawler_with_robots(ROBOTS), "http://x.gov.cn/api/list.json?page=2"))
    # robots.txt not obeyed: nothing refused
    assert asyncio.run(allowed_by_robots(SimpleNamespace(engine=None, settings=crawler.settings),
                                         "http://x.gov.cn/private/x"))


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")


def test_a_drawn_site_over_https_on_a_self_signed_certificate_is_rendered(chromium, tmp_path):
    key, certificate = site_certificate("self_signed", "127.0.0.1", make_ca())
    web = start_web(False, PORTS, tls=server_context(key, certificate))
    try:
        snapshot, _ = crawl(web, tmp_path)
    finally:
        web.stop()
    got = facts(snapshot)
    assert snapshot["crawl"]["rendered"] > 0 and not snapshot["unread"]
    assert got["leaders"] == [(n, p) for n, p, _ in LEADERS]
    assert sorted(t for t, _, _ in got["letters"]) == sorted(t for t, _, _ in LETTERS)
    assert {ref: len(got["columns"].get(ref, ())) for ref, _ in COLUMNS.values()} == dict(COLUMNS.values())
    found = [(f["check"], f["observed"]) for f in findings(tmp_path)]
    assert ("site_certificate_invalid", "自签名证书") in found


def test_the_browser_asks_nothing_robots_txt_forbids(chromium, tmp_path):
    web = start_web(False, PORTS, robots=ROBOTS)
    try:
        snapshot, _ = crawl(web, tmp_path)
    finally:
        web.stop()
    assert web.hits.get("/static/app.js") or web.hits.get("/static/menu.js")   # scripts are allowed
    assert not [path for path in web.hits if path.startswith("/api/")]
    assert snapshot["unread"] and {u["why"] for u in snapshot["unread"]} == {"render_robots"}
    checks = {f["check"] for f in findings(tmp_path)}
    assert not checks & {"column_missing", "column_empty", "coverage_narrow", "site_stale"}, checks


def test_a_drawn_page_whose_data_endpoint_is_down_is_unread_not_empty(chromium, tmp_path):
    web = start_web(False, PORTS, failing=("/api/leaders.json",))
    try:
        snapshot, log = crawl(web, tmp_path)
    finally:
        web.stop()
    assert [(u["kind"], u["why"]) for u in snapshot["unread"]] == [("list", "not_rendered")]
    assert snapshot["leaders"] == [] and len(facts(snapshot)["letters"]) == len(LETTERS)   # the rest is read
    assert not [f for f in findings(tmp_path) if f["check"] == "column_empty" and f["column"] == "领导信息"]
    assert "its data request" in log and "/api/leaders.json" in log
