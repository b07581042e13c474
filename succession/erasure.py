"""What erasure (`trust.erasure`) does to the succession module's data.

An erased person's candidacies, and their history, go: a succession plan names people who
work here, and they served only the plan's view of them. Notes they wrote about candidates as
HR or a lead become "(removed)"; so does why a position they held is key (it may say why they
would be hard to replace). A position's title is the organisation's name for it.
"""

from __future__ import annotations

from django.db.models import Q

from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate
from trust.erasure import Delete, Replace, keep, register

register(
    Delete(CandidacyChange, lambda pk: Q(person=pk)),
    Delete(SuccessionCandidate, lambda pk: Q(person=pk)),
    Replace(SuccessionCandidate, ("notes",), lambda pk: Q(recorded_by=pk)),
    Replace(KeyPosition, ("why_key",), lambda pk: Q(incumbent=pk)),
)
keep(KeyPosition, ("title",), "the organisation's name for one of its positions")
