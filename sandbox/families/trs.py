"""TRS WCM static sites (the portal 《建始网》 is one): /xxgk/.../index.html.

Quirks real TRS sites have and the crawler must cope with: later list pages
(index_1.html ...) are written only by an inline script; article URLs are relative
(./201109/t20110915_123.html) and their date can differ from the list's; long
titles are cut with "…" and have no title attribute; the detail page's metadata
block pads labels with &nbsp; or full-width spaces and comments some fields out;
attachment links carry a dead oldsrc; some pages set <base href>; the footer
writes a counter through document.write(unescape(...)) and leaves a stray -->.
"""
from __future__ import annotations

from functools import partial

from sandbox.families.common import (SiteRenderer, esc, list_date, page_count, page_slice, relative_to,
                                     shorten, stable_pick, LETTERS_PER_PAGE)
from sandbox.model import Article, Column, Leader, Unit, Workflow

COUNTER_SCRIPT = ('<script type="text/javascript">document.write(unescape("%3Cspan id=\'cnzz_stat_icon_'
                  '1253311\'%3E%3C/span%3E%3Cscript src=\'http://s22.cnzz.com/stat.php%3Fid%3D1253311\' '
                  'type=\'text/javascript\'%3E%3C/script%3E"));</script>')


class TrsRenderer(SiteRenderer):
    family = "trs"
    HOME = "/index.html"
    leader_layouts = ("pages", "dl", "table")
    workflow_layouts = ("pages", "inline")

    def __init__(self, web, site):
        self.root = "/xxgk/" if web.portal_unit in site.units else stable_pick(("/xxgk/", "/zwgk/"), site.id)
        self.pager_style = stable_pick(("countpage", "createpage"), site.id)
        self.uses_base = stable_pick((True, False), site.id, "base")
        self.ellipsis = stable_pick(("…", "..."), site.id)
        self.title_limit = stable_pick((16, 20, 24), site.id)
        self.meta_style = stable_pick(("strong", "padded"), site.id)
        self.position = {unit_id: i for i, unit_id in enumerate(site.units)}
        super().__init__(web, site)

    # ---- URL scheme

    def catalogue_path(self) -> str:
        return self.root + "index.html"

    def unit_dir(self, unit: Unit) -> str:
        if len(self.units) == 1:
            return self.root
        if unit.id == self.web.portal_unit:
            return self.root + "gkml/"
        return f"{self.root}{unit.id}/"

    def section_path(self, unit: Unit) -> str:
        if len(self.units) == 1 or unit.id == self.web.portal_unit:
            return self.catalogue_path()
        return self.unit_dir(unit) + "index.html"

    def column_dir(self, unit: Unit, column: Column) -> str:
        return f"{self.unit_dir(unit)}{column.slug}/"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        return self.column_dir(unit, column) + index_name(page)

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.url_date or article.date
        if day is None:
            return f"{self.column_dir(unit, column)}t_{article.id}.html"
        return f"{self.column_dir(unit, column)}{day:%Y%m}/t{day:%Y%m%d}_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        folder = self.article_path(unit, column, article).rsplit("/", 1)[0]
        return f"{folder}/{self.attachment_name(article, index)}"

    @staticmethod
    def attachment_name(article: Article, index: int) -> str:
        day = article.url_date or article.date
        stamp = f"{day:%Y%m%d}" if day else "0"
        return f"P0{stamp}{article.id}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        ext = self.photo_ext(leader)
        folder = self.column_dir(unit, self.leaders_column(unit))
        return f"{folder}201101/W020110105{leader.photo.seed % 10**6:06d}{index}.{ext}"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        folder = self.column_dir(unit, self.leaders_column(unit))
        return f"{folder}201101/t20110105_{3000000 + self.position[unit.id] * 100 + index}.html"

    def workflows_dir(self, unit: Unit) -> str:
        return self.column_dir(unit, self.workflows_column(unit))

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"{self.workflows_dir(unit)}201103/t20110301_{4000000 + self.position[unit.id] * 100 + index}.html"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        prefix = "W0" if ext in ("jpg", "png") else "P0"
        return f"{self.workflows_dir(unit)}201103/{prefix}20110301{self.position[unit.id]:03d}{index:03d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return f"{self.unit_dir(unit)}xfxx/{index_name(page)}"

    # ---- chrome

    def page(self, title: str, crumbs: list[tuple[str, str]], main: str, base: str | None = None) -> str:
        trail = " &gt; ".join(f"<a href=\"{esc(href)}\">{esc(text)}</a>" if href else esc(text)
                              for text, href in [("首页", self.home_path())] + crumbs)
        base_tag = f"<base href=\"{esc(base)}\" />" if base else ""
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset={self.meta_charset}" />
<title>{esc(title)}-{esc(self.site_name())}</title>{base_tag}
<style type="text/css">body{{font-size:12px;margin:0}} .main{{width:980px;margin:0 auto}}</style>
</head><body>
<div class="top"><div class="logo">{esc(self.site_name())}</div>
<div class="nav"><a href="{self.home_path()}">首页</a> | <a href="{self.catalogue_path()}">信息公开</a> |
<a href="javascript:void(0)">网上办事</a> | <a href="javascript:void(0)">互动交流</a></div></div>
<div class="dqwz">当前位置：{trail}</div>
<div class="main">
{main}
</div>
<div class="footer">{self.friendly_links()}<p>版权所有：建始县人民政府办公室　主办：{esc(self.site_name())}　鄂ICP备05003265号</p>
<p>地址：湖北省建始县业州镇　联系电话：0718-3322000</p>
{COUNTER_SCRIPT}
</div>--></body></html>"""

    def pager(self, pages: int, current: int) -> str:
        """Later pages exist only in script: countPage/document.write or createPageHTML()."""
        if self.pager_style == "createpage":
            return (f"<div class=\"page\"><script type=\"text/javascript\">createPageHTML({pages}, {current - 1}, "
                    "\"index\", \"html\");</script></div>")
        return f"""<div class="page"><script type="text/javascript">
var countPage = {pages}//共多少页
var currentPage = {current - 1}//当前页
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
document.write("共"+countPage+"页&nbsp;&nbsp;");
if (countPage > 1 && currentPage != 0) document.write("<a href=\\"index.html\\">首页</a>&nbsp;");
if (currentPage > 1) document.write("<a href=\\"index_" + prevPage + ".html\\">上一页</a>&nbsp;");
if (currentPage == 1) document.write("<a href=\\"index.html\\">上一页</a>&nbsp;");
if (nextPage < countPage) document.write("<a href=\\"index_" + nextPage + ".html\\">下一页</a>&nbsp;");
if (countPage > 1 && currentPage != countPage-1) document.write("<a href=\\"index_" + (countPage-1) + ".html\\">尾页</a>");
</script></div>"""

    def unit_crumbs(self, unit: Unit) -> list[tuple[str, str]]:
        crumbs = [("信息公开", self.catalogue_path())]
        if self.section_path(unit) != self.catalogue_path():
            crumbs.append((unit.name, self.section_path(unit)))
        return crumbs

    def column_crumbs(self, unit: Unit, column: Column) -> list[tuple[str, str]]:
        return self.unit_crumbs(unit) + [(column.label, self.column_path(unit, column))]

    # ---- pages

    def home_page(self) -> str:
        news = [(unit, column) for unit in self.units if unit.id == self.web.portal_unit or len(self.units) == 1
                for column in unit.columns if column.role in ("list", "personnel") and column.articles][:3]
        blocks = "\n".join(self.news_block(unit, column) for unit, column in news)
        main = (f"<div class=\"xxgk_rk\"><a href=\"{self.catalogue_path()}\"><strong>政府信息公开</strong></a></div>"
                f"{blocks}{self.other_sites()}")
        return self.page("首页", [], main)

    def news_block(self, unit: Unit, column: Column) -> str:
        items = "".join(f"<li><a href=\"{esc(self.article_path(unit, column, a))}\" target=\"_blank\">"
                        f"{esc(shorten(a.title, self.title_limit, self.ellipsis))}</a></li>"
                        for a in column.articles[:6])
        return (f"<div class=\"news\"><h3><a href=\"{self.column_path(unit, column)}\">{esc(column.label)}</a></h3>"
                f"<ul>{items}</ul></div>")

    def other_sites(self) -> str:
        """The portal's drop-down of unit sites: links only through <select onchange>."""
        if not self.is_portal:
            return ""
        from sandbox.families import entry_url   # imported here: the package imports this module
        options = "".join(f"<option value=\"{esc(url)}\">{esc(unit.name)}</option>"
                          for unit in self.web.units if unit.site != self.site.id
                          and (url := entry_url(self.web, unit)))
        return ("<div class=\"links\">乡镇部门网站：<select onchange=\"if(this.value!='')window.open(this.value)\">"
                f"<option value=\"\">--请选择--</option>{options}</select></div>")

    def section_page(self, unit: Unit) -> str:
        menu = self.column_menu(unit, lambda c: f"<a href=\"{esc(self.column_path(unit, c))}\">{esc(c.label)}</a>")
        mailbox = (f"<p class=\"xx\"><a href=\"{self.mailbox_path(unit)}\">{esc(self.mailbox_label(unit))}</a></p>"
                   if unit.letters is not None else "")
        main = f"<div class=\"left\"><h2>{esc(unit.name)}信息公开目录</h2>{menu}{mailbox}</div>"
        if self.section_path(unit) == self.catalogue_path() and len(self.units) > 1:
            main += self.directory()
        return self.page("信息公开", self.unit_crumbs(unit)[:1], main)

    def directory(self) -> str:
        """The portal's unit directory: 乡镇 and 县直部门 linking to each hosted section."""
        parts = []
        for kind in ("乡镇", "县直部门"):
            units = [u for u in self.units if u.kind == kind and u.listed_in_directory]
            items = "".join(f"<li><a href=\"{relative_to(self.root, self.section_path(u))}\">{esc(u.name)}</a></li>"
                            for u in units)
            parts.append(f"<h3>{kind}</h3><ul class=\"bmlist\">{items}</ul>")
        return f"<div class=\"bmdh\">{''.join(parts)}</div>"

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        folder = self.column_dir(unit, column)
        items = []
        for article in page_slice(column.articles, page, column.per_page):
            shown = list_date(column, article)
            date_span = f"<span class=\"date\">{esc(shown)}</span>" if shown else ""
            items.append(f"<li>{date_span}<a href=\"{esc(relative_to(folder, self.article_path(unit, column, article)))}\" "
                         f"target=\"_blank\">{esc(shorten(article.title, self.title_limit, self.ellipsis))}</a></li>")
        pages = page_count(len(column.articles), column.per_page)
        main = (f"<div class=\"list\"><h2>{esc(column.label)}</h2><ul>\n" + "\n".join(items) + "\n</ul>"
                + self.pager(pages, page) + "</div>")
        base = self.site.origin + folder if self.uses_base else None
        return self.page(column.label, self.column_crumbs(unit, column), main, base)

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        path = self.article_path(unit, column, article)
        folder = self.column_dir(unit, column) if self.uses_base else path.rsplit("/", 1)[0] + "/"
        links = "".join(f"<p><a href=\"{esc(relative_to(folder, self.attachment_path(unit, column, article, i)))}\""
                        + (f" oldsrc=\"/protect/{self.attachment_name(article, i)}\"" if a.dead_oldsrc else "")
                        + f">{esc(a.name)}</a></p>" for i, a in enumerate(article.attachments))
        attachments = f"<div class=\"fj\">附件：{links}</div>" if links else ""
        main = (self.metadata(unit, column, article) + f"<h1 class=\"title\">{esc(article.title)}</h1>"
                f"<div class=\"TRS_Editor\">{self.article_body(unit, article)}</div>{attachments}")
        base = self.site.origin + folder if self.uses_base else None
        return self.page(article.title, self.column_crumbs(unit, column) + [("正文", "")], main, base)

    def metadata(self, unit: Unit, column: Column, article: Article) -> str:
        """The 索引号/发布日期 block, in one of two styles real TRS templates use."""
        code = f"0114{self.position[unit.id]:05d}"
        index_no = f"{code}/{article.date.year}-{article.id:05d}" if article.date else f"{code}/{article.id:05d}"
        generated = article.url_date or article.date
        hidden = f"<!--<p><strong>生成日期</strong>：{generated:%Y-%m-%d}</p>-->" if generated else ""
        if self.meta_style == "strong":
            published = f"<p><strong>发布日期</strong>：{article.date.year}年{article.date:%m}月{article.date:%d}日</p>" \
                if article.date else ""
            return (f"<div class=\"xxgk_meta\"><p><strong>索引号</strong>：{index_no}</p>"
                    f"<p><strong>分类</strong>：{esc(column.label)}</p><p><strong>发布机构</strong>：{esc(unit.name)}</p>"
                    f"{published}{hidden}</div>")
        published = f"<td>发布时间　：{article.date:%Y-%m-%d}</td>" if article.date else "<td></td>"
        return (f"<table class=\"xxgk_meta\"><tr><td>索&nbsp;引&nbsp;号：{index_no}</td>"
                f"<td>发布机构：{esc(unit.name)}</td></tr><tr><td>所属分类：{esc(column.label)}</td>{published}</tr>"
                f"{hidden}</table>")

    def leaders_page(self, unit: Unit, column: Column) -> str:
        folder = self.column_dir(unit, column)
        block = self.leader_block(unit, self.leader_layout(unit), partial(relative_to, folder))
        return self.page(column.label, self.column_crumbs(unit, column),
                         f"<div class=\"ldzc\"><h2>{esc(column.label)}</h2>{block}</div>")

    def leader_page(self, unit: Unit, index: int) -> str:
        column = self.leaders_column(unit)
        folder = self.leader_page_path(unit, index).rsplit("/", 1)[0] + "/"
        return self.page(unit.leaders[index].name, self.column_crumbs(unit, column),
                         self.leader_detail(unit, index, partial(relative_to, folder)))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        content = self.workflows_content(unit, partial(relative_to, self.column_dir(unit, column)))
        return self.page(column.label, self.column_crumbs(unit, column), f"<h2>{esc(column.label)}</h2>{content}")

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        folder = self.workflow_page_path(unit, index).rsplit("/", 1)[0] + "/"
        return self.page(unit.workflows[index].title, self.column_crumbs(unit, column),
                         self.workflow_block(unit, index, partial(relative_to, folder)))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        pages = page_count(len(unit.letters or []), LETTERS_PER_PAGE)
        return self.page(label, self.unit_crumbs(unit) + [(label, self.mailbox_path(unit))],
                         f"<h2>{esc(label)}</h2>{self.letters_table(unit, page)}{self.pager(pages, page)}")


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index_{page - 1}.html"
