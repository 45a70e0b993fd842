"""The Slack stand-in, driven over HTTP by slack_sdk's own AsyncWebClient."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.routing import Mount

from bot.asgi_server import serve_asgi
from bot.devtools.standin import SlackStandin

SPEC_NAME = "slack-api-specs/slack_web_openapi_v2_without_examples.json"
# Slack's published spec sits in the shared folder beside the repository (where CI clones it).
SPEC = next(
    (
        p
        for p in (Path(__file__).resolve().parents[3] / "shared" / SPEC_NAME, Path("/work/shared") / SPEC_NAME)
        if p.exists()
    ),
    None,
)
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Check-in"}, "blocks": [{"type": "divider"}]}


class Clock:
    def __init__(self, now: float = 1_764_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


@pytest.fixture(scope="module")
async def served() -> AsyncIterator[tuple[SlackStandin, str]]:
    standin = SlackStandin(
        team_id="T0LOCAL", team_name="Local workspace", bot_user_id="U0BOT", bot_id="B0BOT", clock=CLOCK
    )
    async with serve_asgi(standin.app, host="127.0.0.1") as base_url:
        yield standin, base_url


@pytest.fixture
def standin(served: tuple[SlackStandin, str]) -> SlackStandin:
    standin, _ = served
    standin.reset()
    standin.add_user("U1", name="alex", real_name="Alex Doe", tz="Europe/Berlin")
    standin.add_user("U2", name="priya", real_name="Priya Raman", tz="Asia/Kolkata")
    standin.add_channel("C1", name="general", members=["U1", "U2"])
    standin.add_channel("C2", name="elsewhere", members=["U1"], bot_is_member=False)
    return standin


@pytest.fixture
def base_url(served: tuple[SlackStandin, str]) -> str:
    return served[1]


@pytest.fixture
def client(standin: SlackStandin, base_url: str) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=f"{base_url}/api/")


async def refusal(call) -> dict:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value.response.data


async def test_unknown_method_and_bad_tokens_are_refused(standin: SlackStandin, base_url: str) -> None:
    assert (await refusal(AsyncWebClient(token="xoxb-t", base_url=f"{base_url}/api/").api_call("nope.nope")))[
        "error"
    ] == "unknown_method"
    assert (await refusal(AsyncWebClient(base_url=f"{base_url}/api/").auth_test()))["error"] == "not_authed"
    assert (await refusal(AsyncWebClient(token="abc", base_url=f"{base_url}/api/").auth_test()))["error"] == (
        "invalid_auth"
    )
    assert [c.error for c in standin.calls] == ["unknown_method", "not_authed", "invalid_auth"]
    assert standin.calls_to("auth.test") == []


async def test_auth_test_names_the_bot(client: AsyncWebClient) -> None:
    answer = await client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0LOCAL", "U0BOT", "B0BOT")
    assert answer["is_enterprise_install"] is False


async def test_missing_required_argument_is_invalid_arguments(client: AsyncWebClient) -> None:
    data = await refusal(client.api_call("chat.update", json={"channel": "C1", "text": "x"}))
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == ["[ERROR] missing required field: ts"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_invalid_blocks_are_refused_and_not_stored(standin: SlackStandin, client: AsyncWebClient) -> None:
    long_header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    data = await refusal(client.chat_postMessage(channel="C1", text="t", blocks=long_header))
    assert data["error"] == "invalid_blocks"
    assert "150" in data["response_metadata"]["messages"][0]
    too_many = [{"type": "divider"}] * 51
    data = await refusal(client.chat_postMessage(channel="C1", text="t", blocks=too_many))
    assert data["error"] == "invalid_blocks"
    unknown = [{"type": "sparkle"}]
    assert (await refusal(client.chat_postMessage(channel="C1", text="t", blocks=unknown)))["error"] == "invalid_blocks"
    assert (await refusal(client.chat_postMessage(channel="C1")))["error"] == "no_text"
    assert (await refusal(client.chat_postMessage(channel="C1", text="x" * 40_001)))["error"] == "msg_too_long"
    assert standin.messages("C1") == []
    assert standin.feed()["items"] == []


async def test_form_encoded_blocks_are_validated_too(standin: SlackStandin, base_url: str) -> None:
    blocks = json.dumps([{"type": "divider"}] * 51)
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{base_url}/api/chat.postMessage", data={"token": "xoxb-t", "channel": "C1", "blocks": blocks}
        )
    assert answer.json()["error"] == "invalid_blocks"
    assert standin.calls[-1].token == "xoxb-t" and "token" not in standin.calls[-1].args


async def test_a_post_and_its_thread_are_stored(standin: SlackStandin, client: AsyncWebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Outcome* set"}}]
    parent = await client.chat_postMessage(channel="C1", text="Outcome set", blocks=blocks)
    reply = await client.chat_postMessage(channel="C1", text="progress", thread_ts=parent["ts"])
    assert float(reply["ts"]) > float(parent["ts"])
    assert parent["message"]["bot_id"] == "B0BOT" and parent["channel"] == "C1"

    [top] = standin.messages("C1")
    assert top["ts"] == parent["ts"] and top["reply_count"] == 1 and top["blocks"] == blocks
    assert [m["text"] for m in standin.messages("C1", thread_ts=parent["ts"])] == ["progress"]
    replies = await client.conversations_replies(channel="C1", ts=parent["ts"])
    assert [m["text"] for m in replies["messages"]] == ["Outcome set", "progress"]
    history = await client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["Outcome set"]
    assert (await refusal(client.chat_postMessage(channel="C1", text="x", thread_ts="0")))["error"] == (
        "invalid_thread_ts"
    )


async def test_direct_messages_use_a_stable_dm_id(standin: SlackStandin, client: AsyncWebClient) -> None:
    opened = await client.conversations_open(users="U1")
    posted = await client.chat_postMessage(channel="U1", text="hi")
    assert posted["channel"] == opened["channel"]["id"] and posted["channel"].startswith("D")
    await client.chat_postMessage(channel=posted["channel"], text="again")
    assert [m["text"] for m in standin.messages("U1")] == ["hi", "again"]
    assert (await refusal(client.conversations_open(users="U0BOT")))["error"] == "cannot_dm_bot"


async def test_the_bot_cannot_post_where_it_is_not_a_member(client: AsyncWebClient) -> None:
    assert (await refusal(client.chat_postMessage(channel="C2", text="x")))["error"] == "not_in_channel"
    assert (await refusal(client.chat_postMessage(channel="C404", text="x")))["error"] == "channel_not_found"


async def test_update_and_delete_only_the_bots_own_messages(standin: SlackStandin, client: AsyncWebClient) -> None:
    mine = await client.chat_postMessage(channel="C1", text="v1")
    theirs = standin.add_message("C1", user="U1", text="hello")
    await client.chat_update(channel="C1", ts=mine["ts"], text="v2")
    assert [m["text"] for m in standin.messages("C1")] == ["v2", "hello"]
    assert (await refusal(client.chat_update(channel="C1", ts=theirs["ts"], text="x")))["error"] == (
        "cant_update_message"
    )
    assert (await refusal(client.chat_update(channel="C1", ts="1.000001", text="x")))["error"] == "message_not_found"
    await client.chat_delete(channel="C1", ts=mine["ts"])
    assert [m["text"] for m in standin.messages("C1")] == ["hello"]
    assert [c.method for c in standin.calls if c.ok] == ["chat.postMessage", "chat.update", "chat.delete"]


async def test_users_info_over_get(standin: SlackStandin, client: AsyncWebClient) -> None:
    user = (await client.users_info(user="U1"))["user"]
    assert standin.calls[-1].http_method == "GET"
    assert (user["id"], user["tz"], user["is_bot"], user["profile"]["real_name"]) == (
        "U1",
        "Europe/Berlin",
        False,
        "Alex Doe",
    )
    assert user["tz_offset"] == 3600  # late November: Berlin is on winter time
    assert (await refusal(client.users_info(user="U404")))["error"] == "user_not_found"


async def test_modal_triggers_expire_and_are_single_use(standin: SlackStandin, client: AsyncWebClient) -> None:
    stale = standin.new_trigger_id("U1")
    CLOCK.now += 3
    assert (await refusal(client.views_open(trigger_id=stale, view=MODAL)))["error"] == "expired_trigger_id"
    assert (await refusal(client.views_open(trigger_id="1.2.3", view=MODAL)))["error"] == "invalid_trigger_id"

    fresh = standin.new_trigger_id("U1")
    view = (await client.views_open(trigger_id=fresh, view=MODAL))["view"]
    assert view["id"].startswith("V") and view["state"] == {"values": {}} and view["hash"]
    assert (await refusal(client.views_open(trigger_id=fresh, view=MODAL)))["error"] == "exchanged_trigger_id"

    updated = (await client.views_update(view_id=view["id"], hash=view["hash"], view=MODAL))["view"]
    assert updated["id"] == view["id"] and updated["hash"] != view["hash"]
    assert (await refusal(client.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)))["error"] == (
        "hash_conflict"
    )
    assert (await refusal(client.views_update(view_id="V404", view=MODAL)))["error"] == "not_found"
    assert [(i["kind"], i["action"], i["user"]) for i in standin.feed()["items"]] == [
        ("view", "open", "U1"),
        ("view", "update", "U1"),
    ]


async def test_views_are_validated(standin: SlackStandin, client: AsyncWebClient) -> None:
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    data = await refusal(client.views_open(trigger_id=standin.new_trigger_id(), view=long_title))
    assert data["error"] == "invalid_arguments" and "24" in data["response_metadata"]["messages"][0]
    long_input = {
        **MODAL,
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Why"},
                "element": {"type": "plain_text_input", "action_id": "a", "max_length": 5000},
            }
        ],
    }
    data = await refusal(client.views_open(trigger_id=standin.new_trigger_id(), view=long_input))
    assert data["error"] == "invalid_arguments"
    assert standin.views == {}


async def test_home_is_published(standin: SlackStandin, client: AsyncWebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Your outcomes"}}]}
    first = (await client.views_publish(user_id="U1", view=home))["view"]
    second = (await client.views_publish(user_id="U1", view=home))["view"]
    assert first["id"] == second["id"] and standin.home("U1") == second and standin.home("U2") is None
    assert (await refusal(client.views_publish(user_id="U1", view=MODAL)))["error"] == "invalid_arguments"


async def test_a_429_is_retried_after_retry_after(standin: SlackStandin, base_url: str) -> None:
    standin.fail("chat.postMessage", status=429, retry_after=0)
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=f"{base_url}/api/",
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = time.monotonic()
    posted = await client.chat_postMessage(channel="C1", text="eventually")
    assert time.monotonic() - started < 1.5
    assert posted["ok"]
    attempts = [c for c in standin.calls if c.method == "chat.postMessage"]
    assert [(c.status, c.error) for c in attempts] == [(429, "ratelimited"), (200, None)]


async def test_a_429_carries_retry_after(standin: SlackStandin, base_url: str) -> None:
    standin.fail("users.info", status=429, retry_after=7)
    async with httpx.AsyncClient() as http:
        answer = await http.get(
            f"{base_url}/api/users.info", params={"user": "U1"}, headers={"Authorization": "Bearer xoxb-t"}
        )
    assert (answer.status_code, answer.headers["retry-after"]) == (429, "7")
    assert answer.json() == {"ok": False, "error": "ratelimited"}


async def test_injected_failures_match_and_run_out(standin: SlackStandin, client: AsyncWebClient) -> None:
    standin.fail("chat.postMessage", error="channel_not_found", when=lambda args: args.get("channel") == "U2")
    await client.chat_postMessage(channel="C1", text="unaffected")
    assert (await refusal(client.chat_postMessage(channel="U2", text="x")))["error"] == "channel_not_found"
    await client.chat_postMessage(channel="U2", text="works now")
    assert [c.args["text"] for c in standin.calls_to("chat.postMessage")] == ["unaffected", "works now"]


async def test_the_feed_lists_what_people_see_in_order(
    standin: SlackStandin, client: AsyncWebClient, base_url: str
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="one")
    await client.chat_update(channel="C1", ts=posted["ts"], text="one, edited")
    await client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    await client.views_publish(user_id="U2", view={"type": "home", "blocks": [{"type": "divider"}]})
    async with httpx.AsyncClient(base_url=base_url) as http:
        answered = await http.post("/response/abc", json={"text": "done", "response_type": "ephemeral"})
        assert answered.json() == {"ok": True}
        page = (await http.get("/feed", params={"after": 0})).json()
        assert [i["kind"] for i in page["items"]] == ["message", "update", "ephemeral", "home", "response"]
        assert [i["seq"] for i in page["items"]] == sorted(i["seq"] for i in page["items"])
        later = (await http.get("/feed", params={"after": page["items"][2]["seq"]})).json()
        assert [i["kind"] for i in later["items"]] == ["home", "response"]
        empty = (await http.get("/feed", params={"after": page["next"]})).json()
        assert empty == {"items": [], "next": page["next"]}
        users = (await http.get("/users")).json()["users"]
    assert {u["id"] for u in users} >= {"U1", "U2", "U0BOT"}
    [response] = [c for c in standin.calls if c.method == "response_url"]
    assert response.args == {"text": "done", "response_type": "ephemeral", "key": "abc"}


async def test_response_url_can_replace_the_original(
    standin: SlackStandin, client: AsyncWebClient, base_url: str
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="pick one")
    key = standin.new_response_key(channel="C1", user_id="U1", message_ts=posted["ts"])
    async with httpx.AsyncClient() as http:
        await http.post(f"{base_url}/response/{key}", json={"replace_original": True, "text": "picked"})
        bad = await http.post(f"{base_url}/response/{key}", json={"blocks": [{"type": "sparkle"}]})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_blocks"
    assert [m["text"] for m in standin.messages("C1")] == ["picked"]


async def test_it_works_mounted_under_a_prefix(standin: SlackStandin) -> None:
    outer = Starlette(routes=[Mount("/_local/slack", app=standin.app)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=outer), base_url="http://app") as http:
        answer = await http.get("/_local/slack/api/users.info?user=U2", headers={"Authorization": "Bearer xoxp-1"})
        feed = await http.get("/_local/slack/feed")
    assert answer.json()["user"]["tz_offset"] == 19800
    assert feed.json() == {"items": [], "next": 0}


def test_methods_json_is_derived_from_the_spec() -> None:
    from bot.devtools.standin.data.make_slack_methods import derive, render

    committed = Path(__file__).parents[2] / "bot" / "devtools" / "standin" / "data" / "slack_methods.json"
    methods = json.loads(committed.read_text())
    assert len(methods) == 174 and "channel" in methods["chat.postMessage"]["required"]
    if SPEC is not None:  # without the shared folder, the committed table is all there is to check
        assert render(derive(json.loads(SPEC.read_text()))) == committed.read_text()


async def test_message_metadata_is_read_back_only_when_asked_for(standin: SlackStandin, client: AsyncWebClient) -> None:
    metadata = {"event_type": "followthrough_delivery", "event_payload": {"key": "checkin:1:ask:U1"}}
    parent = await client.chat_postMessage(channel="C1", text="Round 1", metadata=metadata)
    await client.chat_postMessage(channel="C1", text="reply", thread_ts=parent["ts"], metadata=metadata)

    plain = await client.conversations_history(channel="C1")
    full = await client.conversations_history(channel="C1", include_all_metadata=True)
    thread = await client.conversations_replies(channel="C1", ts=parent["ts"], include_all_metadata=True)
    bare_thread = await client.conversations_replies(channel="C1", ts=parent["ts"])

    assert "metadata" not in plain["messages"][0]
    assert full["messages"][0]["metadata"] == metadata
    assert [m["metadata"] for m in thread["messages"]] == [metadata, metadata]
    assert all("metadata" not in m for m in bare_thread["messages"])


async def test_a_late_answer_is_carried_out_but_arrives_after_the_callers_timeout(
    standin: SlackStandin, base_url: str
) -> None:
    impatient = AsyncWebClient(token="xoxb-test", base_url=f"{base_url}/api/", timeout=1)
    standin.answer_late("chat.postMessage", seconds=1.5, when=lambda args: args.get("channel") == "U1")

    with pytest.raises(TimeoutError):
        await impatient.chat_postMessage(channel="U1", text="did it arrive?")
    await impatient.chat_postMessage(channel="U1", text="on time")  # once only

    assert [m["text"] for m in standin.messages("U1")] == ["did it arrive?", "on time"]
    assert [c.args["text"] for c in standin.calls_to("chat.postMessage")] == ["did it arrive?", "on time"]
