"""The 2011 replay: a real crawl of the sandbox as of 2011-09-30 against the seed bulletin.

`scrapy crawl disclosure` runs over the served sandbox, then:
- per problem of the bulletin's sections 三 (信息公开) and 四 (网上信访), the
  findings name exactly the units the bulletin names, and the mailbox counts are
  the bulletin's (200多 unaccepted letters June–September; 42 handled, 信访局 and
  教育局 handling best);
- sandbox/score_findings.py scores the run's findings against the manifest and
  meets its targets (0.98 precision and recall per check, unit and item level).
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from audits import audit_run
from crawler.config import load_config
from crawler.runs import run_info
from crawler.snapshot import read_snapshots
from reports.csvs import read_findings_csv
from tests.crawling import REPO

AS_OF = date(2011, 9, 30)
CONTENT_CHECKS = ("site_stale", "column_missing", "column_empty", "column_stale", "coverage_narrow",
                  "leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality",
                  "leader_info_outdated", "flowchart_missing", "flowchart_broken", "flowchart_unclear",
                  "flowchart_attachment", "mailbox_backlog", "link_broken")


@pytest.fixture(scope="module")
def run_dir(sandbox_run):
    run_dir, _ = sandbox_run
    assert run_info(run_dir)["as_of"] == AS_OF.isoformat()     # the bulletin's date
    return run_dir


@pytest.fixture(scope="module")
def findings(run_dir):
    return read_findings_csv(run_dir / "findings.csv")


def units_with(findings, *checks: str) -> set[str]:
    return {f.unit for f in findings if f.check in checks}


# ----------------------------------------------------------------- 三、信息公开

def test_stale_townships(findings):
    """茅田乡和三里乡内容较全面，数量较多，但没有及时更新，信息陈旧。"""
    assert units_with(findings, "site_stale") == {"茅田乡", "三里乡"}


def test_townships_with_only_anti_corruption_content(findings):
    """长梁乡和业州镇……只有“腐败风险预警防控”一类信息，信息不全面。"""
    assert units_with(findings, "coverage_narrow") == {"长梁乡", "业州镇"}


def test_township_portals_to_adjust_to_the_reference_layout(findings, sandbox_web):
    """业州镇、龙坪乡、花坪乡、景阳镇有门户网站……可参照《建始网》的栏目设置重新调整。"""
    own_township_sites = {u["name"] for u in sandbox_web.manifest["units"] if u["kind"] == "乡镇" and u["own_site"]}
    layout_problems = units_with(findings, "column_missing", "column_empty", "column_stale")
    assert layout_problems & own_township_sites == {"业州镇", "龙坪乡", "花坪乡", "景阳镇"}


def test_praised_departments_have_no_content_findings(findings):
    """县直各部门的信息公开内容的数量和质量都比较高。如工商局、环保局……移民局等。"""
    praised = {"工商局", "环保局", "畜牧兽医局", "教育局", "国土资源局", "财政局", "公安局", "经信局", "移民局"}
    assert not units_with(findings, *CONTENT_CHECKS) & praised


def test_leader_photos_missing_or_poor(findings):
    """部分单位领导没有照片或照片质量不高，如国税局、地税局、档案局、开发办、粮食局、林业局、接待办等。"""
    assert units_with(findings, "leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality") == {
        "国税局", "地税局", "档案局", "开发办", "粮食局", "林业局", "接待办"}


def test_flowcharts_unclear_or_not_opening(findings):
    """部分单位工作流程图不清晰或打不开，如粮食局、建设局、民宗局、水利水产局等。"""
    assert units_with(findings, "flowchart_unclear", "flowchart_broken") == {"粮食局", "建设局", "民宗局", "水利水产局"}


def test_leader_changes_not_published_and_flowcharts_as_attachments(findings):
    """有的单位领导更换后应公开的信息没有随即更新；部分部门的流程图是以附件的形式上传的（未点名）。"""
    assert units_with(findings, "leader_info_outdated")
    assert units_with(findings, "flowchart_attachment")


# ----------------------------------------------------------------- 四、网上信访

def test_mailbox_backlog_departments(findings):
    """……涉及到交通、民政、林业、卫生等多个部门的内容。"""
    assert units_with(findings, "mailbox_backlog") == {"交通局", "民政局", "林业局", "卫生局"}


def test_unaccepted_letters_june_to_september_number_two_hundred_odd(run_dir, sandbox_web):
    """部门信箱存在从2011年6月起至2011年9月份大量未受理办件，达200多件。

    The bulletin counts every unaccepted letter whatever its age: the audit with
    no grace period (mailbox_backlog_days = 0) must count the same.
    """
    config = load_config(sandbox_web.config_path)
    counting_all = replace(config, thresholds={**config.thresholds, "mailbox_backlog_days": 0})
    backlog = [f for f in audit_run(read_snapshots(run_dir), counting_all, AS_OF)
               if f.check == "mailbox_backlog" and "2011-06-01" <= f.observed <= "2011-09-30"]
    assert 200 <= len(backlog) < 300
    assert {"交通局", "民政局", "林业局", "卫生局"} <= {f.unit for f in backlog}


def test_handled_letters_number_42_and_the_best_handlers(run_dir):
    """已受理并办理的办件有42件，办理较好的部门有信访局、教育局等。"""
    handled = {s["unit"]["name"]: sum(1 for x in s["mailbox"]["letters"] if x["status"] != "未受理" and x["answered"])
               for s in read_snapshots(run_dir)}
    assert sum(handled.values()) == 42
    assert set(sorted(handled, key=handled.get, reverse=True)[:2]) == {"信访局", "教育局"}


# ----------------------------------------------------------------- the manifest's score

def test_findings_meet_the_scoring_targets(run_dir, sandbox_web):
    scored = subprocess.run([sys.executable, "-m", "sandbox.score_findings", str(run_dir),
                             "--manifest", str(sandbox_web.manifest_path), "--show"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert scored.returncode == 0, scored.stdout[-6000:] + scored.stderr[-2000:]
