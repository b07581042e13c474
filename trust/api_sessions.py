"""My sessions and API tokens in the JSON API: where I am signed in and which tokens work, and
ending every other session and revoking the tokens in one call (the same as the page,
`accounts.sessions`)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from access.viewer import viewer_of
from accounts import sessions
from accounts.models import ApiToken
from cadence.api_kit import Strict, signed_in, written

router = Router(tags=["my data"])


class SessionOut(Schema):
    id: int
    device: str = Field(description="The browser and system, in words: `Firefox on Windows`")
    user_agent: str
    network: str = Field(description="Roughly where from: the address's start, `203.0.113.*`")
    signed_in_at: datetime | None = Field(description="null: before sessions were listed")
    last_seen_at: datetime = Field(description="Noted at most every few minutes")
    current: bool = Field(description="The session making this request")


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="How the token starts")
    created_at: datetime
    last_used_at: datetime | None


class SessionsOut(Schema):
    sessions: list[SessionOut]
    tokens: list[TokenOut]


class EndAllIn(Strict):
    revoke_tokens: bool = Field(
        True, description="Also revoke every API token (the one making this call too)"
    )


class EndedOut(Schema):
    sessions_ended: int
    tokens_revoked: int


@router.get("/me/sessions", response=SessionsOut, summary="My sessions and API tokens")
def list_my_sessions(request):
    """The sessions you are signed in with (the most recently used first) and your API
    tokens that work."""
    person = signed_in(viewer_of(request))
    current = sessions.current_hash(request)
    return {
        "sessions": [
            {
                "id": row.pk,
                "device": sessions.device_of(row.user_agent),
                "user_agent": row.user_agent,
                "network": row.network,
                "signed_in_at": row.signed_in_at,
                "last_seen_at": row.last_seen_at,
                "current": row.key_hash == current,
            }
            for row in sessions.active(person)
        ],
        "tokens": ApiToken.objects.filter(person=person).active(),
    }


@router.post("/me/sessions/end-all", response=EndedOut, summary="Sign out everywhere else")
def end_all_sessions(request, payload: EndAllIn):
    """End every session of yours but the one making this call (with a token: every
    session), and revoke every API token of yours unless `revoke_tokens` is false."""
    viewer = viewer_of(request)
    current = sessions.current_hash(request)
    if payload.revoke_tokens:
        ended, revoked = written(sessions.end_everywhere_else, viewer, current)
    else:
        ended, revoked = written(sessions.end_other_sessions, viewer, current), 0
    return {"sessions_ended": ended, "tokens_revoked": revoked}
