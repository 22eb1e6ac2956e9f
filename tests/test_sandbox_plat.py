"""The blind web's .jsp 政府信息公开平台 (family "plat", sandbox/families/plat.py): what a person following the links
from each unit's entry URL over real HTTP reaches holds the manifest's truth, every list page is reached, and adding
the platform changed nothing of the blind web's other units.

The follower below is the test's own (href and src, on the entry's host and the platform's). It is no model of the
product's crawler.
"""
from __future__ import annotations

import html
import re

import pytest

from sandbox import blind
from sandbox.blind import generate_blind
from sandbox.families import renderer_for
from sandbox.families.common import LETTERS_PER_PAGE, page_count, page_slice
from sandbox.manifest import build_manifest
from tests.blind_checks import Visit, assert_photo_served, assert_the_others_unchanged

PLAT_UNITS = ("xiaohezhen", "ziranziyuanju", "yibaoju", "qinglinxiang")


def test_the_plat_units_change_nothing_of_the_others(monkeypatch):
    # the web as it was when the plat units were added (the later sub units, numbered after them, aside)
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family != "sub"))
    full = generate_blind(port=19311)
    assert [u.id for u in full.units if full.site(u.site).family == "plat"] == list(PLAT_UNITS)
    assert {full.unit(uid).site for uid in PLAT_UNITS} == {"lxgk"} and full.site("lxgk").host == "127.77.6.1"
    assert [full.site(uid).host for uid in ("xiaohezhen", "yibaoju")] == ["127.77.6.2", "127.77.6.3"]
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family not in ("plat", "sub")))
    before = generate_blind(port=19311)
    assert_the_others_unchanged(full, before, PLAT_UNITS)


def test_the_manifest_holds_what_was_planted():
    manifest = build_manifest(generate_blind(port=19311))
    checks = {uid: {(d["check"], d["detail"]) for d in manifest["defects"] if d["unit_id"] == uid} for uid in PLAT_UNITS}
    assert {c for c, _ in checks["xiaohezhen"]} >= {"column_stale", "leader_photo_low_quality", "flowchart_missing",
                                                   "mailbox_backlog"}
    assert {c for c, _ in checks["ziranziyuanju"]} >= {"leader_info_outdated", "column_empty", "flowchart_unclear"}
    assert ("link_broken", "404") in checks["ziranziyuanju"]
    assert ("column_stale", "undated") in checks["yibaoju"] and ("column_missing", "") in checks["yibaoju"]
    assert ("leader_photo_broken", "broken_404") in checks["yibaoju"]
    assert ("link_broken", "soft_404") in checks["qinglinxiang"]
    assert not any(c == "site_not_unified" for cs in checks.values() for c, _ in cs)


@pytest.fixture(scope="module")
def served(blind_web):
    return generate_blind(port=blind_web.port), blind_web.manifest


@pytest.fixture(scope="module")
def visits(served):
    web, manifest = served
    entries = {u["id"]: u["entry_url"] for u in manifest["units"]}
    platform = web.site("lxgk").origin
    assert entries["xiaohezhen"] == web.site("xiaohezhen").origin + "/"
    assert entries["ziranziyuanju"] == platform + "/xxgk/unit.jsp?unitid=27"
    return {uid: Visit(entries[uid], (platform, re.match(r"https?://[^/]+", entries[uid]).group(0)))
            for uid in PLAT_UNITS}


def test_every_planted_thing_is_reachable_from_the_entry(served, visits):
    web, manifest = served
    site = web.site("lxgk")
    renderer, origin = renderer_for(web, site), site.origin
    planted = set()
    for uid in PLAT_UNITS:
        unit, visit = web.unit(uid), visits[uid]
        for column in unit.columns:
            for article in column.articles:
                page = visit.texts.get(origin + renderer.article_path(unit, column, article))
                assert page and html.escape(article.title) in page, (uid, article.title)
                if article.date and not renderer.is_static_page(unit, column):
                    assert f"发布日期：{article.date.year}年{article.date:%m}月{article.date:%d}日" in page
                for index, attachment in enumerate(article.attachments):
                    url = origin + renderer.attachment_path(unit, column, article, index)
                    assert visit.status.get(url) == (404 if attachment.state == "404" else 200), (uid, url)
                    assert (visit.bodies[url] == b"") == (attachment.state == "empty")
        for index, leader in enumerate(unit.leaders):
            assert visit.seen(leader.name) and visit.seen(leader.duties), (uid, leader.name)
            assert origin + renderer.leader_page_path(unit, index) in visit.texts
            assert_photo_served(visit, origin, renderer.photo_src(unit, index, leader), leader.photo, (uid, leader.name))
        for index, workflow in enumerate(unit.workflows):
            assert html.escape(workflow.title) in visit.texts[origin + renderer.workflow_page_path(unit, index)]
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
        if unit.letters and len(unit.letters) > LETTERS_PER_PAGE:
            assert visit.status[origin + renderer.mailbox_path(unit, 2)] == 200
        planted |= {origin + renderer.attachment_path(unit, c, a, i) for c in unit.columns for a in c.articles
                    for i, x in enumerate(a.attachments) if x.state == "404"}
        planted |= {origin + renderer.gone_path(a, i) for c in unit.columns for a in c.articles
                    for i, x in enumerate(a.links) if x.state == "404"}
        planted |= {origin + renderer.photo_path(unit, i, x) for i, x in enumerate(unit.leaders)
                    if x.photo.kind == "broken_404"}
    for uid in PLAT_UNITS:     # nothing else is broken
        assert {u for u, status in visits[uid].status.items() if status != 200} <= planted, uid
    assert set().union(*({u for u, s in v.status.items() if s != 200} for v in visits.values())) == planted


def test_lists_are_paged_and_shaped_as_the_platform_writes_them(served, visits):
    web, manifest = served
    site = web.site("lxgk")
    renderer, paged, shapes = renderer_for(web, site), 0, set()
    for uid in PLAT_UNITS:
        unit, visit = web.unit(uid), visits[uid]
        for column in unit.columns:
            if column.role not in ("list", "personnel") or renderer.is_static_page(unit, column) or not column.articles:
                continue
            pages = page_count(len(column.articles), column.per_page)
            for n in range(1, pages + 1):
                url = site.origin + renderer.column_path(unit, column, n)
                assert ("&page=" in url) == (n > 1) and "unitid=" in url and "catid=" in url
                text = visit.texts[url]
                assert "政府信息公开</a>" in text and "互动交流</a>" in text and "当前位置：" in text
                for article in page_slice(column.articles, n, column.per_page):
                    assert renderer.article_path(unit, column, article).replace("&", "&amp;") in text
                    listed = article.date and article.date_in_list and f"{article.date:%Y-%m-%d}"
                    if renderer.list_shape(unit) == "ul" and listed:
                        assert f"<li><span class=\"time\">{listed}</span><a href=" in text
                if renderer.list_shape(unit) == "table":
                    assert "<th width=\"8%\">序号</th><th>标题</th><th width=\"15%\">发布日期</th>" in text
                else:
                    assert "<div class=\"list\"><ul>" in text
            shapes.add(renderer.list_shape(unit))
            paged += pages > 1
    assert shapes == {"ul", "table"} and paged >= 3
    unit = web.unit("yibaoju")       # undated everywhere
    undated = next(c for c in unit.columns if c.ref == "通知公告")
    assert undated.articles and all(a.date is None for a in undated.articles)
    unit = web.unit("qinglinxiang")  # dated only on the article pages
    column = next(c for c in unit.columns if c.ref == "通知公告")
    dated = [a for a in column.articles if a.date]
    assert dated and not any(a.date_in_list for a in column.articles)
    listing = visits["qinglinxiang"].texts[site.origin + renderer.column_path(unit, column)]
    assert f"{dated[0].date:%Y-%m-%d}" not in listing.split("发布日期</th>")[1]


def test_the_platform_patterns(served, visits):
    web, manifest = served
    site = web.site("lxgk")
    renderer = renderer_for(web, site)
    home = visits["xiaohezhen"].texts[web.site("xiaohezhen").origin + "/"]
    assert f'<a href="{site.origin}/xxgk/unit.jsp?unitid=12" target="_blank">信息公开</a>' in home
    directory = visits["ziranziyuanju"].texts[site.origin + "/xxgk/"]
    assert "乡镇" in directory and "县直部门" in directory
    assert all(renderer.section_path(web.unit(uid)).replace("&", "&amp;") in directory for uid in PLAT_UNITS)
    for uid in PLAT_UNITS:
        unit = web.unit(uid)
        section = visits[uid].texts[site.origin + renderer.section_path(unit)]
        name = "镇长信箱" if unit.kind == "乡镇" else "局长信箱"
        assert f'<a href="/hdjl/mailbox.jsp?deptid={renderer.uid(unit)}">{name}</a>' in section
        mailbox = visits[uid].texts[site.origin + renderer.mailbox_path(unit)]
        assert "<th>信件标题</th><th width=\"15%\">来信日期</th><th width=\"12%\">处理状态</th>" in mailbox
        leaders = visits[uid].texts[site.origin + renderer.column_path(unit, renderer.leaders_column(unit))]
        assert "<th width=\"15%\">姓名</th><th width=\"20%\">职务</th><th>分工</th>" in leaders
    unit = web.unit("ziranziyuanju")
    notice = next(a for c in unit.columns for a in c.articles if any(x.action == "免" for x in a.appointments))
    column = next(c for c in unit.columns if notice in c.articles)
    assert "免去" in visits["ziranziyuanju"].texts[site.origin + renderer.article_path(unit, column, notice)]
