"""parse_date / find_date on the forms county sites print, and on hostile input."""
from datetime import date, datetime

import pytest

from crawler.extract.dates import find_date, parse_date, year_implied

AS_OF = date(2011, 9, 30)


@pytest.mark.parametrize("text, expected", [
    ("2011-09-15", date(2011, 9, 15)),
    ("2011-9-5", date(2011, 9, 5)),
    ("2011/9/5", date(2011, 9, 5)),
    ("2011.9.5", date(2011, 9, 5)),
    ("2011年9月15日", date(2011, 9, 15)),
    ("2011年 9月15日", date(2011, 9, 15)),
    (" 2011 - 09 - 15 ", date(2011, 9, 15)),
    ("2011&nbsp;-&nbsp;09-15", date(2011, 9, 15)),
    ("2011\u00a0年\u30009月\u300015日", date(2011, 9, 15)),          # nbsp, full-width spaces
    ("２０１１年０９月１５日", date(2011, 9, 15)),                       # full-width digits
    ("２０１１－０９－１５", date(2011, 9, 15)),
    ("20110915", date(2011, 9, 15)),
    ("2011-09-15 10:32:00", date(2011, 9, 15)),
    ("(2011-09-15)", date(2011, 9, 15)),
    ("[09-15]", date(2011, 9, 15)),
    ("09-15", date(2011, 9, 15)),
    ("9月15日", date(2011, 9, 15)),
    ("二〇一一年九月十五日", date(2011, 9, 15)),
    ("二○一一年九月二十日", date(2011, 9, 20)),
    ("昨天", date(2011, 9, 29)),                                     # dateparser, the last resort
    ("3天前", date(2011, 9, 27)),
])
def test_list_date_forms(text, expected):
    assert parse_date(text, AS_OF) == expected


def test_year_is_inferred_across_a_year_boundary():
    assert parse_date("[12-30]", date(2012, 1, 5)) == date(2011, 12, 30)
    assert parse_date("[01-03]", date(2012, 1, 5)) == date(2012, 1, 3)
    assert parse_date("10月1日", AS_OF) == date(2010, 10, 1)
    assert parse_date("02-29", AS_OF) == date(2008, 2, 29)


@pytest.mark.parametrize("text", [
    "2012-09-15", "2011-10-01", "二〇一一年十月一日", "20111001",     # after as_of: a typo, not clamped
    "1989-12-31", "19000101",                                          # before 1990
    "2011-13-01", "2011-02-30", "[13-45]",                             # no such day
    "", "garbage", "第3期", "没有日期", "2011年9月",                     # no day
    "11-09-15",                                                       # two-digit year: ambiguous
])
def test_no_date(text):
    assert parse_date(text, AS_OF) is None


def test_a_future_full_date_does_not_fall_back_to_its_month_and_day():
    assert parse_date("2012-09-15", AS_OF) is None
    assert parse_date("2012年9月15日", AS_OF) is None


def test_as_of_may_be_a_datetime():
    assert parse_date("09-15", datetime(2011, 9, 30, 8)) == date(2011, 9, 15)


@pytest.mark.parametrize("text, expected", [
    ("发布日期：2011年09月15日", date(2011, 9, 15)),
    ("发布时间: 2011-09-15 10:32", date(2011, 9, 15)),
    ("日期：2011-9-1　来源：建始县教育局", date(2011, 9, 1)),
    ("时间：[09-15]", date(2011, 9, 15)),
    ("<p><strong>索引号</strong>：011/2011-00123</p>"
     "<p><strong>发&nbsp;布&nbsp;日&nbsp;期</strong>&nbsp;：2011年09月15日</p>", date(2011, 9, 15)),
    ("发布日期\u3000\u3000：\u30002011年09月15日", date(2011, 9, 15)),
    ("成文日期：2011-09-10 发布日期：2011-09-15", date(2011, 9, 15)),   # publication label preferred
    ("正文提到 2011-03-02 的会议。发布时间：2011-09-15", date(2011, 9, 15)),   # labelled over bare
    ("<!-- 发布日期：2011-01-01 --> 正文 2011-08-02", date(2011, 8, 2)),     # commented-out field
    ("关于二〇一一年九月十日会议的通知", date(2011, 9, 10)),
    ("发布日期：2012-09-15 更新时间：2011-09-16", date(2011, 9, 16)),  # future label skipped
    ("办公时间：8:30-12:00 联系电话：4321234", None),
    ("索引号 20110915 t20110915_1234567", None),                    # bare 8-digit runs are not trusted
    ("no date here", None),
])
def test_find_date_in_free_text(text, expected):
    assert find_date(text, AS_OF) == expected


@pytest.mark.timeout(10)
@pytest.mark.parametrize("junk", [
    "1" * 100_000,
    "1-" * 50_000,
    "2011 " * 20_000,
    "2011-09-1" + "5" * 100_000,
    "<!--" * 25_000 + "x",
    "<" * 100_000,
    "年月日" * 30_000,
    "发布日期：" * 20_000,
    " " * 100_000 + "x",
])
def test_hostile_long_strings_end_quickly(junk):
    # A guard against catastrophic backtracking, not a speed measurement (see bench/).
    for _ in range(3):
        assert parse_date(junk, AS_OF) is None
        assert find_date(junk, AS_OF) is None


def test_every_list_date_style_of_the_sandbox_reads_back():
    from datetime import timedelta

    from sandbox.families.common import format_date
    from sandbox.model import DATE_STYLES

    days = [AS_OF - timedelta(days=n) for n in range(0, 365, 7)]
    for style in set(DATE_STYLES) - {"detail_only"}:
        for seed, day in enumerate(days):
            printed = format_date(day, style, seed)
            assert parse_date(printed, AS_OF) == day, (style, printed)


@pytest.mark.parametrize("text, expected", [
    ("[05-03]", True), ("5月3日", True), ("2011-05-03", False), ("2011年5月3日", False), ("20110503", False), ("无", False),
])
def test_year_implied(text, expected):
    assert year_implied(text) is expected
