"""How a write says no: one convention for every app's services, pages and API.

A write service (`<app>/services.py`) takes the viewer and parsed data, checks permission
first (`django.core.exceptions.PermissionDenied`), then the domain's rules on the data, and
says no with one of:

- `Refused`: the data breaks a rule of the domain. Its `errors` are (field, message) pairs; the
  field is the API's name for it, a dotted path into the body for nested data
  (`"answers.0.rating"`, `"key_results.1.title"`), or `""` for the data as a whole. Raise one
  with `Refused.on(field, message)`, or `Refused(errors)` for several at once.
- `Conflict`: the object changed meanwhile, so that the write no longer applies (an ask
  answered a moment ago, a review answered twice).

The API answers them through `cadence.api_kit.written` (422 in the schema's error shape, 409,
403). A page shows a refusal on its form with `show_refusal`, or parses, writes and shows in
one step with `form_saved`; what it does on a conflict is the page's own (usually: say so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms import BaseForm
from django.utils.translation import gettext


class Refused(Exception):
    """The data breaks a rule of the domain: `errors` are (field, message) pairs, the field a
    dotted path as the API names it ("" for the whole)."""

    def __init__(self, errors: Iterable[tuple[str, str]]) -> None:
        self.errors: list[tuple[str, str]] = list(errors)
        super().__init__(self.errors)

    @classmethod
    def on(cls, field: str, message: str) -> Refused:
        """Refused for one reason, on one field ("" for the whole)."""
        return cls([(field, message)])


class Conflict(Exception):
    """The object changed meanwhile so that this write no longer applies (answered twice).
    `str()` is the message for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- Pages -----------------------------------------------------------------------------------


def clean_text(value: str, field: str, max_length: int | None, *, required: bool = True) -> str:
    """Text as every write takes it: trimmed, without NUL (PostgreSQL cannot store it), not
    empty where required, not longer than the column; else `Refused` on `field`."""
    text = value.strip()
    if "\x00" in text:
        raise Refused.on(field, gettext("Null characters are not allowed."))
    if required and not text:
        raise Refused.on(field, gettext("Write something."))
    if max_length is not None and len(text) > max_length:
        raise Refused.on(field, gettext("At most %(count)s characters.") % {"count": max_length})
    return text


def show_refusal(form: BaseForm, refused: Refused, fields: Mapping[str, str] | None = None) -> None:
    """The refusal's errors on the page's form: `fields` maps a service's field name to the
    form's; a field the form does not have is an error of the form as a whole. A message the
    form already shows there is not repeated (two fields of the service may be one field of
    the form)."""
    fields = fields or {}
    for field, message in refused.errors:
        name = fields.get(field, field)
        target = name if name in form.fields else None
        if message not in form.errors.get(target or "__all__", []):
            form.add_error(target, message)


def form_saved(
    form: BaseForm,
    write: Callable[[dict[str, Any]], object],
    fields: Mapping[str, str] | None = None,
) -> bool:
    """Parse the form, then write through `write(form.cleaned_data)` (a service call); its
    refusal is shown on the form (`show_refusal`, with `fields`). Whether it was saved; what
    the write returned is `form.saved`."""
    if not form.is_valid():
        return False
    try:
        form.saved = write(form.cleaned_data)  # type: ignore[attr-defined]
    except Refused as refused:
        show_refusal(form, refused, fields)
        return False
    return True
