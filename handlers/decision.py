"""/decision: ask for a decision (a form), list, show, search the log; the card's buttons and their forms.

The card in the channel is redrawn with chat.update right in the listener that changed the decision, not
through the outbox: the person who pressed sees the result at once, each redraw carries the whole card (so a
failed one is repaired by the next), and redraws of one decision cannot overtake each other. Messages that
must not be lost (the people told once, the walk's pings) go through the outbox.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.context import refresh_profile
from bot.surface import DECISION
from handlers.blocks.decision import (
    FIELD_BLOCKS,
    DecisionIds,
    card_blocks,
    card_message,
    card_text,
    created_text,
    decide_view,
    decision_form_view,
    done_view,
    forbidden_text,
    home_sections,
    input_request,
    list_blocks,
    log_blocks,
    move_view,
    reopen_view,
    slack_time,
    snooze_view,
    timeline_blocks,
    withdraw_view,
)
from handlers.blocks.outcome import decode_meta, encode_meta, esc, outcome_option
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from handlers.outcome import chosen, from_command, open_view, opened_from_home, reply, state_of, tell, typed
from models import Decision, Person, Workspace
from scheduler import decision_jobs
from services import decisions, escalation_policies, outcomes, people
from services.decisions import DecisionForm, Forbidden, Invalid, ListScope, NotFound, NotNow
from services.refs import looks_like_ref

log = logging.getLogger(__name__)
SLACK_TIMEOUT = 1.5  # seconds for a card redraw or a thread post; the listener must answer within Slack's 3 s
OPTIONS_LIMIT = 100
MAX_PROFILE_LOOKUPS = 30
Next = Callable[[], Awaitable[None]]

HELP_DETAILS = [
    "*Ask* `/decision` opens a form: the question, context and a link, up to 10 options, the decider (exactly one "
    "person), who is responsible, consulted and informed, the deadline, the escalation path and the outcome it "
    "affects. A card goes to the channel; everyone named hears of it once, and once more when it is decided.",
    "*Before the deadline* the decider is reminded a day and two hours ahead (inside their working hours where "
    "that still comes before the deadline) and at the deadline itself.",
    "*After the deadline* the escalation path is walked level by level. Whoever it reaches can *Acknowledge* "
    "(pauses it for the path's window) or *Snooze*; if it is still open afterwards, the walk goes on.",
    "*Decide* (the decider or an admin) records the choice and the rationale; *Withdraw* (who asked, or an admin) "
    "ends it with a reason; *Move deadline* starts the reminders over.",
    "*Find* `/decision D-7` shows one with its history. `/decision list` shows what awaits you; also `list "
    "channel`, `list overdue`, `list decided`. `/decision log` searches what was decided: `/decision log vendor`, "
    "`/decision log @priya`, `/decision log O-12`, `/decision log 2026-11-25`.",
]


# time, and who is where --------------------------------------------------------------------------------------


def now_of(context: dict) -> datetime:
    """The request's time: a clock put in the context (tests, local demos) or the system's."""
    clock: Clock | None = context.get("clock")
    return clock.now() if clock is not None else datetime.now(UTC)


def use_clock(app: AsyncApp, clock: Clock) -> None:
    """Make every request of `app` see `clock` as its time (tests move it instead of waiting)."""

    async def provide_clock(context: dict, next: Next) -> None:
        context["clock"] = clock
        await next()

    app.use(provide_clock)


def suggested_deadline(now: datetime, zone_name: str) -> datetime:
    """Two days ahead at 17:00 in the asker's zone, on a weekday."""
    zone = ZoneInfo(zone_name)
    day = (now.astimezone(zone) + timedelta(days=2)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(17), tzinfo=zone).astimezone(UTC)


async def zone_of(session: AsyncSession, person: Person) -> ZoneInfo:
    workspace = await session.get(Workspace, person.workspace_id)
    assert workspace is not None
    return people.person_zone(person, workspace)


# the card --------------------------------------------------------------------------------------------------------


async def post_card(client: AsyncWebClient, session: AsyncSession, decision: Decision, now: datetime) -> str | None:
    """Posts the card where the decision was asked (the asker's DM when asked from the Home tab); returns a
    note for the asker when that failed."""
    channel = decision.channel_id or (decision.created_by.slack_user_id if decision.created_by else None)
    if not channel:
        return None
    message = card_message(decision, now, zone=await zone_of(session, decision.decider))
    try:
        answer = await asyncio.wait_for(client.chat_postMessage(channel=channel, **message), SLACK_TIMEOUT)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        log.warning("posting the card of %s in %s failed: %s", decision.ref, channel, error)
        if error == "not_in_channel":
            return f"I couldn't post its card in <#{channel}>: invite me there with `/invite @Followthrough`."
        return f"I couldn't post its card in <#{channel}> (Slack said `{error}`); `/decision {decision.ref}` shows it."
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("posting the card of %s failed: %r", decision.ref, exc)
        return f"Slack did not answer in time, so its card may be missing; `/decision {decision.ref}` shows it."
    decision.card_channel, decision.card_ts = answer.get("channel") or channel, answer.get("ts")
    return None


async def refresh_card(client: AsyncWebClient, session: AsyncSession, decision: Decision, now: datetime) -> None:
    """Redraws the card in the channel; the change stands even if the redraw fails (the next one repairs it)."""
    if not decision.card_ts or not decision.card_channel:
        return
    message = card_message(decision, now, zone=await zone_of(session, decision.decider))
    try:
        await asyncio.wait_for(
            client.chat_update(channel=decision.card_channel, ts=decision.card_ts, **message), SLACK_TIMEOUT
        )
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("redrawing the card of %s failed: %r", decision.ref, exc)


async def post_in_thread(client: AsyncWebClient, args: dict[str, Any]) -> str | None:
    """A note in the card's thread; returns Slack's error, if any."""
    try:
        await asyncio.wait_for(client.chat_postMessage(**args), SLACK_TIMEOUT)
    except SlackApiError as exc:
        return str(exc.response.get("error"))
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("posting in a decision's thread failed: %r", exc)
        return "no answer from Slack"
    return None


async def after_change(
    client: AsyncWebClient, context: dict, decision: Decision, meta: dict[str, Any], now: datetime
) -> None:
    await refresh_card(client, context["db"], decision, now)
    if meta.get("origin") == "home":
        await context["home"].refresh(
            client, context["db"], workspace=context["workspace"], person=context["person"], now=now
        )


# /decision -------------------------------------------------------------------------------------------------------


async def decision_command(ack: AsyncAck, command: dict, context: dict, client: AsyncWebClient) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    if key in ("", "new", "ask"):
        await open_form(ack, context, client, command["trigger_id"], command.get("channel_id"), question=rest)
        return
    if key == "list" and rest.lower() in ("", *ListScope):
        await list_command(ack, command, context, ListScope(rest.lower() or ListScope.MINE))
        return
    if key == "log":
        await log_command(ack, context, rest)
        return
    if looks_like_ref(word) and not rest:
        await show_command(ack, context, word)
        return
    unknown = None if key in ("help", "?") else text
    await ack(
        text=command_help_text(DECISION, unknown=unknown),
        blocks=command_help_blocks(DECISION, HELP_DETAILS, unknown=unknown),
    )


async def open_form(
    ack: AsyncAck | None,
    context: dict,
    client: AsyncWebClient,
    trigger_id: str,
    channel_id: str | None,
    *,
    question: str = "",
    origin: str | None = None,
) -> str | None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    default = await escalation_policies.default_for(db, workspace=workspace, channel_id=channel_id)
    policies = await escalation_policies.list_policies(db, workspace_id=workspace.id)
    zone = people.person_zone(person, workspace)
    view = decision_form_view(
        metadata=encode_meta(channel=channel_id, origin=origin),
        policies=policies,
        default_policy=default,
        deadline=suggested_deadline(now_of(context), zone.key),
        zone=zone.key,
        question=question,
    )
    error = await open_view(client, trigger_id, view)
    if ack is not None:
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
    return error


async def show_command(ack: AsyncAck, context: dict, ref: str) -> None:
    db, workspace = context["db"], context["workspace"]
    decision = await decisions.get_decision(db, workspace_id=workspace.id, ref=ref)
    if decision is None:
        await ack(**reply(f"I can't find {ref.upper()[:20]} in this workspace. `/decision list` shows yours."))
        return
    now = now_of(context)
    events = await decisions.timeline(db, decision=decision)
    ids = [i for e in events for key in ("people", "skipped", "reminded") for i in e.data.get(key) or []]
    found = await decisions.people_by_id(db, workspace_id=workspace.id, ids=ids)
    blocks = card_blocks(decision, now, zone=people.person_zone(decision.decider, workspace))
    blocks += timeline_blocks(events, {i: p.slack_user_id for i, p in found.items()})
    await ack(text=card_text(decision), blocks=blocks)


async def list_command(ack: AsyncAck, command: dict, context: dict, scope: ListScope) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    now = now_of(context)
    found, total = await decisions.list_decisions(
        db,
        workspace_id=workspace.id,
        scope=scope,
        person=person,
        channel_id=command.get("channel_id"),
        now=now,
    )
    await ack(
        text=f"{total} decision{'s' if total != 1 else ''}", blocks=list_blocks(found, total, scope=scope, now=now)
    )


async def log_command(ack: AsyncAck, context: dict, query: str) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    search = await decisions.search_log(
        db, workspace_id=workspace.id, query=query, zone=people.person_zone(person, workspace)
    )
    await ack(text=f"Decision log: {search.total} found", blocks=log_blocks(search, now_of(context)))


# asking ------------------------------------------------------------------------------------------------------------


def form_from_state(values: dict) -> DecisionForm:
    return DecisionForm(
        question=typed(values, DecisionIds.QUESTION),
        context=typed(values, DecisionIds.CONTEXT),
        link=typed(values, DecisionIds.LINK),
        options=typed(values, DecisionIds.OPTIONS),
        decider=state_of(values, DecisionIds.DECIDER).get("selected_user"),
        responsible=list(state_of(values, DecisionIds.RESPONSIBLE).get("selected_users") or []),
        consulted=list(state_of(values, DecisionIds.CONSULTED).get("selected_users") or []),
        informed=list(state_of(values, DecisionIds.INFORMED).get("selected_users") or []),
        deadline=state_of(values, DecisionIds.DEADLINE).get("selected_date_time"),
        policy=chosen(values, DecisionIds.POLICY),
        outcome=chosen(values, DecisionIds.OUTCOME),
    )


async def refresh_named(
    client: AsyncWebClient, session: AsyncSession, workspace: Workspace, form: DecisionForm
) -> None:
    """Fetch the profiles of the people named, all at once: the decider's zone times their reminders, someone who
    left Slack cannot decide, and names make the log searchable by @name."""
    named = [form.decider, *form.responsible, *form.consulted, *form.informed]
    found = [
        await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
        for user_id in dict.fromkeys(u for u in named if u)
    ][:MAX_PROFILE_LOOKUPS]
    # Each lookup gives up after a second, and they run side by side: the form is answered well within 3 s.
    await asyncio.gather(*(refresh_profile(client, person, datetime.now(UTC)) for person in found))


def field_errors(exc: Invalid) -> dict[str, str]:
    return {FIELD_BLOCKS[field].value: message for field, message in exc.errors.items()}


async def decision_created(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    form = form_from_state(view["state"]["values"])
    await refresh_named(client, db, workspace, form)
    now = now_of(context)
    try:
        decision = await decisions.create_decision(
            db, workspace=workspace, author=person, form=form, channel_id=meta.get("channel"), now=now
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc))
        return
    card_note = await post_card(client, db, decision, now)
    await decision_jobs.tell_asked(db, decision=decision, now=now)
    await ack(
        response_action="update",
        view=done_view(f"{decision.ref} asked", created_text(decision, now, card_note=card_note)),
    )
    if meta.get("origin") == "home":
        await context["home"].refresh(client, db, workspace=workspace, person=person, now=now)


async def outcome_options(ack: AsyncAck, body: dict, context: dict) -> None:
    found = await outcomes.search_outcomes(
        context["db"],
        workspace_id=context["workspace"].id,
        person=context["person"],
        query=body.get("value") or "",
        limit=OPTIONS_LIMIT,
    )
    await ack(options=[outcome_option(o) for o in found])


# the buttons -------------------------------------------------------------------------------------------------------


async def pressed_decision(
    body: dict, respond: AsyncRespond | None, context: dict, client: AsyncWebClient
) -> Decision | None:
    """The decision a button names, looked up in the presser's own workspace only."""
    ref = str(body["actions"][0].get("value") or "")
    decision = await decisions.get_decision(context["db"], workspace_id=context["workspace"].id, ref=ref)
    if decision is None:
        await tell(body, respond, client, f"I can't find {ref[:20] or 'that decision'} in this workspace.")
    return decision


def button_meta(body: dict, decision: Decision) -> str:
    return encode_meta(ref=decision.ref, origin="home" if opened_from_home(body) else None)


async def refuse(body: dict, respond: AsyncRespond | None, client: AsyncWebClient, exc: Exception) -> None:
    text = forbidden_text(exc) if isinstance(exc, Forbidden) else str(exc)
    await tell(body, respond, client, text)


async def checked_press(
    body: dict,
    respond: AsyncRespond | None,
    context: dict,
    client: AsyncWebClient,
    check: Callable[[Decision], Awaitable[None] | None],
) -> Decision | None:
    """The pressed decision if `check` (a service rule) lets the presser go on to its form; else they are told
    why, privately, and None. The form's submission is checked again by the service."""
    decision = await pressed_decision(body, respond, context, client)
    if decision is None:
        return None
    try:
        result = check(decision)
        if inspect.isawaitable(result):
            await result
    except (Forbidden, NotNow) as exc:
        await refuse(body, respond, client, exc)
        return None
    return decision


async def decide_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    person = context["person"]

    def check(d: Decision) -> None:
        decisions.require_open(d, "decide it again")
        decisions.require_decider(person, d)

    decision = await checked_press(body, respond, context, client, check)
    if decision is not None:
        await open_view(client, body["trigger_id"], decide_view(decision, metadata=button_meta(body, decision)))


async def withdraw_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    person = context["person"]

    def check(d: Decision) -> None:
        decisions.require_open(d, "withdraw")
        decisions.require_withdrawer(person, d)

    decision = await checked_press(body, respond, context, client, check)
    if decision is not None:
        await open_view(client, body["trigger_id"], withdraw_view(decision, metadata=button_meta(body, decision)))


async def move_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    person = context["person"]

    def check(d: Decision) -> None:
        decisions.require_open(d, "move its deadline")
        decisions.require_rescheduler(person, d, "move the deadline of")

    decision = await checked_press(body, respond, context, client, check)
    if decision is not None:
        zone = people.person_zone(person, context["workspace"])
        view = move_view(decision, metadata=button_meta(body, decision), zone=zone.key)
        await open_view(client, body["trigger_id"], view)


async def reopen_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    person = context["person"]

    def check(d: Decision) -> None:
        decisions.require_closed(d)
        decisions.require_rescheduler(person, d, "reopen")

    decision = await checked_press(body, respond, context, client, check)
    if decision is not None:
        zone = people.person_zone(person, context["workspace"])
        deadline = suggested_deadline(now_of(context), zone.key)
        view = reopen_view(decision, metadata=button_meta(body, decision), deadline=deadline, zone=zone.key)
        await open_view(client, body["trigger_id"], view)


async def snooze_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()

    def check(d: Decision) -> Awaitable[None]:
        return decisions.require_respondent(context["db"], d, context["person"], "snooze", now_of(context))

    decision = await checked_press(body, respond, context, client, check)
    if decision is not None:
        view = snooze_view(decision, metadata=button_meta(body, decision), limit=decisions.snooze_limit(decision))
        await open_view(client, body["trigger_id"], view)


async def acknowledge_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    db, person = context["db"], context["person"]
    ref = str(body["actions"][0].get("value") or "")
    now = now_of(context)
    try:
        decision = await decisions.find_decision(db, workspace_id=context["workspace"].id, ref=ref, for_update=True)
        event = await decisions.acknowledge(db, decision=decision, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await refuse(body, respond, client, exc)
        return
    until = slack_time(datetime.fromisoformat(event.data["until"]))
    await refresh_card(client, db, decision, now)
    note = f"<@{person.slack_user_id}> acknowledged *{decision.ref}*: escalation paused until {until}."
    if decision.card_ts:
        await post_in_thread(client, {"channel": decision.card_channel, "thread_ts": decision.card_ts, "text": note})
    await tell(
        body,
        respond,
        client,
        f"Acknowledged. The escalation of {decision.ref} is paused until {until}; if it is still open then, "
        "it goes on.",
    )


async def ask_input_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    db, person = context["db"], context["person"]
    ref = str(body["actions"][0].get("value") or "")
    now = now_of(context)
    try:
        decision = await decisions.find_decision(db, workspace_id=context["workspace"].id, ref=ref, for_update=True)
        consulted = await decisions.ask_for_input(db, decision=decision, actor=person, now=now)
    except (NotFound, Forbidden, NotNow) as exc:
        await refuse(body, respond, client, exc)
        return
    users = [p.slack_user_id for p in consulted]
    error = await post_in_thread(client, input_request(decision, users, person.slack_user_id, now))
    names = ", ".join(f"<@{u}>" for u in users)
    if error:
        await tell(body, respond, client, f"I couldn't ask {names} in the card's thread ({error}).")
    else:
        await tell(body, respond, client, f"Asked {names} for input in the card's thread.")


async def create_pressed(ack: AsyncAck, body: dict, context: dict, client: AsyncWebClient) -> None:
    await ack()
    origin = "home" if opened_from_home(body) else None
    await open_form(None, context, client, body["trigger_id"], None, origin=origin)


# the forms behind the buttons ------------------------------------------------------------------------------------


async def _submitted(
    ack: AsyncAck, view: dict, context: dict, error_block: DecisionIds
) -> tuple[Decision, dict[str, Any]] | None:
    """The decision a form is about (in this workspace, locked for the change), or an error on the form."""
    meta = decode_meta(view.get("private_metadata"))
    decision = await decisions.get_decision(
        context["db"], workspace_id=context["workspace"].id, ref=str(meta.get("ref") or ""), for_update=True
    )
    if decision is None:
        await ack(response_action="errors", errors={error_block.value: "This decision no longer exists here."})
        return None
    return decision, meta


async def _refused_form(ack: AsyncAck, exc: Exception, block: DecisionIds) -> None:
    if isinstance(exc, Invalid):
        await ack(response_action="errors", errors=field_errors(exc))
    elif isinstance(exc, Forbidden):
        await ack(response_action="errors", errors={block.value: forbidden_text(exc, plain=True)})
    else:
        await ack(response_action="errors", errors={block.value: str(exc)})


async def decided(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    found = await _submitted(ack, view, context, DecisionIds.RATIONALE)
    if found is None:
        return
    decision, meta = found
    values = view["state"]["values"]
    choice = chosen(values, DecisionIds.CHOICE)
    if choice is not None and choice.isdigit() and int(choice) < len(decision.options):
        choice = decision.options[int(choice)]
    elif choice is None:
        choice = typed(values, DecisionIds.CHOICE)
    now, person = now_of(context), context["person"]
    try:
        await decisions.decide(
            context["db"],
            decision=decision,
            actor=person,
            choice=choice,
            rationale=typed(values, DecisionIds.RATIONALE),
            now=now,
        )
    except (Invalid, Forbidden, NotNow) as exc:
        await _refused_form(ack, exc, DecisionIds.RATIONALE)
        return
    await decision_jobs.tell_closed(context["db"], decision=decision, actor=person, now=now)
    text = f"*{decision.ref}* is decided: *{esc(decision.chosen_option or '')}*. Everyone named in it is told."
    await ack(response_action="update", view=done_view(f"{decision.ref} decided", text))
    await after_change(client, context, decision, meta, now)


async def withdrawn(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    found = await _submitted(ack, view, context, DecisionIds.REASON)
    if found is None:
        return
    decision, meta = found
    now, person = now_of(context), context["person"]
    reason = typed(view["state"]["values"], DecisionIds.REASON)
    try:
        await decisions.withdraw(context["db"], decision=decision, actor=person, reason=reason, now=now)
    except (Invalid, Forbidden, NotNow) as exc:
        await _refused_form(ack, exc, DecisionIds.REASON)
        return
    await decision_jobs.tell_closed(context["db"], decision=decision, actor=person, now=now, reason=reason)
    await ack(
        response_action="update",
        view=done_view(f"{decision.ref} withdrawn", f"*{decision.ref}* is withdrawn; its reminders have stopped."),
    )
    await after_change(client, context, decision, meta, now)


async def deadline_moved(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    found = await _submitted(ack, view, context, DecisionIds.DEADLINE)
    if found is None:
        return
    decision, meta = found
    now = now_of(context)
    deadline = state_of(view["state"]["values"], DecisionIds.DEADLINE).get("selected_date_time")
    try:
        await decisions.move_deadline(
            context["db"], decision=decision, actor=context["person"], deadline=deadline, now=now
        )
    except (Invalid, Forbidden, NotNow) as exc:
        await _refused_form(ack, exc, DecisionIds.DEADLINE)
        return
    text = f"*{decision.ref}* is now due {slack_time(decision.deadline)}. Reminders start over from the new deadline."
    await ack(response_action="update", view=done_view("Deadline moved", text))
    await after_change(client, context, decision, meta, now)


async def reopened(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    found = await _submitted(ack, view, context, DecisionIds.REASON)
    if found is None:
        return
    decision, meta = found
    now = now_of(context)
    values = view["state"]["values"]
    try:
        await decisions.reopen(
            context["db"],
            decision=decision,
            actor=context["person"],
            deadline=state_of(values, DecisionIds.DEADLINE).get("selected_date_time"),
            reason=typed(values, DecisionIds.REASON),
            now=now,
        )
    except (Invalid, Forbidden, NotNow) as exc:
        await _refused_form(ack, exc, DecisionIds.REASON)
        return
    text = f"*{decision.ref}* is open again, due {slack_time(decision.deadline)}."
    await ack(response_action="update", view=done_view(f"{decision.ref} reopened", text))
    await after_change(client, context, decision, meta, now)


async def snoozed(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    found = await _submitted(ack, view, context, DecisionIds.SNOOZE_FOR)
    if found is None:
        return
    decision, meta = found
    now, person = now_of(context), context["person"]
    minutes = chosen(view["state"]["values"], DecisionIds.SNOOZE_FOR)
    try:
        event = await decisions.snooze(context["db"], decision=decision, actor=person, minutes=minutes, now=now)
    except (Invalid, Forbidden, NotNow) as exc:
        await _refused_form(ack, exc, DecisionIds.SNOOZE_FOR)
        return
    until = slack_time(datetime.fromisoformat(event.data["until"]))
    await ack(
        response_action="update", view=done_view("Snoozed", f"The escalation of *{decision.ref}* waits until {until}.")
    )
    if decision.card_ts:
        note = f"<@{person.slack_user_id}> snoozed the escalation of *{decision.ref}* until {until}."
        await post_in_thread(client, {"channel": decision.card_channel, "thread_ts": decision.card_ts, "text": note})
    await after_change(client, context, decision, meta, now)


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    # Five of each keeps outcomes, decisions and help inside Slack's 100-block limit for a Home view.
    awaiting = await decisions.home_decisions(session, workspace_id=workspace.id, person=person, now=now, limit=5)
    return home_sections(awaiting, now)


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(DECISION.name)(decision_command)
    app.view(DecisionIds.CREATE_VIEW.value)(decision_created)
    app.view(DecisionIds.DECIDE_VIEW.value)(decided)
    app.view(DecisionIds.WITHDRAW_VIEW.value)(withdrawn)
    app.view(DecisionIds.MOVE_VIEW.value)(deadline_moved)
    app.view(DecisionIds.REOPEN_VIEW.value)(reopened)
    app.view(DecisionIds.SNOOZE_VIEW.value)(snoozed)
    app.options(DecisionIds.OUTCOME.value)(outcome_options)
    app.action(DecisionIds.CREATE.value)(create_pressed)
    app.action(DecisionIds.DECIDE.value)(decide_pressed)
    app.action(DecisionIds.ASK_INPUT.value)(ask_input_pressed)
    app.action(DecisionIds.ACKNOWLEDGE.value)(acknowledge_pressed)
    app.action(DecisionIds.SNOOZE.value)(snooze_pressed)
    app.action(DecisionIds.MOVE_DEADLINE.value)(move_pressed)
    app.action(DecisionIds.WITHDRAW.value)(withdraw_pressed)
    app.action(DecisionIds.REOPEN.value)(reopen_pressed)
