"""The script-shell detector of crawler/rendering.py, on small hand-written pages, both ways:
a page drawn by script is rendered, a static page never (the cost rule)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.rendering import _with_links, needs_rendering, page_url

AS_OF = date(2011, 9, 30)
FIXTURES = Path(__file__).parent / "fixtures" / "html"


def page(body: str, url: str = "http://x.gov.cn/col/list.html") -> HtmlResponse:
    return HtmlResponse(url, body=f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>",
                        encoding="utf-8")


def static_list(n: int = 12) -> str:
    items = "".join(f"<li><a href='/art/{i}.html'>关于做好二〇一一年第{i}批农村危房改造工作的通知</a>"
                    f"<span>2011-09-{i + 1:02d}</span></li>" for i in range(n))
    return f"<div class='nav'><a href='/'>首页</a></div><ul class='list'>{items}</ul>"


SHELLS = {
    "vue app root": ("<div id='app'></div><script src='/js/chunk-vendors.3f2a.js'></script>"
                     "<script src='/js/app.9c1d.js'></script>", "list", "app_root"),
    "react root, module": ("<div id='root'>  </div><script type='module' src='/assets/index.js'></script>",
                           "section", "app_root"),
    "v-for template": ("<ul class='news'><li v-for='item in list'><a :href='item.url'>{{ item.title }}</a>"
                       "<span>{{ item.date }}</span></li></ul><script src='/vue.min.js'></script>", "list", "template"),
    "data-api container": ("<div class='list' data-api='/api/articles?column=12'>加载中...</div>"
                           "<script src='/static/list.js'></script>", "list", "data_container"),
    "xhr filled list": ("<ul id='newsList'></ul><script>$.getJSON('/api/news.json', function (d) {"
                        "$('#newsList').html(d.map(function (r) { return '<li>' + r.title + '</li>'; }).join(''));"
                        "});</script>", "list", "xhr_container"),
    "fetch filled letters": ("<table class='letters'><tbody id='rows'></tbody></table><script>"
                             "fetch('/mailbox/letters.json').then(r => r.json()).then(d => {"
                             "document.getElementById('rows').innerHTML = d.rows.join(''); });</script>",
                             "mailbox", "xhr_container"),
    "nothing but scripts": ("<script src='/static/js/main.8a1f.js'></script>", "section", "empty_body"),
    "hash router links": ("<div id='nav'><a href='#/list/tzgg'>通知公告</a><a href='#/list/gzdt'>工作动态</a>"
                          "<a href='#/leaders'>领导信息</a></div><div id='view'></div>"
                          "<script src='/js/router.js'></script>", "section", "hash_routes"),
    "leader cards by api": ("<div class='leaders' data-url='/api/leaders'></div>"
                            "<script src='/js/leaders.js'></script>", "list", "data_container"),
    "leader cards by a data-src api": ("<a href='/'>首页</a><h2>领导信息</h2><div id='leaderBox' data-src='/cms/api/leader.do?id=9'></div>"
                                       "<script src='/js/ldxx.js'></script>", "list", "data_container"),
    "letters behind a loading notice": (
        "<h2>书记信箱</h2><table id='letters'><thead><tr><th>信件标题</th><th>来信日期</th><th>办理状态</th></tr></thead>"
        "<tbody><tr><td colspan='3'>正在加载……</td></tr></tbody></table><div id='pager'></div>"
        "<script src='/js/letters.js'></script>", "mailbox", "loading_placeholder"),
    "a list behind a loading notice": ("<ul class='news'><li>数据加载中...</li></ul><script src='/js/news.js'></script>",
                                       "list", "loading_placeholder"),
}


@pytest.mark.parametrize("name", SHELLS)
def test_a_script_shell_is_rendered(name):
    body, handler, signal = SHELLS[name]
    reason = needs_rendering(page(body), handler, AS_OF)
    assert reason is not None and signal in reason.split(",")


def test_a_click_only_next_page_is_rendered_even_with_a_first_page():
    body = static_list() + ("<div class='pager'><span>1/5</span><a href='javascript:;' onclick='loadPage(2)'>下一页</a>"
                            "</div><script>function loadPage(n){ $.get('/api/list?page='+n, function(h){"
                            "$('.list').html(h); }); }</script>")
    assert "click_pager" in needs_rendering(page(body), "list", AS_OF)


def test_a_next_button_without_address_beside_a_page_counter_is_clicked():
    """A script attached its listener to the 下一页 button (no onclick, no href); the pager's
    counter says page 1 of 5: the later pages are reached by clicking."""
    body = static_list(10) + ("<div class='page-box'><span id='info'>第1页/共5页</span> <a class='pg-first'>首页</a>"
                              " <a class='pg-prev'>上一页</a> <button type='button' class='btn-next'>下一页</button>"
                              " <a class='pg-last'>尾页</a></div><script src='/js/jpage.js'></script>"
                              "<script>jpage.init({list: 'news', pages: 5});</script>")
    assert needs_rendering(page(body), "list", AS_OF) == "click_pager"
    for counter in ("第 1/5 页", "1/5页", "共5页 当前第1页"):
        assert needs_rendering(page(body.replace("第1页/共5页", counter)), "list", AS_OF) == "click_pager", counter


def test_a_next_label_without_address_on_the_last_page_is_not_clicked():
    body = static_list(10) + ("<div class='page-box'><span>第5页/共5页</span> <a>上一页</a> <a>下一页</a></div>"
                              "<script src='/js/jpage.js'></script>")
    assert needs_rendering(page(body), "list", AS_OF) is None
    assert needs_rendering(page(body.replace("第5页/共5页", "第1页/共5页").replace("<a>下一页", "<a class='disabled'>下一页")),
                           "list", AS_OF) is None


def test_columns_reached_by_a_click_on_a_menu_item_are_rendered():
    body = ("<div class='menu'><ul><li onclick=\"showColumn('tzgg')\">通知公告</li>"
            "<li onclick=\"showColumn('gzdt')\">工作动态</li><li onclick=\"showColumn('zcwj')\">政策文件</li></ul></div>"
            "<div id='content'>" + static_list() + "</div><script>function showColumn(c){ $.get('/api/' + c,"
            " function (h) { $('#content').html(h); }); }</script>")
    assert "click_menu" in needs_rendering(page(body), "section", AS_OF)


def test_a_first_page_whose_pager_a_script_draws_is_rendered():
    body = static_list() + ("<div id='pager'></div><script>var pageNo = 1, totalPages = 4;"
                            "function turnPage(n){ $.getJSON('/api/list?page=' + n, draw); }"
                            "document.getElementById('pager').innerHTML = '<a onclick=\"turnPage(2)\">下一页</a>';</script>")
    assert "script_pager" in needs_rendering(page(body), "list", AS_OF)


def test_hash_routes_of_a_rendered_page_become_addresses():
    html = '<html><body><a href="#/list/tzgg">通知公告</a><a href="#x">top</a></body></html>'
    out = _with_links(html, None, "http://x.gov.cn/")
    assert 'href="http://x.gov.cn/?disclosure_render_route=%2Flist%2Ftzgg"' in out and 'href="#x"' in out


STATIC = {
    "a list whose pager a script draws from links it names": static_list() + (
        "<div class='page'><script>var currentPage = 0, pageCount = 3; document.write('<a href=\"index_1.html\">"
        "下一页</a>');</script><a href='index_1.html'>下一页</a></div>"),
    "submenus opened by a click, their links in the page": static_list() + (
        "<ul class='nav'><li onclick='toggle(1)'>政务公开</li><li onclick='toggle(2)'>办事服务</li></ul>"
        "<script>function toggle(i){ document.getElementById('sub' + i).style.display = 'block'; }</script>"),
    "plain list": static_list(),
    "list with jquery and an analytics script": static_list() + "<script src='/js/jquery.min.js'></script>"
        "<script>var _hmt=[];(function(){var hm=document.createElement('script');})();</script>",
    "list beside an empty app root": static_list() + "<div id='app'></div><script src='/js/app.js'></script>",
    "list whose next page has an address": static_list() + "<a href='list_2.html'>下一页</a>",
    "last page: a disabled next label": static_list() + "<span class='disabled'>下一页</span>",
    "a list with lazy images and a loading spinner beside it": static_list() + (
        "<img src='/a.jpg' loading='lazy'><div class='spinner'>加载中...</div><script src='/js/lazy.js'></script>"),
    "an article saying its attachments are loading, with its text": (
        "<div class='content'><p>" + "为进一步加强农村危房改造工作，确保资金使用安全，现将有关事项通知如下。" * 3 +
        "</p><p>附件正在加载</p></div><script src='/js/share.js'></script>"),
    "a list whose later pages a script names by address": static_list() + (
        "<div class='page'><script>createPageHTML(5, 0, 'index', 'html');</script></div>"),
    "onclick leader cards already shown": "<p>领导信息：本镇领导班子成员及分工情况如下，点击姓名查看简历。</p>" + "".join(
        f"<div class='leader-card' onclick='showLeader({i})'><img src='/p/{i}.jpg'><h3>张{'三四五'[i]}明</h3>"
        f"<p>副镇长</p></div>" for i in range(3)) + "<div id='leader-detail'></div><script>function showLeader(id)"
        "{ $.get('/leader/' + id, function (h) { $('#leader-detail').html(h); }); }</script>",
}


@pytest.mark.parametrize("name", STATIC)
def test_a_static_page_is_never_rendered(name):
    assert needs_rendering(page(STATIC[name]), "list", AS_OF) is None


def test_leader_cards_are_read_on_the_leaders_column_page():
    """A leaders column's page shows its leaders (no list of entries): read as served."""
    cards = STATIC["onclick leader cards already shown"]
    assert needs_rendering(page(cards), "list", AS_OF, role="leaders") is None


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_no_fixture_page_of_the_known_families_is_rendered(fixture):
    body = (FIXTURES / fixture).read_bytes()
    for handler in ("list", "detail", "leader_detail", "mailbox", "section"):
        response = HtmlResponse("http://x.gov.cn/" + fixture, body=body)
        assert needs_rendering(response, handler, AS_OF) is None, handler


def test_an_article_with_text_and_a_share_widget_is_not_rendered():
    text = "为进一步加强农村危房改造工作，确保资金使用安全，经研究决定，现将有关事项通知如下。" * 3
    body = f"<h1>通知</h1><div class='content'><p>{text}</p></div><div data-url='/share' class='share'></div>"
    assert needs_rendering(page(body), "detail", AS_OF) is None


def test_a_clicked_state_links_its_next_state():
    html = "<html><body><ul><li>a</li></ul><span onclick='go()' data-disclosure-next=\"1\">下一页</span></body></html>"
    out = _with_links(html, page_url("http://x.gov.cn/l.html", 2), "http://x.gov.cn/l.html")
    assert "<a href=\"http://x.gov.cn/l.html?disclosure_render_page=2\">下一页</a>" in out
    assert "data-disclosure-next" not in _with_links(html, None, "http://x.gov.cn/l.html")
