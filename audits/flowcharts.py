"""flowchart_missing, flowchart_broken, flowchart_unclear and flowchart_attachment.

One finding per workflow item and check: an attachment is flowchart_attachment (an
image shows better); one that does not open is also flowchart_broken, except when
nothing was served at all (a 404 or a failed request is only broken: no file was
uploaded there to be judged as one); an image is broken, or unclear when its longer
side is under flowchart_min_long_side or it is blurred (sharpness under
flowchart_min_sharpness, calibrated like the photos').
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import UNJUDGED_ERRORS, blur, describe_error, finding, image_failure, role_column_name, thresholds
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
SIGNATURE_NAMES = {"ole2": "Office文档", "zip": "Office文档或压缩包", "pdf": "pdf", "rar": "rar", "rtf": "rtf"}


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    limits = thresholds(snapshot, config)
    default_column = role_column_name(config, "workflows")
    for workflow in snapshot["workflows"]:
        chart = workflow.get("flowchart") or {}
        kind = chart.get("kind") or "none"
        fields = {"column": workflow.get("column") or default_column,
                  "subject": workflow.get("title") or "", "url": workflow.get("page_url") or ""}
        title = f"“{fields['subject']}”"
        failure = attachment_failure(chart) if kind == "attachment" else image_failure(chart)
        if kind == "none":
            yield finding(snapshot, "flowchart_missing", f"{title}没有流程图，请以图片形式补充上传流程图。",
                          observed="无流程图", expected="流程图图片", **fields)
        elif failure in UNJUDGED_ERRORS:
            continue
        else:
            if failure:
                yield finding(snapshot, "flowchart_broken",
                              f"{title}的流程图打不开（{describe_error(failure)}：{chart.get('url', '')}），请重新上传。",
                              observed=failure, expected="可打开的文件", **fields)
            if kind == "attachment" and (not failure or was_served(chart)):
                file_type = attachment_type(chart)
                yield finding(snapshot, "flowchart_attachment",
                              f"{title}的流程图以{file_type}附件形式上传，请改为图片直接显示，更为直观。",
                              observed=file_type, expected="图片", **fields)
            elif not failure:
                yield from unclear(snapshot, chart, limits, title, fields)


def attachment_failure(chart: dict) -> str | None:
    """The failure kind of an attachment that does not open (None: it opens)."""
    if chart.get("error"):
        return chart["error"]
    if chart.get("status") != 200:
        return f"http_{chart.get('status')}"
    if not chart.get("bytes"):
        return "empty"
    allowed = SIGNATURES_BY_EXT.get(str(chart.get("ext") or "").lower())
    signature = chart.get("signature")
    return "signature_mismatch" if allowed and signature and signature not in allowed else None


def was_served(chart: dict) -> bool:
    """True when the server answered with a file (2xx), even an empty or mislabelled one."""
    return isinstance(chart.get("status"), int) and 200 <= chart["status"] < 300


def attachment_type(chart: dict) -> str:
    """The file's extension when it names a document type, else what its first bytes say it is.

    Downloads are often served by a script (download.jsp?filename=…), whose own extension says nothing.
    """
    ext = str(chart.get("ext") or "").lower()
    if ext in SIGNATURES_BY_EXT:
        return ext
    return SIGNATURE_NAMES.get(chart.get("signature"), ext or "附件")


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
