"""Finding one's way on a unit's site: the disclosure section, its columns, a unit's
section in the portal's directory, the mailbox.

Column menus are read from whatever holds them (nested <ul> menus, sidebars,
tables of links, 信息公开目录 trees); a column's path is the group headings above
it: the text heading its enclosing <li>, the <dt>/<th>/<h*> before its block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import islice
from urllib.parse import parse_qsl, urlsplit

from crawler.extract.dates import url_date
from crawler.extract.listing import dated_list_urls, main_list, sibling_groups
from scrapy.utils.response import get_meta_refresh

from crawler.extract.text import (INTERACTION, SCRIPT_LINK, anchor_title, anchors, body_of, element_text,
                                  hint_of, image_label, in_chrome, is_attachment_url, is_image_url, normalise, same_host, text_outside,
                                  usable_href, visible_text)


@dataclass(frozen=True)
class ColumnLink:
    name: str
    url: str
    path: tuple[str, ...]


# Site chrome that is never a column.
CHROME_NAMES = {
    "首页", "网站首页", "返回首页", "主页", "网站地图", "站点地图", "联系我们", "关于我们", "English",
    "english", "设为首页", "加入收藏", "收藏本站", "无障碍", "无障碍浏览", "繁體", "繁体", "简体",
    "登录", "注册", "更多", "more", "MORE", "上一页", "下一页", "尾页", "末页", "返回",
    "打印", "关闭", "打印本页", "关闭窗口", "返回顶部", "隐私声明", "版权声明", "免责声明", "网站声明",
    "使用帮助", "网站纠错", "我要纠错", "搜索", "高级搜索", "站内搜索", "RSS", "分享", "微博", "微信",
}
_SECTION_WORDS = (("政府信息公开", 6), ("信息公开目录", 5), ("信息公开", 5), ("政务公开", 4))
_OWN_SITE_BONUS = 2
_SECTION_PATHS = re.compile(r"/(zfxxgk|xxgk|zwgk|gkml|xxgkml|zwxxgk)(/|\.|_|$)", re.I)
# Sub-pages of a disclosure section, not the section itself.
_SECTION_PARTS = re.compile(r"指南|年报|年度报告|申请|制度|规定|规章|意见箱|目录说明")
_MAX_NAME = 16                       # a column name longer than this is an article title
_MAX_GROUP_ROWS = 60                # rows looked back for a table group's heading
# Names of units: a body's name ends with what it is (局, 办, 乡, 镇, 委, 中心 ...).
_UNIT_NAME = re.compile(r"(?:局|办|办公室|委|委员会|乡|镇|街道|所|站|中心|队|院|部|会|联|社|处|馆|行)$")
_MIN_DIRECTORY = 4
_FAR_FUTURE = date(9999, 12, 31)   # dates of listed articles only need to be recognised
_DEFAULT_DOCUMENT = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


# A page that only sends the browser on says little ("正在进入网站，请稍候……") and links little.
_STUB_TEXT = 120
_STUB_LINKS = 2
_STUB_BYTES = 8 * 1024


def client_redirect(response, max_delay: float) -> str | None:
    """Where a page sends the browser by itself: a <meta http-equiv="refresh"> within
    `max_delay` seconds, or, on a stub page (little text, at most a fallback link), a script
    setting window.location. None for a page that is its own content."""
    interval, url = get_meta_refresh(response, ignore_tags=("noscript",))     # its first 4 KiB, once
    if url and interval is not None and interval < max_delay:
        return url if url.split("#")[0] != response.url.split("#")[0] else None
    if len(response.body) > _STUB_BYTES:
        return None                              # every page passes here: only a small one is parsed
    root = body_of(response)
    if len(anchors(root)) > _STUB_LINKS or len(visible_text(root).strip()) > _STUB_TEXT:
        return None
    for script in root.iter("script"):
        if script.get("src"):
            continue
        found = SCRIPT_LINK.search(script.text or "")
        target = found and (found.group(1) or found.group(2)).strip()
        if target and usable_href(target):
            url = response.urljoin(target)
            return url if url.split("#")[0] != response.url.split("#")[0] else None
    return None


_MAX_FRAMES = 6


def frame_sources(response) -> list[str]:
    """The pages a frameset or the page's iframes show inside it, on its own host (older sites
    put a section's menu and overview in <frame>s, a column's list in an <iframe>); not pictures,
    files or players."""
    found: list[str] = []
    for frame in body_of(response).iter("frame", "iframe"):
        src = (frame.get("src") or "").strip()
        url = response.urljoin(src).split("#")[0] if usable_href(src) else ""
        if (url and url != response.url and url not in found and same_host(url, response.url)
                and not is_attachment_url(url) and not is_image_url(url)):
            found.append(url)
    return found[:_MAX_FRAMES]


def find_disclosure_link(response) -> str | None:
    """The link to the 信息公开 / 政务公开 section of a home page, the most specific one."""
    best, best_score = None, 0
    for anchor in anchors(body_of(response)):
        url = response.urljoin(anchor.get("href").strip())
        score = _section_score(anchor)
        if score and same_host(url, response.url):
            score += _OWN_SITE_BONUS         # a township's own section before the county portal's
        if score > best_score:
            best, best_score = url, score
    return best


def leads_out_of(link: str, page_url: str) -> bool:
    """True when `link` leads up or sideways from `page_url` (a breadcrumb to the platform's
    directory, a top menu's 政务公开), not into a section below it: a page deeper than the site
    root that already shows its column tree is itself the section."""
    page, target = urlsplit(page_url), urlsplit(link)
    if page.netloc.lower() != target.netloc.lower():
        return True
    folder = page.path.rsplit("/", 1)[0] + "/"
    if folder == "/":
        return False
    # the index of the page's own folder is above a page of it (/xxgk/ over /xxgk/unit.jsp?unitid=12)
    up = _page_key(target.path) == folder and _page_key(page.path) != folder
    return up or not target.path.startswith(folder)


def _section_score(anchor) -> int:
    label = normalise(anchor_title(anchor))
    if not label:                    # an image link: its alt text names it
        label = image_label(anchor)
    score = next((points for word, points in _SECTION_WORDS if word in label), 0)
    if score and _SECTION_PARTS.search(label):
        score = 1
    if _SECTION_PATHS.search(urlsplit(anchor.get("href").strip()).path):
        score += 2
    return score


def column_tree(response) -> list[ColumnLink]:
    """The columns of a disclosure section, from its menus, deduplicated by URL."""
    root = body_of(response)
    # dated article links of the page's lists (its own, an overview's blocks) are not columns
    listed = dated_list_urls(response, _FAR_FUTURE) | {
        e.url for e in main_list(response, as_of=_FAR_FUTURE) if e.date is not None}
    overview = _overview_entries(root)
    directory = _directory_anchors(root)
    columns, seen = [], {_page_key(response.url)}
    for anchor in anchors(root):
        url = response.urljoin(anchor.get("href").strip()).split("#")[0]
        name = normalise(anchor_title(anchor)) or image_label(anchor) or _more_link_name(anchor)
        if (_page_key(url) in seen or url in listed or anchor in directory or anchor in overview
                or not _looks_like_column(name, url, response.url) or in_chrome(anchor, headers=False)):
            continue
        seen.add(_page_key(url))
        columns.append(ColumnLink(name, url, (*_group_path(anchor), name)))
    return _prefer_section(columns, response.url)


# "更多>>", "more", "查看更多": a block's link to its column's list; the block's heading names it.
_MORE = re.compile(r"^(?:查看|点击查看)?更多(?:信息|内容)?$|^more$", re.I)
_MORE_CLIMB = 3          # levels above the link where the block's heading may be


def _more_link_name(anchor) -> str:
    """The name of the column an overview block's 更多 link leads to: the heading text beside
    it (<div class="title"><span>工作动态</span><a>更多&gt;&gt;</a></div>), or an image
    heading's alt text; "" for any other link."""
    if not _MORE.match(re.sub(r"[>»＞+›.…\s]", "", element_text(anchor))):
        return ""
    for block in islice(anchor.iterancestors(), _MORE_CLIMB):
        name = normalise(text_outside(block, anchor)) or image_label(block)
        if name:
            return name if len(name) <= _MAX_NAME else ""
    return ""


def shows_sub_columns(response, known: frozenset) -> bool:
    """Whether a column page also leads to columns below it (a group page of a two-level
    catalogue: 机构概况 -> 机构职能 / 领导信息 / 内设机构): a link to a folder or folder index
    under the page's own folder that is no column read yet. Cheap: only then is the page's
    column tree read (column_tree)."""
    page_folder = response.url.split("?")[0].rsplit("/", 1)[0] + "/"
    for anchor in anchors(body_of(response)):
        url = response.urljoin(anchor.get("href").strip()).split("#")[0]
        if (url.startswith(page_folder) and url not in known and _page_key(url) != _page_key(response.url)
                and _page_key(url).endswith("/") and len(_page_key(url)) > len(page_folder)):
            return True
    return False


def _overview_entries(root) -> set:
    """The links of an overview's blocks beside their 更多 link: the column's newest articles,
    dated or not, never columns."""
    entries = set()
    for anchor in anchors(root):
        if not _more_link_name(anchor):
            continue
        for block in islice(anchor.iterancestors(), _MORE_CLIMB + 2):
            others = [a for a in anchors(block) if a is not anchor]
            if others:
                entries.update(a for a in others if not _more_link_name(a))
                break
    return entries


def _page_key(url: str) -> str:
    """A URL without its default document: /gzdt/ and /gzdt/index.html are one page."""
    return _DEFAULT_DOCUMENT.sub("/", url.split("#")[0])


def _looks_like_column(name: str, url: str, page_url: str) -> bool:
    return (2 <= len(name) <= _MAX_NAME and name not in CHROME_NAMES and same_host(url, page_url)
            and not is_attachment_url(url) and not name.isdigit() and not INTERACTION.search(name)
            and not is_article_url(url))


# Addresses CMSes give articles, never columns: TRS t20110915_123, Hanweb art_12_345,
# PHPCMS show-12-345, content_123, ASP ArticleID=, and any with a creation date in it.
_ARTICLE_URL = re.compile(r"/t\d{8}_\d+|/art_\d+_\d+|/show-\d+-\d+|/content_\d+\.|[?&]ArticleID=", re.I)


def is_article_url(url: str) -> bool:
    """True for the address of an article (an overview block's short title is no column)."""
    return bool(_ARTICLE_URL.search(url)) or url_date(url, _FAR_FUTURE) is not None


def _directory_anchors(root) -> set:
    """Anchors of unit directories (lists of 县林业局, 茅田乡 ...): other units' sections, not columns."""
    directory = set()
    for items in sibling_groups(root):
        names = [normalise(element_text(item)) for item in items]
        units = sum(1 for name in names if _UNIT_NAME.search(name))
        if len(items) >= _MIN_DIRECTORY and units / len(items) >= 0.6:
            directory.update(anchor for item in items for anchor in anchors(item))
    return directory


def _prefer_section(columns: list[ColumnLink], page_url: str) -> list[ColumnLink]:
    """Keep the columns of the section when the menu has them (drops site-wide nav): those
    carrying the section page's own query value (a platform's col.jsp?unitid=12&catid=3 on
    unit.jsp?unitid=12), else those under its folder."""
    page = urlsplit(page_url)
    for name, value in parse_qsl(page.query):
        carrying = [c for c in columns if (name, value) in parse_qsl(urlsplit(c.url).query)]
        if len(carrying) >= 3:
            return carrying
    folder = page.path.rsplit("/", 1)[0] + "/"
    inside = [c for c in columns if urlsplit(c.url).path.startswith(folder) and folder != "/"]
    return inside if len(inside) >= 3 else columns


def _group_path(anchor) -> tuple[str, ...]:
    """Headings of the groups enclosing an anchor, outermost first."""
    headings = []
    node = anchor
    for ancestor in anchor.iterancestors():
        if ancestor.tag == "body":
            break
        heading = _heading_of(ancestor, node)
        if heading:
            headings.append(heading)
        node = ancestor
    return tuple(reversed(headings))


def _heading_of(container, child) -> str | None:
    """The heading that `container` gives to its `child` block, if any."""
    if container.tag == "li" and child.tag in ("ul", "ol", "div", "dl"):
        return _label_before(container, child)
    if child.tag == "tr":
        return _row_heading(child)
    if child.tag in ("ul", "ol", "dl", "table", "div", "dd", "td"):
        previous = child.getprevious()
        if previous is not None and _is_heading(previous):
            return normalise(element_text(previous))
    return None


def _row_heading(row) -> str | None:
    """In a table of links, the heading row above `row` (a row without links): it heads the
    indented rows under it, or every row below when the table indents none."""
    indented = _is_indented(row)
    seen_indented = False
    for previous in islice(row.itersiblings(preceding=True), _MAX_GROUP_ROWS):
        if previous.tag != "tr":
            continue
        text = normalise(element_text(previous))
        if next(previous.iter("a"), None) is None and 2 <= len(text) <= _MAX_NAME:
            return text if indented or not seen_indented else None
        if not indented and _is_indented(previous):
            seen_indented = True
        elif indented and not _is_indented(previous):
            return None                   # an unindented row ends the group above
    return None


def _is_indented(row) -> bool:
    """True when a row's text starts with padding (&nbsp;, full-width spaces): a group member."""
    raw = "".join(row.itertext()).lstrip("\r\n\t")
    return raw[:1] in ("\xa0", "\u3000")


def _label_before(container, block) -> str | None:
    """The text of a menu group <li> before its nested list: its heading."""
    parts = [container.text or ""]
    for element in container:
        if element is block:
            break
        parts.append(element_text(element) + (element.tail or ""))
    label = normalise(" ".join(parts))
    return label if 2 <= len(label) <= _MAX_NAME else None


def _is_heading(element) -> bool:
    if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b"):
        return 2 <= len(normalise(element_text(element))) <= _MAX_NAME
    # a short block with at most one link, e.g. <div class="title"><a>机构概况</a></div>
    text = normalise(element_text(element))
    return (element.tag in ("div", "p", "span", "td", "a") and 2 <= len(text) <= _MAX_NAME
            and sum(1 for _ in element.iter("a")) <= 1 and "title" in hint_of(element).lower())


def find_unit_in_directory(response, unit_name: str) -> str | None:
    """The named unit's entry when the page is a directory of units (None when it is no
    directory or does not list the unit)."""
    directory = _directory_anchors(body_of(response))
    return find_unit_section(response, unit_name, directory) if directory else None


def find_unit_section(response, unit_name: str, among=None) -> str | None:
    """On a portal's unit directory, the link to the named unit's section (`among`: only these anchors)."""
    wanted = normalise(unit_name)
    candidates = [(normalise(anchor_title(a)), a) for a in (among or anchors(body_of(response)))]
    for matches in (lambda n: n == wanted,
                    lambda n: _without_county(n) == _without_county(wanted),
                    lambda n: len(n) >= 2 and (wanted in n or n in wanted),
                    lambda n: _abbreviates(_without_county(n), _without_county(wanted))):
        found = [(n, a) for n, a in candidates if n and matches(n)]
        if found:
            _, anchor = min(found, key=lambda pair: abs(len(pair[0]) - len(wanted)))
            return response.urljoin(anchor.get("href").strip())
    return None


def _abbreviates(name: str, other: str) -> bool:
    """True when the shorter name is an abbreviation of the longer: its characters in order,
    the same first and last ("国税局" of "国家税务局", "民宗局" of "民族宗教事务局")."""
    short, long = sorted((name, other), key=len)
    if len(short) < 2 or len(long) > 3 * len(short) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long)
    return all(char in rest for char in short)


def _without_county(name: str) -> str:
    """"建始县国税局" / "县国税局" -> "国税局" (the county prefix is often dropped)."""
    match = re.match(r"^(?:[\u4e00-\u9fff]{1,4}县|县)(?=[\u4e00-\u9fff]{2})", name)
    return name[match.end():] if match else name


def find_mailbox_link(response, names) -> str | None:
    """The link to the unit's mailbox: a link text equal to one of `names`, else containing one."""
    found = find_mailbox(response, names)
    return found.url if found else None


def find_mailbox(response, names) -> ColumnLink | None:
    """The unit's mailbox link with its text (find_mailbox_link), as a column of the section."""
    wanted = [normalise(n) for n in names]
    labelled = [(normalise(anchor_title(a)), a) for a in anchors(body_of(response))]
    for matches in (lambda label, name: label == name, lambda label, name: name in label):
        for name in wanted:
            for label, anchor in labelled:
                if label and matches(label, name):
                    return ColumnLink(label, response.urljoin(anchor.get("href").strip()), (label,))
    return None


