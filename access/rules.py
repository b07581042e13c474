"""The registry of rules: one door for every read and write of a protected object.

Each domain declares who may see and do what in its own `<app>/rules.py`, one `Rules` class per
protected model, all of one shape::

    from access import relations
    from access.rules import Rules, register

    @register
    class GoalRules(Rules):
        model = Objective
        actions = ("view", "change")     # "view" always; every action a page or API asks

        def visible(self, viewer, queryset, action="view"):  # the SQL filter, per action
            ...
        def can(self, viewer, action, obj):                 # the same rule, for one object
            ...
        def who(self, obj, action="view"):                  # who may: groups of people by
            ...                                             # role, from the same relations
        def who_can(self, obj, action="view"):              # in words, from the same rules
            ...
        def min_group_size(self, obj=None):                 # where it shows aggregates
            return None                                     # (e.g. a 360 report's threshold)

The app's `AppConfig.ready()` imports its `rules` module (the registration is the import).
Rules are written with `access.relations` (self, reports, management chain, teams, HR scope,
participants) and are asked only for a signed-in viewer and an action they declare: this
module answers "nothing" to anyone signed out and refuses an unknown action (a typo must not
quietly deny or allow). `access/tests/test_rules_agree.py` checks, for every registered model,
every action and every role, that `visible` and `can` agree, so a new registration is tested
the moment it exists, on the objects the app adds in its `tests/population.py`.

Pages and the API never compose visibility themselves; they ask here:

- `get_visible_or_404(viewer, Model, pk, action)`: the one way to load a protected object
  (404 when the viewer may not see it, 403 when they may see but not do `action`);
- `visible(viewer, Model or queryset, action)`: what a list may show, in SQL;
- `can(viewer, action, obj)`: a decision on an object already loaded (through the above);
- `who(obj, action)`: who may, as groups of people by role ("Bob Jansen, your manager"; "HR for
  Engineering: 3 people"), derived from the same relations (`access.who`); `who_of(objects,
  action)` for many objects at once, in a fixed number of queries;
- `who_can(obj, action)`: the "who can see this" text;
- `read(viewer, obj, action)` and `shown(viewer, objects)`: what a page shows besides what
  it loaded with `get_visible_or_404`, for the access log (`access.reads`);
- `min_group_size(Model, obj=None)`: the smallest group an aggregate may show (of one
  object's, where it depends on the object: a 360 report keeps its cycle's threshold).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from access import reads
from access import who as _who
from access.who import Group

if TYPE_CHECKING:
    from collections.abc import Sequence

    from access.viewer import Viewer
    from people.models import Person

VIEW = "view"

ModelT = TypeVar("ModelT", bound=Model)
QuerySetT = TypeVar("QuerySetT", bound="QuerySet[Any]")


@dataclass(frozen=True)
class Audience(Generic[ModelT]):
    """One group of people an object may be shown to, for rules written as a table of audiences
    (goals, feedback): the group in SQL (`q`), for one loaded object (`holds`), and the people
    in it for one object (`who`, "who can see this"), each from the same relation."""

    name: str
    q: Callable[[Viewer], Q]
    holds: Callable[[Viewer, ModelT], bool]
    who: Callable[[ModelT], list[Group]]


class Rules(Generic[ModelT]):
    """Who may see and do what with one model. Subclass it in the app's `rules.py`, as
    `Rules[TheModel]`."""

    model: ClassVar[type[Model]]
    # The actions asked about objects of this model: "view" first, then e.g. "change".
    actions: ClassVar[tuple[str, ...]] = (VIEW,)
    # What `can` and `who` read of an object for the actions the catalogue's kinds of the
    # model ask, with what the words of `who`'s groups read (a person's name, their team's):
    # fields, following relations with "__" ("employee__team__path"; a relation alone is its
    # id) and lists of related objects ("shares"). Objects equal in these are seen by the
    # same people: My data asks once per distinct set of values (`access.audiences`), about
    # an object holding only them; reading anything else from it raises, and
    # `access/tests/test_reads.py` checks every kind. None: My data loads every object.
    reads: ClassVar[tuple[str, ...] | None] = None

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        """`queryset` narrowed, in SQL, to the objects the viewer may `action`."""
        raise NotImplementedError

    def can(self, viewer: Viewer, action: str, obj: ModelT) -> bool:
        """The same rule for one object, decided in Python from what is loaded."""
        raise NotImplementedError

    def who(self, obj: ModelT, action: str = VIEW) -> list[Group]:
        """Who may `action` this object: groups of people by role, built from the inverses of
        the relations `visible` and `can` use (`access.relations`), so that `can` holds for
        exactly the people in them (a generic test checks it). Not loaded yet: ask
        `access.rules.who`, which loads them."""
        raise NotImplementedError

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        """`queryset` loading what `who` reads of its objects (`select_related`,
        `prefetch_related`), so that asking about many costs no query per object."""
        return queryset

    def who_can(self, obj: ModelT, action: str = VIEW) -> str:
        """Who may `action` this object, in words for the person it is about: by default the
        roles and names of `who`."""
        return _who.in_words(who(obj, action))

    def min_group_size(self, obj: ModelT | None = None) -> int | None:
        """Where the module shows aggregates of these objects (counts, averages, a 360
        report): the fewest people a figure may stand for, e.g. the organisation's anonymity
        threshold; for `obj`, where it depends on the object (a 360 report: its cycle's).
        None where it shows none."""
        return None


_registry: dict[type[Model], Rules[Any]] = {}
RulesClassT = TypeVar("RulesClassT", bound="type[Rules[Any]]")


def register(rules_class: RulesClassT) -> RulesClassT:
    """Class decorator: `rules_class` decides for its model from now on."""
    model = rules_class.model
    if model in _registry and type(_registry[model]) is not rules_class:
        raise ValueError(f"{model.__name__} already has rules: {type(_registry[model]).__name__}")
    if not rules_class.actions or rules_class.actions[0] != VIEW:
        raise ValueError(f"{rules_class.__name__}.actions must start with {VIEW!r}")
    _registry[model] = rules_class()
    return rules_class


def registered() -> list[Rules[Any]]:
    """Every registered rules object, for the generic tests."""
    return list(_registry.values())


def rules_for(model: type[Model]) -> Rules[Any]:
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"No rules are registered for {model.__name__}") from None


def _checked(rules: Rules[Any], action: str) -> str:
    if action not in rules.actions:
        raise ValueError(f"{type(rules).__name__} knows no action {action!r}: {rules.actions}")
    return action


@overload
def visible(viewer: Viewer, model_or_queryset: QuerySetT, action: str = VIEW) -> QuerySetT: ...
@overload
def visible(
    viewer: Viewer, model_or_queryset: type[ModelT], action: str = VIEW
) -> QuerySet[ModelT]: ...
def visible(
    viewer: Viewer, model_or_queryset: type[Model] | QuerySet[Any], action: str = VIEW
) -> QuerySet[Any]:
    """The objects the viewer may `action`, in SQL: `visible(viewer, Objective)`, or narrowing
    a queryset: `visible(viewer, Objective.objects.filter(owner_person=someone))`."""
    if isinstance(model_or_queryset, QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        queryset = model._default_manager.all()
    rules = rules_for(model)
    _checked(rules, action)
    if not viewer.is_authenticated:
        return queryset.none()
    return rules.visible(viewer, queryset, action)


def can(viewer: Viewer, action: str, obj: Model) -> bool:
    """May the viewer `action` this object? Asks the rules of the object's model."""
    rules = rules_for(type(obj))
    _checked(rules, action)
    return viewer.is_authenticated and rules.can(viewer, action, obj)


def who_can(obj: Model, action: str = VIEW) -> str:
    rules = rules_for(type(obj))
    return rules.who_can(obj, _checked(rules, action))


def who(obj: Model, action: str = VIEW) -> list[Group]:
    """Who may `action` this object: groups of people by role, loaded (`access.who`)."""
    return who_of([obj], action)[0]


def who_of(objects: Sequence[Model], action: str = VIEW) -> list[list[Group]]:
    """`who` for each of many objects (of any models), loaded together: a fixed number of
    queries however many objects (load them with `for_who`)."""
    return who_asked([(obj, action) for obj in objects])


def who_asked(questions: Sequence[tuple[Model, str]]) -> list[list[Group]]:
    """`who` for many (object, action) questions, loaded together as `who_of` does."""
    answers = []
    for obj, action in questions:
        rules = rules_for(obj.__class__)  # the model also of a lazy object (request.user)
        answers.append(rules.who(obj, _checked(rules, action)))
    return _who.resolve(answers)


def who_sees(obj: Model, reader: Person | None, action: str = VIEW) -> _who.WhoSees:
    """Who may `action` this object, for a page to show `reader` (the include
    `cadence/who_sees.html`): "Bob Jansen — your manager"."""
    return _who.who_sees(who_of([obj], action), reader)


def for_who(queryset: QuerySetT) -> QuerySetT:
    """`queryset` loading what its model's rules read to answer `who`."""
    return rules_for(queryset.model).for_who(queryset)


def min_group_size(model: type[Model], obj: Model | None = None) -> int | None:
    """The fewest people an aggregate of `model`'s objects (of `obj`, when given) may stand
    for (None: no limit declared, the module shows no aggregates of them)."""
    return rules_for(model).min_group_size(obj)


def get_visible_or_404(
    viewer: Viewer,
    model: type[ModelT],
    pk: Any,
    action: str = VIEW,
    *,
    queryset: QuerySet[ModelT] | None = None,
) -> ModelT:
    """The object with this id, loaded for the viewer to `action`: 404 when they may not
    see it (as if it did not exist), 403 when they may see it but not `action` it.

    `queryset` (of `model`) says what to load with it (`select_related`, annotations). The
    check runs on the loaded object, so it costs no query beyond what the rule reads.
    """
    _checked(rules_for(model), action)
    queryset = model._default_manager.all() if queryset is None else queryset
    return allowed_or_404(viewer, model, queryset.filter(pk=pk).first(), action)


def allowed_or_404(
    viewer: Viewer, model: type[ModelT], obj: ModelT | None, action: str = VIEW
) -> ModelT:
    """`get_visible_or_404`'s checks (and its `read`) on an object the page loaded itself
    (None: not found), e.g. with SQL it keeps (`cadence.waiting.kept_rows`)."""
    rules = rules_for(model)
    _checked(rules, action)
    if obj is None or not can(viewer, VIEW, obj):
        raise Http404
    if action != VIEW and not rules.can(viewer, action, obj):
        raise PermissionDenied
    read(viewer, obj, action)
    return obj


def read(viewer: Viewer, obj: Model, action: str = VIEW) -> None:
    """Every protected object a page or endpoint loads passes here, after the checks allowed
    it: the access log ("who looked at my data", `access.reads`) records which kinds of whose
    personal data it shows. `get_visible_or_404` calls it; a page calls it itself for what it
    shows besides the object it loaded: `read(viewer, person, "view_employment")` where the
    person's page shows their employment details, `read(viewer, ask.request)` where an ask
    shows its request. `action` is what the viewer was allowed: kinds decided by "view" and
    by `action` are recorded."""
    reads.note_read(viewer, obj, action)


def shown(viewer: Viewer, objects: Iterable[Model], action: str = VIEW) -> None:
    """A page or endpoint shows these objects in a list (already loaded, as it shows them):
    the access log records one entry per person and kind, with how many. Aggregates (counts,
    averages, rhythm health) are not shown objects: they pass nothing here."""
    reads.note_shown(viewer, objects, action)
