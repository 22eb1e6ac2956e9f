"""A 集约化 platform (blind family): the county government and many units are sections of one host.

A unit's entry URL is its own section, /xxgk/<unit>/index.html, with a side menu of its
columns. The top navigation's 政务公开 and the breadcrumb's second crumb lead to the
platform's directory of all units (/xxgk/index.html), which is a directory, not a section.
List pages: /xxgk/<unit>/<column>/index.html, index_1.html ...; on some units the later
pages are named only by an inline script (recordCount, page size, a search endpoint),
on others by plain links; some lists come as sibling <ul> blocks of five.
"""
from __future__ import annotations

from functools import partial

from sandbox.families.blindkit import BlindRenderer, Look, fmt_date
from sandbox.families.common import esc, page_count, stable_pick
from sandbox.model import Article, Column, Leader, Unit, Workflow


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index_{page - 1}.html"


class PlatformRenderer(BlindRenderer):
    family = "jyh"
    HOME = "/"
    SECTION_ENTRY = True
    leader_layouts = ("bgcards", "phototable", "pages")
    workflow_layouts = ("inline", "pages")

    def __init__(self, web, site):
        self.position = {unit_id: i for i, unit_id in enumerate(site.units)}
        super().__init__(web, site)

    def look(self, unit: Unit | None = None) -> Look:
        return Look(self.site.id, unit.id if unit else "")

    def pager_kind(self, unit: Unit) -> str:
        return stable_pick(("script", "links", "script"), unit.id, "pager")

    def split(self, unit: Unit) -> int:
        return stable_pick((5, 0, 0), unit.id, "split")

    # ---- URL scheme

    def directory_path(self) -> str:
        return "/xxgk/index.html"

    def section_path(self, unit: Unit) -> str:
        return f"/xxgk/{unit.id}/index.html"

    def column_dir(self, unit: Unit, column: Column) -> str:
        return f"/xxgk/{unit.id}/{column.slug}/"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        return self.column_dir(unit, column) + index_name(page)

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.url_date or article.date
        if day is None:
            return f"{self.column_dir(unit, column)}t_{article.id}.shtml"
        return f"{self.column_dir(unit, column)}{day:%Y%m}/t{day:%Y%m%d}_{article.id}.shtml"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        folder = self.article_path(unit, column, article).rsplit("/", 1)[0]
        return f"{folder}/P0{article.id}{index:02d}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/xxgk/{unit.id}/ldxx/W0{leader.photo.seed % 10**7:07d}{index}.{self.photo_ext(leader)}"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/{unit.id}/ldxx/201101/t20110110_{7000 + self.position[unit.id] * 10 + index}.shtml"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/{unit.id}/bsfw/201102/t20110218_{8000 + self.position[unit.id] * 10 + index}.shtml"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        prefix = "W0" if ext in ("jpg", "png") else "P0"
        return f"/xxgk/{unit.id}/bsfw/201102/{prefix}2011021800{self.position[unit.id]}{index}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return f"/hdjl/{unit.id}/xjxx/{index_name(page)}"

    def register_site(self) -> None:
        super().register_site()
        self.add_page(self.directory_path(), self.directory_page)

    # ---- chrome

    def page(self, title: str, main: str, unit: Unit | None, crumbs: list[tuple[str, str]] = (),
             side: str = "") -> str:
        look = self.look(unit)
        trail = " &gt; ".join(f"<a href=\"{esc(h)}\">{esc(t)}</a>" if h else f"<span>{esc(t)}</span>"
                              for t, h in [("首页", "/"), ("政务公开", self.directory_path())] + list(crumbs))
        body = (f"<div class=\"side\">{side}</div><div class=\"main-right\">{main}</div>" if side else main)
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="龙溪县人民政府">
<meta name="ColumnName" content="{esc(title)}"><title>{esc(title)}_龙溪县人民政府</title></head><body>
<div class="header"><div class="banner"><h1>龙溪县人民政府</h1></div>
<ul class="mainnav"><li><a href="/">首页</a></li>
<li><a href="{self.directory_path()}">政务公开</a></li><li><a href="javascript:;">政务服务</a></li>
<li><a href="javascript:;">互动交流</a></li></ul></div>
<div class="position">您当前的位置：{trail}</div>
{look.nest(body)}
<div class="footer"><p>主办单位：龙溪县人民政府办公室　网站标识码：4228990001　鄂ICP备11009876号</p></div>
</body></html>"""

    def side(self, unit: Unit, current: Column | None = None) -> str:
        look = self.look(unit)
        return (f"<div class=\"unit-title\"><a href=\"{self.section_path(unit)}\">{esc(unit.name)}</a></div>"
                + self.menu_html(unit, lambda c: self.column_path(unit, c), look, current))

    def crumbs(self, unit: Unit, column: Column | None = None) -> list[tuple[str, str]]:
        crumbs = [(unit.name, self.section_path(unit))]
        if column is not None:
            crumbs.append((column.label, self.column_path(unit, column)))
        return crumbs

    # ---- pages

    def home_page(self) -> str:
        portal = self.web.unit(self.web.portal_unit)
        news = next((c for c in portal.columns if c.ref == "工作动态" and c.articles), None)
        items = "".join(f"<li><a href=\"{self.article_path(portal, news, a)}\">{esc(a.title)}</a></li>"
                        for a in (news.articles[:8] if news else []))
        main = (f"<div class=\"focus\"><h3>政务要闻</h3><ul>{items}</ul></div>"
                f"<div class=\"gk-entry\"><a href=\"{self.directory_path()}\">政府信息公开平台</a></div>"
                f"{self.friendly_links()}")
        return self.page("首页", main, None)

    def directory_page(self) -> str:
        parts = []
        for kind, heading in (("门户", "县政府"), ("乡镇", "乡镇（街道）"), ("县直部门", "县直部门")):
            units = [u for u in self.units if u.kind == kind]
            links = "".join(f"<li><a href=\"{self.section_path(u)}\">{esc(u.name)}</a></li>" for u in units)
            parts.append(f"<div class=\"dept-group\"><h3>{heading}</h3><ul class=\"dept\">{links}</ul></div>")
        main = (f"<h2>政府信息公开</h2><div class=\"zn\"><a href=\"javascript:;\">信息公开规定</a> "
                f"<a href=\"javascript:;\">依申请公开</a></div><div class=\"unit-directory\">{''.join(parts)}</div>")
        return self.page("政府信息公开", main, None)

    def section_page(self, unit: Unit) -> str:
        look = self.look(unit)
        intro = f"<div class=\"gk-head\"><h2>{esc(unit.name)}</h2><p>本栏目公开{esc(unit.name)}政府信息。</p></div>"
        news = [c for c in unit.columns if c.role in ("list", "personnel") and c.articles
                and not self.is_static_page(unit, c)][:2]
        blocks = "".join(f"<div class=\"blk\"><h3><a href=\"{self.column_path(unit, c)}\">{esc(c.label)}</a>"
                         f"<a class=\"more\" href=\"{self.column_path(unit, c)}\">更多&gt;&gt;</a></h3>"
                         + "<ul>" + "".join(f"<li><a href=\"{self.article_path(unit, c, a)}\">{esc(a.title)}</a></li>"
                                            for a in c.articles[:5]) + "</ul></div>" for c in news)
        return self.page(unit.name, intro + blocks, unit, self.crumbs(unit), self.side(unit))

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look(unit)
        if not column.articles:
            return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.empty_block(look)}", unit,
                             self.crumbs(unit, column), self.side(unit, column))
        items = self.list_items(unit, column, page, lambda a: self.article_path(unit, column, a), look,
                                split=self.split(unit))
        pages = page_count(len(column.articles), column.per_page)
        if self.pager_kind(unit) == "script":
            pager = f"""<div id="page-bar"></div>
<script type="text/javascript">
var pageInfo = {{ recordCount: '{len(column.articles)}', prepage: {column.per_page}, chnlid: '{self.position[unit.id] * 100 + self.column_number(unit, column)}',
  searchApi: '/search/list', curPage: {page - 1} }};
initPageBar(pageInfo, 'index', 'html');
</script>"""
        else:
            pager = self.numbered_pager(pages, page, lambda n: index_name(n))
        main = f"<h2 class=\"lm-title\">{esc(column.label)}</h2>{items}{pager}"
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def static_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.static_content(unit, column, self.look(unit)), unit,
                         self.crumbs(unit, column), self.side(unit, column))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look(unit)
        main = (f"<div class=\"article\"><h1>{esc(article.title)}</h1>{self.date_meta(article, look, extra=esc(unit.name))}"
                f"<div class=\"TRS_Editor\">{self.body_html(unit, article)}</div>"
                f"{self.attachments_html(unit, column, article, look)}</div>")
        return self.page(article.title, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def leaders_page(self, unit: Unit, column: Column) -> str:
        main = f"<h2>{esc(column.label)}</h2>{self.leaders_html(unit, self.leader_layout(unit))}"
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def leader_page(self, unit: Unit, index: int) -> str:
        column = self.leaders_column(unit)
        return self.page(unit.leaders[index].name, self.leader_detail_html(unit, index), unit,
                         self.crumbs(unit, column), self.side(unit, column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        main = f"<h2>{esc(column.label)}</h2>{self.workflows_html(unit, self.look(unit))}"
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.flowchart_html(unit, index, self.look(unit)), unit,
                         self.crumbs(unit, column), self.side(unit, column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        look = self.look(unit)
        label = self.mailbox_label(unit)
        pager = self.numbered_pager(self.letter_pages(unit), page, lambda n: index_name(n))
        main = f"<h2>{esc(label)}</h2>{self.letters_html(unit, page, look)}{pager}"
        column = self.mailbox_column(unit)
        crumbs = self.crumbs(unit, column) if column else self.crumbs(unit)
        return self.page(label, main, unit, crumbs, self.side(unit, column))


__all__ = ["PlatformRenderer", "fmt_date", "partial"]
