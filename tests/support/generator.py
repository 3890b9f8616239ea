"""The sample-card generator (``sample_cards/generate.py``, a script, not a package) loaded as
a module for tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

CARDS = Path(__file__).resolve().parents[2] / "sample_cards"


def load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``generate.py`` as the module ``generate`` (registered for the test only: its
    dataclasses look their module up in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location("generate", CARDS / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "generate", generate)
    spec.loader.exec_module(generate)
    return generate
