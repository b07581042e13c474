"""Apply the signed-in person's time zone and language to each request; keep the list of their
sessions up to date."""

from django.utils import timezone, translation

from accounts import sessions


class PersonPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.local_zone)
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        else:
            timezone.deactivate()
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
