"""leader_photo_missing / _broken / _low_quality on hand-made leader lists."""
import random

from audits import leader_photos
from audits.placeholders import same_picture, shared_pictures
from tests.audit_fixtures import AS_OF, image, leader, make_config, snapshot, thumbnail

CONFIG = make_config(photo_min_sharpness=50.0)


def findings(*leaders, config=CONFIG):
    return [(f.check, f.subject, f.observed) for f in
            leader_photos.audit(snapshot(leaders=list(leaders)), config, AS_OF)]


def distinct_hash(i: int) -> str:
    """Hashes far apart from each other (each differs from the others in 16+ bits)."""
    return f"{(0xFFFF << (16 * (i % 4))) ^ (i * 0x0101010101010101):016x}"


def test_good_photos_give_nothing():
    assert findings(leader("张三", image(phash=distinct_hash(0))),
                    leader("李四", image(phash=distinct_hash(1)))) == []


def test_leader_list_with_no_photos_at_all():
    assert findings(leader("张三", None), leader("李四", None)) == [
        ("leader_photo_missing", "张三", "无照片"), ("leader_photo_missing", "李四", "无照片")]


def test_broken_photos_by_error_and_by_status():
    got = findings(leader("张三", image(status=404, error="http_404", width=None, height=None)),
                   leader("李四", image(error="not_image", content_type="text/html", width=None)),
                   leader("王五", image(error="truncated")),
                   leader("赵六", image(error="too_large")))
    assert got == [("leader_photo_broken", "张三", "http_404"), ("leader_photo_broken", "李四", "not_image"),
                   ("leader_photo_broken", "王五", "truncated"), ("leader_photo_broken", "赵六", "too_large")]


def test_photo_the_crawl_never_fetched_is_not_judged():
    assert findings(leader("张三", image(status=None, error="not_fetched", width=None))) == []


def test_photo_exactly_at_the_minimum_passes_one_pixel_less_fails():
    assert findings(leader("张三", image(150, 200))) == []
    assert findings(leader("张三", image(149, 200))) == [("leader_photo_low_quality", "张三", "149x200")]
    assert findings(leader("张三", image(150, 199))) == [("leader_photo_low_quality", "张三", "150x199")]


def test_placeholder_shared_by_two_people_within_the_hash_distance():
    avatar = "ffff0000ffff0000"
    near = "ffff0000ffff00ff"   # 8 bits away: the same picture resized
    got = findings(leader("张三", image(phash=avatar)), leader("李四", image(phash=near)),
                   leader("王五", image(phash=distinct_hash(2))))
    assert got == [("leader_photo_low_quality", "张三", "默认头像"), ("leader_photo_low_quality", "李四", "默认头像")]


def test_one_photo_url_for_two_people_is_a_placeholder_whatever_its_hash():
    got = findings(leader("张三", image(url="http://x/default.jpg", phash=None)),
                   leader("李四", image(url="http://x/default.jpg", phash=None)))
    assert [check for check, _, _ in got] == ["leader_photo_low_quality"] * 2


def test_alike_hashes_with_different_thumbnails_are_different_people():
    got = findings(leader("张三", image(phash="ffff0000ffff0000", thumbnail=thumbnail((30, 60, 160)))),
                   leader("李四", image(phash="ffff0000ffff0000", thumbnail=thumbnail((150, 40, 40)))),
                   leader("王五", image(phash="ffff0000ffff0001", thumbnail=thumbnail((32, 61, 158)))))
    assert got == [("leader_photo_low_quality", "张三", "默认头像"), ("leader_photo_low_quality", "王五", "默认头像")]


def test_same_person_listed_twice_is_not_a_placeholder():
    photo = image(phash="ffff0000ffff0000")
    assert findings(leader("张三", photo), leader("张　三", photo)) == []


def test_hashes_just_beyond_the_distance_are_different_pictures():
    assert findings(leader("张三", image(phash="ffff0000ffff0000")),
                    leader("李四", image(phash="ffff0000ffff01ff"))) == []   # 9 bits apart


def test_blurred_photo_below_the_calibrated_sharpness():
    assert findings(leader("张三", image(sharpness=12.5))) == [("leader_photo_low_quality", "张三", "清晰度12.5")]
    assert findings(leader("张三", image(sharpness=12.5)), config=make_config(photo_min_sharpness=0)) == []


def test_one_low_quality_finding_per_leader_even_with_several_reasons():
    assert findings(leader("张三", image(100, 100, sharpness=1.0))) == [
        ("leader_photo_low_quality", "张三", "100x100")]


def test_cross_unit_placeholder_is_found_by_the_run():
    avatar = "0f0f0f0f0f0f0f0f"
    units = [snapshot("guoshui", "国税局", leaders=[leader("张三", image(phash=avatar))]),
             snapshot("lyj", "林业局", leaders=[leader("李四", image(phash=avatar))])]
    assert list(leader_photos.audit(units[0], CONFIG, AS_OF)) == []
    shared = leader_photos.cross_unit_placeholders(units, CONFIG)
    assert shared == {units[0]["leaders"][0]["photo"]["url"], units[1]["leaders"][0]["photo"]["url"]}
    (finding,) = leader_photos.audit(units[0], CONFIG, AS_OF, shared)
    assert (finding.unit_id, finding.subject, finding.column) == ("guoshui", "张三", "领导信息")


def test_shared_pictures_agree_with_the_pairwise_rule():
    """The vectorised search finds exactly the pairs same_picture accepts, people apart, thumbnails or not."""
    rng = random.Random(7)
    base = [rng.getrandbits(64) for _ in range(30)]
    colours = [thumbnail((30, 60, 160)), thumbnail((150, 40, 40)), thumbnail((32, 61, 158)), ""]

    def noise() -> int:   # 0 to 12 flipped bits: some copies within the distance, some beyond
        return sum({1 << rng.randrange(64) for _ in range(rng.randrange(13))})
    photos = [(f"p{i % 40}", image(phash=f"{b ^ noise():016x}", thumbnail=rng.choice(colours)))
              for i, b in enumerate(base * 3)]
    brute = {a["url"] for n, a in photos for m, b in photos if n != m and same_picture(a, b, 8)}
    assert 0 < len(brute) < len(photos)
    assert shared_pictures(photos, 8) == brute


def test_a_hash_that_is_not_64_bits_is_left_out():
    photos = [("张三", image(phash="f" * 17)), ("李四", image(phash="f" * 17)), ("王五", image(phash="zz"))]
    assert shared_pictures(photos, 8) == frozenset()


def test_a_stand_in_picture_named_so_is_a_placeholder_even_for_one_leader():
    assert findings(leader("张三", image(url="http://x/images/default_photo.jpg", phash=distinct_hash(0))),
                    leader("李四", image(url="http://x/up/nopic.gif", phash=distinct_hash(1))),
                    leader("王五", image(url="http://x/up/W0201_default2.png", phash=distinct_hash(2))),
                    leader("赵六", image(url="http://x/up/defaultdirector.jpg", phash=distinct_hash(3)))) == [
        ("leader_photo_low_quality", "张三", "默认头像"), ("leader_photo_low_quality", "李四", "默认头像"),
        ("leader_photo_low_quality", "王五", "默认头像")]
