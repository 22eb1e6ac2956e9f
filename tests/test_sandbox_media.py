"""The sandbox's generated media decode (or fail) exactly as the model says."""
from __future__ import annotations

import io
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from sandbox import media


def decoded(body: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def sharpness(body: bytes) -> float:
    """Variance of the Laplacian of the grey image: low for blurred pictures."""
    grey = np.asarray(decoded(body).convert("L"), dtype=float)
    laplacian = (grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * grey[1:-1, 1:-1])
    return float(laplacian.var())


@pytest.mark.parametrize("kind,size", [("good", (300, 400)), ("tiny", (60, 80)), ("blurred", (240, 320)),
                                       ("placeholder", (180, 240))])
def test_photos_decode_at_the_model_size(kind, size):
    body, content_type = media.photo_bytes(kind, *size, seed=7)
    image = decoded(body)
    assert image.size == size and image.format == "JPEG" and content_type == "image/jpeg"


def test_blurred_photos_are_measurably_blurrier_and_photos_differ_by_seed():
    good = media.photo_bytes("good", 300, 400, 7)[0]
    blurred = media.photo_bytes("blurred", 300, 400, 7)[0]
    assert sharpness(blurred) * 20 < sharpness(good)
    assert media.photo_bytes("good", 300, 400, 8)[0] != good
    assert media.photo_bytes("good", 300, 400, 7)[0] == good            # deterministic


def test_placeholder_is_one_image_whatever_the_seed():
    assert media.photo_bytes("placeholder", 180, 240, 1)[0] == media.photo_bytes("placeholder", 180, 240, 2)[0]


def test_truncated_photo_does_not_decode():
    body = media.photo_bytes("truncated", 240, 320, 7)[0]
    assert body.startswith(b"\xff\xd8")
    with pytest.raises(OSError):
        decoded(body)


def test_bomb_is_small_declares_a_huge_size_and_pillow_refuses_it():
    body, content_type = media.photo_bytes("bomb", 30000, 30000, 7)
    assert content_type == "image/png" and len(body) < 200_000
    width, height = struct.unpack(">II", body[16:24])
    assert width * height >= 30000 * 30000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(body))


@pytest.mark.parametrize("kind,size", [("image_sharp", (1000, 1400)), ("image_small", (400, 300)),
                                       ("image_blurred", (820, 1100))])
def test_flowcharts_decode_at_the_model_size(kind, size):
    for seed in (2, 3):                                                  # one PNG, one JPEG
        body, content_type = media.flowchart_bytes(kind, *size, seed)
        image = decoded(body)
        assert image.size == size and content_type == f"image/{image.format.lower()}"


def test_blurred_flowchart_is_blurrier_than_a_sharp_one():
    sharp = media.flowchart_bytes("image_sharp", 1000, 1400, 2)[0]
    blurred = media.flowchart_bytes("image_blurred", 1000, 1400, 2)[0]
    assert sharpness(blurred) * 5 < sharpness(sharp)


def test_attachments_carry_real_signatures():
    ole2 = bytes.fromhex("D0CF11E0A1B11AE1")
    assert media.attachment_bytes("doc", "流程图", 1)[0].startswith(ole2)
    assert media.attachment_bytes("xls", "流程图", 1)[0].startswith(ole2)
    pdf = media.attachment_bytes("pdf", "流程图", 1)[0]
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    docx, content_type = media.attachment_bytes("docx", "建始县流程图", 1)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert "建始县流程图" in archive.read("word/document.xml").decode("utf-8")
    assert "wordprocessingml" in content_type
    assert media.attachment_bytes("docx", "建始县流程图", 1)[0] == docx     # no clock in the zip
