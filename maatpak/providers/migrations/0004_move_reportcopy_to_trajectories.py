"""ReportCopy now belongs to trajectories (see trajectories.0002_reportcopy): providers forgets
it in Django's state only; the table stays where it is. The content type follows the model, so
permissions and admin log entries on it stay attached."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="trajectories", model="reportcopy").exists():
        ContentType.objects.filter(app_label="providers", model="reportcopy").update(app_label="trajectories")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="providers", model="reportcopy").exists():
        ContentType.objects.filter(app_label="trajectories", model="reportcopy").update(app_label="providers")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("providers", "0003_reportcopy_downloaded_on"),
        ("trajectories", "0002_reportcopy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ReportCopy")], database_operations=[]),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
