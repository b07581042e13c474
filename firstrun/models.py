"""The first run of an installation: one row (pk=1), made when the first set-up code is
printed (`manage.py setup_code`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FirstRun(models.Model):
    """The set-up code that claims a fresh installation (stored hashed, gone once used), who
    claimed it, and HR's "Getting started" checklist: the items ticked by hand (a choice that
    leaves no trace of its own, such as keeping the default rhythm) and when it was put away.

    An installation that was never claimed with a code (the demo, one set up before the guide
    existed) has no claimed row: no checklist, and Home never sends anyone to the guide."""

    # A keyed hash of the code (`firstrun.codes`), "" when there is none or it was used.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The keys of the checklist's items ticked by hand (`firstrun.checklist.STEPS`).
    confirmed = models.JSONField(default=list, blank=True)
    dismissed_at = models.DateTimeField(_("checklist put away at"), null=True, blank=True)

    class Meta:
        verbose_name = _("first run")
        verbose_name_plural = _("first run")

    def __str__(self) -> str:
        return str(_("First run"))
