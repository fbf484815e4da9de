"""One open request for another consultant per participant, enforced by a unique index; a
version on the request, so a second answer is refused instead of overwriting the first; and
the weekly count of anonymous reactions per participant, kept apart from the reactions.

Before the index is created, open requests a participant made twice (possible before this
migration, when two posts arrived at the same moment) are merged: the oldest stays open and
takes over the reasons of the later ones, which are removed. Nothing else about them differed."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def merge_duplicate_open_requests(apps, schema_editor):
    ConsultantChangeRequest = apps.get_model("portal", "ConsultantChangeRequest")
    kept = {}
    for request in ConsultantChangeRequest.objects.filter(status="open").order_by("participant_id", "created_at", "id"):
        first = kept.setdefault(request.participant_id, request)
        if first.pk == request.pk:
            continue
        if request.reason and request.reason not in first.reason:
            first.reason = "\n\n".join(part for part in (first.reason, request.reason) if part)
            first.save(update_fields=["reason"])
        request.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0001_initial"),
        ("portal", "0002_portal_activation"),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_open_requests, migrations.RunPython.noop),
        migrations.AddField(
            model_name="consultantchangerequest",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddConstraint(
            model_name="consultantchangerequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")), fields=("participant",), name="one_open_change_request_per_participant"
            ),
        ),
        migrations.CreateModel(
            name="FeedbackWeekCount",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("week", models.CharField(max_length=8, verbose_name="ISO week")),
                ("count", models.PositiveSmallIntegerField(default=0, verbose_name="number sent")),
                (
                    "participant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="participants.participant",
                        verbose_name="participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "number of anonymous reactions in a week",
                "verbose_name_plural": "numbers of anonymous reactions per week",
                "constraints": [models.UniqueConstraint(fields=("participant", "week"), name="one_feedback_count_per_participant_week")],
            },
        ),
    ]
