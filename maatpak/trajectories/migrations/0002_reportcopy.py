"""ReportCopy moves from providers to trajectories (the app that owns referrals and their
reports). Only Django's state moves: the table keeps its name (providers_reportcopy), so no
data moves. Its pair is providers.0004_move_reportcopy_to_trajectories."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("participants", "0001_initial"),
        ("providers", "0003_reportcopy_downloaded_on"),
        ("trajectories", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportCopy",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("made_available_on", models.DateField(verbose_name="made available on")),
                        ("channel", models.CharField(default="portal", max_length=10, verbose_name="channel")),
                        ("first_viewed_on", models.DateField(blank=True, null=True, verbose_name="first viewed on")),
                        ("downloaded_on", models.DateField(blank=True, null=True, verbose_name="first downloaded as PDF on")),
                        (
                            "end_report",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="copy",
                                to="trajectories.endreport",
                                verbose_name="end report",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.municipality",
                                verbose_name="municipality",
                            ),
                        ),
                        (
                            "participant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_copies",
                                to="participants.participant",
                                verbose_name="participant",
                            ),
                        ),
                        (
                            "progress_report",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="copy",
                                to="trajectories.progressreport",
                                verbose_name="progress report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "copy of a report for the participant",
                        "verbose_name_plural": "copies of reports for participants",
                        "db_table": "providers_reportcopy",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("end_report__isnull", True), ("progress_report__isnull", False)),
                                    models.Q(("end_report__isnull", False), ("progress_report__isnull", True)),
                                    _connector="OR",
                                ),
                                name="report_copy_of_exactly_one_report",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
