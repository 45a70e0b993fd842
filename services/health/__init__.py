"""Execution health: detectors that notice what needs attention and say what to do about it.

- `views`: plain snapshots the detectors read; `loading`: builds them from the database, scoped to a workspace;
- `trend`: the straight path to target and a Theil–Sen trend; `findings`: Finding, Kind, Remedy, Thresholds;
- `outcome_detectors`, `team_detectors`: the detectors, pure; `detect`: all of them, sorted, and as plain data;
- `records`: each finding stored (snoozed, acted on, resolved); `current`: run, store and scope them;
- `settings`: thresholds and the weekly post's time; `insights`: customers' words beside the numbers;
- `subjects`: what a finding's subject is called; `handover`: the bottleneck's remedy, handing work on.
- `weekly`: when each workspace's weekly post is due, and what each channel's says.
"""

from services.health.current import Scope, refresh, stored_for, stored_in, within
from services.health.detect import as_data, findings
from services.health.findings import Finding, Kind, Recommendation, Remedy, Severity, Thresholds
from services.health.records import Closing, acted, closing, may_snooze, record_of, snooze

__all__ = [
    "Closing",
    "Finding",
    "Kind",
    "Recommendation",
    "Remedy",
    "Scope",
    "Severity",
    "Thresholds",
    "acted",
    "as_data",
    "closing",
    "findings",
    "record_of",
    "refresh",
    "may_snooze",
    "snooze",
    "stored_for",
    "stored_in",
    "within",
]
