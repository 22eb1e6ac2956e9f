"""Older county sites (blind family "old"): 2008-2014 ASP, ASP.NET and hand-made sites, still served in the 2020s.

Table layouts, 更多>> links, pages that send the browser on. Four variants, one per site (SITE_VARIANTS):

- dongyi    a 动易-style ASP site: / is a tiny page sending the browser on (<meta http-equiv="refresh"> on
            one site, window.location.href with an <a> fallback on another); 信息公开 is an overview of
            blocks, one per column (<div class="title"><span>工作动态</span><a href="list.asp?classid=7">更多&gt;&gt;</a>)
            with the newest items; lists are table rows (titles cut with ..., the full one in title=),
            paged 共 N 页 当前第 1 页 首页 上一页 下一页 尾页 (list.asp?page=2&classid=7); leaders as a
            姓名/职务/分工 table with a small photo per row; 办事指南 items whose chart is an <img> in the body;
            the mailbox a 留言板 (编号/主题/留言时间/状态, a page per letter with 留言内容 / 回复内容).
- iframe    a hand-made ASP site in GBK: / sends the browser on by script (with an <a> fallback); the left
            menu's column names are images with alt text only; a column page is chrome around
            <iframe src="list.asp?id=N">; list entries are javascript:void(0) links that open
            show.asp?id=... by onclick window.open; dates [09-15]; 领导之窗 of photo links to a page per
            leader (a .bmp photo, a 1x1 GIF spacer); flowcharts behind 点击查看流程图 or as .doc/.xls.
- aspnet    an ASP.NET WebForms site: / sends the browser on by script only; lists paged by
            __doPostBack('pager','2') (a real <form> with __VIEWSTATE / __EVENTTARGET; the server answers the
            POST with that page); dates (2011/09/15); a TreeView menu.
- frameset  a static site from an old generator, in GBK: / is a <meta refresh>; 信息公开 is a <frameset> of
            top / left (menu, target="mainFrame") / main (the overview of blocks); dates 2011年09月15日.

Same model and manifest as every family: how a page is drawn never changes the truth.
"""
from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta
from functools import lru_cache, partial

from PIL import Image, ImageDraw

from sandbox import media
from sandbox.families.blindkit import BlindRenderer, fmt_date, icon_gif
from sandbox.families.common import (LETTERS_PER_PAGE, Request, Response, esc, page_count,
                                     page_slice, shorten, stable_pick)
from sandbox.model import Article, Column, Leader, Letter, Unit, Workflow

SITE_VARIANTS = {"nongjiju": "dongyi", "sifaju": "dongyi", "baiyangzhen": "iframe", "tongjiju": "aspnet",
                 "shuanghexiang": "frameset"}
REDIRECTS = {"nongjiju": "meta", "sifaju": "script_link"}    # how the two 动易-style sites send the browser on
VARIANTS = ("dongyi", "iframe", "aspnet", "frameset")
# How each variant's site is entered ("/" answers a page that sends the browser on) and lays out its pages.
HOMES = {"dongyi": "/index.asp", "iframe": "/index1.asp", "aspnet": "/web/Default.aspx", "frameset": "/index.htm"}
SECTIONS = {"dongyi": "/xxgk/index.asp", "iframe": "/gk/index.asp", "aspnet": "/web/xxgk/Index.aspx",
            "frameset": "/xxgk/index.htm"}
LEADER_LAYOUT = {"dongyi": "table", "iframe": "pages", "aspnet": "table", "frameset": "pages"}
WORKFLOW_LAYOUT = {"dongyi": "pages", "iframe": "inline", "aspnet": "inline", "frameset": "pages"}
STATES = {"未受理": "未回复", "已受理": "处理中", "已办结": "已回复"}
GBOOK_HEADS = (("编号", "主题", "留言时间", "状态"), ("序号", "留言标题", "留言日期", "回复状态"))
MENU_COLOURS = ((178, 34, 34), (25, 90, 160), (30, 110, 60))


@lru_cache(maxsize=64)
def menu_button(text: str, colour: tuple) -> bytes:
    """A 160x28 menu button with the column's name drawn in (the page has only its alt text)."""
    image = Image.new("RGB", (160, 28), colour)
    font = media._cjk_font(15)
    if font is not None:
        ImageDraw.Draw(image).text((14, 5), text, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, format="GIF")
    return out.getvalue()


def spacer_gif(width: int, height: int) -> Response:
    out = io.BytesIO()
    Image.new("P", (max(1, width), max(1, height)), 0).save(out, format="GIF", transparency=0)
    return Response(body=out.getvalue(), content_type="image/gif")


def bmp_photo(kind: str, width: int, height: int, seed: int) -> Response:
    """A photo scanned to .bmp and uploaded as is (the picture of `kind`, re-saved as BMP)."""
    jpeg, _ = media.photo_bytes(kind, width, height, seed)
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).convert("RGB").save(out, format="BMP")
    return Response(body=out.getvalue(), content_type="image/bmp")


def view_state(*keys) -> str:
    digest = b"".join(hashlib.sha1(f"{keys}:{n}".encode()).digest() for n in range(4))
    return "/wEPDwUKMTY" + base64.b64encode(digest).decode()


class OldSiteRenderer(BlindRenderer):
    family = "old"
    HOME = "/"
    leader_layouts = ("table", "pages")
    workflow_layouts = ("inline", "pages")

    def __init__(self, web, site):
        self.variant = SITE_VARIANTS.get(site.id) or stable_pick(VARIANTS, site.id, "variant")
        keys = (site.id, "old")
        self.cid_base = stable_pick((3, 7, 12, 21), *keys, "cid")
        self.cut = stable_pick((18, 20, 24), *keys, "cut")
        self.head_cls = stable_pick(("title", "lm_title", "bt_bg"), *keys, "head")
        self.gbook_heads = stable_pick(GBOOK_HEADS, *keys, "gbook")
        self.pager_name = stable_pick(("pager", "AspNetPager1"), *keys, "pager")
        self.redirect = {"dongyi": REDIRECTS.get(site.id) or stable_pick(("meta", "script_link"), site.id, "redirect"),
                         "iframe": "script_link",
                         "aspnet": "script", "frameset": "meta_upper"}[self.variant]
        self.date_style = {"dongyi": stable_pick(("short", "iso"), site.id, "date"), "iframe": "bracket",
                           "aspnet": "paren", "frameset": "cn"}[self.variant]
        super().__init__(web, site)

    @property
    def unit(self) -> Unit:
        return self.units[0]

    def leader_layout(self, unit: Unit) -> str:
        return LEADER_LAYOUT[self.variant]

    def workflow_layout(self, unit: Unit) -> str:
        return WORKFLOW_LAYOUT[self.variant]

    def site_name(self) -> str:
        county = self.web.county_name or "建始县"
        return f"{self.unit.name}人民政府" if self.unit.kind == "乡镇" else f"{county}{self.unit.name}"

    @property
    def meta_charset(self) -> str:
        return self.site.encoding   # declared as served: utf-8 or gbk

    def cid(self, unit: Unit, column: Column) -> int:
        return self.cid_base + self.column_number(unit, column)

    def show_date(self, day, column: Column | None = None) -> str:
        if day is None:
            return ""
        if self.date_style == "bracket":   # [09-15] only where the year is plain: every entry within the year
            dated = [a.date for a in column.articles if a.date] if column else [day]
            if dated and min(dated) > self.web.as_of - timedelta(days=330):
                return f"[{day:%m-%d}]"
            return fmt_date(day, "cn")
        if self.date_style == "paren":
            return f"({day:%Y/%m/%d})"
        return fmt_date(day, self.date_style)

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return SECTIONS[self.variant]

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        cid, v = self.cid(unit, column), self.variant
        if v == "dongyi":
            return f"/xxgk/list.asp?classid={cid}" if page == 1 else f"/xxgk/list.asp?page={page}&classid={cid}"
        if v == "iframe":
            return f"/gk/lm.asp?id={cid}"
        if v == "aspnet":
            return f"/web/xxgk/List.aspx?cid={cid}"
        return f"/xxgk/{column.slug}/index.htm" if page == 1 else f"/xxgk/{column.slug}/list_{page}.htm"

    def frame_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        """iframe: the list the column page frames."""
        cid = self.cid(unit, column)
        return f"/gk/list.asp?id={cid}" if page == 1 else f"/gk/list.asp?id={cid}&page={page}"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        if self.variant == "dongyi":
            return f"/xxgk/show.asp?id={article.id}"
        if self.variant == "iframe":
            return f"/gk/show.asp?id={article.id}"
        if self.variant == "aspnet":
            return f"/web/xxgk/Show.aspx?id={article.id}"
        day = article.url_date or article.date
        return f"/xxgk/{column.slug}/{day:%Y%m}/{article.id}.htm" if day else f"/xxgk/{column.slug}/{article.id}.htm"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        ext = article.attachments[index].ext
        return {"dongyi": f"/UploadFiles/2011{article.id % 9 + 1:02d}/{article.id}{index}.{ext}",
                "iframe": f"/gk/upfile/{article.id}_{index}.{ext}", "aspnet": f"/UpLoad/File/{article.id}{index}.{ext}",
                "frameset": f"/xxgk/fj/{article.id}_{index}.{ext}"}[self.variant]

    def photo_format(self, index: int, leader: Leader) -> str:
        """iframe: the head's photo a scanned .bmp, a 1-2 px 'photo' a GIF spacer."""
        if self.variant == "iframe" and leader.photo.kind == "tiny" and leader.photo.width <= 2:
            return "gif"
        if self.variant == "iframe" and leader.photo.kind == "good" and index == 0:
            return "bmp"
        return self.photo_ext(leader)

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        ext = self.photo_format(index, leader)
        if ext == "gif":
            return "/gk/images/spacer.gif"
        return {"dongyi": f"/UploadFiles/ld/2010{leader.photo.seed % 10**4:04d}.{ext}", "iframe": f"/gk/pic/ld{index + 1}.{ext}",
                "aspnet": f"/UpLoad/Image/ld_{leader.photo.seed % 10**5:05d}.{ext}",
                "frameset": f"/xxgk/ldzc/images/ld{index + 1}.{ext}"}[self.variant]

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"/gk/ld.asp?id={index + 1}" if self.variant == "iframe" else f"/xxgk/ldzc/ld{index + 1}.htm"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        if self.variant == "dongyi":
            return f"/xxgk/show.asp?id={880001 + index}"
        return f"/xxgk/bszn/{880001 + index}.htm"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return {"dongyi": "/UploadFiles/lct/", "iframe": "/gk/upfile/lct_", "aspnet": "/UpLoad/File/lc",
                "frameset": "/xxgk/fj/lct"}[self.variant] + f"{workflow.flowchart.seed % 10**6:06d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        base = {"dongyi": "/gbook/index.asp", "iframe": "/gk/gbook.asp", "aspnet": "/web/hdjl/LyList.aspx",
                "frameset": "/ly/index.asp"}[self.variant]
        return base if page == 1 else f"{base}?page={page}"

    def letter_path(self, unit: Unit, letter: Letter) -> str:
        return {"dongyi": "/gbook/show.asp?id=", "iframe": "/gk/gbook_show.asp?id=", "aspnet": "/web/hdjl/LyShow.aspx?id=",
                "frameset": "/ly/show.asp?id="}[self.variant] + str(letter.id)

    # ---- registration

    def register_site(self) -> None:
        self.add("/", lambda: self.html(self.redirect_page()))
        self.add_page(HOMES[self.variant], self.home_page)
        for ext in ("doc", "pdf", "xls"):
            self.add(self.icon_path(ext), partial(Response, body=icon_gif(ext), content_type="image/gif"))
        if self.variant == "aspnet":
            self.dynamic["/web/xxgk/List.aspx"] = self.postback_list
        self.dynamic["/count.asp"] = self.hit_counter

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        for letter in unit.letters or []:
            self.add_page(self.letter_path(unit, letter), self.letter_page, unit, letter)
        if self.variant == "frameset":
            for name, render in (("top", self.frame_top), ("left", self.frame_left), ("main", self.overview)):
                self.add_page(f"/xxgk/{name}.htm", render, unit)
        if self.variant == "iframe":
            for number, column in enumerate(unit.columns):
                self.add(self.button_path(column), partial(Response, body=menu_button(
                    column.label, MENU_COLOURS[len(self.site.id) % 3]), content_type="image/gif"))

    def register_list(self, unit: Unit, column: Column) -> None:
        pages = page_count(len(column.articles), column.per_page)
        if self.variant == "iframe":
            self.add_page(self.column_path(unit, column), self.frame_holder, unit, column)
            for page in range(1, pages + 1):
                self.add_page(self.frame_path(unit, column, page), self.list_page, unit, column, page)
        elif self.variant != "aspnet":    # aspnet: one handler answers GET and the pager's POST
            for page in range(1, pages + 1):
                self.add_page(self.column_path(unit, column, page), self.list_page, unit, column, page)
            if self.variant == "dongyi":
                self.add(f"/xxgk/list.asp?page=1&classid={self.cid(unit, column)}", self.static[self.column_path(unit, column)])
        for article in column.articles:
            self.register_article(unit, column, article)

    def register_photo(self, unit: Unit, index: int, leader: Leader) -> None:
        fmt, photo = self.photo_format(index, leader), leader.photo
        if fmt == "gif":
            self.add(self.photo_path(unit, index, leader), partial(spacer_gif, photo.width, photo.height))
        elif fmt == "bmp":
            self.add(self.photo_path(unit, index, leader), partial(bmp_photo, photo.kind, photo.width, photo.height, photo.seed))
        else:
            super().register_photo(unit, index, leader)

    def button_path(self, column: Column) -> str:
        return f"/gk/images/lm_{column.slug}.gif"

    # ---- chrome

    def redirect_page(self) -> str:
        target = HOMES[self.variant]
        head = f"<meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\">"
        if self.redirect == "meta":
            return f"<html><head>{head}\n<meta http-equiv=\"refresh\" content=\"0;url={target}\">\n</head><body></body></html>"
        if self.redirect == "meta_upper":
            return (f"<HTML><HEAD>{head}<TITLE>{esc(self.site_name())}</TITLE>\n<META HTTP-EQUIV=\"Refresh\" "
                    f"CONTENT=\"1; URL={target.lstrip('/')}\">\n</HEAD><BODY>正在进入网站，请稍候……</BODY></HTML>")
        fallback = (f"\n<a href=\"{target}\">如果您的浏览器没有自动跳转，请点击这里</a>" if self.redirect == "script_link" else "")
        return (f"<html><head>{head}<title>{esc(self.site_name())}</title></head><body>\n<script language=\"javascript\">"
                f"\nwindow.location.href=\"{target}\";\n</script>{fallback}\n</body></html>")

    def page(self, title: str, main: str, left: str = "", form: str = "") -> str:
        look = self.look()
        unit = self.unit
        nav = [("首 页", HOMES[self.variant]), ("信息公开", self.section_path(unit))]
        if unit.letters is not None:
            nav.append((self.mailbox_label(unit), self.mailbox_path(unit)))
        navs = " | ".join(f"<a href=\"{h}\" class=\"nav\">{esc(t)}</a>" for t, h in nav)
        left_cell = f"<td width=\"200\" valign=\"top\" class=\"left\">{left}</td><td width=\"8\"></td>" if left else ""
        body = (f"<table width=\"960\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" class=\"top\">"
                f"<tr><td height=\"90\" bgcolor=\"#1E5FA8\"><font size=\"5\" color=\"#FFFFFF\"><b>&nbsp;{esc(self.site_name())}"
                f"</b></font></td></tr><tr><td height=\"30\" bgcolor=\"#E8F0FA\" align=\"center\">{navs}</td></tr></table>\n"
                f"<table width=\"960\" border=\"0\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\"><tr>{left_cell}"
                f"<td valign=\"top\">{look.nest(main)}</td></tr></table>\n"
                f"<table width=\"960\" border=\"0\" align=\"center\" class=\"bottom\"><tr><td align=\"center\" height=\"60\">"
                f"版权所有：{esc(self.site_name())}&nbsp;&nbsp;建议使用IE6.0以上浏览器、1024×768分辨率浏览<br>"
                f"地址：{esc(self.web.county_name or '建始县')}&nbsp;&nbsp;技术支持：信息中心</td></tr></table>")
        if form:
            body = (f"<form name=\"aspnetForm\" method=\"post\" action=\"{form}\" id=\"aspnetForm\">\n<div>\n"
                    "<input type=\"hidden\" name=\"__EVENTTARGET\" id=\"__EVENTTARGET\" value=\"\" />\n"
                    "<input type=\"hidden\" name=\"__EVENTARGUMENT\" id=\"__EVENTARGUMENT\" value=\"\" />\n"
                    f"<input type=\"hidden\" name=\"__VIEWSTATE\" id=\"__VIEWSTATE\" value=\"{view_state(self.site.id, form)}\" />\n"
                    f"<input type=\"hidden\" name=\"__EVENTVALIDATION\" id=\"__EVENTVALIDATION\" "
                    f"value=\"{view_state(form, self.site.id)[10:70]}\" />\n</div>\n<script type=\"text/javascript\">\n//<![CDATA[\nvar theForm = document.forms['aspnetForm'];\n"
                    "if (!theForm) {\n    theForm = document.aspnetForm;\n}\nfunction __doPostBack(eventTarget, eventArgument) {\n"
                    "    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {\n        theForm.__EVENTTARGET.value = eventTarget;\n"
                    "        theForm.__EVENTARGUMENT.value = eventArgument;\n        theForm.submit();\n    }\n}\n//]]>\n</script>\n"
                    f"{body}\n</form>")
        doctype = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/"
                   "xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">" if self.variant == "aspnet"
                   else "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html>")
        return (f"{doctype}<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\" />\n"
                f"<title>{esc(title)}--{esc(self.site_name())}</title>\n<style type=\"text/css\">body{{margin:0;font-size:12px}}"
                f" td{{font-size:12px}} .{self.head_cls} span{{font-weight:bold}}</style>\n</head>\n"
                f"<body leftmargin=\"0\" topmargin=\"0\">\n{body}\n</body></html>")

    def bare(self, title: str, main: str) -> str:
        """A page without chrome: shown inside a frame or a window.open popup."""
        return (f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\">"
                f"<title>{esc(title)}</title><style>body{{margin:4px;font-size:12px}} td{{font-size:12px}}</style>"
                f"</head><body>\n{main}\n</body></html>")

    def menu(self, unit: Unit, current: Column | None = None) -> str:
        look = self.look()
        if self.variant == "iframe":    # image buttons, the name only in alt
            rows = "".join(f"<tr><td height=\"30\"><a href=\"{esc(self.column_path(unit, c))}\"><img src=\"{self.button_path(c)}\""
                           f" alt=\"{esc(c.label)}\" width=\"160\" height=\"28\" border=\"0\"></a></td></tr>" for c in unit.columns)
            return f"<table id=\"{look.side_id}\" width=\"180\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\">{rows}</table>"
        if self.variant == "aspnet":    # an ASP.NET TreeView
            rows = "".join(f"<table cellpadding=\"0\" cellspacing=\"0\" style=\"border-width:0;\"><tr><td><img src=\""
                           f"{self.icon_path('doc')}\" alt=\"\" style=\"border-width:0;\" /></td><td style=\"white-space:nowrap;\">"
                           f"<a class=\"ctl00_TreeView1_0\" href=\"{esc(self.column_path(unit, c))}\" id=\"ctl00_TreeView1t{n}\">"
                           f"{esc(c.label)}</a></td></tr></table>" for n, c in enumerate(unit.columns))
            return f"<div id=\"ctl00_TreeView1\">{rows}</div>"
        return self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)

    def pager(self, pages: int, page: int, href, total: int) -> str:
        """共 N 页 当前第 P 页 首页 上一页 下一页 尾页: links where they lead somewhere, text elsewhere."""
        def link(text: str, target: int, live: bool) -> str:
            url = href(target)    # __doPostBack('pager','2') is written as is, quotes and all
            return f"<a href=\"{url if url.startswith('javascript:') else esc(url)}\">{text}</a>" if live else text
        return (f"<div class=\"page\" align=\"center\">共 {total} 条记录&nbsp;共 {pages} 页&nbsp;当前第 {page} 页&nbsp;"
                f"{link('首页', 1, page > 1)}&nbsp;{link('上一页', page - 1, page > 1)}&nbsp;"
                f"{link('下一页', page + 1, page < pages)}&nbsp;{link('尾页', pages, page < pages)}</div>")

    # ---- list rows

    def entry_link(self, unit: Unit, column: Column, article: Article, cut: bool = True) -> str:
        shown = shorten(article.title, self.cut, "...") if cut else article.title
        title = f" title=\"{esc(article.title)}\"" if shown != article.title else ""
        href = self.article_path(unit, column, article)
        if self.variant == "iframe":
            return (f"<a href=\"javascript:void(0)\" onclick=\"window.open('{href}','',"
                    f"'width=800,height=600,scrollbars=yes')\"{title}>{esc(shown)}</a>")
        return f"<a href=\"{esc(href)}\" target=\"_blank\"{title}>{esc(shown)}</a>"

    def rows(self, unit: Unit, column: Column, articles: list[Article], cut: bool = True) -> str:
        look = self.look()
        out = []
        for article in articles:
            out.append(f"<tr><td width=\"12\" align=\"center\">·</td><td height=\"24\">{self.entry_link(unit, column, article, cut)}"
                       f"</td><td width=\"100\" align=\"right\" class=\"{look.date_cls}\">{self.show_date(article.date, column)}</td></tr>"
                       "<tr><td colspan=\"3\" height=\"1\" bgcolor=\"#DDDDDD\"></td></tr>")
        return (f"<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" class=\"{look.list_cls}\">"
                f"{''.join(out)}</table>")

    def block(self, title: str, more: str, inner: str) -> str:
        return (f"<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" class=\"lmbox\"><tr><td>"
                f"<div class=\"{self.head_cls}\"><span>{esc(title)}</span><a href=\"{esc(more)}\">更多&gt;&gt;</a></div></td></tr>"
                f"<tr><td valign=\"top\" height=\"180\">{inner}</td></tr></table>")

    # ---- pages

    def home_page(self) -> str:
        unit = self.unit
        news = [c for c in unit.columns if c.ref in ("工作动态", "通知公告") and c.articles]
        blocks = "".join(f"<td width=\"50%\" valign=\"top\">"
                         f"{self.block(c.label, self.column_path(unit, c), self.rows(unit, c, c.articles[:6]))}</td>"
                         for c in news)
        notice = (f"<p align=\"center\"><a href=\"{self.section_path(unit)}\"><b>进入政府信息公开专栏</b></a></p>")
        return self.page("首页", f"<table width=\"100%\"><tr>{blocks}</tr></table>{notice}")

    def overview(self, unit: Unit) -> str:
        """Blocks, one per column, with the newest few; a column's real list is only behind 更多."""
        look, cells = self.look(), []
        frame = self.variant == "frameset"
        for column in unit.columns:
            more = self.column_path(unit, column)
            folder = self.section_path(unit).rsplit("/", 1)[0] + "/"
            more = more.removeprefix(folder)    # list.asp?classid=7, gzdt/index.htm: relative, as the tools wrote them
            count = 5 + self.column_number(unit, column) % 4
            if column.role == "leaders":
                inner = "<br>".join(f"{esc(l.name)}&nbsp;{esc(l.post)}" for l in unit.leaders)
            elif column.role == "workflows":
                inner = "<br>".join(f"·{esc(w.title)}" for w in unit.workflows)
            elif column.role == "mailbox":
                inner = "<br>".join(f"·<a href=\"{esc(self.letter_path(unit, x))}\">{esc(x.title)}</a>"
                                    for x in (unit.letters or [])[:count])
            elif column.articles:
                inner = self.rows(unit, column, column.articles[:count])
            else:
                inner = f"<p align=\"center\">{look.empty_text}</p>"
            cells.append(f"<td width=\"50%\" valign=\"top\">{self.block(column.label, more, inner)}</td>")
        grid = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
        main = f"<table width=\"100%\" border=\"0\" cellspacing=\"6\" cellpadding=\"0\" class=\"gkbox\">{grid}</table>"
        return self.bare("政府信息公开", main) if frame else self.page("政府信息公开", main)

    def section_page(self, unit: Unit) -> str:
        if self.variant == "dongyi":
            return self.overview(unit)
        if self.variant == "frameset":
            return (f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={self.meta_charset}\">"
                    f"<title>政府信息公开--{esc(self.site_name())}</title></head>\n<frameset rows=\"100,*\" frameborder=\"no\" "
                    "border=\"0\" framespacing=\"0\">\n  <frame src=\"top.htm\" name=\"topFrame\" scrolling=\"no\" noresize>\n"
                    "  <frameset cols=\"190,*\" frameborder=\"no\" border=\"0\" framespacing=\"0\">\n"
                    "    <frame src=\"left.htm\" name=\"leftFrame\" scrolling=\"auto\">\n"
                    "    <frame src=\"main.htm\" name=\"mainFrame\">\n  </frameset>\n</frameset>\n"
                    "<noframes><body>您的浏览器不支持框架，请升级浏览器。</body></noframes>\n</html>")
        intro = (f"<p style=\"text-indent:2em;line-height:22px\">为进一步推进政务公开，根据《中华人民共和国政府信息公开条例》，"
                 f"{esc(unit.name)}开设政府信息公开专栏，请点击左侧栏目查看。</p>")
        return self.page("政府信息公开", intro, left=self.menu(unit))

    def frame_top(self, unit: Unit) -> str:
        return self.bare(self.site_name(), f"<table width=\"100%\" height=\"96\" bgcolor=\"#1E5FA8\"><tr><td><font size=\"5\" "
                         f"color=\"#FFFFFF\"><b>{esc(self.site_name())}政府信息公开</b></font>&nbsp;&nbsp;<a href=\""
                         f"{HOMES[self.variant]}\" target=\"_top\"><font color=\"#FFFFFF\">返回首页</font></a></td></tr></table>")

    def frame_left(self, unit: Unit) -> str:
        rows = "".join(f"<tr><td height=\"26\">&nbsp;<a href=\"{esc(self.column_path(unit, c))}\" target=\"mainFrame\">"
                       f"{esc(c.label)}</a></td></tr>" for c in unit.columns)
        return self.bare("目录", f"<table width=\"180\" border=\"0\" class=\"{self.look().side_id}\"><tr><td><b>信息公开目录</b>"
                                 f"</td></tr>{rows}</table>")

    def frame_holder(self, unit: Unit, column: Column) -> str:
        """iframe: the column page is chrome; its list is in the frame."""
        main = (f"<table width=\"100%\"><tr><td class=\"{self.head_cls}\"><span>{esc(column.label)}</span></td></tr><tr><td>"
                f"<iframe src=\"{self.frame_path(unit, column).rsplit('/', 1)[-1]}\" name=\"list\" width=\"100%\" height=\"640\" "
                "frameborder=\"0\" scrolling=\"auto\"></iframe></td></tr></table>")
        return self.page(column.label, main, left=self.menu(unit, column))

    def list_main(self, unit: Unit, column: Column, page: int) -> str:
        if not column.articles:
            return f"<p align=\"center\">{self.look().empty_text}</p>"
        pages = page_count(len(column.articles), column.per_page)
        shown = page_slice(column.articles, page, column.per_page)
        if self.variant == "aspnet":
            href = lambda n: f"javascript:__doPostBack('{self.pager_name}','{n}')"    # noqa: E731
        elif self.variant == "iframe":
            href = lambda n: self.frame_path(unit, column, n).rsplit("/", 1)[-1]   # noqa: E731
        elif self.variant == "frameset":
            href = lambda n: self.column_path(unit, column, n).rsplit("/", 1)[-1]   # noqa: E731
        else:
            href = lambda n: self.column_path(unit, column, n).rsplit("/", 1)[-1]   # noqa: E731
        return self.rows(unit, column, shown) + self.pager(pages, page, href, len(column.articles))

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        main = self.list_main(unit, column, page)
        if self.variant in ("iframe", "frameset"):
            heading = "" if self.variant == "iframe" else f"<div class=\"{self.head_cls}\"><span>{esc(column.label)}</span></div>"
            return self.bare(column.label, heading + main)
        main = self.crumbs(unit, column) + main
        if self.variant == "aspnet":
            return self.page(column.label, f"<div class=\"{self.head_cls}\"><span>{esc(column.label)}</span></div>{main}",
                             left=self.menu(unit, column), form=self.column_path(unit, column).rsplit("/", 1)[-1])
        return self.page(column.label, f"<div class=\"{self.head_cls}\"><span>{esc(column.label)}</span></div>{main}",
                         left=self.menu(unit, column))

    def crumbs(self, unit: Unit, column: Column) -> str:
        return (f"<div class=\"weizhi\">您现在的位置：<a href=\"{HOMES[self.variant]}\">网站首页</a> &gt;&gt; "
                f"<a href=\"{self.section_path(unit)}\">信息公开</a> &gt;&gt; {esc(column.label)}</div>")

    def postback_list(self, request: Request) -> Response:
        """List.aspx?cid=N: GET is page 1; the pager posts __EVENTTARGET/__EVENTARGUMENT for another page."""
        unit = self.unit
        cid = request.query.get("cid", [""])[0]
        column = next((c for c in unit.columns if str(self.cid(unit, c)) == cid and c.role in ("list", "personnel")), None)
        if column is None:
            return self.html(self.not_found_page(), status=404)
        page = 1
        if request.method == "POST" and request.form.get("__EVENTTARGET", [""])[0] == self.pager_name:
            try:
                page = int(request.form.get("__EVENTARGUMENT", ["1"])[0])
            except ValueError:
                page = 1
        page = max(1, min(page, page_count(len(column.articles), column.per_page)))
        return self.html(self.list_page(unit, column, page))

    def hit_counter(self, request: Request) -> Response:
        """点击数: a script the article page loads (document.write of the count)."""
        hits = sum(map(ord, request.query.get("id", ["0"])[0])) % 300 + 12
        return Response(body=f"document.write('{hits}');".encode(), content_type="application/x-javascript")

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        day = self.show_date(article.date) if self.date_style != "bracket" else (fmt_date(article.date, "cn") if article.date else "")
        stamp = f"发布时间：{day.strip('()')}&nbsp;&nbsp;" if day else ""
        main = (f"<table width=\"100%\" border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" height=\"40\">"
                f"<font size=\"4\"><b>{esc(article.title)}</b></font></td></tr><tr><td align=\"center\" class=\"{look.date_cls}\">"
                f"{stamp}来源：{esc(unit.name)}&nbsp;&nbsp;点击数：<script src=\"/count.asp?id={article.id}\"></script></td></tr>"
                f"<tr><td height=\"1\" bgcolor=\"#CCCCCC\"></td></tr><tr><td class=\"content\" style=\"line-height:24px\">"
                f"{self.body_html(unit, article)}{self.attachments_html(unit, column, article, look)}</td></tr></table>")
        if self.variant == "iframe":
            return self.bare(article.title, main + "<p align=\"center\"><a href=\"javascript:window.close()\">【关闭窗口】</a></p>")
        return self.page(article.title, main, left="" if self.variant == "frameset" else self.menu(unit, column))

    def leaders_page(self, unit: Unit, column: Column) -> str:
        if self.leader_layout(unit) == "table":
            rows = "".join(f"<tr><td align=\"center\">{self.img(self.photo_src(unit, i, l), 60, 80)}</td><td align=\"center\">"
                           f"{esc(l.name)}</td><td align=\"center\">{esc(l.post)}</td><td>{esc(l.duties)}</td></tr>"
                           for i, l in enumerate(unit.leaders))
            main = (f"<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"4\" bordercolor=\"#CCCCCC\" "
                    f"style=\"border-collapse:collapse\"><tr bgcolor=\"#EEEEEE\"><td>照片</td><td>姓名</td><td>职务</td>"
                    f"<td>分工</td></tr>{rows}</table>")
        else:   # 领导之窗: photo links to a page per leader
            cells = []
            for i, l in enumerate(unit.leaders):
                href = self.leader_page_path(unit, i)
                src = self.photo_src(unit, i, l)
                pic = f"<a href=\"{href}\">{self.img(src, 90, 120)}</a><br>" if src else ""
                cells.append(f"<td align=\"center\" width=\"25%\">{pic}<a href=\"{href}\">{esc(l.name)}</a><br>{esc(l.post)}</td>")
            main = "<table width=\"100%\" border=\"0\" cellpadding=\"6\">" + "".join(
                f"<tr>{''.join(cells[i:i + 4])}</tr>" for i in range(0, len(cells), 4)) + "</table>"
        main = f"<div class=\"{self.head_cls}\"><span>{esc(column.label)}</span></div>{main}"
        return self.bare(column.label, main) if self.variant == "frameset" else self.page(column.label, main, left=self.menu(unit, column))

    @staticmethod
    def img(src: str | None, width: int, height: int) -> str:
        return f"<img src=\"{esc(src)}\" width=\"{width}\" height=\"{height}\" border=\"0\">" if src else ""

    def leader_page(self, unit: Unit, index: int) -> str:
        leader = unit.leaders[index]
        main = (f"<table width=\"90%\" align=\"center\" border=\"0\" cellpadding=\"6\"><tr><td width=\"170\" rowspan=\"3\" "
                f"valign=\"top\">{self.img(self.photo_src(unit, index, leader), 150, 200)}</td><td>姓名：{esc(leader.name)}</td></tr>"
                f"<tr><td>职务：{esc(leader.post)}</td></tr><tr><td>工作分工：{esc(leader.duties)}</td></tr></table>")
        return self.bare(leader.name, main) if self.variant == "frameset" else self.page(leader.name, main, left=self.menu(unit))

    def chart_html(self, unit: Unit, index: int) -> str:
        """In a body: the <img> (or the download); in a table: 点击查看流程图 / the file's name."""
        workflow = unit.workflows[index]
        link = self.flowchart_link(unit, index, workflow)
        if link is None:
            return "办理流程：" + " → ".join(esc(s) for s in self.FLOW_STEPS)
        ext = self.flowchart_ext(workflow)
        if self.workflow_layout(unit) == "pages":
            if link[0] == "img":
                return (f"<p align=\"center\"><img src=\"{esc(link[1])}\" border=\"0\" "
                        "onload=\"if(this.width>600)this.width=600\"></p>")
            return f"<p>附件：<img src=\"{self.icon_path(ext)}\" border=\"0\"><a href=\"{esc(link[1])}\">{esc(workflow.title)}.{ext}</a></p>"
        if link[0] == "img":
            return f"<a href=\"{esc(link[1])}\" target=\"_blank\">点击查看流程图</a>"
        return f"<a href=\"{esc(link[1])}\">{esc(workflow.title)}.{ext}</a>（{'表格' if ext == 'xls' else '文档'}下载）"

    def workflows_page(self, unit: Unit, column: Column) -> str:
        if self.workflow_layout(unit) == "pages":
            rows = "".join(f"<tr><td width=\"12\">·</td><td height=\"24\"><a href=\"{esc(self.workflow_page_path(unit, i))}\" "
                           f"target=\"_blank\">{esc(w.title)}</a></td></tr>" for i, w in enumerate(unit.workflows))
        else:
            rows = "".join(f"<tr><td height=\"26\">{esc(w.title)}</td><td>{self.chart_html(unit, i)}</td></tr>"
                           for i, w in enumerate(unit.workflows))
        main = (f"<div class=\"{self.head_cls}\"><span>{esc(column.label)}</span></div><table width=\"100%\" border=\"0\" "
                f"class=\"{self.look().list_cls}\">{rows}</table>")
        return self.bare(column.label, main) if self.variant == "frameset" else self.page(column.label, main, left=self.menu(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        workflow = unit.workflows[index]
        main = (f"<table width=\"100%\"><tr><td align=\"center\" height=\"40\"><font size=\"4\"><b>{esc(workflow.title)}</b>"
                f"</font></td></tr><tr><td class=\"content\"><p>　　{esc(unit.name)}{esc(workflow.title)}如下：</p>"
                f"{self.chart_html(unit, index)}</td></tr></table>")
        return self.page(workflow.title, main, left="" if self.variant == "frameset" else self.menu(unit))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        heads = "".join(f"<td align=\"center\">{h}</td>" for h in self.gbook_heads)
        rows = "".join(f"<tr><td align=\"center\">{x.id}</td><td><a href=\"{esc(self.letter_path(unit, x))}\" target=\"_blank\">"
                       f"{esc(x.title)}</a></td><td align=\"center\">{self.letter_date(x)}</td>"
                       f"<td align=\"center\">{STATES[x.status]}</td></tr>"
                       for x in page_slice(unit.letters or [], page, LETTERS_PER_PAGE))
        pages = self.letter_pages(unit)
        pager = self.pager(pages, page, lambda n: self.mailbox_path(unit, n), len(unit.letters or [])) if pages > 1 else ""
        main = (f"<div class=\"{self.head_cls}\"><span>{esc(label)}</span></div><table width=\"100%\" border=\"1\" cellspacing=\"0\" "
                f"cellpadding=\"3\" bordercolor=\"#CCCCCC\" style=\"border-collapse:collapse\"><tr bgcolor=\"#EEEEEE\">{heads}</tr>"
                f"{rows}</table>{pager}<p align=\"right\"><a href=\"#\" onclick=\"alert('请先登录');return false;\">我要留言</a></p>")
        return self.page(label, main)

    def letter_date(self, letter: Letter) -> str:
        return fmt_date(letter.received, "iso") if self.date_style == "bracket" else self.show_date(letter.received).strip("()")

    def letter_page(self, unit: Unit, letter: Letter) -> str:
        day = lambda d: f"{d:%Y-%m-%d} {9 + letter.id % 8:02d}:{letter.id % 60:02d}:00"   # noqa: E731
        reply = ""
        if letter.answered:
            text = ("您反映的问题已收悉，我单位高度重视，已安排相关股室调查处理，处理结果将及时告知。" if letter.status == "已受理"
                    else "您好！您反映的问题经调查核实，已按有关政策规定处理完毕。感谢您对我们工作的关心和支持。")
            reply = (f"<tr><td bgcolor=\"#F5F5F5\">回复内容：</td><td>{text}</td></tr>"
                     f"<tr><td bgcolor=\"#F5F5F5\">回复时间：</td><td>{day(letter.answered)}</td></tr>")
        main = (f"<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"5\" bordercolor=\"#CCCCCC\" "
                f"style=\"border-collapse:collapse\"><tr><td width=\"100\" bgcolor=\"#F5F5F5\">留言主题：</td><td>{esc(letter.title)}"
                f"</td></tr><tr><td bgcolor=\"#F5F5F5\">留言时间：</td><td>{day(letter.received)}</td></tr>"
                f"<tr><td bgcolor=\"#F5F5F5\">处理状态：</td><td>{STATES[letter.status]}</td></tr>"
                f"<tr><td bgcolor=\"#F5F5F5\">留言内容：</td><td>{esc(unit.name)}领导：您好！我想反映{esc(letter.title)}的问题，"
                f"希望能尽快解决，谢谢！</td></tr>{reply}</table>")
        return self.page(letter.title, main)
