"""What a column page holds besides a list: text of its own, and a notice that it holds nothing.

Static columns (公开指南, 公开制度, 机构职能) are one page of text, not a list of entries;
an empty column says so (暂无信息, 暂无内容, 正在建设中). The spider records both on
every list page, the audits decide what is empty (audits/common.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extract.text import body_of, clean, in_chrome, is_chrome, visible_text

# A notice that a page has nothing to show, as CMS templates and editors write it.
NOTHING_NOTICE = re.compile(
    r"^(?:该栏目|本栏目|此栏目|栏目)?(?:暂无|暂时没有|尚无|没有|无)(?:相关|任何)?"
    r"(?:信息|内容|数据|记录|文章|文件|公开信息|发布信息|栏目内容)"
    r"|^(?:本栏目|该栏目|栏目)?(?:正在|尚在)?(?:建设|维护|更新)中"
    r"|^敬请期待")
# A notice is a short block of its own; the same words inside a sentence of an article are none.
MAX_NOTICE_CHARS = 24
_NOTICE_WORDS = ("暂无", "暂时没有", "尚无", "没有", "无相关", "建设中", "维护中", "更新中", "敬请期待")
_NOTICE_XPATH = "//body//text()[" + " or ".join(f"contains(., '{w}')" for w in _NOTICE_WORDS) + "]"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Never the page's own text: links (menus, lists), forms and page chrome.
_NOT_OWN_TEXT = {"a", "select", "option", "form", "button", "nav", "input", "textarea", "label"}


@dataclass(frozen=True)
class PageContent:
    text_chars: int                 # Chinese characters outside links, forms and page chrome
    nothing_notice: str | None      # e.g. "暂无信息"; None when the page says no such thing


def page_content(response) -> PageContent:
    root = body_of(response)
    own = visible_text(root, " ", skip=lambda el: el.tag in _NOT_OWN_TEXT or is_chrome(el))
    return PageContent(text_chars=len(_CJK.findall(own)), nothing_notice=nothing_notice(root))


def nothing_notice(root) -> str | None:
    """The text of a short block saying the page has nothing, outside page chrome."""
    for node in root.xpath(_NOTICE_XPATH):
        parent = node.getparent()
        if parent is None or parent.tag in _NOT_OWN_TEXT or parent.tag in ("script", "style", "title"):
            continue
        block = parent if node.is_text else parent.getparent()
        if block is None or in_chrome(block):
            continue
        text = clean(visible_text(block))
        if len(text) <= MAX_NOTICE_CHARS and NOTHING_NOTICE.search(text.strip("。.！!…")):
            return text
    return None



# libxml2 keeps about 2,048 levels of nesting and silently drops everything deeper, and all that
# follows: a page nested that deep was not read whole (a hostile page, or a broken template).
_CUT_DEPTH = 1900
_CUT_XPATH = f"boolean(//*[count(ancestor::*) >= {_CUT_DEPTH}])"


def cut_by_depth(response) -> bool:
    """True when the parser dropped part of the page for nesting too deep to keep."""
    return bool(body_of(response).xpath(_CUT_XPATH))
