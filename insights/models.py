"""Insights' figures, computed ahead (`insights.compute`) and kept as snapshots: one row per
chart (`kind`), audience scope (`scope`) and variant (a filter the chart computes ahead, such
as a tenure band; "" for none), replaced in place each time it is computed, so that a page
reads the newest figures in one query whatever the length of the history.

`scope` names whose figures they are (`insights.scopes`): "org" (the whole organisation, in
the pilot scope), "team:<id>" (a team and the teams within it) or "manager:<id>" (a manager's
direct reports). Counts, shares and curves only: no row names or points at a person, and every
figure about a group stands for at least `min_group` people (what is smaller is left out when
computing, not when showing).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    kind = models.SlugField(_("chart"), max_length=50)
    scope = models.CharField(_("scope"), max_length=40)
    variant = models.CharField(_("variant"), max_length=40, blank=True, default="")
    computed_at = models.DateTimeField(_("computed"))
    # The period the figures cover (inclusive), when they cover one.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # How many people (or other units the chart names) stand behind the figures.
    n = models.PositiveIntegerField(default=0)
    # The fewest people any group of the figures stands for, when they were computed.
    min_group = models.PositiveSmallIntegerField(default=5)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("insights snapshot")
        verbose_name_plural = _("insights snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "variant"], name="insights_snapshot_once"
            ),
        ]
        indexes = [models.Index(fields=["scope", "kind"], name="insights_snapshot_scope_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope} {self.variant}".strip()


class ClosedMonth(models.Model):
    """One group's figures of one chart for a month that has ended (or another period that
    has: a closed 360 cycle), computed once, by the first run after it ended, and never again
    (`insights.monthly`).

    Groups are today's teams and managers' reports: figures of a past month computed again
    each day would follow whoever joined, left or moved since, and comparing two days' figures
    would tell what the person who moved did in that month (whether they had a plan, held
    their conversations). Kept, they stay as they were first shown. A row with no group
    (`group` "") marks the period as frozen for the chart and variant, with the smallest group
    its figures were released for ({"min_group": k}): groups without a row of it were not shown
    for it and never will be. The retention curves are kept the same way, as of the end of the
    last month that has ended (a row per group and tenure band; only the newest month kept), and
    so are the goals chart's figures (a row per group and kind of goals) and the rhythm of the
    newest survey round that asked about engagement (a row per team: "r:<round>")."""

    kind = models.SlugField(_("chart"), max_length=50)
    variant = models.CharField(_("variant"), max_length=40, blank=True, default="")
    group = models.CharField(_("group"), max_length=40, blank=True, default="")
    # The month ("YYYY-MM"), or the chart's own period (a 360 cycle: "c:<id>"; a survey round,
    # its id in ten digits: "r:0000000012").
    period = models.CharField(_("period"), max_length=20)
    values = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("closed month's figures")
        verbose_name_plural = _("closed months' figures")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "variant", "period", "group"], name="insights_closed_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.variant} {self.period} {self.group}".strip()
