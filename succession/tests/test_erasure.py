"""Erasing someone who left: their candidacies and their history go; the notes they wrote about
candidates and why a position they held is key become "(removed)"; a position's title stays."""

from datetime import timedelta

from django.utils import timezone

from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate
from succession.tests.factories import make_position, name
from trust import erasure


def test_erasure_removes_what_served_them_and_the_words_about_them(cast):
    position = make_position(cast.platform, incumbent=cast.dave)
    candidacy = name(position, cast.dave)
    CandidacyChange.objects.create(position=position, person=cast.dave, kind="named")
    others = name(position, cast.alice)
    others.recorded_by = cast.dave
    others.save()
    cast.dave.leave_date = timezone.localdate() - timedelta(days=400)
    cast.dave.save()
    erasure.erase(cast.dave)
    assert not SuccessionCandidate.objects.filter(pk=candidacy.pk).exists()
    assert not CandidacyChange.objects.filter(person=cast.dave).exists()
    others.refresh_from_db()
    assert others.notes == "(removed)"
    kept = KeyPosition.objects.get(pk=position.pk)
    assert kept.title == "Head of Platform" and kept.why_key == "(removed)"
