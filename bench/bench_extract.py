"""Benchmark: the extractors on sandbox pages of each family and on hostile pages.

    .venv/bin/python -m bench.bench_extract [--repeat 20]

Prints milliseconds per call of parse_list / parse_detail / parse_leaders /
column_tree on one rendered page of each template family (list pages are most of
a crawl), of what the spider runs on a list or article page (is_soft_404, then
parse_list or parse_detail: "list page", "detail page"), the same on many sandbox
pages (the "sandbox" rows: mean per page over a dozen units), and of every extractor
on two hostile pages: a 400 KB list of 3,000 entries and 10,000 <div>s nested 200
deep (cost must stay linear in the size).

Figures are the best of five rounds. Every call gets a fresh copy of its response, as the crawl does: a response's parsed
tree (and any per-response memo of the extractors) must not be reused across calls.
The "extract" column is the time without parsing the HTML (the "parse html" row),
which the crawl pays once per page whatever the extractors do.
"""
from __future__ import annotations

import argparse
import timeit
from urllib.parse import parse_qs, urlsplit

from scrapy.http import HtmlResponse

from crawler.extract.detail import parse_detail
from crawler.extract.leaders import parse_leaders
from crawler.extract.links import is_soft_404
from crawler.extract.listing import parse_list
from crawler.extract.navigation import column_tree
from crawler.extract.text import body_of
from crawler.extract.workflows import parse_workflows
from sandbox.families import Request, render, renderer_for
from sandbox.generator import generate


# Sites the server keeps out or takes down: no pages to read there.
UNREACHABLE = {"down", "robots_disallow", "anti_crawler_412", "redirect_loop", "server_error"}


def rendered(web, unit, path: str) -> HtmlResponse:
    site = web.site(unit.site)
    parts = urlsplit(path)
    answer = render(web, site, Request("GET", parts.path, parse_qs(parts.query), {}, {}))
    return HtmlResponse(url=site.origin + path, body=answer.body, headers={"Content-Type": answer.content_type})


def family_pages(web) -> dict[str, dict[str, HtmlResponse]]:
    """One section, list, article and leaders page per family (its first unit with all four)."""
    pages = {}
    for unit in web.units:
        site = web.site(unit.site)
        renderer = renderer_for(web, site)
        lists = [c for c in unit.columns if c.role == "list" and c.articles]
        leaders = renderer.leaders_column(unit)
        if site.family in pages or site.hostile & UNREACHABLE or not lists or leaders is None:
            continue
        column = max(lists, key=lambda c: len(c.articles))
        pages[site.family] = {
            "column_tree": rendered(web, unit, renderer.section_path(unit)),
            "parse_list": rendered(web, unit, renderer.column_path(unit, column)),
            "parse_detail": rendered(web, unit, renderer.article_path(unit, column, column.articles[0])),
            "parse_leaders": rendered(web, unit, renderer.column_path(unit, leaders)),
        }
        pages[site.family]["list page"] = pages[site.family]["parse_list"]
        pages[site.family]["detail page"] = pages[site.family]["parse_detail"]
        pages[site.family]["parse html"] = pages[site.family]["parse_detail"]
    return pages


CORPUS_UNITS = 12          # units whose list and article pages make the "sandbox" rows
ARTICLES_PER_COLUMN = 3


def corpus_pages(web) -> dict[str, list[HtmlResponse]]:
    """Many pages, not one per family: each list column's first page and first articles, for
    the first CORPUS_UNITS reachable units (all four families, the mix a crawl reads)."""
    pages: dict[str, list[HtmlResponse]] = {"list page": [], "detail page": []}
    units = [u for u in web.units if not web.site(u.site).hostile & UNREACHABLE][:CORPUS_UNITS]
    for unit in units:
        renderer = renderer_for(web, web.site(unit.site))
        for column in (c for c in unit.columns if c.role == "list" and c.articles):
            pages["list page"].append(rendered(web, unit, renderer.column_path(unit, column)))
            pages["detail page"] += [rendered(web, unit, renderer.article_path(unit, column, article))
                                     for article in column.articles[:ARTICLES_PER_COLUMN]]
    return pages


def hostile_pages() -> dict[str, HtmlResponse]:
    rows = "".join(f'<li><a href="./2011/t2011_{i}.html" title="关于第{i}项工作的通知公告">关于第{i}项工作…</a>'
                   f"<span>2011-09-{i % 28 + 1:02d}</span></li>" for i in range(3000))
    menu = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(200))
    deep = ("<div>" * 200 + "正文" + "</div>" * 200) * 50
    return {
        "big list 400KB": HtmlResponse(url="http://x.gov.cn/l/", encoding="utf-8",
                                       body=f"<html><body><ul>{menu}</ul><ul>{rows}</ul></body></html>".encode()),
        "deep 10k divs": HtmlResponse(url="http://x.gov.cn/d/", encoding="utf-8",
                                      body=f"<html><body>{deep}</body></html>".encode()),
    }


ROUNDS = 5      # the best of five rounds: the machine is shared, the minimum is the code's own cost


def per_call_ms(call, response, number: int) -> float:
    """Milliseconds per call of `call` on a fresh copy of `response` (copying included)."""
    best = float("inf")
    for _ in range(ROUNDS):
        copies = [response.replace() for _ in range(number)]
        best = min(best, timeit.timeit(lambda pop=copies.pop: call(pop()), number=number))
    return best / number * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    web = generate()
    calls = {
        "column_tree": column_tree,
        "parse_list": lambda r: parse_list(r, web.as_of),
        "parse_detail": lambda r: parse_detail(r, web.as_of),
        "parse_leaders": parse_leaders,
        "parse_workflows": parse_workflows,
    }
    spider = {
        "list page": lambda r: (is_soft_404(r), parse_list(r, web.as_of)),
        "detail page": lambda r: (is_soft_404(r), parse_detail(r, web.as_of)),
        "parse html": body_of,
    }
    print(f"{'page':<15} {'call':<15} {'size':>9} {'total':>11} {'extract':>11}")
    for family, pages in family_pages(web).items():
        parse_ms = per_call_ms(body_of, pages["parse html"], repeat)
        for name, response in pages.items():
            ms = per_call_ms({**calls, **spider}[name], response, repeat)
            print(f"{family:<15} {name:<15} {len(response.body) / 1024:6.1f} KB {ms:8.2f} ms {ms - parse_ms:8.2f} ms")
    for name, responses in corpus_pages(web).items():
        rounds = max(1, repeat // 10)
        parse_ms = sum(per_call_ms(body_of, r, rounds) for r in responses) / len(responses)
        ms = sum(per_call_ms(spider[name], r, rounds) for r in responses) / len(responses)
        label = f"sandbox x{len(responses)}"
        print(f"{label:<15} {name:<15} {'mean':>9} {ms:8.2f} ms {ms - parse_ms:8.2f} ms")
    number = max(1, repeat // 10)
    for label, response in hostile_pages().items():
        parse_ms = per_call_ms(body_of, response, number)
        for name, call in {**calls, **spider}.items():
            ms = per_call_ms(call, response, number)
            print(f"{label:<15} {name:<15} {len(response.body) / 1024:6.1f} KB {ms:8.1f} ms {ms - parse_ms:8.1f} ms")


if __name__ == "__main__":
    main()
