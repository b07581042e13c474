"""Roles that widen what someone may see beyond themselves and their reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HRRole(models.Model):
    """Membership of the people team, for the whole organisation or one part of it.

    HR sees organisation data (profiles, employment details, later cycles and aggregates) for
    the people in its scope; never items a person kept private. Administrators do not get
    this by being administrators: it has to be granted.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="hr_role",
    )
    scope = models.ForeignKey(
        "people.Team",
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the whole organisation; otherwise this team and below."),
    )
    can_manage_people = models.BooleanField(
        _("may manage people"),
        default=True,
        help_text=_("Add and edit people and teams, import from CSV, mark leavers."),
    )

    class Meta:
        verbose_name = _("HR role")
        verbose_name_plural = _("HR roles")

    def __str__(self) -> str:
        return str(self.person)
