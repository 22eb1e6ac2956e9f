"""Benchmark: crawler.extract.dates on the forms lists print and on detail-page text.

    .venv/bin/python -m bench.bench_dates [--calls 100000]

Prints microseconds per call of parse_date per date form (the regex readings),
of the dateparser last resort, and of find_date on a detail page's text of
2.5 KB and on 100 KB of hostile digits.
"""
from __future__ import annotations

import argparse
import timeit
from datetime import date

from crawler.extract.dates import find_date, parse_date

AS_OF = date(2011, 9, 30)
LIST_FORMS = {
    "iso": "2011-09-15", "iso_short": "2011-9-5", "slash": "2011/9/5", "cn": "2011年9月15日",
    "spaced": " 2011 - 09 - 15 ", "full_width": "２０１１年０９月１５日", "bracket_md": "[09-15]",
    "compact": "20110915", "datetime": "2011-09-15 10:32:00", "garbage": "第3期 没有日期",
}
DETAIL_TEXT = ("索引号：011/2011-00123 分类：通知公告 发布机构：建始县教育局 发\u00a0布\u00a0日\u00a0期：2011年09月15日 "
               + "正文内容，关于二〇一一年秋季开学工作的通知。" * 110)


def per_call_us(function, calls: int) -> float:
    return timeit.timeit(function, number=calls) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    calls = parser.parse_args().calls
    for name, text in LIST_FORMS.items():
        print(f"parse_date {name:<12} {per_call_us(lambda: parse_date(text, AS_OF), calls):8.1f} µs")
    parse_date("昨天", AS_OF)   # import dateparser outside the timing
    print(f"parse_date dateparser   {per_call_us(lambda: parse_date('3天前', AS_OF), calls // 100):8.1f} µs")
    print(f"find_date  detail 2.5KB {per_call_us(lambda: find_date(DETAIL_TEXT, AS_OF), calls // 100):8.1f} µs")
    hostile = "1" * 100_000
    print(f"find_date  100KB digits {per_call_us(lambda: find_date(hostile, AS_OF), 20):8.1f} µs")


if __name__ == "__main__":
    main()
