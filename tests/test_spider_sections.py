"""Where a unit's section is: an entry that already is the unit's section on a shared platform
(集约化平台) stays there; a directory of units is no section; another unit's section is never
audited as this unit's. The spider's callbacks fed hand-written responses."""
from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from crawler.extract.navigation import find_unit_in_directory, leads_out_of

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


def spider_for(tmp_path):
    from scrapy.utils.test import get_crawler

    from crawler import settings as project_settings
    from crawler.spiders.disclosure import DisclosureSpider
    config = tmp_path / "sites.toml"
    config.write_text(CONFIG, encoding="utf-8")
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
