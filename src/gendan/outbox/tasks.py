"""Background tasks of the outbox (django.tasks; `gendan worker` runs them)."""

from __future__ import annotations

from django.tasks import task


@task()
def deliver_mail(message_id: int) -> str:
    """Send one queued mail; a mail already taken by another worker is left alone."""
    from gendan.outbox.services import deliver

    return deliver(message_id)
