"""County unit sites built 2016-2024 on commercial CMS platforms (blind family "cms2020").

Three platforms, one per site (by the site's place in the web, so each is shown), each with its own
class names, wrapper depth, labels and date formats (blindkit.Look):

- jcms   a 大汉 JCMS-style site: the home page reaches 信息公开 by an image banner (<img alt>); columns
         /col/col1234/index.html paged by <div id="page"> links ?uid=..&pageNum=N with 共X条 每页15条
         页次1/3 and a <select onchange> jump; articles /art/2021/9/15/art_1234_5678.html with a line
         发布时间：2021-09-15 10:32 来源：… 浏览次数：; attachments /module/download/downfile.jsp?classid=0&filename=…;
         leaders as cards (div.ldxx-item: img, h3 name, 职务：, 分工：).
- kpy    a 开普云-style 信息公开平台 at /xxgk/index.jhtml: a 左侧目录树 of <dl><dt> groups and <dd><a> columns
         col.jsp?id=1234&cid=5 (paged &pageNo=N); lists as a 信息公开目录 table 索引号/名称/生成日期/文号
         (09-15 for this year's entries); articles with a metadata table 索引号/发布机构/生成日期/文号/主题分类;
         one page per leader (photo left, 简历 and 分工 right).
- wcm    a 拓尔思 WCM / 网站群 site: 政府信息公开 /zfxxgk/, columns /zfxxgk/{slug}/index.jhtml → index_2.jhtml;
         lists <li><a title="full title">cut title…</a><span class="date">2021.09.15</span></li>; articles with
         a metadata table; leader cards, their photos served as WebP.

Every platform: a 办事服务 column whose items are pages (chart image in the body, a PDF, a page saying only
详见附件 with the file, or steps as text with no chart); the mailbox as a table 信件编号/信件标题/来信时间/
办理状态/答复时间 with a page per letter (来信内容, 答复内容/答复单位/答复时间).
"""
from __future__ import annotations

import io
from datetime import date
from functools import lru_cache, partial

from PIL import Image

from sandbox import media
from sandbox.families.blindkit import BlindRenderer, Look, fmt_date
from sandbox.families.common import LETTERS_PER_PAGE, Response, esc, page_count, page_slice, shorten, stable_pick
from sandbox.model import Article, Column, Leader, Letter, Unit, Workflow

VARIANTS = ("jcms", "kpy", "wcm")
STATUS_WORDS = {"jcms": {"未受理": "待受理", "已受理": "办理中", "已办结": "已办结"},
                "kpy": {"未受理": "待受理", "已受理": "已受理", "已办结": "已办结"},
                "wcm": {"未受理": "未受理", "已受理": "办理中", "已办结": "已办结"}}
def webp_photo(kind: str, width: int, height: int, seed: int) -> Response:
    """A leader photo the platform re-encoded as WebP (the same picture as the JPEG would be)."""
    jpeg, _ = media.photo_bytes(kind, width, height, seed)
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, format="WEBP", quality=80)
    return Response(body=out.getvalue(), content_type="image/webp")


@lru_cache(maxsize=4)
def chrome_image(width: int, height: int, fmt: str) -> bytes:
    """The site's banner or logo (a flat colour band: chrome, no content)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (25, 92, 168)).save(out, format=fmt)
    return out.getvalue()


STYLE = b"body{margin:0;font:14px/1.8 'Microsoft YaHei'}.left-side{float:left;width:240px}.right-side{margin-left:260px}"
CUR = " class=\"cur\""
BANNERS = ("政府信息公开", "信息公开专栏", "法定主动公开内容")


class CmsRenderer(BlindRenderer):
    family = "cms2020"
    HOME = "/"
    leader_layouts = ("cards",)
    workflow_layouts = ("pages",)

    def __init__(self, web, site):
        place = [s.id for s in web.sites if s.family == "cms2020"].index(site.id)
        self.variant = VARIANTS[place % len(VARIANTS)]
        self.base_cid = 1000 + 37 * place
        super().__init__(web, site)

    @property
    def unit(self) -> Unit:
        return self.units[0]

    def site_name(self) -> str:
        county = self.web.county_name or "建始县"
        return f"{county}{self.unit.name}人民政府" if self.unit.kind == "乡镇" else f"{county}{self.unit.name}"

    def leader_layout(self, unit: Unit) -> str:
        return "pages" if self.variant == "kpy" else "cards"

    def cid(self, unit: Unit, column: Column) -> int:
        return self.base_cid * 10 + self.column_number(unit, column) + 1

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return {"jcms": "/col/col%d/index.html" % (self.base_cid * 10), "kpy": "/xxgk/index.jhtml",
                "wcm": "/zfxxgk/"}[self.variant]

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        cid = self.cid(unit, column)
        if self.variant == "jcms":
            base = f"/col/col{cid}/index.html"
            return base if page == 1 else f"{base}?uid={cid + 4000}&pageNum={page}"
        if self.variant == "kpy":
            base = f"/xxgk/col.jsp?id={cid}&cid={self.base_cid % 97}"
            return base if page == 1 else f"{base}&pageNo={page}"
        return f"/zfxxgk/{column.slug}/index.jhtml" if page == 1 else f"/zfxxgk/{column.slug}/index_{page}.jhtml"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.date or date(2019, 1, 1)
        if self.variant == "jcms":
            return f"/art/{day.year}/{day.month}/{day.day}/art_{self.cid(unit, column)}_{article.id}.html"
        if self.variant == "kpy":
            return f"/xxgk/content.jsp?id={article.id}&cid={self.cid(unit, column)}"
        return f"/zfxxgk/{column.slug}/{day:%Y%m}/t{day:%Y%m%d}_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        ext = article.attachments[index].ext
        if self.variant == "wcm":
            return f"/zfxxgk/{column.slug}/{article.id}/P0{index + 1}{article.id % 1000:03d}.{ext}"
        return f"/module/download/downfile.jsp?classid=0&filename={article.id:x}{index + 1}a.{ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/picture/0/{leader.photo.seed % 10**8:08d}.{self.photo_ext(leader)}"

    def photo_ext(self, leader: Leader) -> str:
        webp = self.variant == "wcm" and leader.photo.kind in ("good", "tiny", "blurred")
        return "webp" if webp else super().photo_ext(leader)

    def register_photo(self, unit: Unit, index: int, leader: Leader) -> None:
        photo = leader.photo
        if self.photo_ext(leader) == "webp":
            self.add(self.photo_path(unit, index, leader), partial(webp_photo, photo.kind, photo.width, photo.height,
                                                                   photo.seed))
            return
        super().register_photo(unit, index, leader)

    def placeholder_path(self, width: int, height: int) -> str:
        return "/images/moren_touxiang.jpg" if self.variant != "wcm" else "/images/ldxx/default_photo.jpg"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/ldxx.jsp?id={index + 1}&cid={self.base_cid % 97}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        if self.variant == "jcms":
            return f"/art/2020/6/{index + 1}/art_{self.cid(unit, column)}_{self.base_cid + index}.html"
        if self.variant == "kpy":
            return f"/xxgk/content.jsp?id={self.base_cid * 100 + index}&cid={self.cid(unit, column)}"
        return f"/zfxxgk/{column.slug}/lct_{index + 1}.html"

    def flowchart_ext(self, workflow: Workflow) -> str:
        ext = super().flowchart_ext(workflow)
        return "docx" if ext == "doc" and workflow.flowchart.kind == "attachment_doc" else ext

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        if ext in ("jpg", "png"):
            return f"/picture/0/lct{workflow.flowchart.seed % 10**6:06d}.{ext}"
        return f"/module/download/downfile.jsp?classid=0&filename=lc{workflow.flowchart.seed % 10**6:06d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        base = {"jcms": "/module/xxgk/letterlist.jsp?webid=12", "kpy": "/hdjl/xjxx/index.jhtml",
                "wcm": "/hdjl/ldxx/"}[self.variant]
        if page == 1:
            return base
        return f"{base}&pageNum={page}" if self.variant == "jcms" else base.replace("index.jhtml", f"index_{page}.jhtml") \
            if self.variant == "kpy" else f"{base}index_{page}.html"

    def letter_path(self, unit: Unit, letter: Letter) -> str:
        if self.variant == "jcms":
            return f"/module/xxgk/letter.jsp?webid=12&id={letter.id}"
        return f"/hdjl/xjxx/{letter.id}.jhtml" if self.variant == "kpy" else f"/hdjl/ldxx/xj_{letter.id}.html"

    # ---- registration

    def register_site(self) -> None:
        super().register_site()
        self.add("/images/xxgk_banner.jpg", partial(Response, body=chrome_image(1200, 90, "JPEG"), content_type="image/jpeg"))
        self.add("/images/logo.png", partial(Response, body=chrome_image(400, 80, "PNG"), content_type="image/png"))
        self.add("/css/style.css", partial(Response, body=STYLE, content_type="text/css"))
        self.dynamic["/module/visitcount/articlehits.jsp"] = lambda request: Response(
            body=f"document.write('{sum(map(ord, request.query.get('artid', ['0'])[0])) % 500 + 20}');".encode(),
            content_type="application/x-javascript")

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        for letter in unit.letters or []:
            self.add_page(self.letter_path(unit, letter), self.letter_page, unit, letter)

    # ---- chrome

    def page(self, title: str, main: str, current: Column | None = None, crumb: str = "") -> str:
        look = self.look()
        unit = self.unit
        name = self.site_name()
        section = self.section_path(unit)
        if title == "首页":
            left = ""
        elif self.variant == "kpy":
            left = self.catalogue(unit, current)
        else:
            left = self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)
        top = {"jcms": f"<div id=\"top\"><div class=\"logo\"><img src=\"/images/logo.png\" alt=\"{esc(name)}\"></div></div>",
               "kpy": f"<div class=\"header\"><h1>{esc(name)}信息公开平台</h1></div>",
               "wcm": f"<div class=\"top-banner\"><span class=\"site-name\">{esc(name)}</span></div>"}[self.variant]
        here = f" &gt; {crumb}" if crumb else ""
        interact = f"<li><a href=\"{esc(self.mailbox_path(unit))}\">互动交流</a></li>" if unit.letters is not None else ""
        position = "" if title == "首页" else (f"<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; "
                                                f"<a href=\"{section}\">政府信息公开</a>{here}</div>")
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="{esc(name)}"><meta name="ColumnName" content="{esc(current.label if current else title)}">
<title>{esc(title)}_{esc(name)}</title><link rel="stylesheet" href="/css/style.css"></head><body>
{top}<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="{section}">政务公开</a></li>{interact}</ul></div>
<div class="{look.wrap}">{position}
{f'<div class="left-side">{left}</div>' if left else ''}<div class="right-side">{look.nest(main)}</div></div>
<div class="footer"><p>主办：{esc(name)}　技术支持：{'南京大汉网络有限公司' if self.variant == 'jcms' else '网站群平台'}</p>
<p>网站标识码：{4290000000 + self.base_cid}　备案号：鄂ICP备05003321号</p></div></body></html>"""

    def catalogue(self, unit: Unit, current: Column | None) -> str:
        """The 左侧目录树: <dl> per group, <dt> the group, <dd><a> its columns."""
        groups: dict[str, list[Column]] = {}
        for c in unit.columns:
            groups.setdefault(c.group or c.label, []).append(c)
        blocks = []
        for group, columns in groups.items():
            dds = "".join(f"<dd{CUR if c is current else ''}><a href=\"{esc(self.column_path(unit, c))}\">"
                          f"{esc(c.label)}</a></dd>" for c in columns)
            blocks.append(f"<dl><dt>{esc(group)}</dt>{dds}</dl>")
        return f"<div class=\"mlTree\" id=\"{self.look().side_id}\"><h2>信息公开目录</h2>{''.join(blocks)}</div>"

    # ---- pages

    def home_page(self) -> str:
        unit = self.unit
        section = self.section_path(unit)
        label = stable_pick(BANNERS, self.site.id, "banner")
        if self.variant == "jcms":
            door = (f"<div class=\"xxgk-banner\"><a href=\"{section}\" target=\"_blank\">"
                    f"<img src=\"/images/xxgk_banner.jpg\" alt=\"{label}\" width=\"1200\" height=\"90\"></a></div>")
        else:
            door = f"<div class=\"rk\"><a href=\"{section}\" class=\"xxgk\">{label}</a></div>"
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        items = "".join(f"<li><a href=\"{esc(self.article_path(unit, news, a))}\" title=\"{esc(a.title)}\">"
                        f"{esc(shorten(a.title, 20))}</a></li>" for a in (news.articles[:7] if news else []))
        main = f"{door}<div class=\"index-news\"><div class=\"tit\">{esc(news.label) if news else '要闻'}</div><ul>{items}</ul></div>"
        return self.page("首页", main)

    def section_page(self, unit: Unit) -> str:
        intro = (f"<div class=\"xxgk-intro\"><h2>{esc(unit.name)}政府信息公开</h2><p>根据《中华人民共和国政府信息公开条例》，"
                 f"本平台公开{esc(unit.name)}法定主动公开内容，请点击左侧目录查看。</p></div>")
        if self.variant == "wcm":
            cells = "".join(f"<li><a href=\"{esc(self.column_path(unit, c))}\">{esc(c.label)}</a></li>" for c in unit.columns)
            intro += f"<ul class=\"xxgk-lm\">{cells}</ul>"
        return self.page("政府信息公开", intro)

    def list_date(self, article: Article, look: Look) -> str:
        if not article.date:
            return ""
        if self.variant == "kpy" and article.date.year == self.web.as_of.year:
            return f"{article.date:%m-%d}"
        return fmt_date(article.date, "dot" if self.variant == "wcm" else look.date_fmt)

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look()
        head = f"<div class=\"lm-title\"><span>{esc(column.label)}</span></div>"
        if not column.articles:
            return self.page(column.label, head + self.empty_block(look), column, esc(column.label))
        shown = page_slice(column.articles, page, column.per_page)
        if self.variant == "kpy":
            rows = "".join(f"<tr><td>{self.index_no(unit, a)}</td><td class=\"bt\"><a href=\"{esc(self.article_path(unit, column, a))}\" "
                           f"target=\"_blank\" title=\"{esc(a.title)}\">{esc(shorten(a.title, 28))}</a></td>"
                           f"<td>{self.list_date(a, look)}</td><td>{self.doc_no(unit, a)}</td></tr>" for a in shown)
            items = (f"<table class=\"{look.list_cls}\" width=\"100%\"><tr class=\"th\"><th width=\"22%\">索引号</th><th>名称</th>"
                     f"<th width=\"12%\">生成日期</th><th width=\"16%\">文号</th></tr>{rows}</table>")
        elif self.variant == "jcms" and look.date_pos == "table":
            rows = "".join(f"<tr><td><a href=\"{esc(self.article_path(unit, column, a))}\" target=\"_blank\">{esc(a.title)}</a></td>"
                           f"<td>{self.list_date(a, look)}</td><td>{self.doc_no(unit, a)}</td></tr>" for a in shown)
            items = f"<table class=\"{look.list_cls}\"><tr><th>标题</th><th>发布日期</th><th>文号</th></tr>{rows}</table>"
        else:
            rows = "".join(f"<li><a href=\"{esc(self.article_path(unit, column, a))}\" target=\"_blank\" title=\"{esc(a.title)}\">"
                           f"{esc(shorten(a.title, 24))}</a>" + (f"<span class=\"date\">{self.list_date(a, look)}</span>" if a.date else "")
                           + "</li>" for a in shown)
            items = f"<ul class=\"{look.list_cls}\">{rows}</ul>"
        pager = self.pager(len(column.articles), column.per_page, page, lambda n: self.column_path(unit, column, n))
        return self.page(column.label, head + items + pager, column, esc(column.label))

    def pager(self, total: int, per_page: int, page: int, href) -> str:
        pages = page_count(total, per_page)
        if pages <= 1:
            return ""
        if self.variant == "jcms":
            links = [f"<a href=\"{esc(href(1))}\">首页</a>"]
            if page > 1:
                links.append(f"<a href=\"{esc(href(page - 1))}\">上页</a>")
            if page < pages:
                links.append(f"<a href=\"{esc(href(page + 1))}\">下页</a>")
            links.append(f"<a href=\"{esc(href(pages))}\">尾页</a>")
            options = "".join(f"<option value=\"{esc(href(n))}\"{' selected' if n == page else ''}>第{n}页</option>"
                              for n in range(1, pages + 1))
            return (f"<div id=\"page\">共{total}条　每页{per_page}条　页次{page}/{pages}　{' '.join(links)}　转到"
                    f"<select onchange=\"window.location.href=this.value\">{options}</select></div>")
        return self.numbered_pager(pages, page, href).replace("</div>", f"<span>共{total}条</span></div>")

    def index_no(self, unit: Unit, article: Article) -> str:
        year = article.date.year if article.date else 2019
        return f"{11422823 + self.base_cid:X}/{year}-{article.id % 100000:05d}"

    @staticmethod
    def doc_no(unit: Unit, article: Article) -> str:
        if "通知" in article.title or "意见" in article.title or "办法" in article.title:
            year = article.date.year if article.date else 2019
            return f"{unit.name[:1]}政办发〔{year}〕{article.id % 40 + 1}号"
        return ""

    def static_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, self.static_content(unit, column, self.look()), column, esc(column.label))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        if self.variant == "jcms" and self.base_cid % 2:   # as a real JCMS article page writes it
            day = fmt_date(article.date, "iso") if article.date else ""
            meta = (f"<div class=\"small-title clearfix\">" + (f"<span>发布日期：{day}</span>" if day else "")
                    + f"<span>浏览次数：</span><span>信息来源：<!--<$[信息来源]>begin-->{esc(unit.name)}"
                    "<!--<$[信息来源]>end--></span></div>")
        elif self.variant == "jcms":
            stamp = f"发布时间：{fmt_date(article.date, 'iso')} {9 + article.id % 9:02d}:{article.id % 60:02d}　" if article.date else ""
            meta = (f"<div class=\"info\">{stamp}来源：{esc(unit.name)}　浏览次数：<span id=\"c\">"
                    f"<script src=\"/module/visitcount/articlehits.jsp?colid={self.cid(unit, column)}&artid={article.id}\"></script>"
                    f"</span>　字体：[<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a>]</div>")
        else:
            day = fmt_date(article.date, look.date_fmt if self.variant == "kpy" else "cn") if article.date else ""
            meta = (f"<table class=\"xxgk-meta\" width=\"100%\" border=\"1\" cellspacing=\"0\"><tr><th>索引号：</th>"
                    f"<td>{self.index_no(unit, article)}</td><th>主题分类：</th><td>{esc(column.label)}</td></tr>"
                    f"<tr><th>发布机构：</th><td>{esc(self.site_name())}</td><th>生成日期：</th><td>{day}</td></tr>"
                    f"<tr><th>名　　称：</th><td colspan=\"3\">{esc(article.title)}</td></tr>"
                    f"<tr><th>文　　号：</th><td>{self.doc_no(unit, article)}</td><th>有效性：</th><td>有效</td></tr></table>")
        files = ""
        if article.attachments:
            links = "".join(f"<p><a href=\"{esc(self.attachment_path(unit, column, article, i))}\">{esc(a.name)}</a></p>"
                            for i, a in enumerate(article.attachments))
            files = f"<div class=\"fujian\">附件：{links}</div>"
        main = (f"<div class=\"article\"><h1 class=\"title\">{esc(article.title)}</h1>{meta}"
                f"<div class=\"zoom\" id=\"zoom\">{self.body_html(unit, article)}</div>{files}"
                f"<div class=\"btns\"><a href=\"javascript:window.print()\">【打印本页】</a>"
                f"<a href=\"javascript:window.close()\">【关闭窗口】</a></div></div>")
        return self.page(article.title, main, column,
                         f"<a href=\"{esc(self.column_path(unit, column))}\">{esc(column.label)}</a>")

    # ---- leaders

    def leaders_page(self, unit: Unit, column: Column) -> str:
        head = f"<div class=\"lm-title\"><span>{esc(column.label)}</span></div>"
        if self.leader_layout(unit) == "pages":
            items = "".join(f"<li><a href=\"{esc(self.leader_page_path(unit, i))}\">{esc(l.name)}</a>"
                            f"<span class=\"zw\">{esc(l.post)}</span></li>" for i, l in enumerate(unit.leaders))
            body = f"<ul class=\"ld-list\">{items}</ul>"
        else:
            cards = []
            for i, l in enumerate(unit.leaders):
                src = self.photo_src(unit, i, l)
                img = f"<div class=\"pic\"><img src=\"{esc(src)}\" alt=\"{esc(l.name)}\"></div>" if src else ""
                cards.append(f"<div class=\"ldxx-item\">{img}<div class=\"info\"><h3>{esc(l.name)}</h3>"
                             f"<p>职务：{esc(l.post)}</p><p>分工：{esc(l.duties)}</p></div></div>")
            body = f"<div class=\"ldxx-list\">{''.join(cards)}</div>"
        return self.page(column.label, head + body, column, esc(column.label))

    def leader_page(self, unit: Unit, index: int) -> str:
        leader = unit.leaders[index]
        column = self.leaders_column(unit)
        src = self.photo_src(unit, index, leader)
        img = f"<img src=\"{esc(src)}\" width=\"150\" height=\"200\">" if src else ""
        main = (f"<div class=\"ld-show\"><div class=\"ld-left\">{img}</div><div class=\"ld-right\">"
                f"<h2>{esc(leader.name)}</h2><p class=\"zw\">{esc(leader.post)}</p>"
                f"<div class=\"jl\"><h4>简历</h4><p>{esc(leader.name)}，男，汉族，中共党员，大学学历。</p></div>"
                f"<div class=\"fg\"><h4>分工</h4><p>{esc(leader.duties)}</p></div></div></div>")
        return self.page(leader.name, main, column,
                         f"<a href=\"{esc(self.column_path(unit, column))}\">{esc(column.label)}</a>")

    # ---- workflows

    def workflows_page(self, unit: Unit, column: Column) -> str:
        items = "".join(f"<li><a href=\"{esc(self.workflow_page_path(unit, i))}\" target=\"_blank\">{esc(w.title)}</a>"
                        f"<span class=\"date\">2020-06-{i + 1:02d}</span></li>" for i, w in enumerate(unit.workflows))
        return self.page(column.label, f"<div class=\"lm-title\"><span>{esc(column.label)}</span></div>"
                         f"<ul class=\"{self.look().list_cls}\">{items}</ul>", column, esc(column.label))

    def workflow_page(self, unit: Unit, index: int) -> str:
        workflow = unit.workflows[index]
        column = self.workflows_column(unit)
        link = self.flowchart_link(unit, index, workflow)
        if link is None:
            body = "".join(f"<p>{n}、{esc(s)}</p>" for n, s in enumerate(self.FLOW_STEPS, 1))
        elif link[0] == "img":
            body = f"<p style=\"text-align:center\"><img src=\"{esc(link[1])}\" border=\"0\"></p>"
        else:
            ext = self.flowchart_ext(workflow)
            body = (f"<p>详见附件。</p><div class=\"fujian\">附件：<a href=\"{esc(link[1])}\">{esc(workflow.title)}.{ext}</a></div>")
        main = f"<div class=\"article\"><h1 class=\"title\">{esc(workflow.title)}</h1><div id=\"zoom\">{body}</div></div>"
        return self.page(workflow.title, main, column,
                         f"<a href=\"{esc(self.column_path(unit, column))}\">{esc(column.label)}</a>")

    # ---- mailbox

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        words = STATUS_WORDS[self.variant]
        fmt = "slash" if self.variant == "wcm" else "iso"
        rows = "".join(f"<tr><td>{x.id}</td><td class=\"tit\"><a href=\"{esc(self.letter_path(unit, x))}\" target=\"_blank\">"
                       f"{esc(x.title)}</a></td><td>{fmt_date(x.received, fmt)}</td><td>{words[x.status]}</td>"
                       f"<td>{fmt_date(x.answered, fmt) if x.answered else ''}</td></tr>"
                       for x in page_slice(unit.letters or [], page, LETTERS_PER_PAGE))
        table = (f"<table class=\"xjlist\" width=\"100%\"><tr><th>信件编号</th><th>信件标题</th><th>来信时间</th>"
                 f"<th>办理状态</th><th>答复时间</th></tr>{rows}</table>")
        pager = self.pager(len(unit.letters or []), LETTERS_PER_PAGE, page, lambda n: self.mailbox_path(unit, n))
        return self.page(label, f"<div class=\"lm-title\"><span>互动交流 · {esc(label)}</span></div>{table}{pager}",
                         self.mailbox_column(unit), esc(label))

    def letter_page(self, unit: Unit, letter: Letter) -> str:
        words = STATUS_WORDS[self.variant]
        stamp = lambda d: f"{d:%Y-%m-%d} {9 + letter.id % 8:02d}:{letter.id % 60:02d}"   # noqa: E731
        reply = ""
        if letter.answered:
            reply = (f"<tr><th>答复内容：</th><td>您好！您反映的问题已收悉，经调查核实，已按有关政策规定处理。感谢您的关心和支持。</td></tr>"
                     f"<tr><th>答复单位：</th><td>{esc(self.site_name())}</td></tr>"
                     f"<tr><th>答复时间：</th><td>{stamp(letter.answered)}</td></tr>")
        main = (f"<table class=\"letter-show\" width=\"100%\" border=\"1\" cellspacing=\"0\"><tr><th width=\"110\">信件编号：</th>"
                f"<td>{letter.id}</td></tr><tr><th>信件标题：</th><td>{esc(letter.title)}</td></tr>"
                f"<tr><th>来信时间：</th><td>{stamp(letter.received)}</td></tr><tr><th>办理状态：</th><td>{words[letter.status]}</td></tr>"
                f"<tr><th>来信内容：</th><td>领导您好！我想反映{esc(letter.title)}的问题，希望尽快解决，谢谢！</td></tr>{reply}</table>")
        return self.page(letter.title, main, self.mailbox_column(unit), esc(self.mailbox_label(unit)))


__all__ = ["CmsRenderer", "VARIANTS"]
