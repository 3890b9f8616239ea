"""The contact commands: when (dates in words)."""

from __future__ import annotations

from click.testing import CliRunner

from cardscan.cli import cli


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args), env={})
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def test_when_prints_the_day_the_words_name():
    out = run("when", "Kaffee im März", "--from", "2026-12-07").output
    assert "2027-03-01" in out and "im März" in out and ", de)" in out
    assert "plain reason" in run("when", "send deck").output
    bad = run("when", "Q1", "--from", "soon", ok=False)
    assert bad.exit_code == 2 and "'soon' is not a date" in bad.output
