"""A mailbox's letter list (局长信箱, 网上信访): each letter's title, dates and status.

Letters are the rows (or list items) of the page that carry a status word and a
date; the title is the row's link, or, in lists without links, its longest text cell
(the letter is then seen on the list page itself). A table's header names its date columns (来信/提交 = received, 回复/办结 = answered);
without a header the first date is the received one and a second the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from datetime import date

from crawler.extract.dates import parse_date
from crawler.extract.listing import pagination
from crawler.extract.text import (PageRequest, anchor_title, anchors, block_text, body_of, clean,
                                  element_text, text_outside)

# Status words as mailboxes print them, normalised to the three the audits know.
_STATUSES = (
    ("未受理", ("未受理", "待受理", "未处理", "待处理", "未办理", "未回复", "待回复", "未答复")),
    ("已受理", ("已受理", "办理中", "处理中", "正在办理", "受理中", "已转办", "转办中", "已交办")),
    ("已办结", ("已办结", "已回复", "已答复", "已处理", "已完成", "办结", "已反馈")),
)
_STATUS_WORDS = re.compile("|".join(w for _, words in _STATUSES for w in words))
_RECEIVED_HEAD = re.compile(r"来信|提交|写信|留言时间|发信|受理时间|收到|日期|时间")
_ANSWERED_HEAD = re.compile(r"回复|答复|办结|处理时间|反馈")


@dataclass(frozen=True)
class Letter:
    title: str
    url: str
    received: date | None
    status: str
    answered: date | None


@dataclass(frozen=True)
class LetterPage:
    letters: list[Letter] = field(default_factory=list)
    next_requests: list[PageRequest] = field(default_factory=list)


def normalise_status(text: str) -> str | None:
    """未受理 | 已受理 | 已办结 for the first status word in `text`, else None."""
    match = _STATUS_WORDS.search(text)
    if not match:
        return None
    return next(status for status, words in _STATUSES if match.group(0) in words)


def parse_letters(response, as_of: date) -> LetterPage:
    letters: dict[Letter, None] = {}       # an ordered set
    for row in _letter_rows(body_of(response)):
        letter = _letter_of(row, response, as_of)
        if letter is not None:
            letters[letter] = None
    requests, _ = pagination(response)
    return LetterPage(list(letters), requests)


@dataclass(frozen=True)
class LetterReply:
    """What a letter's own page says of its answer (the list may show neither)."""
    status: str | None
    answered: date | None


# 回复时间：2011-07-22, 答复日期: …, 办结时间 …: the label, then the date within a line or two.
_ANSWER_DATE = re.compile(r"(?:回复|答复|办结|反馈)(?:时间|日期)\s*[:：]?\s*([^\n]{0,40}(?:\n[^\n]{0,40})?)")
_STATUS_LABEL = re.compile(r"(?:处理|办理|回复|受理|办件)?状态\s*[:：]?\s*([^\n]{0,20}(?:\n[^\n]{0,20})?)")
# 回复内容：… / 答复意见：… with words after it: answered, whatever the date says.
_ANSWER_TEXT = re.compile(r"(?:回复|答复|办理|处理)(?:内容|意见|结果)\s*[:：]?\s*\n?\s*([^\n]{4,})")
_NO_ANSWER = re.compile(r"\s*(?:暂无|尚未|还未|未|待|无|正在)")


def parse_letter_page(response, as_of: date) -> LetterReply:
    """A letter's page: its status and the date of its answer, by their labels."""
    text = block_text(body_of(response))
    dated = _ANSWER_DATE.search(text)
    answered = parse_date(clean(dated.group(1)), as_of) if dated else None
    labelled = _STATUS_LABEL.search(text)
    status = normalise_status(labelled.group(1)) if labelled else None
    reply = _ANSWER_TEXT.search(text)
    if status is None and (answered or (reply and not _NO_ANSWER.match(reply.group(1)))):
        status = "已办结"                      # no status printed, an answer shown: answered
    return LetterReply(status, answered)


# A letter is a table row or list item; blocks only where the page has neither.
_ROW_TAGS = ("tr", "li", "dl")
_BLOCK_TAGS = ("dd", "div", "p")
_HEADER_ROWS = 3        # a table's header is among its first rows


def _letter_rows(root):
    """The row holding each status word: its nearest row or list item, else its nearest block."""
    rows: dict = {}                       # an ordered set
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        if element.text and _STATUS_WORDS.search(element.text):
            holder = element
        elif element.tail and _STATUS_WORDS.search(element.tail):
            holder = element.getparent()
        else:
            continue
        row = _nearest(holder, _ROW_TAGS)
        if row is None:
            row = _nearest(holder, _BLOCK_TAGS)
        if row is not None:
            rows[row] = None
    return list(rows)


def _nearest(element, tags: tuple[str, ...]):
    """The element itself or its nearest ancestor with one of `tags`, else None."""
    return element if element.tag in tags else next(element.iterancestors(*tags), None)


def _letter_of(row, response, as_of: date) -> Letter | None:
    received, answered = _dates_of(row, as_of)
    if received is None and answered is None:
        return None                           # a sentence mentioning a status, not a letter
    links = anchors(row)
    if links:
        anchor = max(links, key=lambda a: len(anchor_title(a)))
        title, url = anchor_title(anchor), response.urljoin(anchor.get("href").strip())
        # the status beside the title; a title may itself mention one
        status = normalise_status(text_outside(row, anchor)) or normalise_status(element_text(row))
    else:
        title, url = _title_cell(row), response.url
        status = normalise_status(element_text(row))
    return Letter(title, url, received, status, answered) if title else None


def _title_cell(row) -> str:
    """The longest text among a link-less row's cells that is no date, status or number."""
    texts = [clean(element_text(cell)) for cell in row] or [clean(element_text(row))]
    candidates = [t for t in texts if t and not _STATUS_WORDS.fullmatch(t)
                  and not re.fullmatch(r"[\d\s:/.年月日-]+", t)]
    return max(candidates, key=len, default="")


def _dates_of(row, as_of: date) -> tuple[date | None, date | None]:
    """(received, answered), by the table's header when it names them, else in order."""
    cells = [c for c in row if c.tag in ("td", "th", "span", "dd", "em", "i", "small", "p", "div")] \
        or list(row)
    dated = [(i, parse_date(clean(element_text(c)), as_of)) for i, c in enumerate(cells)]
    dated = [(i, d) for i, d in dated if d is not None]
    heads = _header_of(row)
    if heads:
        received = next((d for i, d in dated if i < len(heads) and _RECEIVED_HEAD.search(heads[i])
                         and not _ANSWERED_HEAD.search(heads[i])), None)
        answered = next((d for i, d in dated if i < len(heads) and _ANSWERED_HEAD.search(heads[i])), None)
        if received or answered:
            return received, answered
    dates = [d for _, d in dated]
    return (dates[0] if dates else None), (dates[1] if len(dates) > 1 else None)


def _header_of(row) -> list[str]:
    """The texts of the header row of the row's table, if it has one."""
    if row.tag != "tr":
        return []
    table = next(row.iterancestors("table"), None)
    if table is None:
        return []
    for candidate in islice(table.iter("tr"), _HEADER_ROWS):
        if candidate.find("th") is not None or (not anchors(candidate) and candidate is not row):
            return [clean(element_text(c)) for c in candidate if c.tag in ("td", "th")]
        if candidate is row:
            break
    return []
