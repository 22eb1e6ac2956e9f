"""The draft 通报: bulletin.md and bulletin.docx.

Written in the manner of the 2011 建始县 bulletin's sections 三 (信息公开),
四 (网上信访) and 七 (互联网建设, with the units whose HTTPS certificate is invalid): one
paragraph per problem, in the order of the checks, naming the offending units (乡镇 first, then 县直部门), with figures
where the bulletin gives figures. Every name comes from the findings, the
snapshots or the config; the prose around them is fixed.

The text is first built as a list of `Block`s, then rendered twice (Markdown
for reading and diffing, Word because the office issues bulletins in Word).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from audits.checks import CHECKS
from audits.finding import Finding
from audits.verdict import FAIL, NOT_JUDGED, UnitVerdict
from crawler.config import UNIT_KINDS, Config
from crawler.files import write_atomically, write_text_atomically
from crawler.monitoring import unfetched_units
from reports.order import in_config_order
from reports.words import rectify_deadline

HANDLED_STATUSES = ("已受理", "已办结")
UNACCEPTED_STATUS = "未受理"
OTHER_KIND = "其他单位"
# GB/T 9704-2012: title in 2号 小标宋, body in 3号 仿宋, first-level headings 黑体, second-level 楷体;
# each with the fonts that stand in where it is not installed (Word's fontTable altName; LibreOffice
# and WPS then fall back through fontconfig to any installed CJK font).
TITLE_FONT, BODY_FONT, HEADING_FONT, HEADING2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
CJK_FONT = BODY_FONT
FONT_FALLBACKS = {
    TITLE_FONT: "华文中宋;宋体;SimSun;Noto Serif CJK SC",
    BODY_FONT: "仿宋;FangSong;STFangsong;Noto Serif CJK SC",
    HEADING_FONT: "SimHei;Noto Sans CJK SC",
    HEADING2_FONT: "楷体;KaiTi;STKaiti;Noto Serif CJK SC",
}
TITLE_PT, BODY_PT = 22, 16          # 2号, 3号
LINE_PT = 28.95                     # 22 lines on the 225 mm text block
PLACEHOLDER_OFFICE = "（发文机关）"
PLACEHOLDER_NUMBER = "××〔　　〕×号"

# Characters XML (hence Word) cannot hold; crawled text sometimes carries them.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class Block:
    style: str          # title | note | heading | para | date
    text: str

    def __post_init__(self):
        object.__setattr__(self, "text", _XML_INVALID.sub("", self.text))


@dataclass(frozen=True)
class Problem:
    """One paragraph of the bulletin: the checks it covers and how it is worded."""
    checks: tuple[str, ...]
    wording: str            # "{portal}" stands for the county portal's name, e.g. 《建始网》
    # Optional note after a unit's name, e.g. "最近更新于2011年3月2日".
    note: Callable[[list[Finding], dict], str] | None = None


def _cn_date(iso: str | None) -> str:
    try:
        d = date.fromisoformat(iso or "")
    except ValueError:
        return iso or ""
    return f"{d.year}年{d.month}月{d.day}日"


def _newest_entry_note(findings: list[Finding], snapshot: dict) -> str:
    """What site_stale found: the newest date (its `observed`), or that nothing is dated."""
    observed = findings[0].observed if findings else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", observed):
        return f"最近更新于{_cn_date(observed)}"
    return "信息均未注明日期"


def _columns_with_content_note(findings: list[Finding], snapshot: dict) -> str:
    """What coverage_narrow found: the columns holding anything (its `observed`, "2个栏目：甲、乙")."""
    names = findings[0].observed.partition("：")[2].split("、") if findings else []
    names = [n for n in names if n]
    if not names:
        return "没有任何信息"
    return "只有" + "、".join(f"“{n}”" for n in names) + f"{_count_word(len(names))}类信息"


def _count_note(unit_word: str) -> Callable[[list[Finding], dict], str]:
    return lambda findings, snapshot: f"{len(findings)}{unit_word}" if len(findings) > 1 else ""


def _leaders_note(findings: list[Finding], snapshot: dict) -> str:
    people = {f.subject for f in findings}
    return f"领导{len(people)}人" if len(people) > 1 else ""


# Section 三 of the bulletin, in check order (the photo and flowchart checks are
# merged the way the 2011 bulletin words them).
DISCLOSURE_PROBLEMS = (
    Problem(("site_unreachable",), "网站无法访问，群众看不到公开的信息"),
    Problem(("site_blocked",), "网站设置了访问限制，本次未能自动检查其内容，需人工核查"),
    Problem(("site_stale",), "没有及时更新，信息陈旧", _newest_entry_note),
    Problem(("column_missing",), "栏目设置不全，可参照{portal}信息公开的栏目设置重新调整", _count_note("个栏目")),
    Problem(("column_empty",), "存在没有内容的空白栏目", _count_note("个栏目")),
    Problem(("column_stale",), "栏目更新不及时", _count_note("个栏目")),
    Problem(("coverage_narrow",), "内容集中在少数几类，信息不全面", _columns_with_content_note),
    Problem(("leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality"),
            "领导没有照片或照片质量不高", _leaders_note),
    Problem(("leader_info_outdated",), "领导更换后应公开的信息没有随即更新", _leaders_note),
    Problem(("flowchart_missing",), "工作流程没有流程图", _count_note("项")),
    Problem(("flowchart_broken", "flowchart_unclear"), "工作流程图不清晰或打不开", _count_note("项")),
    Problem(("flowchart_attachment",), "流程图是以附件的形式上传的，可用图片显示更为直观",
            _count_note("项")),
    Problem(("link_broken",), "页面中有打不开的链接或附件", _count_note("处")),

)
MAILBOX_CHECK = "mailbox_backlog"
UNIFIED_CHECK = "site_not_unified"
CERTIFICATE_CHECK = "site_certificate_invalid"
DISCLOSURE_CHECKS = {c for p in DISCLOSURE_PROBLEMS for c in p.checks}


def chinese_numeral(n: int) -> str:
    """1..99 as 一 … 九十九 (paragraph numbering: 一是、二是 …)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _count_word(n: int) -> str:
    return "两" if n == 2 else chinese_numeral(n)


class _Units:
    """The audited units in config order, and how to name groups of them."""

    def __init__(self, config: Config, snapshots: list[dict]):
        self.snapshots = in_config_order(config, snapshots)
        self.by_id = {s["unit"]["id"]: s for s in self.snapshots}

    def name(self, unit_id: str) -> str:
        return self.by_id[unit_id]["unit"]["name"]

    def kind(self, unit_id: str) -> str:
        kind = self.by_id[unit_id]["unit"]["kind"]
        return kind if kind in UNIT_KINDS else OTHER_KIND

    def ordered(self, unit_ids) -> list[str]:
        wanted = set(unit_ids)
        return [s["unit"]["id"] for s in self.snapshots if s["unit"]["id"] in wanted]

    def grouped(self, unit_ids, notes: dict[str, str] | None = None) -> str:
        """'乡镇有A、B，县直部门有C（3处）' — townships first, as the bulletin does."""
        notes = notes or {}
        ordered = self.ordered(unit_ids)
        parts = []
        for kind in (*UNIT_KINDS, OTHER_KIND):
            members = [u for u in ordered if self.kind(u) == kind]
            if members:
                named = "、".join(self.name(u) + (f"（{notes[u]}）" if notes.get(u) else "")
                                 for u in members)
                parts.append(f"{kind}有{named}")
        return "，".join(parts)


def _by_unit(findings: list[Finding], checks) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        if f.check in checks:
            grouped.setdefault(f.unit_id, []).append(f)
    return grouped


def _scope(units: _Units, findings: list[Finding]) -> str:
    kinds = Counter(s["unit"]["kind"] for s in units.snapshots)
    described = "、".join(f"{k}{kinds[k]}个" for k in UNIT_KINDS if kinds[k])
    offenders = {f.unit_id for f in findings if f.unit_id in units.by_id}
    return (f"本次共检查{len(units.snapshots)}个单位{f'（{described}）' if described else ''}的网上信息公开情况，"
            f"发现问题{len(findings)}处，涉及{len(offenders)}个单位。现将有关情况通报如下：")


def _unworded_problems(findings: list[Finding]) -> list[Problem]:
    """Checks added after this wording was written: named by their label, after the others."""
    worded = DISCLOSURE_CHECKS | {MAILBOX_CHECK, UNIFIED_CHECK, CERTIFICATE_CHECK}
    found = {f.check for f in findings}
    return [Problem((check,), f"存在“{label}”问题", _count_note("处"))
            for check, (label, _) in CHECKS.items() if check in found and check not in worded]


def portal_name(config: Config) -> str:
    """《建始网》: the name of the county portal, whose layout is the reference."""
    try:
        return f"《{config.unit(config.portal).name}》"
    except KeyError:
        return "县门户网站"


def _verdict_section(units: _Units, verdicts: list[UnitVerdict]) -> list[Block]:
    """一、总体评定: counts, the failing units with their vetoes, the best by score."""
    blocks = [Block("heading", "一、总体评定")]
    counts = Counter(v.verdict for v in verdicts)
    text = (f"按照全国政府网站检查指标的单项否决和扣分办法，本次评定合格{counts['合格']}个、"
            f"不合格{counts[FAIL]}个" + (f"、无法评定{counts[NOT_JUDGED]}个（网站拒绝自动检查，需人工核查）"
                                      if counts[NOT_JUDGED] else "") + "。")
    failing = {v.unit_id: "；".join(v.vetoes) for v in verdicts if v.verdict == FAIL and v.unit_id in units.by_id}
    if failing:
        text += f"不合格的单位：{units.grouped(list(failing), failing)}。"
    best = [v for v in verdicts if v.verdict == "合格" and v.score is not None][:5]
    if best:
        text += "得分较高的单位：" + "、".join(f"{v.unit}（{v.score:g}分）" for v in best) + "。"
    return blocks + [Block("para", text)]


def _disclosure_section(units: _Units, findings: list[Finding], portal: str,
                        failing: set[str] = frozenset(), number: str = "二") -> list[Block]:
    blocks = [Block("heading", f"{number}、信息公开")]
    # doing well: read, with content, and no disclosure problem at all (the bulletin names no unit twice)
    with_content = [s["unit"]["id"] for s in units.snapshots
                    if s["reachability"].get("fetched") and not s["reachability"].get("blocked")
                    and any(c.get("entry_count") for c in s.get("columns", []))]
    offenders = {f.unit_id for f in findings if f.check in DISCLOSURE_CHECKS}
    good = [u for u in with_content if u not in offenders and u not in failing]   # never praise a failing unit
    if good:
        blocks.append(Block("para", "信息公开内容的数量和质量都比较高、未发现问题的单位："
                                    f"{units.grouped(good)}。"))
    problems = [(p, _by_unit(findings, p.checks)) for p in (*DISCLOSURE_PROBLEMS, *_unworded_problems(findings))]
    problems = [(p, offenders) for p, offenders in problems if offenders]
    if not problems:
        blocks.append(Block("para", "本次检查未发现信息公开方面的问题。"))
        return blocks
    blocks.append(Block("para", "需要改进的内容："))
    for number, (problem, offenders) in enumerate(problems, start=1):
        notes = {u: problem.note(fs, units.by_id[u]) for u, fs in offenders.items()
                 if problem.note and u in units.by_id}
        known = [u for u in offenders if u in units.by_id]
        wording = problem.wording.replace("{portal}", portal)
        blocks.append(Block("para", f"{chinese_numeral(number)}是部分单位{wording}，"
                                    f"{units.grouped(known, notes)}。"))
    return blocks


def _letters(snapshot: dict) -> list[dict]:
    return (snapshot.get("mailbox") or {}).get("letters") or []


def _mailbox_section(units: _Units, findings: list[Finding], config: Config,
                     as_of: date, number: str = "三") -> list[Block]:
    blocks = [Block("heading", f"{number}、网上信访")]
    letters = [letter for s in units.snapshots for letter in _letters(s)]
    if not letters:
        return blocks + [Block("para", "本次检查未发现各单位网上信箱中的办件。")]
    unaccepted = [letter for letter in letters if letter.get("status") == UNACCEPTED_STATUS]
    handled = [letter for letter in letters if letter.get("status") in HANDLED_STATUSES]
    backlog = _by_unit(findings, {MAILBOX_CHECK})
    text = f"各单位网上信箱共有办件{len(letters)}件。"
    received = sorted(letter["received"] for letter in unaccepted if letter.get("received"))
    if received:
        first = date.fromisoformat(received[0])
        text += (f"从{first.year}年{first.month}月起至{as_of.year}年{as_of.month}月，"
                 f"共有未受理办件{len(unaccepted)}件。")
    elif unaccepted:
        text += f"共有未受理办件{len(unaccepted)}件。"
    if backlog:
        overdue = sum(len(fs) for fs in backlog.values())
        text += (f"{_overdue_words(backlog, as_of)}未受理或未答复的办件{overdue}件，涉及{len(backlog)}个单位："
                 f"{units.grouped([u for u in backlog if u in units.by_id], {u: f'{len(fs)}件' for u, fs in backlog.items()})}，"
                 "请各单位务必登录后台进行受理并办理。")
    text += f"已受理并办理的办件有{len(handled)}件"
    doing_well = _handling_well(units, set(backlog))
    text += ("，办理较好的单位有" + "、".join(f"{units.name(u)}（{n}件）" for u, n in doing_well) + "。"
             if doing_well else "。")
    return blocks + [Block("para", text)]


def _overdue_words(backlog: dict[str, list[Finding]], as_of: date) -> str:
    """"超过90天" from the limits mailbox_backlog applied (each finding's `expected`, a unit may have
    its own); "超过规定期限" when the units' limits differ."""
    limits = set()
    for finding in (f for fs in backlog.values() for f in fs):
        found = re.search(r"\d{4}-\d{2}-\d{2}", finding.expected or "")
        limits.add((as_of - date.fromisoformat(found.group())).days if found else None)
    return f"超过{limits.pop()}天" if len(limits) == 1 and None not in limits else "超过规定期限"


def _handling_well(units: _Units, backlog: set[str]) -> list[tuple[str, int]]:
    """Units without backlog that handled more letters than the average handling unit, most first."""
    handled = {s["unit"]["id"]: sum(letter.get("status") in HANDLED_STATUSES for letter in _letters(s))
               for s in units.snapshots if s["unit"]["id"] not in backlog}
    handled = {u: n for u, n in handled.items() if n}
    if not handled:
        return []
    average = sum(handled.values()) / len(handled)
    return sorted(((u, n) for u, n in handled.items() if n >= average), key=lambda item: -item[1])


def _internet_section(units: _Units, findings: list[Finding], config: Config, number: str = "四") -> list[Block]:
    blocks = [Block("heading", f"{number}、互联网建设")]
    outside = set(_by_unit(findings, {UNIFIED_CHECK}))
    own_sites = [s["unit"]["id"] for s in units.snapshots
                 if s["unit"].get("own_site") and s["reachability"].get("fetched")]
    inside = [u for u in own_sites if u not in outside]
    hosted = [s["unit"]["id"] for s in units.snapshots if not s["unit"].get("own_site")]
    if inside:
        blocks.append(Block("para", "目前已进入全县统一站群体系、互联网信息发布纳入统一规范管理的单位："
                                    f"{units.grouped(inside)}。"))
    if outside:
        blocks.append(Block("para", "自建网站尚未纳入全县统一站群的单位："
                                    f"{units.grouped([u for u in outside if u in units.by_id])}，"
                                    "建立网站时必须在统一规范下进行。"))
    bad_certificates = _by_unit(findings, {CERTIFICATE_CHECK})
    if bad_certificates:
        # what is wrong, without its figures (自签名证书、证书已过期): those are in the findings
        notes = {u: "、".join(dict.fromkeys(part.split("（")[0] for f in fs for part in f.observed.split("；")))
                 for u, fs in bad_certificates.items()}
        blocks.append(Block("para", "网站证书无效、浏览器访问时提示不安全的单位："
                                    f"{units.grouped([u for u in bad_certificates if u in units.by_id], notes)}，"
                                    "请尽快更换为受信任机构签发的有效证书。"))
    if hosted:
        blocks.append(Block("para", f"另有{len(hosted)}个单位的信息公开内容发布在{portal_name(config)}上。"))
    if len(blocks) == 1:
        blocks.append(Block("para", "本次检查未获得各单位网站的站群信息。"))
    return blocks


def bulletin_title(config: Config, as_of: date) -> str:
    """The period is the config's (e.g. 2011年1—9月); otherwise the day of the check, never a made-up year."""
    period = config.bulletin.get("period")
    if period:
        return f"{config.county}{period}政府信息公开情况通报（草稿）"
    return f"{config.county}政府信息公开检查情况通报（草稿）"


def _closing_section(config: Config, verdicts: list[UnitVerdict], number: str) -> list[Block]:
    office = config.bulletin.get("office") or PLACEHOLDER_OFFICE
    failing = sum(v.verdict == FAIL for v in verdicts)
    return [Block("heading", f"{number}、整改要求"),
            Block("para", "请被通报的单位对照检查结果汇总表和本单位问题清单逐项整改，"
                          f"{rectify_deadline(config.bulletin)}完成整改，并将整改情况书面报送{office}。"
                          + (f"评定为不合格的{failing}个单位要明确责任人，优先消除单项否决问题；" if failing else "")
                          + "整改情况将在下次检查中复核并予以通报。")]


def _failed_run_note(units: _Units, unread: list[str]) -> str:
    """A run that failed as a whole (crawler.monitoring.run_failed: the network was down, most likely):
    its unreached units are not blamed as 无法访问, and the draft says it is not to be issued."""
    return (f"本次检查未能正常完成：{len(units.snapshots)}个单位中有{len(unread)}个单位的网站都没有抓取到，很可能是"
            f"检查程序所在的网络中断，并非这些网站本身出了问题。这些单位（{units.grouped(unread)}）本次不作评定，"
            "也不列入下面的问题；本稿不宜印发，请检查网络后重新运行检查。")


def bulletin_blocks(findings: list[Finding], snapshots: list[dict], config: Config,
                    as_of: date, run_id: str = "", verdicts: list[UnitVerdict] | None = None,
                    failed: bool = False) -> list[Block]:
    units = _Units(config, snapshots)
    verdicts = verdicts or []
    office = config.bulletin.get("office") or PLACEHOLDER_OFFICE
    note = (f"本稿由信息公开检查程序根据{as_of.year}年{as_of.month}月{as_of.day}日的检查结果"
            f"自动生成（运行编号 {run_id}），请核实后印发。" if run_id else
            "本稿由信息公开检查程序自动生成，请核实后印发。")
    warnings = []
    if failed:
        unread = units.ordered(s["unit"]["id"] for s in unfetched_units(snapshots))
        findings = [f for f in findings if not (f.unit_id in unread and f.check == "site_unreachable")]
        verdicts = [v for v in verdicts if v.unit_id not in unread]
        warnings = [Block("note", _failed_run_note(units, unread))]
    scope = f"截至{_cn_date(as_of.isoformat())}，" + _scope(units, findings)
    failing = {v.unit_id for v in verdicts if v.verdict == FAIL}
    numbers = iter("一二三四五六七八")
    sections = [*(_verdict_section(units, verdicts) if verdicts else [])]
    if verdicts:
        next(numbers)
    sections += _disclosure_section(units, findings, portal_name(config), failing, next(numbers))
    sections += _mailbox_section(units, findings, config, as_of, next(numbers))
    sections += _internet_section(units, findings, config, next(numbers))
    sections += _closing_section(config, verdicts, next(numbers))
    return [Block("number", config.bulletin.get("number") or PLACEHOLDER_NUMBER),
            Block("title", bulletin_title(config, as_of)), Block("note", note), *warnings,
            Block("recipients", f"{config.bulletin.get('recipients') or '各有关单位'}："),
            Block("para", scope), *sections,
            Block("signature", office),
            Block("date", f"{as_of.year}年{as_of.month}月{as_of.day}日")]


def to_markdown(blocks: list[Block]) -> str:
    prefix = {"title": "# ", "heading": "## ", "note": "> ", "para": "", "date": "", "number": "",
              "recipients": "", "signature": ""}
    return "\n\n".join(prefix[b.style] + _MARKDOWN_SPECIAL.sub(r"\\\1", b.text) for b in blocks) + "\n"


def _fonts(element, east_asian: str, ascii_font: str = "Times New Roman") -> None:
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), ascii_font)
    fonts.set(qn("w:eastAsia"), east_asian)


def _language(element) -> None:
    _set_chinese(element.get_or_add_rPr())


def _set_chinese(rpr) -> None:
    """w:lang zh-CN on a run-properties element (Word then hyphenates and spell-checks as Chinese)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(document, name: str, font: str, size: float, bold: bool = False, centred: bool = False,
           indent: bool = False, outline: int | None = None):
    style = document.styles[name]
    style.font.size, style.font.bold = Pt(size), bold
    style.font.color.rgb = None
    style.font.italic = False
    _fonts(style.element, font)
    _language(style.element)
    fmt = style.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT if size <= BODY_PT else 36)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if centred:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if outline is not None:
        fmt.keep_with_next = True
    return style


def _font_table(document) -> None:
    """Declare the 公文 fonts with the ones that stand in for them (w:altName)."""
    table = document.part.font_table_part.element if hasattr(document.part, "font_table_part") else None
    if table is None:
        for rel in document.part.rels.values():
            if rel.reltype.endswith("/fontTable"):
                table = rel.target_part
                break
    if table is None:
        return
    from lxml import etree
    root = etree.fromstring(table.blob) if not hasattr(table, "element") else table.element
    for name, alternatives in FONT_FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternatives)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")              # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name in (BODY_FONT, HEADING2_FONT) else "auto")
    if not hasattr(table, "element"):
        table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    """— 1 — centred at the foot of each page (GB/T 9704 uses 4号 Arabic numerals between dashes)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        r.font.size = Pt(14)
        _fonts(r._element, "宋体")


def to_docx(blocks: list[Block], path: str | Path) -> Path:
    """A 公文 after GB/T 9704-2012: A4, its margins (top 37 mm, left 28 mm, text block 156 x 225 mm),
    2号 小标宋 title, 3号 仿宋 body at 22 lines a page, 黑体 headings, real styles, zh-CN."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    settings = document.settings.element
    styles_root = document.styles.element
    defaults = styles_root.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            _set_chinese(rpr_default.find(qn("w:rPr")))
    del settings
    _style(document, "Normal", BODY_FONT, BODY_PT, indent=True)
    _style(document, "Title", TITLE_FONT, TITLE_PT, centred=True, outline=0)
    _style(document, "Heading 1", HEADING_FONT, BODY_PT, indent=True, outline=1)
    _style(document, "Heading 2", HEADING2_FONT, BODY_PT, indent=True, outline=2)
    _style(document, "Subtitle", BODY_FONT, 12, centred=True)
    _font_table(document)
    styles = {"title": "Title", "heading": "Heading 1", "note": "Subtitle", "para": "Normal",
              "number": "Normal", "recipients": "Normal", "signature": "Normal", "date": "Normal"}
    for block in blocks:
        paragraph = document.add_paragraph(block.text, style=styles[block.style])
        fmt = paragraph.paragraph_format
        if block.style == "number":
            fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
            fmt.space_after = Pt(LINE_PT)
        elif block.style == "title":
            fmt.space_after = Pt(LINE_PT)
        elif block.style == "note":
            fmt.space_after = Pt(LINE_PT / 2)
        elif block.style == "recipients":
            fmt.first_line_indent = Pt(0)
        elif block.style == "signature":
            fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(0)
            fmt.right_indent, fmt.space_before = Pt(BODY_PT * 4), Pt(LINE_PT * 2)
        elif block.style == "date":
            fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(0)
            fmt.right_indent = Pt(BODY_PT * 4)
    _page_number_footer(section)
    document.core_properties.language = "zh-CN"
    document.core_properties.title = next((b.text for b in blocks if b.style == "title"), "")
    return write_atomically(path, lambda tmp: document.save(str(tmp)))


def write_bulletin(run_dir: str | Path, findings: list[Finding], snapshots: list[dict],
                   config: Config, as_of: date, run_id: str = "",
                   verdicts: list[UnitVerdict] | None = None, failed: bool = False) -> list[Block]:
    blocks = bulletin_blocks(findings, snapshots, config, as_of, run_id, verdicts, failed)
    write_text_atomically(Path(run_dir, "bulletin.md"), to_markdown(blocks))
    to_docx(blocks, Path(run_dir, "bulletin.docx"))
    return blocks
