"""A quick check of uploaded photo bytes before they are stored.

The upload is acknowledged before any decoding (OCR runs later from the queue), so this only
looks at the file's signature: a text file named ``.jpg`` or an empty body is refused at once
with a clear error, while truncated files and decompression bombs are caught when the worker
decodes the photo (``cardscan.reading.imaging``) and end the card as ``failed`` with the reason.
"""

from __future__ import annotations

from cardscan.errors import InputImageError

#: Formats a phone or scanner sends, by their leading bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)

#: ISO-BMFF brands of HEIC/HEIF/AVIF photos (iPhones send HEIC).
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def sniff_image(data: bytes, *, name: str = "photo") -> str:
    """The image format of uploaded bytes, judged by their signature.

    Args:
        data: the uploaded file.
        name: the form field, for the message.

    Returns:
        "jpeg", "png", "gif", "tiff", "bmp", "webp" or "heif".

    Raises:
        InputImageError: empty, or not an image format cardscan reads.
    """
    if not data:
        raise InputImageError(f"the {name} is empty (0 bytes): take or choose the photo again.")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heif"
    start = data[:16]
    looks = "text" if all(32 <= b < 127 or b in (9, 10, 13) for b in start) else "binary data"
    raise InputImageError(
        f"the {name} is not an image (it starts like {looks}: {start[:12]!r}): send a JPEG, PNG,"
        " WebP or HEIC photo."
    )
