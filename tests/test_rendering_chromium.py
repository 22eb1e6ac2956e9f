"""Rendering against real Chromium (/usr/bin/chromium): a crawl of a script-drawn town site
(tests/render_web.py) sees its menu, lists (with a click-only 下一页), leader cards and
mailbox letters; the same site served as plain HTML gives the same facts and renders nothing;
without Chromium the crawl goes on with one warning and marks the unit not fully audited."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.crawling import BASE_SETTINGS, REPO
from tests.render_web import LEADERS, LETTERS, RenderWeb, config_text, start_web

CHROMIUM = Path("/usr/bin/chromium")
PORTS = range(19840, 19870)




def crawl(web: RenderWeb, out: Path, **settings) -> tuple[dict, str]:
    config = out / "render.toml"
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(web, (REPO / "config/sandbox.toml").read_text(encoding="utf-8")), encoding="utf-8")
    settings = {"DISCLOSURE_CONFIG": str(config), "DISCLOSURE_OUT": str(out / "runs"), "DISCLOSURE_AS_OF": "2011-09-30",
                "HTTPCACHE_DIR": str(out / "httpcache"), **BASE_SETTINGS, **settings}
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 3), done.stderr[-5000:]
    snapshot = json.loads((out / "runs/latest/snapshots/longtan.json").read_text(encoding="utf-8"))
    return snapshot, done.stderr


def facts(snapshot: dict) -> dict:
    return {"columns": {c["reference"]: sorted(urlsplit(e["url"]).path for e in c["entries"])
                        for c in snapshot["columns"]},
            "leaders": [(l["name"], l["post"]) for l in snapshot["leaders"]],
            "letters": sorted((l["title"], l["received"], l["status"]) for l in snapshot["mailbox"]["letters"])}


@pytest.fixture(scope="module")
def drawn_web():
    web = start_web(False, PORTS)
    yield web
    web.stop()


@pytest.fixture(scope="module")
def rendered_crawl(drawn_web, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    return crawl(drawn_web, tmp_path_factory.mktemp("rendered"))


def test_a_crawl_reads_what_scripts_draw(rendered_crawl):
    snapshot, log = rendered_crawl
    found = facts(snapshot)
    assert len(found["columns"]["通知公告"]) == 25        # three list pages, two reached by clicking 下一页
    assert len(found["columns"]["工作动态"]) == 7 and len(found["columns"]["政策文件"]) == 12
    clicked = next(c for c in snapshot["columns"] if c["reference"] == "工作动态")
    assert "disclosure_render_click=" in clicked["url"]      # a menu item without an address, clicked
    assert found["leaders"] == [(n, p) for n, p, _ in LEADERS]
    assert found["letters"] == sorted(LETTERS)
    assert snapshot["crawl"]["rendered"] >= 7 and snapshot["unread"] == []
    assert "'disclosure/rendered':" in log
    assert "not_fully_audited=0," in log and f"rendered={snapshot['crawl']['rendered']}," in log   # run summary


def test_the_same_site_served_as_html_gives_the_same_facts_without_rendering(rendered_crawl, tmp_path):
    web = start_web(True, PORTS)
    try:
        snapshot, log = crawl(web, tmp_path)
    finally:
        web.stop()
    assert facts(snapshot) == facts(rendered_crawl[0])
    assert snapshot["crawl"]["rendered"] == 0 and "disclosure/render" not in log


def test_without_chromium_one_warning_and_the_unit_is_not_fully_audited(drawn_web, tmp_path):
    snapshot, log = crawl(drawn_web, tmp_path, DISCLOSURE_RENDER_EXECUTABLE=str(tmp_path / "no-chromium"))
    warnings = [line for line in log.splitlines() if "WARNING" in line and "render" in line]
    assert len(warnings) == 1 and "Chromium could not be started" in warnings[0]
    assert snapshot["crawl"]["rendered"] == 0
    assert {(u["kind"], u["why"]) for u in snapshot["unread"]} >= {("section", "not_rendered"),
                                                                   ("mailbox", "not_rendered")}
    report = (tmp_path / "runs/latest/report.html").read_text(encoding="utf-8")
    assert "未完整审计" in report and "未能用浏览器渲染" in report
    findings = (tmp_path / "runs/latest/findings.csv").read_text(encoding="utf-8-sig")
    assert "column_missing" not in findings and "coverage_narrow" not in findings   # no claim about unseen pages
    assert "not_fully_audited=1" in log


def test_rendering_switched_off_leaves_the_middleware_out(drawn_web, tmp_path):
    snapshot, log = crawl(drawn_web, tmp_path, DISCLOSURE_RENDER="0")
    assert "crawler.rendering.RenderMiddleware" not in log.split("Enabled downloader middlewares")[1].split("]")[0]
    assert snapshot["crawl"]["rendered"] == 0


def test_the_sandbox_crawl_renders_no_page(sandbox_run):
    """The cost rule: the simulated county's template families serve their content as HTML
    (script pagers, datastores, onclick leader cards included); none of their pages is rendered."""
    run_dir, log = sandbox_run
    assert "disclosure/render" not in log
    assert json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["summary"]["rendered"] == 0


def test_an_unchanged_drawn_unit_is_reused_the_next_night(drawn_web, tmp_path):
    """A nightly revisit renders its watched pages as the crawl did, so a rendered page that shows
    the same is the same (not a full crawl every night)."""
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    first, _ = crawl(drawn_web, tmp_path)
    second, log = crawl(drawn_web, tmp_path, DISCLOSURE_REUSE_UNCHANGED="1")
    assert "'disclosure/units_reused': 1" in log
    assert facts(second) == facts(first)
