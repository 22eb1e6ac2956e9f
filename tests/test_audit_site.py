"""site_unreachable, site_blocked, site_not_unified and link_broken."""
from audits import links, reachability, site_group
from tests.audit_fixtures import AS_OF, column, make_config, snapshot

CONFIG = make_config()


def test_fetched_site_has_no_reachability_finding():
    assert list(reachability.audit(snapshot(), CONFIG, AS_OF)) == []


def test_unreachable_site():
    snap = snapshot()
    snap["reachability"].update(fetched=False, status=503, error="http", error_detail="HTTP 503 after 3 retries")
    (f,) = reachability.audit(snap, CONFIG, AS_OF)
    assert (f.check, f.observed, f.url) == ("site_unreachable", "http", "http://yezhou.hbjs.gov.cn/xxgk/")
    assert f.message == "业州镇网站无法访问（服务器返回错误 HTTP 503），请尽快恢复网站正常运行。"


def test_blocked_site_is_blocked_not_unreachable():
    snap = snapshot()
    snap["reachability"].update(fetched=False, status=412, blocked="anti_crawler", blocked_detail="HTTP 412 $_ts")
    (f,) = reachability.audit(snap, CONFIG, AS_OF)
    assert (f.check, f.observed, f.severity) == ("site_blocked", "anti_crawler", "low")


def test_own_site_outside_the_site_group():
    snap = snapshot()
    snap["unit"].update(own_site=True, host="127.0.0.5:8005")
    (f,) = site_group.audit(snap, CONFIG, AS_OF)
    assert (f.check, f.observed) == ("site_not_unified", "127.0.0.5:8005")


def test_site_group_hosts_match_with_or_without_port():
    for host in ("lyj.hbjs.gov.cn", "lyj.hbjs.gov.cn:8080", "127.0.0.1:8001", "LYJ.HBJS.gov.cn"):
        snap = snapshot()
        snap["unit"].update(own_site=True, host=host)
        assert list(site_group.audit(snap, CONFIG, AS_OF)) == [], host
    snap = snapshot()
    snap["unit"].update(own_site=True, host="127.0.0.1:8002")
    assert list(site_group.audit(snap, CONFIG, AS_OF))


def test_unit_on_the_portal_catalogue_is_not_judged():
    snap = snapshot()
    snap["unit"].update(own_site=False, host="127.9.9.9:80")
    assert list(site_group.audit(snap, CONFIG, AS_OF)) == []


def test_one_link_finding_per_failing_link_with_its_column():
    col = column("通知公告", "2011-09-01")
    page = col["entries"][0]["url"]
    snap = snapshot(columns=[col], links=[
        {"url": "http://x/dead.doc", "text": "附件1：申请表.doc", "page_url": page, "kind": "attachment",
         "status": 404, "error": "http_404"},
        {"url": "http://x/gone", "text": "", "page_url": "http://x/other.html", "kind": "link",
         "status": 200, "error": "soft_404"}])
    got = [(f.subject, f.column, f.url, f.observed) for f in links.audit(snap, CONFIG, AS_OF)]
    assert got == [("附件1：申请表.doc", "通知公告", page, "http_404"),
                   ("http://x/gone", "", "http://x/other.html", "soft_404")]
