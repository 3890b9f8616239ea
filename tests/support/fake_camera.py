"""A video file for Chromium's fake camera, made at test time from a card photo (no binary
is committed): a YUV4MPEG2 (.y4m) stream of the card lying on a dark desk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def card_video(card: Path, out: Path, *, size=(1280, 720), frames: int = 15, fill=0.62) -> Path:
    """Write ``out`` (.y4m, I420) showing ``card`` on a desk, turned a little; returns it."""
    width, height = size
    desk = Image.new("RGB", size, (48, 44, 40))
    with Image.open(card) as photo:
        photo = photo.convert("RGB")
        scale = fill * width / photo.width
        photo = photo.resize((round(photo.width * scale), round(photo.height * scale)))
        turned = photo.rotate(4, expand=True, fillcolor=(48, 44, 40), resample=Image.BICUBIC)
    desk.paste(turned, ((width - turned.width) // 2, (height - turned.height) // 2))
    yuv = np.asarray(desk.convert("YCbCr"), dtype=np.uint8)
    y = yuv[:, :, 0]
    # 4:2:0: chroma at half resolution both ways (the mean of each 2x2 block).
    u = yuv[:, :, 1].reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
    v = yuv[:, :, 2].reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)).astype(np.uint8)
    header = f"YUV4MPEG2 W{width} H{height} F15:1 Ip A1:1 C420jpeg\n".encode()
    noise = np.random.default_rng(7)
    with out.open("wb") as f:
        f.write(header)
        for _ in range(frames):
            # A little sensor noise: no two frames (so no two photos taken) are the same.
            grain = noise.integers(-2, 3, size=y.shape, dtype=np.int16)
            luma = np.clip(y.astype(np.int16) + grain, 0, 255).astype(np.uint8)
            f.write(b"FRAME\n" + luma.tobytes() + u.tobytes() + v.tobytes())
    return out
