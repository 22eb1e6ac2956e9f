"""The audit configuration (config/sites.toml): units, reference layout, thresholds.

The file is written by hand, so `load_config` validates everything and reports
every problem at once (file, key, reason) before any request is made.

TOML layout (see config/sites.toml for the real county, config/sandbox.toml for
the simulated one):

    [county]
    name = "建始县"
    portal = "hbjs"                 # id of the unit whose site hosts the unit directory
    site_group_hosts = ["*.hbjs.gov.cn", "www.hbjs.gov.cn"]   # the unified site group

    [thresholds]                    # every key optional; defaults are THRESHOLD_DEFAULTS
    site_stale_days = 90
    ...

    [recency]                       # recency class -> days a column may go without news
    动态 = 14                         # 0 = the class is not judged on recency
    ...

    [[columns]]                     # the reference layout of 《建始网》 信息公开
    name = "领导信息"
    synonyms = ["领导之窗", "领导简介", "负责人信息"]
    recency = "static"              # a key of [recency]
    role = "leaders"                # optional: leaders | workflows | personnel (what else to gather there)
    required = true                 # optional, default true: absence is column_missing

    [mailbox]
    names = ["信箱", "网上信访", ...]   # link texts that lead to a unit's mailbox

    [[units]]
    id = "yezhou"                   # ASCII, [a-z0-9_-]
    name = "业州镇"
    kind = "乡镇"                    # 乡镇 | 县直部门 | 门户
    url = "http://..."              # optional: without it, found through the portal's unit directory
    [units.overrides]               # optional escape hatch, never required
    thresholds = { site_stale_days = 120 }
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

UNIT_KINDS = ("乡镇", "县直部门", "门户")
ROLES = ("leaders", "workflows", "personnel")

# Defaults from national inspection practice (../shared/REFERENCES.md, CONTRACT.md).
THRESHOLD_DEFAULTS: dict[str, float] = {
    "site_stale_days": 90,            # nothing new anywhere for this long: site_stale
    "mailbox_backlog_days": 90,       # letter unaccepted/unanswered for longer: mailbox_backlog
    "photo_min_width": 150,
    "photo_min_height": 200,
    "photo_min_sharpness": 0.0,       # calibrated value set by audits/leader_photos.py docs; 0 disables
    "placeholder_max_distance": 4,    # perceptual-hash Hamming distance for "same picture"
    "flowchart_min_long_side": 800,
    "flowchart_min_sharpness": 0.0,
    "coverage_min_columns": 3,        # content in fewer reference columns: coverage_narrow
}

RECENCY_DEFAULTS: dict[str, int] = {
    "动态": 14,
    "通知公告": 183,
    "政策文件": 183,
    "人事": 365,
    "规划计划": 365,
    "static": 0,
}


class ConfigError(Exception):
    """Raised with every problem of a config file; str() is one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ReferenceColumn:
    name: str
    synonyms: tuple[str, ...] = ()
    recency: str = "static"
    role: str | None = None
    required: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str
    url: str | None = None
    overrides: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path
    county: str
    portal: str | None                # unit id of the portal
    site_group_hosts: tuple[str, ...]
    thresholds: dict[str, float]      # THRESHOLD_DEFAULTS updated by the file
    recency: dict[str, int]           # RECENCY_DEFAULTS updated by the file
    columns: tuple[ReferenceColumn, ...]
    mailbox_names: tuple[str, ...]
    units: tuple[Unit, ...]

    def unit(self, key: str) -> Unit:
        """A unit by id or Chinese name."""
        for u in self.units:
            if key in (u.id, u.name):
                return u
        raise KeyError(key)

    def column(self, name: str) -> ReferenceColumn:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def thresholds_for(self, unit: Unit) -> dict[str, float]:
        return {**self.thresholds, **unit.overrides.get("thresholds", {})}

    def max_age_days(self, column: ReferenceColumn) -> int:
        """Days the column may go without a new entry; 0 means not judged."""
        return self.recency[column.recency]


def load_config(path: str | Path) -> Config:
    """Parse and validate a sites.toml; raise ConfigError listing every problem."""
    raise NotImplementedError  # implemented by the config loader work (issue 2)
