"""What decoding a hostile-but-legal photo costs: memory near the decoded file, then given back.

A tiny file can decode to a lot: a 16-bit greyscale PNG of 7900x5000 (under the 40 MP limit)
is 90 KB on disk and 79 MB decoded, and converting it at full size through float64 cost about
1 GB. Each case runs in a fresh process that reports its own peak and final RSS, so the
figures are those of ``load_image`` alone. The files are made here, at test time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_MAKE = """
import sys
from PIL import Image, ImageDraw
out, size = sys.argv[1], (7900, 5000)
im = Image.new("I;16", size, 50000)
ImageDraw.Draw(im).rectangle((100, 100, 3000, 900), fill=1000)
im.save(f"{out}/grey16.png", optimize=True)
im = Image.new("P", size, 0)
im.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
ImageDraw.Draw(im).rectangle((100, 100, 3000, 900), fill=1)
im.save(f"{out}/palette.png", transparency=0, optimize=True)
im = Image.new("F", size, 0.8)
ImageDraw.Draw(im).rectangle((100, 100, 3000, 900), fill=0.1)
im.save(f"{out}/float.tif", compression="tiff_adobe_deflate")
"""

_MEASURE = """
import json, resource, sys, threading
from cardscan.errors import CardscanError
from cardscan.reading.imaging import keep_big_buffers_returnable, load_image
from web.uploads import MAPPED_BUFFERS
import cv2  # imported by load_image's first call: loaded before measuring, not counted
keep_big_buffers_returnable(MAPPED_BUFFERS)  # as the web app does at start

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024

path, side, copies = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
base_peak, base_now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rss_mb()
errors, shapes = [], []

def load():
    try:
        shapes.append(load_image(data, max_megapixels=40, max_side=side).shape)
    except CardscanError as e:
        errors.append(str(e))

threads = [threading.Thread(target=load) for _ in range(copies)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak_mb": peak - base_peak, "after_mb": rss_mb() - base_now,
                  "errors": errors, "shapes": shapes}))
"""


@pytest.fixture(scope="module")
def costly(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("costly")
    subprocess.run([sys.executable, "-c", _MAKE, str(folder)], check=True)
    return folder


def _measure(path: Path, side: int, copies: int = 1) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(side), str(copies)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["grey16.png", "palette.png"])
@pytest.mark.parametrize("side", [256, 2000], ids=["upload check", "working size"])
def test_a_small_file_with_many_wide_pixels_decodes_in_bounded_memory(costly, name, side):
    figures = _measure(costly / name, side)
    assert figures["shapes"] == [[round(5000 * side / 7900), side, 3]]
    assert figures["peak_mb"] < 250, figures  # 79 MB decoded; ~1 GB when converted at full size
    assert figures["after_mb"] < 40, figures  # and it is given back


@pytest.mark.slow
def test_a_float_image_over_the_decoded_bytes_limit_is_refused_from_its_header(costly):
    figures = _measure(costly / "float.tif", 256)
    [error] = figures["errors"]
    assert "7900x5000 pixels of 4 bytes each" in error and "8-bit JPEG or PNG" in error
    assert figures["peak_mb"] < 40, figures


@pytest.mark.slow
def test_four_at_once_wait_their_turn_and_give_the_memory_back(costly):
    figures = _measure(costly / "grey16.png", 256, copies=4)
    assert len(figures["shapes"]) == 4
    assert figures["peak_mb"] < 400, figures  # two at a time; 3.9 GB when all four ran at once
    assert figures["after_mb"] < 40, figures
