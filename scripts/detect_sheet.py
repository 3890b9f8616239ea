"""Contact sheets of card detection: each photo with the card(s) found drawn on it.

Runs the pipeline's own steps (``load_image`` at the working size, RapidOCR's
``read_regions``, ``find_cards``) on every photo in a folder and draws a tile per photo: the
text regions in orange, each card's quad in green (quad), yellow (text) or red (whole), the
method, confidence and detection time (each tile also as ``tile-NAME.png``). Tiles go into
sheets of 12; ``detections.json`` records what was found per photo, to compare two runs. The
engine's regions are cached per photo (they do not depend on the detector), so re-running
after a change to ``detect.py`` or ``outline.py`` takes seconds.

Run: .venv/bin/python scripts/detect_sheet.py IMAGES OUT_DIR [--cache DIR] [--candidates]
     [--finder] [--truth QUADS.json]

``--finder`` uses the quick text finder's regions (as the Tesseract pipeline does);
``--truth`` draws known card corners in white, e.g. for generated photos.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import time
from pathlib import Path

import cv2
import numpy as np

from cardscan.reading.detect import find_cards
from cardscan.reading.imaging import WORKING_SIZE, load_image
from cardscan.reading.quads import find_quads

COLOURS = {"quad": (0, 200, 0), "text": (0, 220, 255), "whole": (0, 0, 255)}
TILE = 560
PER_SHEET = 12
COLUMNS = 4


def _regions(image: np.ndarray, data: bytes, cache: Path, finder: bool = False) -> list:
    """RapidOCR's text regions of ``image``, from the cache when it has them.

    ``finder``: the regions of its quick text finder (what the Tesseract pipeline uses)
    instead of those of a full reading.
    """
    name = hashlib.sha256(data).hexdigest()[:20] + ("-finder" if finder else "")
    key = cache / (name + ".pickle")
    if key.exists():
        return pickle.loads(key.read_bytes())
    from cardscan.reading.ocr import get_engine

    engine = get_engine("rapidocr")
    regions = engine.find_text(image) if finder else engine.read_regions(image)[1]
    cache.mkdir(parents=True, exist_ok=True)
    key.write_bytes(pickle.dumps(list(regions)))
    return list(regions)


def _tile(
    image: np.ndarray, regions: list, crops: list, caption: str, extra: list, known: list
) -> np.ndarray:
    height, width = image.shape[:2]
    scale = TILE / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    tile = np.full((TILE + 44, TILE, 3), 40, np.uint8)
    tile[: small.shape[0], : small.shape[1]] = small

    def poly(points: object, colour: tuple[int, int, int], thick: int) -> None:
        pts = (np.asarray(points, np.float32).reshape(-1, 2) * scale).astype(np.int32)
        cv2.polylines(tile, [pts.reshape(-1, 1, 2)], True, colour, thick, cv2.LINE_AA)

    for quad in extra:
        poly(quad, (255, 120, 0), 1)
    for region in regions:
        poly(region.corners, (0, 140, 255), 1)
    for quad in known:
        poly(quad, (255, 255, 255), 1)
    for crop in crops:
        poly(crop.quad, COLOURS.get(crop.method, (255, 255, 255)), 3)
        x, y = (np.asarray(crop.quad[0]) * scale).astype(int)
        cv2.circle(tile, (int(x), int(y)), 6, (255, 0, 255), -1)  # the card's own top-left
    for i, line in enumerate(caption.split("\n")):
        cv2.putText(
            tile, line, (6, TILE + 18 + 20 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1
        )
    return tile


def main() -> None:
    """Write the sheets and ``detections.json`` for every image in a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cardscan-regions"))
    parser.add_argument("--candidates", action="store_true", help="Draw every candidate quad.")
    parser.add_argument(
        "--finder", action="store_true", help="Use the quick text finder's regions (Tesseract)."
    )
    parser.add_argument(
        "--truth", type=Path, help='JSON {stem: {"quads": [[[x, y] x 4], ...]}}: drawn in white.'
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tiles, record = [], {}
    truth = json.loads(args.truth.read_text()) if args.truth else {}
    paths = sorted(
        p for p in args.images.iterdir() if p.suffix.lower() in {".jpg", ".png", ".heic", ".jpeg"}
    )
    for path in paths:
        data = path.read_bytes()
        image = load_image(data, max_megapixels=40, max_side=WORKING_SIZE)
        regions = _regions(image, data, args.cache, args.finder)
        wall, cpu = time.perf_counter(), time.process_time()
        crops = find_cards(image, regions, max_side=1600)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        extra = find_quads(image) if args.candidates else []
        methods = "+".join(c.method for c in crops)
        caption = (
            f"{path.stem[:26]} {methods} {crops[0].confidence:.2f} rot{crops[0].rotation}"
            f"\n{1000 * wall:.0f} ms wall {1000 * cpu:.0f} ms cpu"
        )
        known = truth.get(path.stem, {}).get("quads", [])
        tiles.append(_tile(image, regions, crops, caption, extra, known))
        cv2.imwrite(str(args.out / f"tile-{path.stem}.png"), tiles[-1])
        record[path.stem] = {
            "methods": [c.method for c in crops],
            "rotations": [c.rotation for c in crops],
            "quads": [[list(p) for p in c.quad] for c in crops],
            "wall_ms": round(1000 * wall, 1),
            "cpu_ms": round(1000 * cpu, 1),
        }
        print(path.stem, methods, f"{1000 * wall:.0f} ms", flush=True)
    for start in range(0, len(tiles), PER_SHEET):
        page = tiles[start : start + PER_SHEET]
        page += [np.zeros_like(tiles[0])] * (-len(page) % COLUMNS)
        rows = [np.hstack(page[i : i + COLUMNS]) for i in range(0, len(page), COLUMNS)]
        cv2.imwrite(str(args.out / f"sheet-{start // PER_SHEET + 1}.png"), np.vstack(rows))
    (args.out / "detections.json").write_text(json.dumps(record, indent=1))
    counts: dict[str, int] = {}
    for item in record.values():
        counts[item["methods"][0]] = counts.get(item["methods"][0], 0) + 1
    walls = sorted(item["wall_ms"] for item in record.values())
    cpus = sorted(item["cpu_ms"] for item in record.values())
    print(
        "first card by:",
        counts,
        f"median {walls[len(walls) // 2]} ms wall,"
        f" {cpus[len(cpus) // 2]} ms cpu, max {walls[-1]} ms wall",
    )


if __name__ == "__main__":
    main()
