"""A county's 政府信息公开平台 of a .jsp vendor (blind family "plat"): one host serves every unit's section by a
query parameter, not a folder.

    /xxgk/                                  the platform's directory of units (乡镇 / 县直部门)
    /xxgk/unit.jsp?unitid=12                a unit's section (its entry URL), its column tree as a left menu
    /xxgk/col.jsp?unitid=12&catid=3         a column (&page=2 ...); a <div class="list"> of <li><span class="time">
                                            before the title on some units, a 序号/标题/发布日期 table on others
    /xxgk/art.jsp?unitid=12&id=4567         an article (发布日期：2011年09月15日)
    /xxgk/leader.jsp?unitid=12&id=1         a leader's page (the photo); 领导信息 is a 姓名/职务/分工 table
    /xxgk/bszn.jsp?unitid=12&id=1           a 办事指南 item: the chart image, a link to a .pdf/.doc, or steps only
    /hdjl/mailbox.jsp?deptid=12             the unified 互动交流 platform: a unit's letters (信件标题/来信日期/处理状态/回复日期)
    /hdjl/letter.jsp?id=...                 one letter

Every page has the platform's top nav (首页 / 政府信息公开 / 政策文件 / 互动交流) and a breadcrumb up to the platform
home. Two units also run a small site of their own (news, and 信息公开 -> their section on the platform); their
entry URL is that site's home page.
"""
from __future__ import annotations

from sandbox.families.blindkit import BlindRenderer, Look, fmt_date
from sandbox.families.common import LETTERS_PER_PAGE, esc, page_count, page_slice, stable_pick
from sandbox.model import Article, Column, Leader, Letter, Unit, Workflow

PLATFORM_SITE = "lxgk"
UNIT_IDS = {"xiaohezhen": 12, "ziranziyuanju": 27, "yibaoju": 31, "qinglinxiang": 15}


class PlatformJspRenderer(BlindRenderer):
    family = "plat"
    HOME = "/"
    SECTION_ENTRY = True
    leader_layouts = ("pages",)
    workflow_layouts = ("pages",)

    @property
    def is_platform(self) -> bool:
        return self.site.id == PLATFORM_SITE

    def look(self, unit: Unit | None = None) -> Look:
        return Look(self.site.id, unit.id if unit else "")

    def list_shape(self, unit: Unit) -> str:
        return "table" if UNIT_IDS[unit.id] % 2 else "ul"

    def platform_origin(self) -> str:
        return self.web.site(PLATFORM_SITE).origin

    # ---- URL scheme

    def uid(self, unit: Unit) -> int:
        return UNIT_IDS[unit.id]

    def directory_path(self) -> str:
        return "/xxgk/"

    def section_path(self, unit: Unit) -> str:
        return f"/xxgk/unit.jsp?unitid={self.uid(unit)}"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        tail = f"&page={page}" if page > 1 else ""
        return f"/xxgk/col.jsp?unitid={self.uid(unit)}&catid={self.column_number(unit, column) + 1}{tail}"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        if self.is_static_page(unit, column):     # 指南 / 制度 / 机构职能 as one page: the column is the page
            return self.column_path(unit, column)
        return f"/xxgk/art.jsp?unitid={self.uid(unit)}&id={article.id}"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/uploadfiles/xxgk/{self.uid(unit)}/{article.id}_{index + 1}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/uploadfiles/ldxx/{self.uid(unit)}_{leader.photo.seed % 10**6:06d}{index}.{self.photo_ext(leader)}"

    def leader_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/leader.jsp?unitid={self.uid(unit)}&id={index + 1}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        return f"/xxgk/bszn.jsp?unitid={self.uid(unit)}&id={index + 1}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/uploadfiles/bszn/{self.uid(unit)}_{index + 1}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return f"/hdjl/mailbox.jsp?deptid={self.uid(unit)}" + (f"&page={page}" if page > 1 else "")

    def letter_path(self, unit: Unit, letter: Letter) -> str:
        return f"/hdjl/letter.jsp?id={letter.id}"

    # ---- registration

    def register_site(self) -> None:
        if not self.is_platform:    # a unit's own small site: its home page only
            self.add_page("/", self.own_home_page)
            return
        super().register_site()
        self.add_page(self.directory_path(), self.directory_page)
        self.add_page("/xxgk/zcwj.jsp", self.policies_page)
        self.add_page("/hdjl/", self.interaction_page)

    def register_unit(self, unit: Unit) -> None:
        if not self.is_platform:
            return
        super().register_unit(unit)
        for letter in unit.letters or []:
            self.add_page(self.letter_path(unit, letter), self.letter_page, unit, letter)

    def register_list(self, unit: Unit, column: Column) -> None:
        if self.is_static_page(unit, column):    # one page of text, with its attachments and links
            self.register_article(unit, column, column.articles[0])
            self.add_page(self.column_path(unit, column), self.static_page, unit, column)
            return
        super().register_list(unit, column)

    # ---- chrome

    def page(self, title: str, main: str, unit: Unit | None, crumbs: list[tuple[str, str]] = (),
             side: str = "") -> str:
        look = self.look(unit)
        trail = " &gt; ".join(f"<a href=\"{esc(h)}\">{esc(t)}</a>" if h else f"<span>{esc(t)}</span>"
                              for t, h in [("首页", "/"), ("政府信息公开", self.directory_path())] + list(crumbs))
        body = (f"<div class=\"left\">{side}</div><div class=\"right\">{main}</div>" if side else main)
        return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)}-龙溪县政府信息公开平台</title></head><body>
<div class="top"><div class="logo">龙溪县政府信息公开平台</div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="{self.directory_path()}">政府信息公开</a></li>
<li><a href="/xxgk/zcwj.jsp">政策文件</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div></div>
<div class="dqwz">当前位置：{trail}</div>
{look.nest(body)}
<div class="bottom"><p>龙溪县人民政府办公室主办　网站标识码：4228990006</p></div>
</body></html>"""

    def side(self, unit: Unit, current: Column | None = None) -> str:
        look = self.look(unit)
        return (f"<div class=\"unitname\"><a href=\"{esc(self.section_path(unit))}\">{esc(unit.name)}</a></div>"
                + self.menu_html(unit, lambda c: self.column_path(unit, c), look, current))

    def crumbs(self, unit: Unit, column: Column | None = None) -> list[tuple[str, str]]:
        crumbs = [(unit.name, self.section_path(unit))]
        if column is not None:
            crumbs.append((column.label, self.column_path(unit, column)))
        return crumbs

    def mailbox_name(self, unit: Unit) -> str:
        return "镇长信箱" if unit.kind == "乡镇" else "局长信箱"

    # ---- pages

    def home_page(self) -> str:
        main = ("<div class=\"gk-home\"><h2>龙溪县政府信息公开平台</h2>"
                f"<p><a href=\"{self.directory_path()}\">进入政府信息公开目录</a></p></div>")
        return self.page("首页", main, None)

    def directory_page(self) -> str:
        parts = []
        for kind, heading in (("乡镇", "乡镇"), ("县直部门", "县直部门")):
            links = "".join(f"<li><a href=\"{esc(self.section_path(u))}\">{esc(u.name)}</a></li>"
                            for u in self.units if u.kind == kind)
            parts.append(f"<div class=\"dwlb\"><div class=\"dwlb-t\">{heading}</div><ul>{links}</ul></div>")
        return self.page("政府信息公开", f"<div class=\"unit-list\">{''.join(parts)}</div>", None)

    def policies_page(self) -> str:
        links = "".join(f"<li><a href=\"{esc(self.column_path(u, c))}\">{esc(u.name)}{esc(c.label)}</a></li>"
                        for u in self.units for c in u.columns if c.ref == "政策文件")
        return self.page("政策文件", f"<div class=\"list\"><ul>{links}</ul></div>", None, [("政策文件", "")])

    def interaction_page(self) -> str:
        links = "".join(f"<li><a href=\"{esc(self.mailbox_path(u))}\">{esc(u.name)}{self.mailbox_name(u)}</a></li>"
                        for u in self.units if u.letters is not None)
        return self.page("互动交流", f"<div class=\"list\"><ul>{links}</ul></div>", None, [("互动交流", "")])

    def own_home_page(self) -> str:
        unit = self.units[0]
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        platform = self.web.site(PLATFORM_SITE)
        section = platform.origin + self.section_path(unit)
        items = "".join(f"<li><span>{fmt_date(a.date, 'iso') if a.date else ''}</span>"
                        f"<a href=\"{esc(platform.origin + self.article_path(unit, news, a))}\" target=\"_blank\">"
                        f"{esc(a.title)}</a></li>" for a in (news.articles[:6] if news else []))
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(unit.name)}</title></head><body>
<div class="header"><h1>龙溪县{esc(unit.name)}</h1></div>
<div class="menu"><a href="/">首页</a> <a href="{esc(section)}" target="_blank">信息公开</a></div>
<div class="news"><div class="tit">{esc(news.label) if news else '工作动态'}</div><ul>{items}</ul></div>
<div class="footer">龙溪县{esc(unit.name)} 版权所有</div>
</body></html>"""

    def section_page(self, unit: Unit) -> str:
        blocks = [c for c in unit.columns if c.role in ("list", "personnel") and c.articles
                  and not self.is_static_page(unit, c)][:3]
        html = "".join(f"<div class=\"gkblk\"><div class=\"hd\"><span>{esc(c.label)}</span>"
                       f"<a href=\"{esc(self.column_path(unit, c))}\">更多</a></div><ul>"
                       + "".join(f"<li><a href=\"{esc(self.article_path(unit, c, a))}\">{esc(a.title)}</a></li>"
                                 for a in c.articles[:5]) + "</ul></div>" for c in blocks)
        mailbox = (f"<div class=\"xx\"><a href=\"{esc(self.mailbox_path(unit))}\">{self.mailbox_name(unit)}</a></div>"
                   if unit.letters is not None else "")
        return self.page(unit.name, f"<h2>{esc(unit.name)}</h2>{html}{mailbox}", unit, self.crumbs(unit), self.side(unit))

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        look = self.look(unit)
        if not column.articles:
            main = f"<div class=\"lm\">{esc(column.label)}</div>{self.empty_block(look)}"
            return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))
        shown = page_slice(column.articles, page, column.per_page)
        first = (page - 1) * column.per_page
        day = lambda a: fmt_date(a.date, "iso") if a.date and a.date_in_list else ""   # noqa: E731
        if self.list_shape(unit) == "table":
            rows = "".join(f"<tr><td align=\"center\">{first + n}</td><td><a href=\"{esc(self.article_path(unit, column, a))}\" "
                           f"target=\"_blank\">{esc(a.title)}</a></td><td align=\"center\">{day(a)}</td></tr>"
                           for n, a in enumerate(shown, 1))
            items = (f"<table class=\"gklb\" width=\"100%\" border=\"0\" cellspacing=\"1\"><tr><th width=\"8%\">序号</th>"
                     f"<th>标题</th><th width=\"15%\">发布日期</th></tr>{rows}</table>")
        else:
            rows = "".join(("<li><span class=\"time\">" + day(a) + "</span>" if day(a) else "<li>")
                           + f"<a href=\"{esc(self.article_path(unit, column, a))}\" target=\"_blank\">"
                           f"{esc(a.title)}</a></li>" for a in shown)
            items = f"<div class=\"list\"><ul>{rows}</ul></div>"
        pages = page_count(len(column.articles), column.per_page)
        pager = self.numbered_pager(pages, page, lambda n: esc(self.column_path(unit, column, n)))
        main = f"<div class=\"lm\">{esc(column.label)}</div>{items}{pager}"
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def static_page(self, unit: Unit, column: Column) -> str:
        look = self.look(unit)
        main = self.static_content(unit, column, look) + self.attachments_html(unit, column, column.articles[0], look)
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look(unit)
        stamp = f"发布日期：{fmt_date(article.date, 'cn')}　" if article.date else ""
        main = (f"<div class=\"detail\"><h1>{esc(article.title)}</h1><div class=\"info\">{stamp}"
                f"发布机构：{esc(unit.name)}</div><div class=\"content\">{self.body_html(unit, article)}</div>"
                f"{self.attachments_html(unit, column, article, look)}</div>")
        return self.page(article.title, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def leaders_page(self, unit: Unit, column: Column) -> str:
        rows = "".join(f"<tr><td><a href=\"{esc(self.leader_page_path(unit, i))}\">{esc(x.name)}</a></td>"
                       f"<td>{esc(x.post)}</td><td>{esc(x.duties)}</td></tr>" for i, x in enumerate(unit.leaders))
        main = (f"<div class=\"lm\">{esc(column.label)}</div><table class=\"ldxx\" width=\"100%\" border=\"1\" "
                f"cellspacing=\"0\"><tr><th width=\"15%\">姓名</th><th width=\"20%\">职务</th><th>分工</th></tr>{rows}</table>")
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def leader_page(self, unit: Unit, index: int) -> str:
        column = self.leaders_column(unit)
        return self.page(unit.leaders[index].name, self.leader_detail_html(unit, index), unit,
                         self.crumbs(unit, column), self.side(unit, column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        main = f"<div class=\"lm\">{esc(column.label)}</div>{self.workflows_html(unit, self.look(unit))}"
        return self.page(column.label, main, unit, self.crumbs(unit, column), self.side(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.flowchart_html(unit, index, self.look(unit)), unit,
                         self.crumbs(unit, column), self.side(unit, column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        rows = "".join(f"<tr><td><a href=\"{esc(self.letter_path(unit, x))}\" target=\"_blank\">{esc(x.title)}</a></td>"
                       f"<td>{fmt_date(x.received, 'iso')}</td><td>{esc(x.status)}</td>"
                       f"<td>{fmt_date(x.answered, 'iso') if x.answered else ''}</td></tr>"
                       for x in page_slice(unit.letters or [], page, LETTERS_PER_PAGE))
        table = (f"<table class=\"xjlb\" width=\"100%\"><tr><th>信件标题</th><th width=\"15%\">来信日期</th>"
                 f"<th width=\"12%\">处理状态</th><th width=\"15%\">回复日期</th></tr>{rows}</table>")
        pager = self.numbered_pager(self.letter_pages(unit), page, lambda n: esc(self.mailbox_path(unit, n)))
        name = self.mailbox_name(unit)
        main = f"<div class=\"lm\">{esc(unit.name)}{name}</div>{table}{pager}"
        return self.page(name, main, unit, [("互动交流", "/hdjl/"), (unit.name + name, "")])

    def letter_page(self, unit: Unit, letter: Letter) -> str:
        reply = (f"<tr><th>答复内容：</th><td>您好！您反映的问题已转相关股室办理，现答复如下：已按有关规定处理。</td></tr>"
                 f"<tr><th>回复日期：</th><td>{fmt_date(letter.answered, 'iso')}</td></tr>" if letter.answered else "")
        main = (f"<table class=\"xjxq\" width=\"100%\" border=\"1\" cellspacing=\"0\"><tr><th width=\"15%\">信件标题：</th>"
                f"<td>{esc(letter.title)}</td></tr><tr><th>来信日期：</th><td>{fmt_date(letter.received, 'iso')}</td></tr>"
                f"<tr><th>处理状态：</th><td>{esc(letter.status)}</td></tr><tr><th>来信内容：</th>"
                f"<td>领导您好！我想反映{esc(letter.title)}的问题，希望尽快解决，谢谢！</td></tr>{reply}</table>")
        name = self.mailbox_name(unit)
        return self.page(letter.title, main, unit, [("互动交流", "/hdjl/"), (unit.name + name, self.mailbox_path(unit))])


__all__ = ["PlatformJspRenderer", "PLATFORM_SITE", "UNIT_IDS", "stable_pick"]
