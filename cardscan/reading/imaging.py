"""Open a photo safely: any common format in, an upright BGR ``uint8`` array out.

Refuses what is not an image, empty and truncated files, images over the megapixel limit,
images whose pixels decode to more bytes than an RGB photo at that limit (16-bit, float) and
decompression bombs, each with an :class:`~cardscan.errors.InputImageError` (or
:class:`~cardscan.errors.ImageTooLargeError`) that says what was wrong and how to fix it.
Both sizes are checked from the file header, before any pixel is decoded.

Memory stays near the size of the decoded file: a photo is reduced to the size asked for
before any conversion (JPEG by DCT scaling while decoding, other formats by Pillow's ``reduce``
a strip at a time), conversions never widen the pixels at full size, and at most
``MAX_CONCURRENT_DECODES`` photos are decoded at once in a process.

OpenCV is imported by the functions that use it, not with the module: the web server checks
each upload's header here, and need not hold OpenCV's 30 MB for that.
"""

from __future__ import annotations

import ctypes
import io
import math
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pillow_heif
from PIL import Image, ImageFile, ImageMode, UnidentifiedImageError

from cardscan.errors import ImageTooLargeError, InputImageError

pillow_heif.register_heif_opener()

# Pillow's own bomb guard is a backstop for callers that open images elsewhere; every image
# cardscan opens is also checked against the caller's ``max_megapixels`` before decoding.
# Pillow warns above this and refuses above twice this.
Image.MAX_IMAGE_PIXELS = 100_000_000
ImageFile.LOAD_TRUNCATED_IMAGES = False

#: Formats cardscan opens (Pillow format names).
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF", "GIF", "BMP", "TIFF", "MPO")

#: Long edge, in pixels, of the image the pipeline works on (bigger photos are downscaled).
WORKING_SIZE = 2000

#: Bytes a decoded image may take per pixel allowed by ``max_megapixels`` (an 8-bit RGB photo):
#: a 16-bit or floating-point image must have fewer pixels.
BYTES_PER_ALLOWED_PIXEL = 3

#: Photos decoded at the same time in one process; more wait their turn.
MAX_CONCURRENT_DECODES = 2

_HELP_FORMATS = "a JPEG, PNG, WebP, HEIC or GIF photo"
_DECODES = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)
_HIGH_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")
_ALPHA = ("RGBA", "LA", "PA", "RGBa", "La")
#: Rows converted at a time (a multiple of any reduce factor is taken), to bound memory.
_STRIP_ROWS = 512
#: EXIF orientation to the transpose that makes the image upright (as ``ImageOps.exif_transpose``).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _open(data: bytes, max_megapixels: int) -> Image.Image:
    """Open the header, check format and size, and return the (not yet decoded) image."""
    if not data:
        raise InputImageError(f"the file is empty (0 bytes): upload {_HELP_FORMATS} instead.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageTooLargeError(
            f"the image is a decompression bomb (its header claims too many pixels: {e});"
            f" refused. Upload an ordinary photo under {max_megapixels} megapixels."
        ) from e
    except UnidentifiedImageError as e:
        raise InputImageError(
            f"the file is not an image cardscan can read ({len(data)} bytes, unknown format):"
            f" upload {_HELP_FORMATS}."
        ) from e
    except (OSError, ValueError, SyntaxError) as e:
        raise InputImageError(
            f"the image header is damaged ({e}): re-export the photo as JPEG or PNG."
        ) from e
    if image.format not in FORMATS:
        raise InputImageError(
            f"image format {image.format!r} is not supported: upload {_HELP_FORMATS}."
        )
    width, height = image.size
    if width < 1 or height < 1:
        raise InputImageError(f"the image has no pixels ({width}x{height}): upload a photo.")
    megapixels = width * height / 1e6
    if megapixels > max_megapixels:
        raise ImageTooLargeError(
            f"the image is {width}x{height} pixels ({megapixels:.0f} megapixels), over the"
            f" limit of {max_megapixels} megapixels: downscale it (a long edge of 4000 px is"
            " plenty for a card) or raise the max_megapixels setting."
        )
    _check_decoded_bytes(image, max_megapixels)
    return image


def check_image(data: bytes, *, max_megapixels: int) -> tuple[str, int, int]:
    """What can be told of a photo from its header alone, without decoding a pixel: a
    fraction of a millisecond, so an upload is checked before it is acknowledged. A file
    damaged after its header is found when it is decoded (:func:`load_image`).

    Returns:
        The format (Pillow's name) and the size in pixels (width, height).

    Raises:
        InputImageError: empty, not an image, unsupported format, a damaged header.
        ImageTooLargeError: over ``max_megapixels``, more decoded bytes than an RGB photo
            at that limit, or a decompression bomb.
    """
    with _open(data, max_megapixels) as image:
        return str(image.format), image.width, image.height


def _check_decoded_bytes(image: Image.Image, max_megapixels: int) -> None:
    """Refuse an image whose pixels (bit depth x channels) decode to more than the limit."""
    descriptor = ImageMode.getmode(image.mode)
    per_pixel = np.dtype(descriptor.typestr).itemsize * len(descriptor.bands)
    limit = max_megapixels * 1_000_000 * BYTES_PER_ALLOWED_PIXEL
    decoded = image.width * image.height * per_pixel
    if image.format in ("JPEG", "MPO") or decoded <= limit:
        return  # JPEG is 8-bit, and decoded at a reduced scale when a working size is asked
    raise ImageTooLargeError(
        f"the image is {image.width}x{image.height} pixels of {per_pixel} bytes each"
        f" ({image.mode}), {decoded / 1e6:.0f} MB once decoded, over the limit of"
        f" {limit / 1e6:.0f} MB: save it as an 8-bit JPEG or PNG, or make it smaller."
    )


def _decode(image: Image.Image, draft_side: int | None) -> Image.Image:
    """Decode the first frame (JPEG at a reduced scale when ``draft_side`` allows)."""
    try:
        image.seek(0)  # first frame of a GIF, animated WebP or multi-image HEIC
        if draft_side and image.format in ("JPEG", "MPO"):
            # DCT scaling decodes a 12-megapixel photo several times faster; draft keeps the
            # result at least as large as asked, so no detail below the working size is lost.
            scale = draft_side / max(image.size)
            if scale < 1:
                wanted = (math.ceil(image.width * scale), math.ceil(image.height * scale))
                image.draft("RGB", wanted)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageTooLargeError(f"the image is a decompression bomb ({e}); refused.") from e
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        raise InputImageError(
            f"the image is truncated or damaged ({e}): copy or upload the photo again."
        ) from e
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 when there is none or the EXIF block is broken)."""
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose the photo
        return 1


def _reduce_factor(image: Image.Image, max_side: int | None) -> int:
    """The whole factor that shrinks the image most while keeping its long edge >= max_side."""
    return max(1, max(image.size) // max_side) if max_side else 1


def _strips(image: Image.Image, factor: int) -> Iterator[tuple[int, Image.Image]]:
    """The image in horizontal strips (row offset, strip), each a whole number of factors."""
    rows = max(1, _STRIP_ROWS // factor) * factor
    for top in range(0, image.height, rows):
        yield top, image.crop((0, top, image.width, min(image.height, top + rows)))


def _to_rgb(image: Image.Image, factor: int = 1) -> Image.Image:
    """Any mode (grey, 16-bit, float, CMYK, palette, alpha) to 8-bit RGB, alpha over white,
    reduced ``factor`` times, a strip at a time: no full-size copy wider than the decoded file.
    """
    mode = image.mode
    if mode in _HIGH_BIT:
        work = "F"
    elif mode in _ALPHA or (mode == "P" and "transparency" in image.info):
        work = "RGBA"
    else:
        work = "RGB"
    if mode == work == "RGB" and factor == 1:
        return image
    size = (math.ceil(image.width / factor), math.ceil(image.height / factor))
    out = Image.new(work, size)
    for top, strip in _strips(image, factor):
        strip = strip.convert(work) if strip.mode != work else strip
        out.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    if work == "F":
        values = np.asarray(out, dtype=np.float32)
        top_value = 65535.0 if values.max(initial=0) > 255 else 255.0
        grey = np.clip(values * np.float32(255.0 / top_value), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if work == "RGBA":
        background = Image.new("RGBA", out.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, out).convert("RGB")
    return out


def keep_big_buffers_returnable(threshold: int = 1024 * 1024) -> None:
    """Have glibc give every buffer of ``threshold`` bytes or more (1 MB) its own mapping,
    returned when freed.

    By default glibc raises that threshold to the largest buffer freed so far (up to 32 MB),
    after which a big decode's pixel buffers come from per-thread arenas that keep the memory:
    a web server's threads would each hold on to their largest photo. The web app calls this
    at start. Not in OCR processes: every model tensor over 1 MB would then be mapped and
    unmapped again (median OCR 0.55 -> 0.85 s a card on 20 real photos); OCR workers give
    memory back with malloc_trim after each card instead.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    m_mmap_threshold = -3
    mallopt(m_mmap_threshold, threshold)


@contextmanager
def _decoding() -> Iterator[None]:
    """Hold one of the ``MAX_CONCURRENT_DECODES`` turns while a photo is decoded."""
    with _DECODES:
        yield


def _upright_rgb(data: bytes, max_megapixels: int, max_side: int | None) -> Image.Image:
    """Open, check, decode (reduced towards ``max_side``), convert to RGB, turn upright."""
    with _decoding():
        image = _decode(_open(data, max_megapixels), max_side)
        orientation = _orientation(image)
        rgb = _to_rgb(image, _reduce_factor(image, max_side))
        if rgb is not image:
            image.close()  # the full-size pixels go now, not when the caller is done
    upright = _UPRIGHT.get(orientation)
    return rgb.transpose(upright) if upright is not None else rgb


def load_image(data: bytes, *, max_megapixels: int, max_side: int | None = None) -> np.ndarray:
    """Open image bytes as an upright BGR ``uint8`` array without metadata.

    Args:
        data: the file's bytes (JPEG, PNG, WebP, HEIC/AVIF, GIF first frame, BMP, TIFF).
        max_megapixels: refuse images with more pixels than this (checked before decoding).
        max_side: when given, decode and downscale so the long edge is at most this (the
            image is reduced before any conversion, so memory stays near the decoded file).

    Returns:
        An ``(height, width, 3)`` BGR array, EXIF orientation applied.

    Raises:
        InputImageError: empty, not an image, unsupported format, truncated or damaged.
        ImageTooLargeError: over ``max_megapixels``, more decoded bytes than an RGB photo
            at that limit, or a decompression bomb.
    """
    import cv2

    image = _upright_rgb(data, max_megapixels, max_side)
    array = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    return downscale(array, max_side) if max_side else array


def downscale(image: np.ndarray, max_side: int) -> np.ndarray:
    """Shrink so the long edge is at most ``max_side`` (never enlarges)."""
    import cv2

    height, width = image.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def normalize_photo(data: bytes, *, max_megapixels: int, quality: int = 90) -> bytes:
    """Re-encode a photo as an upright JPEG without metadata, for storage.

    Args:
        data: the uploaded file's bytes.
        max_megapixels: refuse images with more pixels than this.
        quality: JPEG quality.

    Returns:
        JPEG bytes, EXIF orientation applied, no EXIF/GPS/ICC metadata.

    Raises:
        InputImageError: the bytes are not a readable image.
        ImageTooLargeError: over ``max_megapixels``, more decoded bytes than an RGB photo
            at that limit, or a decompression bomb.
    """
    image = _upright_rgb(data, max_megapixels, None)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def encode_png(image: np.ndarray) -> bytes:
    """A BGR array as PNG bytes (for intermediate images kept for debugging)."""
    import cv2

    ok, buf = cv2.imencode(".png", image)
    if not ok:  # pragma: no cover - OpenCV encodes any valid uint8 array
        raise InputImageError("could not encode the image as PNG.")
    return buf.tobytes()


def encode_jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    """A BGR array as a progressive JPEG without metadata (thumbnails, flattened cards)."""
    import cv2

    params = [
        cv2.IMWRITE_JPEG_QUALITY,
        quality,
        cv2.IMWRITE_JPEG_OPTIMIZE,
        1,
        cv2.IMWRITE_JPEG_PROGRESSIVE,
        1,
    ]
    ok, buf = cv2.imencode(".jpg", image, params)
    if not ok:  # pragma: no cover - OpenCV encodes any valid uint8 array
        raise InputImageError("could not encode the image as JPEG.")
    return buf.tobytes()
