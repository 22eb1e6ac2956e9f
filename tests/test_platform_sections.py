"""Units whose sections are pages of one 信息公开平台 told apart by a query value
(unit.jsp?unitid=12), not by folders: whose link is whose, what is the section's menu, what is
an overview block's article, and a directory that leads back to the entry."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from scrapy.http import HtmlResponse

from crawler.extract.listing import parse_list
from crawler.extract.navigation import column_tree, leads_out_of
from crawler.territories import Territories

PLATFORM = "http://xxgk.example.gov.cn"


def unit(uid: str, url: str):
    return SimpleNamespace(id=uid, url=url, overrides={})


def html(body: str, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


def test_a_link_carrying_another_units_query_value_is_that_units():
    places = Territories.of([unit("a", f"{PLATFORM}/xxgk/unit.jsp?unitid=12"),
                             unit("b", f"{PLATFORM}/xxgk/unit.jsp?unitid=27"),
                             unit("town", "http://town.example.gov.cn/")])
    assert places.params == {"a": ("unitid", "12"), "b": ("unitid", "27")}
    assert places.folders == {}                         # /xxgk/ is everyone's: it tells no one apart
    assert places.belongs_to_other("a", f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=3")
    assert not places.belongs_to_other("a", f"{PLATFORM}/xxgk/col.jsp?unitid=12&catid=3")
    # a unit with a site of its own whose section is on the platform under a value no config names
    assert not places.belongs_to_other("town", f"{PLATFORM}/xxgk/col.jsp?unitid=31&catid=3")
    assert places.belongs_to_other("town", f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=3")


def test_folders_still_tell_units_apart_on_folder_platforms():
    places = Territories.of([unit("town", f"{PLATFORM}/gk/town/"), unit("dept", f"{PLATFORM}/gk/dept/")])
    assert places.belongs_to_other("town", f"{PLATFORM}/gk/dept/gzdt/")
    assert not places.belongs_to_other("town", f"{PLATFORM}/gk/town/gzdt/")


def test_the_index_of_a_pages_own_folder_is_up_from_it():
    assert leads_out_of(f"{PLATFORM}/xxgk/", f"{PLATFORM}/xxgk/unit.jsp?unitid=27")
    assert leads_out_of(f"{PLATFORM}/xxgk/index.html", f"{PLATFORM}/xxgk/unit.jsp?unitid=27")
    assert not leads_out_of(f"{PLATFORM}/xxgk/col.jsp?unitid=27", f"{PLATFORM}/xxgk/unit.jsp?unitid=27")


SECTION = """<body><div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xxgk/">政府信息公开</a></li>
<li><a href="/xxgk/zcwj.jsp">政策文件</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<ul class="lmenu"><li><a href="/xxgk/col.jsp?unitid=27&amp;catid=1">政府信息公开指南</a></li>
<li><a href="/xxgk/col.jsp?unitid=27&amp;catid=5">规范性文件</a></li>
<li><a href="/xxgk/col.jsp?unitid=27&amp;catid=7">工作动态</a></li></ul>
<div class="gkblk"><div class="hd"><span>规范性文件</span><a href="/xxgk/col.jsp?unitid=27&amp;catid=5">更多</a></div>
<ul><li><a href="/xxgk/art.jsp?unitid=27&amp;id=625079">关于印发实施方案的通知</a></li>
<li><a href="/xxgk/art.jsp?unitid=27&amp;id=625080">关于进一步加强工作的意见</a></li></ul></div></body>"""


def test_a_platform_sections_columns_are_those_carrying_its_value_and_not_its_blocks_articles():
    columns = {c.name: c.url for c in column_tree(html(SECTION, f"{PLATFORM}/xxgk/unit.jsp?unitid=27"))}
    assert columns == {"政府信息公开指南": f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=1",
                       "规范性文件": f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=5",
                       "工作动态": f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=7"}


def test_a_group_made_mostly_of_the_sections_menu_is_no_list():
    menu = [f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid={n}" for n in range(1, 9)]
    links = "".join(f'<a href="{url}">栏目{n}</a>' for n, url in enumerate(menu)) + '<a href="/hdjl/mb.jsp">部门信箱</a>'
    page = html(f'<body><div class="sub-menu">{links}</div><div class="text"><p>{"本机关依法公开政府信息。" * 8}</p>'
                f'<p>更新时间：2010-11-07</p></div></body>', f"{PLATFORM}/xxgk/col.jsp?unitid=27&catid=1")
    assert parse_list(page, date(2011, 9, 30), not_entries=frozenset(menu)).entries == []


def test_a_directory_leading_back_to_the_entry_reads_the_entry_again_as_the_section(tmp_path):
    from scrapy.http import Request

    from tests.test_spider_sections import answer, spider_for
    spider = spider_for(tmp_path)
    entry = f"{PLATFORM}/gk/town/"
    answer(spider, "town", entry, "<body>甲镇</body>", "entry", entry=True)
    directory = ('<body><ul class="units"><li><a href="/gk/portal/">某县人民政府</a></li><li><a href="/gk/town/">甲镇</a>'
                 '</li><li><a href="/gk/dept/">乙局</a></li><li><a href="/gk/x/">丙局</a></li></ul></body>')
    out = answer(spider, "town", f"{PLATFORM}/gk/", directory, "section")
    again = [r for r in out if isinstance(r, Request)]
    assert [(r.url, r.meta["handler"]) for r in again] == [(entry, "section")]
    assert not [f for f in out if getattr(f, "kind", None) == "column"]          # the directory is no section
