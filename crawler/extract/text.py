"""Small text and DOM helpers shared by the extractors.

Everything works on lxml elements (what parsel keeps under `Selector.root`),
which is the fastest way to walk a page; nothing here knows any site.
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from lxml import html as lxml_html

# Spaces real CMSs pad labels and names with: nbsp, full-width (ideographic) space,
# zero-width characters, plus ordinary whitespace.
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
# Counters and decorations printed after a menu name: "(12)", "（12）", "[12]", ">>", "更多".
_DECORATION = re.compile(r"(?:[(\[【]\s*\d+\s*[)\]】]|>>|》》|»|更多)+$")
# Spaces between two CJK characters are padding ("发 布 日 期", "张　三"), never meaningful.
_CJK_PADDING = re.compile(r"(?<=[\u4e00-\u9fff])[\s\u00a0\u3000]+(?=[\u4e00-\u9fff])")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Interaction channels (mailboxes, petitions, the 互动交流 / 政民互动 section a top menu links
# to a mailbox): neither disclosure columns nor list entries.
INTERACTION = re.compile(r"信箱|信访|留言|咨询投诉|在线访谈|民意征集|互动交流|政民互动")


ATTACHMENT_EXTENSIONS = ("doc", "docx", "pdf", "xls", "xlsx", "zip", "rar", "wps", "et",
                         "ppt", "pptx", "7z", "txt", "ofd")
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "bmp", "webp")

# Elements whose text is never visible content.
INVISIBLE_TAGS = {"script", "style", "noscript", "template", "head", "title"}

# class/id words of page chrome: footers, breadcrumbs, share bars and friendly links
# (the words real CMS templates use, in English and pinyin: dqwz = 当前位置, bq = 版权,
# yqlj = 友情链接), and headers, where modern templates also put the column menus.
_FOOTER_HINT = (r"foot|crumb|position|location|dqwz|weizhi|copyright|banquan|\bbq\b|share|fenxiang|"
                r"friend|yqlj|links?box|bottom")
_FOOTER_CHROME = re.compile(_FOOTER_HINT, re.I)
_CHROME_HINT = re.compile(_FOOTER_HINT + r"|header|\btop\b|topbar", re.I)


@dataclass(frozen=True)
class PageRequest:
    """A request the spider should make: a later list page, a leader's details.

    `not_after`: no date on that page is later than this (a later page of a list whose
    dates print no year, [05-03]: read it with this as its as_of, so [05-08] on page 2
    is last year's when page 1 ended in last year's August)."""
    url: str
    method: str = "GET"
    formdata: dict | None = None
    not_after: date | None = None


@dataclass(frozen=True)
class LinkRef:
    url: str
    text: str
    kind: str = "link"      # link | attachment


def normalise(name: str) -> str:
    """A menu/column/unit name as comparable text: NFKC, no spaces, no "(12)" counters."""
    name = unicodedata.normalize("NFKC", name or "")
    name = _SPACES.sub("", name)
    return _DECORATION.sub("", name)


def clean(text: str) -> str:
    """Visible text on one line: runs of any whitespace become one space, CJK padding goes."""
    text = _SPACES.sub(" ", text or "").strip()
    return _CJK_PADDING.sub("", text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# Elements that start a new line of text.
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5",
               "h6", "dt", "dd", "ul", "ol", "section", "article", "blockquote", "pre"}


def visible_text(element, separator: str = " ", skip=None) -> str:
    """The element's text nodes joined by `separator`, without scripts, styles or comments,
    nor the subtrees of elements the `skip` predicate is true of (a page's chrome, say)."""
    if not len(element) and skip is None and element.tag not in INVISIBLE_TAGS and isinstance(element.tag, str):
        return element.text or ""          # a leaf (most links): its own text, no walk
    return separator.join(_pieces(element, skip))


def block_text(element) -> str:
    """Visible text with a newline at each block element (inline tags like <strong> join)."""
    return "".join(_pieces(element, newlines=True))


def _pieces(element, skip=None, newlines: bool = False) -> list[str]:
    """The visible text pieces of `element` in reading order, none empty; with `newlines`,
    a "\n" at each block boundary.

    Iterative (an explicit stack, not recursion), so deeply nested hostile pages cost
    time linear in their size. Comments, scripts, styles and `skip` elements are
    skipped; their tails, which are visible text, are not.
    """
    pieces: list[str] = []
    stack: list = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
            continue
        if item is not element and item.tail:
            stack.append(item.tail)             # after the element's own subtree
        tag = item.tag
        if not isinstance(tag, str) or tag in INVISIBLE_TAGS or (skip and skip(item)):
            continue
        if newlines and tag in _BLOCK_TAGS:
            stack.append("\n")
            pieces.append("\n")
        stack.extend(reversed(item))
        if item.text:
            pieces.append(item.text)
    return pieces


def element_text(element) -> str:
    return clean(visible_text(element))


_TITLE_STEM = 6          # characters of a cut title that its full form must contain


def text_outside(item, anchor) -> str:
    """An item's visible text without its anchor's own text (the date or status beside a title)."""
    return visible_text(item).replace(visible_text(anchor), " ", 1)


def image_label(anchor) -> str:
    """What an image-only link says: its images' alt text (menus drawn as picture buttons)."""
    return normalise(" ".join(img.get("alt") or "" for img in anchor.iter("img")))


def anchor_title(anchor) -> str:
    """An anchor's full title: its title attribute when it is the full form of the text
    (lists cut text with …), else the text (title="点击查看" says nothing of the article)."""
    title, text = clean(anchor.get("title") or ""), element_text(anchor)
    if not title or not text:
        return title or text
    stem = text.rstrip("…．.。 ")[:_TITLE_STEM]
    return title if stem in title else text


def usable_href(href: str | None) -> bool:
    """True for hrefs that lead to a page (not javascript:, mailto:, a bare #)."""
    if not href:
        return False
    href = href.strip().lower()
    return not (href.startswith(("javascript:", "mailto:", "tel:", "#", "about:", "data:"))
                or href in ("", "/#"))


# Extensions of server scripts: a download script names the file in its query.
_SCRIPT_EXTENSIONS = ("jsp", "asp", "aspx", "php", "do", "action", "cgi", "ashx")


def url_extension(url: str) -> str:
    """The lower-case extension of the URL's file, or of the file a download script's query names
    (downfile.jsp?filename=1100006850.pdf -> pdf)."""
    parts = urlsplit(url)
    path_ext = _extension_in(parts.path)
    if path_ext in _SCRIPT_EXTENSIONS or not path_ext:
        return _extension_in(parts.query) or path_ext
    return path_ext


def _extension_in(text: str) -> str:
    match = re.search(r"\.([A-Za-z0-9]{1,5})(?:$|[&;#])", text)
    return match.group(1).lower() if match else ""


def is_attachment_url(url: str) -> bool:
    return url_extension(url) in ATTACHMENT_EXTENSIONS


def is_image_url(url: str) -> bool:
    return url_extension(url) in IMAGE_EXTENSIONS


def same_host(url: str, other: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(other).netloc.lower()


def hint_of(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def is_chrome(element, headers: bool = True) -> bool:
    if headers:
        return element.tag in ("header", "footer") or bool(_CHROME_HINT.search(hint_of(element)))
    return element.tag == "footer" or bool(_FOOTER_CHROME.search(hint_of(element)))


def in_chrome(element, headers: bool = True) -> bool:
    """True inside a footer, breadcrumb, share bar or (unless `headers` is False) a page header,
    by tag or class/id words."""
    node = element
    while node is not None and isinstance(node.tag, str):
        if is_chrome(node, headers):
            return True
        node = node.getparent()
    return False


def body_of(response):
    """The lxml root of the response's document; an HTML reading of its text when parsel
    reads it otherwise (a JSON answer), so every extractor works on any text response.
    Links a script opens (script_links) have their address as href."""
    selector = response.selector
    if selector.type not in ("html", "xml"):
        return lxml_html.document_fromstring(response.text.strip() or "<html></html>")
    root = selector.root
    if selector.type == "html" and root not in _SCRIPT_LINKS_READ:
        script_links(root)
        _SCRIPT_LINKS_READ.add(root)
    return root


_SCRIPT_LINKS_READ: weakref.WeakSet = weakref.WeakSet()     # roots whose script links have an href
# Where a script sends the browser: window.open('x.asp?id=1', ...), location.href = 'x',
# location.assign('x'), location.replace('x')
SCRIPT_LINK = re.compile(r"""(?:window\.open|location\.(?:assign|replace))\s*\(\s*['"]([^'"]+)['"]"""
                          r"""|location(?:\.href)?\s*=\s*['"]([^'"]+)['"]""")


def script_links(root) -> None:
    """Give an address to links that only a script follows: <a href="javascript:void(0)"
    onclick="window.open('show.asp?id=1')">, <a href="javascript:window.open('...')">, as old
    CMS lists open articles in pop-up windows. A person's click goes there; so do we."""
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if usable_href(href):
            continue
        script = (anchor.get("onclick") or "") + " " + (href or "")
        found = SCRIPT_LINK.search(script)
        target = found and (found.group(1) or found.group(2)).strip()
        if target and usable_href(target):
            anchor.set("href", target)


def first_value(root, xpath: str) -> str:
    """The first string an XPath (ending in /@attr or /text()) gives, cleaned; "" for none."""
    values = root.xpath(xpath)
    return clean(str(values[0])) if values else ""


def anchors(root):
    """Every <a> with a usable href, outside scripts."""
    return [a for a in root.iter("a") if usable_href(a.get("href"))]


# Images that are page decoration (logos, icons, spacers, buttons), never content.
_DECORATION_IMAGE = re.compile(r"(?<![a-z])(?:logo|icon|spacer|blank|banner|bg|line|arrow|dot|button|"
                               r"btn|print|close|qrcode|ewm|share|search|nav|top|foot)", re.I)
_MIN_IMAGE_SIDE = 16    # declared width or height below this: a bullet or a spacer


def content_image(element) -> str | None:
    """The src of the first content image inside `element` (not chrome, not decoration)."""
    for img in element.iter("img"):
        # lazy-loading templates keep the real picture in data-original / data-src
        src = (img.get("data-original") or img.get("data-src") or img.get("src") or "").strip()
        if not src or src.startswith("data:") or in_chrome(img):
            continue
        if _DECORATION_IMAGE.search(f"{src} {hint_of(img)}"):
            continue
        sides = [int(v) for v in (img.get("width"), img.get("height")) if v and v.strip().isdigit()]
        if sides and min(sides) < _MIN_IMAGE_SIDE:
            continue
        return src
    return None
