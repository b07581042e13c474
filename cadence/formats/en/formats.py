"""English dates as they are written in Europe: day, month, year, and a 24-hour clock (no
"p.m." whose full stop doubles the sentence's)."""

DATE_FORMAT = "j M Y"  # 9 Dec 2026
MONTH_DAY_FORMAT = "j M"  # 9 Dec
YEAR_MONTH_FORMAT = "F Y"  # December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 9 Dec 2026, 14:30
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
