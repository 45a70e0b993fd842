"""How findings read: a mark per severity, a title and a meaning per kind, what each threshold holds, and what
was done about a finding, in one vocabulary for the command, the Home tab and the help."""

from __future__ import annotations

from services.health import Kind, Remedy, Severity

SEVERITY_MARK = {Severity.HIGH: "🔴", Severity.MEDIUM: "🟠", Severity.LOW: "🟡"}

KIND_TITLE = {
    Kind.BEHIND_PACE: "Behind pace",
    Kind.CONTRADICTED: "Status and numbers disagree",
    Kind.ACTIVITY_NO_PROGRESS: "Busy, but no metric moved",
    Kind.STALE: "No recent update",
    Kind.DUE_SOON: "Due soon and not on track",
    Kind.PAST_DUE: "Past its due date",
    Kind.OWNER_GONE: "Its owner has left",
    Kind.BOTTLENECK: "A bottleneck",
    Kind.DECISION_OVERDUE: "Decision past its deadline",
    Kind.MEETING_NOT_READY: "Meetings arrive unprepared",
    Kind.TOO_MANY_OUTCOMES: "More outcomes than anyone can watch",
    Kind.SILENT_METRIC: "A metric nobody reads",
    Kind.PLAYBOOK_UNREVIEWED: "Playbook due for review",
}

KIND_MEANS = {
    Kind.BEHIND_PACE: "the lagging metric is further behind the straight path from baseline to target than "
    "`pace_tolerance`, and its trend (at least `trend_readings` readings) misses the target by more than "
    "`miss_tolerance`. Not judged before `min_elapsed` of the time has passed.",
    Kind.CONTRADICTED: "marked on track while a metric moved away from target by more than `away_tolerance` over "
    "its last readings, or is projected to miss; or marked off track while every metric is on pace.",
    Kind.ACTIVITY_NO_PROGRESS: "at least `activity_min` updates and closed action items in `activity_days` days, "
    "while none of its metrics moved.",
    Kind.STALE: "no update for `stale_days` days, or through `stale_rounds` check-in rounds of its channel.",
    Kind.DUE_SOON: "due within `due_soon_days` days and marked at risk or off track.",
    Kind.PAST_DUE: "its due date has passed and it is still open.",
    Kind.OWNER_GONE: "its owner is deactivated in Slack.",
    Kind.BOTTLENECK: "one person decides `bottleneck_decisions` open decisions (or `bottleneck_overdue_decisions` "
    "past their deadline), is named in `bottleneck_blockers` blockers, or owns `bottleneck_action_share` or more "
    "of the team's overdue action items.",
    Kind.DECISION_OVERDUE: "an open decision past its deadline.",
    Kind.MEETING_NOT_READY: "the gate flagged `gate_repeats` meetings of one series as not ready within 30 days.",
    Kind.TOO_MANY_OUTCOMES: "one owner has more than `max_open_outcomes` open outcomes.",
    Kind.SILENT_METRIC: "a metric with no reading for `silent_metric_days` days.",
    Kind.PLAYBOOK_UNREVIEWED: "a published playbook nobody has confirmed or republished within its review interval "
    "(90 days unless its owner chose another).",
}

THRESHOLD_MEANS = {
    "pace_tolerance": "how far behind the straight path counts as behind (a share of the way)",
    "miss_tolerance": "how far short of target a projection may fall",
    "min_elapsed": "the share of the time that must pass before pace is judged",
    "trend_readings": "readings a trend needs",
    "away_tolerance": "how far away from target a metric may move before it contradicts “on track”",
    "activity_days": "the window for activity and blockers, in days",
    "activity_min": "updates and closed action items that count as busy",
    "stale_days": "days without an update",
    "stale_rounds": "check-in rounds of the outcome's channel without an update",
    "due_soon_days": "days before the due date that count as soon",
    "bottleneck_decisions": "open decisions on one decider",
    "bottleneck_overdue_decisions": "overdue decisions on one decider",
    "bottleneck_blockers": "blockers naming one person",
    "bottleneck_action_share": "one person's share of the overdue action items (when there are at least 4)",
    "gate_repeats": "meetings of a series flagged not ready within 30 days",
    "max_open_outcomes": "open outcomes one owner may have",
    "silent_metric_days": "days without a reading",
}

# What was done, as the finding then says ("Asked for an update <date>").
ACTED = {
    Remedy.ASK_UPDATE.value: "Asked for an update",
    Remedy.SET_STATUS.value: "Status changed",
    Remedy.MOVE_DUE.value: "Due date moved",
    Remedy.REASSIGN.value: "Handed over",
    Remedy.MAKE_ASYNC.value: "Made async",
    Remedy.RETIRE_METRIC.value: "Metric retired",
    Remedy.REMIND_DECIDER.value: "Decider reminded",
    Remedy.CONFIRM_PLAYBOOK.value: "Review confirmed",
}
