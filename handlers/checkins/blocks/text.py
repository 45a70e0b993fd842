"""Small phrases the check-in surfaces share: names, channels, days and times, a cadence's schedule and
audience, and a short modal that just says something."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from handlers.kit.text import clip, esc, mention
from models import Audience, Cadence, Invite, Person, ZoneMode
from services import checkins
from services.recurrence import describe


def name(person: Person) -> str:
    """A person's name as shown to others; never a mention (that would ping them)."""
    return esc(person.display_name or "someone without a name in Slack")


def names(invites: list[Invite]) -> str:
    return ", ".join(name(i.person) for i in invites)


def channel_ref(channel_id: str) -> str:
    return f"<#{channel_id}>"


def day_text(day: date) -> str:
    return f"{day:%a %-d %b}"


def when_text(moment: datetime, zone: tzinfo = UTC) -> str:
    """A date and time Slack shows in each reader's zone; where it can't (a notification, an old client, the
    local shell), the words after | show it in `zone`: the reader's, when there is one reader."""
    stamp, local = int(moment.timestamp()), moment.astimezone(zone)
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{local:%a %-d %b %H:%M} {local.tzname()}>"


def next_round_text(cadence: Cadence, zone: tzinfo) -> str:
    """When the next round opens, as the reader reads it: for "each person in their own time zone" the day
    and the wall time everyone is asked at (its first ask, somewhere in the world, says little); for one
    team zone, the moment in the reader's own zone. Empty when none is planned (paused)."""
    if cadence.next_on is None or cadence.next_at is None:
        return ""
    if cadence.zone_mode is ZoneMode.PERSONAL:
        return f"{day_text(cadence.next_on)} at {cadence.local_time:%H:%M} in each person's own time zone"
    return when_text(cadence.next_at, zone)


def team_zone(cadence: Cadence) -> ZoneInfo:
    return ZoneInfo(cadence.timezone)


def schedule_text(cadence: Cadence) -> str:
    """`every Monday at 09:30, each person in their own time zone`."""
    rule = describe(checkins.rule_of(cadence))
    if cadence.zone_mode is ZoneMode.PERSONAL:
        return f"{rule}, each person in their own time zone"
    return f"{rule} ({esc(cadence.timezone)})"


def audience_text(cadence: Cadence) -> str:
    """Who is asked, for the person setting it up (a form or a private reply: mentions show names, ping nobody)."""
    if cadence.audience is Audience.CHANNEL:
        return "everyone in the channel"
    people = ", ".join(mention(m.person.slack_user_id) for m in cadence.members)
    return clip(people or "nobody yet", 500)


def notice_view(text: str) -> dict:
    """A modal that only says something (what a form turns into once submitted)."""
    return View(
        type="modal", title="Check-in", close="Done", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]
    ).to_dict()
