"""The common container and truck types, as editable data."""

from django.db import migrations

from gendan.loading.standard_types import ensure_standard_types


def seed(apps, schema_editor):
    ensure_standard_types(apps.get_model("loading", "ContainerType"))


class Migration(migrations.Migration):
    dependencies = [("loading", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
