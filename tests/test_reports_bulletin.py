"""The draft 通报: names the offending units per problem in check order, with the bulletin's figures."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from audits import judge_units
from crawler.config import BULLETIN_DEFAULTS
from reports.bulletin import chinese_numeral, write_bulletin
from tests.reports_sample import sample_config, sample_findings, sample_snapshots

AS_OF = date(2011, 9, 30)


@pytest.fixture
def bulletin(tmp_path):
    findings = sample_findings()
    # a township and a department with the same problem: the township is named first
    township_photo = replace(findings[4], unit_id="yezhou", unit="业州镇", subject="李四")
    findings.insert(3, township_photo)
    config = replace(sample_config(), bulletin={**BULLETIN_DEFAULTS, "period": "2011年1—9月",
                                                "office": "建始县人民政府办公室", "number": "建政办通〔2011〕12号"})
    verdicts = judge_units(sample_snapshots(), findings, config, AS_OF)
    write_bulletin(tmp_path, findings, sample_snapshots(), config, AS_OF, "20110930-020000", verdicts)
    return tmp_path


def paragraph_with(text: str, needle: str) -> str:
    return next(p for p in text.split("\n\n") if needle in p)


def test_problems_in_check_order_naming_their_units(bulletin):
    md = (bulletin / "bulletin.md").read_text(encoding="utf-8")
    order = ["网站无法访问", "信息陈旧", "信息不全面", "领导没有照片或照片质量不高", "工作流程图不清晰或打不开"]
    positions = [md.index(problem) for problem in order]
    assert positions == sorted(positions)
    assert "茅田乡（最近更新于2011年3月2日）" in paragraph_with(md, "信息陈旧")
    assert "长梁乡（只有“腐败风险预警防控”一类信息）" in paragraph_with(md, "信息不全面")
    photos = paragraph_with(md, "领导没有照片")
    assert photos.startswith("四是")
    assert photos.index("乡镇有业州镇") < photos.index("县直部门有国税局（领导2人）")
    assert "工商局" in paragraph_with(md, "流程图不清晰")


def test_units_doing_well_are_named(bulletin):
    md = (bulletin / "bulletin.md").read_text(encoding="utf-8")
    good = paragraph_with(md, "未发现问题的单位")
    assert "信访局" in good and "建始网" in good
    assert "国税局" not in good and "业州镇" not in good      # serious findings / never fetched


def test_mailbox_figures_from_the_snapshots(bulletin):
    mailbox = paragraph_with((bulletin / "bulletin.md").read_text(encoding="utf-8"), "网上信箱共有")
    assert "各单位网上信箱共有办件3件" in mailbox
    assert "从2011年6月起至2011年9月，共有未受理办件2件" in mailbox
    assert "超过90天未受理或未答复的办件1件，涉及1个单位：县直部门有地税局（1件）" in mailbox
    assert "处" not in mailbox                                # letters are counted in 件
    assert "已受理并办理的办件有1件，办理较好的单位有信访局（1件）" in mailbox


def test_site_group_section(bulletin):
    md = (bulletin / "bulletin.md").read_text(encoding="utf-8")
    inside = paragraph_with(md, "已进入全县统一站群")
    assert "茅田乡" in inside and "地税局" not in inside
    assert "地税局" in paragraph_with(md, "尚未纳入")
    assert "另有3个单位的信息公开内容发布在《建始网》上" in md


def test_names_come_from_the_data_not_the_text(tmp_path):
    """Renaming units in the snapshots and findings renames them in the bulletin."""
    renamed = {"茅田乡": "甲乡", "国税局": "乙局", "建始网": "丙网"}
    snapshots = sample_snapshots()
    for s in snapshots:
        s["unit"]["name"] = renamed.get(s["unit"]["name"], s["unit"]["name"])
    findings = [replace(f, unit=renamed.get(f.unit, f.unit)) for f in sample_findings()]
    findings.append(replace(findings[1], check="column_missing", column="工作流程"))
    config = sample_config()
    config = replace(config, units=tuple(replace(u, name=renamed.get(u.name, u.name)) for u in config.units))
    write_bulletin(tmp_path, findings, snapshots, config, AS_OF)
    md = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert "甲乡（最近更新于" in md and "乙局（领导2人）" in md
    assert "可参照《丙网》信息公开的栏目设置重新调整" in md and "发布在《丙网》上" in md
    assert "茅田乡" not in md and "国税局" not in md and "建始网" not in md


def test_crawled_text_cannot_inject_markdown(tmp_path):
    findings = sample_findings()
    coverage = next(f for f in findings if f.check == "coverage_narrow")
    coverage.observed = "1个栏目：<script>x</script>[链接](http://evil)"      # names as crawled
    write_bulletin(tmp_path, findings, sample_snapshots(), sample_config(), AS_OF)
    md = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<script", md) and not re.search(r"(?<!\\)\]\(http", md)
    assert r"\<script\>x\</script\>\[链接\](http://evil)" in md


def test_verdict_section_names_failing_units_and_vetoes(bulletin):
    md = (bulletin / "bulletin.md").read_text(encoding="utf-8")
    overall = paragraph_with(md, "本次评定合格")
    assert "不合格的单位：" in overall
    assert "地税局（信箱有1件来信超过90天未受理或未答复）" in overall
    assert "业州镇（网站无法访问）" in overall
    good = paragraph_with(md, "未发现问题的单位")
    assert "地税局" not in good                    # a failing unit is never praised
    assert "网站设置了访问限制" in md or "robots" not in md
    assert "robots" not in md


def test_docx_is_a_gongwen(bulletin):
    md = (bulletin / "bulletin.md").read_text(encoding="utf-8")
    document = Document(str(bulletin / "bulletin.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "建政办通〔2011〕12号"
    assert texts[1] == "建始县2011年1—9月政府信息公开情况通报（草稿）"
    assert texts[3] == "各乡镇人民政府，县直各部门："
    assert len(texts) == len(md.strip().split("\n\n"))
    assert any("长梁乡（只有“腐败风险预警防控”一类信息）" in t for t in texts)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Normal"} <= styles
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][:2] == ["一、总体评定", "二、信息公开"]
    closing = next(t for t in texts if "整改" in t and "工作日内" in t)
    assert "自本通报印发之日起15个工作日内完成整改" in closing and "建始县人民政府办公室" in closing
    assert texts[-2] == "建始县人民政府办公室"
    assert texts[-1] == "2011年9月30日" and document.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert document.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    font_table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert "仿宋;FangSong" in font_table.blob.decode("utf-8")


def test_title_period_is_never_made_up(tmp_path):
    """Without a configured period, an ad-hoc run on 1 December is not titled 1—12月."""
    write_bulletin(tmp_path, sample_findings(), sample_snapshots(), sample_config(), date(2026, 12, 1))
    md = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert "1—12月" not in md and "建始县政府信息公开检查情况通报" in md
    assert "截至2026年12月1日" in md and "××〔　　〕×号" in md and "（发文机关）" in md


@pytest.mark.parametrize("n,text", [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_unaccepted_letters_without_any_overdue():
    """No backlog finding: the figures are still given, no unit is told off."""
    from reports.bulletin import bulletin_blocks, to_markdown
    findings = [f for f in sample_findings() if f.check != "mailbox_backlog"]
    md = to_markdown(bulletin_blocks(findings, sample_snapshots(), sample_config(), AS_OF))
    mailbox = paragraph_with(md, "信箱")
    assert "共有未受理办件2件" in mailbox and "超过" not in mailbox
    assert re.search(r"办理较好的单位有信访局（1件）", mailbox)


def test_a_check_without_wording_is_still_reported(monkeypatch):
    """A check added to CHECKS later gets a paragraph by its label rather than vanishing."""
    from audits import checks
    from reports.bulletin import bulletin_blocks, to_markdown
    monkeypatch.setitem(checks.CHECKS, "guide_missing", ("指南缺失", "medium"))
    finding = replace(sample_findings()[1], check="guide_missing", severity="")
    md = to_markdown(bulletin_blocks([finding], sample_snapshots(), sample_config(), AS_OF))
    assert "一是部分单位存在“指南缺失”问题，乡镇有茅田乡。" in md
