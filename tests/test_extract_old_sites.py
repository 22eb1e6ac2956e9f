"""Heuristics for older county sites (2008-2014 CMSs and hand-made ASP sites), each on a small
hand-written page: a home page that sends the browser on, links only a script opens, a section
shown as an overview of blocks with 更多 links, menus of picture buttons, framesets and iframes,
workflow rows linking straight to their charts, letters answered on their own page."""
from __future__ import annotations

from datetime import date

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request

from crawler.extract.listing import parse_list
from crawler.extract.mailbox import parse_letter_page
from crawler.extract.navigation import client_redirect, column_tree, frame_sources
from crawler.extract.workflows import parse_workflows
from tests.test_spider_sections import PLATFORM, answer, requested, spider_for

AS_OF = date(2011, 9, 30)
SITE = "http://www.example.gov.cn"


def html(body: str, url: str = f"{SITE}/") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


# --- a home page that sends the browser on ----------------------------------------------------

def test_a_stub_page_that_sets_window_location_redirects():
    stub = html('<html><body><script>window.location.href="/index1.asp";</script>'
                '<a href="/index1.asp">如果您的浏览器没有自动跳转，请点击这里</a></body></html>')
    assert client_redirect(stub, 100) == f"{SITE}/index1.asp"
    assert client_redirect(html("<script>location.replace('/web/Default.aspx')</script>"), 100) == \
        f"{SITE}/web/Default.aspx"


def test_a_meta_refresh_redirects_within_the_delay_only():
    page = '<html><head><META HTTP-EQUIV="Refresh" CONTENT="{}; URL=index.htm"></head><body>请稍候……</body></html>'
    assert client_redirect(html(page.format(1)), 100) == f"{SITE}/index.htm"
    assert client_redirect(html(page.format(300)), 100) is None       # a page reloading itself now and then


def test_a_page_with_content_is_not_a_redirect_for_its_scripts():
    menu = "".join(f'<a href="/c{n}/">栏目{n}</a>' for n in range(5))
    page = html(f"<body>{menu}<p>{'本站正文。' * 40}</p><script>if (x) location.href='/m/';</script></body>")
    assert client_redirect(page, 100) is None


def test_client_redirects_pass_the_fetch_policy(tmp_path):
    from crawler.middlewares import ClientRedirectMiddleware
    spider = spider_for(tmp_path)
    middleware = ClientRedirectMiddleware.from_crawler(spider.crawler)
    request = spider.request("town", f"{PLATFORM}/gk/town/", "entry", entry=True)

    def stub(target: str) -> HtmlResponse:
        return HtmlResponse(url=request.url, request=request, encoding="utf-8",
                            body=f'<script>window.location.href="{target}";</script>'.encode())
    followed = middleware.process_response(request, stub("/gk/town/index.asp"))
    assert isinstance(followed, Request) and followed.url == f"{PLATFORM}/gk/town/index.asp"
    assert followed.meta["handler"] == "entry" and followed.meta["redirect_urls"] == [request.url]
    with pytest.raises(IgnoreRequest, match="off the county's sites"):
        middleware.process_response(request, stub("http://elsewhere.example.com/"))


# --- links only a script opens ---------------------------------------------------------------

def test_links_a_script_opens_have_their_address():
    rows = "".join(f'<li><a href="javascript:void(0)" onclick="window.open(\'/gk/show.asp?id={n}\',\'\','
                   f'\'width=800\')">白杨镇召开第{n}次工作会议</a><span>[09-{10 + n}]</span></li>' for n in range(4))
    entries = parse_list(html(f"<body><ul>{rows}</ul></body>", f"{SITE}/gk/list.asp?id=9"), AS_OF).entries
    assert [e.url for e in entries] == [f"{SITE}/gk/show.asp?id={n}" for n in range(4)]
    assert entries[0].date == date(2011, 9, 10)


# --- sections shown as an overview of blocks ---------------------------------------------------

OVERVIEW = """<body><table class="gkbox"><tr>
<td><div class="lm_title"><span>工作信息</span><a href="list.asp?classid=18">更多&gt;&gt;</a></div>
 <table class="nlist"><tr><td><a href="show.asp?id=1">农机局召开会议</a></td><td>2011-03-05</td></tr>
 <tr><td><a href="show.asp?id=2">农机局推进工作</a></td><td>2011-03-01</td></tr></table></td>
<td><div class="lm_title"><span>政府信息公开制度</span><a href="list.asp?classid=13">更多&gt;&gt;</a></div>
 <table class="nlist"><tr><td><a href="show.asp?id=3">主动公开制度</a></td><td>2011-06-11</td></tr></table></td>
<td><div class="lm_title"><span>公开指南</span><a href="list.asp?classid=12">更多&gt;&gt;</a></div>
 <table class="nlist"><tr><td><a href="show.asp?id=4">公开指南（修订）</a></td><td>2011年05月03日</td></tr>
 <tr><td><a href="show.asp?id=5">公开指南</a></td><td></td></tr></table></td>
</tr></table></body>"""


def test_an_overview_names_its_columns_by_the_headings_of_their_more_links():
    columns = {c.name: c.url for c in column_tree(html(OVERVIEW, f"{SITE}/xxgk/index.asp"))}
    assert columns == {"工作信息": f"{SITE}/xxgk/list.asp?classid=18",
                       "政府信息公开制度": f"{SITE}/xxgk/list.asp?classid=13",
                       "公开指南": f"{SITE}/xxgk/list.asp?classid=12"}     # its blocks' articles are none


def test_a_menu_of_picture_buttons_is_named_by_their_alt_text():
    menu = "".join(f'<tr><td><a href="/gk/lm.asp?id={n}"><img src="/gk/images/lm{n}.gif" alt="{name}" '
                   f'width="160" height="28"></a></td></tr>' for n, name in enumerate(("政府信息公开指南", "单位领导", "部门动态")))
    columns = [c.name for c in column_tree(html(f"<body><table>{menu}</table></body>", f"{SITE}/gk/index.asp"))]
    assert columns == ["政府信息公开指南", "单位领导", "部门动态"]


# --- framesets and iframes -------------------------------------------------------------------

def test_frames_and_iframes_on_the_own_host_are_the_pages_shown():
    frameset = html('<frameset cols="200,*"><frame src="left.htm" name="leftFrame"><frame src="main.htm">'
                    '<frame src="http://other.example.com/ad.htm"></frameset>', f"{SITE}/xxgk/index.htm")
    assert frame_sources(frameset) == [f"{SITE}/xxgk/left.htm", f"{SITE}/xxgk/main.htm"]
    page = html('<body><iframe src="list.asp?id=9"></iframe><iframe src="/up/chart.jpg"></iframe>'
                '<iframe src="/up/guide.pdf"></iframe><iframe src="about:blank"></iframe></body>', f"{SITE}/gk/lm.asp?id=9")
    assert frame_sources(page) == [f"{SITE}/gk/list.asp?id=9"]


def test_a_frameset_section_reads_its_frames_as_the_section(tmp_path):
    spider = spider_for(tmp_path)
    out = answer(spider, "town", f"{PLATFORM}/gk/town/", '<frameset><frame src="left.htm"><frame src="main.htm">'
                                                          "</frameset>", "section")
    assert requested(out, "section") == [f"{PLATFORM}/gk/town/left.htm", f"{PLATFORM}/gk/town/main.htm"]


def test_a_frameset_home_page_reads_its_frames_as_the_home_page(tmp_path):
    spider = spider_for(tmp_path)
    out = answer(spider, "town", f"{PLATFORM}/gk/town/", '<frameset rows="120,*"><frame src="top.htm">'
                                                          '<frame src="main.htm"></frameset>', "entry", entry=True)
    assert requested(out, "entry") == [f"{PLATFORM}/gk/town/top.htm", f"{PLATFORM}/gk/town/main.htm"]
    top = HtmlResponse(url=f"{PLATFORM}/gk/town/top.htm", request=next(r for r in out if isinstance(r, Request)),
                       encoding="utf-8", body='<body><a href="/gk/town/xxgk/">政府信息公开</a></body>'.encode())
    assert requested(list(spider.on_response(top)), "section") == [f"{PLATFORM}/gk/town/xxgk/"]


def test_a_column_page_showing_its_list_in_an_iframe_reads_the_iframe_as_the_list(tmp_path):
    spider = spider_for(tmp_path)
    column = {"url": f"{PLATFORM}/gk/town/lm.asp?id=9", "name": "工作动态", "reference": "工作动态", "role": None}
    request = spider.request("town", column["url"], "list", ctx={"column": column})
    page = HtmlResponse(url=column["url"], request=request, encoding="utf-8", body=(
        '<body><div class="title">工作动态</div><iframe src="list.asp?id=9" height="640"></iframe></body>').encode())
    framed = [r for r in spider.on_response(page) if isinstance(r, Request)]
    assert [(r.url, r.meta["handler"], r.meta["ctx"]["column"]["url"]) for r in framed] == \
        [(f"{PLATFORM}/gk/town/list.asp?id=9", "list", column["url"])]


# --- workflow rows that link straight to their chart --------------------------------------------

def test_workflow_rows_linking_to_their_chart_carry_it_titled_by_the_text_beside():
    rows = """<table><tr><td>行政许可流程图</td><td><a href="/up/lc1.png" target="_blank">点击查看流程图</a></td></tr>
    <tr><td>行政处罚流程图</td><td><a href="/up/lc2.xls">行政处罚流程图.xls</a>（表格下载）</td></tr>
    <tr><td>行政征收流程图</td><td><a href="/up/lc3.doc">点击下载</a></td></tr></table>"""
    items = parse_workflows(html(f"<body>{rows}</body>", f"{SITE}/gk/lm.asp?id=13"))
    assert [(i.title, i.flowchart.kind, i.flowchart.url) for i in items] == [
        ("行政许可流程图", "image", f"{SITE}/up/lc1.png"),
        ("行政处罚流程图", "attachment", f"{SITE}/up/lc2.xls"),
        ("行政征收流程图", "attachment", f"{SITE}/up/lc3.doc")]
    assert all(i.detail is None for i in items)                      # no page to fetch: the chart is known


# --- letters answered on their own page ---------------------------------------------------------

def letter(rows: str) -> HtmlResponse:
    cells = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows)
    return html(f"<body><table>{cells}</table></body>", f"{SITE}/gbook/show.asp?id=1")


def test_a_letter_page_gives_the_date_of_its_answer_and_keeps_its_printed_status():
    answered = parse_letter_page(letter([("留言时间：", "2011-03-15 10:00"), ("处理状态：", "处理中"),
                                         ("回复内容：", "经调查，已按规定处理。"), ("回复时间：", "2011-03-22 16:55:00")]), AS_OF)
    assert (answered.status, answered.answered) == ("已受理", date(2011, 3, 22))


def test_a_letter_page_without_a_status_is_answered_when_it_shows_a_reply():
    shown = parse_letter_page(letter([("留言时间：", "2011-05-04"), ("答复意见：", "您好！问题已解决。")]), AS_OF)
    assert (shown.status, shown.answered) == ("已办结", None)
    waiting = parse_letter_page(letter([("留言时间：", "2011-05-04"), ("回复内容：", "暂无回复")]), AS_OF)
    assert (waiting.status, waiting.answered) == (None, None)


def test_letters_the_list_shows_unanswered_are_read_on_their_pages_and_merged(tmp_path):
    from crawler.pipelines import _mailbox
    spider = spider_for(tmp_path)
    mailbox_url = f"{PLATFORM}/gk/town/gbook.asp"
    rows = "".join(f'<tr><td><a href="show.asp?id={n}">关于第{n}件事的反映</a></td><td>2011-0{n}-01</td><td>{status}</td></tr>'
                   for n, status in ((1, "已回复"), (2, "处理中"), (3, "未回复")))
    out = answer(spider, "town", mailbox_url, f"<body><table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>{rows}"
                                              "</table></body>", "mailbox")
    assert requested(out, "letter") == [f"{PLATFORM}/gk/town/show.asp?id={n}" for n in (2, 3, 1)]   # open ones first
    letters = next(f.data for f in out if getattr(f, "kind", None) == "letters")
    merged = _mailbox({"letters": [letters], "letter_reply": [
        {"url": f"{PLATFORM}/gk/town/show.asp?id=2", "status": "已受理", "answered": "2011-02-09"}]})
    assert [(m["status"], m["answered"]) for m in merged["letters"]] == \
        [("已办结", None), ("已受理", "2011-02-09"), ("未受理", None)]
