"""appointments: several people after one verb, headings with their list on the same line."""
from crawler.extract.appointments import Appointment, parse_appointments


def test_several_people_after_one_verb():
    text = "经研究决定：任命张伟为县林业局副局长，李娜为县林业局总工程师；免去王强的县林业局副局长职务，刘洋的县林业局总工程师职务。"
    assert parse_appointments("关于张伟等同志职务任免的通知", text) == [
        Appointment("张伟", "县林业局副局长", "任"), Appointment("李娜", "县林业局总工程师", "任"),
        Appointment("王强", "县林业局副局长", "免"), Appointment("刘洋", "县林业局总工程师", "免")]


def test_a_continued_clause_must_name_a_post_and_stops_at_the_full_stop():
    assert parse_appointments("", "任命张伟为县林业局副局长，任期为三年。李娜为人民服务多年") == [
        Appointment("张伟", "县林业局副局长", "任")]


def test_heading_with_its_list_on_the_same_line():
    text = "决定任命：张伟为副局长；李娜为总工程师。决定免去：王强的副局长职务。"
    assert parse_appointments("", text) == [Appointment("张伟", "副局长", "任"), Appointment("李娜", "总工程师", "任"),
                                            Appointment("王强", "副局长", "免")]


def test_notice_titles():
    from crawler.extract.appointments import is_appointment_notice
    assert is_appointment_notice("关于范琳、贾勇同志职务任免的通知") and is_appointment_notice("关于魏波同志任职的通知")
    assert is_appointment_notice("关于杨霞同志免职的通知")
    assert not is_appointment_notice("关于开展安全生产大检查的通知") and not is_appointment_notice("")
