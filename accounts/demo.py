"""The demo organisation's personas, for the "sign in as" picker in demo mode."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from access.models import HRRole
from people.models import Person


@dataclass
class Persona:
    label: str
    person: Person


def demo_personas() -> list[Persona]:
    """An employee, a manager, a leader, HR and an administrator, found in the data.

    A handful of small queries; only used on the sign-in page in demo mode.
    """
    current = Person.objects.current().filter(is_active=True)
    found: list[Persona] = []
    seen: set[int] = set()

    def add(label, person):
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            found.append(Persona(label, person))

    hr = HRRole.objects.filter(scope__isnull=True, person__in=current).select_related("person")
    hr_ids = list(hr.values_list("person_id", flat=True))
    people = current.exclude(pk__in=hr_ids).filter(is_staff=False).select_related("team")
    leader = (
        people.filter(manager__isnull=False)
        .annotate(n=Count("reports__reports", filter=Q(reports__isnull=False)))
        .filter(n__gt=0)
        .order_by("chain", "pk")
        .first()
    ) or people.filter(manager__isnull=True).first()
    add(_("Leader"), leader)
    manager = (
        people.exclude(pk__in=[leader.pk] if leader else [])
        .annotate(n=Count("reports"))
        .filter(n__gte=3)
        .order_by("-chain", "pk")
        .first()
    )
    add(_("Manager"), manager)
    if manager is not None:
        add(
            _("Employee"),
            people.filter(manager=manager, reports__isnull=True).order_by("pk").first(),
        )
    first_hr = hr.order_by("pk").first()
    add(_("HR"), first_hr.person if first_hr else None)
    add(_("Administrator"), current.filter(is_staff=True).order_by("pk").first())
    return found
