"""Series as people read them: the list of someone's series with their next meeting, and a series' health."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc, plural
from handlers.meetings.blocks.words import title, when
from models import MeetingSeries, MeetingStatus, OutcomeReached
from services.meetings.health import SeriesHealth, Share
from services.meetings.series_reading import SeriesLine, SeriesReport

MARKS = {MeetingStatus.SCHEDULED: "📅", MeetingStatus.CANCELLED: "⚪", MeetingStatus.HELD: "✅",
         MeetingStatus.ASYNC: "✍️"}  # fmt: skip


def how_often(series: MeetingSeries) -> str:
    return "every week" if series.every_weeks == 1 else f"every {series.every_weeks} weeks"


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 2900))).to_dict()


def _line(found: SeriesLine, zone: ZoneInfo) -> str:
    head = f"• 🔁 *{title(found.latest, 100)}* · {how_often(found.series)}"
    if not found.series.active:
        return f"{head} · stopped (last: *{found.latest.ref}*)"
    if found.next is None:
        return f"{head} · the next one is made shortly after *{found.latest.ref}*"
    return f"{head} · next: *{found.next.ref}* {when(found.next.starts_at, zone)}"


def series_list_blocks(lines: list[SeriesLine], zone: ZoneInfo) -> list[dict]:
    head = f"*Your series* ({len(lines)})"
    if not lines:
        return [_section(f"{head}\nNone yet. Choose “Every week” or “Every two weeks” in the `/meeting` form.")]
    example = (lines[0].next or lines[0].latest).ref  # one of the reader's own, not a made-up ref
    hint = f"`/meeting series {example}` shows how that series is going (any meeting of a series will do)."
    return [_section(head + "\n" + "\n".join(_line(line, zone) for line in lines)),
            ContextBlock(elements=[MarkdownTextObject(text=hint)]).to_dict()]  # fmt: skip


def share(found: Share, of_what: str, none: str) -> str:
    if not found.of:
        return none
    return f"{found.count} of {plural(found.of, of_what)} ({found.percent}%)"


def figures(health: SeriesHealth) -> list[str]:
    reached = " · ".join(f"{answer.value} {health.reached.get(answer, 0)}" for answer in OutcomeReached)
    not_due = f"; {health.actions_not_due} not due yet" if health.actions_not_due else ""
    on_time = share(health.actions_on_time, "item", "none due yet")
    return [
        f"📄 Every pre-read read before the start: {share(health.pre_read, 'meeting', 'no meeting yet')}",
        f"⏱ Items finished inside their time-box: {share(health.in_time, 'item', 'none recorded yet')}",
        f"🎯 Desired outcome reached: {reached}",
        f"☑️ Action items done on time: {on_time}{' due so far' if health.actions_on_time.of else ''}{not_due}",
        f"✍️ Made async: {health.made_async} · cancelled: {health.cancelled}",
    ]


def health_blocks(found: SeriesReport, zone: ZoneInfo) -> list[dict]:
    latest = found.meetings[-1]
    state = "" if found.series.active else " · stopped"
    head = (f"🔁 *{title(latest)}* · {how_often(found.series)}{state} · "
            f"{plural(found.health.so_far, 'meeting')} so far, {found.health.met} of them met")  # fmt: skip
    shown = found.meetings[-12:]
    refs = " · ".join(f"{MARKS.get(m.status, '')} {m.ref} {when(m.starts_at, zone)}" for m in shown)
    return [
        _section(head + "\n" + "\n".join(figures(found.health))),
        ContextBlock(elements=[MarkdownTextObject(text=clip(refs, 2900))]).to_dict(),
    ]


def stopped_text(series: MeetingSeries, ref: str, coming: str | None) -> str:
    kept = f" *{coming}* is still scheduled; cancel it from its card if it shouldn't happen." if coming else ""
    return f"🔁 The series of *{esc(ref)}* ({how_often(series)}) is stopped: no next meeting will be made.{kept}"
