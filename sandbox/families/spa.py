"""Sites drawn by scripts (blind family "spa"): what the browser shows is not what the server sends.

Written from the patterns of county sites built in recent years (issue 11), four variants, one per site:

- vue     a Vue-style build in history mode: every page (home, columns, articles, leaders, mailbox) is the
          same app shell, <div id="app"></div> and a bundle; the bundle reads location.pathname and draws
          the menu, lists, pagination (el-pager items without href; ?page=N in the address works too),
          article bodies, leader cards and the mailbox table from /api/... JSON (`rows`/`total`,
          publishTime "2011-09-15 10:30:00").
- react   a React-style build in hash mode: only / is served; routes live after the '#'
          (#/list/<code>?page=N, #/article/<id>, #/leaders ...); JSON under /prod-api/portal/ in a
          {success, result: {records, total, pages}} envelope, dates as epoch milliseconds, letter
          states as codes (0 未受理, 1 已受理, 2 已办结).
- inline  a 集约化-style site whose pages are server-drawn, but whose list pagination exists only in an
          inline script (createPageHTML draws the index_N.html links into an empty <div>), and whose
          互动交流 mailbox page is an empty table filled by AJAX (/hdjl/queryLetters.do).
- click   a site whose list's first page is server-drawn, and whose later pages have no address at all:
          下一页 is a <button> (首页/上一页/尾页 <a> without href) that fetches the next page's JSON and
          redraws the list; leader cards and the mailbox table come from JSON, the mailbox's next page by
          a click too.

Plain JS (no CDN: the sandbox is offline), so a headless browser draws what a person sees. Same model,
same manifest as every family: the truth does not depend on how a page is drawn.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from functools import partial

from sandbox.families.blindkit import BlindRenderer, Look, fmt_date
from sandbox.families.common import LETTERS_PER_PAGE, Request, Response, esc, page_count, page_slice, stable_pick
from sandbox.model import Article, Column, Leader, Unit, Workflow

JSON_TYPE = "application/json;charset=UTF-8"
JS_TYPE = "application/javascript; charset=utf-8"
# Which variant each site of the blind web is; any other site (a bigger web) picks one by its id.
SITE_VARIANTS = {"kejiju": "vue", "huanbaoju": "react", "xinhuaxiang": "inline", "shangwuju": "click"}
LETTER_CODES = {"未受理": 0, "已受理": 1, "已办结": 2}


def as_json(value) -> Response:
    return Response(body=json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                    content_type=JSON_TYPE)


def script(text: str, **values) -> Response:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", str(value))
    return Response(body=text.encode("utf-8"), content_type=JS_TYPE)


def number(request: Request, name: str, default: int, top: int = 10**6) -> int:
    try:
        return max(1, min(top, int(request.query.get(name, [str(default)])[0])))
    except ValueError:
        return default


def epoch_ms(day: date | None, minute: int = 0) -> int | None:
    """Milliseconds of `day` at 10:mm Beijing time (02:mm UTC)."""
    if day is None:
        return None
    moment = datetime(day.year, day.month, day.day, 2, minute % 60, tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


# A tiny helper every bundle carries (each renames it, as minifiers do).
JS_HELPERS = r"""
function @@P@@get(u, cb) { var x = new XMLHttpRequest(); x.open('GET', u, true);
  x.onload = function () { cb(JSON.parse(x.responseText)); }; x.send(); }
function @@P@@h(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) {
  return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
"""


class ScriptSiteRenderer(BlindRenderer):
    family = "spa"
    HOME = "/"
    leader_layouts = ("cards",)
    workflow_layouts = ("inline",)
    variant = ""

    def __new__(cls, web, site):
        if cls is ScriptSiteRenderer:
            name = SITE_VARIANTS.get(site.id) or stable_pick(tuple(VARIANTS), site.id, "variant")
            cls = VARIANTS[name]
        return object.__new__(cls)

    # ---- the data every variant serves, in its own field names

    @property
    def unit(self) -> Unit:
        return self.units[0]

    def find_column(self, unit: Unit, key: str) -> Column | None:
        return next((c for c in unit.columns if self.column_key(unit, c) == key), None)

    def column_key(self, unit: Unit, column: Column) -> str:
        return column.slug

    def kind_of(self, column: Column) -> str:
        return {"leaders": "leader", "workflows": "guide", "mailbox": "mailbox"}.get(column.role, "list")

    def page_size(self) -> int:
        return self.unit.columns[0].per_page if self.unit.columns else 10

    def body_and_files(self, unit: Unit, column: Column, article: Article) -> tuple[str, list[tuple[str, str]]]:
        files = [(a.name, self.attachment_path(unit, column, article, i)) for i, a in enumerate(article.attachments)]
        return self.body_html(unit, article), files

    def flow_items(self, unit: Unit) -> list[tuple[str, str | None, str | None]]:
        """(title, image URL, attachment URL) per workflow."""
        items = []
        for index, workflow in enumerate(unit.workflows):
            link = self.flowchart_link(unit, index, workflow)
            image = link[1] if link and link[0] == "img" else None
            attachment = link[1] if link and link[0] == "a" else None
            items.append((workflow.title, image, attachment))
        return items

    def site_name(self) -> str:
        county = self.web.county_name or "建始县"
        return f"{self.unit.name}人民政府" if self.unit.kind == "乡镇" else f"{county}{self.unit.name}"

    def register_site(self) -> None:
        super().register_site()
        self.add("/favicon.ico", partial(Response, status=404, body=b"", content_type="text/plain"))


# ==================================================================== vue: history-mode app shell

VUE_BUNDLE = JS_HELPERS + r"""
(function () {
  var API = '@@API@@', SIZE = @@SIZE@@, app = document.getElementById('@@ROOT@@');
  var nav = [];
  function pageNo() { var m = /[?&]page=(\d+)/.exec(location.search); return m ? parseInt(m[1], 10) : 1; }
  function flat(items, out) { items.forEach(function (n) { if (n.children && n.children.length) flat(n.children, out);
    else out.push(n); }); return out; }
  function menu(items) { return '<ul class="el-menu">' + items.map(function (n) {
    if (n.children && n.children.length) return '<li class="el-submenu"><div class="el-submenu__title">' + @@P@@h(n.name) +
      '</div>' + menu(n.children) + '</li>';
    var on = location.pathname === n.path ? ' is-active' : '';
    return '<li class="el-menu-item' + on + '"><a href="' + n.path + '">' + @@P@@h(n.name) + '</a></li>'; }).join('') + '</ul>'; }
  function frame(inner) {
    app.innerHTML = '<div class="@@CLS@@-header"><h1>@@SITE@@</h1><nav class="top-nav"><a href="/">首页</a>' +
      '<a href="@@SECTION@@">政务公开</a></nav></div><div class="@@CLS@@-body"><aside class="@@CLS@@-aside">' +
      menu(nav) + '</aside><main class="@@CLS@@-main">' + inner + '</main></div>' +
      '<footer class="@@CLS@@-footer">主办：@@SITE@@</footer>';
  }
  function pager(total, current, go) {
    var pages = Math.ceil(total / SIZE); if (pages <= 1) return;
    var box = document.createElement('div'); box.className = 'el-pagination';
    var html = '<span class="el-pagination__total">共 ' + total + ' 条</span><button type="button" class="btn-prev"' +
      (current <= 1 ? ' disabled' : '') + '>上一页</button><ul class="el-pager">';
    for (var n = 1; n <= pages; n++) html += '<li class="number' + (n === current ? ' active' : '') + '">' + n + '</li>';
    html += '</ul><button type="button" class="btn-next"' + (current >= pages ? ' disabled' : '') + '>下一页</button>';
    box.innerHTML = html;
    box.querySelectorAll('li.number').forEach(function (li) { li.onclick = function () { go(parseInt(li.textContent, 10)); }; });
    box.querySelector('.btn-prev').onclick = function () { if (current > 1) go(current - 1); };
    box.querySelector('.btn-next').onclick = function () { if (current < pages) go(current + 1); };
    app.querySelector('main').appendChild(box);
  }
  function go(n) { history.pushState({}, '', location.pathname + (n > 1 ? '?page=' + n : '')); route(); }
  function list(item) {
    var n = pageNo();
    @@P@@get(API + '/articles?channel=' + item.key + '&pageNum=' + n + '&pageSize=' + SIZE, function (r) {
      var rows = r.rows || [];
      var body = rows.length ? '<ul class="@@LIST@@">' + rows.map(function (a) {
        return '<li><a href="' + a.url + '" title="' + @@P@@h(a.title) + '">' + @@P@@h(a.title) + '</a><span class="time">' +
          (a.publishTime ? a.publishTime.substring(0, 10) : '') + '</span></li>'; }).join('') + '</ul>'
        : '<div class="el-table__empty-text">暂无数据</div>';
      frame('<h2 class="col-title">' + @@P@@h(item.name) + '</h2>' + body);
      pager(r.total || 0, n, go);
    });
  }
  function detail(id) {
    @@P@@get(API + '/article/' + id, function (r) {
      var a = r.data || {};
      var files = (a.files || []).map(function (f) { return '<p class="file"><a href="' + f.filePath + '">' +
        @@P@@h(f.fileName) + '</a></p>'; }).join('');
      frame('<div class="art-detail"><h1>' + @@P@@h(a.title) + '</h1><div class="art-info">' +
        (a.publishTime ? '<span>发布时间：' + a.publishTime.substring(0, 10) + '</span>' : '') + '<span>来源：' +
        @@P@@h(a.source) + '</span></div><div class="art-content">' + (a.content || '') + '</div>' +
        (files ? '<div class="art-files"><b>附件：</b>' + files + '</div>' : '') + '</div>');
    });
  }
  function leaders(item) {
    @@P@@get(API + '/leaders', function (r) {
      frame('<h2 class="col-title">' + @@P@@h(item.name) + '</h2><div class="leader-grid">' + (r.data || []).map(function (l) {
        return '<div class="leader-item"><div class="avatar">' + (l.avatar ? '<img src="' + l.avatar + '" alt="' +
          @@P@@h(l.name) + '">' : '') + '</div><div class="meta"><h3>' + @@P@@h(l.name) + '</h3><p class="post">' +
          @@P@@h(l.position) + '</p><p>分管工作：' + @@P@@h(l.duty) + '</p></div></div>'; }).join('') + '</div>');
    });
  }
  function guides(item) {
    @@P@@get(API + '/guides', function (r) {
      frame('<h2 class="col-title">' + @@P@@h(item.name) + '</h2>' + (r.data || []).map(function (g) {
        var chart = g.chartImg ? '<p class="chart"><img src="' + g.chartImg + '" alt="' + @@P@@h(g.title) + '"></p>'
          : g.attachUrl ? '<p><a href="' + g.attachUrl + '">' + @@P@@h(g.attachName) + '</a></p>'
          : '<p>办理流程：' + (g.steps || []).map(@@P@@h).join(' → ') + '</p>';
        return '<div class="guide-item"><h3>' + @@P@@h(g.title) + '</h3>' + chart + '</div>'; }).join(''));
    });
  }
  function letters(item) {
    var n = pageNo();
    @@P@@get(API + '/letters?pageNum=' + n + '&pageSize=@@LETTERS@@', function (r) {
      frame('<h2 class="col-title">' + @@P@@h(item.name) + '</h2><table class="el-table"><thead><tr><th>信件主题</th>' +
        '<th>来信时间</th><th>办理状态</th><th>回复时间</th></tr></thead><tbody>' + (r.rows || []).map(function (x) {
          return '<tr><td>' + @@P@@h(x.subject) + '</td><td>' + x.createTime.substring(0, 10) + '</td><td>' + @@P@@h(x.status) +
            '</td><td>' + (x.replyTime ? x.replyTime.substring(0, 10) : '') + '</td></tr>'; }).join('') + '</tbody></table>');
      var saved = SIZE; SIZE = @@LETTERS@@; pager(r.total || 0, n, go); SIZE = saved;
    });
  }
  function home() {
    @@P@@get(API + '/articles?channel=@@NEWS@@&pageNum=1&pageSize=6', function (r) {
      frame('<div class="home-news"><h3>工作动态</h3><ul>' + (r.rows || []).map(function (a) {
        return '<li><a href="' + a.url + '">' + @@P@@h(a.title) + '</a></li>'; }).join('') + '</ul></div>');
    });
  }
  function route() {
    var path = location.pathname.replace(/\/$/, '') || '/', items = flat(nav, []);
    var m = /^@@SECTION_RE@@\/([^\/]+)\/detail\/(\d+)$/.exec(path);
    if (m) return detail(m[2]);
    var item = items.filter(function (n) { return n.path === path; })[0];
    if (!item) { if (path === '@@SECTION@@') return frame('<h2>政府信息公开目录</h2>' + menu(nav)); return home(); }
    var draw = {list: list, leader: leaders, guide: guides, mailbox: letters}[item.type];
    draw(item);
  }
  window.addEventListener('popstate', route);
  @@P@@get(API + '/nav', function (r) { nav = r.data || []; route(); });
})();
"""


class VueRenderer(ScriptSiteRenderer):
    variant = "vue"

    def __init__(self, web, site):
        keys = (site.id, "vue")
        self.api = stable_pick(("/api", "/dev-api/cms", "/gov-api"), *keys, "api")
        self.root_id = stable_pick(("app", "vue-app", "app-root"), *keys, "root")
        self.cls = stable_pick(("gov", "v", "layout"), *keys, "cls")
        self.bundle = f"/static/js/app.{stable_pick(('3f2a1c9e', '8b0d4e17', 'c51a90f2'), *keys, 'hash')}.js"
        super().__init__(web, site)

    def section_path(self, unit: Unit) -> str:
        return "/xxgk"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        return f"/xxgk/{column.slug}" + ("" if page == 1 else f"?page={page}")

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        return f"/xxgk/{column.slug}/detail/{article.id}"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/profile/upload/2011/{article.id % 12 + 1:02d}/{article.id}_{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/profile/avatar/{leader.photo.seed % 10**6:06d}.{self.photo_ext(leader)}"

    def placeholder_path(self, width: int, height: int) -> str:
        return f"/profile/avatar/default_{width}x{height}.jpg"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/profile/flow/{workflow.flowchart.seed % 10**6:06d}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return "/hudong/xinxiang" + ("" if page == 1 else f"?page={page}")

    # ---- pages: all the same shell

    def shell(self) -> str:
        return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="/favicon.ico"><title>{esc(self.site_name())}</title>
<link href="/static/css/app.css" rel="stylesheet"></head><body>
<noscript><strong>很抱歉，{esc(self.site_name())}需要启用 JavaScript 才能正常浏览。</strong></noscript>
<div id="{self.root_id}"></div><script src="{self.bundle}"></script></body></html>"""

    def home_page(self) -> str:
        return self.shell()

    def section_page(self, unit: Unit) -> str:
        return self.shell()

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        return self.shell()

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        return self.shell()

    def leaders_page(self, unit: Unit, column: Column) -> str:
        return self.shell()

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.shell()

    def mailbox_page(self, unit: Unit, page: int) -> str:
        return self.shell()

    # ---- routes

    def register_site(self) -> None:
        super().register_site()
        self.add("/static/css/app.css", partial(Response, body=b".el-menu{list-style:none}.leader-item{display:inline-block}",
                                                content_type="text/css"))

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        news = next((c for c in unit.columns if c.ref == "工作动态"), None)
        self.add(self.bundle, partial(script, VUE_BUNDLE, P="_v", API=self.api, SIZE=self.page_size(), ROOT=self.root_id,
                                      CLS=self.cls, SITE=self.site_name(), SECTION="/xxgk", SECTION_RE="\\/xxgk",
                                      LIST=stable_pick(("news-list", "art-list", "info-list"), self.site.id, "list"),
                                      NEWS=news.slug if news else "", LETTERS=LETTERS_PER_PAGE))
        self.add(f"{self.api}/nav", lambda: as_json({"code": 200, "msg": "操作成功", "data": self.nav(unit)}))
        self.dynamic[f"{self.api}/articles"] = partial(self.articles_api, unit)
        for column in unit.columns:
            for article in column.articles:
                self.add(f"{self.api}/article/{article.id}", partial(self.article_api, unit, column, article))
        self.add(f"{self.api}/leaders", partial(self.leaders_api, unit))
        self.add(f"{self.api}/guides", partial(self.guides_api, unit))
        self.dynamic[f"{self.api}/letters"] = partial(self.letters_api, unit)

    def nav(self, unit: Unit) -> list[dict]:
        def item(c: Column) -> dict:
            return {"id": self.column_number(unit, c) + 101, "name": c.label, "path": self.column_path(unit, c),
                    "key": c.slug, "type": self.kind_of(c), "children": []}
        out, groups = [], {}
        for c in unit.columns:
            if c.group:
                if c.group not in groups:
                    groups[c.group] = {"id": 900 + len(groups), "name": c.group, "path": "", "type": "group",
                                       "children": []}
                    out.append(groups[c.group])
                groups[c.group]["children"].append(item(c))
            else:
                out.append(item(c))
        return out

    def stamp(self, article: Article) -> str | None:
        return f"{article.date:%Y-%m-%d} {9 + article.id % 8:02d}:{article.id % 60:02d}:00" if article.date else None

    def articles_api(self, unit: Unit, request: Request) -> Response:
        column = self.find_column(unit, request.query.get("channel", [""])[0])
        if column is None or column.role not in ("list", "personnel"):
            return as_json({"code": 500, "msg": "栏目不存在", "rows": [], "total": 0})
        size = number(request, "pageSize", 10, 50)
        shown = page_slice(column.articles, number(request, "pageNum", 1), size)
        rows = [{"id": a.id, "title": a.title, "publishTime": self.stamp(a),
                 "url": self.article_path(unit, column, a)} for a in shown]
        return as_json({"code": 200, "msg": "查询成功", "total": len(column.articles), "rows": rows})

    def article_api(self, unit: Unit, column: Column, article: Article) -> Response:
        body, files = self.body_and_files(unit, column, article)
        return as_json({"code": 200, "msg": "操作成功", "data": {
            "id": article.id, "title": article.title, "publishTime": self.stamp(article), "source": unit.name,
            "channelName": column.label, "content": body, "files": [{"fileName": n, "filePath": p} for n, p in files]}})

    def leaders_api(self, unit: Unit) -> Response:
        return as_json({"code": 200, "msg": "操作成功", "data": [
            {"name": l.name, "position": l.post, "duty": l.duties, "avatar": self.photo_src(unit, i, l)}
            for i, l in enumerate(unit.leaders)]})

    def guides_api(self, unit: Unit) -> Response:
        return as_json({"code": 200, "msg": "操作成功", "data": [
            {"title": t, "chartImg": img, "attachUrl": att,
             "attachName": f"{t}.{att.rsplit('.', 1)[-1]}" if att else None,
             "steps": [] if img or att else list(self.FLOW_STEPS)} for t, img, att in self.flow_items(unit)]})

    def letters_api(self, unit: Unit, request: Request) -> Response:
        size = number(request, "pageSize", LETTERS_PER_PAGE, 50)
        shown = page_slice(unit.letters or [], number(request, "pageNum", 1), size)
        rows = [{"id": x.id, "subject": x.title, "createTime": f"{x.received:%Y-%m-%d} 08:{x.id % 60:02d}:00",
                 "status": x.status, "replyTime": f"{x.answered:%Y-%m-%d} 16:00:00" if x.answered else None}
                for x in shown]
        return as_json({"code": 200, "msg": "查询成功", "total": len(unit.letters or []), "rows": rows})


# ==================================================================== react: hash-mode app shell

REACT_BUNDLE = JS_HELPERS + r"""
(function () {
  var API = '@@API@@', SIZE = @@SIZE@@, root = document.getElementById('@@ROOT@@'), tree = null;
  var STATES = ['未受理', '已受理', '已办结'];
  function day(ms) { if (ms == null) return ''; var d = new Date(ms + 8 * 3600000);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getUTCFullYear() + '@@SEP@@' + two(d.getUTCMonth() + 1) + '@@SEP@@' + two(d.getUTCDate()); }
  function parse() { var raw = location.hash.replace(/^#/, '') || '/', q = {}, parts = raw.split('?');
    (parts[1] || '').split('&').forEach(function (kv) { if (kv) { var p = kv.split('='); q[p[0]] = decodeURIComponent(p[1] || ''); } });
    return {path: parts[0], q: q}; }
  function side(nodes) { return '<ul class="ant-menu">' + nodes.map(function (n) {
    if (n.children && n.children.length) return '<li class="ant-menu-submenu"><span>' + @@P@@h(n.channelName) + '</span>' +
      side(n.children) + '</li>';
    return '<li class="ant-menu-item"><a href="#' + n.route + '">' + @@P@@h(n.channelName) + '</a></li>'; }).join('') + '</ul>'; }
  function frame(inner) {
    root.innerHTML = '<div class="@@CLS@@"><header class="@@CLS@@-head"><div class="logo">@@SITE@@</div><a href="#/">首页</a> ' +
      '<a href="#/gk">信息公开</a></header><section class="@@CLS@@-wrap"><nav class="@@CLS@@-side">' + side(tree) +
      '</nav><article class="@@CLS@@-content">' + inner + '</article></section></div>';
  }
  function pages(total, current, base) {
    var count = Math.ceil(total / SIZE); if (count <= 1) return '';
    var out = '<div class="ant-pagination">';
    for (var n = 1; n <= count; n++) out += n === current ? '<span class="ant-pagination-item-active">' + n + '</span>'
      : '<a class="ant-pagination-item" href="#' + base + '?page=' + n + '">' + n + '</a>';
    if (current < count) out += '<a class="ant-pagination-next" href="#' + base + '?page=' + (current + 1) + '">下一页</a>';
    return out + '</div>';
  }
  function find(nodes, route) { for (var i = 0; i < nodes.length; i++) { var n = nodes[i];
    if (n.route === route) return n; var c = find(n.children || [], route); if (c) return c; } return null; }
  function render() {
    var r = parse(), page = parseInt(r.q.page || '1', 10), m;
    if ((m = /^\/article\/(\d+)$/.exec(r.path))) {
      return @@P@@get(API + '/content/detail?contentId=' + m[1], function (d) { var a = d.result || {};
        frame('<div class="detail"><h1 class="detail-title">' + @@P@@h(a.contentTitle) + '</h1><p class="detail-meta">' +
          (a.releaseDate != null ? '发布日期：' + day(a.releaseDate) + '　' : '') + '来源：' + @@P@@h(a.sourceName) + '</p>' +
          '<div class="detail-body">' + (a.contentText || '') + '</div>' + (a.attachList || []).map(function (f) {
            return '<p class="attach">附件：<a href="' + f.url + '">' + @@P@@h(f.name) + '</a></p>'; }).join('') + '</div>'); });
    }
    var node = find(tree, r.path);
    if (!node) {
      if (r.path === '/gk') return frame('<h2>政府信息公开</h2>' + side(tree));
      return @@P@@get(API + '/content/page?channelCode=@@NEWS@@&current=1&size=6', function (d) {
        frame('<div class="home"><h3>工作动态</h3><ul>' + ((d.result || {}).records || []).map(function (a) {
          return '<li><a href="#/article/' + a.contentId + '">' + @@P@@h(a.contentTitle) + '</a></li>'; }).join('') + '</ul></div>'); });
    }
    var title = '<h2 class="channel-title">' + @@P@@h(node.channelName) + '</h2>';
    if (node.channelType === 1) {
      return @@P@@get(API + '/content/page?channelCode=' + node.channelCode + '&current=' + page + '&size=' + SIZE, function (d) {
        var res = d.result || {records: [], total: 0};
        frame(title + (res.records.length ? '<div class="@@LIST@@">' + res.records.map(function (a) {
          return '<div class="row"><a href="#/article/' + a.contentId + '">' + @@P@@h(a.contentTitle) + '</a><em>' +
            day(a.releaseDate) + '</em></div>'; }).join('') + '</div>' : '<div class="ant-empty"><p>暂无数据</p></div>') +
          pages(res.total, page, r.path)); });
    }
    if (node.channelType === 2) {
      return @@P@@get(API + '/leader/list', function (d) {
        frame(title + '<div class="leaders">' + (d.result || []).map(function (l) {
          return '<div class="ant-card"><div class="ant-card-cover">' + (l.photoUrl ? '<img src="' + l.photoUrl + '">' : '') +
            '</div><div class="ant-card-body"><h4>' + @@P@@h(l.leaderName) + '</h4><p>' + @@P@@h(l.leaderPost) +
            '</p><p>分工：' + @@P@@h(l.leaderDuty) + '</p></div></div>'; }).join('') + '</div>'); });
    }
    if (node.channelType === 3) {
      return @@P@@get(API + '/service/flows', function (d) {
        frame(title + (d.result || []).map(function (f) {
          return '<div class="flow"><h3>' + @@P@@h(f.flowName) + '</h3>' + (f.flowImg ? '<img src="' + f.flowImg + '">'
            : f.flowFile ? '<a href="' + f.flowFile + '">' + @@P@@h(f.flowFileName) + '</a>' : '<p>' + @@P@@h(f.flowText) + '</p>') +
            '</div>'; }).join('')); });
    }
    @@P@@get(API + '/letter/page?current=' + page + '&size=@@LETTERS@@', function (d) {
      var res = d.result || {records: [], total: 0}, saved = SIZE;
      var html = title + '<table class="ant-table"><tr><th>标题</th><th>提交时间</th><th>状态</th><th>答复时间</th></tr>' +
        res.records.map(function (x) { return '<tr><td>' + @@P@@h(x.letterTitle) + '</td><td>' + x.submitDate + '</td><td>' +
          STATES[x.handleState] + '</td><td>' + (x.replyDate || '') + '</td></tr>'; }).join('') + '</table>';
      SIZE = @@LETTERS@@; html += pages(res.total, page, r.path); SIZE = saved; frame(html); });
  }
  window.addEventListener('hashchange', render);
  @@P@@get(API + '/channel/tree', function (d) { tree = d.result || []; render(); });
})();
"""


class HashRenderer(ScriptSiteRenderer):
    variant = "react"

    def __init__(self, web, site):
        keys = (site.id, "react")
        self.api = stable_pick(("/prod-api/portal", "/portal-api/v1", "/api/web"), *keys, "api")
        self.root_id = stable_pick(("root", "main-root", "react-root"), *keys, "root")
        self.bundle = f"/assets/index-{stable_pick(('a91c2f4b', '5d77e0aa', '0f3e9b21'), *keys, 'hash')}.js"
        self.sep = stable_pick(("-", "/", "."), *keys, "sep")
        super().__init__(web, site)

    def column_key(self, unit: Unit, column: Column) -> str:
        return str(3100 + self.column_number(unit, column) * 7)

    def section_path(self, unit: Unit) -> str:
        return "/#/gk"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        route = self.route(unit, column)
        return f"/#{route}" + ("" if page == 1 else f"?page={page}")

    def route(self, unit: Unit, column: Column) -> str:
        kind = self.kind_of(column)
        return {"list": f"/list/{self.column_key(unit, column)}", "leader": "/leaders", "guide": "/guide",
                "mailbox": "/mailbox"}[kind]

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return "/#/mailbox" + ("" if page == 1 else f"?page={page}")

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        return f"/#/article/{article.id}"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/file/download/{article.id:x}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/file/image/leader_{leader.photo.seed % 10**5:05d}.{self.photo_ext(leader)}"

    def placeholder_path(self, width: int, height: int) -> str:
        return f"/file/image/avatar-default.jpg?w={width}&h={height}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/file/flow/{index + 1}_{workflow.flowchart.seed % 10**5:05d}.{ext}"

    def shell(self) -> str:
        return f"""<!doctype html>
<html lang="zh"><head><meta charset="UTF-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{esc(self.site_name())}</title><script defer src="{self.bundle}"></script></head>
<body><div id="{self.root_id}"></div></body></html>"""

    def home_page(self) -> str:
        return self.shell()

    def register_unit(self, unit: Unit) -> None:
        """Only / and /index.html are pages; the rest is media, files and JSON."""
        self.add("/index.html", lambda: self.html(self.shell()))
        news = next((c for c in unit.columns if c.ref == "工作动态"), None)
        self.add(self.bundle, partial(script, REACT_BUNDLE, P="_r", API=self.api, SIZE=self.page_size(), ROOT=self.root_id,
                                      CLS=stable_pick(("portal", "gov-layout", "site"), self.site.id, "cls"),
                                      SITE=self.site_name(), SEP=self.sep,
                                      LIST=stable_pick(("article-rows", "content-list", "news-rows"), self.site.id, "list"),
                                      NEWS=self.column_key(unit, news) if news else "", LETTERS=LETTERS_PER_PAGE))
        self.add(f"{self.api}/channel/tree", lambda: as_json({"success": True, "code": 0, "message": "",
                                                              "result": self.tree(unit)}))
        self.dynamic[f"{self.api}/content/page"] = partial(self.page_api, unit)
        self.dynamic[f"{self.api}/content/detail"] = partial(self.detail_api, unit)
        self.add(f"{self.api}/leader/list", partial(self.leaders_api, unit))
        self.add(f"{self.api}/service/flows", partial(self.flows_api, unit))
        self.dynamic[f"{self.api}/letter/page"] = partial(self.letters_api, unit)
        for column in unit.columns:
            for article in column.articles:
                self.register_article(unit, column, article)   # its files and gone links (the page is a route)
        for index, leader in enumerate(unit.leaders):
            self.register_photo(unit, index, leader)
        for index, workflow in enumerate(unit.workflows):
            self.register_flowchart(unit, index, workflow)

    def register_article(self, unit: Unit, column: Column, article: Article) -> None:
        super().register_article(unit, column, article)
        self.static.pop(self.article_path(unit, column, article), None)

    def envelope(self, result) -> Response:
        return as_json({"success": True, "code": 0, "message": "操作成功", "result": result})

    def tree(self, unit: Unit) -> list[dict]:
        types = {"list": 1, "leader": 2, "guide": 3, "mailbox": 4}

        def node(c: Column) -> dict:
            return {"channelCode": self.column_key(unit, c), "channelName": c.label, "route": self.route(unit, c),
                    "channelType": types[self.kind_of(c)], "children": []}
        out, groups = [], {}
        for c in unit.columns:
            if c.group:
                if c.group not in groups:
                    groups[c.group] = {"channelCode": f"g{len(groups)}", "channelName": c.group, "route": None,
                                       "channelType": 0, "children": []}
                    out.append(groups[c.group])
                groups[c.group]["children"].append(node(c))
            else:
                out.append(node(c))
        return out

    def page_api(self, unit: Unit, request: Request) -> Response:
        column = self.find_column(unit, request.query.get("channelCode", [""])[0])
        if column is None or column.role not in ("list", "personnel"):
            return as_json({"success": False, "code": 404, "message": "栏目不存在", "result": None})
        size = number(request, "size", 10, 50)
        current = number(request, "current", 1)
        shown = page_slice(column.articles, current, size)
        return self.envelope({"records": [{"contentId": a.id, "contentTitle": a.title, "releaseDate": epoch_ms(a.date, a.id)}
                                          for a in shown],
                              "total": len(column.articles), "size": size, "current": current,
                              "pages": page_count(len(column.articles), size)})

    def detail_api(self, unit: Unit, request: Request) -> Response:
        wanted = request.query.get("contentId", [""])[0]
        for column in unit.columns:
            for article in column.articles:
                if str(article.id) == wanted:
                    body, files = self.body_and_files(unit, column, article)
                    return self.envelope({"contentId": article.id, "contentTitle": article.title,
                                          "releaseDate": epoch_ms(article.date, article.id), "sourceName": unit.name,
                                          "contentText": body, "attachList": [{"name": n, "url": p} for n, p in files]})
        return as_json({"success": False, "code": 404, "message": "内容不存在", "result": None})

    def leaders_api(self, unit: Unit) -> Response:
        return self.envelope([{"leaderName": l.name, "leaderPost": l.post, "leaderDuty": l.duties,
                               "photoUrl": self.photo_src(unit, i, l)} for i, l in enumerate(unit.leaders)])

    def flows_api(self, unit: Unit) -> Response:
        return self.envelope([{"flowName": t, "flowImg": img, "flowFile": att,
                               "flowFileName": f"{t}.{att.rsplit('.', 1)[-1]}" if att else None,
                               "flowText": None if img or att else "，".join(self.FLOW_STEPS)}
                              for t, img, att in self.flow_items(unit)])

    def letters_api(self, unit: Unit, request: Request) -> Response:
        size = number(request, "size", LETTERS_PER_PAGE, 50)
        current = number(request, "current", 1)
        fmt = "%Y/%m/%d"
        records = [{"letterId": x.id, "letterTitle": x.title, "submitDate": x.received.strftime(fmt),
                    "handleState": LETTER_CODES[x.status], "replyDate": x.answered.strftime(fmt) if x.answered else None}
                   for x in page_slice(unit.letters or [], current, size)]
        return self.envelope({"records": records, "total": len(unit.letters or []), "current": current, "size": size})


# ==================================================================== server-drawn chrome, script-drawn parts

class StaticChrome(ScriptSiteRenderer):
    """What the inline and click variants share: pages drawn by the server, with a menu."""

    def look(self, unit: Unit | None = None) -> Look:
        return Look(self.site.id, "spa")

    def page(self, title: str, main: str, current: Column | None = None, tail: str = "", head: str = "") -> str:
        look = self.look()
        unit = self.unit
        menu = self.menu_html(unit, lambda c: self.column_path(unit, c), look, current)
        crumb = f" &gt; <a href=\"{self.column_path(unit, current)}\">{esc(current.label)}</a>" if current else ""
        mailbox = self.mailbox_path(unit) if unit.letters is not None else "javascript:;"
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(title)}-{esc(self.site_name())}</title>
<meta name="viewport" content="width=device-width">{head}</head><body>
<div class="{self.prefix}-top"><div class="{self.prefix}-logo">{esc(self.site_name())}</div>
<ul class="{self.prefix}-nav"><li><a href="/">首页</a></li><li><a href="{self.section_path(unit)}">政府信息公开</a></li>
<li><a href="{mailbox}">互动交流</a></li></ul></div>
<div class="{self.prefix}-crumb">当前位置：<a href="/">首页</a> &gt; <a href="{self.section_path(unit)}">政府信息公开</a>{crumb}</div>
<div class="{self.prefix}-main"><div class="{self.prefix}-left">{menu}</div>
<div class="{self.prefix}-right">{look.nest(main)}</div></div>
<div class="{self.prefix}-foot">主办单位：{esc(self.site_name())}　技术支持：龙溪县政务服务数据管理局</div>
{tail}</body></html>"""

    def home_page(self) -> str:
        unit = self.unit
        news = next((c for c in unit.columns if c.ref == "工作动态" and c.articles), None)
        items = "".join(f"<li><a href=\"{self.article_path(unit, news, a)}\">{esc(a.title)}</a></li>"
                        for a in (news.articles[:6] if news else []))
        return self.page(self.site_name(), f"<div class=\"home-list\"><h3>工作动态</h3><ul>{items}</ul></div>")

    def section_page(self, unit: Unit) -> str:
        return self.page("政府信息公开", f"<h2>{esc(unit.name)}政府信息公开目录</h2>"
                         + self.menu_html(unit, lambda c: self.column_path(unit, c), self.look()))

    def article_page(self, unit: Unit, column: Column, article: Article) -> str:
        look = self.look()
        main = (f"<div class=\"article\"><h1>{esc(article.title)}</h1>{self.date_meta(article, look, extra=esc(unit.name))}"
                f"<div class=\"article-con\">{self.body_html(unit, article)}</div>"
                f"{self.attachments_html(unit, column, article, look)}</div>")
        return self.page(article.title, main, column)

    def leaders_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.leaders_html(unit, 'phototable')}", column)

    def workflows_page(self, unit: Unit, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.workflows_html(unit, self.look())}", column)

    def empty_list(self, column: Column) -> str:
        return self.page(column.label, f"<h2>{esc(column.label)}</h2>{self.empty_block(self.look())}", column)


# ==================================================================== inline: pagination only in a script

PAGE_JS = r"""
function createPageHTML(boxId, pageCount, currentPage, prefix, ext) {
  var box = document.getElementById(boxId);
  if (!box || pageCount <= 1) return;
  function name(n) { return n === 0 ? prefix + '.' + ext : prefix + '_' + n + '.' + ext; }
  var out = ['<a href="' + name(0) + '">首页</a>'];
  if (currentPage > 0) out.push('<a href="' + name(currentPage - 1) + '">上一页</a>');
  for (var i = 0; i < pageCount; i++) out.push(i === currentPage ? '<span class="cur">' + (i + 1) + '</span>'
    : '<a href="' + name(i) + '">' + (i + 1) + '</a>');
  if (currentPage < pageCount - 1) out.push('<a href="' + name(currentPage + 1) + '">下一页</a>');
  out.push('<a href="' + name(pageCount - 1) + '">尾页</a>');
  box.innerHTML = out.join(' ');
}
"""

LETTERS_JS = JS_HELPERS + r"""
(function () {
  var table = document.getElementById('@@TABLE@@'), bar = document.getElementById('@@BAR@@');
  var unit = table.getAttribute('data-unit'), rows = @@ROWS@@;
  function load(page) {
    @@P@@get('@@URL@@?unitCode=' + unit + '&page=' + page + '&rows=' + rows, function (r) {
      var body = table.getElementsByTagName('tbody')[0];
      body.innerHTML = (r.rows || []).map(function (x) {
        return '<tr><td class="bt">' + @@P@@h(x.xjbt) + '</td><td>' + x.lxsj + '</td><td>' + @@P@@h(x.blzt) + '</td><td>' +
          (x.hfsj || '') + '</td></tr>'; }).join('') || '<tr><td colspan="4">暂无信件</td></tr>';
      var pages = Math.ceil((r.total || 0) / rows), html = '共' + r.total + '封 ';
      for (var n = 1; n <= pages; n++) html += n === page ? '<b>' + n + '</b> ' : '<span class="pg" data-p="' + n + '">' + n + '</span> ';
      if (page < pages) html += '<span class="pg" data-p="' + (page + 1) + '">下一页</span>';
      bar.innerHTML = html;
      Array.prototype.forEach.call(bar.querySelectorAll('.pg'), function (s) {
        s.onclick = function () { load(parseInt(s.getAttribute('data-p'), 10)); }; });
    });
  }
  load(1);
})();
"""


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index_{page - 1}.html"


class InlinePagerRenderer(StaticChrome):
    variant = "inline"
    prefix = "jy"

    def __init__(self, web, site):
        self.root = stable_pick(("/zwgk/", "/xxgk/", "/zfxxgk/"), site.id, "inline-root")
        self.prefix = stable_pick(("jy", "gov", "zw"), site.id, "prefix")
        super().__init__(web, site)

    def section_path(self, unit: Unit) -> str:
        return f"{self.root}index.html"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        return f"{self.root}{column.slug}/{index_name(page)}"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.url_date or article.date
        if day is None:
            return f"{self.root}{column.slug}/t_{article.id}.html"
        return f"{self.root}{column.slug}/{day:%Y%m}/t{day:%Y%m%d}_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        folder = self.article_path(unit, column, article).rsplit("/", 1)[0]
        return f"{folder}/P0{article.id}{index:02d}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"{self.root}ldxx/W0{leader.photo.seed % 10**7:07d}.{self.photo_ext(leader)}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"{self.root}bsfw/W0{workflow.flowchart.seed % 10**6:06d}{index}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return "/hdjl/xjxx.html"

    def letters_url(self) -> str:
        return "/hdjl/queryLetters.do"

    def register_site(self) -> None:
        super().register_site()
        self.add("/js/page.js", partial(script, PAGE_JS))

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        if unit.letters is not None:
            self.add("/js/letters.js", partial(script, LETTERS_JS, P="_l", TABLE="letterTab", BAR="letterPager",
                                               ROWS=LETTERS_PER_PAGE, URL=self.letters_url()))
            self.dynamic[self.letters_url()] = partial(self.letters_api, unit)

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        if not column.articles:
            return self.empty_list(column)
        look = self.look()
        items = self.list_items(unit, column, page, lambda a: self.article_path(unit, column, a), look)
        pages = page_count(len(column.articles), column.per_page)
        pager = (f"<div class=\"page\" id=\"pageDiv\"></div>\n<script type=\"text/javascript\">\n"
                 f"var countPage = {pages}; // 共多少页\nvar currentPage = {page - 1}; // 当前页\n"
                 f"createPageHTML('pageDiv', countPage, currentPage, 'index', 'html');\n</script>")
        return self.page(column.label, f"<h2 class=\"lm-name\">{esc(column.label)}</h2>{items}{pager}", column,
                         head="<script type=\"text/javascript\" src=\"/js/page.js\"></script>")

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        main = (f"<h2>{esc(label)}</h2><table id=\"letterTab\" class=\"xj-table\" data-unit=\"{esc(unit.id)}\" width=\"100%\">"
                "<thead><tr><th>信件标题</th><th>来信日期</th><th>办理状态</th><th>回复日期</th></tr></thead>"
                "<tbody><tr><td colspan=\"4\">正在加载……</td></tr></tbody></table><div id=\"letterPager\"></div>")
        return self.page(label, main, self.mailbox_column(unit), tail="<script src=\"/js/letters.js\"></script>")

    def letters_api(self, unit: Unit, request: Request) -> Response:
        rows = number(request, "rows", LETTERS_PER_PAGE, 50)
        shown = page_slice(unit.letters or [], number(request, "page", 1), rows)
        return as_json({"total": len(unit.letters or []), "rows": [
            {"id": x.id, "xjbt": x.title, "lxsj": f"{x.received:%Y-%m-%d}", "blzt": x.status,
             "hfsj": f"{x.answered:%Y-%m-%d}" if x.answered else ""} for x in shown]})


# ==================================================================== click: later pages have no address

LIST_JS = JS_HELPERS + r"""
var @@NS@@ = (function () {
  var state = {};
  function draw(box, r) {
    var list = document.getElementById(box.list);
    list.innerHTML = (r.data || []).map(function (a) {
      return '<li><a href="' + a.u + '" target="_blank">' + @@P@@h(a.t) + '</a><span class="rq">' + (a.d || '') + '</span></li>';
    }).join('');
    state.pageNo = r.pageNo; state.pageCount = r.pageCount;
    document.getElementById(box.info).innerHTML = '第' + r.pageNo + '页/共' + r.pageCount + '页';
  }
  function load(n) {
    if (n < 1 || n > state.pageCount || n === state.pageNo) return;
    @@P@@get(state.url + (state.url.indexOf('?') < 0 ? '?' : '&') + 'pageNo=' + n, function (r) { draw(state, r); });
  }
  function init(options) {
    state = options;
    var bar = document.getElementById(options.bar);
    bar.querySelector('.btn-next').addEventListener('click', function () { load(state.pageNo + 1); });
    bar.querySelector('.pg-prev').addEventListener('click', function () { load(state.pageNo - 1); });
    bar.querySelector('.pg-first').addEventListener('click', function () { load(1); });
    bar.querySelector('.pg-last').addEventListener('click', function () { load(state.pageCount); });
  }
  return {init: init, go: load};
})();
"""

LEADERS_JS = JS_HELPERS + r"""
(function () {
  var box = document.getElementById('@@BOX@@');
  @@P@@get(box.getAttribute('data-src'), function (r) {
    box.innerHTML = (r.list || []).map(function (l) {
      return '<div class="ldxx-item"><div class="ldxx-pic">' + (l.zp ? '<img src="' + l.zp + '" width="130" height="170">' : '') +
        '</div><div class="ldxx-txt"><p class="xm">' + @@P@@h(l.xm) + '</p><p>职务：' + @@P@@h(l.zw) + '</p><p>分管：' +
        @@P@@h(l.fg) + '</p></div></div>'; }).join('');
  });
})();
"""


class ClickPagerRenderer(StaticChrome):
    variant = "click"

    def __init__(self, web, site):
        self.prefix = stable_pick(("hw", "site", "page"), site.id, "click-prefix")
        self.ns = stable_pick(("ListPager", "jpage", "PageList"), site.id, "click-ns")
        super().__init__(web, site)

    def cid(self, unit: Unit, column: Column) -> int:
        return 1520 + self.column_number(unit, column) * 3

    def section_path(self, unit: Unit) -> str:
        return "/col/col1519/index.html"

    def column_path(self, unit: Unit, column: Column, page: int = 1) -> str:
        """Every page of a list has the first page's address (the later ones have none of their own)."""
        if column.role == "mailbox":
            return self.mailbox_path(unit)
        return f"/col/col{self.cid(unit, column)}/index.html"

    def article_path(self, unit: Unit, column: Column, article: Article) -> str:
        day = article.url_date or article.date
        where = f"{day.year}/{day.month}/{day.day}" if day else "0/0/0"
        return f"/art/{where}/art_{self.cid(unit, column)}_{article.id}.html"

    def attachment_path(self, unit: Unit, column: Column, article: Article, index: int) -> str:
        return f"/module/download/downfile.jsp?classid=0&filename={article.id}{index}.{article.attachments[index].ext}"

    def photo_path(self, unit: Unit, index: int, leader: Leader) -> str:
        return f"/picture/0/{leader.photo.seed % 10**8:08d}.{self.photo_ext(leader)}"

    def flowchart_path(self, unit: Unit, index: int, workflow: Workflow, ext: str) -> str:
        return f"/picture/lct/{workflow.flowchart.seed % 10**6:06d}_{index}.{ext}"

    def mailbox_path(self, unit: Unit, page: int = 1) -> str:
        return "/hdjl/letters.html"

    def data_url(self, unit: Unit, column: Column) -> str:
        return f"/cms/api/list.do?columnId={self.cid(unit, column)}"

    def day(self, article: Article) -> str:
        return fmt_date(article.date, "cn") if article.date else ""

    def register_site(self) -> None:
        super().register_site()
        self.add("/js/jpage.js", partial(script, LIST_JS, P="_j", NS=self.ns))
        self.add("/js/ldxx.js", partial(script, LEADERS_JS, P="_d", BOX="leaderBox"))

    def register_list(self, unit: Unit, column: Column) -> None:
        self.add_page(self.column_path(unit, column), self.list_page, unit, column, 1,
                      modified=max((a.date for a in column.articles[:column.per_page] if a.date), default=None))
        for article in column.articles:
            self.register_article(unit, column, article)

    def register_unit(self, unit: Unit) -> None:
        super().register_unit(unit)
        self.dynamic["/cms/api/list.do"] = partial(self.list_api, unit)
        self.add("/cms/api/leader.do", partial(self.leaders_api, unit))
        self.dynamic["/cms/api/letter.do"] = partial(self.letters_api, unit)

    def pager_bar(self, bar: str, info: str, pages: int) -> str:
        return (f"<div class=\"page-box\" id=\"{bar}\"><span id=\"{info}\">第1页/共{pages}页</span> "
                "<a class=\"pg-first\">首页</a> <a class=\"pg-prev\">上一页</a> "
                "<button type=\"button\" class=\"btn-next\">下一页</button> <a class=\"pg-last\">尾页</a></div>")

    def list_page(self, unit: Unit, column: Column, page: int) -> str:
        if not column.articles:
            return self.empty_list(column)
        look = self.look()
        rows = "".join(f"<li><a href=\"{self.article_path(unit, column, a)}\" target=\"_blank\">{esc(a.title)}</a>"
                       f"<span class=\"rq\">{self.day(a)}</span></li>"
                       for a in page_slice(column.articles, 1, column.per_page))
        pages = page_count(len(column.articles), column.per_page)
        options = json.dumps({"url": self.data_url(unit, column), "list": "infoList", "info": "pageInfo",
                              "bar": "pageBar", "pageNo": 1, "pageCount": pages})
        main = (f"<h2 class=\"col-name\">{esc(column.label)}</h2><ul id=\"infoList\" class=\"{look.list_cls}\">{rows}</ul>"
                + (self.pager_bar("pageBar", "pageInfo", pages) if pages > 1 else ""))
        tail = (f"<script src=\"/js/jpage.js\"></script><script>{self.ns}.init({options});</script>" if pages > 1 else "")
        return self.page(column.label, main, column, tail)

    def list_api(self, unit: Unit, request: Request) -> Response:
        wanted = request.query.get("columnId", [""])[0]
        column = next((c for c in unit.columns if str(self.cid(unit, c)) == wanted), None)
        if column is None or column.role not in ("list", "personnel"):
            return as_json({"pageNo": 1, "pageCount": 0, "totalCount": 0, "data": []})
        pages = page_count(len(column.articles), column.per_page)
        current = number(request, "pageNo", 1, pages)
        return as_json({"pageNo": current, "pageCount": pages, "totalCount": len(column.articles), "data": [
            {"t": a.title, "u": self.article_path(unit, column, a), "d": self.day(a)}
            for a in page_slice(column.articles, current, column.per_page)]})

    def leaders_page(self, unit: Unit, column: Column) -> str:
        main = (f"<h2 class=\"col-name\">{esc(column.label)}</h2>"
                f"<div id=\"leaderBox\" class=\"ldxx\" data-src=\"/cms/api/leader.do?columnId={self.cid(unit, column)}\">"
                "</div>")
        return self.page(column.label, main, column, "<script src=\"/js/ldxx.js\"></script>")

    def leaders_api(self, unit: Unit) -> Response:
        return as_json({"result": "ok", "list": [{"xm": l.name, "zw": l.post, "fg": l.duties,
                                                 "zp": self.photo_src(unit, i, l) or ""}
                                                for i, l in enumerate(unit.leaders)]})

    def mailbox_page(self, unit: Unit, page: int) -> str:
        label = self.mailbox_label(unit)
        pages = self.letter_pages(unit)
        options = json.dumps({"url": "/cms/api/letter.do", "list": "letterRows", "info": "letterInfo",
                              "bar": "letterBar", "pageNo": 0, "pageCount": pages})
        main = (f"<h2 class=\"col-name\">{esc(label)}</h2><table class=\"letter-table\" width=\"100%\"><thead><tr>"
                "<th>来信标题</th><th>来信时间</th><th>处理状态</th><th>回复时间</th></tr></thead>"
                "<tbody id=\"letterRows\"></tbody></table>" + self.pager_bar("letterBar", "letterInfo", pages))
        # the letters' rows are <tr>s: the list script draws <li>s, so the mailbox has its own draw
        tail = ("<script>" + LETTER_ROWS_JS.replace("@@NS@@", self.ns).replace("@@OPTIONS@@", options) + "</script>")
        return self.page(label, main, self.mailbox_column(unit), tail)

    def letters_api(self, unit: Unit, request: Request) -> Response:
        pages = self.letter_pages(unit)
        current = number(request, "pageNo", 1, pages)
        return as_json({"pageNo": current, "pageCount": pages, "totalCount": len(unit.letters or []), "data": [
            {"title": x.title, "date": f"{x.received:%Y-%m-%d}", "state": x.status,
             "reply": f"{x.answered:%Y-%m-%d}" if x.answered else ""}
            for x in page_slice(unit.letters or [], current, LETTERS_PER_PAGE)]})


LETTER_ROWS_JS = r"""
(function () {
  var options = @@OPTIONS@@, n = 0, count = options.pageCount;
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  function load(page) {
    if (page < 1 || page > count || page === n) return;
    var x = new XMLHttpRequest(); x.open('GET', options.url + '?pageNo=' + page, true);
    x.onload = function () { var r = JSON.parse(x.responseText); n = r.pageNo;
      document.getElementById(options.list).innerHTML = r.data.map(function (l) {
        return '<tr><td>' + esc(l.title) + '</td><td>' + l.date + '</td><td>' + esc(l.state) + '</td><td>' + l.reply + '</td></tr>';
      }).join('') || '<tr><td colspan="4">暂无来信</td></tr>';
      document.getElementById(options.info).innerHTML = '第' + n + '页/共' + count + '页'; };
    x.send();
  }
  var bar = document.getElementById(options.bar);
  bar.querySelector('.btn-next').addEventListener('click', function () { load(n + 1); });
  bar.querySelector('.pg-prev').addEventListener('click', function () { load(n - 1); });
  bar.querySelector('.pg-first').addEventListener('click', function () { load(1); });
  bar.querySelector('.pg-last').addEventListener('click', function () { load(count); });
  load(1);
})();
"""

VARIANTS: dict[str, type[ScriptSiteRenderer]] = {"vue": VueRenderer, "react": HashRenderer,
                                                 "inline": InlinePagerRenderer, "click": ClickPagerRenderer}

__all__ = ["ScriptSiteRenderer", "VARIANTS", "SITE_VARIANTS"]
