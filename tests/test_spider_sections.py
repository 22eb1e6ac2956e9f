"""Where a unit's section is: an entry that already is the unit's section on a shared platform
(集约化平台) stays there; a directory of units is no section; another unit's section is never
audited as this unit's. The spider's callbacks fed hand-written responses."""
from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from audits.links import failure
from crawler.extract.navigation import find_unit_in_directory, leads_out_of
from tests.conftest import REPO

PLATFORM = "http://xxgk.example.gov.cn"
CONFIG = f"""
[county]
name = "某县"
portal = "portal"
[[columns]]
name = "工作动态"
recency = "动态"
[[columns]]
name = "通知公告"
recency = "通知公告"
[[columns]]
name = "领导信息"
role = "leaders"
[[columns]]
name = "规划计划"
recency = "规划计划"
[[units]]
id = "portal"
name = "某县人民政府"
kind = "门户"
url = "{PLATFORM}/gk/portal/"
[[units]]
id = "town"
name = "甲镇"
kind = "乡镇"
url = "{PLATFORM}/gk/town/"
[[units]]
id = "dept"
name = "乙局"
kind = "县直部门"
url = "{PLATFORM}/gk/dept/"
"""

# A unit's section on the platform: its own side tree, a top menu and breadcrumb leading up.
TOWN_SECTION = """<html><body><div class="nav"><a href="/">首页</a><a href="/gk/">政务公开</a></div>
<div class="left"><h3><a href="/gk/town/">甲镇</a></h3><ul>
<li><a href="/gk/town/gzdt/">工作动态</a></li><li><a href="/gk/town/tzgg/">通知公告</a></li>
<li><a href="/gk/town/ldxx/">领导简介</a></li><li><a href="/gk/town/ghjh/">规划计划</a></li>
<li><a href="/gk/dept/gzdt/">乙局工作动态</a></li></ul></div>
<div class="here">当前位置：<a href="/">首页</a> &gt; <a href="/gk/">政务公开</a> &gt; 甲镇</div></body></html>"""

DIRECTORY = """<html><body><a href="/gk/">政务公开</a><ul class="units">
<li><a href="/gk/portal/">某县人民政府</a></li><li><a href="/gk/town/">甲镇</a></li>
<li><a href="/gk/dept/">乙局</a></li><li><a href="/gk/x/">丙局</a></li><li><a href="/gk/y/">丁乡</a></li>
</ul></body></html>"""


def spider_for(tmp_path, extra: str = ""):
    from scrapy.utils.test import get_crawler

    from crawler import settings as project_settings
    from crawler.spiders.disclosure import DisclosureSpider
    config = tmp_path / "sites.toml"
    config.write_text(CONFIG + extra, encoding="utf-8")
    settings = {name: value for name, value in vars(project_settings).items() if name.isupper()}
    crawler = get_crawler(DisclosureSpider, {**settings, "DISCLOSURE_CONFIG": str(config),
                                             "DISCLOSURE_OUT": str(tmp_path / "runs"), "DISCLOSURE_AS_OF": "2024-06-30"})
    spider = DisclosureSpider.from_crawler(crawler)
    crawler.spider = spider
    spider.open_run()
    return spider


def answer(spider, unit: str, url: str, body: str, handler: str, entry: bool = False):
    request = spider.request(unit, url, handler, entry=entry)
    response = HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8", request=request)
    return list(spider.on_response(response))


def requested(out, handler: str) -> list[str]:
    return [r.url for r in out if isinstance(r, Request) and r.meta["handler"] == handler]


def test_links_up_or_sideways_lead_out_of_a_page_below_the_root():
    assert leads_out_of(f"{PLATFORM}/gk/", f"{PLATFORM}/gk/town/")
    assert leads_out_of("http://other.gov.cn/xxgk/", f"{PLATFORM}/gk/town/index.html")
    assert not leads_out_of(f"{PLATFORM}/gk/town/xxgk/", f"{PLATFORM}/gk/town/")
    assert not leads_out_of(f"{PLATFORM}/xxgk/", f"{PLATFORM}/")           # a home page's section is below it
    assert not leads_out_of(f"{PLATFORM}/xxgk/", f"{PLATFORM}/index.html")


def test_an_entry_that_shows_its_own_column_tree_is_the_section(tmp_path):
    spider = spider_for(tmp_path)
    out = answer(spider, "town", f"{PLATFORM}/gk/town/", TOWN_SECTION, "entry", entry=True)
    assert requested(out, "section") == []                       # the directory is not followed
    columns = [f.data for f in out if getattr(f, "kind", None) == "column"]
    assert {c["reference"] for c in columns} == {"工作动态", "通知公告", "领导信息", "规划计划"}
    assert all("/gk/town/" in c["url"] for c in columns)          # the other unit's column is not ours


def test_a_home_page_still_leads_to_its_section(tmp_path):
    spider = spider_for(tmp_path)
    home = TOWN_SECTION.replace("/gk/town/", "/").replace('href="/gk/"', 'href="/xxgk/"')
    out = answer(spider, "town", f"{PLATFORM}/", home, "entry", entry=True)
    assert requested(out, "section") == [f"{PLATFORM}/xxgk/"]


def test_a_directory_of_units_leads_to_the_units_own_section(tmp_path):
    spider = spider_for(tmp_path)
    assert find_unit_in_directory(HtmlResponse(url=f"{PLATFORM}/gk/", body=DIRECTORY.encode(), encoding="utf-8"),
                                  "甲镇") == f"{PLATFORM}/gk/town/"
    out = answer(spider, "dept", f"{PLATFORM}/gk/", DIRECTORY, "section")
    assert requested(out, "section") == [f"{PLATFORM}/gk/dept/"]
    assert not [f for f in out if getattr(f, "kind", None) == "column"]


STATIC_GUIDE = TOWN_SECTION.replace("</body>", """<div class="content"><h2>政府信息公开指南</h2>
<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，结合本单位实际，编制本指南。</p>
<p>附件：<a href="/gk/town/zn/sqb.doc">政府信息公开申请表</a></p></div></body>""")


def test_a_static_column_page_has_no_menu_entries_and_its_attachments_are_checked(tmp_path):
    spider = spider_for(tmp_path)
    answer(spider, "town", f"{PLATFORM}/gk/town/", TOWN_SECTION, "entry", entry=True)     # the menu is known
    column = {"url": f"{PLATFORM}/gk/town/zn/", "name": "政府信息公开指南", "reference": None, "role": None}
    request = spider.request("town", column["url"], "list", ctx={"column": column})
    out = list(spider.on_response(HtmlResponse(url=column["url"], body=STATIC_GUIDE.encode(), encoding="utf-8",
                                               request=request)))
    (page,) = [f.data for f in out if getattr(f, "kind", None) == "list_page"]
    assert page["entries"] == [] and page["text_chars"] > 40 and page["nothing_notice"] is None
    assert requested(out, "link") == [f"{PLATFORM}/gk/town/zn/sqb.doc"]


def test_a_list_entry_whose_page_is_gone_is_a_broken_link_of_its_list(tmp_path):
    spider = spider_for(tmp_path)
    column = {"url": f"{PLATFORM}/gk/town/tzgg/", "name": "通知公告", "reference": "通知公告", "role": None}
    ctx = {"column": column, "title": "关于开展安全检查的通知", "date": "2024-05-01", "list_url": column["url"]}
    for status, body, error in ((404, "<html><body>Not Found</body></html>", "http_404"),
                                (200, "<html><body><h1>页面不存在</h1><p>您访问的页面不存在或已被删除</p></body></html>",
                                 "soft_404")):
        url = f"{PLATFORM}/gk/town/tzgg/{status}.html"
        request = spider.request("town", url, "detail", ctx=ctx)
        out = list(spider.on_response(HtmlResponse(url=url, status=status, body=body.encode(), encoding="utf-8",
                                                   request=request)))
        (link,) = [f.data for f in out if getattr(f, "kind", None) == "link"]
        assert (link["text"], link["page_url"]) == (ctx["title"], column["url"])
        assert failure(link) == error                     # the spider observes, audits/links.py judges


def test_a_appointment_notice_listed_in_any_column_is_read_for_its_appointments(tmp_path):
    spider = spider_for(tmp_path)
    column = {"url": f"{PLATFORM}/gk/town/tzgg/", "name": "通知公告", "reference": "通知公告", "role": None}
    listing = """<html><body><ul class="list">""" + "".join(
        f"<li><a href='/gk/town/tzgg/{n}.html'>{title}</a><span>2024-05-0{n}</span></li>"
        for n, title in enumerate(["关于开展安全检查的通知", "关于李明等同志职务任免的通知", "关于做好防汛工作的通知",
                                   "关于召开全镇干部大会的通知"], 1)) + "</ul></body></html>"
    spider.limits["details"] = 0                      # no budget for ordinary articles' pages
    request = spider.request("town", column["url"], "list", ctx={"column": column})
    out = list(spider.on_response(HtmlResponse(url=column["url"], body=listing.encode(), encoding="utf-8",
                                               request=request)))
    (notice,) = [r for r in out if isinstance(r, Request) and r.meta["handler"] == "detail"]
    article = "<html><body><h1>关于李明等同志职务任免的通知</h1><div class='content'><p>经研究决定：任命李明为甲镇副镇长；免去王强的甲镇副镇长职务。</p></div></body></html>"
    out = list(spider.on_response(HtmlResponse(url=notice.url, body=article.encode(), encoding="utf-8", request=notice)))
    assert {(f.data["person"], f.data["action"]) for f in out if getattr(f, "kind", None) == "appointment"} == \
        {("李明", "任"), ("王强", "免")}


def test_a_page_that_could_not_be_read_is_unread_and_a_gone_one_is_not(tmp_path):
    from scrapy.exceptions import IgnoreRequest
    from twisted.internet.error import TimeoutError
    from twisted.python.failure import Failure
    spider = spider_for(tmp_path)
    column = {"url": f"{PLATFORM}/gk/town/tzgg/", "name": "通知公告", "reference": "通知公告", "role": None}
    busy = spider.request("town", column["url"], "list", ctx={"column": column})
    out = list(spider.on_response(HtmlResponse(url=busy.url, status=503, body=b"busy", request=busy)))
    assert [(f.data["kind"], f.data["why"], f.data["column_url"]) for f in out if getattr(f, "kind", None) == "unread"] \
        == [("list", "http_503", column["url"])]
    slow = spider.request("town", f"{PLATFORM}/gk/town/", "section")
    failure = Failure(TimeoutError())
    failure.request = slow
    assert [f.data["why"] for f in spider.on_failure(failure) if getattr(f, "kind", None) == "unread"] == ["timeout"]
    gone = spider.request("town", f"{PLATFORM}/gk/town/ghjh/", "list", ctx={"column": column})
    out = list(spider.on_response(HtmlResponse(url=gone.url, status=404, body=b"", request=gone)))
    assert not [f for f in out if getattr(f, "kind", None) == "unread"]          # an answer: the page is gone
    robots = spider.request("town", f"{PLATFORM}/gk/town/rsxx/", "list", ctx={"column": column})
    failure = Failure(IgnoreRequest("Forbidden by robots.txt"))
    failure.request = robots
    assert not [f for f in spider.on_failure(failure) if getattr(f, "kind", None) == "unread"]


def test_every_page_kind_has_its_methods_and_every_request_a_kind():
    import re

    from crawler.pages import CONTENT_KINDS, PAGE_KINDS
    from crawler.spiders.disclosure import DisclosureSpider
    for name, kind in PAGE_KINDS.items():
        assert callable(getattr(DisclosureSpider, kind.callback)), name
        assert kind.errback is None or callable(getattr(DisclosureSpider, kind.errback)), name
    source = "".join((REPO / "crawler" / "spiders" / name).read_text(encoding="utf-8")
                     for name in ("disclosure.py", "handlers.py"))
    used = set(re.findall(r'self\.(?:page_)?request\(\s*[\w.\[\]"]+,\s*[^,()]+,\s*"(\w+)"', source))
    assert used and used <= set(PAGE_KINDS), used - set(PAGE_KINDS)
    assert CONTENT_KINDS == {"detail", "link", "image", "attachment"}


def test_columns_per_unit_are_capped_with_a_log_line(tmp_path, caplog):
    spider = spider_for(tmp_path)
    spider.limits["columns"] = 3
    menu = "".join(f'<li><a href="/gk/town/c{n}/">栏目{n:04d}</a></li>' for n in range(3000))
    out = answer(spider, "town", f"{PLATFORM}/gk/town/", f"<html><body><ul>{menu}</ul></body></html>", "section")
    assert len([f for f in out if getattr(f, "kind", None) == "column"]) == 3
    assert len(requested(out, "list")) == 3
    assert any("more than DISCLOSURE_MAX_COLUMNS_PER_UNIT" in r.getMessage() for r in caplog.records)


SELECTORS = """[units.overrides]
selectors = { menu = "#real-menu", list = "table.news", leaders = ".people", workflows = ".flows", letters = "#mail" }
"""


def test_a_units_selectors_pick_what_the_heuristics_read(tmp_path):
    spider = spider_for(tmp_path, SELECTORS.replace("[units.overrides]", "[units.overrides]", 1))
    # every key is given for the last unit of CONFIG (乙局); the heuristics would read the decoys
    unit = "dept"
    decoy_menu = "".join(f'<li><a href="/gk/dept/x{n}/">工作动态{n}</a></li>' for n in range(6))
    page = f"""<html><body><ul>{decoy_menu}</ul><div id="real-menu"><a href="/gk/dept/tzgg/">通知公告</a>
        <a href="/gk/dept/ghjh/">规划计划</a></div></body></html>"""
    columns = [f.data["name"] for f in answer(spider, unit, f"{PLATFORM}/gk/dept/", page, "section")
               if getattr(f, "kind", None) == "column"]
    assert columns == ["通知公告", "规划计划"]
    rows = "".join(f"<tr><td><a href='/gk/dept/tzgg/{n}.html'>关于开展第{n}批安全检查工作的通知</a></td><td>2024-05-0{n}</td></tr>"
                   for n in range(1, 4))
    decoy = "".join(f"<li><a href='/gk/dept/other/{n}.html'>其他栏目的一篇很长很长的文章标题第{n}篇</a> 2024-06-0{n}</li>"
                    for n in range(1, 9))
    column = {"url": f"{PLATFORM}/gk/dept/tzgg/index.html", "name": "通知公告", "reference": "通知公告", "role": None}
    request = spider.request(unit, column["url"], "list", ctx={"column": column})
    body = f"<html><body><ul>{decoy}</ul><table class='news'>{rows}</table></body></html>"
    out = list(spider.on_response(HtmlResponse(url=column["url"], body=body.encode(), encoding="utf-8", request=request)))
    (listed,) = [f.data for f in out if getattr(f, "kind", None) == "list_page"]
    assert [e["url"].rsplit("/", 1)[1] for e in listed["entries"]] == ["1.html", "2.html", "3.html"]


def test_a_selector_that_picks_nothing_falls_back_to_the_whole_page(tmp_path, caplog):
    spider = spider_for(tmp_path, SELECTORS)
    page = "<html><body><ul><li><a href='/gk/dept/gzdt/'>工作动态</a></li><li><a href='/gk/dept/tzgg/'>通知公告</a></li></ul></body></html>"
    request = spider.request("dept", f"{PLATFORM}/gk/dept/", "section")
    response = HtmlResponse(url=request.url, body=page.encode(), encoding="utf-8", request=request)
    assert spider.selected(response, "menu") is response
    assert any("picks nothing" in r.getMessage() for r in caplog.records)
    assert spider.selected(response, "leaders") is response               # (a key not given would be too)


def test_leaders_workflows_and_letters_selectors_narrow_the_page(tmp_path):
    spider = spider_for(tmp_path, SELECTORS)
    page = """<html><body><div class="people"><p>A</p></div><div class="flows"><p>B</p></div>
        <table id="mail"><tr><td>C</td></tr></table><div class="other">D</div></body></html>"""
    request = spider.request("dept", f"{PLATFORM}/gk/dept/ldxx/", "list", ctx={"column": {}})
    response = HtmlResponse(url=request.url, body=page.encode(), encoding="utf-8", request=request)
    for key, shown in (("leaders", "A"), ("workflows", "B"), ("letters", "C")):
        narrowed = spider.selected(response, key)
        assert shown in narrowed.text and "D" not in narrowed.text and narrowed.url == response.url


def test_a_page_nested_deeper_than_the_parser_keeps_is_unread_not_empty(tmp_path):
    spider = spider_for(tmp_path)
    column = {"url": f"{PLATFORM}/gk/town/gzdt/", "name": "工作动态", "reference": "工作动态", "role": None}
    request = spider.request("town", column["url"], "list", ctx={"column": column})
    items = "".join(f"<li><a href='/gk/town/gzdt/{n}.html'>镇里召开第{n}次工作会议</a> 2024-06-0{n}</li>" for n in range(1, 5))
    body = "<html><body>" + "<div>" * 3000 + "x" + "</div>" * 3000 + f"<ul>{items}</ul></body></html>"
    out = list(spider.on_response(HtmlResponse(url=column["url"], body=body.encode(), encoding="utf-8", request=request)))
    assert [f.data["why"] for f in out if getattr(f, "kind", None) == "unread"] == ["cut_by_depth"]
    assert not [f for f in out if getattr(f, "kind", None) == "list_page"]


def test_requests_per_unit_are_capped_with_one_log_line(tmp_path, caplog):
    spider = spider_for(tmp_path)
    spider.limits["requests"] = 3
    made = [spider.request("town", f"{PLATFORM}/gk/town/p{n}.html", "detail") for n in range(6)]
    assert [r is not None for r in made] == [True, True, True, False, False, False]
    assert sum("DISCLOSURE_MAX_REQUESTS_PER_UNIT" in r.getMessage() for r in caplog.records) == 1
    assert spider.request("dept", f"{PLATFORM}/gk/dept/p0.html", "detail") is not None   # other units go on
