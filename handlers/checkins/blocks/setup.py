"""The set-up form (filled with a cadence's settings or the defaults) and what it turns into once saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, tzinfo

from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)

from handlers.checkins.blocks.ids import CheckinIds, Extra
from handlers.checkins.blocks.text import (
    audience_text,
    channel_ref,
    next_round_text,
    notice_view,
    schedule_text,
)
from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import duration
from models import Audience, Cadence, ZoneMode
from services import checkins
from services.recurrence import WEEKDAY_NAMES

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


@dataclass(frozen=True)
class Shown:
    """What the form shows: the cadence's settings, or the defaults for a new one."""

    audience: Audience
    members: list[str]
    interval: int
    weekdays: list[int]
    at: time
    zone_mode: ZoneMode
    zone: str
    starts_on: date
    questions: list[str]
    extras: list[Extra]
    remind: int | None
    digest: int


def shown(cadence: Cadence | None, zone: str, today: date) -> Shown:
    if cadence is None:
        return Shown(
            audience=Audience.CHANNEL,
            members=[],
            interval=1,
            weekdays=list(checkins.DEFAULT_WEEKDAYS),
            at=checkins.DEFAULT_TIME,
            zone_mode=ZoneMode.PERSONAL,
            zone=zone,
            starts_on=today,
            questions=list(checkins.DEFAULT_QUESTIONS),
            extras=[Extra.BLOCKER, Extra.CONFIDENCE],
            remind=checkins.DEFAULT_REMIND_MINUTES,
            digest=checkins.DEFAULT_DIGEST_MINUTES,
        )
    extras = [e for e, on in ((Extra.BLOCKER, cadence.ask_blocker), (Extra.CONFIDENCE, cadence.ask_confidence)) if on]
    return Shown(
        audience=cadence.audience,
        members=[m.person.slack_user_id for m in cadence.members],
        interval=cadence.interval_weeks,
        weekdays=cadence.weekdays,
        at=cadence.local_time,
        zone_mode=cadence.zone_mode,
        zone=zone,
        starts_on=cadence.starts_on,
        questions=cadence.questions,
        extras=extras,
        remind=cadence.remind_after_minutes,
        digest=cadence.digest_after_minutes,
    )


def remind_label(minutes: int | None) -> str:
    return "Don't remind them" if minutes is None else f"{duration(minutes)} after they're asked"


def digest_label(minutes: int) -> str:
    return f"{duration(minutes)} after the first ask"


def _options(choices: dict | list[tuple[object, str]]) -> list[Option]:
    pairs = choices.items() if isinstance(choices, dict) else choices
    return [Option(value=str(value), text=text) for value, text in pairs]


def _pick(options: list[Option], value: object) -> Option | None:
    return next((o for o in options if o.value == str(value)), None)


def setup_view(*, metadata: str, channel_id: str, cadence: Cadence | None, zone: str, today: date) -> dict:
    """The set-up form, filled with the cadence's settings or with the defaults."""
    now_shown = shown(cadence, zone, today)
    intro = SectionBlock(
        text=MarkdownTextObject(
            text=f"A short written check-in for {channel_ref(channel_id)}: each person is asked by direct "
            "message, answers go in one thread, and a digest follows there."
        )
    )
    blocks = [intro, *_who(now_shown), *_when(now_shown), *_what(now_shown), *_follow_up(now_shown)]
    return modal(CheckinIds.SETUP_VIEW, "Check-in", blocks, submit="Save", metadata=metadata)


def _who(form: Shown) -> list:
    audience_options = _options(AUDIENCE_OPTIONS)
    return [
        labelled(
            CheckinIds.AUDIENCE,
            "Who is asked",
            RadioButtonsElement(
                action_id=CheckinIds.AUDIENCE,
                options=audience_options,
                initial_option=_pick(audience_options, form.audience),
            ),
        ),
        labelled(
            CheckinIds.MEMBERS,
            "People",
            UserMultiSelectElement(
                action_id=CheckinIds.MEMBERS,
                placeholder="Pick people",
                initial_users=form.members or None,
                max_selected_items=checkins.MAX_MEMBERS,
            ),
            optional=True,
            hint="Only when you pick people rather than the whole channel.",
        ),
    ]


def _when(form: Shown) -> list:
    frequency_options = _options(FREQUENCY_OPTIONS)
    day_options = _options(list(enumerate(WEEKDAY_NAMES)))
    zone_options = _options(ZONE_MODE_OPTIONS)
    days = CheckboxesElement(
        action_id=CheckinIds.DAYS,
        options=day_options,
        initial_options=[o for o in day_options if int(o.value) in form.weekdays] or None,
    )
    return [
        labelled(
            CheckinIds.FREQUENCY,
            "How often",
            StaticSelectElement(
                action_id=CheckinIds.FREQUENCY,
                options=frequency_options,
                initial_option=_pick(frequency_options, form.interval),
            ),
        ),
        labelled(CheckinIds.DAYS, "On", days),
        labelled(CheckinIds.TIME, "At", TimePickerElement(action_id=CheckinIds.TIME, initial_time=f"{form.at:%H:%M}")),
        labelled(
            CheckinIds.ZONE_MODE,
            "Whose time",
            RadioButtonsElement(
                action_id=CheckinIds.ZONE_MODE, options=zone_options, initial_option=_pick(zone_options, form.zone_mode)
            ),
        ),
        text_input(
            CheckinIds.ZONE,
            "Time zone",
            initial=form.zone,
            hint="For everyone at one time, and for anyone whose own zone Slack doesn't know. A name like "
            "Europe/Berlin or America/New_York.",
            max_length=64,
        ),
        labelled(
            CheckinIds.START,
            "Starting",
            DatePickerElement(action_id=CheckinIds.START, initial_date=form.starts_on.isoformat()),
            hint="Every-two-weeks check-ins count their weeks from the first round on or after this date.",
        ),
    ]


def _what(form: Shown) -> list:
    extra_options = _options(EXTRA_OPTIONS)
    return [
        text_input(
            CheckinIds.QUESTIONS,
            "Questions",
            initial="\n".join(form.questions),
            optional=True,
            hint=f"One per line, at most {checkins.MAX_QUESTIONS}. Each person's open outcomes are listed in the "
            "answer form too, so one answer also updates their status.",
            multiline=True,
            max_length=checkins.MAX_QUESTIONS * (checkins.MAX_QUESTION + 1),
        ),
        labelled(
            CheckinIds.EXTRAS,
            "Also",
            CheckboxesElement(
                action_id=CheckinIds.EXTRAS,
                options=extra_options,
                initial_options=[o for o in extra_options if o.value in form.extras] or None,
            ),
            optional=True,
        ),
    ]


def _follow_up(form: Shown) -> list:
    remind_options = _options([(m if m is not None else "never", remind_label(m)) for m in checkins.REMIND_CHOICES])
    digest_options = _options([(m, digest_label(m)) for m in checkins.DIGEST_CHOICES])
    return [
        labelled(
            CheckinIds.REMIND,
            "Remind people who haven't answered",
            StaticSelectElement(
                action_id=CheckinIds.REMIND,
                options=remind_options,
                initial_option=_pick(remind_options, form.remind if form.remind is not None else "never"),
            ),
            hint="Once, by direct message.",
        ),
        labelled(
            CheckinIds.DIGEST,
            "Post the digest in the thread",
            StaticSelectElement(
                action_id=CheckinIds.DIGEST, options=digest_options, initial_option=_pick(digest_options, form.digest)
            ),
            hint="Or as soon as everyone has answered. Later answers still count and update it.",
        ),
    ]


def saved_view(cadence: Cadence, *, created: bool, zone: tzinfo) -> dict:
    """What the form turns into once saved; `zone` is the reader's."""
    verb = "is set up" if created else "is updated"
    lines = [
        f"The check-in for {channel_ref(cadence.channel_id)} {verb}: {schedule_text(cadence)}.",
        f"*Who:* {audience_text(cadence)}",
    ]
    if cadence.next_at:
        lines.append(f"*Next round:* {next_round_text(cadence, zone)}")
    lines.append("Start one now with `/checkin now`; `/checkin help` lists the rest.")
    return notice_view("\n".join(lines))
