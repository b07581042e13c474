"""Every write to goals, shared by the pages and the API: one function per write.

Each takes the viewer and what the page's forms or the API's schemas parsed (as the bound
forms below: they read the values; the rules of the write are here), checks permission
first, takes the goal's row lock for the write, and answers:

- `PermissionDenied` when the viewer may not write (pages and the API load the goal through
  `goals.queries.load_goal` first, so a goal they may not see was a 404 before this);
- `GoalError` (a `cadence.refusals.Refused`) when what was sent is refused: the reasons are on
  the forms it was given, so a page shows them as form errors, and in its `errors`, which the
  API answers as 422 (`cadence.api_kit.written`);
- otherwise what was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can
from cadence import events
from cadence.refusals import Refused
from goals.forms import (
    MAX_KEY_RESULTS,
    AdjustForm,
    AdjustKeyResultForm,
    BaseAdjustKeyResultFormSet,
    BaseKeyResultFormSet,
    BaseTemplateKeyResultFormSet,
    CopyForwardForm,
    GoalForm,
    GoalSettingsForm,
    GoalTemplateForm,
    KeyResultForm,
    describe_changes,
)
from goals.models import (
    Adjustment,
    GoalTemplate,
    KeyResult,
    Kind,
    Objective,
    ProgressUpdate,
    Status,
)
from goals.progress_forms import ProgressUpdateForm
from goals.queries import parent_visible
from goals.rules import CHANGE, SHARE, manages_templates
from people.rules import can_manage_people
from trust import audit

if TYPE_CHECKING:
    from datetime import datetime

    from access.viewer import Viewer
    from people.models import Person


class GoalError(Refused):
    """What was sent is refused; the reasons are on `forms` (the page shows them there) and,
    as `Refused.errors`, named after the forms' fields (the API answers them as 422, with its
    own names for the fields: `goals.api`)."""

    def __init__(self, *forms: BaseForm | BaseFormSet[Any] | None) -> None:
        self.forms = [form for form in forms if form is not None]
        super().__init__(refusals_of(self.forms))


def refusals_of(forms: list[BaseForm | BaseFormSet[Any]]) -> list[tuple[str, str]]:
    """The forms' errors as (dotted field, message): a form's field by its name ("" for the
    form as a whole), a key result's as "key_results.<row>.<field>" ("key_results.<row>" for
    the row, "key_results" for the formset as a whole)."""
    errors: list[tuple[str, str]] = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            for index, row in enumerate(form.forms):
                errors += _errors_of(row, f"key_results.{index}")
            errors += [("key_results", str(error)) for error in form.non_form_errors()]
        else:
            errors += _errors_of(form, "")
    return errors


def _errors_of(form: BaseForm, prefix: str) -> list[tuple[str, str]]:
    pairs = []
    for field, errors in form.errors.get_json_data().items():
        path = prefix if field == "__all__" else ".".join(filter(None, (prefix, field)))
        pairs += [(path, str(error["message"])) for error in errors]
    return pairs


def _author(viewer: Viewer) -> Person:
    if viewer.person is None:
        raise PermissionDenied
    return viewer.person


def _require(viewer: Viewer, goal: Objective) -> Person:
    """Permission first: the viewer may change the goal."""
    if not can(viewer, CHANGE, goal):
        raise PermissionDenied
    return _author(viewer)


def _lock(goal: Objective) -> str | None:
    """Writes to one goal (and its key results) are applied one after the other. Answers its
    status as stored."""
    locked = Objective.objects.select_for_update().filter(pk=goal.pk)
    return locked.values_list("status", flat=True).first()


def _completed(goal: Objective, was: str | None) -> None:
    """Tell of a goal done now (`cadence.events`: webhooks), once the write commits."""
    if goal.status == Status.DONE and was != Status.DONE:
        events.emit(events.GOAL_COMPLETED, goal.pk)


def record_adjustment(
    goal: Objective,
    *,
    reason: str,
    changes: list[dict[str, str]],
    author: Person,
    at: datetime | None = None,
) -> Adjustment:
    """Keep a change to a goal with its reason: the history shows it and the goal counts as
    revisited."""
    at = at or timezone.now()
    Objective.objects.filter(pk=goal.pk).update(last_activity_at=at)
    goal.last_activity_at = at
    return Adjustment.objects.create(
        objective=goal, reason=reason, changes=changes, author=author, created_at=at
    )


# --- Writing a goal -----------------------------------------------------------------------------


def create_goal(
    viewer: Viewer,
    form: GoalForm,
    key_results: BaseKeyResultFormSet,
    *,
    competency_id: int | None = None,
) -> Objective:
    """Write a goal with its key results. Whose goal it may be is the form's owner choice,
    made from the goals rules (`owners_for`): any other owner is refused there. A learning
    goal may develop a competency (`competency_id`: one of the framework's, which the caller
    chose; the goals module links it, knowing nothing of frameworks)."""
    _author(viewer)
    form_ok, results_ok = form.is_valid(), key_results.is_valid()
    if not (form_ok and results_ok):
        raise GoalError(form, key_results)
    if competency_id is not None and form.instance.kind != Kind.LEARNING:
        raise Refused.on("competency", _("Only a learning goal develops a competency."))
    with transaction.atomic():
        form.instance.competency_id = competency_id
        goal = form.save()
        key_results.save_for(goal)
    return goal


# --- Adjusting ----------------------------------------------------------------------------------


def adjust_form(viewer: Viewer, goal: Objective, data: Any = None) -> AdjustForm:
    """The adjust form for this viewer. The rule for what a goal contributes to: only someone
    who may see that goal may change it (nor learn it); for anyone else the goal keeps it."""
    visible_parent = parent_visible(viewer, goal)
    may_share = can(viewer, SHARE, goal)
    return AdjustForm(
        data, instance=goal, viewer=viewer, parent_visible=visible_parent, may_share=may_share
    )


def _asks_hidden_parent(form: AdjustForm) -> bool:
    """A new parent, sent for a goal whose parent the viewer may not see (`adjust_form`)."""
    return "parent" not in form.fields and form.data.get("parent") not in (None, "")


def _asks_sharing(form: AdjustForm) -> bool:
    """Another audience, sent by someone who may change the goal but not share it: the
    manager of a person's goal (`adjust_form`)."""
    asked = form.data.get("visibility")
    return "visibility" not in form.fields and asked not in (None, "", form.instance.visibility)


def only_owner_shares(goal: Objective) -> str:
    owner = goal.owner_person.name if goal.owner_person else ""
    return _("Only %(owner)s decides who sees their goal.") % {"owner": owner}


def asks_changes(form: AdjustForm, key_results: BaseAdjustKeyResultFormSet | None) -> bool:
    """Whether the adjust form asks for any change (before it is validated: a page sent back
    unchanged is "nothing changed", not a missing reason)."""
    return (
        any(name != "reason" for name in form.changed_data)
        or (key_results is not None and key_results.has_changed())
        or _asks_hidden_parent(form)
        or _asks_sharing(form)
    )


def adjust_goal(
    viewer: Viewer,
    goal: Objective,
    form: AdjustForm,
    key_results: BaseAdjustKeyResultFormSet | None = None,
) -> list[dict[str, str]]:
    """Adjust a goal (and its key results' titles, targets and units) with a reason, kept in
    its history. Answers the changes; none when nothing changed (nothing is recorded)."""
    author = _require(viewer, goal)
    form_ok = form.is_valid()
    results_ok = key_results is None or key_results.is_valid()
    if _asks_hidden_parent(form):
        message = _(
            "It contributes to a goal you cannot see; only someone who can see it may change that."
        )
        form.add_error(None, message)
        form_ok = False
    if _asks_sharing(form):
        form.add_error(None, only_owner_shares(goal))
        form_ok = False
    if not (form_ok and results_ok):
        raise GoalError(form, key_results)
    changes = form.changes() if key_results is None else describe_changes(form, key_results)
    if not changes:
        return []
    with transaction.atomic():
        _lock(goal)
        at = timezone.now()
        goal.last_activity_at = at
        form.save()
        if key_results is not None:
            key_results.save_changed()
        record_adjustment(
            goal, reason=form.cleaned_data["reason"], changes=changes, author=author, at=at
        )
    return changes


def set_status(viewer: Viewer, goal: Objective, status: str) -> bool:
    """Change a goal's status (no reason needed). Answers whether it changed."""
    _require(viewer, goal)
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    if status == goal.status:
        return False
    with transaction.atomic():
        was = _lock(goal)
        goal.status = status
        goal.last_activity_at = timezone.now()
        Objective.objects.filter(pk=goal.pk).update(
            status=status, last_activity_at=goal.last_activity_at
        )
        _completed(goal, was)
    return True


# --- Key results ----------------------------------------------------------------------------------


def add_key_result(viewer: Viewer, goal: Objective, form: KeyResultForm, reason: str) -> KeyResult:
    """Add a key result at the end; with a reason, it is kept in the goal's history."""
    author = _require(viewer, goal)
    with transaction.atomic():
        _lock(goal)
        if goal.key_results.count() >= MAX_KEY_RESULTS:
            message = _("A goal has at most %(count)s key results.") % {"count": MAX_KEY_RESULTS}
            form.add_error(None, message)
            raise GoalError(form)
        form.instance.objective = goal
        if not form.is_valid():
            raise GoalError(form)
        result: KeyResult = form.save(commit=False)
        top = max(goal.key_results.values_list("position", flat=True), default=None)
        result.position = 0 if top is None else top + 1
        if result.type == KeyResult.Type.METRIC:
            result.current_value = result.start_value
        result.save()
        if reason:
            change = {"field": _("New key result"), "old": "—", "new": result.title}
            record_adjustment(goal, reason=reason, changes=[change], author=author)
    return result


def adjust_key_result(
    viewer: Viewer, goal: Objective, form: AdjustKeyResultForm, reason: str
) -> list[dict[str, str]]:
    """Adjust one key result's title, target or unit, with a reason kept in the history."""
    author = _require(viewer, goal)
    if form.instance.objective_id != goal.pk:
        raise PermissionDenied
    if not form.is_valid():
        raise GoalError(form)
    label = form.before.get("title") or str(form.instance)
    changes = form.changes(prefix=f"{label}: ")
    if not changes:
        return []
    with transaction.atomic():
        _lock(goal)
        form.save()
        record_adjustment(goal, reason=reason, changes=changes, author=author)
    return changes


# --- Progress -------------------------------------------------------------------------------------


def check_in(viewer: Viewer, goal: Objective, form: ProgressUpdateForm) -> list[ProgressUpdate]:
    """Record a check-in (new values, confidence, comment, status); one without changes still
    counts: the goal is no longer stale."""
    author = _require(viewer, goal)
    if not form.is_valid():
        raise GoalError(form)
    with transaction.atomic():
        was = _lock(goal)
        recorded: list[ProgressUpdate] = form.save(author=author)
        _completed(goal, was)
    return recorded


def copy_forward(viewer: Viewer, goal: Objective, form: CopyForwardForm) -> tuple[Objective, bool]:
    """Close the goal with its final score and copy it to the next period. Answers the copy
    and whether it was made now (False: it had been copied forward already)."""
    author = _require(viewer, goal)
    with transaction.atomic():
        was = _lock(goal)
        existing = Objective.objects.filter(copied_from=goal).first()
        if existing is not None:
            return existing, False
        if not form.is_valid():
            raise GoalError(form)
        copy = form.save(author=author)
        _completed(goal, was)
        return copy, True


# --- Templates and settings -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A form value as the audit log keeps it: a related object by its id."""
    return getattr(value, "pk", value)


def save_template(
    viewer: Viewer,
    form: GoalTemplateForm,
    key_results: BaseTemplateKeyResultFormSet,
) -> GoalTemplate:
    """Write or change a goal template (HR who may manage people)."""
    if not manages_templates(viewer):
        raise PermissionDenied
    form_ok, results_ok = form.is_valid(), key_results.is_valid()
    if not (form_ok and results_ok):
        raise GoalError(form, key_results)
    with transaction.atomic():
        template: GoalTemplate = form.save(commit=False)
        added = template.pk is None
        before = None if added else template.key_results
        template.key_results = key_results.as_json()
        template.save()
        changed = {
            name: [_plain(form.initial.get(name)), _plain(form.cleaned_data[name])]
            for name in form.changed_data
        }
        if before is not None and before != template.key_results:
            changed["key_results"] = [before, template.key_results]
        if added or changed:
            audit.record(
                "goals.template_added" if added else "goals.template_changed",
                actor=viewer.person,
                target=template,
                changes=audit.added({"title": template.title}) if added else changed,
            )
    return template


def save_settings(viewer: Viewer, form: GoalSettingsForm) -> None:
    """The organisation's goal settings (HR who may manage people)."""
    if not can_manage_people(viewer):
        raise PermissionDenied
    if not form.is_valid():
        raise GoalError(form)
    with transaction.atomic():
        settings = form.save()
        changes = {
            name: [form.initial.get(name), form.cleaned_data[name]] for name in form.changed_data
        }
        if changes:
            audit.record(
                "goals.settings_changed", actor=viewer.person, target=settings, changes=changes
            )
