"""Open a photo safely: any common format in, an upright BGR ``uint8`` array out.

Refuses what is not an image, empty and truncated files, images over the megapixel limit and
decompression bombs, each with an :class:`~cardscan.errors.InputImageError` (or
:class:`~cardscan.errors.ImageTooLargeError`) that says what was wrong and how to fix it.
The size is checked from the file header, before any pixel is decoded.
"""

from __future__ import annotations

import io
import math
import warnings

import cv2
import numpy as np
import pillow_heif
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

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

_HELP_FORMATS = "a JPEG, PNG, WebP, HEIC or GIF photo"


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
    return image


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
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose the photo
        return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any mode (grey, 16-bit, CMYK, palette, alpha) to 8-bit RGB; alpha over white."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if values.max(initial=0) > 255 else 255.0
        grey = np.clip(values * (255.0 / top), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode != "RGB":
        return image.convert("RGB")
    return image


def load_image(data: bytes, *, max_megapixels: int, max_side: int | None = None) -> np.ndarray:
    """Open image bytes as an upright BGR ``uint8`` array without metadata.

    Args:
        data: the file's bytes (JPEG, PNG, WebP, HEIC/AVIF, GIF first frame, BMP, TIFF).
        max_megapixels: refuse images with more pixels than this (checked before decoding).
        max_side: when given, decode and downscale so the long edge is at most this.

    Returns:
        An ``(height, width, 3)`` BGR array, EXIF orientation applied.

    Raises:
        InputImageError: empty, not an image, unsupported format, truncated or damaged.
        ImageTooLargeError: over ``max_megapixels`` or a decompression bomb.
    """
    image = _to_rgb(_decode(_open(data, max_megapixels), max_side))
    array = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    return downscale(array, max_side) if max_side else array


def downscale(image: np.ndarray, max_side: int) -> np.ndarray:
    """Shrink so the long edge is at most ``max_side`` (never enlarges)."""
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
        ImageTooLargeError: over ``max_megapixels`` or a decompression bomb.
    """
    image = _to_rgb(_decode(_open(data, max_megapixels), None))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def encode_png(image: np.ndarray) -> bytes:
    """A BGR array as PNG bytes (for intermediate images kept for debugging)."""
    ok, buf = cv2.imencode(".png", image)
    if not ok:  # pragma: no cover - OpenCV encodes any valid uint8 array
        raise InputImageError("could not encode the image as PNG.")
    return buf.tobytes()


def encode_jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    """A BGR array as a progressive JPEG without metadata (thumbnails, flattened cards)."""
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
