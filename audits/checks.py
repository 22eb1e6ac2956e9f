"""The check ids of ../shared/CONTRACT.md: id -> Chinese label and default severity.

An id never changes meaning; a new check gets a new id (and a module of its own).
The order is the order of the bulletin and of every report.
"""
CHECKS: dict[str, tuple[str, str]] = {
    "site_unreachable": ("站点无法访问", "high"),
    "site_blocked": ("站点拒绝抓取", "low"),
    "site_stale": ("信息陈旧", "high"),
    "column_missing": ("栏目缺失", "medium"),
    "column_empty": ("空白栏目", "medium"),
    "column_stale": ("栏目更新不及时", "medium"),
    "coverage_narrow": ("信息不全面", "high"),
    "leader_photo_missing": ("领导无照片", "medium"),
    "leader_photo_broken": ("领导照片无法打开", "medium"),
    "leader_photo_low_quality": ("领导照片质量不高", "low"),
    "leader_info_outdated": ("领导信息未更新", "high"),
    "flowchart_missing": ("流程图缺失", "medium"),
    "flowchart_broken": ("流程图打不开", "medium"),
    "flowchart_unclear": ("流程图不清晰", "low"),
    "flowchart_attachment": ("流程图以附件上传", "low"),
    "mailbox_backlog": ("信箱办件未受理", "high"),
    "link_broken": ("链接不可用", "low"),
    "site_not_unified": ("未纳入统一站群", "low"),
    "site_certificate_invalid": ("网站证书无效", "low"),
}


# The module that decides each check: where to look when a finding is wrong.
DECIDED_BY: dict[str, str] = {
    "site_unreachable": "audits.reachability", "site_blocked": "audits.reachability",
    "site_stale": "audits.site_stale",
    "column_missing": "audits.columns", "column_empty": "audits.columns", "column_stale": "audits.columns",
    "coverage_narrow": "audits.coverage",
    "leader_photo_missing": "audits.leader_photos", "leader_photo_broken": "audits.leader_photos",
    "leader_photo_low_quality": "audits.leader_photos",
    "leader_info_outdated": "audits.leader_info",
    "flowchart_missing": "audits.flowcharts", "flowchart_broken": "audits.flowcharts",
    "flowchart_unclear": "audits.flowcharts", "flowchart_attachment": "audits.flowcharts",
    "mailbox_backlog": "audits.mailbox",
    "link_broken": "audits.links",
    "site_not_unified": "audits.site_group",
    "site_certificate_invalid": "audits.certificate",
}


def label(check: str) -> str:
    return CHECKS[check][0]
