"""The admin page: an admin sees the workspace's settings, every API token and who is signed in, revokes anyone's
token and signs a person out everywhere; someone who is not an admin gets 403 and no link to it; a form from
another site, or a token of another workspace, changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from models import ApiToken, Person, WebSession, Workspace
from services.web.signin import digest
from tests.support.api import api_client, new_token
from tests.support.outcomes import define
from tests.web.test_sign_in import new_browser, sign_in_link

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


async def signed_in(harness, browser, actor=None) -> str:
    """Signs `browser` in as `actor` (the admin by default); the page's CSRF token."""
    await browser.get(await sign_in_link(harness, actor))
    return CSRF.findall((await browser.get("/web/")).text)[0]


async def test_an_admin_sees_tokens_and_browsers_and_revokes_a_token_and_signs_someone_out(harness) -> None:
    priya = harness.actor("U0PRIYA")
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")
    priyas = await new_token(harness, "Priya's BI", priya)
    await new_token(harness, "Finance sheet")
    async with new_browser(harness) as admin, new_browser(harness) as hers:
        await signed_in(harness, hers, priya)
        csrf = await signed_in(harness, admin)
        overview = (await admin.get("/web/")).text
        page = await admin.get("/web/admin")
        [token_id] = re.findall(r'data-token="(\d+)"><td>\d+</td><td>Priya&#39;s BI', page.text)
        revoked = await admin.post("/web/admin/tokens/revoke", data={"csrf": csrf, "token": token_id})
        after = (await admin.get(revoked.headers["location"])).text
        signed_out = await admin.post("/web/admin/sign-out-everywhere", data={"csrf": csrf, "person": "U0PRIYA"})
        her_next_page = await hers.get("/web/")
        still_mine = await admin.get("/web/")
    async with api_client(harness, priyas) as api:
        her_api = await api.get("/api/v1/outcomes")

    assert 'href="/web/admin"' in overview
    assert page.status_code == 200
    assert "Priya&#39;s BI" in page.text and "Finance sheet" in page.text
    assert "America/New_York" in page.text or "UTC" in page.text
    assert 'data-user="U0PRIYA"' in page.text and "(this browser)" in page.text
    assert "Health: stale days" in page.text and "with a single workspace token" in page.text
    assert revoked.status_code == 303 and "Priya&#39;s BI" not in after and "Finance sheet" in after
    assert "Revoked" in after
    assert her_api.status_code == 401
    assert signed_out.status_code == 303 and her_next_page.status_code == 401
    assert still_mine.status_code == 200  # only her browsers were signed out


async def test_someone_who_is_not_an_admin_gets_403_and_no_link(harness) -> None:
    priya = harness.actor("U0PRIYA")
    mine = await new_token(harness, "Finance sheet")
    async with new_browser(harness) as hers:
        csrf = await signed_in(harness, hers, priya)
        overview = (await hers.get("/web/")).text
        page = await hers.get("/web/admin")
        revoke = await hers.post("/web/admin/tokens/revoke", data={"csrf": csrf, "token": "1"})
        sign_out = await hers.post("/web/admin/sign-out-everywhere", data={"csrf": csrf, "person": "U0LOCAL"})
    async with api_client(harness, mine) as api:
        still_works = await api.get("/api/v1/outcomes")

    assert "/web/admin" not in overview
    assert page.status_code == 403 and "Admins only" in page.text and "Finance sheet" not in page.text
    assert revoke.status_code == 403 and sign_out.status_code == 403
    assert still_works.status_code == 200
    sessions = await harness.rows(WebSession)
    assert all(s.ended_at is None for s in sessions)


async def test_another_sites_form_and_another_workspaces_token_change_nothing(harness) -> None:
    mine = await new_token(harness, "Finance sheet")
    async with harness.db.sessions.begin() as session:
        other = Workspace(team_id="T0ELSE", name="Elsewhere")
        session.add(other)
        await session.flush()
        owner = Person(workspace_id=other.id, slack_user_id="U0ELSE", display_name="Someone else")
        session.add(owner)
        await session.flush()
        theirs = ApiToken(workspace_id=other.id, person_id=owner.id, token_hash=digest("ftk_theirs"), name="secret",
                          created_at=datetime.now(UTC))  # fmt: skip
        session.add(theirs)
    [token_id] = {t.id for t in await harness.rows(ApiToken) if t.name == "Finance sheet"}
    async with new_browser(harness) as admin:
        csrf = await signed_in(harness, admin)
        forged = await admin.post("/web/admin/tokens/revoke", data={"token": str(token_id)})
        wrong = await admin.post("/web/admin/tokens/revoke", data={"token": str(token_id), "csrf": "0" * 64})
        elsewhere = await admin.post("/web/admin/tokens/revoke", data={"token": str(theirs.id), "csrf": csrf})
        nobody = await admin.post("/web/admin/sign-out-everywhere", data={"person": "U0ELSE", "csrf": csrf})
        page = (await admin.get("/web/admin")).text

    assert forged.status_code == 403 and wrong.status_code == 403
    assert elsewhere.status_code == 404 and nobody.status_code == 404
    assert "secret" not in page and "U0ELSE" not in page
    async with harness.db.sessions() as session:
        revoked = set(await session.scalars(select(ApiToken.name).where(ApiToken.revoked_at.is_not(None))))
    assert revoked == set()
    async with api_client(harness, mine) as api:
        assert (await api.get("/api/v1/outcomes")).status_code == 200


async def test_a_token_name_that_looks_like_markup_is_shown_as_text(harness) -> None:
    await new_token(harness, '<script>alert("x")</script> & <b>BI</b>', harness.actor("U0PRIYA"))
    async with new_browser(harness) as admin:
        await signed_in(harness, admin)
        page = (await admin.get("/web/admin")).text

    assert "<script>alert" not in page and "<b>BI</b>" not in page
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp;amp; &lt;b&gt;BI&lt;/b&gt;" in page
        or "&lt;script&gt;" in page
    )
