"""A quick check of uploaded photo bytes before they are stored.

The upload is acknowledged before any decoding (OCR runs later from the queue), so this only
looks at the file's signature: a text file named ``.jpg`` or an empty body is refused at once
with a clear error, while truncated files and decompression bombs are caught when the worker
decodes the photo (``cardscan.reading.imaging``) and end the card as ``failed`` with the reason.
"""

from __future__ import annotations

import io
from typing import IO

from flask import Request

from cardscan.errors import InputImageError

#: Request bodies up to this size stay in memory while they arrive (waitress) and while their
#: form is parsed (werkzeug), instead of going through temporary files: a phone's photo is
#: about 1 MB, and writing it to a file twice cost more than all the rest of its upload on a
#: busy disk. Bigger bodies (up to ``max_upload_mb``) still go to temporary files.
IN_MEMORY_BODY = 4 * 1024 * 1024

#: In the web process, glibc gives buffers this big or bigger a mapping of their own, handed
#: back when freed (``keep_big_buffers_returnable``): a hostile photo's decode (tens of MB)
#: is, while a photo's body and its copies come from the heap and are used again. Mapping
#: each of them afresh and unmapping it cost about 2 ms of CPU an upload in page faults.
MAPPED_BUFFERS = IN_MEMORY_BODY + 64 * 1024

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


class UploadRequest(Request):
    """Flask's request, parsing an upload of up to ``IN_MEMORY_BODY`` into memory."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        if total_content_length is not None and total_content_length <= IN_MEMORY_BODY:
            return io.BytesIO()
        return super()._get_file_stream(
            total_content_length, content_type, filename, content_length
        )
