"""Helpers for the decision and escalation tests (no tests here): ask through the real form, press the real
buttons, move the clock and run the scheduler's job and the outbox sender the way the runner would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from handlers.decisions.blocks.escalation import EscalationIds, Flag, LevelPart, level_block
from handlers.decisions.blocks.ids import DecisionIds
from handlers.kit.clock import clock_of, use_clock
from models import Decision, DecisionEvent
from scheduler import decisions as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.outcomes import all_text, opened_view

# Monday 30 November 2026, 08:00 UTC; the usual deadline is Wednesday 2 December, 14:00 UTC
# (19:30 in Kolkata, 09:00 in New York).
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def install_clock(harness, clock: MovableClock) -> None:
    """Requests of this app see `clock` as their time, like the scheduler's job does."""
    use_clock(harness.app.state.bolt, clock)


def text_state(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def decision_values(**fields: Any) -> dict[str, dict[str, Any]]:
    """State values of the decision form; keyword names are the form's fields, e.g. decider="U0PRIYA"."""
    data: dict[str, Any] = {
        "question": "Which vendor do we sign the support contract with?",
        "context": "Both pass security review; prices differ by 12%.",
        "link": None,
        "options": "Acme Support\nGlobex Care",
        "decider": "U0PRIYA",
        "deadline": DEADLINE,
        "responsible": [],
        "consulted": ["U0ALEX"],
        "informed": [],
        "policy": None,
        "outcome": None,
        **fields,
    }
    deadline = data["deadline"]
    option = {"text": {"type": "plain_text", "text": "x"}, "value": data["policy"]} if data["policy"] else None
    outcome = {"text": {"type": "plain_text", "text": "x"}, "value": data["outcome"]} if data["outcome"] else None
    blocks = {
        DecisionIds.QUESTION: text_state(data["question"]),
        DecisionIds.CONTEXT: text_state(data["context"]),
        DecisionIds.LINK: {"type": "url_text_input", "value": data["link"]},
        DecisionIds.OPTIONS: text_state(data["options"]),
        DecisionIds.DECIDER: {"type": "users_select", "selected_user": data["decider"]},
        DecisionIds.DEADLINE: {
            "type": "datetimepicker",
            "selected_date_time": int(deadline.timestamp()) if isinstance(deadline, datetime) else deadline,
        },
        DecisionIds.RESPONSIBLE: {"type": "multi_users_select", "selected_users": data["responsible"]},
        DecisionIds.CONSULTED: {"type": "multi_users_select", "selected_users": data["consulted"]},
        DecisionIds.INFORMED: {"type": "multi_users_select", "selected_users": data["informed"]},
        DecisionIds.POLICY: {"type": "static_select", "selected_option": option},
        DecisionIds.OUTCOME: {"type": "external_select", "selected_option": outcome},
    }
    return {block.value: {block.value: state} for block, state in blocks.items()}


async def submit_form(harness, actor=None, **fields: Any):
    """/decision, then the form submitted with `fields`; returns the submission's HTTP response."""
    actor = actor or harness.me
    if "deadline" not in fields:
        fields["deadline"] = usual_deadline(harness)
    opened = len(harness.standin.calls_to("views.open"))
    response = await harness.slack.command(actor, "/decision", "")
    assert response.status_code == 200, response.text
    assert len(harness.standin.calls_to("views.open")) == opened + 1, response.text
    return await harness.slack.view_submission(actor, opened_view(harness, actor=actor), decision_values(**fields))


def usual_deadline(harness) -> datetime:
    """DEADLINE on a movable clock (they start before it); two days ahead on an app that runs on the real time, where
    DEADLINE has passed since the tests were written and the form would refuse it."""
    now = clock_of(harness.app.state.bolt).now()
    return DEADLINE if DEADLINE > now + timedelta(hours=1) else now + timedelta(days=2)


async def ask(harness, actor=None, **fields: Any) -> Decision:
    """Asks for a decision the way a person does and returns it."""
    body = (await submit_form(harness, actor, **fields)).json()
    assert body.get("response_action") == "update", body
    decisions = await harness.rows(Decision)
    return max(decisions, key=lambda d: d.id)


def button(action: DecisionIds, ref: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action.value,
        "block_id": DecisionIds.CARD_ACTIONS.value,
        "value": ref,
        "text": {"type": "plain_text", "text": "x"},
    }


async def press(harness, actor, action: DecisionIds, ref: str = "D-1"):
    """Presses a decision button on a message (its value is all a forger needs to know)."""
    return await harness.slack.block_action(actor, button(action, ref), message={"ts": "1.000001"})


async def submit_opened(harness, actor, values: dict[str, dict[str, Any]]) -> dict:
    """Submits the latest modal the app opened, with `values`; returns Slack's answer body."""
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


def one(block: DecisionIds, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block.value: {block.value: state}}


async def decide(harness, actor, option_index: int | None = 0, rationale: str = "Cheaper, same quality.") -> dict:
    await press(harness, actor, DecisionIds.DECIDE)
    values = one(DecisionIds.RATIONALE, text_state(rationale))
    if option_index is not None:
        option = {"text": {"type": "plain_text", "text": "x"}, "value": str(option_index)}
        values |= one(DecisionIds.CHOICE, {"type": "radio_buttons", "selected_option": option})
    return await submit_opened(harness, actor, values)


def private_answers(harness) -> list[str]:
    """What people were told privately in answer to button presses."""
    return [c.args.get("text", "") for c in harness.standin.calls if c.method == "response_url"]


class Scheduler:
    """The scheduler's work for decisions, run by hand: the "what is due" job, then the sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def walk(self) -> int:
        """One run of the "what is due" job (it only enqueues); returns the pings recorded."""
        return await jobs.walk_due(self.context)

    async def deliver(self) -> int:
        """The sender, until nothing due is left; returns how many deliveries it claimed."""
        claimed = 0
        while done := (await self.sender.run_once()).claimed:
            claimed += done
        return claimed

    async def run(self) -> int:
        """One run of the job, then deliver everything due; returns the pings recorded."""
        recorded = await self.walk()
        await self.deliver()
        return recorded

    async def at(self, moment: datetime | timedelta) -> int:
        """Move the clock to `moment` (or by it) and run."""
        if isinstance(moment, timedelta):
            self.clock.advance(moment)
        else:
            self.clock.set(moment)
        return await self.run()


def dm_texts(harness, user: str) -> list[str]:
    return [m["text"] for m in harness.standin.messages(user)]


def posts(harness) -> int:
    return len(harness.standin.calls_to("chat.postMessage"))


async def events(harness, decision: Decision | None = None) -> list[DecisionEvent]:
    async with harness.db.sessions() as session:
        query = select(DecisionEvent).order_by(DecisionEvent.at, DecisionEvent.id)
        if decision is not None:
            query = query.where(DecisionEvent.decision_id == decision.id)
        return list(await session.scalars(query))


async def kinds(harness, decision: Decision | None = None) -> list[str]:
    return [
        f"{e.kind.value}:{e.data.get('number', '')}" if e.ping_key else e.kind.value
        for e in await events(harness, decision)
    ]


def path_values(name: str, levels: list[dict[str, Any]], *, default: bool = False, ack: str | None = "240",
                channels: list[str] | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    """State values of the escalation path form; each level: people, decider, channel, wait, repeats."""
    values = {
        EscalationIds.NAME.value: {EscalationIds.NAME.value: text_state(name)},
        EscalationIds.ACK_WINDOW.value: {EscalationIds.ACK_WINDOW.value: {"type": "number_input", "value": ack}},
        EscalationIds.DEFAULT.value: {
            EscalationIds.DEFAULT.value: {
                "type": "checkboxes",
                "selected_options": [{"value": Flag.DEFAULT.value, "text": {"type": "plain_text", "text": "x"}}]
                if default
                else [],
            }
        },
        EscalationIds.CHANNELS.value: {
            EscalationIds.CHANNELS.value: {
                "type": "multi_conversations_select",
                "selected_conversations": channels or [],
            }
        },
    }
    for number, level in enumerate(levels, 1):
        flags = [Flag.DECIDER.value] * bool(level.get("decider")) + [Flag.CHANNEL.value] * bool(level.get("channel"))
        states = {
            LevelPart.PEOPLE: {"type": "multi_users_select", "selected_users": level.get("people", [])},
            LevelPart.FLAGS: {
                "type": "checkboxes",
                "selected_options": [{"value": f, "text": {"type": "plain_text", "text": f}} for f in flags],
            },
            LevelPart.WAIT: {"type": "number_input", "value": level.get("wait")},
            LevelPart.REPEATS: {"type": "number_input", "value": level.get("repeats")},
        }
        for part, state in states.items():
            block = level_block(part, number)
            values[block] = {block: state}
    return values


async def define_path(harness, name: str, levels: list[dict[str, Any]], actor=None, **kw: Any) -> dict:
    """/escalation new, then the form; returns the submission's answer."""
    actor = actor or harness.me
    response = await harness.slack.command(actor, "/escalation", "new")
    assert response.status_code == 200, response.text
    return await submit_opened(harness, actor, path_values(name, levels, **kw))


# A path that shows every move: level 1 (the decider and Alex) at the deadline, level 2 (Dana and the
# channel) an hour later.
FAST_PATH = [
    {"people": ["U0ALEX"], "decider": True, "wait": "60"},
    {"people": ["U0LOCAL"], "channel": True, "wait": "120"},
]


__all__ = ["all_text"]


async def fast_path_scheduler(harness, clock: MovableClock, clients, sender, start: datetime) -> Scheduler:
    """The clock at `start`, the app on it, "Fast" the default path: what most walk tests begin with."""
    clock.set(start)
    install_clock(harness, clock)
    await define_path(harness, "Fast", FAST_PATH, default=True)
    return Scheduler(harness, clock, clients, sender)
