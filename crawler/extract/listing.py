"""A column's list page: its entries (title, url, date) and the requests for its other pages.

Entries are found without selectors: the main list of a page is the largest group
of similar sibling items (li, tr, dd, div ...) holding a link, preferably a link
with a date beside it and a long title, outside headers and footers. Menus and
footers lose because their items are short and undated. A list printed as a run of like
blocks (a `<ul>` of five per static page, all in one HTML) is read whole; a list of one
is an item though nothing repeats it; a page saying 暂无信息 with only undated links is
an empty list. Dates printed without a year ([05-03]) take the year that keeps the list
newest first, and the later pages' requests carry the bound (`not_after`).

Pagination styles recognised, the way real county CMSs print them:
  - TRS WCM: `var countPage = N` / `createPageHTML(N, cur, "index", "html")` in an
    inline script -> index_1.html ... index_{N-1}.html;
  - Hanweb JCMS: records in `<script type="text/xml"><datastore>` and the rest from
    POST `dataproxy.jsp?startrecord=&endrecord=&perpage=` with the form fields the
    page names (col, columnid, unitid, webid, path, webname, permissiontype ...);
    a dataproxy response (the XML datastore alone) is parsed the same way;
  - links: numbered pages, "下一页", "尾页" with `?page=N`, `index_N.html` and the like;
  - a search-API list (recordCount and page size in a script, no page parameter named):
    its page count only, no guessed requests.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import html as lxml_html

from crawler.extract.content import nothing_notice
from crawler.extract.dates import latest_month_day, parse_date, year_implied
from crawler.extract.page import Page, page_of
from crawler.extract.text import (INTERACTION, PageRequest, anchor_title, anchors, clean, element_text,
                                  same_host, text_outside, usable_href, visible_text)


@dataclass(frozen=True)
class ListEntry:
    title: str
    url: str
    date: date | None
    year_implied: bool = field(default=False, compare=False)    # shown as [05-03]: the year is inferred


@dataclass(frozen=True)
class ListPage:
    entries: list[ListEntry] = field(default_factory=list)
    next_requests: list[PageRequest] = field(default_factory=list)
    total_pages: int | None = None


def parse_list(response, as_of: date, not_entries: frozenset[str] = frozenset()) -> ListPage:
    """The entries of a list page (or a Hanweb dataproxy answer) and its other pages;
    `not_entries`: URLs known not to be entries (the section's own columns, whose menu a column
    page repeats), so a menu never wins over a short list beside it."""
    text = response.text
    records = datastore_records(text)
    if records is not None:
        entries = _years_in_order(_entries_of_records(records, response, as_of))
        requests, total = _dataproxy_requests(response, text, len(records))
        if not _is_html_page(text):           # a dataproxy answer: the spider already asked for all
            return ListPage(entries, [], total)
        return ListPage(entries, _bounded(requests, entries), total)     # an empty datastore is an empty column
    requests, total = pagination(response)
    entries = _years_in_order(main_list(response, as_of, not_entries))
    if entries and not any(e.date for e in entries) and nothing_notice(page_of(response).root):
        entries = []                    # "暂无信息" beside the menus: an empty column, not undated entries
    return ListPage(entries, _bounded(requests, entries), total)


def _years_in_order(entries: list[ListEntry]) -> list[ListEntry]:
    """Lists run newest first: a date printed without its year ([12-04] below [02-21]) is in
    the year that keeps it not after the entry above it (as_of alone would put it in the
    wrong year once the list crosses a new year). Only when the yearless dates do run
    newest first: most steps between them go back in the calendar."""
    implied = [e.date for e in entries if e.year_implied]
    steps = list(zip(implied, implied[1:]))
    backwards = sum(1 for newer, older in steps if (older.month, older.day) <= (newer.month, newer.day))
    if not steps or backwards * 2 < len(steps):
        return entries
    ordered, bound = [], None
    for entry in entries:
        if entry.date is not None:
            if entry.year_implied and bound is not None and entry.date > bound:
                entry = replace(entry, date=latest_month_day(entry.date.month, entry.date.day, bound))
            bound = entry.date if bound is None or entry.date is None else min(bound, entry.date)
        ordered.append(entry)
    return ordered


def _bounded(requests: list[PageRequest], entries: list[ListEntry]) -> list[PageRequest]:
    """Later pages of a list with yearless dates are no newer than this page's oldest entry."""
    if not any(e.year_implied for e in entries):
        return requests
    oldest = min((e.date for e in entries if e.date), default=None)
    return [replace(r, not_after=oldest) for r in requests]


# --- the main list ----------------------------------------------------------------------

# Tags that make a list item; an item is the nearest ancestor repeated among its siblings.
# Cells and spans are parts of an item, never items; bare links are items only in
# blocks of <br>-separated links.
_ITEM_TAGS = {"li", "tr", "dd", "dt", "div", "p", "article", "section", "h3", "h4", "a"}
_BARE_LINK_PARENTS = {"div", "td", "p", "body", "center", "font", "form"}
_SINGLE_ITEM_TAGS = ("li", "tr", "dd")
_MAX_CLIMB = 5
# A lone list item (a list of one) holds its link closely and few others; a page layout's
# row holding a whole menu is no item.
_LONE_ITEM_DEPTH = 3
_LONE_ITEM_LINKS = 3


def main_list(response, as_of: date, not_entries: frozenset[str] = frozenset()) -> list[ListEntry]:
    """The entries of the page's main list: the best-scoring group of sibling items, the
    first on the page of equals.

    Reading a group's entries (titles, URLs, dates) is the costly part, so groups are read
    in the order of the most they could score (_score_bound), and reading stops when no
    group left could beat or equal the best: menus beside a long list are never read.
    """
    page = page_of(response)
    all_groups = sibling_groups(page.root)
    groups = [(_score_bound(items, page), place, items) for place, items in enumerate(all_groups)]
    groups.sort(key=lambda group: -group[0])            # stable: page order among equal bounds
    best, best_score, best_place, best_items = [], 0.0, -1, None
    for bound, place, items in groups:
        if bound < best_score:
            break
        entries = _entries(items, page, as_of)
        if not_entries:
            kept = [e for e in entries if e.url not in not_entries]
            # a group that is mostly the section's menu is the menu (its other links: the mailbox …)
            entries = kept if len(kept) * 2 > len(entries) else []
        score = _group_score(entries, items, page)
        if score > best_score or (score == best_score > 0 and place < best_place):
            best, best_score, best_place, best_items = entries, score, place, items
    if best_items is not None:
        best = _with_sibling_blocks(best, best_items, all_groups, page, as_of)
    return _dedupe(best)


_DATED_SHARE = 0.5      # a group whose items print a date half the time or more is a list of articles


def dated_list_urls(response, as_of: date) -> set[str]:
    """The entries' URLs of every list on the page whose items print dates (half or more), the main
    list's and others' (an overview's blocks of each column's newest articles, a block of one):
    articles, never columns of a menu."""
    page = page_of(response)
    urls: set[str] = set()
    for items in sibling_groups(page.root):
        entries = _entries(items, page, as_of)
        if sum(e.date is not None for e in entries) >= _DATED_SHARE * len(items):
            urls.update(e.url for e in entries)
    return urls


def _entries(items, page: Page, as_of: date) -> list[ListEntry]:
    entries = (_entry_of(item, page, as_of) for item in items)
    return [e for e in entries if e is not None]


def sibling_groups(root) -> list[list]:
    """The page's links grouped as items of the same list: (parent, item tag) -> items."""
    groups: dict[tuple, dict] = {}     # keys hold the parents, which keeps lxml's proxies alive
    for anchor in anchors(root):
        item = _item_of(anchor)
        groups.setdefault((item.getparent(), item.tag), {})[item] = None   # a dict keeps order
    return [list(items) for items in groups.values()]


def _item_of(anchor):
    """The list item holding an anchor: the nearest ancestor repeated, with links, among its
    siblings; for a lone item, its li/tr/dd; else the anchor itself."""
    node = anchor
    for _ in range(_MAX_CLIMB):
        parent = node.getparent()
        if parent is None or not isinstance(parent.tag, str):
            break
        if _is_repeated_item(node, parent):
            return node
        if node is not anchor and _is_list_of_one(node, parent):
            return node                  # the last page's one entry, not the layout around it
        node = parent
    lone = next(anchor.iterancestors(*_SINGLE_ITEM_TAGS), None)
    if (lone is not None and _levels_between(anchor, lone) <= _LONE_ITEM_DEPTH
            and len(anchors(lone)) <= _LONE_ITEM_LINKS):
        return lone
    return anchor


def _is_list_of_one(node, parent) -> bool:
    """A li/tr/dd alone in its list, holding few links: an item, though nothing repeats it."""
    if node.tag not in _SINGLE_ITEM_TAGS or any(child.tag == node.tag for child in parent if child is not node):
        return False
    return len(anchors(node)) <= _LONE_ITEM_LINKS


def _levels_between(element, ancestor) -> int:
    return next(level for level, node in enumerate(element.iterancestors(), 1) if node is ancestor)


def _is_repeated_item(node, parent) -> bool:
    if node.tag not in _ITEM_TAGS:
        return False
    if node.tag == "a":
        return parent.tag in _BARE_LINK_PARENTS and _linked_siblings(parent, "a", 3) >= 3
    return _linked_siblings(parent, node.tag, 2) >= 2


def _linked_siblings(parent, tag: str, enough: int) -> int:
    """How many children of `parent` are `tag` elements holding a link (counting up to `enough`)."""
    count = 0
    for child in parent:
        if child.tag == tag and (tag == "a" or next(child.iter("a"), None) is not None):
            count += 1
            if count >= enough:
                break
    return count


def _entry_of(item, page: Page, as_of: date) -> ListEntry | None:
    titled = title_anchor(item)
    if titled is None:
        return None
    anchor, title = titled
    if not title or _is_pager_link(title):
        return None
    url = page.urljoin(anchor.get("href").strip())
    found, date_text = _item_date(item, anchor, as_of)
    if found is None:
        inside = _date_inside(anchor, title, as_of)
        if inside is not None:           # <a><span>title</span><span>2011-09-15</span></a>
            found, date_text = inside
            title = clean(anchor.get("title") or "") or clean(title.replace(date_text, " "))
    return ListEntry(title, url, found, found is not None and year_implied(date_text))


_MAX_DATE_TEXT = 24      # an element holding only a date says little else


def _date_inside(anchor, title: str, as_of: date) -> tuple[date, str] | None:
    """A date printed in its own element inside the link (card layouts), with its text;
    `title` is the anchor's title, which such an element is shorter than."""
    for element in anchor.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        text = element_text(element)
        if text and len(text) <= _MAX_DATE_TEXT and len(text) < len(title):
            found = parse_date(text, as_of)
            if found is not None:
                return found, text
    return None


def _is_pager_link(label: str) -> bool:
    """首页 / 上一页 / 2 / 下一页 / 尾页, and a block's 更多>>: links to more of a list, never entries."""
    label = label.lower()
    return (label.isdigit() or label in _NEXT_WORDS or label in _LAST_WORDS or label in _PREVIOUS_WORDS
            or _MORE_LINK.match(label) is not None)


_MORE_LINK = re.compile(r"^(?:查看|点击查看)?更多(?:信息|内容)?\s*[>»＞+›.…]*$|^more\s*[>»+.…]*$")


def title_anchor(item) -> tuple | None:
    """(anchor, its title) for the anchor of an item that carries its title: the one with the
    longest title; None for an item without a usable link."""
    candidates = [item] if item.tag == "a" else anchors(item)
    titled = [(a, anchor_title(a)) for a in candidates if usable_href(a.get("href"))]
    return max(titled, key=lambda pair: len(pair[1]), default=None)


def _item_date(item, anchor, as_of: date) -> tuple[date | None, str]:
    """The date printed in the item beside its title (never one inside the title), else one
    an empty element beside it holds in an attribute for a script or CSS to show; with its text."""
    around = clean(anchor.tail or "") if item is anchor else clean(text_outside(item, anchor))
    found = parse_date(around, as_of) if around else None
    if found is None and item is not anchor:
        return _attribute_date(item, anchor, as_of)
    return found, around


# Attributes that name things rather than hold a shown value.
_NAMING_ATTRIBUTES = {"href", "src", "class", "id", "style", "title", "alt", "target", "name", "onclick"}


def _attribute_date(item, anchor, as_of: date) -> tuple[date | None, str]:
    """<b data-time="2011-09-05"></b>: a date-shaped attribute of a textless element outside the link."""
    in_anchor = set(anchor.iter())
    for element in item.iter():
        if element in in_anchor or not isinstance(element.tag, str) or (element.text or "").strip() or len(element):
            continue
        for name, value in element.attrib.items():
            if name not in _NAMING_ATTRIBUTES and len(value) <= _MAX_DATE_TEXT and any(c.isdigit() for c in value):
                found = parse_date(value, as_of)
                if found is not None:
                    return found, value
    return None, ""


_DATED_WEIGHT = 3       # a dated item counts this much more than an undated one


def _group_score(entries: list[ListEntry], items, page: Page) -> float:
    """How much a group of items looks like the page's main list (0: not a list at all).

    Dated items weigh most; long titles next (menus are short); links to other
    hosts (friendly links) and items in headers/footers weigh little. An undated
    group counts only with long titles or links shaped like articles (menus link
    to folders and column pages).
    """
    if not entries:
        return 0.0
    dated = sum(1 for e in entries if e.date is not None)
    mean_title = sum(len(e.title) for e in entries) / len(entries)
    local = sum(1 for e in entries if same_host(e.url, page.url)) / len(entries)
    if not dated and not _undated_list(entries, mean_title, local, page.url):
        return 0.0
    score = (dated * _DATED_WEIGHT + len(entries)) * (0.5 + min(mean_title, 30) / 30) * (0.2 + 0.8 * local)
    return score * _chrome_factor(items, page)


def _score_bound(items, page: Page) -> float:
    """The most _group_score can give these items: each an entry, dated, with a long title,
    on the page's host (the same factors at their largest, so never below the score)."""
    return len(items) * (_DATED_WEIGHT + 1) * 1.5 * 1.0 * _chrome_factor(items, page)


def _chrome_factor(items, page: Page) -> float:
    """Items in headers and footers weigh a tenth."""
    return 0.1 if page.in_chrome(items[0]) else 1.0


_FOLDER_OR_INDEX = re.compile(r"/$|/(?:index|default)(?:_\d+)?\.\w+$", re.I)
# An article URL names one document: a number of 3+ digits in its last path segment or
# query (t20110826_4316.html, art_3201_685.html, ArticleID=388, 1001.html).
_ARTICLE_URL = re.compile(r"\d{3,}")


def _undated_list(entries: list[ListEntry], mean_title: float, local: float, page_url: str) -> bool:
    """Undated links are a list (not a menu) with long titles, with article-shaped URLs, or
    with URLs inside the page's own folder (a column's items live under it; menus link out)."""
    if len(entries) >= 2 and mean_title >= 8:
        return True
    if local < 0.5 or mean_title < 4:
        return False
    article_like = sum(1 for e in entries if _ARTICLE_URL.search(_last_part(e.url))
                       and not INTERACTION.search(e.title)) / len(entries)
    return article_like >= 0.5 or _share_under_folder(entries, page_url) >= 0.5


def _share_under_folder(entries: list[ListEntry], page_url: str) -> float:
    """The share of entries that are documents (not folders, not index pages) under the page's folder."""
    folder = urlsplit(page_url).path.rsplit("/", 1)[0] + "/"
    if folder == "/":
        return 0.0                       # everything is under the root: no evidence
    documents = [e for e in entries if urlsplit(e.url).path.startswith(folder)
                 and not _FOLDER_OR_INDEX.search(urlsplit(e.url).path)]
    return len(documents) / len(entries)


def _last_part(url: str) -> str:
    parts = urlsplit(url)
    return parts.path.rsplit("/", 1)[-1] + "?" + parts.query


def _dedupe(entries: list[ListEntry]) -> list[ListEntry]:
    seen, kept = set(), []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            kept.append(entry)
    return kept


# --- one list in many blocks ------------------------------------------------------------

_BLOCK_CLIMB = 2         # levels above a list's parent where its sibling blocks may start


def _signature(element) -> tuple:
    return element.tag, (element.get("class") or "").strip()


def _with_sibling_blocks(best: list[ListEntry], items, groups, page: Page, as_of: date) -> list[ListEntry]:
    """The whole list when the best group is one of a run of like blocks (`<div><ul>` five
    entries `</ul></div>` repeated: static pages of a script-paged list print every page so):
    the groups in the blocks beside the best one's, shaped like it (same tags and classes on
    the way up, same item tag), and as dated as it. Only the nearest level with such
    blocks counts, and only the unbroken run of them around the best group."""
    parent = items[0].getparent()
    by_parent = {group[0].getparent(): group for group in groups}
    path, block = [], parent
    for _ in range(_BLOCK_CLIMB + 1):
        container = block.getparent()
        if container is None or page.in_chrome(block):
            return best
        run = _run_of_like_blocks(block, container)
        if len(run) > 1:
            found = [_continuation(other, path, items[0].tag, by_parent) if other is not block else items
                     for other in run]
            if all(group is not None for group in found):
                return _merged(best, items, found, page, as_of)
            return best
        path.append(_signature(block))
        block = container
    return best


def _run_of_like_blocks(block, container) -> list:
    """The unbroken run of siblings shaped like `block` around it (link-free siblings
    between them, such as separators, do not break it)."""
    signature, current, seen_block = _signature(block), [], False
    for child in container:
        if not isinstance(child.tag, str):
            continue
        if _signature(child) == signature:
            current.append(child)
            seen_block = seen_block or child is block
        elif next(child.iter("a"), None) is not None:
            if seen_block:
                break
            current = []
    return current if seen_block else [block]


def _continuation(block, path: list, item_tag: str, by_parent: dict):
    """The items in `block` at the place the best group's items sit in theirs (the same
    tags and classes down from the block), None when there is none."""
    nodes = [block]
    for signature in reversed(path):
        nodes = [child for node in nodes for child in node if isinstance(child.tag, str)
                 and _signature(child) == signature]
    groups = [by_parent[node] for node in nodes if node in by_parent and by_parent[node][0].tag == item_tag]
    return groups[0] if len(groups) == 1 else None


def _merged(best: list[ListEntry], items, found: list, page: Page, as_of: date) -> list[ListEntry]:
    """The entries of every block in page order, when each block is a list as dated as the best
    and the blocks' links share a folder (a column's articles live under one)."""
    best_dated = sum(1 for e in best if e.date) * 2 >= len(best)
    merged = []
    for group in found:
        entries = best if group is items else _entries(group, page, as_of)
        if not entries or _group_score(entries, group, page) == 0:
            return best
        if (sum(1 for e in entries if e.date) * 2 >= len(entries)) != best_dated:
            return best
        merged.extend(entries)
    if _common_folder(merged) == "/" != _common_folder(best):
        return best                      # blocks of other columns' folders: lists side by side
    return merged


def _common_folder(entries: list[ListEntry]) -> str:
    """The deepest folder holding every entry's URL ("/" when they share none, or other hosts)."""
    parts = [[urlsplit(e.url).netloc.lower(), *urlsplit(e.url).path.split("/")[1:-1]] for e in entries]
    common = parts[0] if parts else []
    for other in parts[1:]:
        length = next((i for i, (a, b) in enumerate(zip(common, other)) if a != b), min(len(common), len(other)))
        common = common[:length]
    return "/" + "".join(f"{part}/" for part in common[1:])


# --- Hanweb datastores ------------------------------------------------------------------

_RECORD = re.compile(r"<record[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"\bper_?page\s*[:=]\s*['\"]?(\d+)", re.I)
_PROXY_URL = re.compile(r"""['"(=]\s*([^'"\s()<>]*dataproxy\.jsp[^'"\s()<>]*)""", re.I)
# Fields Hanweb's jpage script posts to dataproxy.jsp (named in the page's script or proxy URL).
_PROXY_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourcecontenttype", "unitid",
                 "webname", "permissiontype")


def datastore_records(text: str) -> list[str] | None:
    """The HTML fragments of a Hanweb datastore's records; None when the page has no datastore."""
    if "<datastore" not in text.lower():
        return None
    return [cdata or html.unescape(raw) for cdata, raw in _RECORD.findall(text)]


def _entries_of_records(records: list[str], response, as_of: date) -> list[ListEntry]:
    fragments = [lxml_html.fragment_fromstring(r, create_parent="div") for r in records if r.strip()]
    page = page_of(response)
    entries = [_entry_of(fragment, page, as_of) for fragment in fragments]
    return _dedupe([e for e in entries if e is not None])


def _is_html_page(text: str) -> bool:
    return bool(re.search(r"<(html|body)\b", text, re.I))


def _dataproxy_requests(response, text: str, inline_records: int) -> tuple[list[PageRequest], int | None]:
    """POST requests for the records after the inline ones, when the page names its proxy."""
    total_match = _TOTAL_RECORD.search(text)
    proxy_match = _PROXY_URL.search(text)
    if not total_match or not proxy_match:
        return [], None
    total = int(total_match.group(1) or total_match.group(2))
    per_match = _PER_PAGE.search(text)
    per_page = int(per_match.group(1)) if per_match else max(inline_records, 1)
    total_pages = max(1, math.ceil(total / per_page))
    proxy = response.urljoin(html.unescape(proxy_match.group(1)))
    base, form = _proxy_form(proxy, text)
    requests = []
    for start in range(inline_records + 1, total + 1, per_page):
        end = min(start + per_page - 1, total)
        url = _with_query(base, {"startrecord": start, "endrecord": end, "perpage": per_page})
        requests.append(PageRequest(url, "POST", dict(form)))
    return requests, total_pages


def _proxy_form(proxy_url: str, text: str) -> tuple[str, dict]:
    """The proxy URL without paging parameters, and the form fields the page names."""
    parts = urlsplit(proxy_url)
    form = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() not in ("startrecord", "endrecord", "perpage", "page"):
            form[key] = value
    for name in _PROXY_FIELDS:
        if any(k.lower() == name for k in form):
            continue
        match = re.search(rf"""[{{,\s'"]({name})['"]?\s*[:=]\s*['"]?([^'",}}\s&]*)""", text, re.I)
        if match:
            form[match.group(1)] = match.group(2)
    return urlunsplit(parts._replace(query="", fragment="")), form


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit(parts._replace(query=query))


# --- pagination by script and by links --------------------------------------------------

_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*['\"]?(\d+)")
_CURRENT_PAGE = re.compile(r"\b(?:currentPage|curPage)['\"]?\s*[:=]\s*['\"]?(\d+)")
# A page bar drawn by a script given the pages' stem and type: initPageBar(info, 'index', 'html').
_STEM_AND_TYPE = re.compile(r"\([^()]*?['\"]([\w-]+)['\"]\s*,\s*['\"](s?html?|jsp|asp|php)['\"]\s*\)")
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"(?:\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"])?")
_PREVIOUS_WORDS = ("首页", "第一页", "上一页", "上页", "前一页", "前页", "prev", "previous", "<", "‹", "«", "<<")
_NEXT_WORDS = ("下一页", "下页", "后一页", "next", ">", "›", "»")
_LAST_WORDS = ("尾页", "末页", "最后一页", "最末页", "last", ">>", "»»")
_TOTAL_TEXT = re.compile(r"共\s*(\d+)\s*页|\d+\s*/\s*(\d+)\s*页")
_PAGE_NUMBER = re.compile(r"[?&](?:page|pageno|pagenum|pageindex|curpage|currentpage|pn|p)=(\d+)|_(\d+)\.\w+$", re.I)


def pagination(response) -> tuple[list[PageRequest], int | None]:
    """Requests for a list's other pages: all of them when their count is known, else the next."""
    trs = _trs_pages(response)
    if trs is not None:
        return trs
    requests, total = _linked_pages(response)
    return requests, total if total is not None else _script_page_count(response.text)


# A list paged by a script from a search API (recordCount:'107', prepage:15): its size is
# known though no link names its later pages (nor does the script name a page parameter).
_RECORD_COUNT = re.compile(r"\b(?:recordCount|totalRecords?|totalCount|recordTotal)['\"]?\s*[:=]\s*['\"]?(\d+)", re.I)
_PAGE_SIZE = re.compile(r"\b(?:pre_?page|per_?page|page_?size|rows_?per_?page)['\"]?\s*[:=]\s*['\"]?(\d+)", re.I)


def _script_page_count(text: str) -> int | None:
    """The page count an inline script's record count and page size give."""
    count, size = _RECORD_COUNT.search(text), _PAGE_SIZE.search(text)
    if not count or not size or int(size.group(1)) == 0:
        return None
    return max(1, math.ceil(int(count.group(1)) / int(size.group(1))))


def _trs_pages(response) -> tuple[list[PageRequest], int | None] | None:
    """TRS pages written by script: index.html, index_1.html ... index_{N-1}.html (the count from
    countPage / createPageHTML, or from a record count and page size beside a call naming the
    pages' stem and type)."""
    text = response.text
    created = _CREATE_PAGE.search(text)
    counted = _COUNT_PAGE.search(text)
    named = None if created or counted else _STEM_AND_TYPE.search(text)
    recorded = _script_page_count(text) if named else None
    if not created and not counted and not recorded:
        return None
    current_match = _CURRENT_PAGE.search(text)
    current = int(current_match.group(1)) if current_match else 0
    if created:
        count, current = int(created.group(1)), int(created.group(2))
        stem, ext = created.group(3) or "index", created.group(4) or "html"
    elif counted:
        count = int(counted.group(1))
        stem, ext = "index", _page_extension(response.url)
    else:                                # a record count, a page size and the pages' stem and type
        count, stem, ext = recorded, named.group(1), named.group(2)
    pages = [f"{stem}.{ext}" if n == 0 else f"{stem}_{n}.{ext}"
             for n in range(count) if n != current]
    return [PageRequest(response.urljoin(p)) for p in pages], count


def _page_extension(url: str) -> str:
    match = re.search(r"\.(s?html?|jsp|asp|php)$", urlsplit(url).path)
    return match.group(1) if match else "html"


def _linked_pages(response) -> tuple[list[PageRequest], int | None]:
    """Pages named by links: numbered ones, 下一页 and 尾页 (filling the range between)."""
    current = response.url
    current_number = _page_number(current)
    next_url = last_url = None
    numbered: dict[int, str] = {}
    page = page_of(response)
    for anchor in anchors(page.root):
        label = element_text(anchor).lower() or clean(anchor.get("title") or "").lower()
        if not _is_page_label(label):
            continue
        url = page.urljoin(anchor.get("href").strip())
        if url == current:
            continue
        if label in _NEXT_WORDS and next_url is None:
            next_url = url
        elif label in _LAST_WORDS and last_url is None:
            last_url = url
        elif label.isdigit() and int(label) != current_number and _differs_by_number(url, current, int(label)):
            numbered[int(label)] = url
    total = _total_pages(response, numbered)
    if next_url and not last_url and total:      # "第1/4页 下一页": the last page is known by number
        last_url = _with_page_number(next_url, total)
    if next_url and last_url:
        filled = _fill_range(next_url, last_url)
        if filled:
            return [PageRequest(u) for u in filled], total
    pages = [u for _, u in sorted(numbered.items())]
    if next_url and next_url not in pages:
        pages.insert(0, next_url)
    if last_url and pages and last_url not in pages:
        pages.append(last_url)
    return [PageRequest(u) for u in pages], total


def _is_page_label(label: str) -> bool:
    """下一页, 尾页 or a number: the labels _linked_pages reads (others need no URL)."""
    return label in _NEXT_WORDS or label in _LAST_WORDS or label.isdigit()


def _page_number(url: str) -> int:
    """The page number a list URL names; a URL naming none is the first page."""
    match = _PAGE_NUMBER.search(url)
    return int(match.group(1) or match.group(2)) if match else 1


def _with_page_number(url: str, number: int) -> str | None:
    """The URL with its page number replaced, when it names one."""
    match = _PAGE_NUMBER.search(url)
    if not match:
        return None
    group = 1 if match.group(1) is not None else 2
    return url[:match.start(group)] + str(number) + url[match.end(group):]


def _differs_by_number(url: str, current: str, number: int) -> bool:
    """True when the URL names page `number` (a page link, not an article link)."""
    return str(number) in re.findall(r"\d+", url) and same_host(url, current)


def _total_pages(response, numbered: dict[int, str]) -> int | None:
    match = _TOTAL_TEXT.search(visible_text(page_of(response).root))
    if match:
        return int(match.group(1) or match.group(2))
    return max(numbered) if numbered else None


def _fill_range(next_url: str, last_url: str) -> list[str]:
    """Every page from `next_url` to `last_url` when they differ only in one number."""
    next_parts, last_parts = re.split(r"(\d+)", next_url), re.split(r"(\d+)", last_url)
    if len(next_parts) != len(last_parts):
        return []
    differing = [i for i, (a, b) in enumerate(zip(next_parts, last_parts)) if a != b]
    if len(differing) != 1 or not next_parts[differing[0]].isdigit():
        return [] if differing else [next_url]
    i = differing[0]
    first, last = int(next_parts[i]), int(last_parts[i])
    if not first < last <= first + 1000:
        return []
    return ["".join(next_parts[:i] + [str(n)] + next_parts[i + 1:]) for n in range(first, last + 1)]
