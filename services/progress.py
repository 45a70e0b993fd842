"""compatibility re-export until checkins/decisions move; delete at merge"""

from services.outcomes.progress import BadProgress, Entry, Logged, Part, log_progress, parse_values

__all__ = ["BadProgress", "Entry", "Logged", "Part", "log_progress", "parse_values"]
