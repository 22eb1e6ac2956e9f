"""The simulated county web as data: what the generator plants, what renderers show.

The generator (sandbox/generator.py) builds one `Web` from a fixed seed. The
renderers (sandbox/families/*.py) turn it into pages, one module per CMS template
family; the server (sandbox/server.py) serves them with real HTTP behaviour and
the switchable hostile behaviours; sandbox/manifest.py derives the ground truth
from this model alone (never from crawling it).

Everything here is the *truth*: e.g. `Article.date` is the real publication date,
whatever form (or absence) a list page gives it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

FAMILIES = ("trs", "hanweb", "asp", "modern")
# The blind families (`python -m sandbox serve --blind`, sandbox/blind.py): written from real sites'
# patterns by someone who never read the extractors.
BLIND_FAMILIES = ("jyh", "gk2019", "dede", "trs2", "spa", "old", "cms2020", "plat", "sub")

# How a list page writes an entry's date (the renderer formats Article.date this way).
DATE_STYLES = (
    "iso",          # 2011-09-15
    "iso_short",    # 2011-9-5
    "slash",        # 2011/9/5
    "cn",           # 2011年9月15日
    "spaced",       # " 2011 - 09 - 15 " / "2011年 9月15日" with stray spaces
    "bracket_md",   # [09-15]  (year implied)
    "detail_only",  # nothing in the list; the detail page's metadata block has it
)

PHOTO_KINDS = (
    "good",         # sharp, >= 150x200
    "tiny",         # below the minimum resolution
    "blurred",      # low-res upscaled: right size, no detail
    "placeholder",  # one default avatar shared by several leaders
    "none",         # the leader entry has no <img> at all
    "broken_404",   # <img> whose URL answers 404
    "html",         # <img> whose URL answers 200 text/html (an error page)
    "truncated",    # a JPEG cut short
    "bomb",         # decompression bomb: tiny PNG declaring a huge size
)

FLOWCHART_KINDS = (
    "image_sharp",      # a readable flowchart image (>= 800 px on the longer side)
    "image_small",      # too small to read
    "image_blurred",    # right size, upscaled from a tiny one
    "attachment_doc", "attachment_pdf", "attachment_xls",   # real file signatures
    "broken_404",       # link (image or attachment) answering 404
    "broken_empty",     # attachment of zero bytes
    "none",             # a workflow item with neither image nor attachment
)

HOSTILE = (
    "slow",             # every response delayed (seconds set by the server option)
    "flaky_5xx",        # 500/503 on the first try of each URL, then fine
    "reset",            # connection reset on the first try of some URLs
    "redirect_loop",    # the entry page redirects to itself forever
    "calendar_trap",    # an endless "next month" calendar
    "huge_file",        # an attachment of hundreds of MB (streamed, never stored)
    "bomb_image",       # a decompression-bomb leader photo
    "robots_disallow",  # robots.txt: Disallow: /
    "anti_crawler_412", # every request answered 412 with a $_ts script body
    "down",             # nothing listens at the site's address
    "gbk_no_header",    # GBK pages with the charset only in <meta>
    "server_error",     # the entry page answers 503 even after retries
)

# How a site serves HTTPS (Site.tls; "" is plain HTTP). Certificates are made at start by sandbox/tls.py.
TLS_STATES = (
    "valid",            # issued by the sandbox's CA for the site's address, current
    "self_signed",      # issued by itself (subject = issuer), current, for the right address
    "expired",          # issued by the sandbox's CA for the right address, expired a month ago
    "name_mismatch",    # issued by the sandbox's CA, current, for another name (www.jianshi.gov.cn)
)
BAD_TLS = ("self_signed", "expired", "name_mismatch")


@dataclass
class Attachment:
    name: str                   # link text, e.g. "附件1：申请表.doc"
    ext: str                    # doc | pdf | xls | docx | zip ...
    state: str = "ok"           # ok | 404 | empty | huge
    dead_oldsrc: bool = False   # TRS quirk: a dead oldsrc="" beside the working href


@dataclass
class Link:
    """A link inside an article body."""
    text: str
    state: str = "ok"           # ok | 404 | soft_404 (200 saying 页面不存在) | external


@dataclass
class Appointment:
    person: str
    post: str
    action: str                 # 任 | 免


@dataclass
class Article:
    id: int                     # unique within the web; used in URLs
    title: str
    date: date | None           # the true publication date; None: undated everywhere
    date_in_list: bool = True   # False: only the detail page shows the date
    url_date: date | None = None  # TRS: the date in the article URL (may differ from `date`)
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)  # 任免 notices


def newest(articles: list[Article]) -> date | None:
    """The newest true publication date among these articles (None: none dated)."""
    return max((a.date for a in articles if a.date), default=None)


@dataclass
class Photo:
    kind: str                   # one of PHOTO_KINDS
    width: int = 0              # pixel size of the served image (0 when none is served)
    height: int = 0
    seed: int = 0               # drives the generated picture, so each leader's differs


@dataclass
class Leader:
    name: str
    post: str
    duties: str
    photo: Photo


@dataclass
class Flowchart:
    kind: str                   # one of FLOWCHART_KINDS
    width: int = 0              # images only
    height: int = 0
    seed: int = 0


@dataclass
class Workflow:
    title: str
    flowchart: Flowchart


@dataclass
class Letter:
    id: int
    title: str
    received: date
    status: str                 # 未受理 | 已受理 | 已办结
    answered: date | None = None


@dataclass
class Column:
    ref: str | None             # the reference column it is (truth); None: a unit-specific extra
    label: str                  # the name the site shows (a synonym or a variant of ref)
    slug: str                   # URL-safe, unique within the unit
    group: str | None = None    # the menu group it sits under, e.g. 机构概况 (nested menus)
    role: str = "list"          # list | leaders | workflows | personnel | mailbox (blind web: the letters)
    articles: list[Article] = field(default_factory=list)   # newest first
    date_style: str = "iso"     # one of DATE_STYLES
    per_page: int = 20


@dataclass
class Unit:
    id: str                     # same ids as config/sandbox.toml
    name: str
    kind: str                   # 乡镇 | 县直部门 | 门户
    site: str                   # id of the Site that serves its disclosure section
    columns: list[Column] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    letters: list[Letter] | None = None     # None: the unit has no mailbox
    listed_in_directory: bool = True        # shown in the portal's unit directory


@dataclass
class Site:
    id: str
    family: str                 # one of FAMILIES
    host: str                   # loopback address, e.g. 127.0.1.5
    port: int
    units: list[str]            # unit ids whose sections it serves (the portal: many)
    in_site_group: bool = False
    encoding: str = "utf-8"     # utf-8 | gbk
    hostile: set[str] = field(default_factory=set)   # subset of HOSTILE
    tls: str = ""               # "" (plain HTTP) or one of TLS_STATES: served over HTTPS
    http_redirect: bool = False # with tls: plain HTTP on the same address and port answers 301 to https://

    @property
    def entry_origin(self) -> str:
        """Where a person typing the address starts: http:// for a site that sends it on to https://."""
        return f"http://{self.host}:{self.port}" if self.http_redirect else self.origin

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"


@dataclass
class Web:
    seed: int
    as_of: date                 # the date the web is "as of" (2011-09-30 for the default)
    scale: str                  # county | province
    sites: list[Site]
    units: list[Unit]
    portal_unit: str            # unit id of the county portal 《建始网》
    site_group_hosts: list[str] # host patterns of the unified site group (fnmatch)
    revision: int = 0           # bumped by `change()`: a few pages differ between two crawls
    layout: tuple = ()          # the reference layout (RefColumns); empty: sandbox/layout.py's
    county_name: str = ""       # the config's county name; empty: by scale

    def site(self, site_id: str) -> Site:
        return next(s for s in self.sites if s.id == site_id)

    def unit(self, unit_id: str) -> Unit:
        return next(u for u in self.units if u.id == unit_id)
