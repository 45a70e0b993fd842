"""Prometheus metrics in the text exposition format (0.0.4), written out by hand: a few counters kept by this
process (what the sender and the jobs did since start) and gauges read from the database at scrape time
(the outbox is shared by every replica, so any replica reports it the same)."""

from __future__ import annotations

import asyncio
import hmac
import time
from collections import Counter
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.loop_lag import LoopLag
from services import outbox
from services.attention.noise import Noise, noise

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OUTCOMES = ("sent", "found", "retried", "ratelimited", "held", "failed")
# What looking for a post whose outcome was unknown came to (scheduler/readback.py, Result).
READBACKS = ("found", "absent", "unavailable", "retried", "ratelimited", "held")


class Metrics:
    """Counters of one process. Created once and passed to whoever counts (never a module global)."""

    def __init__(self) -> None:
        self.deliveries: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
        self.slack_errors: Counter[tuple[str, str]] = Counter()
        self.readbacks: Counter[str] = Counter({result: 0 for result in READBACKS})
        self.job_runs: Counter[tuple[str, str]] = Counter()
        self.leading = False
        self.loop_lag = LoopLag()  # fed by bot.loop_lag.watch while the app or scheduler runs

    def delivery(self, outcome: str, n: int = 1) -> None:
        self.deliveries[outcome] += n

    def readback(self, result: str) -> None:
        self.readbacks[result] += 1

    def slack_error(self, method: str, error: str) -> None:
        self.slack_errors[(method, error)] += 1

    def job_run(self, job: str, result: str) -> None:
        self.job_runs[(job, result)] += 1


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name: str, value: float, **labels: str) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items())
    number = str(int(value)) if float(value).is_integer() else repr(float(value))
    return f"{name}{{{inner}}} {number}" if inner else f"{name} {number}"


def _family(name: str, kind: str, help_text: str, samples: list[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


class Exporter:
    """Serves /metrics: the outbox figures need a database count, so they are reused for `ttl` seconds and
    concurrent scrapes share one count; a loop hammering the endpoint cannot slow the app's own requests."""

    def __init__(self, metrics: Metrics, sessions: async_sessionmaker[AsyncSession], ttl: float = 15.0) -> None:
        self.metrics, self.sessions, self.ttl = metrics, sessions, ttl
        self._backlog: outbox.Backlog | None = None
        self._noise: Noise | None = None
        self._counted_at = -ttl
        self._lock = asyncio.Lock()
        self.counts = 0  # database counts made, for the tests

    async def render(self, now: datetime) -> str:
        async with self._lock:
            if self._backlog is None or time.monotonic() - self._counted_at >= self.ttl:
                async with self.sessions() as session:
                    self._backlog = await outbox.backlog(session, now=now)
                    # Four weeks of DMs the bot started, every workspace's: one query on the same schedule.
                    self._noise = await noise(session, workspace_id=None, now=now)
                self._counted_at = time.monotonic()
                self.counts += 1
        return text(self.metrics, self._backlog, now, self._noise)


def authorized(token: str | None, header: str | None) -> bool:
    """With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`."""
    return token is None or hmac.compare_digest(header or "", f"Bearer {token}")


def text(metrics: Metrics, backlog: outbox.Backlog, now: datetime, dms: Noise | None = None) -> str:
    attention = _attention_lines(dms) if dms is not None else []
    return "\n".join(_outbox_lines(backlog, now) + attention + _process_lines(metrics)) + "\n"


def _attention_lines(dms: Noise) -> list[str]:
    """The noise report's figures (services/attention/noise.py), every workspace together, last 28 days."""
    per_day = {"median": dms.median, "p95": dms.p95, "max": dms.max}
    return [
        *_family(
            "followthrough_dms_per_person_day",
            "gauge",
            "Top-level DMs the bot started per person per day (their own calendar day), over the person-days with"
            " at least one, last 28 days.",
            [_sample("followthrough_dms_per_person_day", v, stat=k) for k, v in per_day.items()],
        ),
        *_family(
            "followthrough_dms_total",
            "gauge",
            "DMs the bot started and sent in the last 28 days: held (waited at least once) or sent at once.",
            [
                _sample("followthrough_dms_total", dms.held, state="held"),
                _sample("followthrough_dms_total", dms.at_once, state="sent"),
            ],
        ),
        *_family(
            "followthrough_dm_response_rate",
            "gauge",
            "Share of DMs of each kind sent over a day ago (last 28 days) answered within 24 hours.",
            [_sample("followthrough_dm_response_rate", round(k.rate, 4), kind=k.kind) for k in dms.kinds],
        ),
        *_family(
            "followthrough_dm_response_sent",
            "gauge",
            "DMs of each kind sent over a day ago (last 28 days): the response rate's denominator.",
            [_sample("followthrough_dm_response_sent", k.sent, kind=k.kind) for k in dms.kinds],
        ),
    ]


def _outbox_lines(backlog: outbox.Backlog, now: datetime) -> list[str]:
    """What the database says: the outbox as a whole, whichever process sends."""
    return [
        *_family(
            "followthrough_outbox_deliveries",
            "gauge",
            "Deliveries waiting or being sent, by state (finished ones: followthrough_deliveries_total).",
            [_sample("followthrough_outbox_deliveries", n, state=s) for s, n in sorted(backlog.by_state.items())],
        ),
        *_family(
            "followthrough_outbox_backlog",
            "gauge",
            "Deliveries due now and not sent yet.",
            [_sample("followthrough_outbox_backlog", backlog.due)],
        ),
        *_family(
            "followthrough_outbox_oldest_due_age_seconds",
            "gauge",
            "How long the oldest delivery still not sent has been due (0 when none is).",
            [_sample("followthrough_outbox_oldest_due_age_seconds", round(backlog.oldest_age(now), 3))],
        ),
    ]


def _process_lines(metrics: Metrics) -> list[str]:
    """What this process counted since it started."""
    return [
        *_family(
            "followthrough_deliveries_total",
            "counter",
            "What this process's sender did with each delivery it claimed, by outcome.",
            [_sample("followthrough_deliveries_total", n, outcome=o) for o, n in sorted(metrics.deliveries.items())],
        ),
        *_family(
            "followthrough_outbox_readbacks_total",
            "counter",
            "Looks for a post whose outcome was unknown before posting it again, by result; 'unavailable' means"
            " Slack refused the look (a missing scope, ...) and the post was sent again, perhaps a second time.",
            [
                _sample("followthrough_outbox_readbacks_total", n, result=r)
                for r, n in sorted(metrics.readbacks.items())
            ],
        ),
        *_family(
            "followthrough_slack_api_errors_total",
            "counter",
            "Errors Slack's Web API answered this process's sender with, by method and error code.",
            [
                _sample("followthrough_slack_api_errors_total", n, method=m, error=e)
                for (m, e), n in sorted(metrics.slack_errors.items())
            ],
        ),
        *_family(
            "followthrough_scheduler_jobs_total",
            "counter",
            "Scheduled job runs in this process, by job and result.",
            [
                _sample("followthrough_scheduler_jobs_total", n, job=j, result=r)
                for (j, r), n in sorted(metrics.job_runs.items())
            ],
        ),
        *_family(
            "followthrough_scheduler_leader",
            "gauge",
            "1 when this process runs the deployment's scheduler, else 0.",
            [_sample("followthrough_scheduler_leader", 1 if metrics.leading else 0)],
        ),
        *_loop_lag_lines(metrics.loop_lag),
    ]


def _loop_lag_lines(lag: LoopLag) -> list[str]:
    name = "followthrough_event_loop_lag_seconds"
    return _family(
        name,
        "histogram",
        "How much later than asked this process's event loop ran a periodic wake-up (work holding the loop).",
        [
            *(_sample(f"{name}_bucket", n, le=le) for le, n in lag.cumulative()),
            _sample(f"{name}_sum", round(lag.sum, 6)),
            _sample(f"{name}_count", lag.count),
        ],
    )
