"""A workflow item's page (工作流程): how its flowchart is shown.

An inline content image (not a logo, icon or spacer) is an "image"; else a link
to a file (doc, pdf, xls ...) is an "attachment"; a link straight to an image
file counts as an image; else "none" (a workflow without a flowchart).
"""
from __future__ import annotations

from dataclasses import dataclass

from crawler.extract.detail import body_links, content_root, page_title
from crawler.extract.text import IMAGE_EXTENSIONS, body_of, content_image, url_extension


@dataclass(frozen=True)
class FlowchartRef:
    kind: str            # image | attachment | none
    url: str | None
    title: str


def parse_flowchart(response) -> FlowchartRef:
    root = body_of(response)
    content = content_root(root)
    title = page_title(response)
    image = content_image(content) or content_image(root)
    if image:
        return FlowchartRef("image", response.urljoin(image), title)
    attachments, links = body_links(response, content)
    if attachments:
        return FlowchartRef("attachment", attachments[0].url, title)
    image_link = next((l.url for l in links if url_extension(l.url) in IMAGE_EXTENSIONS), None)
    if image_link:
        return FlowchartRef("image", image_link, title)
    return FlowchartRef("none", None, title)
