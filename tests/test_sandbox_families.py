"""The four CMS template families render the model as real county sites did.

Most tests build a small Web by hand and call `render` directly; the last ones
go through the real sandbox server (tests/conftest.py's `sandbox_web`).
"""
from __future__ import annotations

import http.client
import io
import json
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from PIL import Image

from sandbox.families import Request, entry_url, render, renderer_for
from sandbox.generator import generate
from sandbox.model import (Appointment, Article, Attachment, Column, Flowchart, Leader, Letter, Link, Photo,
                           Site, Unit, Web, Workflow)

AS_OF = date(2011, 9, 30)
LONG_TITLE = "关于印发《建始县林业局2011年森林防火工作实施方案》的通知"


# ---------------------------------------------------------------- a hand-built web

def list_articles(count: int, first_id: int) -> list[Article]:
    articles = [Article(id=first_id + i, title=f"林业局工作动态第{i + 1}期", date=AS_OF - timedelta(days=3 * i),
                        url_date=AS_OF - timedelta(days=3 * i)) for i in range(count)]
    articles[0].url_date = AS_OF + timedelta(days=2)          # TRS: the URL's date differs from the list's
    articles[1].title = LONG_TITLE
    articles[2].attachments = [Attachment("附件1：申请表.doc", "doc", dead_oldsrc=True),
                               Attachment("附件2：空表.xls", "xls", state="empty"),
                               Attachment("附件3：汇编.zip", "zip", state="huge"),
                               Attachment("附件4：旧文件.pdf", "pdf", state="404")]
    articles[3].links = [Link("国务院", "external"), Link("旧版文件", "404"), Link("原通知", "soft_404"),
                         Link("本单位", "ok")]
    articles[4].appointments = [Appointment("张三", "县林业局副局长", "任"), Appointment("李四", "县林业局副局长", "免")]
    return articles


def make_unit(unit_id: str, name: str, site_id: str, kind: str = "县直部门", first_id: int = 100) -> Unit:
    photos = [Photo("good", 300, 400, 11), Photo("blurred", 300, 400, 12), Photo("placeholder", 180, 240),
              Photo("placeholder", 180, 240), Photo("none"), Photo("broken_404", 300, 400, 13),
              Photo("html", 300, 400, 14), Photo("truncated", 240, 320, 15), Photo("bomb", 30000, 30000, 16)]
    charts = [Flowchart("image_sharp", 1000, 1400, 20), Flowchart("image_small", 400, 300, 21),
              Flowchart("image_blurred", 1000, 1400, 22), Flowchart("attachment_doc", seed=23),
              Flowchart("attachment_pdf", seed=24), Flowchart("attachment_xls", seed=25),
              Flowchart("broken_404", seed=26), Flowchart("broken_empty", seed=27), Flowchart("none", seed=28)]
    return Unit(
        id=unit_id, name=name, kind=kind, site=site_id,
        columns=[
            Column("工作动态", "部门动态", "gzdt", articles=list_articles(12, first_id), per_page=5),
            Column("通知公告", "通知公告", "tzgg", date_style="detail_only",
                   articles=[Article(first_id + 50, "关于开展森林防火检查的通知", date(2011, 9, 1))]),
            Column("依申请公开", "依申请公开", "ysqgk",
                   articles=[Article(first_id + 60, "依申请公开办理规程", None)]),
            Column("规划计划", "发展规划", "ghjh", date_style="bracket_md",
                   articles=[Article(first_id + 70, "2011年工作要点", date(2011, 3, 15), date_in_list=False)]),
            Column("领导信息", "领导之窗", "ldxx", group="机构概况", role="leaders"),
            Column("工作流程", "办事流程", "gzlc", role="workflows"),
        ],
        leaders=[Leader(f"领导{i}", "副局长", f"分管第{i}项工作", photo) for i, photo in enumerate(photos)],
        workflows=[Workflow(f"{chart.kind}流程图", chart) for chart in charts],
        letters=[Letter(900 + i, f"关于林区道路的咨询{i}", date(2011, 6, 1) + timedelta(days=i),
                        "未受理" if i % 3 else "已办结", None if i % 3 else date(2011, 9, 20)) for i in range(40)],
    )


def make_web(family: str, encoding: str = "utf-8", hostile: frozenset = frozenset()) -> Web:
    """One own-site unit on a `family` site, plus the portal hosting two units (one unlisted)."""
    portal = Unit("hbjs", "建始网", "门户", "portal", columns=[Column("工作动态", "政务动态", "gzdt",
                                                                   articles=list_articles(6, 5000))])
    hosted = make_unit("maotianxiang", "茅田乡", "portal", kind="乡镇", first_id=6000)
    hidden = make_unit("hiddenju", "隐藏局", "portal", first_id=7000)
    hidden.listed_in_directory = False
    own = make_unit("linyeju", "林业局", "own")
    sites = [Site("portal", "trs", "127.0.0.1", 8001, ["hbjs", "maotianxiang", "hiddenju"], True),
             Site("own", family, "127.0.0.2", 8001, ["linyeju"], encoding=encoding, hostile=set(hostile))]
    return Web(seed=1, as_of=AS_OF, scale="county", sites=sites, units=[portal, hosted, hidden, own],
               portal_unit="hbjs", site_group_hosts=["127.0.0.*"])


def own_site(family: str):
    """The hand-built web, its own-site unit and that site's renderer."""
    web = make_web(family)
    return web, web.unit("linyeju"), renderer_for(web, web.site("own"))


def get(web: Web, site_id: str, url: str, method: str = "GET", form: dict | None = None):
    parts = urlsplit(url)
    request = Request(method, parts.path or "/", parse_qs(parts.query, keep_blank_values=True),
                      {k: [str(v)] for k, v in (form or {}).items()}, {})
    return render(web, web.site(site_id), request)


def text_of(web: Web, site_id: str, response) -> str:
    return response.body.decode(web.site(site_id).encoding)


def hrefs(page: str, base: str) -> list[str]:
    """The page's <a href> and <img src> targets resolved against `base` (and its <base href>)."""
    declared = re.search(r'<base href="([^"]+)"', page)
    base = urlsplit(declared.group(1)).path if declared else base
    return [urljoin(base, target.replace("&amp;", "&"))
            for target in re.findall(r'(?:href|src)="([^"#]+)"', page)
            if not target.startswith(("http:", "javascript:"))]


def follow(web: Web, site_id: str, start: str, pattern: str) -> list[str]:
    """Every link of the page at `start` whose resolved path matches `pattern`."""
    page = text_of(web, site_id, get(web, site_id, start))
    return [h for h in hrefs(page, start) if re.search(pattern, h)]


# ---------------------------------------------------------------- every family

@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_every_linked_page_of_a_family_answers_and_the_section_is_reachable_from_home(family):
    web = make_web(family)
    unit = web.unit("linyeju")
    home = entry_url(web, unit)
    assert home.startswith("http://127.0.0.2:8001/")
    seen, queue = set(), [urlsplit(home).path]
    while queue:                                     # a small breadth-first crawl of <a>/<img> links
        url = queue.pop()
        if url in seen or len(seen) > 400:
            continue
        seen.add(url)
        response = get(web, "own", url)
        if response.content_type.startswith("text/html") and response.status == 200:
            queue += [h for h in hrefs(text_of(web, "own", response), url) if h not in seen]
    section = renderer_for(web, web.site("own")).section_path(unit)
    assert section in seen
    column = renderer_for(web, web.site("own")).column_path(unit, unit.columns[0])
    assert column in seen


@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_rendering_is_deterministic(family):
    first, second = make_web(family), make_web(family)
    renderer = renderer_for(first, first.site("own"))
    for key in list(renderer.static)[:60]:
        assert get(first, "own", key).body == get(second, "own", key).body, key


def test_script_in_a_title_is_escaped():
    web = make_web("modern")
    column = web.unit("linyeju").columns[0]
    column.articles[0].title = "<script>alert(1)</script>林业"
    page = text_of(web, "own", get(web, "own", renderer_for(web, web.site("own")).column_path(
        web.unit("linyeju"), column)))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;林业" in page


# ---------------------------------------------------------------- TRS

def test_trs_later_list_pages_exist_only_in_script():
    web = make_web("trs")
    unit = web.unit("linyeju")
    first = renderer_for(web, web.site("own")).column_path(unit, unit.columns[0])
    page = text_of(web, "own", get(web, "own", first))
    assert "index_1.html" not in " ".join(re.findall(r'href="[^"]*"', page))
    assert re.search(r"var countPage = 3\b|createPageHTML\(3, 0,", page)
    later = get(web, "own", first.replace("index.html", "index_1.html"))
    assert later.status == 200
    assert "林业局工作动态第6期" in text_of(web, "own", later) and "第1期" not in text_of(web, "own", later)
    assert get(web, "own", first.replace("index.html", "index_3.html")).status == 404


def test_trs_article_urls_carry_their_own_date_titles_are_cut_without_a_title_attribute():
    web = make_web("trs")
    unit = web.unit("linyeju")
    first = renderer_for(web, web.site("own")).column_path(unit, unit.columns[0])
    page = text_of(web, "own", get(web, "own", first))
    assert re.search(r'href="\./201110/t20111002_100\.html"', page)      # url_date, not the list date
    assert "2011-09-30" in page
    assert LONG_TITLE not in page and re.search(r"关于印发《建始县林业局.{0,20}(…|\.\.\.)</a>", page)
    assert "title=" not in page
    detail = text_of(web, "own", get(web, "own", urljoin(first, "./201110/t20111002_100.html")))
    assert re.search(r"发布(日期</strong>：2011年09月30日|时间　：2011-09-30)", detail)


def test_trs_attachment_href_works_and_its_oldsrc_is_dead():
    web = make_web("trs")
    unit = web.unit("linyeju")
    article = unit.columns[0].articles[2]
    article_url = renderer_for(web, web.site("own")).article_path(unit, unit.columns[0], article)
    page = text_of(web, "own", get(web, "own", article_url))
    link = re.search(r'<a href="([^"]+\.doc)" oldsrc="([^"]+)"', page)
    base = re.search(r'<base href="([^"]+)"', page)
    href = urljoin(urlsplit(base.group(1)).path if base else article_url, link.group(1))
    document = get(web, "own", href)
    assert document.status == 200 and document.body.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
    assert get(web, "own", link.group(2)).status == 404


def test_trs_portal_directory_lists_only_listed_units_and_hosted_units_have_no_entry_url():
    web = make_web("asp")
    catalogue = follow(web, "portal", "/index.html", r"/xxgk/index\.html$")[0]
    page = text_of(web, "portal", get(web, "portal", catalogue))
    assert "茅田乡" in page and "隐藏局" not in page
    section = [h for h in hrefs(page, catalogue) if "maotianxiang" in h][0]
    assert get(web, "portal", section).status == 200
    assert entry_url(web, web.unit("maotianxiang")) is None
    assert entry_url(web, web.unit("hbjs")) == "http://127.0.0.1:8001/index.html"
    assert get(web, "portal", "/xxgk/hiddenju/index.html").status == 200    # reachable, just not listed


# ---------------------------------------------------------------- Hanweb

def test_hanweb_list_is_empty_and_records_sit_in_an_inline_datastore():
    web, unit, renderer = own_site("hanweb")
    page = text_of(web, "own", get(web, "own", renderer.column_path(unit, unit.columns[0])))
    assert re.search(r'<div id="\d+" class="list"></div>', page)
    store = re.search(r'<script type="text/xml">(.*?)</script>', page, re.S).group(1)
    assert 'totalrecord="12"' in store and 'totalpage="3"' in store
    assert store.count("<record>") == 5
    assert re.search(r"columnid: \d+", page) and "perPage: 5" in page and "dataproxy.jsp" in page


def test_hanweb_dataproxy_answers_the_requested_records_to_a_post_only():
    web = make_web("hanweb")
    unit = web.unit("linyeju")
    page = text_of(web, "own", get(web, "own", renderer_for(web, web.site("own")).column_path(unit, unit.columns[0])))
    columnid = re.search(r"columnid: (\d+)", page).group(1)
    proxy = "/module/jslib/jquery/jpage/dataproxy.jsp?" + urlencode({"startrecord": 6, "endrecord": 10, "perpage": 5})
    form = {"col": 1, "columnid": columnid, "unitid": 1, "webid": 1, "path": "/", "webname": "x", "permissiontype": 0}
    answer = get(web, "own", proxy, "POST", form)
    xml = answer.body.decode("utf-8")
    assert answer.status == 200 and "xml" in answer.content_type
    assert xml.count("<record>") == 5
    assert "第6期" in xml and "第10期" in xml and "第5期" not in xml and "第11期" not in xml
    assert get(web, "own", proxy, "GET").status != 200
    unknown = get(web, "own", proxy, "POST", {**form, "columnid": "999999"}).body.decode("utf-8")
    assert "<record>" not in unknown


# ---------------------------------------------------------------- old ASP

def test_asp_pages_are_gbk_with_the_charset_only_in_meta():
    web = make_web("asp", encoding="gbk", hostile=frozenset({"gbk_no_header"}))
    response = get(web, "own", "/index.asp")
    assert response.content_type == "text/html"
    page = response.body.decode("gbk")
    assert 'charset=gb2312' in page and "林业局" in page
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    plain = make_web("asp", encoding="gbk")
    assert "charset=gbk" in get(plain, "own", "/index.asp").content_type


def test_asp_next_page_link_walks_the_list():
    web = make_web("asp", encoding="gbk")
    unit = web.unit("linyeju")
    url = renderer_for(web, web.site("own")).column_path(unit, unit.columns[0])
    titles = []
    for _ in range(5):
        page = text_of(web, "own", get(web, "own", url))
        titles += re.findall(r"林业局工作动态第(\d+)期", page)
        following = re.search(r'<a href="([^"]+)">下一页</a>', page)
        if not following:
            assert "尾页" in page
            break
        url = urljoin(url, following.group(1).replace("&amp;", "&"))
    assert len(titles) == 11 and "ShowClass.asp?ClassID=" in url and "page=3" in url   # 12 minus the cut title


# ---------------------------------------------------------------- modern

def test_modern_leaders_load_from_the_endpoint_the_inline_script_names():
    web, unit, renderer = own_site("modern")
    page = text_of(web, "own", get(web, "own", renderer.column_path(unit, unit.columns[4])))
    ids = re.findall(r'onclick="showLeader\((\d+)\)"', page)
    assert len(ids) == len(unit.leaders)
    assert "领导0" in page and not re.search(r'<a href="[^"]*">领导0', page)
    endpoint = re.search(r"['\"](/[\w/.]+)\?id=['\"] \+ id", page).group(1)
    answer = get(web, "own", f"{endpoint}?id={ids[0]}")
    assert answer.status == 200
    body = answer.body.decode("utf-8")
    photo = json.loads(body)["photo"] if "json" in answer.content_type else re.search(r'src="([^"]+)"', body).group(1)
    image = Image.open(io.BytesIO(get(web, "own", photo).body))
    assert image.size == (300, 400)


def test_modern_dates_in_small_or_brackets_and_page_links_relative():
    web, unit, renderer = own_site("modern")
    page = text_of(web, "own", get(web, "own", renderer.column_path(unit, unit.columns[0])))
    assert re.search(r'<(small|span class="date")>2011-09-30<', page)
    assert 'href="?page=2"' in page
    assert get(web, "own", renderer.column_path(unit, unit.columns[0]) + "?page=2").status == 200
    ignored = get(web, "own", renderer.column_path(unit, unit.columns[0]) + "?page=2&from=menu")
    assert ignored.body == get(web, "own", renderer.column_path(unit, unit.columns[0]) + "?page=2").body
    assert get(web, "own", renderer.column_path(unit, unit.columns[0]) + "?page=9").status == 404
    assert get(web, "own", renderer.column_path(unit, unit.columns[0]) + "?page=1").body == get(
        web, "own", renderer.column_path(unit, unit.columns[0])).body


# ---------------------------------------------------------------- shared content

@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_date_styles_detail_only_and_undated(family):
    web, unit, renderer = own_site(family)
    for column, shown in [(unit.columns[1], ("2011-09-01", "2011年09月01日", "2011-9-1")),
                          (unit.columns[3], ("2011-03-15", "2011年03月15日", "2011-3-15", "03-15"))]:
        listing = text_of(web, "own", get(web, "own", renderer.column_path(unit, column)))
        assert not any(text in listing for text in shown)
        detail = text_of(web, "own", get(web, "own", renderer.article_path(unit, column, column.articles[0])))
        assert any(text in detail for text in shown)
    undated = unit.columns[2]
    for url in (renderer.column_path(unit, undated), renderer.article_path(unit, undated, undated.articles[0])):
        assert not re.search(r"20\d\d\s*[-/年]\s*\d{1,2}\s*[-/月]", text_of(web, "own", get(web, "own", url)))


@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_body_links_and_attachments_fail_as_planted(family):
    web, unit, renderer = own_site(family)
    column = unit.columns[0]
    linked = column.articles[3]
    page_url = renderer.article_path(unit, column, linked)
    page = text_of(web, "own", get(web, "own", page_url))
    targets = {text: href for href, text in re.findall(r'相关链接：<a href="([^"]+)"[^>]*>([^<]+)</a>', page)}
    assert targets["国务院"].startswith("http://www.") and "127.0.0" not in targets["国务院"]
    assert get(web, "own", targets["旧版文件"]).status == 404
    soft = get(web, "own", targets["原通知"])
    assert soft.status == 200 and "页面不存在" in text_of(web, "own", soft)
    assert get(web, "own", targets["本单位"]).status == 200
    with_files = column.articles[2]
    paths = [renderer.attachment_path(unit, column, with_files, i) for i in range(4)]
    assert get(web, "own", paths[1]).body == b"" and get(web, "own", paths[1]).status == 200
    assert get(web, "own", paths[2]).stream_bytes >= 300 * 1024 * 1024
    assert get(web, "own", paths[3]).status == 404
    notice = text_of(web, "own", get(web, "own", renderer.article_path(unit, column, column.articles[4])))
    assert "任命张三同志为县林业局副局长" in notice and "免去李四同志县林业局副局长职务" in notice


@pytest.mark.parametrize("family", ["trs", "hanweb", "asp"])
def test_leader_photos_are_served_by_kind(family):
    web, unit, renderer = own_site(family)
    leaders_url = renderer.column_path(unit, unit.columns[4])
    pages = [leaders_url] + follow(web, "own", leaders_url, r"/t\d{8}_\d+\.html$")   # TRS: one page per leader
    sources = {}
    for url in pages:
        page = text_of(web, "own", get(web, "own", url))
        for src, alt in re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page):
            sources[alt] = urljoin(url, src)
    assert "领导4" not in sources                                          # kind none: no <img>
    assert sources["领导2"] == sources["领导3"]                             # one shared placeholder
    assert Image.open(io.BytesIO(get(web, "own", sources["领导0"]).body)).size == (300, 400)
    assert get(web, "own", sources["领导5"]).status == 404
    html_photo = get(web, "own", sources["领导6"])
    assert html_photo.status == 200 and html_photo.content_type.startswith("text/html")
    assert len(get(web, "own", sources["领导8"]).body) < 200_000            # the bomb is small on the wire


@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_flowcharts_are_images_attachments_or_nothing(family):
    web, unit, renderer = own_site(family)
    blocks = {}
    for index, workflow in enumerate(unit.workflows):
        link = renderer.flowchart_link(unit, index, workflow)
        blocks[workflow.flowchart.kind] = link
    assert blocks["none"] is None
    sharp = get(web, "own", blocks["image_sharp"][1])
    assert blocks["image_sharp"][0] == "img" and Image.open(io.BytesIO(sharp.body)).size == (1000, 1400)
    assert get(web, "own", blocks["attachment_pdf"][1]).body.startswith(b"%PDF-1.4")
    assert get(web, "own", blocks["attachment_xls"][1]).body.startswith(bytes.fromhex("D0CF11E0"))
    assert get(web, "own", blocks["broken_404"][1]).status == 404
    assert get(web, "own", blocks["broken_empty"][1]).body == b""
    workflows_page = text_of(web, "own", get(web, "own", renderer.column_path(unit, unit.columns[5])))
    assert "image_sharp流程图" in workflows_page


@pytest.mark.parametrize("family", ["trs", "hanweb", "asp", "modern"])
def test_mailbox_pages_list_every_letter_with_status_and_dates(family):
    web, unit, renderer = own_site(family)
    section = text_of(web, "own", get(web, "own", renderer.section_path(unit)))
    assert re.search(r"(局长信箱|网上信访|部门信箱)</a>", section)
    seen = set()
    for page in range(1, 4):
        text = text_of(web, "own", get(web, "own", renderer.mailbox_path(unit, page)))
        seen |= set(re.findall(r"关于林区道路的咨询(\d+)", text))
        assert "未受理" in text and "2011-06-" in text or page > 1
    assert len(seen) == 40
    assert "已办结" in text_of(web, "own", get(web, "own", renderer.mailbox_path(unit, 1)))


# ---------------------------------------------------------------- the generated web

def test_every_route_of_the_generated_web_renders():
    web = generate()
    for site in web.sites:
        renderer = renderer_for(web, site)
        for key in renderer.static:
            if re.search(r"\.(jpg|png|doc|pdf|xls|docx|zip|rar)$|filename=", key):
                continue          # media are tested above; drawing them all would be slow
            parts = urlsplit(key)
            response = render(web, site, Request("GET", parts.path, parse_qs(parts.query), {}, {}))
            assert response.status == 200, (site.id, key)


def test_the_portal_of_the_generated_web_links_every_listed_hosted_unit():
    web = generate()
    portal = web.site(web.unit(web.portal_unit).site)
    catalogue = follow(web, portal.id, "/index.html", r"/xxgk/index\.html$")[0]
    page = text_of(web, portal.id, get(web, portal.id, catalogue))
    for unit_id in portal.units:
        unit = web.unit(unit_id)
        if unit.id != web.portal_unit:
            assert (unit.name in page) == unit.listed_in_directory, unit.id


# ---------------------------------------------------------------- over real HTTP

def http_get(url: str, method: str = "GET", body: str | None = None, headers: dict | None = None):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def test_over_http_hanweb_dataproxy_and_gbk_asp(sandbox_web):
    web = sandbox_web.web
    hanweb = next(s for s in web.sites if s.family == "hanweb" and not s.hostile)
    unit = web.unit(hanweb.units[0])
    column = max(unit.columns, key=lambda c: len(c.articles))
    list_url = sandbox_web.url(hanweb.id, renderer_for(web, hanweb).column_path(unit, column))
    _, page = http_get(list_url)
    columnid = re.search(r"columnid: (\d+)", page.decode("utf-8")).group(1)
    form = urlencode({"col": 1, "columnid": columnid, "unitid": 1, "webid": 1, "path": "/", "webname": "x",
                      "permissiontype": 0})
    response, xml = http_get(sandbox_web.url(hanweb.id, "/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=1"
                                                         "&endrecord=3&perpage=1"), "POST", form,
                             {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200 and xml.decode("utf-8").count("<record>") == min(3, len(column.articles))

    gbk = next(s for s in web.sites if s.encoding == "gbk" and s.hostile == {"gbk_no_header"})
    response, body = http_get(sandbox_web.url(gbk.id, "/index.asp"))
    assert response.status == 200 and "charset" not in response.getheader("Content-Type")
    assert "charset=gb2312" in body.decode("gbk")
