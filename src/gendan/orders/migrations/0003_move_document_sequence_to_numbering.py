"""Document numbering moves to the `numbering` kernel app: the counters are copied into its table
before the old one is dropped, so no number is given twice after the move (and back on reverse)."""

from django.db import migrations


def copy_counters(source: str, target: str):
    def run(apps, schema_editor):
        old = apps.get_model(*source.split("."))
        new = apps.get_model(*target.split("."))
        db = schema_editor.connection.alias
        # lock the counters so no writer takes a number between the copy and the drop
        rows = list(
            old.objects.using(db)
            .select_for_update()
            .order_by("pk")
            .values("prefix", "year", "last")
        )
        new.objects.using(db).bulk_create(new(**row) for row in rows)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_initial"),
        ("numbering", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            copy_counters("orders.DocumentSequence", "numbering.DocumentSequence"),
            copy_counters("numbering.DocumentSequence", "orders.DocumentSequence"),
        ),
        migrations.RemoveConstraint(
            model_name="documentsequence",
            name="sequence_prefix_year",
        ),
        migrations.DeleteModel(
            name="DocumentSequence",
        ),
    ]
