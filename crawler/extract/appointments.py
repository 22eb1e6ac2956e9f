"""Appointment and removal notices (任免): who gets or loses which post.

The sentences county notices use:
  任命张三同志为县林业局副局长 / 任命张三、李四为…      -> 任
  聘任张三为… / 提名张三为…人选                          -> 任
  张三同志任县林业局副局长 / 张三兼任…                   -> 任
  免去李四同志的县林业局副局长职务 / 免去李四…职务        -> 免
  李四不再担任…职务                                     -> 免
The text after "为"/"任" up to the next punctuation is the post; "职务",
"人选" and "（试用期一年）" are trimmed from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[\u4e00-\u9fff]{2,4}?"
_NAMES = rf"{_NAME}(?:、{_NAME})*"
_POST = r"[^，,。；;：:\n]{2,40}?"
_END = r"(?=[，,。；;：:\n]|$)"
# (pattern, action); each pattern has groups "names" and "post".
_PATTERNS = (
    (re.compile(rf"(?:任命|聘任|聘用|提名|推荐)(?P<names>{_NAMES})(?:同志)?为(?P<post>{_POST}){_END}"), "任"),
    (re.compile(rf"免去(?P<names>{_NAMES})(?:同志)?的?(?P<post>{_POST})(?:职务|职位){_END}"), "免"),
    (re.compile(rf"免去(?P<names>{_NAMES})(?:同志)?的(?P<post>{_POST}){_END}"), "免"),
    (re.compile(rf"(?:^|(?<=[，,。；;：:\s、]))(?P<names>{_NAMES})(?:同志)?(?:兼任|任)(?![命免职用期])"
                rf"(?P<post>{_POST}){_END}"), "任"),
    (re.compile(rf"(?:^|(?<=[，,。；;：:\s、]))(?P<names>{_NAMES})(?:同志)?不再担任(?P<post>{_POST})(?:职务)?{_END}"), "免"),
)
_POST_TRIM = re.compile(r"(?:职务|职位|人选|[(（][^)）]*[)）])+$")
# Posts start with the body they belong to; a name read too short leaves them starting
# mid-word ("免去欧阳明华县…" first reads 欧阳 + 明华县…).
_POST_STARTS = tuple("县镇乡市州省区中党人政国")
# Words that the loose "X任Y" pattern could take for a name.
_NOT_NAMES = {"决定", "研究", "经研究", "会议", "现任", "同志", "拟任", "曾任", "历任", "先后"}


@dataclass(frozen=True)
class Appointment:
    person: str
    post: str
    action: str          # 任 | 免


def parse_appointments(title: str, text: str) -> list[Appointment]:
    """Every appointment and removal the notice states, in order, without repeats."""
    found: list[tuple[int, Appointment]] = []
    for sentence_start, sentence in _sentences(f"{title}\n{text}"):
        for pattern, action in _PATTERNS:
            for match in pattern.finditer(sentence):
                names, post = match.group("names"), match.group("post")
                if match.end("names") == match.start("post"):     # nothing marks where the name ends
                    names, post = _fit_boundary(names, post)
                post = _POST_TRIM.sub("", post).strip()
                for person in names.split("、"):
                    if person not in _NOT_NAMES and post:
                        found.append((sentence_start + match.start(), Appointment(person, post, action)))
    unique, seen = [], set()
    for _, appointment in sorted(found, key=lambda pair: pair[0]):
        if appointment not in seen:
            seen.add(appointment)
            unique.append(appointment)
    return unique


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
    """(offset, sentence) split on 。；; and newlines, so one clause's name never spills into another."""
    start = 0
    for match in re.finditer(r"[。；;\n]", text + "\n"):
        yield start, text[start:match.start()]
        start = match.end()
