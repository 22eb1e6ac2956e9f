"""An article page: its title, its publication date, attachments, body links and text.

The date comes from the metadata block real CMSs print above the body
("发布日期：2011年09月15日", "发 布 时 间", "<td>发布日期</td><td>…</td>"), or from
the `PubDate` meta tag TRS and Hanweb templates write; the printed date wins (a site
migration can re-stamp the meta years later); never from the article URL
(TRS URL dates often differ from the publication date). Commented-out fields are
ignored because HTML comments are never text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from crawler.extract.dates import (ANY_DATE_LABEL, PUBLICATION_LABEL, find_date, labelled_date, parse_date,
                                  url_date)
from crawler.extract.page import Page, page_of
from crawler.extract.text import (LinkRef, anchor_title, anchors, block_text, clean, element_text, hint_of, is_chrome,
                                  is_attachment_url, visible_text)


@dataclass(frozen=True)
class Detail:
    title: str
    date: date | None
    attachments: list[LinkRef] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    text: str = ""


def parse_detail(response, as_of: date) -> Detail:
    content = content_root(page_of(response))
    attachments, links = body_links(response, content)
    return Detail(title=page_title(response), date=publication_date(response, as_of, content),
                  attachments=attachments, links=links, text=content_text(content))


# --- title --------------------------------------------------------------------------------

_META_TITLES = ("ArticleTitle", "title", "og:title")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|—]{1,2}|——)\s*")


def page_title(response) -> str:
    """The article's title: the CMS meta tag; else the longest heading outside the page chrome
    that <title> repeats; else the first h1/h2; else <title> before the site name."""
    page = page_of(response)
    for name in _META_TITLES:
        if page.meta(name):
            return page.meta(name)
    title = page.title
    headings = [(h.tag, element_text(h)) for h in page.root.iter("h1", "h2", "h3", "h4", "h5", "h6")
                if not page.in_chrome(h)]
    repeated = [text for _, text in headings if text and text in title]
    if repeated:
        return max(repeated, key=len)
    first = next((text for tag, text in headings if text and tag in ("h1", "h2")), None)
    if first:
        return first
    return _TITLE_SEPARATORS.split(title)[0] if title else ""


# --- date -----------------------------------------------------------------------------------

# A PubDate meta this many days after the URL's creation date was re-stamped (a migration);
# publishing a few days after creating is common, months are not.
META_RESTAMPED_DAYS = 31
_META_DATES = ("PubDate", "pubdate", "publishdate", "article:published_time", "firstpublishedtime")


def publication_date(response, as_of: date, content=None) -> date | None:
    """The date a reader sees printed as the page's publication date, most trusted first:

    1. under a publication label (发布日期, 发布时间, 发文日期, 生成日期 …) outside the page chrome;
    2. under a bare 日期：/时间： label outside the article body (`content`): the metadata block
       (inside the body such a label dates a meeting, not the page);
    3. the CMS's PubDate meta tag (re-stamped by migrations, so below what is printed), unless
       it is more than a month after the creation date in the article's URL (t20110102_…):
       then it was re-stamped, and the URL's date is the nearer one;
    4. any labelled date, else the first full date of the text (dates.find_date).
    A date only in the URL is none a reader sees: such a page is undated.
    """
    page = page_of(response)
    text = visible_text(page.root, skip=is_chrome)
    found = labelled_date(text, as_of, (PUBLICATION_LABEL,))
    if found:
        return found
    if content is None:
        content = content_root(page)
    outside_body = visible_text(page.root, skip=lambda el: el is content or is_chrome(el))
    found = labelled_date(outside_body, as_of, (ANY_DATE_LABEL,))
    if found:
        return found
    created = url_date(response.url, as_of)
    for name in _META_DATES:
        value = page.meta(name)
        found = parse_date(value, as_of) if value else None
        if found:
            return created if created and (found - created).days > META_RESTAMPED_DAYS else found
    return find_date(text, as_of)


# --- body --------------------------------------------------------------------------------

# class/id words of the article body in real templates (TRS_Editor, Hanweb's zoom, …).
_CONTENT_HINT = re.compile(r"TRS_Editor|\bzoom\b|content|article|detail|zhengwen|\bzw\b|"
                           r"con_?text|main_?text|\btext\b|\bbody\b|wenzhang", re.I)


def content_root(page: Page):
    """The element holding the article body: a CMS-named container, else the densest block."""
    named = {el: len(element_text(el)) for el in page.root.iter("div", "td", "article", "section")
             if _CONTENT_HINT.search(hint_of(el)) and not page.in_chrome(el)}
    longest = max(named.values(), default=0)
    if longest >= 20:
        # the innermost named container still holding most of the text (TRS_Editor inside #content)
        holding_most = [el for el, size in named.items() if size >= longest / 2]
        return max(holding_most, key=lambda el: sum(1 for _ in el.iterancestors()))
    return _densest_block(page)


# Text only footers carry; a block saying it is no article body.
_FOOTER_TEXT = re.compile(r"版权所有|Copyright|©|ICP备|主办单位|技术支持|建议使用.{0,10}浏览器", re.I)


# Labels of the metadata block above a body (作者：… 来源：… 更新时间：…): two make it no body.
_META_LABEL = re.compile(r"(?:作者|来源|发布|时间|日期|点击|浏览|编辑|索引号)\s*[:：]")


def _densest_block(page: Page):
    """The element whose direct paragraphs and text hold the most characters (footers and
    metadata blocks excluded)."""
    root, scores = page.root, {}
    for el in root.iter("p", "div", "td", "span", "font"):
        own = clean((el.text or "") + " ".join(c.tail or "" for c in el))
        parent = el.getparent()
        if el.tag == "p" and parent is not None:
            scores[parent] = scores.get(parent, 0) + len(element_text(el))
        scores[el] = scores.get(el, 0) + len(own)
    for el in sorted(scores, key=scores.get, reverse=True):      # best first; checks are costly
        text = element_text(el)
        if not page.in_chrome(el) and not _FOOTER_TEXT.search(text) and len(_META_LABEL.findall(text)) < 2:
            return el
    return next(root.iter("body"), root)


def content_text(content) -> str:
    """The body's text with one line per paragraph (what 任免 notices are read from)."""
    lines = (clean(line) for line in block_text(content).split("\n"))
    return "\n".join(line for line in lines if line)


def _marked_attachment(anchor) -> bool:
    """<a appendix="true">: the editor marked the link as the article's attachment, whatever
    its URL looks like (a download script, no extension). Only href counts: a dead `oldsrc`
    beside it is the editor's memory of the upload, not a link."""
    return (anchor.get("appendix") or "").strip().lower() in ("true", "1", "yes")


def body_links(response, content) -> tuple[list[LinkRef], list[LinkRef]]:
    """(attachments anywhere outside page chrome, other links inside the body)."""
    page = page_of(response)
    in_body = set(content.iterdescendants("a"))
    attachments, links, seen = [], [], set()
    for anchor in anchors(page.root):
        if page.in_chrome(anchor):
            continue
        url = page.urljoin(anchor.get("href").strip())
        if url in seen:
            continue
        if is_attachment_url(url) or _marked_attachment(anchor):
            attachments.append(LinkRef(url, anchor_title(anchor), "attachment"))
            seen.add(url)
        elif anchor in in_body:
            links.append(LinkRef(url, anchor_title(anchor), "link"))
            seen.add(url)
    return attachments, links
