"""The render budget of crawler/rendering.py: articles read only for their links are rendered
for the newest few of each column and within a share of the unit's budget; pages the audits
rely on (lists, 任免 notices, articles without a list date) are never kept from rendering by them,
whatever order the requests come in."""
from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler import settings as defaults
from crawler.rendering import RenderMiddleware, links_only_article

COLUMN = {"url": "http://x.gov.cn/#/list/12", "role": None}


def meta(title="环保局召开防汛抗旱工作会议", date="2011-09-01", rank=0, list_url=COLUMN["url"], column=COLUMN,
         handler="detail"):
    return {"handler": handler, "unit": "u",
            "ctx": {"column": column, "title": title, "date": date, "list_url": list_url, "rank": rank}}


def test_which_pages_are_articles_read_only_for_their_links():
    assert links_only_article(meta()) == (COLUMN["url"], 0)
    assert links_only_article(meta(rank=2)) == (COLUMN["url"], 2)
    assert links_only_article(meta(list_url=COLUMN["url"] + "?disclosure_render_page=2"))[1] >= 1_000_000
    assert links_only_article(meta(date=None)) is None                      # its date is wanted
    assert links_only_article(meta(title="关于徐斌华等同志职务任免的通知")) is None  # a 任免 notice
    assert links_only_article(meta(column={**COLUMN, "role": "personnel"})) is None
    assert links_only_article(meta(handler="list")) is None
    assert links_only_article({"handler": "detail", "ctx": {}}) is None       # not an entry of a list


def middleware(**settings) -> RenderMiddleware:
    project = {name: getattr(defaults, name) for name in dir(defaults) if name.startswith("DISCLOSURE_RENDER")}
    return RenderMiddleware(get_crawler(settings_dict={**project, **settings}))


def test_only_the_newest_articles_of_a_column_are_rendered():
    mw = middleware(DISCLOSURE_RENDER_ARTICLES_PER_COLUMN=3, DISCLOSURE_RENDER_PER_UNIT=100)
    # the scheduler hands them over oldest first (LIFO): the newest three are still the ones rendered
    chosen = [rank for rank in reversed(range(10)) if mw.article_budget("u", (COLUMN["url"], rank)) is None]
    assert sorted(chosen) == [0, 1, 2]
    assert "ARTICLES_PER_COLUMN" in mw.article_budget("u", (COLUMN["url"], 1_000_000))   # a later page's


def test_articles_never_take_the_renders_other_pages_need():
    mw = middleware(DISCLOSURE_RENDER_ARTICLES_PER_COLUMN=3, DISCLOSURE_RENDER_PER_UNIT=10,
                    DISCLOSURE_RENDER_ARTICLES_SHARE=0.4)
    granted = sum(mw.article_budget("u", (f"http://x.gov.cn/c{c}", r)) is None for c in range(5) for r in range(3))
    assert granted == 4                                    # 40% of 10
    assert mw.article_budget("u", None) is None            # any other page: the unit's budget alone
    assert mw.article_budget("other", ("http://x.gov.cn/c0", 0)) is None   # per unit
