"""Every message and view about a decision is Block Kit Slack accepts, at the limits of what people may type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.views import View

from bot.devtools.standin.checks import MAX_MESSAGE_BLOCKS, block_problems
from handlers.decisions.blocks.card import card_blocks
from handlers.decisions.blocks.dms import Skipped, asked_dm, closed_dm, level_dm, nudge_dm, thread_note
from handlers.decisions.blocks.forms import (
    decide_view,
    decision_form_view,
    move_view,
    reopen_view,
    snooze_view,
    withdraw_view,
)
from handlers.decisions.blocks.words import relative
from models import Decision, DecisionMember, DecisionRole, DecisionStatus, EscalationLevel, EscalationPolicy, Person
from services.decisions import MAX_CONTEXT, MAX_OPTION, MAX_OPTIONS, MAX_QUESTION, MAX_RATIONALE
from services.decisions.walk import Ping, PingKind

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def person(n: int, user: str, name: str) -> Person:
    return Person(id=n, workspace_id=1, slack_user_id=user, display_name=name, timezone="Asia/Kolkata")


def biggest(status: DecisionStatus = DecisionStatus.OPEN) -> Decision:
    priya, alex, dana = person(1, "U0PRIYA", "Priya"), person(2, "U0ALEX", "Alex"), person(3, "U0LOCAL", "Dana")
    policy = EscalationPolicy(id=1, workspace_id=1, name="x" * 60, is_default=True, ack_window_minutes=240)
    policy.levels = [EscalationLevel(position=0, person_ids=[2], include_decider=True, wait_minutes=60, repeats=0)]
    decision = Decision(
        id=1,
        workspace_id=1,
        number=123456,
        question="q" * MAX_QUESTION,
        context="c" * MAX_CONTEXT,
        link="https://example.com/" + "l" * 400,
        options=[f"{n}" + "o" * (MAX_OPTION - 1) for n in range(MAX_OPTIONS)],
        decider_id=1,
        created_by_id=3,
        deadline=NOW - timedelta(hours=1),
        status=status,
        round=1,
        chosen_option="0" + "o" * (MAX_OPTION - 1) if status is DecisionStatus.DECIDED else None,
        rationale="r" * MAX_RATIONALE if status is DecisionStatus.DECIDED else None,
        decided_at=NOW if status is DecisionStatus.DECIDED else None,
        channel_id="C0GENERAL",
        card_channel="C0GENERAL",
        card_ts="1.000001",
    )
    decision.decider, decision.created_by, decision.decided_by = priya, dana, priya
    decision.policy, decision.outcome = policy, None
    decision.members = [
        DecisionMember(person_id=2, person=alex, role=DecisionRole.CONSULTED),
        DecisionMember(person_id=3, person=dana, role=DecisionRole.INFORMED),
    ]
    return decision


def fine(message: dict) -> None:
    assert block_problems(message["blocks"]) == [], message
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS and len(message["text"]) <= 4000


@pytest.mark.parametrize("status", list(DecisionStatus))
def test_messages_at_the_limits_are_valid(status: DecisionStatus) -> None:
    decision = biggest(status)
    zone = ZoneInfo("Asia/Kolkata")
    nudge = Ping("k", NOW, PingKind.NUDGE, 3, 0, (1,))
    level = Ping("k", NOW, PingKind.LEVEL, 2, 1, (2,), in_channel=True, includes_decider=True)

    fine({"text": "card", "blocks": card_blocks(decision, NOW, zone=zone)})
    for role in (None, *DecisionRole):
        fine(asked_dm(decision, role, "U0ALEX", NOW))
    fine(closed_dm(decision, "U0ALEX", "why " * 300))
    fine(nudge_dm(decision, nudge, "U0PRIYA", NOW, zone))
    fine(level_dm(decision, level, "U0ALEX", NOW, ack_window=timedelta(hours=4)))
    note = thread_note(decision, level, ["U0ALEX"], Skipped(left=["U0GONE"], away={"U0DANA": NOW.date()}))
    assert note["reply_broadcast"] is True and "<@U0PRIYA>, <@U0ALEX> and this channel" in note["text"]


def test_views_at_the_limits_are_valid() -> None:
    decision = biggest()
    policies = [decision.policy] * 150  # more than a menu holds: the form shows the first hundred
    for view in (
        decision_form_view(metadata="{}", policies=policies, default_policy=decision.policy, deadline=NOW, zone="UTC"),
        decide_view(decision, metadata="{}"),
        withdraw_view(decision, metadata="{}"),
        move_view(decision, metadata="{}", zone="UTC"),
        reopen_view(decision, metadata="{}", deadline=NOW, zone="UTC"),
        snooze_view(decision, metadata="{}", limit=timedelta(minutes=30)),
    ):
        View(**view).to_dict()
        assert block_problems(view["blocks"]) == []


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=20), "in 1 min"),
        (timedelta(minutes=90), "in 2 h"),
        (timedelta(days=3), "in 3 days"),
        (-timedelta(hours=5), "5 h overdue"),
    ],
)
def test_relative_words(delta: timedelta, words: str) -> None:
    assert relative(NOW + delta, NOW) == words
