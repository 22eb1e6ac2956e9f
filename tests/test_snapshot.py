"""The typed snapshot (crawler/snapshot.py): one definition, validated and migrated on read; a damaged
snapshot is named in one line and never stops the audit of the others."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.snapshot import (IMAGE_FIELDS, SCHEMA_VERSION, SnapshotError, empty_snapshot, read_snapshot,
                              readable_snapshots, write_snapshot)
from tests.conftest import REPO


def test_a_written_snapshot_reads_back_the_same(tmp_path):
    snap = empty_snapshot("a", "甲镇", "乡镇")
    snap["leaders"].append({"name": "张三", "post": "镇长", "duties": "", "page_url": "p",
                            "photo": {**dict.fromkeys(IMAGE_FIELDS), "url": "i", "status": 200, "width": 300}})
    write_snapshot(tmp_path / "a.json", snap)
    assert read_snapshot(tmp_path / "a.json") == snap and snap["schema"] == SCHEMA_VERSION


@pytest.mark.parametrize("text, says", [
    ("null", "a snapshot is a JSON object"),
    ('{"schema": 2, "unit": {"id": "a", "na', "cannot be read as JSON"),
    ('{"schema": 9, "unit": {"id": "a", "name": "x", "kind": "y"}}', "snapshot schema 9"),
    ('{"schema": 2, "unit": {"id": "a", "name": "x", "kind": "y"}, "columns": {}}', "columns: expected a list"),
    ('{"schema": 2, "unit": {"id": "a", "name": "x", "kind": "y"}, "leaders": [{"name": 5}]}',
     "leaders[0].name: expected str"),
    ('{"schema": 2, "unit": {"id": "a"}}', "unit.name: missing"),
    ('{"schema": 2, "unit": {"id": "a", "name": "x", "kind": "y"}, "workflows": [{"title": "t", '
     '"flowchart": {"kind": "video"}}]}', "flowchart.kind"),
])
def test_a_damaged_snapshot_is_named_with_what_is_wrong(tmp_path, text, says):
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SnapshotError) as raised:
        read_snapshot(path)
    assert str(path) in str(raised.value) and says in str(raised.value)


def test_a_snapshot_of_schema_1_is_migrated(tmp_path):
    old = {"schema": 1, "unit": {"id": "a", "name": "甲镇", "kind": "乡镇"},
           "columns": [{"name": "工作动态", "url": "u", "entries": [{"title": "t", "url": "t", "date": "2011-09-01"}]}],
           "links": [{"url": "l", "text": "坏", "page_url": "p", "kind": "link", "status": 200, "error": "soft_404"}]}
    (tmp_path / "a.json").write_text(json.dumps(old), encoding="utf-8")
    snap = read_snapshot(tmp_path / "a.json")
    assert snap["schema"] == SCHEMA_VERSION and snap["unread"] == [] and snap["columns"][0]["text_chars"] == 0
    assert snap["links"][0]["soft_404"] is True and snap["links"][0]["error"] is None


def test_readable_snapshots_leave_the_damaged_one_out(tmp_path):
    (tmp_path / "snapshots").mkdir()
    write_snapshot(tmp_path / "snapshots" / "a.json", empty_snapshot("a", "甲镇", "乡镇"))
    (tmp_path / "snapshots" / "b.json").write_text("null", encoding="utf-8")
    good, bad = readable_snapshots(tmp_path)
    assert [s["unit"]["id"] for s in good] == ["a"] and len(bad) == 1 and "b.json" in bad[0]


def test_scrapy_audit_skips_a_damaged_snapshot_with_an_alert_and_exit_2(tmp_path):
    from tests.reports_sample import sample_toml, write_sample_run
    run_dir = write_sample_run(tmp_path)
    config = tmp_path / "sites.toml"
    config.write_text(sample_toml(), encoding="utf-8")
    victim = sorted((run_dir / "snapshots").glob("*.json"))[0]
    victim.write_text('{"schema": 2, "unit": ', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "scrapy", "audit", str(run_dir), "-s", f"DISCLOSURE_CONFIG={config}",
                           "-s", "DISCLOSURE_AS_OF=2011-09-30"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and victim.name in done.stderr and "ALERT" in done.stderr
    assert (run_dir / "findings.csv").exists()               # the others are audited and reported


def test_a_damaged_previous_snapshot_means_a_full_crawl_and_never_a_crash(tmp_path):
    from crawler import monitoring, revisit
    from crawler.runs import write_run_info
    previous, now = tmp_path / "20110929-020000", tmp_path / "20110930-020000"
    write_snapshot(previous / "snapshots" / "a.json", empty_snapshot("a", "甲镇", "乡镇"))
    (previous / "snapshots" / "b.json").write_text("null", encoding="utf-8")
    write_run_info(previous, complete=True)
    now.mkdir()
    assert revisit.previous_snapshot(now, "b") is None                  # not reusable: crawled in full
    assert revisit.previous_snapshot(now, "a") is not None
    assert [s["unit"]["id"] for s in monitoring.previous_snapshots(now)] == ["a"]


def test_a_run_of_schema_2_is_migrated_and_reported_with_thumbnails_only(tmp_path):
    """Snapshots written before previews existed (schema 2, today's runs) still read and report."""
    from datetime import date
    from reports.run import write_reports
    from tests.reports_sample import sample_config, write_sample_run
    run_dir = write_sample_run(tmp_path)
    for path in (run_dir / "snapshots").glob("*.json"):
        snapshot = json.loads(path.read_text(encoding="utf-8"))
        for leader in snapshot["leaders"]:
            if leader["photo"]:
                leader["photo"].pop("preview", None)
        for workflow in snapshot["workflows"]:
            workflow["flowchart"].pop("preview", None)
        path.write_text(json.dumps({**snapshot, "schema": 2}, ensure_ascii=False), encoding="utf-8")
    snapshots, bad = readable_snapshots(run_dir)
    assert not bad and {s["schema"] for s in snapshots} == {SCHEMA_VERSION}
    photo = next(l["photo"] for s in snapshots for l in s["leaders"] if l["photo"])
    assert "preview" in photo and photo["preview"] is None and photo["thumbnail"]
    write_reports(run_dir, [], snapshots, sample_config(), date(2011, 9, 30), run_dir.name, None, None)
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "本次检查未保存大图，放大的是缩略图" in report and 'data-evidence="' not in report
