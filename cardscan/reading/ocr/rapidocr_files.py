"""Where RapidOCR's three models are: inside the ``rapidocr`` wheel, found without importing it.

Kept apart from the engine so that checking the install (``cardscan doctor``, every server
start) costs a few file lookups, not the seconds and memory of loading onnxruntime.
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

from cardscan.errors import MissingDependencyError

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

_REINSTALL = "`.venv/bin/pip install --force-reinstall 'rapidocr>=3.4,<4' onnxruntime`"


def model_dir() -> Path:
    """The ``models`` folder of the installed ``rapidocr`` package.

    Raises:
        MissingDependencyError: the package is not installed.
    """
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise MissingDependencyError(
            f"the rapidocr package is not installed: run {_REINSTALL} or choose --engine tesseract."
        )
    return Path(spec.origin).resolve().parent / "models"


def model_path(name: str) -> str:
    """The path of one bundled model file.

    Raises:
        MissingDependencyError: the file is missing (cardscan never downloads models).
    """
    path = model_dir() / name
    if not path.is_file():
        raise MissingDependencyError(
            f"RapidOCR model {str(path)!r} is missing: reinstall the wheel with {_REINSTALL}"
            " (cardscan never downloads models)."
        )
    return str(path)


def check_install() -> str:
    """Check the package, onnxruntime and the three model files are there, without loading.

    Returns:
        What was found, e.g. ``rapidocr 3.10.0, 3 models (32 MB)``.

    Raises:
        MissingDependencyError: the package, onnxruntime or a model file is missing.
    """
    if importlib.util.find_spec("onnxruntime") is None:
        raise MissingDependencyError(
            f"onnxruntime, which RapidOCR runs on, is not installed: run {_REINSTALL}."
        )
    size = sum(Path(model_path(name)).stat().st_size for name in (DET_MODEL, REC_MODEL, CLS_MODEL))
    return f"rapidocr {metadata.version('rapidocr')}, 3 models ({size / 1e6:.0f} MB)"
