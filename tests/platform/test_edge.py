"""The edge refuses junk cheaply: size before reading, signature before parsing, one log line, no 500s."""

from __future__ import annotations

import logging

from bot.devtools.slack_payloads import form_body, signed_headers
from bot.edge import QuietLog, SlackRequest, clean, parse_body
from models import Person, Priority, ProgressUpdate, Workspace
from tests.support.outcomes import define

FORM = "application/x-www-form-urlencoded"


def parse_request(raw: str) -> SlackRequest:
    return SlackRequest(raw=raw, body=clean(parse_body(raw, FORM)), query={}, headers={"content-type": FORM})


async def assert_untouched(harness) -> None:
    assert await harness.rows(Workspace) == []
    assert await harness.rows(Person) == []
    assert harness.standin.calls == []


async def test_a_huge_unsigned_body_is_refused_by_its_size_before_it_is_read(harness) -> None:
    body = b"&".join(b"k%d=v" % i for i in range(300_000))  # 2.6 MB of pairs, unsigned
    response = await harness.slack.client.post("/slack/events", content=body, headers={"Content-Type": FORM})
    assert response.status_code == 413
    await assert_untouched(harness)


async def test_a_streamed_body_over_the_limit_is_cut_off_even_without_a_length(harness) -> None:
    async def chunks():
        for _ in range(40):
            yield b"x" * 65_536  # 2.6 MB in all, sent chunked (no Content-Length)

    response = await harness.slack.client.post("/slack/events", content=chunks(), headers={"Content-Type": FORM})
    assert response.status_code == 413
    await assert_untouched(harness)


async def test_slacks_path_takes_only_posts_and_other_paths_still_answer(harness) -> None:
    """Slack's POSTs skip FastAPI's stack; anything else on that path is FastAPI's, as before."""
    assert (await harness.slack.client.get("/slack/events")).status_code == 405
    assert (await harness.slack.client.get("/healthz")).status_code == 200
    await assert_untouched(harness)


async def test_unsigned_junk_is_a_401_with_one_log_line_and_no_traceback(harness, caplog) -> None:
    caplog.set_level(logging.INFO)
    junk = [
        (b"{not json", {"Content-Type": "application/json"}),
        (b"payload=%7B", {"Content-Type": FORM}),
        (b"command=/x", {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"}),
    ]
    statuses = [(await harness.slack.client.post("/slack/events", content=b, headers=h)).status_code for b, h in junk]
    assert statuses == [401, 401, 401]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert all(r.exc_info is None for r in caplog.records)
    await assert_untouched(harness)


async def test_a_signed_but_unparseable_body_is_a_400_not_a_500(harness) -> None:
    for body, kind in ((b"payload=%7B", FORM), (b"{not json", "application/json")):
        response = await harness.slack.client.post(
            "/slack/events", content=body, headers=signed_headers("test-signing-secret", body, kind)
        )
        assert response.status_code == 400
    await assert_untouched(harness)


async def test_control_characters_are_removed_once_at_the_edge_on_both_databases(harness) -> None:
    response = await harness.slack.command(harness.me, "/priority", "add Grow\x00th in the\x07 north\tteam")
    assert response.status_code == 200
    [priority] = await harness.rows(Priority)
    assert priority.title == "Growth in the north team"  # the tab survives the edge; the title folds spaces


async def test_a_body_that_is_signed_and_fine_still_works_through_the_guard(harness) -> None:
    body = form_body(
        {
            "command": "/followthrough",
            "text": "help",
            "team_id": "T0LOCAL",
            "user_id": "U0LOCAL",
            "channel_id": "C0GENERAL",
            "trigger_id": "1.2.3",
            "response_url": "http://x/response",
        }
    )
    response = await harness.slack.client.post(
        "/slack/events", content=body, headers=signed_headers("test-signing-secret", body, FORM)
    )
    assert response.status_code == 200
    assert "Followthrough" in response.text


async def test_a_command_that_mentions_payload_is_read_like_any_other(harness) -> None:
    """Bolt's parser emptied any form body holding the word "payload"; the edge parses bodies itself."""
    await define(harness)
    response = await harness.slack.command(harness.me, "/progress", "O-1 31 the new payload format is live")
    assert response.status_code == 200 and "Logged" in response.text
    assert [u.note for u in await harness.rows(ProgressUpdate)] == ["the new payload format is live"]


def test_a_copied_request_keeps_the_body_the_edge_read() -> None:
    """Bolt copies a request for lazy listeners by parsing its raw body again: the copy is the edge's reading."""
    raw = form_body({"command": "/progress", "text": "O-1 1 payload\x00 work", "team_id": "T1", "user_id": "U1"})
    request = parse_request(raw.decode())
    copied = request.to_copyable()
    assert copied.body == request.body == {"command": "/progress", "text": "O-1 1 payload work", "team_id": "T1",
                                           "user_id": "U1"}  # fmt: skip
    assert copied.context["team_id"] == "T1" and copied.context["user_id"] == "U1" and copied.body is not request.body


def test_repeated_refusals_are_counted_not_logged_one_by_one(caplog) -> None:
    quiet = QuietLog(logging.getLogger("test.quiet"), every=60)
    with caplog.at_level(logging.WARNING, logger="test.quiet"):
        for _ in range(500):
            quiet.warning("401", "unsigned request refused")
    assert len(caplog.records) == 1
