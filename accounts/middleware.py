"""Apply the signed-in person's time zone and language to each request; keep the list of their
sessions up to date."""

from django.utils import timezone, translation
from django.utils.translation.trans_real import parse_accept_lang_header

from accounts import sessions
from organisation import current


def _browser_language(request) -> str | None:
    """The first language of the browser's Accept-Language that Cadence speaks, if any."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class PersonPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.local_zone)
        else:
            timezone.deactivate()
        # Their own language; else their browser's, when Cadence speaks it; else the
        # organisation's.
        language = (user.is_authenticated and user.language) or (
            None if _browser_language(request) else current.settings().language
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            # Threads serve many people: never let one person's preferences reach the next.
            timezone.deactivate()


class SessionActivityMiddleware:
    """Keeps the list of each person's sessions (`accounts.sessions`) up to date: when a
    session was last used, at most once every few minutes, and forgets a session whose key
    changed. Most requests pay no query for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        key_at_start = session.session_key if session is not None else None
        response = self.get_response(request)
        sessions.seen(request, key_at_start)
        return response
