"""Garbage into every route: odd ids, query values and bodies get a 4xx (or a page), never a 500.

The routes come from ``app.url_map``; each is called with values that are the wrong type, out
of range, or hostile, as a logged-in user. A 500 means an exception escaped somewhere.
"""

from __future__ import annotations

import re

import pytest

from tests.support import hardening as h

ODD_VALUES = [
    "abc",
    "-1",
    "0",
    "99999999999999999999999",
    "1e9",
    "%00",
    "../../etc/passwd",
    "'; DROP TABLE contacts; --",
    "\u202e\u0000",
    "x" * 3000,
]
ODD_BODIES = [
    {},
    {"name": None, "text": None, "until": "never", "other": "abc", "plan": "-1"},
    {"name": ["a"], "text": {"b": 1}, "until": 12, "other": 1e30, "plan": [1]},
    {"name": "x", "start": "2026-02-30", "end": "0000-00-00", "due": "tomorrowish"},
    {"emails": "not a list", "phones": [{"number": 5}], "websites": [None]},
    {
        "kind": "birthday",
        "date": "99999999999999999999-13-45",
        "name": "Plan",
        "steps": "+99999999999999999999 thank you\n-5 x\n+1e9 y",
        "chips": "\n".join(["chip"] * 500),
        "until": "9999-12-31",
        "due": "99999-01-01",
        "text": "later",
    },
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    app = h.make_app(data)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    h.add_users(data, "ana")
    ana = h.logged_in(app, "ana")
    # Some data of her own, so ids 1 exist.
    ana.post("/api/events", json={"name": "Fair"}, headers={"X-CSRFToken": ana.csrf})
    assert h.api_upload(ana, h.sample_photos(1)[0]).status_code == 202
    return ana


def _paths(app, value: str):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.logout"):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:[a-z]+:)?{arg}>", value, path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.mark.parametrize("value", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_odd_values_in_paths_and_queries_never_500(client, value):
    query = {k: value for k in ("event", "contact", "before", "q", "format", "ocr", "side", "next")}
    failures = []
    for method, path in _paths(client.application, value):
        response = client.open(
            path,
            method=method,
            query_string=query,
            json=ODD_BODIES[1] if method != "GET" else None,
            headers={"X-CSRFToken": client.csrf, "Accept": "application/json"},
        )
        if response.status_code >= 500:
            failures.append((method, path[:60], response.status_code))
    assert failures == []


@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_odd_bodies_never_500(client, body):
    failures = []
    for method, path in _paths(client.application, "1"):
        if method == "GET":
            continue
        for kwargs in ({"json": body}, {"data": {k: str(v) for k, v in body.items()}}):
            response = client.open(
                path,
                method=method,
                headers={"X-CSRFToken": client.csrf, "Accept": "application/json"},
                **kwargs,
            )
            if response.status_code >= 500:
                failures.append((method, path, sorted(kwargs), response.status_code))
    assert failures == []
    assert client.get("/api/cards").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/exports/vcf?contact=99999999999999999999999",
        "/exports/csv?event=-99999999999999999999999",
        "/api/cards?event=99999999999999999999999",
        "/api/triage?event=99999999999999999999999",
        "/capture?event=99999999999999999999999",
    ],
)
def test_ids_too_large_for_sqlite_in_queries(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code in (200, 400, 404), (path, response.status_code)
