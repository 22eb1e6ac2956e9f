"""The blind web's commercial-CMS sites (family "cms2020", sandbox/families/cms2020.py): what a person following
the links from each unit's entry URL over real HTTP(S) reaches holds the manifest's truth, every list page is
reached, and adding them changed nothing of the blind web's other units.

The follower below is the test's own: it takes what a browser would (href, src, and the <option value> of a
page-jump <select onchange>). It is no model of the product's crawler.
"""
from __future__ import annotations

import html
import http.client
import re
import ssl
import urllib.error
import urllib.request
from urllib.parse import urljoin

import pytest

from sandbox import blind
from sandbox.blind import generate_blind
from sandbox.families import renderer_for
from sandbox.families.common import LETTERS_PER_PAGE, page_count, page_slice
from sandbox.manifest import build_manifest
from tests.blind_checks import assert_photo_served, assert_the_others_unchanged

CMS_UNITS = ("yingshanzhen", "tuiyiju", "yingjiju", "shichangju", "dongfengxiang")
LINKS = (r"""(?:href|src)\s*=\s*["']([^"'#][^"']*)["']""", r"""<option value=["']([^"']+)["']""")


def without_cms(monkeypatch) -> object:
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family != "cms2020"))
    return generate_blind(port=19311)


def test_the_cms_units_change_nothing_of_the_others(monkeypatch):
    # the web as it was when the cms2020 sites were added (the later plat and sub units, numbered after them, aside)
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family not in ("plat", "sub")))
    full = generate_blind(port=19311)
    assert [u.id for u in full.units if full.site(u.site).family == "cms2020"] == list(CMS_UNITS)
    assert [full.site(uid).host for uid in CMS_UNITS] == [f"127.77.5.{n}" for n in range(1, 6)]
    assert [renderer_for(full, full.site(uid)).variant for uid in CMS_UNITS] == ["jcms", "kpy", "wcm", "jcms", "kpy"]
    assert [full.site(uid).tls for uid in CMS_UNITS] == ["", "", "valid", "", ""]
    before = without_cms(monkeypatch)
    assert_the_others_unchanged(full, before, CMS_UNITS)


def test_the_manifest_holds_what_was_planted():
    manifest = build_manifest(generate_blind(port=19311))
    checks = {uid: {(d["check"], d["detail"]) for d in manifest["defects"] if d["unit_id"] == uid} for uid in CMS_UNITS}
    assert ("column_stale", "") not in checks["yingshanzhen"] and ("link_broken", "soft_404") in checks["yingshanzhen"]
    assert {c for c, _ in checks["tuiyiju"]} >= {"leader_info_outdated", "column_empty", "link_broken", "flowchart_unclear"}
    assert ("link_broken", "404") in checks["tuiyiju"] and ("link_broken", "empty") in checks["tuiyiju"]
    assert ("column_stale", "undated") in checks["yingjiju"] and ("column_missing", "") in checks["yingjiju"]
    assert ("leader_photo_broken", "broken_404") in checks["shichangju"]
    assert {c for c, _ in checks["dongfengxiang"]} >= {"site_stale", "column_missing", "leader_photo_low_quality"}


@pytest.fixture(scope="module")
def served(blind_web):
    return (generate_blind(port=blind_web.port), blind_web.manifest,
            ssl.create_default_context(cafile=str(blind_web.ca_path)))


def fetch(url: str, context) -> tuple[int, bytes, str, str]:
    """(status, body, content type, the URL answered after any redirects)."""
    try:
        with urllib.request.urlopen(url, timeout=30, context=context) as response:
            return response.status, response.read(), response.headers.get("Content-Type", ""), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", ""), error.geturl()


class Visit:
    """Everything reached from one entry URL, as a person clicking through would reach it."""

    def __init__(self, entry: str, context, limit: int = 3000):
        self.landed = fetch(entry, context)[3]     # where the entry sends the browser
        origin = re.match(r"https?://[^/]+", self.landed).group(0)
        self.status: dict[str, int] = {}
        self.types: dict[str, str] = {}
        self.bodies: dict[str, bytes] = {}
        self.texts: dict[str, str] = {}
        queue = [self.landed]
        while queue and len(self.status) < limit:
            url = queue.pop(0)
            if url in self.status:
                continue
            status, body, ctype, _ = fetch(url, context)
            self.status[url], self.types[url], self.bodies[url] = status, ctype, body
            if status != 200 or "text/html" not in ctype:
                continue
            text = self.texts[url] = body.decode("utf-8")
            for pattern in LINKS:
                for target in re.findall(pattern, text):
                    target = html.unescape(target).strip()
                    if target.startswith(("javascript:", "mailto:")):
                        continue
                    absolute = urljoin(url, target).split("#")[0]
                    if absolute.startswith(origin + "/"):
                        queue.append(absolute)

    def seen(self, text: str) -> bool:
        return any(text in page for page in self.texts.values())


@pytest.fixture(scope="module")
def visits(served):
    web, manifest, context = served
    entries = {u["id"]: u["entry_url"] for u in manifest["units"]}
    assert entries["yingjiju"] == f"http://127.77.5.3:{web.site('yingjiju').port}/"
    return {uid: Visit(entries[uid], context) for uid in CMS_UNITS}


def site_of(web, uid):
    site = web.site(uid)
    return site, renderer_for(web, site), web.unit(uid)


def test_every_planted_thing_is_reachable_from_the_entry(served, visits):
    web, manifest, _ = served
    for uid in CMS_UNITS:
        site, renderer, unit = site_of(web, uid)
        visit, origin = visits[uid], site.origin
        for column in unit.columns:
            for article in column.articles:
                page = visit.texts.get(origin + renderer.article_path(unit, column, article))
                assert page and html.escape(article.title) in page, (uid, article.title)
                for index, attachment in enumerate(article.attachments):
                    url = origin + renderer.attachment_path(unit, column, article, index)
                    assert visit.status.get(url) == (404 if attachment.state == "404" else 200), (uid, url)
                    assert (visit.bodies[url] == b"") == (attachment.state == "empty")
        for index, leader in enumerate(unit.leaders):
            assert visit.seen(leader.name) and visit.seen(leader.duties), (uid, leader.name)
            assert_photo_served(visit, origin, renderer.photo_src(unit, index, leader), leader.photo, (uid, leader.name))
        for index, workflow in enumerate(unit.workflows):
            assert visit.seen(workflow.title)
            link = renderer.flowchart_link(unit, index, workflow)
            if workflow.flowchart.kind == "none":
                assert link is None
                continue
            assert visit.status.get(origin + link[1]) == (404 if workflow.flowchart.kind == "broken_404" else 200), \
                (uid, workflow.title)
        for letter in unit.letters or []:
            page = visit.texts.get(origin + renderer.letter_path(unit, letter))
            assert page and html.escape(letter.title) in page and "来信内容" in page
            assert ("答复内容" in page) == (letter.answered is not None)
        assert [d for d in manifest["defects"] if d["unit_id"] == uid]
        planted = {origin + renderer.attachment_path(unit, c, a, i) for c in unit.columns for a in c.articles
                   for i, x in enumerate(a.attachments) if x.state == "404"}
        planted |= {origin + renderer.gone_path(a, i) for c in unit.columns for a in c.articles
                    for i, x in enumerate(a.links) if x.state == "404"}
        planted |= {origin + renderer.photo_path(unit, i, l) for i, l in enumerate(unit.leaders)
                    if l.photo.kind == "broken_404"}
        assert {u for u, status in visit.status.items() if status != 200} == planted, uid   # nothing else is broken


def test_pagination_reaches_every_page_and_the_last_is_shorter(served, visits):
    web, manifest, _ = served
    paged = 0
    for uid in CMS_UNITS:
        site, renderer, unit = site_of(web, uid)
        visit = visits[uid]
        for column in unit.columns:
            if column.role not in ("list", "personnel") or renderer.is_static_page(unit, column):
                continue
            pages = page_count(len(column.articles), column.per_page)
            for n in range(1, pages + 1):
                text = visit.texts[site.origin + renderer.column_path(unit, column, n)]
                for article in page_slice(column.articles, n, column.per_page):
                    assert renderer.article_path(unit, column, article).replace("&", "&amp;") in text
            if pages > 1:
                paged += 1
                assert len(page_slice(column.articles, pages, column.per_page)) <= column.per_page
                first = visit.texts[site.origin + renderer.column_path(unit, column)]
                if renderer.variant == "jcms":
                    assert f"共{len(column.articles)}条　每页{column.per_page}条　页次1/{pages}" in first
                    assert "<select onchange=" in first and "pageNum=2" in first
                elif renderer.variant == "wcm":
                    assert "index_2.jhtml" in first
                else:
                    assert "pageNo=2" in first
        if unit.letters and len(unit.letters) > LETTERS_PER_PAGE:
            assert visit.status[site.origin + renderer.mailbox_path(unit, 2)] == 200
    assert paged >= 5


def test_platform_patterns(served, visits):
    web, manifest, _ = served
    site, renderer, unit = site_of(web, "yingshanzhen")     # 大汉 JCMS-style
    home = visits["yingshanzhen"].texts[site.origin + "/"]
    banner = re.search(r'<a href="([^"]+)"[^>]*><img [^>]*alt="([^"]+)"', home)
    assert banner.group(1) == renderer.section_path(unit) and ">" + banner.group(2) + "<" not in home
    article = next(a for c in unit.columns for a in c.articles if a.attachments)
    assert "/module/download/downfile.jsp?classid=0&filename=" in renderer.attachment_path(unit, unit.columns[0], article, 0)
    mailbox = visits["yingshanzhen"].texts[site.origin + renderer.mailbox_path(unit)]
    assert "<th>信件编号</th><th>信件标题</th><th>来信时间</th><th>办理状态</th><th>答复时间</th>" in mailbox
    assert "待受理" in mailbox and "未受理" not in mailbox
    assert {"attachment_doc"} <= {w.flowchart.kind for w in unit.workflows}
    doc = next(i for i, w in enumerate(unit.workflows) if w.flowchart.kind == "attachment_doc")
    assert renderer.flowchart_link(unit, doc, unit.workflows[doc])[1].endswith(".docx")
    assert "详见附件" in visits["yingshanzhen"].texts[site.origin + renderer.workflow_page_path(unit, doc)]
    shared = {renderer.photo_src(unit, i, l) for i, l in enumerate(unit.leaders) if l.photo.kind == "placeholder"}
    assert len(shared) == 1 and "ldxx-item" in visits["yingshanzhen"].texts[
        site.origin + renderer.column_path(unit, renderer.leaders_column(unit))]

    site, renderer, unit = site_of(web, "tuiyiju")        # 开普云-style platform
    section = visits["tuiyiju"].texts[site.origin + "/xxgk/index.jhtml"]
    assert re.search(r'<dl><dt>法定主动公开内容</dt><dd><a href="/xxgk/col\.jsp\?id=\d+&amp;cid=\d+">', section)
    listing = next(visits["tuiyiju"].texts[site.origin + renderer.column_path(unit, c)] for c in unit.columns
                   if c.articles and c.role == "list" and not renderer.is_static_page(unit, c))
    assert "<th width=\"22%\">索引号</th><th>名称</th><th width=\"12%\">生成日期</th>" in listing
    leader_page = visits["tuiyiju"].texts[site.origin + renderer.leader_page_path(unit, 0)]
    assert "简历" in leader_page and unit.leaders[0].duties in leader_page
    notice = next(a for c in unit.columns for a in c.articles if any(x.action == "免" for x in a.appointments))
    assert "免去" in visits["tuiyiju"].texts[site.origin + renderer.article_path(
        unit, next(c for c in unit.columns if notice in c.articles), notice)]

    site, renderer, unit = site_of(web, "yingjiju")       # 拓尔思 WCM-style, over HTTPS
    assert site.origin.startswith("https://")
    webp = [site.origin + renderer.photo_src(unit, i, l) for i, l in enumerate(unit.leaders) if l.photo.kind in ("good", "tiny")]
    assert webp and all(visits["yingjiju"].types[u] == "image/webp" for u in webp)
    undated = next(c for c in unit.columns if c.ref == "通知公告")
    assert 'class="date"' not in visits["yingjiju"].texts[site.origin + renderer.column_path(unit, undated)].split(
        'class="lm-title"')[1]
    article = next(a for c in unit.columns for a in c.articles if a.date)
    column = next(c for c in unit.columns if article in c.articles)
    detail = visits["yingjiju"].texts[site.origin + renderer.article_path(unit, column, article)]
    assert "<th>索引号：</th>" in detail and "<th>生成日期：</th>" in detail and "<th>发布机构：</th>" in detail


def test_the_https_site_sends_plain_http_on(served, visits):
    web, manifest, context = served
    site = web.site("yingjiju")
    assert visits["yingjiju"].landed == site.origin + "/" and site.origin.startswith("https://127.77.5.3:")
    for path in ("/", "/zfxxgk/", "/robots.txt?x=1"):
        connection = http.client.HTTPConnection(site.host, site.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (301, site.origin + path)
        connection.close()
    status, body, ctype, landed = fetch(f"http://{site.host}:{site.port}/zfxxgk/", context)
    assert (status, landed) == (200, site.origin + "/zfxxgk/") and "政府信息公开" in body.decode("utf-8")
    other = web.site("tuiyiju")      # the plain-HTTP sites answer as before
    assert fetch(other.origin + "/", context)[0] == 200
