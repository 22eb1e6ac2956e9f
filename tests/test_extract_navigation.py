"""navigation: disclosure section, column tree, unit directory, mailbox; columns.map_column."""
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.config import ReferenceColumn
from crawler.extract.columns import map_column
from crawler.extract.navigation import (column_tree, find_disclosure_link, find_mailbox_link,
                                        find_unit_section)

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def html(body: str, url: str = "http://www.example.gov.cn/") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


def test_column_tree_reads_nested_menus_tables_and_groups():
    response = HtmlResponse(url="http://www.example.gov.cn/xxgk/index.html",
                            body=(FIXTURES / "section_nested.html").read_bytes())
    columns = {c.name: c for c in column_tree(response)}
    assert columns["领导之窗"].path == ("信息公开目录", "机构概况", "领导之窗")   # "(5)" and nbsp gone
    assert columns["领导之窗"].url == "http://www.example.gov.cn/xxgk/jggk/ldzc/"
    assert columns["部门动态"].url == "http://www.example.gov.cn/xxgk/gzdt/"        # full-width spaces gone, one URL
    assert columns["工作流程图"].path == ("业务工作", "工作流程图")
    assert columns["依申请公开"].path == ("依申请公开", "依申请公开")      # a <dt> heads its <dd>
    # chrome, footer, the section itself, breadcrumbs and the dated article list are no columns
    for absent in ("首页", "网站地图", "联系我们", "新闻中心", "信息公开", "县长信箱", "中国政府网"):
        assert absent not in columns
    assert not any("t2011" in c.url for c in columns.values())
    assert len([c for c in columns.values() if c.name == "部门动态"]) == 1


def test_unit_directory_and_mailboxes_are_no_columns():
    page = html("""<body><ul class="menu"><li><a href="/xxgk/ldxx/">领导信息</a></li><li><a href="/xxgk/tzgg/">通知公告</a></li>
        <li><a href="/xxgk/gzdt/">工作动态</a></li><li><a href="/xxgk/xzxx/">县长信箱</a></li></ul>
        <h3>部门信息公开</h3><ul class="units"><li><a href="/xxgk/ly/">县林业局</a></li><li><a href="/xxgk/mt/">茅田乡</a></li>
        <li><a href="/xxgk/yz/">业州镇</a></li><li><a href="/xxgk/kfb/">开发办</a></li><li><a href="/xxgk/jy/">县教育局</a></li></ul></body>""",
                url="http://www.example.gov.cn/xxgk/index.html")
    assert [c.name for c in column_tree(page)] == ["领导信息", "通知公告", "工作动态"]


def test_disclosure_link_prefers_the_most_specific():
    page = html("""<body><a href="/">首页</a><a href="/zwgk/">政务公开</a>
        <a href="/xxgk/xxgkzn/">信息公开指南</a><a href="/zfxxgk/">政府信息公开</a></body>""")
    assert find_disclosure_link(page) == "http://www.example.gov.cn/zfxxgk/"
    by_path = html("""<body><a href="/">首页</a><a href="/news/">新闻</a><a href="/xxgk/index.html"><img alt="" src="a.gif"></a></body>""")
    assert find_disclosure_link(by_path) == "http://www.example.gov.cn/xxgk/index.html"
    assert find_disclosure_link(html("<body><a href='/news/'>新闻</a></body>")) is None
    portal_banner = html("""<body><a href="http://www.hbjs.gov.cn/zfxxgk/">建始县政府信息公开</a>
        <a href="/zwgk/index.html">信息公开</a></body>""")
    assert find_disclosure_link(portal_banner) == "http://www.example.gov.cn/zwgk/index.html"


def test_unit_section_exact_then_without_county_prefix():
    page = html("""<body><ul><li><a href="/u/gs/">县国税局</a></li><li><a href="/u/ds/">建始县地方税务局</a></li>
        <li><a href="/u/ds2/">地税局</a></li><li><a href="/u/ly/">县林业局</a></li></ul></body>""")
    assert find_unit_section(page, "国税局") == "http://www.example.gov.cn/u/gs/"
    assert find_unit_section(page, "地税局") == "http://www.example.gov.cn/u/ds2/"
    assert find_unit_section(page, "建始县林业局") == "http://www.example.gov.cn/u/ly/"
    assert find_unit_section(page, "档案局") is None
    full_names = html("""<body><a href="/u/1/">建始县国家税务局</a><a href="/u/2/">县民族宗教事务局</a>
        <a href="/u/3/">县国土资源局</a></body>""")
    assert find_unit_section(full_names, "国税局") == "http://www.example.gov.cn/u/1/"
    assert find_unit_section(full_names, "民宗局") == "http://www.example.gov.cn/u/2/"
    assert find_unit_section(full_names, "地税局") is None


def test_mailbox_link_exact_name_before_contained():
    page = html("""<body><a href="/a/">局长信箱使用说明</a><a href="/b/">局长信箱</a></body>""")
    assert find_mailbox_link(page, ["局长信箱"]) == "http://www.example.gov.cn/b/"
    assert find_mailbox_link(page, ["网上信访"]) is None


LAYOUT = (
    ReferenceColumn("领导信息", ("领导之窗", "领导简介", "负责人信息")),
    ReferenceColumn("工作流程", ("办事流程", "权力运行流程图")),
    ReferenceColumn("工作动态", ("动态信息",)),
    ReferenceColumn("通知公告", ("公示公告",)),
    ReferenceColumn("信息公开年报", ()),
    ReferenceColumn("人事信息", ("人事任免",)),
)


@pytest.mark.parametrize("name, expected", [
    ("领导信息", ("领导信息", "exact")),
    ("领导之窗（5）", ("领导信息", "synonym")),
    ("工作流程图", ("工作流程", "fuzzy")),
    ("部门动态 ", ("工作动态", "fuzzy")),
    ("政务动态", ("工作动态", "fuzzy")),
    ("领导分工", ("领导信息", "fuzzy")),
    ("政府信息公开年报", ("信息公开年报", "fuzzy")),
    ("人事任免信息", ("人事信息", "fuzzy")),
    ("网上信访", (None, "none")),
    ("政务公开", (None, "none")),
    ("办事指南", (None, "none")),
    ("", (None, "none")),
])
def test_map_column(name, expected):
    assert map_column(name, LAYOUT) == expected


def test_an_overview_blocks_short_article_titles_are_no_columns():
    page = html("""<body><ul class="tree"><li><a href="/gk/zcwj/">政策文件</a></li><li><a href="/gk/ghjh/">规划计划</a></li>
        <li><a href="/gk/gzdt/">工作动态</a></li></ul><div class="blk"><h3><a href="/gk/ghjh/">规划计划</a></h3><ul>
        <li><a href="/gk/ghjh/201108/t20110815_620856.shtml">2011年农民增收工作计划</a></li>
        <li><a href="/art/2011/6/1/art_12_345.html">2011年上半年工作总结</a></li>
        <li><a href="/html/show-12-345.html">魔芋产业工作计划</a></li><li><a href="/a/2011/0915/77.html">安全生产工作计划</a></li>
        </ul></div></body>""", url="http://www.example.gov.cn/gk/index.html")
    assert [c.name for c in column_tree(page)] == ["政策文件", "规划计划", "工作动态"]


def test_an_interaction_section_sharing_the_mailbox_address_is_no_column():
    """A top menu's 互动交流 links to the mailbox page the column tree names 部门信箱: the interaction
    section is no column (the mailbox is found by its own names, find_mailbox_link)."""
    page = html("""<body><ul class="top"><li><a href="/">首页</a></li><li><a href="/col/col1/index.html">政府信息公开</a></li>
        <li><a href="/hdjl/letters.html">互动交流</a></li><li><a href="/hd/">政民互动</a></li></ul>
        <div class="tree"><a href="/col/col2/index.html">公开指南</a> <a href="/col/col3/index.html">领导信息</a>
        <a href="/col/col4/index.html">工作动态</a> <a href="/hdjl/letters.html">部门信箱</a></div></body>""",
                url="http://www.example.gov.cn/col/col1/index.html")
    names = [c.name for c in column_tree(page)]
    assert names == ["公开指南", "领导信息", "工作动态"]
    assert find_mailbox_link(page, ["部门信箱"]) == "http://www.example.gov.cn/hdjl/letters.html"
