"""imaging: every format in, an upright BGR array out; bad files get a clear error."""

from __future__ import annotations

import io

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from cardscan.errors import ImageTooLargeError, InputImageError
from cardscan.reading.imaging import load_image, normalize_photo
from tests.support.bad_inputs import png_bomb

MP = 40


def _save(image: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kw)
    return out.getvalue()


def _halves(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def test_jpeg_loads_as_bgr():
    array = load_image(_save(_halves(), "JPEG", quality=95), max_megapixels=MP)
    assert array.shape == (20, 40, 3) and array.dtype == np.uint8
    assert array[10, 2, 2] > 200 and array[10, 2, 0] < 60  # red in BGR


def test_exif_orientation_6_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    data = _save(_halves(), "JPEG", exif=exif.tobytes(), quality=95)
    array = load_image(data, max_megapixels=MP)
    assert array.shape == (40, 20, 3)
    assert array[2, 10, 2] > 200  # the red left half is now on top
    assert array[37, 10, 0] > 200  # the blue right half at the bottom


def test_normalize_photo_applies_exif_and_drops_metadata():
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretPhone"  # Make
    data = _save(_halves(), "JPEG", exif=exif.tobytes())
    out = normalize_photo(data, max_megapixels=MP)
    image = Image.open(io.BytesIO(out))
    assert image.format == "JPEG" and image.size == (20, 40)
    assert not image.getexif() and b"SecretPhone" not in out


def test_empty_file():
    with pytest.raises(InputImageError, match="empty"):
        load_image(b"", max_megapixels=MP)


def test_text_named_jpg():
    with pytest.raises(InputImageError, match="not an image"):
        load_image(b"hello, I am a text file pretending to be card.jpg\n" * 20, max_megapixels=MP)


def test_truncated_jpeg():
    noise = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 400, 3), np.uint8))
    data = _save(noise, "JPEG")
    with pytest.raises(InputImageError, match="truncated or damaged"):
        load_image(data[: len(data) // 2], max_megapixels=MP)


def test_png_decompression_bomb_refused_before_decoding():
    bomb = png_bomb(100_000)
    assert len(bomb) < 1000  # a few hundred bytes that claim ten gigapixels
    with pytest.raises(ImageTooLargeError, match="megapixels|bomb"):
        load_image(bomb, max_megapixels=MP)


def test_over_the_megapixel_limit():
    data = _save(Image.new("RGB", (1500, 1000), "white"), "PNG")
    with pytest.raises(ImageTooLargeError, match=r"1500x1000 pixels .*limit of 1 megapixels"):
        load_image(data, max_megapixels=1)


def test_heic():
    pillow_heif.register_heif_opener()
    data = _save(_halves((64, 32)), "HEIF", quality=90)
    array = load_image(data, max_megapixels=MP)
    assert array.shape == (32, 64, 3)
    assert array[16, 4, 2] > 180 and array[16, 60, 0] > 180


def test_animated_gif_gives_first_frame():
    frames = [Image.new("RGB", (30, 30), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    array = load_image(out.getvalue(), max_megapixels=MP)
    assert array[15, 15, 2] > 200 and array[15, 15, 0] < 60


def test_cmyk_jpeg():
    data = _save(Image.new("CMYK", (30, 20), (0, 255, 255, 0)), "JPEG", quality=95)
    array = load_image(data, max_megapixels=MP)
    assert array.shape == (20, 30, 3)
    assert array[10, 15, 2] > 200 and array[10, 15, 1] < 60  # red


def test_16_bit_png_is_scaled_not_clipped():
    values = np.zeros((10, 20), np.uint16)
    values[:, 10:] = 32768
    data = _save(Image.fromarray(values), "PNG")
    array = load_image(data, max_megapixels=MP)
    assert array[5, 2].tolist() == [0, 0, 0]
    assert 120 <= int(array[5, 15, 0]) <= 135


def test_grey_and_alpha():
    grey = load_image(_save(Image.new("L", (8, 8), 100), "PNG"), max_megapixels=MP)
    assert grey.shape == (8, 8, 3) and grey[0, 0].tolist() == [100, 100, 100]
    clear = load_image(_save(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "PNG"), max_megapixels=MP)
    assert clear[0, 0].tolist() == [255, 255, 255]  # transparent becomes white, not black


def test_one_pixel():
    array = load_image(_save(Image.new("RGB", (1, 1), (1, 2, 3)), "PNG"), max_megapixels=MP)
    assert array.shape == (1, 1, 3) and array[0, 0].tolist() == [3, 2, 1]


def test_max_side_downscales():
    data = _save(Image.new("RGB", (3000, 1000), "white"), "JPEG")
    array = load_image(data, max_megapixels=MP, max_side=1200)
    assert array.shape == (400, 1200, 3)
