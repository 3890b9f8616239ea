"""The contact commands: when (dates in words)."""

from __future__ import annotations

from click.testing import CliRunner

from cardscan.cli import cli
from tests.support.stores import open_store


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


def test_contact_delete_says_what_goes_and_asks(tmp_path):
    from cardscan.models import Contact

    data = tmp_path / "data"
    with open_store(data) as store:
        ana = store.users.add("ana", "correct horse battery")
        rui = store.contacts.add(ana.id, Contact(name="Rui Costa"))
        store.reasons.add(ana.id, rui.id, "send deck")
    base = ["--data", str(data), "contact", "delete", str(rui.id)]
    kept = CliRunner().invoke(cli, base, input="n\n", env={})
    assert kept.exit_code == 1 and "1 reason(s)" in kept.output and "Aborted" in kept.output
    gone = run("--data", str(data), "contact", "delete", str(rui.id), "--yes")
    assert gone.output.startswith("Deleted Rui Costa:")
    again = run("--data", str(data), "contact", "delete", str(rui.id), "--yes", ok=False)
    assert again.exit_code != 0 and f"no contact with id {rui.id}" in again.output
