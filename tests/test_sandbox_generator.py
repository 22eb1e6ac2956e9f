"""The generator: deterministic, big and varied enough, and the 2011 bulletin's state as planted."""
from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from sandbox.generator import COUNTY_UNITS, change, generate
from sandbox.model import DATE_STYLES, FAMILIES, FLOWCHART_KINDS, HOSTILE, PHOTO_KINDS

BACKLOG_UNITS = ("jiaotongju", "minzhengju", "linyeju", "weishengju")


@pytest.fixture(scope="module")
def web():
    return generate()


def units_of(web, family):
    return [u for u in web.units if web.site(u.site).family == family]


def test_two_generations_are_equal():
    assert asdict(generate()) == asdict(generate())


def test_another_seed_gives_another_web():
    assert asdict(generate(seed=7)) != asdict(generate())


def test_at_least_sixty_units_across_four_families(web):
    assert len(web.units) >= 60
    for family in FAMILIES:
        assert len(units_of(web, family)) >= 8, family


def test_ids_are_unique_ascii_and_those_of_sites_toml(web):
    ids = [u.id for u in web.units]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i.isalnum() and i.islower() for i in ids)
    assert {"hbjs", "yezhouzhen", "changliangxiang", "lvyouju", "guoshuiju"} <= set(ids)
    assert web.unit("hbjs").kind == "门户"


def test_every_own_site_has_its_own_loopback_address(web):
    hosts = [s.host for s in web.sites]
    assert len(hosts) == len(set(hosts))
    assert all(h.startswith("127.0.") for h in hosts)
    assert web.site(web.unit("hbjs").site).host == "127.0.1.1"
    assert {u.site for u in web.units if u.site != "hbjs"} == {s.id for s in web.sites if s.id != "hbjs"}


def test_site_group_members_of_section_seven(web):
    members = {"guozizhongxin", "huanbaoju", "weishengju", "minzhengju", "tongjiju", "jiaoyuju", "jiwei",
               "jikongzhongxin", "rensheju", "longpingxiang", "jingyangzhen", "jishengju"}
    in_group = {u.id for u in web.units if u.site != "hbjs" and web.site(u.site).in_site_group}
    assert in_group == members
    assert all(web.site(u).host.startswith("127.0.2.") for u in members)
    for outside in ("gaopingzhen", "guandianzhen", "gonganju", "anjianju", "yezhouzhen", "huapingxiang"):
        assert web.site(web.unit(outside).site).host.startswith("127.0.1.")


def test_every_kind_of_photo_flowchart_date_style_and_hostile_behaviour_is_planted(web):
    photos = {l.photo.kind for u in web.units for l in u.leaders}
    charts = {w.flowchart.kind for u in web.units for w in u.workflows}
    styles = {c.date_style for u in web.units for c in u.columns if c.articles}
    hostile = set().union(*(s.hostile for s in web.sites))
    assert photos == set(PHOTO_KINDS)
    assert charts == set(FLOWCHART_KINDS)
    assert styles == set(DATE_STYLES)
    assert hostile == set(HOSTILE)


def test_old_asp_sites_are_gbk_without_header(web):
    for site in web.sites:
        assert (site.family == "asp") == (site.encoding == "gbk") == ("gbk_no_header" in site.hostile)


def test_mailbox_backlog_as_the_bulletin_reports_it(web):
    june_to_september = (date(2011, 6, 1), date(2011, 9, 30))
    limit = web.as_of - timedelta(days=90)
    unaccepted = {uid: [l for l in web.unit(uid).letters if l.status == "未受理"
                        and june_to_september[0] <= l.received <= june_to_september[1]] for uid in BACKLOG_UNITS}
    assert sum(len(v) for v in unaccepted.values()) >= 200
    for letters in unaccepted.values():
        assert any(l.received < limit for l in letters) and any(l.received > limit for l in letters)
    handled = [l for u in web.units for l in u.letters or [] if l.status in ("已受理", "已办结")]
    assert len(handled) == 42
    by_unit = Counter(u.id for u in web.units for l in u.letters or [] if l.status in ("已受理", "已办结"))
    assert by_unit["xinfangju"] >= 10 and by_unit["jiaoyuju"] >= 10
    titles = [(u.id, l.title) for u in web.units for l in u.letters or []]
    assert len(titles) == len(set(titles))


def test_townships_with_only_anti_corruption_content(web):
    for uid in ("changliangxiang", "yezhouzhen"):
        with_content = {c.ref for c in web.unit(uid).columns if c.articles and c.ref}
        assert with_content == {"腐败风险预警防控"}
        assert len(next(c for c in web.unit(uid).columns if c.ref == "腐败风险预警防控").articles) >= 25


def test_stale_townships_have_much_old_content(web):
    for uid in ("maotianxiang", "sanlixiang"):
        unit = web.unit(uid)
        dates = [a.date for c in unit.columns for a in c.articles if a.date]
        assert len(dates) > 200
        assert max(dates) < web.as_of - timedelta(days=120)


def test_labels_use_synonyms_and_variants(web):
    labels = {c.label for u in web.units for c in u.columns if c.ref}
    refs = {c.ref for u in web.units for c in u.columns if c.ref}
    assert labels - refs                        # not every site uses the reference names
    assert any(c.ref is None for u in web.units for c in u.columns)   # unit-specific extras


def test_article_ids_are_unique_and_lists_newest_first(web):
    ids = [a.id for u in web.units for c in u.columns for a in c.articles]
    assert len(ids) == len(set(ids))
    for unit in web.units:
        for column in unit.columns:
            dated = [a.date for a in column.articles if a.date]
            assert dated == sorted(dated, reverse=True)


def test_change_adds_new_articles_to_a_few_columns(web):
    changed = change(web, 1)
    assert changed.revision == 1 and web.revision == 0
    before = {(u.id, c.slug): len(c.articles) for u in web.units for c in u.columns}
    after = {(u.id, c.slug): len(c.articles) for u in changed.units for c in u.columns}
    grown = {key for key in before if after[key] != before[key]}
    assert 1 <= len(grown) <= 10
    assert all(after[key] == before[key] + 1 for key in grown)
    assert asdict(change(web, 1)) == asdict(changed)
    twice = change(web, 2)
    assert all(len(next(c for c in twice.unit(uid).columns if c.slug == slug).articles) == before[(uid, slug)] + 2
               for uid, slug in grown)


def test_province_scale_is_big_and_deterministic():
    province = generate(scale="province")
    pages = sum(len(c.articles) + 1 for u in province.units for c in u.columns)
    assert len(province.units) >= 1000
    assert pages >= 100_000
    hosts = [s.host for s in province.sites]
    assert len(hosts) == len(set(hosts))
    assert [u.id for u in generate(scale="province").units] == [u.id for u in province.units]
    assert len({u.name for u in province.units}) == len(province.units)


def test_county_units_table_has_unique_names():
    assert len({name for _, name, _ in COUNTY_UNITS}) == len(COUNTY_UNITS)
