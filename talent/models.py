"""The organisation's skills heatmap, counted ahead (`talent.skills`): each count is a
`SkillRun` of the framework version it counted, its groups of people (`SkillGroup`: a team's
own members with the smaller teams below it merged into it, never fewer than the run's
smallest group) and, per group and competency, how many people have both an expectation and
an assessed level (`n`) and how many of them are at or above what their role profile expects.

Counts only: no row names or points at a person. The pages read the newest run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillRun(models.Model):
    computed_at = models.DateTimeField(_("counted"))
    version = models.ForeignKey(
        "growth.FrameworkVersion", on_delete=models.CASCADE, related_name="+"
    )
    # The fewest people any group or shown figure of this run stands for.
    min_group = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("skills heatmap count")
        verbose_name_plural = _("skills heatmap counts")

    def __str__(self) -> str:
        return f"{self.computed_at:%Y-%m-%d %H:%M} v{self.version_id}"


class SkillGroup(models.Model):
    """People counted together: `team`'s own members and those of the `smaller_teams` below
    it merged into it (None: people without a team). Groups of a run never overlap."""

    run = models.ForeignKey(SkillRun, on_delete=models.CASCADE, related_name="groups")
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    smaller_teams = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("skills heatmap group")
        verbose_name_plural = _("skills heatmap groups")

    def __str__(self) -> str:
        return f"team {self.team_id} +{self.smaller_teams}: {self.people}"


class SkillCell(models.Model):
    group = models.ForeignKey(SkillGroup, on_delete=models.CASCADE, related_name="cells")
    competency_key = models.CharField(max_length=50)
    n = models.PositiveIntegerField()  # people with an expectation and an assessed level
    at_or_above = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("skills heatmap cell")
        verbose_name_plural = _("skills heatmap cells")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "competency_key"], name="talent_skill_cell_once"
            ),
            models.CheckConstraint(
                condition=models.Q(at_or_above__lte=models.F("n")),
                name="talent_skill_cell_at_most_n",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_key}: {self.at_or_above}/{self.n}"
