"""The blind web (`python -m sandbox serve --blind`): deterministic, served, and its manifest true to its pages.

Probes a few planted defects and patterns of each blind family over real HTTP, as the
default sandbox's tests do: the platform's sections and directory, 暂无信息 pages, static
pages, background-image leader photos, a re-stamped PubDate <meta>, DedeCMS list pages.
"""
from __future__ import annotations

import gzip
import io
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from sandbox.blind import BLIND_LAYOUT, generate_blind
from sandbox.families import renderer_for
from sandbox.families.blindkit import EMPTY_TEXTS
from sandbox.manifest import build_manifest
from sandbox.siteconfig import config_text
from tests.conftest import REPO


def test_blind_web_is_deterministic_and_leaves_the_default_web_alone():
    one, two = generate_blind(port=19311), generate_blind(port=19311)
    assert json.dumps(build_manifest(one), ensure_ascii=False) == json.dumps(build_manifest(two), ensure_ascii=False)
    site = one.site("lxpt")
    page = "/xxgk/jiaoyuju/gzdt/index.html"
    assert renderer_for(one, site).static[page]().body == renderer_for(two, two.site("lxpt")).static[page]().body
    assert {s.family for s in one.sites} == {"jyh", "gk2019", "dede", "trs2", "spa", "old", "cms2020", "plat", "sub"}
    from sandbox.generator import generate
    assert not generate(port=19311).layout    # the default web keeps sandbox/layout.py's layout


def test_committed_config_is_the_generated_one():
    text = (REPO / "config" / "sandbox-blind.toml").read_text(encoding="utf-8")
    assert text == config_text(generate_blind(port=19311))
    assert 'role = "mailbox"' in text and "selector" not in text


@pytest.fixture(scope="module")
def blind(blind_web):
    return generate_blind(port=blind_web.port), blind_web.manifest


def get(url: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return response.status, body, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


def text(url: str) -> str:
    status, body, _ = get(url)
    assert status == 200, url
    return body.decode("utf-8", "replace")


def entry(manifest: dict, unit_id: str) -> str:
    return next(u["entry_url"] for u in manifest["units"] if u["id"] == unit_id)


def defects(manifest: dict, unit_id: str, check: str) -> list[dict]:
    return [d for d in manifest["defects"] if d["unit_id"] == unit_id and d["check"] == check]


def test_platform_entry_is_the_units_section_and_the_directory_is_one_click_away(blind):
    web, manifest = blind
    url = entry(manifest, "fagaiju")
    assert url.endswith("/xxgk/fagaiju/index.html")
    page = text(url)
    unit = web.unit("fagaiju")
    for column in unit.columns:
        assert column.label in page
    directory = re.search(r'href="([^"]+)">政务公开</a>', page).group(1)
    listing = text(web.site("lxpt").origin + directory)
    assert all(web.unit(uid).name in listing for uid in web.site("lxpt").units)
    assert "/xxgk/fagaiju/" in listing and "fagaiju/gzdt" not in listing     # a directory, not a section
    # three people in the newest 任免 notice, all contradicting the leader list
    assert len(defects(manifest, "fagaiju", "leader_info_outdated")) == 3


def test_empty_and_static_columns(blind):
    web, manifest = blind
    site = web.site("lxpt")
    assert {d["column"] for d in defects(manifest, "hekouzhen", "column_empty")} == {"规划计划", "政府信息公开年报"}
    empty = text(site.origin + "/xxgk/hekouzhen/ghjh/index.html")
    assert any(t in empty for t in EMPTY_TEXTS) and ".shtml" not in empty.split("lm-title")[-1]
    zhujian = web.site("zhujianju")
    renderer = renderer_for(web, zhujian)
    unit = web.unit("zhujianju")
    guide = next(c for c in unit.columns if c.ref == "政府信息公开指南")
    page = text(zhujian.origin + renderer.column_path(unit, guide))
    assert "政府信息公开条例" in page and not defects(manifest, "zhujianju", "column_empty")[0]["column"] == "政府信息公开指南"
    facts = {c["reference"]: c for c in manifest["facts"]["zhujianju"]["columns"]}
    assert facts["政府信息公开指南"]["entries"] == 1 and facts["信箱"]["entries"] == len(unit.letters)
    assert [d["column"] for d in defects(manifest, "nongyeju", "column_missing")] == ["信箱"]


def test_background_image_leader_photos(blind):
    web, manifest = blind
    cards = [u for u in web.units if renderer_for(web, web.site(u.site)).leader_layout(u) == "bgcards"]
    assert {web.site(u.site).family for u in cards} == {"jyh", "gk2019", "dede", "trs2"}   # spa: drawn by script
    for unit in cards:
        site = web.site(unit.site)
        renderer = renderer_for(web, site)
        page_url = site.origin + renderer.column_path(unit, renderer.leaders_column(unit))
        page = text(page_url)
        urls = re.findall(r"background-image:url\(([^)]+)\)", page)
        truth = manifest["facts"][unit.id]["leaders"]
        assert len(urls) == sum(1 for leader in truth if leader["photo"]["kind"] != "none")
        assert "<img" not in page.split("leader-cards")[-1].split("footer")[0]
        shown = [leader for leader in truth if leader["photo"]["kind"] != "none"]
        status, body, _ = get(urljoin(page_url, urls[0]))
        want = shown[0]["photo"]
        if want["kind"] in ("good", "tiny", "blurred", "placeholder"):
            assert status == 200 and Image.open(io.BytesIO(body)).size == (want["width"], want["height"])


def test_a_leader_without_photo_on_its_own_page(blind):
    web, manifest = blind
    unit = web.unit("jiaoyuju")
    site = web.site(unit.site)
    renderer = renderer_for(web, site)
    assert renderer.leader_layout(unit) == "pages"
    listing = text(site.origin + renderer.column_path(unit, renderer.leaders_column(unit)))
    first = text(site.origin + renderer.leader_page_path(unit, 0))
    assert renderer.leader_page_path(unit, 0) in listing and unit.leaders[0].name in first
    assert "<img" not in first.split("leader-detail")[1]
    assert [d["subject"] for d in defects(manifest, "jiaoyuju", "leader_photo_missing")] == [unit.leaders[0].name]


def test_trs_variant_prints_the_true_date_under_a_restamped_meta(blind):
    web, manifest = blind
    site, unit = web.site("shenjiju"), web.unit("shenjiju")
    renderer = renderer_for(web, site)
    column = next(c for c in unit.columns if c.ref == "工作动态")
    listing = text(site.origin + renderer.column_path(unit, column))
    assert not re.search(r"20\d\d[-/.年]\d", listing.split("<h3>")[-1])       # no dates in the list
    article = column.articles[0]
    page = text(site.origin + renderer.article_path(unit, column, article))
    meta = re.search(r'<meta name="(?:PubDate|publishdate|pubdate)" content="(\d{4}-\d\d-\d\d)', page).group(1)
    assert meta > str(article.date) and meta.startswith("2011-09")
    assert defects(manifest, "shenjiju", "site_stale")
    newest = next(c["newest"] for c in manifest["facts"]["shenjiju"]["columns"] if c["reference"] == "工作动态")
    assert newest == str(article.date)


def test_dede_lists_and_broken_links(blind):
    web, manifest = blind
    site, unit = web.site("lvyouju"), web.unit("lvyouju")
    renderer = renderer_for(web, site)
    rich = next(c for c in unit.columns if c.ref == "工作动态")
    page2 = renderer.column_path(unit, rich, 2)
    assert re.search(r"list[_-]\d+[_-]2\.html$", page2)
    assert "下一页" in text(site.origin + renderer.column_path(unit, rich)) and text(site.origin + page2)
    wenti = web.site("wentiju")
    assert [d["check"] for d in defects(manifest, "wentiju", "site_not_unified")] == ["site_not_unified"]
    broken = defects(manifest, "wentiju", "link_broken")[0]
    article = next(a for c in web.unit("wentiju").columns for a in c.articles
                   if any(link.text == broken["subject"] for link in a.links))
    column = next(c for c in web.unit("wentiju").columns if article in c.articles)
    body = get(wenti.origin + renderer_for(web, wenti).article_path(web.unit("wentiju"), column, article))[1]
    href = re.search(r'href="([^"]+)">' + re.escape(broken["subject"]), body.decode("gbk")).group(1)
    assert get(wenti.origin + href)[0] == 404


def test_layout_covers_the_2019_catalogue():
    names = [c.name for c in BLIND_LAYOUT]
    assert names[:2] == ["政府信息公开指南", "政府信息公开制度"] and names[-1] == "政府信息公开年报"
    assert next(c for c in BLIND_LAYOUT if c.name == "信箱").role == "mailbox"


# ---------------------------------------------------------------- sites drawn by scripts (family "spa")

def spa_site(web, unit_id: str):
    site = web.site(unit_id)
    return site, renderer_for(web, site), web.unit(unit_id)


def get_json(url: str) -> dict:
    status, body, content_type = get(url)
    assert status == 200 and "json" in content_type, url
    return json.loads(body)


def test_script_sites_and_their_variants():
    web = generate_blind(port=19311)
    spa = {s.id: type(renderer_for(web, s)).__name__ for s in web.sites if s.family == "spa"}
    assert spa == {"kejiju": "VueRenderer", "huanbaoju": "HashRenderer", "xinhuaxiang": "InlinePagerRenderer",
                   "shangwuju": "ClickPagerRenderer"}
    assert all(web.site(uid).host.startswith("127.77.3.") for uid in spa)


def test_app_shells_hold_no_content_and_the_json_holds_the_truth(blind):
    web, manifest = blind
    # Vue-style: every page is the same shell; the truth is in /.../articles, /leaders, /letters.
    site, renderer, unit = spa_site(web, "kejiju")
    stale = next(c for c in unit.columns if c.ref == "通知公告")
    shell = text(site.origin + renderer.column_path(unit, stale))
    assert f'<div id="{renderer.root_id}"></div>' in shell and renderer.bundle in shell
    assert stale.articles[0].title not in shell and shell == text(site.origin + "/")
    bundle = text(site.origin + renderer.bundle)
    assert f"API = '{renderer.api}'" in bundle and "'/articles?channel='" in bundle
    rows = get_json(f"{site.origin}{renderer.api}/articles?channel={stale.slug}&pageNum=1&pageSize=10")
    assert rows["total"] == len(stale.articles) == next(c["entries"] for c in manifest["facts"]["kejiju"]["columns"]
                                                        if c["reference"] == "通知公告")
    newest = next(c["newest"] for c in manifest["facts"]["kejiju"]["columns"] if c["reference"] == "通知公告")
    assert rows["rows"][0]["publishTime"][:10] == newest
    assert [d["column"] for d in defects(manifest, "kejiju", "column_stale")] == ["通知公告"]
    leaders = get_json(f"{site.origin}{renderer.api}/leaders")["data"]
    (tiny,) = defects(manifest, "kejiju", "leader_photo_low_quality")
    avatar = next(l["avatar"] for l in leaders if l["name"] == tiny["subject"])
    want = next(l["photo"] for l in manifest["facts"]["kejiju"]["leaders"] if l["name"] == tiny["subject"])
    assert Image.open(io.BytesIO(get(site.origin + avatar)[1])).size == (want["width"], want["height"])
    letters = get_json(f"{site.origin}{renderer.api}/letters?pageNum=1&pageSize=15")["rows"]
    backlog = {d["subject"] for d in defects(manifest, "kejiju", "mailbox_backlog")}
    assert len(backlog) == 2 and backlog <= {x["subject"] for x in letters if x["status"] == "未受理"}

    # React-style, hash routes: only / is a page; an empty column, a leader without photo, a 任免 notice.
    site, renderer, unit = spa_site(web, "huanbaoju")
    assert get(site.origin + "/xxgk/")[0] == 404 and f'<div id="{renderer.root_id}"></div>' in text(site.origin + "/")
    empty = next(c for c in unit.columns if c.ref == "规划计划")
    page = get_json(f"{site.origin}{renderer.api}/content/page?channelCode={renderer.column_key(unit, empty)}&current=1&size=10")
    assert page["result"]["total"] == 0 and [d["column"] for d in defects(manifest, "huanbaoju", "column_empty")] == ["规划计划"]
    (missing,) = defects(manifest, "huanbaoju", "leader_photo_missing")
    cards = get_json(f"{site.origin}{renderer.api}/leader/list")["result"]
    assert next(l for l in cards if l["leaderName"] == missing["subject"])["photoUrl"] is None
    outdated = {d["subject"] for d in defects(manifest, "huanbaoju", "leader_info_outdated")}
    notice = next(a for c in unit.columns for a in c.articles if {x.person for x in a.appointments} == outdated)
    detail = get_json(f"{site.origin}{renderer.api}/content/detail?contentId={notice.id}")["result"]
    assert all(person in detail["contentText"] for person in outdated) and detail["releaseDate"] > 0


def test_pagination_only_in_a_script_and_letters_by_ajax(blind):
    web, manifest = blind
    site, renderer, unit = spa_site(web, "xinhuaxiang")
    column = next(c for c in unit.columns if c.ref == "工作动态")
    first = text(site.origin + renderer.column_path(unit, column))
    assert "index_1.html" not in first and "createPageHTML('pageDiv'" in first and "/js/page.js" in first
    assert column.articles[column.per_page].title in text(site.origin + renderer.column_path(unit, column, 2))
    mailbox = text(site.origin + renderer.mailbox_path(unit))
    assert "/js/letters.js" in mailbox and not any(x.title in mailbox for x in unit.letters)
    shown = []
    for page in (1, 2):
        shown += get_json(f"{site.origin}/hdjl/queryLetters.do?unitCode={unit.id}&page={page}&rows=15")["rows"]
    assert [x["xjbt"] for x in shown] == [x["title"] for x in manifest["facts"]["xinhuaxiang"]["letters"]]
    backlog = {d["subject"] for d in defects(manifest, "xinhuaxiang", "mailbox_backlog")}
    assert len(backlog) == 3 and backlog <= {x["xjbt"] for x in shown if x["blzt"] == "未受理"}


def test_a_next_page_without_an_address(blind):
    web, manifest = blind
    site, renderer, unit = spa_site(web, "shangwuju")
    column = next(c for c in unit.columns if c.ref == "工作动态")
    first = text(site.origin + renderer.column_path(unit, column))
    assert '<button type="button" class="btn-next">下一页</button>' in first
    assert column.articles[column.per_page].title not in first and "list.do" not in first.split("<script")[0]
    second = get_json(f"{site.origin}/cms/api/list.do?columnId={renderer.cid(unit, column)}&pageNo=2")
    assert [x["t"] for x in second["data"]] == [a.title for a in column.articles[column.per_page:2 * column.per_page]]
    assert second["pageCount"] * column.per_page >= len(column.articles)
    assert [d["check"] for d in defects(manifest, "shangwuju", "site_not_unified")] == ["site_not_unified"]
    broken = defects(manifest, "shangwuju", "link_broken")[0]
    article, holder = next((a, c) for c in unit.columns for a in c.articles
                           if any(x.name == broken["subject"] for x in a.attachments))
    page = text(site.origin + renderer.article_path(unit, holder, article))
    href = re.search(r'href="([^"]+)" target="_blank">' + re.escape(broken["subject"]), page).group(1)
    assert get(urljoin(site.origin, href.replace("&amp;", "&")))[0] == 404


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_a_real_browser_draws_the_shells_and_clicks_to_the_next_page(blind):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not on this machine")
    web, manifest = blind
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            # a Vue-style shell draws its list (history mode, ?page=2 too)
            site, renderer, unit = spa_site(web, "kejiju")
            column = next(c for c in unit.columns if c.ref == "工作动态")
            page.goto(site.origin + renderer.column_path(unit, column, 2))
            page.wait_for_selector("main ul li a")
            assert page.inner_text("main ul li a") == column.articles[column.per_page].title
            # a React-style hash route draws the leader cards, photo or none
            site, renderer, unit = spa_site(web, "huanbaoju")
            page.goto(site.origin + "/#/leaders")
            page.wait_for_selector(".ant-card")
            names = page.eval_on_selector_all(".ant-card h4", "hs => hs.map(h => h.textContent)")
            assert names == [l["name"] for l in manifest["facts"]["huanbaoju"]["leaders"]]
            assert len(page.query_selector_all(".ant-card img")) == len(names) - 1
            # the inline script draws the pager's links
            site, renderer, unit = spa_site(web, "xinhuaxiang")
            column = next(c for c in unit.columns if c.ref == "工作动态")
            page.goto(site.origin + renderer.column_path(unit, column))
            page.wait_for_selector("#pageDiv a")
            assert page.get_attribute("#pageDiv a:has-text('下一页')", "href") == "index_1.html"
            # 下一页 without an address: a click fetches and draws page 2
            site, renderer, unit = spa_site(web, "shangwuju")
            column = next(c for c in unit.columns if c.ref == "工作动态")
            page.goto(site.origin + renderer.column_path(unit, column))
            assert page.inner_text("#infoList li a") == column.articles[0].title
            page.click("button:has-text('下一页')")
            page.wait_for_function("document.getElementById('pageInfo').textContent.indexOf('第2页') === 0")
            assert page.inner_text("#infoList li a") == column.articles[column.per_page].title
            assert page.url == site.origin + renderer.column_path(unit, column)     # the address did not change
            assert not errors, errors
        finally:
            browser.close()
