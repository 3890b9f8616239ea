"""`cardscan speed-report` (scripts/speedreport.py) and the development commands' checkout."""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from click.testing import CliRunner

from cardscan.cli import cli, common
from cardscan.errors import ValidationError
from scripts import speedreport
from tests.support import hardening as h


def test_development_commands_outside_a_checkout_say_where_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "PACKAGE_CHECKOUT", tmp_path / "site-packages")
    monkeypatch.chdir(tmp_path)
    for command in (["throughput"], ["speed-report"], ["load-test", "--spawn"]):
        result = CliRunner().invoke(cli, command, env={})
        assert result.exit_code == 1, result.output
        assert "source checkout" in result.output and "pip install -e ." in result.output
    monkeypatch.chdir(h.ROOT)  # a checkout, though cardscan was installed from elsewhere
    assert common.checkout() == h.ROOT


def test_a_process_is_measured_by_the_kernels_accounting():
    burn = "x = bytearray(120_000_000); x[::4096] = b'1' * len(x[::4096]); sum(range(2_000_000))"
    measured = speedreport.measure([sys.executable, "-c", burn], env={})
    assert measured.peak_mb >= 120 and measured.cpu > 0.01 and measured.wall >= measured.cpu / 4
    with pytest.raises(ValidationError, match="exited 1: boom"):
        speedreport.measure([sys.executable, "-c", "import sys; sys.exit('boom')"], env={})


@pytest.mark.slow
def test_the_reading_part_compares_scan_with_tesseract_on_a_labelled_set(tmp_path):
    sample = h.ROOT / "sample_cards"
    names = sorted(p.stem for p in (sample / "labels").glob("*.json"))[:2]
    for folder, suffix in (("images", ".jpg"), ("labels", ".json")):
        (tmp_path / "set" / folder).mkdir(parents=True)
        for name in names:
            shutil.copy(sample / folder / f"{name}{suffix}", tmp_path / "set" / folder)
    result = CliRunner().invoke(
        cli,
        ["speed-report", "--cards-dir", str(tmp_path / "set"), "--generate", "0"]
        + ["--only", "reading", "--json"],
        env={},
    )
    assert result.exit_code == 0, result.output
    (reading,) = json.loads(result.stdout)["reading"]
    assert reading["photos"] == 2 and reading["cards_read"] >= 2
    assert reading["scan"]["cpu"] > 0 and reading["tesseract"]["cpu"] > 0
    assert 100 < reading["scan"]["peak_mb"] < 2000
    assert reading["fields"] == 14 and reading["fields_right"] >= 7
