""" "Add follow-up" on a decided decision's card: the action item form, prefilled, with the decision as its source.

The decision's card shows the button under a shared id (handlers.kit.shared_ids) and this feature answers it,
so neither feature imports the other's handlers. The press and the submission both check, through
services.actions, that the decision is this workspace's and decided.
"""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions.blocks.forms import create_view
from handlers.actions.commands import first_working_day_after
from handlers.kit.forms import encode_meta
from handlers.kit.pickers import outcome_option
from handlers.kit.replies import open_view, opened_from_home, refusal_text, tell
from handlers.kit.text import clip, esc
from models import Decision, Person, Workspace
from services import actions, people
from services.errors import NotFound, NotNow


def prefilled_what(decision: Decision) -> str:
    """`Follow up on D-3: Globex Care`, as typed (the form's input shows it as plain text)."""
    return clip(f"Follow up on {decision.ref}: {decision.chosen_option or decision.question}", actions.MAX_WHAT)


def follow_up_note(decision: Decision) -> str:
    """`A follow-up to *D-3* Which vendor?` and, on a line of its own, what was decided."""
    chosen = f"\n*Decided* {esc(clip(decision.chosen_option, 150))}" if decision.chosen_option else ""
    return f"A follow-up to *{decision.ref}* {esc(clip(decision.question, 150))}{chosen}"


async def follow_up_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient,
                            db: AsyncSession, workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    await ack()
    ref = str(body["actions"][0].get("value") or "")
    try:
        decision, _ = await actions.decision_source(db, workspace_id=workspace.id, ref=ref)
    except (NotFound, NotNow) as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    origin = "home" if opened_from_home(body) else None
    view = create_view(
        metadata=encode_meta(channel=decision.channel_id, decision=decision.ref, origin=origin),
        owner=person.slack_user_id,
        due=first_working_day_after(people.today_for(person, workspace, now)),
        what_text=prefilled_what(decision),
        note=follow_up_note(decision),
        outcome=outcome_option(decision.outcome) if decision.outcome else None,
    )
    error = await open_view(client, body["trigger_id"], view)
    if error:
        await tell(body, respond, client, f"I couldn't open the form ({error}); please try again.")
