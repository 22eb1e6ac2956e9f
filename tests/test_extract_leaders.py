"""leaders: tables, cards, definition lists, one page per leader, onclick endpoints."""
import json
from pathlib import Path

from scrapy.http import HtmlResponse, TextResponse

from crawler.extract.leaders import is_name, parse_leader_detail, parse_leaders

FIXTURES = Path(__file__).parent / "fixtures" / "html"
LIST_URL = "http://x.example.gov.cn/ld/index.html"


def fixture(name, url=LIST_URL):
    return HtmlResponse(url=url, body=(FIXTURES / name).read_bytes())


def test_table_cards_and_definition_list_layouts():
    leaders = {l.name: l for l in parse_leaders(fixture("leaders_table.html"))}
    assert list(leaders) == ["张三", "李四", "欧阳明华", "赵五", "孙六", "周七"]   # "张　三" joined
    assert leaders["张三"].post == "党组书记、局长"
    assert leaders["张三"].duties.startswith("主持局全面工作")
    assert leaders["张三"].photo_url == "http://x.example.gov.cn/uploads/ld/zhang.jpg"
    assert leaders["李四"].photo_url is None                    # a 1x1 spacer is no photo
    assert leaders["欧阳明华"].photo_url == "http://x.example.gov.cn/uploads/ld/wang.jpg"
    assert (leaders["赵五"].post, leaders["赵五"].duties) == ("总经济师", "协助局长分管税政工作")
    assert leaders["周七"].duties == "负责稽查局工作。"             # the <dd> after its <dt>
    assert all(l.page_url == LIST_URL and l.detail is None for l in leaders.values())


def test_onclick_leaders_get_requests_to_the_scripted_endpoint():
    leaders = parse_leaders(fixture("leaders_onclick.html"))
    assert [(l.name, l.post) for l in leaders] == [("陈明", "镇党委书记"), ("刘芳", "镇长")]
    assert [l.detail.url for l in leaders] == ["http://x.example.gov.cn/api/leaders/12.json",
                                               "http://x.example.gov.cn/api/leaders/13.json"]


def test_template_literal_and_jquery_data_endpoints():
    for script, expected in (
            ("const showLeader = (lid) => { $('#d').load(`/leader/detail?id=${lid}`); };",
             "http://x.example.gov.cn/leader/detail?id=7"),
            ("function showLeader(k){ $.get('/ajax/leader.ashx', {id: k}, render); }",
             "http://x.example.gov.cn/ajax/leader.ashx?id=7")):
        page = f"""<html><body><div onclick="showLeader('7')">王强 副镇长</div><script>{script}</script></body></html>"""
        leaders = parse_leaders(HtmlResponse(url=LIST_URL, body=page.encode(), encoding="utf-8"))
        assert [l.detail.url for l in leaders] == [expected]


def test_one_page_per_leader_links_and_the_leader_page():
    leaders = parse_leaders(fixture("leaders_links.html"))
    assert [(l.name, l.post) for l in leaders] == [("黄大勇", "县长"), ("何小平", "副县长")]
    assert leaders[0].detail.url == "http://x.example.gov.cn/ld/201101/t20110105_100001.shtml"
    page_url = "http://x.example.gov.cn/ld/201101/t20110105_100002.shtml"
    leader = parse_leader_detail(fixture("leader_page.html", page_url))
    assert (leader.name, leader.post) == ("何小平", "副县长")
    assert leader.duties.startswith("负责农业、农村、水利")
    assert leader.photo_url == "http://x.example.gov.cn/ld/201101/W020110105123.jpg"   # not the logo
    assert leader.page_url == page_url


def test_endpoint_answers_in_json_and_html_fragment():
    body = json.dumps({"code": 0, "data": {"name": "陈明", "post": "镇党委书记", "duties": "主持镇党委全面工作",
                                            "photo": "/photos/12.jpg"}}, ensure_ascii=False)
    leader = parse_leader_detail(TextResponse(url="http://x.example.gov.cn/api/leaders/12.json",
                                              body=body.encode(), encoding="utf-8"))
    assert (leader.name, leader.post, leader.duties) == ("陈明", "镇党委书记", "主持镇党委全面工作")
    assert leader.photo_url == "http://x.example.gov.cn/photos/12.jpg"
    fragment = '<div class="leader"><h3>刘芳</h3><p>镇长</p><p>主持镇政府全面工作</p></div>'
    leader = parse_leader_detail(HtmlResponse(url="http://x.example.gov.cn/api/leader?id=13",
                                              body=fragment.encode(), encoding="utf-8"))
    assert (leader.name, leader.post, leader.photo_url) == ("刘芳", "镇长", None)


def test_names():
    assert is_name("张三") and is_name("欧阳明华") and is_name("王强同志")
    assert not is_name("局长") and not is_name("简历") and not is_name("工作动态") and not is_name("张")


def test_two_labels_on_one_line_and_post_in_brackets():
    page = """<html><body><ul>
      <li><img src="/p/1.jpg"><p>姓名：张三 职务：局长</p><p>分工：主持全面工作</p></li>
      <li><img src="/p/2.jpg"><p>李四（副局长）</p><p>负责办公室工作</p></li></ul></body></html>"""
    leaders = parse_leaders(HtmlResponse(url=LIST_URL, body=page.encode(), encoding="utf-8"))
    assert [(l.name, l.post, l.duties) for l in leaders] == [
        ("张三", "局长", "主持全面工作"), ("李四", "副局长", "负责办公室工作")]
    assert [l.photo_url for l in leaders] == ["http://x.example.gov.cn/p/1.jpg", "http://x.example.gov.cn/p/2.jpg"]


def test_menus_and_mailboxes_are_no_leaders():
    page = """<html><body><ul class="menu"><li><a href="/a/">应急管理</a></li><li><a href="/b/">公开指南</a></li>
      <li><a href="/mail/">局长信箱</a></li></ul><p>暂无领导信息。</p></body></html>"""
    assert parse_leaders(HtmlResponse(url=LIST_URL, body=page.encode(), encoding="utf-8")) == []


def test_division_of_work_page_with_names_and_duties_only():
    page = """<html><body><div class="content"><h2>县政府领导工作分工</h2>
      <p>张三：主持县政府全面工作，分管审计工作。</p><p>李四：负责县政府常务工作，分管财政、税务。</p></div></body></html>"""
    leaders = parse_leaders(HtmlResponse(url=LIST_URL, body=page.encode(), encoding="utf-8"))
    assert [(l.name, l.post) for l in leaders] == [("张三", ""), ("李四", "")]
    assert leaders[1].duties.startswith("李四：负责县政府常务工作")


def _page(html, url=LIST_URL):
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


def test_endpoint_argument_passed_through_a_call():
    page = """<html><body><ul><li onclick="showLeader('L01')"><span>王强</span><span>副镇长</span></li></ul>
      <script>function showLeader(id){fetch('/leader/detail?id='+encodeURIComponent(id)).then(function(r){
      return r.text()})}</script></body></html>"""
    assert [l.detail.url for l in parse_leaders(_page(page))] == ["http://x.example.gov.cn/leader/detail?id=L01"]


def test_card_photos_drawn_as_css_backgrounds():
    page = """<html><body style="background:url(/img/body_bg.jpg)"><div class="cards">
      <div class="card"><div class="pic" style="background-image: url('/up/ld/a1.jpg')"></div>
        <h4>王强</h4><p>局长</p><p>主持全面工作</p></div>
      <div class="card"><i class="face" data-bg="/up/ld/a2.jpg"></i><h4>李娜</h4><p>副局长</p></div>
      <div class="card"><div class="pic" style="background:#eee url(/img/icon_user.png) no-repeat"></div>
        <h4>赵刚</h4><p>副局长</p></div></div></body></html>"""
    photos = {l.name: l.photo_url for l in parse_leaders(_page(page))}
    assert photos == {"王强": "http://x.example.gov.cn/up/ld/a1.jpg", "李娜": "http://x.example.gov.cn/up/ld/a2.jpg",
                      "赵刚": None}                     # an icon is dressing, not a photo


def test_table_with_the_photo_in_the_first_column():
    page = """<html><body><table class="ld">
      <tr><th>照片</th><th>姓名</th><th>职务</th><th>分工</th></tr>
      <tr><td><img src="/up/1.jpg" width="60" height="80"></td><td>王强</td><td>党组书记、局长</td>
          <td>主持全面工作</td></tr>
      <tr><td></td><td>李娜</td><td>副局长</td><td>分管办公室工作</td></tr>
      <tr><td><img src="/up/3.jpg" width="60"></td><td>赵刚</td><td>副局长</td><td>分管财务工作</td></tr>
      </table></body></html>"""
    leaders = [(l.name, l.post, l.photo_url) for l in parse_leaders(_page(page))]
    assert leaders == [("王强", "党组书记、局长", "http://x.example.gov.cn/up/1.jpg"), ("李娜", "副局长", None),
                       ("赵刚", "副局长", "http://x.example.gov.cn/up/3.jpg")]


def test_leader_page_with_root_relative_links_under_a_base():
    page = """<html><head><base href="/"></head><body><div class="detail"><img src="uploads/ld/a.jpg">
      <p>姓名：王强</p><p>职务：副镇长</p></div></body></html>"""
    leader = parse_leader_detail(_page(page, "http://x.example.gov.cn/xxgk/ldxx/1.html"))
    assert leader.photo_url == "http://x.example.gov.cn/uploads/ld/a.jpg"


def test_a_list_of_bare_names_links_each_leader_page():
    page = """<html><body><div class="nav"><a href="/xxgk/">信息公开</a></div><ul class="ld">
      <li><a href="ld_1.html">王　强</a></li><li><a href="ld_2.html">李娜</a></li></ul>
      <p>相关：<a href="/zt/1.html">高新</a></p></body></html>"""
    leaders = parse_leaders(_page(page))
    assert [(l.name, l.detail.url) for l in leaders] == [("王强", "http://x.example.gov.cn/ld/ld_1.html"),
                                                         ("李娜", "http://x.example.gov.cn/ld/ld_2.html")]


def test_ajax_object_endpoints_and_handlers_with_more_arguments():
    script = """function showLeader(key, el){ $.ajax({type: 'GET', url: '/api/leader.do',
                data: {leaderId: key, t: 1}, success: function(h){ $('#box').html(h); }}); }"""
    page = f"""<html><body><ul><li onclick="showLeader('L07', this)">王强 副镇长</li></ul>
      <script>{script}</script></body></html>"""
    assert [l.detail.url for l in parse_leaders(_page(page))] == ["http://x.example.gov.cn/api/leader.do?leaderId=L07"]


def test_bare_name_links_in_table_rows():
    page = """<html><body><table><tr><td><a href="ld_1.html">王强</a></td></tr>
      <tr><td><a href="ld_2.html">李娜</a></td></tr></table><p><a href="/zt/1.html">高新</a></p></body></html>"""
    assert [l.name for l in parse_leaders(_page(page))] == ["王强", "李娜"]


def test_json_answer_with_field_names_not_known():
    body = json.dumps({"success": True, "obj": {"ldxm": "王强", "ldzw": "党组书记、局长", "fgjs": "主持全面工作",
                                              "headImgPath": "/upload/ld/wq.jpg"}}, ensure_ascii=False)
    leader = parse_leader_detail(TextResponse(url="http://x.example.gov.cn/ld/get?id=3", body=body.encode(),
                                              encoding="utf-8"))
    assert (leader.name, leader.post, leader.photo_url) == ("王强", "党组书记、局长",
                                                            "http://x.example.gov.cn/upload/ld/wq.jpg")


def test_an_img_pointing_nowhere_shows_no_photo():
    for src in ("", "#", "about:blank", "null"):
        page = f"""<html><body><ul><li><img src="{src}"><p>姓名：王强</p><p>职务：副镇长</p></li>
          <li><img src="/up/2.jpg"><p>姓名：李娜</p><p>职务：镇长</p></li></ul></body></html>"""
        photos = {l.name: l.photo_url for l in parse_leaders(_page(page))}
        assert photos == {"王强": None, "李娜": "http://x.example.gov.cn/up/2.jpg"}, src


def test_a_leaders_own_page_with_labels_and_values_in_separate_cells():
    from scrapy.http import HtmlResponse

    from crawler.extract.leaders import parse_leader_detail
    body = """<html><body><div class="side"><ul><li><a href="/a/">文件资料</a></li><li><a href="/b/">工作动态</a></li></ul></div>
        <div class="leader-detail"><div class="photo"><img src="/p/W020634202.jpg" alt=""></div><table class="jl">
        <tr><th>姓　名</th><td>张英</td></tr><tr><th>职　务</th><td>副局长</td></tr>
        <tr><th>工作分工</th><td>分管业务股室</td></tr></table></div></body></html>"""
    leader = parse_leader_detail(HtmlResponse(url="http://www.example.gov.cn/ldxx/1.html", body=body.encode(),
                                              encoding="utf-8"))
    assert (leader.name, leader.post) == ("张英", "副局长")
    assert "分管业务股室" in leader.duties and leader.photo_url.endswith("W020634202.jpg")


def test_a_leader_page_photo_is_never_a_menu_button_picture():
    menu = "".join(f'<tr><td><a href="/gk/lm.asp?id={n}"><img src="/gk/images/lm{n}.gif" alt="栏目{n}" width="160" '
                   f'height="28"></a></td></tr>' for n in range(4))
    text = '<td class="text"><p>姓名：曾武云</p><p>职务：副镇长</p><p>分工：负责农业农村工作。</p></td>'
    page = '<html><body><table><tr><td class="left"><table>{}</table></td>{}{}</tr></table></body></html>'
    url = "http://x.example.gov.cn/gk/ld.asp?id=2"
    assert parse_leader_detail(_page(page.format(menu, "", text), url)).photo_url is None
    beside = '<td class="pic"><img src="/up/zwy.jpg" width="120" height="160"></td>'
    assert parse_leader_detail(_page(page.format(menu, beside, text), url)).photo_url == "http://x.example.gov.cn/up/zwy.jpg"
    linked = '<td class="pic"><a href="/up/zwy_big.jpg"><img src="/up/zwy.jpg" width="120" height="160"></a></td>'
    assert parse_leader_detail(_page(page.format(menu, linked, text), url)).photo_url == "http://x.example.gov.cn/up/zwy.jpg"
