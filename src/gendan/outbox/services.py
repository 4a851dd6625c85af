"""Every write of the outbox: queue mails (one row per recipient, in the recipient's language),
deliver them after commit through the task worker, and the mails the product sends today.

``send_mail`` is a step of the verb that calls it (the caller checked the actor): it writes the
rows and the recipients' in-app notifications inside the caller's transaction and enqueues one
task per mail once that transaction commits; ``deliver`` (the task) sends one mail through
Django's mailer (SMTP in production, files under var/mail in the demo) and writes the result on
the row and on the record's timeline.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import ROLE_PERMS, Perm, Role
from gendan.errors import invalid
from gendan.outbox.errors import Code
from gendan.outbox.events import MailEvent
from gendan.outbox.models import MailMessage, MailStatus
from gendan.timeline.services import record as record_event

log = logging.getLogger(__name__)

#: the mails there are templates for: outbox/mail/<name>_subject.txt and <name>_body.txt
TEMPLATES = frozenset(
    {"signature_waiting", "order_status", "daily_report", "stock_offer", "forecast_warning"}
)


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    return settings.GENDAN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def render(template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """The subject (one line) and the body of a mail, in the given language."""
    with translation.override(language):
        subject = render_to_string(f"outbox/mail/{template}_subject.txt", context)
        body = render_to_string(f"outbox/mail/{template}_body.txt", context)
    return " ".join(subject.split())[:255], body.strip() + "\n"


def _timeline_of(record: Any) -> dict[str, Any]:
    """The order (and customer) a mail about this record belongs to on the timeline."""
    if record is None:
        return {}
    if record._meta.label_lower == "orders.order":
        return {"order": record}
    if getattr(record, "order", None) is not None:
        return {"order": record.order}
    if record._meta.label_lower == "parties.customer":
        return {"customer": record}
    return {}


@step
def send_mail(
    *,
    template: str,
    context: dict[str, Any],
    actor: User | None,
    to_users: Iterable[User] = (),
    to_addresses: Iterable[str] = (),
    address_language: str = "",
    record: Any = None,
    url: str = "",
) -> list[MailMessage]:
    """Queue the mail ``template`` to each user (in their language; they are also notified in
    the app) and each address (in ``address_language``); sent after the caller's commit."""
    from gendan.notifications.services import notify

    if template not in TEMPLATES:
        raise invalid(Code.UNKNOWN_TEMPLATE, gettext("Unknown mail template."), template=template)
    users = list(dict.fromkeys(to_users))
    addresses = list(dict.fromkeys(a.strip() for a in to_addresses if a and a.strip()))
    if not users and not addresses:
        raise invalid(Code.NO_RECIPIENT, gettext("The mail has no recipient."))
    context = {**context, "url": absolute(url) if url else ""}
    ct = ContentType.objects.get_for_model(record) if record is not None else None
    rows: list[MailMessage] = []
    rendered: dict[str, tuple[str, str]] = {}

    def in_language(language: str) -> tuple[str, str]:
        if language not in rendered:
            rendered[language] = render(template, context, language)
        return rendered[language]

    recipients = [(u.email, u, language_of(u)) for u in users if u.email] + [
        (a, None, address_language or settings.LANGUAGE_CODE) for a in addresses
    ]
    # no savepoint inside the caller's transaction; its own transaction when called alone
    with transaction.atomic(savepoint=False):
        for address, user, language in recipients:
            subject, body = in_language(language)
            rows.append(
                MailMessage(
                    template=template,
                    to_address=address,
                    to_user=user,
                    language=language,
                    subject=subject,
                    body=body,
                    content_type=ct,
                    object_id=record.pk if record is not None else None,
                    created_by=actor,
                )
            )
        MailMessage.objects.bulk_create(rows)
        by_language: dict[str, list[User]] = {}
        for user in users:
            by_language.setdefault(language_of(user), []).append(user)
        for language, speakers in by_language.items():  # one INSERT per language
            notify(
                users=speakers,
                kind=f"mail.{template}",
                text=in_language(language)[0],
                url=url,
                actor=actor,
            )
        ids = [m.pk for m in rows]
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[int]) -> None:
    from gendan.outbox.tasks import deliver_mail

    for pk in ids:
        deliver_mail.enqueue(pk)


def deliver(message_id: int) -> str:
    """Send one queued mail (the task's body; idempotent: a mail is taken once, by one worker)."""
    taken = MailMessage.objects.filter(pk=message_id, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, attempts=F("attempts") + 1
    )
    if not taken:
        return "skipped"
    message = MailMessage.objects.select_related("content_type", "created_by").get(pk=message_id)
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={"Content-Language": message.language},
    )
    error = ""
    try:
        mail.send()
    except Exception as exc:  # any failure of the mail server is kept on the row, not raised
        log.warning("mail %s to %s not sent: %s", message.pk, message.to_address, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
    record = message.record if message.content_type_id else None
    with transaction.atomic(durable=True):
        message.status = MailStatus.FAILED if error else MailStatus.SENT
        message.error = error
        message.sent_at = None if error else timezone.now()
        message.save(update_fields=["status", "error", "sent_at"])
        record_event(
            kind=MailEvent.MAIL_FAILED if error else MailEvent.MAIL_SENT,
            actor=message.created_by,
            comment=f"{message.subject} → {message.to_address}",
            payload={
                "mail": message.pk,
                "template": message.template,
                "to": message.to_address,
                "error": error,
            },
            **_timeline_of(record),
        )
    return message.status


# ---- the mails the product sends -------------------------------------------------------------

SIGNER_ROLES = {
    "finance": [
        r for r, perms in ROLE_PERMS.items() if Perm.SIGN_AS_FINANCE in perms and r != Role.ADMIN
    ],
    "manager": [
        r for r, perms in ROLE_PERMS.items() if Perm.SIGN_AS_MANAGER in perms and r != Role.ADMIN
    ],
}


@step
def notify_signature_waiting(order: Any, *, actor: User | None = None) -> list[MailMessage]:
    """Tell the finance and sales-manager signers that a submitted order waits for their
    signature (those whose signature is still missing), by mail and in the app. Call it in the
    transaction that submits the order: the mails leave after its commit."""
    roles: list[str] = []
    if order.finance_signed_at is None:
        roles += SIGNER_ROLES["finance"]
    if order.manager_signed_at is None:
        roles += SIGNER_ROLES["manager"]
    signers = list(
        User.objects.filter(is_active=True, groups__name__in=roles).distinct().order_by("pk")
    )
    if not signers:
        return []
    return send_mail(
        template="signature_waiting",
        context={"order": order, "customer": order.customer},
        to_users=signers,
        record=order,
        url=reverse("web:order_detail", args=[order.number]),
        actor=actor,
    )


def customer_language(customer: Any) -> str:
    """Export customers read English; the others Chinese."""
    return "en" if customer.channel == "export" else "zh-hans"


@verb(Perm.LOG_COMMUNICATION)
def mail_order_status(*, actor: User, number: str) -> list[MailMessage]:
    """Mail the order's status, delivery date and lines (no prices) to the customer's contacts
    that have an e-mail address, in the customer's language."""
    from gendan.orders.selectors import get_order_for

    with transaction.atomic(durable=True):
        order = get_order_for(actor, number)
        contacts = [c for c in order.customer.contacts.all() if c.email]
        if not contacts:
            raise invalid(
                Code.NO_CONTACT_ADDRESS,
                gettext("No contact of %(customer)s has an e-mail address.")
                % {"customer": order.customer.name},
                field="contacts",
            )
        return send_mail(
            template="order_status",
            context={
                "order": order,
                "customer": order.customer,
                "lines": list(order.lines.select_related("product")),
                "contact": contacts[0],
            },
            to_addresses=[c.email for c in contacts],
            address_language=customer_language(order.customer),
            record=order,
            actor=actor,
        )
