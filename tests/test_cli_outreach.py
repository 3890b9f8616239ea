"""The commands that reach the user (draft, digest, user email), end to end on a data dir."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from cardscan.cli import cli
from cardscan.store import Store
from tests.support.outreach_data import ana_met_rui_yesterday


@pytest.fixture
def data(tmp_path):
    """Ana met Rui at Web Summit (ended yesterday) and promised him the deck."""
    directory = tmp_path / "data"
    ana_met_rui_yesterday(directory, 2, None, plan=True, emails=["rui@acme.example"])
    return directory


def run(data, *args, ok=True):
    result = CliRunner().invoke(cli, ["--data", str(data), *args], env={})
    if ok:
        assert result.exit_code == 0, result.output + str(result.exception)
    return result


def _first_touch(data) -> int:
    with Store.open(data) as store:
        return store.touches.all(store.users.by_name("ana").id)[0].id


def test_draft_prints_the_message_the_today_view_opens(data):
    touch_id = _first_touch(data)
    text = run(data, "draft", str(touch_id)).output
    assert text.startswith(
        "To: rui@acme.example\nSubject: Great to meet you at Web Summit\n\nHi Rui,\n\n"
        "It was great to meet you at Web Summit yesterday and to hear about your work at Acme."
    )
    assert text.endswith("As promised, here is our deck.\n\nLet's stay in touch.\n\nBest,\nAna\n")
    as_json = json.loads(run(data, "draft", str(touch_id), "--json").output)
    assert as_json["subject"] == "Great to meet you at Web Summit"
    link = run(data, "draft", str(touch_id), "--mailto").output.strip()
    assert link == as_json["mailto"]
    assert parse_qs(urlsplit(link).query)["subject"] == ["Great to meet you at Web Summit"]


def test_draft_of_a_missing_touch_says_so(data):
    result = run(data, "draft", "999", ok=False)
    assert result.exit_code == 5 and result.output.startswith("Error: no touch with id 999")


def test_done_from_the_command_line_can_be_undone_and_is_in_the_history(data):
    touch_id = _first_touch(data)
    done = run(data, "done", str(touch_id)).output
    assert f"Touch {touch_id}: done" in done
    act_id = done.split("cardscan undo ")[1].split("`")[0]
    assert run(data, "undo", act_id).output.startswith(f"Touch {touch_id}: due, ")
    again = run(data, "undo", act_id, ok=False)
    assert again.exit_code == 7 and "undone already" in again.output
    from cardscan.outreach import history

    with Store.open(data) as store:
        [line] = history(store, store.users.by_name("ana").id)
    assert line.text == "Marked done: send deck (from the command line)" and line.undone
