"""Hanweb JCMS sites (the county's unified site-group platform): col/colNNN/index.html.

A column page's visible list container is empty: its records sit in a
<script type="text/xml"> datastore, first page only, and jpage.js fetches the
rest by POSTing the column's ajaxParam to dataproxy.jsp with
startrecord/endrecord/perpage in the query, answered in the same XML format.
Articles live at /art/YYYY/M/D/art_COL_ID.html; attachments behind
downfile.jsp?filename=..., so the extension sits in the query.
"""
from __future__ import annotations

import zlib

from sandbox.families.common import (LETTERS_PER_PAGE, Request, Response, SiteRenderer, esc, list_date,
                                     page_count, shorten, stable_pick)
from sandbox.model import Article, Column, Leader, Unit, Workflow

DATAPROXY_PATH = "/module/jslib/jquery/jpage/dataproxy.jsp"
DOWNLOAD_PATH = "/module/download/downfile.jsp"


class HanwebRenderer(SiteRenderer):
    family = "hanweb"
    HOME = "/index.html"
    leader_layouts = ("cards", "table")
    workflow_layouts = ("inline", "pages")

    def __init__(self, web, site):
        self.position = {unit_id: i for i, unit_id in enumerate(site.units)}
        self.webid = zlib.crc32(site.id.encode()) % 90 + 10
        self.title_limit = stable_pick((22, 28, 200), site.id)
        super().__init__(web, site)
        self.dynamic[DATAPROXY_PATH] = self.dataproxy

    # ---- URL scheme

    def section_id(self, unit: Unit) -> int:
        return 3200 + self.position[unit.id] * 40

    def column_id(self, unit: Unit, column: Column) -> int:
        return self.section_id(unit) + self.column_number(unit, column) + 1

    def unit_module_id(self, unit: Unit, column: Column) -> int:
        """The `unitid` of the column's list module (a JCMS page-module instance)."""
        return 4100000 + self.column_id(unit, column)

    def section_path(self, unit: Unit) -> str:
        return f"/col/col{self.section_id(unit)}/index.html"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        return f"/col/col{self.column_id(unit, column)}/index.html"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        colid, day = self.column_id(unit, column), article.url_date or article.date
        if day is None:
            return f"/art/{colid}/art_{colid}_{article.id}.html"
        return f"/art/{day.year}/{day.month}/{day.day}/art_{colid}_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"{DOWNLOAD_PATH}?classid=0&filename=11{article.id:07d}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        ext = self.photo_ext(leader)
        return f"/picture/0/1101{leader.photo.seed % 10**8:08d}{index}.{ext}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        name = f"1103{self.position[unit.id]:03d}{index:03d}.{ext}"
        return f"/picture/0/{name}" if ext in ("jpg", "png") else f"{DOWNLOAD_PATH}?classid=0&filename={name}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        colid = self.column_id(unit, self.workflows_column(unit))
        return f"/art/2011/3/1/art_{colid}_{900000 + self.position[unit.id] * 100 + index}.html"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        path = f"/module/idea/que_list.jsp?webid={self.webid}&unitid={self.section_id(unit)}"
        return path if page == 1 else f"{path}&page={page}"

    # ---- routes: list pages exist only as page 1; the rest comes from dataproxy.jsp

    def register_list(self, unit: Unit, column: Column) -> None:
        self.add_page(self.column_path(unit, column), self.list_page, unit, column, 1,
                      modified=max((a.date for a in column.articles if a.date), default=None))
        for article in column.articles:
            self.register_article(unit, column, article)

    def dataproxy(self, request: Request) -> Response:
        if request.method != "POST":
            return Response(status=405, body=b"Method Not Allowed", content_type="text/plain")
        found = self.column_by_id(first(request.form, "columnid"))
        try:
            start = int(first(request.query, "startrecord") or first(request.form, "startrecord") or 1)
            end = int(first(request.query, "endrecord") or first(request.form, "endrecord") or start)
        except ValueError:
            start, end = 1, 0
        records = found[1].articles[max(start, 1) - 1:max(end, 0)] if found else []
        store = self.datastore(*found, records) if found else "<datastore><recordset></recordset></datastore>"
        xml = f"<?xml version=\"1.0\" encoding=\"{self.site.encoding}\"?>\n{store}"
        return Response(body=xml.encode(self.site.encoding, errors="xmlcharrefreplace"),
                        content_type=f"text/xml; charset={self.site.encoding}")

    def column_by_id(self, value: str | None) -> tuple[Unit, Column] | None:
        return next(((unit, column) for unit in self.units for column in unit.columns
                     if str(self.column_id(unit, column)) == value), None)

    # ---- chrome

    def page(self, title: str, crumbs: list[tuple[str, str]], main: str, unit: Unit | None = None,
             head: str = "") -> str:
        trail = " &gt; ".join(f"<a href=\"{esc(href)}\">{esc(text)}</a>" if href else esc(text)
                              for text, href in [("首页", self.HOME)] + crumbs)
        tree = self.column_tree(unit) if unit else ""
        return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={self.meta_charset}" />
<meta name="SiteName" content="{esc(self.site_name())}" /><meta name="ColumnName" content="{esc(title)}" />{head}
<title>{esc(self.site_name())} {esc(title)}</title>
</head><body>
<div id="header"><div class="logo"><h1>{esc(self.site_name())}</h1></div>
<div class="menu"><a href="{self.HOME}">网站首页</a>{self.section_links()}<a href="javascript:;">互动交流</a></div></div>
<div class="position">您当前的位置：{trail}</div>
<table width="1000" align="center"><tr><td class="left" valign="top" width="220">{tree}</td>
<td class="right" valign="top">
{main}
</td></tr></table>
<div id="footer">{self.friendly_links()}<p>主办单位：{esc(self.site_name())}　技术支持：大汉网络　鄂ICP备05003265号-2</p>
<p>建议使用1024*768分辨率浏览本站</p></div>
</body></html>"""

    def section_links(self) -> str:
        return "".join(f"<a href=\"{self.section_path(u)}\">{'政府信息公开' if len(self.units) == 1 else esc(u.name)}</a>"
                       for u in self.units)

    def column_tree(self, unit: Unit) -> str:
        menu = self.column_menu(unit, lambda c: f"<a href=\"{self.column_path(unit, c)}\" target=\"_self\">"
                                                 f"{esc(c.label)}</a>")
        mailbox = (f"<p><a href=\"{esc(self.mailbox_path(unit))}\">{esc(self.mailbox_label(unit))}</a></p>"
                   if unit.letters is not None else "")
        return f"<div class=\"tree\"><h3>信息公开目录</h3>{menu}{mailbox}</div>"

    def crumbs(self, unit: Unit, column: Column | None = None) -> list[tuple[str, str]]:
        trail = [("信息公开", self.section_path(unit))]
        return trail + [(column.label, self.column_path(unit, column))] if column else trail

    # ---- pages

    def home_page(self) -> str:
        main = "".join(f"<div class=\"gk\"><a href=\"{self.section_path(u)}\"><img alt=\"政府信息公开\" />"
                       f"{esc(u.name)}政府信息公开</a></div>" for u in self.units)
        return self.page("首页", [], main)

    def section_page(self, unit: Unit) -> str:
        guide = "<p>根据《中华人民共和国政府信息公开条例》，编制本目录。</p>"
        return self.page("政府信息公开", self.crumbs(unit), f"<div class=\"gkml\">{guide}</div>", unit)

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        module = self.unit_module_id(unit, column)
        store = f"<script type=\"text/xml\">{self.datastore(unit, column, column.articles[:column.per_page])}</script>"
        script = f"""<script type="text/javascript">
$(document).ready(function(){{
  $('#{module}').jpage({{
    proxyUrl: '{DATAPROXY_PATH}',
    perPage: {column.per_page},
    totalRecord: {len(column.articles)},
    groupSize: 3,
    barPosition: 'bottom',
    ajaxParam: {{col: 1, appid: 1, webid: {self.webid}, path: '/', columnid: {self.column_id(unit, column)},
      sourceContentType: 1, unitid: {module}, webname: '{esc(self.site_name())}', permissiontype: 0}}
  }});
}});
</script>"""
        main = (f"<div class=\"list_title\">{esc(column.label)}</div><div id=\"{module}\" class=\"list\"></div>\n"
                f"{store}\n<script type=\"text/javascript\" src=\"/module/jslib/jquery/jquery.js\"></script>\n{script}")
        return self.page(column.label, self.crumbs(unit, column), main, unit)

    def datastore(self, unit: Unit, column: Column, articles: list[Article]) -> str:
        """The JCMS XML datastore: one CDATA <li> per record (inline and from dataproxy.jsp)."""
        records = "\n".join(f"<record><![CDATA[\n{self.record(unit, column, a)}\n]]></record>" for a in articles)
        total = len(column.articles)
        return (f"<datastore totalrecord=\"{total}\" totalpage=\"{page_count(total, column.per_page)}\">"
                f"<nextgroup><![CDATA[<a href=\"{DATAPROXY_PATH}?page=1&webid={self.webid}"
                f"&columnid={self.column_id(unit, column)}\"></a>]]></nextgroup>"
                f"<recordset>\n{records}\n</recordset></datastore>")

    def record(self, unit: Unit, column: Column, article: Article) -> str:
        shown = list_date(column, article)
        date_span = f"<span class=\"bt_time\">{esc(shown)}</span>" if shown else ""
        return (f"<li><a href=\"{self.article_path(unit, column, article)}\" target=\"_blank\" "
                f"title=\"{esc(article.title)}\">{esc(shorten(article.title, self.title_limit))}</a>{date_span}</li>")

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        published = f"{article.date:%Y-%m-%d}" if article.date else ""
        links = "".join(f"<p><a href=\"{esc(self.attachment_path(unit, column, article, i))}\">{esc(a.name)}</a></p>"
                        for i, a in enumerate(article.attachments))
        main = (f"<table class=\"xxgk_table\" width=\"100%\"><tr><td>索 引 号：</td><td>{self.webid}-{article.id:06d}</td>"
                f"<td>信息分类：</td><td>{esc(column.label)}</td></tr><tr><td>发布机构：</td><td>{esc(unit.name)}</td>"
                f"<td>发布日期：</td><td>{published}</td></tr></table>"
                f"<div class=\"title\">{esc(article.title)}</div>"
                f"<div id=\"zoom\">{self.article_body(unit, article)}{links}</div>"
                "<div class=\"tools\">【<a href=\"javascript:window.print()\">打印本页</a>】"
                "【<a href=\"javascript:window.close()\">关闭窗口</a>】</div>")
        head = f"<meta name=\"PubDate\" content=\"{published} 09:{article.id % 60:02d}\" />" if published else ""
        return self.page(article.title, self.crumbs(unit, column), main, unit, head)

    def leaders_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.crumbs(unit, column),
                         self.leader_block(unit, self.leader_layout(unit)), unit)

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.crumbs(unit, column), self.workflows_content(unit), unit)

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.crumbs(unit, column),
                         self.workflow_block(unit, index), unit)

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        pages = page_count(len(unit.letters or []), LETTERS_PER_PAGE)
        nav = []
        if page > 1:
            nav.append(f"<a href=\"{esc(self.mailbox_path(unit, page - 1))}\">上一页</a>")
        if page < pages:
            nav.append(f"<a href=\"{esc(self.mailbox_path(unit, page + 1))}\">下一页</a>")
        main = (f"<h2>{esc(label)}</h2>{self.letters_table(unit, page)}"
                f"<div class=\"page\">第{page}/{pages}页 {' '.join(nav)}</div>")
        return self.page(label, self.crumbs(unit) + [(label, "")], main, unit)


def first(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name)
    return found[0] if found else None
