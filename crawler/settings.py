"""Scrapy settings of the disclosure auditor: every default of the crawl, in one place.

Override any of them on the command line (`scrapy crawl disclosure -s NAME=value`).
The DISCLOSURE_* settings are the project's own; the rest are Scrapy's, set for
polite, robust crawling of small county sites (see ../shared/REFERENCES.md).
"""

BOT_NAME = "disclosure_auditor"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"
# A browser-like agent with a contact token: some county CMSs refuse unknown agents.
USER_AGENT = "Mozilla/5.0 (compatible; disclosure-auditor/0.1; government disclosure audit)"

# --- The project's own settings -------------------------------------------------
DISCLOSURE_CONFIG = "config/sites.toml"     # the units, layout and thresholds
DISCLOSURE_OUT = "runs"                     # where run folders go
DISCLOSURE_AS_OF = ""                       # YYYY-mm-dd; empty: today in Asia/Shanghai
DISCLOSURE_INCREMENTAL = True               # HTTP cache with conditional revalidation (nightly runs)
DISCLOSURE_MAX_HOPS = 8                     # links followed from a unit's entry page (pagination not counted)
DISCLOSURE_MAX_LIST_PAGES = 50              # list pages read per column (pagination traps)
DISCLOSURE_MAX_DETAIL_DATES = 40            # detail pages fetched per column only for a missing list date
DISCLOSURE_MAX_DETAIL_PAGES = 20            # other detail pages per column read for their links/attachments
DISCLOSURE_MAX_LETTER_PAGES = 30            # mailbox list pages read per unit
DISCLOSURE_MAX_LINKS_PER_UNIT = 1000        # links and attachments checked per unit
DISCLOSURE_MAX_COLUMNS_PER_UNIT = 200       # columns read per unit: real catalogues have 10-80; a menu of
                                            # thousands of links is a trap, not a catalogue (0: no cap)
DISCLOSURE_MAX_REQUESTS_PER_UNIT = 20000    # every request of one unit: a large county unit needs ~8,000;
                                            # past this a trap the other caps missed is cut (0: no cap)
DISCLOSURE_CHECK_EXTERNAL_LINKS = False     # links to hosts outside the county's sites: not fetched
DISCLOSURE_IMAGE_MAXSIZE = 8 * 1024 * 1024  # bytes: leader photos and flowchart images
DISCLOSURE_IMAGE_MAX_PIXELS = 40_000_000    # declared pixels above which an image is never decoded
DISCLOSURE_PEEK_BYTES = 64 * 1024           # a capped GET stops after this many bytes (0: off, read whole)
DISCLOSURE_RETRY_BACKOFF = 0.5              # seconds before the first retry, doubled on each next one
DISCLOSURE_RETRY_BACKOFF_MAX = 8.0          # longest wait between two tries
DISCLOSURE_RETRY_AFTER_MAX = 60.0           # a 429/503 Retry-After up to this is waited for; longer: rate-limited
DISCLOSURE_PROGRESS_INTERVAL = 30.0         # seconds between two progress lines in the log
DISCLOSURE_UNITS_AT_ONCE = 16               # units crawled at a time: the queue stays small at province size
# HTTPS: Scrapy does not verify certificates (a site with a bad one is still audited); the spider
# records each entry page's certificate and what is wrong with it (crawler/certificates.py), judged
# against the system's roots plus these PEM files (comma-separated), e.g. the sandbox's CA.
DISCLOSURE_TRUSTED_CA = []
# Nightly runs (crawler.nightly turns these on): published content (articles, images, attachments,
# link targets) is served from the HTTP cache without asking for this many days, and a unit whose
# watched pages all answer as in the previous run keeps that run's snapshot (crawler/revisit.py).
DISCLOSURE_CONTENT_MAX_AGE_DAYS = 7.0
DISCLOSURE_REUSE_UNCHANGED = False
DISCLOSURE_RUN_ID = ""                      # the run folder's name; empty: the start time (a resume reuses it)
DISCLOSURE_KEEP_RUNS = 30                   # complete runs kept after each run (0: all); a month of nights
DISCLOSURE_ALERT_ERROR_RATE = 0.2           # share of failed requests above which the run prints an ALERT
# Audit, report and summarise when the crawl ends (crawler.extensions.FinishRun, crawler.monitoring.RunMonitor);
# a distributed worker turns it off: the coordinator's finish step does it once for all workers.
DISCLOSURE_FINISH_RUN = True
# Scale-out (crawler/distributed.py): a unit whose worker sent no heartbeat for this many seconds is
# taken over by another; units one worker crawls at once (its downloader busy, the others their share).
DISCLOSURE_REDIS_URL = "redis://localhost:6379/0"
DISCLOSURE_RECLAIM_AFTER = 60.0
DISCLOSURE_WORKER_UNITS = 8
# Pages drawn by scripts (crawler/rendering.py): a script shell without readable content is
# rendered in headless Chromium (the Debian package; scripts/install-system-deps.sh), so its
# lists, leaders and letters are read as a person's browser shows them. On by default: without
# it such units look empty. A static page is never rendered (the cost: nothing for sites that
# need no rendering). Pages that needed rendering and were not rendered mark the unit as not
# fully audited in its snapshot and the report.
DISCLOSURE_RENDER = True
DISCLOSURE_RENDER_EXECUTABLE = "/usr/bin/chromium"
# renders per unit (clicked list pages included): ~0.3-1 s each. A drawn section of 13 columns
# takes ~40 for its lists, leaders, mailbox and 任免 notices, and ~40 for the newest articles
DISCLOSURE_RENDER_PER_UNIT = 100
DISCLOSURE_RENDER_TIMEOUT = 20.0            # seconds per render (load, scripts, their requests), per click
DISCLOSURE_RENDER_MAX_CLICKS = 20           # 下一页 clicks per rendered list (the list budget bounds it too)
DISCLOSURE_RENDER_CONCURRENCY = 2           # pages rendered at a time: each tab is ~30-60 MB
# Articles read only for their links and attachments (dated in their list; not 任免 notices):
# a drawn site has as many as a static one (DISCLOSURE_MAX_DETAIL_PAGES per column) but each
# costs a render, so only the newest few of each column are rendered, and at most this share of
# the unit's renders goes to them: the rest always stays for the pages the audits judge by their
# absence (lists, leaders, mailbox), 任免 notices and missing dates, whatever order they come in.
DISCLOSURE_RENDER_ARTICLES_PER_COLUMN = 3
DISCLOSURE_RENDER_ARTICLES_SHARE = 0.4
# Evidence one can see (crawler/evidence.py): after the audits, the crawl screenshots the pages of
# the findings a person should see (an empty or stale list, the leaders' page, a flowchart's page, the
# mailbox) with the same Chromium, DISCLOSURE_RENDER_CONCURRENCY at a time. ~0.5-1 s a page: the demo
# county has ~60 such pages; the caps keep a province's thousands from adding more than a few minutes
# (0 screenshots: none taken). `scrapy audit` never takes any.
DISCLOSURE_EVIDENCE_SCREENSHOTS = 100       # pages per run, units taking turns
DISCLOSURE_EVIDENCE_SECONDS = 180.0         # wall-clock seconds per run for all of them
# report.html embeds the evidence (leader photos and flowcharts large, the page screenshots) up to
# this many bytes, failing pictures first, then screenshots, then the pictures that passed; beyond it
# a picture shows its thumbnail and a screenshot is a link to its file in evidence/, and the report
# says so. 10 MiB keeps the report under the 20 MB attachment limit common to government and
# commercial mail after MIME encoding (x1.37), and quick to open on an office PC.
DISCLOSURE_REPORT_EVIDENCE_BYTES = 10 * 1024 * 1024

# --- Politeness -------------------------------------------------------------------
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.robots.BoundedRobotParser"   # its first 512 KiB, as search engines read it
CONCURRENT_REQUESTS = 32                    # across all units' sites
CONCURRENT_REQUESTS_PER_DOMAIN = 4          # Scrapy keys slots on the hostname: one county site each
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for every callback's output; our pipeline only
# appends to a file, so 100 (the default) was ~100 tasks per page for nothing: 4 cut the county
# crawl's CPU time by a fifth (65 s -> 52 s user, 82 s -> 73 s wall; see the closing note of issue 6).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True                 # slows down on sites that answer slowly
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# --- Robustness -------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 15                       # national inspection practice: 15 s per visit
RETRY_ENABLED = True
RETRY_TIMES = 2                             # three tries in all, with DISCLOSURE_RETRY_BACKOFF between
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024         # pages and attachments; media get DISCLOSURE_IMAGE_MAXSIZE
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 10                     # a loop is caught earlier by RedirectLoopMiddleware
DEPTH_LIMIT = 100                           # backstop; DISCLOSURE_MAX_HOPS is the real limit
URLLENGTH_LIMIT = 2083
COOKIES_ENABLED = True                      # some CMSs keep list paging in a session
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control server (the telnet console's successor) listens on a port too: off
REMOTE_CONTROL_ENABLED = False

# --- Nightly incremental crawling (HTTP cache; switched by DISCLOSURE_INCREMENTAL) --
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.httpcache.RevalidationPolicy"   # RFC 2616: revalidates with If-Modified-Since / If-None-Match
# One SQLite file instead of Scrapy's six files per response: the filesystem storage took half of a
# first crawl's time on this machine's disk (creating files), 10x the space (crawler/httpcache.py).
HTTPCACHE_STORAGE = "crawler.httpcache.SqliteCacheStorage"
HTTPCACHE_DIR = "httpcache"                 # under .scrapy/ unless absolute
HTTPCACHE_EXPIRATION_SECS = 0
# Failures and anti-crawler answers are facts of this night, never reused on the next.
HTTPCACHE_IGNORE_HTTP_CODES = [408, 412, 429, 500, 502, 503, 504, 521, 522, 524]
HTTPCACHE_GZIP = True
# "max-age=0" as a browser's reload sends it: every cached page is revalidated (304 or the new
# page), never taken as fresh by RFC 2616's heuristic (10% of its age since Last-Modified:
# a year for a page last changed in 2011).
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
    "Cache-Control": "max-age=0",
}

# --- The project's components --------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # first: a host name the config does not name that resolves to an internal address is refused
    # before robots.txt, the cache or the network is asked (crawler/fetch_policy.py)
    "crawler.middlewares.ResolvedAddressMiddleware": 50,
    # a robots.txt download stops just past the 512 KiB the parser reads (crawler/robots.py)
    "crawler.robots.RobotsTxtCap": 60,
    "crawler.middlewares.RedirectLoopMiddleware": 650,   # sees 3xx before RedirectMiddleware (600)
    "crawler.middlewares.OffsiteRedirectMiddleware": 640,  # so does this: a 3xx off the county's sites stops
    "crawler.middlewares.CharsetMiddleware": 580,          # after decompression (590): the charset its bytes are in
    # Scrapy's meta refresh (580) replaced by one that also follows a stub page's script redirect,
    # after the charset is right, through the fetch policy
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.ClientRedirectMiddleware": 575,
    "crawler.middlewares.RetryBackoffMiddleware": 560,   # waits before a retried request goes out
    # sees the response after retries, redirects and the cache; answers clicked list states
    "crawler.rendering.RenderMiddleware": 120,
}
ITEM_PIPELINES = {
    "crawler.pipelines.SnapshotPipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.PeekDownloads": 100,
    "crawler.extensions.QuietRobotsErrors": 110,           # a site without robots.txt: a line, not a traceback
    "crawler.extensions.Progress": 500,
    "crawler.extensions.FinishRun": 900,
    "crawler.monitoring.RunMonitor": 950,                # run summary + ALERT lines, after the reports
    "scrapy.extensions.throttle.AutoThrottle": None,    # replaced by the one below: a 304 may lower the delay
    "crawler.nightly.RevalidationAwareAutoThrottle": 0,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
