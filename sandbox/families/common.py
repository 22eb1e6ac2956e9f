"""What the four template families share: requests and responses, routing, and
the content blocks every CMS shows in its own chrome (leaders, workflows, letters,
article bodies), plus serving media, attachments and error pages.

A family is a `SiteRenderer` subclass that decides its URL scheme, its chrome,
its list pages and pagination. The base class walks the model once per site and
registers every servable path with the function that renders it, so links and
routes come from the same URL functions and never disagree.
"""
from __future__ import annotations

import html
import math
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial
from typing import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from sandbox import media
from sandbox.model import Article, Attachment, Column, Leader, Link, Site, Unit, Web, Workflow, newest

HUGE_ATTACHMENT_BYTES = 300 * 1024 * 1024
LETTERS_PER_PAGE = 15
# Outside sites body links and footers point at (never fetched by the tests).
FRIENDLY_LINKS = {"http://www.gov.cn/": "中国政府网", "http://www.hubei.gov.cn/": "湖北省人民政府",
                  "http://www.enshi.gov.cn/": "恩施州人民政府", "http://www.miit.gov.cn/": "工业和信息化部"}
EXTERNAL_SITES = tuple(FRIENDLY_LINKS)
IMAGE_PHOTO_KINDS = ("good", "tiny", "blurred", "truncated", "bomb")
SOFT_404_TEXT = "对不起，您访问的页面不存在或已被删除！"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None   # server sends Last-Modified + handles If-Modified-Since
    stream_bytes: int = 0                   # >0: server streams this many filler bytes instead of body


# ---------------------------------------------------------------- small helpers

def esc(text: str) -> str:
    return html.escape(text, quote=True)


def route_key(path: str, query: dict[str, list[str]]) -> str:
    """One spelling per page: the path plus its query sorted by name."""
    pairs = sorted((name, value) for name, values in query.items() for value in values)
    return path + ("?" + urlencode(pairs) if pairs else "")


def key_of(url_path: str) -> str:
    if "?" not in url_path:
        return url_path
    parts = urlsplit(url_path)
    return route_key(parts.path, parse_qs(parts.query, keep_blank_values=True))


def stable_pick(options, *keys):
    """A choice that depends only on the keys (not on Python's salted hash())."""
    digest = zlib.crc32("|".join(str(key) for key in keys).encode("utf-8"))
    return options[digest % len(options)]


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / max(1, per_page)))


def page_slice(items: list, page: int, per_page: int) -> list:
    return items[(page - 1) * per_page: page * per_page]


def relative_to(page_dir: str, target: str) -> str:
    """`./rest` when target sits under page_dir (a TRS habit), else the absolute path."""
    return "./" + target[len(page_dir):] if target.startswith(page_dir) else target


def day_time(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, 1, 30, tzinfo=timezone.utc) if day else None


def shorten(title: str, limit: int, ellipsis: str = "…") -> str:
    return title if len(title) <= limit else title[:limit] + ellipsis


def format_date(day: date, style: str, seed: int = 0) -> str:
    """An entry's date the way a list of `style` (Column.date_style) writes it."""
    if style == "iso_short":
        return f"{day.year}-{day.month}-{day.day}"
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "spaced":
        return f" {day.year} - {day:%m} - {day:%d} " if seed % 2 else f"{day.year}年 {day.month}月{day.day}日 "
    if style == "bracket_md":
        return f"[{day:%m-%d}]"
    return f"{day:%Y-%m-%d}"


def list_date(column: Column, article: Article) -> str:
    """The date text a list shows for the article; empty when the list shows none."""
    if article.date is None or not article.date_in_list or column.date_style == "detail_only":
        return ""
    return format_date(article.date, column.date_style, article.id)


def appointment_sentence(article: Article) -> str:
    """任免 notices as county personnel articles word them."""
    parts = []
    for appointment in article.appointments:
        if appointment.action == "任":
            parts.append(f"任命{appointment.person}同志为{appointment.post}")
        else:
            parts.append(f"免去{appointment.person}同志{appointment.post}职务")
    return "；".join(parts) + "。" if parts else ""


def media_response(make: Callable[..., tuple[bytes, str]], *args) -> Response:
    """Serve what a sandbox.media function draws (drawn on request, not when routes are built)."""
    body, content_type = make(*args)
    return Response(body=body, content_type=content_type)


# ---------------------------------------------------------------- the renderer

class SiteRenderer:
    """One site of one family: its routes and its pages."""

    family = ""
    HOME = "/"          # the home page's path (a constant per family: entry_url needs no routes)
    SECTION_ENTRY = False   # True: each unit's entry URL is its section page (a platform of many units)
    leader_layouts: tuple[str, ...] = ("table",)
    workflow_layouts: tuple[str, ...] = ("inline",)

    def __init__(self, web: Web, site: Site):
        self.web, self.site = web, site
        self.units = [web.unit(unit_id) for unit_id in site.units]
        self.is_portal = web.portal_unit in site.units
        self.static: dict[str, Callable[[], Response]] = {}
        self.dynamic: dict[str, Callable[[Request], Response]] = {}
        self.params_of: dict[str, set[str]] = {}   # path -> the query parameter names its routes use
        self.register_site()
        for unit in self.units:
            self.register_unit(unit)

    # ---- serving

    def respond(self, request: Request) -> Response:
        handler = self.static.get(route_key(request.path, request.query)) or self.static.get(
            self.meaningful_key(request))
        if handler is not None:
            return handler()
        if request.path in self.dynamic:
            return self.dynamic[request.path](request)
        if request.path == "/robots.txt":
            return Response(body=b"User-agent: *\nDisallow: /admin/\nDisallow: /system/\n",
                            content_type="text/plain")
        return self.html(self.not_found_page(), status=404)

    def meaningful_key(self, request: Request) -> str:
        """The route key without the query parameters this path never uses (?from=menu, ?_=123),
        which a real server ignores."""
        used = self.params_of.get(request.path, set())
        return route_key(request.path, {k: v for k, v in request.query.items() if k in used})

    def add(self, url_path: str, handler: Callable[[], Response]) -> None:
        key = key_of(url_path)
        self.static[key] = handler
        path, _, query = url_path.partition("?")
        used = self.params_of.setdefault(path, set())
        if query:
            used.update(parse_qs(query, keep_blank_values=True))

    def add_page(self, url_path: str, render: Callable[..., str], *args, modified: date | None = None) -> None:
        self.add(url_path, lambda: self.html(render(*args), modified=modified))

    def html(self, text: str, status: int = 200, modified: date | None = None) -> Response:
        body = text.encode(self.site.encoding, errors="xmlcharrefreplace")
        return Response(status=status, body=body, content_type=self.content_type(),
                        last_modified=day_time(modified))

    def content_type(self) -> str:
        if self.site.encoding != "utf-8" and "gbk_no_header" in self.site.hostile:
            return "text/html"
        return f"text/html; charset={self.site.encoding}"

    @property
    def meta_charset(self) -> str:
        return "utf-8" if self.site.encoding == "utf-8" else "gb2312"

    # ---- the URL scheme: each family defines these

    def home_path(self) -> str:
        return self.HOME

    def section_path(self, unit: Unit) -> str:
        raise NotImplementedError

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        raise NotImplementedError

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        raise NotImplementedError

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        raise NotImplementedError

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        raise NotImplementedError

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        raise NotImplementedError

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        raise NotImplementedError

    def leader_page_path(self, unit: Unit, index: int) -> str:
        raise NotImplementedError   # only families offering the "pages" leader layout

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        raise NotImplementedError   # only families offering the "pages" workflow layout

    def gone_path(self, article: Article, index: int) -> str:
        """Where a body link that no longer works points (a 404 or a soft-404)."""
        return f"/html/{article.id % 7 + 2005}/{article.id}{index:02d}.html"

    def placeholder_path(self, width: int, height: int) -> str:
        return f"/images/nopic_{width}x{height}.jpg"

    # ---- pages: each family defines these (they return HTML text)

    def home_page(self) -> str:
        raise NotImplementedError

    def section_page(self, unit: Unit) -> str:
        raise NotImplementedError

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        raise NotImplementedError

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        raise NotImplementedError

    def leaders_page(self, unit: Unit, column: Column) -> str:
        raise NotImplementedError

    def workflows_page(self, unit: Unit, column: Column) -> str:
        raise NotImplementedError

    def mailbox_page(self, unit: Unit, page: int) -> str:
        raise NotImplementedError

    def leader_page(self, unit: Unit, index: int) -> str:
        raise NotImplementedError

    def workflow_page(self, unit: Unit, index: int) -> str:
        raise NotImplementedError

    # ---- registration

    def register_site(self) -> None:
        for path in dict.fromkeys([self.home_path(), "/"]):
            self.add_page(path, self.home_page)

    def register_unit(self, unit: Unit) -> None:
        self.add_page(self.section_path(unit), self.section_page, unit,
                      modified=newest([a for c in unit.columns for a in c.articles]))
        for column in unit.columns:
            if column.role == "leaders":
                self.register_leaders(unit, column)
            elif column.role == "workflows":
                self.register_workflows(unit, column)
            else:
                self.register_list(unit, column)
        if unit.letters is not None:
            for page in range(1, page_count(len(unit.letters), LETTERS_PER_PAGE) + 1):
                self.add_page(self.mailbox_path(unit, page), self.mailbox_page, unit, page)

    def register_list(self, unit: Unit, column: Column) -> None:
        for page in range(1, page_count(len(column.articles), column.per_page) + 1):
            shown = page_slice(column.articles, page, column.per_page)
            self.add_page(self.column_path(unit, column, page), self.list_page, unit, column, page,
                          modified=newest(shown))
        for article in column.articles:
            self.register_article(unit, column, article)

    def register_article(self, unit: Unit, column: Column, article: Article) -> None:
        self.add_page(self.article_path(unit, column, article), self.article_page, unit, column, article,
                      modified=article.date)
        for index, attachment in enumerate(article.attachments):
            served = self.attachment_response(attachment, article.id * 10 + index)
            if served is not None:
                self.add(self.attachment_path(unit, column, article, index), served)
        for index, link in enumerate(article.links):
            if link.state == "soft_404":
                self.add(self.gone_path(article, index), lambda: self.html(self.soft_404_page()))

    def register_leaders(self, unit: Unit, column: Column) -> None:
        self.add_page(self.column_path(unit, column), self.leaders_page, unit, column)
        layout = self.leader_layout(unit)
        for index, leader in enumerate(unit.leaders):
            if layout == "pages":
                self.add_page(self.leader_page_path(unit, index), self.leader_page, unit, index)
            self.register_photo(unit, index, leader)

    def register_photo(self, unit: Unit, index: int, leader: Leader) -> None:
        photo = leader.photo
        if photo.kind in IMAGE_PHOTO_KINDS:
            self.add(self.photo_path(unit, index, leader),
                     partial(media_response, media.photo_bytes, photo.kind, photo.width, photo.height, photo.seed))
        elif photo.kind == "placeholder":
            self.add(self.placeholder_path(photo.width, photo.height),
                     partial(media_response, media.photo_bytes, photo.kind, photo.width, photo.height, 0))
        elif photo.kind == "html":
            self.add(self.photo_path(unit, index, leader), lambda: self.html(self.error_page()))

    def register_workflows(self, unit: Unit, column: Column) -> None:
        self.add_page(self.column_path(unit, column), self.workflows_page, unit, column)
        layout = self.workflow_layout(unit)
        for index, workflow in enumerate(unit.workflows):
            if layout == "pages":
                self.add_page(self.workflow_page_path(unit, index), self.workflow_page, unit, index)
            self.register_flowchart(unit, index, workflow)

    def register_flowchart(self, unit: Unit, index: int, workflow: Workflow) -> None:
        chart = workflow.flowchart
        link = self.flowchart_link(unit, index, workflow)
        if link is None or chart.kind == "broken_404":
            return
        if chart.kind.startswith("image_"):
            self.add(link[1], partial(media_response, media.flowchart_bytes, chart.kind, chart.width, chart.height,
                                      chart.seed))
        elif chart.kind == "broken_empty":
            self.add(link[1], partial(Response, body=b"", content_type=media.ATTACHMENT_TYPES["doc"]))
        else:
            self.add(link[1], partial(media_response, media.attachment_bytes, self.flowchart_ext(workflow),
                                      workflow.title, chart.seed))

    def attachment_response(self, attachment: Attachment, seed: int) -> Callable[[], Response] | None:
        content_type = media.ATTACHMENT_TYPES.get(attachment.ext.lower(), "application/octet-stream")
        if attachment.state == "404":
            return None
        if attachment.state == "empty":
            return partial(Response, body=b"", content_type=content_type)
        if attachment.state == "huge":
            return partial(Response, content_type=content_type, stream_bytes=HUGE_ATTACHMENT_BYTES)
        return partial(media_response, media.attachment_bytes, attachment.ext, attachment.name, seed)

    # ---- choices a site makes once (stable per site/unit)

    def leader_layout(self, unit: Unit) -> str:
        return stable_pick(self.leader_layouts, self.site.id, unit.id, "leaders")

    def workflow_layout(self, unit: Unit) -> str:
        return stable_pick(self.workflow_layouts, self.site.id, unit.id, "workflows")

    @staticmethod
    def column_number(unit: Unit, column: Column) -> int:
        """The column's place in its unit (by identity: comparing dataclasses field by field is slow)."""
        return next(i for i, c in enumerate(unit.columns) if c is column)

    def leaders_column(self, unit: Unit) -> Column | None:
        return next((c for c in unit.columns if c.role == "leaders"), None)

    def workflows_column(self, unit: Unit) -> Column | None:
        return next((c for c in unit.columns if c.role == "workflows"), None)

    def site_name(self) -> str:
        """The name in the site's banner: the portal's, or the government or department of its unit."""
        if self.is_portal:
            return "建始网"
        unit = self.units[0]
        return f"{unit.name}人民政府" if unit.kind == "乡镇" else f"建始县{unit.name}"

    @staticmethod
    def photo_ext(leader: Leader) -> str:
        return "png" if leader.photo.kind == "bomb" else "jpg"

    def mailbox_label(self, unit: Unit) -> str:
        if unit.kind == "门户":
            return "县长信箱"
        if unit.kind == "乡镇":
            return stable_pick(("书记信箱", "镇长信箱", "网上信访"), unit.id)
        return stable_pick(("局长信箱", "网上信访", "部门信箱"), unit.id)

    # ---- links shown in pages

    def photo_src(self, unit: Unit, index: int, leader: Leader) -> str | None:
        """The <img src> of a leader's photo; None when the page shows no photo."""
        if leader.photo.kind == "none":
            return None
        if leader.photo.kind == "placeholder":
            return self.placeholder_path(leader.photo.width, leader.photo.height)
        return self.photo_path(unit, index, leader)

    def flowchart_ext(self, workflow: Workflow) -> str:
        chart = workflow.flowchart
        if chart.kind.startswith("attachment_"):
            return chart.kind.removeprefix("attachment_")
        if chart.kind.startswith("image_"):
            return "png" if media.flowchart_is_png(chart.seed) else "jpg"
        if chart.kind == "broken_404":
            return stable_pick(("jpg", "doc", "pdf"), chart.seed)
        return "doc"

    def flowchart_link(self, unit: Unit, index: int, workflow: Workflow) -> tuple[str, str] | None:
        """("img" | "a", path) of the workflow's flowchart; None when it has none."""
        if workflow.flowchart.kind == "none":
            return None
        ext = self.flowchart_ext(workflow)
        tag = "img" if ext in ("jpg", "png") else "a"
        return tag, self.flowchart_path(unit, index, workflow, ext)

    def body_link_href(self, unit: Unit, article: Article, index: int, link: Link) -> str:
        if link.state == "external":
            return stable_pick(EXTERNAL_SITES, article.id, index)
        if link.state in ("404", "soft_404"):
            return self.gone_path(article, index)
        return self.section_path(unit)

    # ---- shared content blocks

    def column_menu(self, unit: Unit, item: Callable[[Column], str]) -> str:
        """The unit's columns as nested lists: a group's columns under the group, where it first appears."""
        slots: dict[object, list[Column]] = {}
        for column in unit.columns:
            slots.setdefault(column.group or id(column), []).append(column)
        parts = []
        for slot, columns in slots.items():
            items = "".join(f"<li>{item(c)}</li>" for c in columns)
            parts.append(f"<li><span>{esc(slot)}</span><ul>{items}</ul></li>" if isinstance(slot, str) else items)
        return f"<ul class=\"menu\">{''.join(parts)}</ul>"

    def article_body(self, unit: Unit, article: Article) -> str:
        paragraphs = [p for p in article.body.split("\n") if p.strip()]
        notice = appointment_sentence(article)
        if notice and not all(a.person in article.body for a in article.appointments):
            paragraphs.append(notice)
        parts = [f"<p>{esc(p)}</p>" for p in paragraphs]
        for index, link in enumerate(article.links):
            href = self.body_link_href(unit, article, index, link)
            parts.append(f"<p>相关链接：<a href=\"{esc(href)}\" target=\"_blank\">{esc(link.text)}</a></p>")
        return "\n".join(parts)

    def leader_block(self, unit: Unit, layout: str, href: Callable[[str], str] = str) -> str:
        """The leaders of `unit` in one of the shared layouts: table, cards, dl or pages."""
        if layout == "pages":
            items = "".join(
                f"<li><a href=\"{href(self.leader_page_path(unit, i))}\">{esc(leader.name)}</a>"
                f"&nbsp;&nbsp;{esc(leader.post)}</li>" for i, leader in enumerate(unit.leaders))
            return f"<ul class=\"ldlist\">{items}</ul>"
        render = {"table": self._leader_row, "cards": self._leader_card, "dl": self._leader_dl}[layout]
        rows = "\n".join(render(leader, self._img(self.photo_src(unit, i, leader), leader.name, href))
                         for i, leader in enumerate(unit.leaders))
        if layout == "table":
            return ("<table class=\"ld\" width=\"100%\" border=\"1\" cellspacing=\"0\">"
                    "<tr><th>照片</th><th>姓名</th><th>职务</th><th>分管工作</th></tr>\n"
                    f"{rows}</table>")
        return f"<div class=\"leaders\">{rows}</div>"

    def leader_detail(self, unit: Unit, index: int, href: Callable[[str], str] = str) -> str:
        leader = unit.leaders[index]
        image = self._img(self.photo_src(unit, index, leader), leader.name, href)
        return (f"<div class=\"ld-detail\"><div class=\"pic\">{image}</div>"
                f"<h2>{esc(leader.name)}</h2><p>职　　务：{esc(leader.post)}</p>"
                f"<p>分管工作：{esc(leader.duties)}</p></div>")

    @staticmethod
    def _img(src: str | None, alt: str, href: Callable[[str], str]) -> str:
        return "" if src is None else f"<img src=\"{esc(href(src))}\" alt=\"{esc(alt)}\" border=\"0\" />"

    @staticmethod
    def _leader_row(leader: Leader, image: str) -> str:
        return (f"<tr><td align=\"center\">{image}</td><td>{esc(leader.name)}</td>"
                f"<td>{esc(leader.post)}</td><td>{esc(leader.duties)}</td></tr>")

    @staticmethod
    def _leader_card(leader: Leader, image: str) -> str:
        return (f"<div class=\"ld-item\"><div class=\"pic\">{image}</div><div class=\"info\">"
                f"<h4>{esc(leader.name)}</h4><p>职务：{esc(leader.post)}</p>"
                f"<p>分管工作：{esc(leader.duties)}</p></div></div>")

    @staticmethod
    def _leader_dl(leader: Leader, image: str) -> str:
        return (f"<dl class=\"leader\"><dt>{image}</dt><dd><b>{esc(leader.name)}</b></dd>"
                f"<dd>{esc(leader.post)}</dd><dd>{esc(leader.duties)}</dd></dl>")

    def workflow_block(self, unit: Unit, index: int, href: Callable[[str], str] = str) -> str:
        """One workflow: its title and its flowchart (image, attachment link or nothing)."""
        workflow = unit.workflows[index]
        link = self.flowchart_link(unit, index, workflow)
        if link is None:
            chart = "<p>流程图：暂无</p>"
        elif link[0] == "img":
            chart = f"<p align=\"center\"><img src=\"{esc(href(link[1]))}\" border=\"0\" /></p>"
        else:
            name = f"{workflow.title}.{self.flowchart_ext(workflow)}"
            chart = f"<p>附件：<a href=\"{esc(href(link[1]))}\">{esc(name)}</a></p>"
        return f"<div class=\"lct\"><h3>{esc(workflow.title)}</h3>{chart}</div>"

    def workflow_index(self, unit: Unit, href: Callable[[str], str] = str) -> str:
        items = "".join(f"<li><a href=\"{esc(href(self.workflow_page_path(unit, i)))}\">{esc(w.title)}</a></li>"
                        for i, w in enumerate(unit.workflows))
        return f"<ul class=\"lclist\">{items}</ul>"

    def workflows_content(self, unit: Unit, href: Callable[[str], str] = str) -> str:
        if self.workflow_layout(unit) == "pages":
            return self.workflow_index(unit, href)
        return "\n".join(self.workflow_block(unit, i, href) for i in range(len(unit.workflows)))

    def letters_table(self, unit: Unit, page: int) -> str:
        rows = "\n".join(
            f"<tr><td>{letter.id}</td><td>{esc(letter.title)}</td><td>{letter.received:%Y-%m-%d}</td>"
            f"<td>{esc(letter.status)}</td><td>{letter.answered or ''}</td></tr>"
            for letter in page_slice(unit.letters or [], page, LETTERS_PER_PAGE))
        return ("<table class=\"xj\" width=\"100%\"><tr><th>编号</th><th>信件标题</th><th>来信时间</th>"
                f"<th>办理状态</th><th>回复时间</th></tr>\n{rows}</table>")

    @staticmethod
    def friendly_links() -> str:
        links = "".join(f"<a href=\"{url}\" target=\"_blank\">{name}</a> " for url, name in FRIENDLY_LINKS.items())
        return f"<div class=\"yqlj\">友情链接：{links}</div>"

    # ---- error pages

    def not_found_page(self) -> str:
        return ("<html><head><title>404 Not Found</title></head><body><h1>404 页面不存在</h1>"
                "<p>The requested URL was not found on this server.</p></body></html>")

    def soft_404_page(self) -> str:
        return (f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\">"
                f"<title>提示信息</title></head><body><div class=\"error\"><p>{SOFT_404_TEXT}</p>"
                "<p>您访问的页面不存在，<a href=\"/\">返回首页</a></p></div></body></html>")

    def error_page(self) -> str:
        return (f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\">"
                "<title>系统提示</title></head><body><p>系统繁忙，请稍后再试。</p></body></html>")
