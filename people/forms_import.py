"""The import page's forms: the file with the system it was exported from, and a column mapping
HR saves for Workday or any other system (`people.models.ImportMapping`). They parse only: the
import's rules are people.importing's and people.presets', the mapping's write people.services'.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people import importing, presets
from people.models import ImportMapping

CUSTOM_PREFIX = f"{presets.CUSTOM}:"


def format_choices(mappings: list[ImportMapping]) -> list[tuple[str, Any]]:
    """The formats to choose from: the Cadence CSV, each system's preset, then the mappings
    saved for other systems (by id)."""
    choices: list[tuple[str, Any]] = [(presets.CADENCE, presets.format_label(presets.CADENCE))]
    choices += [(key, preset.label) for key, preset in presets.PRESETS.items()]
    choices += [
        (f"{CUSTOM_PREFIX}{mapping.pk}", mapping.name)
        for mapping in mappings
        if mapping.system == ImportMapping.System.OTHER
    ]
    return choices


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("Exported from"),
        required=False,  # the Cadence CSV when left out (a script's post)
        help_text=gettext_lazy(
            "The system the file comes from, as it exports people: its own columns, dates and "
            "statuses are read as they are."
        ),
    )
    file = forms.FileField(
        allow_empty_file=True,  # the importer explains what is wrong with an empty file
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("Comma or semicolon separated, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def __init__(self, *args: Any, mappings: list[ImportMapping] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.mappings = {mapping.pk: mapping for mapping in mappings or []}
        chosen = self.fields["format"]
        assert isinstance(chosen, forms.ChoiceField)
        chosen.choices = format_choices(list(self.mappings.values()))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB: split it into several files.")
            )
        return upload

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or presets.CADENCE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("format")
        data["mapping"] = None
        if chosen == presets.WORKDAY.key:
            data["mapping"] = next(
                (m for m in self.mappings.values() if m.system == ImportMapping.System.WORKDAY),
                None,
            )
            if data["mapping"] is None:
                self.add_error(
                    "format",
                    _(
                        "Save the columns of your Workday report first, under “Column "
                        "mappings” below."
                    ),
                )
        elif chosen and chosen.startswith(CUSTOM_PREFIX):
            data["mapping"] = self.mappings.get(int(chosen.removeprefix(CUSTOM_PREFIX)))
            data["format"] = presets.CUSTOM
        return data


def _column(label: Any, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=200)


# The form's column fields, each the field of people.presets it names.
COLUMN_FIELDS = (
    presets.EMAIL,
    presets.NAME,
    presets.FIRST,
    presets.PREFIX,
    presets.LAST,
    presets.EMPLOYEE_ID,
    presets.JOB_TITLE,
    presets.ROLE,
    presets.LEVEL,
    presets.TEAM,
    "manager",
    presets.START,
    presets.LEAVE,
    presets.STATUS,
)


class ImportMappingForm(forms.Form):
    """A system's columns: the name of the column that holds each field, as its export's
    header writes it (in any case)."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy(
            "The system, as the upload form offers it (“Loket”, “Nmbrs”). Saving a name that "
            "exists changes that mapping."
        ),
    )
    system = forms.ChoiceField(
        label=gettext_lazy("For"), choices=ImportMapping.System.choices, initial="custom"
    )
    email = _column(gettext_lazy("Column of the work e-mail address"), required=True)
    name_column = _column(
        gettext_lazy("Column of the full name"),
        gettext_lazy("Or the first and last name columns below."),
    )
    first_name = _column(gettext_lazy("Column of the first name"))
    name_prefix = _column(
        gettext_lazy("Column of the surname prefix"), gettext_lazy("“van der”, “de”: if any.")
    )
    last_name = _column(gettext_lazy("Column of the last name"))
    employee_id = _column(
        gettext_lazy("Column of the employee ID or number"),
        gettext_lazy("Needed when managers are named by theirs."),
    )
    job_title = _column(gettext_lazy("Column of the job title"))
    role = _column(gettext_lazy("Column of the job role"))
    level = _column(gettext_lazy("Column of the level"), gettext_lazy("A whole number."))
    team = _column(gettext_lazy("Column of the team or department"))
    manager = _column(gettext_lazy("Column of the manager"))
    manager_key = forms.ChoiceField(
        label=gettext_lazy("The manager column holds the manager's"),
        choices=[
            ("email", gettext_lazy("e-mail address")),
            ("employee_id", gettext_lazy("employee ID or number")),
        ],
        initial="email",
    )
    start_date = _column(gettext_lazy("Column of the start date"))
    leave_date = _column(
        gettext_lazy("Column of the leave date"), gettext_lazy("The last working day.")
    )
    date_format = forms.ChoiceField(
        label=gettext_lazy("Dates are written as"),
        choices=presets.DATE_FORMAT_CHOICES,
        initial="iso",
    )
    status = _column(gettext_lazy("Column of the status"))
    inactive_statuses = forms.CharField(
        label=gettext_lazy("Statuses of an account turned off"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Separated by commas (“Suspended, Blocked”): they cannot sign in, and have not left."
        ),
    )
    leaver_statuses = forms.CharField(
        label=gettext_lazy("Statuses of someone who left"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Separated by commas (“Terminated”): the leave date column says when; without one, "
            "their account is turned off. Any other status means they work here."
        ),
    )

    FORM_NAMES = {presets.NAME: "name_column"}  # a column field whose form name differs

    @classmethod
    def initial_of(cls, mapping: ImportMapping | None, system: str = "custom") -> dict[str, Any]:
        """The form's values for `mapping`, or the suggestion for a new one (Workday's usual
        columns)."""
        if mapping is None:
            if system != ImportMapping.System.WORKDAY:
                return {"system": system}
            columns = presets.WORKDAY_SUGGESTION
            initial: dict[str, Any] = {
                "name": "Workday",
                "system": system,
                "manager_key": "employee_id",
                "date_format": "mdy_slash",
                "leaver_statuses": "Terminated",
            }
        else:
            columns = mapping.columns
            initial = {
                "name": mapping.name,
                "system": mapping.system,
                "manager_key": mapping.manager_key,
                "date_format": mapping.date_format,
                "inactive_statuses": mapping.inactive_statuses,
                "leaver_statuses": mapping.leaver_statuses,
            }
        for field_name in COLUMN_FIELDS:
            initial[cls.FORM_NAMES.get(field_name, field_name)] = columns.get(field_name, "")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name_column") and not (data.get("first_name") and data.get("last_name")):
            self.add_error(
                "name_column",
                _("Name the column of the full name, or those of the first and last name."),
            )
        if (
            data.get("manager")
            and data.get("manager_key") == "employee_id"
            and not data.get("employee_id")
        ):
            self.add_error(
                "employee_id",
                _("Managers are named by employee ID: name the column of everyone's own."),
            )
        data["columns"] = {
            field_name: data[self.FORM_NAMES.get(field_name, field_name)].strip()
            for field_name in COLUMN_FIELDS
            if data.get(self.FORM_NAMES.get(field_name, field_name), "").strip()
        }
        return data
