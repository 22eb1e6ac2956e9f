"""A unit site with the 2019 disclosure catalogue (blind family).

The catalogue has four parts: 政府信息公开指南, 政府信息公开制度, 法定主动公开内容 (机构职能,
领导信息, 政策文件 ... and the unit's mailbox as one of its columns), 政府信息公开年报. 指南, 制度
and 机构职能 are one page of text; an empty column says 暂无信息 (暂无内容, 正在建设中 ...).
Per site: the catalogue's folder, list paging (?page=N or list_N.html), article URLs, the
menu's shape, class names and the date's label, position and format.
"""
from __future__ import annotations

from sandbox.families.blindkit import BlindRenderer, Look
from sandbox.families.common import esc, page_count, stable_pick
from sandbox.model import Article, Column, Leader, Unit, Workflow


class Catalogue2019Renderer(BlindRenderer):
    family = "gk2019"
    HOME = "/"
    leader_layouts = ("phototable", "pages", "bgcards")
    workflow_layouts = ("inline", "pages")

    def __init__(self, web, site):
        self.root = stable_pick(("/zfxxgk/", "/xxgk/", "/gk/"), site.id, "root")
        self.paging = stable_pick(("query", "listn"), site.id, "paging")
        self.article_style = stable_pick(("content", "dated"), site.id, "article")
        super().__init__(web, site)

    # ---- URL scheme

    def catalogue_path(self) -> str:
        return self.root + "index.html"

    def section_path(self, unit: Unit) -> str:
        return self.catalogue_path()

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        base = f"{self.root}{column.slug}/"
        if page == 1:
            return base + ("" if self.paging == "query" else "index.html")
        return f"{base}?page={page}" if self.paging == "query" else f"{base}list_{page}.html"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.url_date or article.date
        if self.article_style == "dated" and day:
            return f"{self.root}{column.slug}/{day:%Y%m}/{article.id}.html"
        return f"{self.root}{column.slug}/content_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/uploadfiles/{article.id}/{index + 1}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/uploadfiles/leader/{leader.photo.seed % 10**6:06d}.{self.photo_ext(leader)}"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"{self.root}ldxx/leader_{index + 1}.html"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"{self.root}bsfw/lc_{index + 1}.html"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/uploadfiles/flow/{workflow.flowchart.seed % 10**6:06d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return f"{self.root}xx/" if page == 1 else f"{self.root}xx/?page={page}"

    def register_site(self) -> None:
        super().register_site()
        self.add_page(self.catalogue_path(), self.catalogue_page)

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        for column in unit.columns:   # ?page=1 is the first page too
            if column.role in ("list", "personnel") and self.paging == "query" and not self.is_static_page(unit, column):
                first = self.column_path(unit, column)
                self.add(first + "?page=1", self.static[first])

    # ---- chrome

    @property
    def unit(self) -> Unit:
        return self.units[0]

    def page(self, title: str, main: str, current: Column | None = None, crumbs: list[tuple[str, str]] = ()) -> str:
        look = self.look()
        unit = self.unit
        trail = " / ".join(f"<a href=\"{esc(h)}\">{esc(t)}</a>" if h else esc(t)
                           for t, h in [("首页", "/"), ("政府信息公开", self.catalogue_path())] + list(crumbs))
        menu = self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)}-{esc(self.site_name())}</title></head><body>
<div id="top"><div class="topbar">{esc(self.site_name())}</div>
<div class="nav"><a href="/">网站首页</a><a href="{self.catalogue_path()}">政府信息公开</a><a href="javascript:;">办事服务</a></div></div>
<div class="crumb">当前位置：{trail}</div>
<div class="gk-body"><div class="gk-menu"><div class="gk-menu-title">信息公开目录</div>{menu}</div>
<div class="gk-main">{look.nest(main)}</div></div>
<div id="footer">主办单位：{esc(self.site_name())}　承办：龙溪县信息中心</div>
</body></html>"""

    def crumbs(self, column: Column) -> list[tuple[str, str]]:
        return [(column.label, self.column_path(self.unit, column))]

    # ---- pages

    def home_page(self) -> str:
        unit = self.unit
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        items = "".join(f"<li><a href=\"{self.article_path(unit, news, a)}\">{esc(a.title)}</a></li>"
                        for a in (news.articles[:6] if news else []))
        return self.page("首页", f"<div class=\"home-news\"><h3>工作动态</h3><ul>{items}</ul></div>"
                                 f"<p><a href=\"{self.catalogue_path()}\">进入政府信息公开专栏</a></p>")

    def catalogue_page(self) -> str:
        unit = self.unit
        by_ref = {c.ref: c for c in unit.columns}

        def part(ref: str, heading: str) -> str:
            column = by_ref.get(ref)
            if column is None:
                return ""
            return f"<div class=\"part\"><h3><a href=\"{self.column_path(unit, column)}\">{esc(heading)}</a></h3></div>"
        statutory = "".join(f"<li><a href=\"{self.column_path(unit, c)}\">{esc(c.label)}</a></li>"
                            for c in unit.columns if c.group == "法定主动公开内容")
        main = (f"<h2>{esc(unit.name)}政府信息公开</h2>" + part("政府信息公开指南", "政府信息公开指南")
                + part("政府信息公开制度", "政府信息公开制度")
                + f"<div class=\"part\"><h3>法定主动公开内容</h3><ul class=\"fdzdgk\">{statutory}</ul></div>"
                + part("政府信息公开年报", "政府信息公开年报"))
        return self.page("政府信息公开", main)

    def section_page(self, unit: Unit) -> str:
        return self.catalogue_page()

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look()
        if not column.articles:
            return self.page(column.label, f"<div class=\"lm\">{esc(column.label)}</div>{self.empty_block(look)}",
                             column, self.crumbs(column))
        items = self.list_items(unit, column, page, lambda a: self.article_path(unit, column, a), look)
        pages = page_count(len(column.articles), column.per_page)
        pager = self.numbered_pager(pages, page, lambda n: self.column_path(unit, column, n))
        return self.page(column.label, f"<div class=\"lm\">{esc(column.label)}</div>{items}{pager}", column,
                         self.crumbs(column))

    def static_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.static_content(unit, column, self.look()), column, self.crumbs(column))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        main = (f"<div class=\"detail\"><div class=\"d-title\">{esc(article.title)}</div>"
                f"{self.date_meta(article, look, extra=esc(unit.name))}"
                f"<div class=\"d-content\">{self.body_html(unit, article)}</div>"
                f"{self.attachments_html(unit, column, article, look)}</div>")
        return self.page(article.title, main, column, self.crumbs(column) + [("正文", "")])

    def leaders_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<div class=\"lm\">{esc(column.label)}</div>"
                         + self.leaders_html(unit, self.leader_layout(unit)), column, self.crumbs(column))

    def leader_page(self, unit: Unit, index: int) -> str:
        column = self.leaders_column(unit)
        return self.page(unit.leaders[index].name, self.leader_detail_html(unit, index), column, self.crumbs(column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<div class=\"lm\">{esc(column.label)}</div>"
                         + self.workflows_html(unit, self.look()), column, self.crumbs(column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.flowchart_html(unit, index, self.look()), column,
                         self.crumbs(column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        column = self.mailbox_column(unit)
        label = self.mailbox_label(unit)
        pager = self.numbered_pager(self.letter_pages(unit), page, lambda n: self.mailbox_path(unit, n))
        return self.page(label, f"<div class=\"lm\">{esc(label)}</div>{self.letters_html(unit, page, self.look())}{pager}",
                         column, self.crumbs(column) if column else [(label, "")])


__all__ = ["Catalogue2019Renderer", "Look"]
