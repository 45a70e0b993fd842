"""/outcome: define (a form), list, and show outcomes; the card's buttons to edit, reassign, finish or drop."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import OptionGroup
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import OUTCOME
from handlers.blocks.home import outcome_blocks
from handlers.blocks.outcome import (
    FIELD_BLOCKS,
    OutcomeIds,
    card_blocks,
    card_text,
    created_view,
    decode_meta,
    drop_view,
    encode_meta,
    esc,
    forbidden_text,
    list_blocks,
    outcome_form_view,
    outcome_option,
    owner_view,
    priority_option,
)
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.home import HomeTab
from models import Outcome, OutcomeStatus, Person, Priority, ProgressSource, Workspace
from services import outcomes, people, progress
from services.outcome_form import Field, Invalid, OutcomeForm
from services.outcomes import Forbidden, ListScope
from services.refs import looks_like_ref

log = logging.getLogger(__name__)
OPTIONS_LIMIT = 100  # Slack shows at most 100 options per menu

HELP_DETAILS = [
    "*Define* `/outcome` opens a form: title, definition of done, owner (you unless you pick someone), due date, "
    "the priority or outcome it serves, one lagging metric (the result: baseline, target, unit) and one to three "
    "leading indicators, one per line as `name: baseline -> target`.",
    "*Show* `/outcome O-12` (or `o-12`, or `12`) shows the card: owner, due date, status, each metric from baseline "
    "to target with its recent trend, and the latest updates. The owner and admins get buttons to edit, change "
    "the owner, mark it done or drop it.",
    "*List* `/outcome list` (yours), `list channel`, `list all`, `list at-risk`.",
    "*Log progress* with `/progress O-12 42 what moved`; see `/progress help`.",
]


# helpers shared with the progress handlers ---------------------------------------------------------------


def today_for(person: Person, workspace: Workspace) -> date:
    """Today where the person is: "due today" and "in the past" follow their calendar, not UTC's."""
    return datetime.now(people.person_zone(person, workspace)).date()


def from_command(text: str) -> str:
    """Slack escapes &, < and > in a command's text (forms send it as typed); we store it as typed and escape
    it again wherever it is shown in mrkdwn."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def reply(text: str) -> dict:
    """An answer only the person who typed the command sees."""
    return {"text": text, "response_type": "ephemeral"}


def state_of(values: dict, block: str) -> dict[str, Any]:
    return (values.get(block) or {}).get(block) or {}


def typed(values: dict, block: str) -> str:
    return state_of(values, block).get("value") or ""


def chosen(values: dict, block: str) -> str | None:
    return (state_of(values, block).get("selected_option") or {}).get("value")


async def tell(body: dict, respond: AsyncRespond | None, client: AsyncWebClient, text: str) -> None:
    """A private answer to a button press: in place when Slack gave a response_url, else in the app's DM.
    Best effort: whatever the press changed stays changed if Slack cannot be reached."""
    try:
        if respond is not None and body.get("response_url"):
            await respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            await client.chat_postMessage(channel=body["user"]["id"], text=text)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("could not answer %s: %r", body["user"]["id"], exc)


async def send_to_response_url(url: str | None, *, text: str, blocks: list[dict]) -> None:
    """Redraws the card a form was opened from; failing to is not worth failing the form for."""
    if not url:
        return
    try:
        await AsyncWebhookClient(url).send(text=text, blocks=blocks, replace_original=True)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("could not redraw the card at its response_url: %s", exc)


def opened_from_home(body: dict) -> bool:
    return (body.get("view") or {}).get("type") == "home"


async def card_reply(session: AsyncSession, outcome: Outcome, viewer: Person, workspace: Workspace) -> dict:
    card = await outcomes.load_card(session, outcome=outcome)
    blocks = card_blocks(card, today=today_for(viewer, workspace), can_manage=outcomes.can_manage(viewer, outcome))
    return {"text": card_text(outcome), "blocks": blocks}


async def open_view(client: AsyncWebClient, trigger_id: str, view: dict) -> str | None:
    """Opens a modal; returns Slack's error instead of raising, so the person can be told."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        return str(exc.response.get("error"))
    return None


async def after_form(
    client: AsyncWebClient, context: dict, meta: dict, outcome: Outcome, person: Person, workspace: Workspace
) -> None:
    """Shows the change where the form was opened from: the card's message, or the Home tab."""
    if meta.get("response_url"):
        await send_to_response_url(meta["response_url"], **await card_reply(context["db"], outcome, person, workspace))
    if meta.get("origin") == "home":
        await context["home"].refresh(client, context["db"], workspace=workspace, person=person, now=context["now"])


# /outcome ----------------------------------------------------------------------------------------------------


async def outcome_command(ack: AsyncAck, command: dict, context: dict, client: AsyncWebClient) -> None:
    text = (command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key = word.lower()
    if key in ("", "new", "create"):
        view = outcome_form_view(
            metadata=encode_meta(channel=command.get("channel_id")),
            owner_user_id=command["user_id"],
            title=from_command(rest.strip()),
        )
        error = await open_view(client, command["trigger_id"], view)
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
        return
    if key == "list" and rest.strip().lower() in ("", *ListScope):
        await list_command(ack, command, context, ListScope(rest.strip().lower() or ListScope.MINE))
        return
    if looks_like_ref(word) and not rest.strip():
        db, workspace, person = context["db"], context["workspace"], context["person"]
        outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=word)
        if outcome is None:
            await ack(
                **reply(f"I can't find {word.upper()} in this workspace. `/outcome list all` shows what there is.")
            )
            return
        await ack(**await card_reply(db, outcome, person, workspace))
        return
    unknown = None if key in ("help", "?") else text
    await ack(
        text=command_help_text(OUTCOME, unknown=unknown),
        blocks=command_help_blocks(OUTCOME, HELP_DETAILS, unknown=unknown),
    )


async def list_command(ack: AsyncAck, command: dict, context: dict, scope: ListScope) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    found, total = await outcomes.list_outcomes(
        db, workspace_id=workspace.id, scope=scope, person=person, channel_id=command.get("channel_id"), limit=20
    )
    blocks = list_blocks(found, total, scope=scope.value, today=today_for(person, workspace))
    await ack(text=f"{total} outcome{'s' if total != 1 else ''}", blocks=blocks)


# the definition form ----------------------------------------------------------------------------------------


def form_from_state(values: dict, *, with_owner: bool) -> OutcomeForm:
    return OutcomeForm(
        title=typed(values, OutcomeIds.TITLE),
        definition_of_done=typed(values, OutcomeIds.DEFINITION),
        due=state_of(values, OutcomeIds.DUE).get("selected_date"),
        parent=chosen(values, OutcomeIds.PARENT),
        lagging_name=typed(values, OutcomeIds.LAGGING_NAME),
        unit=typed(values, OutcomeIds.UNIT),
        baseline=typed(values, OutcomeIds.BASELINE),
        target=typed(values, OutcomeIds.TARGET),
        leading=typed(values, OutcomeIds.LEADING),
        owner_user_id=state_of(values, OutcomeIds.OWNER).get("selected_user") if with_owner else None,
    )


def field_errors(exc: Invalid) -> dict[str, str]:
    return {FIELD_BLOCKS[field].value: message for field, message in exc.errors.items()}


async def outcome_created(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    form = form_from_state(view["state"]["values"], with_owner=True)
    try:
        outcome = await outcomes.create_outcome(
            db,
            workspace=workspace,
            author=person,
            form=form,
            channel_id=meta.get("channel"),
            today=today_for(person, workspace),
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc))
        return
    await ack(response_action="update", view=created_view(outcome))
    if meta.get("origin") == "home":
        await context["home"].refresh(client, db, workspace=workspace, person=person, now=context["now"])


async def outcome_edited(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=str(meta.get("ref", "")))
    if outcome is None:
        await ack(response_action="errors", errors={OutcomeIds.TITLE.value: "This outcome no longer exists."})
        return
    try:
        await outcomes.edit_outcome(
            db,
            workspace=workspace,
            actor=person,
            outcome=outcome,
            form=form_from_state(view["state"]["values"], with_owner=False),
            today=today_for(person, workspace),
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc))
        return
    except Forbidden as exc:
        await ack(response_action="errors", errors={OutcomeIds.TITLE.value: forbidden_text(exc, plain=True)})
        return
    await ack()
    await after_form(client, context, meta, outcome, person, workspace)


async def owner_changed(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=str(meta.get("ref", "")))
    new_owner_id = state_of(view["state"]["values"], OutcomeIds.NEW_OWNER).get("selected_user")
    if outcome is None or not new_owner_id:
        await ack(response_action="errors", errors={OutcomeIds.NEW_OWNER.value: "Choose the new owner."})
        return
    new_owner = await people.ensure_person(db, workspace=workspace, slack_user_id=new_owner_id)
    try:
        await outcomes.change_owner(db, actor=person, outcome=outcome, new_owner=new_owner)
    except Forbidden as exc:
        await ack(response_action="errors", errors={OutcomeIds.NEW_OWNER.value: forbidden_text(exc, plain=True)})
        return
    except Invalid as exc:
        await ack(response_action="errors", errors={OutcomeIds.NEW_OWNER.value: exc.errors[Field.OWNER]})
        return
    await ack()
    await after_form(client, context, meta, outcome, person, workspace)


async def outcome_dropped(ack: AsyncAck, view: dict, context: dict, client: AsyncWebClient) -> None:
    db, workspace, person = context["db"], context["workspace"], context["person"]
    meta = decode_meta(view.get("private_metadata"))
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=str(meta.get("ref", "")))
    block = OutcomeIds.DROP_REASON.value
    if outcome is None:
        await ack(response_action="errors", errors={block: "This outcome no longer exists."})
        return
    try:
        await progress.log_progress(
            db,
            outcome=outcome,
            author=person,
            status=OutcomeStatus.DROPPED,
            note=typed(view["state"]["values"], OutcomeIds.DROP_REASON),
            source=ProgressSource.CARD,
            now=datetime.now(UTC),
        )
    except (Forbidden, progress.BadProgress) as exc:
        message = forbidden_text(exc, plain=True) if isinstance(exc, Forbidden) else str(exc)
        await ack(response_action="errors", errors={block: message})
        return
    await ack()
    await after_form(client, context, meta, outcome, person, workspace)


async def parent_options(ack: AsyncAck, body: dict, context: dict) -> None:
    """The parent picker: current priorities first, then open outcomes (not the one being edited)."""
    db, workspace = context["db"], context["workspace"]
    query = body.get("value") or ""
    editing = str(decode_meta((body.get("view") or {}).get("private_metadata")).get("ref") or "")
    priorities: list[Priority] = await outcomes.search_priorities(
        db, workspace_id=workspace.id, query=query, limit=OPTIONS_LIMIT // 2
    )
    found = await outcomes.search_outcomes(
        db, workspace_id=workspace.id, person=context["person"], query=query, limit=OPTIONS_LIMIT - len(priorities)
    )
    groups = []
    if priorities:
        groups.append(OptionGroup(label="Priorities", options=[priority_option(p) for p in priorities]))
    choices = [outcome_option(o) for o in found if o.ref != editing]
    if choices:
        groups.append(OptionGroup(label="Outcomes", options=choices))
    if groups:
        await ack(option_groups=groups)
    else:
        await ack(options=[])


# the card's buttons -------------------------------------------------------------------------------------------


async def managed_outcome(
    body: dict, respond: AsyncRespond | None, context: dict, client: AsyncWebClient, action: str
) -> Outcome | None:
    """The outcome a card button names, if it is in this workspace and the presser may manage it; else says why."""
    ref = str(body["actions"][0].get("value") or "")
    outcome = await outcomes.get_outcome(context["db"], workspace_id=context["workspace"].id, ref=ref)
    if outcome is None:
        await tell(body, respond, client, f"I can't find {ref[:20] or 'that outcome'} in this workspace.")
        return None
    try:
        outcomes.require_manager(context["person"], outcome, f"{action} {outcome.ref}")
    except Forbidden as exc:
        await tell(body, respond, client, forbidden_text(exc))
        return None
    return outcome


def card_meta(body: dict, outcome: Outcome) -> str:
    return encode_meta(
        ref=outcome.ref,
        response_url=body.get("response_url"),
        origin="home" if opened_from_home(body) else None,
    )


async def create_pressed(ack: AsyncAck, body: dict, client: AsyncWebClient) -> None:
    await ack()
    view = outcome_form_view(
        metadata=encode_meta(origin="home" if opened_from_home(body) else None), owner_user_id=body["user"]["id"]
    )
    await open_view(client, body["trigger_id"], view)


async def edit_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    outcome = await managed_outcome(body, respond, context, client, "edit")
    if outcome is None:
        return
    parent = None
    if outcome.parent_priority_id or outcome.parent_outcome_id:
        card = await outcomes.load_card(context["db"], outcome=outcome)
        if isinstance(card.parent, Priority) and card.parent.archived_at is None:
            parent = priority_option(card.parent)
        elif isinstance(card.parent, Outcome):
            parent = outcome_option(card.parent)
    view = outcome_form_view(metadata=card_meta(body, outcome), outcome=outcome, parent=parent)
    await open_view(client, body["trigger_id"], view)


async def owner_pressed(
    ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient
) -> None:
    await ack()
    outcome = await managed_outcome(body, respond, context, client, "change the owner of")
    if outcome is not None:
        await open_view(client, body["trigger_id"], owner_view(outcome, metadata=card_meta(body, outcome)))


async def drop_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    outcome = await managed_outcome(body, respond, context, client, "drop")
    if outcome is not None:
        await open_view(client, body["trigger_id"], drop_view(outcome, metadata=card_meta(body, outcome)))


async def done_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, context: dict, client: AsyncWebClient) -> None:
    await ack()
    outcome = await managed_outcome(body, respond, context, client, "mark done")
    if outcome is None:
        return
    db, person, workspace = context["db"], context["person"], context["workspace"]
    try:
        await progress.log_progress(
            db,
            outcome=outcome,
            author=person,
            status=OutcomeStatus.DONE,
            source=ProgressSource.CARD,
            now=datetime.now(UTC),
        )
    except (Forbidden, progress.BadProgress) as exc:
        await tell(body, respond, client, forbidden_text(exc) if isinstance(exc, Forbidden) else str(exc))
        return
    if body.get("response_url"):
        await send_to_response_url(body["response_url"], **await card_reply(db, outcome, person, workspace))
    else:
        await tell(body, respond, client, f"{outcome.ref} · {esc(outcome.title)} is done. Well followed through!")
    if opened_from_home(body):
        await context["home"].refresh(client, db, workspace=workspace, person=person, now=context["now"])


async def home_section(session: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> list[dict]:
    summary = await outcomes.home_summary(session, workspace_id=workspace.id, person=person)
    today = now.astimezone(people.person_zone(person, workspace)).date()
    return [block.to_dict() for block in outcome_blocks(summary, today=today, now=now)]


def register(app: AsyncApp, home: HomeTab) -> None:
    home.add(home_section)
    app.command(OUTCOME.name)(outcome_command)
    app.view(OutcomeIds.CREATE_VIEW.value)(outcome_created)
    app.view(OutcomeIds.EDIT_VIEW.value)(outcome_edited)
    app.view(OutcomeIds.OWNER_VIEW.value)(owner_changed)
    app.view(OutcomeIds.DROP_VIEW.value)(outcome_dropped)
    app.options(OutcomeIds.PARENT.value)(parent_options)
    app.action(OutcomeIds.CREATE.value)(create_pressed)
    app.action(OutcomeIds.EDIT.value)(edit_pressed)
    app.action(OutcomeIds.CHANGE_OWNER.value)(owner_pressed)
    app.action(OutcomeIds.DROP.value)(drop_pressed)
    app.action(OutcomeIds.MARK_DONE.value)(done_pressed)
