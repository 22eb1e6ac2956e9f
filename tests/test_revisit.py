"""Unchanged units keep the previous run's snapshot; changed, stale or doubtful ones are crawled again."""
from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler import revisit
from crawler.config import load_config
from crawler.runs import CHINA
from crawler.snapshot import empty_snapshot
from sandbox.generator import CHANGED_COLUMNS
from tests.crawling import REPO, crawl, run_dirs

NOW = datetime(2011, 9, 30, 2, 0, tzinfo=CHINA)


def previous(basis: str = "b", verified: datetime = NOW - timedelta(days=1), errors: dict | None = None,
             watched: int = 2, fetched: bool = True) -> dict:
    snapshot = empty_snapshot("u", "单位", "部门")
    snapshot["crawl"] = {"run_id": "20110929-020000", "verified": verified.isoformat(), "basis": basis}
    snapshot["reachability"].update(fetched=fetched, errors=errors or {})
    snapshot["watched_pages"] = [{"method": "GET", "url": f"http://x.gov.cn/{i}", "body": None,
                                  "status": 200, "digest": "d"} for i in range(watched)]
    return snapshot


@pytest.mark.parametrize("snapshot, reusable", [
    (previous(), True),
    (previous(errors={"http_404": 3, "soft_404": 1}), True),          # broken links stay broken: same facts
    (previous(basis="other"), False),                                  # config, limits or code changed
    (previous(verified=NOW - timedelta(days=7, seconds=1)), False),    # content not read for a week
    (previous(errors={"timeout": 1}), False),                          # a bad night is not carried over
    (previous(errors={"http_503": 1}), False),
    (previous(errors={"http_429": 1}), False),
    (previous(watched=0), False),                                      # nothing to ask again
    (previous(fetched=False), False),                                  # unreachable last time: try in full
])
def test_which_snapshots_may_be_reused(snapshot, reusable):
    assert revisit.reusable(snapshot, "b", NOW, max_age_days=7) is reusable


def response(url: str, body: bytes, status: int = 200, method: str = "GET", req_body: bytes = b"",
             redirected_from: str | None = None) -> HtmlResponse:
    meta = {"redirect_urls": [redirected_from]} if redirected_from else {}
    request = Request(url, method=method, body=req_body, meta=meta)
    return HtmlResponse(url, status=status, body=body, request=request)


def test_a_watched_page_is_asked_again_as_it_was_asked():
    page = revisit.watched_page(response("http://x.gov.cn/list", b"<p>1</p>", method="POST",
                                         req_body=b"page=2&col=7"))
    assert (page["method"], page["url"], page["body"], page["status"]) == ("POST", "http://x.gov.cn/list",
                                                                           "page=2&col=7", 200)
    assert revisit.unchanged(page, response("http://x.gov.cn/list", b"<p>1</p>"))
    assert not revisit.unchanged(page, response("http://x.gov.cn/list", b"<p>2</p>"))
    assert not revisit.unchanged(page, response("http://x.gov.cn/list", b"<p>1</p>", status=404))


def test_after_a_redirect_the_first_url_is_asked_again():
    page = revisit.watched_page(response("http://x.gov.cn/new/", b"", redirected_from="http://x.gov.cn/old/"))
    assert (page["method"], page["url"], page["body"]) == ("GET", "http://x.gov.cn/old/", None)


def test_the_basis_changes_with_the_units_config_the_limits_and_the_year():
    config = load_config(REPO / "config/sites.toml")
    unit = config.units[1]
    shared = revisit.config_digest(config, {"list": 50}, False)
    same = revisit.basis(shared, unit, NOW.date())
    assert same == revisit.basis(shared, unit, NOW.date() + timedelta(days=1))
    assert same != revisit.basis(shared, unit, NOW.date() + timedelta(days=365))
    assert same != revisit.basis(revisit.config_digest(config, {"list": 10}, False), unit, NOW.date())
    assert same != revisit.basis(revisit.config_digest(config, {"list": 50}, True), unit, NOW.date())
    assert same != revisit.basis(shared, config.units[2], NOW.date())


def test_a_carried_over_snapshot_names_the_crawl_its_facts_come_from():
    first = previous()
    second = revisit.carried_over(first, {"run_id": "20110930-020000", "started": "s", "finished": "f"})
    third = revisit.carried_over(second, {"run_id": "20111001-020000", "started": "s", "finished": "f"})
    assert second["crawl"]["reused_from"] == third["crawl"]["reused_from"] == "20110929-020000"
    assert third["crawl"]["verified"] == first["crawl"]["verified"] and third["crawl"]["run_id"] == "20111001-020000"
    assert {k: v for k, v in third.items() if k != "crawl"} == {k: v for k, v in first.items() if k != "crawl"}


# --- against the sandbox -------------------------------------------------------------------------

CHANGED = "jiaoyuju"        # revision 1 adds a 工作动态 article to it (sandbox.generator.CHANGED_COLUMNS)


def nightly(sandbox_web, out: Path, units: list[str], *settings: str) -> subprocess.CompletedProcess:
    from tests.test_nightly import nightly_command
    command = nightly_command(sandbox_web, out, units)
    for setting in settings:
        command += ["-s", setting]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def snapshots(run_dir: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (run_dir / "snapshots").glob("*.json")}


def without_crawl(snapshot: dict) -> dict:
    return {k: v for k, v in snapshot.items() if k != "crawl"}


@pytest.mark.timeout(600)
def test_unchanged_units_are_reused_changed_ones_crawled_again(sandbox_web, tmp_path):
    from tests.test_nightly import calm_units
    out = tmp_path / "runs"
    changed = {unit for unit, _ in CHANGED_COLUMNS}
    assert CHANGED in changed
    units = [CHANGED, *[u for u in calm_units(sandbox_web.manifest, 8) if u not in changed][:2]]
    nightly(sandbox_web, out, units)
    with sandbox_web.revision(1):
        second = nightly(sandbox_web, out, units)
    first_run, second_run = run_dirs(out)
    before, after = snapshots(first_run), snapshots(second_run)
    assert set(after) == set(units)
    for unit in units[1:]:
        assert after[unit]["crawl"]["reused_from"] == first_run.name
        assert after[unit]["crawl"]["verified"] == before[unit]["crawl"]["verified"]
        assert without_crawl(after[unit]) == without_crawl(before[unit])
    assert after[CHANGED]["crawl"]["reused_from"] is None, "a unit with a new article is crawled in full"
    news = [e["title"] for c in after[CHANGED]["columns"] if c["reference"] == "工作动态" for e in c["entries"]]
    assert any("（第1批）" in title for title in news)
    assert "'disclosure/units_reused': 2" in second.stderr

    # a week without reading the content: everything is crawled in full again
    third = nightly(sandbox_web, out, units, "DISCLOSURE_CONTENT_MAX_AGE_DAYS=0")
    assert "disclosure/units_reused" not in third.stderr
    assert all(s["crawl"]["reused_from"] is None for s in snapshots(run_dirs(out)[-1]).values())


@pytest.mark.timeout(600)
def test_units_at_once_caps_the_units_in_flight(sandbox_web, tmp_path):
    from tests.test_nightly import calm_units
    units = calm_units(sandbox_web.manifest, 3)
    crawl(sandbox_web, tmp_path / "runs", ",".join(units), DISCLOSURE_UNITS_AT_ONCE="1")
    (run,) = run_dirs(tmp_path / "runs")
    spans = sorted((s["crawl"]["started"], s["crawl"]["finished"]) for s in snapshots(run).values())
    assert len(spans) == 3
    for (_, finished), (started, _) in zip(spans, spans[1:]):
        assert started >= finished, f"a unit started ({started}) before the one before it was done ({finished})"
