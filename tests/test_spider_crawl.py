"""The whole crawl, for real: `scrapy crawl disclosure` in a subprocess against the served sandbox.

- a full crawl gives every unit a complete snapshot, reachability as the sandbox
  planted it, and the extraction-accuracy script meets its targets on it;
- a bad config or an unknown unit stops the run before any request, without a traceback;
- a crawl interrupted by SIGINT and resumed from its JOBDIR gives the same snapshots
  as an uninterrupted one;
- a second crawl with the HTTP cache revalidates (304s in Scrapy's stats), and after
  the sandbox switches revision the changed columns are picked up.
"""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.runs import is_complete, run_info
from crawler.snapshot import Snapshot, read_snapshot, read_snapshots
from sandbox.generator import CHANGED_COLUMNS
from tests.crawling import CRAWL_TIMEOUT, REPO, crawl, crawl_command, run_dirs

SNAPSHOT_KEYS = {f.name for f in fields(Snapshot)}        # the one definition (crawler/snapshot.py)


def stat(log: str, name: str) -> int:
    found = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(found.group(1)) if found else 0


def content(snapshot: dict) -> dict:
    """A snapshot without the when of its crawl, its lists in a fixed order (pages answer in any order)."""
    def canonical(value):
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False))
        return value
    return canonical({k: v for k, v in snapshot.items() if k != "crawl"})


def ordinary_units(manifest: dict, count: int) -> list[str]:
    """Units of sites with no hostile behaviour, one per template family first."""
    calm = [u for u in manifest["units"] if not u["hostile"] and u["own_site"]]
    by_family = {}
    for unit in calm:
        by_family.setdefault(unit["family"], unit["id"])
    chosen = list(by_family.values()) + [u["id"] for u in calm if u["id"] not in by_family.values()]
    return chosen[:count]


def test_every_unit_gets_a_complete_snapshot(sandbox_run, sandbox_web):
    run_dir, log = sandbox_run
    manifest = sandbox_web.manifest
    snapshots = {s["unit"]["id"]: s for s in read_snapshots(run_dir)}
    assert set(snapshots) == {u["id"] for u in manifest["units"]}
    for snapshot in snapshots.values():
        assert set(snapshot) == SNAPSHOT_KEYS
        assert snapshot["crawl"]["as_of"] == manifest["as_of"]
    assert not (run_dir / "partial").exists()           # every unit was written
    assert is_complete(run_dir) and (run_dir.parent / "latest").resolve() == run_dir.resolve()
    assert (run_dir / "findings.csv").exists()
    assert re.search(r"unit \d+/\d+ done: \S+ pages=\d+ errors=\d+", log)
    # links to sites outside the county are neither fetched nor recorded
    county_hosts = {urlsplit(site.origin).netloc for site in sandbox_web.web.sites}
    checked_hosts = {urlsplit(l["url"]).netloc for s in snapshots.values() for l in s["links"]}
    assert checked_hosts <= county_hosts
    assert "units of this crawl:" in log


def test_reachability_is_what_the_sandbox_planted(sandbox_run, sandbox_web):
    run_dir, _ = sandbox_run
    expected = {"down": ("error", "refused"), "redirect_loop": ("error", "redirect_loop"),
                "server_error": ("error", "http"), "robots_disallow": ("blocked", "robots"),
                "anti_crawler_412": ("blocked", "anti_crawler")}
    seen = set()
    for unit in sandbox_web.manifest["units"]:
        reach = read_snapshot(run_dir / "snapshots" / f"{unit['id']}.json")["reachability"]
        planted = [h for h in unit["hostile"] if h in expected]
        if not planted:
            continue
        field, value = expected[planted[0]]
        assert reach[field] == value, (unit["id"], planted, reach)
        assert not reach["fetched"]
        seen.add(planted[0])
    assert seen, "the sandbox planted no unreachable or blocked site"


def test_hostile_behaviours_are_absorbed(sandbox_run, sandbox_web):
    """Flaky servers, resets, a huge attachment, an endless calendar, a slow site, a decompression
    bomb: each unit is still read in full, without a failure left over or a big download."""
    run_dir, _ = sandbox_run
    absorbed = {"flaky_5xx", "reset", "huge_file", "calendar_trap", "slow", "bomb_image"}
    checked = set()
    for unit in sandbox_web.manifest["units"]:
        planted = absorbed & set(unit["hostile"])
        if not planted:
            continue
        snapshot = read_snapshot(run_dir / "snapshots" / f"{unit['id']}.json")
        reach = snapshot["reachability"]
        assert reach["fetched"] and not reach["errors"], (unit["id"], planted, reach)
        assert reach["bytes"] < 20 * 1024 * 1024       # the huge attachment was never pulled in
        assert reach["pages"] < 2000                    # no endless calendar
        if "bomb_image" in planted:
            assert any(l["photo"] and l["photo"]["error"] for l in snapshot["leaders"])
        checked |= planted
    assert checked == absorbed, f"the sandbox planted none of {absorbed - checked}"


def test_gbk_pages_with_charset_only_in_meta_read_right(sandbox_run, sandbox_web):
    run_dir, _ = sandbox_run
    facts = sandbox_web.manifest["facts"]
    gbk = [u for u in sandbox_web.manifest["units"] if "gbk_no_header" in u["hostile"]
           and facts[u["id"]]["reachable"] and not facts[u["id"]]["blocked"]]
    if not gbk:
        pytest.skip("no GBK site in this sandbox")
    for unit in gbk:
        snapshot = read_snapshot(run_dir / "snapshots" / f"{unit['id']}.json")
        truth = {c["label"].strip() for c in facts[unit["id"]]["columns"]}
        assert truth & {c["name"].strip() for c in snapshot["columns"]}, snapshot["columns"]


def test_extraction_accuracy_meets_targets(sandbox_run, sandbox_web):
    run_dir, _ = sandbox_run
    scored = subprocess.run([sys.executable, "-m", "sandbox.score_extraction", str(run_dir),
                             "--manifest", str(sandbox_web.manifest_path)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    print(scored.stdout)
    assert scored.returncode == 0, scored.stdout[-8000:]


def test_config_override_adds_a_column_at_the_address_given(tmp_path, sandbox_web, sandbox_run):
    """overrides.column_urls: a reference column read where the config says, menu or not."""
    run_dir, _ = sandbox_run
    unit = ordinary_units(sandbox_web.manifest, 1)[0]
    hosted = next(u["id"] for u in sandbox_web.manifest["units"] if not u["own_site"])
    borrowed = next(c for c in read_snapshot(run_dir / "snapshots" / f"{hosted}.json")["columns"]
                    if c["entry_count"] > 0)
    text = sandbox_web.config_path.read_text(encoding="utf-8")
    block_end = text.find("[[units]]", text.index(f'id = "{unit}"'))
    override = f'[units.overrides]\ncolumn_urls = {{ "应急管理" = "{borrowed["url"]}" }}\n\n'
    config = tmp_path / "sites.toml"
    config.write_text(text[:block_end] + override + text[block_end:] if block_end != -1 else text + override,
                      encoding="utf-8")
    crawl(sandbox_web, tmp_path / "out", unit, DISCLOSURE_CONFIG=str(config), DISCLOSURE_INCREMENTAL="0")
    (out_run,) = run_dirs(tmp_path / "out")
    snapshot = read_snapshot(out_run / "snapshots" / f"{unit}.json")
    added = next(c for c in snapshot["columns"] if c["url"] == borrowed["url"])
    assert added["reference"] == "应急管理"
    assert added["entry_count"] == borrowed["entry_count"]


def test_bad_config_stops_before_any_request(tmp_path, sandbox_web):
    bad = tmp_path / "sites.toml"
    bad.write_text('[county]\nname = ""\n[[units]]\nid = "Bad Id"\nname = "x"\nkind = "村"\n', encoding="utf-8")
    done = subprocess.run(crawl_command(sandbox_web, tmp_path / "out", DISCLOSURE_CONFIG=str(bad)),
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert str(bad) in done.stderr and "units" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()               # no run folder: nothing was crawled


def test_unknown_unit_is_a_clear_error(tmp_path, sandbox_web):
    done = subprocess.run(crawl_command(sandbox_web, tmp_path / "out", units="no_such_unit"),
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "no_such_unit" in done.stderr and "valid units:" in done.stderr
    assert "Traceback" not in done.stderr


def test_interrupted_crawl_resumes_to_the_same_snapshots(tmp_path, sandbox_web, sandbox_run):
    whole, _ = sandbox_run                                  # the uninterrupted crawl
    units = ",".join(ordinary_units(sandbox_web.manifest, 3))
    # slow enough to be caught halfway, with no cache so it fetches everything itself
    slow = {"DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "AUTOTHROTTLE_ENABLED": "0",
            "DISCLOSURE_INCREMENTAL": "0"}
    out, jobdir = tmp_path / "resumed", tmp_path / "job"
    command = crawl_command(sandbox_web, out, units, JOBDIR=str(jobdir), **slow)
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_facts(out, first)
    first.send_signal(signal.SIGINT)
    _, log = first.communicate(timeout=CRAWL_TIMEOUT)
    assert "Spider closed (shutdown)" in log
    (run_dir,) = run_dirs(out)
    assert not is_complete(run_dir)
    assert len(list((run_dir / "snapshots").glob("*.json"))) < len(units.split(","))

    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    assert "Resuming crawl" in again.stderr
    assert run_dirs(out) == [run_dir]                    # the same run folder, finished
    assert is_complete(run_dir)
    resumed = {s["unit"]["id"]: content(s) for s in read_snapshots(run_dir)}
    uninterrupted = {s["unit"]["id"]: content(s) for s in read_snapshots(whole) if s["unit"]["id"] in resumed}
    assert len(resumed) == 3
    assert resumed == uninterrupted
    assert run_info(run_dir)["run_id"] == run_dir.name


def wait_for_facts(out: Path, process: subprocess.Popen, lines: int = 30) -> None:
    """Until the crawl has written some facts but has not finished."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        written = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in out.glob("*/partial/*.jsonl"))
        if written >= lines:
            return
        time.sleep(0.05)
    raise AssertionError("the crawl wrote no facts in time")


def test_second_crawl_revalidates_and_picks_up_changes(tmp_path, sandbox_web):
    portal = next(u["id"] for u in sandbox_web.manifest["units"] if u["kind"] == "门户")
    changed = [(unit_id, reference) for unit_id, reference in CHANGED_COLUMNS if unit_id != portal][:2]
    units = ",".join(unit_id for unit_id, _ in changed)       # two small units: three crawls of them
    first = crawl(sandbox_web, tmp_path, units)
    second = crawl(sandbox_web, tmp_path, units)
    # conditional requests answered 304: most pages of the second crawl (the first one only
    # revalidates the pages that two units share, such as the portal's)
    pages = stat(second.stderr, "response_received_count")
    assert stat(second.stderr, "httpcache/revalidate") > max(pages / 2, stat(first.stderr, "httpcache/revalidate"))
    # what was revalidated is what was fetched: the unchanged web gives the same snapshots
    once, twice = run_dirs(tmp_path)
    for unit_id, _ in changed:
        assert content(read_snapshot(twice / "snapshots" / f"{unit_id}.json")) == \
            content(read_snapshot(once / "snapshots" / f"{unit_id}.json"))
    with sandbox_web.revision(1):
        truth = sandbox_web.manifest["facts"]
        crawl(sandbox_web, tmp_path, units)
    before, _, after = run_dirs(tmp_path)
    for unit_id, reference in changed:
        old = column_of(read_snapshot(before / "snapshots" / f"{unit_id}.json"), reference)
        new = column_of(read_snapshot(after / "snapshots" / f"{unit_id}.json"), reference)
        wanted = next(c for c in truth[unit_id]["columns"] if c["reference"] == reference)
        assert new["entry_count"] == old["entry_count"] + 1 == wanted["entries"]
        assert new["newest"] == wanted["newest"]


def column_of(snapshot: dict, reference: str) -> dict:
    return next(c for c in snapshot["columns"] if c["reference"] == reference)


def test_https_sites_are_audited_and_their_certificates_reported(sandbox_run, sandbox_web):
    """The sandbox serves four sites over TLS (a valid certificate from its CA, a self-signed one,
    an expired one, one for another name): each is crawled and audited like any other, and
    site_certificate_invalid names exactly the three bad ones, with what is wrong."""
    from reports.csvs import read_findings_csv
    run_dir, _ = sandbox_run
    planted = {u["id"]: u["tls"] for u in sandbox_web.manifest["units"] if u["tls"]}
    assert sorted(planted.values()) == ["expired", "name_mismatch", "self_signed", "valid"]
    for unit_id, state in planted.items():
        snapshot = read_snapshot(run_dir / "snapshots" / f"{unit_id}.json")
        reach, certificate = snapshot["reachability"], snapshot["reachability"]["certificate"]
        assert reach["fetched"] and reach["pages"] > 20 and snapshot["columns"], unit_id
        assert snapshot["unit"]["entry_url"].startswith("https://")
        assert certificate["problems"] == ([] if state == "valid" else [state]), (unit_id, certificate)
    findings = read_findings_csv(run_dir / "findings.csv")
    found = {(f.unit_id, f.observed.split("（")[0]) for f in findings if f.check == "site_certificate_invalid"}
    assert found == {("jiaotongju", "自签名证书"), ("zhujianju", "证书已过期"), ("liangshiju", "证书与域名不符")}
    truth = {(d["unit_id"], d["check"]) for d in sandbox_web.manifest["defects"] if d["unit_id"] in planted}
    audited = {(f.unit_id, f.check) for f in findings if f.unit_id in planted}
    assert audited == truth          # their content judged as planted: backlog, leaders, flowcharts ...
    assert len({check for _, check in truth}) > 4
    bulletin = (run_dir / "bulletin.md").read_text(encoding="utf-8")
    internet = bulletin.split("互联网建设", 1)[1]
    assert "网站证书无效" in internet and all(name in internet for name in ("交通局", "住建局", "粮食局"))
