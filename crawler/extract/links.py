"""Links of a content page, soft-404 pages and anti-crawler challenges.

`page_links` gives what the link check should try: the body's links and the
attachments of a page (menus, headers and footers are the site's chrome, checked
once elsewhere if at all). `is_soft_404` recognises HTTP 200 pages that say the
page does not exist; `challenge_kind` recognises WAF challenge answers (Ruishu's
412 with a `$_ts` script, Jiasule's 521 with a `document.cookie` script, ...),
which mean "kept out", not "down".
"""
from __future__ import annotations

import re

from lxml import etree

from crawler.extract.detail import body_links, content_root
from crawler.extract.page import page_of
from crawler.extract.text import LinkRef, clean, visible_text

# "找不到" alone is an ordinary word (找不到工作); it must be about the page.
_NOT_FOUND = re.compile(r"页面不存在|页面未找到|(?:找不到|无法找到)(?:该|您要|你要|您所|所)?(?:访问|请求)?的?(?:页面|网页|文件)|"
                        r"(?:信息|文章|内容|文档|稿件|资源|网页|栏目|链接)不存在|不存在或已被?删除|已被删除|"
                        r"(?:页面|网页|链接)(?:已经?|已被)?(?:失效|过期|丢失|走丢|迷路)|"
                        r"\b404\b|not\s+found|错误页面|出错了", re.I)
# A mark every _NOT_FOUND phrase holds (存 in 页面不存在, 找 in 找不到, 错 in 出错了, 失 in 失效 ...).
_NOT_FOUND_MARK = re.compile(r"存|找|删|错|失|期|丢|迷|404|found", re.I)
# A real article is longer than this; error pages say little.
_SHORT_BODY = 600

# Script markers of WAF challenges, with the statuses they come with (None: any status).
_CHALLENGES = (
    (412, re.compile(r"\$_ts|_\$[\w$]{2}\s*=")),                    # Ruishu (瑞数)
    (521, re.compile(r"document\.cookie|__jsl_clearance")),          # Jiasule (加速乐)
    (None, re.compile(r"yunsuo_session_verify|security_session_verify")),   # Yunsuo (云锁)
    (None, re.compile(r"cf-browser-verification|challenge-platform|cf_chl_")),  # Cloudflare
    (None, re.compile(r"安全狗|safedog|网站防火墙.*拦截", re.S)),
)


def page_links(response) -> list[LinkRef]:
    """The body's links and the page's attachments, absolute and deduplicated."""
    attachments, links = body_links(response, content_root(page_of(response)))
    return links + attachments


def is_soft_404(response) -> bool:
    """True for a page that answers 200 but says it does not exist (in its title or a short body)."""
    page = page_of(response)
    if _NOT_FOUND.search(page.title):
        return True
    if not could_say_not_found(page.root):
        return False
    body = clean(visible_text(page.root))
    return len(body) < _SHORT_BODY and bool(_NOT_FOUND.search(body))


def could_say_not_found(root) -> bool:
    """False when no text node of the page holds a _NOT_FOUND_MARK, so its visible text cannot
    say "not found": one search over the text lxml serialises, instead of reading the visible
    text of every page. (Visible text is some of these text nodes, joined by spaces that
    clean() only removes between CJK characters: each mark sits inside one text node.)"""
    return bool(_NOT_FOUND_MARK.search(etree.tostring(root, method="text", encoding=str)))


def challenge_kind(response) -> str | None:
    """"anti_crawler" when the answer is a WAF challenge, else None."""
    text = response.body[:65536].decode("utf-8", "replace")
    # status-free markers only count on error answers or tiny pages, never inside articles
    suspicious = response.status >= 400 or len(response.body) < 4096
    for status, marker in _CHALLENGES:
        if (response.status == status or (status is None and suspicious)) and marker.search(text):
            return "anti_crawler"
    return None
