"""The submissions of the forms a finding opens: a new due date, a new owner, work handed over. Each finds the
finding and its subject again, leaves the change to the subject's own service (and its rule of who may), puts
any refusal beside its field with nothing stored, and records what was done on the finding."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.health import messages
from handlers.health.blocks.forms import done_view
from handlers.health.blocks.ids import HealthIds
from handlers.kit import profiles
from handlers.kit.forms import chosen_all, decode_meta, field_errors, state_of
from handlers.kit.home import HomeTab
from handlers.kit.replies import error_text
from handlers.kit.text import esc
from models import HealthFinding, Outcome, Person, Workspace
from services import health, outcomes, people
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.health import Kind, Remedy
from services.health.handover import Field, Item, hand_over, items_of
from services.health.subjects import person_id_of

GONE = "This finding or what it is about is gone; close the form and look again."
HANDOVER_BLOCKS = {Field.ITEMS: HealthIds.ITEMS, Field.TO: HealthIds.TO}


async def _finding(db: AsyncSession, workspace: Workspace, view: dict) -> tuple[dict, HealthFinding | None]:
    meta = decode_meta(view.get("private_metadata"))
    try:
        row = await health.record_of(db, workspace_id=workspace.id, key=str(meta.get("key", "")), for_update=True)
    except NotFound:
        return meta, None
    return meta, row


async def _outcome(db: AsyncSession, workspace: Workspace, row: HealthFinding | None) -> Outcome | None:
    if row is None:
        return None
    return await outcomes.get_outcome(db, workspace_id=workspace.id, ref=row.subject)


async def _done(db: AsyncSession, client: AsyncWebClient, home: HomeTab, meta: dict, *, row: HealthFinding,
                workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    """Records the remedy on the finding, runs the detectors again (the change may settle it), and redraws the
    Home tab the form came from."""
    await health.acted(db, workspace_id=workspace.id, key=row.key, remedy=Remedy(row.remedy), actor=person, now=now)
    await health.refresh(db, workspace_id=workspace.id, now=now)
    if meta.get("origin") == "home":
        await home.refresh(client, db, workspace=workspace, person=person, now=now)


async def due_moved(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                    person: Person, now: datetime, home: HomeTab) -> None:  # fmt: skip
    meta, row = await _finding(db, workspace, view)
    outcome = await _outcome(db, workspace, row)
    if row is None or outcome is None:
        await ack(response_action="errors", errors={HealthIds.DUE.value: GONE})
        return
    due = state_of(view["state"]["values"], HealthIds.DUE).get("selected_date")
    today = now.astimezone(people.person_zone(person, workspace)).date()
    try:
        was = await outcomes.move_due(db, actor=person, outcome=outcome, due=due, today=today, now=now)
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, {}, fallback=HealthIds.DUE))
        return
    except (Forbidden, NotNow) as exc:
        await ack(response_action="errors", errors={HealthIds.DUE.value: error_text(exc)})
        return
    await _done(db, client, home, meta, row=row, workspace=workspace, person=person, now=now)
    said = f"*{outcome.ref}* {esc(outcome.title)} is now due {outcome.due_date:%a %-d %b %Y} (it was {was:%-d %b})."
    await ack(response_action="update", view=done_view("Due date moved", said))


async def owner_changed(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                        person: Person, now: datetime, home: HomeTab) -> None:  # fmt: skip
    block = HealthIds.OWNER
    meta, row = await _finding(db, workspace, view)
    outcome = await _outcome(db, workspace, row)
    chosen = state_of(view["state"]["values"], block).get("selected_user")
    if row is None or outcome is None or not chosen:
        await ack(response_action="errors", errors={block.value: GONE if chosen else "Choose the new owner."})
        return
    (new_owner,) = await profiles.refresh_named(client, db, workspace, [chosen], now)
    try:
        previous = await outcomes.change_owner(db, actor=person, outcome=outcome, new_owner=new_owner)
    except Invalid as exc:
        await ack(response_action="errors", errors={block.value: " ".join(exc.errors.values())})
        return
    except Forbidden as exc:
        await ack(response_action="errors", errors={block.value: error_text(exc)})
        return
    if previous is not None:
        item = Item(outcome.ref, outcome.title)
        await messages.tell_handed_over(db, workspace_id=workspace.id, items=[item], to=new_owner, holder=previous,
                                        actor=person, now=now)  # fmt: skip
    await _done(db, client, home, meta, row=row, workspace=workspace, person=person, now=now)
    name = esc(new_owner.display_name or new_owner.slack_user_id)
    await ack(response_action="update", view=done_view("Reassigned", f"*{outcome.ref}* is {name}'s now."))


async def handed_over(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                      person: Person, now: datetime, home: HomeTab) -> None:  # fmt: skip
    values = view["state"]["values"]
    meta, row = await _finding(db, workspace, view)
    holder = await db.get(Person, person_id_of(row.subject) or 0) if row is not None else None
    if row is None or holder is None or holder.workspace_id != workspace.id:
        await ack(response_action="errors", errors={HealthIds.ITEMS.value: GONE})
        return
    chosen_user = state_of(values, HealthIds.TO).get("selected_user")
    to = (await profiles.refresh_named(client, db, workspace, [chosen_user], now))[0] if chosen_user else None
    today = now.astimezone(people.person_zone(holder, workspace)).date()
    offered = await items_of(db, workspace_id=workspace.id, person_id=holder.id, kind=Kind(row.kind), today=today)
    try:
        moved = await hand_over(db, workspace_id=workspace.id, actor=person, holder_id=holder.id, offered=offered,
                                chosen=chosen_all(values, HealthIds.ITEMS), to=to, now=now)  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, HANDOVER_BLOCKS, fallback=HealthIds.ITEMS))
        return
    assert to is not None
    await messages.tell_handed_over(db, workspace_id=workspace.id, items=moved, to=to, holder=holder, actor=person,
                                    now=now)  # fmt: skip
    await _done(db, client, home, meta, row=row, workspace=workspace, person=person, now=now)
    refs = ", ".join(item.ref for item in moved)
    name = esc(to.display_name or to.slack_user_id)
    await ack(response_action="update", view=done_view("Handed over", f"{refs}: {name} has them now."))
