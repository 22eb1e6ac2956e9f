"""Resilience: every hostile behaviour of the sandbox, and bad input, against the real `scrapy crawl`.

One crawl of the few units concerned (`-a units=`), chosen from the sandbox's
manifest by the behaviour they show, never by name; then one test per
behaviour on that crawl's findings and snapshots. The crawl must end within
CRAWL_TIMEOUT (a bound, not a timing assertion). What each unit's
reachability findings should be comes from the manifest's planted defects.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.snapshot import read_snapshots
from sandbox.model import HOSTILE

ROOT = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 150          # seconds: the whole hostile crawl, slow site and calendar trap included
REACHABILITY_CHECKS = ("site_unreachable", "site_blocked")


def scrapy_crawl(*args: str, timeout: float = CRAWL_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "disclosure", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def unit_with(manifest: dict, behaviour: str) -> str:
    return next(u["id"] for u in manifest["units"] if behaviour in u["hostile"])


def unit_with_photo(manifest: dict, kind: str) -> tuple[str, str]:
    """(unit id, leader name) of a planted broken photo of this kind."""
    defect = next(d for d in manifest["defects"] if d["check"] == "leader_photo_broken" and d["detail"] == kind)
    return defect["unit_id"], defect["subject"]


class HostileRun:
    def __init__(self, run_dir: Path, manifest: dict, result: subprocess.CompletedProcess):
        self.run_dir = run_dir
        self.manifest = manifest
        self.result = result
        self.snapshots = {s["unit"]["id"]: s for s in read_snapshots(run_dir)}
        with open(run_dir / "findings.csv", encoding="utf-8-sig", newline="") as f:
            self.findings = list(csv.DictReader(f))

    def checks_of(self, unit_id: str) -> set[str]:
        return {f["check"] for f in self.findings if f["unit_id"] == unit_id}

    def planted(self, unit_id: str) -> set[str]:
        return {d["check"] for d in self.manifest["defects"] if d["unit_id"] == unit_id}

    def reachability_right(self, unit_id: str) -> bool:
        """The unit shows exactly the reachability findings the sandbox planted."""
        wanted = self.planted(unit_id) & set(REACHABILITY_CHECKS)
        return self.checks_of(unit_id) & set(REACHABILITY_CHECKS) == wanted

    def yielded(self, unit_id: str) -> bool:
        snapshot = self.snapshots[unit_id]
        return snapshot["reachability"]["fetched"] and any(c["entry_count"] for c in snapshot["columns"])


@pytest.fixture(scope="module")
def hostile_run(sandbox_web, tmp_path_factory) -> HostileRun:
    manifest = sandbox_web.manifest
    units = {unit_with(manifest, b) for b in HOSTILE} | {unit_with_photo(manifest, "truncated")[0]}
    out = tmp_path_factory.mktemp("hostile")
    result = scrapy_crawl("-a", "units=" + ",".join(sorted(units)),
                          "-s", f"DISCLOSURE_CONFIG={sandbox_web.config_path}", "-s", f"DISCLOSURE_OUT={out}",
                          "-s", f"DISCLOSURE_AS_OF={manifest['as_of']}", "-s", "DISCLOSURE_INCREMENTAL=0")
    assert result.returncode in (0, 3), result.stderr[-3000:]     # 3: an ALERT (errors are expected here)
    (run_dir,) = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink()]
    assert not (out / "latest").exists()           # a run of some units is complete but never `latest`
    return HostileRun(run_dir, manifest, result)


def test_every_hostile_unit_gets_a_snapshot_and_the_run_completes(hostile_run):
    assert json.loads((hostile_run.run_dir / "run.json").read_text(encoding="utf-8"))["complete"]
    for behaviour in HOSTILE:
        assert unit_with(hostile_run.manifest, behaviour) in hostile_run.snapshots, behaviour


@pytest.mark.parametrize("behaviour", ["down", "server_error", "redirect_loop"])
def test_a_site_that_cannot_be_fetched_is_unreachable(hostile_run, behaviour):
    unit = unit_with(hostile_run.manifest, behaviour)
    assert "site_unreachable" in hostile_run.planted(unit)
    assert hostile_run.reachability_right(unit), hostile_run.checks_of(unit)
    assert not hostile_run.snapshots[unit]["reachability"]["fetched"]


@pytest.mark.parametrize("behaviour", ["robots_disallow", "anti_crawler_412"])
def test_a_site_that_keeps_us_out_is_blocked_not_unreachable(hostile_run, behaviour):
    unit = unit_with(hostile_run.manifest, behaviour)
    assert hostile_run.reachability_right(unit), hostile_run.checks_of(unit)
    assert "site_blocked" in hostile_run.checks_of(unit)
    # blocked is not a defect of content: nothing else is judged on a site we could not read
    assert hostile_run.checks_of(unit) <= {"site_blocked", "site_not_unified"}


@pytest.mark.parametrize("behaviour", ["slow", "flaky_5xx", "reset"])
def test_slowness_and_passing_failures_are_absorbed(hostile_run, behaviour):
    unit = unit_with(hostile_run.manifest, behaviour)
    assert hostile_run.reachability_right(unit), hostile_run.checks_of(unit)
    assert hostile_run.yielded(unit), hostile_run.snapshots[unit]["reachability"]


def test_a_calendar_trap_is_crawled_only_so_far(hostile_run):
    unit = unit_with(hostile_run.manifest, "calendar_trap")
    assert hostile_run.reachability_right(unit) and hostile_run.yielded(unit)
    trap_pages = [c for c in hostile_run.snapshots[unit]["columns"] if "/calendar/" in (c["url"] or "")]
    pages = hostile_run.snapshots[unit]["reachability"]["pages"]
    # every page of the unit is bounded by its budgets; an endless calendar would never stop
    assert pages < 2000 and all(c["pages"] <= 50 for c in trap_pages)


def test_a_huge_attachment_is_never_downloaded_whole(hostile_run):
    unit = unit_with(hostile_run.manifest, "huge_file")
    assert hostile_run.reachability_right(unit) and hostile_run.yielded(unit)
    assert hostile_run.snapshots[unit]["reachability"]["bytes"] < 32 * 1024 * 1024


@pytest.mark.parametrize("kind", ["bomb", "truncated"])
def test_a_photo_that_cannot_be_decoded_is_broken(hostile_run, kind):
    unit, leader = unit_with_photo(hostile_run.manifest, kind)
    broken = {f["subject"] for f in hostile_run.findings
              if f["unit_id"] == unit and f["check"] == "leader_photo_broken"}
    assert leader in broken
    assert hostile_run.reachability_right(unit)


def test_a_gbk_page_without_charset_header_keeps_its_chinese(hostile_run):
    unit = unit_with(hostile_run.manifest, "gbk_no_header")
    assert hostile_run.reachability_right(unit) and hostile_run.yielded(unit)
    names = {c["name"] for c in hostile_run.snapshots[unit]["columns"]}
    planted = {c["label"] for c in hostile_run.manifest["facts"][unit]["columns"]}
    assert names & planted, f"column names garbled: {sorted(names)[:5]}"


# --- bad input: one clear message, no traceback ---------------------------------------

def assert_clear_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr[-2000:]


def test_an_unknown_unit_is_refused_with_the_valid_ones(sandbox_web, tmp_path):
    result = scrapy_crawl("-a", "units=no_such_unit", "-s", f"DISCLOSURE_CONFIG={sandbox_web.config_path}",
                          "-s", f"DISCLOSURE_OUT={tmp_path}", timeout=60)
    assert_clear_refusal(result, "no_such_unit", "valid units")


def test_a_bad_as_of_date_is_refused(sandbox_web, tmp_path):
    result = scrapy_crawl("-s", "DISCLOSURE_AS_OF=2011-13-45", "-s", f"DISCLOSURE_CONFIG={sandbox_web.config_path}",
                          "-s", f"DISCLOSURE_OUT={tmp_path}", timeout=60)
    assert_clear_refusal(result, "DISCLOSURE_AS_OF", "2011-13-45")


@pytest.mark.parametrize("setting, shown", [("DISCLOSURE_UNITS_AT_ONCE=sixteen", "not a number"),
                                            ("DISCLOSURE_CONTENT_MAX_AGE_DAYS=1w", "not a number"),
                                            ("DISCLOSURE_REUSE_UNCHANGED=maybe", "not a switch")])
def test_a_setting_that_is_not_a_number_is_refused(sandbox_web, tmp_path, setting, shown):
    result = scrapy_crawl("-s", setting, "-s", f"DISCLOSURE_CONFIG={sandbox_web.config_path}",
                          "-s", f"DISCLOSURE_OUT={tmp_path}", timeout=60)
    assert_clear_refusal(result, setting.split("=")[0], shown)


def test_a_missing_config_file_is_refused(tmp_path):
    missing = tmp_path / "nowhere.toml"
    result = scrapy_crawl("-s", f"DISCLOSURE_CONFIG={missing}", "-s", f"DISCLOSURE_OUT={tmp_path}", timeout=60)
    assert_clear_refusal(result, str(missing))


def test_a_broken_sites_toml_names_file_key_and_problem(sandbox_web, tmp_path):
    text = sandbox_web.config_path.read_text(encoding="utf-8")
    bad = tmp_path / "sites.toml"
    bad.write_text(text.replace('kind = "乡镇"', 'kind = "村委会"', 1), encoding="utf-8")
    result = scrapy_crawl("-s", f"DISCLOSURE_CONFIG={bad}", "-s", f"DISCLOSURE_OUT={tmp_path / 'out'}", timeout=60)
    assert_clear_refusal(result, str(bad), "kind", "村委会")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "no run before a valid config"


def test_a_toml_syntax_error_is_refused(tmp_path):
    bad = tmp_path / "sites.toml"
    bad.write_text('[county\nname = "建始县"\n', encoding="utf-8")
    result = scrapy_crawl("-s", f"DISCLOSURE_CONFIG={bad}", "-s", f"DISCLOSURE_OUT={tmp_path}", timeout=60)
    assert_clear_refusal(result, str(bad))
