"""The ground-truth manifest: deterministic, every check planted, the bulletin's state, the config files."""
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from audits.checks import CHECKS
from crawler.config import load_config
from sandbox.generator import change, generate, with_hostile
from sandbox.layout import REFERENCE_COLUMNS
from sandbox.manifest import build_manifest
from sandbox.siteconfig import config_text

REPO = Path(__file__).resolve().parent.parent
PRAISED = ("gongshangju", "huanbaoju", "xumushouyiju", "jiaoyuju", "guotuziyuanju", "caizhengju", "gonganju",
           "jingxinju", "yiminju")
POOR_PHOTOS = ("guoshuiju", "dishuiju", "danganju", "kaifaban", "liangshiju", "linyeju", "jiedaiban")
POOR_FLOWCHARTS = ("liangshiju", "jiansheju", "minzongju", "shuilishuichanju")
BACKLOG_UNITS = ("jiaotongju", "minzhengju", "linyeju", "weishengju")
PHOTO_CHECKS = ("leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality")
FLOWCHART_CHECKS = ("flowchart_broken", "flowchart_unclear")


@pytest.fixture(scope="module")
def manifest():
    return build_manifest(generate())


def checks_of(manifest, unit_id):
    return Counter(d["check"] for d in manifest["defects"] if d["unit_id"] == unit_id)


def units_with(manifest, check):
    return {d["unit_id"] for d in manifest["defects"] if d["check"] == check}


def test_manifest_json_is_identical_across_generations(manifest):
    again = build_manifest(generate())
    assert json.dumps(again, ensure_ascii=False) == json.dumps(manifest, ensure_ascii=False)


def test_manifest_is_the_same_in_processes_with_other_hash_seeds():
    outputs = {subprocess.run([sys.executable, "-m", "sandbox", "manifest"], cwd=REPO, check=True, capture_output=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "4242")}
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["defects"]


def test_every_check_id_is_planted(manifest):
    assert {d["check"] for d in manifest["defects"]} == set(CHECKS)


def test_defects_are_unique_by_their_key(manifest):
    keys = [(d["unit_id"], d["check"], d["column"], d["subject"]) for d in manifest["defects"]]
    assert len(keys) == len(set(keys))
    for d in manifest["defects"]:
        assert set(d) == {"unit_id", "check", "column", "subject", "detail"}


def test_bulletin_section_three(manifest):
    assert units_with(manifest, "site_stale") == {"maotianxiang", "sanlixiang"}
    assert units_with(manifest, "coverage_narrow") == {"changliangxiang", "yezhouzhen"}
    for uid in PRAISED:
        assert set(checks_of(manifest, uid)) <= {"site_not_unified"}, uid
    assert set(POOR_PHOTOS) <= set().union(*(units_with(manifest, check) for check in PHOTO_CHECKS))
    for uid in POOR_FLOWCHARTS:
        assert set(checks_of(manifest, uid)) & set(FLOWCHART_CHECKS), uid
    assert len(units_with(manifest, "flowchart_attachment")) >= 3
    assert len(units_with(manifest, "leader_info_outdated")) >= 2


def test_bulletin_section_four_mailbox(manifest):
    assert units_with(manifest, "mailbox_backlog") == set(BACKLOG_UNITS)
    letters = [x for facts in manifest["facts"].values() for x in facts["letters"]]
    unaccepted = [x for uid in BACKLOG_UNITS for x in manifest["facts"][uid]["letters"]
                  if x["status"] == "未受理" and "2011-06-01" <= x["received"] <= "2011-09-30"]
    assert len(unaccepted) >= 200
    assert sum(x["status"] in ("已受理", "已办结") for x in letters) == 42
    limit = "2011-07-02"
    backlog = sum(x["received"] < limit for x in unaccepted)
    assert backlog == sum(checks_of(manifest, uid)["mailbox_backlog"] for uid in BACKLOG_UNITS)


def test_bulletin_section_seven_site_group(manifest):
    units = {u["id"]: u for u in manifest["units"]}
    not_unified = units_with(manifest, "site_not_unified")
    assert not_unified == {uid for uid, u in units.items() if u["own_site"] and not u["in_site_group"]}
    assert {"gaopingzhen", "guandianzhen", "gonganju", "anjianju", "yezhouzhen", "huapingxiang"} <= not_unified
    assert not {"longpingxiang", "jingyangzhen", "jiaoyuju", "hbjs"} & not_unified


def test_blocked_and_unreachable_units_get_no_content_defects(manifest):
    for unit in manifest["units"]:
        facts = manifest["facts"][unit["id"]]
        if not facts["reachable"] or facts["blocked"]:
            expected = {"site_unreachable" if not facts["reachable"] else "site_blocked"}
            assert set(checks_of(manifest, unit["id"])) - {"site_not_unified"} == expected
    assert len(units_with(manifest, "site_unreachable")) == 3
    assert len(units_with(manifest, "site_blocked")) == 3


def test_near_threshold_cases_stay_on_their_side(manifest):
    inspector = manifest["facts"]["jianchaju"]
    assert {"width": 150, "height": 200} == {k: inspector["leaders"][0]["photo"][k] for k in ("width", "height")}
    assert [max(w["width"], w["height"]) for w in inspector["workflows"]][:2] == [800, 800]
    assert checks_of(manifest, "jianchaju") == Counter()
    dynamic = next(c for c in inspector["columns"] if c["reference"] == "工作动态")
    assert dynamic["newest"] == "2011-09-17"         # 13 days: fresh
    safety = manifest["facts"]["anjianju"]["letters"]
    assert any(x["received"] == "2011-07-02" and x["status"] == "未受理" for x in safety)   # 90 days: not beyond
    assert "mailbox_backlog" not in checks_of(manifest, "anjianju")
    united_front = next(c for c in manifest["facts"]["tongzhanbu"]["columns"] if c["reference"] == "工作动态")
    assert united_front["newest"] == "2011-09-13"    # 17 days: stale
    assert any(d["unit_id"] == "tongzhanbu" and (d["check"], d["column"]) == ("column_stale", "工作动态")
               for d in manifest["defects"])


def test_facts_agree_with_defects(manifest):
    for unit_id, facts in manifest["facts"].items():
        if not facts["reachable"] or facts["blocked"]:
            continue
        empty = {c["reference"] for c in facts["columns"] if c["reference"] and not c["entries"]}
        flagged = {d["column"] for d in manifest["defects"] if d["unit_id"] == unit_id and d["check"] == "column_empty"}
        assert empty == flagged, unit_id


def test_change_shows_in_the_manifest(manifest):
    changed = build_manifest(change(generate(), 1))
    assert changed["revision"] == 1
    count = lambda m: sum(c["entries"] for f in m["facts"].values() for c in f["columns"])
    assert count(manifest) < count(changed)


def test_layout_is_that_of_sites_toml():
    real = tomllib.loads((REPO / "config" / "sites.toml").read_text(encoding="utf-8"))
    ours = [{"name": c.name, "synonyms": list(c.synonyms), "recency": c.recency,
             **({"role": c.role} if c.role else {}), **({} if c.required else {"required": False})}
            for c in REFERENCE_COLUMNS]
    theirs = [{"synonyms": [], **c} for c in real["columns"]]
    assert ours == theirs
    ids = {u["id"]: u["name"] for u in real["units"]}
    assert ids.items() <= {u.id: u.name for u in generate().units}.items()


def test_committed_sandbox_config_is_fresh_and_loads():
    path = REPO / "config" / "sandbox.toml"
    assert path.read_text(encoding="utf-8") == config_text(generate())
    config = load_config(path)
    assert len(config.units) >= 60
    assert config.unit("hbjs").url and config.portal == "hbjs"
    assert config.unit("yezhouzhen").url and not config.unit("changliangxiang").url


def test_dates_in_facts_are_iso(manifest):
    for facts in manifest["facts"].values():
        for column in facts["columns"]:
            assert column["newest"] is None or date.fromisoformat(column["newest"]) <= date(2011, 9, 30)


def test_hostile_switches_change_the_truth():
    calm = build_manifest(with_hostile(generate(), enabled=False))
    assert not {"site_unreachable", "site_blocked"} & {d["check"] for d in calm["defects"]}
    assert all(f["reachable"] and not f["blocked"] for f in calm["facts"].values())
    everywhere_down = build_manifest(with_hostile(generate(), extra=("down",)))
    assert units_with(everywhere_down, "site_unreachable") == {u["id"] for u in everywhere_down["units"]}


def test_province_config_loads(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(config_text(generate(scale="province")), encoding="utf-8")
    config = load_config(path)
    assert len(config.units) >= 1000
    assert len({u.url for u in config.units if u.url}) == sum(1 for u in config.units if u.url)


@pytest.mark.parametrize("seed", [1, 7, 99])
def test_the_bulletin_state_holds_whatever_the_seed(seed):
    other = build_manifest(generate(seed=seed))
    assert {d["check"] for d in other["defects"]} == set(CHECKS)
    assert units_with(other, "site_stale") == {"maotianxiang", "sanlixiang"}
    assert units_with(other, "coverage_narrow") == {"changliangxiang", "yezhouzhen"}
    assert units_with(other, "mailbox_backlog") == set(BACKLOG_UNITS)
    for uid in PRAISED:
        assert set(checks_of(other, uid)) <= {"site_not_unified"}, uid
