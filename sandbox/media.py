"""The sandbox's media: leader photos, flowchart images and attachments.

Everything is drawn with Pillow from the model's seeds, so the same Photo or
Flowchart always gives the same bytes (on one machine: flowchart text depends on
which CJK font is installed). Sizes are exactly what the model says, because the
manifest reports them. Results are cached: a site serves the same photo often.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

JPEG = "image/jpeg"
PNG = "image/png"

# Drawn this small, then upscaled: right size, no detail (the "blurred" kinds).
BLUR_SOURCE_SIZE = (30, 40)
# The decompression bomb declares this size unless the model gives a bigger one.
BOMB_SIZE = (30000, 30000)

ATTACHMENT_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "rar": "application/x-rar-compressed",
}

CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

FLOW_STEPS = ("提出申请", "窗口受理", "材料审查", "现场核查", "审批决定", "送达办结")


# ---------------------------------------------------------------- photos

def photo_bytes(kind: str, width: int, height: int, seed: int) -> tuple[bytes, str]:
    """The served bytes and content type of a leader photo of `kind`.

    Kinds without an image of their own (none, broken_404, html) are the
    renderer's business and raise ValueError here.
    """
    if kind in ("good", "tiny"):
        return _jpeg(_portrait(width, height, seed)), JPEG
    if kind == "blurred":
        return _jpeg(_upscaled(_portrait(*BLUR_SOURCE_SIZE, seed), width, height)), JPEG
    if kind == "placeholder":
        return placeholder_avatar(width, height), JPEG
    if kind == "truncated":
        whole = _jpeg(_portrait(width, height, seed))
        return whole[: len(whole) // 2], JPEG
    if kind == "bomb":
        return bomb_png(width, height), PNG
    raise ValueError(f"photo kind {kind!r} has no image bytes")


@lru_cache(maxsize=8)
def placeholder_avatar(width: int, height: int) -> bytes:
    """The one default avatar: a grey silhouette, identical bytes for every leader."""
    image = Image.new("RGB", (width, height), (226, 226, 226))
    draw = ImageDraw.Draw(image)
    grey = (170, 170, 170)
    draw.ellipse(_box(width, height, 0.30, 0.18, 0.70, 0.55), fill=grey)
    draw.ellipse(_box(width, height, 0.10, 0.60, 0.90, 1.25), fill=grey)
    return _jpeg(image, quality=90)


@lru_cache(maxsize=256)
def _portrait(width: int, height: int, seed: int) -> Image.Image:
    """A portrait-like picture with real detail: gradient, head and shoulders, noise."""
    rng = random.Random(seed)
    top = tuple(rng.randint(90, 200) for _ in range(3))
    bottom = tuple(max(0, c - rng.randint(40, 80)) for c in top)
    image = _vertical_gradient(width, height, top, bottom)
    draw = ImageDraw.Draw(image)
    suit = tuple(rng.randint(10, 60) for _ in range(3))
    skin = (rng.randint(200, 235), rng.randint(160, 195), rng.randint(130, 165))
    hair = tuple(rng.randint(5, 40) for _ in range(3))
    draw.ellipse(_box(width, height, 0.05, 0.68, 0.95, 1.35), fill=suit)           # shoulders
    draw.polygon([_at(width, height, 0.40, 0.68), _at(width, height, 0.60, 0.68),
                  _at(width, height, 0.50, 0.90)], fill=(245, 245, 245))            # shirt
    draw.polygon([_at(width, height, 0.47, 0.70), _at(width, height, 0.53, 0.70),
                  _at(width, height, 0.50, 0.88)], fill=(rng.randint(120, 200), 20, 30))  # tie
    draw.rectangle(_box(width, height, 0.43, 0.55, 0.57, 0.70), fill=skin)          # neck
    draw.ellipse(_box(width, height, 0.30, 0.20, 0.70, 0.62), fill=skin)            # face
    draw.chord(_box(width, height, 0.28, 0.14, 0.72, 0.50), 180, 360, fill=hair)    # hair
    for eye_x in (0.41, 0.59):
        draw.ellipse(_box(width, height, eye_x - 0.03, 0.38, eye_x + 0.03, 0.42), fill=(30, 30, 30))
    draw.arc(_box(width, height, 0.42, 0.46, 0.58, 0.54), 20, 160, fill=(150, 60, 60),
             width=max(1, width // 100))
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, 0.12).filter(ImageFilter.DETAIL)


def _vertical_gradient(width: int, height: int, top: tuple, bottom: tuple) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    column.putdata([tuple(t + (b - t) * y // 255 for t, b in zip(top, bottom)) for y in range(256)])
    return column.resize((width, height), Image.Resampling.BILINEAR)


@lru_cache(maxsize=4)
def bomb_png(width: int = 0, height: int = 0) -> bytes:
    """A small PNG declaring a huge 1-bit image of zeros (a decompression bomb).

    The declared size is the model's when that is already bomb-sized, else BOMB_SIZE.
    """
    if width * height < BOMB_SIZE[0] * BOMB_SIZE[1]:
        width, height = BOMB_SIZE
    row = b"\x00" * (1 + (width + 7) // 8)          # filter byte + packed bits
    compressor = zlib.compressobj(9)
    rows_per_chunk = max(1, (1 << 20) // len(row))
    chunks = [compressor.compress(row * min(rows_per_chunk, height - y))
              for y in range(0, height, rows_per_chunk)]
    data = b"".join(chunks) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)   # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) \
        + _png_chunk(b"IEND", b"")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# ---------------------------------------------------------------- flowcharts

def flowchart_bytes(kind: str, width: int, height: int, seed: int) -> tuple[bytes, str]:
    """The image of an image_* flowchart; PNG or JPEG depending on the seed."""
    if kind in ("image_sharp", "image_small"):
        image = _flowchart(width, height, seed)
    elif kind == "image_blurred":
        small = (max(8, width // 8), max(8, height // 8))
        image = _upscaled(_flowchart(*small, seed), width, height)
    else:
        raise ValueError(f"flowchart kind {kind!r} is not an image")
    return (_png(image), PNG) if flowchart_is_png(seed) else (_jpeg(image), JPEG)


def flowchart_is_png(seed: int) -> bool:
    return seed % 2 == 0


@lru_cache(maxsize=64)
def _flowchart(width: int, height: int, seed: int) -> Image.Image:
    """Boxes joined by arrows, top to bottom, labelled in Chinese when a CJK font exists."""
    rng = random.Random(seed)
    steps = FLOW_STEPS[: rng.randint(4, len(FLOW_STEPS))]
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    slot = height / len(steps)
    box_w, box_h = width * 0.5, slot * 0.55
    left = (width - box_w) / 2
    font = _cjk_font(max(8, int(box_h * 0.4)))
    line = max(1, width // 300)
    for i, step in enumerate(steps):
        top = i * slot + (slot - box_h) / 2
        draw.rectangle([left, top, left + box_w, top + box_h], outline=(20, 60, 140), width=line,
                       fill=(235, 242, 252))
        _label(draw, step, (width / 2, top + box_h / 2), font, int(box_h * 0.4))
        if i + 1 < len(steps):
            _arrow(draw, width / 2, top + box_h, top + slot, line)
    return image


def _label(draw: ImageDraw.ImageDraw, text: str, centre: tuple[float, float], font, size: int) -> None:
    if font is not None:
        draw.text(centre, text, fill=(0, 0, 0), font=font, anchor="mm")
        return
    x, y = centre   # no CJK font: a row of glyph-like blocks keeps the image detailed
    for i in range(len(text)):
        gx = x + (i - len(text) / 2) * size
        draw.rectangle([gx + 1, y - size / 2, gx + size - 2, y + size / 2], outline=(0, 0, 0))


def _arrow(draw: ImageDraw.ImageDraw, x: float, y_from: float, y_to: float, line: int) -> None:
    head = max(3, (y_to - y_from) * 0.3)
    draw.line([x, y_from, x, y_to], fill=(0, 0, 0), width=line)
    draw.polygon([(x, y_to), (x - head / 2, y_to - head), (x + head / 2, y_to - head)], fill=(0, 0, 0))


@lru_cache(maxsize=16)
def _cjk_font(size: int):
    for path in CJK_FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


# ---------------------------------------------------------------- attachments

def attachment_bytes(ext: str, title: str, seed: int) -> tuple[bytes, str]:
    """A file with the real signature of its extension (OLE2, PDF, ZIP ...)."""
    ext = ext.lower()
    if ext in ("doc", "xls"):
        body = _ole2(title, seed)
    elif ext == "pdf":
        body = _pdf(seed)
    elif ext in ("docx", "xlsx", "zip"):
        body = _ooxml(title) if ext == "docx" else _zip({"readme.txt": title.encode("utf-8")})
    elif ext == "rar":
        body = b"Rar!\x1a\x07\x00" + title.encode("utf-8")
    else:
        body = title.encode("utf-8")
    return body, ATTACHMENT_TYPES.get(ext, "application/octet-stream")


def _ole2(title: str, seed: int) -> bytes:
    """An OLE2 compound file header (Word 97 / Excel 97) followed by the text in UTF-16."""
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE)
              + struct.pack("<II", 0, 0))
    header = header.ljust(512, b"\xff")
    text = (title * (2 + seed % 5)).encode("utf-16-le")
    body = header + text
    return body.ljust((len(body) // 512 + 2) * 512, b"\x00")


def _pdf(seed: int) -> bytes:
    """A small valid one-page PDF 1.4 with a correct xref table."""
    stream = f"BT /F1 24 Tf 72 720 Td (Flow chart {seed}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _ooxml(title: str) -> bytes:
    """A minimal Word 2007 document (a zip, as every .docx is)."""
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{_xml_text(title)}</w:t></w:r></w:p></w:body></w:document>'),
    })


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _zip(files: dict[str, str | bytes]) -> bytes:
    """A zip with fixed timestamps, so the bytes never depend on the clock."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2011, 9, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


# ---------------------------------------------------------------- helpers

def _jpeg(image: Image.Image, quality: int = 88) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def _upscaled(image: Image.Image, width: int, height: int) -> Image.Image:
    return image.resize((width, height), Image.Resampling.BICUBIC)


def _at(width: int, height: int, fx: float, fy: float) -> tuple[float, float]:
    return (width * fx, height * fy)


def _box(width: int, height: int, x0: float, y0: float, x1: float, y1: float) -> list[float]:
    return [width * x0, height * y0, width * x1, height * y1]
