"""The large deployment, generated in PostgreSQL with INSERT ... SELECT generate_series: no ORM objects, no
randomness (every value is arithmetic on the row number), so two runs seed the same rows.

Workspace 1 (team T0BIG, the one the Slack stand-in knows) holds the scenarios that are measured: a 500-person
check-in round (the digest), a person with 200 outcomes and 50 decisions (the Home tab), `/outcome list all`
over its outcomes, and the decisions due now. The other workspaces are the history around it, spread evenly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import asyncpg

from services.checkins import THREAD, delivery_key

BIG_TEAM = "T0BIG"
TEAM_CHANNEL = "C0TEAM"  # the 500-person check-in's channel
SEND_CHANNEL = "C0BENCH"  # where the sender's measured messages go
HOME_PERSON = 1  # person id: owns HOME_OUTCOMES outcomes and decides HOME_DECISIONS open decisions


def user_id(person_id: int) -> str:
    return f"U{person_id:07d}"


def team_id(workspace_id: int) -> str:
    return BIG_TEAM if workspace_id == 1 else f"T{workspace_id:06d}"


@dataclass(frozen=True)
class Spec:
    workspaces: int = 1_000
    people: int = 50_000
    outcomes: int = 25_000  # two metrics each (a lagging and a leading one)
    readings: int = 1_000_000  # two per progress update: 500,000 updates
    cadences: int = 5_000
    decisions: int = 40_000
    outbox: int = 200_000  # the history (sent, failed, cancelled); the sender's own messages come on top
    # the measured scenarios, in workspace 1; the same at every scale
    big_people: int = 1_000
    round_people: int = 500
    big_outcomes: int = 5_000
    home_outcomes: int = 200
    home_decisions: int = 50
    due_decisions: int = 22
    installed: int = 100  # workspaces with an OAuth install (the sender's messages are spread over them)

    @property
    def updates(self) -> int:
        return self.readings // 2

    def small(self) -> Spec:
        """About 1/20 of the history; the scenarios stay as they are, so their figures stay comparable."""
        return replace(
            self, workspaces=50, people=3_500, outcomes=6_250, readings=50_000, cadences=250, decisions=2_000,
            outbox=10_000, installed=10,
        )  # fmt: skip

    def check(self) -> None:
        others = self.workspaces - 1
        if self.people - self.big_people < 3 * others or self.outcomes - self.big_outcomes < others:
            raise SystemExit("too few people or outcomes for the workspaces: every workspace needs 3 and 1")
        if self.decisions < self.home_decisions + self.due_decisions + others or self.cadences < self.workspaces:
            raise SystemExit("too few decisions or cadences for the workspaces")


def _steps(s: Spec) -> list[tuple[str, str]]:
    """(what, SQL) in order; $1 is the seeding's `now`. Numbers are formatted in: they are ours, not input."""
    o = s.workspaces - 1  # the other workspaces: 2..workspaces
    ppw = (s.people - s.big_people) // o  # people per other workspace (a remainder stays in the last ones)
    big_o, total_o = s.big_outcomes, s.outcomes
    # person id of the k-th person (k from 0) of other workspace w: 1 + big_people + (w - 2) + k * o
    person = f"({s.big_people} + 1 + (w - 2) + (k % {ppw}) * {o})"
    status = (
        "CASE WHEN i % 100 < 70 THEN 'on_track' WHEN i % 100 < 85 THEN 'at_risk' WHEN i % 100 < 90 THEN 'off_track' "
        "WHEN i % 100 < 97 THEN 'done' ELSE 'dropped' END"
    )
    home_o, round_p = s.home_outcomes, s.round_people
    return [
        (
            "workspaces",
            f"""
            INSERT INTO workspace (id, team_id, name, timezone, created_at)
            SELECT i, CASE WHEN i = 1 THEN '{BIG_TEAM}' ELSE 'T' || lpad(i::text, 6, '0') END, 'Workspace ' || i,
                   'Europe/Berlin', $1 - interval '400 days'
            FROM generate_series(1, {s.workspaces}) i""",
        ),
        (
            "people",
            f"""
            INSERT INTO person (id, workspace_id, slack_user_id, display_name, timezone, is_admin, is_deleted, is_bot,
                                profile_refreshed_at, created_at)
            SELECT i, CASE WHEN i <= {s.big_people} THEN 1 ELSE 2 + (i - {s.big_people} - 1) % {o} END,
                   'U' || lpad(i::text, 7, '0'), 'Person ' || i, 'Europe/Berlin', i % 50 = 1, false, false,
                   $1 - interval '1 hour', $1 - interval '400 days'
            FROM generate_series(1, {s.people}) i""",
        ),
        (
            "outcomes",
            f"""
            INSERT INTO outcome (id, workspace_id, number, title, definition_of_done, owner_id, created_by_id, due_date,
                                 status, channel_id, last_progress_at, closed_at, updated_at, created_at)
            SELECT i, w, n, 'Outcome ' || n || ' of workspace ' || w,
                   'The number reaches its target and stays there for a month.', owner, owner,
                   ($1 + (i % 180 + 10) * interval '1 day')::date, {status}, 'C0CH' || (i % 20),
                   $1 - interval '2 days', CASE WHEN i % 100 >= 90 THEN $1 - interval '30 days' END,
                   $1 - interval '2 days', $1 - interval '200 days'
            FROM (
                SELECT i, 1 AS w, i AS n,
                       CASE WHEN i <= {home_o} THEN {HOME_PERSON} ELSE 2 + (i - {home_o} - 1) % {round_p - 1} END
                         AS owner
                FROM generate_series(1, {big_o}) i
                UNION ALL
                SELECT i, w, k + 1, {person}
                FROM (SELECT i, 2 + (i - {big_o} - 1) % {o} AS w, (i - {big_o} - 1) / {o} AS k
                      FROM generate_series({big_o + 1}, {total_o}) i) g
            ) x""",
        ),
        (
            "metrics",
            """
            INSERT INTO metric (id, workspace_id, outcome_id, kind, name, slug, unit, baseline, target, direction,
                                position, current_value, current_at)
            SELECT 2 * o.id - 1 + m, o.workspace_id, o.id, CASE m WHEN 0 THEN 'lagging' ELSE 'leading' END,
                   CASE m WHEN 0 THEN 'Activation' ELSE 'Demos booked' END,
                   CASE m WHEN 0 THEN 'activation' ELSE 'demos-booked' END, CASE m WHEN 0 THEN '%' ELSE '' END,
                   CASE m WHEN 0 THEN 0 ELSE 2 END, CASE m WHEN 0 THEN 100 ELSE 10 END, 'up', m,
                   (o.id * 7 + m) % 100, $1 - interval '1 day'
            FROM outcome o CROSS JOIN (VALUES (0), (1)) AS v(m)""",
        ),
        # One update a week per outcome, going back from the last few days; every update carries two readings.
        (
            "progress updates",
            f"""
            INSERT INTO progress_update (id, workspace_id, outcome_id, author_id, status_before, status_after, note,
                                         blocker, source, created_at)
            SELECT u, o.workspace_id, o.id, o.owner_id,
                   CASE WHEN u % 40 = 0 THEN 'on_track' END, CASE WHEN u % 40 = 0 THEN 'at_risk' END,
                   'Bench note ' || u, CASE WHEN u % 50 = 0 THEN 'Waiting on the vendor' END, 'command',
                   $1 - ((u - 1) / {total_o}) * interval '7 days' - (1 + u * 37 % 150) * interval '1 hour'
            FROM generate_series(1, {s.updates}) u JOIN outcome o ON o.id = (u - 1) % {total_o} + 1""",
        ),
        (
            "readings",
            """
            INSERT INTO metric_reading (id, workspace_id, metric_id, update_id, author_id, value, recorded_at)
            SELECT 2 * p.id - 1 + m, p.workspace_id, 2 * p.outcome_id - 1 + m, p.id, p.author_id,
                   (p.id * 13 + m * 7) % 100, p.created_at
            FROM progress_update p CROSS JOIN (VALUES (0), (1)) AS v(m)""",
        ),
        (
            "check-in cadences",
            f"""
            INSERT INTO checkin_cadence (id, token, workspace_id, channel_id, owner_id, audience, interval_weeks,
                                         weekdays, local_time, zone_mode, timezone, starts_on, questions, ask_blocker,
                                         ask_confidence, remind_after_minutes, digest_after_minutes, paused, next_on,
                                         next_at, updated_at, created_at)
            SELECT i, md5('cadence' || i), w,
                   CASE WHEN i = 1 THEN '{TEAM_CHANNEL}' ELSE 'C' || lpad(k::text, 6, '0') END,
                   CASE WHEN i = 1 THEN {HOME_PERSON} ELSE {person} END,
                   CASE WHEN i = 1 THEN 'chosen' ELSE 'channel' END,
                   1, '[0, 3]', '09:30', 'team', 'Europe/Berlin', ($1 - interval '300 days')::date,
                   '["What moved since last time?", "What comes next?"]', true, true, NULL, 240, false,
                   ($1 + interval '1 day')::date, $1 + interval '1 day' + (i % 1440) * interval '1 minute',
                   $1 - interval '300 days', $1 - interval '300 days'
            FROM (SELECT i, CASE WHEN i = 1 THEN 1 ELSE 2 + (i - 2) % {o} END AS w, (i - 2) / {o} AS k
                  FROM generate_series(1, {s.cadences}) i) g""",
        ),
        (
            "the 500-person cadence's members",
            f"""
            INSERT INTO checkin_cadence_member (cadence_id, person_id, workspace_id)
            SELECT 1, i, 1 FROM generate_series(1, {round_p}) i""",
        ),
        # Last week's round (its digest out) and this week's, whose digest is made due when it is measured.
        (
            "check-in rounds",
            f"""
            INSERT INTO checkin_round (id, token, workspace_id, cadence_id, channel_id, occurs_on, opened_at, questions,
                                       ask_blocker, ask_confidence, digest_at, digest_posted_at, digest_revision,
                                       thread_ts)
            SELECT r, md5('round' || r), 1, 1, '{TEAM_CHANNEL}', ($1 - (2 - r) * interval '7 days')::date,
                   $1 - (2 - r) * interval '7 days' - interval '5 hours',
                   '["What moved since last time?", "What comes next?"]', true, true,
                   CASE r WHEN 1 THEN $1 - interval '7 days' - interval '1 hour' ELSE $1 + interval '1 day' END,
                   CASE r WHEN 1 THEN $1 - interval '7 days' - interval '1 hour' END, r % 2, '1700000000.00000' || r
            FROM generate_series(1, 2) r""",
        ),
        (
            "check-in answers",
            f"""
            INSERT INTO checkin_invite (workspace_id, round_id, person_id, ask_at, away, answered_at, answers, blocker,
                                        confidence, source, revision, late)
            SELECT 1, r, p, $1 - (2 - r) * interval '7 days' - interval '5 hours', p % 97 = 0,
                   CASE WHEN r = 1 OR p % 5 <> 0 THEN $1 - (2 - r) * interval '7 days' - interval '4 hours'
                        + p * interval '1 second' END,
                   CASE WHEN r = 1 OR p % 5 <> 0
                        THEN '["Shipped the onboarding emails", "Pricing page next"]'::json END,
                   CASE WHEN p % 17 = 0 THEN 'Blocked on legal review' END,
                   CASE WHEN r = 1 OR p % 5 <> 0 THEN 'on_track' END, 'modal', 1, false
            FROM generate_series(1, 2) r CROSS JOIN generate_series(1, {round_p}) p""",
        ),
        (
            "decisions",
            f"""
            INSERT INTO decision (id, token, workspace_id, number, question, context, options, decider_id,
                                  created_by_id, deadline, status, round, round_started_at, next_ping_at,
                                  chosen_option, rationale, decided_at, decided_by_id, channel_id, updated_at,
                                  created_at)
            SELECT i, md5('decision' || i), w, n, 'Which way do we go on question ' || i || '?', 'Some context.',
                   '["Option A", "Option B"]', decider, decider, deadline, status, 1, $1 - interval '10 days',
                   CASE WHEN status <> 'open' THEN NULL WHEN i <= {s.home_decisions} THEN deadline - interval '1 day'
                        WHEN w = 1 THEN $1 - interval '1 minute' ELSE deadline - interval '1 day' END,
                   CASE WHEN status = 'decided' THEN 'Option A' END, CASE WHEN status <> 'open' THEN 'Because.' END,
                   CASE WHEN status = 'decided' THEN deadline END, CASE WHEN status = 'decided' THEN decider END,
                   'C0CH' || (i % 20), $1 - interval '5 days', $1 - interval '10 days'
            FROM (
                SELECT i, w, n, decider,
                       CASE WHEN w = 1 OR i % 10 >= 8 THEN 'open' WHEN i % 10 = 7 THEN 'withdrawn' ELSE 'decided' END
                         AS status,
                       CASE WHEN w = 1 AND i > {s.home_decisions} THEN $1 - interval '2 hours'
                            WHEN i % 10 >= 8 OR w = 1 THEN $1 + (i % 30 + 2) * interval '1 day'
                            ELSE $1 - (i % 300 + 1) * interval '1 day' END AS deadline
                FROM (
                    SELECT i, 1 AS w, i AS n, CASE WHEN i <= {s.home_decisions} THEN {HOME_PERSON} ELSE i END AS decider
                    FROM generate_series(1, {s.home_decisions + s.due_decisions}) i
                    UNION ALL
                    SELECT i, w, k + 1, {person.replace("(k %", "(0 *")}
                    FROM (SELECT i, 2 + (i - b - 1) % {o} AS w, (i - b - 1) / {o} AS k
                          FROM generate_series({s.home_decisions + s.due_decisions + 1}, {s.decisions}) i,
                               (SELECT {s.home_decisions + s.due_decisions} AS b) c) g
                ) x
            ) y""",
        ),
        # Two people around each decision besides the decider: one responsible, one informed.
        (
            "decision members",
            f"""
            INSERT INTO decision_member (decision_id, person_id, workspace_id, role)
            SELECT d.id, CASE WHEN d.workspace_id = 1 THEN {round_p} + 1 + (d.id * 2 + m) % {s.big_people - round_p}
                              ELSE d.decider_id + (m + 1) * {o} END,
                   d.workspace_id, CASE m WHEN 0 THEN 'responsible' ELSE 'informed' END
            FROM decision d CROSS JOIN (VALUES (0), (1)) AS v(m)""",
        ),
        (
            "outbox history",
            f"""
            INSERT INTO delivery (id, workspace_id, key, kind, method, args, target, owner, state, attempts, due_at,
                                  next_attempt_at, last_error, slack_channel, slack_ts, sent_at, created_at)
            SELECT i, 1 + i % {s.workspaces}, 'history:' || md5(i::text), 'checkin.ask', 'chat.postMessage',
                   json_build_object('channel', 'C0HIST', 'text', 'An old message ' || i), 'C0HIST', NULL,
                   CASE WHEN i % 100 < 97 THEN 'sent' WHEN i % 100 < 99 THEN 'failed' ELSE 'cancelled' END,
                   1, at, at, CASE WHEN i % 100 BETWEEN 97 AND 98 THEN 'channel_not_found' END,
                   'C0HIST', '1700000000.' || lpad(i::text, 6, '0'), CASE WHEN i % 100 < 97 THEN at END, at
            FROM (SELECT i, $1 - (i % 90) * interval '1 day' - (i % 1440) * interval '1 minute' AS at
                  FROM generate_series(1, {s.outbox}) i) g""",
        ),
    ]


SEQUENCES = (
    "workspace", "person", "outcome", "metric", "progress_update", "metric_reading", "checkin_cadence",
    "checkin_round", "checkin_invite", "decision", "delivery",
)  # fmt: skip


async def _threads(conn: asyncpg.Connection, now: datetime) -> None:
    """Each round's thread as the outbox sent it: the digest is posted in it. Its key is the service's own."""
    for round_id, token, ts in await conn.fetch("SELECT id, token, thread_ts FROM checkin_round"):
        await conn.execute(
            """INSERT INTO delivery (workspace_id, key, kind, method, args, target, state, attempts, due_at,
                                     next_attempt_at, slack_channel, slack_ts, sent_at, created_at)
               VALUES (1, $1, 'checkin.thread', 'chat.postMessage', $2, $3, 'sent', 1, $4, $4, $3, $5, $4, $4)""",
            delivery_key(token, THREAD),
            f'{{"channel": "{TEAM_CHANNEL}", "text": "Check-in, round {round_id}"}}',
            TEAM_CHANNEL,
            now,
            ts,
        )


async def seed(dsn: str, spec: Spec, now: datetime, say=print) -> dict[str, int]:
    """Seeds `spec` at `now`; returns the rows of each table."""
    spec.check()
    conn = await asyncpg.connect(dsn, timeout=30)
    try:
        for what, sql in _steps(spec):
            # $1 is typed once here: PostgreSQL would read `$1 - interval ...` as an interval
            await conn.execute(sql.replace("$1", "$1::timestamptz"), *([now] if "$1" in sql else []))
            say(f"  seeded {what}")
        for table in SEQUENCES:  # explicit ids were given: move each sequence past them
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await _threads(conn, now)
        await conn.execute("ANALYZE")  # as autovacuum would have, long before a deployment got this big
        counts = {}
        for table in SEQUENCES + ("decision_member", "checkin_cadence_member"):
            counts[table] = await conn.fetchval(f"SELECT count(*) FROM {table}")
        return counts
    finally:
        await conn.close()
