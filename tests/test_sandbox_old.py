"""The blind web's older sites (family "old", sandbox/families/old.py): what a person following the links
from each unit's entry URL over real HTTP reaches holds the manifest's truth, and adding them changed
nothing of the blind web's other units.

The follower below is the test's own: it takes what a browser would (href, src of frames and images,
<meta refresh>, window.location.href, window.open in an onclick) and submits the __doPostBack form the
way the page's script does. It is no model of the product's crawler.
"""
from __future__ import annotations

import html
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urljoin

import pytest
from PIL import Image

from sandbox import blind
from sandbox.blind import generate_blind
from sandbox.families import renderer_for
from sandbox.families.old import HOMES
from tests.blind_checks import assert_photo_served, assert_the_others_unchanged

OLD_UNITS = ("nongjiju", "baiyangzhen", "tongjiju", "shuanghexiang", "sifaju")
LINKS = (r"""(?:href|src)\s*=\s*["']([^"'#][^"']*)["']""",
         r"""(?i)http-equiv=["']refresh["'][^>]*content=["']\d+;\s*url=([^"']+)["']""",
         r"""location\.href\s*=\s*["']([^"']+)["']""",
         r"""window\.open\('([^']+)'""")


def without_old(monkeypatch) -> object:
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family != "old"))
    return generate_blind(port=19311)


def test_the_old_units_change_nothing_of_the_others(monkeypatch):
    # the web as it was when the old sites were added (the later cms2020, plat and sub units, numbered after them, aside)
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family not in ("cms2020", "plat", "sub")))
    full = generate_blind(port=19311)
    assert [u.id for u in full.units if full.site(u.site).family == "old"] == list(OLD_UNITS)
    assert all(full.site(uid).host.startswith("127.77.4.") for uid in OLD_UNITS)
    assert {full.site(uid).encoding for uid in ("baiyangzhen", "shuanghexiang")} == {"gbk"}
    before = without_old(monkeypatch)
    assert_the_others_unchanged(full, before, OLD_UNITS)


@pytest.fixture(scope="module")
def served(blind_web):
    return generate_blind(port=blind_web.port), blind_web.manifest


def fetch(url: str, form: dict | None = None) -> tuple[int, bytes, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


class Visit:
    """Everything reached from one entry URL, as a person clicking through would reach it."""

    def __init__(self, entry: str, limit: int = 3000):
        origin = re.match(r"https?://[^/]+", entry).group(0)
        self.status: dict[str, int] = {}
        self.types: dict[str, str] = {}
        self.bodies: dict[str, bytes] = {}
        self.texts: dict[str, str] = {}        # HTML pages, decoded by their declared charset
        self.posts: dict[tuple[str, str], str] = {}
        queue: list[tuple[str, dict | None]] = [(entry, None)]
        while queue and len(self.status) + len(self.posts) < limit:
            url, form = queue.pop(0)
            key = url if form is None else (url, form["__EVENTARGUMENT"])
            if (form is None and url in self.status) or (form is not None and key in self.posts):
                continue
            status, body, ctype = fetch(url, form)
            if form is None:
                self.status[url], self.types[url], self.bodies[url] = status, ctype, body
            if status != 200 or "text/html" not in ctype:
                continue
            charset = re.search(r"charset=([\w-]+)", ctype).group(1)
            text = body.decode(charset)    # strict: the declared charset is the right one
            meta = re.search(r"""(?i)<meta[^>]+charset=([\w-]+)""", text)
            assert meta and meta.group(1).lower() == charset.lower(), url
            if form is None:
                self.texts[url] = text
            else:
                self.posts[key] = text
            for pattern in LINKS:
                for target in re.findall(pattern, text):
                    target = html.unescape(target).strip()
                    if target.startswith(("javascript:", "mailto:")):
                        continue
                    absolute = urljoin(url, target).split("#")[0]
                    if absolute.startswith(origin + "/"):
                        queue.append((absolute, None))
            action = re.search(r'<form[^>]+action="([^"]+)"', text)
            state = re.search(r'id="__VIEWSTATE" value="([^"]*)"', text)
            for name, argument in re.findall(r"__doPostBack\('([^']+)','(\d+)'\)", text):
                queue.append((urljoin(url, html.unescape(action.group(1))),
                              {"__EVENTTARGET": name, "__EVENTARGUMENT": argument, "__VIEWSTATE": state.group(1)}))

    def seen(self, text: str) -> bool:
        return any(text in page for page in list(self.texts.values()) + list(self.posts.values()))


@pytest.fixture(scope="module")
def visits(served):
    web, manifest = served
    entries = {u["id"]: u["entry_url"] for u in manifest["units"]}
    return {uid: Visit(entries[uid]) for uid in OLD_UNITS}


def site_of(web, uid):
    site = web.site(uid)
    return site, renderer_for(web, site), web.unit(uid)


def test_entry_pages_send_the_browser_on(served, visits):
    web, manifest = served
    for uid in OLD_UNITS:
        site, renderer, unit = site_of(web, uid)
        entry = site.origin + "/"
        first = visits[uid].texts[entry]
        assert len(first) < 600 and not any(a.title in first for c in unit.columns for a in c.articles)
        assert ("refresh" in first.lower()) != ("location.href" in first), uid
        assert visits[uid].status[site.origin + HOMES[renderer.variant]] == 200     # where it lands
    assert "refresh" in visits["nongjiju"].texts[web.site("nongjiju").origin + "/"]
    tong = visits["tongjiju"].texts[web.site("tongjiju").origin + "/"]
    assert "<a " not in tong     # a script, and no fallback link


def test_every_planted_thing_is_reachable_from_the_entry(served, visits):
    web, manifest = served
    for uid in OLD_UNITS:
        site, renderer, unit = site_of(web, uid)
        visit, origin = visits[uid], site.origin
        for column in unit.columns:
            for article in column.articles:
                assert visit.status.get(origin + renderer.article_path(unit, column, article)) == 200, (uid, article.title)
        for index, leader in enumerate(unit.leaders):
            assert visit.seen(leader.name), (uid, leader.name)
            assert_photo_served(visit, origin, renderer.photo_src(unit, index, leader), leader.photo, (uid, leader.name))
        for index, workflow in enumerate(unit.workflows):
            link = renderer.flowchart_link(unit, index, workflow)
            if workflow.flowchart.kind == "none":
                assert link is None and visit.seen(workflow.title)
                continue
            assert visit.status.get(origin + link[1]) == (404 if workflow.flowchart.kind == "broken_404" else 200), \
                (uid, workflow.title)
        for letter in unit.letters or []:
            assert visit.status.get(origin + renderer.letter_path(unit, letter)) == 200 and visit.seen(letter.title)
        # the manifest's defects are about things the follower reached
        for d in [d for d in manifest["defects"] if d["unit_id"] == uid and d["check"] == "mailbox_backlog"]:
            letter = next(x for x in unit.letters if x.title == d["subject"])
            page = visit.texts[origin + renderer.letter_path(unit, letter)]
            assert "未回复" in page and "回复内容" not in page


def test_iframe_lists_image_menus_and_odd_photos(served, visits):
    web, manifest = served
    site, renderer, unit = site_of(web, "baiyangzhen")
    visit = visits["baiyangzhen"]
    news = next(c for c in unit.columns if c.ref == "工作动态")
    holder = visit.texts[site.origin + renderer.column_path(unit, news)]
    assert news.articles[0].title not in holder and re.search(r'<iframe src="list\.asp\?id=\d+"', holder)
    section = visit.texts[site.origin + renderer.section_path(unit)]
    assert f'alt="{news.label}"' in section and f">{news.label}<" not in section      # image-only menu
    framed = visit.texts[site.origin + renderer.frame_path(unit, news)]
    assert "javascript:void(0)" in framed and "window.open('/gk/show.asp?id=" in framed
    assert visit.status[site.origin + renderer.frame_path(unit, news, 2)] == 200
    bmp = site.origin + renderer.photo_path(unit, 0, unit.leaders[0])
    assert bmp.endswith(".bmp") and visit.types[bmp] == "image/bmp"
    spacer = site.origin + renderer.photo_path(unit, 1, unit.leaders[1])
    assert visit.types[spacer] == "image/gif" and Image.open(io.BytesIO(visit.bodies[spacer])).size == (1, 1)
    low = {d["subject"] for d in manifest["defects"] if d["unit_id"] == "baiyangzhen" and d["check"] == "leader_photo_low_quality"}
    assert low == {unit.leaders[1].name}
    assert "charset=gbk" in visit.types[site.origin + "/"]


def test_postback_pages_answer(served, visits):
    web, manifest = served
    site, renderer, unit = site_of(web, "tongjiju")
    visit = visits["tongjiju"]
    news = next(c for c in unit.columns if c.ref == "工作动态")
    url = site.origin + renderer.column_path(unit, news)
    first = visit.texts[url]
    assert "__doPostBack('pager','2')" in first.replace("AspNetPager1", "pager") and 'name="__VIEWSTATE"' in first
    later = renderer.article_path(unit, news, news.articles[news.per_page])     # the first entry of page 2
    assert later not in first
    second = visit.posts[(url, "2")]
    assert later in second and "当前第 2 页" in second
    assert later not in fetch(url + "&page=2")[1].decode("utf-8")    # a plain GET never gives page 2


def test_overview_blocks_and_frameset(served, visits):
    web, manifest = served
    site, renderer, unit = site_of(web, "nongjiju")
    overview = visits["nongjiju"].texts[site.origin + renderer.section_path(unit)]
    news = next(c for c in unit.columns if c.ref == "工作动态")
    assert re.search(rf'<span>{news.label}</span><a href="[^"]*list\.asp\?classid=\d+">更多&gt;&gt;</a>', overview)
    shown = re.findall(r'<a href="/xxgk/show\.asp\?id=(\d+)"', overview.split(f"<span>{news.label}</span>")[1].split("</table>")[0])
    assert 5 <= len(shown) <= 8 < len(news.articles) and int(shown[0]) == news.articles[0].id
    listing = visits["nongjiju"].texts[site.origin + renderer.column_path(unit, news)]
    assert "共" in listing and "当前第 1 页" in listing and "list.asp?page=2&amp;classid=" in listing
    site, renderer, unit = site_of(web, "shuanghexiang")
    frames = visits["shuanghexiang"].texts[site.origin + renderer.section_path(unit)]
    assert "<frameset" in frames and 'src="left.htm"' in frames
    assert "target=\"mainFrame\"" in visits["shuanghexiang"].texts[site.origin + "/xxgk/left.htm"]
    assert [d["check"] for d in manifest["defects"] if d["unit_id"] == "shuanghexiang" and d["check"] == "site_stale"]
