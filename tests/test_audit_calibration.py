"""The blur thresholds and the placeholder test, re-checked on the sandbox's generated pictures.

Measured with the spider's own measure_image, as the snapshots are; see
audits/leader_photos.py and audits/placeholders.py for the figures behind them.
"""
import itertools

import pytest

from audits.placeholders import same_picture
from crawler.config import THRESHOLD_DEFAULTS
from crawler.extract.media import measure_image
from sandbox import media

PHOTO_SIZES = ((150, 200), (200, 267), (300, 400), (480, 640))
CHART_SIZES = ((800, 600), (1000, 750), (820, 1100), (1600, 1200))
SEEDS = range(4)
MARGIN = 2.0   # each side of a threshold must be at least this factor away


def sharpness_of(picture: tuple[bytes, str]) -> float:
    return measure_image(picture[0])["sharpness"]


PICTURES = [("photo_min_sharpness", media.photo_bytes, "good", "blurred", size) for size in PHOTO_SIZES] + \
           [("flowchart_min_sharpness", media.flowchart_bytes, "image_sharp", "image_blurred", size)
            for size in CHART_SIZES]


@pytest.mark.parametrize("threshold_key, draw, sharp_kind, blurred_kind, size", PICTURES)
def test_threshold_separates_sharp_from_blurred(threshold_key, draw, sharp_kind, blurred_kind, size):
    threshold = THRESHOLD_DEFAULTS[threshold_key]
    sharp = [sharpness_of(draw(sharp_kind, *size, seed)) for seed in SEEDS]
    blurred = [sharpness_of(draw(blurred_kind, *size, seed)) for seed in SEEDS]
    assert min(sharp) > threshold * MARGIN
    assert max(blurred) * MARGIN < threshold


def photo(kind, size, seed):
    return measure_image(media.photo_bytes(kind, *size, seed)[0])


def test_placeholder_copies_at_any_size_are_the_same_picture():
    distance = int(THRESHOLD_DEFAULTS["placeholder_max_distance"])
    avatars = [photo("placeholder", size, 0) for size in ((180, 240), (150, 200), (300, 400), (120, 160))]
    assert all(same_picture(a, b, distance) for a, b in itertools.combinations(avatars, 2))


def test_portraits_of_different_people_are_not_the_same_picture():
    distance = int(THRESHOLD_DEFAULTS["placeholder_max_distance"])
    portraits = [(seed, photo("good", size, seed)) for size in PHOTO_SIZES[1:3] for seed in range(15)]
    pairs = [(a, b) for (i, a), (j, b) in itertools.combinations(portraits, 2) if i != j]
    # the hash alone would confuse some of them: the thumbnails must tell them apart
    assert any((int(a["phash"], 16) ^ int(b["phash"], 16)).bit_count() <= distance for a, b in pairs)
    assert not any(same_picture(a, b, distance) for a, b in pairs)
