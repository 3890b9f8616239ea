"""Take the metadata out of a photo before it is stored: no GPS, camera, owner or time.

A phone's photo carries where and when it was taken. The upload is acknowledged before the
card is read, so this must be quick: JPEG and PNG (what the capture page and most scanners
send) are stripped losslessly by walking their segments or chunks, in about a millisecond,
without decoding a pixel. JPEG keeps only an EXIF orientation tag, so the photo still shows
upright (the orientation is applied whenever the photo is decoded), its colour profile and
what its pixels need (JFIF, Adobe); PNG drops its text, time and EXIF chunks. Other formats
(HEIC, WebP, TIFF) are re-encoded as an upright JPEG without metadata, which costs a decode;
GIF and BMP carry none.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Callable

from PIL import Image

#: JPEG segments kept: JFIF (APP0), ICC profile (APP2 ``ICC_PROFILE``), Adobe (APP14, tells
#: how CMYK/YCCK pixels are stored); every other APPn and COM goes.
_KEEP_APP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_ORIENTATION = 0x0112
#: Where entropy-coded JPEG data ends: a 0xFF that is not a stuffed byte (FF 00), a restart
#: marker (FF D0-D7) or a fill byte (FF FF) before the next marker.
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def strip_metadata(data: bytes, *, reencode: Callable[[bytes], bytes] | None = None) -> bytes:
    """The photo without metadata (see the module's docstring).

    Args:
        data: the photo's bytes.
        reencode: how to turn other formats into a clean JPEG (default: ``imaging``'s
            ``normalize_photo``).

    Returns:
        The cleaned bytes; a file that cannot be parsed is returned as it is (the upload's
        checks and the OCR worker refuse it with a clear error).
    """
    try:
        if data.startswith(b"\xff\xd8\xff"):
            return _strip_jpeg(data)
        if data.startswith(_PNG_SIGNATURE):
            return _strip_png(data)
        if data.startswith((b"GIF8", b"BM")):
            return data
        if reencode is None:
            from cardscan.reading.imaging import normalize_photo

            return normalize_photo(data, max_megapixels=200)
        return reencode(data)
    except Exception:  # noqa: BLE001 - a damaged file is refused later, with a clear message
        return data


def _orientation(data: bytes) -> int:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(image.getexif().get(_ORIENTATION, 1))
    except Exception:  # noqa: BLE001 - a broken EXIF block: the photo shows as stored
        return 1


def _orientation_segment(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    body = exif.tobytes()  # starts with b"Exif\0\0"
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _strip_jpeg(data: bytes) -> bytes:
    """Walk the segments up to the end of the first image; keep the ones the pixels need."""
    out: list[bytes | memoryview] = [b"\xff\xd8"]
    view = memoryview(data)  # slices of it are not copies: the photo is copied once, by join
    i = 2
    while i + 2 <= len(data):
        if data[i] != 0xFF:
            raise ValueError(f"not a JPEG marker at byte {i}")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image: anything after (a second MPO image) goes
            out.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(view[i : i + 2])
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segment = view[i : i + 2 + length]
        i += 2 + length
        if marker == 0xDA:  # start of scan: copy the entropy-coded data up to the next marker
            end = _scan_end(data, i)
            out += [segment, view[i:end]]
            i = end
            continue
        is_app = 0xE0 <= marker <= 0xEF
        if marker == 0xFE or (
            is_app and not bytes(segment[4:16]).startswith(_KEEP_APP.get(marker, ()))
        ):
            continue  # EXIF, XMP, IPTC, MPF, maker notes, comments
        out.append(segment)
    else:
        raise ValueError("the JPEG ends before its end-of-image marker")
    orientation = _orientation(data)
    if orientation != 1:  # after the JFIF segment, which must come first
        at = 2 if len(out) > 1 and bytes(out[1][:2]) == b"\xff\xe0" else 1
        out.insert(at, _orientation_segment(orientation))
    return b"".join(out)


def _scan_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data starting at ``start`` ends: the next 0xFF that is not a
    stuffed byte (FF 00), a restart marker (FF D0-D7) or a fill byte (one regular-expression
    search: a photo's scan holds thousands of stuffed bytes)."""
    found = _MARKER.search(data, start)
    if found is None:
        raise ValueError("the JPEG's scan data runs to the end of the file")
    return found.start()


def _strip_png(data: bytes) -> bytes:
    """Copy every chunk but the text, time and EXIF ones."""
    out = [_PNG_SIGNATURE]
    i = len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        length = struct.unpack(">I", data[i : i + 4])[0]
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        i += 12 + length
        if kind not in _PNG_DROP:
            out.append(chunk)
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("the PNG ends before its IEND chunk")
