"""The blind web's two-level catalogue sites (family "sub", sandbox/families/sub.py): what a person following the
links from each unit's entry URL over real HTTP reaches holds the manifest's truth, and adding the sites changed
nothing of the blind web's other units.

The follower below is the test's own (href and src on the entry's host). It is no model of the product's crawler.
"""
from __future__ import annotations

import html
import re

import pytest

from sandbox import blind
from sandbox.blind import generate_blind
from sandbox.families import renderer_for
from sandbox.families.common import LETTERS_PER_PAGE, page_count
from sandbox.families.sub import GROUPS
from sandbox.manifest import build_manifest
from tests.blind_checks import Visit, assert_photo_served, assert_the_others_unchanged

SUB_UNITS = ("baishuzhen", "shuiwuju", "renfangban")


def test_the_sub_units_change_nothing_of_the_others(monkeypatch):
    full = generate_blind(port=19311)
    assert [u.id for u in full.units if full.site(u.site).family == "sub"] == list(SUB_UNITS)
    assert [full.site(uid).host for uid in SUB_UNITS] == ["127.77.7.1", "127.77.7.2", "127.77.7.3"]
    monkeypatch.setattr(blind, "BLIND_UNITS", tuple(u for u in blind.BLIND_UNITS if u[3].family != "sub"))
    before = generate_blind(port=19311)
    assert_the_others_unchanged(full, before, SUB_UNITS)


def test_the_manifest_holds_what_was_planted():
    manifest = build_manifest(generate_blind(port=19311))
    checks = {uid: {(d["check"], d["detail"]) for d in manifest["defects"] if d["unit_id"] == uid} for uid in SUB_UNITS}
    assert {c for c, _ in checks["baishuzhen"]} >= {"column_stale", "leader_photo_low_quality", "flowchart_missing",
                                                   "flowchart_attachment", "mailbox_backlog"}
    assert {c for c, _ in checks["shuiwuju"]} >= {"leader_info_outdated", "column_empty", "flowchart_unclear",
                                                 "leader_photo_broken", "link_broken"}
    assert ("column_stale", "undated") in checks["renfangban"] and ("column_missing", "") in checks["renfangban"]
    assert ("link_broken", "soft_404") in checks["renfangban"] and ("leader_photo_missing", "none") in checks["renfangban"]


@pytest.fixture(scope="module")
def served(blind_web):
    return generate_blind(port=blind_web.port), blind_web.manifest


@pytest.fixture(scope="module")
def visits(served):
    web, manifest = served
    entries = {u["id"]: u["entry_url"] for u in manifest["units"]}
    assert all(entries[uid] == web.site(uid).origin + "/" for uid in SUB_UNITS)
    return {uid: Visit(entries[uid], (web.site(uid).origin,)) for uid in SUB_UNITS}


def test_every_planted_thing_is_reachable_from_the_entry(served, visits):
    web, manifest = served
    for uid in SUB_UNITS:
        unit, visit, site = web.unit(uid), visits[uid], web.site(uid)
        renderer, origin = renderer_for(web, site), site.origin
        planted = set()
        for column in unit.columns:
            static = renderer.is_static_page(unit, column)
            for article in column.articles:
                url = origin + (renderer.column_path(unit, column) if static else renderer.article_path(unit, column, article))
                page = visit.texts.get(url)
                assert page and html.escape(article.title) in page, (uid, article.title)
                for index, attachment in enumerate(article.attachments):
                    url = origin + renderer.attachment_path(unit, column, article, index)
                    assert visit.status.get(url) == (404 if attachment.state == "404" else 200), (uid, url)
                    assert (visit.bodies[url] == b"") == (attachment.state == "empty")
                    planted |= {url} if attachment.state == "404" else set()
                planted |= {origin + renderer.gone_path(article, i) for i, x in enumerate(article.links) if x.state == "404"}
        leaders = visit.texts[origin + renderer.column_path(unit, renderer.leaders_column(unit))]
        for index, leader in enumerate(unit.leaders):
            assert f"<strong>姓名：</strong>{html.escape(leader.name)}</p>" in leaders
            assert html.escape(leader.post) in leaders and html.escape(leader.duties) in leaders
            src = renderer.photo_src(unit, index, leader)
            assert_photo_served(visit, origin, src, leader.photo, (uid, leader.name))
            if leader.photo.kind == "broken_404":
                planted.add(origin + src)
        for index, workflow in enumerate(unit.workflows):
            assert any(html.escape(workflow.title) in t for t in visit.texts.values()), (uid, workflow.title)
            link = renderer.flowchart_link(unit, index, workflow)
            if workflow.flowchart.kind == "none":
                assert link is None
                continue
            assert visit.status.get(origin + link[1]) == (404 if workflow.flowchart.kind == "broken_404" else 200)
        mailbox = "".join(visit.texts[origin + renderer.mailbox_path(unit, n)]
                          for n in range(1, page_count(len(unit.letters or []), LETTERS_PER_PAGE) + 1))
        for letter in unit.letters or []:
            assert html.escape(letter.title) in mailbox and letter.status in mailbox
        assert {u for u, status in visit.status.items() if status != 200} == planted, uid


def test_two_levels_tabs_and_list_shapes(served, visits):
    web, manifest = served
    styles = set()
    for uid in SUB_UNITS:
        unit, visit, site = web.unit(uid), visits[uid], web.site(uid)
        renderer, origin = renderer_for(web, site), site.origin
        styles.add((renderer.group_style, renderer.list_style, renderer.tabs))
        section = visit.texts[origin + "/xxgk/index.html"]
        menu = section.split("信息公开目录")[1].split("</ul>")[0]
        assert "机构概况" in menu and "业务工作" in menu
        assert not any(f">{html.escape(c.label)}</a>" in menu for c in unit.columns if c.ref in GROUPS)
        for (name, slug), columns in renderer.groups(unit).items():
            group = visit.texts[origin + renderer.group_path(slug)]
            for column in columns:
                assert f"href=\"{renderer.column_path(unit, column)}\"" in group
                static = renderer.is_static_page(unit, column)
                if renderer.group_style == "blocks" and column.role == "list" and column.articles and not static:
                    assert "class=\"more\">更多</a>" in group
                    assert all(renderer.article_path(unit, column, a) in group for a in column.articles[:5])
                    assert renderer.article_path(unit, column, column.articles[-1]) not in group or len(column.articles) <= 5
            for column in columns:
                if column.role != "list" or not column.articles or renderer.is_static_page(unit, column):
                    continue
                text = visit.texts[origin + renderer.column_path(unit, column)]
                if renderer.tabs:
                    assert "<ul class=\"tab\"><li class=\"on\">最新</li><li>往年</li></ul>" in text
                    newest, older = text.split("style=\"display:none\"")
                    assert renderer.article_path(unit, column, column.articles[0]) in newest
                    assert all(renderer.article_path(unit, column, a) in older for a in column.articles[column.per_page:])
                else:
                    pages = page_count(len(column.articles), column.per_page)
                    assert pages == 1 or origin + renderer.column_path(unit, column, pages) in visit.texts
                dated = next((a for a in column.articles if a.date and a.date_in_list), None)
                if dated and renderer.list_style == "table":
                    assert re.search(r"<tr><td width=\"90\" class=\"[^\"]+\">[^<]+</td><td><a href=", text)
                elif dated:
                    assert re.search(r"<li><a href=\"[^\"]+\" target=\"_blank\">[^<]+</a><em>[^<]+</em></li>", text)
    assert {s[0] for s in styles} == {"blocks", "links"} and {s[1] for s in styles} == {"em", "table"}
    assert True in {s[2] for s in styles}
    unit = web.unit("shuiwuju")
    notice = next(a for c in unit.columns for a in c.articles if any(x.action == "免" for x in a.appointments))
    column = next(c for c in unit.columns if notice in c.articles)
    renderer = renderer_for(web, web.site("shuiwuju"))
    assert column.label == "人事任免" and renderer.group_path("rsxx") in renderer.crumbs(column)[0]
    assert "免去" in visits["shuiwuju"].texts[web.site("shuiwuju").origin + renderer.article_path(unit, column, notice)]
