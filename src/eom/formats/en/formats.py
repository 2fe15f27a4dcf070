# English dates as the mission writes them: day, month, year ("19 March 2023"), 24-hour times.
# Django's other English formats (numbers, input formats) stay as they are.
DATE_FORMAT = "j F Y"  # 19 March 2023
DATETIME_FORMAT = "j F Y, H:i"  # 19 March 2023, 21:49
SHORT_DATE_FORMAT = "j M Y"  # 19 Mar 2023
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 19 Mar 2023, 21:49
MONTH_DAY_FORMAT = "j F"  # 19 March
YEAR_MONTH_FORMAT = "F Y"  # March 2023

# eom's own formats (every language defines them: `{{ value|date:"DAY_MONTH_TIME_FORMAT" }}`).
DAY_MONTH_TIME_FORMAT = "j M H:i"  # 19 Mar 21:49: a report's time on the busy pages
DATETIME_SECONDS_FORMAT = "j F Y, H:i:s"  # 19 March 2023, 21:49:07: when a report arrived
