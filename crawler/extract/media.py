"""Measurements of an image (leader photo, flowchart) and file signatures of attachments.

`measure_image` never decodes an image whose header declares more than
`max_pixels` (decompression bombs declare huge sizes in a few bytes). Sharpness
is the variance of the Laplacian of a grey copy at the image's own resolution
(only images wider than SHARPNESS_MAX_WIDTH are scaled down, to bound the work):
a low-res picture upscaled to a good size has soft edges at the size it is shown,
which scaling it down first would hide (a 1000 px flowchart upscaled 8x scored
like a sharp one at 256 px wide). Typical figures: upscaled / blurred < 100,
drawn flowcharts ~1000+, photos with real detail several thousand.

Each measured image also keeps a `preview` (`preview_uri`): the evidence a person opens large in
report.html. At most PREVIEW_MAX_SIDE on its longer side, only ever scaled down (a small
flowchart keeps its own size) with a filter that cannot sharpen (bilinear: no overshoot at
edges), so a chart measured as blurred still looks blurred: on the sandbox's charts the
sharpness of the decoded preview stays on the same side of the thresholds as the original's
(blurred 11-17 -> 41-50, sharp 790-1640 -> 960-1140; flowchart_min_sharpness 160).
"""
from __future__ import annotations

import base64
import io
import warnings

import imagehash
import numpy as np
from PIL import Image, UnidentifiedImageError

SHARPNESS_MAX_WIDTH = 1024
THUMBNAIL_SIZE = 96
# The large view of report.html: long enough to read a flowchart's boxes at a desk (the audits'
# flowchart_min_long_side is 800 too), small enough to embed hundreds in one file.
PREVIEW_MAX_SIDE = 800
# WebP (every browser since 2020 reads it): a sandbox flowchart at 800 px is ~9 KB against ~37 KB
# as JPEG of the same quality (sharp edges and flat colours are what WebP's lossless-like modes
# keep), a 300x400 portrait ~35 KB; 75 leaves no visible ringing around text at that size.
PREVIEW_FORMAT, PREVIEW_QUALITY = "WEBP", 75

_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),      # .doc .xls .ppt .wps .et
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),     # .docx .xlsx .zip (empty zip too)
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"Rar!\x1a\x07", "rar"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<meta", b"<title",
                b"<div", b"<p>", b"<!--")


def sniff_signature(head: bytes) -> str | None:
    """The file type its first bytes announce, or None."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML_STARTS) or b"<html" in start:
        return "html"
    return None


# Pictures larger than this on their longer side are measured on a reduced copy (JPEG decoded at
# 1/2 … 1/8 scale, others reduced right after decoding): sharpness is read at SHARPNESS_MAX_WIDTH and
# thumbnails are small, so the full size only costs memory (a 6000x6000 PNG: 600 MB).
MEASURE_MAX_SIDE = 2048


def measure_image(body: bytes, max_pixels: int = 40_000_000) -> dict:
    """format, width, height, sharpness, phash, thumbnail, preview and error of an image's bytes."""
    facts = {"format": None, "width": None, "height": None, "sharpness": None, "phash": None,
             "thumbnail": None, "preview": None, "error": None}
    try:
        image = Image.open(io.BytesIO(body))         # lazy: reads the header only
    except Image.DecompressionBombError:             # Pillow refuses even to open it (> 2x its limit)
        return {**facts, "error": "too_large"}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return {**facts, "error": "not_image"}
    facts.update(format=image.format, width=image.width, height=image.height)
    if image.width * image.height > max_pixels:
        return {**facts, "error": "too_large"}
    factor = -(-max(image.width, image.height) // MEASURE_MAX_SIDE)     # ceil: 1 for ordinary pictures
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if factor > 1 and image.format == "JPEG":
                image.draft(image.mode, (image.width // factor, image.height // factor))  # decoded small
            image.load()
            if factor > 1:
                image = image.reduce(max(1, -(-max(image.size) // MEASURE_MAX_SIDE)))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return {**facts, "error": "too_large"}
    except (OSError, SyntaxError, ValueError, EOFError):
        return {**facts, "error": "truncated"}
    rgb = _flatten(image)
    return {**facts, "sharpness": round(sharpness(rgb), 2), "phash": str(imagehash.phash(rgb)),
            "thumbnail": thumbnail_uri(rgb), "preview": preview_uri(rgb)}


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent PNG/GIF flowcharts would otherwise turn black)."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def sharpness(image: Image.Image) -> float:
    """Variance of the 4-neighbour Laplacian of a grey copy, never upscaled, at most SHARPNESS_MAX_WIDTH wide."""
    width = max(3, min(image.width, SHARPNESS_MAX_WIDTH))
    height = max(3, round(image.height * width / max(image.width, 1)))
    grey = np.asarray(image.convert("L").resize((width, height), Image.BILINEAR), dtype=np.float32)
    laplacian = (grey[1:-1, :-2] + grey[1:-1, 2:] + grey[:-2, 1:-1] + grey[2:, 1:-1]
                 - 4 * grey[1:-1, 1:-1])
    return float(laplacian.var())


def thumbnail_uri(image: Image.Image) -> str:
    """A JPEG data: URI at most THUMBNAIL_SIZE pixels on its longer side."""
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def preview_uri(image: Image.Image) -> str:
    """A WebP data: URI of the picture, scaled down to PREVIEW_MAX_SIDE if it is larger (never up)."""
    large = image.copy()
    if max(large.size) > PREVIEW_MAX_SIDE:
        large.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=None)
    buffer = io.BytesIO()
    # WebP's fastest method: 2.5x quicker than its default for a ~2x larger file (9 KB for an 800 px
    # chart, against 59 KB as JPEG); every judged picture of a crawl is encoded once
    large.save(buffer, PREVIEW_FORMAT, quality=PREVIEW_QUALITY, method=0)
    return f"data:image/{PREVIEW_FORMAT.lower()};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
