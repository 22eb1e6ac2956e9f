"""audit_unit and audit_run: which checks run, order, status across runs."""
from audits import audit_run, audit_unit
from audits.checks import CHECKS
from tests.audit_fixtures import AS_OF, column, image, leader, make_config, snapshot

CONFIG = make_config()


def neglected_site(unit_id="yezhou", name="业州镇"):
    """A site with something wrong in every content check."""
    snap = snapshot(unit_id, name, columns=[column("工作动态", "2010-01-01")],
                    leaders=[leader("张三", None)],
                    workflows=[{"title": "流程", "page_url": "http://x/", "column": "工作流程",
                                "flowchart": {"kind": "none"}}],
                    mailbox={"url": "http://x/xf/", "letters": [
                        {"title": "修路", "url": "http://x/xf/1", "received": "2011-01-01",
                         "status": "未受理", "answered": None}]},
                    links=[{"url": "http://x/d", "text": "死链", "page_url": "http://x/", "kind": "link",
                            "status": 404, "error": "http_404"}])
    snap["unit"].update(own_site=True, host="127.0.0.9:8009")
    return snap


def checks(findings):
    return {f.check for f in findings}


def test_reachable_neglected_site_fires_its_content_checks():
    found = checks(audit_unit(neglected_site(), CONFIG, AS_OF))
    assert {"site_stale", "column_missing", "column_stale", "leader_photo_missing",
            "flowchart_missing", "mailbox_backlog", "link_broken", "site_not_unified"} <= found
    assert "site_blocked" not in found and "site_unreachable" not in found


def test_blocked_site_gets_only_site_checks():
    snap = neglected_site()
    snap["reachability"].update(fetched=False, blocked="robots", blocked_detail="Disallow: /")
    assert checks(audit_unit(snap, CONFIG, AS_OF)) == {"site_blocked", "site_not_unified"}


def test_blocked_after_fetching_the_entry_page_still_silences_content():
    snap = neglected_site()
    snap["reachability"].update(fetched=True, blocked="anti_crawler")
    assert checks(audit_unit(snap, CONFIG, AS_OF)) == {"site_blocked", "site_not_unified"}


def test_unreachable_site_gets_only_site_checks():
    snap = neglected_site()
    snap["reachability"].update(fetched=False, status=None, error="refused")
    assert checks(audit_unit(snap, CONFIG, AS_OF)) == {"site_unreachable", "site_not_unified"}


def test_run_is_sorted_by_check_then_config_unit_order():
    snaps = [neglected_site("lyj", "林业局"), neglected_site("yezhou", "业州镇")]
    findings = audit_run(snaps, CONFIG, AS_OF, run_id="20110930-020000")
    order = list(CHECKS)
    keys = [(order.index(f.check), ["yezhou", "guoshui", "lyj"].index(f.unit_id)) for f in findings]
    assert keys == sorted(keys)
    assert {f.run_id for f in findings} == {"20110930-020000"}
    assert {f.status for f in findings} == {""}


def test_status_new_and_persisting_against_the_previous_run():
    first = audit_run([neglected_site()], CONFIG, AS_OF)
    fixed = neglected_site()
    fixed["links"] = []
    later = neglected_site()
    later["mailbox"]["letters"].append({"title": "低保", "url": "http://x/xf/2", "received": "2011-02-01",
                                        "status": "未受理", "answered": None})
    second = audit_run([later], CONFIG, AS_OF, previous=first)
    status = {(f.check, f.subject): f.status for f in second}
    assert status[("mailbox_backlog", "低保")] == "new"
    assert status[("mailbox_backlog", "修路")] == "persisting"
    assert set(status.values()) == {"new", "persisting"}
    third = audit_run([fixed], CONFIG, AS_OF, previous=first)
    assert all(f.status == "persisting" for f in third) and "link_broken" not in checks(third)


def test_run_finds_a_placeholder_shared_across_units():
    avatar = "00ff00ff00ff00ff"
    snaps = [snapshot("guoshui", "国税局", leaders=[leader("张三", image(phash=avatar))]),
             snapshot("lyj", "林业局", leaders=[leader("李四", image(phash=avatar))]),
             snapshot("yezhou", "业州镇", leaders=[leader("王五", image(phash="123456789abcdef0"))])]
    low = [(f.unit_id, f.subject) for f in audit_run(snaps, CONFIG, AS_OF) if f.check == "leader_photo_low_quality"]
    assert low == [("guoshui", "张三"), ("lyj", "李四")]


def test_messages_are_chinese_sentences():
    for f in audit_unit(neglected_site(), CONFIG, AS_OF):
        assert f.message.endswith("。") and any("\u4e00" <= ch <= "\u9fff" for ch in f.message), f


def test_odd_crawled_values_do_not_break_the_audits():
    snap = snapshot(
        columns=[column("工作动态", "2011-13-45", "not a date", None)],
        leaders=[{"name": None, "photo": None}, {"name": "张三", "photo": {"url": "x", "status": 200}},
                 {"name": "李四", "post": None, "photo": image(phash="zz-not-hex", thumbnail="data:image/jpeg;base64,@@")}],
        workflows=[{"title": None, "flowchart": None}, {"title": "流程", "flowchart": {"kind": "attachment"}}],
        mailbox={"url": None, "letters": [{"title": None, "received": "2011-02-30", "status": None}]},
        links=[{"url": None, "text": None, "page_url": None, "status": None, "error": None},
               {"url": "x", "text": None, "page_url": None, "status": "404", "error": None, "bytes": "0"},
               {"url": "y", "text": 7, "page_url": None, "status": None, "error": "timeout"}],
        appointments=[{"person": None, "post": None, "action": "任", "date": None},
                      {"person": "王五", "post": "局长", "action": "调", "date": "2011-05-01"}])
    checks_found = checks(audit_unit(snap, CONFIG, AS_OF))
    assert {"column_stale", "leader_photo_broken", "flowchart_missing", "flowchart_broken", "link_broken"} <= checks_found


def test_an_audit_that_raises_loses_only_its_own_findings(monkeypatch, caplog):
    import audits
    from audits import mailbox

    def broken(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(mailbox, "audit", broken)
    failures: list[dict] = []
    found = audits.audit_run([neglected_site()], CONFIG, AS_OF, failures=failures)
    assert found and "mailbox_backlog" not in checks(found)                 # the others still judged
    assert failures == [{"unit_id": "yezhou", "module": "audits.mailbox", "error": "RuntimeError: boom",
                         "checks": ["mailbox_backlog"]}]
    assert any(r.getMessage().startswith("ALERT: audit audits.mailbox failed") for r in caplog.records)


def test_every_check_names_the_module_that_decides_it():
    import importlib
    import inspect

    from audits.checks import CHECKS, DECIDED_BY
    assert set(DECIDED_BY) == set(CHECKS)
    for check, module_name in DECIDED_BY.items():
        module = importlib.import_module(module_name)
        assert f'"{check}"' in inspect.getsource(module), (check, module_name)
