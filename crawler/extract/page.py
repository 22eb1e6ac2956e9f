"""What several extractors read from one response, computed once per response.

The spider runs is_soft_404, then parse_detail or parse_list, on the same response,
and each asks the same questions of its tree: which elements are page chrome, what a
<meta> tag says, where a link leads. `page_of(response)` answers them once. The memo
is held weakly by the response (as Scrapy's own get_base_url cache is) and holds no
reference to it, so it dies with the response and nothing builds up over a crawl; a
Page taken from it stays usable on its own.
"""
from __future__ import annotations

from functools import cached_property
from urllib.parse import urljoin
from weakref import WeakKeyDictionary

from scrapy.utils.response import get_base_url

from crawler.extract.text import body_of, clean, first_value, is_chrome

_PAGES: WeakKeyDictionary = WeakKeyDictionary()


class Page:
    """One response's lxml tree and the readings of it shared by the extractors.

    Element answers (`in_chrome`) are about elements of `root`'s own tree only.
    The memo keeps lxml's proxies of the elements it has seen alive: an element is the
    same Python object each time it is reached, as long as the page lives.
    """

    def __init__(self, response):
        self.url = response.url
        self.root = body_of(response)
        self._base = get_base_url(response)     # what response.urljoin joins against (<base href>)
        self._joined: dict[str, str] = {}
        self._in_chrome: dict = {}              # element -> in_chrome(element); keeps the proxies alive

    def urljoin(self, href: str) -> str:
        """response.urljoin(href), once per distinct href of the page."""
        joined = self._joined.get(href)
        if joined is None:
            joined = self._joined[href] = urljoin(self._base, href)
        return joined

    def in_chrome(self, element) -> bool:
        """text.in_chrome(element) for an element of this page, each element's class and id
        read once per page: the answer is kept for every element on the way up, so the
        next question about a sibling or a descendant stops where this one passed."""
        if not isinstance(element.tag, str):
            return False
        known, climbed, node = self._in_chrome, [], element
        while node is not None:
            answer = known.get(node)
            if answer is not None:
                break
            if is_chrome(node):
                answer = known[node] = True
                break
            climbed.append(node)
            node = node.getparent()
        else:
            answer = False
        for node in climbed:
            known[node] = answer
        return answer

    @cached_property
    def metas(self) -> dict[str, str]:
        """name or property -> content of the first <meta> naming it with a content."""
        found: dict[str, str] = {}
        for meta in self.root.iter("meta"):
            content = meta.get("content")
            if content is None:
                continue
            for key in (meta.get("name"), meta.get("property")):
                if key is not None:
                    found.setdefault(key, content)
        return found

    def meta(self, name: str) -> str:
        """The content of <meta name=...> or <meta property=...>, cleaned ("" without one)."""
        return clean(self.metas.get(name, ""))

    @cached_property
    def title(self) -> str:
        """The <title>'s text, cleaned ("" without one)."""
        return first_value(self.root, "//title/text()")


def page_of(response) -> Page:
    """The response's Page, made on first use and dropped with the response."""
    page = _PAGES.get(response)
    if page is None:
        page = _PAGES[response] = Page(response)
    return page
