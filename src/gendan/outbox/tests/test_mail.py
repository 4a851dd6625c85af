"""Mails through a real SMTP server: one per recipient, in their language, sent after commit,
logged on the record and its timeline, the recipients who are users told in the app too."""

from __future__ import annotations

import pytest
from django.db import transaction

from gendan.errors import DomainError
from gendan.notifications.models import Notification
from gendan.orders.services import submit_order
from gendan.outbox import services
from gendan.outbox.events import MailEvent
from gendan.outbox.models import MailMessage, MailStatus
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_signers_are_told_in_their_language_after_the_commit(
    world, smtp, django_capture_on_commit_callbacks
):
    finance, manager = world.users["finance"], world.users["manager"]
    finance.language, manager.language = "en", "zh-hans"
    finance.save(update_fields=["language"])
    manager.save(update_fields=["language"])
    order = world.order()  # a draft: submitting it tells the signers
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit_order(order_number=order.number, actor=world.users["merch"])
        assert smtp.mails == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    mails = MailMessage.objects.filter(template="signature_waiting")
    assert sorted(m.to_address for m in mails) == [
        "finance@gendan.example",
        "manager@gendan.example",
    ]
    received = {tuple(rcpt): msg for rcpt, msg in smtp.mails}
    assert len(smtp.mails) == 2 and set(received) == {
        ("finance@gendan.example",),
        ("manager@gendan.example",),
    }
    english = received[("finance@gendan.example",)]
    chinese = received[("manager@gendan.example",)]
    assert english["Subject"] == f"Order {order.number} (Nordic Home AB) waits for your signature"
    assert "waits for the signatures of finance and the sales manager" in body_of(english)
    assert f"/orders/{order.number}/" in body_of(english)
    assert chinese["Subject"] == f"订单 {order.number}（Nordic Home AB）等待您会签"
    assert "等待财务和销售经理会签" in body_of(chinese)
    assert english["Content-Language"] == "en" and chinese["Content-Language"] == "zh-hans"
    assert set(MailMessage.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    events = Event.objects.filter(kind=MailEvent.MAIL_SENT, order=order)
    assert events.count() == 2
    notes = {n.user.username: n.text for n in Notification.objects.select_related("user")}
    assert notes == {"finance": english["Subject"], "manager": chinese["Subject"]}


def test_the_customer_gets_the_order_status_without_prices(
    world, smtp, django_capture_on_commit_callbacks
):
    order = world.order(customer="DIST01", to="signed")
    with django_capture_on_commit_callbacks(execute=True):
        services.mail_order_status(actor=world.users["merch"], number=order.number)
    assert len(smtp.mails) == 1
    rcpt, message = smtp.mails[0]
    assert rcpt == ["dist01@customer.example"]
    assert message["Subject"] == f"您的订单 {order.number}：已会签"
    body = body_of(message)
    assert "王店长" in body and "BC-101" in body and "12.50" not in body
    logged = MailMessage.objects.get(template="order_status")
    assert (logged.record, logged.status, logged.template) == (
        order,
        MailStatus.SENT,
        "order_status",
    )


def test_a_server_that_refuses_is_logged_as_failed_on_the_timeline(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    order = world.order(to="signed")
    with django_capture_on_commit_callbacks(execute=True):
        services.mail_order_status(actor=world.users["merch"], number=order.number)
    logged = MailMessage.objects.get(template="order_status")
    assert logged.status == MailStatus.FAILED and "ConnectionRefused" in logged.error
    assert Event.objects.get(kind=MailEvent.MAIL_FAILED).order == order
    assert services.deliver(logged.pk) == "skipped"  # a failed mail is not sent twice


def test_a_customer_without_an_address_is_refused_and_nothing_is_queued(world):
    order = world.order(customer="STORE01")
    order.customer.contacts.update(email="")
    with pytest.raises(DomainError) as refused:
        services.mail_order_status(actor=world.users["merch"], number=order.number)
    assert refused.value.code == "no_contact_address"
    assert not MailMessage.objects.exists()
    with pytest.raises(DomainError) as forbidden:
        services.mail_order_status(actor=world.users["production"], number=order.number)
    assert forbidden.value.kind == "forbidden"


def test_a_mail_is_delivered_once_even_if_two_workers_take_it(world, smtp):
    order = world.order()
    with transaction.atomic():
        [mail] = services.send_mail(
            template="order_status",
            context={"order": order, "customer": order.customer, "lines": [], "contact": None},
            to_addresses=["someone@example.com"],
            record=order,
            actor=world.users["merch"],
        )
    assert services.deliver(mail.pk) == MailStatus.SENT
    assert services.deliver(mail.pk) == "skipped"
    assert len(smtp.mails) == 1


def test_the_demo_writes_mails_to_a_folder(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    order = world.order(to="signed")
    with django_capture_on_commit_callbacks(execute=True):
        services.mail_order_status(actor=world.users["merch"], number=order.number)
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1 and "exp001@customer.example" in files[0].read_text()
