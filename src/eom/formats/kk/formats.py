# Kazakh formats (Django ships none for kk).
#
# Dates as Kazakh writes them: the year first, then "жылғы", the day and the month's name in
# lower case: "2023 жылғы 19 наурыз" (the Central Election Commission's and the official
# gazettes' usage). The month's name is Django's "E" (the context "alt. month"), which eom's
# catalogue gives in lower case for Kazakh (Django's own is capitalised: "Наурыз").
DATE_FORMAT = "Y жылғы j E"  # 2023 жылғы 19 наурыз
DATETIME_FORMAT = "Y жылғы j E, H:i"  # 2023 жылғы 19 наурыз, 21:49
SHORT_DATE_FORMAT = "d.m.Y"  # 19.03.2023
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 19.03.2023 21:49
MONTH_DAY_FORMAT = "j E"  # 19 наурыз
YEAR_MONTH_FORMAT = "Y жылғы E"  # 2023 жылғы наурыз
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# eom's own formats (see eom/formats/en/formats.py).
DAY_MONTH_TIME_FORMAT = "j E H:i"  # 19 наурыз 21:49
DATETIME_SECONDS_FORMAT = "Y жылғы j E, H:i:s"  # 2023 жылғы 19 наурыз, 21:49:07

# Numbers: a space groups thousands, a comma marks decimals, as in Kazakhstan's official
# publications (the CEC's "6 366 441", "54,19 %").
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
