"""leader_info_outdated: the leader list against 任/免 notices."""
from audits import leader_info
from tests.audit_fixtures import AS_OF, leader, make_config, snapshot

CONFIG = make_config()


def notice(person, post, action, day):
    return {"person": person, "post": post, "action": action, "date": day,
            "title": f"关于{person}同志{action}职的通知", "url": "http://x/rs/1.html"}


def outdated(leaders, appointments):
    snap = snapshot(leaders=[leader(n, None, p) for n, p in leaders], appointments=appointments)
    return [(f.subject, f.observed) for f in leader_info.audit(snap, CONFIG, AS_OF)]


def test_removed_leader_still_listed():
    assert outdated([("张三", "副局长"), ("李四", "局长")],
                    [notice("张三", "副局长", "免", "2011-06-01")]) == [("张三", "仍列为副局长")]


def test_appointed_leader_missing_from_the_list():
    assert outdated([("李四", "局长")], [notice("王五", "副局长", "任", "2011-07-15")]) == [("王五", "未列入领导名单")]


def test_list_that_agrees_with_the_notices_is_fine():
    notices = [notice("张三", "副局长", "免", "2011-06-01"), notice("张三", "局长", "任", "2011-06-01"),
               notice("王五", "副局长", "任", "2011-07-15"), notice("赵六", "局长", "免", "2011-06-01")]
    assert outdated([("张三", "局长"), ("王五", "副局长")], notices) == []


def test_reappointment_after_removal_counts_the_latest_notice():
    notices = [notice("王五", "副镇长", "任", "2011-08-01"), notice("王五", "副镇长", "免", "2010-03-01")]
    assert outdated([("王五", "副镇长")], notices) == []


def test_non_leadership_posts_and_future_notices_are_ignored():
    notices = [notice("钱七", "办公室主任", "任", "2011-05-01"),
               notice("孙八", "副局长", "任", "2011-10-08"),        # after as_of
               notice("周九", "党组书记、局长", "任", "2011-08-01")]
    assert outdated([("李四", "局长")], notices) == [("周九", "未列入领导名单")]


def test_names_padded_with_full_width_spaces_match():
    assert outdated([("张　三", "副局长")], [notice("张三", "副局长", "免", "2011-06-01")]) == [("张三", "仍列为副局长")]


def test_unit_listing_no_leader_at_all_is_left_to_column_empty():
    assert outdated([], [notice("王五", "局长", "任", "2011-07-15")]) == []


def test_posts_named_with_their_body_are_leadership_posts():
    # (the snapshot's unit is 业州镇)
    assert outdated([("李四", "镇长")], [notice("魏波", "建始县业州镇人民政府副镇长", "任", "2011-07-15")]) \
        == [("魏波", "未列入领导名单")]
    assert outdated([("李四", "镇长")], [notice("范琳", "县业州镇党委委员、副镇长", "任", "2011-07-15")]) \
        == [("范琳", "未列入领导名单")]
    # an internal office's head is not one of the unit's leaders
    assert outdated([("李四", "局长")], [notice("钱七", "县教育局办公室主任", "任", "2011-07-15"),
                                        notice("孙八", "县教育局派驻纪检监察组组长", "免", "2011-07-15")]) == []


def test_removal_ends_the_post_however_its_body_is_named():
    notices = [notice("王五", "鹤峰县林业局副局长", "任", "2010-03-01"), notice("王五", "县林业局副局长", "免", "2011-03-01")]
    assert outdated([("李四", "局长")], notices) == []


def test_appointments_to_other_bodies_name_no_leader_of_the_unit():
    snap = snapshot(name="鹤峰县人民政府", leaders=[leader("李四", None, "县长")], appointments=[
        notice("王五", "县教育局局长", "任", "2011-07-15"), notice("赵六", "鹤峰县人民政府副县长", "任", "2011-07-15")])
    assert [f.subject for f in leader_info.audit(snap, CONFIG, AS_OF)] == ["赵六"]
    snap = snapshot(name="容美镇", leaders=[leader("李四", None, "镇长")], appointments=[
        notice("魏波", "鹤峰县容美镇人民政府副镇长", "任", "2011-07-15"), notice("钱七", "县民政局副局长", "任", "2011-07-15")])
    assert [f.subject for f in leader_info.audit(snap, CONFIG, AS_OF)] == ["魏波"]


def test_a_whole_post_is_never_cut_where_a_body_could_end():
    from audits.leader_info import post_title
    assert [post_title(p) for p in ("党委书记", "县委书记", "镇党委书记", "官店镇党委书记", "县教育局局长")] == [
        "党委书记", "书记", "党委书记", "党委书记", "局长"]   # 县委 is a body
    assert outdated([("李四", "镇长")], [notice("杜辉刚", "党委书记", "任", "2011-07-15")]) == [("杜辉刚", "未列入领导名单")]
