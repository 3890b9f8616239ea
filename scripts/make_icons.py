"""Draw the app icons once (Pillow); the small PNGs are committed under web/static/icons/.

Run: .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "web" / "static" / "icons"
BLUE = (31, 78, 121)
WHITE = (255, 255, 255)


def draw(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    """A white business card with text lines on the app blue."""
    img = Image.new("RGB", (size, size), BLUE)
    d = ImageDraw.Draw(img)
    if rounded and not maskable:
        img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        d.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 6, fill=BLUE)
    # Maskable icons keep everything inside the central 80 % safe zone.
    scale = 0.62 if maskable else 0.78
    w, h = size * scale, size * scale * 0.6
    x0, y0 = (size - w) / 2, (size - h) / 2
    d.rounded_rectangle([x0, y0, x0 + w, y0 + h], radius=size * 0.04, fill=WHITE)
    line = max(2, round(size * 0.035))
    for i, frac in enumerate((0.55, 0.8, 0.4)):
        y = y0 + h * (0.25 + 0.22 * i)
        d.rounded_rectangle(
            [x0 + w * 0.1, y, x0 + w * (0.1 + frac * 0.8), y + line], radius=line // 2, fill=BLUE
        )
    r = h * 0.16
    cx, cy = x0 + w * 0.82, y0 + h * 0.3
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(230, 126, 34))
    return img


def main() -> None:
    """Write every icon size."""
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    # iOS adds its own rounded corners and shows transparency as black: square, opaque.
    draw(180, rounded=False).save(OUT / "apple-touch-icon.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
