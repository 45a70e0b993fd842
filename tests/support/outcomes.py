"""Helpers for the outcome, progress and Home tests (no tests here): fill and submit the real forms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.progress import ProgressIds
from models import Outcome
from services import outcomes

DUE = (date.today() + timedelta(days=60)).isoformat()


def my_today() -> date:
    """Today for harness.me (U0LOCAL, in New York): the day cards count from when harness.me reads them. Late at
    night in UTC it is still yesterday there."""
    return datetime.now(UTC).astimezone(ZoneInfo("America/New_York")).date()


def text_state(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def option_state(kind: str, value: str | None, label: str = "") -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": label or value}, "value": value} if value else None
    return {"type": kind, "selected_option": option}


def outcome_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """State values of the outcome form; keyword names are the field names, e.g. due="2031-01-01"."""
    data = {
        "title": "Cut time to first value to under a day",
        "definition": "New teams see their first report on day one, measured over a full month.",
        "owner": "U0LOCAL",
        "due": DUE,
        "parent": None,
        "lagging_name": "Activation",
        "unit": "%",
        "baseline": "20",
        "target": "40",
        "leading": "Demos booked: 2 -> 10",
        **fields,
    }
    blocks = {
        OutcomeIds.TITLE: text_state(data["title"]),
        OutcomeIds.DEFINITION: text_state(data["definition"]),
        OutcomeIds.OWNER: {"type": "users_select", "selected_user": data["owner"]},
        OutcomeIds.DUE: {"type": "datepicker", "selected_date": data["due"]},
        OutcomeIds.PARENT: option_state("external_select", data["parent"]),
        OutcomeIds.LAGGING_NAME: text_state(data["lagging_name"]),
        OutcomeIds.UNIT: text_state(data["unit"]),
        OutcomeIds.BASELINE: text_state(data["baseline"]),
        OutcomeIds.TARGET: text_state(data["target"]),
        OutcomeIds.LEADING: text_state(data["leading"]),
    }
    return {block.value: {block.value: state} for block, state in blocks.items()}


def progress_values(
    ref: str | None, values: str = "", status: str | None = None, note: str = "", blocker: str = ""
) -> dict[str, dict[str, Any]]:
    blocks = {
        ProgressIds.OUTCOME: option_state("external_select", ref),
        ProgressIds.VALUES: text_state(values or None),
        ProgressIds.STATUS: option_state("static_select", status),
        ProgressIds.NOTE: text_state(note or None),
        ProgressIds.BLOCKER: text_state(blocker or None),
    }
    return {block.value: {block.value: state} for block, state in blocks.items()}


def opened_view(harness, index: int = -1, actor=None) -> dict[str, Any]:
    """The modal as Slack echoed it from views.open (what a submission carries back). The stand-in serves one
    workspace; a view opened for someone in another carries that workspace's id, as Slack's would."""
    view = dict(harness.standin.calls_to("views.open")[index].response["view"])
    if actor is not None:
        view.update(team_id=actor.team_id, app_installed_team_id=actor.team_id)
    return view


def sent_view(call) -> dict[str, Any]:
    view = call.args["view"]
    return view if isinstance(view, dict) else json.loads(view)


async def define(harness, actor=None, channel: str | None = None, **fields: Any) -> Outcome:
    """Defines an outcome the way a person does: /outcome, then the form."""
    actor = actor or harness.me
    if channel:
        actor = harness.actor(actor.user_id, channel_id=channel, team_id=actor.team_id)
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(actor, "/outcome", "")
    assert response.status_code == 200
    assert len(harness.standin.calls_to("views.open")) == opened + 1
    fields.setdefault("owner", actor.user_id)
    submitted = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), outcome_values(**fields))
    body = submitted.json()
    assert body["response_action"] == "update", body
    defined = await harness.rows(Outcome)
    return max(defined, key=lambda o: o.id)


def reply_text(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["text"]


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in a block tree, for asserting what a person reads."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


async def create_directly(session, *, workspace, author, form) -> Outcome:
    """An outcome defined through the service, not the form, on the real clock: for seeding many at once."""
    now = datetime.now(UTC)
    return await outcomes.create_outcome(
        session, workspace=workspace, author=author, form=form, channel_id=None, today=now.date(), now=now
    )
