"""The blind web: 龙溪县 (made up), 42 units on nine template families the extractors were not written against.

    python -m sandbox serve --blind --port 19311 --manifest var/blind-manifest.json
    python -m sandbox config --blind --port 19311 -o config/sandbox-blind.toml

Written from the patterns of real county sites (issue 10's list, ../shared/real-pages)
by someone who never read crawler/ or audits/, so that it measures how the product
does on markup nobody on the team wrote. Same model, same manifest as the default
web (sandbox/manifest.py derives the truth from what is planted here):

- jyh     a 集约化 platform: the county government and nine units are sections of one
          host; a unit's entry URL is its own section (a side tree of its columns); the top
          navigation's 政务公开 and the breadcrumb lead to the platform's directory of units.
- gk2019  a unit site with the 2019 catalogue: 政府信息公开指南 / 政府信息公开制度 /
          法定主动公开内容 / 政府信息公开年报; the mailbox is a column; static columns are one
          page of text; an empty column says 暂无信息 (or 暂无内容, 正在建设中).
- dede    DedeCMS / PHPCMS-style sites: list_12_2.html, /a/2011/0915/123.html, show-12-345.html.
- trs2    a TRS variant: lists carry no dates; detail pages have a PubDate <meta> re-stamped by a
          later migration (the printed date is the truth), some print only 生成日期 or 发文日期.
- spa     sites drawn by scripts (issue 11): app shells whose lists, pagination, leader cards and mailbox
          tables come from JSON endpoints; pagination only in an inline script; a 下一页 without an address.
          Their own block of addresses, 127.77.3.x; added after the others, which keep their bytes.
- old     older county sites (2008-2014 ASP, ASP.NET and hand-made sites still served): "/" a tiny page
          sending the browser on (meta refresh or script); 信息公开 an overview of blocks with 更多>>, an
          <iframe> list, a <frameset>; table lists with cut titles and window.open links; a __doPostBack
          pager (POST); 领导之窗 photo links (.bmp, a GIF spacer); a 留言板 mailbox; two sites in GBK.
          Their own block, 127.77.4.x, after the spa sites (every earlier unit keeps its pages and truth).
- cms2020 sites on commercial CMS platforms of 2016-2024, three variants: 大汉 JCMS-style (an image banner
          to 信息公开, /col/colN/index.html paged by <div id="page"> ?uid=&pageNum= links with a <select onchange>
          jump, downfile.jsp attachments, div.ldxx-item leader cards), 开普云-style (/xxgk/index.jhtml with a
          <dl><dt> catalogue of col.jsp?id=&cid= columns, 索引号/名称/生成日期/文号 tables, a page per leader),
          拓尔思 WCM-style over HTTPS, its http:// entry a 301 to https:// (index.jhtml -> index_2.jhtml, metadata tables, WebP photos). 办事服务
          items are pages (image, PDF, 详见附件 + .docx, or steps only); the mailbox a 信件编号 table with a
          page per letter. Their own block, 127.77.5.x, after the old sites (earlier units unchanged).
- plat    a .jsp 政府信息公开平台 of another vendor: one host (127.77.6.1) serves every unit's section by a query
          parameter (/xxgk/unit.jsp?unitid=12, col.jsp?unitid=&catid=&page=, art.jsp?unitid=&id=), a directory of
          units at /xxgk/, a top nav (首页 / 政府信息公开 / 政策文件 / 互动交流) and a breadcrumb up to it, the unit's
          column tree as a left menu; lists as <div class="list"> with the date before the title or a 序号/标题/发布日期
          table; a 姓名/职务/分工 leader table with a page per leader; 办事指南 pages; mailboxes on its 互动交流 path
          (/hdjl/mailbox.jsp?deptid=, letter.jsp?id=). Two units also run a small site of their own (127.77.6.2, .3:
          news, 信息公开 -> their section), their entry URL. Added after cms2020 (earlier units unchanged).
- sub     sites whose catalogue has two levels (127.77.7.x): the left menu shows groups (机构概况, 政策法规, 人事信息,
          财政信息, 业务工作) and loose columns (指南, 制度, 年报, 信箱); a group page lists its sub-columns, as blocks of
          their 5 newest entries with 更多 or as plain links; a column page with 最新/往年 tabs (both panels in the
          HTML, the second display:none) or paged index_N.html; lists as <li><a>..</a><em>date</em></li> or a table
          with the date cell before the title; 领导信息 one page of all leaders (photo, 姓名, 职务, 分工 as paragraphs).
          Added after plat (earlier units unchanged).

The reference layout is the 2019-style one (BLIND_LAYOUT), with 信箱 as a column of role
"mailbox": a unit with a mailbox has it (its entries are the letters, judged only by
mailbox_backlog), a unit without one misses it. A static column shown as one page of
text has one entry (the page); its date is the one the page prints, if any.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sandbox.generator import (AS_OF, HEAD_POSTS, TITLE_TEMPLATES, IdCounter, Plan, Texts, add_attachments,
                               add_undated_tail, make_articles, make_leaders, make_letters, make_workflows,
                               plant_broken)
from sandbox.layout import RECENCY_DAYS, RefColumn
from sandbox.model import Appointment, Article, Column, Leader, Site, Unit, Web

BLIND_SEED = 7919
COUNTY = "龙溪县"
PORTAL = "lxxzf"
PLATFORM_HOST = "127.77.2.1"

BLIND_LAYOUT: tuple[RefColumn, ...] = (
    RefColumn("政府信息公开指南", "gkzn", "static", ("信息公开指南", "公开指南")),
    RefColumn("政府信息公开制度", "gkzd", "static", ("信息公开制度", "公开制度")),
    RefColumn("机构职能", "jgzn", "static", ("机构概况", "主要职责", "职能职责", "单位职能")),
    RefColumn("领导信息", "ldxx", "static", ("负责人信息", "领导之窗", "领导简介", "单位领导"), role="leaders"),
    RefColumn("政策文件", "zcwj", "政策文件", ("政策法规", "规范性文件", "文件资料")),
    RefColumn("规划计划", "ghjh", "规划计划", ("发展规划", "计划总结", "规划信息")),
    RefColumn("工作动态", "gzdt", "动态", ("部门动态", "乡镇动态", "政务动态", "工作信息")),
    RefColumn("通知公告", "tzgg", "通知公告", ("公示公告", "公告公示")),
    RefColumn("人事信息", "rsxx", "人事", ("人事任免", "干部任免", "人事管理"), role="personnel"),
    RefColumn("财政预决算", "czyjs", "规划计划", ("财政信息", "部门预决算", "预决算公开")),
    RefColumn("办事服务", "bsfw", "static", ("办事流程", "权力运行流程图", "工作流程"), role="workflows"),
    RefColumn("信箱", "xx", "static", ("部门信箱", "局长信箱", "书记信箱", "县长信箱", "镇长信箱"), role="mailbox"),
    RefColumn("政府信息公开年报", "gknb", "规划计划", ("信息公开年报", "年度报告", "政府信息公开工作年度报告")),
)
STATIC_PAGES = ("政府信息公开指南", "政府信息公开制度", "机构职能")   # one page of text where a family says so
TEMPLATES = {**TITLE_TEMPLATES,
             "政府信息公开指南": TITLE_TEMPLATES["信息公开指南"],
             "政府信息公开制度": ("{unit}政府信息公开保密审查制度", "{unit}政府信息主动公开制度",
                          "{unit}依申请公开工作制度"),
             "财政预决算": TITLE_TEMPLATES["财政信息"],
             "政府信息公开年报": TITLE_TEMPLATES["信息公开年报"]}
GROUPS = {"机构职能": "法定主动公开内容", "领导信息": "法定主动公开内容", "政策文件": "法定主动公开内容",
          "规划计划": "法定主动公开内容", "工作动态": "法定主动公开内容", "通知公告": "法定主动公开内容",
          "人事信息": "法定主动公开内容", "财政预决算": "法定主动公开内容", "办事服务": "法定主动公开内容",
          "信箱": "法定主动公开内容"}
PER_PAGE = {"jyh": 15, "gk2019": 12, "dede": 20, "trs2": 18, "spa": 10, "old": 15, "cms2020": 15, "plat": 15, "sub": 15}

# (id, name, kind, plan); the plan's family is the site's; platform units have family "jyh".
J, G, D, T, S, O, C, P, U = "jyh", "gk2019", "dede", "trs2", "spa", "old", "cms2020", "plat", "sub"
BLIND_UNITS: tuple[tuple[str, str, str, Plan], ...] = (
    (PORTAL, "龙溪县人民政府", "门户", Plan(family=J, group=True, rich=True, mailbox=True, handled=3)),
    ("chengguanzhen", "城关镇", "乡镇", Plan(family=J, stale=("工作动态",), photos=("good", "tiny", "good"),
                                         mailbox=True, backlog_old=3, handled=2)),
    ("hekouzhen", "河口镇", "乡镇", Plan(family=J, empty=("规划计划", "政府信息公开年报"),
                                     photos=("placeholder", "placeholder", "good"))),
    ("shiqiaoxiang", "石桥乡", "乡镇", Plan(family=J, missing=("政府信息公开制度",), mailbox=True, handled=1,
                                        flowcharts=("attachment_doc", "none", "image_sharp"))),
    ("fagaiju", "发改局", "县直部门", Plan(family=J, outdated_leaders=True, mailbox=True, handled=4, broken=("404",))),
    ("jiaoyuju", "教育局", "县直部门", Plan(family=J, rich=True, photos=("none", "blurred", "good", "good"),
                                        mailbox=True, backlog_old=2, backlog_new=3)),
    ("minzhengju", "民政局", "县直部门", Plan(family=J, undated=("通知公告",), mailbox=True, handled=2,
                                          flowcharts=("image_small", "broken_404", "attachment_pdf"))),
    ("caizhengju", "财政局", "县直部门", Plan(family=J, stale=("财政预决算",), broken=("att_404", "soft_404"),
                                          mailbox=True, handled=2)),
    ("rensheju", "人社局", "县直部门", Plan(family=J, photos=("broken_404", "html", "good"), mailbox=True, handled=3)),
    ("weishengju", "卫生局", "县直部门", Plan(family=J, empty=("人事信息",), mailbox=True, handled=2)),
    ("zhujianju", "住建局", "县直部门", Plan(family=G, group=True, empty=("规划计划",), photos=("good", "tiny", "good"),
                                          mailbox=True, backlog_old=4, handled=2)),
    ("jiaotongju", "交通局", "县直部门", Plan(family=G, group=True, outdated_leaders=True, mailbox=True, handled=3,
                                          flowcharts=("attachment_xls", "image_blurred"))),
    ("nongyeju", "农业局", "县直部门", Plan(family=G, group=True, stale=("政策文件",), photos=("none", "good", "good"))),
    ("shuiliju", "水利局", "县直部门", Plan(family=G, group=True, broken=("soft_404",), mailbox=True, handled=2,
                                        flowcharts=("none", "image_sharp", "broken_empty"))),
    ("lvyouju", "旅游局", "县直部门", Plan(family=D, rich=True, photos=("tiny", "good"), mailbox=True,
                                        backlog_old=2, handled=1)),
    ("wentiju", "文体局", "县直部门", Plan(family=D, missing=("政府信息公开年报", "人事信息"), broken=("404",),
                                        flowcharts=("attachment_doc", "image_sharp"))),
    ("longtanzhen", "龙潭镇", "乡镇", Plan(family=D, site_stale=True, rich=True,
                                       photos=("placeholder", "placeholder", "good"))),
    ("gonganju", "公安局", "县直部门", Plan(family=T, group=True, stale=("通知公告", "工作动态"), mailbox=True,
                                        handled=3, photos=("good", "blurred", "good"))),
    ("guotuju", "国土资源局", "县直部门", Plan(family=T, group=True, outdated_leaders=True, broken=("att_empty",),
                                           flowcharts=("image_sharp", "attachment_pdf"))),
    ("linyeju", "林业局", "县直部门", Plan(family=T, undated=("规划计划",), photos=("html", "good"), mailbox=True,
                                       backlog_old=3)),
    ("shenjiju", "审计局", "县直部门", Plan(family=T, group=True, site_stale=True)),
    # Sites drawn by scripts (sandbox/families/spa.py), added last so the units above keep their ids and pages:
    # a Vue-style history-mode shell, a React-style hash-mode shell, a 集约化 site whose pagination is only in
    # an inline script (letters by AJAX), a site whose later list and mailbox pages are reached only by a click.
    ("kejiju", "科技局", "县直部门", Plan(family=S, group=True, stale=("通知公告",), photos=("good", "tiny", "good"),
                                      mailbox=True, backlog_old=2, handled=2, broken=("soft_404",),
                                      flowcharts=("image_sharp", "attachment_pdf"))),
    ("huanbaoju", "环保局", "县直部门", Plan(family=S, group=True, empty=("规划计划",), outdated_leaders=True,
                                         photos=("good", "none", "good"), mailbox=True, backlog_old=1, handled=3,
                                         broken=("404",))),
    ("xinhuaxiang", "新华乡", "乡镇", Plan(family=S, group=True, rich=True, photos=("placeholder", "placeholder", "good"),
                                        mailbox=True, backlog_old=3, backlog_new=1, handled=14,
                                        flowcharts=("none", "image_small", "image_sharp"))),
    ("shangwuju", "商务局", "县直部门", Plan(family=S, rich=True, missing=("政府信息公开年报",), photos=("broken_404", "good"),
                                        mailbox=True, backlog_old=2, handled=16, broken=("att_404",),
                                        flowcharts=("attachment_doc", "image_sharp"))),
    # Older sites (sandbox/families/old.py), added after the spa sites for the same reason: a 动易-style ASP
    # site entered by a meta refresh, a hand-made ASP site with an <iframe> list and image-only menu (GBK), an
    # ASP.NET site paged by __doPostBack, a static <frameset> site (GBK), a second 动易-style site in the group.
    ("nongjiju", "农机局", "县直部门", Plan(family=O, stale=("工作动态",), outdated_leaders=True, photos=("good", "tiny", "good"),
                                        mailbox=True, backlog_old=2, handled=3,
                                        flowcharts=("image_sharp", "attachment_doc", "image_blurred"))),
    ("baiyangzhen", "白杨镇", "乡镇", Plan(family=O, empty=("规划计划", "财政预决算"), undated=("通知公告",),
                                       photos=("good", ("tiny", 1, 1), "good", "none"), mailbox=True, backlog_old=3,
                                       backlog_new=1, handled=2, broken=("404",),
                                       flowcharts=("image_sharp", "attachment_xls", "broken_404"))),
    ("tongjiju", "统计局", "县直部门", Plan(family=O, rich=True, missing=("政府信息公开制度",), broken=("soft_404", "att_404"),
                                        mailbox=True, backlog_old=1, backlog_new=2, handled=4,
                                        flowcharts=("image_sharp", "attachment_xls", "image_small"))),
    ("shuanghexiang", "双河乡", "乡镇", Plan(family=O, site_stale=True, rich=True,
                                         photos=("placeholder", "placeholder", "good"), flowcharts=("none", "attachment_doc"))),
    ("sifaju", "司法局", "县直部门", Plan(family=O, group=True, missing=("政府信息公开年报",), stale=("政策文件",),
                                      photos=("none", "good", "broken_404"), mailbox=True, backlog_old=2, handled=14,
                                      broken=("att_empty",), flowcharts=("none", "image_small", "attachment_pdf"))),
    # Sites on commercial CMS platforms, 2016-2024 (sandbox/families/cms2020.py), added after the old sites for the
    # same reason, on 127.77.5.x: a 大汉 JCMS-style town site, a 开普云-style 信息公开平台 (<dl> catalogue, col.jsp?id=),
    # a 拓尔思 WCM-style site served over HTTPS, a second JCMS-style site in the group, a second 开普云-style one.
    ("yingshanzhen", "营山镇", "乡镇", Plan(family=C, stale=("工作动态",), photos=("good", "placeholder", "placeholder"),
                                        mailbox=True, backlog_old=2, handled=3, broken=("soft_404",),
                                        flowcharts=("image_sharp", "attachment_pdf", "attachment_doc", "none"))),
    ("tuiyiju", "退役军人事务局", "县直部门", Plan(family=C, outdated_leaders=True, empty=("规划计划",),
                                            photos=("good", "blurred", "good"), mailbox=True, backlog_new=2, handled=2,
                                            broken=("att_404", "att_empty"),
                                            flowcharts=("image_small", "attachment_doc", "image_sharp"))),
    ("yingjiju", "应急管理局", "县直部门", Plan(family=C, missing=("政府信息公开制度",), undated=("通知公告",),
                                           photos=("tiny", "good"), mailbox=True, backlog_old=1, handled=16,
                                           flowcharts=("image_blurred", "none"), tls="valid")),
    ("shichangju", "市场监管局", "县直部门", Plan(family=C, group=True, rich=True, photos=("none", "good", "broken_404"),
                                             broken=("404",), mailbox=True, handled=3,
                                             flowcharts=("attachment_pdf", "image_sharp"))),
    ("dongfengxiang", "东风乡", "乡镇", Plan(family=C, site_stale=True, rich=True,
                                         photos=("placeholder", "placeholder", "good"), flowcharts=("none", "image_sharp"))),
    # Sections of a .jsp 政府信息公开平台 (sandbox/families/plat.py) on 127.77.6.1, added last for the same reason:
    # units by ?unitid=, mailboxes on its 互动交流 path; 小河镇 and 医保局 also run a small site of their own
    # (127.77.6.2, 127.77.6.3) whose 信息公开 leads to their section.
    ("xiaohezhen", "小河镇", "乡镇", Plan(family=P, group=True, stale=("工作动态",), photos=("good", "placeholder", "placeholder"),
                                      mailbox=True, backlog_old=2, handled=3,
                                      flowcharts=("image_sharp", "attachment_pdf", "none"))),
    ("ziranziyuanju", "自然资源局", "县直部门", Plan(family=P, group=True, outdated_leaders=True, empty=("规划计划",),
                                               photos=("good", "tiny", "good"), mailbox=True, backlog_new=1, handled=2,
                                               broken=("404",), flowcharts=("image_small", "attachment_pdf"))),
    ("yibaoju", "医保局", "县直部门", Plan(family=P, group=True, missing=("政府信息公开制度",), undated=("通知公告",),
                                     photos=("none", "good", "broken_404"), mailbox=True, backlog_old=1, handled=16,
                                     broken=("att_404",), flowcharts=("none", "image_sharp"))),
    ("qinglinxiang", "青林乡", "乡镇", Plan(family=P, group=True, rich=True, photos=("blurred", "good"), mailbox=True,
                                        backlog_old=3, handled=1, broken=("soft_404",),
                                        flowcharts=("image_blurred", "attachment_doc"))),
    # Sites with a two-level catalogue (sandbox/families/sub.py) on 127.77.7.x, added last for the same reason: the
    # menu shows groups (机构概况, 政策法规 ...), a group page its sub-columns; tabs, date-first tables, <em> dates.
    ("baishuzhen", "柏树镇", "乡镇", Plan(family=U, group=True, stale=("工作动态",), photos=("good", "tiny", "placeholder"),
                                      mailbox=True, backlog_old=2, handled=3,
                                      flowcharts=("image_sharp", "attachment_doc", "none"))),
    ("shuiwuju", "税务局", "县直部门", Plan(family=U, group=True, outdated_leaders=True, empty=("规划计划",),
                                     photos=("good", "broken_404", "good"), mailbox=True, backlog_new=1, handled=16,
                                     broken=("404", "att_404"), flowcharts=("image_small", "image_sharp"))),
    ("renfangban", "人防办", "县直部门", Plan(family=U, missing=("政府信息公开年报",), undated=("通知公告",),
                                       photos=("none", "blurred"), mailbox=True, backlog_old=1, handled=2,
                                       broken=("soft_404",), flowcharts=("attachment_pdf", "image_blurred"))),
)
PLAT_HOMES = ("xiaohezhen", "yibaoju")    # platform units with a small site of their own
PLAT_DETAIL_DATES = {"qinglinxiang": "通知公告"}   # a plat column whose dates only the article pages print
SUB_LABELS = {"人事信息": "人事任免", "机构职能": "机构职能", "领导信息": "领导信息", "财政预决算": "预决算公开"}
GBK_SITES = ("wentiju", "baiyangzhen", "shuanghexiang")   # old sites in GBK (declared in the header too)


def rng_for(seed: int, unit_id: str, purpose: str = "") -> random.Random:
    return random.Random(f"blind:{seed}:{unit_id}:{purpose}")


def newest_date(rng: random.Random, ref: RefColumn, plan: Plan, as_of: date) -> date:
    days = RECENCY_DAYS[ref.recency]
    if plan.site_stale:
        return as_of - timedelta(days=rng.randint(130, 300))
    if ref.name in plan.stale:
        return as_of - timedelta(days=days + rng.randint(40, 220))
    if days:
        return as_of - timedelta(days=rng.randint(0, min(days // 2, 40)))
    return as_of - timedelta(days=rng.randint(30, 600))


MAILBOX_LABELS = {"门户": ("县长信箱",), "乡镇": ("书记信箱", "镇长信箱"), "县直部门": ("局长信箱", "部门信箱")}


def label_for(rng: random.Random, ref: RefColumn, family: str, kind: str) -> str:
    if family == "gk2019" and ref.name in ("政府信息公开指南", "政府信息公开制度", "政府信息公开年报"):
        return ref.name     # the four parts keep the regulation's wording
    if ref.role == "mailbox":
        return rng.choice(MAILBOX_LABELS[kind])
    if family == "sub" and ref.name in SUB_LABELS:
        return SUB_LABELS[ref.name]     # the sub-column's own name under its group
    return rng.choice(ref.synonyms) if ref.synonyms and rng.random() < 0.35 else ref.name


def static_page_family(family: str, unit_id: str) -> bool:
    """Families (and, on the platform, units) whose 指南 / 制度 / 机构职能 are one page of text."""
    return family in ("gk2019", "trs2", "plat", "sub") or (family == "jyh" and sum(map(ord, unit_id)) % 3 != 0)


def build_columns(rng, texts, ids, unit: Unit, plan: Plan, family: str, as_of: date) -> list[Column]:
    columns = []
    for ref in BLIND_LAYOUT:
        if ref.name in plan.missing or (ref.role == "mailbox" and not plan.mailbox):
            continue
        column = Column(ref=ref.name, label=label_for(rng, ref, family, unit.kind), slug=ref.slug, group=GROUPS.get(ref.name),
                        role=ref.role or "list", per_page=PER_PAGE[family])
        if ref.name not in plan.empty and ref.role not in ("leaders", "workflows", "mailbox"):
            column.articles = articles_for(rng, texts, ids, ref, plan, unit, family, as_of)
        columns.append(column)
    return columns


def articles_for(rng, texts, ids, ref: RefColumn, plan: Plan, unit: Unit, family: str, as_of: date) -> list[Article]:
    newest = newest_date(rng, ref, plan, as_of)
    templates = TEMPLATES[ref.name]
    if ref.name in STATIC_PAGES and static_page_family(family, unit.id):
        article = make_articles(rng, texts, ids, templates, 1, newest, False, 30)[0]
        article.body = static_text(ref.name, unit.name)
        if rng.random() < 0.5:
            article.date = None     # the page prints no date
        return [article]
    if ref.recency == "static":
        count = rng.randint(1, 3)
    elif plan.rich or plan.site_stale:
        count = rng.randint(22, 48)
    elif ref.recency == "动态":
        count = rng.randint(10, 36)
    else:
        count = rng.randint(3, 17)
    if ref.role == "personnel":
        return personnel(rng, texts, ids, unit.leaders, plan, newest, max(count, 4))
    gap = max(1, RECENCY_DAYS[ref.recency] // 6) if RECENCY_DAYS[ref.recency] else 60
    articles = make_articles(rng, texts, ids, templates, count, newest, ref.name in plan.undated, gap)
    add_undated_tail(rng, texts, ids, articles, templates)
    return articles


def personnel(rng, texts, ids, leaders: list[Leader], plan: Plan, newest: date, count: int) -> list[Article]:
    """任免 notices; an outdated unit's newest one names three people (two appointed, the listed head removed)."""
    articles = make_articles(rng, texts, ids, TEMPLATES["人事信息"], count, newest, False, 20)
    if not leaders:
        return articles
    deputy = leaders[-1]
    agreeing = articles[min(2, len(articles) - 1)]
    agreeing.title = f"关于{deputy.name}同志任职的通知"
    agreeing.appointments = [Appointment(deputy.name, deputy.post, "任")]
    if plan.outdated_leaders:
        head, successor, newcomer = leaders[0], texts.person(), texts.person()
        notice = articles[0]
        notice.title = f"{texts.unit}关于{successor}等同志职务任免的通知"
        notice.appointments = [Appointment(successor, head.post, "任"), Appointment(newcomer, leaders[1].post, "任"),
                               Appointment(head.name, head.post, "免")]
    return articles


def static_text(name: str, unit: str) -> str:
    if name == "机构职能":
        return (f"{unit}是县人民政府工作部门，主要职责是：\n（一）贯彻执行国家、省、州有关方针政策和法律法规，"
                "拟订全县相关政策措施并组织实施。\n（二）负责本系统的统筹规划、综合协调和监督管理工作。\n"
                "（三）承担本部门政府信息公开、政务服务和安全生产工作。\n（四）完成县委、县政府交办的其他任务。")
    if name == "政府信息公开制度":
        return (f"为规范{unit}政府信息公开工作，根据《中华人民共和国政府信息公开条例》，制定本制度。\n"
                "第一条 政府信息公开工作由办公室统一归口管理。\n第二条 拟公开的政府信息应当依照有关规定进行保密审查。\n"
                "第三条 属于主动公开范围的政府信息，应当自形成或者变更之日起20个工作日内予以公开。")
    return (f"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。\n"
            f"一、公开的主体和范围：{unit}主动公开本单位的机构职能、政策文件、规划计划、财政预决算等信息。\n"
            "二、公开的方式：政府网站、公开查阅点、新闻发布会等。\n三、依申请公开：公民、法人或者其他组织可以书面形式提出申请，"
            "本机关自收到申请之日起20个工作日内予以答复。\n四、监督方式：向县政务公开办公室投诉，电话0718-6000000。")


def build_unit(seed: int, ids: IdCounter, unit_id: str, name: str, kind: str, plan: Plan, site: str,
               as_of: date) -> Unit:
    rng = rng_for(seed, unit_id)
    texts = Texts(rng, name)
    unit = Unit(id=unit_id, name=name, kind=kind, site=site)
    unit.leaders = make_leaders(rng, texts, kind, plan) if "领导信息" not in plan.missing + plan.empty else []
    unit.workflows = make_workflows(rng, plan) if "办事服务" not in plan.missing + plan.empty else []
    unit.columns = build_columns(rng, texts, ids, unit, plan, plan.family, as_of)
    links = random.Random(f"blind-links:{unit_id}")
    for column in unit.columns:
        add_attachments(links, column.articles, plan.family)
    with_articles = [c for c in unit.columns if c.articles and c.ref not in STATIC_PAGES]
    for number, kind_ in enumerate(plan.broken, 1):
        plant_broken(with_articles[number % len(with_articles)].articles, kind_, number)
    if plan.mailbox:
        unit.letters = make_letters(rng, ids, plan, as_of)
    return unit


def generate_blind(seed: int = BLIND_SEED, port: int = 19311) -> Web:
    ids = IdCounter(620000)
    platform_units = [uid for uid, _, _, plan in BLIND_UNITS if plan.family == "jyh"]
    sites = [Site(id="lxpt", family="jyh", host=PLATFORM_HOST, port=port, units=platform_units, in_site_group=True)]
    units, block = [], {1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 7: 0}
    for unit_id, name, kind, plan in BLIND_UNITS:
        site_id = "lxpt" if plan.family == "jyh" else "lxgk" if plan.family == "plat" else unit_id
        if site_id == "lxgk":     # the .jsp platform, on 127.77.6.1; two units' own small sites after it
            if not any(s.id == "lxgk" for s in sites):
                sites.append(Site(id="lxgk", family="plat", host="127.77.6.1", port=port, in_site_group=True,
                                  units=[uid for uid, _, _, p in BLIND_UNITS if p.family == "plat"]))
            if unit_id in PLAT_HOMES:
                sites.append(Site(id=unit_id, family="plat", host=f"127.77.6.{2 + PLAT_HOMES.index(unit_id)}",
                                  port=port, units=[unit_id], in_site_group=plan.group))
        elif site_id != "lxpt":
            number = 7 if plan.family == "sub" else 5 if plan.family == "cms2020" else 4 if plan.family == "old" else 3 if plan.family == "spa" else 2 if plan.group else 1
            block[number] += 1
            gbk = unit_id in GBK_SITES
            sites.append(Site(id=unit_id, family=plan.family, host=f"127.77.{number}.{block[number]}", port=port,
                              units=[unit_id], in_site_group=plan.group, encoding="gbk" if gbk else "utf-8", tls=plan.tls,
                              http_redirect=bool(plan.tls)))
        units.append(build_unit(seed, ids, unit_id, name, kind, plan, site_id, AS_OF))
        for column in units[-1].columns if unit_id in PLAT_DETAIL_DATES else ():
            for article in column.articles if column.ref == PLAT_DETAIL_DATES[unit_id] else ():
                article.date_in_list = False
    return Web(seed=seed, as_of=AS_OF, scale="county", sites=sites, units=units, portal_unit=PORTAL,
               site_group_hosts=[s.host for s in sites if s.in_site_group], layout=BLIND_LAYOUT, county_name=COUNTY)


__all__ = ["generate_blind", "BLIND_LAYOUT", "BLIND_UNITS", "HEAD_POSTS"]
