"""Attention benchmark (issue 14): a month of a 30-person team in three zones through the real scheduler jobs
and outbox sender on a movable clock, and how many DMs reached each person, when. `python -m bench.attention`."""
