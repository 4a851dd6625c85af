from django.core.management.base import BaseCommand, CommandError

from gendan.accounts.models import User
from gendan.orders.imports import import_orders


class Command(BaseCommand):
    help = (
        "Import orders from an .xlsx in the documented template; any bad row imports nothing. "
        "Runs in this process (the pages and the API hand the work to `gendan worker`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--as", dest="username", default="merch", help="the merchandiser entering them"
        )

    def handle(self, *args, file, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        with open(file, "rb") as source:
            report = import_orders(source, actor=user)
        for e in report.errors:
            self.stderr.write(
                f"{e['sheet']}!{e['cell'] or '-'} row {e['row']} column {e['column'] or '-'}: "
                f"{e['reason']}"
            )
        if report.more_errors:
            self.stderr.write(f"... and {report.more_errors} more error(s).")
        if report.error_count:
            raise CommandError(f"{report.error_count} error(s); nothing was imported.")
        self.stdout.write(f"Imported {len(report.imported)} orders: {', '.join(report.imported)}")
