"""Cadence's own date and time formats, one style per language (settings.FORMAT_MODULE_PATH).

Templates and code name a format ("DATE_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT",
"DATETIME_FORMAT"), never spell one out, so that every date on every page reads alike: English
"9 Dec 2026, 14:30", Dutch "9 dec 2026, 14:30" (Dutch writes month names in lower case). A format
not set here (the input formats, say) is Django's own for the language.
"""
