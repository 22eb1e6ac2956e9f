"""media.measure_image and sniff_signature on images made with Pillow (bombs included)."""
import io
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter

from crawler.extract.media import measure_image, sniff_signature


def encoded(image: Image.Image, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def sharp_picture(width=300, height=400) -> Image.Image:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 12):
        draw.line([(x, 0), (x, height)], fill="black", width=2)
    for y in range(0, height, 17):
        draw.line([(0, y), (width, y)], fill=(200, 30, 30), width=1)
    return image


def test_sharp_image_measured_with_thumbnail_and_hash():
    facts = measure_image(encoded(sharp_picture()))
    assert (facts["format"], facts["width"], facts["height"], facts["error"]) == ("JPEG", 300, 400, None)
    assert facts["thumbnail"].startswith("data:image/jpeg;base64,")
    thumb = Image.open(io.BytesIO(__import__("base64").b64decode(facts["thumbnail"].split(",", 1)[1])))
    assert max(thumb.size) <= 96
    assert len(facts["phash"]) == 16


def test_upscaled_low_res_is_less_sharp_at_the_same_size():
    sharp = measure_image(encoded(sharp_picture()))
    blurred = measure_image(encoded(sharp_picture().resize((30, 40)).resize((300, 400), Image.BILINEAR)))
    softened = measure_image(encoded(sharp_picture().filter(ImageFilter.GaussianBlur(4))))
    assert blurred["sharpness"] < sharp["sharpness"] / 5
    assert softened["sharpness"] < sharp["sharpness"] / 5


def test_sharpness_is_measured_at_the_shown_size_so_upscaling_shows():
    drawing = sharp_picture(300, 400)
    upscaled = drawing.resize((1200, 1600), Image.BILINEAR)        # capped to 1024 px wide, still soft
    assert measure_image(encoded(upscaled, "PNG"))["sharpness"] < measure_image(encoded(drawing, "PNG"))["sharpness"] / 3


def test_same_picture_same_phash_other_picture_other_hash():
    avatar = encoded(sharp_picture(150, 200))
    other = Image.new("RGB", (150, 200), "white")
    ImageDraw.Draw(other).ellipse([20, 20, 130, 180], fill="black")
    assert measure_image(avatar)["phash"] == measure_image(avatar)["phash"]
    assert measure_image(encoded(other))["phash"] != measure_image(avatar)["phash"]


def bomb_png(width: int, height: int) -> bytes:
    """A PNG header declaring a huge size with a few bytes of data."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def test_decompression_bomb_never_decoded():
    facts = measure_image(bomb_png(10_000, 5_000))          # above max_pixels: size read, never decoded
    assert (facts["error"], facts["width"], facts["height"]) == ("too_large", 10_000, 5_000)
    assert facts["sharpness"] is None and facts["thumbnail"] is None
    assert measure_image(bomb_png(50_000, 50_000))["error"] == "too_large"   # Pillow refuses to open it
    assert measure_image(bomb_png(400, 300), max_pixels=100_000)["error"] == "too_large"


def test_truncated_and_not_an_image():
    whole = encoded(sharp_picture())
    assert measure_image(whole[: len(whole) // 2])["error"] == "truncated"
    assert measure_image(b"<html><body>404</body></html>")["error"] == "not_image"
    assert measure_image(b"")["error"] == "not_image"


def test_transparent_png_flattened_on_white():
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([20, 20, 180, 80], outline=(0, 0, 0, 255), width=3)
    facts = measure_image(encoded(image, "PNG"))
    assert facts["error"] is None and facts["sharpness"] > 0


def test_signatures():
    assert sniff_signature(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8) == "ole2"
    assert sniff_signature(b"%PDF-1.4\n") == "pdf"
    assert sniff_signature(b"PK\x03\x04\x14\x00") == "zip"
    assert sniff_signature(encoded(sharp_picture(), "PNG")[:16]) == "png"
    assert sniff_signature(encoded(sharp_picture())[:16]) == "jpeg"
    assert sniff_signature(b"GIF89a\x01\x00") == "gif"
    assert sniff_signature(b"BM\x00\x00") == "bmp"
    assert sniff_signature(b"Rar!\x1a\x07\x00") == "rar"
    assert sniff_signature(b"\xef\xbb\xbf\r\n<!DOCTYPE html><html>") == "html"
    assert sniff_signature(b"hello") is None and sniff_signature(b"") is None


def test_a_huge_picture_is_measured_on_a_reduced_copy_with_its_real_size_kept():
    import io

    from PIL import Image, ImageDraw

    from crawler.extract.media import measure_image
    for kind in ("PNG", "JPEG"):
        picture = Image.new("RGB", (6000, 4000), "white")
        draw = ImageDraw.Draw(picture)
        for x in range(0, 6000, 40):                           # sharp lines: a readable chart
            draw.line([(x, 0), (x, 3999)], fill="black", width=6)
        buffer = io.BytesIO()
        picture.save(buffer, kind)
        facts = measure_image(buffer.getvalue())
        assert (facts["width"], facts["height"], facts["error"]) == (6000, 4000, None), kind   # the real size
        assert facts["sharpness"] > 1000 and facts["thumbnail"].startswith("data:image/"), facts["sharpness"]
