"""libical's restriction check from the tests: runs ``libical_check.py`` under Debian's
Python (which has libical's GObject bindings; the venv does not)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

CHECK = Path(__file__).resolve().parent / "libical_check.py"


def libical(data: bytes) -> dict:
    """libical's verdict on a calendar: ``{"parsed", "ok", "errors"}``."""
    result = subprocess.run(
        ["/usr/bin/python3", str(CHECK)], input=data, capture_output=True, check=True
    )
    return json.loads(result.stdout)
