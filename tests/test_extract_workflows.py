"""workflows.parse_workflows on a workflows column: inline blocks, linked pages, none."""
from scrapy.http import HtmlResponse

from crawler.extract.workflows import parse_workflows

URL = "http://x.example.gov.cn/xxgk/gzlc/"


def page(body: str) -> HtmlResponse:
    return HtmlResponse(url=URL, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8")


MENU = """<div class="tree"><h3>信息公开目录</h3><ul><li><a href="/xxgk/ldxx/">领导信息</a></li>
  <li><a href="/xxgk/gzlc/">工作流程</a></li><li><a href="/xxgk/tzgg/">通知公告</a></li></ul></div>"""


def test_inline_blocks_with_image_attachment_and_nothing():
    items = parse_workflows(page(MENU + """<h2>工作流程</h2>
      <div class="lct"><h3>行政许可流程图</h3><p><img src="/images/dot.gif" width="4" height="4"><img src="/lct/1.png"></p></div>
      <div class="lct"><h3>行政处罚流程图</h3><p>附件：<a href="/lct/2.doc">行政处罚流程图.doc</a></p></div>
      <div class="lct"><h3>行政征收流程图</h3><p>流程图：暂无</p></div>"""))
    assert [(i.title, i.flowchart.kind, i.flowchart.url) for i in items] == [
        ("行政许可流程图", "image", "http://x.example.gov.cn/lct/1.png"),
        ("行政处罚流程图", "attachment", "http://x.example.gov.cn/lct/2.doc"),
        ("行政征收流程图", "none", None)]
    assert all(i.page_url == URL and i.detail is None for i in items)


def test_linked_items_are_requests_for_their_pages():
    items = parse_workflows(page(MENU + """<h2>工作流程</h2><ul class="lclist">
      <li><a href="/xxgk/gzlc/lc1.html">行政许可流程图</a></li><li><a href="/xxgk/gzlc/lc2.html">林木采伐审批程序</a></li></ul>"""))
    assert [(i.title, i.detail.url, i.flowchart) for i in items] == [
        ("行政许可流程图", "http://x.example.gov.cn/xxgk/gzlc/lc1.html", None),
        ("林木采伐审批程序", "http://x.example.gov.cn/xxgk/gzlc/lc2.html", None)]


def test_empty_column_has_no_items():
    assert parse_workflows(page(MENU + "<h2>工作流程</h2><ul class='lclist'></ul>")) == []


def test_single_inline_workflow_in_a_table_layout_keeps_its_own_title():
    items = parse_workflows(page("""<table><tr><td>""" + MENU + """</td><td valign="top"><b>工作流程</b>
      <table><tr><td><div class="lct"><h3>林权登记流程图</h3><p><img src="/lct/9.jpg"></p></div></td></tr></table>
      </td></tr></table>"""))
    assert [(i.title, i.flowchart.kind) for i in items] == [("林权登记流程图", "image")]


def test_a_lone_linked_item_beside_a_menu_in_a_layout_table():
    items = parse_workflows(page("""<table><tr><td class="left">""" + MENU + """<p><a href="/mail/">局长信箱</a></p></td>
      <td class="right"><ul class="lclist"><li><a href="/art/2011/3/1/art_3211_900000.html">行政许可流程图</a></li></ul></td>
      </tr></table>"""))
    assert [(i.title, i.detail.url) for i in items] == [
        ("行政许可流程图", "http://x.example.gov.cn/art/2011/3/1/art_3211_900000.html")]


def test_the_file_type_icon_of_an_attachment_is_not_the_flowchart():
    from scrapy.http import HtmlResponse
    from crawler.extract.workflows import parse_flowchart
    for icon in ('<img src="/editor/sysimage/icon16/xls.gif">', '<img src="/images/fj.png" width="16" height="16">',
                 '<img src="/style/images/file_pdf.gif">'):
        page = f"""<html><body><div class="content"><h1>行政许可流程图</h1><p>附件：</p>
          <p>{icon}<a href="/u/2022/lc.xls">行政许可流程图.xls</a></p></div></body></html>"""
        chart = parse_flowchart(HtmlResponse(url="http://x.example.gov.cn/lc/1.html", body=page.encode(),
                                             encoding="utf-8"))
        assert (chart.kind, chart.url) == ("attachment", "http://x.example.gov.cn/u/2022/lc.xls"), icon
    page = """<html><body><div class="content"><h1>行政许可流程图</h1>
      <p><a href="/u/lc.pdf"><img src="/u/lc_pdf_cover.png">流程图</a></p>
      <p><img src="/u/2022/lc.png" width="800"></p></div></body></html>"""
    chart = parse_flowchart(HtmlResponse(url="http://x.example.gov.cn/lc/1.html", body=page.encode(), encoding="utf-8"))
    assert (chart.kind, chart.url) == ("image", "http://x.example.gov.cn/u/2022/lc.png")


def test_thumbnail_linking_to_the_full_chart_and_a_pdf_in_a_viewer():
    from crawler.extract.workflows import parse_flowchart
    def chart(body):
        response = HtmlResponse(url="http://x.example.gov.cn/lc/1.html", encoding="utf-8",
                                body=f"<html><body><div class='content'><h1>行政许可流程图</h1>{body}</div></body></html>".encode())
        return parse_flowchart(response)
    assert chart('<p><a href="/u/lc_big.png"><img src="/u/lc_small.png" width="300"></a></p>') == \
        type(chart(""))("image", "http://x.example.gov.cn/u/lc_big.png", "行政许可流程图")
    assert (chart('<iframe src="/u/lc.pdf" width="100%" height="800"></iframe>').kind,
            chart('<iframe src="/u/lc.pdf"></iframe>').url) == ("attachment", "http://x.example.gov.cn/u/lc.pdf")
    assert chart('<p>一、受理：申请人提交材料。</p><p>二、审查：五个工作日内审查。</p>').kind == "none"
