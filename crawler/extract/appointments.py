"""Appointment and removal notices (任免): who gets or loses which post.

The sentences county notices use:
  任命张三同志为县林业局副局长 / 任命张三、李四为…      -> 任
  聘任张三为… / 提名张三为…人选                          -> 任
  张三同志任县林业局副局长 / 张三兼任…                   -> 任
  免去李四同志的县林业局副局长职务 / 免去李四…职务        -> 免
  李四不再担任…职务                                     -> 免
  决定任命：⏎张三为…；⏎李四为…  /  免去：⏎王五的…职务   -> lines under a heading
The text after "为"/"任" up to the next punctuation is the post; "职务",
"人选" and "（试用期一年）" are trimmed from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extract.leaders import is_name, is_post

_NAME = r"[\u4e00-\u9fff]{2,4}?"
_NAMES = rf"{_NAME}(?:、{_NAME})*"
_POST = r"[^，,。；;：:\n]{2,40}?"
_END = r"(?=[，,。；;：:\n]|$)"
# (pattern, action, loose); each pattern has groups "names" and "post". A loose pattern has
# no verb before the name ("张三任…"), so its names must look like people's (leaders.is_name).
_PATTERNS = (
    (re.compile(rf"(?:任命|聘任|聘用|提名|推荐)(?P<names>{_NAMES})(?:同志)?为(?P<post>{_POST}){_END}"), "任", False),
    (re.compile(rf"免去(?P<names>{_NAMES})(?:同志)?的?(?P<post>{_POST})(?:职务|职位){_END}"), "免", False),
    (re.compile(rf"免去(?P<names>{_NAMES})(?:同志)?的(?P<post>{_POST}){_END}"), "免", False),
    (re.compile(rf"(?:^|(?<=[，,。；;：:\s、]))(?P<names>{_NAMES})(?:同志)?(?:兼任|任)(?![命免职用期务])"
                rf"(?P<post>{_POST}){_END}"), "任", True),
    (re.compile(rf"(?:^|(?<=[，,。；;：:\s、]))(?P<names>{_NAMES})(?:同志)?不再担任(?P<post>{_POST})(?:职务)?{_END}"),
     "免", True),
)
# Lines under a "决定任命：" / "免去：" heading name only the person and the post.
_LISTED = {
    "任": re.compile(rf"^\s*(?:\d+[、.．]\s*)?(?P<names>{_NAMES})(?:同志)?为(?P<post>{_POST}){_END}"),
    "免": re.compile(rf"^\s*(?:\d+[、.．]\s*)?(?P<names>{_NAMES})(?:同志)?的?(?P<post>{_POST})(?:职务|职位){_END}"),
}
_HEADING = re.compile(r"(任命|聘任|免去)\s*[:：]?\s*$")     # clauses are split at the colon
_POST_TRIM = re.compile(r"(?:职务|职位|人选|[(（][^)）]*[)）])+$")
# Posts start with the body they belong to; a name read too short leaves them starting
# mid-word ("免去欧阳明华县…" first reads 欧阳 + 明华县…).
_POST_STARTS = tuple("县镇乡市州省区中党人政国")
# Words that the loose "X任Y" pattern could take for a name.
_NOT_NAMES = {"决定", "研究", "经研究", "会议", "现任", "同志", "拟任", "曾任", "历任", "先后"}


# Titles of notices that state appointments or removals (关于张三同志职务任免的通知, 关于李四任职的通知).
_NOTICE_TITLE = re.compile(r"任免|任职|免职|任命|聘任|职务调整|人事调整")


def is_appointment_notice(title: str) -> bool:
    """True when an entry's title says it is a 任免 notice, in whatever column it is listed."""
    return bool(_NOTICE_TITLE.search(title or ""))


@dataclass(frozen=True)
class Appointment:
    person: str
    post: str
    action: str          # 任 | 免


def parse_appointments(title: str, text: str) -> list[Appointment]:
    """Every appointment and removal the notice states, in order, without repeats."""
    found: list[tuple[int, Appointment]] = []
    carry = None                        # (action, from a "任命：" heading) the next clause may continue
    for sentence_start, sentence, full_stop in _sentences(f"{title}\n{text}"):
        stated, carry = _clause_matches(sentence, carry)
        if full_stop and carry and not carry[1]:
            carry = None                # "任命甲为…；乙为…" goes on past "；", never past "。"
        for offset, action, person, post in stated:
            found.append((sentence_start + offset, Appointment(person, post, action)))
    unique, seen = [], set()
    for _, appointment in sorted(found, key=lambda pair: pair[0]):
        if appointment not in seen:
            seen.add(appointment)
            unique.append(appointment)
    return unique


def _clause_matches(sentence: str, carry):
    """([(offset, action, person, post)], carry) of a sentence, clause by clause.

    A clause without a verb of its own continues the action before it: "任命甲为…，乙为…" and
    "免去丙的…职务，丁的…职务" name several people after one verb; under a "决定任命：" heading
    every line does. After a verb (not a heading) the continued post must look like a post, so
    "任期为三年" is no appointment.
    """
    stated = []
    for clause_start, clause in _clauses(sentence):
        matches = [(m, action, loose) for pattern, action, loose in _PATTERNS for m in pattern.finditer(clause)]
        heading = _HEADING.search(clause)
        after_verb = False               # continuing a verb's list: the post must look like one
        if matches:
            carry = (matches[-1][1], False)
        elif heading:
            carry = ("免" if heading.group(1) == "免去" else "任", True)
            continue
        elif carry:
            matches = [(m, carry[0], True) for m in _LISTED[carry[0]].finditer(clause)]
            after_verb = not carry[1]
        kept = [(clause_start + match.start(), action, person, post)
                for match, action, loose in matches for person, post in _people_and_post(match)
                if (not loose or is_name(person)) and (not after_verb or is_post(post))]
        if not kept:
            carry = None
        stated.extend(kept)
    return stated, carry


def _clauses(sentence: str):
    """(offset, clause) split on commas and colons: a post never spans one."""
    start = 0
    for match in re.finditer(r"[，,：:]", sentence + "，"):
        if sentence[start:match.start()].strip():
            yield start, sentence[start:match.start()]
        start = match.end()


def _people_and_post(match) -> list[tuple[str, str]]:
    names, post = match.group("names"), match.group("post")
    if match.end("names") == match.start("post"):     # nothing marks where the name ends
        names, post = _fit_boundary(names, post)
    post = _POST_TRIM.sub("", post).strip()
    return [(person, post) for person in names.split("、") if person not in _NOT_NAMES and post]


def _fit_boundary(names: str, post: str) -> tuple[str, str]:
    """Move up to two characters from the post into the last name when that makes the
    post start as posts do (or "同志" follows them) and the name stays at most four characters."""
    last = names.rsplit("、", 1)[-1]
    head, comrade, rest = post.partition("同志")
    if comrade and len(last) + len(head) <= 4:
        return names + head, rest.removeprefix("的")
    if post.startswith(_POST_STARTS):
        return names, post
    for extra in (1, 2):
        if len(last) + extra <= 4 and post[extra:].startswith(_POST_STARTS):
            return names + post[:extra], post[extra:]
    return names, post


def _sentences(text: str):
    """(offset, sentence, ends with 。) split on 。；; and newlines, so one clause's name never
    spills into another; blank ones skipped."""
    start = 0
    for match in re.finditer(r"[。；;\n]", text + "\n"):
        if text[start:match.start()].strip():
            yield start, text[start:match.start()], match.group() == "。"
        start = match.end()
