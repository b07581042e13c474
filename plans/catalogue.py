"""The kinds of personal data the plans module holds (`access.catalogue`): a person's
development plan, its actions, whom they shared it with, and when it was active. Who sees each
is `plans.rules`' answer: the plan, its actions and shares the owner, their current manager and
whom they shared it with; when it was active, also HR in scope."""

from django.utils.translation import gettext_lazy as _

from access.catalogue import DataKind, Export, register
from plans.models import Plan, PlanAction, PlanActivePeriod, PlanShare


def _plan(person) -> Plan:
    return Plan(person=person)


def _action(person) -> PlanAction:
    return PlanAction(plan=Plan(person=person), title="")


def _share(person) -> PlanShare:
    return PlanShare(plan=Plan(person=person))


def _period(person) -> PlanActivePeriod:
    return PlanActivePeriod(plan=Plan(person=person))


register(
    DataKind(
        "plans.plan",
        _("Your development plan"),
        Plan,
        subject="person",
        module="growth",
        description=_("Your ambition, the step you aim for and the competencies you focus on."),
        export=Export(
            (
                "ambition",
                "target_track",
                "target_level",
                "focus",
                "created_at",
                "updated_at",
            )
        ),
        example=_plan,
    ),
    DataKind(
        "plans.actions",
        _("Your development plan’s actions"),
        PlanAction,
        subject="plan__person",
        module="growth",
        export=Export(
            (
                "kind",
                "title",
                "status",
                "due_date",
                "support",
                "cost",
                "manager_comment",
                "support_confirmed_at",
                "support_confirmed_by__name",
                "created_at",
                "updated_at",
            )
        ),
        example=_action,
    ),
    DataKind(
        "plans.shares",
        _("Whom you shared your development plan with"),
        PlanShare,
        subject="plan__person",
        module="growth",
        export=Export(("person__name", "created_at")),
        example=_share,
    ),
    DataKind(
        "plans.active_periods",
        _("When your development plan was active"),
        PlanActivePeriod,
        subject="plan__person",
        module="growth",
        description=_(
            "Whether your plan was active, and when: HR sees this (not what the plan says)."
        ),
        export=Export(("start", "end")),
        example=_period,
    ),
)
