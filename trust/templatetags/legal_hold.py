"""`{% legal_hold_card person %}`: the legal hold card of the person's edit page (HR who may
change the person see it there), with its form, which posts to `trust:legal_hold`."""

from typing import Any

from django import template

from trust.forms_erasure import LegalHoldForm

register = template.Library()


@register.inclusion_tag("trust/_legal_hold_card.html", takes_context=True)
def legal_hold_card(context: template.Context, person: Any) -> dict[str, Any]:
    return {
        "person": person,
        "form": LegalHoldForm(placing=not person.legal_hold),
        "csrf_token": context.get("csrf_token"),
    }
