"""The outcome forms' submissions: define, edit, change the owner, drop; and the parent picker's options."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.models.blocks import OptionGroup
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit import profiles
from handlers.kit.forms import chosen, decode_meta, field_errors, state_of, typed
from handlers.kit.home import HomeTab
from handlers.kit.pickers import OPTIONS_LIMIT, outcome_option
from handlers.kit.replies import error_text
from handlers.outcomes import messages
from handlers.outcomes.blocks.form import FIELD_BLOCKS, created_view
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.pieces import priority_option
from handlers.outcomes.cards import after_form
from models import OutcomeStatus, Person, ProgressSource, Workspace
from services import outcomes
from services.errors import Forbidden, Invalid
from services.outcomes import Field, OutcomeForm
from services.people import today_for

GONE = "This outcome no longer exists."


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


def refusal(exc: Exception, block: OutcomeIds) -> dict[str, str]:
    """A refused change as field errors: the form's own fields for Invalid, else the one message on `block`."""
    if isinstance(exc, Invalid):
        return field_errors(exc.errors, FIELD_BLOCKS, fallback=block)
    return {block.value: error_text(exc)}


async def outcome_created(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    meta = decode_meta(view.get("private_metadata"))
    form = form_from_state(view["state"]["values"], with_owner=True)
    await profiles.refresh_named(client, db, workspace, [form.owner_user_id], now)
    try:
        outcome = await outcomes.create_outcome(
            db,
            workspace=workspace,
            author=person,
            form=form,
            channel_id=meta.get("channel"),
            today=today_for(person, workspace, now),
            now=now,
        )
    except Invalid as exc:
        await ack(response_action="errors", errors=refusal(exc, OutcomeIds.TITLE))
        return
    await messages.tell_new_owner(db, outcome=outcome, owner=outcome.owner, actor=person, now=now)
    await ack(response_action="update", view=created_view(outcome))
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)


async def changed_outcome(ack: AsyncAck, view: dict, db: AsyncSession, workspace: Workspace, block: OutcomeIds):
    """The outcome a managing form was opened for, with where it came from; None (and said so) if it is gone."""
    meta = decode_meta(view.get("private_metadata"))
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=str(meta.get("ref", "")))
    if outcome is None:
        await ack(response_action="errors", errors={block.value: GONE})
    return meta, outcome


async def outcome_edited(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    meta, outcome = await changed_outcome(ack, view, db, workspace, OutcomeIds.TITLE)
    if outcome is None:
        return
    form = form_from_state(view["state"]["values"], with_owner=False)
    try:
        await outcomes.edit_outcome(
            db, workspace=workspace, actor=person, outcome=outcome, form=form, today=today_for(person, workspace, now)
        )
    except (Invalid, Forbidden) as exc:
        await ack(response_action="errors", errors=refusal(exc, OutcomeIds.TITLE))
        return
    await ack()
    await after_form(client, db, home, meta, outcome=outcome, person=person, workspace=workspace, now=now)


async def owner_changed(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    block = OutcomeIds.NEW_OWNER
    meta = decode_meta(view.get("private_metadata"))
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=str(meta.get("ref", "")))
    new_owner_id = state_of(view["state"]["values"], block).get("selected_user")
    if outcome is None or not new_owner_id:
        await ack(response_action="errors", errors={block.value: "Choose the new owner."})
        return
    (new_owner,) = await profiles.refresh_named(client, db, workspace, [new_owner_id], now)
    try:
        previous = await outcomes.change_owner(db, actor=person, outcome=outcome, new_owner=new_owner)
    except Forbidden as exc:
        await ack(response_action="errors", errors=refusal(exc, block))
        return
    except Invalid as exc:
        await ack(response_action="errors", errors={block.value: exc.errors[Field.OWNER]})
        return
    if previous is not None:
        await messages.tell_new_owner(db, outcome=outcome, owner=new_owner, actor=person, now=now)
        await messages.tell_handed_over(db, outcome=outcome, previous=previous, actor=person, now=now)
    await ack()
    await after_form(client, db, home, meta, outcome=outcome, person=person, workspace=workspace, now=now)


async def outcome_dropped(
    ack: AsyncAck,
    view: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    home: HomeTab,
) -> None:
    block = OutcomeIds.DROP_REASON
    meta, outcome = await changed_outcome(ack, view, db, workspace, block)
    if outcome is None:
        return
    reason = typed(view["state"]["values"], block)
    try:
        logged = await outcomes.log_progress(
            db,
            outcome=outcome,
            author=person,
            status=OutcomeStatus.DROPPED,
            note=reason,
            source=ProgressSource.CARD,
            now=now,
        )
    except (Forbidden, outcomes.BadProgress) as exc:
        await ack(response_action="errors", errors=refusal(exc, block))
        return
    if logged.status_changed:
        await messages.tell_dropped(db, outcome=outcome, actor=person, reason=logged.update.note, now=now)
    await ack()
    await after_form(client, db, home, meta, outcome=outcome, person=person, workspace=workspace, now=now)


async def parent_options(ack: AsyncAck, body: dict, db: AsyncSession, workspace: Workspace, person: Person) -> None:
    """The parent picker: current priorities first, then open outcomes (not the one being edited)."""
    query = body.get("value") or ""
    editing = str(decode_meta((body.get("view") or {}).get("private_metadata")).get("ref") or "")
    priorities = await outcomes.search_priorities(db, workspace_id=workspace.id, query=query, limit=OPTIONS_LIMIT // 2)
    found = await outcomes.search_outcomes(
        db, workspace_id=workspace.id, person=person, query=query, limit=OPTIONS_LIMIT - len(priorities)
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
