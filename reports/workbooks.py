"""Workbooks (.xlsx) for people, beside the CSVs of the contract (which stay the machine interface).

- `workbooks/<单位名称>.xlsx`, one per unit, for its coordinator: the verdict on top, then one row
  per problem with the message first, then what to fix, the page to open (a clickable link),
  the column, the thing concerned, the measured value and the standard in plain Chinese,
  severity and status in words, and the deadline. A unit without findings gets 未发现问题.
- `workbooks/检查结果汇总.xlsx` for the office: 单位评定 (every unit's verdict, ranked, with
  the vetoes named and a link to its workbook), 全部问题, then one sheet per check.

Headers are Chinese, cells are text (a crawled title starting with `=` is never a formula:
openpyxl writes strings as strings), links are real hyperlinks.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audits.checks import CHECKS
from audits.finding import Finding
from audits.verdict import UnitVerdict
from crawler.config import Config
from crawler.files import write_atomically
from reports.words import expected_words, how_to_fix, observed_words, rectify_deadline, severity_word, status_word

OFFICE_WORKBOOK = "检查结果汇总.xlsx"
FINDING_HEADERS = ("问题说明", "整改要求", "问题页面", "问题类型", "栏目", "涉及对象", "检查发现", "标准",
                   "严重程度", "状态")
WIDTHS = (60, 40, 30, 16, 16, 24, 22, 22, 10, 14)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
FAIL_FILL = PatternFill("solid", fgColor="F8D7DA")
_UNSAFE_FILE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_HTTP = re.compile(r"^https?://", re.I)
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def workbook_name(unit_name: str, unit_id: str, taken: set[str]) -> str:
    """The unit's Chinese name as a file name (its id added when two names would collide)."""
    name = _UNSAFE_FILE.sub("_", unit_name).strip(". ") or unit_id
    if name in taken:
        name = f"{name}（{unit_id}）"
    taken.add(name)
    return f"{name}.xlsx"


def _text(value: object) -> str:
    return _XLSX_ILLEGAL.sub("", "" if value is None else str(value))


def _header(sheet, headers, widths) -> None:
    sheet.append(list(headers))
    for i, width in enumerate(widths, start=1):
        cell = sheet.cell(row=sheet.max_row, column=i)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"A{sheet.max_row + 1}"      # a string: asking for the cell would create a row


def _link(cell, url: str, text: str = "打开页面") -> None:
    if url and _HTTP.match(url):
        cell.value, cell.hyperlink = text, url
        cell.font = Font(color="1F5FA8", underline="single")


def _finding_rows(sheet, findings: list[Finding], with_unit: bool = False) -> None:
    for f in findings:
        row = ([_text(f.unit)] if with_unit else []) + [
            _text(f.message), how_to_fix(f.check), "", f.check_label, _text(f.column), _text(f.subject),
            _text(observed_words(f)), _text(expected_words(f)), severity_word(f.severity), status_word(f.status)]
        sheet.append(row)
        _link(sheet.cell(row=sheet.max_row, column=3 + with_unit), f.url)
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _verdict_lines(verdict: UnitVerdict) -> list[str]:
    lines = [f"评定结果：{verdict.verdict}" + (f"（得分 {verdict.score:g}，全县排名第{verdict.rank}位）"
                                           if verdict.score is not None else "")]
    if verdict.vetoes:
        lines.append("单项否决：" + "；".join(verdict.vetoes))
    if verdict.warnings:
        lines.append("预警：" + "；".join(verdict.warnings))
    return lines


def unit_workbook(unit: dict, findings: list[Finding], verdict: UnitVerdict | None, config: Config,
                  as_of: date, run_id: str) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append([f"{unit['name']}政府信息公开检查问题清单"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"检查日期：{as_of.year}年{as_of.month}月{as_of.day}日　整改期限：{rectify_deadline(config.bulletin)}"
                  f"　运行编号：{run_id}"])
    for line in _verdict_lines(verdict) if verdict else []:
        sheet.append([line])
        if verdict.verdict == "不合格":
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="9C0006")
    sheet.append([])
    _header(sheet, FINDING_HEADERS, WIDTHS)
    if findings:
        _finding_rows(sheet, findings)
    else:
        sheet.append(["未发现问题", "请继续保持，按时更新各栏目内容。"])
    return book


def office_workbook(findings: list[Finding], verdicts: list[UnitVerdict], names: dict[str, str],
                    as_of: date) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "单位评定"
    _header(sheet, ("排名", "单位", "类型", "评定结果", "得分", "单项否决", "预警", "问题数", "单位问题清单"),
            (6, 16, 10, 10, 8, 50, 40, 8, 22))
    for v in verdicts:
        sheet.append([v.rank, v.unit, v.kind, v.verdict, v.score if v.score is not None else "—",
                      "；".join(v.vetoes) or "无", "；".join(v.warnings) or "无", v.problems, ""])
        cell = sheet.cell(row=sheet.max_row, column=9)
        cell.value, cell.hyperlink = names[v.unit_id], names[v.unit_id]      # relative: workbooks/ folder
        cell.font = Font(color="1F5FA8", underline="single")
        if v.verdict == "不合格":
            for c in sheet[sheet.max_row][:4]:
                c.fill = FAIL_FILL
        for c in sheet[sheet.max_row]:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    every = book.create_sheet("全部问题")
    _header(every, ("单位", *FINDING_HEADERS), (14, *WIDTHS))
    _finding_rows(every, findings, with_unit=True)
    for check, (label, _) in CHECKS.items():
        own = [f for f in findings if f.check == check]
        if own:
            part = book.create_sheet(label[:31])
            _header(part, ("单位", *FINDING_HEADERS), (14, *WIDTHS))
            _finding_rows(part, own, with_unit=True)
    return book


def write_workbooks(run_dir: str | Path, findings: list[Finding], verdicts: list[UnitVerdict],
                    snapshots: list[dict], config: Config, as_of: date, run_id: str) -> dict[str, str]:
    """Every workbook of the run; returns unit id -> file name (under workbooks/)."""
    folder = Path(run_dir) / "workbooks"
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    by_verdict = {v.unit_id: v for v in verdicts}
    taken: set[str] = {OFFICE_WORKBOOK[:-5]}
    names = {}
    for snapshot in snapshots:
        unit = snapshot["unit"]
        names[unit["id"]] = workbook_name(unit["name"], unit["id"], taken)
        book = unit_workbook(unit, by_unit.get(unit["id"], []), by_verdict.get(unit["id"]), config, as_of, run_id)
        write_atomically(folder / names[unit["id"]], lambda tmp, book=book: book.save(tmp))
    book = office_workbook(findings, [v for v in verdicts if v.unit_id in names], names, as_of)
    write_atomically(folder / OFFICE_WORKBOOK, lambda tmp: book.save(tmp))
    return names
