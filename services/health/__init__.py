"""Execution health: detectors that notice what needs attention and say what to do about it.

- `views`: plain snapshots the detectors read; `loading`: builds them from the database, scoped to a workspace;
- `trend`: the straight path to target and a Theil–Sen trend; `findings`: Finding, Kind, Remedy, Thresholds;
- `outcome_detectors`, `team_detectors`: the detectors, pure; `detect`: all of them, sorted, and as plain data.
"""

from services.health.detect import as_data, findings
from services.health.findings import Finding, Kind, Recommendation, Remedy, Severity, Thresholds

__all__ = ["Finding", "Kind", "Recommendation", "Remedy", "Severity", "Thresholds", "as_data", "findings"]
