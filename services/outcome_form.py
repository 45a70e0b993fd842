"""compatibility re-export until checkins/decisions move; delete at merge"""

from services.errors import Invalid
from services.outcomes.form import Field, OutcomeForm

__all__ = ["Field", "Invalid", "OutcomeForm"]
