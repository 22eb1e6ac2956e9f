"""sandbox/score_findings.py on small hand-made findings and manifests."""
import json

import pytest

from audits.finding import Finding
from crawler.runs import write_run_info
from reports.csvs import write_findings_csv
from sandbox import score_findings


def defect(unit, check, column="", subject=""):
    return {"unit_id": unit, "check": check, "column": column, "subject": subject, "detail": ""}


def found(unit, check, column="", subject=""):
    return Finding(unit_id=unit, unit=unit, check=check, message="。", column=column, subject=subject)


MANIFEST = {"units": [{"id": "lyj"}, {"id": "gsj"}], "defects": [
    defect("lyj", "column_stale", "工作动态"), defect("lyj", "column_stale", "通知公告"),
    defect("lyj", "leader_photo_missing", "领导信息", "张三"),
    defect("gsj", "mailbox_backlog", "", "咨询"), defect("gsj", "mailbox_backlog", "", "咨询"),
    defect("gsj", "site_not_unified")]}


@pytest.fixture
def run(tmp_path):
    """Write a run folder with these findings and the manifest; return the script's exit code and output."""
    def write(findings, units=None, manifest=MANIFEST):
        (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        write_findings_csv(tmp_path / "findings.csv", findings)
        if units:
            write_run_info(tmp_path, units=units)
        return score_findings.main([str(tmp_path), "--manifest", str(tmp_path / "manifest.json"), "--show"])
    return write


def test_perfect_findings_pass(run, capsys):
    perfect = [found("lyj", "column_stale", "工作动态"), found("lyj", "column_stale", "通知公告"),
               found("lyj", "leader_photo_missing", "领导信息", "张 三"),   # spacing does not count
               found("gsj", "mailbox_backlog", "", "咨询"), found("gsj", "mailbox_backlog", "", "咨询"),
               found("gsj", "site_not_unified")]
    assert run(perfect) == 0
    assert "below target" not in capsys.readouterr().out


def test_a_missed_item_lowers_item_recall_but_not_unit_recall():
    found_items = [("lyj", "column_stale", "工作动态")]
    expected = score_findings.expected_items(MANIFEST, {"lyj", "gsj"})
    unit, item = score_findings.score(found_items, expected)["column_stale"]
    assert (unit.precision, unit.recall) == (1.0, 1.0)
    assert (item.precision, item.recall) == (1.0, 0.5)


def test_duplicate_letter_titles_count_as_two_items():
    expected = score_findings.expected_items(MANIFEST, {"gsj"})
    _, item = score_findings.score([("gsj", "mailbox_backlog", "咨询")], expected)["mailbox_backlog"]
    assert (item.found, item.expected, item.matched) == (1, 2, 1)


def test_a_false_finding_fails_and_is_listed(run, capsys):
    findings = [found("lyj", "column_stale", "工作动态"), found("lyj", "column_stale", "通知公告"),
                found("lyj", "leader_photo_missing", "领导信息", "张三"),
                found("gsj", "mailbox_backlog", "", "咨询"), found("gsj", "mailbox_backlog", "", "咨询"),
                found("gsj", "site_not_unified"), found("gsj", "site_stale")]
    assert run(findings) == 1
    out = capsys.readouterr().out
    assert "site_stale" in out and "below target" in out
    assert "found, not planted: gsj / site_stale" in out


def test_only_the_run_units_are_scored(run):
    assert run([found("lyj", "column_stale", "工作动态"), found("lyj", "column_stale", "通知公告"),
                found("lyj", "leader_photo_missing", "领导信息", "张三")], units=["lyj"]) == 0


def test_column_checks_are_keyed_by_column_and_subject_checks_by_subject():
    assert score_findings.item_key("column_empty", "通知公告", "x") == "通知公告"
    assert score_findings.item_key("link_broken", "通知公告", "附件1 .doc") == "附件1.doc"
    assert score_findings.item_key("site_stale", "通知公告", "x") == ""


def test_a_run_folder_without_findings_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        score_findings.main([str(tmp_path), "--manifest", str(tmp_path / "manifest.json")])
    assert stopped.value.code == 2
    assert "findings.csv: no such file" in capsys.readouterr().err
