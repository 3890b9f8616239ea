"""Run ``cardscan`` (``serve`` in the hardening tests) with the real pipeline when it exists
(unless ``CARDSCAN_TEST_READER=fake`` asks for the fake one, for tests about the queue).

Until ``cardscan.reading.pipeline`` is merged, the OCR workers use a slow fake reader at the system
edge: it opens the photo with Pillow (a bad file fails as it would in the pipeline) and waits
``CARDSCAN_FAKE_READ_SECONDS`` per card, so crashes and load hit cards "while OCR runs".
With ``CARDSCAN_FAKE_READ_SECONDS=tesseract`` it runs the tesseract program on the photo
instead (real OCR work on the CPU, for load figures before the pipeline lands).
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import time


def _fake_pipeline_reader(settings):  # noqa: ANN001, ANN202 - test launcher
    from PIL import Image

    from cardscan.errors import InputImageError
    from tests.support.fake_reader import _reading

    mode = os.environ.get("CARDSCAN_FAKE_READ_SECONDS", "0.4")

    def read(front: bytes, back: bytes | None):  # noqa: ANN202
        try:
            with Image.open(io.BytesIO(front)) as img:
                img.load()
        except Exception as e:
            raise InputImageError(f"not a readable image ({type(e).__name__})") from e
        if mode == "tesseract":
            done = subprocess.run(
                ["tesseract", "-", "-", "--psm", "11"],
                input=front,
                capture_output=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                check=True,
            )
            text = done.stdout.decode("utf-8", "replace").split()
            return [_reading([" ".join(text[:2])], 0)]
        time.sleep(float(mode))
        return [_reading([f"Card {hashlib.sha256(front).hexdigest()[:8]}"], 0)]

    return read


if __name__ == "__main__":
    try:
        import cardscan.reading.pipeline  # noqa: F401

        fake = os.environ.get("CARDSCAN_TEST_READER") == "fake"
    except ImportError:
        fake = True
    if fake:
        import cardscan.jobs

        cardscan.jobs.pipeline_reader = _fake_pipeline_reader  # type: ignore[assignment]
    from cardscan.cli import cli

    cli(prog_name="cardscan")
