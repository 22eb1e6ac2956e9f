"""The audit configuration (config/sites.toml): units, reference layout, thresholds.

The file is written by hand, so `load_config` validates everything and reports
every problem at once (file, key, reason) before any request is made. Commands
call `exit_on_config_error(path)`, which prints those problems and exits with
status 2 instead of a traceback.

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
    "动态" = 14                       # quoted: bare keys are ASCII only; 0 = the class is not judged on recency
    ...

    [[columns]]                     # the reference layout of 《建始网》 信息公开
    name = "领导信息"
    synonyms = ["领导之窗", "领导简介", "负责人信息"]
    recency = "static"              # a key of [recency]
    role = "leaders"                # optional: leaders | workflows | personnel | mailbox (what else to gather
                                    # there; a column named …信箱 is the mailbox unless another one is)
    required = true                 # optional, default true: absence is column_missing

    [mailbox]                       # optional; default MAILBOX_NAME_DEFAULTS
    names = ["信箱", "网上信访", ...]   # link texts that lead to a unit's mailbox

    [verdict]                       # optional; defaults VERDICT_DEFAULTS (audits/verdict.py)
    veto_stale_days = 14            # vetoes, warning tier, weights = { check = points }, once_per_unit
    ...

    [bulletin]                      # optional; the 公文's office, number (文号), recipients (主送),
    office = "建始县人民政府办公室"    # period, deadline (YYYY-MM-DD) or rectify_working_days

    [[units]]
    id = "yezhouzhen"               # ASCII, [a-z0-9_-]: pinyin of the name, no tones
    name = "业州镇"
    kind = "乡镇"                    # 乡镇 | 县直部门 | 门户
    url = "http://..."              # optional: without it, found through the portal's unit directory
    [units.overrides]               # optional escape hatch, never required; only these keys:
    thresholds = { site_stale_days = 120 }
    disclosure_url = "http://.../xxgk/"            # skip finding the 信息公开 section
    column_urls = { "领导信息" = "http://..." }      # reference column -> its page on the site
    selectors = { leaders = "div.ldxx li" }         # CSS selectors, keys of SELECTOR_KEYS

Problems name keys as paths with 0-based indexes: `units[3].url` is the url
of the fourth [[units]] block.
"""
from __future__ import annotations

import difflib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from crawler import exit_codes
from crawler import settings as project_defaults
from crawler.extract.text import normalise

UNIT_KINDS = ("乡镇", "县直部门", "门户")
ROLES = ("leaders", "workflows", "personnel", "mailbox")
# A reference column named like this is the unit's mailbox when no column has that role.
_MAILBOX_COLUMN = re.compile(r"信箱$")

# Defaults from national inspection practice (../shared/REFERENCES.md, CONTRACT.md).
THRESHOLD_DEFAULTS: dict[str, float] = {
    "site_stale_days": 90,            # nothing new anywhere for this long: site_stale
    "mailbox_backlog_days": 90,       # letter unaccepted/unanswered for longer: mailbox_backlog
    "photo_min_width": 150,
    "photo_min_height": 200,
    "photo_min_sharpness": 300.0,     # blur; calibrated on the sandbox's photos, see audits/leader_photos.py; 0 disables
    "placeholder_max_distance": 8,    # perceptual-hash bits apart for "maybe the same picture" (audits/placeholders.py)
    "flowchart_min_long_side": 800,
    "flowchart_min_sharpness": 160.0, # blur; calibrated like the photos' (audits/leader_photos.py)
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

# The verdict per unit (audits/verdict.py): single-item vetoes (单项否决) of national inspection
# practice (../shared/REFERENCES.md), an earlier warning tier, and the points a finding costs.
VERDICT_DEFAULTS: dict = {
    "veto_unreachable": True,       # the site cannot be fetched: 不合格
    "veto_stale_days": 14,          # nothing new on the unit's site for longer (0: no veto)
    "veto_blank_columns": 5,        # this many 空白栏目 or more (0: no veto)
    "veto_stale_columns": 5,        # this many 栏目更新不及时 or more (0: no veto)
    "veto_backlog": True,           # a letter unanswered beyond mailbox_backlog_days
    "warn_stale_days": 10,          # warning tier of commercial monitors (0: none)
    "warn_blank_columns": 2,
    "max_per_check": 20,            # the most one check can cost a unit
    "once_per_unit": ["mailbox_backlog"],   # checks whose findings count once per unit
    "weights": {                    # points off 100 per finding
        "site_unreachable": 0, "site_blocked": 0, "site_stale": 20, "column_missing": 2,
        "column_empty": 3, "column_stale": 2, "coverage_narrow": 10, "leader_photo_missing": 2,
        "leader_photo_broken": 2, "leader_photo_low_quality": 1, "leader_info_outdated": 5,
        "flowchart_missing": 2, "flowchart_broken": 2, "flowchart_unclear": 1,
        "flowchart_attachment": 1, "mailbox_backlog": 10, "link_broken": 1, "site_not_unified": 5,
    },
}

# The bulletin's 公文 metadata; empty strings print as placeholders to fill in by hand.
BULLETIN_DEFAULTS: dict = {
    "office": "",                   # 发文机关, e.g. 建始县人民政府办公室
    "number": "",                   # 发文字号, e.g. 建政办通〔2011〕12号
    "recipients": "各乡镇人民政府，县直各部门",   # 主送
    "period": "",                   # the title's period, e.g. 2011年1—9月; default: as of the audit date
    "deadline": "",                 # 整改 deadline, YYYY-MM-DD; default: rectify_working_days
    "rectify_working_days": 15,
}

# Used when the file has no [mailbox] table.
MAILBOX_NAME_DEFAULTS = ("信箱", "书记信箱", "县长信箱", "局长信箱", "镇长信箱", "乡长信箱", "主任信箱",
                         "网上信访", "咨询投诉", "民意征集", "在线咨询", "网上留言")

# What a unit's overrides.selectors may select on its site.
SELECTOR_KEYS = ("menu", "list", "leaders", "workflows", "letters")


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
    verdict: dict = field(default_factory=lambda: _verdict_defaults())
    bulletin: dict = field(default_factory=lambda: dict(BULLETIN_DEFAULTS))

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


# --- the expected shape of the file: table -> key -> (type, required) -----------------

# type name -> (test, how a problem describes what was expected)
_TYPES = {
    "string": (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty string"),
    "boolean": (lambda v: isinstance(v, bool), "true or false"),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "number": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "a number"),
    "strings": (lambda v: isinstance(v, list) and all(_TYPES["string"][0](x) for x in v),
                "a list of non-empty strings"),
    "table": (lambda v: isinstance(v, dict), "a table"),
    "tables": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
               "an array of tables ([[...]] blocks)"),
}

_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "file": {"county": ("table", True), "thresholds": ("table", False), "recency": ("table", False),
             "columns": ("tables", True), "mailbox": ("table", False), "units": ("tables", True),
             "verdict": ("table", False), "bulletin": ("table", False)},
    "county": {"name": ("string", True), "portal": ("string", False), "site_group_hosts": ("strings", False)},
    "column": {"name": ("string", True), "synonyms": ("strings", False), "recency": ("string", False),
               "role": ("string", False), "required": ("boolean", False)},
    "mailbox": {"names": ("strings", True)},
    "unit": {"id": ("string", True), "name": ("string", True), "kind": ("string", True),
             "url": ("string", False), "overrides": ("table", False)},
    "overrides": {"thresholds": ("table", False), "disclosure_url": ("string", False),
                  "column_urls": ("table", False), "selectors": ("table", False)},
}

# threshold -> (type, smallest allowed, largest allowed or None)
_THRESHOLD_LIMITS: dict[str, tuple[str, float, float | None]] = {
    "site_stale_days": ("integer", 1, None),
    "mailbox_backlog_days": ("integer", 1, None),
    "photo_min_width": ("integer", 1, None),
    "photo_min_height": ("integer", 1, None),
    "photo_min_sharpness": ("number", 0, None),
    "placeholder_max_distance": ("integer", 0, 64),   # bits of a 64-bit perceptual hash
    "flowchart_min_long_side": ("integer", 1, None),
    "flowchart_min_sharpness": ("number", 0, None),
    "coverage_min_columns": ("integer", 1, None),      # at most the number of columns, checked apart
}
_SCHEMA["thresholds"] = {key: (kind, False) for key, (kind, _, _) in _THRESHOLD_LIMITS.items()}
_SCHEMA["verdict"] = {
    "veto_unreachable": ("boolean", False), "veto_stale_days": ("integer", False),
    "veto_blank_columns": ("integer", False), "veto_stale_columns": ("integer", False),
    "veto_backlog": ("boolean", False), "warn_stale_days": ("integer", False),
    "warn_blank_columns": ("integer", False), "max_per_check": ("number", False),
    "once_per_unit": ("strings", False), "weights": ("table", False)}
_SCHEMA["bulletin"] = {
    "office": ("string", False), "number": ("string", False), "recipients": ("string", False),
    "period": ("string", False), "deadline": ("string", False), "rectify_working_days": ("integer", False)}

_UNIT_ID = re.compile(r"[a-z0-9_-]+")
_HOST_PATTERN = re.compile(r"(\*\.)?[^\s/*:@]+(:\d{1,5})?")
_TOML_POSITION = re.compile(r"^(.*) \(at (line \d+, column \d+)\)$", re.S)


class _Problems:
    """Collects one line per problem: "<file>: <key path>: <reason>"."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: list[str] = []

    def add(self, key: str, reason: str) -> None:
        self.lines.append(f"{self.path}: {key}: {reason}")


def _key(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


def _did_you_mean(word: str, choices) -> str:
    # cutoff 0.5 rather than 0.6: Chinese names are two or three characters (动太 -> 动态)
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _checked(table: dict, schema: str, where: str, problems: _Problems) -> dict:
    """The entries of `table` that are expected and well typed; every other one is a problem."""
    expected = _SCHEMA[schema]
    good = {}
    for key, value in table.items():
        if key not in expected:
            problems.add(_key(where, key), f"unknown key{_did_you_mean(key, expected)}")
            continue
        test, wanted = _TYPES[expected[key][0]]
        if not test(value):
            problems.add(_key(where, key), f"{value!r} is not {wanted}")
        elif any(isinstance(text, str) and _CONTROL.search(text)
                 for text in (value if isinstance(value, list) else [value])):
            problems.add(_key(where, key), f"{value!r} holds a control character (a line break, tab …)")
        else:
            good[key] = value
    for key, (_, required) in expected.items():
        if required and key not in table:
            problems.add(_key(where, key), "missing")
    return good


# Names end up in log lines, CSV cells and the bulletin: a line break or NUL there splits or cuts them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
        return f"{url!r} is not an http(s) URL"
    try:
        parts.port  # raises on a port out of range or not a number
    except ValueError:
        return f"{url!r} has a bad port"
    if parts.username is not None or parts.password is not None:
        return f"{url!r} holds a user name or password: give the address only"
    if _NUMERIC_HOST.match(parts.hostname) and not _CANONICAL_IPV4.match(parts.hostname):
        return f"{url!r}: write the IP address in its usual form (four decimal numbers, e.g. 10.1.2.3)"
    return None


# A host of digits, dots and hex (0x7f.1, 2130706433, 127.1, 0177.0.0.1) is an IP address however
# written; only the usual dotted-decimal form is accepted, so a reader sees which address it is.
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+))*\.?$", re.I)
_CANONICAL_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$")


def _thresholds(table: dict, where: str, n_columns: int, problems: _Problems) -> dict[str, float]:
    values = _checked(table, "thresholds", where, problems)
    for key, value in list(values.items()):
        _, low, high = _THRESHOLD_LIMITS[key]
        if key == "coverage_min_columns" and n_columns:
            high = n_columns
        if value < low or (high is not None and value > high):
            bound = f">= {low}" if high is None else f"between {low} and {high}"
            problems.add(_key(where, key), f"{value!r} is out of range (must be {bound})")
            del values[key]
    return values


def _recency(table: dict, problems: _Problems) -> dict[str, int]:
    recency = dict(RECENCY_DEFAULTS)
    for name, days in table.items():
        if not _TYPES["integer"][0](days) or days < 0:
            problems.add(_key("recency", name), f"{days!r} is not a number of days (an integer >= 0)")
        else:
            recency[name] = days
    return recency


def _columns(blocks: list[dict], recency: dict[str, int], problems: _Problems) -> tuple[ReferenceColumn, ...]:
    columns = []
    claimed: dict[str, str] = {}      # a normalised name or synonym -> key path of who claims it
    role_of: dict[str, str] = {}      # role -> key path of the column that has it
    for i, block in enumerate(blocks):
        where = _key("columns", i)
        values = _checked(block, "column", where, problems)
        if "name" not in values:
            continue
        names = [("name", values["name"])] + [
            (_key("synonyms", j), s) for j, s in enumerate(values.get("synonyms", []))]
        for key, name in names:     # compared as the spider compares menu names
            owner = claimed.setdefault(normalise(name), where)
            if owner != where:
                problems.add(_key(where, key), f"{name!r} is already claimed by {owner}")
        column_recency = values.get("recency", "static")
        if column_recency not in recency:
            hint = _did_you_mean(column_recency, recency)
            problems.add(_key(where, "recency"), f"{column_recency!r} is not a class of [recency]{hint}")
        role = values.get("role")
        if role is None and "mailbox" not in role_of and _MAILBOX_COLUMN.search(values["name"]):
            role = "mailbox"            # a column named 信箱 is the mailbox, said or not
        if role is not None and role not in ROLES:
            hint = _did_you_mean(role, ROLES)
            problems.add(_key(where, "role"), f"{role!r} is not one of {', '.join(ROLES)}{hint}")
        elif role in role_of:
            problems.add(_key(where, "role"), f"{role!r} is already the role of {role_of[role]}")
        elif role:
            role_of[role] = where
        columns.append(ReferenceColumn(
            name=values["name"], synonyms=tuple(values.get("synonyms", ())), recency=column_recency,
            role=role, required=values.get("required", True)))
    return tuple(columns)


def _overrides(table: dict, where: str, column_names: set[str], problems: _Problems) -> dict:
    values = _checked(table, "overrides", where, problems)
    if "thresholds" in values:
        values["thresholds"] = _thresholds(values["thresholds"], _key(where, "thresholds"),
                                           len(column_names), problems)
    if "disclosure_url" in values and (reason := _url_problem(values["disclosure_url"])):
        problems.add(_key(where, "disclosure_url"), reason)
    for name, url in values.get("column_urls", {}).items():
        key = _key(_key(where, "column_urls"), name)
        if name not in column_names:
            problems.add(key, f"not a reference column{_did_you_mean(name, column_names)}")
        elif not isinstance(url, str) or (reason := _url_problem(url)):
            problems.add(key, reason if isinstance(url, str) else f"{url!r} is not a URL")
    for name, selector in values.get("selectors", {}).items():
        key = _key(_key(where, "selectors"), name)
        if name not in SELECTOR_KEYS:
            hint = _did_you_mean(name, SELECTOR_KEYS)
            problems.add(key, f"unknown selector (one of {', '.join(SELECTOR_KEYS)}){hint}")
        elif not isinstance(selector, str) or not _is_css(selector):
            problems.add(key, f"{selector!r} is not a CSS selector")
    return values


def _is_css(selector: str) -> bool:
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError:
        return False
    return True


def _units(blocks: list[dict], column_names: set[str], problems: _Problems) -> tuple[Unit, ...]:
    units = []
    seen: dict[tuple[str, str], str] = {}   # ("id" | "name", value) -> key path of its first unit
    for i, block in enumerate(blocks):
        where = _key("units", i)
        values = _checked(block, "unit", where, problems)
        for key in ("id", "name"):
            if key in values:
                first = seen.setdefault((key, values[key]), where)
                if first != where:
                    problems.add(_key(where, key), f"{values[key]!r} is also the {key} of {first}")
        if "id" in values and not _UNIT_ID.fullmatch(values["id"]):
            problems.add(_key(where, "id"), f"{values['id']!r} may only hold a-z, 0-9, _ and -")
        if "kind" in values and values["kind"] not in UNIT_KINDS:
            problems.add(_key(where, "kind"), f"{values['kind']!r} is not one of {' / '.join(UNIT_KINDS)}")
        if "url" in values and (reason := _url_problem(values["url"])):
            problems.add(_key(where, "url"), reason)
        overrides = _overrides(values.get("overrides", {}), _key(where, "overrides"), column_names, problems)
        if {"id", "name", "kind"} <= values.keys():
            units.append(Unit(id=values["id"], name=values["name"], kind=values["kind"],
                              url=values.get("url"), overrides=overrides))
    return tuple(units)


def _county(table: dict, units: tuple[Unit, ...], problems: _Problems) -> dict:
    values = _checked(table, "county", "county", problems)
    portal = values.get("portal")
    unit_ids = {u.id for u in units}
    if portal is not None and portal not in unit_ids:
        problems.add("county.portal", f"{portal!r} is not the id of a unit{_did_you_mean(portal, unit_ids)}")
    for j, pattern in enumerate(values.get("site_group_hosts", [])):
        if not _HOST_PATTERN.fullmatch(pattern):
            problems.add(_key("county.site_group_hosts", j),
                         f"{pattern!r} is not a host, '*.'+host, or either with ':port'")
    portal_unit = next((u for u in units if u.id == portal), None)
    hosted = [u.id for u in units if not u.url]   # found through the portal's unit directory
    if hosted and portal in unit_ids | {None} and not (portal_unit and portal_unit.url):
        problems.add("county.portal", f"must name a unit with a url: {len(hosted)} units have none "
                                      f"({', '.join(hosted[:3])}...) and are found through its unit directory")
    return values


def _verdict_defaults() -> dict:
    return {**VERDICT_DEFAULTS, "weights": dict(VERDICT_DEFAULTS["weights"]),
            "once_per_unit": list(VERDICT_DEFAULTS["once_per_unit"])}


def _verdict(table: dict, problems: _Problems) -> dict:
    """[verdict]: veto rules and weights over the defaults; counts and points are >= 0, weights name checks."""
    from audits.checks import CHECKS     # the check ids; audits/checks.py imports nothing
    verdict = _verdict_defaults()
    values = _checked(table, "verdict", "verdict", problems)
    for key, value in values.items():
        if key == "weights":
            for check, points in value.items():
                where = _key("verdict.weights", check)
                if check not in CHECKS:
                    problems.add(where, f"not a check id{_did_you_mean(check, CHECKS)}")
                elif not _TYPES["number"][0](points) or points < 0:
                    problems.add(where, f"{points!r} is not a number of points (>= 0)")
                else:
                    verdict["weights"][check] = points
        elif key == "once_per_unit":
            for j, check in enumerate(value):
                if check not in CHECKS:
                    problems.add(_key("verdict.once_per_unit", j),
                                 f"{check!r} is not a check id{_did_you_mean(check, CHECKS)}")
            verdict[key] = [c for c in value if c in CHECKS]
        elif not isinstance(value, bool) and value < 0:
            problems.add(_key("verdict", key), f"{value!r} is out of range (must be >= 0)")
        else:
            verdict[key] = value
    return verdict


def _bulletin(table: dict, problems: _Problems) -> dict:
    """[bulletin]: the 公文's office, 文号, 主送, period and 整改 deadline."""
    from datetime import date as _date
    bulletin = dict(BULLETIN_DEFAULTS)
    if isinstance(table.get("deadline"), _date):      # a bare TOML date
        table = {**table, "deadline": table["deadline"].isoformat()}
    values = _checked(table, "bulletin", "bulletin", problems)
    if "deadline" in values:
        try:
            _date.fromisoformat(values["deadline"])
        except ValueError:
            problems.add("bulletin.deadline", f"{values['deadline']!r} is not a date (YYYY-MM-DD)")
            del values["deadline"]
    if values.get("rectify_working_days", 1) < 1:
        problems.add("bulletin.rectify_working_days", f"{values['rectify_working_days']!r} is out of range (must be >= 1)")
        del values["rectify_working_days"]
    bulletin.update(values)
    return bulletin


def _parse_toml(path: Path, problems: _Problems) -> dict | None:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as e:
        problems.add("file", f"cannot be read ({e.strerror or e})")
    except UnicodeDecodeError as e:
        problems.add("file", f"is not UTF-8 (byte {e.start})")
    except tomllib.TOMLDecodeError as e:
        match = _TOML_POSITION.match(str(e))
        where, reason = (match.group(2), match.group(1)) if match else ("file", str(e))
        problems.add(where, f"TOML syntax: {reason}")
    return None


def load_config(path: str | Path) -> Config:
    """Parse and validate a sites.toml; raise ConfigError listing every problem."""
    path = Path(path)
    problems = _Problems(path)
    doc = _parse_toml(path, problems)
    if doc is None:
        raise ConfigError(problems.lines)
    doc = _checked(doc, "file", "", problems)
    recency = _recency(doc.get("recency", {}), problems)
    columns = _columns(doc.get("columns", []), recency, problems)
    column_names = {c.name for c in columns}
    thresholds = {**THRESHOLD_DEFAULTS,
                  **_thresholds(doc.get("thresholds", {}), "thresholds", len(columns), problems)}
    units = _units(doc.get("units", []), column_names, problems)
    county = _county(doc["county"], units, problems) if "county" in doc else {}
    mailbox_table = doc.get("mailbox", {"names": list(MAILBOX_NAME_DEFAULTS)})
    mailbox = _checked(mailbox_table, "mailbox", "mailbox", problems)
    verdict = _verdict(doc.get("verdict", {}), problems)
    bulletin = _bulletin(doc.get("bulletin", {}), problems)
    if problems.lines:
        raise ConfigError(problems.lines)
    return Config(
        path=path, county=county["name"], portal=county.get("portal"),
        site_group_hosts=tuple(county.get("site_group_hosts", ())), thresholds=thresholds,
        recency=recency, columns=columns, mailbox_names=tuple(mailbox["names"]), units=units,
        verdict=verdict, bulletin=bulletin)


def exit_on_config_error(path: str | Path) -> Config:
    """load_config for commands: on problems, print them (one a line) to stderr and exit 2."""
    try:
        return load_config(path)
    except ConfigError as e:
        print("\n".join(e.problems), file=sys.stderr)
        raise SystemExit(exit_codes.BAD_INPUT) from None


def check_settings(settings) -> None:
    """Every DISCLOSURE_* number or switch given (-s, environment) reads as one: a clear line and
    exit 2 otherwise, before any component trips over it with a traceback."""
    for name, default in vars(project_defaults).items():
        if not name.startswith("DISCLOSURE_") or not isinstance(default, (bool, int, float)):
            continue
        read = settings.getbool if isinstance(default, bool) else (
            settings.getint if isinstance(default, int) else settings.getfloat)
        try:
            read(name)
        except (TypeError, ValueError):
            kind = "a switch (1/0, true/false)" if isinstance(default, bool) else "a number"
            print(f"{name}: {settings.get(name)!r} is not {kind}, e.g. {default!r}", file=sys.stderr)
            raise SystemExit(exit_codes.BAD_INPUT) from None
