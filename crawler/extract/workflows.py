"""Workflow items (工作流程) and how each shows its flowchart.

A workflows column shows its items in one of three ways, all handled by
`parse_workflows`:
  - inline blocks, each a heading with its flowchart below (image, attachment link
    or nothing);
  - a list of links, one page per item (WorkflowItem.detail is that page, read
    with `parse_flowchart`);
  - the column page is itself one workflow.
On a page, an inline content image (not a logo, icon or spacer, nor the file-type
icon an editor puts before an attachment link) is an "image"; else a link to a file
(doc, pdf, xls ...) or a document in a viewer (<iframe src=x.pdf>) is an "attachment";
a link straight to an image file counts as an image; else "none" (a workflow without
a flowchart: a page that gives the steps as text has none).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extract.detail import body_links, content_root, page_title
from crawler.extract.listing import sibling_groups, title_anchor
from crawler.extract.page import page_of
from crawler.extract.text import (IMAGE_EXTENSIONS, PageRequest, anchors, body_of, clean,
                                  content_image, element_text, in_chrome, is_attachment_url,
                                  text_outside, url_extension)

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Words of a workflow item's title (流程图, 办事程序, 许可, 审批 ...).
_WORKFLOW_WORDS = re.compile(r"流程|程序|步骤|许可|审批|办理|办事|指南|登记|处罚|征收|确认|裁决|备案")
_MAX_BLOCK_LINKS = 2      # a block with more links is a menu, not one workflow
# An editor puts a file-type icon before (or inside) an attachment link: xls.gif, icon_doc.png,
# /sysimage/file/pdf.gif. Such an icon is shown at 16-32 px; no flowchart is.
_FILE_ICON_STEM = re.compile(r"^(?:(?:icon|ico|file|type|ext)[_-]?)?(?:doc|docx|xls|xlsx|pdf|wps|et|ppt|pptx|zip|"
                             r"rar|txt|file|attach|attachment|fujian|download)(?:[_-]?(?:icon|ico|\d+))?$", re.I)
_ICON_MAX_SIDE = 32


@dataclass(frozen=True)
class FlowchartRef:
    kind: str            # image | attachment | none
    url: str | None
    title: str


@dataclass(frozen=True)
class WorkflowItem:
    title: str
    page_url: str
    flowchart: FlowchartRef | None     # None: on its own page, fetch `detail`
    detail: PageRequest | None


def parse_workflows(response) -> list[WorkflowItem]:
    """The workflow items a workflows column shows, inline or as links to their pages."""
    blocks = _inline_blocks(body_of(response))
    if blocks:
        return [WorkflowItem(title, response.url, _flowchart_in(block, title, response), None)
                for title, block in blocks]
    linked = _linked_items(response)
    if linked:
        return linked
    single = parse_flowchart(response)
    return [WorkflowItem(single.title, response.url, single, None)] if single.kind != "none" else []


def parse_flowchart(response) -> FlowchartRef:
    """The flowchart of one workflow item's own page."""
    page = page_of(response)
    root = page.root
    content = content_root(page)
    title = page_title(response)
    image = _chart_image(content) or _chart_image(root)
    if image:
        return FlowchartRef("image", response.urljoin(image), title)
    attachments, links = body_links(response, content)
    if attachments:
        return FlowchartRef("attachment", attachments[0].url, title)
    embedded = _embedded_file(content)
    if embedded:
        return FlowchartRef("attachment", response.urljoin(embedded), title)
    image_link = next((l.url for l in links if url_extension(l.url) in IMAGE_EXTENSIONS), None)
    if image_link:
        return FlowchartRef("image", image_link, title)
    return FlowchartRef("none", None, title)


def _chart_image(element) -> str | None:
    """The first content image in `element` that is not an attachment's file-type icon; when it
    is a thumbnail linking to an image file, that file (what a reader opens to read the chart)."""
    for img in element.iter("img"):
        if not _is_file_icon(img) and (src := content_image(img)):
            link = next(img.iterancestors("a"), None)
            href = (link.get("href") or "").strip() if link is not None else ""
            return href if url_extension(href) in IMAGE_EXTENSIONS else src
    return None


def _embedded_file(element) -> str | None:
    """A document shown in the page by a viewer (<iframe>/<embed>/<object> of a .pdf): an attachment."""
    for node in element.iter("iframe", "embed", "object"):
        url = (node.get("src") or node.get("data") or "").strip()
        if url and is_attachment_url(url) and not in_chrome(node):
            return url
    return None


def _is_file_icon(img) -> bool:
    src = (img.get("data-original") or img.get("data-src") or img.get("src") or "").strip()
    stem = src.split("?")[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if _FILE_ICON_STEM.match(stem):
        return True
    sides = [int(v) for v in (img.get("width"), img.get("height")) if v and v.strip().isdigit()]
    if sides and max(sides) <= _ICON_MAX_SIDE:
        return True
    link = next((a for a in img.iterancestors("a")), None)
    return link is not None and is_attachment_url(link.get("href") or "")   # the attachment's own icon


def _inline_blocks(root) -> list[tuple[str, object]]:
    """(title, block) for each heading that heads a block of its own: the largest element
    holding that heading and no other, and at most a couple of links."""
    blocks = []
    for heading in root.iter(*_HEADINGS):
        title = element_text(heading)
        if not title or in_chrome(heading) or not _WORKFLOW_WORDS.search(title):
            continue
        block = heading
        while _widens_block(block.getparent()):
            block = block.getparent()
        if block is not heading and _is_workflow_block(block, heading):
            blocks.append((title, block))
    return blocks


def _widens_block(parent) -> bool:
    """True when a heading's block may grow into `parent`: no other heading, no page links."""
    return (parent is not None and parent.tag != "body" and _count_headings(parent) == 1
            and all(_is_file(a.get("href")) for a in anchors(parent)))


def _is_workflow_block(block, heading) -> bool:
    """A heading with something of its own below (a chart, a file, a line of text), and no
    links to pages (a heading over a list of links is a page title, not one workflow)."""
    links = [a.get("href") for a in anchors(block)]
    if len(links) > _MAX_BLOCK_LINKS or any(not _is_file(href) for href in links):
        return False
    rest = len(element_text(block)) - len(element_text(heading))
    return rest >= 2 or _chart_image(block) is not None or bool(links)


def _is_file(href: str) -> bool:
    return is_attachment_url(href) or url_extension(href) in IMAGE_EXTENSIONS


def _count_headings(element) -> int:
    return sum(1 for _ in element.iter(*_HEADINGS))


def _flowchart_in(block, title: str, response) -> FlowchartRef:
    image = _chart_image(block)
    if image:
        return FlowchartRef("image", response.urljoin(image), title)
    for anchor in anchors(block):
        url = response.urljoin(anchor.get("href").strip())
        if is_attachment_url(url):
            return FlowchartRef("attachment", url, title)
        if url_extension(url) in IMAGE_EXTENSIONS:
            return FlowchartRef("image", url, title)
    embedded = _embedded_file(block)
    if embedded:
        return FlowchartRef("attachment", response.urljoin(embedded), title)
    return FlowchartRef("none", None, title)


# The words of a link that only says what a click does ("点击查看流程图", "下载"): the item's
# title is then printed beside it.
_CLICK_LABEL = re.compile(r"^(?:请)?(?:点击|单击)?(?:查看|浏览|打开|下载)")


def _linked_items(response) -> list[WorkflowItem]:
    """The best group of sibling links whose titles are mostly workflow titles. A row whose
    link goes straight to the chart (an image or a file) carries that chart itself."""
    best: list[WorkflowItem] = []
    for items in sibling_groups(body_of(response)):
        if in_chrome(items[0]):
            continue
        linked = []
        for item in items:
            anchor, label = title_anchor(item)
            url = response.urljoin(anchor.get("href").strip())
            if url == response.url:
                continue
            title = _title_beside(item, anchor, label, direct=_is_file(url))
            if is_attachment_url(url):
                linked.append(WorkflowItem(title, response.url, FlowchartRef("attachment", url, title), None))
            elif url_extension(url) in IMAGE_EXTENSIONS:
                linked.append(WorkflowItem(title, response.url, FlowchartRef("image", url, title), None))
            else:
                linked.append(WorkflowItem(title, url, None, PageRequest(url)))
        worded = sum(1 for item in linked if _WORKFLOW_WORDS.search(item.title))
        if linked and worded / len(linked) >= 0.6 and len(linked) > len(best):
            best = linked
    return best


def _title_beside(item, anchor, label: str, direct: bool) -> str:
    """The item's title: the link's own words, unless they only say what a click does (or the
    link is the chart's file, "行政处罚流程图.xls") and the item prints a workflow title beside it."""
    if item is anchor or not (direct or _CLICK_LABEL.match(label)):
        return label
    beside = re.split(r"[\s（(]+", clean(text_outside(item, anchor)))
    return next((piece for piece in beside if _WORKFLOW_WORDS.search(piece)), label)
