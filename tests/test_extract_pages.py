"""detail, links, workflows, mailbox and appointments on hand-written pages."""
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse

from crawler.extract.appointments import Appointment, parse_appointments
from crawler.extract.detail import parse_detail
from crawler.extract.links import challenge_kind, is_soft_404, page_links
from crawler.extract.mailbox import normalise_status, parse_letters
from crawler.extract.workflows import parse_flowchart

FIXTURES = Path(__file__).parent / "fixtures" / "html"
AS_OF = date(2011, 9, 30)
DETAIL_URL = "http://www.example.gov.cn/xxgk/gkml/gzdt/201109/t20110916_1234567.html"


def fixture(name, url):
    return HtmlResponse(url=url, body=(FIXTURES / name).read_bytes())


def html(body: str, url="http://www.example.gov.cn/a.html", status=200):
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8", status=status)


def test_detail_metadata_date_ignores_comments_header_and_url():
    detail = parse_detail(fixture("trs_detail.html", DETAIL_URL), AS_OF)
    # not the commented-out 2010 field, not the header's "今天是", not the URL's 20110916
    assert detail.date == date(2011, 9, 15)
    assert detail.title == "关于印发《建始县2011年政务公开工作要点》的通知"


def test_detail_attachments_use_href_not_oldsrc_and_links_skip_chrome():
    detail = parse_detail(fixture("trs_detail.html", DETAIL_URL), AS_OF)
    assert [(a.url, a.kind) for a in detail.attachments] == [
        ("http://www.example.gov.cn/xxgk/gkml/gzdt/201109/W020110915123456.doc", "attachment"),
        ("http://www.example.gov.cn/xxgk/gkml/gzdt/201109/P020110915555.pdf", "attachment")]
    assert [l.url for l in detail.links] == [
        "http://www.hbjs.gov.cn/zwgk/", "http://www.example.gov.cn/xxgk/gkml/gzdt/201109/t20110901_1111.html"]
    assert "现将《建始县2011年政务公开工作要点》印发给你们" in detail.text
    assert "版权所有" not in detail.text and "网站地图" not in detail.text


def test_detail_date_in_table_cell_and_meta_tag():
    table = html("""<html><body><table><tr><td>发布时间</td><td>2011-9-5</td></tr></table>
        <div class="content"><p>今年以来，我县于2011年3月1日启动了专项行动，成效明显，群众满意。</p></div></body></html>""")
    assert parse_detail(table, AS_OF).date == date(2011, 9, 5)
    meta = html("""<html><head><meta name="PubDate" content="2011-07-08 10:20"></head><body><p>正文</p></body></html>""")
    assert parse_detail(meta, AS_OF).date == date(2011, 7, 8)


def test_detail_printed_date_wins_over_a_restamped_meta():
    # a site migration re-stamped PubDate years after the printed 发布日期
    restamped = html("""<html><head><meta name="PubDate" content="2022-04-24 10:00:43"></head><body>
        <div class="info"><span>发布日期：<b>2011-05-15 10:49:00</b></span></div>
        <div class="content"><p>正文内容，全县经济平稳发展。</p></div></body></html>""")
    assert parse_detail(restamped, date(2023, 1, 1)).date == date(2011, 5, 15)


@pytest.mark.parametrize("label", ["生成日期", "发文日期", "发布时间"])
def test_detail_metadata_table_labels_beat_meta(label):
    page = html(f"""<html><head><meta name="PubDate" content="2011-08-16 10:33:59"></head><body>
        <dl class="meta-data"><dd><label><font>索 引 号：</font></label><div>014717475N/2011-0040295</div></dd>
        <dd><label><font>{label}：</font></label><div> 2011-05-11 </div></dd></dl>
        <div id="zoom"><p>全年地区生产总值稳步增长，各项事业全面进步。</p></div></body></html>""")
    assert parse_detail(page, AS_OF).date == date(2011, 5, 11)


def test_detail_bare_time_label_in_the_body_does_not_beat_meta():
    # 时间： inside the article dates a meeting; outside it (the metadata line) it dates the page
    meeting = html("""<html><head><meta name="PubDate" content="2011-07-08 10:20"></head><body>
        <div class="content"><p>会议通知</p><p>时间：2011年9月20日上午9时</p><p>地点：县政府三楼会议室，请各单位准时参加。</p></div>
        </body></html>""")
    assert parse_detail(meeting, AS_OF).date == date(2011, 7, 8)
    printed = html("""<html><head><meta name="PubDate" content="2011-07-08 10:20"></head><body>
        <div class="info">时间：2011-06-30 来源：县政府办</div>
        <div class="content"><p>县政府召开常务会议，研究部署下一阶段重点工作，要求各单位抓好落实。</p></div></body></html>""")
    assert parse_detail(printed, AS_OF).date == date(2011, 6, 30)


def test_page_links_are_body_links_and_attachments():
    links = page_links(fixture("trs_detail.html", DETAIL_URL))
    assert {l.kind for l in links} == {"link", "attachment"} and len(links) == 4
    assert not any("wzdt" in l.url or "beian" in l.url for l in links)


def test_detail_attachments_marked_appendix_whatever_their_url_and_never_oldsrc():
    page = html("""<html><body><div class="TRS_Editor"><p>各单位要对照任务清单，逐项抓好落实。</p></div>
        <div class="fj"><p><a appendix="true" href="./P020110915986703198762.pdf" oldsrc="/protect/P0201109/P020110915986703198762.pdf">附件：任务分解表.pdf</a></p>
        <p><a appendix="true" href="/download.jsp?id=3301" oldsrc="/protect/x.doc">附件2：申请表</a></p></div></body></html>""",
                url="http://www.example.gov.cn/xxgk/zcwj/201109/t20110915_1.html")
    detail = parse_detail(page, AS_OF)
    assert [(a.url, a.kind) for a in detail.attachments] == [
        ("http://www.example.gov.cn/xxgk/zcwj/201109/P020110915986703198762.pdf", "attachment"),
        ("http://www.example.gov.cn/download.jsp?id=3301", "attachment")]
    assert not any("protect" in l.url for l in page_links(page))


@pytest.mark.parametrize("body, expected", [
    ("<html><head><title>提示信息</title></head><body><div class='error'>对不起，您访问的页面不存在或已被删除！"
     "<a href='/index.html'>返回首页</a></div></body></html>", True),
    ("<html><head><title>鹤峰县人民政府</title></head><body><p>抱歉，该文档不存在。</p></body></html>", True),
    ("<html><head><title>提示</title></head><body><h2>页面走丢了</h2><a href='/'>返回首页</a></body></html>", True),
    ("<html><head><title>提示</title></head><body><p>该链接已失效</p></body></html>", True),
    ("<html><head><title>404 Not Found</title></head><body>nginx</body></html>", True),
    ("<html><head><title>建始县人民政府</title></head><body><div>对不起，您访问的页面不存在！</div>"
     "<a href='/'>返回首页</a></body></html>", True),
    ("<html><head><title>关于找不到工作的青年就业帮扶的通知</title></head><body>" + "正文内容。" * 200 + "</body></html>", False),
    ("<html><head><title>工作动态</title></head><body>" + "县政府召开会议，页面不存在的问题已整改。" * 60 + "</body></html>", False),
])
def test_soft_404(body, expected):
    assert is_soft_404(html(body)) is expected


def test_challenge_kind():
    ruishu = html("<html><head><meta charset=utf-8><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script></head></html>", status=412)
    jiasule = html("<html><body><script>document.cookie=('_')+('_jsl_clearance')+'=1';location.href=location.pathname</script></body></html>", status=521)
    normal = html("<html><body><script>document.cookie='a=1'</script><p>正文</p></body></html>")
    assert challenge_kind(ruishu) == "anti_crawler" and challenge_kind(jiasule) == "anti_crawler"
    assert challenge_kind(normal) is None
    assert challenge_kind(html("<html><body>Forbidden</body></html>", status=403)) is None


def test_flowchart_image_skips_logo_and_spacer():
    ref = parse_flowchart(fixture("flowchart_image.html", "http://ly.example.gov.cn/lc/1.html"))
    assert (ref.kind, ref.url) == ("image", "http://ly.example.gov.cn/uploads/lct/caifa.png")
    assert ref.title == "林木采伐许可办理流程图"


def test_flowchart_attachment_and_none():
    ref = parse_flowchart(fixture("flowchart_attachment.html", "http://ly.example.gov.cn/lc/2.html"))
    assert (ref.kind, ref.url) == ("attachment", "http://ly.example.gov.cn/uploads/lct/ghxk.xls")
    none = parse_flowchart(html("<html><body><div id='zoom'><h2>林权登记</h2><p>办理时限：20个工作日。"
                                "办理材料：申请书、身份证明。</p></div></body></html>"))
    assert (none.kind, none.url) == ("none", None)


def test_mailbox_table_with_header_dates_and_statuses():
    page = parse_letters(fixture("mailbox_table.html", "http://x.example.gov.cn/xx/list.asp"), AS_OF)
    assert [(l.title, l.status, l.received, l.answered) for l in page.letters] == [
        ("关于村级公路硬化的咨询", "未受理", date(2011, 6, 3), None),
        ("低保申请材料问题", "已受理", date(2011, 5, 20), None),
        ("林权证办理时间", "已办结", date(2011, 5, 2), date(2011, 5, 9))]
    assert page.letters[0].url == "http://x.example.gov.cn/xx/show.asp?id=1021"
    assert [r.url for r in page.next_requests] == ["http://x.example.gov.cn/xx/list.asp?page=2",
                                                  "http://x.example.gov.cn/xx/list.asp?page=3"]


def test_mailbox_list_items_and_status_words():
    body = """<html><body><ul class="mail"><li><a href="/m/1.html">咨询未回复件的处理办法</a><span>2011-07-01</span><em>待受理</em></li>
      <li><a href="/m/2.html">道路维修问题</a><span>2011-06-11</span><em>已回复</em><span>2011-06-20</span></li></ul></body></html>"""
    letters = parse_letters(html(body), AS_OF).letters
    assert [(l.status, l.received, l.answered) for l in letters] == [
        ("未受理", date(2011, 7, 1), None), ("已办结", date(2011, 6, 11), date(2011, 6, 20))]
    assert [normalise_status(w) for w in ("办理中", "已答复", "未处理", "公开")] == ["已受理", "已办结", "未受理", None]


def test_appointments_from_notice_text():
    text = ("经县人民政府研究决定：\n任命张三同志为县林业局副局长；免去李四同志的县林业局副局长职务。\n"
            "王五同志任县交通局局长（试用期一年）。免去欧阳明华县水利局局长职务；聘任孙七为县档案局副局长。"
            "钱九不再担任县卫生局局长职务。")
    assert parse_appointments("关于张三等同志职务任免的通知", text) == [
        Appointment("张三", "县林业局副局长", "任"), Appointment("李四", "县林业局副局长", "免"),
        Appointment("王五", "县交通局局长", "任"), Appointment("欧阳明华", "县水利局局长", "免"),
        Appointment("孙七", "县档案局副局长", "任"), Appointment("钱九", "县卫生局局长", "免")]
    assert parse_appointments("关于召开全县经济工作会议的通知", "经研究决定，定于9月10日召开会议。") == []
    listed = "经研究，决定任命：\n张三为县林业局副局长；\n李四为县林业局办公室主任。\n免去：\n王五的县林业局副局长职务。\n特此通知。"
    assert parse_appointments("", listed) == [
        Appointment("张三", "县林业局副局长", "任"), Appointment("李四", "县林业局办公室主任", "任"),
        Appointment("王五", "县林业局副局长", "免")]
    assert parse_appointments("", "会议认为，当前工作任务繁重。张三为本次会议作了总结。") == []
    assert parse_appointments("", "任命李小龙、吴一同志为业州镇副镇长。") == [
        Appointment("李小龙", "业州镇副镇长", "任"), Appointment("吴一", "业州镇副镇长", "任")]


def test_json_answers_are_read_as_text_not_refused():
    answer = TextResponse(url="http://x.example.gov.cn/api/1.json", body='{"name": "页面"}'.encode(),
                          headers={"Content-Type": "application/json"}, encoding="utf-8")
    assert is_soft_404(answer) is False
    assert parse_detail(answer, AS_OF).date is None
    assert page_links(answer) == []


def test_status_inside_a_cell_block_still_reads_the_whole_row():
    body = """<html><body><table>
      <tr><td><a href="/m/9.html">关于路灯维修的建议</a></td><td>2011-08-08</td><td><div class="zt">已受理</div></td></tr>
    </table></body></html>"""
    letters = parse_letters(html(body), AS_OF).letters
    assert [(l.title, l.received, l.status) for l in letters] == [("关于路灯维修的建议", date(2011, 8, 8), "已受理")]


def test_short_body_is_not_mistaken_for_the_metadata_line():
    body = """<html><body><table><tr><td><a href="/">首页</a></td></tr></table>
      <table><tr><td><b>妇联主要职能</b></td></tr><tr><td><font>作者：佚名　文章来源：妇联　更新时间：2011-5-28</font></td></tr>
      <tr><td><p>（内容略）</p><p>相关链接：<a href="/ShowClass.asp?ClassID=1">相关阅读</a></p></td></tr></table></body></html>"""
    detail = parse_detail(html(body, url="http://x.example.gov.cn/ShowArticle.asp?ArticleID=1"), AS_OF)
    assert [l.url for l in detail.links] == ["http://x.example.gov.cn/ShowClass.asp?ClassID=1"]
    assert detail.date == date(2011, 5, 28)


def test_a_re_stamped_pubdate_meta_yields_to_the_date_in_the_articles_address():
    from scrapy.http import HtmlResponse

    from crawler.extract.dates import url_date
    from crawler.extract.detail import publication_date

    def article(url: str, meta: str, printed: str = "") -> HtmlResponse:
        body = (f"<html><head><meta name='PubDate' content='{meta}'></head><body><h1>标题</h1>"
                f"<div class='info'>{printed}</div><div class='TRS_Editor'><p>正文内容。</p></div></body></html>")
        return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")

    as_of = date(2011, 9, 30)
    trs = "http://www.example.gov.cn/xxgk/gzdt/201101/t20110102_622464.shtml"
    assert url_date(trs, as_of) == date(2011, 1, 2)
    assert url_date("http://x.gov.cn/art/2011/9/5/art_12_345.html", as_of) == date(2011, 9, 5)
    assert url_date("http://x.gov.cn/a/2011/0915/123.html", as_of) == date(2011, 9, 15)
    assert url_date("http://x.gov.cn/list_12_2.html", as_of) is None
    assert publication_date(article(trs, "2011-09-16 09:24"), as_of) == date(2011, 1, 2)     # re-stamped
    assert publication_date(article(trs, "2011-01-04 09:24"), as_of) == date(2011, 1, 4)     # published 2 days on
    assert publication_date(article(trs, "2011-09-16", "发布日期：2011-01-03"), as_of) == date(2011, 1, 3)
    no_meta = HtmlResponse(url=trs, body="<html><body><p>正文内容。</p></body></html>".encode(), encoding="utf-8")
    assert publication_date(no_meta, as_of) is None                 # a date only in the URL is none a reader sees
