"""What Talent's skills part holds about people, for My data: nothing of its own (the
organisation heatmap keeps counts of groups, never a person); the heatmap counts people's
assessed levels, an aggregate (`register_aggregate`). The team heatmap shows a manager the
levels they may see already (Growth's ratings, in Growth's catalogue and the access log)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, register_aggregate
from growth.models import Assessment

register_aggregate(
    Aggregate(
        "talent.skills_heatmap",
        _("Organisation skills heatmap"),
        _(
            "Your agreed levels (else your manager's shared ratings) count, with at least four "
            "other people's and never under your name, in the share of your team (or the team "
            "above it) that is at or above what its role profiles expect. Your team's leads up "
            "the line and HR for your part of the organisation read those shares."
        ),
        counted=lambda person_id: [
            Assessment.objects.filter(subject=person_id).filter(
                Q(agreed_at__isnull=False) | Q(manager_shared_at__isnull=False)
            )
        ],
        module="talent",
    ),
)
