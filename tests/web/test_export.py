"""CSV exports of outcomes, readings and decisions: with a token or signed in to the dashboard, one workspace's
rows only, and text that a spreadsheet would run as a formula opens as the text that was typed."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from models import MetricReading
from services.web import export
from services.web.export import DECISION_COLUMNS, OUTCOME_COLUMNS, READING_COLUMNS, cell
from tests.support.api import SECRETS, api_client, elsewhere, new_token
from tests.support.decisions import ask
from tests.support.outcomes import define
from tests.web.test_sign_in import new_browser, sign_in_link


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_exports_have_their_columns_and_this_workspaces_rows(harness) -> None:
    await elsewhere(harness)
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding", owner="U0ALEX")
    await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 25 first cohort in")
    await ask(harness)
    token = await new_token(harness)

    async with api_client(harness, token) as api:
        outcomes = await api.get("/api/v1/export/outcomes.csv")
        readings = await api.get("/api/v1/export/readings.csv")
        decisions = await api.get("/api/v1/export/decisions.csv")

    assert outcomes.headers["content-type"].startswith("text/csv")
    assert "attachment" in outcomes.headers["content-disposition"]
    assert outcomes.text.splitlines()[0].split(",") == list(OUTCOME_COLUMNS)
    assert readings.text.splitlines()[0].split(",") == list(READING_COLUMNS)
    assert decisions.text.splitlines()[0].split(",") == list(DECISION_COLUMNS)
    [outcome] = rows_of(outcomes.text)
    assert outcome["ref"] == "O-1" and outcome["title"] == "Faster onboarding" and outcome["owner_id"] == "U0ALEX"
    assert outcome["lagging_metric"] == "Activation" and float(outcome["lagging_latest"]) == 25
    assert [(r["outcome_ref"], r["metric"], float(r["value"])) for r in rows_of(readings.text)] == [
        ("O-1", "Activation", 25.0)
    ]
    [decision] = rows_of(decisions.text)
    assert decision["ref"] == "D-1" and decision["status"] == "open"
    for text in (outcomes.text, readings.text, decisions.text):
        assert not any(secret in text for secret in SECRETS)


async def test_text_that_would_run_as_a_formula_is_quoted(harness) -> None:
    await define(harness, title='=HYPERLINK("http://evil.example","click")', owner="U0LOCAL")
    await define(harness, title="-2+3 more signups", owner="U0LOCAL")
    await define(harness, title="@SUM(1+1) and plain", owner="U0LOCAL")
    token = await new_token(harness)

    async with api_client(harness, token) as api:
        rows = rows_of((await api.get("/api/v1/export/outcomes.csv")).text)

    titles = [r["title"] for r in rows]
    assert titles == ['\'=HYPERLINK("http://evil.example","click")', "'-2+3 more signups", "'@SUM(1+1) and plain"]
    assert [cell(v) for v in ("+1", "\tx", "fine", -3.5, None)] == ["'+1", "'\tx", "fine", -3.5, ""]


async def test_a_dashboard_session_opens_the_exports_and_nothing_else_does(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    async with new_browser(harness) as browser:
        await browser.get(await sign_in_link(harness))
        signed_in = await browser.get("/web/export/outcomes.csv")
        session = browser.cookies.get("ft_session")
        with_cookie = await browser.get("/api/v1/export/decisions.csv", headers={"Cookie": f"ft_session={session}"})
        not_the_api = await browser.get("/api/v1/outcomes", headers={"Cookie": f"ft_session={session}"})
    async with new_browser(harness) as stranger:
        refused = [await stranger.get(f"/web/export/{what}.csv") for what in ("outcomes", "readings", "decisions")]

    assert signed_in.status_code == 200 and "Faster onboarding" in signed_in.text
    assert with_cookie.status_code == 200
    assert not_the_api.status_code == 401
    assert {r.status_code for r in refused} == {401}


async def test_a_large_export_arrives_complete_in_batches(harness) -> None:
    """1,234 readings span three of the export's batches of 500: every one arrives once, in order, and a title
    that would run as a formula is still quoted in the later batches."""
    await define(harness, harness.actor("U0ALEX"), title="=cmd|' /C calc'!A0", owner="U0ALEX")
    await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 1 first")
    async with harness.db.sessions.begin() as session:
        [first] = await session.scalars(select(MetricReading))
        session.add_all(
            MetricReading(
                workspace_id=first.workspace_id,
                metric_id=first.metric_id,
                update_id=first.update_id,
                author_id=first.author_id,
                value=n + 2,
                recorded_at=first.recorded_at,
            )  # fmt: skip
            for n in range(1233)
        )
    token = await new_token(harness)

    async with api_client(harness, token) as api, api.stream("GET", "/api/v1/export/readings.csv") as answer:
        chunks = [chunk async for chunk in answer.aiter_text()]

    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    assert "content-length" not in answer.headers  # streamed, not built whole first
    rows = rows_of("".join(chunks))
    assert [float(r["value"]) for r in rows] == [float(n) for n in range(1, 1235)]
    assert {r["outcome_title"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    workspace_id = first.workspace_id
    pieces = [p async for p in export.stream(harness.db.sessions, what="readings", workspace_id=workspace_id)]
    assert len(pieces) == 1 + 3 and "".join(pieces) == "".join(chunks)  # the header, then a chunk per batch
