"""The spider framework's parts on their own: snapshot assembly, failure kinds, retries' pauses,
unit selection, the capped GET, the progress table. Fast; the crawl itself is in test_spider_crawl.py."""
from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Request
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError
from twisted.python.failure import Failure

from crawler.config import ReferenceColumn, Unit
from crawler.extensions import PeekDownloads, display_width, summary_table
from crawler.items import Fact
from crawler.middlewares import RedirectLoop, RedirectLoopMiddleware, backoff_delay, classify_failure
from crawler.pipelines import assemble_snapshot
from crawler.run_setup import select_units
from crawler.spiders.handlers import attachment_facts, extension

UNIT = Unit(id="yezhou", name="业州镇", kind="乡镇", url="http://127.0.0.9/")
COL = "http://127.0.0.9/xxgk/gzdt/"


def facts(*specs) -> list[Fact]:
    return [Fact("yezhou", kind, data) for kind, data in specs]


def test_assembly_folds_pages_dates_and_errors():
    snap = assemble_snapshot(UNIT, facts(
        ("unit", {"entry_url": UNIT.url, "host": "127.0.0.9", "own_site": True, "started": "t0"}),
        ("entry", {"fetched": True, "status": 200, "error": None, "error_detail": "",
                   "blocked": None, "blocked_detail": ""}),
        ("fetch", {"url": UNIT.url, "status": 200, "bytes": 1000}),
        ("fetch", {"url": COL, "status": 200, "bytes": 500}),
        ("failure", {"url": "http://127.0.0.9/x", "error": "http_404"}),
        ("failure", {"url": "http://127.0.0.9/y", "error": "http_404"}),
        ("column", {"name": "工作动态", "path": ["信息公开目录", "工作动态"], "url": COL,
                    "reference": "工作动态", "match": "exact"}),
        ("list_page", {"column_url": COL, "truncated": False, "entries": [
            {"title": "甲", "url": COL + "a.html", "date": "2011-09-01", "date_source": "list"},
            {"title": "乙", "url": COL + "b.html", "date": None, "date_source": None}]}),
        # page 2 repeats an entry (pagination overlap) and hits the cap
        ("list_page", {"column_url": COL, "truncated": True, "entries": [
            {"title": "乙", "url": COL + "b.html", "date": None, "date_source": None}]}),
        ("entry_date", {"column_url": COL, "url": COL + "b.html", "date": "2011-09-20"}),
    ), {"run_id": "r", "as_of": "2011-09-30", "finished": "t1"})
    reach = snap["reachability"]
    assert (reach["fetched"], reach["pages"], reach["bytes"]) == (True, 2, 1500)
    assert reach["errors"] == {"http_404": 2}
    column = snap["columns"][0]
    assert column["entry_count"] == 2 and column["pages"] == 2 and column["truncated"]
    assert column["newest"] == "2011-09-20"
    assert column["entries"][1]["date_source"] == "detail"
    assert snap["crawl"]["started"] == "t0"
    assert snap["unit"]["name"] == "业州镇"


def test_assembly_joins_photos_flowcharts_and_keeps_every_link_as_observed():
    snap = assemble_snapshot(UNIT, facts(
        ("leader", {"name": "张三", "post": "镇长", "duties": "全面", "page_url": "p1", "photo_url": "i1"}),
        ("leader", {"name": "李四", "post": "副镇长", "duties": "", "page_url": "p2", "photo_url": None}),
        ("leader", {"name": "王五", "post": "副镇长", "duties": "", "page_url": "p3", "photo_url": "gone"}),
        ("image", {"url": "i1", "role": "photo", "status": 200, "width": 300, "height": 400}),
        ("workflow", {"title": "审批流程", "page_url": "w1", "column": "工作流程", "kind": "attachment",
                      "url": "a1.doc"}),
        ("workflow", {"title": "无图", "page_url": "w2", "column": "工作流程", "kind": "none", "url": None}),
        ("attachment", {"url": "a1.doc", "status": 200, "bytes": 0, "ext": "doc", "error": "empty"}),
        ("link", {"url": "l1", "text": "ok", "page_url": "d", "kind": "link", "status": 200, "bytes": 10,
                  "soft_404": False, "error": None}),
        ("link", {"url": "l2", "text": "坏", "page_url": "d", "kind": "link", "status": 404, "bytes": None,
                  "soft_404": False, "error": None}),
        ("link", {"url": "l2", "text": "坏", "page_url": "d2", "kind": "link", "status": 404, "bytes": None,
                  "soft_404": False, "error": None}),
        ("mailbox", {"url": "m"}),
        ("letters", {"letters": [{"title": "路灯", "url": "m1", "received": "2011-06-03",
                                  "status": "未受理", "answered": None}]}),
    ), {"run_id": "r", "as_of": "2011-09-30", "finished": "t1"})
    photos = {l["name"]: l["photo"] for l in snap["leaders"]}
    assert photos["张三"]["width"] == 300 and photos["张三"]["error"] is None
    assert photos["李四"] is None
    assert photos["王五"]["error"] == "not_fetched"
    charts = {w["title"]: w["flowchart"] for w in snap["workflows"]}
    assert charts["审批流程"]["kind"] == "attachment" and charts["审批流程"]["error"] == "empty"
    assert charts["无图"] == {"kind": "none"}
    assert snap["links_checked"] == 2
    assert [(l["url"], l["status"]) for l in snap["links"]] == [("l1", 200), ("l2", 404)]   # judged by audits/links.py
    assert snap["mailbox"]["url"] == "m" and snap["mailbox"]["letters"][0]["status"] == "未受理"
    json.dumps(snap, ensure_ascii=False)          # JSON-able as it stands


@pytest.mark.parametrize("exc, kind", [
    (DNSLookupError("nowhere"), "dns"),
    (ConnectionRefusedError(), "refused"),
    (TCPTimedOutError(), "timeout"),
    (RedirectLoop("a -> a"), "redirect_loop"),
    (IgnoreRequest("max redirections reached"), "too_many_redirects"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (ValueError("odd"), "other"),
])
def test_failures_are_classified(exc, kind):
    assert classify_failure(Failure(exc))[0] == kind


def test_redirect_back_into_the_chain_is_a_loop():
    from scrapy.http import Response
    mw = RedirectLoopMiddleware()
    request = Request("http://127.0.0.9/b", meta={"redirect_urls": ["http://127.0.0.9/a"]})
    to_a = Response("http://127.0.0.9/b", status=302, headers={"Location": "/a"}, request=request)
    with pytest.raises(RedirectLoop):
        mw.process_response(request, to_a)
    to_c = Response("http://127.0.0.9/b", status=302, headers={"Location": "/c"}, request=request)
    assert mw.process_response(request, to_c) is to_c


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_delay(n, 0.5, 3.0) for n in range(5)] == [0.0, 0.5, 1.0, 2.0, 3.0]


def test_peek_stops_only_marked_requests_after_the_limit():
    peek = PeekDownloads(limit=10, maxsize=1000)
    plain = Request("http://127.0.0.9/big.doc")
    peek.bytes_received(b"x" * 100, plain)          # not marked: never stopped
    marked = Request("http://127.0.0.9/big.doc", meta={"peek": True})
    peek.bytes_received(b"x" * 6, marked)
    with pytest.raises(StopDownload) as stopped:
        peek.bytes_received(b"x" * 6, marked)
    assert stopped.value.fail is False             # the callback still gets the bytes read


def test_peek_of_a_file_over_the_cap_stops_at_its_headers():
    peek = PeekDownloads(limit=10, maxsize=1000)
    marked = Request("http://127.0.0.9/huge.zip", meta={"peek": True})
    peek.headers_received({}, 999, marked)          # within the cap: read its first bytes
    peek.headers_received({}, "twisted.web.iweb.UNKNOWN_LENGTH", marked)
    peek.headers_received({}, 10**9, Request(marked.url))   # not a peek: Scrapy's cap applies
    with pytest.raises(StopDownload) as stopped:
        peek.headers_received({}, 10**9, marked)
    assert stopped.value.fail is False


def test_attachment_facts_from_a_capped_get():
    from scrapy.http import Response
    request = Request("http://127.0.0.9/files/a.PDF")
    response = Response(request.url, status=200, body=b"%PDF-1.4\n...", request=request,
                        headers={"Content-Length": "123456", "Content-Type": "application/pdf"},
                        flags=["download_stopped"])
    got = attachment_facts(response)
    assert got["bytes"] == 123456 and got["ext"] == "pdf" and got["signature"] == "pdf"
    assert got["error"] is None
    empty = Response(request.url, status=200, body=b"", request=request, headers={"Content-Length": "0"})
    assert attachment_facts(empty)["error"] == "empty"


def test_units_by_id_or_name_and_a_clear_error_for_unknown_ones(capsys):
    class Config:
        path = "sites.toml"
        units = (UNIT, Unit(id="guoshui", name="国税局", kind="县直部门"))

        def unit(self, key):
            return next(u for u in self.units if key in (u.id, u.name))

    assert [u.id for u in select_units(Config(), "业州镇，guoshui")] == ["yezhou", "guoshui"]
    assert len(select_units(Config(), "")) == 2
    with pytest.raises(SystemExit) as exited:
        select_units(Config(), "nowhere")
    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert "nowhere" in err and "yezhou (业州镇)" in err and "Traceback" not in err


def test_summary_table_aligns_chinese_names():
    row = dict(unit_id="a", unit="业州镇", entry="ok", pages=3, errors=0, columns=1, entries=2,
               leaders=0, workflows=0, letters=0, links=0)
    lines = summary_table([row, {**row, "unit_id": "b", "unit": "x"}]).splitlines()
    # the "entry" column starts at the same screen column: CJK characters count double
    assert len({display_width(line[:line.index("ok")]) for line in lines[1:]}) == 1


def test_throttle_speeds_up_on_304_as_on_200_but_not_on_errors():
    from types import SimpleNamespace

    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from crawler.nightly import RevalidationAwareAutoThrottle
    throttle = RevalidationAwareAutoThrottle(get_crawler(settings_dict={"AUTOTHROTTLE_ENABLED": True}))
    throttle.mindelay, throttle.maxdelay = 0.0, 10.0
    delays = {}
    for status in (200, 304, 503):
        slot = SimpleNamespace(delay=1.0)
        throttle._adjust_delay(slot, 0.01, Response("http://127.0.0.9/", status=status))
        delays[status] = slot.delay
    assert delays[304] == delays[200] < 1.0
    assert delays[503] == 1.0


def test_leaders_keep_the_order_of_their_list_whatever_order_their_pages_answer_in():
    snap = assemble_snapshot(UNIT, facts(
        ("leader", {"name": "副镇长乙", "page_url": "p3", "photo_url": None, "rank": 2}),
        ("leader", {"name": "书记甲", "page_url": "p1", "photo_url": None, "rank": 0}),
        ("leader", {"name": "镇长丙", "page_url": "p2", "photo_url": None, "rank": 1}),
    ), {"run_id": "r", "as_of": "2011-09-30", "finished": "t1"})
    assert [l["name"] for l in snap["leaders"]] == ["书记甲", "镇长丙", "副镇长乙"]


def test_a_partial_file_torn_by_a_kill_still_gives_a_snapshot(tmp_path):
    from types import SimpleNamespace

    from crawler.pipelines import SnapshotPipeline

    signals_sent = []
    crawler = SimpleNamespace(signals=SimpleNamespace(connect=lambda *a, **k: None,
                                                      send_catch_log=lambda *a, **k: signals_sent.append(k)))
    spider = SimpleNamespace(run_dir=tmp_path, run_id="r", as_of=date(2011, 9, 30),
                             config=SimpleNamespace(unit=lambda key: UNIT))
    crawler.spider = spider
    fetch = Fact("yezhou", "fetch", {"url": "u", "status": 200, "bytes": 5})
    SnapshotPipeline(crawler).process_item(fetch)
    with SnapshotPipeline(crawler).partial_path(spider, "yezhou").open("a", encoding="utf-8") as f:
        f.write('{"unit_id": "yezhou", "kind": "fe')      # the kill came mid-line
    pipeline = SnapshotPipeline(crawler)                   # the resumed crawl's
    pipeline.process_item(fetch)
    pipeline.process_item(Fact("yezhou", "done", {"facts": 2}))
    snapshot = json.loads((tmp_path / "snapshots" / "yezhou.json").read_text(encoding="utf-8"))
    assert snapshot["reachability"]["pages"] == 2          # the torn line lost, the next fact kept
    assert not pipeline.partial_path(spider, "yezhou").exists()
    assert signals_sent[0]["unit_id"] == "yezhou"


@pytest.fixture
def spider(tmp_path):
    """The real spider on the real county config, its run folder in tmp_path, no engine."""
    from scrapy.utils.test import get_crawler

    from crawler.spiders.disclosure import DisclosureSpider
    crawler = get_crawler(DisclosureSpider, {"DISCLOSURE_CONFIG": "config/sites.toml", "DISCLOSURE_OUT": str(tmp_path),
                                             "DISCLOSURE_AS_OF": "2011-09-30", "DISCLOSURE_MAX_LIST_PAGES": 2})
    crawler.spider = DisclosureSpider.from_crawler(crawler, units="业州镇")
    crawler.spider.open_run()
    return crawler.spider


def test_requests_are_counted_per_unit_once_each_within_budget_and_host(spider):
    unit = "yezhouzhen"
    portal = spider.portal_url()
    first = spider.request(unit, portal, "directory", entry=True)
    assert first.meta["unit"] == unit and spider.crawl_state.unit(unit).pending == 1
    assert spider.request(unit, portal, "directory", entry=True) is None          # seen
    pages = [spider.request(unit, f"{portal}?page={n}", "list", budget=("list", "col")) for n in (2, 3, 4)]
    assert [p is not None for p in pages] == [True, True, False]                  # two list pages at most
    assert spider.request(unit, "http://www.example.com/x.html", "link") is None  # outside the county
    assert spider.request(unit, "http://cdn.example.com/a.jpg", "image") is None      # not the county's
    assert spider.request(unit, "http://img.hbjs.gov.cn/a.jpg", "image") is not None  # its media server
    assert spider.request(unit, "http://169.254.169.254/latest/meta-data", "list") is None
    assert spider.crawl_state.unit(unit).pending == 4


def test_a_section_forbidden_by_robots_keeps_the_unit_out_and_the_last_answer_finishes_it(spider):
    from scrapy.exceptions import IgnoreRequest
    unit = "yezhouzhen"
    section = spider.request(unit, spider.portal_url() + "xxgk/", "section")
    failure = Failure(IgnoreRequest("Forbidden by robots.txt"))
    failure.request = section
    out = list(spider.on_failure(failure))
    kinds = [(f.kind, f.data.get("error") or f.data.get("blocked")) for f in out]
    assert kinds == [("failure", "robots"), ("entry", "robots"), ("done", None)]
    assert out[-1].data["facts"] == 2                 # the pipeline waits for both facts before writing


def test_an_attachment_behind_a_download_script_has_the_type_it_names():
    assert extension("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=1100007750.xls") == "xls"
    assert extension("http://a.gov.cn/xxgk/201109/P020110915.DOC") == "doc"
    assert extension("http://a.gov.cn/xxgk/") is None


def test_a_robots_txt_that_cannot_be_fetched_is_one_warning_line(caplog):
    from scrapy import signals
    from scrapy.utils.test import get_crawler
    from crawler.extensions import QuietRobotsErrors
    crawler = get_crawler()
    quiet = QuietRobotsErrors.from_crawler(crawler)
    robots = logging.getLogger(QuietRobotsErrors.LOGGER)
    request = Request("http://127.0.0.9:1/index.html")
    try:
        raise ConnectionRefusedError("Connection was refused by other side")
    except ConnectionRefusedError as exc:        # as RobotsTxtMiddleware logs it
        robots.error("Error downloading %(request)s: %(f_exception)s", {"request": request, "f_exception": exc},
                     exc_info=True)
    (record,) = [r for r in caplog.records if r.name == QuietRobotsErrors.LOGGER]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage().startswith("robots.txt for http://127.0.0.9:1/index.html not fetched "
                                          "(ConnectionRefusedError:")
    assert "Traceback" not in caplog.text
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert quiet not in robots.filters, "the filter leaves with the crawl"   # (other tests' crawlers may hold theirs)


def test_a_letter_shown_on_two_list_pages_is_one_letter():
    letter = {"title": "关于道路损毁问题的反映", "received": "2011-05-03", "status": "未受理", "answered": None}
    snap = assemble_snapshot(UNIT, facts(
        ("mailbox", {"url": "http://127.0.0.9/xx/"}),
        ("letters", {"letters": [{**letter, "url": "http://127.0.0.9/xx/"}]}),
        ("letters", {"letters": [{**letter, "url": "http://127.0.0.9/xx/?page=1"}]})), {})
    assert len(snap["mailbox"]["letters"]) == 1


def test_a_column_keeps_its_pages_own_text_and_nothing_notice():
    snap = assemble_snapshot(UNIT, facts(
        ("column", {"name": "规划计划", "url": COL, "reference": "规划计划"}),
        ("list_page", {"column_url": COL, "entries": [], "text_chars": 4, "nothing_notice": "暂无信息"}),
        ("list_page", {"column_url": COL, "entries": [], "text_chars": 9, "nothing_notice": "暂无内容"})), {})
    (column,) = snap["columns"]
    assert (column["text_chars"], column["nothing_notice"]) == (9, "暂无信息")


def test_a_gbk_page_under_a_utf8_header_is_read_in_the_charset_its_meta_names(caplog):
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import CharsetMiddleware
    middleware = CharsetMiddleware.from_crawler(get_crawler())
    body = '<html><head><meta charset="gb2312"></head><body><a href="/gzdt/">工作动态</a>堃</body></html>'.encode("gbk")
    wrong = HtmlResponse(url="http://x.gov.cn/", body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    fixed = middleware.process_response(Request("http://x.gov.cn/"), wrong)
    assert "工作动态" in fixed.text and "堃" in fixed.text
    assert any("the header says utf-8" in r.getMessage() for r in caplog.records)
    right = HtmlResponse(url="http://x.gov.cn/", body='<p>工作动态</p>'.encode(),
                         headers={"Content-Type": "text/html; charset=utf-8"})
    assert middleware.process_response(Request("http://x.gov.cn/"), right) is right


def test_retry_after_is_waited_for_up_to_a_cap_and_beyond_it_not_retried():
    from scrapy.http import Response

    from crawler.middlewares import RetryBackoffMiddleware, retry_after_seconds
    assert retry_after_seconds(b"3") == 3.0 and retry_after_seconds(None) is None
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0        # a date gone by: at once
    assert retry_after_seconds(b"soon") is None
    middleware = RetryBackoffMiddleware(0.5, 8.0, retry_after_max=60.0)
    short, long = Request("http://x.gov.cn/a"), Request("http://x.gov.cn/b")
    middleware.process_response(short, Response(short.url, status=429, headers={"Retry-After": "3"}))
    middleware.process_response(long, Response(long.url, status=429, headers={"Retry-After": "3600"}))
    assert short.meta["retry_after"] == 3.0 and not short.meta.get("dont_retry")
    assert long.meta["dont_retry"] is True                       # the spider sees the 429: rate_limited


def test_an_entry_answering_429_is_a_rate_limiting_site(tmp_path):
    from scrapy.http import HtmlResponse
    from tests.test_spider_sections import spider_for
    spider = spider_for(tmp_path)
    request = spider.request("town", "http://xxgk.example.gov.cn/gk/town/", "entry", entry=True)
    response = HtmlResponse(url=request.url, status=429, headers={"Retry-After": "3600"}, body=b"slow down",
                            request=request)
    (entry,) = [f.data for f in spider.on_response(response) if getattr(f, "kind", None) == "entry"]
    assert (entry["blocked"], entry["blocked_detail"]) == ("rate_limited", "HTTP 429, Retry-After 3600")


def test_a_huge_robots_txt_is_read_up_to_512_kib():
    from crawler.robots import ROBOTS_MAX_BYTES, BoundedRobotParser
    filler = b"".join(b"Disallow: /noise%07d/\n" % n for n in range(ROBOTS_MAX_BYTES // 20 + 10))
    body = b"User-agent: *\nDisallow: /private/\n" + filler + b"Disallow: /late/\n"
    assert len(body) > ROBOTS_MAX_BYTES
    parser = BoundedRobotParser(body)
    assert not parser.allowed("http://x.gov.cn/private/a.html", "disclosure")
    assert parser.allowed("http://x.gov.cn/late/a.html", "disclosure")       # past the cut: not read


def test_a_lone_surrogate_or_nul_in_crawled_text_never_breaks_a_fact(tmp_path):
    from crawler.items import scrub
    from tests.test_spider_sections import spider_for
    assert scrub({"name": "张\ud800三\x00", "list": ["a\x07b", 3]}) == {"name": "张\ufffd三", "list": ["ab", 3]}
    spider = spider_for(tmp_path)
    fact = spider.fact("town", "leader", name="李\udfff四\x00", post="镇长")
    json.dumps(fact.as_dict(), ensure_ascii=False).encode("utf-8")       # writable
    assert fact.data["name"] == "李\ufffd四"
