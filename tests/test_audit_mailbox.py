"""mailbox_backlog: one finding per old letter not accepted or not answered."""
from audits import mailbox
from tests.audit_fixtures import AS_OF, make_config, snapshot

CONFIG = make_config()


def letter(title, received, status, answered=None):
    return {"title": title, "url": f"http://x/xf/{title}.html", "received": received,
            "status": status, "answered": answered}


def backlog(*letters, config=CONFIG):
    snap = snapshot(mailbox={"url": "http://x/xf/", "letters": list(letters)})
    return [(f.subject, f.observed, f.expected) for f in mailbox.audit(snap, config, AS_OF)]


def test_old_unaccepted_and_accepted_unanswered_letters():
    assert backlog(letter("修路", "2011-06-03", "未受理"),
                   letter("低保", "2011-06-20", "已受理"),
                   letter("林权", "2011-06-20", "已受理", "2011-07-01"),
                   letter("医保", "2011-05-20", "已办结", "2011-06-01")) == [
        ("修路", "2011-06-03", ">= 2011-07-02 或已办理"), ("低保", "2011-06-20", ">= 2011-07-02 或已办理")]


def test_letters_inside_the_limit_are_not_backlog():
    assert backlog(letter("修路", "2011-07-02", "未受理"), letter("新信", "2011-09-29", "未受理")) == []
    assert backlog(letter("修路", "2011-07-01", "未受理")) == [("修路", "2011-07-01", ">= 2011-07-02 或已办理")]


def test_letters_with_the_same_title_each_count():
    snap = snapshot(mailbox={"url": "http://x/xf/", "letters": [
        {**letter("咨询", "2011-06-01", "未受理"), "url": "http://x/xf/1.html"},
        {**letter("咨询", "2011-06-02", "未受理"), "url": "http://x/xf/2.html"}]})
    assert len(list(mailbox.audit(snap, CONFIG, AS_OF))) == 2


def test_unit_without_a_mailbox_and_undated_letters():
    assert list(mailbox.audit(snapshot(), CONFIG, AS_OF)) == []
    assert backlog(letter("无日期", None, "未受理")) == []


def test_shorter_limit_from_config():
    assert backlog(letter("修路", "2011-09-01", "未受理"), config=make_config(mailbox_backlog_days=14)) == [
        ("修路", "2011-09-01", ">= 2011-09-16 或已办理")]
