"""A finding's two buttons, wherever it shows (the health command's answer, the Home tab): the remedy and "Snooze a
week". The value is the finding's key, found again in the presser's workspace; what to do is read from the stored
finding, never from the button."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.health.remedies import REMEDIES, Press
from handlers.kit.home import HomeTab
from handlers.kit.replies import opened_from_home, refusal_text, tell
from handlers.kit.text import slack_date
from models import HealthFinding, Person, Workspace
from services import health
from services.errors import Forbidden, NotFound, NotNow
from services.health import Remedy
from services.outcomes import BadProgress

REFUSALS = (NotFound, Forbidden, NotNow, BadProgress)


def pressed_key(body: dict) -> str:
    return str(body["actions"][0].get("value") or "")[:200]


async def open_finding(db: AsyncSession, workspace: Workspace, key: str) -> HealthFinding:
    """The finding a button names, in this workspace (another's key is simply not found), still open."""
    try:
        row = await health.record_of(db, workspace_id=workspace.id, key=key, for_update=True)
    except NotFound:
        raise NotFound("that finding") from None
    if row.resolved_at is not None:
        raise NotNow("That has cleared up since: there is nothing left to do about it.")
    return row


def may_snooze(person: Person, row: HealthFinding) -> None:
    if not health.may_snooze(person, row):
        raise Forbidden("snooze this finding", "the person it is on")


async def do_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                     workspace: Workspace, person: Person, now: datetime, home: HomeTab) -> None:  # fmt: skip
    await ack()
    try:
        row = await open_finding(db, workspace, pressed_key(body))
        press = Press(body, client, db, workspace, person, now, row)
        said = await REMEDIES[Remedy(row.remedy)](press)
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    if said is None:
        return  # a form opened; its submission answers
    if opened_from_home(body):
        await home.refresh(client, db, workspace=workspace, person=person, now=now)  # it shows what was done
    else:
        await tell(body, respond, client, said)


async def snooze_pressed(ack: AsyncAck, body: dict, respond: AsyncRespond, client: AsyncWebClient, db: AsyncSession,
                         workspace: Workspace, person: Person, now: datetime, home: HomeTab) -> None:  # fmt: skip
    await ack()
    try:
        row = await open_finding(db, workspace, pressed_key(body))
        may_snooze(person, row)
        row = await health.snooze(db, workspace_id=workspace.id, key=row.key, actor=person, now=now)
    except REFUSALS as exc:
        await tell(body, respond, client, refusal_text(exc))
        return
    if opened_from_home(body):
        await home.refresh(client, db, workspace=workspace, person=person, now=now)
        return
    assert row.snoozed_until is not None
    await tell(body, respond, client, f"Snoozed: it stays quiet until {slack_date(row.snoozed_until)}.")
