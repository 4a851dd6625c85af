from django.core.management.base import BaseCommand

from gendan.demodata import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo company (idempotent: a second run adds nothing twice)."

    def handle(self, *args, **options):
        created, users = load_demo()
        self.stdout.write(
            "Demo data " + ("loaded." if created else "already present; nothing added.")
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in users:
            self.stdout.write(f"  {username:<12} {role}")
