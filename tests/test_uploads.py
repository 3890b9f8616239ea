"""The upload signature check (web.uploads)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from cardscan.errors import InputImageError
from web.uploads import IN_MEMORY_BODY, UploadRequest, sniff_image


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


def _form_stream(size: int) -> object:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        method="POST", data={"photo": (io.BytesIO(b"\xff\xd8\xff" + bytes(size)), "card.jpg")}
    )
    request = UploadRequest(builder.get_environ())
    return request.files["photo"].stream


def test_a_photo_is_parsed_in_memory_and_a_bigger_body_through_a_temporary_file():
    assert isinstance(_form_stream(1_000_000), io.BytesIO)
    assert not isinstance(_form_stream(IN_MEMORY_BODY + 1), io.BytesIO)


def test_a_request_leaves_the_write_ahead_log_to_the_app_s_own_connection(tmp_path):
    # The last connection to close would checkpoint the log into the database and delete
    # it, with fsyncs, at the end of every request; the app keeps one open instead.
    from tests.support import hardening as h

    data = tmp_path / "data"
    app = h.make_app(data)
    h.add_users(data, "ana")
    client = h.logged_in(app, "ana")
    assert h.api_upload(client, h.sample_photos(1)[0]).status_code == 202
    assert (data / "cardscan.db-wal").stat().st_size > 0


def _run_fresh(script: str, data: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh Python process (its own imports and malloc), with the data
    directory as its argument."""
    return subprocess.run(
        [sys.executable, "-c", script, str(data)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


_UPLOAD_ONLY = """
import sys
from pathlib import Path
from tests.support import hardening as h
app = h.make_app(Path(sys.argv[1]))
h.add_users(Path(sys.argv[1]), "ana")
client = h.logged_in(app, "ana")
assert h.api_upload(client, h.sample_photos(1)[0]).status_code == 202
assert client.get("/api/cards", headers={"Accept": "application/json"}).status_code == 200
print(sorted(m for m in ("cv2", "onnxruntime") if m in sys.modules))
"""


def test_taking_uploads_loads_no_opencv_nor_ocr_engine(tmp_path):
    # The web server's memory: OpenCV (30 MB) comes only with the first image it makes.
    out = _run_fresh(_UPLOAD_ONLY, tmp_path / "data")
    assert out.stdout.strip() == "[]", out.stderr[-2000:]


_MAPPINGS = """
import ctypes, sys
from pathlib import Path
from web import create_app


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
mallinfo2.restype = MallInfo2
create_app({"DATA_DIR": sys.argv[1]})


def mapped(size):
    before = mallinfo2().hblks
    buffer = bytearray(size)  # noqa: F841 (held while counting)
    return mallinfo2().hblks - before


print(mapped(3 * 1024 * 1024), mapped(64 * 1024 * 1024))
"""


def test_a_photo_s_buffers_come_from_the_heap_and_a_big_decode_s_are_given_back(tmp_path):
    # A 3 MB photo's body and copies are not mapped afresh (page faults, ~2 ms an upload);
    # a 64 MB decode still is, so its memory goes back to the system when freed.
    out = _run_fresh(_MAPPINGS, tmp_path / "data")
    assert out.stdout.split() == ["0", "1"], out.stderr[-2000:]
