"""Form widgets written in Python, byte for byte what Django's widget templates give
(`conversations/tests/test_widgets.py` and `plans/tests/test_plan_widgets.py` compare them):
each of the conversation page's eight widgets went through the form renderer's templates (an
include per attribute list, one per option), 0.3-0.6 ms each, some 3.5 ms of the page, and the
development plan's thirteen fields some 12 ms; written here, a few microseconds. For the pages
whose forms are shown on every request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (text, date, time)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    shown = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{shown}</textarea>"
    )


def _select(widget: dict[str, Any]) -> str:
    """django/forms/widgets/select.html, its options select_option.html."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _checkboxes(widget: dict[str, Any]) -> str:
    """django/forms/widgets/checkbox_select.html: multiple_input.html, each option
    checkbox_option.html (input_option.html, input.html), the included files' line ends
    kept as the includes keep them."""
    attrs = widget["attrs"]
    box_id, classes = attrs.get("id"), attrs.get("class")
    out = [
        "<div",
        f' id="{conditional_escape(box_id)}"' if box_id else "",
        f' class="{conditional_escape(classes)}"' if classes else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            box = _input(option) + "\n"
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
                box = f"<label{label_for}>{box} {conditional_escape(option['label'])}</label>"
            out.append(f"<div>\n    {box}\n\n</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


class _InPython:
    """A widget that writes its HTML in Python (as its template would), given the default form
    renderer's templates."""

    write: Any

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        context = self.get_context(name, value, attrs)  # type: ignore[attr-defined]
        return mark_safe(type(self).write(context["widget"]))  # noqa: S308 - escaped above


class TextInput(_InPython, forms.TextInput):
    write = staticmethod(_input)


class Textarea(_InPython, forms.Textarea):
    write = staticmethod(_textarea)


class Select(_InPython, forms.Select):
    write = staticmethod(_select)


class NumberInput(_InPython, forms.NumberInput):
    write = staticmethod(_input)


class CheckboxSelectMultiple(_InPython, forms.CheckboxSelectMultiple):
    write = staticmethod(_checkboxes)


class DateInput(_InPython, forms.DateInput):
    write = staticmethod(_input)


class CheckboxInput(_InPython, forms.CheckboxInput):
    write = staticmethod(_input)  # checkbox.html is input.html (`checked` among the attrs)


class TimeInput(_InPython, forms.TimeInput):
    write = staticmethod(_input)
