"""The weekly execution-health post in a channel: what changed in the week, what needs attention now (with the
step each finding recommends), what customers said, and what became of the week's findings.

It goes to a channel, so nobody is @-mentioned: people are named as plain text. Everything people typed (titles,
quotes, sources, names, metric names in the evidence) is escaped here, once.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.kit.insights import insight_text
from handlers.kit.outcome_status import STATUS_MARK
from handlers.kit.text import clip, esc, plural
from services.health import Finding, Kind, Severity
from services.health.settings import DAYS
from services.health.weekly import ChannelWeek, Moved, StatusChange

FINDINGS_SHOWN = 10
INSIGHTS_SHOWN = 5
MOVES_SHOWN = 8
SEVERITY_MARK = {Severity.HIGH: "🔴", Severity.MEDIUM: "🟠", Severity.LOW: "🟡"}
KIND_WORDS = {
    Kind.BEHIND_PACE: "behind pace",
    Kind.CONTRADICTED: "status the numbers contradict",
    Kind.ACTIVITY_NO_PROGRESS: "busy, but no metric moved",
    Kind.STALE: "no recent update",
    Kind.DUE_SOON: "due soon and not on track",
    Kind.PAST_DUE: "past due",
    Kind.OWNER_GONE: "owner has left",
    Kind.BOTTLENECK: "bottleneck",
    Kind.DECISION_OVERDUE: "decision past its deadline",
    Kind.MEETING_NOT_READY: "meetings not ready again",
    Kind.TOO_MANY_OUTCOMES: "too many outcomes",
    Kind.SILENT_METRIC: "a metric nobody reads",
}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def _more(lines: list[str], total: int) -> list[str]:
    return lines + ([f"…and {total - len(lines)} more"] if total > len(lines) else [])


def _moves(counted: str, none: str, moved: list[Moved]) -> str:
    """`• 2 new findings: *O-3* (behind pace), *D-7* (decision past its deadline)`, or `none` when there are none."""
    if not moved:
        return f"• {none}"
    named = [f"*{m.subject}* ({KIND_WORDS[m.kind]})" for m in moved[:MOVES_SHOWN]]
    rest = f" and {len(moved) - MOVES_SHOWN} more" if len(moved) > MOVES_SHOWN else ""
    return f"• {counted}: {', '.join(named)}{rest}"


def _change(change: StatusChange) -> str:
    before = f"{STATUS_MARK[change.before]} {change.before.label} → " if change.before else ""
    by = f" ({esc(change.by)})" if change.by else ""
    title = esc(clip(change.title, 80))
    return f"• *{change.ref}* {title}: {before}{STATUS_MARK[change.after]} {change.after.label}{by}"


def changed_block(week: ChannelWeek) -> SectionBlock:
    appeared, resolved = len(week.appeared), len(week.resolved)
    lines = [
        _moves(plural(appeared, "new finding"), "No new findings.", week.appeared),
        _moves(f"{plural(resolved, 'finding')} resolved", "No findings resolved.", week.resolved),
    ]
    changes = [_change(c) for c in week.changes[:MOVES_SHOWN]]
    lines += _more(changes, len(week.changes)) if changes else ["• No outcome here changed its status."]
    return _section("*What changed this week*\n" + "\n".join(lines))


def finding_block(finding: Finding, week: ChannelWeek) -> SectionBlock:
    title = week.channel.titles.get(finding.subject)
    about = f"*{finding.subject}* {esc(clip(title, 80))}" if title else f"*{finding.subject}*"
    owner = week.names.get(finding.owner_id) or "its owner"
    advice = finding.recommendation
    return _section(
        f"{SEVERITY_MARK[finding.severity]} {about} · {KIND_WORDS[finding.kind]}\n{esc(finding.evidence)}\n"
        f"_Next step_ {esc(advice.why)} · _who acts_ {esc(owner)}"
    )


def findings_blocks(week: ChannelWeek) -> list[SectionBlock | ContextBlock]:
    if not week.findings:
        return [_section("*Needs attention*\nNothing here needs attention right now.")]
    blocks: list[SectionBlock | ContextBlock] = [_section(f"*Needs attention* ({len(week.findings)})")]
    blocks += [finding_block(f, week) for f in week.findings[:FINDINGS_SHOWN]]
    if len(week.findings) > FINDINGS_SHOWN:
        more = f"…and {len(week.findings) - FINDINGS_SHOWN} more, less severe."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def insights_block(week: ChannelWeek) -> SectionBlock:
    if not week.insights:
        return _section("*What customers said this week*\nNo insights were added. `/insight` adds one.")
    lines = [f"• {insight_text(insight, ref=ref)}" for ref, insight in week.insights[:INSIGHTS_SHOWN]]
    return _section("*What customers said this week*\n" + "\n".join(_more(lines, len(week.insights))))


def closing_block(week: ChannelWeek) -> SectionBlock:
    done = week.closing
    if not done.seen:
        return _section("*What was done about the week's findings*\nThere were none to act on.")
    acted, resolved = ("was" if done.acted == 1 else "were"), ("is" if done.resolved == 1 else "are")
    return _section(
        "*What was done about the week's findings*\n"
        f"Of {plural(done.seen, 'finding')} seen in the last 7 days, {done.acted} {acted} acted on and "
        f"{done.resolved} {resolved} resolved: a closing rate of {round(done.rate * 100)}%."
    )


LEARNING_MARK = {"validated": "✅", "invalidated": "❌", "inconclusive": "➖"}


def learnings_block(week: ChannelWeek) -> SectionBlock:
    """Experiments concluded in the week, the invalidated ones too: knowing a bet failed is a result."""
    lines = [
        f"• {LEARNING_MARK.get(x.result.value, '•')} *{x.ref}* {esc(clip(x.hypothesis, 200))}: "
        f"*{x.result.value}*. {esc(clip(x.learning or '', 400))}"
        for x in week.learnings[:INSIGHTS_SHOWN]
    ]
    return _section("*What we learned this week*\n" + "\n".join(_more(lines, len(week.learnings))))


def weekly_blocks(week: ChannelWeek) -> list[dict]:
    """At most 4 + FINDINGS_SHOWN + 5 blocks, well inside Slack's 50; every section clipped to 3000 characters."""
    blocks: list = [HeaderBlock(text="Execution health this week"), changed_block(week), DividerBlock()]
    blocks += findings_blocks(week)
    blocks += [DividerBlock(), insights_block(week)]
    if week.learnings:
        blocks.append(learnings_block(week))
    blocks.append(closing_block(week))
    day = DAYS[week.weekly_day].capitalize()
    when = f"Posted {day}s at {week.weekly_hour:02d}:00 ({esc(week.zone)}) in every channel with open outcomes."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=when)]))
    return [b.to_dict() for b in blocks]


def weekly_text(week: ChannelWeek) -> str:
    """The notification: counts only, so it never needs escaping."""
    return (
        f"Execution health this week: {plural(len(week.findings), 'finding')} to look at, "
        f"{plural(len(week.insights), 'new insight')}."
    )
