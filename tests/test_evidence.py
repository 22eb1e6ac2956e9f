"""Evidence one can see: a large preview of every judged picture (crawler/extract/media.py, kept in
the snapshot), page screenshots taken after the audits (crawler/evidence.py), and report.html
embedding them within DISCLOSURE_REPORT_EVIDENCE_BYTES (reports/evidence.py), on a crawl of a
tiny static web with visible problems (tests/evidence_web.py)."""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from audits.finding import Finding
from crawler.config import THRESHOLD_DEFAULTS
from crawler.evidence import pages_to_capture
from crawler.extract.media import THUMBNAIL_SIZE, measure_image, sharpness
from crawler.fetch_policy import FetchPolicy
from sandbox.media import bomb_png, flowchart_bytes
from tests.crawling import BASE_SETTINGS, REPO
from tests.evidence_web import EMPTY_COLUMN, OFFSITE, STALE_COLUMN, EvidenceWeb
from tests.render_web import config_text, start_web

CHROMIUM = Path("/usr/bin/chromium")
PORTS = range(19900, 19930)
ARTIFACTS = Path(__file__).parent / "artifacts"
BLURRED, SHARP, SMALL = "行政处罚流程图", "行政许可流程图", "行政征收流程图"
FLOWCHART_MIN_SHARPNESS = THRESHOLD_DEFAULTS["flowchart_min_sharpness"]


def decoded(uri: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


# --- the preview, as measured ----------------------------------------------------------------

def test_a_preview_is_scaled_down_only_and_keeps_the_blur_visible():
    previews = {kind: measure_image(flowchart_bytes(kind, *size, 2)[0])["preview"]
                for kind, size in (("image_sharp", (1200, 900)), ("image_blurred", (1200, 900)),
                                   ("image_small", (400, 300)))}
    sizes = {kind: decoded(uri).size for kind, uri in previews.items()}
    assert sizes == {"image_sharp": (800, 600), "image_blurred": (800, 600), "image_small": (400, 300)}
    assert all(previews[k].startswith("data:image/webp;base64,") for k in previews)
    blurred, sharp = (sharpness(decoded(previews[k]).convert("RGB")) for k in ("image_blurred", "image_sharp"))
    assert blurred < FLOWCHART_MIN_SHARPNESS < sharp          # the verdict is still visible in the preview


def test_hostile_pictures_keep_their_limits_and_a_huge_one_is_previewed_from_its_reduced_copy():
    assert measure_image(bomb_png())["preview"] is None and measure_image(bomb_png())["error"] == "too_large"
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 4500), "white").save(buffer, "PNG")
    facts = measure_image(buffer.getvalue())
    assert (facts["width"], facts["height"]) == (6000, 4500) and decoded(facts["preview"]).size == (800, 600)


# --- which pages are screenshot ----------------------------------------------------------------

def test_pages_of_findings_a_person_should_see_in_turns_across_units_and_within_the_policy():
    policy = FetchPolicy(["http://a.gov.cn/", "http://b.gov.cn/"], ())
    def finding(unit, check, url, subject=""):
        return Finding(unit, unit, check, "m", subject=subject, url=url)
    findings = [finding("a", "leader_photo_missing", "http://a.gov.cn/ld", "甲"),
                finding("a", "leader_photo_low_quality", "http://a.gov.cn/ld", "乙"),
                finding("a", "column_empty", "http://a.gov.cn/tzgg"),
                finding("a", "link_broken", "http://a.gov.cn/art/1"),           # not a check to see on the page
                finding("a", "column_stale", "http://elsewhere.example/x"),     # not a host the config names
                finding("b", "mailbox_backlog", "http://b.gov.cn/mail?page=2", "信")]
    pages = [(p.unit_id, p.url, p.checks) for p in pages_to_capture(findings, policy)]
    assert pages == [("a", "http://a.gov.cn/tzgg", ["column_empty"]),
                     ("b", "http://b.gov.cn/mail?page=2", ["mailbox_backlog"]),
                     ("a", "http://a.gov.cn/ld", ["leader_photo_missing", "leader_photo_low_quality"])]


# --- a crawl of the tiny web -------------------------------------------------------------------

def crawl(web: EvidenceWeb, out: Path, **settings) -> tuple[Path, str]:
    out.mkdir(parents=True, exist_ok=True)
    config = out / "evidence.toml"
    config.write_text(config_text(web, (REPO / "config/sandbox.toml").read_text(encoding="utf-8")), encoding="utf-8")
    settings = {"DISCLOSURE_CONFIG": str(config), "DISCLOSURE_OUT": str(out / "runs"), "DISCLOSURE_AS_OF": "2011-09-30",
                "HTTPCACHE_DIR": str(out / "httpcache"), **BASE_SETTINGS, "DISCLOSURE_EVIDENCE_SCREENSHOTS": "10",
                **settings}
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 3), done.stderr[-5000:]
    return (out / "runs" / "latest").resolve(), done.stderr


@pytest.fixture(scope="module")
def web():
    web = start_web(True, PORTS, make=EvidenceWeb)
    yield web
    web.stop()


@pytest.fixture(scope="module")
def evidence_run(web, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (scripts/install-system-deps.sh)")
    return crawl(web, tmp_path_factory.mktemp("evidence"))


def store(report: str) -> dict[str, str]:
    """The report's embedded evidence: key -> data: URI."""
    (template,) = re.findall(r'<template id="evidence">(.*?)</template>', report, re.S)
    return dict(re.findall(r'<img data-key="(e\d+)" src="([^"]+)"', template))


def figure_key(report: str, title: str) -> str | None:
    """The embedded preview key of the figure showing `title` (None: it opens only its thumbnail)."""
    for figure in re.findall(r'<figure class="shot[^"]*">(.*?)</figure>', report, re.S):
        if f'<div class="who">{title}</div>' in figure:
            key = re.search(r'<img [^>]*data-evidence="(e\d+)"', figure)
            return key.group(1) if key else None
    raise AssertionError(f"no figure for {title}")


def test_report_opens_the_blurry_flowchart_large_and_blurred_next_to_a_sharp_one(evidence_run):
    run_dir, _ = evidence_run
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    embedded = store(report)
    blurred, sharp, small = (decoded(embedded[figure_key(report, t)]) for t in (BLURRED, SHARP, SMALL))
    assert blurred.size == sharp.size == (800, 600) and max(blurred.size) > THUMBNAIL_SIZE
    assert small.size == (400, 300)                                   # a small chart keeps its own size
    assert sharpness(blurred.convert("RGB")) < FLOWCHART_MIN_SHARPNESS < sharpness(sharp.convert("RGB"))
    snapshot = json.loads((run_dir / "snapshots" / "longtan.json").read_text(encoding="utf-8"))
    assert snapshot["schema"] == 3 and all(w["flowchart"]["preview"] for w in snapshot["workflows"])
    assert figure_key(report, "李卫东") and figure_key(report, "张建国")    # the photos open large too


def test_screenshots_of_the_offending_pages_are_in_the_run_and_shown_in_the_report(evidence_run, web):
    run_dir, log = evidence_run
    index = json.loads((run_dir / "evidence" / "screenshots.json").read_text(encoding="utf-8"))
    taken = {urlpath(s["url"]): s for s in index["taken"]}
    assert set(taken) == {EMPTY_COLUMN, STALE_COLUMN, "/xxgk/ldxx.html", "/xxgk/gzlc.html"}
    assert taken["/xxgk/gzlc.html"]["checks"] == ["flowchart_unclear"]
    empty = taken[EMPTY_COLUMN]
    body = (run_dir / "evidence" / empty["file"]).read_bytes()
    assert Image.open(io.BytesIO(body)).size == (1280, empty["height"]) and empty["checks"] == ["column_empty"]
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    row = next(r for r in report.split("<tr>") if "空白栏目" in r and EMPTY_COLUMN in r)
    key = re.search(r'class="evidence-open" data-evidence="(e\d+)"', row).group(1)
    assert store(report)[key] == "data:image/jpeg;base64," + base64.b64encode(body).decode()
    assert "网页截图 4 张" in report and "WARNING" not in "".join(l for l in log.splitlines() if "evidence" in l)
    assert web.hits["/photo/1.jpg"] == 2 and web.hits["/lct/1.png"] == 2    # the crawl's and the screenshot's
    assert OFFSITE not in web.hits                                         # the fetch policy held in the browser


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_scrapy_audit_fetches_nothing_and_keeps_to_the_evidence_budget(evidence_run, web, tmp_path):
    run_dir = tmp_path / evidence_run[0].name
    shutil.copytree(evidence_run[0], run_dir)
    full = store((run_dir / "report.html").read_text(encoding="utf-8"))
    budget = sum(len(uri) for uri in full.values()) // 3
    hits = dict(web.hits)
    done = subprocess.run([sys.executable, "-m", "scrapy", "audit", str(run_dir),
                           "-s", f"DISCLOSURE_REPORT_EVIDENCE_BYTES={budget}"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert web.hits == hits                                          # nothing fetched
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    embedded = store(report)
    assert 0 < sum(len(uri) for uri in embedded.values()) <= budget < sum(len(uri) for uri in full.values())
    assert figure_key(report, BLURRED) is not None                   # failing pictures come first
    assert "因报告大小上限未收录" in report
    assert "为控制报告大小，未收录大图，放大的是缩略图" in report or 'class="evidence-file"' in report
    for link in re.findall(r'class="evidence-file" href="([^"]+)"', report):
        assert (run_dir / link).is_file()                            # a screenshot left out is a link to its file


def test_without_chromium_one_warning_and_the_reports_without_screenshots(web, tmp_path):
    run_dir, log = crawl(web, tmp_path, DISCLOSURE_RENDER_EXECUTABLE=str(tmp_path / "no-chromium"))
    warnings = [line for line in log.splitlines() if "WARNING" in line and "screenshot" in line]
    assert len(warnings) == 1 and "Chromium could not be started" in warnings[0]
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'class="evidence-open"' not in report and "未能拍摄网页截图" in report
    assert figure_key(report, BLURRED) is not None                   # the pictures still open large
    assert not list((run_dir / "evidence").glob("*.jpg"))
    for name in ("findings.csv", "bulletin.docx", "verdicts.json"):
        assert (run_dir / name).exists()


def test_the_evidence_view_in_chromium(evidence_run):
    """Screenshots of the large view for people to look at (tests/artifacts/evidence-*.png)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    run_dir, _ = evidence_run
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto((run_dir / "report.html").as_uri())
        shown = {}
        for title, name in ((BLURRED, "blurred"), (SHARP, "sharp")):
            page.click(f'figure.shot:has(div.who:text-is("{title}")) img')
            shown[name] = page.eval_on_selector("#zoom-img", "i => [i.naturalWidth, i.naturalHeight, i.className]")
            page.screenshot(path=str(ARTIFACTS / f"evidence-flowchart-{name}.png"))
            page.click("#zoom button")
        assert shown == {"blurred": [800, 600, "natural"], "sharp": [800, 600, "natural"]}
        page.click("button.evidence-open >> nth=0")
        assert page.eval_on_selector("#zoom-img", "i => i.naturalWidth") == 1280
        page.screenshot(path=str(ARTIFACTS / "evidence-page-screenshot.png"))
        browser.close()
