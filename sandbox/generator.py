"""The simulated county web: `generate(seed, scale)` builds the `Web` the sandbox serves.

Deterministic: every random choice comes from `random.Random` seeded with the web
seed and the unit id (string seeds are hashed with SHA-512 by `random`, never with
`hash()`), dates count back from `as_of`, never from the wall clock.

The county web (scale "county") is 建始县 as the 2011 bulletin (../shared/seed)
describes it on 2011-09-30: every unit is built from a `Plan`, written out by hand
for the units the bulletin names (BULLETIN_PLANS) and drawn at random, with mild
defects, for the others. The province web (scale "province") adds twenty more
counties of ordinary units, each unit on a site of its own, for benchmarks.
`change(web)` gives the next revision: a few columns get new articles;
`with_hostile(web, ...)` switches hostile behaviours off, or on for every site.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sandbox.layout import REFERENCE_COLUMNS, RECENCY_DAYS, THRESHOLDS, RefColumn, max_age_days
from sandbox.model import (Appointment, Article, Attachment, Column, Flowchart, Letter, Leader, Link,
                           Photo, Site, Unit, Web, Workflow)

AS_OF = date(2011, 9, 30)
DEFAULT_SEED = 2011
DEFAULT_PORT = 8311
PORTAL = "hbjs"

# (id, name, kind): the id is the pinyin of the name without tones (ü written v), as config/sites.toml.
COUNTY_UNITS: tuple[tuple[str, str, str], ...] = (
    ("hbjs", "建始网", "门户"),
    ("yezhouzhen", "业州镇", "乡镇"), ("gaopingzhen", "高坪镇", "乡镇"), ("hongyansizhen", "红岩寺镇", "乡镇"),
    ("jingyangzhen", "景阳镇", "乡镇"), ("guandianzhen", "官店镇", "乡镇"), ("huapingxiang", "花坪乡", "乡镇"),
    ("changliangxiang", "长梁乡", "乡镇"), ("maotianxiang", "茅田乡", "乡镇"),
    ("longpingxiang", "龙坪乡", "乡镇"), ("sanlixiang", "三里乡", "乡镇"),
    ("jianchaju", "监察局", "县直部门"), ("gongshangju", "工商局", "县直部门"), ("huanbaoju", "环保局", "县直部门"),
    ("xumushouyiju", "畜牧兽医局", "县直部门"), ("jiaoyuju", "教育局", "县直部门"),
    ("guotuziyuanju", "国土资源局", "县直部门"), ("caizhengju", "财政局", "县直部门"),
    ("gonganju", "公安局", "县直部门"), ("jingxinju", "经信局", "县直部门"), ("yiminju", "移民局", "县直部门"),
    ("guoshuiju", "国税局", "县直部门"), ("dishuiju", "地税局", "县直部门"), ("danganju", "档案局", "县直部门"),
    ("kaifaban", "开发办", "县直部门"), ("liangshiju", "粮食局", "县直部门"), ("linyeju", "林业局", "县直部门"),
    ("jiedaiban", "接待办", "县直部门"), ("jiansheju", "建设局", "县直部门"), ("minzongju", "民宗局", "县直部门"),
    ("shuilishuichanju", "水利水产局", "县直部门"), ("jiaotongju", "交通局", "县直部门"),
    ("minzhengju", "民政局", "县直部门"), ("weishengju", "卫生局", "县直部门"), ("xinfangju", "信访局", "县直部门"),
    ("zhujianju", "住建局", "县直部门"), ("lvyouju", "旅游局", "县直部门"), ("tongzhanbu", "统战部", "县直部门"),
    ("zonggonghui", "总工会", "县直部门"), ("fagaiju", "发改局", "县直部门"), ("rensheju", "人社局", "县直部门"),
    ("yunguansuo", "运管所", "县直部门"), ("xingzhengfuwuzhongxin", "行政服务中心", "县直部门"),
    ("bianban", "编办", "县直部门"), ("guozizhongxin", "国资中心", "县直部门"), ("tongjiju", "统计局", "县直部门"),
    ("jiwei", "纪委", "县直部门"), ("jikongzhongxin", "疾控中心", "县直部门"), ("jishengju", "计生局", "县直部门"),
    ("anjianju", "安监局", "县直部门"),
    # Plausible others the bulletin does not name.
    ("sifaju", "司法局", "县直部门"), ("shenjiju", "审计局", "县直部门"), ("nongyeju", "农业局", "县直部门"),
    ("wentiju", "文体局", "县直部门"), ("kejiju", "科技局", "县直部门"), ("wujiaju", "物价局", "县直部门"),
    ("shangwuju", "商务局", "县直部门"), ("zhijianju", "质监局", "县直部门"), ("renfangban", "人防办", "县直部门"),
    ("fupinban", "扶贫办", "县直部门"), ("qixiangju", "气象局", "县直部门"), ("yancaoju", "烟草局", "县直部门"),
    ("fulian", "妇联", "县直部门"), ("tuanxianwei", "团县委", "县直部门"), ("canlian", "残联", "县直部门"),
)

SITE_FRESH_DAYS = 45      # half the site_stale limit: fresh columns keep a site clearly fresh
DATED = tuple(c.name for c in REFERENCE_COLUMNS if RECENCY_DAYS[c.recency])
ALL_COLUMNS = tuple(c.name for c in REFERENCE_COLUMNS)


@dataclass
class Plan:
    """What to plant in one unit. Defaults: a clean unit hosted on the portal."""
    family: str | None = None        # family of the unit's own site; None: hosted on the portal
    group: bool = False              # own site inside the unified site group
    hostile: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()    # reference columns absent
    empty: tuple[str, ...] = ()      # present, no entries
    stale: tuple[str, ...] = ()      # dated columns whose newest entry is well past the limit
    undated: tuple[str, ...] = ()    # columns whose entries carry no date at all
    site_stale: bool = False         # everything old: nothing newer than ~4 months
    extras: tuple[str, ...] = ()     # unit-specific columns with no reference
    rich: bool = False               # many entries per column
    photos: tuple = ("good", "good", "good")   # kind or (kind, width, height) per leader
    flowcharts: tuple = ("image_sharp", "image_sharp", "image_sharp")
    outdated_leaders: bool = False   # a later 任免 notice the leader list ignores
    broken: tuple[str, ...] = ()     # link_broken plants: 404 | soft_404 | att_404 | att_empty
    mailbox: bool = False
    backlog_old: int = 0             # 未受理 letters received June 2011 (beyond the limit)
    backlog_new: int = 0             # 未受理 letters received July-September 2011 (within it)
    handled: int = 0                 # letters 已受理/已办结 with an answer
    letter_at_limit: bool = False    # a 未受理 letter received exactly at the limit: not beyond it, no backlog
    huge_attachment: bool = False
    newest_dynamic_age: int | None = None   # exact age in days of the newest 工作动态 entry
    script_title: bool = False       # a title with markup in it (hostile input; renderers must escape it)
    tls: str = ""                    # own site served over HTTPS with this certificate (model.TLS_STATES)


ONLY_ANTI_CORRUPTION = tuple(c for c in ALL_COLUMNS if c != "腐败风险预警防控")
TOWNSHIP_EXTRAS = ("镇情概况", "招商引资")

# The units the bulletin names, as it describes them on 2011-09-30.
BULLETIN_PLANS: dict[str, Plan] = {
    "hbjs": Plan(family="trs", group=True, rich=True, mailbox=True, handled=2),
    # 三、信息公开: stale townships; townships with only 腐败风险预警防控; own portals.
    "maotianxiang": Plan(site_stale=True, rich=True),
    "sanlixiang": Plan(site_stale=True, rich=True, undated=("规划计划",)),
    "changliangxiang": Plan(empty=ONLY_ANTI_CORRUPTION, rich=True, photos=()),
    "yezhouzhen": Plan(family="asp", missing=ONLY_ANTI_CORRUPTION,
                       extras=TOWNSHIP_EXTRAS, rich=True, photos=(), flowcharts=()),
    "huapingxiang": Plan(family="asp", missing=("内设机构", "信息公开年报"),
                         stale=("政策文件",), extras=("乡情简介",)),
    "longpingxiang": Plan(family="hanweb", group=True, missing=("依申请公开",), empty=("财政信息",)),
    "jingyangzhen": Plan(family="hanweb", group=True, stale=("通知公告",), extras=("旅游景阳",)),
    # Praised departments: clean (absorbed hostile behaviours only).
    "jianchaju": Plan(photos=(("good", 150, 200), "good", "good"), newest_dynamic_age=13, mailbox=True,
                      flowcharts=(("image_sharp", 800, 600), ("image_sharp", 600, 800), "image_sharp")),
    "gongshangju": Plan(family="modern", hostile=("calendar_trap",), mailbox=True, handled=3),
    "huanbaoju": Plan(family="hanweb", group=True, mailbox=True, handled=2, tls="valid"),
    "xumushouyiju": Plan(),
    "jiaoyuju": Plan(family="hanweb", group=True, mailbox=True, handled=12),
    "guotuziyuanju": Plan(mailbox=True, handled=2),
    "caizhengju": Plan(family="trs", hostile=("huge_file",), huge_attachment=True, mailbox=True, handled=2),
    "gonganju": Plan(family="modern", hostile=("reset",), mailbox=True, handled=3),
    "jingxinju": Plan(),
    "yiminju": Plan(),
    # Photos missing or poor.
    "guoshuiju": Plan(family="asp", hostile=("flaky_5xx",), photos=("tiny", ("tiny", 120, 160), "good")),
    "dishuiju": Plan(family="asp", hostile=("bomb_image",), photos=("bomb", "blurred", "good")),
    "danganju": Plan(family="asp", photos=("none", "none", "good")),
    "kaifaban": Plan(photos=("placeholder", "placeholder", "placeholder")),
    "liangshiju": Plan(family="asp", photos=("broken_404", "tiny", "good"),
                       flowcharts=("image_small", "image_blurred", "image_sharp"), tls="name_mismatch"),
    "linyeju": Plan(family="asp", photos=("html", "blurred", "good"),
                    mailbox=True, backlog_old=14, backlog_new=35),
    "jiedaiban": Plan(family="asp", photos=("truncated", "placeholder", "good")),
    # Flowcharts unclear or not opening.
    "jiansheju": Plan(flowcharts=("broken_404", "broken_empty", "image_sharp")),
    "minzongju": Plan(flowcharts=("image_blurred", "broken_404")),
    "shuilishuichanju": Plan(family="trs", flowcharts=("image_small", "broken_empty", "image_sharp")),
    # 四、网上信访: the backlog departments and those handling well.
    "jiaotongju": Plan(family="modern", mailbox=True, backlog_old=16, backlog_new=42, tls="self_signed"),
    "minzhengju": Plan(family="hanweb", group=True, mailbox=True, backlog_old=15, backlog_new=38,
                       flowcharts=("attachment_doc", "image_sharp")),
    "weishengju": Plan(family="hanweb", group=True, mailbox=True, backlog_old=17, backlog_new=39),
    "xinfangju": Plan(mailbox=True, handled=16),
    # 五、七: the site group members; units outside it, some being built (高坪镇 官店镇 公安局 安监局).
    "guozizhongxin": Plan(family="hanweb", group=True, flowcharts=("attachment_pdf", "image_sharp")),
    "tongjiju": Plan(family="hanweb", group=True, outdated_leaders=True),
    "jiwei": Plan(family="hanweb", group=True, stale=("工作动态",)),
    "jikongzhongxin": Plan(family="hanweb", group=True, broken=("soft_404",)),
    "rensheju": Plan(family="hanweb", group=True, flowcharts=("attachment_xls", "image_sharp")),
    "jishengju": Plan(family="hanweb", group=True, empty=("规划计划",)),
    "gaopingzhen": Plan(family="modern", broken=("404", "att_404"), extras=("美丽高坪",)),
    "guandianzhen": Plan(family="modern", outdated_leaders=True),
    "anjianju": Plan(family="modern", stale=("应急管理",), mailbox=True, backlog_new=3, letter_at_limit=True),
    "lvyouju": Plan(family="modern", hostile=("slow",), extras=("旅游资讯",)),
    "zhujianju": Plan(family="trs", outdated_leaders=True, flowcharts=("attachment_doc", "attachment_pdf"),
                      tls="expired"),
    "tongzhanbu": Plan(newest_dynamic_age=17),
    "bianban": Plan(undated=("通知公告",)),
    # Sites that keep the audit out: they get no content defects.
    "sifaju": Plan(family="modern", hostile=("down",)),
    "shenjiju": Plan(family="asp", hostile=("server_error",)),
    "nongyeju": Plan(family="trs", hostile=("redirect_loop",)),
    "wentiju": Plan(family="modern", hostile=("robots_disallow",)),
    "kejiju": Plan(family="trs", hostile=("anti_crawler_412",)),
    "wujiaju": Plan(family="asp", hostile=("anti_crawler_412",)),
    # HTTPS (issue 11): 环保局 (valid, sandbox CA), 交通局 (self-signed), 住建局 (expired) and 粮食局
    # (issued for another name) serve their unchanged sites over TLS: see the `tls=` above.
    # A few ordinary defects the bulletin leaves unnamed.
    "zhijianju": Plan(flowcharts=("none", "image_sharp"), broken=("att_empty",)),
    "shangwuju": Plan(broken=("404", "soft_404")),
    "hongyansizhen": Plan(missing=("信息公开年报",), stale=("人事信息",)),
    "fulian": Plan(empty=("财政信息", "应急管理"), script_title=True),
}

# ----------------------------------------------------------------- texts

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁向谭"
GIVEN = "文武明华国建军平志德新春立永海清宏伟光祥成学云龙勇杰涛斌峰强波辉刚健世兴家红英玉秀兰芳燕丽敏静"
VILLAGES = ("长岭村", "石门村", "官坪村", "双土地村", "青里坝村", "小西湖村", "大沙坝村", "花石板村",
            "茶园村", "龙潭坪村", "河水坪村", "桃符口村", "猫子坪村", "马栏溪村", "白云村", "杉木坝村")
TOPICS = ("安全生产", "森林防火", "新农村建设", "计划生育", "防汛抗旱", "农村低保", "义务教育", "退耕还林",
          "烟叶生产", "魔芋产业", "城乡环境整治", "招商引资", "农民增收", "信访维稳", "政务公开", "党风廉政建设",
          "村村通公路", "农村饮水安全", "新型农村合作医疗", "大病救助", "国土资源执法", "移民后期扶持")
ISSUES = ("道路损毁", "饮水困难", "低保评定", "土地征收补偿", "危房改造", "子女入学", "医疗报销", "林权纠纷",
          "电网改造", "噪音扰民", "工资拖欠", "移民补助发放", "河道采砂", "养老保险", "户口迁移", "客车超载")
DUTIES = ("主持全面工作", "分管办公室、财务工作", "分管业务股室", "分管纪检监察工作", "分管安全生产工作",
          "分管信息公开与电子政务", "分管后勤与机关党建")
HEAD_POSTS = {"乡镇": ("党委书记", "镇长", "副镇长", "纪委书记", "副镇长", "武装部长"),
              "县直部门": ("局长", "党组书记", "副局长", "纪检组长", "副局长", "工会主席"),
              "门户": ("主任", "副主任", "副主任", "副主任", "副主任", "副主任")}

TITLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "信息公开指南": ("{unit}政府信息公开指南", "{unit}政府信息公开指南（{year}年修订）"),
    "机构职能": ("{unit}主要职能", "{unit}机构职能简介"),
    "内设机构": ("{unit}内设机构及职责", "{unit}股室设置"),
    "政策文件": ("关于印发《{unit}{topic}实施方案》的通知", "{unit}关于进一步加强{topic}工作的意见",
             "关于转发《湖北省{topic}管理办法》的通知"),
    "规划计划": ("{unit}{year}年{topic}工作计划", "{unit}“十二五”{topic}发展规划", "{unit}{year}年上半年工作总结"),
    "工作动态": ("{unit}召开{topic}工作会议", "{unit}负责人深入{village}调研{topic}工作",
             "{unit}扎实推进{topic}工作", "{village}{topic}工作取得新进展",
             "{unit}组织干部职工学习{topic}相关政策并对照检查落实情况开展专题讨论活动"),
    "通知公告": ("关于开展{topic}专项检查的通知", "关于{year}年{topic}资金拟补助对象的公示",
             "{unit}关于{topic}工作的公告"),
    "人事信息": ("{unit}公开招聘工作人员公告", "关于{topic}工作人员考核结果的公示"),
    "财政信息": ("{unit}{year}年部门预算公开", "{unit}{year}年{topic}专项资金使用情况",
             "{unit}{year}年“三公”经费支出情况"),
    "应急管理": ("{unit}{topic}应急预案", "关于做好{topic}应急值守工作的通知"),
    "腐败风险预警防控": ("{unit}{post}岗位廉政风险点及防控措施", "{unit}廉政风险防控工作实施方案",
                   "{unit}权力运行流程及风险等级一览表"),
    "依申请公开": ("{unit}依申请公开办理流程", "政府信息公开申请表"),
    "信息公开年报": ("{unit}{year}年政府信息公开工作年度报告",),
}
EXTRA_TITLES = ("{unit}{topic}简介", "{village}概况", "{unit}{topic}项目推介")
PERSONNEL_APPOINTMENT = "关于{person}同志任职的通知"
PERSONNEL_REMOVAL = "关于免去{person}同志职务的通知"
HOSTILE_TITLE = "关于<script>alert('建始')</script>开展{topic}宣传月活动的通知"

# Pixel sizes drawn for each photo kind when the plan gives none.
PHOTO_SIZES = {"good": ((200, 267), (240, 320), (300, 400)), "tiny": ((96, 128), (80, 110)),
               "blurred": ((300, 400),), "placeholder": ((180, 240),), "truncated": ((240, 320),),
               "bomb": ((30000, 30000),)}
FLOWCHART_SIZES = {"image_sharp": ((1000, 700), (820, 1100), (1200, 900)),
                   "image_small": ((400, 300), (480, 360)), "image_blurred": ((1000, 750),)}
WORKFLOW_TITLES = ("行政许可流程图", "行政处罚流程图", "行政征收流程图", "信息公开申请办理流程",
                   "行政复议流程图", "行政确认流程图")

# Where each family's own sites put list pages and how they write dates.
PER_PAGE = {"trs": 20, "hanweb": 15, "asp": 12, "modern": 10}
FAMILY_DATE_STYLES = {"trs": ("iso", "cn", "iso", "detail_only"), "hanweb": ("iso", "iso_short", "spaced"),
                      "asp": ("slash", "iso_short", "iso"), "modern": ("bracket_md", "iso", "cn")}


class IdCounter:
    """Ids unique within the web (articles, letters), handed out in build order."""

    def __init__(self, start: int = 1):
        self.next = start

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


@dataclass
class Texts:
    """Fills title templates for one unit."""
    rng: random.Random
    unit: str
    names: list[str] = field(default_factory=list)

    def title(self, template: str) -> str:
        return template.format(unit=self.unit, topic=self.rng.choice(TOPICS), village=self.rng.choice(VILLAGES),
                               year=self.rng.choice((2010, 2011)), post=self.rng.choice(("局长", "股长", "会计", "出纳")))

    def person(self) -> str:
        """A Chinese name not yet used in this unit."""
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if name not in self.names:
                self.names.append(name)
                return name


def unit_rng(seed: int, unit_id: str, purpose: str = "") -> random.Random:
    return random.Random(f"{seed}:{unit_id}:{purpose}")


# ----------------------------------------------------------------- dates

def newest_date(rng: random.Random, column: str, plan: Plan, as_of: date) -> date:
    """The newest entry's date: clearly fresh, clearly stale, or old everywhere (site_stale)."""
    days = max_age_days(column) if column in ALL_COLUMNS else 0
    if plan.site_stale:
        return as_of - timedelta(days=rng.randint(125, 260))
    if column in plan.stale:
        return as_of - timedelta(days=days + rng.randint(30, 200))
    if column == "工作动态" and plan.newest_dynamic_age is not None:
        return as_of - timedelta(days=plan.newest_dynamic_age)
    if days:   # fresh: well inside the column's limit and the site's (90 days), whatever the seed
        return as_of - timedelta(days=rng.randint(0, min(days // 2, SITE_FRESH_DAYS)))
    return as_of - timedelta(days=rng.randint(20, 500))


def dates_back(rng: random.Random, newest: date, count: int, mean_gap: int) -> list[date]:
    """`count` dates, newest first, going back by random gaps."""
    dates, current = [], newest
    for _ in range(count):
        dates.append(current)
        current -= timedelta(days=rng.randint(0, 2 * mean_gap))
    return dates


def list_date_style(rng: random.Random, family: str, dates: list[date | None], as_of: date) -> str:
    """A date style the family uses; "[09-15]" only where every year is implied right (within a year)."""
    style = rng.choice(FAMILY_DATE_STYLES[family])
    dated = [d for d in dates if d]
    if style == "bracket_md" and dated and min(dated) <= as_of - timedelta(days=330):
        return "iso"
    return style


# ----------------------------------------------------------------- articles

def article_count(rng: random.Random, ref: RefColumn | None, plan: Plan) -> int:
    if ref is not None and ref.recency == "static":
        return rng.randint(1, 3)
    if plan.rich or plan.site_stale:
        return rng.randint(25, 55)
    if ref is not None and ref.recency == "动态":
        return rng.randint(12, 40)
    return rng.randint(3, 18)


def make_articles(rng: random.Random, texts: Texts, ids: IdCounter, templates: tuple[str, ...],
                  count: int, newest: date, undated: bool, mean_gap: int) -> list[Article]:
    articles = []
    for day in dates_back(rng, newest, count, mean_gap):
        url_date = day - timedelta(days=rng.randint(1, 6)) if rng.random() < 0.2 else day
        articles.append(Article(id=ids.take(), title=texts.title(rng.choice(templates)),
                                date=None if undated else day, url_date=url_date,
                                body=f"{texts.unit}按照县委、县政府的统一部署，认真做好相关工作。"))
    return articles


def add_undated_tail(rng: random.Random, texts: Texts, ids: IdCounter, articles: list[Article],
                     templates: tuple[str, ...]) -> None:
    """Real lists hold a few entries whose date was never filled in; they sit at the end."""
    if articles and rng.random() < 0.25:
        oldest = articles[-1].url_date
        articles.append(Article(id=ids.take(), title=texts.title(rng.choice(templates)), date=None,
                                url_date=oldest, body="（内容略）"))


def add_attachments(rng: random.Random, articles: list[Article], family: str) -> None:
    """Ordinary attachments that open; TRS pages also carry a dead oldsrc beside the href."""
    for article in articles[:6]:
        if rng.random() < 0.3:
            ext = rng.choice(("doc", "pdf", "xls"))
            article.attachments.append(Attachment(name=f"附件{article.id}：{article.title[:12]}.{ext}", ext=ext,
                                                  dead_oldsrc=family == "trs" and rng.random() < 0.5))
        if rng.random() < 0.2:
            article.links.append(Link(text=f"湖北省人民政府网（{article.id}）", state="external"))
        elif rng.random() < 0.3:
            article.links.append(Link(text=f"相关阅读{article.id}", state="ok"))


def plant_broken(articles: list[Article], kind: str, number: int) -> None:
    """A link or attachment that does not open, in the newest article of a column."""
    article = articles[0]
    if kind in ("404", "soft_404"):
        article.links.append(Link(text=f"点击查看原文（{number}）", state=kind))
    else:
        article.attachments.append(Attachment(name=f"附件{number}：实施细则.doc", ext="doc",
                                              state="404" if kind == "att_404" else "empty"))


def personnel_articles(rng: random.Random, texts: Texts, ids: IdCounter, leaders: list[Leader], plan: Plan,
                       newest: date, count: int) -> list[Article]:
    """任免 notices that agree with the leader list (or, for outdated units, a later one that does not)."""
    templates = TITLE_TEMPLATES["人事信息"]
    articles = make_articles(rng, texts, ids, templates, count, newest, False, 20)
    if not leaders:
        return articles
    deputy = leaders[-1]
    agreeing = articles[min(2, len(articles) - 1)]
    agreeing.title = PERSONNEL_APPOINTMENT.format(person=deputy.name)
    agreeing.appointments = [Appointment(deputy.name, deputy.post, "任")]
    former = texts.person()
    articles[-1].title = PERSONNEL_REMOVAL.format(person=former)
    articles[-1].appointments = [Appointment(former, leaders[0].post, "免")]
    if plan.outdated_leaders:
        head, successor = leaders[0], texts.person()
        notice = articles[0]
        notice.title = f"关于{successor}、{head.name}同志职务任免的通知"
        notice.appointments = [Appointment(successor, head.post, "任"), Appointment(head.name, head.post, "免")]
    return articles


# ----------------------------------------------------------------- leaders, workflows, letters

def kind_and_size(rng: random.Random, spec: str | tuple, sizes: dict) -> tuple[str, int, int]:
    """A plan's photo or flowchart: "kind" (size drawn from `sizes`, 0x0 without an image) or (kind, w, h)."""
    if isinstance(spec, tuple):
        return spec
    width, height = rng.choice(sizes[spec]) if spec in sizes else (0, 0)
    return spec, width, height


def make_leaders(rng: random.Random, texts: Texts, kind: str, plan: Plan) -> list[Leader]:
    posts = HEAD_POSTS[kind]
    leaders = []
    for index, spec in enumerate(plan.photos):
        photo_kind, width, height = kind_and_size(rng, spec, PHOTO_SIZES)
        photo = Photo(kind=photo_kind, width=width, height=height, seed=rng.randrange(1 << 30))
        leaders.append(Leader(name=texts.person(), post=posts[index % len(posts)],
                              duties=DUTIES[index % len(DUTIES)], photo=photo))
    return leaders


def make_workflows(rng: random.Random, plan: Plan) -> list[Workflow]:
    workflows = []
    for index, spec in enumerate(plan.flowcharts):
        chart_kind, width, height = kind_and_size(rng, spec, FLOWCHART_SIZES)
        chart = Flowchart(kind=chart_kind, width=width, height=height, seed=rng.randrange(1 << 30))
        workflows.append(Workflow(title=WORKFLOW_TITLES[index % len(WORKFLOW_TITLES)], flowchart=chart))
    return workflows


def make_letters(rng: random.Random, ids: IdCounter, plan: Plan, as_of: date) -> list[Letter]:
    """Mailbox letters, titles unique within the unit, newest first."""
    limit = as_of - timedelta(days=THRESHOLDS["mailbox_backlog_days"])
    june = (date(2011, 6, 1), limit - timedelta(days=5))
    recent = (limit + timedelta(days=8), as_of - timedelta(days=1))
    letters = [letter(rng, ids, june, "未受理") for _ in range(plan.backlog_old)]
    letters += [letter(rng, ids, recent, "未受理") for _ in range(plan.backlog_new)]
    if plan.letter_at_limit:
        letters.append(letter(rng, ids, (limit, limit), "未受理"))
    for index in range(plan.handled):
        received = random_day(rng, (date(2011, 1, 5), as_of - timedelta(days=10)))
        handled = letter(rng, ids, (received, received), "已受理" if index % 5 == 4 else "已办结")
        handled.answered = received + timedelta(days=rng.randint(2, 9))
        letters.append(handled)
    for number, item in enumerate(letters, 1):
        item.title = f"{item.title}（{number}）"
    return sorted(letters, key=lambda item: (item.received, item.id), reverse=True)


def letter(rng: random.Random, ids: IdCounter, window: tuple[date, date], status: str) -> Letter:
    title = f"关于{rng.choice(VILLAGES)}{rng.choice(ISSUES)}问题的反映"
    return Letter(id=ids.take(), title=title, received=random_day(rng, window), status=status)


def random_day(rng: random.Random, window: tuple[date, date]) -> date:
    return window[0] + timedelta(days=rng.randint(0, (window[1] - window[0]).days))


# ----------------------------------------------------------------- columns

def column_label(rng: random.Random, ref: RefColumn) -> str:
    """What the site calls the column: mostly its name, else a synonym or a light variant."""
    roll = rng.random()
    if roll < 0.25 and ref.synonyms:
        return rng.choice(ref.synonyms)
    if roll < 0.4 and ref.variants:
        return rng.choice(ref.variants)
    return ref.name


def make_columns(rng: random.Random, texts: Texts, ids: IdCounter, unit: Unit, plan: Plan, family: str,
                 as_of: date) -> list[Column]:
    columns = []
    for ref in REFERENCE_COLUMNS:
        if ref.name in plan.missing:
            continue
        column = Column(ref=ref.name, label=column_label(rng, ref), slug=ref.slug, group=ref.group,
                        role=ref.role or "list", per_page=PER_PAGE[family])
        if ref.name not in plan.empty and ref.role not in ("leaders", "workflows"):
            column.articles = column_articles(rng, texts, ids, ref, plan, unit, as_of)
        column.date_style = list_date_style(rng, family, [a.date for a in column.articles], as_of)
        if column.date_style == "detail_only":
            for article in column.articles:
                article.date_in_list = False
        columns.append(column)
    for number, label in enumerate(plan.extras, 1):
        newest = newest_date(rng, label, plan, as_of)
        articles = make_articles(rng, texts, ids, EXTRA_TITLES, rng.randint(3, 12), newest, False, 30)
        style = list_date_style(rng, family, [a.date for a in articles], as_of)
        columns.append(Column(ref=None, label=label, slug=f"extra{number}", articles=articles,
                              per_page=PER_PAGE[family], date_style=style))
    return columns


def column_articles(rng: random.Random, texts: Texts, ids: IdCounter, ref: RefColumn, plan: Plan, unit: Unit,
                    as_of: date) -> list[Article]:
    newest = newest_date(rng, ref.name, plan, as_of)
    count = article_count(rng, ref, plan)
    if ref.role == "personnel":
        return personnel_articles(rng, texts, ids, unit.leaders, plan, newest, max(count, 4))
    gap = max(1, RECENCY_DAYS[ref.recency] // 6) if RECENCY_DAYS[ref.recency] else 60
    templates = TITLE_TEMPLATES[ref.name]
    articles = make_articles(rng, texts, ids, templates, count, newest, ref.name in plan.undated, gap)
    add_undated_tail(rng, texts, ids, articles, templates)
    if plan.script_title and ref.recency == "动态":
        articles[1].title = texts.title(HOSTILE_TITLE)
    return articles


def plant_link_defects(unit: Unit, plan: Plan, family: str) -> None:
    """Ordinary attachments everywhere; the plan's broken links in the first columns with articles."""
    rng = random.Random(f"links:{unit.id}")
    for column in unit.columns:
        add_attachments(rng, column.articles, family)
    with_articles = [c for c in unit.columns if c.articles]
    for number, kind in enumerate(plan.broken, 1):
        plant_broken(with_articles[number % len(with_articles)].articles, kind, number)
    if plan.huge_attachment:
        finance = next(c for c in unit.columns if c.articles and c.ref == "财政信息")
        finance.articles[0].attachments.append(Attachment(name="2011年部门预算公开（全文）.zip", ext="zip",
                                                          state="huge"))


# ----------------------------------------------------------------- units and sites

def ordinary_plan(rng: random.Random, kind: str) -> Plan:
    """A unit the bulletin does not single out: mostly fine, a mild defect now and then."""
    optional = ("应急管理", "依申请公开", "信息公开年报", "内设机构", "财政信息")
    missing = tuple(rng.sample(optional, rng.choice((0, 0, 1, 2))))
    fresh = [c for c in DATED if c not in missing]
    stale = tuple(rng.sample(fresh, rng.choice((0, 0, 0, 1))))
    emptiable = [c for c in ("规划计划", "应急管理", "财政信息") if c not in missing + stale]
    empty = tuple(rng.sample(emptiable, min(len(emptiable), rng.choice((0, 0, 0, 1)))))
    return Plan(missing=missing, stale=stale, empty=empty, mailbox=kind == "县直部门" and rng.random() < 0.5,
                backlog_new=rng.choice((0, 0, 1, 2)),
                photos=("good",) * rng.randint(2, 4), flowcharts=("image_sharp",) * rng.randint(1, 3))


def build_unit(seed: int, ids: IdCounter, unit_id: str, name: str, kind: str, plan: Plan, site: str,
               as_of: date) -> Unit:
    rng = unit_rng(seed, unit_id)
    texts = Texts(rng, name)
    unit = Unit(id=unit_id, name=name, kind=kind, site=site)
    family = plan.family or "trs"
    unit.leaders = make_leaders(rng, texts, kind, plan) if "领导信息" not in plan.missing + plan.empty else []
    unit.workflows = make_workflows(rng, plan) if "工作流程" not in plan.missing + plan.empty else []
    unit.columns = make_columns(rng, texts, ids, unit, plan, family, as_of)
    plant_link_defects(unit, plan, family)
    if plan.mailbox:
        unit.letters = make_letters(rng, ids, plan, as_of)
    return unit


def county_plans(seed: int) -> list[tuple[str, str, str, Plan]]:
    """(id, name, kind, plan) of 建始县's units: the bulletin's plan where it names the unit."""
    return [(unit_id, name, kind, BULLETIN_PLANS.get(unit_id) or ordinary_plan(unit_rng(seed, unit_id, "plan"), kind))
            for unit_id, name, kind in COUNTY_UNITS]


class Hosts:
    """Loopback addresses: 127.<county>.1.N outside the site group (N=1: the portal), 127.<county>.2.N inside.

    Counties beyond the 256th would need another scheme; the province has 21.
    """

    def __init__(self, county: int):
        self.county = county
        self.used = {1: 1, 2: 0}

    def take(self, in_group: bool) -> str:
        block = 2 if in_group else 1
        self.used[block] += 1
        return f"127.{self.county}.{block}.{self.used[block]}"

    def portal(self) -> str:
        return f"127.{self.county}.1.1"


def make_site(site_id: str, plan: Plan, host: str, port: int, units: list[str]) -> Site:
    family = plan.family or "trs"
    old_asp = family == "asp"     # GB2312/GBK pages that declare it only in <meta>
    hostile = set(plan.hostile) | ({"gbk_no_header"} if old_asp else set())
    return Site(id=site_id, family=family, host=host, port=port, units=units, in_site_group=plan.group,
                encoding="gbk" if old_asp else "utf-8", hostile=hostile, tls=plan.tls)


def build_county(seed: int, ids: IdCounter, port: int, as_of: date, county_index: int,
                 plans: list[tuple[str, str, str, Plan]], portal_id: str) -> tuple[list[Site], list[Unit]]:
    """Sites and units of one county: the portal hosts every unit without a site of its own."""
    hosts = Hosts(county_index)
    portal_units = [uid for uid, _, _, plan in plans if plan.family is None or uid == portal_id]
    portal_plan = next(plan for uid, _, _, plan in plans if uid == portal_id)
    sites = [make_site(portal_id, portal_plan, hosts.portal(), port, portal_units)]
    units = []
    for unit_id, name, kind, plan in plans:
        site_id = portal_id if unit_id in portal_units else unit_id
        if site_id != portal_id:
            sites.append(make_site(unit_id, plan, hosts.take(plan.group), port, [unit_id]))
        units.append(build_unit(seed, ids, unit_id, name, kind, plan, site_id, as_of))
    return sites, units


# ----------------------------------------------------------------- the province

# Other counties of Hubei for the province-sized web: (id, name).
PROVINCE_COUNTIES = (
    ("enshishi", "恩施市"), ("lichuanshi", "利川市"), ("badongxian", "巴东县"), ("xuanenxian", "宣恩县"),
    ("xianfengxian", "咸丰县"), ("laifengxian", "来凤县"), ("hefengxian", "鹤峰县"), ("ziguixian", "秭归县"),
    ("changyangxian", "长阳县"), ("wufengxian", "五峰县"), ("xingshanxian", "兴山县"), ("yuananxian", "远安县"),
    ("dangyangshi", "当阳市"), ("zhijiangshi", "枝江市"), ("yidushi", "宜都市"), ("zhuxixian", "竹溪县"),
    ("zhushanxian", "竹山县"), ("fangxian", "房县"), ("yunxixian", "郧西县"), ("baokangxian", "保康县"),
)
SYLLABLES = (("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("龙", "long"), ("凤", "feng"),
             ("石", "shi"), ("桥", "qiao"), ("河", "he"), ("山", "shan"), ("坪", "ping"), ("岩", "yan"),
             ("沙", "sha"), ("花", "hua"), ("茶", "cha"), ("白", "bai"), ("青", "qing"), ("金", "jin"))
PROVINCE_FAMILIES = ("trs", "hanweb", "asp", "modern")


def township_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(id, name) of made-up townships, unique within the county."""
    names: dict[str, str] = {}
    while len(names) < count:
        (a, pa), (b, pb) = rng.sample(SYLLABLES, 2)
        suffix, psuffix = rng.choice((("镇", "zhen"), ("乡", "xiang")))
        names.setdefault(pa + pb + psuffix, a + b + suffix)
    return list(names.items())


def other_county_plans(seed: int, county_id: str, county_name: str) -> list[tuple[str, str, str, Plan]]:
    """Every unit of an ordinary county on a site of its own, ids prefixed with the county's."""
    rng = unit_rng(seed, county_id, "county")
    portal = (f"{county_id}_menhu", f"{county_name}门户", "门户")
    towns = [(f"{county_id}_{tid}", f"{county_name}{tname}", "乡镇") for tid, tname in township_names(rng, 10)]
    departments = [(f"{county_id}_{uid}", f"{county_name}{name}", kind)
                   for uid, name, kind in COUNTY_UNITS if kind == "县直部门"]
    plans = []
    for unit_id, name, kind in (portal, *towns, *departments):
        plan = ordinary_plan(unit_rng(seed, unit_id, "plan"), kind)
        family = "trs" if kind == "门户" else rng.choice(PROVINCE_FAMILIES)
        group = kind == "门户" or family == "hanweb"
        plans.append((unit_id, name, kind, replace(plan, family=family, group=group)))
    return plans


# ----------------------------------------------------------------- entry points

def generate(seed: int = DEFAULT_SEED, scale: str = "county", port: int = DEFAULT_PORT) -> Web:
    """The simulated web as of 2011-09-30; `scale` is "county" (建始县) or "province" (21 counties)."""
    if scale not in ("county", "province"):
        raise ValueError(f"unknown scale {scale!r}: county | province")
    ids = IdCounter()
    sites, units = build_county(seed, ids, port, AS_OF, 0, county_plans(seed), PORTAL)
    if scale == "province":
        for index, (county_id, county_name) in enumerate(PROVINCE_COUNTIES, 1):
            plans = other_county_plans(seed, county_id, county_name)
            more_sites, more_units = build_county(seed, ids, port, AS_OF, index, plans, plans[0][0])
            sites += more_sites
            units += more_units
    # Exact hosts: the config loader takes host names or "*." + domain, never IP wildcards.
    group_hosts = [site.host for site in sites if site.in_site_group]
    return Web(seed=seed, as_of=AS_OF, scale=scale, sites=sites, units=units, portal_unit=PORTAL,
               site_group_hosts=group_hosts)


# Columns that receive new articles in each revision: (unit id, reference column).
CHANGED_COLUMNS = (("hbjs", "工作动态"), ("jianchaju", "工作动态"), ("gongshangju", "通知公告"),
                   ("jiaoyuju", "工作动态"), ("caizhengju", "政策文件"))


def change(web: Web, revision: int = 1) -> Web:
    """The same web `revision` steps later: each step adds one article to each of CHANGED_COLUMNS."""
    changed = copy.deepcopy(web)
    changed.revision = revision
    taken = [a.id for u in changed.units for c in u.columns for a in c.articles]
    taken += [letter.id for u in changed.units for letter in u.letters or []]
    ids = IdCounter(1 + max(taken))
    for step in range(1, revision + 1):
        for unit_id, ref in CHANGED_COLUMNS:
            unit = changed.unit(unit_id)
            column = next(c for c in unit.columns if c.ref == ref)
            texts = Texts(unit_rng(web.seed, unit_id, f"revision{step}"), unit.name)
            title = texts.title(TITLE_TEMPLATES[ref][0])
            column.articles.insert(0, Article(id=ids.take(), title=f"{title}（第{step}批）", date=web.as_of,
                                              url_date=web.as_of, body=f"{unit.name}第{step}批更新。"))
    return changed


def with_hostile(web: Web, enabled: bool = True, extra: tuple[str, ...] = ()) -> Web:
    """The same web with every site's hostile behaviours off (enabled=False), plus `extra` ones on every site.

    The model changes, not just the server, so the manifest tells the truth of what is served.
    """
    adjusted = copy.deepcopy(web)
    for site in adjusted.sites:
        site.hostile = (set(site.hostile) if enabled else set()) | set(extra)
    return adjusted
