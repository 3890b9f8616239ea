"""The README's pictures: the phone app at capture, triage and Today, small enough to commit.

    .venv/bin/python -m scripts.readme_screenshots --out docs/images

Uses the screenshot script's demo data (the committed sample cards, read for real) and
Debian's Chromium at a phone's size (375x812), then keeps each picture to a 256-colour
palette (Pillow's quantizer, no new tool), which UI screenshots survive well: about a third
of the size of the full-colour PNG.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image

from scripts.screenshots import CHROMIUM, CHROMIUM_ARGS, SAMPLES, demo_server, log_in

PHONE = (375, 812)
#: What each picture shows, and the page it comes from (``{event}`` from the demo data).
SHOTS = (
    ("capture", "/capture"),
    ("triage", "/events/{event}/triage"),
    ("today", "/today"),
)


def optimise(png: bytes) -> bytes:
    """The picture in a 256-colour palette, saved with zlib's best effort."""
    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        small.save(out, "PNG", optimize=True)
    return out.getvalue()


def take(out: Path) -> list[Path]:
    """Start the app on demo data and save the three phone pictures into ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with demo_server(real_ocr=True) as (server, ids), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": PHONE[0], "height": PHONE[1]}, base_url=server.url
        )
        page = context.new_page()
        page.goto("/login")
        log_in(page)
        for name, path in SHOTS:
            page.goto(path.format(**ids))
            page.wait_for_load_state("networkidle")
            if name == "capture":  # just after a snap: the card and the reason chips
                photo = sorted((SAMPLES / "images").glob("*.jpg"))[0]
                page.set_input_files("#snap", str(photo))
                page.wait_for_selector("#reasons:not([hidden])")
                page.click("#chips .chip >> nth=0")
                page.evaluate("window.scrollTo(0, 0)")  # the snap button, then the chips
            if name == "triage":
                page.wait_for_selector("#progress-label:not(:has-text('Loading'))")
            page.wait_for_timeout(500)
            target = out / f"{name}.png"
            target.write_bytes(optimise(page.screenshot()))
            written.append(target)
        browser.close()
    return written


def main() -> None:
    """Parse ``--out`` and take the pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    for path in take(parser.parse_args().out):
        print(f"{path}: {path.stat().st_size / 1000:.0f} KB")


if __name__ == "__main__":
    main()
