"""Placeholder photos: the same picture shown for two or more different people.

"The same picture" is judged in two steps. The perceptual hash (within
placeholder_max_distance bits) finds candidates, but it only keeps the layout of
a grey image: different head-and-shoulders portraits often hash alike (among the
sandbox's generated portraits of different people, 5 pairs in 7,000 hashed
identically and 800 within 4 bits). So candidates are confirmed on their colour
thumbnails: shrunk to THUMB_SIDE px square, copies of one picture at any size
differ by at most ~1.1 grey levels on average, different portraits by 6.3 or
more (measured on the sandbox's photos at 200x267, 240x320 and 300x400 and its
placeholder avatar at four sizes); SAME_PICTURE_MAX_DIFF sits between.
Photos at the same URL are the same picture whatever their hashes say.
"""
from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from PIL import Image

THUMB_SIDE = 16
SAME_PICTURE_MAX_DIFF = 3.0


def shared_pictures(photos: Iterable[tuple[str, dict]], max_distance: int) -> frozenset[str]:
    """URLs of the photos whose picture is shown for a different person too.

    `photos`: (person's name, IMAGE of crawler/snapshot.py). Every pair is
    compared (the rule of same_picture), one photo against all later ones at a
    time in numpy, each thumbnail decoded once: a province's seven thousand photos
    take about a second. (An index on blocks of the hash was near-linear only in
    theory: portraits hash alike, and most of a province's photos shared one
    bucket, which took the audit of 1,365 units over five minutes.)
    """
    people_by_url: dict[str, set[str]] = {}
    image_by_url: dict[str, dict] = {}
    for name, image in photos:
        people_by_url.setdefault(image["url"], set()).add(name)
        image_by_url[image["url"]] = image
    shared = {url for url, people in people_by_url.items() if len(people) > 1}
    urls = [url for url, image in image_by_url.items() if hash_value(image.get("phash")) is not None]
    if len(urls) < 2:
        return frozenset(shared)
    hashes = np.array([hash_value(image_by_url[url]["phash"]) for url in urls], dtype=np.uint64)
    groups: dict[frozenset, int] = {}
    people = np.array([groups.setdefault(frozenset(people_by_url[url]), len(groups)) for url in urls])
    pixels = [thumbnail_pixels(image_by_url[url].get("thumbnail")) for url in urls]
    has_thumb = np.array([p is not None for p in pixels])
    blank = np.zeros((THUMB_SIDE, THUMB_SIDE, 3), dtype=np.float32)
    thumbs = np.stack([blank if p is None else p for p in pixels])
    for i in range(len(urls) - 1):
        later = slice(i + 1, None)
        close = (np.bitwise_count(hashes[later] ^ hashes[i]) <= max_distance) & (people[later] != people[i])
        others = np.flatnonzero(close) + i + 1
        if not others.size:
            continue
        same = ~has_thumb[others]                # nothing to confirm with: the hash decides
        if has_thumb[i]:
            same |= np.abs(thumbs[others] - thumbs[i]).mean(axis=(1, 2, 3)) <= SAME_PICTURE_MAX_DIFF
        else:
            same[:] = True
        if same.any():
            shared.add(urls[i])
            shared.update(urls[j] for j in others[same])
    return frozenset(shared)


def same_picture(a: dict, b: dict, max_distance: int) -> bool:
    if (hash_value(a["phash"]) ^ hash_value(b["phash"])).bit_count() > max_distance:
        return False
    thumb_a, thumb_b = thumbnail_pixels(a.get("thumbnail")), thumbnail_pixels(b.get("thumbnail"))
    if thumb_a is None or thumb_b is None:   # nothing to confirm with: the hash decides
        return True
    return float(np.abs(thumb_a - thumb_b).mean()) <= SAME_PICTURE_MAX_DIFF


@lru_cache(maxsize=4096)
def thumbnail_pixels(data_uri: str | None) -> np.ndarray | None:
    """The thumbnail's RGB pixels at THUMB_SIDE x THUMB_SIDE, None if absent or unreadable."""
    if not data_uri or "," not in data_uri:
        return None
    try:
        with Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1], validate=True))) as image:
            small = image.convert("RGB").resize((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BILINEAR)
    except (OSError, ValueError, binascii.Error, Image.DecompressionBombError):
        return None
    return np.asarray(small, dtype=np.float32)


def hash_value(phash: str | None) -> int | None:
    """The 64-bit perceptual hash of a hex string (imagehash's default size), None if it is not one."""
    try:
        value = int(phash, 16)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < 1 << 64 else None
