"""report.html: one self-contained page for people following the audit.

Everything is inline (CSS, JS, charts as SVG, pictures and page screenshots as data:
URIs, within the evidence budget of reports/evidence.py), so the file can be mailed or
opened offline and makes no request at all; a Content
Security Policy says so to the browser too, and only lets our own script run
(by its hash), as a second line of defence behind escaping.

Every crawled string goes through `esc` (text and attributes alike); URLs are
linked only when they are http(s); pictures are used only when they are
base64 image data: URIs. The script reads data-* attributes and textContent
only, so no crawled string is ever parsed as HTML.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from audits.checks import CHECKS
from audits.common import describe_error
from audits.flowcharts import SIGNATURE_NAMES
from audits.finding import Finding
from audits.reachability import BLOCK_REASONS
from audits import freshness
from audits.verdict import FAIL, NOT_JUDGED, UnitVerdict
from crawler.config import UNIT_KINDS, Config
from crawler.evidence import EVIDENCE_DIR, EvidenceIndex
from crawler.settings import DISCLOSURE_REPORT_EVIDENCE_BYTES
from crawler.files import write_text_atomically
from reports.evidence import EmbeddedEvidence, embed_evidence
from reports.trends import PastRun
from reports.words import SEVERITY_WORDS, expected_words, observed_words

TEMPLATES = Path(__file__).with_name("templates")
SEVERITIES = SEVERITY_WORDS
STATUS_LABELS = {"new": "新增", "persisting": "持续", "resolved": "已整改", "": ""}
SEVERITY_COLOURS = {"high": "#c0392b", "medium": "#e67e22", "low": "#d4ac0d"}
LATE, FRESH, UNTIMED = "#c0392b", "#27ae60", "#95a5a6"      # column freshness
SHOWN_PER_CHECK = 8          # findings of one check listed before the rest fold away
PHOTO_CHECKS = ("leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality")
FLOWCHART_CHECKS = ("flowchart_missing", "flowchart_broken", "flowchart_unclear", "flowchart_attachment")

_SAFE_DATA_URI = re.compile(r"\Adata:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}\Z")
_HTTP_URL = re.compile(r"^https?://", re.IGNORECASE)


@dataclass
class RunTrust:
    """What a reader must know before trusting the run's figures."""
    limited: bool = False            # a run of some units only (-a units=): not a baseline
    failed: bool = False             # most units could not be fetched: not `latest`
    audit_failures: list[dict] = field(default_factory=list)   # checks that raised (audits.audit_unit)


@dataclass
class ReportData:
    config: Config
    as_of: date
    run_id: str
    snapshots: list[dict]           # in config order
    findings: list[Finding]
    resolved: list[Finding]
    previous_run_id: str | None     # None: first run, nothing to compare with
    verdicts: list[UnitVerdict] = field(default_factory=list)   # ranked (audits/verdict.py)
    trust: RunTrust = field(default_factory=RunTrust)
    history: list[PastRun] = field(default_factory=list)      # earlier baseline runs, oldest first
    workbooks: dict[str, str] = field(default_factory=dict)    # unit id -> workbooks/<file>.xlsx
    freshness: dict[str, list] = field(default_factory=dict)   # unit id -> audits.freshness records
    evidence: EvidenceIndex | None = None      # the crawl's page screenshots (crawler/evidence.py)
    evidence_dir: Path | None = None           # the run folder holding evidence/
    evidence_budget: int = DISCLOSURE_REPORT_EVIDENCE_BYTES   # bytes of pictures and screenshots embedded


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(url: object, text: object) -> str:
    """An <a> for http(s) URLs; anything else (javascript:, data: …) stays plain text."""
    if isinstance(url, str) and _HTTP_URL.match(url):
        return f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">{esc(text)}</a>'
    return esc(text)


def safe_image_uri(uri: object) -> str | None:
    """`uri` when it is a base64 raster image data: URI (a thumbnail, a preview), else None."""
    return uri if isinstance(uri, str) and _SAFE_DATA_URI.match(uri) else None


def _severity(severity: str) -> str:
    return f'<span class="sev {esc(severity)}">{esc(SEVERITIES.get(severity, severity))}</span>'


def _status(status: str) -> str:
    return f'<span class="status {esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span>' if status else ""


# ---------------------------------------------------------------- charts (SVG)

def _svg(label: str, width: float, height: float, font_size: float, parts: list[str]) -> str:
    return (f'<svg class="chart" role="img" aria-label="{esc(label)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-size="{font_size}" '
            f'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif">{"".join(parts)}</svg>')


def _legend(*items: tuple[str | None, str]) -> str:
    """Colour swatches and their meaning; a None colour is a plain note."""
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{esc(text)}</span>' if colour else f"<span>{esc(text)}</span>"
        for colour, text in items) + "</div>"


def findings_per_unit_chart(data: ReportData) -> str:
    """Horizontal bars, one per unit with findings, stacked by severity (as the verdicts count them:
    overdue letters once per unit)."""
    counts = {s["unit"]["id"]: Counter() for s in data.snapshots}
    if data.verdicts:
        for v in data.verdicts:
            counts[v.unit_id] = Counter(v.by_severity)
    else:
        for f in data.findings:
            counts.setdefault(f.unit_id, Counter())[f.severity] += 1
    names = {s["unit"]["id"]: s["unit"]["name"] for s in data.snapshots}
    rows = sorted(((uid, c) for uid, c in counts.items() if c), key=lambda r: -sum(r[1].values()))
    if not rows:
        return '<p class="muted">没有发现问题。</p>'
    label_w, bar_w, row_h = 150, 560, 24
    most = max(sum(c.values()) for _, c in rows)
    parts = []
    for i, (uid, c) in enumerate(rows):
        y = i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{esc(names.get(uid, uid))}</text>')
        x = label_w
        for severity in SEVERITY_COLOURS:
            width = bar_w * c[severity] / most
            if width:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" '
                             f'fill="{SEVERITY_COLOURS[severity]}"><title>{esc(SEVERITIES[severity])}：'
                             f'{c[severity]}</title></rect>')
                x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}">{sum(c.values())}</text>')
    return _svg("各单位问题数", label_w + bar_w + 50, len(rows) * row_h + 4, 13, parts)


# How a freshness record (audits/freshness.py) shows: a cell class, its text and its tooltip.
CELL = {freshness.MISSING: ("absent", "缺", "栏目缺失"), freshness.EMPTY: ("undated", "空", "空白栏目"),
        freshness.UNDATED: ("undated", "无", "条目都没有日期"), freshness.UNREAD: ("undated", "?", "页面无法读取，未作判断")}


def _freshness_cell(record: freshness.ColumnFreshness) -> str:
    """One cell of the freshness table, as the audit decided it."""
    if record.state in CELL:
        cls, text, title = CELL[record.state]
        return f'<td class="cell {cls}" title="{title}">{text}</td>'
    if record.state == freshness.ITEMS:
        return f'<td class="cell static" title="不按时效考核">{esc(record.items)}</td>'
    cls = {freshness.LATE: "late", freshness.FRESH: "fresh"}.get(record.state, "static")
    rule = f"应不超过{record.allowed}天" if record.allowed else "不按时效考核"
    return f'<td class="cell {cls}" title="最近更新 {esc(record.newest)}，{rule}">{record.days}</td>'


def column_age_chart(records: list[freshness.ColumnFreshness]) -> str:
    """Days since each reference column's newest entry, against what its recency class allows."""
    if not records:
        return ""
    label_w, bar_w, row_h = 210, 470, 22
    scale = max([365, *(r.days for r in records if r.days is not None), *(r.allowed for r in records)])
    parts = []
    for i, record in enumerate(records):
        y = i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{esc(record.column)}</text>')
        if record.days is None:
            text = (f"{record.items}（不按时效考核）" if record.state == freshness.ITEMS
                    else CELL.get(record.state, ("", "", ""))[2])
            parts.append(f'<text x="{label_w}" y="{y + 15}" fill="#6b7785">{esc(text)}</text>')
            continue
        colour = {freshness.LATE: LATE, freshness.FRESH: FRESH}.get(record.state, UNTIMED)
        width = max(1.0, bar_w * max(record.days, 0) / scale)
        rule = f"，应不超过{record.allowed}天" if record.allowed else "，不按时效考核"
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" fill="{colour}">'
                     f'<title>{record.days}天未更新{rule}</title></rect>')
        if record.allowed:
            x = label_w + bar_w * record.allowed / scale
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + row_h - 1}" '
                         f'stroke="#1f2933" stroke-dasharray="3,2"/>')
        parts.append(f'<text x="{label_w + width + 6:.1f}" y="{y + 15}">{record.days}天</text>')
    return _svg("各栏目距最近更新天数", label_w + bar_w + 70, len(records) * row_h + 4, 12.5, parts)


def freshness_table(data: ReportData) -> str:
    """Units × reference columns: days since each column was last updated, as the audits judged it."""
    head = "".join(f'<th class="col">{esc(c.name)}</th>' for c in data.config.columns)
    rows = []
    for snap in data.snapshots:
        name = f'<td><a href="#unit-{esc(snap["unit"]["id"])}">{esc(snap["unit"]["name"])}</a></td>'
        if not (snap.get("reachability") or {}).get("fetched"):
            rows.append(f'<tr>{name}<td class="muted" colspan="{len(data.config.columns)}">未能抓取</td></tr>')
            continue
        cells = "".join(_freshness_cell(r) for r in data.freshness.get(snap["unit"]["id"], []))
        rows.append(f"<tr>{name}{cells}</tr>")
    legend = _legend((LATE, "超过时限"), (FRESH, "未超时限"), (UNTIMED, "不按时效考核"),
                     (None, "缺：栏目缺失　空：空白栏目　无：条目无日期　?：页面无法读取"))
    return (f'{legend}<div class="scroll"><table class="heat"><thead><tr><th>单位</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


# ---------------------------------------------------------------- verdicts, trust, trends, files

def _local_link(path: str, text: str, cls: str = "") -> str:
    """A link to a file of the run folder (relative: works wherever the folder is opened)."""
    href = "/".join(quote(part) for part in path.split("/"))
    return f'<a href="{esc(href)}"{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{esc(text)}</a>'


def _banner(data: ReportData) -> str:
    return _run_banner(data) + _audit_failures_note(data)


def _audit_failures_note(data: ReportData) -> str:
    """Checks that failed on some units: their "no problem" there means "not judged"."""
    if not data.trust.audit_failures:
        return ""
    names = {s["unit"]["id"]: s["unit"]["name"] for s in data.snapshots}
    by_checks: dict[str, list[str]] = {}
    for failure in data.trust.audit_failures:
        checks = "、".join(CHECKS[c][0] for c in failure["checks"])
        by_checks.setdefault(checks, []).append(names.get(failure["unit_id"], failure["unit_id"]))
    items = "".join(f"<li>{esc(checks)}：{esc('、'.join(units))}</li>" for checks, units in by_checks.items())
    return ('<div class="banner warn" role="alert"><b>部分检查项目在下列单位运行出错，未能作出判断。</b>'
            '这些单位在这些项目上“未发现问题”不代表没有问题；错误详情见运行记录（run.json）。'
            f'<ul>{items}</ul></div>')


def _run_banner(data: ReportData) -> str:
    if data.trust.failed:
        return ('<div class="banner bad" role="alert"><b>本次检查未能正常完成。</b>多数单位的网站都没有抓取到'
                '（很可能是检查程序所在的网络中断），下面“无法访问”的结论不可信。本次结果不会成为“最新结果”，'
                '也不作为下次检查比较新增、已整改问题的基准。请检查网络后重新运行。</div>')
    if data.trust.limited:
        return (f'<div class="banner warn" role="note"><b>本次只检查了部分单位（{len(data.snapshots)}个）。</b>'
                '本次结果不会成为“最新结果”，也不作为下次全面检查比较新增、已整改问题的基准。</div>')
    return ""


def _files(data: ReportData) -> str:
    """The run's files for people: the bulletin, the office workbook, every unit's workbook is in its section."""
    return ('<div class="files">下载：' + _local_link("bulletin.docx", "通报稿（Word）") + " · "
            + _local_link("bulletin.md", "通报稿（文本）") + " · "
            + _local_link("workbooks/检查结果汇总.xlsx", "检查结果汇总（Excel，含各单位评定和问题清单）") + " · "
            + _local_link("findings.csv", "全部问题（CSV）") + "</div>")


def _unit_files(data: ReportData, unit_id: str) -> str:
    parts = []
    if data.workbooks.get(unit_id):
        parts.append(_local_link(f"workbooks/{data.workbooks[unit_id]}", "问题清单（Excel）"))
    parts.append(_local_link(f"sites/{unit_id}.csv", "CSV"))
    return " · ".join(parts)


def _verdict_badge(verdict: UnitVerdict | None) -> str:
    if verdict is None:
        return ""
    cls = {FAIL: "fail", NOT_JUDGED: "na"}.get(verdict.verdict, "pass")
    return f'<span class="verdict-badge {cls}">{esc(verdict.verdict)}</span>'


def _score(verdict: UnitVerdict | None) -> str:
    return "—" if verdict is None or verdict.score is None else f"{verdict.score:g}"


def verdict_table(data: ReportData) -> str:
    """Every unit ranked: 合格 by score, then 不合格 with the vetoes named, then those not judged."""
    if not data.verdicts:
        return ""
    counts = Counter(v.verdict for v in data.verdicts)
    summary = "，".join(f"{name}{counts[name]}个" for name in ("合格", FAIL, NOT_JUDGED) if counts[name])
    rows = []
    for v in data.verdicts:
        reasons = "<br>".join(([esc("单项否决：" + "；".join(v.vetoes))] if v.vetoes else [])
                              + ([esc("预警：" + "；".join(v.warnings))] if v.warnings else []))
        rows.append(f'<tr class="{ "fail" if v.verdict == FAIL else "" }"><td class="num">{v.rank}</td>'
                    f'<td class="nowrap"><a href="#unit-{esc(v.unit_id)}">{esc(v.unit)}</a></td>'
                    f'<td class="nowrap">{esc(v.kind)}</td><td>{_verdict_badge(v)}</td>'
                    f'<td class="num">{_score(v)}</td><td class="num">{v.problems}</td>'
                    f'<td>{reasons}</td></tr>')
    return (f'<p>本次共评定{len(data.verdicts)}个单位：{esc(summary)}。存在任一单项否决的为不合格；其余按得分排名'
            '（满分100分，每类问题按条扣分并设上限，信箱超期办件每个单位只计一次）。</p>'
            '<div class="scroll"><table id="verdict-table"><thead><tr><th class="num">排名</th><th>单位</th><th>类型</th>'
            '<th>评定</th><th class="num">得分</th><th class="num">问题数</th><th>单项否决 / 预警</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def trends(data: ReportData) -> str:
    """Problems per check and per unit over the last baseline runs and this one."""
    runs = list(data.history)
    if not runs:
        return '<p class="muted">这是第一次完整检查；以后每次检查后，这里列出最近几次检查中各类问题和各单位问题数的变化。</p>'
    current_checks = Counter(f.check for f in data.findings)
    heads = "".join(f'<th class="num">{esc(r.as_of or r.run_id)}</th>' for r in runs) + \
        f'<th class="num">本次（{esc(data.as_of.isoformat())}）</th>'
    check_rows = []
    for check, (label, _) in CHECKS.items():
        values = [r.by_check.get(check, 0) for r in runs] + [current_checks[check]]
        if any(values):
            check_rows.append(f"<tr><td>{esc(label)}</td>" + "".join(f'<td class="num">{n}</td>' for n in values)
                              + "</tr>")
    now = {v.unit_id: v for v in data.verdicts}
    unit_rows = []
    for v in data.verdicts:
        values = [r.by_unit.get(v.unit_id) for r in runs] + [v.problems]
        if any(values):
            cells = "".join(f'<td class="num">{"—" if n is None else n}</td>' for n in values)
            unit_rows.append(f'<tr><td>{esc(v.unit)}</td>{cells}<td>{_verdict_badge(now.get(v.unit_id))}</td></tr>')
    return ('<h3>各类问题数</h3><div class="scroll"><table class="compact"><thead><tr><th>问题</th>'
            f'{heads}</tr></thead><tbody>{"".join(check_rows)}</tbody></table></div>'
            '<details><summary>各单位问题数（历次）</summary><div class="scroll"><table class="compact"><thead><tr>'
            f'<th>单位</th>{heads}<th>本次评定</th></tr></thead><tbody>{"".join(unit_rows)}</tbody></table></div></details>')


# ---------------------------------------------------------------- sections

def _cards(data: ReportData) -> str:
    statuses = Counter(f.status for f in data.findings)
    offenders = {f.unit_id for f in data.findings}
    unreachable = {f.unit_id for f in data.findings if f.check == "site_unreachable"}
    verdicts = Counter(v.verdict for v in data.verdicts)
    cards = [("检查单位", len(data.snapshots), ""), ("合格单位", verdicts["合格"], "good"),
             ("不合格单位", verdicts[FAIL], "bad"), ("发现问题", len(data.findings), "bad"),
             ("有问题的单位", len(offenders), "bad"), ("未发现问题的单位", len(data.snapshots) - len(offenders), "good"),
             ("无法访问的站点", len(unreachable), "bad")]
    partial = sum(1 for s in data.snapshots if not_fully_audited(s))
    if partial:
        cards.append(("未完整审计的单位", partial, "bad"))
    if data.previous_run_id:
        cards += [("新增问题", statuses["new"], "new"), ("持续存在", statuses["persisting"], ""),
                  ("已整改", len(data.resolved), "good")]
    return '<div class="cards">' + "".join(
        f'<div class="card {cls}"><div class="n">{n}</div><div class="l">{esc(label)}</div></div>'
        for label, n, cls in cards) + "</div>"


def _per_check_table(data: ReportData) -> str:
    names = {s["unit"]["id"]: s["unit"]["name"] for s in data.snapshots}
    rows = []
    for check, (label, severity) in CHECKS.items():
        own = [f for f in data.findings if f.check == check]
        if not own:
            continue
        units = list(dict.fromkeys(f.unit_id for f in own))
        named = "、".join(f'<a href="#unit-{esc(u)}">{esc(names.get(u, u))}</a>' for u in units)
        rows.append(f'<tr><td><a href="#units" data-check="{esc(check)}" title="在单位一览中只看有此问题的单位">'
                    f'{esc(label)}</a></td><td>{_severity(severity)}</td>'
                    f'<td class="num">{len(own)}</td><td class="num">{len(units)}</td><td>{named}</td></tr>')
    if not rows:
        return '<p class="muted">本次检查没有发现问题。</p>'
    return ("<table><thead><tr><th>问题</th><th>严重程度</th><th class=\"num\">问题数</th>"
            "<th class=\"num\">单位数</th><th>涉及单位</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _units_table(data: ReportData) -> str:
    by_unit: dict[str, list[Finding]] = {}
    for f in data.findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    kinds = [k for k in UNIT_KINDS if any(s["unit"]["kind"] == k for s in data.snapshots)]
    checks = [c for c in CHECKS if any(f.check == c for f in data.findings)]
    controls = ('<div class="filters"><input id="filter-text" type="search" placeholder="输入单位名称或问题筛选…" '
                'aria-label="筛选"><select id="filter-kind" aria-label="单位类型"><option value="">全部类型</option>'
                + "".join(f'<option value="{esc(k)}">{esc(k)}</option>' for k in kinds)
                + '</select><select id="filter-check" aria-label="问题类型"><option value="">全部问题</option>'
                + "".join(f'<option value="{esc(c)}">{esc(CHECKS[c][0])}</option>' for c in checks)
                + '</select><span id="filter-count" class="count-note"></span></div>')
    rows = []
    verdicts = {v.unit_id: v for v in data.verdicts}
    for snap in data.snapshots:
        unit = snap["unit"]
        own = by_unit.get(unit["id"], [])
        verdict = verdicts.get(unit["id"])
        severity = Counter(f.severity for f in own)
        labels = "、".join(dict.fromkeys(f.check_label for f in own)) or "—"
        rows.append(
            f'<tr data-kind="{esc(unit["kind"])}" data-checks="{esc(" ".join(sorted({f.check for f in own})))}">'
            f'<td class="nowrap"><a href="#unit-{esc(unit["id"])}">{esc(unit["name"])}</a>'
            f'{"<div class=muted>未完整审计</div>" if not_fully_audited(snap) else ""}</td>'
            f'<td class="nowrap">{esc(unit["kind"])}</td><td>{_verdict_badge(verdict)}</td>'
            f'<td class="num" data-value="{verdict.score if verdict and verdict.score is not None else -1}">'
            f'{_score(verdict)}</td>'
            f'<td class="num" data-value="{verdict.problems if verdict else len(own)}">'
            f'{verdict.problems if verdict else len(own)}</td><td class="num">{severity["high"]}</td>'
            f'<td class="num">{severity["medium"]}</td><td class="num">{severity["low"]}</td>'
            f'<td class="num">{sum(f.status == "new" for f in own)}</td><td>{esc(labels)}</td></tr>')
    head = ('<thead><tr><th data-sort="text">单位</th><th data-sort="text">类型</th><th data-sort="text">评定</th>'
            '<th data-sort="number" class="num">得分</th>'
            '<th data-sort="number" class="num" title="信箱超期办件每个单位只计一次">问题数</th><th data-sort="number" class="num">高</th>'
            '<th data-sort="number" class="num">中</th><th data-sort="number" class="num">低</th>'
            '<th data-sort="number" class="num">新增</th><th>问题类型</th></tr></thead>')
    return controls + f'<div class="scroll"><table id="units-table">{head}<tbody>{"".join(rows)}</tbody></table></div>'


def _screenshot(f: Finding, evidence: EmbeddedEvidence | None) -> str:
    """A button opening the screenshot of the finding's page, or a link to its file when it did not fit."""
    shot = evidence.screenshots.get((f.unit_id, f.url)) if evidence else None
    if shot is None:
        return ""
    key = evidence.screenshot_key(f.unit_id, f.url)
    caption = f"{f.unit}：{f.check_label}（网页截图，{shot.width}×{shot.height}）{f.url}"
    if key:
        return (f' <button type="button" class="evidence-open" data-evidence="{key}" '
                f'data-caption="{esc(caption)}">截图</button>')
    return (f' <a class="evidence-file" href="{esc(EVIDENCE_DIR)}/{quote(shot.file)}" target="_blank" '
            f'title="为控制报告大小，截图未收录在本页，另存于 evidence 文件夹">截图文件</a>')


def _findings_rows(findings: list[Finding], show_unit: bool, evidence: EmbeddedEvidence | None = None) -> str:
    rows = []
    for f in findings:
        unit = f'<td class="nowrap"><a href="#unit-{esc(f.unit_id)}">{esc(f.unit)}</a></td>' if show_unit else ""
        rows.append(f"<tr>{unit}<td class=\"nowrap\">{esc(f.check_label)}</td><td>{_severity(f.severity)}</td>"
                    f"<td class=\"nowrap\">{esc(f.column)}</td>"
                    f"<td class=\"wrap\">{link(f.url, f.subject or '查看')}{_screenshot(f, evidence)}</td>"
                    f"<td class=\"wrap\">{esc(observed_words(f))}</td><td class=\"wrap\">{esc(expected_words(f))}</td>"
                    f"<td>{esc(f.message)}</td><td>{_status(f.status)}</td></tr>")
    unit_head = "<th>单位</th>" if show_unit else ""
    return (f"<table><thead><tr>{unit_head}<th>问题</th><th>程度</th><th>栏目</th><th>对象</th><th>实测</th>"
            f"<th>标准</th><th>说明</th><th>状态</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _findings_table(findings: list[Finding], show_unit: bool = False,
                    evidence: EmbeddedEvidence | None = None) -> str:
    """The findings; past SHOWN_PER_CHECK of one check (e.g. 300 broken links) the rest fold away."""
    if not findings:
        return '<p class="muted">无。</p>'
    shown, folded, seen = [], [], Counter()
    for f in findings:
        seen[f.check] += 1
        (shown if seen[f.check] <= SHOWN_PER_CHECK else folded).append(f)
    table = _findings_rows(shown, show_unit, evidence)
    if folded:
        table += (f"<details><summary>另有 {len(folded)} 处同类问题</summary>"
                  f"{_findings_rows(folded, show_unit, evidence)}</details>")
    return table


def _changes_per_check(new: list[Finding], persisting: list[Finding], resolved: list[Finding]) -> str:
    counts = {name: Counter(f.check for f in group)
              for name, group in (("new", new), ("persisting", persisting), ("resolved", resolved))}
    rows = "".join(f"<tr><td>{esc(label)}</td><td class=\"num\">{counts['new'][check]}</td>"
                   f"<td class=\"num\">{counts['persisting'][check]}</td>"
                   f"<td class=\"num\">{counts['resolved'][check]}</td></tr>"
                   for check, (label, _) in CHECKS.items()
                   if any(counts[name][check] for name in counts))
    return ('<table class="compact"><thead><tr><th>问题</th><th class="num">新增</th><th class="num">持续</th>'
            f'<th class="num">已整改</th></tr></thead><tbody>{rows}</tbody></table>')


def _changes(data: ReportData) -> str:
    """Counts per check, then the new and the resolved findings themselves, folded."""
    if not data.previous_run_id:
        return '<p class="muted">这是第一次检查，没有可以比较的上次结果；下次检查后这里会列出新增、持续和已整改的问题。</p>'
    new = [f for f in data.findings if f.status == "new"]
    persisting = [f for f in data.findings if f.status == "persisting"]
    return (f'<p>与上次检查（运行编号 {esc(data.previous_run_id)}）相比：新增问题 <b>{len(new)}</b> 处，'
            f'持续存在 <b>{len(persisting)}</b> 处，已整改 <b>{len(data.resolved)}</b> 处。</p>'
            f'{_changes_per_check(new, persisting, data.resolved)}'
            f'<details><summary>新增问题明细（{len(new)}）</summary>{_findings_table(new, show_unit=True)}</details>'
            f'<details><summary>已整改问题明细（{len(data.resolved)}）</summary>'
            f'{_findings_table(data.resolved, show_unit=True)}</details>')


def _measure(measured: dict, verdicts: list[Finding] | None = None) -> str:
    """What the spider measured of a picture or attachment, in words: why the verdict is what it is.

    The words (清晰 / 模糊, 尺寸合格 / 尺寸过小) say what the audits decided: a finding whose
    measured value is the sharpness (or the size) is the audit saying it is too low.
    """
    verdicts = verdicts or []
    parts = []
    if measured.get("width") and measured.get("height"):
        size = f"{measured['width']}×{measured['height']} 像素"
        small = next((f for f in verdicts if f.observed == f"{measured['width']}x{measured['height']}"), None)
        parts.append(f"尺寸过小：{size}（标准 {expected_words(small)}）" if small else size)
    sharpness = measured.get("sharpness")
    if isinstance(sharpness, (int, float)):
        blurred = next((f for f in verdicts if f.observed.startswith("清晰度")), None)
        parts.append(f"模糊：清晰度 {sharpness:.0f}（标准 {expected_words(blurred)}）" if blurred
                     else f"清晰：清晰度 {sharpness:.0f}")
    if measured.get("ext") is not None and isinstance(measured.get("bytes"), int):
        parts.append(f"{measured['bytes'] / 1024:.1f} KB")
    if measured.get("signature"):
        kind = SIGNATURE_NAMES.get(measured["signature"], str(measured["signature"]).upper())
        parts.append(f"文件类型 {kind}")
    if measured.get("error"):
        parts.append(describe_error(measured["error"]))
    return "，".join(parts)


def _large_view(image: dict | None, evidence: EmbeddedEvidence | None) -> tuple[str, str]:
    """(the data-evidence attribute naming the picture's embedded preview, a note when it opens only
    its thumbnail: the preview was over the report's budget, or the run kept none)."""
    preview = safe_image_uri((image or {}).get("preview"))
    key = evidence.key(preview) if evidence else None
    if key:
        return f' data-evidence="{key}"', ""
    if preview:
        return "", "为控制报告大小，未收录大图，放大的是缩略图"
    return "", "本次检查未保存大图，放大的是缩略图"


def _figure(title: str, caption: str, image: dict | None, verdicts: list[Finding], missing_text: str,
            evidence: EmbeddedEvidence | None = None) -> str:
    thumb = safe_image_uri((image or {}).get("thumbnail"))
    large, note = _large_view(image, evidence) if thumb else ("", "")
    frame = (f'<img src="{esc(thumb)}" alt="{esc(title)}" title="点击放大" tabindex="0"{large}>' if thumb
             else f'<span class="none">{esc(missing_text)}</span>')
    if verdicts:
        verdict = "；".join(f"{f.check_label}" + (f"（实测 {observed_words(f)}，标准 {expected_words(f)}）"
                                                  if f.observed else "") for f in verdicts)
        verdict_html = f'<div class="verdict bad">{esc(verdict)}</div>'
    else:
        verdict_html = '<div class="verdict ok">合格</div>'
    measure = _measure(image or {}, verdicts)
    return (f'<figure class="shot{" fail" if verdicts else ""}"><div class="frame">{frame}</div><figcaption>'
            f'<div class="who">{esc(title)}</div><div>{esc(caption)}</div>'
            f'{f"<div class=measure>{esc(measure)}</div>" if measure else ""}{verdict_html}'
            f'{f"<div class=left-out>{esc(note)}</div>" if note else ""}</figcaption></figure>')


@dataclass
class Judged:
    """A leader's photo or a workflow item's flowchart as the report shows it, with the audits' verdicts."""
    role: str                    # photo | flowchart
    title: str
    caption: str
    image: dict | None
    verdicts: list[Finding]
    missing_text: str


def judged_pictures(snapshot: dict, findings: list[Finding]) -> list[Judged]:
    """Every leader photo and flowchart of a unit, in page order, with the findings about it."""
    def verdicts(checks, subject):
        return [f for f in findings if f.check in checks and f.subject == subject]
    judged = [Judged("photo", leader.get("name", ""), leader.get("post", ""), leader.get("photo"),
                     verdicts(PHOTO_CHECKS, leader.get("name", "")),
                     "无照片" if leader.get("photo") is None else "照片无法显示")
              for leader in snapshot.get("leaders") or []]
    for w in snapshot.get("workflows") or []:
        chart = w.get("flowchart") or {}
        kind = {"image": "图片", "attachment": f"附件 {chart.get('ext', '')}", "none": "无流程图"}.get(chart.get("kind"), "")
        judged.append(Judged("flowchart", w.get("title", ""), kind, chart, verdicts(FLOWCHART_CHECKS, w.get("title", "")),
                             "附件" if chart.get("kind") == "attachment" else "无图片"))
    return judged


def _gallery(snapshot: dict, findings: list[Finding], evidence: EmbeddedEvidence | None = None) -> str:
    judged = judged_pictures(snapshot, findings)
    leaders = [_figure(j.title, j.caption, j.image, j.verdicts, j.missing_text, evidence)
               for j in judged if j.role == "photo"]
    charts = [_figure(j.title, j.caption, j.image, j.verdicts, j.missing_text, evidence)
              for j in judged if j.role == "flowchart"]
    out = ""
    if leaders:
        out += f'<h4>领导照片（{len(leaders)}）</h4><div class="gallery">{"".join(leaders)}</div>'
    if charts:
        out += f'<h4>工作流程图（{len(charts)}）</h4><div class="gallery">{"".join(charts)}</div>'
    return out


def _reachability(snapshot: dict) -> str:
    r = snapshot.get("reachability") or {}
    if r.get("blocked"):
        return f"拒绝抓取：{BLOCK_REASONS.get(r['blocked'], '网站拒绝自动检查')}"
    if not r.get("fetched"):
        return f"无法访问：{describe_error(r.get('error'), r.get('status')) if r.get('error') else '未找到入口'}"
    rendered = (snapshot.get("crawl") or {}).get("rendered") or 0
    return (f"已抓取 {r.get('pages', 0)} 个页面" + (f"（其中 {rendered} 个由脚本绘制，经浏览器渲染）" if rendered else "")
            + f"，检查链接 {snapshot.get('links_checked', 0)} 个")


def not_fully_audited(snapshot: dict) -> bool:
    """Pages the audits rely on could not be read (snapshot `unread`)."""
    return bool(snapshot.get("unread"))


# Why a page was not read, beyond the transport errors of audits.common.ERROR_WORDS.
UNREAD_WORDS = {"not_rendered": "页面由脚本绘制，未能用浏览器渲染",
                "render_budget": "页面由脚本绘制，超出每个单位的渲染页数上限"}


def _not_fully_audited_note(snapshot: dict) -> str:
    """A unit with pages that could not be read (drawn by scripts and not rendered, timeouts …):
    which, and why; nothing is concluded from what they lack (never silently empty)."""
    pages = snapshot.get("unread") or []
    if not pages:
        return ""
    items = "".join(f"<li>{link(p.get('url'), p.get('url'))}："
                    f"{esc(UNREAD_WORDS.get(p.get('why')) or describe_error(p.get('why')))}</li>"
                    for p in pages[:20])
    more = f"<li>另有 {len(pages) - 20} 个页面</li>" if len(pages) > 20 else ""
    return (f'<div class="note bad"><strong>未完整审计</strong>：{len(pages)} 个页面未能读取，其内容未经检查，'
            f"不据此判断栏目缺失、栏目为空或公开内容不全面。<ul>{items}{more}</ul></div>")


def _mailbox(snapshot: dict) -> str:
    """'信箱办件 12 件：未受理 3、已办结 9' with a link to the mailbox; '' when the crawl found none."""
    mailbox = snapshot.get("mailbox") or {}
    if not mailbox.get("url"):
        return ""
    statuses = Counter(str(letter.get("status") or "未注明") for letter in mailbox.get("letters") or [])
    counts = "、".join(f"{status} {n}" for status, n in statuses.most_common())
    total = sum(statuses.values())
    return f" · {link(mailbox['url'], '信箱')}办件 {total} 件" + (f"（{esc(counts)}）" if counts else "")


def _unit_verdict(data: ReportData, unit_id: str) -> str:
    verdict = next((v for v in data.verdicts if v.unit_id == unit_id), None)
    if verdict is None:
        return ""
    text = f"第{verdict.rank}名 · 得分 {_score(verdict)}"
    if verdict.vetoes:
        text += " · 单项否决：" + "；".join(verdict.vetoes)
    if verdict.warnings:
        text += " · 预警：" + "；".join(verdict.warnings)
    return f'<div class="unit-verdict">{esc(verdict.verdict)} · {esc(text)}</div>'


def _unit_section(snapshot: dict, findings: list[Finding], data: ReportData,
                  evidence: EmbeddedEvidence | None = None) -> str:
    unit = snapshot["unit"]
    entry = unit.get("entry_url")
    chart = column_age_chart(data.freshness.get(unit["id"], []))
    legend = _legend((LATE, "超过时限"), (FRESH, "未超时限（虚线为时限）"), (UNTIMED, "不按时效考核"))
    return (f'<section class="panel unit" id="unit-{esc(unit["id"])}"><h3>{esc(unit["name"])}{_verdict_badge(next((v for v in data.verdicts if v.unit_id == unit["id"]), None))}'
            f'<span class="kind">{esc(unit["kind"])}</span></h3>'
            f'<div class="sub">{link(entry, entry) if entry else "未找到信息公开入口"} · {esc(_reachability(snapshot))}'
            f'{_mailbox(snapshot)} · 问题 {len(findings)} 处 · {_unit_files(data, unit["id"])}</div>'
            f'{_not_fully_audited_note(snapshot)}'
            f'{_unit_verdict(data, unit["id"])}{_findings_table(findings, evidence=evidence)}'
            '<a class="totop" href="#top">回到顶部</a>'
            f'{f"<h4>栏目距最近更新的天数（截至 {esc(data.as_of.isoformat())}）</h4>{legend}{chart}" if chart else ""}'
            f'{_gallery(snapshot, findings, evidence)}</section>')


def report_evidence(data: ReportData, by_unit: dict[str, list[Finding]]) -> EmbeddedEvidence:
    """What of the gathered evidence report.html embeds (reports/evidence.py), within data.evidence_budget."""
    failing, passing = [], []
    for snap in data.snapshots:
        for judged in judged_pictures(snap, by_unit.get(snap["unit"]["id"], [])):
            preview = safe_image_uri((judged.image or {}).get("preview"))
            if preview and safe_image_uri((judged.image or {}).get("thumbnail")):
                (failing if judged.verdicts else passing).append(preview)
    pages = {(f.unit_id, f.url) for f in data.findings}
    return embed_evidence(failing, passing, data.evidence, data.evidence_dir, pages, data.evidence_budget)


def _evidence_store(evidence: EmbeddedEvidence) -> str:
    """Each embedded picture and screenshot once, inert until the large view shows it (report.js)."""
    images = "".join(f'<img data-key="{key}" src="{esc(uri)}" alt="">' for uri, key in evidence.keys.items())
    return f'<template id="evidence">{images}</template>'


def _evidence_note(data: ReportData, evidence: EmbeddedEvidence) -> str:
    """What the report holds of the evidence, and what it left out and why, in one paragraph."""
    if not evidence.keys and not evidence.left and data.evidence is None:
        return ""
    parts = [f"本页收录照片和流程图大图 {evidence.pictures} 张、网页截图 {evidence.shots} 张"
             f"（共 {evidence.used / 1048576:.1f} MB，上限 {evidence.budget / 1048576:.1f} MB）"]
    if evidence.left:
        parts.append(f"另有 {len(evidence.left)} 张照片和流程图的大图因报告大小上限未收录，点击放大的是缩略图")
    if evidence.left_shots:
        parts.append(f"{len(evidence.left_shots)} 张网页截图因报告大小上限未收录在本页，"
                     "可点击问题旁的“截图文件”从 evidence 文件夹打开")
    index = data.evidence
    if index is not None and index.unavailable:
        parts.append("本次检查未能拍摄网页截图：运行检查的电脑上浏览器不可用")
    elif index is not None and (index.failed or index.left_out):
        skipped = []
        if index.failed:
            skipped.append(f"{len(index.failed)} 个页面截图失败")
        if index.left_out:
            skipped.append(f"{index.left_out} 个页面超出每次检查的截图数量或时间上限，未截图")
        parts.append("，".join(skipped))
    return f'<p class="muted evidence-note">证据：{esc("；".join(parts))}。</p>'


def _script() -> tuple[str, str]:
    """Our script and its CSP hash: the only script the page may run."""
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return script, f"'sha256-{digest}'"


def render_report(data: ReportData) -> str:
    script, script_hash = _script()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    csp = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {script_hash}"
    by_unit: dict[str, list[Finding]] = {}
    for f in data.findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    title = f"{data.config.county}政府信息公开检查报告"
    evidence = report_evidence(data, by_unit)
    units = "".join(_unit_section(s, by_unit.get(s["unit"]["id"], []), data, evidence) for s in data.snapshots)
    previous = f" · 上次检查 {esc(data.previous_run_id)}" if data.previous_run_id else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}（{esc(data.as_of.isoformat())}）</title>
<style>{css}</style></head><body>
<header class="top" id="top"><h1>{esc(title)}</h1>
<div class="meta">检查日期 {esc(data.as_of.isoformat())} · 运行编号 {esc(data.run_id)}{previous}</div></header>
<nav class="toc"><a href="#overview">总览</a><a href="#verdicts">评定排名</a><a href="#checks">问题类型</a>
<a href="#chart">各单位问题数</a><a href="#freshness">栏目更新</a><a href="#units">单位一览</a><a href="#changes">变化情况</a>
<a href="#trends">历次趋势</a><a href="#details">各单位详情</a></nav>
<main>
{_banner(data)}
<section class="panel" id="overview"><h2>总览</h2>{_cards(data)}{_files(data)}
<p class="muted">本页由信息公开检查程序根据抓取结果自动生成，可离线打开。点击单位名称查看该单位的问题、栏目更新情况和所检查的领导照片、流程图；
“单位一览”可按列排序，也可按名称、类型或问题筛选。点击照片或流程图可放大查看，问题旁的“截图”是检查时该网页的样子。每个单位的问题清单另有 Excel 文件（workbooks 文件夹）。</p>
{_evidence_note(data, evidence)}</section>
<section class="panel" id="verdicts"><h2>评定与排名</h2>{verdict_table(data)}</section>
<section class="panel" id="checks"><h2>按问题类型</h2>{_per_check_table(data)}</section>
<section class="panel" id="chart"><h2>各单位问题数</h2>
{_legend(*((SEVERITY_COLOURS[s], SEVERITIES[s]) for s in SEVERITIES))}{findings_per_unit_chart(data)}</section>
<section class="panel" id="freshness"><h2>栏目距最近更新的天数（截至 {esc(data.as_of.isoformat())}）</h2>
{freshness_table(data)}</section>
<section class="panel" id="units"><h2>单位一览</h2>{_units_table(data)}</section>
<section class="panel" id="changes"><h2>与上次检查相比</h2>{_changes(data)}</section>
<section class="panel" id="trends"><h2>历次检查趋势</h2>{trends(data)}</section>
<div id="details">{units}</div>
</main>
<a class="totop fixed" href="#top" aria-label="回到顶部">↑ 顶部</a>
<dialog id="zoom"><figure><div class="zoom-frame"><img id="zoom-img" alt=""></div><figcaption id="zoom-caption"></figcaption></figure>
<form method="dialog"><button>关闭</button></form></dialog>
{_evidence_store(evidence)}
<script>{script}</script>
</body></html>
"""


def write_report(path: str | Path, data: ReportData) -> Path:
    return write_text_atomically(path, render_report(data))
