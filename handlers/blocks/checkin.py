"""Block Kit for check-ins: the set-up form, the round's thread, the asks and the reminder, the answer form,
an answer in the thread, the digest, and the list of cadences.

Names, never mentions, for people in round messages: a reminder goes by direct message, and nobody is
@-tagged in the channel for not having answered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from handlers.blocks.outcome import STATUS_MARK, clip, esc, mention, metric_now, status_text
from models import AnswerSource, Audience, Cadence, Invite, Outcome, OutcomeStatus, Person, Round, ZoneMode
from services import checkins
from services.checkin_digest import Digest
from services.checkins import (
    BLOCKER_QUESTION,
    CONFIDENCE_CHOICES,
    CONFIDENCE_QUESTION,
    DIGEST_CHOICES,
    MAX_ANSWER,
    REMIND_CHOICES,
    Field,
)
from services.numbers import format_value
from services.progress import Logged
from services.recurrence import WEEKDAY_NAMES, describe

ANSWER_SHOWN = 700  # characters of each answer shown in the thread; the whole answer is stored


class CheckinIds(StrEnum):
    # views
    SETUP_VIEW = "checkin_setup"
    ANSWER_VIEW = "checkin_answer"
    # buttons
    ANSWER = "checkin_answer_button"  # value: the round id
    ASK_ACTIONS = "checkin_ask_actions"
    # set-up inputs: each block id is also its element's action id
    AUDIENCE = "checkin_audience"
    MEMBERS = "checkin_members"
    FREQUENCY = "checkin_frequency"
    DAYS = "checkin_days"
    TIME = "checkin_time"
    ZONE_MODE = "checkin_zone_mode"
    ZONE = "checkin_zone"
    START = "checkin_start"
    QUESTIONS = "checkin_questions"
    EXTRAS = "checkin_extras"
    REMIND = "checkin_remind"
    DIGEST = "checkin_digest"
    # answer inputs; per-question and per-outcome ids add ":<n>" or ":<ref>"
    QUESTION = "checkin_q"
    BLOCKER = "checkin_blocker"
    CONFIDENCE = "checkin_confidence"
    OUTCOME_STATUS = "checkin_outcome_status"
    OUTCOME_VALUES = "checkin_outcome_values"


class Extra(StrEnum):
    BLOCKER = "blocker"
    CONFIDENCE = "confidence"


FIELD_BLOCKS: dict[Field, CheckinIds] = {
    Field.AUDIENCE: CheckinIds.AUDIENCE,
    Field.MEMBERS: CheckinIds.MEMBERS,
    Field.FREQUENCY: CheckinIds.FREQUENCY,
    Field.DAYS: CheckinIds.DAYS,
    Field.TIME: CheckinIds.TIME,
    Field.ZONE_MODE: CheckinIds.ZONE_MODE,
    Field.ZONE: CheckinIds.ZONE,
    Field.START: CheckinIds.START,
    Field.QUESTIONS: CheckinIds.QUESTIONS,
    Field.REMIND: CheckinIds.REMIND,
    Field.DIGEST: CheckinIds.DIGEST,
}


def indexed(block: CheckinIds, key: object) -> str:
    return f"{block.value}:{key}"


# small pieces ------------------------------------------------------------------------------------------------


def name(person: Person) -> str:
    """A person's name as shown to others; never a mention (that would ping them)."""
    return esc(person.display_name or "someone without a name in Slack")


def names(invites: list[Invite]) -> str:
    return ", ".join(name(i.person) for i in invites)


def channel_ref(channel_id: str) -> str:
    return f"<#{channel_id}>"


def day_text(day: date) -> str:
    return f"{day:%a %-d %b}"


def when_text(moment: datetime) -> str:
    """A date and time Slack shows in each reader's zone."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{moment.astimezone(UTC):%-d %b %H:%M} UTC>"


def minutes_text(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    if rest:
        return f"{minutes} minutes"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def schedule_text(cadence: Cadence) -> str:
    """`every Monday at 09:30, each person in their own time zone`."""
    rule = describe(checkins.rule_of(cadence))
    if cadence.zone_mode is ZoneMode.PERSONAL:
        return f"{rule}, each person in their own time zone"
    return f"{rule} ({cadence.timezone})"


def audience_text(cadence: Cadence) -> str:
    """Who is asked, for the person setting it up (a form or a private reply: mentions show names, ping nobody)."""
    if cadence.audience is Audience.CHANNEL:
        return "everyone in the channel"
    people = ", ".join(mention(m.person.slack_user_id) for m in cadence.members)
    return clip(people or "nobody yet", 500)


# the set-up form ---------------------------------------------------------------------------------------------


def _option(value: object, text: str) -> Option:
    return Option(value=str(value), text=text)


AUDIENCE_OPTIONS = {
    Audience.CHANNEL: "Everyone in this channel (kept in step with who joins and leaves)",
    Audience.CHOSEN: "Only the people I pick below",
}
ZONE_MODE_OPTIONS = {
    ZoneMode.PERSONAL: "Each person at that time in their own time zone",
    ZoneMode.TEAM: "Everyone at that time in the time zone below",
}
FREQUENCY_OPTIONS = {1: "Every week", 2: "Every two weeks"}
EXTRA_OPTIONS = {
    Extra.BLOCKER: "Ask what's in their way (blockers)",
    Extra.CONFIDENCE: "Ask how sure they are: on track, at risk or off track",
}


def remind_label(minutes: int | None) -> str:
    return "Don't remind them" if minutes is None else f"{minutes_text(minutes)} after they're asked"


def digest_label(minutes: int) -> str:
    return f"{minutes_text(minutes)} after the first ask"


def setup_view(*, metadata: str, channel_id: str, cadence: Cadence | None, zone: str, today: date) -> dict:
    """The set-up form, filled with the cadence's settings or with the defaults."""
    audience = cadence.audience if cadence else Audience.CHANNEL
    members = [m.person.slack_user_id for m in cadence.members] if cadence else []
    interval = cadence.interval_weeks if cadence else 1
    weekdays = cadence.weekdays if cadence else list(checkins.DEFAULT_WEEKDAYS)
    at = cadence.local_time if cadence else checkins.DEFAULT_TIME
    zone_mode = cadence.zone_mode if cadence else ZoneMode.PERSONAL
    questions = cadence.questions if cadence else list(checkins.DEFAULT_QUESTIONS)
    extras = [
        e
        for e, on in (
            (Extra.BLOCKER, cadence.ask_blocker if cadence else True),
            (Extra.CONFIDENCE, cadence.ask_confidence if cadence else True),
        )
        if on
    ]
    remind = cadence.remind_after_minutes if cadence else checkins.DEFAULT_REMIND_MINUTES
    digest = cadence.digest_after_minutes if cadence else checkins.DEFAULT_DIGEST_MINUTES
    starts_on = cadence.starts_on if cadence else today

    audience_options = [_option(k, v) for k, v in AUDIENCE_OPTIONS.items()]
    zone_options = [_option(k, v) for k, v in ZONE_MODE_OPTIONS.items()]
    frequency_options = [_option(k, v) for k, v in FREQUENCY_OPTIONS.items()]
    day_options = [_option(i, n) for i, n in enumerate(WEEKDAY_NAMES)]
    extra_options = [_option(k, v) for k, v in EXTRA_OPTIONS.items()]
    remind_options = [_option(m if m is not None else "never", remind_label(m)) for m in REMIND_CHOICES]
    digest_options = [_option(m, digest_label(m)) for m in DIGEST_CHOICES]

    def pick(options: list[Option], value: object) -> Option | None:
        return next((o for o in options if o.value == str(value)), None)

    blocks = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"A short written check-in for {channel_ref(channel_id)}: each person is asked by direct "
                "message, answers go in one thread, and a digest follows there."
            )
        ),
        InputBlock(
            block_id=CheckinIds.AUDIENCE,
            label="Who is asked",
            element=RadioButtonsElement(
                action_id=CheckinIds.AUDIENCE, options=audience_options, initial_option=pick(audience_options, audience)
            ),
        ),
        InputBlock(
            block_id=CheckinIds.MEMBERS,
            label="People",
            optional=True,
            hint="Only when you pick people rather than the whole channel.",
            element=UserMultiSelectElement(
                action_id=CheckinIds.MEMBERS,
                placeholder="Pick people",
                initial_users=members or None,
                max_selected_items=checkins.MAX_MEMBERS,
            ),
        ),
        InputBlock(
            block_id=CheckinIds.FREQUENCY,
            label="How often",
            element=StaticSelectElement(
                action_id=CheckinIds.FREQUENCY,
                options=frequency_options,
                initial_option=pick(frequency_options, interval),
            ),
        ),
        InputBlock(
            block_id=CheckinIds.DAYS,
            label="On",
            element=CheckboxesElement(
                action_id=CheckinIds.DAYS,
                options=day_options,
                initial_options=[o for o in day_options if int(o.value) in weekdays] or None,
            ),
        ),
        InputBlock(
            block_id=CheckinIds.TIME,
            label="At",
            element=TimePickerElement(action_id=CheckinIds.TIME, initial_time=f"{at:%H:%M}"),
        ),
        InputBlock(
            block_id=CheckinIds.ZONE_MODE,
            label="Whose time",
            element=RadioButtonsElement(
                action_id=CheckinIds.ZONE_MODE, options=zone_options, initial_option=pick(zone_options, zone_mode)
            ),
        ),
        InputBlock(
            block_id=CheckinIds.ZONE,
            label="Time zone",
            hint="For everyone at one time, and for anyone whose own zone Slack doesn't know. A name like "
            "Europe/Berlin or America/New_York.",
            element=PlainTextInputElement(action_id=CheckinIds.ZONE, initial_value=zone, max_length=64),
        ),
        InputBlock(
            block_id=CheckinIds.START,
            label="Starting",
            hint="Every-two-weeks check-ins count their weeks from the first round on or after this date.",
            element=DatePickerElement(action_id=CheckinIds.START, initial_date=starts_on.isoformat()),
        ),
        InputBlock(
            block_id=CheckinIds.QUESTIONS,
            label="Questions",
            optional=True,
            hint=f"One per line, at most {checkins.MAX_QUESTIONS}. Each person's open outcomes are listed in the "
            "answer form too, so one answer also updates their status.",
            element=PlainTextInputElement(
                action_id=CheckinIds.QUESTIONS,
                multiline=True,
                initial_value="\n".join(questions) or None,
                max_length=checkins.MAX_QUESTIONS * (checkins.MAX_QUESTION + 1),
            ),
        ),
        InputBlock(
            block_id=CheckinIds.EXTRAS,
            label="Also",
            optional=True,
            element=CheckboxesElement(
                action_id=CheckinIds.EXTRAS,
                options=extra_options,
                initial_options=[o for o in extra_options if o.value in extras] or None,
            ),
        ),
        InputBlock(
            block_id=CheckinIds.REMIND,
            label="Remind people who haven't answered",
            hint="Once, by direct message.",
            element=StaticSelectElement(
                action_id=CheckinIds.REMIND,
                options=remind_options,
                initial_option=pick(remind_options, remind if remind is not None else "never"),
            ),
        ),
        InputBlock(
            block_id=CheckinIds.DIGEST,
            label="Post the digest in the thread",
            hint="Or as soon as everyone has answered. Later answers still count and update it.",
            element=StaticSelectElement(
                action_id=CheckinIds.DIGEST, options=digest_options, initial_option=pick(digest_options, digest)
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=CheckinIds.SETUP_VIEW,
        title="Check-in",
        submit="Save",
        close="Cancel",
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()


def saved_view(cadence: Cadence, *, created: bool) -> dict:
    verb = "is set up" if created else "is updated"
    lines = [
        f"The check-in for {channel_ref(cadence.channel_id)} {verb}: {schedule_text(cadence)}.",
        f"*Who:* {audience_text(cadence)}",
    ]
    if cadence.next_at:
        lines.append(f"*Next round:* {when_text(cadence.next_at)}")
    lines.append("Start one now with `/checkin now`; `/checkin help` lists the rest.")
    return View(
        type="modal",
        title="Check-in",
        close="Done",
        blocks=[SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))],
    ).to_dict()


# the round's messages ----------------------------------------------------------------------------------------


def answer_button(round_id: int, *, text: str = "Answer", primary: bool = True) -> ButtonElement:
    return ButtonElement(
        text=text, action_id=CheckinIds.ANSWER, value=str(round_id), style="primary" if primary else None
    )


def _question_lines(round_: Round) -> str:
    questions = list(round_.questions)
    if round_.ask_blocker:
        questions.append(BLOCKER_QUESTION)
    if round_.ask_confidence:
        questions.append(CONFIDENCE_QUESTION)
    return "\n".join(f"{n}. {esc(q)}" for n, q in enumerate(questions, 1))


def _message(channel: str, text: str, blocks: list) -> dict[str, Any]:
    return {"channel": channel, "text": text, "blocks": [b.to_dict() for b in blocks]}


def thread_message(round_: Round) -> dict[str, Any]:
    """The round's parent message in the channel; every answer and the digest go in its thread."""
    asked = len([i for i in round_.invites if not i.away])
    header = f"Check-in · {day_text(round_.occurs_on)}"
    body = (
        f"{_question_lines(round_)}\n\n"
        f"I'm asking {asked} {'person' if asked == 1 else 'people'} by direct message. Answer with the button, "
        f"or just reply in this thread. The digest comes here {when_text(round_.digest_at)}."
    )
    blocks = [
        HeaderBlock(text=header),
        SectionBlock(text=MarkdownTextObject(text=body)),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.id)]),
    ]
    return _message(round_.channel_id, f"{header}: answers go in this thread.", blocks)


def ask_message(round_: Round, invite: Invite) -> dict[str, Any]:
    """The direct message that asks one person."""
    text = f"Time for the {channel_ref(round_.channel_id)} check-in ({day_text(round_.occurs_on)}). It takes a minute."
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text + "\n" + _question_lines(round_))),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.id)]),
        ContextBlock(elements=[MarkdownTextObject(text="You can also reply in the check-in thread in the channel.")]),
    ]
    return _message(invite.person.slack_user_id, text, blocks)


def reminder_message(round_: Round, invite: Invite) -> dict[str, Any]:
    text = (
        f"A gentle nudge: the {channel_ref(round_.channel_id)} check-in of {day_text(round_.occurs_on)} is still "
        "waiting for your answer. This is the only reminder."
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=CheckinIds.ASK_ACTIONS, elements=[answer_button(round_.id)]),
    ]
    return _message(invite.person.slack_user_id, text, blocks)


def answered_ask(round_: Round, invite: Invite) -> dict[str, Any]:
    """The ask, redrawn once answered (chat.update: the channel and ts come from the ask's delivery)."""
    check_in = f"{channel_ref(round_.channel_id)} check-in of {day_text(round_.occurs_on)}"
    text = f"✓ Thanks, your answer to the {check_in} is in its thread."
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=text))]
    if invite.source == AnswerSource.MODAL:
        blocks.append(
            ActionsBlock(
                block_id=CheckinIds.ASK_ACTIONS,
                elements=[answer_button(round_.id, text="Change my answer", primary=False)],
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
    summary = f"{invite.person.display_name or 'Someone'} answered the check-in"
    return {"text": summary, "blocks": [b.to_dict() for b in blocks]}


def _logged_line(logged: Logged) -> str:
    outcome = logged.outcome
    status = status_text(outcome.status)
    if logged.status_changed and logged.status_before is not None:
        status = f"{STATUS_MARK[logged.status_before]} → {status}"
    values = [
        f"{esc(m.metric.name)} {format_value(m.before, m.metric.unit)} → {format_value(m.after, m.metric.unit)}"
        for m in logged.moves
    ]
    return f"• {outcome.ref} {esc(clip(outcome.title, 80))}: " + " · ".join([status, *values])


# the answer form ---------------------------------------------------------------------------------------------


def _status_option(status: OutcomeStatus) -> Option:
    return Option(value=status.value, text=status_text(status))


ANSWER_STATUSES = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK, OutcomeStatus.DONE)


def _earlier(answers: list[str], n: int) -> str | None:
    return (answers[n] if n < len(answers) else "") or None


def answer_view(*, round_: Round, invite: Invite, outcomes: list[Outcome], metadata: str) -> dict:
    """The answer form: the round's questions, then each of the person's open outcomes with its status (and
    an optional value), filled with their earlier answer when they change it."""
    answers = list(invite.answers or [])
    blocks: list = [
        ContextBlock(
            elements=[
                MarkdownTextObject(text=f"{channel_ref(round_.channel_id)} check-in · {day_text(round_.occurs_on)}")
            ]
        )
    ]
    for n, question in enumerate(round_.questions):
        blocks.append(
            InputBlock(
                block_id=indexed(CheckinIds.QUESTION, n),
                label=clip(question, 2000),
                optional=True,
                element=PlainTextInputElement(
                    action_id=indexed(CheckinIds.QUESTION, n),
                    multiline=True,
                    max_length=MAX_ANSWER,
                    initial_value=_earlier(answers, n) or (invite.reply if n == 0 else None),
                ),
            )
        )
    if round_.ask_blocker:
        blocks.append(
            InputBlock(
                block_id=CheckinIds.BLOCKER,
                label=BLOCKER_QUESTION,
                optional=True,
                element=PlainTextInputElement(
                    action_id=CheckinIds.BLOCKER,
                    multiline=True,
                    max_length=MAX_ANSWER,
                    placeholder="Leave empty if nothing is",
                    initial_value=invite.blocker or None,
                ),
            )
        )
    if round_.ask_confidence and not outcomes:
        options = [_status_option(s) for s in CONFIDENCE_CHOICES]
        blocks.append(
            InputBlock(
                block_id=CheckinIds.CONFIDENCE,
                label=CONFIDENCE_QUESTION,
                optional=True,
                element=StaticSelectElement(
                    action_id=CheckinIds.CONFIDENCE,
                    options=options,
                    initial_option=next((o for o in options if o.value == invite.confidence), None),
                ),
            )
        )
    if outcomes:
        hint = "How each of your outcomes stands: this logs its status (and any values) as progress."
        if round_.ask_confidence:
            hint = f"{CONFIDENCE_QUESTION} {hint}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Your outcomes*\n{hint}")))
    for outcome in outcomes:
        options = [_status_option(s) for s in ANSWER_STATUSES]
        lagging = outcome.lagging
        now_text = f" · {esc(lagging.name)} {metric_now(lagging)}" if lagging else ""
        blocks.append(
            InputBlock(
                block_id=indexed(CheckinIds.OUTCOME_STATUS, outcome.ref),
                label=clip(f"{outcome.ref} {outcome.title}", 2000),
                hint=clip(f"Now {outcome.status.label.lower()}{now_text}", 2000),
                element=StaticSelectElement(
                    action_id=indexed(CheckinIds.OUTCOME_STATUS, outcome.ref),
                    options=options,
                    initial_option=next((o for o in options if o.value == outcome.status.value), None),
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=indexed(CheckinIds.OUTCOME_VALUES, outcome.ref),
                label=f"{outcome.ref} values",
                optional=True,
                hint="A number for the lagging metric (42), or name=value for any metric (activation=31%).",
                element=PlainTextInputElement(
                    action_id=indexed(CheckinIds.OUTCOME_VALUES, outcome.ref), max_length=300, placeholder="42"
                ),
            )
        )
    return View(
        type="modal",
        callback_id=CheckinIds.ANSWER_VIEW,
        title="Check-in",
        submit="Send",
        close="Cancel",
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()


def gone_view() -> dict:
    text = "This check-in round no longer exists (its check-in was deleted), so the answer was not stored."
    return View(
        type="modal", title="Check-in", close="Done", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]
    ).to_dict()


def answered_view(round_: Round, *, everyone: bool) -> dict:
    tail = " Everyone has answered, so the digest is on its way." if everyone else ""
    text = f"Thanks! Your answer is going to the {channel_ref(round_.channel_id)} check-in thread.{tail}"
    return View(
        type="modal", title="Check-in", close="Done", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]
    ).to_dict()


# the digest ------------------------------------------------------------------------------------------------


def digest_message(digest: Digest) -> dict[str, Any]:
    """The digest in the round's thread (chat.postMessage, then chat.update when late answers come in)."""
    round_ = digest.round
    asked = len(digest.answered) + len(digest.missing)
    lines = [f"*Digest · check-in of {day_text(round_.occurs_on)}*"]
    lines.append(f"✅ Answered ({len(digest.answered)} of {asked}): {names(digest.answered) or 'nobody yet'}")
    if digest.missing:
        lines.append(f"⏳ Not yet: {names(digest.missing)}")
    if digest.away:
        lines.append(f"🌴 Away: {names(digest.away)}")
    if digest.statuses:
        order = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK, OutcomeStatus.DONE)
        counts = [f"{STATUS_MARK[s]} {digest.statuses[s]} {s.label.lower()}" for s in order if digest.statuses.get(s)]
        lines.append("*Outcomes:* " + " · ".join(counts))
    sections = []
    if digest.changes:
        items = []
        for change in digest.changes:
            parts = []
            if change.status_before is not None and change.status_after is not None:
                parts.append(f"{STATUS_MARK[change.status_before]} → {status_text(change.status_after)}")
            parts += [
                f"{esc(m.metric.name)} {format_value(m.before, m.metric.unit)} → {format_value(m.after, m.metric.unit)}"
                for m in change.moves
            ]
            outcome = change.outcome
            items.append(f"• {outcome.ref} {esc(clip(outcome.title, 60))}: " + "; ".join(parts))
        sections.append(("*Since the last round*", items, "changes"))
    if digest.blockers:
        items = []
        for blocker in digest.blockers:
            on = f", on {blocker.outcome.ref}" if blocker.outcome else ""
            items.append(f"• {esc(clip(blocker.text, 200))} ({name(blocker.raised_by)}{on})")
        sections.append(("*In the way*", items, "blockers"))
    if digest.stale:
        items = [f"• {o.ref} {esc(clip(o.title, 60))} ({name(o.owner)})" for o in digest.stale]
        sections.append(("*No update for two rounds*", items, "stale"))
    for title, items, key in sections:
        extra = f"\n…and {digest.more[key]} more" if digest.more.get(key) else ""
        lines.append(title + "\n" + "\n".join(items) + extra)
    if not digest.changes and not digest.blockers and not digest.stale and not digest.statuses:
        lines.append("No outcomes to report on yet: define one with `/outcome`.")
    text = "\n\n".join(lines)
    blocks = [SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))]
    summary = f"Check-in digest: {len(digest.answered)} of {asked} answered"
    return {"text": summary, "blocks": [b.to_dict() for b in blocks]}


# /checkin list -----------------------------------------------------------------------------------------------


def list_blocks(cadences: list[Cadence]) -> list[dict]:
    if not cadences:
        text = "No check-ins yet. Run `/checkin` in a channel to set one up."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    blocks: list = [HeaderBlock(text="Check-ins")]
    for cadence in cadences:
        state = "paused" if cadence.paused else (f"next {when_text(cadence.next_at)}" if cadence.next_at else "")
        text = (
            f"*{channel_ref(cadence.channel_id)}* {schedule_text(cadence)}; {state}\n"
            f"Who: {audience_text(cadence)} · set up by {mention(cadence.owner.slack_user_id)}"
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))))
    return [b.to_dict() for b in blocks[:50]]
