"""listing.parse_list on hand-written pages modelled on real CMS output."""
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html
from scrapy.http import HtmlResponse, XmlResponse

from crawler.extract.listing import (_dedupe, _entry_of, _group_score, _score_bound, main_list, parse_list,
                                     sibling_groups, title_anchor)
from crawler.extract.page import page_of

FIXTURES = Path(__file__).parent / "fixtures" / "html"
AS_OF = date(2011, 9, 30)


def page(name, url, cls=HtmlResponse):
    return cls(url=url, body=(FIXTURES / name).read_bytes())


def test_trs_list_skips_menus_and_footer_and_reads_every_date_style():
    result = parse_list(page("trs_list.html", "http://www.example.gov.cn/xxgk/gkml/gzdt/index.html"), AS_OF)
    assert [e.date for e in result.entries] == [
        date(2011, 9, 15), date(2011, 9, 5), date(2011, 8, 30), date(2011, 8, 20), date(2011, 8, 10)]
    first = result.entries[0]
    # the list date wins over the URL's date; <base href> resolves the relative link
    assert first.url == "http://www.example.gov.cn/xxgk/gkml/gzdt/201109/t20110916_1234567.html"
    assert first.title.endswith("…")
    # the title attribute is the full title; script in it stays text
    assert result.entries[3].title == "<script>alert(1)</script>关于加强汛期安全的通知"


def test_trs_create_page_html_gives_every_other_page():
    result = parse_list(page("trs_list.html", "http://www.example.gov.cn/xxgk/gkml/gzdt/index.html"), AS_OF)
    assert result.total_pages == 4
    assert [r.url.rsplit("/", 1)[1] for r in result.next_requests] == [
        "index_1.html", "index_2.html", "index_3.html"]


def test_hanweb_datastore_records_and_dataproxy_posts():
    result = parse_list(page("hanweb_list.html", "http://hw.example.gov.cn/col/col1229/index.html"), AS_OF)
    assert [e.title for e in result.entries][0] == "关于2011年国庆节放假安排的通知"
    assert len(result.entries) == 3 and result.entries[2].date == date(2011, 8, 19)
    assert result.total_pages == 3
    ranges = [(parse_qs(urlsplit(r.url).query)["startrecord"][0], parse_qs(urlsplit(r.url).query)["endrecord"][0])
              for r in result.next_requests]
    assert ranges == [("4", "6"), ("7", "8")]
    request = result.next_requests[0]
    assert request.method == "POST" and urlsplit(request.url).path == "/module/web/jpage/dataproxy.jsp"
    assert request.formdata["columnid"] == "1229" and request.formdata["unitid"] == "3452"
    assert request.formdata["webid"] == "12" and "sourceContentType" in request.formdata


def test_dataproxy_answer_is_parsed_like_a_datastore_without_more_requests():
    url = "http://hw.example.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3"
    result = parse_list(page("hanweb_proxy.xml", url, XmlResponse), AS_OF)
    assert [e.date for e in result.entries] == [date(2011, 7, 1), date(2011, 6, 15), date(2011, 6, 1)]
    assert result.entries[0].url == "http://hw.example.gov.cn/art/2011/7/1/art_1229_52001.html"
    assert result.next_requests == []


def test_gbk_page_with_charset_only_in_meta_table_rows_and_next_last_links():
    result = parse_list(page("asp_gbk_list.html", "http://ly.example.gov.cn/ShowClass.asp?ClassID=12"), AS_OF)
    assert [e.title for e in result.entries] == [
        "关于张三同志任职的通知", "县林业局2011年度公开招聘工作人员公告", "关于李四等同志职务任免的通知"]
    assert result.entries[2].date == date(2011, 3, 2)
    assert [r.url for r in result.next_requests] == [
        f"http://ly.example.gov.cn/ShowClass.asp?ClassID=12&page={n}" for n in (2, 3, 4)]
    assert result.total_pages == 4


def test_modern_month_day_dates_take_the_latest_year_not_after_as_of():
    result = parse_list(page("modern_list.html", "http://town.example.gov.cn/gk/xzdt/"), AS_OF)
    assert [e.date for e in result.entries] == [date(2011, 9, 15), date(2011, 9, 2), date(2010, 12, 28)]
    assert [r.url for r in result.next_requests] == [
        "http://town.example.gov.cn/gk/xzdt/?page=2", "http://town.example.gov.cn/gk/xzdt/?page=3"]


def test_page_without_a_list_has_no_entries():
    body = """<html><body><ul class="menu"><li><a href="/a/">机构职能</a></li><li><a href="/b/">领导信息</a></li>
    <li><a href="/c/">工作动态</a></li></ul><div class="content">暂无信息</div>
    <div class="footer"><a href="/map/">网站地图</a> <a href="/lx/">联系我们</a></div></body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/c/", body=body.encode(), encoding="utf-8"), AS_OF)
    assert result.entries == [] and result.next_requests == []


def test_undated_list_still_found_and_next_page_only_when_count_unknown():
    body = """<html><body><ul class="menu"><li><a href="/a/">机构职能</a></li><li><a href="/b/">领导信息</a></li></ul>
    <ul><li><a href="/c/1.html">关于印发建始县2011年工作要点的通知</a></li>
        <li><a href="/c/2.html">关于调整县政府领导工作分工的通知</a></li></ul>
    <a href="list_2.html">下一页</a></body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/c/list.html", body=body.encode(), encoding="utf-8"), AS_OF)
    assert [e.url for e in result.entries] == ["http://x.example.gov.cn/c/1.html", "http://x.example.gov.cn/c/2.html"]
    assert all(e.date is None for e in result.entries)
    assert [r.url for r in result.next_requests] == ["http://x.example.gov.cn/c/list_2.html"]


def test_date_inside_the_link_is_read_and_left_out_of_the_title():
    body = """<html><body><div class="news">
      <a href="/n/1001.html"><span class="t">镇党委召开理论学习中心组学习会</span><span class="d">2011-09-15</span></a>
      <a href="/n/1002.html"><span class="t">我镇开展秋季征兵体检工作</span><span class="d">2011-09-02</span></a>
      <a href="/n/1003.html"><span class="t">镇长带队检查在建项目安全生产</span><span class="d">2011-08-28</span></a>
    </div></body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/n/", body=body.encode(), encoding="utf-8"), AS_OF)
    assert [(e.title, e.date) for e in result.entries] == [
        ("镇党委召开理论学习中心组学习会", date(2011, 9, 15)), ("我镇开展秋季征兵体检工作", date(2011, 9, 2)),
        ("镇长带队检查在建项目安全生产", date(2011, 8, 28))]


def test_undated_short_items_under_the_column_folder_are_a_list_menus_are_not():
    body = """<html><body><ul class="menu"><li><a href="/xxgk/ldxx/">领导信息</a></li><li><a href="/xxgk/gzlc/">工作流程</a></li>
      <li><a href="/xxgk/tzgg/">通知公告</a></li></ul>
      <ul class="lclist"><li><a href="/xxgk/gzlc/lc1.html">行政许可流程图</a></li><li><a href="/xxgk/gzlc/lc2.html">行政处罚流程图</a></li></ul>
      </body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/xxgk/gzlc/", body=body.encode(), encoding="utf-8"), AS_OF)
    assert [e.title for e in result.entries] == ["行政许可流程图", "行政处罚流程图"]
    sub_columns = body.replace("lc1.html", "xzxk/").replace("lc2.html", "index.html")
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/xxgk/gzlc/", body=sub_columns.encode(), encoding="utf-8"), AS_OF)
    assert result.entries == []


def test_trs_count_page_on_a_later_page_names_the_others():
    body = """<html><body><ul><li><a href="./201101/t20110105_1.html">关于做好2011年春运工作的通知</a><span>2011-01-05</span></li></ul>
      <script>var currentPage = 2;//当前页
      var countPage = 3//共多少页</script></body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/xxgk/tzgg/index_2.shtml", body=body.encode(),
                                     encoding="utf-8"), AS_OF)
    assert [r.url for r in result.next_requests] == [
        "http://x.example.gov.cn/xxgk/tzgg/index.shtml", "http://x.example.gov.cn/xxgk/tzgg/index_1.shtml"]
    assert result.total_pages == 3 and result.entries[0].date == date(2011, 1, 5)


def test_a_generic_title_attribute_does_not_replace_the_text():
    body = """<html><body><ul>
      <li><a href="/a/1.html" title="点击查看">关于开展安全生产大检查的通知</a><span>2011-09-01</span></li>
      <li><a href="/a/2.html" title="关于做好2011年秋季森林防火工作的紧急通知">关于做好2011年秋季森林防…</a><span>2011-08-01</span></li>
    </ul></body></html>"""
    result = parse_list(HtmlResponse(url="http://x.example.gov.cn/a/", body=body.encode(), encoding="utf-8"), AS_OF)
    assert [e.title for e in result.entries] == ["关于开展安全生产大检查的通知", "关于做好2011年秋季森林防火工作的紧急通知"]


def test_empty_hanweb_datastore_is_an_empty_column():
    body = """<html><body><div class="tree"><ul><li><a href="/col/col1/index.html">通知公告</a></li>
      <li><a href="/col/col2/index.html">政策文件</a></li></ul><p><a href="/module/idea/que_list.jsp?webid=76&amp;unitid=3200">局长信箱</a></p></div>
      <div id="4103206"></div><script type="text/xml"><datastore><recordset></recordset></datastore></script>
      <script>$('#4103206').jpage({proxyUrl: '/module/jpage/dataproxy.jsp', perPage: 15, totalRecord: 0});</script></body></html>"""
    result = parse_list(HtmlResponse(url="http://hw.example.gov.cn/col/col3/index.html", body=body.encode(), encoding="utf-8"), AS_OF)
    assert result.entries == [] and result.next_requests == []


LIST_FIXTURES = [("trs_list.html", "http://www.example.gov.cn/xxgk/gkml/gzdt/index.html"),
                 ("asp_gbk_list.html", "http://ly.example.gov.cn/ShowClass.asp?ClassID=12"),
                 ("modern_list.html", "http://town.example.gov.cn/gk/xzdt/"),
                 ("section_nested.html", "http://www.example.gov.cn/xxgk/")]
# Two lists of equal score: the first on the page is the main one, though the second, with a
# pager link among its items (no entry), could have scored more and is read first.
TWIN_LISTS = """<html><body>
  <ul><li><a href="/a/1001.html">关于开展安全生产大检查的通知</a><span>2011-09-01</span></li>
      <li><a href="/a/1002.html">关于开展安全生产大检查的通知</a><span>2011-09-02</span></li></ul>
  <ul><li><a href="/b/1001.html">关于开展安全生产大检查的通知</a><span>2011-09-01</span></li>
      <li><a href="/b/1002.html">关于开展安全生产大检查的通知</a><span>2011-09-02</span></li>
      <li><a href="/b/index_2.html">2</a></li></ul></body></html>"""


def list_pages():
    pages = [page(name, url) for name, url in LIST_FIXTURES]
    return pages + [HtmlResponse(url="http://x.example.gov.cn/a/", body=TWIN_LISTS.encode(), encoding="utf-8")]


def test_score_bound_is_never_below_the_score():
    for response in list_pages():
        p = page_of(response)
        for items in sibling_groups(p.root):
            entries = [e for e in (_entry_of(item, p, AS_OF) for item in items) if e is not None]
            assert _score_bound(items, p) >= _group_score(entries, items, p)


def test_main_list_is_the_first_best_group_as_if_every_group_were_read():
    for response in list_pages():
        p = page_of(response)
        best, best_score = [], 0.0
        for items in sibling_groups(p.root):      # the plain reading: every group, in page order
            entries = [e for e in (_entry_of(item, p, AS_OF) for item in items) if e is not None]
            score = _group_score(entries, items, p)
            if score > best_score:
                best, best_score = entries, score
        assert main_list(response, AS_OF) == _dedupe(best)
    assert [e.url for e in main_list(list_pages()[-1], AS_OF)] == [
        "http://x.example.gov.cn/a/1001.html", "http://x.example.gov.cn/a/1002.html"]


def test_title_anchor_is_the_longest_titled_link_with_its_title():
    item = lxml_html.fragment_fromstring('<li><a href="/x/">更多</a><a href="/a/1.html" title="关于开展安全生产大检查的通知">'
                                         '关于开展安全生产…</a><a href="javascript:void(0)">关于开展安全生产大检查的通知全文</a></li>')
    anchor, title = title_anchor(item)
    assert anchor.get("href") == "/a/1.html" and title == "关于开展安全生产大检查的通知"
    assert title_anchor(lxml_html.fragment_fromstring('<li><a href="#">空</a></li>')) is None


def _blocks_page(blocks: str) -> HtmlResponse:
    body = f"""<html><body><div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
        <div class="list">{blocks}</div><div class="footer">版权所有</div></body></html>"""
    return HtmlResponse(url="http://pt.example.gov.cn/zwgk/gzbg/", body=body.encode("utf-8"), encoding="utf-8")


def _block(first: int, count: int = 3, dated: bool = True) -> str:
    items = "".join(f'<li><a href="./201109/t20110901_{n}.htm" title="县政府工作报告第{n}号文件">县政府工作报告第{n}号文件</a>'
                    + (f'<span>2011-08-{n:02d}</span>' if dated else "") + "</li>" for n in range(first, first + count))
    return f'<div ms-visible="$showStatic({first})"><ul>{items}</ul><div class="line"></div></div>'


def test_one_list_split_over_sibling_blocks_is_read_whole():
    entries = parse_list(_blocks_page(_block(1) + _block(4) + _block(7, 2)), AS_OF).entries
    assert [e.date.day for e in entries] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_sibling_blocks_of_another_kind_are_not_part_of_the_list():
    # an undated block beside a dated list (相关链接 in the same wrapper shape) stays out
    entries = parse_list(_blocks_page(_block(1) + _block(4, dated=False)), AS_OF).entries
    assert [e.date.day for e in entries] == [1, 2, 3]
    # a pager in a like block is never an entry
    pager = '<div><ul><li><a href="index_1.htm">2</a></li><li><a href="index_2.htm">3</a></li></ul></div>'
    entries = parse_list(_blocks_page(_block(1) + pager), AS_OF).entries
    assert [e.date.day for e in entries] == [1, 2, 3]


def _list_page(main: str, url="http://town.example.gov.cn/xxgk/tzgg/") -> HtmlResponse:
    body = f"""<html><body><div class="wrap"><div class="side"><ul class="tree">
        <li><a href="/xxgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/xxgk/xxgkzd/">政府信息公开制度</a></li>
        <li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a><ul><li><a href="/xxgk/tzgg/">通知公告</a></li>
        <li><a href="/xxgk/gzdt/">工作动态</a></li></ul></li><li><a href="/xxgk/xxgknb/">政府信息公开年报</a></li></ul></div>
        <div class="main"><h2>通知公告</h2>{main}</div></div></body></html>"""
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


def test_the_last_page_s_one_entry_beats_the_menu_beside_it():
    one = '<ul class="list"><li><a href="/xxgk/tzgg/content_3844.html">关于印发2011年工作要点的通知</a><span>2011-08-04</span></li></ul>'
    entries = parse_list(_list_page(one), AS_OF).entries
    assert [(e.url, e.date) for e in entries] == [("http://town.example.gov.cn/xxgk/tzgg/content_3844.html", date(2011, 8, 4))]


def test_an_empty_column_notice_is_an_empty_list_not_the_menu():
    for notice in ('<div class="nodata">暂无信息</div>', "<p>暂无相关内容！</p>", "<td>本栏目正在建设中</td>"):
        assert parse_list(_list_page(notice), AS_OF).entries == []
    # a dated list stays, whatever a widget beside it says
    dated = '<ul><li><a href="/xxgk/tzgg/1001.html">关于开展安全生产大检查的通知</a><span>2011-09-01</span></li>' \
            '<li><a href="/xxgk/tzgg/1002.html">关于开展防汛检查的通知</a><span>2011-08-01</span></li></ul><p>暂无数据</p>'
    assert len(parse_list(_list_page(dated), AS_OF).entries) == 2


def test_a_date_only_in_an_attribute_of_an_empty_element():
    items = "".join(f'<li><a href="/art/2011/9/{d}/art_1_{d}.html" title="关于第{d}项工作的通知">关于第{d}项工作的通知</a>'
                    f'<b readlabel="2011-09-{d:02d}"></b></li>' for d in (12, 5))
    entries = parse_list(_list_page(f"<ul>{items}</ul>"), AS_OF).entries
    assert [e.date for e in entries] == [date(2011, 9, 12), date(2011, 9, 5)]


def test_yearless_dates_take_their_year_from_the_entry_above():
    # newest first, crossing a new year: [12-04] below [02-21] is last year's, and so is [06-24]
    shown = ["02-21", "12-04", "10-16", "08-11", "06-24"]
    items = "".join(f'<li><a href="/xxgk/tzgg/{n}.html">县财政局预算公开第{n}号文件</a><small>[{d}]</small></li>'
                    for n, d in enumerate(shown, 1000))
    result = parse_list(_list_page(f'<ul>{items}</ul><div class="pager"><a href="?p=2">下一页</a></div>'),
                        date(2012, 6, 30))
    assert [e.date for e in result.entries] == [date(2012, 2, 21), date(2011, 12, 4), date(2011, 10, 16),
                                                date(2011, 8, 11), date(2011, 6, 24)]
    # the next page is no newer than this one's oldest entry: the spider reads it with that as_of
    assert [r.not_after for r in result.next_requests] == [date(2011, 6, 24)]


def test_full_dates_give_next_pages_no_bound():
    result = parse_list(page("asp_gbk_list.html", "http://ly.example.gov.cn/ShowClass.asp?ClassID=12"), AS_OF)
    assert {r.not_after for r in result.next_requests} == {None}


def test_a_script_paged_list_gives_its_page_count_but_no_guessed_requests():
    items = "".join(f'<li><a href="./201109/t20110901_{n}.htm">县政府工作报告第{n}号文件</a><span>2011-08-{n:02d}</span></li>'
                    for n in range(1, 4))
    body = (f"<html><body><ul>{items}</ul><script>var pageChnlInfo={{recordCount:'107', prepage:15}};"
            "listModel({listApi: {url: '/app/search'}, pagebar: {recordCount: pageChnlInfo.recordCount}})</script></body></html>")
    result = parse_list(HtmlResponse(url="http://pt.example.gov.cn/zwgk/gzbg/", body=body.encode(), encoding="utf-8"), AS_OF)
    assert len(result.entries) == 3 and result.total_pages == 8 and result.next_requests == []


def test_pages_named_by_a_page_bar_script_with_a_record_count():
    from crawler.extract.listing import pagination
    script = """<script>var pageInfo = { recordCount: '27', prepage: 15, chnlid: '506', curPage: 0 };
        initPageBar(pageInfo, 'index', 'html');</script>"""
    response = HtmlResponse(url="http://www.example.gov.cn/xxgk/gzdt/index.html",
                            body=f"<html><body><ul></ul>{script}</body></html>".encode(), encoding="utf-8")
    requests, total = pagination(response)
    assert total == 2 and [r.url for r in requests] == ["http://www.example.gov.cn/xxgk/gzdt/index_1.html"]


def test_a_short_list_beside_the_sections_menu_wins_once_the_menu_is_known():
    menu = "".join(f'<li><a href="/xxgk/c{n}">{name}</a></li>' for n, name in
                   enumerate(("机构职能", "领导信息", "政策文件", "规划信息", "工作动态", "公示公告", "人事任免", "财政预决算")))
    body = f"""<html><body><ul class="el-menu">{menu}</ul><main><h2>信息公开指南</h2><ul class="info-list">
        <li><a href="/xxgk/gkzn/detail/1" title="科技局政府信息公开指南">科技局政府信息公开指南</a><span>2010-10-12</span></li>
        <li><a href="/xxgk/gkzn/detail/2">科技局政府信息公开指南（2010年修订）</a><span></span></li></ul></main></body></html>"""
    response = HtmlResponse(url="http://www.example.gov.cn/xxgk/gkzn", body=body.encode(), encoding="utf-8")
    columns = frozenset(f"http://www.example.gov.cn/xxgk/c{n}" for n in range(8))
    entries = parse_list(response, date(2011, 9, 30), not_entries=columns).entries
    assert [e.url.rsplit("/", 1)[1] for e in entries] == ["1", "2"]
