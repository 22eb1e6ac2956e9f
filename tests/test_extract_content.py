"""content.page_content: a column page's own text (static columns) and its 暂无信息 notice."""
from scrapy.http import HtmlResponse

from crawler.extract.content import page_content

CHROME = """<div class="header"><a href="/">首页</a><a href="/xxgk/">政务公开</a></div>
<ul class="side"><li><a href="/xxgk/zn/">政府信息公开指南</a></li><li><a href="/xxgk/gzdt/">工作动态</a></li></ul>
<div class="weizhi">当前位置：<a href="/">首页</a> &gt; 机构职能</div>"""
FOOT = """<div id="footer">主办：某某县人民政府办公室　承办：某某县电子政务办公室　地址：某某县城关大道一号</div>"""


def page(main: str) -> HtmlResponse:
    body = f"<html><body>{CHROME}<div class='m'>{main}</div>{FOOT}</body></html>"
    return HtmlResponse(url="http://www.example.gov.cn/xxgk/jgzn/", body=body.encode("utf-8"), encoding="utf-8")


def test_a_static_page_has_text_of_its_own_and_no_notice():
    shown = page_content(page("<h2>机构职能</h2><p>一、主要职责。贯彻执行国家有关方针政策和法律法规，负责全县民政工作。</p>"
                              "<p>二、内设机构。办公室、社会事务股、基层政权股。</p>"))
    assert shown.text_chars >= 40 and shown.nothing_notice is None


def test_menus_links_and_chrome_are_not_the_pages_text():
    shown = page_content(page("<h2>工作动态</h2><ul><li><a href='/a/1.html'>县里召开全县安全生产工作会议部署下一阶段工作</a></li>"
                              "<li><a href='/a/2.html'>我县开展森林防火宣传月活动取得明显成效</a></li></ul>"))
    assert shown.text_chars < 10 and shown.nothing_notice is None


def test_nothing_notices_in_their_own_blocks():
    for notice in ("<div class='nodata'>暂无信息</div>", "<table><tr><td><font>暂无内容！</font></td></tr></table>",
                   "<p>该栏目正在建设中……</p>", "<span>没有相关信息</span>", "<div>暂无<b>数据</b></div>"):
        assert page_content(page(f"<h2>规划计划</h2>{notice}")).nothing_notice, notice


def test_the_same_words_inside_an_article_or_the_chrome_are_no_notice():
    sentence = "<p>对于群众反映的问题，目前暂无相关政策依据的，由县政府研究后另行答复，请各单位认真落实。</p>"
    assert page_content(page(sentence)).nothing_notice is None
    assert page_content(page("<div class='footer'>暂无信息</div><p>正文</p>")).nothing_notice is None
    assert page_content(page("<a href='/x/'>暂无信息</a>")).nothing_notice is None
