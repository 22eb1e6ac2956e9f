"""flowchart_missing, flowchart_broken, flowchart_unclear and flowchart_attachment.

One finding per workflow item: an attachment that opens is flowchart_attachment
(an image shows better), one that does not is flowchart_broken; an image is
broken, or unclear when its longer side is under flowchart_min_long_side or it
is blurred (sharpness under flowchart_min_sharpness, calibrated like the photos').
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import blur, finding, role_column_name, thresholds
from audits.finding import Finding
from crawler.config import Config

OFFICE = frozenset({"ole2", "zip", "rtf"})   # Word/WPS open .doc/.docx whichever container they hold
# What the first bytes of a file of each extension may be; an extension not listed is not judged.
SIGNATURES_BY_EXT: dict[str, frozenset[str]] = {
    **{ext: OFFICE for ext in ("doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps")},
    "pdf": frozenset({"pdf"}),
    "zip": frozenset({"zip"}),
    "rar": frozenset({"rar"}),
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpeg"}),
    "jpeg": frozenset({"jpeg"}),
    "gif": frozenset({"gif"}),
}


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    limits = thresholds(snapshot, config)
    default_column = role_column_name(config, "workflows")
    for workflow in snapshot["workflows"]:
        chart = workflow.get("flowchart") or {"kind": "none"}
        fields = {"column": workflow.get("column") or default_column,
                  "subject": workflow.get("title") or "", "url": workflow.get("page_url") or ""}
        title = f"“{fields['subject']}”"
        problem = attachment_problem(chart) or image_problem(chart)
        if chart["kind"] == "none":
            yield finding(snapshot, "flowchart_missing", f"{title}没有流程图，请以图片形式补充上传流程图。",
                          observed="无流程图", expected="流程图图片", **fields)
        elif problem:
            yield finding(snapshot, "flowchart_broken",
                          f"{title}的流程图打不开（{problem}：{chart.get('url', '')}），请重新上传。",
                          observed=problem, expected="可打开的文件", **fields)
        elif chart["kind"] == "attachment":
            ext = chart.get("ext") or "附件"
            yield finding(snapshot, "flowchart_attachment",
                          f"{title}的流程图以{ext}附件形式上传，请改为图片直接显示，更为直观。",
                          observed=ext, expected="图片", **fields)
        else:
            yield from unclear(snapshot, chart, limits, title, fields)


def attachment_problem(chart: dict) -> str | None:
    """Why an attachment does not open (None: it opens, or it is not an attachment)."""
    if chart["kind"] != "attachment":
        return None
    if chart.get("error") or chart.get("status") != 200:
        return chart.get("error") or f"HTTP {chart.get('status')}"
    if not chart.get("bytes"):
        return "空文件"
    allowed = SIGNATURES_BY_EXT.get(str(chart.get("ext") or "").lower())
    signature = chart.get("signature")
    if allowed and signature and signature not in allowed:
        return f"文件内容为{signature}，与扩展名不符"
    return None


def image_problem(chart: dict) -> str | None:
    """Why an image does not show (None: it shows, or it is not an image)."""
    if chart["kind"] != "image":
        return None
    if chart.get("error") or chart.get("status") != 200:
        return chart.get("error") or f"HTTP {chart.get('status')}"
    if not chart.get("bytes") or not chart.get("width"):
        return "无法读取图片"
    return None


def unclear(snapshot: dict, chart: dict, limits: dict[str, float], title: str,
            fields: dict[str, str]) -> Iterator[Finding]:
    min_long_side = int(limits["flowchart_min_long_side"])
    width, height = chart.get("width") or 0, chart.get("height") or 0
    blurred = blur(chart, limits["flowchart_min_sharpness"])
    if max(width, height) < min_long_side:
        reason, observed, expected = "尺寸过小", f"{width}x{height}", f"长边 >= {min_long_side}"
    elif blurred:
        reason, (observed, expected) = "模糊", blurred
    else:
        return
    yield finding(snapshot, "flowchart_unclear",
                  f"{title}的流程图{reason}，无法看清，请上传清晰的流程图图片。",
                  observed=observed, expected=expected, **fields)
