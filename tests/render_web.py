"""A tiny county site drawn by scripts, for the rendering tests (and bench/bench_render.py).

One town's site whose disclosure section draws its menu in the browser (an empty app root),
whose column lists come from a JSON endpoint with a next page reached only by a click
(下一页 without an address), whose leader cards come from a `data-url` container, and whose
mailbox table an inline `fetch()` fills. Articles are static. Written by hand for these
tests, in plain script (no framework: nothing is downloaded). `static=True` serves the same
content as plain HTML (what a crawl of a site that needs no rendering sees).

    web = RenderWeb(port).start(); ...; web.stop()
"""
from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 10
COLUMNS = {"tzgg": ("通知公告", 25), "gzdt": ("工作动态", 7), "zcwj": ("政策文件", 12)}
MENU = [("领导信息", "/xxgk/ldxx.html"), ("通知公告", "/xxgk/tzgg.html"), ("工作动态", "/xxgk/gzdt.html"),
        ("政策文件", "/xxgk/zcwj.html")]
LEADERS = [("张建国", "镇党委书记", "主持镇党委全面工作"), ("李卫东", "镇长", "主持镇政府全面工作"),
           ("王秀兰", "副镇长", "负责农业农村、扶贫开发工作")]
LETTERS = [("关于村道路面破损的反映", "2011-05-03", "未受理"), ("咨询低保申请条件", "2011-06-12", "已办结"),
           ("关于自来水停水问题", "2011-08-20", "已受理"), ("反映集镇垃圾清运不及时", "2011-09-01", "已办结")]
NEWEST = date(2011, 9, 26)

HEAD = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} - 龙潭镇人民政府</title></head><body>"
BANNER = "<div class='header'><h1>龙潭镇人民政府</h1></div>"
FOOT = "<div class='footer'>主办：龙潭镇人民政府 技术支持：某某网络</div></body></html>"

APP_JS = r"""
(function () {
  var col = document.body.getAttribute('data-column');
  var app = document.getElementById('app');
  function draw(page) {
    fetch('/api/list.json?col=' + col + '&page=' + page).then(function (r) { return r.json(); }).then(function (d) {
      var html = '<ul class="list">' + d.rows.map(function (r) {
        return '<li><a href="' + r.url + '">' + r.title + '</a><span class="date">' + r.date + '</span></li>';
      }).join('') + '</ul><div class="pager">第' + page + '/' + d.pages + '页 ';
      if (page < d.pages) html += '<a href="javascript:;" class="next">下一页</a>';
      app.innerHTML = html + '</div>';
      var next = app.querySelector('.next');
      if (next) next.onclick = function () { draw(page + 1); };
    });
  }
  draw(1);
})();
"""
MENU_JS = r"""
// 工作动态 has no page of its own: a click on its menu item draws its list here.
function showColumn(col) {
  fetch('/api/list.json?col=' + col + '&page=1').then(function (r) { return r.json(); }).then(function (d) {
    document.getElementById('content').innerHTML = '<ul class="list">' + d.rows.map(function (r) {
      return '<li><a href="' + r.url + '">' + r.title + '</a><span class="date">' + r.date + '</span></li>';
    }).join('') + '</ul>';
  });
}
fetch('/api/menu.json').then(function (r) { return r.json(); }).then(function (d) {
  document.getElementById('app').innerHTML = '<div class="menu"><h2>信息公开目录</h2><ul>' + d.map(function (m) {
    if (m.click) return '<li onclick="showColumn(\'' + m.click + '\')">' + m.name + '</li>';
    return '<li><a href="' + m.url + '">' + m.name + '</a></li>'; }).join('') + '</ul></div><div id="content"></div>';
});
"""
LEADERS_JS = r"""
(function () {
  var box = document.querySelector('[data-url]');
  fetch(box.getAttribute('data-url')).then(function (r) { return r.json(); }).then(function (d) {
    box.innerHTML = d.map(function (l) {
      return '<div class="leader"><img src="' + l.photo + '" alt="' + l.name + '"><div class="info"><h3>' + l.name
        + '</h3><p>职务：' + l.post + '</p><p>分工：' + l.duties + '</p></div></div>'; }).join('');
  });
})();
"""


def entries(col: str) -> list[dict]:
    name, count = COLUMNS[col]
    return [{"title": f"龙潭镇{name}第{i + 1}号：关于做好二〇一一年秋季农业生产的通知",
             "url": f"/art/{col}/{i + 1}.html", "date": (NEWEST - timedelta(days=3 * i)).isoformat()}
            for i in range(count)]


class LocalWeb:
    """A site on 127.0.0.1:port answering `answer(path) -> (status, content type, str or bytes body)`;
    `hits` counts the requests per path."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.port, self.host = port, host
        self.hits: dict[str, int] = {}
        self.server = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/index.html"

    def start(self) -> "LocalWeb":
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                web.hits[urlsplit(self.path).path] = web.hits.get(urlsplit(self.path).path, 0) + 1
                status, ctype, body = web.answer(self.path)
                data = body if isinstance(body, bytes) else body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((self.host, self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, path: str) -> tuple[int, str, str | bytes]:
        raise NotImplementedError


class RenderWeb(LocalWeb):
    def __init__(self, port: int, static: bool = False, host: str = "127.0.0.1"):
        super().__init__(port, host)
        self.static = static

    def answer(self, path: str) -> tuple[int, str, str]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        html, js, jsn = "text/html; charset=utf-8", "application/javascript", "application/json; charset=utf-8"
        p = parts.path
        if p == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow:\n"
        if p in ("/", "/index.html"):
            return 200, html, (HEAD.format(title="首页") + BANNER + "<div class='nav'><a href='/index.html'>首页</a>"
                               "<a href='/xxgk/index.html'>政府信息公开</a><a href='/hudong/mailbox.html'>镇长信箱</a>"
                               "</div><div class='main'><p>欢迎访问龙潭镇人民政府网站。</p></div>" + FOOT)
        if p == "/xxgk/index.html":
            if self.static:
                menu = "".join(f"<li><a href='{u}'>{n}</a></li>" for n, u in MENU)
                return 200, html, (HEAD.format(title="政府信息公开") + BANNER
                                   + f"<div class='menu'><h2>信息公开目录</h2><ul>{menu}</ul></div>" + FOOT)
            return 200, html, (HEAD.format(title="政府信息公开") + BANNER + "<div id='app'></div>"
                               "<script src='/static/menu.js'></script>" + FOOT)
        if p.startswith("/xxgk/") and p[6:-5] in COLUMNS:
            col = p[6:-5]
            if self.static:
                page = int(query.get("page", "1"))
                rows = entries(col)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
                pages = -(-len(entries(col)) // PAGE_SIZE)
                items = "".join(f"<li><a href='{r['url']}'>{r['title']}</a><span class='date'>{r['date']}</span></li>"
                                for r in rows)
                pager = f"<a href='{p}?page={page + 1}'>下一页</a>" if page < pages else ""
                return 200, html, (HEAD.format(title=COLUMNS[col][0]) + BANNER
                                   + f"<ul class='list'>{items}</ul><div class='pager'>{pager}</div>" + FOOT)
            return 200, html, (HEAD.format(title=COLUMNS[col][0]).replace("<body>", f"<body data-column='{col}'>")
                               + BANNER + "<div id='app'></div><script src='/static/app.js'></script>" + FOOT)
        if p == "/xxgk/ldxx.html":
            if self.static:
                cards = "".join(f"<div class='leader'><img src='/photo/{i}.jpg' alt='{n}'><div class='info'><h3>{n}</h3>"
                                f"<p>职务：{post}</p><p>分工：{d}</p></div></div>" for i, (n, post, d) in enumerate(LEADERS))
                return 200, html, HEAD.format(title="领导信息") + BANNER + f"<div class='leaders'>{cards}</div>" + FOOT
            return 200, html, (HEAD.format(title="领导信息") + BANNER + "<div class='leaders' data-url='/api/leaders.json'>"
                               "</div><script src='/static/leaders.js'></script>" + FOOT)
        if p == "/hudong/mailbox.html":
            head = "<table class='letters'><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>"
            if self.static:
                rows = "".join(f"<tr><td><a href='/hudong/letter/{i}.html'>{t}</a></td><td>{d}</td><td>{s}</td></tr>"
                               for i, (t, d, s) in enumerate(LETTERS))
                return 200, html, HEAD.format(title="镇长信箱") + BANNER + head + rows + "</table>" + FOOT
            script = ("<script>fetch('/api/letters.json').then(function (r) { return r.json(); }).then(function (d) {"
                      "var t = document.getElementById('letters'); t.innerHTML += d.map(function (l) { return "
                      "'<tr><td><a href=\"' + l.url + '\">' + l.title + '</a></td><td>' + l.received + '</td><td>'"
                      " + l.status + '</td></tr>'; }).join(''); });</script>")
            return 200, html, (HEAD.format(title="镇长信箱") + BANNER + head.replace("<table", "<table id='letters'")
                               + "</table>" + script + FOOT)
        if p.startswith("/art/") or p.startswith("/hudong/letter/"):
            text = "为进一步做好秋季农业生产工作，确保粮食丰收、农民增收，经镇党委、政府研究，现将有关事项通知如下。" * 3
            return 200, html, (HEAD.format(title="正文") + BANNER + f"<div class='article'><h1>正文</h1>"
                               f"<div class='info'>发布时间：2011-09-01</div><div class='content'><p>{text}</p></div></div>"
                               + FOOT)
        if p == "/static/app.js":
            return 200, js, APP_JS
        if p == "/static/menu.js":
            return 200, js, MENU_JS
        if p == "/static/leaders.js":
            return 200, js, LEADERS_JS
        if p == "/api/menu.json":
            return 200, jsn, json.dumps([{"name": n, "url": u, "click": u[6:-5] if n == "工作动态" else None}
                                         for n, u in MENU], ensure_ascii=False)
        if p == "/api/list.json":
            col, page = query.get("col", ""), int(query.get("page", "1"))
            rows = entries(col) if col in COLUMNS else []
            return 200, jsn, json.dumps({"pages": max(1, -(-len(rows) // PAGE_SIZE)),
                                         "rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]}, ensure_ascii=False)
        if p == "/api/leaders.json":
            return 200, jsn, json.dumps([{"name": n, "post": post, "duties": d, "photo": f"/photo/{i}.jpg"}
                                         for i, (n, post, d) in enumerate(LEADERS)], ensure_ascii=False)
        if p == "/api/letters.json":
            return 200, jsn, json.dumps([{"title": t, "received": d, "status": s, "url": f"/hudong/letter/{i}.html"}
                                         for i, (t, d, s) in enumerate(LETTERS)], ensure_ascii=False)
        return 404, html, HEAD.format(title="404") + "<p>页面不存在</p></body></html>"


def start_web(static: bool, ports: range, make=None) -> LocalWeb:
    """A RenderWeb (or `make(port)`, another LocalWeb) on the first free port of `ports`."""
    for port in ports:
        try:
            return (make(port) if make else RenderWeb(port, static=static)).start()
        except OSError:
            continue
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def config_text(web: LocalWeb, template: str) -> str:
    """A config naming the one town of the web, with the columns of `template` (a config's text)."""
    start = template.index("[thresholds]")
    end = template.index("[[units]]")
    return (f'[county]\nname = "龙溪县"\nportal = "longtan"\nsite_group_hosts = ["{web.host}:{web.port}"]\n\n'
            + template[start:end]
            + f'[[units]]\nid = "longtan"\nname = "龙潭镇"\nkind = "乡镇"\nurl = "{web.url}"\n')
