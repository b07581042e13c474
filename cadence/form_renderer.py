"""The form renderer: Django's own, with its commonest widget templates' includes inlined.

Django renders a widget through nested includes: a text box is `text.html`, which includes
`input.html`, which includes `attrs.html`; a choice list includes a template per option, and a
list of check boxes three per box. Each include costs a template lookup and a copy of the
context, and a page's form fields were a good part of its rendering (a select of 40 options:
5.8 ms, 3.5 ms inlined). This renderer builds, once per process, Django's own templates with
those includes replaced by the text they include (`inlined_templates`), so it follows the
Django installed; a template whose include it does not find as expected is left as Django
wrote it. Everything else (the other widgets, ours, the admin's) is found where Django's
renderer finds it. `cadence/tests/test_form_renderer.py` renders every kind of widget both
ways and compares them byte for byte.
"""

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

WIDGETS = "django/forms/widgets/"
DJANGO_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"
INPUTS = [
    "text.html",
    "number.html",
    "email.html",
    "url.html",
    "password.html",
    "hidden.html",
    "date.html",
    "datetime.html",
    "time.html",
    "search.html",
    "tel.html",
    "color.html",
    "checkbox.html",
]
# How Django's choice widgets include each option's template.
OPTION = "{% include option.template_name with widget=option %}"


def _include(name: str) -> str:
    return f'{{% include "{WIDGETS}{name}" %}}'


def _read(name: str) -> str:
    return (DJANGO_TEMPLATES / WIDGETS / name).read_text(encoding="utf-8")


def _inline(text: str, name: str, content: str) -> str | None:
    """`text` with its include of widget template `name` replaced by `content`; None when it
    has no such include (a Django whose templates changed: the template is then left alone)."""
    include = _include(name)
    return text.replace(include, content) if include in text else None


def _option_inlined(text: str, names: list[str], content: str) -> str | None:
    """`text` (a choice widget) with each option's include replaced by `content` when the
    option's template is one of `names` (Django's), and kept for any other."""
    if OPTION not in text:
        return None
    test = " or ".join(f'option.template_name == "{WIDGETS}{name}"' for name in names)
    inlined = f"{{% if {test} %}}{{% with widget=option %}}{content}{{% endwith %}}"
    return text.replace(OPTION, f"{inlined}{{% else %}}{OPTION}{{% endif %}}")


def inlined_templates() -> dict[str, str]:
    """Django's widget templates whose includes could be inlined: {template name: text}."""
    found: dict[str, str | None] = {}
    attrs = _read("attrs.html")
    input_ = _inline(_read("input.html"), "attrs.html", attrs)
    found["input.html"] = input_
    if input_ is not None:
        for name in INPUTS:
            found[name] = _inline(_read(name), "input.html", input_)
    found["textarea.html"] = _inline(_read("textarea.html"), "attrs.html", attrs)
    option = _inline(_read("select_option.html"), "attrs.html", attrs)
    select = _inline(_read("select.html"), "attrs.html", attrs)
    if option is not None and select is not None:
        found["select.html"] = _option_inlined(select, ["select_option.html"], option)
    # A check box or radio button in a list: its option template includes input_option.html
    # and ends a line.
    boxes = ["checkbox_option.html", "radio_option.html"]
    input_option = _inline(_read("input_option.html"), "input.html", input_ or "")
    if (
        input_ is not None
        and input_option is not None
        and all(_read(name) == _include("input_option.html") + "\n" for name in boxes)
    ):
        multiple = _option_inlined(_read("multiple_input.html"), boxes, input_option + "\n")
        found["multiple_input.html"] = multiple
        if multiple is not None:
            for name in ["checkbox_select.html", "radio.html"]:
                found[name] = _inline(_read(name), "multiple_input.html", multiple)
    return {WIDGETS + name: text for name, text in found.items() if text is not None}


class FormRenderer(DjangoTemplates):
    """Django's renderer (`DjangoTemplates`), its widget templates inlined, kept per process."""

    @cached_property
    def engine(self) -> Any:
        loaders = [
            ("django.template.loaders.locmem.Loader", inlined_templates()),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ]
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [DJANGO_TEMPLATES],
                "NAME": "djangoforms",
                "OPTIONS": {"loaders": [("django.template.loaders.cached.Loader", loaders)]},
            }
        )
