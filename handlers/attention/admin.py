"""`/followthrough attention` (the workspace's budget and what urgent DMs do at night: anyone reads them, admins
change them) and `/followthrough noise` (admins: how many DMs people got, and which ones they ignore)."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.attention.blocks import noise_blocks, noise_text
from handlers.kit.replies import forbidden_text, reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc, plural
from models import AttentionSettings, Person, Workspace
from services.attention import settings
from services.attention.noise import noise
from services.errors import Forbidden, Invalid

USAGE = "`/followthrough attention budget 4`, `/followthrough attention urgent-at-night send` (or `hold`)"
NIGHT = {"send": True, "hold": False}


def shown(current: AttentionSettings) -> str:
    night = ("*sent at once*, even outside the person's working hours" if current.urgent_outside_hours
             else "*held* until the person's next working morning")  # fmt: skip
    return "\n".join([
        "*Attention settings for this workspace*",
        f"• Daily budget: *{plural(current.daily_budget, 'DM')}* that aren't urgent per person per working day; "
        "past it, the rest wait for one round-up the next working morning. People can lower their own.",
        f"• Urgent DMs outside working hours: {night}.",
        f"Admins change them: {USAGE}.",
    ])  # fmt: skip


def parse(rest: str) -> dict[str, int | bool] | None:
    """What to change, as keyword arguments of settings.change; None when it can't be read."""
    what, _, value = rest.lower().partition(" ")
    value = value.strip()
    if what == "budget" and value.isdigit():
        return {"daily_budget": int(value)}
    if what in ("urgent-at-night", "urgent") and value in NIGHT:
        return {"urgent_outside_hours": NIGHT[value]}
    return None


async def attention_command(ack: AsyncAck, command: dict, db: AsyncSession, workspace: Workspace,
                            person: Person) -> None:  # fmt: skip
    _, rest = split(command)
    if not rest or rest.lower() in ("settings", "help"):
        await ack(**reply(shown(await settings.settings_of(db, workspace_id=workspace.id))))
        return
    changes = parse(rest)
    if changes is None:
        await ack(**reply(f"I can't read `{esc(rest[:60])}` as a setting. Try {USAGE}."))
        return
    try:
        current = await settings.change(db, workspace_id=workspace.id, actor=person, **changes)
    except Forbidden as exc:
        await ack(**reply(forbidden_text(exc)))
        return
    except Invalid as exc:
        await ack(**reply(f"Nothing was changed. {esc(' '.join(exc.errors.values()))}"))
        return
    await ack(**reply("Saved.\n" + shown(current)))


async def noise_command(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person,
                        now: datetime) -> None:  # fmt: skip
    if not person.is_admin:
        await ack(**reply("Only admins see the noise report (how many DMs each person gets, and which are ignored). "
                          "Ask one of them; `/followthrough budget` shows and lowers your own."))  # fmt: skip
        return
    found = await noise(db, workspace_id=workspace.id, now=now)
    await ack(**reply(noise_text(found), blocks=noise_blocks(found)))
