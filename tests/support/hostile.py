"""Helpers for the hostile-text tests (no tests here): text that tries to ping, mention and link, a recorder of
every answer the app gives over HTTP, and a scan of everything the app showed for markup it did not write.

What Slack reads as markup is mrkdwn: section and context text, a message's own `text` (its notification).
Plain-text objects (headers, labels, hints, options, input values) and a form's field errors show text as it
is, so they are not scanned: `<!channel>` there is just characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

# Everything that would ping, mention, link or format if it reached mrkdwn as typed.
HOSTILE = "<!channel> <!here> <@U0ALEX> <https://evil.example|click> &lt;!channel&gt; *bold* _x_"
# The same attacks, short enough for a decision's options (75 characters) and a path's name (60).
SHORT = "<!here> <@U0ALEX> <https://evil.example|x> &lt;!here&gt;"
# Display names set on the stand-in's people (the one in issue 9 first).
NAMES = {
    "U0LOCAL": "<!channel> <https://evil.example|click>",
    "U0PRIYA": "<@U0ALEX> &lt;!here&gt; *Priya* <!everyone>",
}
# The one link a card may carry, and the probe's link that closed it early.
GOOD_LINK = "https://ok.example/doc?a=1&b=2"
BREAKING_LINK = "https://ok.example/a>x|<!channel>"

MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage", "response_url")
VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")
# Not markup: what a person typed, carried back into a form, and what Slack keeps for the app.
NOT_SHOWN = {"initial_value", "value", "private_metadata", "errors", "block_id", "action_id", "callback_id"}


def hostile(tag: str, text: str = HOSTILE) -> str:
    """Hostile text for one field, tagged so a test can find where it is shown."""
    return f"{tag}: {text}"


def slack_escaped(text: str) -> str:
    """How Slack hands over what was typed in a command or a message: &, < and > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def with_hostile_names(standin) -> None:
    """Dana (U0LOCAL, an admin) and Priya (U0PRIYA) set display names that try to ping and link."""
    standin.add_user("U0LOCAL", name="you", real_name="Dana Scully", tz="America/New_York", is_admin=True,
                     display_name=NAMES["U0LOCAL"])  # fmt: skip
    standin.add_user("U0PRIYA", name="priya", real_name="Priya Raman", tz="Asia/Kolkata",
                     display_name=NAMES["U0PRIYA"])  # fmt: skip


@dataclass
class Acks:
    """Every HTTP answer the app gave Slack: command replies, form updates and errors, options."""

    responses: list[httpx.Response] = field(default_factory=list)

    def bodies(self) -> Iterator[Any]:
        for response in self.responses:
            if response.content and response.headers.get("content-type", "").startswith("application/json"):
                yield response.json()


def record_acks(harness) -> Acks:
    acks = Acks()
    send = harness.slack.post

    async def post(*args: Any, **kw: Any) -> httpx.Response:
        response = await send(*args, **kw)
        acks.responses.append(response)
        return response

    harness.slack.post = post
    return acks


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def surfaces(harness, acks: Acks) -> list[tuple[str, Any]]:
    """(where, payload) of every message, post, view and HTTP answer the app sent."""
    found: list[tuple[str, Any]] = []
    for call in harness.standin.calls:
        if call.method in MESSAGE_METHODS or call.method in VIEW_METHODS:
            found.append((call.method, {k: _decoded(v) for k, v in call.args.items()}))
    found += [("ack", body) for body in acks.bodies()]
    return found


def mrkdwn(node: Any) -> Iterator[str]:
    """Every string in `node` that Slack reads as mrkdwn: text objects of that type, a message's `text`."""
    if isinstance(node, list):
        for item in node:
            yield from mrkdwn(item)
    elif isinstance(node, dict):
        if node.get("type") == "plain_text":
            return
        if isinstance(node.get("text"), str):
            yield node["text"]
        for key, value in node.items():
            if key not in NOT_SHOWN and not (key == "text" and isinstance(value, str)):
                yield from mrkdwn(value)


def allowed_markup(mentioned: tuple[str, ...]) -> re.Pattern[str]:
    """What the app itself writes between < and >: mentions of the people it means, channels, dates, the
    decision's link and a meeting's pre-read, and the permalink of the message an action item came from or of a
    meeting's async thread (the stand-in's)."""
    people = "|".join(mentioned)
    return re.compile(
        rf"@(?:{people})|#C[A-Z0-9]+|!date\^\d+\^[^|<>]*\|[^|<>]*"
        r"|https://ok\.example/[^|<>\s]*\|(?:More context|open it)"
        r"|https://acme\.slack\.com/archives/C[A-Z0-9]+/p\d+[^|<>\s]*\|(?:a message|in its thread)"
    )


@dataclass
class Shown:
    """What the app showed, as (where, mrkdwn text) pairs."""

    texts: list[tuple[str, str]]

    def joined(self) -> str:
        return "\n".join(text for _, text in self.texts)

    def foreign_markup(self, mentioned: tuple[str, ...]) -> list[str]:
        """Markup the app did not write: a ping, a mention of someone it never mentions, a link, a date."""
        allowed = allowed_markup(mentioned)
        return [
            f"{where}: <{token}> in {text[:300]!r}"
            for where, text in self.texts
            for token in re.findall(r"<([^<>]*)>", text)
            if not allowed.fullmatch(token)
        ]

    def escaped_twice(self) -> list[str]:
        """`&amp;amp;` (a typed `&lt;` escaped twice) or `&amp;lt;@` (a typed `<@U…>` escaped twice: the hostile
        texts never type `&lt;@` themselves)."""
        return [f"{where}: {text[:300]!r}" for where, text in self.texts if "&amp;amp;" in text or "&amp;lt;@" in text]

    def missing(self, typed: list[str]) -> list[str]:
        """Which of the texts people typed never showed, escaped exactly once, anywhere."""
        everything = self.joined()
        return [text for text in typed if slack_escaped(text) not in everything]


def shown(harness, acks: Acks) -> Shown:
    return Shown([(where, text) for where, payload in surfaces(harness, acks) for text in mrkdwn(payload)])


def assert_nothing_foreign(harness, acks: Acks, *, typed: list[str], mentioned: tuple[str, ...]) -> Shown:
    """No ping, mention or link came from what people typed or are called, nothing was escaped twice, and
    every text in `typed` was shown (escaped once) somewhere."""
    seen = shown(harness, acks)
    assert seen.texts, "nothing was shown at all"
    # Spelled out: this module's asserts are not rewritten by pytest.
    foreign, twice, missing = seen.foreign_markup(mentioned), seen.escaped_twice(), seen.missing(typed)
    assert not foreign, "markup from what people typed:\n" + "\n".join(foreign)
    assert not twice, "escaped twice:\n" + "\n".join(twice)
    assert not missing, "never shown (escaped once):\n" + "\n".join(missing)
    return seen


def as_shown(view: dict[str, Any], **typed: Any) -> dict[str, dict[str, Any]]:
    """A form's state as Slack submits it when the person changes only `typed` (by block id): every other
    input keeps what the form showed."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        kind = element["type"]
        if kind == "plain_text_input":
            state = {"type": kind, "value": typed.get(block_id, element.get("initial_value"))}
        elif kind in ("static_select", "radio_buttons"):
            state = {"type": kind, "selected_option": typed.get(block_id, element.get("initial_option"))}
        else:
            continue
        values[block_id] = {element["action_id"]: state}
    return values


MENTIONED = ("U0LOCAL", "U0PRIYA")  # the owners, deciders and askers of these stories
HOME = {"type": "app_home_opened", "tab": "home"}


async def command(harness, actor, name: str, typed: str = "") -> dict:
    """A slash command with `typed` as Slack sends it (escaped); its reply, if any."""
    response = await harness.slack.command(actor, name, slack_escaped(typed))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def open_home(harness, actor) -> None:
    response = await harness.slack.event(actor, {**HOME, "user": actor.user_id})
    assert response.status_code == 200
