"""Just enough iCalendar (RFC 5545) for a read-only feed of events.

Lines end in CRLF and are folded at 75 octets (continuation lines start with a space, and a
multi-byte character is never split); text values escape backslash, semicolon, comma and
newlines. Times are written in UTC ("…Z"); a day without a time is an all-day event
(VALUE=DATE, ending on the next day, as the end is exclusive). Each event carries its
version (SEQUENCE), so that a calendar replaces what it kept when a time or status changes.
A calendar needs at least one component (RFC 5545 3.6): one without events carries the
definition of UTC, the time zone its times are written in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
LINE_OCTETS = 75
# UTC as a VTIMEZONE (RFC 5545 3.6.5): the component of a calendar without events.
UTC_TIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:UTC",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0000",
    "TZNAME:UTC",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass
class Event:
    uid: str
    summary: str
    start: datetime | date  # an aware datetime, or a date for an all-day event
    end: datetime | date | None = None  # by default: the next day for an all-day event
    url: str = ""
    description: str = ""
    status: str = "CONFIRMED"
    sequence: int = 0  # the event's version: rises whenever its time or status changes


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded so that no physical line exceeds 75 octets (3.1)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            # Each continuation line starts with a space, which counts towards its 75.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day(value: date) -> str:
    return value.strftime("%Y%m%d")


def moment(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc(value)}"
    return f"{name};VALUE=DATE:{day(value)}"


def event_lines(event: Event, stamp: datetime) -> list[str]:
    end = event.end
    if end is None:
        end = event.start + timedelta(days=1) if not isinstance(event.start, datetime) else None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"DTSTAMP:{utc(stamp)}",
        f"SEQUENCE:{event.sequence}",
        moment("DTSTART", event.start),
    ]
    if end is not None:
        lines.append(moment("DTEND", end))
    lines.append(f"SUMMARY:{escape(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += [f"STATUS:{event.status}", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def calendar(events: list[Event], *, name: str, stamp: datetime, product: str) -> str:
    """A whole VCALENDAR, ready to serve as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += event_lines(event, stamp)
    if not events:
        lines += UTC_TIMEZONE
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
