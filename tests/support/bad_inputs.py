"""The bad-input corpus, generated at test time (nothing large is committed).

Each entry is photo bytes and what a reading of it may end as: ``failed`` (with a clear
error), ``done`` (a real card in an odd format), or ``empty`` (done, with no contact data).
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE contacts; --"


def card_image(lines: tuple[str, ...] = ("Ana Ruiz", "CTO, Acme Labs", "ana@acme.example")):
    """A card photographed on a desk: a white card with dark DejaVu text on a grey background."""
    photo = Image.new("RGB", (1600, 1100), (96, 100, 104))
    card = Image.new("RGB", (1200, 700), (250, 250, 246))
    d = ImageDraw.Draw(card)
    for i, line in enumerate(lines):
        font = ImageFont.truetype(FONT_BOLD if i == 0 else FONT, 64 if i == 0 else 44)
        d.text((70, 80 + i * 110), line, fill=(20, 20, 30), font=font)
    photo.paste(card, (200, 200))
    return photo


def _jpeg(img: Image.Image, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, **kw)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 100_000) -> bytes:
    """A ~1 KB PNG declaring side x side pixels (10 gigapixels at the default)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 4, 9)  # a few rows; a decoder would want all
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def heic(img: Image.Image) -> bytes:
    """The image as HEIC (an iPhone's format)."""
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(img).save(out, quality=70)
    return out.getvalue()


def animated_gif(img: Image.Image) -> bytes:
    """Three frames: the card, then the card shifted."""
    small = img.resize((800, 550))
    frames = [small, small.rotate(3), small.rotate(-3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return out.getvalue()


def png16(img: Image.Image) -> bytes:
    """A 16-bit greyscale PNG."""
    grey = np.asarray(img.convert("L"), dtype=np.uint16) * 257
    out = io.BytesIO()
    Image.fromarray(grey).save(out, "PNG")
    return out.getvalue()


def blank_photo() -> bytes:
    """A white sheet photographed: near-white with a little sensor noise, no text."""
    rng = np.random.default_rng(1)
    pixels = np.clip(245 + rng.normal(0, 3, (1200, 1600, 3)), 0, 255).astype(np.uint8)
    return _jpeg(Image.fromarray(pixels))


def no_card_photo() -> bytes:
    """A landscape: sky gradient, hills and a sun; nothing to read."""
    img = Image.new("RGB", (1600, 1200))
    d = ImageDraw.Draw(img)
    for y in range(1200):
        d.line([(0, y), (1600, y)], fill=(80 + y // 12, 140 + y // 20, 220 - y // 10))
    d.ellipse((1150, 150, 1350, 350), fill=(250, 220, 120))
    d.polygon(
        [(0, 900), (500, 600), (1000, 950), (1600, 700), (1600, 1200), (0, 1200)], (60, 120, 60)
    )
    return _jpeg(img)


@cache
def corpus() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, expected reading: 'failed' | 'done' | 'empty' | 'done|failed')."""
    card = card_image()
    good = _jpeg(card)
    one = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(one, "JPEG")
    return {
        "text named .jpg": (
            b"This is not a photo, just text in a file called card.jpg.\n",
            "failed",
        ),
        "truncated JPEG": (good[: len(good) * 2 // 5], "done|failed"),
        "PNG decompression bomb": (png_bomb(), "failed"),
        "HEIC": (heic(card), "done"),
        "animated GIF": (animated_gif(card), "done"),
        "CMYK JPEG": (_jpeg(card.convert("CMYK")), "done"),
        "16-bit PNG": (png16(card), "done"),
        "1x1 pixel": (one.getvalue(), "empty|failed"),
        "blank white photo": (blank_photo(), "empty"),
        "photo with no card": (no_card_photo(), "empty"),
    }


def hostile_card() -> bytes:
    """A card printed with script and SQL in its text (DejaVu, large, plain)."""
    return _jpeg(card_image((SCRIPT, SQL, '=HYPERLINK("http://evil.example")', "eve@evil.example")))
