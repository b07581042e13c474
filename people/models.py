"""The organisation: people, their reporting lines, teams and job roles.

Reporting lines and the team tree are stored twice: as a parent link (`manager`, `parent`) and
as a materialised path of ancestor ids (`chain`, `path`). The path lets the visibility policy
ask "is this person below me?" as one indexed prefix match in SQL, at any depth.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import DEFERRED, Q
from django.db.models.base import Deferred
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from people import search

AREAS = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
AREAS |= {"Pacific"}


def time_zone_choices() -> list[tuple[str, str]]:
    """Canonical "Area/City" zones and UTC, without legacy aliases such as "US/Eastern".

    Computed for forms, never stored in migrations: the list depends on the machine's tzdata.
    Read once per process: `available_timezones()` walks the tzdata directory (about 10 ms).
    """
    return list(_time_zone_choices())


@functools.cache
def _time_zone_choices() -> tuple[tuple[str, str], ...]:
    zones = (tz for tz in zoneinfo.available_timezones() if tz.split("/")[0] in AREAS)
    return (("UTC", "UTC"), *sorted((tz, tz.replace("_", " ")) for tz in zones))


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("%(zone)s is not a time zone."), params={"zone": value}) from error


def current_q(prefix: str = "") -> Q:
    """SQL condition: the person (at `prefix`, e.g. "members__") still works here today.

    The leave date is the last working day: on it the person is still current.
    """
    field = f"{prefix}leave_date"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": timezone.localdate()})


def path_of(ancestor_ids) -> str:
    """The materialised path for a list of ids from the top down: [1, 5] -> "/1/5/"."""
    return "/" + "".join(f"{pk}/" for pk in ancestor_ids)


def ids_in(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class Role(models.Model):
    """A job role (e.g. "Software engineer"): what competency maps and career tracks hang on."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name


class TeamQuerySet(models.QuerySet):
    def within(self, team: Team):
        """The team and every team below it."""
        return self.filter(path__startswith=team.path)

    def update(self, **kwargs: Any) -> int:
        if "name" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            search.refresh_team(ids)  # members are found by their team's new name
        return count


class MaterialisedPath:
    """Keeps a model's `path` (ids from the top down to the row, itself included) in step with
    its `parent`; moving a row moves its whole subtree. For teams and aligned goals."""

    @transaction.atomic
    def save(self, *args, **kwargs):
        model = type(self)
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)  # the id is part of the path
            kwargs = {}
        parent_path = (
            model.objects.values_list("path", flat=True).get(pk=self.parent_id)
            if self.parent_id
            else "/"
        )
        self.path = f"{parent_path}{self.pk}/"
        super().save(*args, **kwargs)
        if old_path not in ("/", self.path):
            rebase_paths(model, "path", old_path, self.path)


class Team(MaterialisedPath, models.Model):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_led",
    )
    # Ids from the top team down to this one, this one included: "/1/4/9/".
    path = models.CharField(max_length=1000, editable=False, default="/")

    objects = TeamQuerySet.as_manager()
    # The name as loaded or last saved (see from_db): a rename refreshes the members' search.
    _stored_name: str | Deferred = DEFERRED

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        indexes = [
            models.Index(fields=["path"], name="team_path_idx", opclasses=["varchar_pattern_ops"]),
            # The order of the team tree and of the API's teams list (keyset paging): the
            # index above serves "starts with" only.
            models.Index(fields=["path", "id"], name="team_path_order_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:team", args=[self.pk])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @transaction.atomic
    def save(self, *args: Any, **kwargs: Any) -> None:  # typed for people.services
        update_fields = kwargs.get("update_fields")
        saves_name = update_fields is None or "name" in update_fields
        renamed = saves_name and self.pk is not None and self.name != self._stored_name
        super().save(*args, **kwargs)
        if renamed:
            search.refresh_team([self.pk])  # members are found by their team's new name
        if saves_name:
            self._stored_name = self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        team = super().from_db(db, field_names, values)
        team._stored_name = team.__dict__.get("name", DEFERRED)
        return team

    def clean(self) -> None:
        parent = self.parent
        if parent is not None and self.pk and f"/{self.pk}/" in parent.path:
            raise ValidationError(
                {"parent": _("A team cannot be part of itself or of one of its sub-teams.")}
            )


class PersonQuerySet(models.QuerySet["Person"]):
    """A person's e-mail address is their sign-in: it changes only when confirmed from the new
    address (accounts.email_change, which saves one person at a time). Bulk writes that would
    skip that are refused."""

    def update(self, **kwargs: Any) -> int:
        if "email" in kwargs:
            raise ValueError(
                "A person's e-mail address changes only through accounts.email_change."
            )
        if not search.SOURCE_FIELDS.intersection(kwargs) and "team_id" not in kwargs:
            return super().update(**kwargs)
        # What the directory search reads changes: work it out again for those people.
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            people = Person.objects.filter(pk__in=ids).select_related("team")
            people = people.only("name", "email", "job_title", "team__name", "search_text")
            Person.objects.bulk_update(search.refresh(people), ["search_text"], batch_size=500)
        return count

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        # django-stubs types `objs` by a type variable of its own that a subclass cannot bind.
        people: list[Any] = search.refresh(objs)
        return super().bulk_create(people, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Person], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        fields = list(fields)
        if "email" in fields:
            raise ValueError(
                "A person's e-mail address changes only through accounts.email_change."
            )
        if search.SOURCE_FIELDS.intersection(fields):
            # The search text is worked out from what the objects hold: all of its sources.
            objs = _with_search_sources(list(objs))
            fields.append("search_text")
        # django-stubs types `objs` by a type variable of its own that a subclass cannot bind.
        return super().bulk_update(objs, fields, *args, **kwargs)  # type: ignore[arg-type]


if TYPE_CHECKING:
    # To the checker a plain user manager: PersonQuerySet only guards two of QuerySet's writes,
    # with QuerySet's own signatures (django-stubs loses the model through from_queryset here).
    _PersonManagerBase = BaseUserManager["Person"]
else:
    _PersonManagerBase = BaseUserManager.from_queryset(PersonQuerySet)


class PersonManager(_PersonManagerBase):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an e-mail address.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def current(self) -> models.QuerySet[Person]:
        """People who work here today (a leave date today or later still counts)."""
        return self.filter(current_q())

    def below(self, person: Person) -> models.QuerySet[Person]:
        """Everyone who reports to `person`, directly or further down."""
        return self.filter(chain__startswith=person.subtree_prefix)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone in the organisation; also the account they sign in with."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.ForeignKey(
        Role, verbose_name=_("role"), null=True, blank=True, on_delete=models.SET_NULL
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    # Ids of the management chain from the top down to the direct manager: "/1/5/".
    chain = models.CharField(max_length=1000, default="/", editable=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    leave_date = models.DateField(_("leave date"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Administers the installation. Grants no access to people's data."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Name, e-mail address, job title and team's name, normalised for the directory search
    # (people.search, which indexes it); kept in step by save, the bulk writes and team renames.
    search_text = models.TextField(default="", editable=False)
    # Erasure (`trust.erasure`): while a legal hold is on, nothing about the person is
    # anonymised, however long ago they left; HR sets and lifts it with a reason (the audit log
    # keeps each). `anonymised_at`: when their name, address and what they wrote were replaced.
    legal_hold = models.BooleanField(_("legal hold"), default=False, editable=False)
    legal_hold_reason = models.CharField(
        _("reason for the legal hold"), max_length=300, blank=True, editable=False
    )
    legal_hold_since = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = PersonManager()
    # Set only by accounts.email_change while it saves a confirmed new address.
    _email_change_confirmed: bool
    # As loaded or last saved (see from_db); DEFERRED when not known.
    _stored_email: str | Deferred

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(
                fields=["chain"], name="person_chain_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["name"], name="person_name_idx"),
            # The administrators, by name (who can see the audit log, on My data): a handful
            # among every person.
            models.Index(fields=["name"], name="person_staff_idx", condition=Q(is_staff=True)),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person", args=[self.pk])

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    def _get_session_auth_hash(self, secret=None):
        # Django derives it from the password alone; with the address too, a confirmed change
        # of e-mail (accounts.email_change) ends every session, as a new password does.
        key_salt = "people.Person.get_session_auth_hash"
        value = f"{self.password}\x00{self.email}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p[:1].isalpha()]
        if not parts:
            return self.email[:1].upper()
        if len(parts) == 1:
            return parts[0][:2].upper()
        return (parts[0][0] + parts[-1][0]).upper()

    @property
    def avatar_hue(self) -> int:
        """A stable colour for the initials badge, derived from the e-mail address."""
        return sum(map(ord, self.email)) * 37 % 360

    @property
    def subtree_prefix(self) -> str:
        """The chain prefix that everyone below this person shares."""
        return f"{self.chain}{self.pk}/"

    @property
    def chain_ids(self) -> list[int]:
        return ids_in(self.chain)

    @property
    def effective_language(self) -> str:
        """The language to write to them in: their own, or the organisation's."""
        if self.language:
            return self.language
        from organisation import current

        return current.settings().language

    @property
    def local_zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone, for their e-mail, meeting times and calendar; UTC when it
        is unset or unknown to this machine's tzdata."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_today(self, now: datetime | None = None) -> date:
        """The date where the person is (at `now`, by default now): schedules, due dates and
        reminders are in their own calendar."""
        return (now or timezone.now()).astimezone(self.local_zone).date()

    @property
    def has_left(self) -> bool:
        return self.leave_date is not None and self.leave_date < timezone.localdate()

    def manages(self, other: Person) -> bool:
        """True when `other` reports to this person, directly or further down."""
        return other.pk != self.pk and other.chain.startswith(self.subtree_prefix)

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
        if self.manager_id and self.pk:
            if self.manager_id == self.pk:
                raise ValidationError({"manager": _("A person cannot be their own manager.")})
            manager = self.manager
            if manager is not None and manager.chain.startswith(self.subtree_prefix):
                raise ValidationError(
                    {
                        "manager": _(
                            "%(name)s reports to this person already: that would be a cycle."
                        )
                        % {"name": manager.name}
                    }
                )
        if self.start_date and self.leave_date and self.leave_date < self.start_date:
            raise ValidationError({"leave_date": _("The leave date is before the start date.")})

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        # The manager and address as stored, so that a save knows when they change (it tells
        # the person; accounts.email_change refuses an unconfirmed address) without a query.
        person._stored_manager_id = person.__dict__.get("manager_id", DEFERRED)
        person._stored_email = person.__dict__.get("email", DEFERRED)
        return person

    @transaction.atomic
    def save(self, *args: Any, **kwargs: Any) -> None:
        from people.reporting import announce_manager_changes

        stored_manager_id = getattr(self, "_stored_manager_id", DEFERRED)
        update_fields = kwargs.get("update_fields")
        saves_manager = update_fields is None or "manager" in update_fields
        old_prefix = self.subtree_prefix if self.pk else None
        if self.manager_id:
            cached = Person._meta.get_field("manager").is_cached(self)
            manager_chain = (
                self.manager.chain
                if cached and self.manager is not None
                else Person.objects.values_list("chain", flat=True).get(pk=self.manager_id)
            )
            self.chain = f"{manager_chain}{self.manager_id}/"
        else:
            self.chain = "/"
        if update_fields is None or search.SOURCE_FIELDS.intersection(update_fields):
            search.refresh([self])
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        if old_prefix and old_prefix != self.subtree_prefix:
            rebase_paths(Person, "chain", old_prefix, self.subtree_prefix)
        if saves_manager:
            if not isinstance(stored_manager_id, Deferred) and stored_manager_id != self.manager_id:
                announce_manager_changes([(self.pk, stored_manager_id, self.manager_id)])
            self._stored_manager_id = self.manager_id
        if update_fields is None or "email" in update_fields:
            self._stored_email = self.email


def _with_search_sources(people: list[Person]) -> list[Person]:
    """`people` with a fresh `search_text`; fields of the search that were not loaded (a bulk
    update of some fields only) are read first, in one query."""
    missing = {
        field
        for person in people
        for field in ("name", "email", "job_title", "team_id")
        if field not in person.__dict__
    }
    if missing:
        stored = Person.objects.in_bulk([p.pk for p in people])
        for person in people:
            for field in missing:
                if field not in person.__dict__:
                    setattr(person, field, getattr(stored[person.pk], field))
    return search.refresh(people)


def rebase_paths(model, field: str, old_prefix: str, new_prefix: str) -> None:
    """Move a whole subtree: replace `old_prefix` by `new_prefix` in every path below it."""
    rows = list(model.objects.filter(**{f"{field}__startswith": old_prefix}).only("pk", field))
    for row in rows:
        setattr(row, field, new_prefix + getattr(row, field)[len(old_prefix) :])
    model.objects.bulk_update(rows, [field], batch_size=500)


@receiver(pre_delete, sender=Team)
def _remember_members(sender: type[Team], instance: Team, **kwargs: Any) -> None:
    """A team about to go: its members lose it (SET_NULL, a bulk update that `save` never sees),
    so their search text is refreshed afterwards (`_forget_the_name`)."""
    members = Person.objects.filter(team=instance).values_list("pk", flat=True)
    instance._member_ids = list(members)  # type: ignore[attr-defined]


@receiver(post_delete, sender=Team)
def _forget_the_name(sender: type[Team], instance: Team, **kwargs: Any) -> None:
    """Members are no longer found by the name of a team that is gone."""
    members = Person.objects.filter(pk__in=getattr(instance, "_member_ids", []))
    members = members.select_related("team").only(
        "name", "email", "job_title", "team__name", "search_text"
    )
    Person.objects.bulk_update(search.refresh(members), ["search_text"], batch_size=500)


class ImportMapping(models.Model):
    """How to read an HR system's export that Cadence has no preset for, saved once by HR
    (`people.presets.from_mapping`): which column holds each field, its dates' format, and how
    it names managers. Workday's is the one with `system` "workday"; any other system's has a
    name of its own. The organisation's settings: no one's personal data."""

    class System(models.TextChoices):
        WORKDAY = "workday", "Workday"
        OTHER = "custom", _("Another system")

    class ManagerKey(models.TextChoices):
        EMAIL = "email", _("by e-mail address")
        EMPLOYEE_ID = "employee_id", _("by employee ID or number")

    name = models.CharField(_("name"), max_length=120, unique=True)
    system = models.CharField(
        _("system"), max_length=20, choices=System.choices, default=System.OTHER
    )
    # field (people.presets: "email", "name", "first_name", "manager"…) -> the column's name
    columns = models.JSONField(_("columns"), default=dict)
    date_format = models.CharField(_("dates"), max_length=20, default="iso")
    manager_key = models.CharField(
        _("managers named"), max_length=20, choices=ManagerKey.choices, default=ManagerKey.EMAIL
    )
    inactive_statuses = models.CharField(
        _("statuses of an account turned off"), max_length=300, blank=True
    )
    leaver_statuses = models.CharField(
        _("statuses of someone who left"), max_length=300, blank=True
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["system"], condition=Q(system="workday"), name="one_workday_mapping"
            )
        ]

    def __str__(self):
        return self.name
