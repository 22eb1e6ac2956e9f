"""Publication dates as county sites print them, htmldate style.

`parse_date` reads one date as a list prints it; `find_date` finds the
publication date in a block of free text (a detail page's metadata block).
Cheap, precise heuristics run first, each a precompiled regex with bounded
repetition (no catastrophic backtracking on hostile input); dateparser
(Chinese) is the last resort, and only for short text that looks like a date.

Never a date after `as_of` (the crawl's reference day): a future date is a
typo and gives None rather than being clamped; nor a date before 1990.
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, time
from itertools import islice
from typing import Iterator

EARLIEST = date(1990, 1, 1)         # older "dates" on a county site are misreadings
MAX_MATCHES = 20                    # matches of one heuristic tried before giving up
_DATEPARSER_MAX_CHARS = 40          # dateparser is slow: short cells only
_LABEL_WINDOW = 40                  # characters after a label where its date may sit

# After _normalise, whitespace is single spaces and digits are ASCII, so " ?" suffices.
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4}) ?([-/.]) ?(\d{1,2}) ?\2 ?(\d{1,2})(?!\d)")   # 2011-9-5, 2011/9/5, 2011.9.5
_CHINESE = re.compile(r"(?<!\d)(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2})(?!\d)")             # 2011年 9月15日
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")                            # 20110915
# [09-15], 9月15日: not part of a longer y-m-d or m-d-y run.
_MONTH_DAY = re.compile(r"(?<![\d/.-])(\d{1,2}) ?(?:[-/]|月) ?(\d{1,2})(?!\d| ?[-/.] ?\d)")
_CHINESE_NUMERALS = re.compile(                                                       # 二〇一一年九月十五日
    r"([〇○零O0一二三四五六七八九]{4}) ?年 ?([一二三四五六七八九十]{1,3}) ?月 ?([一二三四五六七八九十]{1,3}) ?日")
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")       # ！ .. ～: full-width forms of ASCII
_FULL_WIDTH_OFFSET = 0xFF01 - ord("!")
_WHITESPACE = re.compile(r"\s+")                  # unicode: includes nbsp and U+3000
# Text worth dateparser's time: a numeral before 年/月/日, or a relative day (昨天, 3天前, 2小时前).
_DATE_LIKE = re.compile(r"[\d〇○零一二三四五六七八九十] ?[年月日号]|[昨今前]天|[天周]前|小时前|分钟前")

_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0, "0": 0}


def _spaced(word: str) -> str:
    """A label pattern that tolerates a space between its characters (发&nbsp;布&nbsp;日&nbsp;期)."""
    return " ?".join(word)


# 生成日期 and 发文日期 are what 公开目录 metadata tables print when they print no 发布日期.
_PUBLISHED = "|".join(_spaced(word) for word in ("发布", "发表", "公开", "发文", "生成"))
_DATE_OR_TIME = f"(?:{_spaced('日期')}|{_spaced('时间')})"
# Labels of a metadata block, most trusted first: 发布日期/发布时间 …, then any 日期:/时间:.
PUBLICATION_LABEL = re.compile(f"(?:{_PUBLISHED}) ?{_DATE_OR_TIME} ?:?")
ANY_DATE_LABEL = re.compile(f"{_DATE_OR_TIME} ?:")
_LABELS = (PUBLICATION_LABEL, ANY_DATE_LABEL)


def _normalise(text: str) -> str:
    """ASCII digits and punctuation, entities decoded, every whitespace run (nbsp and
    full-width spaces too) one space. A regex rather than NFKC, which is slow on Chinese text."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _FULL_WIDTH.sub(lambda m: chr(ord(m.group()) - _FULL_WIDTH_OFFSET), text)
    return _WHITESPACE.sub(" ", text)


def _checked(year: int, month: int, day: int, as_of: date) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if EARLIEST <= found <= as_of else None


def latest_month_day(month: int, day: int, as_of: date) -> date | None:
    """The latest month-day not after as_of ([12-30] in January is last year's)."""
    for year in range(as_of.year, as_of.year - 8, -1):     # 8 years always hold a 29 February
        found = _checked(year, month, day, as_of)
        if found:
            return found
    return None


def _chinese_number(numerals: str) -> int:
    """一 .. 三十一 (month and day numerals)."""
    tens, ten, ones = numerals.partition("十")
    if not ten:
        return _CHINESE_DIGITS[numerals]
    return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)


def _with_year(pattern: re.Pattern, text: str) -> Iterator[tuple[int, int, int]]:
    """(year, month, day) of each match; year is the first group, month and day the last two."""
    for match in islice(pattern.finditer(text), MAX_MATCHES):
        last = match.lastindex
        yield int(match.group(1)), int(match.group(last - 1)), int(match.group(last))


def _year_first(text: str) -> Iterator[tuple[int, int, int]]:
    return _with_year(_YEAR_FIRST, text)


def _chinese(text: str) -> Iterator[tuple[int, int, int]]:
    return _with_year(_CHINESE, text)


def _compact(text: str) -> Iterator[tuple[int, int, int]]:
    return _with_year(_COMPACT, text)


def _written_in_numerals(text: str) -> Iterator[tuple[int, int, int]]:
    """二〇一一年九月十五日, as official documents date themselves."""
    for match in islice(_CHINESE_NUMERALS.finditer(text), MAX_MATCHES):
        year = int("".join(str(_CHINESE_DIGITS[c]) for c in match.group(1)))
        yield year, _chinese_number(match.group(2)), _chinese_number(match.group(3))


# Readings with a year, most precise first. Free text skips _compact: its 8-digit
# runs are as often 索引号 or URL fragments (t20110915_…) as publication dates.
_FULL_DATES = (_year_first, _chinese, _written_in_numerals)
_UNMATCHED = object()


def _first_reading(text: str, as_of: date, readings) -> date | None | object:
    """The first acceptable date of the first reading that matches at all.

    _UNMATCHED when none matched; None when one matched but gave no acceptable
    date (a future typo must not fall through to a weaker reading).
    """
    for reading in readings:
        candidates = list(reading(text))
        if candidates:
            return next(filter(None, (_checked(*c, as_of) for c in candidates)), None)
    return _UNMATCHED


def _month_day(text: str, as_of: date) -> date | None | object:
    match = _MONTH_DAY.search(text)
    if not match:
        return _UNMATCHED
    return latest_month_day(int(match.group(1)), int(match.group(2)), as_of)


def _by_dateparser(text: str, as_of: date) -> date | None:
    """Last resort for short date-like text: 昨天, 3天前, 2011年09月15日 星期四 …"""
    if len(text) > _DATEPARSER_MAX_CHARS or not _DATE_LIKE.search(text):
        return None
    import dateparser  # slow to import; most crawls never need it

    parsed = dateparser.parse(text, languages=["zh"], settings={
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime.combine(as_of, time.max),   # "2小时前" on as_of is as_of
        "REQUIRE_PARTS": ["day", "month", "year"],
    })
    return _checked(parsed.year, parsed.month, parsed.day, as_of) if parsed else None


def _as_day(as_of: date) -> date:
    return as_of.date() if isinstance(as_of, datetime) else as_of


def parse_date(text: str, as_of: date) -> date | None:
    """One date as a list prints it; the year of "[09-15]" is the latest not after as_of."""
    as_of = _as_day(as_of)
    text = _normalise(text)
    found = _first_reading(text, as_of, (*_FULL_DATES, _compact))
    if found is _UNMATCHED:
        found = _month_day(text, as_of)
    if found is _UNMATCHED:
        found = _by_dateparser(text.strip(), as_of)
    return found


def year_implied(text: str) -> bool:
    """True when the date in `text` is printed without its year ([05-03], 5月3日), so that
    parse_date chose the year: the latest not after its as_of."""
    text = _normalise(text)
    return (not any(pattern.search(text) for pattern in (_YEAR_FIRST, _CHINESE, _CHINESE_NUMERALS, _COMPACT))
            and _MONTH_DAY.search(text) is not None)


def _plain_text(text: str) -> str:
    """Markup removed: HTML comments (commented-out fields are not shown) and tags."""
    parts, start = [], 0
    while (opening := text.find("<!--", start)) >= 0:      # str.find: linear on unclosed comments
        parts.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        start = len(text) if closing < 0 else closing + 3
    parts.append(text[start:])
    return _normalise(re.sub(r"<[^<>]*>", " ", "".join(parts)))


def labelled_date(text: str, as_of: date, labels=_LABELS) -> date | None:
    """The date printed right after a label (发布日期：…), trying `labels` in order of trust."""
    return _labelled(_plain_text(text), _as_day(as_of), labels)


def _labelled(text: str, as_of: date, labels) -> date | None:
    for label in labels:
        for match in islice(label.finditer(text), MAX_MATCHES):
            found = parse_date(text[match.end():match.end() + _LABEL_WINDOW], as_of)
            if found:
                return found
    return None


def find_date(text: str, as_of: date) -> date | None:
    """The publication date in free text: a labelled date (发布日期：…) first, else the first full date."""
    as_of = _as_day(as_of)
    text = _plain_text(text)
    found = _labelled(text, as_of, _LABELS)
    if found:
        return found
    for reading in _FULL_DATES:
        for candidate in reading(text):
            found = _checked(*candidate, as_of)
            if found:
                return found
    return None


# Dates CMSes write into an article's address when they create it: TRS t20110915_…,
# Hanweb art/2011/9/15/…, DedeCMS /2011/0915/…; the year first, then month and day.
_URL_DATES = (re.compile(r"(?<!\d)t((?:19|20)\d\d)(\d\d)(\d\d)_"),
              re.compile(r"/art/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/"),
              re.compile(r"/((?:19|20)\d\d)/(\d\d)(\d\d)/"))


def url_date(url: str, as_of: date) -> date | None:
    """The creation date a CMS wrote into an article's URL, or None."""
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match:
            return _checked(*(int(part) for part in match.groups()), _as_day(as_of))
    return None
