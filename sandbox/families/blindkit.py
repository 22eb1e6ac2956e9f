"""What the four blind families share: a per-site (or per-unit) `Look` that varies the markup, and
the content blocks (menus, list items, dates, leaders, flowcharts, letters, empty and static pages)
written several ways, so that no extractor can key on one site's class names or layout.
"""
from __future__ import annotations

import io
from datetime import date
from functools import lru_cache, partial

from PIL import Image

from sandbox import media
from sandbox.families.common import (LETTERS_PER_PAGE, Response, SiteRenderer, esc, media_response, page_count,
                                     page_slice, stable_pick)
from sandbox.model import Article, Column, Leader, Unit, newest

EMPTY_TEXTS = ("暂无信息", "暂无内容", "该栏目正在建设中，敬请期待……", "暂无相关信息！")
STATIC_COLUMNS = ("政府信息公开指南", "政府信息公开制度", "机构职能")


def fmt_date(day: date, style: str) -> str:
    if style == "cn":
        return f"{day.year}年{day:%m}月{day:%d}日"
    if style == "slash":
        return f"{day:%Y/%m/%d}"
    if style == "dot":
        return f"{day:%Y.%m.%d}"
    if style == "short":
        return f"{day.year}-{day.month}-{day.day}"
    return f"{day:%Y-%m-%d}"


class Look:
    """Names and shapes one site (or one unit of a platform) uses."""

    def __init__(self, *keys):
        def pick(options, tag):
            return stable_pick(options, *keys, tag)
        self.wrap = pick(("wrap", "container", "w1200", "main-box", "page-wrap", "mainContent"), "wrap")
        self.inner = pick(("inner", "box", "con", "bd", "panel-body", "content-box"), "inner")
        self.depth = pick((1, 2, 3), "depth")
        self.list_cls = pick(("list", "news_list", "lb-list", "xxgk-list", "article-list", "infolist", "nlist"), "list")
        self.date_cls = pick(("date", "time", "fr", "rq", "pubtime", "right"), "datecls")
        self.date_label = pick(("发布时间", "发布日期", "日期", "时间"), "label")
        self.date_fmt = pick(("iso", "cn", "slash", "dot", "short", "iso"), "fmt")
        self.date_pos = pick(("after", "before", "table", "below"), "pos")
        self.menu = pick(("tree", "tabs", "dropdown", "table"), "menu")
        self.side_id = pick(("leftnav", "side-menu", "lmenu", "tree-nav", "subnav", "zTree"), "side")
        self.title_attr = pick((True, False), "titleattr")
        self.meta_shape = pick(("line", "cells", "spans"), "meta")
        self.icon = pick((True, True, False), "icon")
        self.empty_text = pick(EMPTY_TEXTS, "empty")

    def nest(self, html: str) -> str:
        """The page's main content inside `depth` wrappers."""
        names = [self.wrap, self.inner, "clearfix"][: self.depth]
        for name in reversed(names):
            html = f"<div class=\"{name}\">{html}</div>"
        return html


@lru_cache(maxsize=8)
def icon_gif(ext: str) -> bytes:
    """The editor's 16 px file-type icon (not a flowchart)."""
    colour = {"doc": (43, 87, 154), "pdf": (200, 30, 30), "xls": (30, 120, 60)}.get(ext, (120, 120, 120))
    out = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(out, format="GIF")
    return out.getvalue()


class BlindRenderer(SiteRenderer):
    """Routes of the blind families: the mailbox column, static pages, icons, per-leader placeholders."""

    placeholder_per_leader = False
    FLOW_STEPS = ("申请人提出申请", "窗口受理并审查材料", "承办股室审核", "分管领导审批", "作出决定并送达")

    def look(self, unit: Unit | None = None) -> Look:
        return Look(self.site.id)

    def leader_layout(self, unit: Unit) -> str:
        """Taken in turn along the web's units, so every family shows each of its layouts."""
        place = next(i for i, u in enumerate(self.web.units) if u.id == unit.id)
        return self.leader_layouts[place % len(self.leader_layouts)]

    # ---- registration

    def register_site(self) -> None:
        super().register_site()
        for ext in ("doc", "pdf", "xls"):
            self.add(self.icon_path(ext), partial(Response, body=icon_gif(ext), content_type="image/gif"))

    def register_unit(self, unit: Unit) -> None:
        """As the base class, the mailbox column aside (its pages are the letters')."""
        self.add_page(self.section_path(unit), self.section_page, unit,
                      modified=newest([a for c in unit.columns for a in c.articles]))
        for column in unit.columns:
            if column.role == "leaders":
                self.register_leaders(unit, column)
            elif column.role == "workflows":
                self.register_workflows(unit, column)
            elif column.role != "mailbox":
                self.register_list(unit, column)
        if unit.letters is not None:
            for page in range(1, page_count(len(unit.letters), LETTERS_PER_PAGE) + 1):
                self.add_page(self.mailbox_path(unit, page), self.mailbox_page, unit, page)

    def register_list(self, unit: Unit, column: Column) -> None:
        if self.is_static_page(unit, column):
            self.add_page(self.column_path(unit, column), self.static_page, unit, column)
            return
        super().register_list(unit, column)

    def register_photo(self, unit: Unit, index: int, leader: Leader) -> None:
        photo = leader.photo
        if photo.kind == "placeholder" and self.placeholder_per_leader:
            self.add(self.photo_path(unit, index, leader),
                     partial(media_response, media.photo_bytes, "placeholder", photo.width, photo.height, 0))
            return
        super().register_photo(unit, index, leader)

    def photo_src(self, unit: Unit, index: int, leader: Leader) -> str | None:
        if leader.photo.kind == "placeholder" and self.placeholder_per_leader:
            return self.photo_path(unit, index, leader)
        return super().photo_src(unit, index, leader)

    def icon_path(self, ext: str) -> str:
        return f"/images/fileicon/icon_{ext}.gif"

    @staticmethod
    def is_static_page(unit: Unit, column: Column) -> bool:
        """指南 / 制度 / 机构职能 given as one page of text (the generator gave them one article with a body)."""
        return (column.ref in STATIC_COLUMNS and len(column.articles) == 1
                and "\n" in column.articles[0].body)

    def mailbox_column(self, unit: Unit) -> Column | None:
        return next((c for c in unit.columns if c.role == "mailbox"), None)

    def mailbox_label(self, unit: Unit) -> str:
        column = self.mailbox_column(unit)
        return column.label if column else super().mailbox_label(unit)

    # ---- menus

    def menu_html(self, unit: Unit, href, look: Look, current: Column | None = None) -> str:
        """The unit's columns as a tree, tabs, a drop-down or a table of links (the mailbox among them)."""
        def link(c: Column) -> str:
            cls = " class=\"on\"" if c is current else ""
            return f"<a href=\"{esc(href(c))}\"{cls}>{esc(c.label)}</a>"
        loose = [c for c in unit.columns if not c.group]
        groups: dict[str, list[Column]] = {}
        for c in unit.columns:
            if c.group:
                groups.setdefault(c.group, []).append(c)
        if look.menu == "tree":
            inner = "".join(f"<li class=\"leaf\">{link(c)}</li>" for c in loose)
            inner += "".join(f"<li class=\"node open\"><span class=\"folder\">{esc(g)}</span><ul>"
                             + "".join(f"<li>{link(c)}</li>" for c in cs) + "</ul></li>" for g, cs in groups.items())
            return f"<div id=\"{look.side_id}\" class=\"tree\"><ul class=\"root\">{inner}</ul></div>"
        if look.menu == "tabs":
            tabs = "".join(f"<span class=\"tab\">{link(c)}</span>" for c in loose)
            tabs += "".join(f"<div class=\"tab-group\"><b>{esc(g)}</b> " + " ".join(link(c) for c in cs) + "</div>"
                            for g, cs in groups.items())
            return f"<div class=\"tabs\" id=\"{look.side_id}\">{tabs}</div>"
        if look.menu == "dropdown":
            items = "".join(f"<li>{link(c)}</li>" for c in loose)
            items += "".join(f"<li class=\"has-sub\"><a href=\"javascript:;\">{esc(g)}<i class=\"arrow\"></i></a>"
                             f"<div class=\"sub-menu\" style=\"display:none\">" + "".join(link(c) for c in cs)
                             + "</div></li>" for g, cs in groups.items())
            return (f"<ul class=\"dropdown-nav\" id=\"{look.side_id}\" onmouseover=\"showSub(this)\">{items}</ul>")
        cells = [link(c) for c in loose] + [link(c) for cs in groups.values() for c in cs]
        rows = "".join("<tr>" + "".join(f"<td width=\"25%\">{cell}</td>" for cell in cells[i:i + 4]) + "</tr>"
                       for i in range(0, len(cells), 4))
        return f"<table class=\"mltable\" id=\"{look.side_id}\" width=\"100%\" cellpadding=\"4\">{rows}</table>"

    # ---- lists

    def list_items(self, unit: Unit, column: Column, page: int, href, look: Look, dated: bool = True,
                   split: int = 0) -> str:
        """A list page's entries; `split` > 0: sibling <ul> blocks of that many entries."""
        shown = page_slice(column.articles, page, column.per_page)
        rows = []
        for article in shown:
            day = fmt_date(article.date, look.date_fmt) if dated and article.date else ""
            title = esc(article.title)
            attr = f" title=\"{title}\"" if look.title_attr else ""
            anchor = f"<a href=\"{esc(href(article))}\" target=\"_blank\"{attr}>{title}</a>"
            if look.date_pos == "table":
                rows.append(f"<tr><td class=\"bt\">{anchor}</td><td class=\"{look.date_cls}\" width=\"110\">{day}</td></tr>")
            elif look.date_pos == "before":
                rows.append(f"<li><span class=\"{look.date_cls}\">{day}</span>{anchor}</li>" if day else f"<li>{anchor}</li>")
            elif look.date_pos == "below":
                rows.append(f"<li>{anchor}<p class=\"info\">{look.date_label}：{day}</p></li>" if day
                            else f"<li>{anchor}</li>")
            else:
                rows.append(f"<li>{anchor}<span class=\"{look.date_cls}\">{day}</span></li>" if day else f"<li>{anchor}</li>")
        if look.date_pos == "table":
            return f"<table class=\"{look.list_cls}\" width=\"100%\">{''.join(rows)}</table>"
        if split:
            return "".join(f"<ul class=\"{look.list_cls}\">{''.join(rows[i:i + split])}</ul>"
                           for i in range(0, len(rows), split))
        return f"<ul class=\"{look.list_cls}\">{''.join(rows)}</ul>"

    def empty_block(self, look: Look) -> str:
        return f"<div class=\"{look.list_cls} nodata\"><p style=\"text-align:center;color:#999\">{look.empty_text}</p></div>"

    def numbered_pager(self, pages: int, current: int, page_href) -> str:
        """首页 上一页 1 2 3 下一页 末页, plain links."""
        if pages <= 1:
            return ""
        parts = [f"<a href=\"{page_href(1)}\">首页</a>"]
        if current > 1:
            parts.append(f"<a href=\"{page_href(current - 1)}\">上一页</a>")
        for n in range(1, pages + 1):
            parts.append(f"<span class=\"current\">{n}</span>" if n == current else f"<a href=\"{page_href(n)}\">{n}</a>")
        if current < pages:
            parts.append(f"<a href=\"{page_href(current + 1)}\">下一页</a>")
        parts.append(f"<a href=\"{page_href(pages)}\">末页</a>")
        parts.append(f"<span class=\"pageinfo\">共 <strong>{pages}</strong>页</span>")
        return f"<div class=\"pagelist\">{' '.join(parts)}</div>"

    # ---- detail pages

    def date_meta(self, article: Article, look: Look, label: str | None = None, extra: str = "") -> str:
        label = label or look.date_label
        day = fmt_date(article.date, look.date_fmt) if article.date else ""
        if look.meta_shape == "cells":
            cells = f"<td class=\"lab\">{label}：</td><td>{day}</td>" if day else ""
            return f"<table class=\"info-table\"><tr>{cells}<td class=\"lab\">来源：</td><td>{extra}</td></tr></table>"
        if look.meta_shape == "spans":
            shown = f"<span class=\"{look.date_cls}\">{label}：{day}</span>" if day else ""
            return f"<div class=\"property\">{shown}<span>来源：{extra}</span><span>字号：[大 中 小]</span></div>"
        shown = f"{label}：{day}&nbsp;&nbsp;&nbsp;" if day else ""
        return f"<div class=\"xl-info\">{shown}信息来源：{extra}&nbsp;&nbsp;&nbsp;浏览次数：<span id=\"hits\">--</span></div>"

    def body_html(self, unit: Unit, article: Article) -> str:
        """The body, 任免 notices worded as a personnel office does (several people in one sentence)."""
        parts = [f"<p style=\"text-indent:2em\">{esc(p)}</p>" for p in article.body.split("\n") if p.strip()]
        if article.appointments:
            named = [a for a in article.appointments if a.action == "任"]
            removed = [a for a in article.appointments if a.action == "免"]
            sentence = ""
            if named:
                sentence = "任命" + "，".join(f"{a.person}同志为{a.post}" for a in named)
            if removed:
                sentence += ("；" if sentence else "") + "免去" + "、".join(f"{a.person}同志的{a.post}职务" for a in removed)
            parts.append(f"<p style=\"text-indent:2em\">经研究决定：{esc(sentence)}。</p>")
        for index, link in enumerate(article.links):
            parts.append(f"<p>相关链接：<a href=\"{esc(self.body_link_href(unit, article, index, link))}\">"
                         f"{esc(link.text)}</a></p>")
        return "\n".join(parts)

    def attachments_html(self, unit: Unit, column: Column, article: Article, look: Look) -> str:
        if not article.attachments:
            return ""
        items = []
        for index, attachment in enumerate(article.attachments):
            icon = (f"<img src=\"{self.icon_path(attachment.ext)}\" width=\"16\" height=\"16\" border=\"0\" />"
                    if look.icon and attachment.ext in ("doc", "pdf", "xls") else "")
            items.append(f"<p class=\"appendix\">{icon}<a href=\"{esc(self.attachment_path(unit, column, article, index))}\" "
                         f"target=\"_blank\">{esc(attachment.name)}</a></p>")
        return f"<div class=\"fujian\"><b>相关附件：</b>{''.join(items)}</div>"

    def static_content(self, unit: Unit, column: Column, look: Look) -> str:
        article = column.articles[0]
        stamp = (f"<p class=\"{look.date_cls}\" style=\"text-align:right\">更新时间：{fmt_date(article.date, look.date_fmt)}</p>"
                 if article.date else "")
        return (f"<div class=\"static-page\"><h2 style=\"text-align:center\">{esc(article.title)}</h2>"
                f"<div class=\"text\">{self.body_html(unit, article)}</div>{stamp}</div>")

    # ---- leaders

    def leaders_html(self, unit: Unit, layout: str, href=str) -> str:
        """bgcards: photo as CSS background-image; phototable: photo in the first column; pages: one page each."""
        if layout == "pages":
            items = "".join(f"<li><a href=\"{esc(href(self.leader_page_path(unit, i)))}\">{esc(l.name)}</a>"
                            f"<span>{esc(l.post)}</span></li>" for i, l in enumerate(unit.leaders))
            return f"<ul class=\"leader-list\">{items}</ul>"
        blocks = []
        for index, leader in enumerate(unit.leaders):
            src = self.photo_src(unit, index, leader)
            if layout == "bgcards":
                style = (f"background-image:url({href(src)});background-size:cover;background-position:center"
                         if src else "background-color:#e5e5e5")
                blocks.append(f"<div class=\"ld-card\"><div class=\"ld-photo\" style=\"{esc(style)}\"></div>"
                              f"<div class=\"ld-txt\"><h4>{esc(leader.name)}</h4><p class=\"zw\">{esc(leader.post)}</p>"
                              f"<p>分管工作：{esc(leader.duties)}</p></div></div>")
            else:
                img = f"<img src=\"{esc(href(src))}\" width=\"120\" height=\"160\" />" if src else "暂无照片"
                blocks.append(f"<tr><td class=\"photo\" width=\"140\" align=\"center\">{img}</td>"
                              f"<td><p><b>{esc(leader.name)}</b></p><p>职务：{esc(leader.post)}</p>"
                              f"<p>分工：{esc(leader.duties)}</p></td></tr>")
        if layout == "bgcards":
            return f"<div class=\"leader-cards\">{''.join(blocks)}</div>"
        return f"<table class=\"leader-table\" width=\"100%\" border=\"0\">{''.join(blocks)}</table>"

    def leader_detail_html(self, unit: Unit, index: int, href=str) -> str:
        leader = unit.leaders[index]
        src = self.photo_src(unit, index, leader)
        img = f"<img src=\"{esc(href(src))}\" alt=\"\" />" if src else ""
        return (f"<div class=\"leader-detail\"><div class=\"photo\">{img}</div><table class=\"jl\">"
                f"<tr><th>姓　名</th><td>{esc(leader.name)}</td></tr><tr><th>职　务</th><td>{esc(leader.post)}</td></tr>"
                f"<tr><th>工作分工</th><td>{esc(leader.duties)}</td></tr></table></div>")

    # ---- workflows

    def flowchart_html(self, unit: Unit, index: int, look: Look, href=str) -> str:
        workflow = unit.workflows[index]
        link = self.flowchart_link(unit, index, workflow)
        if link is None:   # the steps as text, no chart
            steps = "".join(f"<p>{n}、{esc(step)}</p>" for n, step in enumerate(self.FLOW_STEPS, 1))
            return f"<div class=\"flow\"><h3>{esc(workflow.title)}</h3><p>办理流程：</p>{steps}</div>"
        if link[0] == "img":
            chart = f"<p style=\"text-align:center\"><img src=\"{esc(href(link[1]))}\" alt=\"{esc(workflow.title)}\" /></p>"
        else:
            ext = self.flowchart_ext(workflow)
            icon = (f"<img src=\"{self.icon_path(ext)}\" width=\"16\" height=\"16\" />" if look.icon and ext in
                    ("doc", "pdf", "xls") else "")
            chart = (f"<p>{icon}<a href=\"{esc(href(link[1]))}\" target=\"_blank\">{esc(workflow.title)}.{ext}</a></p>")
        return f"<div class=\"flow\"><h3>{esc(workflow.title)}</h3>{chart}</div>"

    def workflows_html(self, unit: Unit, look: Look, href=str) -> str:
        if self.workflow_layout(unit) == "pages":
            items = "".join(f"<li><a href=\"{esc(href(self.workflow_page_path(unit, i)))}\">{esc(w.title)}</a></li>"
                            for i, w in enumerate(unit.workflows))
            return f"<ul class=\"{look.list_cls}\">{items}</ul>"
        return "\n".join(self.flowchart_html(unit, i, look, href) for i in range(len(unit.workflows)))

    # ---- letters

    def letters_html(self, unit: Unit, page: int, look: Look) -> str:
        heads = stable_pick((("信件标题", "来信时间", "办理状态", "回复时间"), ("主题", "留言日期", "状态", "答复日期"),
                             ("标题", "提交时间", "处理状态", "回复日期")), self.site.id, unit.id, "letters")
        rows = "".join(f"<tr><td class=\"tit\">{esc(x.title)}</td><td>{fmt_date(x.received, look.date_fmt)}</td>"
                       f"<td>{esc(x.status)}</td><td>{fmt_date(x.answered, look.date_fmt) if x.answered else ''}</td></tr>"
                       for x in page_slice(unit.letters or [], page, LETTERS_PER_PAGE))
        head = "".join(f"<th>{h}</th>" for h in heads)
        return f"<table class=\"letters\" width=\"100%\"><tr>{head}</tr>{rows}</table>"

    def letter_pages(self, unit: Unit) -> int:
        return page_count(len(unit.letters or []), LETTERS_PER_PAGE)
