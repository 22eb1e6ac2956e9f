"""Old ASP article systems (动易-style), usually GB2312/GBK: ShowClass.asp?ClassID=12&page=2.

Everything is a nested table; links are relative (ShowArticle.asp?ArticleID=123);
the list pages say 首页 上一页 下一页 尾页 with links only where they lead
somewhere; dates like 2011-9-5; leaders in a table with <img src="UploadFiles/...">.
The charset is declared in <meta> (gb2312 while the bytes are GBK, as in reality).
"""
from __future__ import annotations

from sandbox.families.common import (LETTERS_PER_PAGE, SiteRenderer, esc, list_date, page_count, page_slice,
                                     shorten, stable_pick)
from sandbox.model import Article, Column, Leader, Unit, Workflow


def relative(path: str) -> str:
    """Every page sits at the site root, so links drop the leading slash."""
    return path.lstrip("/")


class AspRenderer(SiteRenderer):
    family = "asp"
    HOME = "/index.asp"
    leader_layouts = ("table",)
    workflow_layouts = ("inline",)

    def __init__(self, web, site):
        self.position = {unit_id: i for i, unit_id in enumerate(site.units)}
        self.ellipsis = stable_pick(("...", "…", ""), site.id)
        super().__init__(web, site)

    # ---- URL scheme

    def section_id(self, unit: Unit) -> int:
        return self.position[unit.id] * 100 + 1

    def class_id(self, unit: Unit, column: Column) -> int:
        return self.section_id(unit) + 10 + self.column_number(unit, column)

    def section_path(self, unit: Unit) -> str:
        return f"/ShowClass.asp?ClassID={self.section_id(unit)}"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        path = f"/ShowClass.asp?ClassID={self.class_id(unit, column)}"
        return path if page == 1 else f"{path}&page={page}"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        return f"/ShowArticle.asp?ArticleID={article.id}"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        day = article.date or self.web.as_of
        return f"/UploadFiles/{day:%Y%m}/{day:%Y%m%d}{article.id}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        ext = self.photo_ext(leader)
        return f"/UploadFiles/201101/201101{leader.photo.seed % 10**8:08d}{index}.{ext}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/UploadFiles/201103/201103{self.position[unit.id]:03d}{index:03d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        query = [f"UnitID={self.position[unit.id] + 1}"] if len(self.units) > 1 else []
        query += [f"page={page}"] if page > 1 else []
        return "/GuestBook.asp" + ("?" + "&".join(query) if query else "")

    # ---- chrome

    def page(self, title: str, main: str, unit: Unit | None = None) -> str:
        left = self.class_menu(unit) if unit else ""
        sections = " | ".join(f"<a href=\"{relative(self.section_path(u))}\">政务公开</a>" for u in self.units)
        return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={self.meta_charset}">
<title>{esc(title)}--{esc(self.site_name())}</title>
</head>
<body topmargin="0" leftmargin="0" bgcolor="#FFFFFF">
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td>
<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td height="80" bgcolor="#0066CC">
<font color="#FFFFFF" size="5"><b>{esc(self.site_name())}</b></font></td></tr></table>
<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td height="26" class="nav">
<a href="index.asp">网站首页</a> | {sections} | <a href="#">办事指南</a></td></tr></table>
<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>
<td width="180" valign="top">{left}</td>
<td valign="top">
{main}
</td></tr></table>
<table width="100%" border="0"><tr><td align="center" height="60"><font color="#666666">
版权所有：{esc(self.site_name())}　Copyright &copy; 2008-2011　鄂ICP备08001234号<br>
建议使用IE6.0以上版本浏览器</font></td></tr></table>
</td></tr></table>
</body>
</html>"""

    def class_menu(self, unit: Unit) -> str:
        """The left menu: group names as bold rows, their classes under them."""
        rows, group = [], None
        for column in unit.columns:
            if column.group and column.group != group:
                rows.append(f"<tr><td bgcolor=\"#E8F1FB\"><b>{esc(column.group)}</b></td></tr>")
            group = column.group
            indent = "&nbsp;&nbsp;" if column.group else ""
            rows.append(f"<tr><td>{indent}·<a href=\"{relative(self.column_path(unit, column))}\">"
                        f"{esc(column.label)}</a></td></tr>")
        if unit.letters is not None:
            rows.append(f"<tr><td>·<a href=\"{relative(self.mailbox_path(unit))}\">"
                        f"{esc(self.mailbox_label(unit))}</a></td></tr>")
        return f"<table width=\"100%\" border=\"0\" cellspacing=\"1\">{''.join(rows)}</table>"

    def pager(self, total: int, per_page: int, page: int, path) -> str:
        """共 N 条记录 页次：2/5 首页 上一页 下一页 尾页 (links only where they lead somewhere)."""
        pages = page_count(total, per_page)

        def step(text: str, target: int, usable: bool) -> str:
            return f"<a href=\"{esc(relative(path(target)))}\">{text}</a>" if usable else text

        return (f"<table width=\"100%\"><tr><td align=\"center\">共 <b>{total}</b> 条记录　页次：{page}/{pages}　"
                f"每页：{per_page} 条　{step('首页', 1, page > 1)} {step('上一页', page - 1, page > 1)} "
                f"{step('下一页', page + 1, page < pages)} {step('尾页', pages, page < pages)}</td></tr></table>")

    # ---- pages

    def home_page(self) -> str:
        blocks = []
        for unit in self.units:
            for column in [c for c in unit.columns if c.role in ("list", "personnel") and c.articles][:2]:
                rows = "".join(f"<tr><td>·<a href=\"{relative(self.article_path(unit, column, a))}\">"
                               f"{esc(shorten(a.title, 18, self.ellipsis))}</a></td></tr>"
                               for a in column.articles[:6])
                blocks.append(f"<table width=\"100%\"><tr><td><b>{esc(column.label)}</b></td></tr>{rows}</table>")
        return self.page("首页", "".join(blocks), self.units[0])

    def section_page(self, unit: Unit) -> str:
        return self.page("政务公开", "<table width=\"100%\"><tr><td>请在左侧选择公开栏目。</td></tr></table>", unit)

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        rows = []
        for article in page_slice(column.articles, page, column.per_page):
            shown = list_date(column, article)
            rows.append(f"<tr><td height=\"22\">·<a href=\"{relative(self.article_path(unit, column, article))}\" "
                        f"target=\"_blank\"><font color=\"#000000\">{esc(shorten(article.title, 22, self.ellipsis))}"
                        f"</font></a></td><td width=\"90\" align=\"right\"><font color=\"#999999\">{esc(shown)}"
                        f"</font></td></tr>")
        main = (f"<table width=\"100%\"><tr><td class=\"title\"><b>{esc(column.label)}</b></td></tr></table>"
                f"<table width=\"100%\" border=\"0\" cellspacing=\"1\">{''.join(rows)}</table>"
                + self.pager(len(column.articles), column.per_page, page,
                             lambda p: self.column_path(unit, column, p)))
        return self.page(column.label, main, unit)

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        updated = (f"{article.date.year}-{article.date.month}-{article.date.day} 9:{article.id % 60:02d}:00"
                   if article.date else "")
        links = "".join(f"<br><a href=\"{relative(self.attachment_path(unit, column, article, i))}\">"
                        f"{esc(a.name)}</a>" for i, a in enumerate(article.attachments))
        main = (f"<table width=\"100%\" border=\"0\"><tr><td align=\"center\"><font size=\"4\"><b>"
                f"{esc(article.title)}</b></font></td></tr>"
                f"<tr><td align=\"center\"><font color=\"#666666\">作者：佚名　文章来源：{esc(unit.name)}　"
                f"更新时间：{updated}</font></td></tr>"
                f"<tr><td>{self.article_body(unit, article)}{links}</td></tr></table>")
        return self.page(article.title, main, unit)

    def leaders_page(self, unit: Unit, column: Column) -> str:
        block = self.leader_block(unit, "table", relative)
        return self.page(column.label, f"<b>{esc(column.label)}</b>{block}", unit)

    def workflows_page(self, unit: Unit, column: Column) -> str:
        rows = "".join(f"<tr><td>{self.workflow_block(unit, i, relative)}</td></tr>" for i in range(len(unit.workflows)))
        return self.page(column.label, f"<b>{esc(column.label)}</b><table width=\"100%\">{rows}</table>", unit)

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        main = (f"<b>{esc(label)}</b>{self.letters_table(unit, page)}"
                + self.pager(len(unit.letters or []), LETTERS_PER_PAGE, page, lambda p: self.mailbox_path(unit, p)))
        return self.page(label, main, unit)
