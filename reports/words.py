"""Plain Chinese for what a person reads: severity, status, the measured value (`observed`), how to fix.

The CSVs keep the audits' values as the contract has them (`high`, `persisting`, `not_image`);
workbooks, report.html and the bulletin show these words instead. Nothing is judged here:
every word translates a value an audit wrote.
"""
from __future__ import annotations

import re
from datetime import date

from audits.common import ERROR_WORDS, describe_error
from audits.finding import Finding
from audits.reachability import BLOCK_REASONS

SEVERITY_WORDS = {"high": "严重", "medium": "一般", "low": "轻微"}
STATUS_WORDS = {"new": "新发现", "persisting": "上次已发现，仍未整改", "resolved": "已整改", "": "首次检查"}

# One sentence per check: what the coordinator does about it.
HOW_TO_FIX = {
    "site_unreachable": "联系网站运维单位恢复网站访问，确认首页能在15秒内打开。",
    "site_blocked": "联系网站运维单位允许检查程序访问（或在防护设备中放行），本次请人工核查。",
    "site_stale": "尽快发布本单位的最新工作信息，此后每两周至少更新一次。",
    "column_missing": "参照县门户网站信息公开的栏目设置，增设该栏目并发布内容。",
    "column_empty": "在该栏目中发布应公开的内容；确无内容的，注明原因或撤销栏目。",
    "column_stale": "按栏目的更新时限发布新内容（动态类两周、通知公告和政策文件半年、人事和规划计划一年）。",
    "coverage_narrow": "按信息公开目录补齐各类应公开信息，不要只在个别栏目发布。",
    "leader_photo_missing": "为该领导上传本人近期标准照片。",
    "leader_photo_broken": "重新上传该领导的照片，上传后在网页上确认能正常显示。",
    "leader_photo_low_quality": "更换为清晰的本人照片（不低于标准分辨率，不用默认头像）。",
    "leader_info_outdated": "按最新的任免文件更新领导名单、职务和分工。",
    "flowchart_missing": "为该办事事项制作并上传流程图图片。",
    "flowchart_broken": "重新上传流程图，上传后在网页上确认能正常打开。",
    "flowchart_unclear": "上传清晰的流程图图片（长边不少于标准像素，文字清楚可读）。",
    "flowchart_attachment": "把附件形式的流程图转为图片直接显示在网页上。",
    "mailbox_backlog": "登录信箱后台，受理并答复超过时限的来信。",
    "link_broken": "修复链接或附件的地址，无法恢复的删除该链接。",
    "site_not_unified": "按县互联网站管理办法将网站迁入全县统一站群。",
}

_HTTP = re.compile(r"^http_(\d{3})$")


def severity_word(severity: str) -> str:
    return SEVERITY_WORDS.get(severity, severity)


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def observed_words(finding: Finding) -> str:
    """`observed` in plain Chinese: failure codes put in words, figures and dates kept."""
    value = finding.observed or ""
    if finding.check == "site_blocked":
        return BLOCK_REASONS.get(value, "拒绝抓取")
    if value in ERROR_WORDS or _HTTP.match(value) or value == "other":
        return describe_error(value)
    if value.startswith("清晰度"):
        return value.replace("清晰度", "清晰度 ", 1)
    return value.replace("x", "×") if re.fullmatch(r"\d+x\d+", value) else value


def expected_words(finding: Finding) -> str:
    value = finding.expected or ""
    value = re.sub(r"(\d+)x(\d+)", r"\1×\2", value)
    value = re.sub(r">= ?(\d{4}-\d{2}-\d{2})", r"不早于 \1", value)
    return value.replace(">= ", "不低于 ").replace(">=", "不低于 ")


def how_to_fix(check: str) -> str:
    return HOW_TO_FIX.get(check, "按说明整改。")


def rectify_deadline(bulletin: dict) -> str:
    """By when units are to have rectified (`[bulletin] deadline`, else `rectify_working_days`),
    as the bulletin and every workbook say it."""
    if bulletin.get("deadline"):
        d = date.fromisoformat(bulletin["deadline"])
        return f"{d.year}年{d.month}月{d.day}日前"
    return f"自本通报印发之日起{bulletin.get('rectify_working_days', 15)}个工作日内"
