"""A tiny static town site whose problems a person should see, for the evidence tests.

龙潭镇 (the unit of tests/render_web.config_text) with: leaders whose photos are a sharp
portrait and a blurred one (sandbox/media.py's pictures); a 工作流程 column with a sharp
1200x900 flowchart, a blurred one of the same size (upscaled from 150x112: flowchart_unclear)
and a sharp but small 400x300 one (flowchart_unclear by its size); an empty 通知公告
(暂无信息: column_empty); a 工作动态 whose newest entry is months old (column_stale); a
fresh 政策文件. The empty column's page shows a picture from `localhost`, a host the config
does not name.

    web = start_web(True, PORTS, make=EvidenceWeb); ...; web.stop()
"""
from __future__ import annotations

from urllib.parse import urlsplit

from sandbox.media import flowchart_bytes, photo_bytes
from tests.render_web import BANNER, FOOT, HEAD, LocalWeb

MENU = [("领导信息", "/xxgk/ldxx.html"), ("工作流程", "/xxgk/gzlc.html"), ("通知公告", "/xxgk/tzgg.html"),
        ("工作动态", "/xxgk/gzdt.html"), ("政策文件", "/xxgk/zcwj.html")]
LEADERS = [("张建国", "镇党委书记", "good"), ("李卫东", "镇长", "blurred")]
FLOWCHARTS = [("行政许可流程图", "image_sharp", (1200, 900)), ("行政处罚流程图", "image_blurred", (1200, 900)),
              ("行政征收流程图", "image_small", (400, 300))]
LISTS = {"gzdt": ["2011-05-03", "2011-04-20", "2011-03-11"],          # 动态 may go 14 days without news
         "zcwj": ["2011-09-20", "2011-08-02", "2011-06-30"]}
EMPTY_COLUMN = "/xxgk/tzgg.html"
STALE_COLUMN = "/xxgk/gzdt.html"
OFFSITE = "/offsite.gif"
ARTICLE = "为进一步做好秋季农业生产工作，确保粮食丰收、农民增收，经镇党委、政府研究，现将有关事项通知如下。" * 3


class EvidenceWeb(LocalWeb):

    def answer(self, path: str) -> tuple[int, str, str | bytes]:
        html = "text/html; charset=utf-8"
        p = urlsplit(path).path
        if p == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nDisallow:\n"
        if p in ("/", "/index.html"):
            return 200, html, (HEAD.format(title="首页") + BANNER + "<div class='nav'><a href='/index.html'>首页</a>"
                               "<a href='/xxgk/index.html'>政府信息公开</a></div>"
                               "<div class='main'><p>欢迎访问龙潭镇人民政府网站。</p></div>" + FOOT)
        if p == "/xxgk/index.html":
            menu = "".join(f"<li><a href='{u}'>{n}</a></li>" for n, u in MENU)
            return 200, html, (HEAD.format(title="政府信息公开") + BANNER
                               + f"<div class='menu'><h2>信息公开目录</h2><ul>{menu}</ul></div>" + FOOT)
        if p == "/xxgk/ldxx.html":
            cards = "".join(f"<div class='leader'><img src='/photo/{i}.jpg' alt='{n}'><div class='info'><h3>{n}</h3>"
                            f"<p>职务：{post}</p><p>分工：负责全面工作</p></div></div>"
                            for i, (n, post, _) in enumerate(LEADERS))
            return 200, html, HEAD.format(title="领导信息") + BANNER + f"<div class='leaders'>{cards}</div>" + FOOT
        if p == "/xxgk/gzlc.html":
            items = "".join(f"<div class='lct'><h3>{title}</h3><p><img src='/lct/{i}.png'></p></div>"
                            for i, (title, _, _) in enumerate(FLOWCHARTS))
            return 200, html, HEAD.format(title="工作流程") + BANNER + f"<h2>工作流程</h2>{items}" + FOOT
        if p == EMPTY_COLUMN:
            # a picture on a host the config does not name: the screenshot's browser must not ask for it
            return 200, html, (HEAD.format(title="通知公告") + BANNER + "<h2>通知公告</h2><ul class='list'></ul>"
                               f"<p class='empty'>暂无信息</p><img src='http://localhost:{self.port}{OFFSITE}' alt=''>"
                               + FOOT)
        if p.startswith("/xxgk/") and p[6:-5] in LISTS:
            col = p[6:-5]
            items = "".join(f"<li><a href='/art/{col}/{i}.html'>龙潭镇关于做好二〇一一年秋季农业生产工作的通知（{i + 1}）</a>"
                            f"<span class='date'>{d}</span></li>" for i, d in enumerate(LISTS[col]))
            return 200, html, HEAD.format(title=col) + BANNER + f"<ul class='list'>{items}</ul>" + FOOT
        if p.startswith("/art/"):
            return 200, html, (HEAD.format(title="正文") + BANNER + "<div class='article'><h1>正文</h1>"
                               f"<div class='info'>发布时间：2011-09-01</div><div class='content'><p>{ARTICLE}</p></div>"
                               "</div>" + FOOT)
        if p.startswith("/photo/"):
            _, _, kind = LEADERS[int(p[7:-4])]
            return 200, "image/jpeg", photo_bytes(kind, 300, 400, 7)[0]
        if p.startswith("/lct/"):
            _, kind, (width, height) = FLOWCHARTS[int(p[5:-4])]
            body, ctype = flowchart_bytes(kind, width, height, 2)        # seed 2: PNG
            return 200, ctype, body
        return 404, html, HEAD.format(title="404") + "<p>页面不存在</p></body></html>"
