"""What people received, counted from the stand-in's record of Slack calls (what Slack was actually asked to
post, and when on the simulated clock), joined to the outbox rows by the delivery key every post carries in
its metadata (scheduler/readback.py)."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bench.attention.plan import START, Member, Plan
from bot.database import Database
from bot.devtools.standin import SlackStandin
from models import Delivery, DeliveryState
from models.outbox import FINISHED
from services.attention.kinds import YOUR_DAY_KIND
from services.attention.policy import Urgency

LONG_AGO = timedelta(hours=1)  # a pending row due longer ago than this at the end was lost, not held


@dataclass
class Post:
    user: str
    at: datetime
    reply: bool
    key: str | None
    text: str
    blocks: str
    channel: str


@dataclass
class Figures:
    per_day: list[int] = field(default_factory=list)  # top-level DMs per person per working day
    budgeted_max: int = 0  # the most normal or low DMs (round-ups aside) one person got on one working day
    replies_per_day: list[int] = field(default_factory=list)
    weekend_dms: int = 0
    outside: Counter = field(default_factory=Counter)  # urgent / not urgent, top-level DMs
    outside_replies: int = 0
    urgent_sent: int = 0
    urgent_delay: timedelta = timedelta(0)
    round_ups: int = 0
    round_up_replies: int = 0
    duplicate_keys: int = 0
    duplicate_messages: int = 0
    lost: int = 0
    sent_unposted: int = 0
    held_at_end: int = 0
    cancelled: int = 0
    failed: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)


def dm_posts(standin: SlackStandin) -> list[Post]:
    posts = []
    for call in standin.calls:
        if call.method != "chat.postMessage" or not call.ok:
            continue
        channel = str(call.response.get("channel") or call.args.get("channel") or "")
        user = channel[1:] if channel.startswith("D") else channel
        if user not in standin.ws.users:
            continue  # a channel post, not a DM
        metadata = call.args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        key = ((metadata or {}).get("event_payload") or {}).get("key")
        blocks = call.args.get("blocks")
        posts.append(Post(user, datetime.fromtimestamp(call.at, UTC), bool(call.args.get("thread_ts")), key,
                          str(call.args.get("text") or ""), json.dumps(blocks, sort_keys=True), channel))  # fmt: skip
    return posts


def working(member: Member, at: datetime) -> bool:
    local = at.astimezone(member.tz)
    return local.weekday() < 5 and 9 <= local.hour < 18


def working_days(plan: Plan) -> list[date]:
    days = [START.date() + timedelta(days=d) for d in range((plan.end - START).days)]
    return [d for d in days if d.weekday() < 5]


async def rows(database: Database) -> dict[str, Delivery]:
    async with database.sessions() as session:
        return {d.key: d for d in await session.scalars(select(Delivery))}


async def figures(database: Database, standin: SlackStandin, plan: Plan) -> Figures:
    found, posts, by_key = Figures(), dm_posts(standin), await rows(database)
    members = {m.user: m for m in plan.people}
    top: Counter = Counter()
    replies: Counter = Counter()
    budgeted: Counter = Counter()
    for post in posts:
        member = members[post.user]
        local_day = post.at.astimezone(member.tz).date()
        row = by_key.get(post.key or "")
        urgent = row is not None and row.urgency == Urgency.URGENT
        found.by_kind[row.kind if row else "unknown"] += 1
        if post.reply:
            replies[(post.user, local_day)] += 1
            found.outside_replies += not working(member, post.at)
            found.round_up_replies += row is not None and row.thread_of is not None and "your-day" in row.thread_of
            continue
        top[(post.user, local_day)] += 1
        if not urgent and not (row is not None and row.kind == YOUR_DAY_KIND) and local_day.weekday() < 5:
            budgeted[(post.user, local_day)] += 1
        found.weekend_dms += local_day.weekday() >= 5
        if not working(member, post.at):
            found.outside["urgent" if urgent else "not urgent"] += 1
        found.round_ups += row is not None and row.kind == YOUR_DAY_KIND
    days = working_days(plan)
    found.per_day = [top[(m.user, d)] for m in plan.people for d in days]
    found.budgeted_max = max(budgeted.values(), default=0)
    found.replies_per_day = [replies[(m.user, d)] for m in plan.people for d in days]
    keys = Counter(p.key for p in posts if p.key)
    found.duplicate_keys = sum(n - 1 for n in keys.values() if n > 1)
    same = Counter((p.channel, p.reply, p.text, p.blocks) for p in posts)  # the key aside: what a person sees
    found.duplicate_messages = sum(n - 1 for n in same.values() if n > 1)
    posted = set(keys)
    end = plan.end
    for row in by_key.values():
        if row.urgency == Urgency.URGENT and row.state == DeliveryState.SENT and row.sent_at:
            found.urgent_sent += 1
            found.urgent_delay = max(found.urgent_delay, row.sent_at - row.due_at)
        if row.state not in FINISHED:
            late = row.next_attempt_at <= end - LONG_AGO
            found.lost += late
            found.held_at_end += not late
        elif row.state == DeliveryState.FAILED:
            found.failed[row.last_error or "?"] += 1
        elif row.state == DeliveryState.CANCELLED:
            found.cancelled += 1  # its feature withdrew it (decided, done, read) before it went
        elif row.method == "chat.postMessage" and row.interrupts and row.key not in posted:
            found.sent_unposted += 1  # marked sent, but Slack never got it: lost too
    return found


def p95(values: list[int]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else 0


def report(label: str, f: Figures, wall: float, extra: str) -> str:
    per, replies = f.per_day, f.replies_per_day
    lines = [
        f"{label}: {extra}",
        f"  DMs per person per working day (top-level): median {statistics.median(per):.0f}, p95 {p95(per):.0f}, "
        f"max {max(per)}; over {len(per)} person-days, {sum(per)} DMs (+{f.weekend_dms} on weekends); "
        f"most normal/low ones (round-ups aside) to one person in one working day: {f.budgeted_max}",
        f"  thread replies in DMs (round-ups' included) per person per working day: median "
        f"{statistics.median(replies):.0f}, p95 {p95(replies):.0f}, max {max(replies)}; {sum(replies)} in all",
        f"  'your day' round-ups posted: {f.round_ups} (carrying {f.round_up_replies} held DMs in their threads)",
        f"  sent outside the recipient's working hours: {f.outside['not urgent']} not urgent, "
        f"{f.outside['urgent']} urgent (thread replies outside hours: {f.outside_replies})",
        f"  longest delay of an urgent DM, due to sent: {f.urgent_delay.total_seconds():.0f} s of simulated time "
        f"({f.urgent_sent} urgent DMs sent)",
        f"  duplicates: {f.duplicate_keys} delivery keys posted twice, {f.duplicate_messages} identical messages "
        "(same text and blocks) posted twice to the same conversation",
        f"  losses: {f.lost} rows unfinished long after their time, {f.sent_unposted} marked sent but never "
        f"posted; {f.held_at_end} held past the end (not yet due); failed: {dict(f.failed) or 0}; "
        f"{f.cancelled} withdrawn by their feature before they went (decided, done, read meanwhile)",
        "  DMs posted by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(f.by_kind.items())),
        f"  wall time {wall:.0f} s",
    ]
    return "\n".join(lines)
