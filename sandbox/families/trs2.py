"""A TRS WCM variant (blind family): lists without dates, detail pages with a re-stamped <meta>.

Lists show titles only; the date is printed on the detail page alone, under a label that
varies by column (发布日期, 发布时间, and on some columns only 生成日期 or 发文日期). A site
migration in September 2011 re-stamped every page's PubDate / publishdate <meta> with the
migration's date (pages published after it keep their own): the printed date is the truth.
Later list pages: index_1.shtml ... written by createPageHTML() on some sites, plain links on others.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from sandbox.families.blindkit import BlindRenderer, fmt_date
from sandbox.families.common import esc, page_count, relative_to, stable_pick
from sandbox.model import Article, Column, Leader, Unit, Workflow


def index_name(page: int) -> str:
    return "index.shtml" if page == 1 else f"index_{page - 1}.shtml"


class TrsVariantRenderer(BlindRenderer):
    family = "trs2"
    HOME = "/index.shtml"
    leader_layouts = ("pages", "bgcards")
    workflow_layouts = ("pages", "inline")

    def __init__(self, web, site):
        self.root = stable_pick(("/zwgk/", "/xxgk/", "/govinfo/"), site.id, "root")
        self.migrated = date(2011, 9, 1) + timedelta(days=stable_pick(tuple(range(5, 27)), site.id, "migration"))
        self.meta_name = stable_pick(("PubDate", "publishdate", "pubdate"), site.id, "meta")
        self.pager_kind = stable_pick(("script", "links"), site.id, "pager")
        super().__init__(web, site)

    def printed_label(self, column: Column) -> str:
        return stable_pick(("发布日期", "发布时间", "生成日期", "发文日期", "发布日期"), self.site.id, column.slug, "label")

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return self.root + "index.shtml"

    def column_dir(self, unit: Unit, column: Column) -> str:
        return f"{self.root}{column.slug}/"

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
        return f"{folder}/P0{article.id}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"{self.root}ldxx/201101/W0201101{leader.photo.seed % 10**5:05d}{index}.{self.photo_ext(leader)}"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"{self.root}ldxx/201101/t20110108_{5100 + index}.shtml"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"{self.root}bsfw/201103/t20110302_{5200 + index}.shtml"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        prefix = "W0" if ext in ("jpg", "png") else "P0"
        return f"{self.root}bsfw/201103/{prefix}201103020{index}{workflow.flowchart.seed % 1000:03d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return f"/hdjl/xfxx/{index_name(page)}"

    # ---- chrome

    def page(self, title: str, main: str, current: Column | None = None, crumbs=(), head: str = "") -> str:
        look = self.look()
        unit = self.units[0]
        trail = " &gt;&gt; ".join(f"<a href=\"{esc(h)}\">{esc(t)}</a>" if h else esc(t)
                                  for t, h in [("首页", self.HOME), ("政务公开", self.section_path(unit))] + list(crumbs))
        menu = self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
{head}<meta name="SiteName" content="{esc(self.site_name())}" />
</head><body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="banner">{esc(self.site_name())}</td></tr>
<tr><td class="dh"><a href="{self.HOME}">首页</a>　<a href="{self.section_path(unit)}">政务公开</a>　<a href="{self.mailbox_path(unit) if unit.letters is not None else 'javascript:;'}">互动交流</a></td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="230" valign="top" class="left">{menu}</td>
<td valign="top" class="right"><div class="wz">当前位置：{trail}</div>{look.nest(main)}</td></tr></table>
<div class="bottom">版权所有：{esc(self.site_name())}　技术支持：拓尔思</div>
</body></html>"""

    def crumbs(self, unit: Unit, column: Column) -> list[tuple[str, str]]:
        return [(column.label, self.column_path(unit, column))]

    def pager(self, pages: int, current: int) -> str:
        if self.pager_kind == "script":
            return (f"<div class=\"fy\"><script language=\"JavaScript\">\nvar currentPage = {current - 1};\n"
                    f"var countPage = {pages};\ncreatePageHTML(countPage, currentPage, \"index\", \"shtml\");\n</script></div>")
        return self.numbered_pager(pages, current, index_name)

    # ---- pages

    def home_page(self) -> str:
        unit = self.units[0]
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        items = "".join(f"<li><a href=\"{self.article_path(unit, news, a)}\">{esc(a.title)}</a></li>"
                        for a in (news.articles[:7] if news else []))
        return self.page(self.site_name(), f"<div class=\"news\"><ul>{items}</ul></div>")

    def section_page(self, unit: Unit) -> str:
        return self.page("政务公开", f"<div class=\"gkml\"><h2>{esc(unit.name)}政府信息公开目录</h2>"
                         f"{self.menu_html(unit, lambda c: self.column_path(unit, c), self.look())}</div>")

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look()
        if not column.articles:
            return self.page(column.label, f"<h3>{esc(column.label)}</h3>{self.empty_block(look)}", column,
                             self.crumbs(unit, column))
        folder = self.column_dir(unit, column)
        items = self.list_items(unit, column, page, lambda a: relative_to(folder, self.article_path(unit, column, a)),
                                look, dated=False)
        pages = page_count(len(column.articles), column.per_page)
        return self.page(column.label, f"<h3>{esc(column.label)}</h3>{items}{self.pager(pages, page)}", column,
                         self.crumbs(unit, column))

    def static_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.static_content(unit, column, self.look()), column,
                         self.crumbs(unit, column))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        stamp = max(article.date, self.migrated) if article.date else self.migrated
        head = (f"<meta name=\"ArticleTitle\" content=\"{esc(article.title)}\" />\n"
                f"<meta name=\"{self.meta_name}\" content=\"{stamp:%Y-%m-%d} 09:{article.id % 60:02d}\" />\n"
                f"<meta name=\"ColumnName\" content=\"{esc(column.label)}\" />\n")
        folder = self.article_path(unit, column, article).rsplit("/", 1)[0] + "/"
        label = self.printed_label(column)
        day = fmt_date(article.date, look.date_fmt) if article.date else ""
        printed = f"<span>{label}：{day}</span>" if day else ""
        files = self.attachments_html(unit, column, article, look).replace(f"href=\"{folder}", "href=\"./")
        main = (f"<div class=\"detail\"><h1>{esc(article.title)}</h1><div class=\"detail-info\">{printed}"
                f"<span>来源：{esc(unit.name)}</span></div><div class=\"TRS_Editor\">{self.body_html(unit, article)}</div>"
                f"{files}</div>")
        return self.page(article.title, main, column, self.crumbs(unit, column), head)

    def leaders_page(self, unit: Unit, column: Column) -> str:
        folder = self.column_dir(unit, column)
        block = self.leaders_html(unit, self.leader_layout(unit), partial(relative_to, folder))
        return self.page(column.label, f"<h3>{esc(column.label)}</h3>{block}", column, self.crumbs(unit, column))

    def leader_page(self, unit: Unit, index: int) -> str:
        column = self.leaders_column(unit)
        return self.page(unit.leaders[index].name, self.leader_detail_html(unit, index), column,
                         self.crumbs(unit, column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h3>{esc(column.label)}</h3>{self.workflows_html(unit, self.look())}",
                         column, self.crumbs(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.flowchart_html(unit, index, self.look()), column,
                         self.crumbs(unit, column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        column = self.mailbox_column(unit)
        return self.page(label, f"<h3>{esc(label)}</h3>{self.letters_html(unit, page, self.look())}"
                         f"{self.pager(self.letter_pages(unit), page)}", column,
                         self.crumbs(unit, column) if column else [(label, "")])
