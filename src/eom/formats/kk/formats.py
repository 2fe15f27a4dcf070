# Kazakh number formats (Django ships none for kk): a space groups thousands, a comma marks
# decimals, as in Kazakhstan's official publications (the CEC's "6 366 441", "54,19 %").
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
