"""The answer form: the round's questions, an "I will…" line (each line an action item), then each of the
person's open outcomes with its status and an optional value; and what the form turns into once sent (or when
its round is gone)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, Option, SectionBlock, StaticSelectElement

from handlers.checkins.blocks.ids import CheckinIds, indexed
from handlers.checkins.blocks.text import channel_ref, day_text, notice_view
from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.outcome_status import metric_now, status_text
from handlers.kit.text import clip, esc
from models import Action, Delivery, DeliveryState, Invite, Outcome, OutcomeStatus, Round
from services.checkins import BLOCKER_QUESTION, CONFIDENCE_CHOICES, CONFIDENCE_QUESTION, MAX_ANSWER

ANSWER_STATUSES = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK, OutcomeStatus.DONE)


def _status_options(statuses: tuple[OutcomeStatus, ...]) -> list[Option]:
    return [Option(value=s.value, text=status_text(s)) for s in statuses]


def _earlier(answers: list[str], n: int) -> str | None:
    return (answers[n] if n < len(answers) else "") or None


def answer_view(*, round_: Round, invite: Invite, outcomes: list[Outcome], metadata: str, due: date) -> dict:
    """The answer form: the round's questions, then each of the person's open outcomes with its status (and
    an optional value), filled with their earlier answer when they change it. "I will…" starts empty each time:
    what it held is an action item already (`due` is when the next ones would be due)."""
    where = f"{channel_ref(round_.channel_id)} check-in · {day_text(round_.occurs_on)}"
    blocks: list = [ContextBlock(elements=[MarkdownTextObject(text=where)]), *_questions(round_, invite)]
    blocks.append(_will(due))
    if round_.ask_confidence and not outcomes:
        blocks.append(_confidence(invite))
    if outcomes:
        hint = "How each of your outcomes stands: this logs its status (and any values) as progress."
        if round_.ask_confidence:
            hint = f"{CONFIDENCE_QUESTION} {hint}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Your outcomes*\n{hint}")))
    for outcome in outcomes:
        blocks += _outcome(outcome)
    return modal(CheckinIds.ANSWER_VIEW, "Check-in", blocks, submit="Send", metadata=metadata)


def _questions(round_: Round, invite: Invite) -> list:
    answers = list(invite.answers or [])
    blocks = [
        text_input(
            indexed(CheckinIds.QUESTION, n),
            clip(question, 2000),
            initial=_earlier(answers, n) or (invite.reply if n == 0 else None),
            optional=True,
            multiline=True,
            max_length=MAX_ANSWER,
        )
        for n, question in enumerate(round_.questions)
    ]
    if round_.ask_blocker:
        blocks.append(
            text_input(
                CheckinIds.BLOCKER,
                BLOCKER_QUESTION,
                initial=invite.blocker,
                optional=True,
                multiline=True,
                max_length=MAX_ANSWER,
                placeholder="Leave empty if nothing is",
            )
        )
    return blocks


def _will(due: date) -> object:
    return text_input(
        CheckinIds.WILL,
        "I will…",
        optional=True,
        multiline=True,
        max_length=MAX_ANSWER,
        placeholder="One thing per line",
        hint=f"Each line becomes an action item of yours, due {day_text(due)} (the next check-in).",
    )


def _confidence(invite: Invite) -> object:
    options = _status_options(CONFIDENCE_CHOICES)
    return labelled(
        CheckinIds.CONFIDENCE,
        CONFIDENCE_QUESTION,
        StaticSelectElement(
            action_id=CheckinIds.CONFIDENCE,
            options=options,
            initial_option=next((o for o in options if o.value == invite.confidence), None),
        ),
        optional=True,
    )


def _outcome(outcome: Outcome) -> list:
    """Two inputs per outcome: how it stands, and any values."""
    options = _status_options(ANSWER_STATUSES)
    lagging = outcome.lagging
    now_text = f" · {esc(lagging.name)} {metric_now(lagging)}" if lagging else ""
    status_block = indexed(CheckinIds.OUTCOME_STATUS, outcome.ref)
    return [
        labelled(
            status_block,
            clip(f"{outcome.ref} {outcome.title}", 2000),
            StaticSelectElement(
                action_id=status_block,
                options=options,
                initial_option=next((o for o in options if o.value == outcome.status.value), None),
            ),
            hint=clip(f"Now {outcome.status.label.lower()}{now_text}", 2000),
        ),
        text_input(
            indexed(CheckinIds.OUTCOME_VALUES, outcome.ref),
            f"{outcome.ref} values",
            optional=True,
            hint="A number for the lagging metric (42), or name=value for any metric (activation=31%).",
            max_length=300,
            placeholder="42",
        ),
    ]


def gone_view() -> dict:
    return notice_view("This check-in round no longer exists (its check-in was deleted), so the answer was not stored.")


# Why the round's thread could not be posted, and what fixes it, for the person who just answered.
THREAD_REFUSALS = {
    "not_in_channel": "I'm not a member of {where}. Whoever set up the check-in can type `/invite @Followthrough` "
    "there; the next rounds will then post.",
    "channel_not_found": "{where} was deleted, or it is private and I'm not in it. Whoever set up the check-in "
    "can type `/invite @Followthrough` there; the next rounds will then post.",
    "is_archived": "{where} is archived.",
    "channel_is_archived": "{where} is archived.",
}


def made_text(made: list[Action]) -> str:
    """` I've made A-4 and A-5 your action items, due Mon 7 Dec.`, or nothing."""
    if not made:
        return ""
    refs = [f"*{a.ref}*" for a in made]
    listed = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]
    items = "action item" if len(made) == 1 else "action items"
    return f" I've made {listed} your {items}, due {day_text(made[0].due_on)}; `/action list` shows them."


def answered_view(round_: Round, *, everyone: bool, thread: Delivery | None, made: Sequence[Action] = ()) -> dict:
    """What the form turns into: the answer is stored in every case; where it shows is said as it stands, since
    the answer is posted after this (through the outbox) and its thread may be late, or have failed. `made`:
    the action items its "I will…" lines became."""
    made = list(made)
    where = channel_ref(round_.channel_id)
    state = thread.state if thread is not None else None
    if state == DeliveryState.SENT:
        text = f"Thanks! Your answer is saved, and on its way to the check-in thread in {where}."
    elif state in (DeliveryState.PENDING, DeliveryState.SENDING):
        text = (
            f"Thanks! Your answer is saved. This round's thread in {where} isn't posted yet; your answer goes "
            "there right after it."
        )
    else:
        error = (thread.last_error if thread is not None else None) or ""
        why = THREAD_REFUSALS.get(error, f"Slack said `{esc(error)}`." if error else "").format(where=where)
        text = (
            f"Your answer is saved and counts for this round, but it won't show in {where}: I couldn't post "
            f"this round's thread there. {why}"
        )
        return notice_view(text.strip() + made_text(made))
    tail = " Everyone has answered, so the digest follows in the thread." if everyone else ""
    return notice_view(text + tail + made_text(made))
