"""The runs' job: incident leads are reminded to post a status update every interval until the run is resolved;
and nothing is sent twice, whether the job runs twice, two schedulers run it at the same moment, or the process
restarts between queueing and sending."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from bot.slack_clients import SlackClients
from handlers.playbooks.running.ids import RunIds
from models import PlaybookKind, RunEvent, RunEventKind
from scheduler import playbook_runs as jobs
from scheduler.runner import JobContext
from tests.support.outbox import TOKEN, make_sender
from tests.support.playbook_runs import (
    INCIDENT,
    MONDAY,
    ONBOARDING,
    Scheduler,
    deliveries,
    dms,
    make_playbook,
    private_answers,
    start_run,
    timeline,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
LEADS = {"incident lead": "U0LOCAL", "comms": "U0ALEX"}


def reminders(harness) -> int:
    return sum("Time for a status update on *R-1*" in text for text in dms(harness, "U0LOCAL"))


async def test_the_lead_is_reminded_every_interval_at_night_until_the_run_is_resolved(harness, runs, clock) -> None:
    night = MONDAY.replace(hour=6)  # 01:00 in New York: an incident does not wait for the morning
    clock.set(night)
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await start_run(harness, ref, people_for=LEADS, status_every="20", title="Checkout down")

    await runs.at(night + timedelta(minutes=19))
    assert reminders(harness) == 0
    for minutes in (20, 40, 60):
        await runs.at(night + timedelta(minutes=minutes))
        assert reminders(harness) == minutes // 20

    response = await harness.slack.command(harness.me, "/playbook", "resolve R-1")
    assert response.status_code == 200
    for minutes in (80, 100, 24 * 60):
        await runs.at(night + timedelta(minutes=minutes))
    assert reminders(harness) == 3


async def test_a_status_update_marked_posted_puts_the_next_reminder_a_whole_interval_later(harness, runs) -> None:
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await start_run(harness, ref, people_for=LEADS)  # every 30 min
    await runs.at(MONDAY + timedelta(minutes=30))
    assert reminders(harness) == 1

    await runs.at(MONDAY + timedelta(minutes=50))
    posted = {"type": "button", "action_id": RunIds.STATUS_POSTED.value, "block_id": "x", "value": "R-1",
              "text": {"type": "plain_text", "text": "Posted"}}  # fmt: skip
    await harness.slack.block_action(harness.actor("U0ALEX"), posted, message={"ts": "1.000001"})
    assert "Only <@U0LOCAL> (the run's lead)" in private_answers(harness)[-1]
    await harness.slack.block_action(harness.me, posted, message={"ts": "1.000001"})
    assert "next reminder for R-1 comes in 30 minutes" in private_answers(harness)[-1]

    await runs.at(MONDAY + timedelta(minutes=60))
    assert reminders(harness) == 1  # the 60-minute one waits for 80
    await runs.at(MONDAY + timedelta(minutes=80))
    assert reminders(harness) == 2
    assert "status_posted" in await timeline(harness)


async def test_a_missed_stretch_sends_only_the_latest_reminder_and_resolving_cancels_a_queued_one(
    harness, runs, clock
) -> None:
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await start_run(harness, ref, people_for=LEADS)  # every 30 min

    await runs.at(MONDAY + timedelta(minutes=100))  # the scheduler was down for three intervals
    assert reminders(harness) == 1
    clock.set(MONDAY + timedelta(minutes=120))
    assert await runs.job() == 1  # queued, not yet sent
    await harness.slack.command(harness.me, "/playbook", "resolve R-1")
    await runs.deliver()
    assert reminders(harness) == 1
    assert sorted(str(d.state) for d in await deliveries(harness, "playbook:R-1:status:")) == ["cancelled", "sent"]


async def test_running_the_job_twice_or_restarting_before_sending_sends_nothing_twice(
    harness, runs, clock, db, standin_server
) -> None:
    ref = await make_playbook(harness, ONBOARDING)
    await start_run(harness, ref, people_for={"buddy": "U0ALEX", "new hire": "U0PRIYA"})
    assert await runs.job() == 1  # day 1's step
    assert await runs.job() == 0

    _, base_url = standin_server  # a new process: new clients, a new sender, the same database
    restarted = SlackClients(base_url=f"{base_url}/api/", token=TOKEN)
    try:
        again = Scheduler(harness, clock, restarted, make_sender(db, restarted, clock, name="after-restart"))
        assert await again.run() == 0
        await runs.deliver()
    finally:
        await restarted.close()
    assert sum("Laptop and accounts ready" in t for t in dms(harness, "U0ALEX")) == 1


async def test_two_schedulers_at_the_same_moment_tell_each_step_and_remind_once(
    harness, runs, clock, db, standin_server
) -> None:
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await start_run(harness, ref, people_for=LEADS)
    _, base_url = standin_server
    clients = [SlackClients(base_url=f"{base_url}/api/", token=TOKEN) for _ in range(2)]
    contexts = [JobContext(sessions=db.sessions, clock=clock, clients=c) for c in clients]
    senders = [make_sender(db, c, clock, name=f"replica-{n}") for n, c in enumerate(clients)]
    try:
        for moment in (MONDAY, MONDAY + timedelta(minutes=15), MONDAY + timedelta(minutes=30)):
            clock.set(moment)
            await asyncio.gather(*(jobs.run_due(ctx) for ctx in contexts))
            while sum([(await s.run_once()).claimed for s in senders]):
                pass
    finally:
        for c in clients:
            await c.close()

    texts = Counter(f"{user}: {t}" for user in ("U0LOCAL", "U0ALEX") for t in dms(harness, user))
    assert set(texts.values()) == {1} and len(texts) == 3  # step 1, step 2, one status reminder
    pings = await harness.rows(RunEvent, RunEvent.ping_key.is_not(None))
    assert sorted(e.kind for e in pings) == [RunEventKind.STATUS_REMINDER, RunEventKind.STEP_DUE, RunEventKind.STEP_DUE]
