"""Outputs people use as they are: verdicts, workbooks (openpyxl), the bulletin as PDF (LibreOffice),
report.html in Chromium at 1400 px, 390 px and in print, and runs that are no baseline."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audits import judge_units
from crawler.config import ConfigError, load_config
from crawler.runs import is_baseline, previous_baseline_run, write_run_info
from crawler.snapshot import read_snapshots
from reports.run import finish_run, write_reports
from tests.reports_sample import sample_config, sample_findings, sample_snapshots, sample_toml, write_sample_run

AS_OF = date(2011, 9, 30)
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ENGLISH_CODES = ("not_image", "http_404", "persisting", "anti_crawler", "redirect_loop", "refused", "high", "medium")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    run_dir = write_sample_run(tmp_path_factory.mktemp("out"))
    findings = sample_findings()
    findings += [replace(findings[6], subject=f"来信{i}") for i in range(5)]     # 6 overdue letters at 地税局
    findings = [replace(f, url=f"http://{f.unit_id}.example.invalid/page") for f in findings]
    write_reports(run_dir, findings, read_snapshots(run_dir), sample_config(), AS_OF, run_dir.name, None, None)
    return run_dir


def test_verdicts_name_vetoes_and_count_letters_once(run_dir):
    verdicts = {v["unit_id"]: v for v in json.loads((run_dir / "verdicts.json").read_text(encoding="utf-8"))}
    assert verdicts["yezhou"]["verdict"] == "不合格" and verdicts["yezhou"]["vetoes"] == ["网站无法访问"]
    assert verdicts["yezhou"]["score"] is None
    dishui = verdicts["dishui"]
    assert dishui["verdict"] == "不合格" and "信箱有6件来信超过90天未受理或未答复" in dishui["vetoes"]
    assert dishui["findings"] == 7 and dishui["problems"] == 2          # six letters count once
    assert dishui["deductions"]["mailbox_backlog"] == 10
    assert verdicts["guoshui"]["verdict"] == "合格" and verdicts["guoshui"]["score"] == 97
    ranks = sorted(verdicts.values(), key=lambda v: v["rank"])
    assert [v["verdict"] for v in ranks] == sorted((v["verdict"] for v in ranks), key=["合格", "不合格", "无法评定"].index)


def test_unit_workbook_reads_as_a_coordinator_needs(run_dir):
    book = load_workbook(run_dir / "workbooks" / "国税局.xlsx")
    sheet = book["问题清单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "问题说明")
    assert rows[header][:4] == ["问题说明", "整改要求", "问题页面", "问题类型"]
    assert any("评定结果：合格" in str(r[0]) for r in rows[:header])
    first = sheet.cell(row=header + 2, column=1)
    assert first.value.startswith("领导照片分辨率过低")
    assert rows[header + 1][6] == "48×64" and rows[header + 1][7] == "不低于 150×200"
    assert rows[header + 1][8] == "轻微" and rows[header + 1][9] == "首次检查"
    link = sheet.cell(row=header + 2, column=3)
    assert link.hyperlink is not None and link.hyperlink.target.startswith("http://") and link.value == "打开页面"
    cells = " ".join(str(c) for r in rows for c in r if c is not None)
    assert not any(code in cells for code in ENGLISH_CODES)
    clean = load_workbook(run_dir / "workbooks" / "信访局.xlsx")["问题清单"]
    assert any(row[0].value == "未发现问题" for row in clean.iter_rows())


def test_office_workbook_ranks_units_and_has_a_sheet_per_check(run_dir):
    book = load_workbook(run_dir / "workbooks" / "检查结果汇总.xlsx")
    assert book.sheetnames[:2] == ["单位评定", "全部问题"] and "信箱办件未受理" in book.sheetnames
    ranking = book["单位评定"]
    assert [c.value for c in ranking[1]][:5] == ["排名", "单位", "类型", "评定结果", "得分"]
    dishui = next(r for r in ranking.iter_rows(min_row=2) if r[1].value == "地税局")
    assert dishui[3].value == "不合格" and "信箱有6件来信" in dishui[5].value and dishui[7].value == 2
    assert dishui[8].hyperlink.target == "地税局.xlsx"
    letters = book["信箱办件未受理"]
    assert letters.cell(row=2, column=1).value == "地税局"
    assert letters.cell(row=2, column=2).value.startswith("信箱来信超过90天")


def test_bulletin_prints_on_a4_with_libreoffice(run_dir, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed (scripts/install-system-deps.sh)")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(run_dir / "bulletin.docx")], check=True, timeout=120,
                   capture_output=True)
    pdf = (tmp_path / "bulletin.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all((round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) == (210, 297) for w, h in boxes)
    assert len(boxes) >= 2 - 1
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "bulletin.pdf", ARTIFACTS / "bulletin.pdf")


def test_a_limited_run_is_no_baseline_and_not_latest(tmp_path):
    out = tmp_path / "runs"
    config_path = tmp_path / "sample.toml"
    config_path.write_text(sample_toml(), encoding="utf-8")
    config = load_config(config_path)
    full = write_sample_run(out, "20110929-020000")
    write_run_info(full, run_id=full.name, units=[u.id for u in config.units])
    finish_run(full, config, AS_OF)
    limited = write_sample_run(out, "20110930-020000")
    for p in (limited / "snapshots").iterdir():
        if p.stem not in ("maotian", "guoshui"):
            p.unlink()
    write_run_info(limited, run_id=limited.name, units=["maotian", "guoshui"])
    finish_run(limited, config, AS_OF)
    assert not is_baseline(limited) and (out / "latest").resolve() == full.resolve()
    later = write_sample_run(out, "20111001-020000")
    write_run_info(later, run_id=later.name, units=[u.id for u in config.units])
    assert previous_baseline_run(later) == full
    finish_run(later, config, AS_OF)
    findings = (later / "findings.csv").read_text(encoding="utf-8-sig")
    assert ",new\r\n" not in findings                  # compared with the full run, nothing is new
    assert (out / "latest").resolve() == later.resolve()


def test_a_run_where_most_units_failed_is_not_latest_and_says_so(tmp_path):
    out = tmp_path / "runs"
    config_path = tmp_path / "sample.toml"
    config_path.write_text(sample_toml(), encoding="utf-8")
    config = load_config(config_path)
    good = write_sample_run(out, "20110929-020000")
    finish_run(good, config, AS_OF)
    bad = write_sample_run(out, "20110930-020000")
    for p in sorted((bad / "snapshots").iterdir())[1:]:      # all but one: "no unit read" is test_fail_loudly's
        snapshot = json.loads(p.read_text(encoding="utf-8"))
        snapshot["reachability"].update(fetched=False, error="dns", status=None)
        p.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    finish_run(bad, config, AS_OF)
    assert (out / "latest").resolve() == good.resolve()
    assert "本次检查未能正常完成" in (bad / "report.html").read_text(encoding="utf-8")
    from crawler.monitoring import alerts, summarize
    snapshots = read_snapshots(bad)
    lines = alerts(snapshots, read_snapshots(good), summarize(snapshots, 1.0), 0.99)
    assert len(lines) == 1 and "failed as a whole" in lines[0]


def test_verdict_and_bulletin_config_are_validated(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(sample_toml() + '[verdict]\nveto_stale_days = -1\nweights = { link_brokn = 1 }\n'
                    '[bulletin]\ndeadline = "2011-13-01"\nofice = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    lines = error.value.problems
    assert f"{path}: verdict.veto_stale_days: -1 is out of range (must be >= 0)" in lines
    assert f"{path}: verdict.weights.link_brokn: not a check id (did you mean 'link_broken'?)" in lines
    assert f"{path}: bulletin.deadline: '2011-13-01' is not a date (YYYY-MM-DD)" in lines
    assert f"{path}: bulletin.ofice: unknown key (did you mean 'office'?)" in lines
    fine = tmp_path / "fine.toml"
    fine.write_text(sample_toml(), encoding="utf-8")
    assert load_config(fine).verdict["veto_stale_days"] == 14


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield browser
        browser.close()


def test_report_on_desktop_phone_and_paper(run_dir, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    report = (run_dir / "report.html").as_uri()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(report)
    assert page.inner_text("#verdicts").count("不合格") >= 3
    text = page.inner_text("body")
    assert not any(f" {code} " in f" {text} " for code in ("not_image", "persisting", "anti_crawler", "http_404"))
    page.screenshot(path=str(ARTIFACTS / "report-1400.png"))
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(report)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 392    # the page itself never scrolls sideways
    widths = phone.eval_on_selector_all("#details td:nth-child(4)", "cells => cells.map(c => c.offsetWidth)")
    assert min(widths) >= 40                                     # 对象 no longer one character a line
    phone.screenshot(path=str(ARTIFACTS / "report-390.png"), full_page=True)
    phone.emulate_media(media="print")
    phone.close()
    paper = browser.new_page(viewport={"width": 1400, "height": 900})
    paper.goto(report)
    paper.emulate_media(media="print")
    paper.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    pdf = paper.pdf(format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 5
    (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
    paper.close()


def test_a_mistyped_unit_gets_a_suggestion(capsys):
    from crawler.run_setup import select_units
    with pytest.raises(SystemExit) as stop:
        select_units(sample_config(), "yezhouu,业洲镇")
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "unknown unit 'yezhouu' (did you mean 'yezhou'?)" in err
    assert "unknown unit '业洲镇' (did you mean '业州镇'?)" in err
