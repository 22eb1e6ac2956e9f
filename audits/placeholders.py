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

    `photos`: (person's name, IMAGE of crawler/snapshot.py). Pigeonhole indexing
    keeps this near-linear for a province's thousands of leaders: two hashes
    within d bits agree exactly on one of any d+1 blocks of their bits, so only
    hashes sharing a block are compared.
    """
    people_by_url: dict[str, set[str]] = {}
    image_by_url: dict[str, dict] = {}
    for name, image in photos:
        people_by_url.setdefault(image["url"], set()).add(name)
        image_by_url[image["url"]] = image
    shared = {url for url, people in people_by_url.items() if len(people) > 1}
    hashes = {url: value for url, image in image_by_url.items()
              if (value := hash_value(image.get("phash"))) is not None}
    bits = 4 * max((len(image_by_url[url]["phash"]) for url in hashes), default=0)
    buckets: dict[tuple[int, int], list[str]] = {}
    for url, value in hashes.items():
        for block, part in enumerate(hash_blocks(value, max_distance + 1, bits)):
            buckets.setdefault((block, part), []).append(url)
    for bucket in buckets.values():
        for i, url in enumerate(bucket):
            for other in bucket[i + 1:]:
                if (hashes[url] ^ hashes[other]).bit_count() <= max_distance \
                        and people_by_url[url] != people_by_url[other] \
                        and same_picture(image_by_url[url], image_by_url[other], max_distance):
                    shared.update((url, other))
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
    try:
        return int(phash, 16)
    except (TypeError, ValueError):
        return None


def hash_blocks(value: int, blocks: int, bits: int) -> list[int]:
    width = -(-bits // blocks)
    return [(value >> (block * width)) & ((1 << width) - 1) for block in range(blocks)]
