"""A 360 cycle belongs to a scope: a team (and the teams below it) or the whole organisation.

Existing cycles get the narrowest team that holds all their participants: the deepest team
their teams' paths share. A cycle whose participants span the organisation, include someone
without a team, or has no participants yet is organisation-wide.
"""

import django.db.models.deletion
from django.db import migrations, models


def common_team(paths):
    """The id of the deepest team on every path ("/1/4/9/"), or None."""
    common = None
    for path in paths:
        if not path:
            return None
        ids = path.strip("/").split("/")
        if common is None:
            common = ids
            continue
        length = 0
        while length < min(len(common), len(ids)) and common[length] == ids[length]:
            length += 1
        common = common[:length]
    return int(common[-1]) if common else None


def scope_existing_cycles(apps, schema_editor):
    ReviewCycle = apps.get_model("feedback", "ReviewCycle")
    ReviewParticipant = apps.get_model("feedback", "ReviewParticipant")
    paths = {}
    for cycle_id, path in ReviewParticipant.objects.values_list("cycle_id", "person__team__path"):
        paths.setdefault(cycle_id, []).append(path)
    for cycle_id, team_paths in paths.items():
        team_id = common_team(team_paths)
        if team_id is not None:
            ReviewCycle.objects.filter(pk=cycle_id).update(scope_id=team_id)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_feedback_shared_with_a_person"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcycle",
            name="scope",
            field=models.ForeignKey(
                blank=True,
                help_text="A team and the teams below it; empty for the whole organisation.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.team",
                verbose_name="for",
            ),
        ),
        migrations.RunPython(scope_existing_cycles, migrations.RunPython.noop, elidable=True),
    ]
