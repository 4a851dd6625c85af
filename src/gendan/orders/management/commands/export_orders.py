from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from gendan.accounts.models import User
from gendan.orders.excel import export_orders
from gendan.orders.selectors import OrderFilter, filter_orders


class Command(BaseCommand):
    help = "Export orders to .xlsx in the import template's format."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", default="merch")
        parser.add_argument("--status", action="append")
        parser.add_argument("--customer")

    def handle(self, *args, file, username, status, customer, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        f = OrderFilter(status=status, customer=customer)
        with open(file, "wb") as out:
            out.write(export_orders(filter_orders(user, f), actor=user, filters=asdict(f)))
        self.stdout.write(f"Wrote {file}")
