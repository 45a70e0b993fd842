"""A round's messages: its thread in the channel, each person's ask and reminder (direct messages), the ask
once answered, and an answer posted in the thread."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.checkins.blocks.ids import CheckinIds
from handlers.checkins.blocks.text import channel_ref, day_text, name, team_zone, when_text
from handlers.kit.outcome_status import STATUS_MARK, shown_value, status_text
from handlers.kit.text import clip, esc
from models import AnswerSource, Invite, OutcomeStatus, Round
from services.checkins import BLOCKER_QUESTION, CONFIDENCE_QUESTION
from services.outcomes import Logged

ANSWER_SHOWN = 700  # characters of each answer shown in the thread; the whole answer is stored


def answer_button(round_token: str, *, text: str = "Answer", primary: bool = True) -> ButtonElement:
    style = "primary" if primary else None
    return ButtonElement(text=text, action_id=CheckinIds.ANSWER, value=round_token, style=style)


def _question_lines(round_: Round) -> str:
    questions = list(round_.questions)
    if round_.ask_blocker:
        questions.append(BLOCKER_QUESTION)
    if round_.ask_confidence:
        questions.append(CONFIDENCE_QUESTION)
    return "\n".join(f"{n}. {esc(q)}" for n, q in enumerate(questions, 1))


def message(channel: str, text: str, blocks: list) -> dict[str, Any]:
    return {"channel": channel, "text": text, "blocks": [b.to_dict() for b in blocks]}


def thread_message(round_: Round) -> dict[str, Any]:
    """The round's parent message in the channel; every answer and the digest go in its thread."""
    asked = len([i for i in round_.invites if not i.away])
    header = f"Check-in · {day_text(round_.occurs_on)}"
    body = (
        f"{_question_lines(round_)}\n\n"
        f"I'm asking {asked} {'person' if asked == 1 else 'people'} by direct message. Answer with the button, "
        f"or just reply in this thread. The digest comes here {when_text(round_.digest_at, team_zone(round_.cadence))}."
    )
    blocks = [
        HeaderBlock(text=header),
        SectionBlock(text=MarkdownTextObject(text=body)),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.token)]),
    ]
    return message(round_.channel_id, f"{header}: answers go in this thread.", blocks)


def ask_message(round_: Round, invite: Invite) -> dict[str, Any]:
    """The direct message that asks one person."""
    text = f"Time for the {channel_ref(round_.channel_id)} check-in ({day_text(round_.occurs_on)}). It takes a minute."
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text + "\n" + _question_lines(round_))),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.token)]),
        ContextBlock(elements=[MarkdownTextObject(text="You can also reply in the check-in thread in the channel.")]),
    ]
    return message(invite.person.slack_user_id, text, blocks)


def reminder_message(round_: Round, invite: Invite) -> dict[str, Any]:
    text = (
        f"A gentle nudge: the {channel_ref(round_.channel_id)} check-in of {day_text(round_.occurs_on)} is still "
        "waiting for your answer. This is the only reminder."
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.token)]),
    ]
    return message(invite.person.slack_user_id, text, blocks)


def answered_ask(round_: Round, invite: Invite) -> dict[str, Any]:
    """The ask, redrawn once answered (chat.update: the channel and ts come from the ask's delivery)."""
    check_in = f"{channel_ref(round_.channel_id)} check-in of {day_text(round_.occurs_on)}"
    text = f"✓ Thanks, your answer to the {check_in} is in its thread."
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=text))]
    if invite.source == AnswerSource.MODAL:
        blocks.append(
            ActionsBlock(
                block_id=CheckinIds.ASK_ACTIONS,
                elements=[answer_button(round_.token, text="Change my answer", primary=False)],
            )
        )
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def answer_post(round_: Round, invite: Invite, logged: list[Logged]) -> dict[str, Any]:
    """One person's answer, posted in the round's thread under their name."""
    who = name(invite.person)
    notes = []
    if invite.late:
        notes.append("late")
    if invite.revision > 1:
        notes.append("edited")
    suffix = f" ({', '.join(notes)})" if notes else ""
    lines = [f"*{who}*{suffix}"]
    for question, answer in zip(round_.questions, invite.answers or [], strict=False):
        if answer.strip():
            lines.append(f"*{esc(question)}*\n{esc(clip(answer, ANSWER_SHOWN))}")
    if invite.blocker:
        lines.append(f"🚧 *In the way:* {esc(clip(invite.blocker, ANSWER_SHOWN))}")
    if invite.confidence:
        lines.append(f"*Confidence:* {status_text(OutcomeStatus(invite.confidence))}")
    outcome_lines = [_logged_line(item) for item in logged]
    if outcome_lines:
        lines.append("\n".join(outcome_lines))
    text = "\n\n".join(lines)
    blocks = [SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))]
    # No channel: the thread's delivery gives the channel and the thread_ts.
    summary = f"{who} answered the check-in"
    return {"text": summary, "blocks": [b.to_dict() for b in blocks]}


def moves_text(moves: list) -> list[str]:
    """`activation 10% → 20%` for each metric that moved."""
    return [
        f"{esc(m.metric.name)} {shown_value(m.before, m.metric.unit)} → {shown_value(m.after, m.metric.unit)}"
        for m in moves
    ]


def _logged_line(logged: Logged) -> str:
    outcome = logged.outcome
    status = status_text(outcome.status)
    if logged.status_changed and logged.status_before is not None:
        status = f"{STATUS_MARK[logged.status_before]} → {status}"
    return f"• {outcome.ref} {esc(clip(outcome.title, 80))}: " + " · ".join([status, *moves_text(logged.moves)])
