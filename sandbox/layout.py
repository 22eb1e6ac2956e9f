"""The reference column layout of 《建始网》 信息公开 and the audit thresholds, as the sandbox knows them.

The generator labels the simulated columns with these names, synonyms and light
variants; the manifest judges recency with these classes and CONTRACT.md's default
thresholds; `python -m sandbox config` writes the layout into config/sandbox.toml.
It is the same layout as config/sites.toml (tests/test_sandbox_manifest.py checks that).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RefColumn:
    name: str
    slug: str                       # URL-safe, used for the simulated column's address
    recency: str                    # a key of RECENCY_DAYS
    synonyms: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()  # light variants sites show (odd spaces); not config synonyms
    role: str | None = None         # leaders | workflows | personnel
    group: str | None = None        # menu group on 《建始网》
    required: bool = True           # False: absence is no column_missing


REFERENCE_COLUMNS: tuple[RefColumn, ...] = (
    RefColumn("信息公开指南", "xxgkzn", "static", ("公开指南", "政府信息公开指南"),
              variants=("信息公开指南 ",)),
    RefColumn("机构职能", "jgzn", "static", ("机构概况", "单位职能", "主要职能", "职能职责"),
              variants=("机构职能\u3000",), group="机构概况"),
    RefColumn("领导信息", "ldxx", "static", ("领导之窗", "领导简介", "负责人信息", "领导分工"),
              variants=("领导信息 ",), role="leaders", group="机构概况"),
    RefColumn("内设机构", "nsjg", "static", ("科室设置", "内设科室"), group="机构概况"),
    RefColumn("政策文件", "zcwj", "政策文件", ("政策法规", "规范性文件", "法规文件"),
              variants=("政策文件 ",)),
    RefColumn("规划计划", "ghjh", "规划计划", ("发展规划", "计划总结", "规划信息"),
              variants=("规划 计划",)),
    RefColumn("工作动态", "gzdt", "动态", ("动态信息", "工作信息", "部门动态", "乡镇动态", "政务动态"),
              variants=("部门动态 ", "工作动态\u3000")),
    RefColumn("通知公告", "tzgg", "通知公告", ("公示公告", "通知", "公告"), variants=("通知公告 ",)),
    RefColumn("人事信息", "rsxx", "人事", ("人事任免", "人事管理", "干部任免"), role="personnel"),
    RefColumn("财政信息", "czxx", "规划计划", ("财政预决算", "财务公开", "财政预算"),
              variants=("财政信息 ",)),
    RefColumn("工作流程", "gzlc", "static", ("办事流程", "权力运行流程图", "业务流程", "工作流程图"),
              variants=("工作流程 ",), role="workflows"),
    RefColumn("应急管理", "yjgl", "通知公告", ("应急信息", "应急预案"), required=False),
    RefColumn("腐败风险预警防控", "fxfk", "规划计划", ("廉政风险防控", "廉政风险预警防控")),
    RefColumn("依申请公开", "ysqgk", "static", variants=("依申请公开 ",), required=False),
    RefColumn("信息公开年报", "gknb", "规划计划", ("年度报告", "信息公开年度报告"),
              variants=("信息公开年报 ",)),
)

# Days a column of each recency class may go without a new entry (0: not judged).
RECENCY_DAYS: dict[str, int] = {
    "动态": 14, "通知公告": 183, "政策文件": 183, "人事": 365, "规划计划": 365, "static": 0,
}

# CONTRACT.md's default thresholds: the manifest judges the planted web by these.
THRESHOLDS: dict[str, int] = {
    "site_stale_days": 90,
    "mailbox_backlog_days": 90,
    "photo_min_width": 150,
    "photo_min_height": 200,
    "flowchart_min_long_side": 800,
    "coverage_min_columns": 3,
}


def ref_column(name: str) -> RefColumn:
    return next(c for c in REFERENCE_COLUMNS if c.name == name)


def max_age_days(name: str) -> int:
    return RECENCY_DAYS[ref_column(name).recency]
