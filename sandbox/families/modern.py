"""A modern UTF-8 template (~2015): nested menus, ?page=N, dates in <small> or [09-15].

Its leader page lists each leader as <div onclick="showLeader(12)"> with no
<a href>: the photo and duties come from an endpoint that the inline script
names (JSON from /api/leader?id=12 on some sites, an HTML fragment from
/ajax/leaderInfo.do?id=12 on others).
"""
from __future__ import annotations

import json

from sandbox.families.common import (LETTERS_PER_PAGE, Response, SiteRenderer, esc, list_date, page_count,
                                     page_slice, stable_pick)
from sandbox.model import Article, Column, Leader, Unit, Workflow

LEADER_ENDPOINTS = {"json": "/api/leader", "fragment": "/ajax/leaderInfo.do"}


class ModernRenderer(SiteRenderer):
    family = "modern"
    HOME = "/"
    leader_layouts = ("onclick",)
    workflow_layouts = ("inline", "pages")

    def __init__(self, web, site):
        self.position = {unit_id: i for i, unit_id in enumerate(site.units)}
        self.root = stable_pick(("/xxgk/", "/zwgk/", "/gk/"), site.id)
        self.endpoint_kind = stable_pick(tuple(LEADER_ENDPOINTS), site.id)
        super().__init__(web, site)

    # ---- URL scheme

    def section_path(self, unit: Unit) -> str:
        return self.root if len(self.units) == 1 else f"{self.root}{unit.id}/"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        path = f"{self.section_path(unit)}{column.slug}/"
        return path if page == 1 else f"{path}?page={page}"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        return f"{self.column_path(unit, column)}{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/uploads/files/{article.id}_{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        ext = self.photo_ext(leader)
        return f"/uploads/leader/{leader.photo.seed % 10**8:08d}_{index}.{ext}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/uploads/flow/{self.position[unit.id]}_{index}.{ext}"

    def workflow_page_path(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return f"{self.column_path(unit, column)}lc{index + 1}.html"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        path = "/hudong/mailbox/" if len(self.units) == 1 else f"/hudong/{unit.id}/mailbox/"
        return path if page == 1 else f"{path}?page={page}"

    def leader_id(self, unit: Unit, index: int) -> int:
        return self.position[unit.id] * 100 + index + 1

    def leader_endpoint(self, unit: Unit, index: int) -> str:
        return f"{LEADER_ENDPOINTS[self.endpoint_kind]}?id={self.leader_id(unit, index)}"

    # ---- routes: ?page=1 is the first page too; the leader endpoint

    def register_list(self, unit: Unit, column: Column) -> None:
        super().register_list(unit, column)
        first = self.column_path(unit, column)
        self.add(first + "?page=1", self.static[first])

    def register_leaders(self, unit: Unit, column: Column) -> None:
        super().register_leaders(unit, column)
        for index in range(len(unit.leaders)):
            self.add(self.leader_endpoint(unit, index), lambda u=unit, i=index: self.leader_details(u, i))

    def leader_details(self, unit: Unit, index: int) -> Response:
        leader, photo = unit.leaders[index], self.photo_src(unit, index, unit.leaders[index])
        if self.endpoint_kind == "json":
            data = {"id": self.leader_id(unit, index), "name": leader.name, "post": leader.post,
                    "duties": leader.duties, "photo": photo}
            return Response(body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
                            content_type="application/json; charset=utf-8")
        return self.html(self.leader_detail(unit, index))

    # ---- chrome

    def page(self, title: str, main: str, unit: Unit | None = None, crumbs: list[tuple[str, str]] = ()) -> str:
        unit = unit or self.units[0]
        menu = self.column_menu(unit, lambda c: f"<a href=\"{self.column_path(unit, c)}\">{esc(c.label)}</a>")
        mailbox = (f"<li><a href=\"{self.mailbox_path(unit)}\">{esc(self.mailbox_label(unit))}</a></li>"
                   if unit.letters is not None else "")
        trail = "".join(f"<li><a href=\"{esc(href)}\">{esc(text)}</a></li>" if href else f"<li>{esc(text)}</li>"
                        for text, href in [("首页", self.HOME)] + list(crumbs))
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{self.meta_charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - {esc(self.site_name())}</title>
</head><body>
<header class="site-header"><div class="container"><h1 class="logo">{esc(self.site_name())}</h1>
<nav><ul class="nav"><li><a href="{self.HOME}">首页</a></li>
<li><a href="{self.section_path(unit)}">信息公开</a>{menu}</li>
<li><a href="javascript:;">互动交流</a><ul>{mailbox}</ul></li></ul></nav></div></header>
<ol class="breadcrumb">{trail}</ol>
<main class="container">
{main}
</main>
<footer class="site-footer"><p>主办：{esc(self.site_name())} 版权所有 &copy; 2015</p>
<p>鄂ICP备12003456号 | 政府网站标识码 4228220001</p></footer>
</body></html>"""

    def pager(self, page: int, pages: int, first_page: str) -> str:
        """Numbered links written relative to the list (?page=N), as front-end templates do."""
        if pages <= 1:
            return ""
        items = [f"<li><a href=\"{f'?page={n}' if n > 1 else first_page}\">{n}</a></li>" if n != page
                 else f"<li class=\"active\"><span>{n}</span></li>" for n in range(1, pages + 1)]
        if page < pages:
            items.append(f"<li><a href=\"?page={page + 1}\">下一页</a></li>")
        return f"<ul class=\"pagination\">{''.join(items)}</ul>"

    # ---- pages

    def home_page(self) -> str:
        cards = "".join(f"<section class=\"card\"><h2><a href=\"{self.section_path(u)}\">{esc(u.name)}信息公开</a></h2>"
                        "</section>" for u in self.units)
        return self.page("首页", cards)

    def section_page(self, unit: Unit) -> str:
        return self.page("信息公开", f"<h2>{esc(unit.name)}政府信息公开</h2><p>请从菜单选择栏目。</p>", unit,
                         [("信息公开", "")])

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        tag = stable_pick(("small", "span"), self.site.id, column.slug)
        items = []
        for article in page_slice(column.articles, page, column.per_page):
            shown = list_date(column, article)
            date = (f"<small>{esc(shown)}</small>" if tag == "small" else f"<span class=\"date\">{esc(shown)}</span>") \
                if shown else ""
            items.append(f"<li><a href=\"{self.article_path(unit, column, article)}\" title=\"{esc(article.title)}\">"
                         f"{esc(article.title)}</a>{date}</li>")
        pager = self.pager(page, page_count(len(column.articles), column.per_page), self.column_path(unit, column))
        main = f"<h2>{esc(column.label)}</h2><ul class=\"list\">{''.join(items)}</ul>{pager}"
        return self.page(column.label, main, unit, self.crumbs(unit, column))

    def crumbs(self, unit: Unit, column: Column) -> list[tuple[str, str]]:
        return [("信息公开", self.section_path(unit)), (column.label, self.column_path(unit, column))]

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        date = f"<span class=\"date\">{article.date:%Y-%m-%d}</span>" if article.date else ""
        files = "".join(f"<li><a href=\"{self.attachment_path(unit, column, article, i)}\" download>{esc(a.name)}</a></li>"
                        for i, a in enumerate(article.attachments))
        main = (f"<article><h1>{esc(article.title)}</h1><div class=\"meta\">{date}<span>来源：{esc(unit.name)}</span>"
                f"</div><div class=\"content\">{self.article_body(unit, article)}</div>"
                + (f"<ul class=\"attachments\">{files}</ul>" if files else "") + "</article>")
        return self.page(article.title, main, unit, self.crumbs(unit, column))

    def leaders_page(self, unit: Unit, column: Column) -> str:
        cards = "".join(f"<div class=\"leader-card\" onclick=\"showLeader({self.leader_id(unit, i)})\">"
                        f"<span class=\"name\">{esc(leader.name)}</span><span class=\"post\">{esc(leader.post)}</span>"
                        "</div>" for i, leader in enumerate(unit.leaders))
        endpoint = LEADER_ENDPOINTS[self.endpoint_kind]
        if self.endpoint_kind == "json":
            loader = (f"fetch('{endpoint}?id=' + id).then(function (r) {{ return r.json(); }}).then(function (d) {{\n"
                      "    document.getElementById('leader-detail').innerHTML = '<img src=\"' + d.photo + '\">'"
                      " + '<h3>' + d.name + '</h3><p>' + d.duties + '</p>';\n  });")
        else:
            loader = f"$('#leader-detail').load('{endpoint}?id=' + id);"
        script = f"<script>\nfunction showLeader(id) {{\n  {loader}\n}}\n</script>"
        main = (f"<h2>{esc(column.label)}</h2><div class=\"leaders\">{cards}</div>"
                f"<div id=\"leader-detail\"></div>\n{script}")
        return self.page(column.label, main, unit, self.crumbs(unit, column))

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.workflows_content(unit)}", unit,
                         self.crumbs(unit, column))

    def workflow_page(self, unit: Unit, index: int) -> str:
        column = self.workflows_column(unit)
        return self.page(unit.workflows[index].title, self.workflow_block(unit, index), unit,
                         self.crumbs(unit, column))

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        pager = self.pager(page, page_count(len(unit.letters or []), LETTERS_PER_PAGE), self.mailbox_path(unit))
        return self.page(label, f"<h2>{esc(label)}</h2>{self.letters_table(unit, page)}{pager}", unit,
                         [(label, "")])
