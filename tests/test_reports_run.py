"""finish_run with the real audits over two runs, retention, and `scrapy audit` as a user runs it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from crawler.runs import run_info, write_run_info
from crawler.snapshot import read_snapshot, write_snapshot
from reports.history import apply_retention
from reports.run import finish_run
from tests.reports_sample import sample_config, sample_findings, sample_toml, write_sample_run

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2011, 9, 30)
FIRST, SECOND = "20110930-020000", "20111001-020000"


def fix_guoshui_photo(run_dir: Path) -> None:
    path = run_dir / "snapshots" / "guoshui.json"
    snapshot = read_snapshot(path)
    snapshot["leaders"][0]["photo"].update(width=300, height=400)
    write_snapshot(path, snapshot)


def statuses(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "findings.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture
def two_runs(tmp_path):
    first = write_sample_run(tmp_path, FIRST)
    finish_run(first, sample_config(), AS_OF)
    second = write_sample_run(tmp_path, SECOND)
    fix_guoshui_photo(second)
    findings = finish_run(second, sample_config(), "2011-10-01", {"DISCLOSURE_KEEP_RUNS": "30"})
    return tmp_path, first, second, findings


def test_first_run_is_complete_with_every_output(tmp_path):
    run_dir = write_sample_run(tmp_path, FIRST)
    findings = finish_run(run_dir, sample_config(), AS_OF)
    for name in ("report.html", "bulletin.md", "bulletin.docx", "findings.csv", "offenders.csv", "resolved.csv"):
        assert (run_dir / name).stat().st_size > 0, name
    assert len(list((run_dir / "sites").glob("*.csv"))) == 8
    info = run_info(run_dir)
    assert info["complete"] is True and info["as_of"] == "2011-09-30"
    assert info["counts"]["findings"] == len(findings) > 0
    assert (tmp_path / "latest").resolve() == run_dir.resolve()
    assert set(statuses(run_dir)["status"]) == {""}                     # nothing to compare with


def test_second_run_marks_new_persisting_and_resolved(two_runs):
    out, first, second, findings = two_runs
    assert (out / "latest").resolve() == second.resolve()
    assert {f.status for f in findings} == {"persisting"}               # same web, one problem fixed
    resolved = pd.read_csv(second / "resolved.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(zip(resolved["unit"], resolved["check"], resolved["subject"])) == [
        ("国税局", "leader_photo_low_quality", "王五")]
    assert run_info(second)["counts"]["resolved"] == 1
    assert run_info(second)["previous_run"] == FIRST
    assert "已整改 <b>1</b> 处" in (second / "report.html").read_text(encoding="utf-8")


def test_redoing_an_old_run_keeps_latest_on_the_newest(two_runs):
    out, first, second, _ = two_runs
    finish_run(first, sample_config(), AS_OF)
    assert (out / "latest").resolve() == second.resolve()


def test_retention_keeps_newest_latest_and_young_incomplete_runs(tmp_path):
    for day in range(1, 5):
        run = tmp_path / f"2011090{day}-020000"
        run.mkdir()
        write_run_info(run, complete=True)
    (tmp_path / "latest").symlink_to("20110902-020000")                 # an operator pinned an older one
    stale_incomplete = tmp_path / "20110801-020000"
    stale_incomplete.mkdir()
    young_incomplete = tmp_path / "20110905-020000"
    young_incomplete.mkdir()
    unrelated = tmp_path / "notes"
    unrelated.mkdir()
    now = time.time()
    os.utime(stale_incomplete, (now - 3 * 86400, now - 3 * 86400))
    # the young run's id is old, but it was touched just now: it may still be crawling
    removed = apply_retention(tmp_path, keep=2, now=now)
    assert sorted(p.name for p in removed) == ["20110801-020000", "20110901-020000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "20110902-020000", "20110903-020000", "20110904-020000", "20110905-020000", "latest", "notes"]


def scrapy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    scrapy_bin = Path(sys.executable).with_name("scrapy")
    return subprocess.run([str(scrapy_bin), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_scrapy_audit_redoes_a_run_from_its_snapshots(tmp_path):
    config = tmp_path / "sample.toml"
    config.write_text(sample_toml(), encoding="utf-8")
    run_dir = write_sample_run(tmp_path / "runs", FIRST)
    write_run_info(run_dir, as_of="2011-09-30", config=str(config))
    done = scrapy("audit", str(run_dir))                       # the config and date the run recorded
    assert done.returncode == 0, done.stderr
    assert "as of 2011-09-30" in done.stdout and str(run_dir) in done.stdout
    assert run_info(run_dir)["complete"] is True
    assert "茅田乡" in (run_dir / "bulletin.md").read_text(encoding="utf-8")

    missing = scrapy("audit", str(tmp_path / "nowhere"), "-s", f"DISCLOSURE_CONFIG={config}")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"scrapy audit: {tmp_path / 'nowhere'}: no such folder"]
    not_a_run = scrapy("audit", str(tmp_path), "-s", f"DISCLOSURE_CONFIG={config}")
    assert not_a_run.returncode == 2 and "not a run folder" in not_a_run.stderr
    other_config = scrapy("audit", str(run_dir), "-s", f"DISCLOSURE_CONFIG={tmp_path / 'other.toml'}")
    assert other_config.returncode == 2 and "other.toml" in other_config.stderr   # -s wins over run.json
    alias = scrapy("report", str(tmp_path / "nowhere"))
    assert alias.returncode == 2 and alias.stderr.startswith("scrapy report: ")


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path):
    run_dir = write_sample_run(tmp_path, FIRST)
    finish_run(run_dir, sample_config(), AS_OF)
    expected = 0o666 & ~_umask()
    for name in ("report.html", "bulletin.docx", "findings.csv", "sites/maotian.csv"):
        assert (run_dir / name).stat().st_mode & 0o777 == expected, name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_run_without_snapshots_still_completes(tmp_path):
    run_dir = tmp_path / FIRST
    (run_dir / "snapshots").mkdir(parents=True)
    assert finish_run(run_dir, sample_config(), AS_OF) == []
    assert "本次共检查0个单位的网上信息公开情况" in (run_dir / "bulletin.md").read_text(encoding="utf-8")
    assert statuses(run_dir).empty and list(statuses(run_dir).columns)[0] == "run_id"
    assert (tmp_path / "latest").resolve() == run_dir.resolve()


def test_resolved_only_for_units_judged_this_time():
    from reports.history import resolved_findings
    old = sample_findings()
    still = [f for f in old if f.unit_id == "dishui"]
    unreachable_now = replace(old[0], unit_id="guoshui", unit="国税局", check="site_unreachable")
    resolved = resolved_findings(old, [*still, unreachable_now], {"maotian", "dishui", "guoshui"}, SECOND)
    # maotian's finding is gone: resolved; guoshui could not be read; the others were not audited
    assert [(f.unit_id, f.check, f.status, f.run_id) for f in resolved] == [
        ("maotian", "site_stale", "resolved", SECOND)]


# ("many" never gets here: every command refuses it first, tests/test_config.py)
@pytest.mark.parametrize("keep,left", [("1", [SECOND]), ("0", [FIRST, SECOND])])
def test_keep_runs_setting(tmp_path, keep, left):
    for run_id in (FIRST, SECOND):
        finish_run(write_sample_run(tmp_path, run_id), sample_config(), AS_OF, {"DISCLOSURE_KEEP_RUNS": keep})
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "latest") == left


def test_a_check_that_raises_is_named_in_the_report_and_run_json(tmp_path, monkeypatch):
    from audits import leader_photos

    def broken(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(leader_photos, "audit", broken)
    run_dir = write_sample_run(tmp_path, FIRST)
    findings = finish_run(run_dir, sample_config(), AS_OF)
    assert findings and not any(f.check.startswith("leader_photo") for f in findings)
    failures = run_info(run_dir)["audit_failures"]
    assert failures and {f["module"] for f in failures} == {"audits.leader_photos"}
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "部分检查项目在下列单位运行出错" in html and "领导无照片、领导照片无法打开" in html
    banner = html.split("部分检查项目在下列单位运行出错", 1)[1].split("</div>", 1)[0]
    for failure in failures:                               # every unit it failed on is named
        assert read_snapshot(run_dir / "snapshots" / f"{failure['unit_id']}.json")["unit"]["name"] in banner
