"""What erasure (`trust.erasure`) does to the plans module's data.

The erased person's plan keeps its dates, statuses, kinds and costs (coverage and retention
figures stay right) and its active periods, but loses its words: the ambition, the actions'
titles, the support they asked for and the manager's comments on them. Comments they wrote as
someone's manager go too. Whom they shared it with, and the shares others made with them, go:
they served only the sharing. The target and focus are keys of the organisation's framework.
"""

from __future__ import annotations

from django.db.models import Q

from plans.models import Plan, PlanAction, PlanShare
from trust.erasure import Delete, Replace, keep, register

register(
    Replace(Plan, ("ambition",), lambda pk: Q(person=pk)),
    Replace(PlanAction, ("title", "support", "manager_comment"), lambda pk: Q(plan__person=pk)),
    Replace(PlanAction, ("manager_comment",), lambda pk: Q(commented_by=pk)),
    Delete(PlanShare, lambda pk: Q(plan__person=pk) | Q(person=pk)),
)
keep(Plan, ("target_track", "focus"), "keys of the organisation's career tracks and competencies")
