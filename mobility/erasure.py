"""What erasure (`trust.erasure`) does to internal mobility's data.

The erased person's wish to move (with its note) and their interests in openings (with their
notes, free text) served only them: they go. Openings are the organisation's: their title and
description stay, also where the erased person posted one or was its hiring
manager (the name shown is theirs, anonymised with the person).
"""

from __future__ import annotations

from django.db.models import Q

from mobility.models import Interest, MobilityPreference, Opening
from trust.erasure import Delete, keep, register

register(
    Delete(MobilityPreference, lambda pk: Q(person=pk)),
    Delete(Interest, lambda pk: Q(person=pk)),
)
keep(Opening, ("title", "description"), "the organisation's own openings")
