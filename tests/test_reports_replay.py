"""The 2011 replay: the bulletin drafted over the sandbox names the units the seed bulletin names.

The snapshots are the sandbox model as a spider that misses nothing would gather
it (tests/test_audit_against_manifest.py), audited by the real audits: this
checks the bulletin's wording and grouping, spider aside. The expected names are
copied from the seed bulletin (../shared/seed), never from our own output.
"""
from __future__ import annotations

import pytest

from audits import audit_run
from crawler.config import load_config
from reports.bulletin import bulletin_blocks, to_markdown
from sandbox.generator import generate
from sandbox.siteconfig import config_text
from tests.test_audit_against_manifest import snapshot_of

# 三、信息公开, in the seed's order of problems: (words of our paragraph, units the seed names)
SEED_PROBLEMS = [
    ("信息陈旧", ["茅田乡", "三里乡"]),
    ("信息不全面", ["长梁乡", "业州镇"]),
    ("领导没有照片或照片质量不高", ["国税局", "地税局", "档案局", "开发办", "粮食局", "林业局", "接待办"]),
    ("工作流程图不清晰或打不开", ["粮食局", "建设局", "民宗局", "水利水产局"]),
]
SEED_DOING_WELL = ["工商局", "环保局", "畜牧兽医局", "教育局", "国土资源局", "财政局", "公安局", "经信局", "移民局"]
# 四、网上信访: "涉及到交通、民政、林业、卫生等多个部门"; "办理较好的部门有信访局、教育局等"
SEED_BACKLOG = ["交通局", "民政局", "林业局", "卫生局"]
SEED_HANDLED_WELL = ["信访局", "教育局"]
# 七、互联网建设: units already in the unified site group
SEED_UNIFIED = ["国资中心", "环保局", "卫生局", "民政局", "统计局", "教育局", "纪委", "疾控中心", "人社局",
                "龙坪乡", "景阳镇", "计生局"]


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory) -> str:
    web = generate()
    path = tmp_path_factory.mktemp("config") / "sandbox.toml"
    path.write_text(config_text(web), encoding="utf-8")
    config = load_config(path)
    snapshots = [snapshot_of(web, unit) for unit in web.units]
    findings = audit_run(snapshots, config, web.as_of)
    return to_markdown(bulletin_blocks(findings, snapshots, config, web.as_of, "replay"))


def paragraph_with(text: str, needle: str) -> str:
    return next(p for p in text.split("\n\n") if needle in p)


def test_problems_come_in_the_seed_order_naming_the_seed_units(bulletin):
    paragraphs = [paragraph_with(bulletin, words) for words, _ in SEED_PROBLEMS]
    positions = [bulletin.index(p) for p in paragraphs]
    assert positions == sorted(positions)
    for (words, units), paragraph in zip(SEED_PROBLEMS, paragraphs):
        assert [u for u in units if u not in paragraph] == [], words


def test_townships_come_before_departments(bulletin):
    for words, _ in SEED_PROBLEMS:
        paragraph = paragraph_with(bulletin, words)
        if "乡镇有" in paragraph and "县直部门有" in paragraph:
            assert paragraph.index("乡镇有") < paragraph.index("县直部门有")


def test_units_doing_well_include_the_seed_ones(bulletin):
    good = paragraph_with(bulletin, "未发现问题的单位")
    assert [u for u in SEED_DOING_WELL if u not in good] == []
    named_in_problems = {u for _, units in SEED_PROBLEMS for u in units}
    assert [u for u in named_in_problems if f"、{u}" in good or f"有{u}" in good] == []


def test_mailbox_paragraph_names_backlog_and_good_handlers(bulletin):
    mailbox = paragraph_with(bulletin, "信箱")
    overdue, handled = mailbox.split("已受理并办理的办件")
    assert [u for u in SEED_BACKLOG if u not in overdue] == []
    assert "从2011年6月起至2011年9月" in overdue
    assert [u for u in SEED_HANDLED_WELL if u not in handled] == []


def test_site_group_paragraph_names_the_seed_members(bulletin):
    inside = paragraph_with(bulletin, "已进入全县统一站群")
    assert [u for u in SEED_UNIFIED if u not in inside] == []
