"""report.html: escaping checked in the text, then the page driven in a real headless Chromium."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crawler.snapshot import read_snapshot, read_snapshots, write_snapshot
from reports.html import safe_image_uri
from reports.run import write_reports
from tests.reports_sample import (HOSTILE_IMG, HOSTILE_TITLE, UNITS, sample_config, sample_findings,
                                  sample_snapshots, write_sample_run)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


def _write_run(tmp_path: Path) -> Path:
    run_dir = write_sample_run(tmp_path)
    snapshot_path = run_dir / "snapshots" / "guoshui.json"
    snapshot = read_snapshot(snapshot_path)
    # hostile values where a URL or an image is expected
    snapshot["unit"]["entry_url"] = "javascript:window.__pwned=1"
    snapshot["leaders"][0]["photo"]["thumbnail"] = 'data:image/png;base64,AAAA" onerror="window.__pwned=1'
    write_snapshot(snapshot_path, snapshot)
    findings = sample_findings()
    previous = [replace(f, status="") for f in findings[:3]]
    previous.append(replace(findings[3], subject="已调走的领导", status=""))
    for f in findings:
        f.status = "persisting" if f.key in {p.key for p in previous} else "new"
    write_reports(run_dir, findings, read_snapshots(run_dir), sample_config(), date(2011, 9, 30),
                  run_dir.name, previous, "20110830-020000")
    return run_dir / "report.html"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return _write_run(tmp_path_factory.mktemp("run"))


def test_crawled_strings_are_escaped_and_urls_filtered(report):
    page = report.read_text(encoding="utf-8")
    assert HOSTILE_TITLE not in page and HOSTILE_IMG not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    # every src is an inline image: nothing is fetched when the page is viewed
    assert all(src.startswith("data:image/") for src in re.findall(r'src="([^"]*)"', page))
    assert "onerror=\"window" not in page
    assert "信箱</a>办件 2 件（未受理 2）" in page                    # 地税局's mailbox summary
    assert "<div>附件 doc</div><div class=measure>23.0 KB，文件类型 Office文档</div>" in page


@pytest.mark.parametrize("uri,ok", [("data:image/png;base64,iVBORw0KGgo=", True),
                                    ("data:image/svg+xml;base64,PHN2Zz4=", False),
                                    ("http://x.invalid/a.png", False),
                                    ('data:image/png;base64,AA" onload="x', False)])
def test_only_base64_raster_thumbnails_are_used(uri, ok):
    assert (safe_image_uri(uri) == uri) is ok


def test_changes_section_lists_resolved_findings(report):
    page = report.read_text(encoding="utf-8")
    assert "与上次检查（运行编号 20110830-020000）相比" in page
    assert "已调走的领导" in page                      # in the resolved table
    assert (report.parent / "resolved.csv").read_text(encoding="utf-8-sig").count("已调走的领导") == 1


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                                   "--disable-background-networking", "--disable-component-update",
                                                   "--disable-sync"])
        yield browser
        browser.close()


def test_report_in_chromium(report, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    assert errors == []
    assert requests == [report.as_uri()]
    assert page.evaluate("window.__pwned") is None
    body = page.inner_text("body")
    assert HOSTILE_TITLE in body and HOSTILE_IMG in body

    thumbs = page.eval_on_selector_all("figure.shot img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(thumbs) == 2 and all(width > 0 for width in thumbs)   # the hostile thumbnail was dropped

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)

    def visible_units():
        return page.eval_on_selector_all("#units-table tbody tr:not([hidden]) td:first-child",
                                         "cells => cells.map(c => c.textContent)")
    assert len(visible_units()) == len(UNITS)
    page.fill("#filter-text", "茅田")
    assert visible_units() == ["茅田乡"]
    page.fill("#filter-text", "")
    page.select_option("#filter-kind", "县直部门")
    assert visible_units() == ["国税局", "地税局", "工商局", "信访局"]
    page.select_option("#filter-check", "mailbox_backlog")
    assert visible_units() == ["地税局"]
    page.select_option("#filter-kind", "")
    page.click("#checks a[data-check='site_stale']")           # the per-check view leads to its units
    assert visible_units() == ["茅田乡"]
    page.select_option("#filter-check", "")
    def finding_counts():
        return page.eval_on_selector_all("#units-table tbody tr td:nth-child(5)",
                                         "cells => cells.map(c => Number(c.textContent))")
    page.click("#units-table th:has-text('问题数')")          # the first click puts the most problems first
    assert finding_counts() == sorted(finding_counts(), reverse=True) and finding_counts()[0] == 2
    page.click("#units-table th:has-text('问题数')")
    assert finding_counts() == sorted(finding_counts()) and finding_counts()[0] == 0
    page.click("figure.shot img >> nth=0")                      # evidence opens large
    assert page.evaluate("document.getElementById('zoom').open")
    assert page.evaluate("document.getElementById('zoom-img').getBoundingClientRect().width") >= 300
    page.close()


def test_many_findings_of_one_check_fold_away(tmp_path):
    from reports.html import SHOWN_PER_CHECK, _findings_table
    link = sample_findings()[0]
    many = [replace(link, check="link_broken", subject=f"附件{i}") for i in range(SHOWN_PER_CHECK + 12)]
    table = _findings_table(many + [replace(link, subject="首页")])
    shown, folded = table.split("<details>")
    assert shown.count("<tr>") == 1 + SHOWN_PER_CHECK + 1       # header, 8 broken links, the other check
    assert "另有 12 处同类问题" in folded and folded.count("<tr>") == 1 + 12


def test_freshness_table_judges_each_reference_column():
    from audits.freshness import unit_freshness
    from reports.html import ReportData, freshness_table
    snapshots, as_of = sample_snapshots(), date(2011, 9, 30)
    data = ReportData(config=sample_config(), as_of=as_of, run_id="r", snapshots=snapshots,
                      findings=[], resolved=[], previous_run_id=None,
                      freshness={s["unit"]["id"]: unit_freshness(s, sample_config(), as_of) for s in snapshots})
    rows = {re.search(r'#unit-(\w+)', row).group(1): row for row in freshness_table(data).split("<tr>")[2:]}
    assert '<td class="cell late" title="最近更新 2011-03-02，应不超过14天">212</td>' in rows["maotian"]
    assert rows["changliang"].count("cell absent") == 3 and '">29</td>' in rows["changliang"]
    assert '>2人</td>' in rows["guoshui"]                      # leaders counted, not "empty"
    assert "未能抓取" in rows["yezhou"]


def test_the_report_shows_freshness_as_the_audits_judged_it():
    """A column whose only date is a typo (2101) is stale in findings.csv: never a green cell here."""
    from audits import columns as column_audit
    from audits.freshness import unit_freshness
    from reports.html import _freshness_cell
    snapshots, config, as_of = sample_snapshots(), sample_config(), date(2011, 9, 30)
    unit = next(s for s in snapshots if s["unit"]["id"] == "maotian")
    for column in unit["columns"]:
        for entry in column["entries"]:
            entry["date"] = "2101-01-01"
        column["newest"] = "2101-01-01"
    records = {r.column: r for r in unit_freshness(unit, config, as_of)}
    stale = {f.column for f in column_audit.audit(unit, config, as_of) if f.check == "column_stale"}
    assert stale
    for name in stale:
        assert records[name].state == "undated"
        assert 'class="cell undated"' in _freshness_cell(records[name]) and "2101" not in _freshness_cell(records[name])
