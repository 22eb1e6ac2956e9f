"""leader_info_outdated: the leader list disagrees with the unit's appointment (任) and removal (免) notices.

Each person's notices are replayed in date order (任 adds a post, 免 takes it
away). Someone left with no post after a removal who is still listed, or someone
holding a leadership post who is not listed, means the list was not updated. A
unit listing no leader at all is left to column_empty: otherwise a leader page
the crawl could not read would turn every appointment into a finding.
Notices dated after as_of are ignored: the audit judges the site as of that day.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from audits.common import finding, parse_day, person_name, role_column_name
from audits.finding import Finding
from crawler.config import Config

# A post that makes its holder one of the unit's leaders: 局长, 副镇长, 党组书记, 纪检组长, 人大主席…
# (fullmatch, so an internal post such as 办公室主任 or 财政所所长 is not one).
LEADER_POST = re.compile(
    r"(党组|党委|党工委|纪委|纪检|人大|政协|武装|工会)?(常务)?(副)?"
    r"(县长|镇长|乡长|局长|书记|主席|主任|部长|组长|院长|行长|馆长|社长|检察长|政委|队长|所长|站长)")
POST_SEPARATORS = re.compile(r"[、，,；;/\s]+")
# Notices name the body before the post (鹤峰县教育局局长, 容美镇人民政府副镇长); the post starts after
# one of these endings. An internal office (办公室, 财政所) ends otherwise, so its 主任/所长 stays internal.
# 鹤峰县教育局 and 县教育局 and 教育局 name one body.
COUNTY_PREFIX = re.compile(r"^[\u4e00-\u9fff]{0,6}?[县市区旗](?=[\u4e00-\u9fff]{2})")
BODY_END = re.compile(r"(?:人民政府|政府|委员会|局|委|办|镇|乡|县|市|区|州|省|街道|办事处)$")


@dataclass
class Career:
    """What the notices say about one person."""
    posts: dict[str, tuple[str, date]] = field(default_factory=dict)   # post_key -> (post as written, appointed)
    removed: tuple[str, date] | None = None                 # the last post taken away


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    listed = {person_name(l.get("name")): l for l in snapshot["leaders"] if person_name(l.get("name"))}
    column = role_column_name(config, "leaders")
    url = next((l.get("page_url") for l in snapshot["leaders"] if l.get("page_url")), "") or ""
    for person, career in careers(snapshot["appointments"], as_of).items():
        if person in listed and career.removed and not career.posts:
            post, when = career.removed
            yield finding(snapshot, "leader_info_outdated",
                          f"{person}已于{when.isoformat()}免去{post}职务，但仍在领导信息中，请及时更新领导名单。",
                          column=column, subject=person, url=listed[person].get("page_url") or url,
                          observed=f"仍列为{listed[person].get('post') or '领导'}",
                          expected=f"{when.isoformat()} 免{post}")
        elif listed and person not in listed and (leading := leader_posts(career, snapshot["unit"].get("name"))):
            post, when = leading[0]
            yield finding(snapshot, "leader_info_outdated",
                          f"{person}已于{when.isoformat()}任{post}，但领导信息中没有其信息，请及时更新领导名单。",
                          column=column, subject=person, url=url,
                          observed="未列入领导名单", expected=f"{when.isoformat()} 任{post}")


def careers(appointments: list[dict], as_of: date) -> dict[str, Career]:
    dated = [(parse_day(a.get("date")), a) for a in appointments]
    # Undated notices cannot be ordered against the list; notices after as_of did not exist yet.
    known = sorted(((d, a) for d, a in dated if d and d <= as_of), key=lambda pair: pair[0])
    people: dict[str, Career] = {}
    for when, notice in known:
        person = person_name(notice.get("person"))
        post = str(notice.get("post") or "").strip()
        if not person or not post:
            continue
        career = people.setdefault(person, Career())
        if notice.get("action") == "任":
            career.posts[post_key(post)] = (post, when)
        elif notice.get("action") == "免":
            career.posts.pop(post_key(post), None)
            career.removed = (post, when)
    return people


def leader_posts(career: Career, unit_name: str | None = None) -> list[tuple[str, date]]:
    """The leadership posts a person holds in this unit (a county's notices also appoint the
    heads of other bodies: 任命…为县教育局局长 on the portal names no leader of the portal)."""
    return [(post, when) for post, when in career.posts.values()
            if is_leader_post(post) and in_unit(post, unit_name)]


def in_unit(post: str, unit_name: str | None) -> bool:
    """True unless the post names a body that is not the unit (no body named: the unit's own)."""
    core = COUNTY_PREFIX.sub("", unit_name or "")
    if not core:
        return True
    for part in POST_SEPARATORS.split(post):
        body = part[:len(part) - len(post_title(part))] if LEADER_POST.fullmatch(post_title(part)) else ""
        if body and core not in body and COUNTY_PREFIX.sub("", body) not in core:
            return False
    return True


def is_leader_post(post: str) -> bool:
    """True when any part of a compound post (党组书记、局长) is a leadership post."""
    return any(LEADER_POST.fullmatch(post_title(part)) for part in POST_SEPARATORS.split(post) if part)


def post_title(part: str) -> str:
    """A post without the body named before it: 鹤峰县教育局局长 -> 局长 (the longest leadership
    post that follows a body's ending); the part itself when none does."""
    for start in range(len(part) - 1):       # 党委书记 is whole, though 党委 ends like a body
        if (start == 0 or BODY_END.search(part[:start])) and LEADER_POST.fullmatch(part[start:]):
            return part[start:]
    return part


def post_key(post: str) -> str:
    """The same post however the notice names its body: 免 县教育局局长 ends 任 鹤峰县教育局局长."""
    return "、".join(post_title(part) for part in POST_SEPARATORS.split(post) if part)
