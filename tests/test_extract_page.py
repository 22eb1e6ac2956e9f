"""page.Page (one response's shared readings) and the text helpers the extractors' speed rests on:
each must answer exactly what the plain, slower reading answers."""
import gc
import weakref
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.extract.links import could_say_not_found, is_soft_404
from crawler.extract.page import page_of
from crawler.extract.text import block_text, body_of, in_chrome, is_chrome, visible_text

FIXTURES = Path(__file__).parent / "fixtures" / "html"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.html"))


def fixture(name: str) -> HtmlResponse:
    return HtmlResponse(url="http://www.example.gov.cn/xxgk/gzdt/index.html", body=(FIXTURES / name).read_bytes())


def html(body: str, url: str = "http://www.example.gov.cn/a/b.html") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("order", ["document", "reversed"])
def test_in_chrome_memo_agrees_with_the_walk_up(name, order):
    """Whatever order the questions come in, the memo answers what text.in_chrome answers."""
    page = page_of(fixture(name))
    elements = list(page.root.iter())
    if order == "reversed":
        elements.reverse()
    assert [page.in_chrome(el) for el in elements] == [in_chrome(el) for el in elements]
    assert any(page.in_chrome(el) for el in elements) == any(in_chrome(el) for el in elements)


def test_in_chrome_memo_sees_chrome_above_and_not_beside():
    response = html('<html><body><div class="footer"><p><a href="/x">版权</a></p></div>'
                    '<div class="main"><p><a href="/y">正文链接</a></p></div></body></html>')
    page = page_of(response)
    inside, beside = page.root.iter("a")
    assert page.in_chrome(inside) is True and page.in_chrome(beside) is False
    assert page.in_chrome(inside.getparent()) is True      # answered from the memo on the way up


def test_meta_is_the_first_tag_with_a_content_by_name_or_property():
    page = page_of(html('<html><head><meta name="PubDate"><meta property="PubDate" content=" 2011-09-15 ">'
                        '<meta name="PubDate" content="2012-01-01"><meta property="og:title" content="标题">'
                        '</head><body></body></html>'))
    assert page.meta("PubDate") == "2011-09-15"
    assert page.meta("og:title") == "标题"
    assert page.meta("ArticleTitle") == ""


def test_title_and_urljoin_match_the_response():
    response = html('<html><head><title> 通知 - 某县 </title><base href="http://other.gov.cn/d/"></head>'
                    '<body></body></html>')
    page = page_of(response)
    assert page.title == "通知 - 某县"
    for href in ("t1.html", "../up.pdf", "?page=2", "//cdn.gov.cn/x.doc", "http://a.gov.cn/"):
        assert page.urljoin(href) == response.urljoin(href)
        assert page.urljoin(href) == response.urljoin(href)    # the memo's second answer too


def test_one_page_per_response_dropped_with_it():
    response = html("<html><body><p>x</p></body></html>")
    page = page_of(response)
    assert page_of(response) is page
    assert page_of(response.replace()) is not page          # a copy is another response
    page.in_chrome(page.root)                                # a memo holding the tree's elements
    gone = weakref.ref(page)
    del response, page
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_visible_text_of_every_element_matches_a_plain_walk(name):
    root = body_of(fixture(name))
    for element in root.iter():
        assert visible_text(element) == " ".join(_plain_pieces(element, skip=lambda el: False))
    assert visible_text(root, skip=is_chrome) == " ".join(_plain_pieces(root, skip=is_chrome))


def _plain_pieces(element, skip):
    """The text nodes of an element, recursively, without invisible or skipped subtrees: the
    definition visible_text's iterative walk and its leaf shortcut must keep."""
    if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "template",
                                                           "head", "title") or skip(element):
        return []
    pieces = [element.text] if element.text else []
    for child in element:
        pieces += _plain_pieces(child, skip)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def test_block_text_breaks_lines_at_blocks_only():
    root = body_of(html("<html><body><div>一<b>二</b><p>三</p>四<br>五<!-- 注释 -->六</div></body></html>"))
    # <html> and <body> are no blocks; a block starts and ends a line (<br> both at once)
    assert block_text(root) == "\n一二\n三\n四\n\n五六\n"


@pytest.mark.parametrize("body", [
    "<html><body><p>页面不存在</p></body></html>",
    "<html><body><p>页 面<b>不存</b>在</p></body></html>",            # across tags and padding
    "<html><body><p>&#39029;&#38754;&#19981;&#23384;&#22312;</p></body></html>",   # as entities
    "<html><body><h1>Not <i>Found</i></h1></body></html>",
    "<html><body><p>404</p></body></html>",
])
def test_not_found_pages_are_still_read(body):
    root = body_of(html(body))
    assert could_say_not_found(root) is True
    assert is_soft_404(html(body)) is True


def test_pages_without_a_mark_are_answered_without_reading_them():
    body = "<html><body><p>关于印发通知的说明</p><script>var s = '页面不存在';</script></body></html>"
    assert could_say_not_found(body_of(html("<html><body><p>关于印发通知的说明</p></body></html>"))) is False
    assert could_say_not_found(body_of(html(body))) is True      # a script's text: read, then rejected
    assert is_soft_404(html(body)) is False
