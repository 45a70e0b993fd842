"""Personal API tokens: `/followthrough token` shows one once and keeps only its hash; `token list` never shows a
token; `token revoke` ends one at once, one's own only unless one is an admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import MovableClock
from bot.web import create_app
from models import ApiToken
from services.web.signin import digest
from tests.conftest import Harness, make_settings
from tests.support.api import api_client, new_token, token_reply

START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def clocked(db, standin, standin_server, harness_sender_for):
    """The app with a clock the test moves, for the web routes as for Slack's requests."""
    clock = MovableClock(START)
    _, base_url = standin_server
    settings = make_settings(db.engine.url.render_as_string(hide_password=False), f"{base_url}/api")
    app = create_app(settings, database=db, clock=clock)
    async with harness_sender_for(app) as (sender, me):
        yield Harness(app=app, db=db, standin=standin, slack=sender, me=me), clock


async def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(harness) -> None:
    reply = await token_reply(harness, "BI export")
    token = (await new_token(harness)).strip()

    assert "copy it now" in reply and "BI export" in reply
    rows = await harness.rows(ApiToken)
    assert [r.name for r in rows] == ["BI export", "token 2"]
    assert rows[1].token_hash == digest(token)
    stored = " ".join(str(getattr(r, c.key)) for r in rows for c in ApiToken.__table__.columns)
    assert token not in stored

    listing = await token_reply(harness, "list")
    assert "BI export" in listing and "token 2" in listing and "never used" in listing
    assert "ftk_" not in listing


async def test_a_token_opens_the_api_and_its_use_is_recorded_at_most_once_a_minute(clocked) -> None:
    harness, clock = clocked
    token = await new_token(harness)
    async with api_client(harness, token) as api:
        assert (await api.get("/api/v1/outcomes")).status_code == 200
        clock.advance(timedelta(seconds=30))
        assert (await api.get("/api/v1/outcomes")).status_code == 200
        [row] = await harness.rows(ApiToken)
        assert row.last_used_at == datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
        clock.advance(timedelta(minutes=1))
        await api.get("/api/v1/actions")
    [row] = await harness.rows(ApiToken)
    assert row.last_used_at == datetime(2030, 3, 4, 9, 1, 30, tzinfo=UTC)
    assert "last used" in await token_reply(harness, "list")


async def test_a_revoked_token_is_refused_at_once(harness) -> None:
    token = await new_token(harness, "BI export")
    async with api_client(harness, token) as api:
        assert (await api.get("/api/v1/outcomes")).status_code == 200
        said = await token_reply(harness, "revoke BI export")
        refused = await api.get("/api/v1/outcomes")

    assert "Revoked" in said
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert "You have no API tokens" in await token_reply(harness, "list")


async def test_someone_cannot_revoke_anothers_token_but_an_admin_can(harness) -> None:
    alex, priya = harness.actor("U0ALEX"), harness.actor("U0PRIYA")
    await new_token(harness, "alex's", actor=alex)
    [row] = await harness.rows(ApiToken)

    refused = await token_reply(harness, f"revoke {row.id}", actor=priya)
    unknown = await token_reply(harness, "revoke nothing-like-it", actor=priya)
    assert "Nothing was changed" in refused
    assert "can't find" in unknown
    assert (await harness.rows(ApiToken))[0].revoked_at is None

    by_admin = await token_reply(harness, "revoke alex's")  # U0LOCAL is an admin
    assert "Revoked" in by_admin
    assert (await harness.rows(ApiToken))[0].revoked_at is not None


async def test_a_revoke_by_name_prefers_ones_own_token(harness) -> None:
    alex = harness.actor("U0ALEX")
    await new_token(harness, "BI", actor=alex)
    await new_token(harness, "BI")

    await token_reply(harness, "revoke BI")

    alexs, mine = await harness.rows(ApiToken)
    assert alexs.revoked_at is None and mine.revoked_at is not None


async def test_a_name_too_long_is_refused_and_help_explains_tokens(harness) -> None:
    assert "at most 80 characters" in await token_reply(harness, "x" * 81)
    assert await harness.rows(ApiToken) == []
    assert "/followthrough token revoke" in await token_reply(harness, "help")
