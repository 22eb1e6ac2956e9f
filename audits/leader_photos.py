"""leader_photo_missing, leader_photo_broken and leader_photo_low_quality.

Low quality is one finding per leader, for the first of these reasons that applies:
below photo_min_width x photo_min_height (exactly at the minimum passes), a
placeholder (the same picture, by perceptual hash, shown for two or more different
people), or blurred (sharpness below photo_min_sharpness; see crawler/config.py for
how that threshold was calibrated). Placeholders are looked for within the unit here,
and across the whole run by `cross_unit_placeholders` (a default avatar a unit uses
only once is still a placeholder when other units use it too).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from audits.common import content_was_read, finding, role_column_name, thresholds
from audits.finding import Finding
from crawler.config import Config


def person_name(leader: dict) -> str:
    """Names are often padded to a fixed width with (full-width) spaces: 张　三."""
    return "".join(str(leader.get("name") or "").split())


def audit(snapshot: dict, config: Config, as_of: date,
          placeholders: frozenset[str] | None = None) -> Iterator[Finding]:
    """`placeholders`: phashes known to be shared by different people (default: within this unit)."""
    limits = thresholds(snapshot, config)
    column = role_column_name(config, "leaders")
    if placeholders is None:
        placeholders = placeholder_hashes(
            [(person_name(l), l["photo"]["phash"]) for l in photos_of(snapshot)],
            int(limits["placeholder_max_distance"]))
    seen: set[str] = set()
    for leader in snapshot["leaders"]:
        name = person_name(leader)
        if not name or name in seen:
            continue
        seen.add(name)
        photo = leader.get("photo")
        if photo is None:
            yield finding(snapshot, "leader_photo_missing", f"领导{name}没有照片，请补充上传本人照片。",
                          column=column, subject=name, url=leader.get("page_url") or "",
                          observed="无照片", expected="本人照片")
        elif is_broken(photo):
            yield broken(snapshot, column, name, leader, photo)
        else:
            yield from low_quality(snapshot, column, name, leader, photo, limits, placeholders)


def photos_of(snapshot: dict) -> list[dict]:
    """Leaders with a readable photo that has a perceptual hash."""
    return [l for l in snapshot["leaders"]
            if l.get("photo") and not is_broken(l["photo"]) and l["photo"].get("phash")]


def is_broken(image: dict) -> bool:
    return bool(image.get("error")) or image.get("status") != 200 or not image.get("width")


def broken(snapshot: dict, column: str, name: str, leader: dict, photo: dict) -> Finding:
    observed = photo.get("error") or f"HTTP {photo.get('status')}"
    return finding(snapshot, "leader_photo_broken",
                   f"领导{name}的照片无法打开（{observed}：{photo.get('url', '')}），请重新上传本人照片。",
                   column=column, subject=name, url=leader.get("page_url") or "",
                   observed=observed, expected="可打开的图片")


def low_quality(snapshot: dict, column: str, name: str, leader: dict, photo: dict,
                limits: dict[str, float], placeholders: frozenset[str]) -> Iterator[Finding]:
    min_w, min_h = int(limits["photo_min_width"]), int(limits["photo_min_height"])
    min_sharpness = limits["photo_min_sharpness"]
    width, height = photo.get("width") or 0, photo.get("height") or 0
    if width < min_w or height < min_h:
        reason, observed, expected = "分辨率过低", f"{width}x{height}", f">= {min_w}x{min_h}"
    elif photo.get("phash") in placeholders:
        reason, observed, expected = "为多人共用的默认头像", "默认头像", "本人照片"
    elif min_sharpness > 0 and (photo.get("sharpness") or 0.0) < min_sharpness:
        reason = "模糊不清"
        observed, expected = f"清晰度{photo.get('sharpness') or 0:.1f}", f">= {min_sharpness:g}"
    else:
        return
    yield finding(snapshot, "leader_photo_low_quality",
                  f"领导{name}的照片{reason}，请更换清晰的本人照片。",
                  column=column, subject=name, url=leader.get("page_url") or "",
                  observed=observed, expected=expected)


def cross_unit_placeholders(snapshots: list[dict], config: Config) -> frozenset[str]:
    """Phashes that different people share anywhere in the run (only readable content counts)."""
    people = [(person_name(l), l["photo"]["phash"])
              for s in snapshots if content_was_read(s) for l in photos_of(s)]
    return placeholder_hashes(people, int(config.thresholds["placeholder_max_distance"]))


def placeholder_hashes(people: Iterable[tuple[str, str]], max_distance: int) -> frozenset[str]:
    """Hashes within max_distance bits of a hash shown for a different person.

    Pigeonhole indexing keeps this near-linear for a province's thousands of
    leaders: two 64-bit hashes within d bits agree exactly on one of any d+1
    blocks, so only hashes sharing a block are compared.
    """
    people = [(name, h, int(h, 16)) for name, h in people if is_hex(h)]
    bits = 4 * max((len(h) for _, h, _ in people), default=0)
    buckets: dict[tuple[int, int], list[int]] = {}
    for index, (_, _, value) in enumerate(people):
        for block, part in enumerate(hash_blocks(value, max_distance + 1, bits)):
            buckets.setdefault((block, part), []).append(index)
    shared: set[str] = set()
    for bucket in buckets.values():
        for i in bucket:
            name, h, value = people[i]
            if h in shared:
                continue
            if any(people[j][0] != name and (value ^ people[j][2]).bit_count() <= max_distance
                   for j in bucket):
                shared.add(h)
    return frozenset(shared)


def hash_blocks(value: int, blocks: int, bits: int) -> list[int]:
    width = -(-bits // blocks)
    return [(value >> (block * width)) & ((1 << width) - 1) for block in range(blocks)]


def is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except (TypeError, ValueError):
        return False
    return True
