"""The read API, `/api/v1`: a token of one workspace reads that workspace and nothing else; no route answers
without a token; pages hold every item exactly once; the schema describes the routes."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from models import Action, MetricReading
from tests.support.actions import capture
from tests.support.api import SECRETS, api_client, elsewhere, new_token
from tests.support.decisions import ask
from tests.support.meetings import schedule
from tests.support.outcomes import define

SCHEMA = ("/api/v1/openapi.json", "/api/v1/docs")  # what the API is, with no data in it


def api_paths(harness) -> list[str]:
    return sorted({r.path for r in harness.app.routes if r.path.startswith(("/api/v1", "/web/export"))})


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "O-1", path)


async def test_no_route_answers_without_a_valid_token(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    paths = [p for p in api_paths(harness) if p not in SCHEMA]
    assert len(paths) >= 12
    for token in (None, "ftk_made-up", "not even a token"):
        async with api_client(harness, token) as api:
            for path in paths:
                answer = await api.get(concrete(path))
                assert answer.status_code == 401, (path, token)
                assert "Faster onboarding" not in answer.text
    async with api_client(harness) as api:
        cookie = await api.get("/api/v1/outcomes", headers={"Cookie": "ft_session=made-up", "Authorization": "Basic x"})
    assert cookie.status_code == 401


async def test_a_token_reads_its_own_workspace(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding", owner="U0ALEX")
    await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 25 first cohort in")
    await ask(harness)
    await capture(harness, "@me send the deck by tomorrow")
    token = await new_token(harness)

    async with api_client(harness, token) as api:
        outcomes = (await api.get("/api/v1/outcomes")).json()
        detail = (await api.get("/api/v1/outcomes/O-1")).json()
        decisions = (await api.get("/api/v1/decisions")).json()
        actions = (await api.get("/api/v1/actions")).json()
        findings = await api.get("/api/v1/findings")

    [outcome] = outcomes["items"]
    assert outcomes["next_cursor"] is None
    assert outcome["ref"] == "O-1" and outcome["owner"]["id"] == "U0ALEX"
    lagging = next(m for m in outcome["metrics"] if m["kind"] == "lagging")
    assert lagging["name"] == "Activation" and lagging["latest_reading"]["value"] == 25
    detail_lagging = next(m for m in detail["metrics"] if m["kind"] == "lagging")
    assert [r["value"] for r in detail_lagging["readings"]] == [25]
    assert detail["updates"][0]["note"] and detail["updates"][0]["author"]["id"] == "U0ALEX"
    [decision] = decisions["items"]
    assert decision["ref"] == "D-1" and decision["timeline"][0]["kind"] == "created"
    assert [a["ref"] for a in actions["items"]] == [f"A-{n}" for n in range(1, len(await harness.rows(Action)) + 1)]
    assert findings.status_code == 200 and isinstance(findings.json()["items"], list)


async def test_another_workspaces_objects_are_not_found_on_every_route(harness) -> None:
    refs = await elsewhere(harness)
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    token = await new_token(harness)

    async with api_client(harness, token) as api:
        assert (await api.get(f"/api/v1/outcomes/{refs['outcome']}")).status_code == 404
        assert (await api.get("/api/v1/outcomes/O-1")).status_code == 200
        for path in api_paths(harness):
            if "{" in path or path in SCHEMA:
                continue
            answer = await api.get(path)
            assert answer.status_code == 200, path
            for secret in SECRETS:
                assert secret not in answer.text, (path, secret)
                for ref in ("O-7", "D-7", "A-7", "M-7"):
                    assert f'"{ref}"' not in answer.text and f"{ref}," not in answer.text


async def test_pages_hold_every_item_exactly_once_even_with_inserts_between_them(harness) -> None:
    for n in range(7):
        await capture(harness, f"@me task number {n} by tomorrow")
    token = await new_token(harness)

    seen: list[str] = []
    async with api_client(harness, token) as api:
        cursor = None
        while True:
            page = await api.get("/api/v1/actions", params={"limit": 3} | ({"cursor": cursor} if cursor else {}))
            body = page.json()
            assert len(body["items"]) <= 3
            seen += [a["ref"] for a in body["items"]]
            if len(seen) == 3:
                await capture(harness, "@me one more, added while paging, by tomorrow")
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert (await api.get("/api/v1/actions", params={"cursor": "%%%"})).status_code == 400
        assert (await api.get("/api/v1/actions", params={"limit": 501})).status_code == 422

    assert seen == [f"A-{n}" for n in range(1, 9)]


async def test_the_schema_describes_the_api_alone_and_needs_no_token(harness) -> None:
    async with api_client(harness) as api:
        schema = (await api.get("/api/v1/openapi.json")).json()
        docs = await api.get("/api/v1/docs")

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {"/api/v1/outcomes", "/api/v1/outcomes/{ref}", "/api/v1/decisions",
                                    "/api/v1/actions", "/api/v1/meetings", "/api/v1/findings",
                                    "/api/v1/export/outcomes.csv"}  # fmt: skip
    assert all(p.startswith("/api/v1/") for p in schema["paths"])
    assert schema["paths"]["/api/v1/outcomes"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OutcomePage"
    }
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert docs.status_code == 200 and "/api/v1/outcomes" in docs.text and "cdn" not in docs.text.lower()
    for name, part in schema["components"]["schemas"].items():
        assert part.get("type") == "object" or "enum" in part, name


async def test_meetings_come_with_attendees_and_agenda(harness) -> None:
    await schedule(harness)
    token = await new_token(harness)

    async with api_client(harness, token) as api:
        [meeting] = (await api.get("/api/v1/meetings")).json()["items"]

    assert meeting["ref"] == "M-1" and meeting["title"] == "Pricing review" and meeting["minutes"] == 45
    assert {a["person"]["id"] for a in meeting["attendees"]} >= {"U0ALEX", "U0PRIYA"}
    assert meeting["agenda"] and meeting["agenda"][0]["position"] == 1


async def add_readings(harness, values) -> None:
    """More readings of O-1's lagging metric, written as /progress writes them (one exists already)."""
    async with harness.db.sessions.begin() as session:
        first = await session.scalar(select(MetricReading).order_by(MetricReading.id).limit(1))
        session.add_all(
            MetricReading(
                workspace_id=first.workspace_id,
                metric_id=first.metric_id,
                update_id=first.update_id,
                author_id=first.author_id,
                value=v,
            )  # fmt: skip
            for v in values
        )


async def test_an_outcomes_readings_come_in_pages_that_hold_each_once_even_with_inserts(harness) -> None:
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding", owner="U0ALEX")
    await harness.slack.command(harness.actor("U0ALEX"), "/progress", "O-1 1 first cohort in")
    await add_readings(harness, range(2, 251))
    await elsewhere(harness, number=1)  # another workspace's O-1, with readings of its own
    token = await new_token(harness)

    seen: list[float] = []
    async with api_client(harness, token) as api:
        detail = (await api.get("/api/v1/outcomes/O-1")).json()
        lagging = next(m for m in detail["metrics"] if m["kind"] == "lagging")
        leading = next(m for m in detail["metrics"] if m["kind"] == "leading")
        seen += [r["value"] for r in lagging["readings"]]
        cursor = lagging["readings_next_cursor"]
        while cursor:
            params = {"metric": lagging["slug"], "limit": 60, "cursor": cursor}
            body = (await api.get("/api/v1/outcomes/O-1/readings", params=params)).json()
            assert len(body["items"]) <= 60 and {r["metric"] for r in body["items"]} == {lagging["slug"]}
            seen += [r["value"] for r in body["items"]]
            if len(seen) == 160:
                await add_readings(harness, [251, 252])  # recorded while a BI tool is paging
            cursor = body["next_cursor"]
        everything = (await api.get("/api/v1/outcomes/O-1/readings", params={"limit": 500})).json()
        unknown_metric = (await api.get("/api/v1/outcomes/O-1/readings", params={"metric": "nope"})).json()
        bad_cursor = await api.get("/api/v1/outcomes/O-1/readings", params={"cursor": "%%%"})

    assert len(lagging["readings"]) == 100 and leading["readings"] == [] and leading["readings_next_cursor"] is None
    assert seen == [float(n) for n in range(1, 253)]
    assert [r["value"] for r in everything["items"]] == seen and everything["next_cursor"] is None
    assert unknown_metric == {"items": [], "next_cursor": None}
    assert bad_cursor.status_code == 400


async def test_the_schema_is_whole_every_reference_in_it_resolves(harness) -> None:
    async with api_client(harness) as api:
        schema = (await api.get("/api/v1/openapi.json")).json()

    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert refs and refs <= set(schema["components"]["schemas"])
    readings = schema["paths"]["/api/v1/outcomes/{ref}/readings"]["get"]
    assert {p["name"] for p in readings["parameters"]} == {"ref", "metric", "limit", "cursor"}
    assert readings["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReadingPage"
    }
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert operation.get("summary") and "200" in operation["responses"], path
