"""Dutch dates: the same order as English, month abbreviations in lower case ("b")."""

DATE_FORMAT = "j b Y"  # 9 dec 2026
MONTH_DAY_FORMAT = "j b"  # 9 dec
YEAR_MONTH_FORMAT = "F Y"  # december 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j b Y, H:i"  # 9 dec 2026, 14:30
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
FIRST_DAY_OF_WEEK = 1  # maandag
