"""leader_photo_missing, leader_photo_broken and leader_photo_low_quality.

Low quality is one finding per leader, for the first of these reasons that applies:
below photo_min_width x photo_min_height (exactly at the minimum passes), a
placeholder (the same picture shown for two or more different people: see
audits/placeholders.py; or a file named as a CMS names its stand-in, default.jpg,
nopic.gif), or blurred (sharpness below photo_min_sharpness; see
crawler/config.py for how that threshold was calibrated). Placeholders are looked
for within the unit here, and across the whole run by `cross_unit_placeholders`
(a default avatar a unit uses only once is still a placeholder when other units
use it too).

Blur thresholds (THRESHOLD_DEFAULTS in crawler/config.py), calibrated with
crawler.extract.media.measure_image on the sandbox's pictures (sandbox/media.py,
8 seeds x 6 sizes from 150x200 to 480x640 for photos, 6 seeds x 6 sizes from
300x400 to 1600x1200 for flowcharts): good photos measured >= 7,500 and blurred
ones (upscaled from 30x40) <= 93, so photo_min_sharpness = 300 leaves a factor of
3 above the blurred and 25 below the good; sharp flowcharts >= 603 and blurred
ones (upscaled 8x) <= 44, so flowchart_min_sharpness = 160 leaves ~4 either way.
tests/test_audit_calibration.py re-checks this on freshly generated images.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from audits.common import (UNJUDGED_ERRORS, blur, content_was_read, describe_error, finding, image_failure,
                           person_name, role_column_name, thresholds)
from audits.finding import Finding
from audits.placeholders import shared_pictures
from crawler.config import Config


def audit(snapshot: dict, config: Config, as_of: date,
          placeholders: frozenset[str] | None = None) -> Iterator[Finding]:
    """`placeholders`: photo URLs known to show different people one picture (default: judged within this unit)."""
    limits = thresholds(snapshot, config)
    column = role_column_name(config, "leaders")
    if placeholders is None:
        placeholders = shared_pictures(named_photos(snapshot), int(limits["placeholder_max_distance"]))
    seen: set[str] = set()
    for leader in snapshot["leaders"]:
        name = person_name(leader.get("name"))
        if not name or name in seen:
            continue
        seen.add(name)
        photo = leader.get("photo")
        if photo is None:
            yield finding(snapshot, "leader_photo_missing", f"领导{name}没有照片，请补充上传本人照片。",
                          column=column, subject=name, url=leader.get("page_url") or "",
                          observed="无照片", expected="本人照片")
        elif photo.get("error") in UNJUDGED_ERRORS:
            continue
        elif failure := image_failure(photo):
            yield finding(snapshot, "leader_photo_broken",
                          f"领导{name}的照片无法打开（{describe_error(failure)}：{photo.get('url', '')}），请重新上传本人照片。",
                          column=column, subject=name, url=leader.get("page_url") or "",
                          observed=failure, expected="可打开的图片")
        else:
            yield from low_quality(snapshot, column, name, leader, photo, limits, placeholders)


def named_photos(snapshot: dict) -> list[tuple[str, dict]]:
    """(name, photo) of the leaders whose photo could be read."""
    return [(person_name(l.get("name")), l["photo"]) for l in snapshot["leaders"]
            if l.get("photo") and not image_failure(l["photo"]) and l["photo"].get("url")]


def low_quality(snapshot: dict, column: str, name: str, leader: dict, photo: dict,
                limits: dict[str, float], placeholders: frozenset[str]) -> Iterator[Finding]:
    min_w, min_h = int(limits["photo_min_width"]), int(limits["photo_min_height"])
    width, height = photo.get("width") or 0, photo.get("height") or 0
    blurred = blur(photo, limits["photo_min_sharpness"])
    if width < min_w or height < min_h:
        reason, observed, expected = "分辨率过低", f"{width}x{height}", f">= {min_w}x{min_h}"
    elif photo.get("url") in placeholders or is_placeholder_name(photo.get("url") or ""):
        reason, observed, expected = "为多人共用的默认头像", "默认头像", "本人照片"
    elif blurred:
        reason, (observed, expected) = "模糊不清", blurred
    else:
        return
    yield finding(snapshot, "leader_photo_low_quality",
                  f"领导{name}的照片{reason}，请更换清晰的本人照片。",
                  column=column, subject=name, url=leader.get("page_url") or "",
                  observed=observed, expected=expected)


# File names a CMS gives its stand-in picture (默认头像, 暂无图片): a placeholder even when shown
# for one leader only, where no second person reveals it.
PLACEHOLDER_NAME = re.compile(r"(?:^|[_\-.])(?:default|nopic|nophoto|noimg|noimage|no[_-](?:pic|photo|img|image)|"
                              r"zanwu|zwtp|placeholder|moren)(?:[_\-.\d]|$)", re.I)


def is_placeholder_name(url: str) -> bool:
    stem = url.split("?")[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return bool(PLACEHOLDER_NAME.search(stem))


def cross_unit_placeholders(snapshots: list[dict], config: Config) -> frozenset[str]:
    """Photo URLs whose picture different people share anywhere in the run (readable content only)."""
    photos = [photo for s in snapshots if content_was_read(s) for photo in named_photos(s)]
    return shared_pictures(photos, int(config.thresholds["placeholder_max_distance"]))
