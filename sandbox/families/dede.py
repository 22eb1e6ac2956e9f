"""DedeCMS / PHPCMS-style unit sites (blind family).

DedeCMS: a column at /a/<column>/, its pages list_<tid>_1.html, list_<tid>_2.html ...,
articles at /a/<column>/2011/0915/123.html. PHPCMS (pseudo-static): list-<catid>-1.html,
show-<catid>-<id>-1.html. Both page with 首页 上一页 1 2 3 下一页 末页 links. The mailbox
is a guestbook (/plus/guestbook.php?page=N, /index.php?m=guestbook&page=N).
"""
from __future__ import annotations

from sandbox.families.blindkit import BlindRenderer
from sandbox.families.common import esc, page_count, stable_pick
from sandbox.model import Article, Column, Leader, Unit, Workflow


class DedeRenderer(BlindRenderer):
    family = "dede"
    HOME = "/"
    leader_layouts = ("bgcards", "phototable")
    workflow_layouts = ("inline", "pages")
    placeholder_per_leader = True   # the same default avatar uploaded once per leader

    def __init__(self, web, site):
        self.style = stable_pick(("dede", "phpcms"), site.id, "cms")
        super().__init__(web, site)

    def tid(self, unit: Unit, column: Column) -> int:
        return 10 + self.column_number(unit, column) * 3 + (len(unit.id) % 3)

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return "/a/xxgk/" if self.style == "dede" else "/list-9-1.html"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        tid = self.tid(unit, column)
        if self.style == "dede":
            return f"/a/xxgk/{column.slug}/" if page == 1 else f"/a/xxgk/{column.slug}/list_{tid}_{page}.html"
        return f"/list-{tid}-{page}.html"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        tid = self.tid(unit, column)
        if self.style == "phpcms":
            return f"/show-{tid}-{article.id}-1.html"
        day = article.url_date or article.date
        if day is None:
            return f"/a/xxgk/{column.slug}/{article.id}.html"
        return f"/a/xxgk/{column.slug}/{day:%Y}/{day:%m%d}/{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/uploads/soft/110{article.id % 10}/1-11{article.id}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/uploads/allimg/110105/1-110105{leader.photo.seed % 10**4:04d}{index}.{self.photo_ext(leader)}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.article_path(unit, column, Article(id=900000 + index, title="", date=None))

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        folder = "allimg" if ext in ("jpg", "png") else "soft"
        return f"/uploads/{folder}/110301/1-1103010{index}{workflow.flowchart.seed % 1000:03d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        if self.style == "dede":
            return "/plus/guestbook.php" if page == 1 else f"/plus/guestbook.php?page={page}"
        return "/index.php?m=guestbook" if page == 1 else f"/index.php?m=guestbook&page={page}"

    def register_list(self, unit: Unit, column: Column) -> None:
        super().register_list(unit, column)
        if self.style == "dede" and not self.is_static_page(unit, column):   # list_<tid>_1.html is page 1 too
            first = self.column_path(unit, column)
            self.add(f"{first}list_{self.tid(unit, column)}_1.html", self.static[first])

    # ---- chrome

    def page(self, title: str, main: str, current: Column | None = None, crumbs=()) -> str:
        look = self.look()
        unit = self.units[0]
        trail = " &gt; ".join(f"<a href='{h}'>{esc(t)}</a>" if h else esc(t)
                              for t, h in [("主页", "/"), ("信息公开", self.section_path(unit))] + list(crumbs))
        menu = self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)
        charset = self.meta_charset
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{esc(title)}_{esc(self.site_name())}</title>
<meta name="keywords" content="{esc(self.site_name())}" /><meta name="description" content="{esc(title)}" />
</head><body>
<div class="header"><div class="top w960"><h1>{esc(self.site_name())}</h1></div>
<div class="module blue mT10 menu w960"><ul><li class="hover"><a href="/">主页</a></li>
<li><a href="{self.section_path(unit)}">信息公开</a></li></ul></div></div>
<div class="w960 center clear mt1"><div class="pleft"><div class="place"><strong>当前位置:</strong> {trail}</div>
{look.nest(main)}</div>
<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>信息公开目录</strong></dt><dd>{menu}</dd></dl></div></div></div>
<div class="footer w960 center mt1 clear"><p>Copyright &copy; 2011 {esc(self.site_name())} 版权所有</p>
<p>Powered by <strong>{'DedeCMS' if self.style == 'dede' else 'PHPCMS'}</strong></p></div>
</body></html>"""

    def crumbs(self, unit: Unit, column: Column) -> list[tuple[str, str]]:
        return [(column.label, self.column_path(unit, column))]

    # ---- pages

    def home_page(self) -> str:
        unit = self.units[0]
        blocks = []
        for column in [c for c in unit.columns if c.role == "list" and c.articles][:3]:
            items = "".join(f"<li><a href=\"{self.article_path(unit, column, a)}\">{esc(a.title)}</a></li>"
                            for a in column.articles[:6])
            blocks.append(f"<dl class=\"tbox\"><dt><strong>{esc(column.label)}</strong><span class=\"more\">"
                          f"<a href=\"{self.column_path(unit, column)}\">更多...</a></span></dt><dd><ul>{items}</ul></dd></dl>")
        return self.page("主页", "".join(blocks))

    def section_page(self, unit: Unit) -> str:
        items = "".join(f"<li><a href=\"{self.column_path(unit, c)}\">{esc(c.label)}</a></li>" for c in unit.columns)
        return self.page("信息公开", f"<div class=\"listbox\"><ul class=\"e2\">{items}</ul></div>")

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look()
        if not column.articles:
            return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.empty_block(look)}", column,
                             self.crumbs(unit, column))
        items = self.list_items(unit, column, page, lambda a: self.article_path(unit, column, a), look)
        pages = page_count(len(column.articles), column.per_page)
        tid = self.tid(unit, column)
        if self.style == "dede":
            pager = self.numbered_pager(pages, page, lambda n: f"list_{tid}_{n}.html")
        else:
            pager = self.numbered_pager(pages, page, lambda n: f"/list-{tid}-{n}.html")
        return self.page(column.label, f"<div class=\"listbox\"><h2>{esc(column.label)}</h2>{items}</div>"
                                       f"<div class=\"dede_pages\">{pager}</div>", column, self.crumbs(unit, column))

    def static_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.static_content(unit, column, self.look()), column,
                         self.crumbs(unit, column))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        main = (f"<div class=\"viewbox\"><div class=\"title\"><h2>{esc(article.title)}</h2></div>"
                f"<div class=\"info\">{self.date_meta(article, look, extra=esc(unit.name))}</div>"
                f"<div class=\"content\"><table width=\"100%\"><tr><td>{self.body_html(unit, article)}"
                f"{self.attachments_html(unit, column, article, look)}</td></tr></table></div></div>")
        return self.page(article.title, main, column, self.crumbs(unit, column))

    def leaders_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.leaders_html(unit, self.leader_layout(unit))}",
                         column, self.crumbs(unit, column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.workflows_html(unit, self.look())}",
                         column, self.crumbs(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.flowchart_html(unit, index, self.look()), column,
                         self.crumbs(unit, column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        pager = self.numbered_pager(self.letter_pages(unit), page, lambda n: self.mailbox_path(unit, n))
        column = self.mailbox_column(unit)
        return self.page(label, f"<h2>{esc(label)}</h2>{self.letters_html(unit, page, self.look())}{pager}", column,
                         self.crumbs(unit, column) if column else [(label, "")])
