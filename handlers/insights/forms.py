"""The insight form's submission: stored with the message's permalink when it came from one; a refusal lands
beside the field it concerns and nothing is stored."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.insights.blocks.forms import added_text, done_view
from handlers.insights.blocks.ids import InsightIds
from handlers.kit.forms import chosen, decode_meta, field_errors, typed
from handlers.kit.permalinks import permalink
from models import Outcome, Person, Workspace
from services.errors import Invalid
from services.health import insights

FIELD_BLOCKS = {"ref": InsightIds.OUTCOME.value, "quote": InsightIds.QUOTE.value, "source": InsightIds.SOURCE.value}


async def insight_added(ack: AsyncAck, view: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                        person: Person, now: datetime) -> None:  # fmt: skip
    meta = decode_meta(view.get("private_metadata"))
    values = view["state"]["values"]
    # Asked before anything is stored: the request's client commits before each Slack call.
    link = await permalink(client, meta["channel"], meta["ts"]) if meta.get("channel") and meta.get("ts") else None
    try:
        insight = await insights.add(
            db, workspace=workspace, author=person, ref=chosen(values, InsightIds.OUTCOME) or "",
            quote=typed(values, InsightIds.QUOTE), source=typed(values, InsightIds.SOURCE), now=now, link=link,
        )  # fmt: skip
    except Invalid as exc:
        await ack(response_action="errors", errors=field_errors(exc.errors, FIELD_BLOCKS, InsightIds.QUOTE.value))
        return
    outcome = await db.get(Outcome, insight.outcome_id)
    assert outcome is not None
    await ack(response_action="update", view=done_view(added_text(insight, outcome)))
