"""The upload signature check (web.uploads)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cardscan.errors import InputImageError
from web.uploads import sniff_image


def _encoded(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    "fmt, kind",
    [
        ("JPEG", "jpeg"),
        ("PNG", "png"),
        ("GIF", "gif"),
        ("WEBP", "webp"),
        ("TIFF", "tiff"),
        ("BMP", "bmp"),
    ],
)
def test_real_images_pass(fmt, kind):
    assert sniff_image(_encoded(fmt)) == kind


def test_heic_brand_passes():
    assert sniff_image(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "heif"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"hello, I am a text file named card.jpg", "starts like text"),
        (b"%PDF-1.7\n%\xe2\xe3", "not an image"),
        (b"\x00\x01\x02\x03" * 8, "binary data"),
    ],
)
def test_non_images_are_refused_with_a_clear_message(data, words):
    with pytest.raises(InputImageError, match=words):
        sniff_image(data)
