"""Template filters for goals: progress as a percentage, undefined shown as such."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """0.425 → "43 %"; None (undefined progress) → "—", never 0."""
    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100))} %"


@register.filter
def percent_value(value):
    """0.425 → 43, for <progress> and <meter> elements; None → empty."""
    return "" if value is None else round(float(value) * 100)
