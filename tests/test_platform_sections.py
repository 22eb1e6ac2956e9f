"""Catalogues built unlike a plain menu of columns: units whose sections are pages of one
信息公开平台 told apart by a query value (unit.jsp?unitid=12), not by folders (whose link is whose,
what is the section's menu, what is an overview block's article, a directory that leads back to the
entry); two-level catalogues whose group pages lead to sub-columns; leaders typed as one run of
paragraphs on such a sub-column's page."""
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


# --- two-level catalogues: group pages that lead to sub-columns ------------------------------------

GROUP = """<body><ul id="side-menu"><li><a href="/xxgk/jggk/index.html">机构概况</a></li>
<li><a href="/xxgk/ywgz/index.html">业务工作</a></li></ul>
<div class="right"><div class="lmtit"><span>业务工作</span></div>
<div class="subcol"><div class="subtit"><span>部门动态</span><a href="/xxgk/ywgz/gzdt/index.html">更多</a></div>
<ul><li><a href="/xxgk/ywgz/gzdt/t20110610_1.html">召开安全生产工作会议</a><em>2011.06.10</em></li></ul></div>
<div class="subcol"><div class="subtit"><span>通知公告</span><a href="/xxgk/ywgz/tzgg/index.html">更多</a></div>
<ul><li><a href="/xxgk/ywgz/tzgg/t20110912_2.html">关于党风廉政建设工作的公告</a><em>2011.09.12</em></li></ul></div>
<div class="subcol"><div class="subtit"><span>办事服务</span><a href="/xxgk/ywgz/bsfw/index.html">更多</a></div></div>
</div></body>"""


def test_a_group_page_shows_sub_columns_and_an_article_list_does_not():
    from crawler.extract.navigation import shows_sub_columns
    site = "http://town.example.gov.cn"
    assert shows_sub_columns(html(GROUP, f"{site}/xxgk/ywgz/index.html"), frozenset())
    articles = "".join(f'<li><a href="/xxgk/gzdt/t2011091{n}_{n}.html">第{n}次会议</a><span>2011-09-1{n}</span></li>'
                       for n in range(5))
    assert not shows_sub_columns(html(f"<body><ul>{articles}</ul></body>", f"{site}/xxgk/gzdt/index.html"), frozenset())


def test_a_blocks_more_link_is_its_column_even_beside_dated_blocks_and_never_an_entry():
    site = "http://town.example.gov.cn"
    columns = {c.name: c.url for c in column_tree(html(GROUP, f"{site}/xxgk/ywgz/index.html"))}
    assert {"部门动态", "通知公告", "办事服务"} <= set(columns)       # the empty block's too
    entries = parse_list(html(GROUP, f"{site}/xxgk/ywgz/index.html"), date(2011, 9, 30)).entries
    assert all("更多" not in e.title for e in entries)


def test_a_group_column_page_reads_its_sub_columns_as_columns(tmp_path):
    from scrapy.http import Request

    from tests.test_spider_sections import spider_for
    spider = spider_for(tmp_path)
    url = "http://xxgk.example.gov.cn/gk/town/ywgz/index.html"
    column = {"url": url, "name": "业务工作", "reference": None, "role": None}
    request = spider.request("town", url, "list", ctx={"column": column})
    page = HtmlResponse(url=url, request=request, encoding="utf-8", body=GROUP.replace("/xxgk/", "/gk/town/").encode())
    out = list(spider.on_response(page))
    found = {f.data["name"]: f.data["reference"] for f in out if getattr(f, "kind", None) == "column"}
    assert found.get("部门动态") == "工作动态" and found.get("通知公告") == "通知公告"
    assert "http://xxgk.example.gov.cn/gk/town/ywgz/tzgg/index.html" in [
        r.url for r in out if isinstance(r, Request) and r.meta["handler"] == "list"]


def test_leaders_typed_as_one_run_of_paragraphs_are_each_read_with_their_photo():
    from crawler.extract.leaders import parse_leaders
    people = (("ld1.jpg", "蒋红", "党委书记", "主持全面工作"), ("ld2.jpg", "杨军永", "镇长", "分管办公室、财务工作"),
              ("nopic.jpg", "何玉", "副镇长", "分管业务股室"))
    body = "".join(f'<p style="text-align:center"><img src="/up/{photo}" width="180" height="240"></p>'
                   f"<p><strong>姓名：</strong>{name}</p><p><strong>职务：</strong>{post}</p>"
                   f"<p><strong>分工：</strong>{duties}</p><p>&nbsp;</p>" for photo, name, post, duties in people)
    found = parse_leaders(html(f'<body><div class="TRS_Editor">{body}</div></body>',
                               "http://town.example.gov.cn/xxgk/ldxx/index.html"))
    assert [(l.name, l.post, l.duties, l.photo_url.rsplit("/", 1)[1]) for l in found] == \
        [(name, post, duties, photo) for photo, name, post, duties in people]
