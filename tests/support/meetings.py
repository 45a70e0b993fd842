"""Helpers for the meeting tests (no tests here): schedule one through the real form, press the card's buttons,
read the card a person is shown, on a movable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.clock import MovableClock
from bot.devtools.shell.modal import STATE_KEYS, initial_state
from handlers.kit.clock import clock_of
from handlers.meetings.blocks.ids import MeetingIds
from models import Meeting, MeetingEvent, PreRead
from tests.support.decisions import install_clock, private_answers, text_state
from tests.support.outcomes import opened_view

# Monday 30 November 2026, 08:00 UTC; the usual meeting starts Tuesday 1 December at 10:00 UTC
# (05:00 in New York, 11:00 in Berlin, 15:30 in Kolkata).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
AGENDA = "\n".join(
    (
        "Pricing options — @alex — 15 decide",
        "Launch date | Priya Raman | 20 discuss",
        "What support heard - @dana - 5 inform",
    )
)
GOOD_LINK = "https://docs.example.com/pricing?v=2&draft=no"
PRE_READS = f"Pricing options, two pages — {GOOD_LINK}"


def option(value: Any) -> dict[str, Any] | None:
    return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)} if value else None


def meeting_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """State values of the meeting form; keyword names are the form's fields, e.g. minutes=45."""
    data: dict[str, Any] = {
        "title": "Pricing review",
        "kind": "decision",
        "outcome": "We have chosen one pricing option for the launch.",
        "start": STARTS,
        "minutes": 45,
        "attendees": ["U0ALEX", "U0PRIYA"],
        "optional": [],
        "agenda": AGENDA,
        "pre_reads": PRE_READS,
        **fields,
    }
    start = data["start"]
    blocks = {
        MeetingIds.TITLE: text_state(data["title"]),
        MeetingIds.KIND: {"type": "static_select", "selected_option": option(data["kind"])},
        MeetingIds.OUTCOME: text_state(data["outcome"]),
        MeetingIds.START: {
            "type": "datetimepicker",
            "selected_date_time": int(start.timestamp()) if start else None,
        },  # fmt: skip
        MeetingIds.DURATION: {"type": "static_select", "selected_option": option(data["minutes"])},
        MeetingIds.ATTENDEES: {"type": "multi_users_select", "selected_users": data["attendees"]},
        MeetingIds.OPTIONAL: {"type": "multi_users_select", "selected_users": data["optional"]},
        MeetingIds.AGENDA: text_state(data["agenda"]),
        MeetingIds.PRE_READS: text_state(data["pre_reads"]),
    }
    return {block.value: {block.value: state} for block, state in blocks.items()}


async def open_form(harness, actor=None, channel: str = "C0GENERAL") -> dict:
    """/meeting in `channel`; the form Slack opened."""
    actor = actor or harness.me
    actor = harness.actor(actor.user_id, channel_id=channel, team_id=actor.team_id)
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(actor, "/meeting", "")
    assert response.status_code == 200, response.text
    assert len(harness.standin.calls_to("views.open")) == opened + 1, response.text
    return opened_view(harness, actor=actor)


def usual_start(harness) -> datetime:
    """STARTS on a movable clock (they start before it); on an app that runs on the real time, where STARTS has
    passed since the tests were written and the form would refuse it, 10:00 UTC on a weekday at least a day on."""
    now = clock_of(harness.app.state.bolt).now()
    if STARTS > now + timedelta(hours=1):
        return STARTS
    day = now + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


async def submit(harness, view: dict, actor=None, **fields: Any) -> dict:
    if "start" not in fields:
        fields["start"] = usual_start(harness)
    response = await harness.slack.view_submission(actor or harness.me, view, meeting_values(**fields))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def schedule(harness, actor=None, **fields: Any) -> dict:
    """/meeting, then the form submitted with `fields`; the submission's answer."""
    return await submit(harness, await open_form(harness, actor), actor, **fields)


async def show(harness, ref: str = "M-1", actor=None) -> dict:
    response = await harness.slack.command(actor or harness.me, "/meeting", ref)
    assert response.status_code == 200, response.text
    return response.json()


def button(action: MeetingIds, value: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action.value, "block_id": MeetingIds.CARD_ACTIONS.value, "value": value,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


async def press(harness, actor, action: MeetingIds, value: str = "M-1"):
    """Presses a card button; its value (a ref) is all a forger needs."""
    response = await harness.slack.block_action(actor, button(action, value), message={"ts": "1.000001"})
    assert response.status_code == 200, response.text
    return response


async def meetings(harness) -> list[Meeting]:
    async with harness.db.sessions() as session:
        query = select(Meeting).order_by(Meeting.id).options(
            selectinload(Meeting.items), selectinload(Meeting.attendees),
            selectinload(Meeting.pre_reads).selectinload(PreRead.readers),
        )  # fmt: skip
        return list(await session.scalars(query))


async def history(harness) -> list[str]:
    async with harness.db.sessions() as session:
        events = await session.scalars(select(MeetingEvent).order_by(MeetingEvent.at, MeetingEvent.id))
        return [e.kind.value for e in events]


def at_now(harness, moment: datetime = NOW) -> MovableClock:
    clock = MovableClock(moment)
    install_clock(harness, clock)
    return clock


def buttons_of(card: dict) -> list[str]:
    """The card's buttons, those in its actions block and those beside a line (an unread pre-read's)."""
    found = []
    for block in card["blocks"]:
        if block["type"] == "actions":
            found += [e["action_id"] for e in block["elements"]]
        elif (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"]["action_id"])
    return found


def as_shown(view: dict, **changed: Any) -> dict[str, dict[str, Any]]:
    """The form's state as Slack submits it when the person changes only `changed` (a state by block id, or for
    text inputs just the text): every other input keeps what the form showed, as Slack's client does."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        key, many = STATE_KEYS[element["type"]]
        state = initial_state(element) or {"type": element["type"], key: [] if many else None}
        new = changed.get(block["block_id"])
        if new is not None:
            state = new if isinstance(new, dict) else {**state, key: new}
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def start_state(moment: datetime) -> dict[str, Any]:
    return {"type": "datetimepicker", "selected_date_time": int(moment.timestamp())}


async def open_edit(harness, actor=None, ref: str = "M-1") -> dict:
    """Edit pressed on the card; the form Slack opened (it must open)."""
    actor = actor or harness.me
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, actor, MeetingIds.EDIT, ref)
    assert len(harness.standin.calls_to("views.open")) == opened + 1, private_answers(harness)[-1:]
    return opened_view(harness, actor=actor)


async def submit_edit(harness, view: dict, actor=None, **changed: Any) -> dict:
    """The edit form sent with only `changed` changed (see `as_shown`); the submission's answer."""
    response = await harness.slack.view_submission(actor or harness.me, view, as_shown(view, **changed))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


__all__ = ["install_clock", "private_answers"]
