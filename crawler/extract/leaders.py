"""Leaders of a unit (领导信息): name, post, duties and photo, whatever the layout.

A leader item is the largest element holding exactly one person's name and a
post (a table row, a card, a <dl>, one leader's page). Names are 2-4 Chinese
characters starting with a common surname; posts contain a post word (局长, 书记
...); duties are the lines saying 分管/负责/主持. Labels ("姓名：", "职务：") are
read when present, and names padded with full-width spaces ("张　三") are joined.

Three ways leaders are shown, all handled:
  - on the page itself (tables, cards, definition lists);
  - one page per leader, linked from a list (LeaderRef.detail is that page);
  - `onclick="showLeader(12)"` handlers without href: the endpoint URL is read
    from the handler's definition in the page's inline script, and LeaderRef.detail
    is a request for it. `parse_leader_detail` reads the answer (JSON or HTML) and
    one leader's own page.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass

from crawler.extract.detail import content_root
from crawler.extract.page import page_of
from crawler.extract.text import (IMAGE_EXTENSIONS, INVISIBLE_TAGS, PageRequest, block_text, body_of, clean,
                                  content_image, element_text, in_chrome, is_attachment_url, is_chrome, url_extension,
                                  usable_href, visible_text)


@dataclass(frozen=True)
class LeaderRef:
    name: str
    post: str
    duties: str
    photo_url: str | None
    detail: PageRequest | None
    page_url: str


# Common single and compound surnames (a name starts with one).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时"
    "穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮"
    "粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬"
    "来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎"
    "勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                      "宇文", "司徒", "夏侯", "令狐", "端木", "西门", "南宫", "独孤")
_POST_WORDS = re.compile(
    r"书记|镇长|乡长|县长|局长|主任|主席|部长|所长|站长|队长|院长|校长|行长|委员|调研员|科长|馆长|"
    r"组长|经理|秘书长|检察长|庭长|会长|理事长|指导员|政委|党组成员|督学|总工程师|总经济师|总会计师")
_DUTY_WORDS = re.compile(r"分管|负责|主持|协助|联系|分工")
# Words that look like names (2-4 characters, surname first) but are labels or page words.
_NOT_NAMES = {"简历", "简介", "照片", "职务", "姓名", "分工", "领导", "领导信息", "领导简介", "更多",
              "工作分工", "主要职责", "分管工作", "出生年月", "民族", "籍贯", "学历", "现任", "信息公开",
              "全面工作", "党委", "班子成员", "领导班子", "成员", "联系电话", "电话", "时间", "日期",
              "发布时间", "发布日期", "来源", "点击", "打印", "关闭", "上一篇", "下一篇", "相关链接",
              "首页", "政府", "机关", "单位", "单位领导", "高级", "文化程度", "任职", "任职时间"}
# Endings of the page words (column names, menu items) that begin with a surname
# character (应急管理, 公开指南, 高新动态): never the end of a person's name.
_WORD_ENDINGS = ("管理", "信息", "公开", "工作", "动态", "指南", "公告", "文件", "计划", "流程", "制度",
                 "年报", "预案", "职能", "机构", "概况", "简介", "规划", "服务", "政策", "公示", "通知",
                 "信箱", "办事", "互动", "新闻", "法规", "预警", "防控", "建设", "发展", "专题", "中心",
                 "总结", "报告", "要点", "公报", "统计", "分工", "职责", "之窗", "设置", "科室", "项目",
                 "资料", "材料", "下载", "目录", "导航", "列表", "专栏")
# Posts never contain these: "局长信箱" is a mailbox, "县长热线" a phone line.
_NOT_POSTS = re.compile(r"信箱|信访|热线|电话|邮箱|留言|之窗|讲话|活动")
_LABEL_WORDS = {
    "name": ("姓名", "名字", "领导姓名"),
    "post": ("职务", "职位", "现任职务", "现任", "职务职级"),
    "duties": ("分工", "分管工作", "工作分工", "分管", "主要职责", "职责", "负责工作", "工作职责", "工作分管"),
}
_LABEL_KEY = {word: key for key, words in _LABEL_WORDS.items() for word in words}
# "姓名：张三 职务：局长" holds two labels: each value runs to the next label.
_LABEL = re.compile("(" + "|".join(sorted(_LABEL_KEY, key=len, reverse=True)) + r")\s*[:：]")
_MIN_DUTIES = 6         # a duties line says more than a menu item (领导分工)
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
# Between words of a leader line: spaces, brackets, colons ("张三（局长）"); never 、 (党组书记、局长).
_WORD_BREAKS = re.compile(r"[\s\u00a0\u3000()（）\[\]【】:：;；|｜/]+")
_NAME_CHARS = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ITEM_TAGS = ("tr", "li", "dl", "dt", "div", "td", "table", "section", "article", "p", "ul")


def parse_leaders(response) -> list[LeaderRef]:
    """Every leader a leaders page shows or links to, in page order, one per name."""
    found = [*_onclick_leaders(response), *_shown_leaders(response), *_linked_leaders(response),
             *_labelled_runs(response)]
    kept, names = [], set()
    for leader in found:
        if leader.name not in names:
            names.add(leader.name)
            kept.append(leader)
    return kept


def parse_leader_detail(response) -> LeaderRef:
    """One leader from an onclick endpoint's answer (JSON or HTML) or a leader's own page."""
    text = response.text.strip()
    if text[:1] in "{[":
        try:
            return _leader_of_json(json.loads(text), response)
        except ValueError:
            pass
    page = page_of(response)
    root = page.root
    area = content_root(page) if root.find(".//body") is not None or root.tag == "html" else root
    fields = _fields(area)
    if not fields["name"]:
        fields = _fields(root)
    photo = photo_of(area) or _page_photo(root)
    return LeaderRef(fields["name"] or "", fields["post"], fields["duties"],
                     response.urljoin(photo) if photo else None, None, response.url)


# --- reading one item ----------------------------------------------------------------------

# A photo drawn as a CSS background (cards: <div class="pic" style="background-image:url(a.jpg)">).
_BACKGROUND_URL = re.compile(r"""background(?:-image)?\s*:[^;]*?url\(\s*['"]?([^'")\s]+)['"]?\s*\)""", re.I)
_BACKGROUND_ATTRIBUTES = ("data-bg", "data-background", "data-background-image")   # lazy-loaded backgrounds
# Backgrounds are mostly page dressing (textures, banners, sprites); judged by the file name only,
# since a photo's own box is often classed "xx-bg".
_DRESSING = re.compile(r"logo|icon|sprite|banner|spacer|blank|arrow|button|btn|(?<![a-z])bg|texture|pattern", re.I)


# An <img> whose src points nowhere ("#", "/", about:blank) shows no photo, like src="".
_NO_PICTURE = re.compile(r"^(?:#.*|/|\.|\./|about:blank|javascript:.*|null|undefined|none)$", re.I)


def photo_of(element) -> str | None:
    """The photo an element shows: its first content <img>, else a CSS background picture in it
    (not chrome, not decoration: a card's photo is often a styled <div>, never an <img>)."""
    image = content_image(element)
    if image and not _NO_PICTURE.match(image):
        return image
    return _background_photo(element)


def _background_photo(element) -> str | None:
    """A photo drawn as a CSS background inside `element` (not chrome, not page dressing)."""
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in ("html", "body") or in_chrome(node):
            continue
        found = _BACKGROUND_URL.search(node.get("style") or "")
        url = found.group(1) if found else next((node.get(a).strip() for a in _BACKGROUND_ATTRIBUTES
                                                 if (node.get(a) or "").strip()), None)
        if url and not url.startswith("data:") and not _DRESSING.search(url.rsplit("/", 1)[-1]):
            return url
    return None


def _page_photo(root) -> str | None:
    """A leader's own page's photo outside the block of its text (a picture column beside it):
    the page's first content picture that is no button of a menu, i.e. no picture inside a link
    to another page (a link to the picture's larger file is still the photo)."""
    for img in root.iter("img"):
        link = next(img.iterancestors("a"), None)
        href = (link.get("href") or "").strip() if link is not None else ""
        if usable_href(href) and url_extension(href) not in IMAGE_EXTENSIONS:
            continue
        image = content_image(img)
        if image and not _NO_PICTURE.match(image):
            return image
    return _background_photo(root)


def is_name(token: str) -> bool:
    """2-4 Chinese characters starting with a surname, not a label or post."""
    token = token.removesuffix("同志")
    if not _NAME_CHARS.match(token) or token in _NOT_NAMES:
        return False
    if _POST_WORDS.search(token) or _DUTY_WORDS.search(token) or token.endswith(_WORD_ENDINGS):
        return False
    return token[0] in _SURNAMES or token.startswith(_COMPOUND_SURNAMES)


def is_post(token: str) -> bool:
    return bool(_POST_WORDS.search(token)) and len(token) <= 30 and not _NOT_POSTS.search(token)


def _tokens(line: str) -> list[str]:
    """Words of a line split on spaces, single characters of a padded name joined ("张　三")."""
    words = [w for w in _WORD_BREAKS.split(line) if w]
    joined: list[str] = []
    for word in words:
        if joined and len(word) == 1 and len(joined[-1]) <= 2 and _NAME_CHARS.match(joined[-1] + word):
            joined[-1] += word
        else:
            joined.append(word)
    return [w.strip(",，、") for w in joined]


def _fields(element) -> dict:
    """name, post, duties read from an element: labels and duties from its lines, names and
    posts from its separate text pieces (<span>陈明</span><span>镇长</span> are two words)."""
    return _fields_of_lines(block_text(element).split("\n"), visible_text(element, "\n").split("\n"))


def _fields_of_lines(lines: list[str], pieces: list[str] | None = None) -> dict:
    fields = {"name": None, "post": "", "duties": ""}
    duties = []
    waiting = None                        # a label alone on its line (a table's <th>姓名</th>): its value is next
    for line in map(clean, lines):
        prefix, pairs = _labelled(line)
        if waiting and line and not pairs:
            pairs = [(waiting, _SPACES.sub("", line) if waiting == "name" else line)]
        waiting = _bare_label(line) if not pairs and not prefix.strip() else None
        for key, value in pairs:
            if key == "duties":
                duties.append(value)
            else:
                fields[key] = fields[key] or value
        if not pairs and _DUTY_WORDS.search(line) and len(line) >= 4:
            duties.append(line)
    for piece in pieces if pieces is not None else lines:
        prefix, pairs = _labelled(piece)
        duty = None if pairs else _DUTY_WORDS.search(prefix)
        if duty and len(clean(piece)) >= 4:
            prefix = prefix[:duty.start()]    # a duties line, read above; "张三：主持…" names its leader
        for token in _tokens(prefix):
            if fields["name"] is None and is_name(token):
                fields["name"] = token.removesuffix("同志")
            elif not fields["post"] and is_post(token):
                fields["post"] = token
    fields["duties"] = "；".join(duties)
    return fields


def _bare_label(line: str) -> str | None:
    """The key of a line that is a label and nothing else ("姓　名：" -> "name")."""
    match = _LABEL.fullmatch(re.sub(r"[\s:：]+", "", line) + "：")
    return _LABEL_KEY[match.group(1)] if match else None


def _labelled(line: str) -> tuple[str, list[tuple[str, str]]]:
    """(the text before any label, [(name | post | duties, value), ...]) of a line."""
    compact = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", line)
    matches = list(_LABEL.finditer(compact))
    if not matches:
        return line, []
    pairs = []
    for match, following in zip(matches, [*matches[1:], None]):
        value = clean(compact[match.end():following.start() if following else None]).strip(" ，,;；")
        key = _LABEL_KEY[match.group(1)]
        if value:
            pairs.append((key, _SPACES.sub("", value) if key == "name" else value))
    return compact[:matches[0].start()], pairs


def _piece_names(piece: str) -> set[str]:
    prefix, pairs = _labelled(piece)
    names = {value for key, value in pairs if key == "name"}
    return names | {t.removesuffix("同志") for t in _tokens(prefix) if is_name(t)}


def _owned_pieces(root):
    """(element, text) for every visible text piece: an element's text is its own, a tail its parent's."""
    for node in root.iter():
        if node.tail and node is not root and node.getparent() is not None:
            yield node.getparent(), node.tail
        if isinstance(node.tag, str) and node.tag not in INVISIBLE_TAGS and node.text:
            yield node, node.text


def _shown_leaders(response) -> list[LeaderRef]:
    """Leader items: the largest elements holding exactly one name and a post or duties
    ("张三：主持县政府全面工作" on a 领导分工 page names no post).

    Names and posts are found once per text piece and credited to every ancestor,
    so the cost is the page's size times its depth in the worst case, never more.
    """
    root = body_of(response)
    names_of: dict = defaultdict(set)
    described: set = set()               # elements holding a post or a duties line
    for owner, piece in _owned_pieces(root):
        names = _piece_names(piece)
        has_post = len(clean(piece)) <= 40 and any(is_post(t) for t in _tokens(piece))
        describes = has_post or (_DUTY_WORDS.search(piece) is not None and len(clean(piece)) >= _MIN_DUTIES)
        if not names and not describes:
            continue
        for element in (owner, *owner.iterancestors()):
            if names:
                names_of[element] |= names
            if describes:
                described.add(element)
    # an item never holds page chrome: a lone leader's item stops below the whole page
    holding_chrome = {ancestor for el in root.iter() if isinstance(el.tag, str) and is_chrome(el)
                      for ancestor in el.iterancestors()}

    def is_item(element) -> bool:
        return (element is not None and element.tag in _ITEM_TAGS and len(names_of.get(element, ())) == 1
                and element in described and element not in holding_chrome)

    items = []
    for element in list(names_of):
        if not is_item(element) or element.get("onclick") or in_chrome(element):
            continue                           # onclick items: read by _onclick_leaders
        parent = element.getparent()
        if is_item(parent) and names_of[parent] == names_of[element]:
            continue                           # the parent holds the same leader: take it instead
        items.append(element)
    return [_leader_of_item(item, response) for item in items]


def _leader_of_item(item, response) -> LeaderRef:
    parts = [item] + (_dd_after(item) if item.tag == "dt" else [])
    fields = _fields(item)
    for dd in parts[1:]:
        extra = _fields(dd)
        fields["duties"] = "；".join(x for x in (fields["duties"], extra["duties"]) if x)
        fields["post"] = fields["post"] or extra["post"]
    photo = next((p for p in map(photo_of, parts) if p), None)
    detail = None
    link = _page_link(item)
    if link and (not photo or not fields["duties"]):
        detail = PageRequest(response.urljoin(link))
    return LeaderRef(fields["name"], fields["post"], fields["duties"],
                     response.urljoin(photo) if photo else None, detail, response.url)


def _dd_after(dt) -> list:
    following = []
    for sibling in dt.itersiblings():
        if sibling.tag != "dd":
            break
        following.append(sibling)
    return following


def _page_link(item) -> str | None:
    for anchor in item.iter("a"):
        href = anchor.get("href")
        if usable_href(href) and not is_attachment_url(href) and url_extension(href) not in IMAGE_EXTENSIONS:
            return href.strip()
    return None


# --- leaders as links to their own pages -------------------------------------------------------

def _linked_leaders(response) -> list[LeaderRef]:
    """Links whose short text is a name, with a post in or beside them: one page per leader.
    Links that are a name alone count when at least two sit side by side (a list of names,
    each leading to that leader's page, which says the post)."""
    leaders, bare = [], []
    for anchor in body_of(response).iter("a"):
        href = anchor.get("href")
        text = (anchor.get("title") or "").strip() or " ".join(anchor.itertext()).strip()
        if not usable_href(href) or len(clean(text)) > 24 or in_chrome(anchor) or is_attachment_url(href):
            continue
        fields = _fields_of_lines([text])
        if not fields["post"]:                 # "张三</a>&nbsp;副县长": the post beside the link
            fields["post"] = _fields(anchor.getparent())["post"]
        if not fields["name"]:
            continue
        leader = LeaderRef(fields["name"], fields["post"], fields["duties"], None,
                           PageRequest(response.urljoin(href.strip())), response.url)
        if fields["post"]:
            leaders.append(leader)
        elif _tokens(clean(text)) == [fields["name"]] or clean(text) == fields["name"]:
            bare.append((anchor, leader))
    return leaders + _side_by_side(bare)


def _labelled_runs(response) -> list[LeaderRef]:
    """Leaders written as one flat run of paragraphs each in one container (a photo, 姓名：…,
    职务：…, 分工：…, then the next leader), as an editor types them into a static page: a leader
    starts at each paragraph naming one by its label, with the picture standing alone just before it."""
    for container in body_of(response).iter():
        kids = [k for k in container if isinstance(k.tag, str)]
        starts = [i for i, k in enumerate(kids) if any(key == "name" for key, _ in _labelled(clean(element_text(k)))[1])]
        if len(starts) < 2:
            continue
        starts = [i - 1 if i and not clean(element_text(kids[i - 1])) and photo_of(kids[i - 1]) else i for i in starts]
        found = []
        for begin, end in zip(starts, [*starts[1:], len(kids)]):
            run = kids[begin:end]
            fields = _fields_of_lines([line for k in run for line in block_text(k).split("\n")])
            photo = next((p for p in map(photo_of, run) if p), None)
            if fields["name"]:
                found.append(LeaderRef(fields["name"], fields["post"], fields["duties"],
                                       response.urljoin(photo) if photo else None, None, response.url))
        return found
    return []


def _side_by_side(bare: list) -> list[LeaderRef]:
    """The name-only links that share one of their three nearest ancestors (below <body>) with
    another: <li>s of one <ul>, <td>s of one table's rows."""
    def places(anchor):
        return [p for _, p in zip(range(3), anchor.iterancestors()) if p.tag not in ("body", "html")]
    count = defaultdict(int)
    for anchor, _ in bare:
        for place in places(anchor):
            count[place] += 1
    return [leader for anchor, leader in bare if any(count[p] >= 2 for p in places(anchor))]


# --- leaders behind onclick handlers ----------------------------------------------------------

# showLeader('L01') or showLeader(12, this): the first argument is the leader's key
_CALL = re.compile(r"([A-Za-z_$][\w$.]*)\s*\(\s*['\"]?([\w-]+)['\"]?\s*(?:,[^()]*)?\)")


def _onclick_leaders(response) -> list[LeaderRef]:
    root = body_of(response)
    scripts = "\n".join(s.text or "" for s in root.iter("script"))
    leaders = []
    for element in root.xpath("//*[@onclick]"):
        href = element.get("href")
        if usable_href(href):
            continue                          # a real link: read as a shown or linked leader
        url = _endpoint_of(element.get("onclick"), scripts)
        fields = _fields(element)
        if not url or not fields["name"]:
            continue
        photo = photo_of(element)
        leaders.append(LeaderRef(fields["name"], fields["post"], fields["duties"],
                                 response.urljoin(photo) if photo else None,
                                 PageRequest(response.urljoin(url)), response.url))
    return leaders


def _endpoint_of(handler: str, scripts: str) -> str | None:
    """The URL an onclick handler loads: a literal URL in it, or its function's URL pattern."""
    literal = re.search(r"""['"]([^'"\s]*[/?.][^'"\s]*)['"]""", handler or "")
    if literal and not literal.group(1).startswith("#"):
        return literal.group(1)
    call = _CALL.search(handler or "")
    if not call:
        return None
    function, argument = call.group(1).split(".")[-1], call.group(2)
    body, parameter = _function_body(function, scripts)
    if body is None:
        return None
    return _url_pattern(body, parameter, argument)


def _function_body(name: str, scripts: str) -> tuple[str | None, str]:
    """The first ~800 characters of a function's body and its first parameter's name."""
    definition = re.search(
        rf"(?:function\s+{re.escape(name)}\s*\(\s*([\w$]*)|{re.escape(name)}\s*[=:]\s*(?:async\s*)?"
        rf"(?:function\s*\(\s*([\w$]*)|\(?\s*([\w$]*)\s*\)?\s*=>))", scripts)
    if not definition:
        return None, ""
    parameter = next((g for g in definition.groups() if g), "")
    return scripts[definition.end():definition.end() + 800], parameter


def _url_pattern(body: str, parameter: str, argument: str) -> str | None:
    """The URL built from the parameter in a function body, with the argument put in."""
    if not parameter:
        return None
    # the argument may be passed through a call: '/detail?id=' + encodeURIComponent(id)
    p = rf"(?:[\w$.]+\s*\(\s*)?{re.escape(parameter)}\b(?:\s*\))?"
    template = re.search(rf"`([^`]*)\$\{{\s*{p}\s*\}}([^`]*)`", body)
    if template:
        return template.group(1) + argument + template.group(2)
    joined = re.search(rf"""(['"])([^'"]*)\1\s*\+\s*{p}(?:\s*\+\s*(['"])([^'"]*)\3)?""", body)
    if joined:
        return joined.group(2) + argument + (joined.group(4) or "")
    with_data = re.search(rf"""(['"])([^'"]+)\1\s*,\s*\{{\s*['"]?(\w+)['"]?\s*:\s*{p}""", body)
    if with_data:
        separator = "&" if "?" in with_data.group(2) else "?"
        return f"{with_data.group(2)}{separator}{with_data.group(3)}={argument}"
    # $.ajax({url: '/leader/detail', data: {id: id}})
    url = re.search(r"""\burl\s*:\s*(['"])([^'"]+)\1""", body)
    data = re.search(rf"""\bdata\s*:\s*\{{[^{{}}]*?['"]?(\w+)['"]?\s*:\s*{p}""", body)
    if url and data:
        separator = "&" if "?" in url.group(2) else "?"
        return f"{url.group(2)}{separator}{data.group(1)}={argument}"
    return None


# --- endpoint answers in JSON ---------------------------------------------------------------

_JSON_KEYS = {
    "name": ("name", "xm", "姓名", "leadername", "realname", "username"),
    "post": ("post", "zw", "职务", "position", "job", "zhiwu", "title"),
    "duties": ("duties", "duty", "fg", "分工", "分管", "fengong", "fenguan", "work", "responsibility", "resume"),
    "photo": ("photo", "photo_url", "photourl", "img", "image", "pic", "picture", "avatar", "照片", "tp", "zp"),
}


def _leader_of_json(data, response) -> LeaderRef:
    record = _record_of(data)
    values = {key: _json_value(record, names) for key, names in _JSON_KEYS.items()}
    values = {key: value or _json_value_like(record, key) for key, value in values.items()}
    photo = values["photo"]
    return LeaderRef(clean(values["name"]), clean(values["post"]), clean(values["duties"]),
                     response.urljoin(photo) if photo else None, None, response.url)


def _record_of(data) -> dict:
    """The leader's record: the object itself, or the one under data/result/leader."""
    if isinstance(data, list):
        data = data[0] if data else {}
    if not isinstance(data, dict):
        return {}
    for value in data.values():
        if isinstance(value, dict) and not _json_value(data, _JSON_KEYS["name"]):
            return _record_of(value)
    return data


def _json_value_like(record: dict, key: str) -> str:
    """A field under a name not known (leaderName, imgPath, zhiWu) found by what its value is:
    a person's name, a post, an image file. Duties are left to the known names."""
    looks_like = {"name": lambda v: is_name(v), "post": is_post,
                  "photo": lambda v: url_extension(v) in IMAGE_EXTENSIONS}.get(key)
    if looks_like is None:
        return ""
    return next((str(v).strip() for v in record.values()
                 if isinstance(v, str) and v.strip() and looks_like(v.strip())), "")


def _json_value(record: dict, names: tuple[str, ...]) -> str:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return ""
