"""Versioned playbooks (PB-n), their runs (R-n), and the learning loop (retrospectives, proposed changes,
experiments X-n) that improves them.

- `versions`: creating a playbook, finding one, publishing v(n+1) (the step dict's shape is documented there);
- `timing`: a step's timing as typed (`day 3`, `T-14d`, `+15 min`) and the UTC moment it is due in a run.
"""

from services.playbooks.timing import Timing, parse_timing
from services.playbooks.versions import create, get, new_step_key, publish, version

__all__ = ["Timing", "create", "parse_timing", "get", "new_step_key", "publish", "version"]
