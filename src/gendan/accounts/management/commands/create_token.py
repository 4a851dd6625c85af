from django.core.management.base import BaseCommand, CommandError

from gendan.accounts.models import User
from gendan.accounts.services import issue_token


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, days, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        _token, raw = issue_token(user=user, actor=user, name=name, days=days)
        self.stdout.write(raw)
