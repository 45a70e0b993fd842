"""/checkin: set up a channel's check-in, run it (list, pause, resume, skip, now, delete), be away; the answer
button and form; and replies in a round's thread, which count as answers."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.surface import CHECKIN
from handlers.blocks.checkin import (
    FIELD_BLOCKS,
    CheckinIds,
    Extra,
    answer_view,
    answered_view,
    audience_text,
    channel_ref,
    day_text,
    gone_view,
    indexed,
    list_blocks,
    saved_view,
    schedule_text,
    setup_view,
    when_text,
)
from handlers.blocks.outcome import decode_meta, encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from handlers.outcome import chosen, from_command, open_view, reply, state_of, tell, today_for, typed
from models import Cadence, OutcomeStatus, Person, Workspace

# The module, not its names: scheduler.checkin_jobs imports handlers.blocks, so either may be imported first.
from scheduler import checkin_jobs
from services import checkins, outbox, outcomes
from services.checkins import (
    BadOutcomeAnswer,
    CadenceForm,
    CheckinError,
    Forbidden,
    Invalid,
    NotParticipant,
    OutcomeAnswer,
)
from services.people import person_zone
from services.progress import BadProgress, Part, parse_values

log = logging.getLogger(__name__)
ROSTER_LOOKUP_BUDGET = 1.5  # seconds of profile lookups while Slack waits for /checkin now (its limit is 3 s)

HELP_DETAILS = [
    "*Set up* `/checkin` in a channel opens a form: who is asked (the channel's members, kept in step, or people "
    "you pick), every week or every two weeks, which days, what time (each person's own morning, or one time "
    "zone for all), the questions, when to remind people who haven't answered, and when the digest is posted.",
    "*A round* opens a thread in the channel and asks each person by direct message. The answer form lists "
    "their open outcomes, so one answer also logs the status (and any values) of each. A plain reply in the "
    "thread counts as an answer too. People who haven't answered get one reminder, by direct message. The "
    "digest goes in the thread: who answered and who hasn't, outcomes by status, what moved, what is in the "
    "way, and outcomes with no update for two rounds. Late answers still count and update the digest.",
    "*Run it* `/checkin list` (every check-in), `pause`, `resume`, `skip` (the next round), `now` (a round at "
    "once), `delete`. The person who set it up or a workspace admin can change it; anyone asked can answer.",
    "*Away* `/checkin away 2026-12-02` (until that day, included), `/checkin away off` (back).",
]


def help_reply(unknown: str | None = None) -> dict[str, Any]:
    return {
        "text": command_help_text(CHECKIN, unknown=unknown),
        "blocks": command_help_blocks(CHECKIN, HELP_DETAILS, unknown=unknown),
        "response_type": "ephemeral",
    }


def now_utc() -> datetime:
    return datetime.now(UTC)


# /checkin ------------------------------------------------------------------------------------------------------


async def checkin_command(ack: AsyncAck, command: dict, context: dict, client: AsyncWebClient) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    if key == "" or (key in ("setup", "edit") and not rest):
        await setup_command(ack, command, context, client)
    elif key == "list" and not rest:
        cadences = await checkins.list_cadences(context["db"], workspace_id=context["workspace"].id)
        await ack(text=f"{len(cadences)} check-in{'s' if len(cadences) != 1 else ''}", blocks=list_blocks(cadences))
    elif key in ("pause", "resume", "skip", "now", "delete") and not rest:
        await manage_command(ack, key, command, context, client)
    elif key == "away":
        await ack(**reply(await away(context, rest)))
    else:
        await ack(**help_reply(None if key in ("help", "?") else text))


def _in_channel(command: dict) -> bool:
    return str(command.get("channel_id") or "").startswith(("C", "G"))


async def setup_command(ack: AsyncAck, command: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    channel_id = command.get("channel_id") or ""
    if not _in_channel(command):
        await ack(**reply("Run `/checkin` in the channel whose check-in you want to set up."))
        return
    cadence = await checkins.get_cadence(db, workspace_id=workspace.id, channel_id=channel_id)
    if cadence is not None and not checkins.can_manage(person, cadence):
        await ack(**reply(summary(cadence) + "\n" + str(Forbidden("change it", cadence.owner))))
        return
    zone = cadence.timezone if cadence else person_zone(person, workspace).key
    view = setup_view(
        metadata=encode_meta(channel=channel_id),
        channel_id=channel_id,
        cadence=cadence,
        zone=zone,
        today=today_for(person, workspace),
    )
    error = await open_view(client, command["trigger_id"], view)
    await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})


def summary(cadence: Cadence) -> str:
    state = "Paused." if cadence.paused else (f"Next round {when_text(cadence.next_at)}." if cadence.next_at else "")
    return f"The check-in here runs {schedule_text(cadence)} for {audience_text(cadence)}. {state}".strip()


def _selected(values: dict, block: str) -> list[str]:
    return [o.get("value") for o in state_of(values, block).get("selected_options") or []]


def form_from_state(values: dict) -> CadenceForm:
    extras = _selected(values, CheckinIds.EXTRAS)
    return CadenceForm(
        audience=chosen(values, CheckinIds.AUDIENCE) or "",
        members=tuple(state_of(values, CheckinIds.MEMBERS).get("selected_users") or ()),
        interval_weeks=chosen(values, CheckinIds.FREQUENCY) or "",
        weekdays=tuple(_selected(values, CheckinIds.DAYS)),
        local_time=state_of(values, CheckinIds.TIME).get("selected_time"),
        zone_mode=chosen(values, CheckinIds.ZONE_MODE) or "",
        timezone=typed(values, CheckinIds.ZONE),
        starts_on=state_of(values, CheckinIds.START).get("selected_date"),
        questions=typed(values, CheckinIds.QUESTIONS),
        ask_blocker=Extra.BLOCKER in extras,
        ask_confidence=Extra.CONFIDENCE in extras,
        remind_after=chosen(values, CheckinIds.REMIND),
        digest_after=chosen(values, CheckinIds.DIGEST) or "",
    )


async def setup_submitted(ack: AsyncAck, view: dict, context: dict) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    channel_id = str(decode_meta(view.get("private_metadata")).get("channel") or "")
    try:
        cadence, created = await checkins.save_cadence(
            db,
            workspace=workspace,
            actor=person,
            channel_id=channel_id,
            form=form_from_state(view["state"]["values"]),
            now=now_utc(),
            today=today_for(person, workspace),
        )
    except Invalid as exc:
        await ack(
            response_action="errors",
            errors={FIELD_BLOCKS[field].value: message for field, message in exc.errors.items()},
        )
        return
    except CheckinError as exc:
        await ack(response_action="errors", errors={CheckinIds.AUDIENCE.value: str(exc)})
        return
    await ack(response_action="update", view=saved_view(cadence, created=created))


async def manage_command(ack: AsyncAck, key: str, command: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    channel_id = command.get("channel_id") or ""
    cadence = await checkins.get_cadence(db, workspace_id=workspace.id, channel_id=channel_id)
    if cadence is None:
        await ack(**reply("There is no check-in in this channel yet. `/checkin` sets one up."))
        return
    now = now_utc()
    try:
        if key == "pause":
            done = await checkins.pause(db, cadence=cadence, actor=person)
            text = "Paused: no new rounds until `/checkin resume`." if done else "It is paused already."
        elif key == "resume":
            done = await checkins.resume(db, cadence=cadence, actor=person, now=now)
            text = f"Resumed. {summary(cadence)}" if done else f"It isn't paused. {summary(cadence)}"
        elif key == "skip":
            skipped = await checkins.skip(db, cadence=cadence, actor=person, now=now)
            text = f"The round of {day_text(skipped)} is skipped. {summary(cadence)}"
        elif key == "delete":
            for round_id in await checkins.delete_cadence(db, cadence=cadence, actor=person):
                await outbox.cancel(db, workspace_id=workspace.id, key_prefix=checkins.delivery_key(round_id, ""))
            text = f"The check-in of {channel_ref(channel_id)} is deleted. Its threads stay in the channel."
        else:
            text = await start_now(db, client, cadence=cadence, workspace=workspace, person=person, now=now)
    except CheckinError as exc:
        text = f"{exc} Nothing was changed."
    await ack(**reply(text))


async def start_now(
    db,
    client: AsyncWebClient,
    *,
    cadence: Cadence,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> str:
    checkins.require_manager(person, cadence, "start a round")
    day = checkins.round_day(cadence, now)
    members = await checkin_jobs.roster_members(db, client, cadence, now, budget_seconds=ROSTER_LOOKUP_BUDGET)
    if not members:
        return "Nobody to ask: the check-in has no participants. `/checkin` changes who is asked."
    round_ = await checkin_jobs.start_round(
        db, cadence=cadence, workspace=workspace, members=members, occurs_on=day, now=now, started_by=person
    )
    if round_ is None:
        return (
            f"Today's round ({day_text(day)}) has started already; its thread is in {channel_ref(cadence.channel_id)}."
        )
    asked = len([i for i in round_.invites if not i.away])
    away = len(round_.invites) - asked
    tail = f" ({away} away)" if away else ""
    return (
        f"Started: a thread in {channel_ref(cadence.channel_id)} and a direct message to {asked} "
        f"{'person' if asked == 1 else 'people'}{tail}. The digest follows {when_text(round_.digest_at)}, or once "
        "everyone has answered."
    )


async def away(context: dict, rest: str) -> str:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    today = today_for(person, workspace)
    word = rest.lower()
    if not word:
        if person.away_until and person.away_until >= today:
            return f"You're away until {person.away_until:%a %-d %b %Y}. `/checkin away off` when you're back."
        return "You aren't marked away. `/checkin away 2026-12-02` keeps check-ins quiet for you until that day."
    if word in ("off", "back", "none", "clear"):
        await checkins.set_away(db, person=person, until=None, today=today)
        return "Welcome back: the next check-in rounds ask you again."
    try:
        until = date.fromisoformat(word)
    except ValueError:
        return "Give a date as YYYY-MM-DD, e.g. `/checkin away 2026-12-02`, or `/checkin away off`."
    try:
        await checkins.set_away(db, person=person, until=until, today=today)
    except CheckinError as exc:
        return str(exc)
    return f"You're away until {until:%a %-d %b %Y}, included: no check-in asks up to then. Enjoy!"


# the answer button and form ----------------------------------------------------------------------------------


async def answer_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    db, workspace, person = context["db"], context["workspace"], context["person"]
    value = str(body["actions"][0].get("value") or "")
    round_ = await checkins.load_round(db, workspace_id=workspace.id, round_id=int(value)) if value.isdigit() else None
    if round_ is None:
        await tell(body, respond, client, "That check-in round no longer exists.")
        return
    invite = checkins.invite_of(round_, person)
    if invite is None:
        await tell(body, respond, client, str(NotParticipant()))
        return
    found = await checkins.person_outcomes(db, workspace_id=workspace.id, person=person)
    view = answer_view(round_=round_, invite=invite, outcomes=found, metadata=encode_meta(round=round_.id))
    error = await open_view(client, body["trigger_id"], view)
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")


def _first_input(view: dict) -> str:
    """Where a problem with the answer as a whole is shown: the form's first field."""
    return next((b["block_id"] for b in view.get("blocks") or [] if b.get("type") == "input"), "")


def _confidence(values: dict) -> OutcomeStatus | None:
    picked = chosen(values, CheckinIds.CONFIDENCE)
    return next((s for s in checkins.CONFIDENCE_CHOICES if s.value == picked), None)


async def answer_submitted(ack: AsyncAck, view: dict, context: dict) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    values = view["state"]["values"]
    round_id = decode_meta(view.get("private_metadata")).get("round")
    round_ = await checkins.load_round(db, workspace_id=workspace.id, round_id=int(round_id or 0), lock=True)
    if round_ is None:
        await ack(response_action="update", view=gone_view())
        return
    first_block = _first_input(view)
    answers = [typed(values, indexed(CheckinIds.QUESTION, n)) for n in range(len(round_.questions))]
    items: list[OutcomeAnswer] = []
    prefix = f"{CheckinIds.OUTCOME_STATUS.value}:"
    for block_id in values:
        if not block_id.startswith(prefix):
            continue
        ref = block_id.removeprefix(prefix)
        values_block = indexed(CheckinIds.OUTCOME_VALUES, ref)
        outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref)
        try:
            status = OutcomeStatus(chosen(values, block_id) or "")
        except ValueError:
            await ack(response_action="errors", errors={block_id: "Choose how it stands."})
            return
        if outcome is None:
            await ack(response_action="errors", errors={block_id: f"{ref} no longer exists."})
            return
        try:
            entries = parse_values(typed(values, values_block))
        except BadProgress as exc:
            await ack(response_action="errors", errors={values_block: str(exc)})
            return
        items.append(OutcomeAnswer(outcome=outcome, status=status, entries=entries))
    try:
        answered = await checkins.record_answer(
            db,
            round_=round_,
            person=person,
            answers=answers,
            blocker=typed(values, CheckinIds.BLOCKER),
            confidence=_confidence(values),
            outcomes=items,
            now=now_utc(),
        )
    except BadOutcomeAnswer as exc:
        kind = CheckinIds.OUTCOME_STATUS if exc.part in (Part.STATUS, Part.OUTCOME) else CheckinIds.OUTCOME_VALUES
        await ack(response_action="errors", errors={indexed(kind, exc.ref): str(exc)})
        return
    except CheckinError as exc:
        await ack(response_action="errors", errors={first_block: str(exc)})
        return
    except outcomes.Forbidden as exc:
        await ack(response_action="errors", errors={first_block: str(exc)})
        return
    await checkin_jobs.after_answer(
        db, round_, answered.invite, first=answered.first, logged=answered.logged, now=now_utc()
    )
    await ack(response_action="update", view=answered_view(round_, everyone=checkins.everyone_answered(round_)))


# replies in a round's thread -----------------------------------------------------------------------------------


def is_thread_reply(event: dict) -> bool:
    """A person's reply in a thread (a reply also sent to the channel included; it arrives once, as a
    thread_broadcast). Edits, deletions, bots and Slack's hidden bookkeeping messages are not replies."""
    if event.get("subtype") not in (None, "thread_broadcast") or event.get("hidden") or event.get("bot_id"):
        return False
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    return bool(thread_ts and ts and thread_ts != ts and event.get("user") and event.get("text"))


async def message_posted(event: dict, context: dict) -> None:
    """Every message event the app receives (it must answer each, or Slack retries): thread replies in a
    round's thread are answers; everything else is none of our business."""
    if not is_thread_reply(event) or "person" not in context:
        return
    db, workspace, person = context["db"], context["workspace"], context["person"]
    round_ = await checkins.round_for_thread(
        db, workspace_id=workspace.id, channel_id=str(event.get("channel") or ""), thread_ts=str(event["thread_ts"])
    )
    if round_ is None:
        return
    now = now_utc()
    answered = await checkins.record_thread_reply(db, round_=round_, person=person, text=event["text"], now=now)
    if answered is not None:
        await checkin_jobs.after_answer(db, round_, answered.invite, first=answered.first, logged=[], now=now)


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(CHECKIN.name)(checkin_command)
    app.view(CheckinIds.SETUP_VIEW.value)(setup_submitted)
    app.action(CheckinIds.ANSWER.value)(answer_pressed)
    app.view(CheckinIds.ANSWER_VIEW.value)(answer_submitted)
    app.event("message")(message_posted)
