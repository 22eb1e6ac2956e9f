"""Unit sites whose disclosure catalogue has two levels (blind family "sub").

    /xxgk/index.html                   the section: a left menu of top-level groups (机构概况, 政策法规, 人事信息,
                                       财政信息, 业务工作) and loose columns (指南, 制度, 年报, the mailbox)
    /xxgk/jggk/index.html              a group page: its sub-columns (二级栏目), as blocks of their 5 newest entries
                                       with 更多, or as a plain list of links (per site)
    /xxgk/jggk/ldxx/index.html         a sub-column (index_1.html ... for later pages); 领导信息 one page of all leaders
    /xxgk/ywgz/tzgg/t20110915_123.html an article (undated ones: 123.html)

Per site (in the order of the units): a column page with tabs (<ul class="tab"><li class="on">最新</li><li>往年</li>,
both panels in the HTML, the second display:none) and lists as <li><a>title</a><em>2011-09-15</em></li>; or lists as a
<table> with the date cell before the title cell, paged index_N.html.
"""
from __future__ import annotations

from sandbox.families.blindkit import BlindRenderer, Look, fmt_date
from sandbox.families.common import esc, page_count, page_slice
from sandbox.model import Article, Column, Leader, Unit, Workflow

GROUPS = {"机构职能": ("机构概况", "jggk"), "领导信息": ("机构概况", "jggk"), "政策文件": ("政策法规", "zcfg"),
          "规划计划": ("政策法规", "zcfg"), "人事信息": ("人事信息", "rsxx"), "财政预决算": ("财政信息", "czxx"),
          "工作动态": ("业务工作", "ywgz"), "通知公告": ("业务工作", "ywgz"), "办事服务": ("业务工作", "ywgz")}
# the sub-columns' names (sandbox/blind.py's SUB_LABELS) under these groups: 人事信息 -> 人事任免, 财政信息 -> 预决算公开
STYLES = (("blocks", "em", True), ("links", "table", False), ("blocks", "table", False))   # group page, list, tabs


class TwoLevelRenderer(BlindRenderer):
    family = "sub"
    HOME = "/"
    leader_layouts = ("paras",)
    workflow_layouts = ("pages", "inline")

    def __init__(self, web, site):
        units = [u for u in web.units if web.site(u.site).family == "sub"]
        place = next(i for i, u in enumerate(units) if u.site == site.id)
        self.group_style, self.list_style, self.tabs = STYLES[place % len(STYLES)]
        super().__init__(web, site)

    @property
    def unit(self) -> Unit:
        return self.units[0]

    def groups(self, unit: Unit) -> dict[tuple[str, str], list[Column]]:
        out: dict[tuple[str, str], list[Column]] = {}
        for column in unit.columns:
            if column.ref in GROUPS:
                out.setdefault(GROUPS[column.ref], []).append(column)
        return out

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return "/xxgk/index.html"

    def group_path(self, slug: str) -> str:
        return f"/xxgk/{slug}/index.html"

    def column_dir(self, column: Column) -> str:
        return f"/xxgk/{GROUPS[column.ref][1]}/{column.slug}/" if column.ref in GROUPS else f"/xxgk/{column.slug}/"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit, page)
        return self.column_dir(column) + ("index.html" if page == 1 else f"index_{page - 1}.html")

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        if self.is_static_page(unit, column):     # 指南 / 制度 / 机构职能 as one page: the column is the page
            return self.column_path(unit, column)
        day = article.url_date or article.date
        return self.column_dir(column) + (f"t{day:%Y%m%d}_{article.id}.html" if day else f"{article.id}.html")

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/xxgk/files/{article.id}_{index + 1}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/xxgk/jggk/ldxx/images/ld{leader.photo.seed % 10**6:06d}.{self.photo_ext(leader)}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/ywgz/bsfw/lc{index + 1}.html"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/xxgk/files/lct_{workflow.flowchart.seed % 10**6:06d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return "/xxgk/xx/index.html" if page == 1 else f"/xxgk/xx/index_{page - 1}.html"

    # ---- registration

    def register_site(self) -> None:
        super().register_site()
        for (name, slug), columns in self.groups(self.unit).items():
            self.add_page(self.group_path(slug), self.group_page, name, columns)

    def register_list(self, unit: Unit, column: Column) -> None:
        if self.is_static_page(unit, column):    # one page of text, with its attachments and links
            self.register_article(unit, column, column.articles[0])
            self.add_page(self.column_path(unit, column), self.static_page, unit, column)
            return
        if self.tabs and not self.is_static_page(unit, column):   # every entry on one page, in two tabs
            self.add_page(self.column_path(unit, column), self.list_page, unit, column, 1)
            for article in column.articles:
                self.register_article(unit, column, article)
            return
        super().register_list(unit, column)

    # ---- chrome

    def page(self, title: str, main: str, crumbs: list[tuple[str, str]] = (), current: str = "") -> str:
        look, unit = self.look(), self.unit
        trail = " &gt; ".join(f"<a href=\"{esc(h)}\">{esc(t)}</a>" if h else esc(t)
                              for t, h in [("首页", "/"), ("信息公开", self.section_path(unit))] + list(crumbs))
        items = []
        for c in unit.columns:
            if c.ref in GROUPS:
                name, href = GROUPS[c.ref][0], self.group_path(GROUPS[c.ref][1])
            else:
                name, href = c.label, self.column_path(unit, c)
            on = " class=\"on\"" if name == current else ""
            entry = f"<li{on}><a href=\"{href}\">{esc(name)}</a></li>"
            if entry not in items:
                items.append(entry)
        return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)}_{esc(self.site_name())}</title></head><body>
<div class="head"><div class="logo">{esc(self.site_name())}</div><div class="nav"><a href="/">首页</a>
<a href="{self.section_path(unit)}">信息公开</a></div></div>
<div class="position">您现在的位置：{trail}</div>
<div class="{look.wrap}"><div class="xxgk-left"><h3>信息公开目录</h3><ul id="{look.side_id}">{''.join(items)}</ul></div>
<div class="xxgk-right">{main}</div></div>
<div class="foot">{esc(self.site_name())}　版权所有</div>
</body></html>"""

    def crumbs(self, column: Column) -> list[tuple[str, str]]:
        crumbs = [(GROUPS[column.ref][0], self.group_path(GROUPS[column.ref][1]))] if column.ref in GROUPS else []
        return crumbs + [(column.label, self.column_path(self.unit, column))]

    def current(self, column: Column) -> str:
        return GROUPS[column.ref][0] if column.ref in GROUPS else column.label

    def framed(self, column: Column, main: str, title: str | None = None, extra=()) -> str:
        return self.page(title or column.label, f"<div class=\"lmtit\"><span>{esc(column.label)}</span></div>{main}",
                         self.crumbs(column) + list(extra), self.current(column))

    # ---- lists

    def rows(self, unit: Unit, column: Column, articles: list[Article]) -> str:
        look = self.look()
        day = lambda a: fmt_date(a.date, look.date_fmt) if a.date and a.date_in_list else ""   # noqa: E731
        if self.list_style == "em":
            return "<ul class=\"list\">" + "".join(
                f"<li><a href=\"{self.article_path(unit, column, a)}\" target=\"_blank\">{esc(a.title)}</a>"
                + (f"<em>{day(a)}</em>" if day(a) else "") + "</li>" for a in articles) + "</ul>"
        return ("<table class=\"list\" width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\">" + "".join(
            f"<tr><td width=\"90\" class=\"{look.date_cls}\">{day(a)}</td><td><a href=\"{self.article_path(unit, column, a)}\" "
            f"target=\"_blank\">{esc(a.title)}</a></td></tr>" for a in articles) + "</table>")

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        if not column.articles:
            return self.framed(column, self.empty_block(self.look()))
        if self.tabs:
            newest, older = column.articles[:column.per_page], column.articles[column.per_page:]
            return self.framed(column, "<ul class=\"tab\"><li class=\"on\">最新</li><li>往年</li></ul>"
                               f"<div class=\"tabcon\">{self.rows(unit, column, newest)}</div>"
                               f"<div class=\"tabcon\" style=\"display:none\">{self.rows(unit, column, older)}</div>")
        pages = page_count(len(column.articles), column.per_page)
        pager = self.numbered_pager(pages, page, lambda n: self.column_path(unit, column, n))
        return self.framed(column, self.rows(unit, column, page_slice(column.articles, page, column.per_page)) + pager)

    # ---- pages

    def home_page(self) -> str:
        unit = self.unit
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        items = self.rows(unit, news, news.articles[:6]) if news else ""
        return self.page("首页", f"<div class=\"news\"><h3>{esc(news.label) if news else '工作动态'}</h3>{items}</div>"
                                 f"<p><a href=\"{self.section_path(unit)}\">政府信息公开</a></p>")

    def section_page(self, unit: Unit) -> str:
        guide = next((c for c in unit.columns if c.ref == "政府信息公开指南"), None)
        text = self.static_content(unit, guide, self.look()) if guide and self.is_static_page(unit, guide) else ""
        return self.page("信息公开", f"<h2>{esc(unit.name)}政府信息公开</h2>{text}")

    def group_page(self, name: str, columns: list[Column]) -> str:
        unit = self.unit
        if self.group_style == "links":
            main = "<ul class=\"sublist\">" + "".join(f"<li><a href=\"{self.column_path(unit, c)}\">{esc(c.label)}</a></li>"
                                                     for c in columns) + "</ul>"
        else:
            blocks = []
            for c in columns:
                shown = "" if c.role != "list" and c.role != "personnel" or self.is_static_page(unit, c) \
                    else self.rows(unit, c, c.articles[:5])
                blocks.append(f"<div class=\"subcol\"><div class=\"subtit\"><span>{esc(c.label)}</span>"
                              f"<a href=\"{self.column_path(unit, c)}\" class=\"more\">更多</a></div>{shown}</div>")
            main = "".join(blocks)
        return self.page(name, f"<div class=\"lmtit\"><span>{esc(name)}</span></div>{main}", [(name, "")], name)

    def static_page(self, unit: Unit, column: Column) -> str:
        look = self.look()
        return self.framed(column, self.static_content(unit, column, look)
                           + self.attachments_html(unit, column, column.articles[0], look))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        main = (f"<div class=\"article\"><h1>{esc(article.title)}</h1>{self.date_meta(article, look, extra=esc(unit.name))}"
                f"<div class=\"TRS_Editor\">{self.body_html(unit, article)}</div>"
                f"{self.attachments_html(unit, column, article, look)}</div>")
        return self.framed(column, main, article.title, [("正文", "")])

    def leaders_page(self, unit: Unit, column: Column) -> str:
        blocks = []
        for index, leader in enumerate(unit.leaders):
            src = self.photo_src(unit, index, leader)
            img = f"<p style=\"text-align:center\"><img src=\"{esc(src)}\" border=\"0\" /></p>" if src else ""
            blocks.append(f"{img}<p><strong>姓名：</strong>{esc(leader.name)}</p><p><strong>职务：</strong>{esc(leader.post)}</p>"
                          f"<p><strong>分工：</strong>{esc(leader.duties)}</p><p>&nbsp;</p>")
        return self.framed(column, f"<div class=\"TRS_Editor\">{''.join(blocks)}</div>")

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.framed(column, self.workflows_html(unit, self.look()))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.framed(column, self.flowchart_html(unit, index, self.look()), unit.workflows[index].title, [("正文", "")])

    def mailbox_page(self, unit: Unit, page: int) -> str:
        column = self.mailbox_column(unit)
        pager = self.numbered_pager(self.letter_pages(unit), page, lambda n: self.mailbox_path(unit, n))
        return self.framed(column, self.letters_html(unit, page, self.look()) + pager)


__all__ = ["TwoLevelRenderer", "Look"]
