"""site_stale, column_missing, column_empty, column_stale and coverage_narrow on hand-made snapshots."""
from dataclasses import replace

from audits import columns, coverage, site_stale
from crawler.config import ReferenceColumn, Unit
from tests.audit_fixtures import AS_OF, column, leader, make_config, snapshot

CONFIG = make_config()


def by_check(findings, check):
    return {f.column: f for f in findings if f.check == check}


def full_layout(**dates):
    """A column for every reference column, dated recently unless `dates` says otherwise."""
    return [column(ref.name, *dates.get(ref.name, ["2011-09-28"])) for ref in CONFIG.columns]


def test_fresh_complete_site_has_no_column_findings():
    snap = snapshot(columns=full_layout())
    assert list(columns.audit(snap, CONFIG, AS_OF)) == []
    assert list(site_stale.audit(snap, CONFIG, AS_OF)) == []
    assert list(coverage.audit(snap, CONFIG, AS_OF)) == []


def test_stale_column_names_newest_date_and_limit():
    snap = snapshot(columns=full_layout(工作动态=["2011-03-02", "2011-01-05"]))
    stale = by_check(columns.audit(snap, CONFIG, AS_OF), "column_stale")
    assert list(stale) == ["工作动态"]
    assert stale["工作动态"].observed == "2011-03-02"
    assert stale["工作动态"].expected == ">= 2011-09-16"
    assert "工作动态" in stale["工作动态"].message and "2011-03-02" in stale["工作动态"].message


def test_column_exactly_at_the_limit_is_fresh_and_one_day_older_is_stale():
    at_limit = snapshot(columns=full_layout(工作动态=["2011-09-16"]))
    assert not by_check(columns.audit(at_limit, CONFIG, AS_OF), "column_stale")
    older = snapshot(columns=full_layout(工作动态=["2011-09-15"]))
    assert list(by_check(columns.audit(older, CONFIG, AS_OF), "column_stale")) == ["工作动态"]


def test_column_with_only_undated_entries_is_stale():
    snap = snapshot(columns=full_layout(通知公告=[None, None]))
    stale = by_check(columns.audit(snap, CONFIG, AS_OF), "column_stale")
    assert stale["通知公告"].observed == "无日期"


def test_undated_entries_do_not_hide_an_old_dated_one():
    snap = snapshot(columns=full_layout(政策文件=[None, "2010-01-01"]))
    stale = by_check(columns.audit(snap, CONFIG, AS_OF), "column_stale")
    assert stale["政策文件"].observed == "2010-01-01"


def test_entries_dated_after_as_of_do_not_make_a_column_fresh():
    snap = snapshot(columns=full_layout(工作动态=["2101-09-01", "2011-06-01"]))
    stale = by_check(columns.audit(snap, CONFIG, AS_OF), "column_stale")
    assert stale["工作动态"].observed == "2011-06-01"


def test_static_columns_are_never_stale():
    snap = snapshot(columns=full_layout(腐败风险预警防控=["2001-01-01"]))
    assert not by_check(columns.audit(snap, CONFIG, AS_OF), "column_stale")


def test_two_site_columns_of_one_reference_are_judged_together():
    cols = full_layout() + [column("工作动态", "2010-05-01", name="乡镇动态")]
    assert not by_check(columns.audit(snapshot(columns=cols), CONFIG, AS_OF), "column_stale")


def test_missing_required_column_but_not_an_optional_one():
    cols = [c for c in full_layout() if c["reference"] not in ("政策文件", "腐败风险预警防控")]
    missing = by_check(columns.audit(snapshot(columns=cols), CONFIG, AS_OF), "column_missing")
    assert list(missing) == ["政策文件"]


def test_empty_reference_column_but_not_an_empty_unmapped_menu_item():
    cols = full_layout(通知公告=[]) + [column(None, name="局长信箱")]
    empty = by_check(columns.audit(snapshot(columns=cols), CONFIG, AS_OF), "column_empty")
    assert list(empty) == ["通知公告"]
    assert empty["通知公告"].observed == "0条"


def test_leader_column_is_judged_by_the_leaders_found_not_list_entries():
    cols = full_layout(领导信息=[])
    with_leaders = snapshot(columns=cols, leaders=[leader("张三", None)])
    assert not by_check(columns.audit(with_leaders, CONFIG, AS_OF), "column_empty")
    without = snapshot(columns=cols)
    assert list(by_check(columns.audit(without, CONFIG, AS_OF), "column_empty")) == ["领导信息"]


def test_leaders_found_outside_a_mapped_column_are_not_a_missing_column():
    cols = [c for c in full_layout() if c["reference"] != "领导信息"]
    snap = snapshot(columns=cols, leaders=[leader("张三", None)])
    assert not by_check(columns.audit(snap, CONFIG, AS_OF), "column_missing")


def test_site_stale_when_nothing_is_newer_than_90_days():
    snap = snapshot(columns=[column("工作动态", "2011-07-01", None), column("通知公告", "2011-06-30")])
    (finding,) = site_stale.audit(snap, CONFIG, AS_OF)
    assert (finding.check, finding.observed, finding.expected) == ("site_stale", "2011-07-01", ">= 2011-07-02")
    fresh = snapshot(columns=[column("工作动态", "2011-07-02")])
    assert list(site_stale.audit(fresh, CONFIG, AS_OF)) == []


def test_site_with_only_undated_entries_is_stale():
    (finding,) = site_stale.audit(snapshot(columns=[column("工作动态", None)]), CONFIG, AS_OF)
    assert finding.observed == "无日期"


def test_site_stale_threshold_comes_from_the_unit_override():
    overridden = Unit("yezhou", "业州镇", "乡镇", overrides={"thresholds": {"site_stale_days": 120}})
    config = replace(CONFIG, units=(overridden,))
    snap = snapshot(columns=[column("工作动态", "2011-07-01")])
    assert list(site_stale.audit(snap, config, AS_OF)) == []
    assert list(site_stale.audit(snap, CONFIG, AS_OF))


def test_coverage_narrow_only_anti_corruption_column():
    cols = [column("腐败风险预警防控", *["2011-09-01"] * 40), column("工作动态"), column("通知公告")]
    (finding,) = coverage.audit(snapshot(columns=cols), CONFIG, AS_OF)
    assert finding.observed == "1个栏目" and finding.expected == ">= 3个栏目"
    assert "腐败风险预警防控" in finding.message


def test_coverage_counts_leaders_as_content_and_meets_the_minimum():
    cols = [column("腐败风险预警防控", "2011-09-01"), column("工作动态", "2011-09-01")]
    snap = snapshot(columns=cols, leaders=[leader("张三", None)])
    assert list(coverage.audit(snap, CONFIG, AS_OF)) == []


def test_five_stale_columns_fail_the_site_and_raise_their_severity():
    old = {name: ["2009-01-01"] for name in ("工作动态", "通知公告", "政策文件", "人事信息")}
    four = by_check(columns.audit(snapshot(columns=full_layout(**old)), CONFIG, AS_OF), "column_stale")
    assert {f.severity for f in four.values()} == {"medium"}
    config = replace(CONFIG, columns=CONFIG.columns + (ReferenceColumn("规划计划", (), "规划计划"),))
    five = by_check(columns.audit(snapshot(columns=full_layout(**old) + [column("规划计划", "2009-01-01")]),
                                  config, AS_OF), "column_stale")
    assert len(five) == 5 and {f.severity for f in five.values()} == {"high"}


def test_a_static_page_of_text_has_content_and_a_nothing_notice_is_empty():
    static = {**column("政策文件"), "text_chars": 180, "nothing_notice": None,      # one page of text
              "page_date": "2011-09-01"}
    notice = {**column("通知公告", None), "text_chars": 6, "nothing_notice": "暂无信息"}  # a stray link on it
    blank = {**column("人事信息"), "text_chars": 3, "nothing_notice": None}
    layout = [c for c in full_layout() if c["reference"] not in ("政策文件", "通知公告", "人事信息")]
    found = list(columns.audit(snapshot(columns=[*layout, static, notice, blank]), CONFIG, AS_OF))
    assert sorted(by_check(found, "column_empty")) == ["人事信息", "通知公告"]
    assert not by_check(found, "column_stale")            # 暂无信息 is empty, not an undated entry
    undated_static = {**static, "page_date": None}          # a page of text is content, undated: not updated
    found = list(columns.audit(snapshot(columns=[*layout, undated_static, notice, blank]), CONFIG, AS_OF))
    assert by_check(found, "column_stale")["政策文件"].observed == "无日期"
    dated_despite_notice = {**column("通知公告", "2011-09-20"), "nothing_notice": "暂无信息"}
    found = list(columns.audit(snapshot(columns=[*layout, static, dated_despite_notice, column("人事信息", "2011-09-01")]),
                               CONFIG, AS_OF))
    assert not by_check(found, "column_empty")


def test_the_mailbox_column_is_judged_by_its_presence_only():
    layout = (*CONFIG.columns, ReferenceColumn("信箱", ("局长信箱",), "static", "mailbox"))
    config = replace(CONFIG, columns=layout)
    with_mailbox = snapshot(columns=full_layout(), mailbox={"url": "http://x/xx/", "letters": []})
    assert list(columns.audit(with_mailbox, config, AS_OF)) == []
    in_menu = snapshot(columns=[*full_layout(), column("信箱", None, name="局长信箱")])   # no list rules for it
    assert list(columns.audit(in_menu, config, AS_OF)) == []
    assert [(f.check, f.column) for f in columns.audit(snapshot(columns=full_layout()), config, AS_OF)] == \
        [("column_missing", "信箱")]
    assert coverage.columns_with_content(with_mailbox, config) == [c.name for c in CONFIG.columns]


def test_letters_and_replies_keep_a_site_fresh():
    old = [column(ref.name, "2011-03-01") for ref in CONFIG.columns]
    letters = [{"title": "来信", "url": "http://x/l/1", "received": "2011-05-01", "status": "已办结",
                "answered": "2011-09-20"}]
    assert list(site_stale.audit(snapshot(columns=old), CONFIG, AS_OF))
    assert not list(site_stale.audit(snapshot(columns=old, mailbox={"url": "http://x/l/", "letters": letters}),
                                     CONFIG, AS_OF))


def test_what_could_not_be_read_is_unknown_never_missing_empty_or_stale():
    layout = full_layout(工作动态=["2011-01-02"])
    unread_column = {**column("通知公告"), "url": "http://x/tzgg/"}
    layout = [c for c in layout if c["reference"] != "通知公告"] + [unread_column]
    unread = [{"kind": "list", "url": "http://x/tzgg/", "why": "timeout", "column_url": "http://x/tzgg/"}]
    found = list(columns.audit(snapshot(columns=layout, unread=unread), CONFIG, AS_OF))
    assert [(f.check, f.column) for f in found] == [("column_stale", "工作动态")]   # 通知公告 not judged empty
    assert list(coverage.audit(snapshot(columns=[unread_column], unread=unread), CONFIG, AS_OF)) == []
    old = [column(ref.name, "2011-01-01") for ref in CONFIG.columns] + [unread_column]
    assert list(site_stale.audit(snapshot(columns=old, unread=unread), CONFIG, AS_OF)) == []
    assert list(site_stale.audit(snapshot(columns=old), CONFIG, AS_OF))            # read: stale indeed
    no_section = snapshot(columns=[], unread=[{"kind": "section", "url": "http://x/xxgk/", "why": "http_503",
                                               "column_url": None}])
    assert list(columns.audit(no_section, CONFIG, AS_OF)) == []                    # not 7 column_missing
    assert list(coverage.audit(no_section, CONFIG, AS_OF)) == []
