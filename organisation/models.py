"""The organisation's settings: one row, read through `organisation.current` (kept in each
process for a few seconds, so that most requests read no row)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import validate_time_zone


class WeekStart(models.IntegerChoices):
    """The day a week starts on, numbered as `date.weekday()` numbers it (Monday is 0)."""

    MONDAY = 0, _("Monday")
    SUNDAY = 6, _("Sunday")
    SATURDAY = 5, _("Saturday")


class OrgSettings(models.Model):
    """The organisation's name, language, time zone and week start; the modules switched off;
    the pilot scope. Module settings with rules of their own (goal, feedback and trust settings)
    stay with their modules and are shown on the same settings pages."""

    name = models.CharField(
        _("organisation name"),
        max_length=100,
        blank=True,
        help_text=_("Shown in the page titles and e-mails. Empty: “Cadence”."),
    )
    language = models.CharField(
        _("default language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("For e-mails and pages of people who have not chosen a language."),
    )
    time_zone = models.CharField(
        _("default time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Given to people added from now on; each person can change their own."),
    )
    week_start = models.PositiveSmallIntegerField(
        _("week starts on"),
        choices=WeekStart.choices,
        default=WeekStart.MONDAY,
        help_text=_("The first day of a calendar week in your organisation."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        help_text=_("The code of the currency costs are given in, as “EUR” or “USD”."),
    )
    # The keys of the modules switched off (`cadence.modules`): their data is kept.
    modules_off = models.JSONField(_("modules switched off"), default=list, blank=True)
    # Cadence runs only in the pilot teams (`PilotTeam`, with the teams within them) when set.
    pilot = models.BooleanField(_("run a pilot in some teams only"), default=False)
    # Talent reviews (`talentreview.rules`): people see their own finalised placement.
    talent_placements_open = models.BooleanField(
        _("people see their own talent review placement"),
        default=False,
        help_text=_(
            "Once a talent review is finalised, each person sees their own placement and its "
            "rationale, and may respond to it."
        ),
    )
    # When the first administrator finished the first-run guide (None: not yet).
    set_up_at = models.DateTimeField(_("set up at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")

    def __str__(self) -> str:
        return str(_("Organisation settings"))

    @property
    def display_name(self) -> str:
        return self.name or "Cadence"


class PilotTeam(models.Model):
    """A team Cadence runs in during a pilot (with the teams within it), and since when: the
    rhythm of people who join the scope starts that day."""

    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, related_name="pilot", verbose_name=_("team")
    )
    since = models.DateField(_("in the pilot since"), default=date.today)

    class Meta:
        verbose_name = _("pilot team")
        verbose_name_plural = _("pilot teams")

    def __str__(self) -> str:
        return f"{self.team} ({self.since})"


class PilotArrival(models.Model):
    """The day someone last moved into the pilot scope (a new team inside it, or their team
    moved under a pilot team) while their team was in it already: their rhythm starts that
    day, not on the day the team joined the pilot (`conversations.scheduling`)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pilot_arrival",
        verbose_name=_("person"),
    )
    since = models.DateField(_("in the pilot since"))

    class Meta:
        verbose_name = _("arrival in the pilot")
        verbose_name_plural = _("arrivals in the pilot")

    def __str__(self) -> str:
        return f"{self.person_id} ({self.since})"
