"""`{% org_name %}`: the organisation's name as set in the app ("Cadence" until it is named),
for page titles and e-mails; read from the settings each process keeps (no query)."""

from django import template

from organisation import current

register = template.Library()


@register.simple_tag
def org_name() -> str:
    return current.settings().display_name
