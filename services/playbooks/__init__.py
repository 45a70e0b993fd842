"""Versioned playbooks (PB-n), their runs (R-n), and the learning loop (retrospectives, proposed changes,
experiments X-n) that improves them.

- `versions`: creating a playbook, finding one, publishing v(n+1) (the step dict's shape is documented there).
"""

from services.playbooks.versions import create, get, new_step_key, publish, version

__all__ = ["create", "get", "new_step_key", "publish", "version"]
