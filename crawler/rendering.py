"""Pages drawn by scripts: rendered in a real headless Chromium where the served HTML falls short.

Many county sites built in the last years send a script shell (an empty app root and its
bundles, a list container with `v-for` or a `data-api` attribute, a list area an inline
script fills from a JSON endpoint) and draw their lists, leader cards and mailbox tables in
the browser. Read as served, such a unit looks empty. `RenderMiddleware` (a downloader
middleware) looks at each page response the spider will read:

  1. `shell_signals(root)`: generic marks of a page drawn by script (never a site's markup);
  2. `has_readable_content(response, handler)`: whether the served HTML already holds content
     of the kind the page is fetched for (entries on a list page, letters in a mailbox, a
     column tree on a section page, text on an article), read by the same extractors;
  3. a shell without such content is rendered in Chromium (Playwright driving the Debian
     `chromium`, never a downloaded build), and the spider's callback gets the rendered DOM
     as the response (flag `rendered`, meta `rendering`). A static page is never rendered:
     the cheap byte test `_MAYBE_SHELL` keeps most pages from being parsed here at all.

A list whose next page is reached only by a click (下一页 without an address) is clicked
through in the same browser, at most DISCLOSURE_RENDER_MAX_CLICKS times; each state after a
click is kept, and the control becomes a link to `?disclosure_render_page=N` of the page, which
this middleware answers with the kept state (or by rendering and clicking again). A menu item
without an address (onclick, `javascript:f()`, role=tab, inside a menu) becomes a link to
`?disclosure_render_click=N`, answered by rendering the page and clicking item N. The spider's
budgets and extractors read them like any pages. The browser fetches the page's scripts and
their JSON itself (images, media and fonts are not fetched; an internal address the config does
not name, or a name resolving to one, is refused, as the crawl's fetch policy refuses it
(FetchPolicy.browser_refuses); so is an address the site's robots.txt forbids, by the crawl's own
RobotsTxtMiddleware and its cached parsers (crawler/robots.py: allowed_by_robots), and a page
whose script or data request was so refused is unread (`render_robots`), never empty; certificate
errors are ignored, as the crawl ignores them: they are site_certificate_invalid's).

Articles read only for their links (links_only_article) are many and nothing is concluded from
what they lack: only the newest DISCLOSURE_RENDER_ARTICLES_PER_COLUMN of each column are
rendered, within DISCLOSURE_RENDER_ARTICLES_SHARE of the unit's budget, so lists, leaders, the
mailbox, 任免 notices and missing dates always get their renders.

Budget and failure: at most DISCLOSURE_RENDER_PER_UNIT renders per unit (meta `unit`), each
within DISCLOSURE_RENDER_TIMEOUT seconds, DISCLOSURE_RENDER_CONCURRENCY at a time. When
Chromium is absent or cannot start, one WARNING says so and the crawl goes on; a page that
needed rendering and was not rendered (no browser, a failure, the budget spent) keeps its
served HTML and carries meta `rendering` = {"status": "failed" | "over_budget", ...}: the
spider reads it as served and records it as `unread` (why `not_rendered` / `render_budget`,
`not_rendered()` below), so the audits conclude nothing from what it lacks, the unit counts as
not fully audited and the report lists the page. Every page's `fetch` fact carries the mark;
the snapshot counts the rendered ones (`crawl.rendered`). Stats: disclosure/render_needed,
disclosure/rendered, disclosure/render_failed, disclosure/render_over_budget, disclosure/render_clicks,
disclosure/render_seconds.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import re
import time
from datetime import date
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, TextResponse
from w3lib.url import add_or_replace_parameter, url_query_parameter, url_query_cleaner

logger = logging.getLogger(__name__)

PAGE_PARAM = "disclosure_render_page"
CLICK_PARAM = "disclosure_render_click"
HASH_PARAM = "disclosure_render_route"
RENDERED_FLAG = "rendered"

# Handlers of the disclosure spider whose pages are read as pages (media, link checks and
# revisits never are); a request without a handler (another spider) is judged generically.
PAGE_HANDLERS = {"entry", "section", "directory", "list", "detail", "leader_detail", "workflow", "mailbox"}

# --- the detector --------------------------------------------------------------------------------

# Bytes that any script shell shows; a page without them is never parsed here (the cost rule).
_MAYBE_SHELL = re.compile(
    rb"v-for|v-if|v-html|ng-repeat|ng-app|x-for|x-data|data-api|data-url|data-source|data-list|data-ajax"
    rb"|data-endpoint|data-remote|data-json|data-src|data-v-app|data-reactroot|\{\{|id=[\"']?(?:app|root|__nuxt|__next)\b"
    rb"|XMLHttpRequest|\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|axios\.|\.load\s*\("
    rb"|href=[\"']?#!?/", re.I)
# onclick is everywhere: alone it marks a shell only beside a next-page label (a click-only pager).
_NEXT_WORDS_TEXT = ("下一页", "下页", "后一页")
# A page this short holding a script and no link may be nothing but its scripts.
_SMALL_PAGE_BYTES = 4096


def _only_scripts(body: bytes) -> bool:
    if len(body) >= _SMALL_PAGE_BYTES:
        return False
    lower = body.lower()
    return b"<script" in lower and b"<a " not in lower
# An element that a front-end framework mounts an app on.
_APP_ROOT_XPATH = ("//*[@id='app' or @id='root' or @id='__nuxt' or @id='__next' or @id='App'"
                   " or @data-v-app or @ng-app or @data-reactroot]")
# Attributes of an uncompiled template: the list is drawn by the script, not the server.
_TEMPLATE_ATTRS = ("v-for", "ng-repeat", "x-for", "v-html", "v-text")
# Attributes naming where a container's data comes from.
_DATA_ATTRS = ("data-api", "data-url", "data-source", "data-list", "data-ajax", "data-endpoint",
               "data-remote", "data-json", "data-list-url", "data-src")
_MUSTACHE = re.compile(r"\{\{[^{}]{1,80}\}\}")
_XHR = re.compile(r"XMLHttpRequest|\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|axios\.|\.load\s*\(")
_DOM_WRITE = re.compile(r"innerHTML|\.html\s*\(|\.append\s*\(|appendChild|insertAdjacentHTML|\.load\s*\(")
_ID_REFERENCE = re.compile(
    r"getElementById\(\s*['\"]([\w-]+)['\"]|\$\(\s*['\"]#([\w-]+)['\"]|querySelector\(\s*['\"]#([\w-]+)['\"]")
# What a pager's next control says (as crawler/extract/listing.py reads it).
NEXT_LABELS = ("下一页", "下页", "后一页", "下一頁", "next", "›", "»", ">")
_NO_ADDRESS = re.compile(r"^(?:#.*|javascript:\s*(?:void\s*\(\s*0?\s*\)|;)?\s*;?)?$", re.I)
_JS_CALL = re.compile(r"^javascript:\s*[\w.$]+\s*\(", re.I)
# An empty container: fewer visible characters than this (a "加载中..." placeholder is empty).
_EMPTY_CHARS = 12
# Own text enough to count as readable content on an article or static column page.
MIN_TEXT_CHARS = 40


def shell_signals(root) -> list[str]:
    """The marks of a page drawn by a script, from its parsed HTML (lxml root): `app_root` (an
    empty framework mount point beside script bundles), `template` (uncompiled v-for/ng-repeat
    or {{ }}), `data_container` (an empty element naming its data source), `xhr_container`
    (an empty element an inline script fills from a request), `click_pager` (a next-page
    control that is clicked, without an address)."""
    found = []
    scripts = root.xpath("//script")
    bundles = [s for s in scripts if s.get("src") or (s.get("type") or "").lower() == "module"]
    if bundles and any(_is_empty(el) for el in root.xpath(_APP_ROOT_XPATH)):
        found.append("app_root")
    if root.xpath("//*[" + " or ".join(f"@{a}" for a in _TEMPLATE_ATTRS) + "]") or _has_mustache(root):
        found.append("template")
    containers = root.xpath("//body//*[" + " or ".join(f"@{a}" for a in _DATA_ATTRS) + "]")
    if any(el.tag not in ("img", "iframe", "script", "source", "video", "audio", "input") and _is_empty(el)
           for el in containers):
        found.append("data_container")
    inline = "\n".join(s.text or "" for s in scripts if not s.get("src"))
    if inline and _XHR.search(inline) and _DOM_WRITE.search(inline):
        ids = {next(g for g in m.groups() if g) for m in _ID_REFERENCE.finditer(inline)}
        if any(_is_empty(el) for i in ids for el in root.xpath("//*[@id=$i]", i=i)):
            found.append("xhr_container")
    if loading_placeholder(root, scripts):
        found.append("loading_placeholder")
    if click_pager(root) is not None:
        found.append("click_pager")
    if inline and _XHR.search(inline) and len(click_menu_items(root)) >= 2:
        found.append("click_menu")
    if scripts and _visible_chars(root) < 2:
        found.append("empty_body")
    if len(root.xpath(_HASH_LINKS_XPATH)) >= 2:
        found.append("hash_routes")
    if inline and _SCRIPT_PAGER.search(inline) and (_XHR.search(inline) or _DOM_WRITE.search(inline)):
        found.append("script_pager")
    return found


# Links of a hash router (#/list/12, #!/news): pages of a single-page app.
_HASH_LINKS_XPATH = "//body//a[starts-with(@href, '#/') or starts-with(@href, '#!/')]"
# An inline script that draws a pager: its words for the next page, or its page counters.
_SCRIPT_PAGER = re.compile(r"下一页|\\u4e0b\\u4e00\\u9875|\b(?:pageNo|pageIndex|currentPage|curPage|totalPages?|"
                           r"pageCount|nextPage|goPage|turnPage)\b")


def _visible_chars(root) -> int:
    text = root.xpath("string(//body)") if not root.xpath("//body//script|//body//style|//body//noscript|"
                                                          "//body//template") else "".join(
        root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)"
                   " and not(ancestor::template)]"))
    return len(_LOADING.sub("", "".join(text.split())))


# What a page shows while its script loads: no content.
_LOADING = re.compile(r"加载中|正在加载|数据加载|请稍[候后等]|loading|请(?:开启|启用)\s*javascript|[.。…·]", re.I)


MAX_MENU_ITEM_ELEMENTS = 4
# A container of menu items (navigation, tabs, a column tree), by its tag, class or id.
_MENU_CONTAINER = re.compile(r"nav|menu|tab|column|lanmu|lm|catalog|tree|side|left|channel|dir", re.I)
_MENU_XPATH = ("//body//*[self::li or self::a or self::span or self::div or self::button or self::td or self::dd]"
               "[@onclick or @role='tab' or starts-with(normalize-space(@href), 'javascript:')]")


def click_menu_items(root) -> list:
    """Menu items without an address that a script answers (onclick, javascript:f(), role=tab),
    inside a menu-like container: columns reached by a click."""
    items = []
    for el in root.xpath(_MENU_XPATH):
        href = (el.get("href") or "").strip()
        if not (el.get("onclick") or el.get("role") == "tab" or _JS_CALL.match(href)):
            continue
        if next(islice(el.iterdescendants(), MAX_MENU_ITEM_ELEMENTS, None), None) is not None:
            continue                            # a block of many elements is no menu label (checked in O(1))
        label = " ".join(el.text_content().split())
        pieces = [t for t in el.xpath(".//text()") if t.strip()]
        if not 2 <= len(label) <= 16 or len(pieces) > 1 or label.lower() in NEXT_LABELS or label.isdigit() \
                or el.xpath(".//a[@href][not(starts-with(@href, 'javascript')) and not(starts-with(@href, '#'))]"):
            continue
        if any(el.tag in ("ul", "ol", "nav") or _MENU_CONTAINER.search(f"{a.get('class', '')} {a.get('id', '')}")
               or a.tag in ("nav", "ul", "ol") for a in el.iterancestors()):
            items.append(el)
    return items


_PAGER_TAGS = {"a", "button", "span", "li", "div", "input", "em", "font"}
_NEXT_TEXT_XPATH = "//body//text()[" + " or ".join(f"normalize-space(.)='{w}'" for w in NEXT_LABELS) + "]"


def click_pager(root):
    """A next-page control without an address that a script answers: one with a handler
    (onclick, javascript:f()), or one without any address beside a page counter saying this is
    not the last page (第1页/共5页: a script attached its listener). Found from its text nodes
    (linear in the page, whatever its nesting)."""
    candidates = [t.getparent() for t in root.xpath(_NEXT_TEXT_XPATH)]
    candidates += root.xpath("//body//input[@value][" + " or ".join(f"@value='{w}'" for w in NEXT_LABELS) + "]")
    more = None                                 # whether the page counter says more pages follow
    for el in candidates:
        for node in (el, el.getparent()):       # the label's element, or the one around it (<li><span>)
            if node is None or node.tag not in _PAGER_TAGS:
                continue
            href = (node.get("href") or "").strip()
            if href and not _NO_ADDRESS.match(href) and not _JS_CALL.match(href):
                break                           # a real address: the static reader follows it
            if node.get("onclick") or _JS_CALL.match(href):
                return node
            if node.tag in ("a", "button", "input", "span") and not _disabled(node) and root.xpath("//script"):
                if more is None:
                    more = more_pages(root)
                if more:
                    return node
                break
    return None


# A pager's counter: 第1页/共5页, 第 1/5 页, 1/5页, 共5页 … 当前第1页
_PAGE_COUNTER = re.compile(r"第\s*(\d+)\s*页\s*[/，,]?\s*共\s*(\d+)\s*页|第\s*(\d+)\s*/\s*(\d+)\s*页"
                           r"|(?<![\d/])(\d+)\s*/\s*(\d+)\s*页|共\s*(\d+)\s*页\D{0,12}?第\s*(\d+)\s*页"
                           r"|当前第?\s*(\d+)\s*页\D{0,12}?共\s*(\d+)\s*页")


def more_pages(root) -> bool:
    """True when the page's pager counter says the shown page is not the last one."""
    text = " ".join(" ".join(root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")).split())
    for m in _PAGE_COUNTER.finditer(text):
        g = m.groups()
        pairs = [(g[0], g[1]), (g[2], g[3]), (g[4], g[5]), (g[7], g[6]), (g[8], g[9])]
        for current, total in pairs:
            if current and total and int(current) < int(total):
                return True
    return False


def _disabled(node) -> bool:
    return (node.get("disabled") is not None or node.get("aria-disabled") == "true"
            or "disabled" in (node.get("class") or "").lower())


def _is_empty(el) -> bool:
    """Nothing a reader sees: no link, few characters (template placeholders not counted)."""
    if el.xpath(".//a[@href]"):
        return False
    text = "".join(t for t in el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))
    return len("".join(_MUSTACHE.sub("", text).split())) < _EMPTY_CHARS


def _has_mustache(root) -> bool:
    return any(_MUSTACHE.search(t) for t in root.xpath("//body//text()[not(ancestor::script)]"))


def has_readable_content(response, handler: str | None, as_of: date | None = None, role: str | None = None) -> bool:
    """Whether the served page already shows what it is fetched for, read by the spider's own
    extractors: entries (or leaders, workflow items, own text) on a list page, letters in a
    mailbox, a column tree on an entry or section page, a leader on a leader's page, text on
    an article."""
    from crawler.extract import (content, leaders, listing, mailbox, navigation,  # the spider's readers
                                 workflows)
    as_of = as_of or date.today()
    text_chars = content.page_content(response).text_chars
    if handler == "list":                       # what the column's role reads there, as the spider does
        if role == "leaders" and leaders.parse_leaders(response):
            return True
        if role == "workflows" and workflows.parse_workflows(response):
            return True
        return bool(listing.parse_list(response, as_of).entries) or text_chars >= MIN_TEXT_CHARS
    if handler == "mailbox":
        return bool(mailbox.parse_letters(response, as_of).letters)
    if handler in ("entry", "section", "directory"):
        return len(navigation.column_tree(response)) >= 3
    if handler == "leader_detail":
        found = leaders.parse_leader_detail(response)
        return bool(found.name or found.photo_url)
    if handler in ("detail", "workflow"):
        return text_chars >= MIN_TEXT_CHARS
    return text_chars >= MIN_TEXT_CHARS or bool(listing.parse_list(response, as_of).entries)


def column_role(meta: dict) -> str | None:
    """The role of the column a request of the spider reads (leaders, workflows …), from its meta."""
    return ((meta.get("ctx") or {}).get("column") or {}).get("role")


def links_only_article(meta: dict) -> tuple[str, int] | None:
    """(the column's URL, the article's place in its list) for an article that the spider reads
    only for its links and attachments (its list gave its date; no 任免 notice, no leader or
    workflow page), None for every other page. Such articles are many (DISCLOSURE_MAX_DETAIL_PAGES
    per column) and nothing is concluded from what they lack, so when they need rendering only
    the newest of each column are (RenderMiddleware.article_budget), and never with the renders
    that pages judged by their absence, 任免 notices and missing dates need."""
    if meta.get("handler") != "detail":
        return None
    ctx = meta.get("ctx") or {}
    column = ctx.get("column") or {}
    if not ctx.get("list_url") or not ctx.get("date") or column.get("role"):
        return None
    from crawler.extract.appointments import is_appointment_notice
    if is_appointment_notice(ctx.get("title") or ""):
        return None
    column_url = column.get("url") or ctx["list_url"]
    # an entry of a later page of the list comes after every entry of its first page
    rank = int(ctx.get("rank") or 0) + (0 if ctx["list_url"] == column_url else 1_000_000)
    return column_url, rank


_SCRIPT_TAG = re.compile(rb"<script", re.I)
# What a block says while a script fetches its content: 正在加载……, 数据加载中, Loading...
_LOADING_WORDS = re.compile(r"加载|loading", re.I)
_LOADING_ONLY = re.compile(r"^(?:(?:正在|数据)?加载(?:中)?(?:数据)?|loading|请稍[候后等])[.。…·\s]*$", re.I)


def loading_placeholder(root, scripts=None) -> bool:
    """A block whose whole text is a loading notice (正在加载……, 数据加载中, Loading…) on a page
    with scripts: its content is fetched by a script after the page loads (a table whose rows
    an external script draws from JSON). Linear in the page's text nodes."""
    if not (scripts if scripts is not None else root.xpath("//script")):
        return False
    for node in root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)"
                           " and not(ancestor::noscript) and not(ancestor::template)]"):
        if _LOADING_WORDS.search(node) and _LOADING_ONLY.match(" ".join(node.split())):
            parent = node.getparent()
            if parent is not None and _LOADING_ONLY.match(" ".join(parent.text_content().split())):
                return True
    return False


def needs_rendering(response, handler: str | None = None, as_of: date | None = None,
                    role: str | None = None) -> str | None:
    """Why the page must be rendered to be read (its shell signals, comma-separated), or None.

    A shell whose served HTML already holds content of the expected kind is read as served,
    unless its pager is click-only and the static reader finds no further page."""
    if not isinstance(response, TextResponse):
        return None
    body = response.body
    if not _MAYBE_SHELL.search(body) and not _only_scripts(body):
        text = response.text
        if not (any(w in text for w in _NEXT_WORDS_TEXT)
                and (b"onclick" in body or b"javascript:" in body or _PAGE_COUNTER.search(text))) \
                and not (_LOADING_WORDS.search(text) and _SCRIPT_TAG.search(body)):
            return None
    from crawler.extract.text import body_of   # the spider's own parse of the page (kept by the response)
    try:
        root = body_of(response)
    except (ValueError, lxml.etree.ParserError):
        return None
    found = shell_signals(root)
    if not found:
        return None
    shell = [s for s in found if s not in ("click_pager", "click_menu", "script_pager")]
    if shell and not has_readable_content(response, handler, as_of, role):
        return ",".join(found)
    if ("click_pager" in found or "script_pager" in found) and handler in ("list", "mailbox", None):
        from crawler.extract import listing
        if not listing.pagination(response)[0]:
            return ",".join(found)
    if "click_menu" in found and handler in ("entry", "section", "directory", "list", None):
        return ",".join(found)
    return None


def not_rendered(response) -> str | None:
    """Why a page that needed rendering was read as served (`not_rendered`: no browser or a
    failure; `render_budget`: DISCLOSURE_RENDER_PER_UNIT spent; `render_robots`: robots.txt
    forbids a script or data request the page draws from), None when it needed none or was."""
    status = (response.meta.get("rendering") or {}).get("status")
    return {"failed": "not_rendered", "over_budget": "render_budget", "robots": "render_robots"}.get(status)


# --- the browser -----------------------------------------------------------------------------------

# Flags without which Chromium's own background connections are refused on locked-down hosts.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Marks a next control in the DOM, so the captured HTML says which element was clicked.
_MARK_NEXT_JS = """(labels) => {
  const noAddress = h => !h || /^(#.*|javascript:.*)$/i.test(h.trim());
  document.querySelectorAll('[data-disclosure-next]').forEach(e => e.removeAttribute('data-disclosure-next'));
  const candidates = document.querySelectorAll('a,button,span,li,div,input,em,font');
  for (const el of candidates) {
    const label = (el.tagName === 'INPUT' ? (el.value || '') : (el.innerText || '')).trim().toLowerCase();
    if (!labels.includes(label)) continue;
    if (!noAddress(el.getAttribute('href'))) continue;
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || /\\bdisabled\\b/.test(el.className || '')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    el.setAttribute('data-disclosure-next', '1');
    return true;
  }
  return false;
}"""


# Marks the menu items without an address (as click_menu_items reads them), numbered in page order.
_MARK_MENU_JS = """(labels) => {
  const noAddress = h => !h || /^(#.*|javascript:.*)$/i.test(h.trim());
  const container = /nav|menu|tab|column|lanmu|lm|catalog|tree|side|left|channel|dir/i;
  let n = 0;
  for (const el of document.querySelectorAll('li,a,span,div,button,td,dd')) {
    const href = el.getAttribute('href');
    if (!noAddress(href)) continue;
    if (!(el.getAttribute('onclick') || el.getAttribute('role') === 'tab' || /^javascript:\\s*[\\w.$]+\\s*\\(/i.test(href || ''))) continue;
    const label = (el.innerText || '').trim().replace(/\\s+/g, ' ');
    if (label.length < 2 || label.length > 16 || labels.includes(label.toLowerCase()) || /^\\d+$/.test(label)) continue;
    const pieces = Array.from(el.querySelectorAll('*')).concat([el]).filter(e =>
      Array.from(e.childNodes).some(c => c.nodeType === 3 && c.textContent.trim()));
    if (pieces.length > 1) continue;            // a card (a name and a post), not a menu label
    if (Array.from(el.querySelectorAll('a[href]')).some(a => !noAddress(a.getAttribute('href')))) continue;
    let menu = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['UL', 'OL', 'NAV'].includes(a.tagName) || container.test((a.className || '') + ' ' + (a.id || ''))) { menu = true; break; }
    }
    if (!menu) continue;
    el.setAttribute('data-disclosure-menu', String(n++));
  }
  return n;
}"""


# What a browser asks for that draws content: a page, its scripts, their data (XHR, fetch).
_CONTENT_REQUESTS = ("document", "script", "xhr", "fetch", "eventsource", "websocket", "other")


class Chromium:
    """One headless Chromium for the crawl (started on first use), driven by Playwright."""

    def __init__(self, executable: str, timeout: float, user_agent: str | None, refuse=None):
        # the browser's own requests the crawl may not make: (async) url -> why ("robots" …) or None
        self.refuse = refuse or (lambda url: None)
        self.executable = executable
        self.timeout = timeout
        self.user_agent = user_agent
        self.playwright = None
        self.browser = None
        self.context = None
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        async with self._starting:
            if self.browser is not None and self.browser.is_connected():
                return
            if not Path(self.executable).exists():
                raise FileNotFoundError(f"no Chromium at {self.executable}")
            from playwright.async_api import async_playwright
            if self.playwright is None:
                self.playwright = await async_playwright().start()
            self.browser = await self.playwright.chromium.launch(
                executable_path=self.executable, args=CHROMIUM_ARGS, headless=True,
                timeout=self.timeout * 1000)
            # a site's certificate problem is a finding of its own (site_certificate_invalid): its
            # content is still read, as the crawl reads it
            self.context = await self.browser.new_context(user_agent=self.user_agent, java_script_enabled=True,
                                                          service_workers="block", ignore_https_errors=True)

    async def render(self, url: str, body: bytes | None, content_type: str | None, max_clicks: int,
                     menu_item: int | None = None, refused: list | None = None) -> list[str]:
        """The page's DOM after its scripts ran, then after each click on its next-page control
        (the clicked control marked `data-disclosure-next` in the state before the click).
        `menu_item`: first click the page's menu item of that number (click_menu_items' order);
        else the menu items are marked `data-disclosure-menu` in the states.
        `body`: the HTML already downloaded, served to the browser instead of asking again.
        `refused`: gets (why, url) of each document, script or data request (XHR, fetch) that
        `refuse` kept the browser from making, and ("failed", url) of each data request to the
        page's own host that got no answer or a 5xx (what it would have drawn is unknown)."""
        await self.start()
        page = await self.context.new_page()
        ms = self.timeout * 1000
        page.set_default_timeout(ms)
        served = False

        async def route(route):
            nonlocal served
            request = route.request
            if body is not None and not served and request.is_navigation_request() and request.url == url:
                served = True
                await route.fulfill(status=200, body=body, headers={"Content-Type": content_type or "text/html"})
            elif request.resource_type in ("image", "media", "font"):
                await route.abort()             # the DOM is wanted, not pictures: photos are fetched by the crawl
            else:
                why = await self.refused(request.url)   # an internal address the config does not name, robots.txt
                if why:
                    if refused is not None and request.resource_type in _CONTENT_REQUESTS:
                        refused.append((why, request.url))
                    aborted.add(request.url)
                    await route.abort()
                else:
                    await route.continue_()

        aborted: set[str] = set()
        host = urlsplit(url).netloc.lower()

        def data_failed(request, status: int | None = None) -> None:
            if status is None and "ERR_ABORTED" in str(request.failure or ""):
                return                          # cancelled (the page navigated or was closed), not refused
            if refused is not None and request.resource_type in ("xhr", "fetch") and request.url not in aborted \
                    and urlsplit(request.url).netloc.lower() == host and (status is None or status >= 500):
                refused.append(("failed", f"{request.url} ({status or request.failure or 'no answer'})"))

        page.on("requestfailed", data_failed)
        page.on("response", lambda response: data_failed(response.request, response.status))
        quiet = _Quiet(page)
        try:
            await page.route("**/*", route)
            await page.goto(url, wait_until="load", timeout=ms)
            await quiet.wait()
            count = await page.evaluate(_MARK_MENU_JS, list(NEXT_LABELS))
            if menu_item is not None:
                if menu_item >= count:
                    raise LookupError(f"menu item {menu_item} not on the page ({count} found)")
                before = await page.evaluate("document.body ? document.body.innerText : ''")
                await page.click(f'[data-disclosure-menu="{menu_item}"]', timeout=ms)
                await page.evaluate("document.querySelectorAll('[data-disclosure-menu]')"
                                    ".forEach(e => e.removeAttribute('data-disclosure-menu'))")
                try:
                    await page.wait_for_function("(b) => document.body && document.body.innerText !== b",
                                                 arg=before, timeout=min(ms, 5000))
                except Exception:
                    pass                        # the same content (a tab already shown)
                await quiet.wait()
            states = []
            for _ in range(max_clicks):
                if not await page.evaluate(_MARK_NEXT_JS, list(NEXT_LABELS)):
                    break
                before = await page.evaluate("document.body ? document.body.innerText : ''")
                states.append(await page.content())
                await page.click("[data-disclosure-next]", timeout=ms)
                try:
                    await page.wait_for_function("(b) => document.body && document.body.innerText !== b", arg=before,
                                                 timeout=min(ms, 5000))
                except Exception:              # nothing changed: the last page (or a dead control)
                    states[-1] = _unmark(states[-1])
                    return states
                await quiet.wait()
            await page.evaluate("document.querySelectorAll('[data-disclosure-next]')"
                                ".forEach(e => e.removeAttribute('data-disclosure-next'))")
            states.append(await page.content())
            return states
        finally:
            await page.close()

    async def refused(self, url: str):
        """`refuse`'s answer for `url` (it may be a coroutine function): why not to fetch it, or falsy."""
        why = self.refuse(url)
        return (await why) if inspect.isawaitable(why) else why

    async def screenshot(self, url: str, path: Path, width: int, max_height: int, quality: int,
                         page_allowed=None) -> tuple[int, int]:
        """A JPEG of the page at `url` as a person's browser shows it, `width` px wide and at most
        `max_height` px of it from the top, written to `path`; its (width, height). The page's images
        and styles load (they are the evidence), fonts and media do not, nothing `refuse` names is
        fetched, and no page or frame `page_allowed` refuses is opened (a script sending the browser
        elsewhere); crawler/evidence.py passes the fetch policy."""
        await self.start()
        page = await self.context.new_page()
        ms = self.timeout * 1000
        page.set_default_timeout(ms)

        async def route(route):
            request = route.request
            if request.resource_type in ("media", "font", "websocket", "eventsource") or await self.refused(request.url) \
                    or (page_allowed is not None and request.is_navigation_request() and not page_allowed(request.url)):
                await route.abort()
            else:
                await route.continue_()

        quiet = _Quiet(page)
        try:
            await page.set_viewport_size({"width": width, "height": min(max_height, 900)})
            await page.route("**/*", route)
            await page.goto(url, wait_until="load", timeout=ms)
            await quiet.wait()
            full = await page.evaluate("Math.max(document.documentElement.scrollHeight, document.body ? "
                                       "document.body.scrollHeight : 0)")
            height = max(1, min(int(full or 0), max_height))
            await page.screenshot(path=str(path), type="jpeg", quality=quality, full_page=True,
                                  clip={"x": 0, "y": 0, "width": width, "height": height}, timeout=ms)
            return width, height
        finally:
            await page.close()

    async def close(self) -> None:
        try:
            if self.browser is not None:
                await self.browser.close()
        finally:
            if self.playwright is not None:
                await self.playwright.stop()
            self.browser = self.playwright = self.context = None


class _Quiet:
    """Waits until the page has had no request in flight for QUIET_SECONDS (at most
    SETTLE_MAX_SECONDS: a site's analytics may never be quiet). Playwright's `networkidle`
    waits 500 ms; a page's JSON calls start within a tick of the script that makes them."""

    def __init__(self, page):
        self.inflight, self.last = 0, time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _request):
        self.inflight += 1
        self.last = time.monotonic()

    def _ended(self, _request):
        self.inflight = max(0, self.inflight - 1)
        self.last = time.monotonic()

    async def wait(self) -> None:
        end = time.monotonic() + SETTLE_MAX_SECONDS
        while time.monotonic() < end:
            if self.inflight == 0 and time.monotonic() - self.last >= QUIET_SECONDS:
                return
            await asyncio.sleep(0.025)


QUIET_SECONDS = 0.25
SETTLE_MAX_SECONDS = 5.0


def _unmark(html: str) -> str:
    return html.replace(' data-disclosure-next="1"', "")


def page_url(url: str, number: int) -> str:
    """The address this middleware answers with the list's state after number-1 clicks."""
    return add_or_replace_parameter(url, PAGE_PARAM, str(number))


def menu_url(url: str, item: int) -> str:
    """The address this middleware answers with the page after a click on its menu item."""
    return add_or_replace_parameter(url, CLICK_PARAM, str(item))


def _with_links(html: str, next_url: str | None, base_url: str) -> str:
    """The state's marked next control as a link to the next state (unmarked when none), its
    marked menu items as links to the page after their click."""
    if "data-disclosure-" not in html and 'href="#/' not in html and 'href="#!/' not in html:
        return html
    root = lxml.html.fromstring(html)
    for el in root.xpath(_HASH_LINKS_XPATH):   # a route of the app: the page loaded at that route
        el.set("href", add_or_replace_parameter(base_url, HASH_PARAM, el.get("href")[1:]))
    for el in root.xpath("//*[@data-disclosure-next]"):
        if next_url is None:
            del el.attrib["data-disclosure-next"]
        else:
            _as_link(el, next_url)
    for el in root.xpath("//*[@data-disclosure-menu]"):
        _as_link(el, menu_url(base_url, int(el.get("data-disclosure-menu"))))
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _as_link(el, url: str) -> None:
    label = " ".join(((el.get("value") if el.tag == "input" else el.text_content()) or "").split())
    for name in list(el.attrib):
        del el.attrib[name]
    for child in list(el):
        el.remove(child)
    if el.tag in ("a", "span", "button", "input", "em", "font"):
        el.tag, el.text = "a", label
        el.set("href", url)
    else:                                       # a list item or cell stays one, holding the link
        el.text = None
        link = lxml.html.Element("a", href=url)
        link.text = label
        el.append(link)


# --- the middleware --------------------------------------------------------------------------------

class RenderMiddleware:
    """Downloader middleware: page responses that are script shells come back rendered."""

    def __init__(self, crawler):
        s = crawler.settings
        if not s.getbool("DISCLOSURE_RENDER"):
            raise NotConfigured("DISCLOSURE_RENDER is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.per_unit = s.getint("DISCLOSURE_RENDER_PER_UNIT")
        self.timeout = s.getfloat("DISCLOSURE_RENDER_TIMEOUT")
        self.max_clicks = s.getint("DISCLOSURE_RENDER_MAX_CLICKS")
        self.chromium = Chromium(s.get("DISCLOSURE_RENDER_EXECUTABLE"), self.timeout, s.get("USER_AGENT"),
                                 refuse=self._refused)
        self.concurrency = max(1, s.getint("DISCLOSURE_RENDER_CONCURRENCY"))
        self._slots: asyncio.Semaphore | None = None
        self.unavailable: str | None = None   # why Chromium cannot be used in this crawl
        self.used: dict[str, int] = {}        # unit id -> renders spent
        # articles read only for their links: the newest few of a column, at most this share of
        # the unit's budget (links_only_article)
        self.articles_per_column = s.getint("DISCLOSURE_RENDER_ARTICLES_PER_COLUMN")
        self.article_share = s.getfloat("DISCLOSURE_RENDER_ARTICLES_SHARE")
        self.article_renders: dict[str, int] = {}   # unit id -> articles rendered for their links
        self.states: dict[str, str] = {}      # page_url(url, n) -> a kept state, until asked for
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # a clicked state of a list: answered from what was kept, or rendered again
    async def process_request(self, request, spider=None):
        if PAGE_PARAM not in request.url and CLICK_PARAM not in request.url and HASH_PARAM not in request.url:
            return None                          # (the cheap test first: nearly every request)
        number = url_query_parameter(request.url, PAGE_PARAM) or "1"
        item = url_query_parameter(request.url, CLICK_PARAM)
        route = url_query_parameter(request.url, HASH_PARAM)
        if not number.isdigit() or (item is not None and not item.isdigit()) \
                or (item is None and route is None and url_query_parameter(request.url, PAGE_PARAM) is None):
            return None                          # no address of ours
        kept = self.states.pop(request.url, None)
        if kept is not None:
            self._mark(request, "rendered", "click")
            return self._response(request.url, kept, request, status=200, headers={})
        states_of = url_query_cleaner(request.url, [PAGE_PARAM], remove=True)
        base = url_query_cleaner(states_of, [CLICK_PARAM, HASH_PARAM], remove=True)
        html = await self._render(request, base + "#" + route if route else base, None, None,
                                  "click", clicks=max(self.max_clicks, int(number) - 1), wanted=int(number),
                                  menu_item=int(item) if item is not None else None, states_of=states_of)
        if html is None:                        # marked failed or over budget: nothing to read
            return HtmlResponse(request.url, status=200, body=b"<html><body></body></html>", request=request,
                                encoding="utf-8")
        return self._response(request.url, html, request, status=200, headers={})

    async def process_response(self, request, response, spider=None):
        if RENDERED_FLAG in response.flags or response.status != 200 or not isinstance(response, HtmlResponse):
            return response
        meta = request.meta
        handler = meta.get("handler")
        if handler == "revisit":                 # a watched page asked again: rendered when it was read so
            from crawler import revisit
            if not revisit.was_rendered((meta.get("ctx") or {}).get("page") or {}):
                return response
            reason = "revisit"
        elif meta.get("peek") or (handler is not None and handler not in PAGE_HANDLERS):
            return response
        else:
            as_of = getattr(getattr(self.crawler, "spider", None), "as_of", None)
            reason = needs_rendering(response, handler, as_of, column_role(meta))
        if reason is None:
            return response
        self.stats.inc_value("disclosure/render_needed")
        logger.debug("page drawn by scripts (%s), fetched as %s: %s", reason, handler, response.url)
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        html = await self._render(request, response.url, response.body, content_type, reason,
                                  clicks=self.max_clicks, wanted=1)
        if html is None:
            return response
        return self._response(response.url, html, request, status=response.status, headers=response.headers,
                              flags=response.flags)

    async def _render(self, request, url, body, content_type, reason, clicks: int, wanted: int,
                      menu_item: int | None = None, states_of: str | None = None) -> str | None:
        """The HTML of state `wanted` (1: as loaded, or after the click on `menu_item`) of the
        rendered page, the later states kept under `states_of` (the address of state 1); None
        when it could not be rendered (the request is then marked)."""
        states_of = states_of or url
        unit = request.meta.get("unit", "")
        if self.unavailable:
            self._mark(request, "failed", reason, self.unavailable)
            return None
        if self.used.get(unit, 0) >= self.per_unit:
            self._mark(request, "over_budget", reason, f"DISCLOSURE_RENDER_PER_UNIT={self.per_unit} spent")
            return None
        over = self.article_budget(unit, links_only_article(request.meta))
        if over:
            self._mark(request, "over_budget", reason, over)
            return None
        self.used[unit] = self.used.get(unit, 0) + 1
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        try:
            async with self._slots:
                started = time.monotonic()
                try:
                    await asyncio.wait_for(self.chromium.start(), self.timeout)
                except Exception as exc:
                    self.unavailable = f"Chromium could not be started ({type(exc).__name__}: {exc})".strip()
                    logger.warning("rendering unavailable: %s; pages drawn by scripts are read as served "
                                   "and their units marked not fully audited", self.unavailable.splitlines()[0])
                    self._mark(request, "failed", reason, self.unavailable)
                    return None
                refused: list = []
                states = await asyncio.wait_for(
                    self.chromium.render(url, body, content_type, clicks, menu_item, refused),
                    self.timeout * (2 + clicks))
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
            logger.warning("rendering %s failed: %s", url, detail)
            self._mark(request, "failed", reason, detail)
            return None
        blocked = [u for why, u in refused if why == "robots"]
        if blocked:                             # what the page draws from them is unknown, never absent
            self._mark(request, "robots", reason, f"robots.txt forbids {blocked[0]}"
                       + (f" and {len(blocked) - 1} more" if len(blocked) > 1 else ""))
            return None
        failed = [u for why, u in refused if why == "failed"]
        if failed:                              # a 5xx or no answer: as a static page's 5xx, unread
            logger.warning("rendering %s: its data request %s failed", url, failed[0])
            self._mark(request, "failed", reason, f"data request {failed[0]} failed"
                       + (f" and {len(failed) - 1} more" if len(failed) > 1 else ""))
            return None
        seconds = time.monotonic() - started
        self.stats.inc_value("disclosure/render_seconds", round(seconds, 3))
        self.stats.inc_value("disclosure/render_clicks", len(states) - 1)
        pages = [_with_links(html, page_url(states_of, n + 2) if n + 1 < len(states) else None, url.split("#")[0])
                 for n, html in enumerate(states)]
        for n, html in enumerate(pages[wanted:], start=wanted + 1):
            self.states[page_url(states_of, n)] = html
        if wanted > len(pages):
            self._mark(request, "failed", reason, f"page {wanted} not reached by clicking")
            return None
        self._mark(request, "rendered", reason, f"{seconds:.2f}s")
        return pages[wanted - 1]

    def article_budget(self, unit: str, article: tuple[str, int] | None) -> str | None:
        """Why an article read only for its links (`article`: links_only_article's answer) is not
        rendered, None when it is or is no such article: only the first
        DISCLOSURE_RENDER_ARTICLES_PER_COLUMN entries of its column's first page (its newest,
        whatever order the requests come in), at most DISCLOSURE_RENDER_ARTICLES_SHARE of the
        unit's budget in all: the rest always stays for lists, leaders, the mailbox, 任免 notices
        and missing dates."""
        if article is None:
            return None
        column, rank = article
        if rank >= self.articles_per_column:
            return f"DISCLOSURE_RENDER_ARTICLES_PER_COLUMN={self.articles_per_column}: not among the newest of {column}"
        if self.article_renders.get(unit, 0) >= self.per_unit * self.article_share:
            return f"DISCLOSURE_RENDER_ARTICLES_SHARE={self.article_share} of the unit's renders spent on articles"
        self.article_renders[unit] = self.article_renders.get(unit, 0) + 1
        return None

    async def _refused(self, url: str) -> str | None:
        """Why the crawl would not make a request the browser is about to make, None when it
        would: the spider's fetch policy (crawler/fetch_policy.py: an internal address it does not
        name, written as one or a name resolving to one: "policy"), then the site's robots.txt, read and cached by the crawl's own
        RobotsTxtMiddleware (crawler/robots.py: "robots")."""
        if not url.startswith(("http://", "https://")):
            return None
        policy = getattr(getattr(self.crawler, "spider", None), "policy", None)
        if policy is not None and await policy.browser_refuses(url):
            self.stats.inc_value("disclosure/internal_address_refused")
            return "policy"
        from crawler.robots import allowed_by_robots
        if not await allowed_by_robots(self.crawler, url):
            self.stats.inc_value("disclosure/render_robots_refused")
            return "robots"
        return None

    def _mark(self, request, status: str, reason: str, detail: str = "") -> None:
        request.meta["rendering"] = {"status": status, "reason": reason, "detail": detail,
                                     "page": request.meta.get("handler")}
        self.stats.inc_value({"rendered": "disclosure/rendered", "failed": "disclosure/render_failed",
                              "over_budget": "disclosure/render_over_budget",
                              "robots": "disclosure/render_robots"}[status])

    def _response(self, url, html: str, request, status: int, headers, flags=()) -> HtmlResponse:
        headers = {k: v for k, v in dict(headers).items()
                   if k.lower() not in (b"content-type", b"content-encoding", b"content-length")}
        headers[b"Content-Type"] = b"text/html; charset=utf-8"
        return HtmlResponse(url, status=status, headers=headers, body=html.encode("utf-8"), encoding="utf-8",
                            request=request, flags=[*flags, RENDERED_FLAG])

    async def spider_closed(self, spider):
        self.states.clear()
        if self.chromium.browser is not None or self.chromium.playwright is not None:
            try:
                await self.chromium.close()
            except Exception as exc:              # a browser already gone
                logger.debug("closing Chromium: %s", exc)
