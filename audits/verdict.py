"""The verdict per unit: 不合格 when a single-item veto (单项否决) holds, else a score out of 100.

National inspection practice (../shared/REFERENCES.md) fails a site outright on a few
conditions and scores the rest; commercial monitors warn before the veto lines. This
module turns a unit's findings and snapshot into one record per unit, `UnitVerdict`,
with the vetoes and warnings named in Chinese, the points each check cost and the
unit's rank. The rules and weights are the config's `[verdict]` (crawler/config.py,
VERDICT_DEFAULTS). Reports only present these records; nothing is re-derived there.

Counting: a check listed in `once_per_unit` (by default mailbox_backlog: one unit with
30 overdue letters is one failing mailbox, not 30 problems) costs its weight once; every
other check costs its weight per finding, at most `max_per_check`. A blocked site
(robots.txt, an anti-crawler answer) could not be looked at: 无法评定, no score.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from audits.checks import CHECKS
from audits.common import all_columns_read, content_was_read, newest_entry_day, thresholds
from audits.finding import Finding
from audits.site_stale import letters_as_column
from crawler.config import Config

PASS, FAIL, NOT_JUDGED = "合格", "不合格", "无法评定"
# What an unread page was (snapshot "unread" kinds), for the note on a unit not fully audited.
UNREAD_WORDS = {"directory": "单位目录页", "section": "信息公开首页", "list": "栏目页", "leader_detail": "领导信息页",
                "workflow": "办事流程页", "mailbox": "信箱页"}
VERDICT_ORDER = {PASS: 0, FAIL: 1, NOT_JUDGED: 2}


@dataclass
class UnitVerdict:
    unit_id: str
    unit: str
    kind: str
    verdict: str                                   # 合格 | 不合格 | 无法评定
    score: float | None                            # 100 minus the deductions; None when not judged
    vetoes: list[str] = field(default_factory=list)      # 单项否决, one Chinese phrase each
    warnings: list[str] = field(default_factory=list)    # 预警: below the veto lines
    deductions: dict[str, float] = field(default_factory=dict)   # check id -> points off
    problems: int = 0                              # findings, with once_per_unit checks counted once
    by_severity: dict[str, int] = field(default_factory=dict)    # the same count per severity
    findings: int = 0                              # findings as listed
    rank: int = 0                                  # 1 = best, over the run

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "UnitVerdict":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _staleness(snapshot: dict, as_of: date, veto_days: int, warn_days: int) -> tuple[str | None, str | None]:
    """(veto, warning) for a site with nothing new for veto_days (warn_days)."""
    newest = newest_entry_day([*snapshot.get("columns", []), letters_as_column(snapshot)], as_of)
    if newest is None:
        text = "网站信息均未注明日期或没有信息，视为长期未更新"
        return (text, None) if veto_days else (None, text if warn_days else None)
    days = (as_of - newest).days
    if veto_days and days > veto_days:
        return f"网站{days}天没有新信息，最近一条发布于{_cn(newest)}", None
    if warn_days and days > warn_days:
        return None, f"网站已{days}天没有新信息，超过{veto_days or warn_days}天将被否决"
    return None, None


def judge_unit(snapshot: dict, findings: list[Finding], config: Config, as_of: date) -> UnitVerdict:
    """The verdict of one unit from its snapshot and its findings."""
    rules = config.verdict
    unit = snapshot["unit"]
    counts = Counter(f.check for f in findings)
    once = set(rules.get("once_per_unit", ()))
    problems = sum(1 if check in once else n for check, n in counts.items())
    by_severity: Counter = Counter()
    counted: set[str] = set()
    for f in findings:
        if f.check not in once or f.check not in counted:
            by_severity[f.severity] += 1
            counted.add(f.check)
    record = UnitVerdict(unit_id=unit["id"], unit=unit["name"], kind=unit.get("kind", ""), verdict=PASS,
                         score=None, problems=problems, by_severity=dict(by_severity), findings=len(findings))
    reach = snapshot.get("reachability") or {}
    if reach.get("blocked") or (not content_was_read(snapshot) and not counts["site_unreachable"]):
        record.verdict = NOT_JUDGED
        record.warnings.append("网站拒绝自动检查，本次未能检查其内容，请人工核查" if reach.get("blocked")
                               else "本次未能检查其内容，请人工核查")
        return record
    if counts["site_unreachable"] and rules["veto_unreachable"]:
        record.vetoes.append("网站无法访问")
    if content_was_read(snapshot) and all_columns_read(snapshot):      # the news may be on an unread page
        veto, warning = _staleness(snapshot, as_of, int(rules["veto_stale_days"]), int(rules["warn_stale_days"]))
        record.vetoes += [veto] if veto else []
        record.warnings += [warning] if warning else []
    unread = snapshot.get("unread") or []
    if unread:                                   # never judged from what could not be read: say so
        kinds = sorted({UNREAD_WORDS.get(u.get("kind"), "页面") for u in unread})
        record.warnings.append(f"未能完整检查：{len(unread)}个{'、'.join(kinds)}无法读取，相关栏目未作判断，请人工核查")
    blank, stale = counts["column_empty"], counts["column_stale"]
    if rules["veto_blank_columns"] and blank >= rules["veto_blank_columns"]:
        record.vetoes.append(f"空白栏目{blank}个，否决线为{rules['veto_blank_columns']}个")
    elif rules["warn_blank_columns"] and blank >= rules["warn_blank_columns"]:
        record.warnings.append(f"空白栏目{blank}个，达到{rules['veto_blank_columns']}个将被否决")
    if rules["veto_stale_columns"] and stale >= rules["veto_stale_columns"]:
        record.vetoes.append(f"栏目更新不及时{stale}个，否决线为{rules['veto_stale_columns']}个")
    if rules["veto_backlog"] and counts["mailbox_backlog"]:
        days = int(thresholds(snapshot, config)["mailbox_backlog_days"])
        record.vetoes.append(f"信箱有{counts['mailbox_backlog']}件来信超过{days}天未受理或未答复")
    weights, cap = rules["weights"], float(rules["max_per_check"])
    for check in CHECKS:
        if counts[check]:
            n = 1 if check in once else counts[check]
            points = min(cap, float(weights.get(check, 0)) * n)
            if points:
                record.deductions[check] = points
    # an unreachable site's content is unknown: 不合格, without a score
    record.score = round(max(0.0, 100.0 - sum(record.deductions.values())), 1) if content_was_read(snapshot) else None
    record.verdict = FAIL if record.vetoes else PASS
    return record


def judge_units(snapshots: list[dict], findings: list[Finding], config: Config, as_of: date) -> list[UnitVerdict]:
    """Every unit's verdict, ranked: 合格 by score, then 不合格 by score, then 无法评定 (config order on ties)."""
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    position = {u.id: i for i, u in enumerate(config.units)}
    records = [judge_unit(s, by_unit.get(s["unit"]["id"], []), config, as_of) for s in snapshots]
    records.sort(key=lambda r: (VERDICT_ORDER[r.verdict], -(r.score or 0), position.get(r.unit_id, len(position)),
                                r.unit_id))
    for rank, record in enumerate(records, start=1):
        record.rank = rank
    return records
