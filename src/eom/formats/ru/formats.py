# Russian dates: the month in the genitive ("19 марта 2023"), as Russian writes a date; Django's
# own "E" is that genitive. Django's ru MONTH_DAY_FORMAT ("j F") would say "19 Март".
DATE_FORMAT = "j E Y"  # 19 марта 2023
DATETIME_FORMAT = "j E Y, H:i"  # 19 марта 2023, 21:49
SHORT_DATE_FORMAT = "d.m.Y"  # 19.03.2023
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 19.03.2023 21:49
MONTH_DAY_FORMAT = "j E"  # 19 марта
YEAR_MONTH_FORMAT = "F Y"  # Март 2023 (the nominative: no day)

# eom's own formats (see eom/formats/en/formats.py).
DAY_MONTH_TIME_FORMAT = "j E H:i"  # 19 марта 21:49
DATETIME_SECONDS_FORMAT = "j E Y, H:i:s"  # 19 марта 2023, 21:49:07
