from fractions import Fraction

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: Fraction | None) -> str:
    """An exact share shown rounded to one decimal, as a percentage ("—" when undefined)."""
    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100, 1), 1)} %"
