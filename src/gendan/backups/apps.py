from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`gendan backup` and `gendan restore`: the database and the stored files in one archive;
    `gendan check_invariants`: the facts every database must hold (after a restore, a soak).
    It has no models and reads the other apps' tables through the app registry, never by import."""

    name = "gendan.backups"
    label = "backups"
    verbose_name = "Backups"
