"""Attaching and removing files: limits checked on the content, visibility of the record,
permission, the timeline, nothing left behind when refused."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from gendan.accounts.models import User
from gendan.attachments import access, selectors, services
from gendan.attachments.events import AttachmentEvent
from gendan.attachments.models import Attachment
from gendan.attachments.tests import samples
from gendan.errors import DomainError, Kind
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db
ORDER = "orders.order"


def stored_files(settings) -> list[str]:
    from pathlib import Path

    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_photo_is_attached_with_its_copies_and_an_event(world):
    order = world.order()
    upload = samples.photo()
    data = upload.read()
    attachment = services.attach_file(
        actor=world.users["qc"], model=ORDER, key=order.number, file=upload
    )
    assert attachment.record == order
    assert attachment.name == "first-article.jpg"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.mime_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (2400, 1800)
    with default_storage.open(attachment.file) as handle:
        assert handle.read() == data
    from PIL import Image

    with default_storage.open(attachment.thumbnail) as handle, Image.open(handle) as thumb:
        assert thumb.size == (320, 240)
    with default_storage.open(attachment.page_copy) as handle, Image.open(handle) as page:
        assert page.size == (1600, 1200)
    event = Event.objects.get(kind=AttachmentEvent.ATTACHMENT_ADDED)
    assert (event.order, event.actor, event.comment) == (order, world.users["qc"], attachment.name)
    assert event.payload["sha256"] == attachment.sha256


def test_a_pdf_workbook_and_text_are_attached_without_copies(world):
    order = world.order()
    for upload, mime in (
        (samples.fax(), "application/pdf"),
        (samples.workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (samples.text(), "text/plain"),
    ):
        a = services.attach_file(
            actor=world.users["merch"], model=ORDER, key=order.number, file=upload
        )
        assert (a.mime_type, a.thumbnail, a.page_copy) == (mime, "", "")
    assert [a.name for a in selectors.files_of(order)] == [
        "notes.txt",
        "packing.xlsx",
        "customer-fax.pdf",
    ]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (samples.program, "file_type_not_allowed"),
        (samples.zip_without_a_workbook, "file_type_not_allowed"),
        (lambda: samples.fax("photo.jpg"), "file_type_mismatch"),
    ],
    ids=["program-named-pdf", "zip-named-xlsx", "pdf-named-jpg"],
)
def test_the_content_decides_the_type_not_the_name(world, settings, upload, code):
    order = world.order()
    with pytest.raises(DomainError) as refused:
        services.attach_file(
            actor=world.users["merch"], model=ORDER, key=order.number, file=upload()
        )
    assert (refused.value.code, refused.value.kind) == (code, Kind.INVALID)
    assert (
        not Attachment.objects.exists()
        and not Event.objects.filter(kind__startswith="attachment").exists()
    )
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(world, settings):
    settings.GENDAN_ATTACHMENT_MAX_BYTES = 1000
    order = world.order()

    class Unread:  # an upload of 50 MB whose bytes must not be read once its size says no
        name, size = "huge.pdf", 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read")

        seek = read

    upload = Unread()
    with pytest.raises(DomainError) as refused, translation.override("zh-hans"):
        services.attach_file(actor=world.users["merch"], model=ORDER, key=order.number, file=upload)
    assert refused.value.code == "file_too_large"
    assert "最多" in str(refused.value.message)
    assert stored_files(settings) == []


def test_a_type_left_out_by_the_settings_is_refused(world, settings):
    settings.GENDAN_ATTACHMENT_TYPES = ["pdf"]
    order = world.order()
    with pytest.raises(DomainError) as refused:
        services.attach_file(
            actor=world.users["merch"], model=ORDER, key=order.number, file=samples.photo()
        )
    assert refused.value.code == "file_type_not_allowed"
    assert refused.value.details["allowed"] == ["pdf"]


def test_a_role_without_the_permission_changes_nothing(world):
    order = world.order()
    for username in ("production", "cashier", "purchaser", "regional"):
        with pytest.raises(DomainError) as refused:
            services.attach_file(
                actor=world.users[username], model=ORDER, key=order.number, file=samples.fax()
            )
        assert refused.value.kind == Kind.FORBIDDEN, username
    assert not Attachment.objects.exists()


def test_an_order_the_actor_may_not_see_is_not_found(world):
    order = world.order(customer="DIST01")
    other = User.objects.create(username="sales2")
    from django.contrib.auth.models import Group

    other.groups.add(Group.objects.get(name="salesperson"))
    other = User.objects.get(pk=other.pk)
    with pytest.raises(DomainError) as refused:
        services.attach_file(actor=other, model=ORDER, key=order.number, file=samples.fax())
    assert refused.value.kind == Kind.NOT_FOUND
    attachment = services.attach_file(
        actor=world.users["merch"], model=ORDER, key=order.number, file=samples.fax()
    )
    for read in (
        lambda: selectors.get_attachment_for(other, attachment.pk),
        lambda: selectors.files_for(other, ORDER, order.number),
        lambda: services.remove_attachment(actor=other, attachment_id=attachment.pk),
    ):
        with pytest.raises(DomainError) as hidden:
            read()
        assert hidden.value.kind == Kind.NOT_FOUND
    # the file of one order is not found under another order's number
    second = world.order()
    with pytest.raises(DomainError):
        selectors.get_attachment_for(
            world.users["merch"], attachment.pk, model=ORDER, key=second.number
        )


def test_removal_keeps_the_row_deletes_the_bytes_and_tells_the_timeline(
    world, settings, django_capture_on_commit_callbacks
):
    order = world.order()
    attachment = services.attach_file(
        actor=world.users["driver"], model=ORDER, key=order.number, file=samples.photo()
    )
    assert len(stored_files(settings)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(
            actor=world.users["merch"], attachment_id=attachment.pk, reason="wrong order"
        )
    attachment.refresh_from_db()
    assert attachment.removed_by == world.users["merch"] and attachment.removed_at is not None
    assert stored_files(settings) == []
    assert list(selectors.files_of(order)) == []
    event = Event.objects.get(kind=AttachmentEvent.ATTACHMENT_REMOVED)
    assert (event.order, event.comment) == (order, "wrong order")
    with pytest.raises(DomainError) as again:
        services.remove_attachment(actor=world.users["merch"], attachment_id=attachment.pk)
    assert again.value.code == "already_removed"


def test_a_failing_write_leaves_no_bytes_behind(world, settings, monkeypatch):
    order = world.order()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        services.attach_file(
            actor=world.users["merch"], model=ORDER, key=order.number, file=samples.photo()
        )
    assert stored_files(settings) == [] and not Attachment.objects.exists()


def test_another_app_registers_its_records_and_their_visibility(world):
    customer = world.customers["EXP001"]

    def lookup(actor, key):
        if actor.username != "merch":
            raise DomainError("not_found", "no", kind=Kind.NOT_FOUND)
        return type(customer).objects.get(code=key)

    with access.temporarily(
        model="parties.customer",
        lookup=lookup,
        key_of=lambda c: c.code,
        timeline=lambda c: {"customer": c},
        url=lambda c: "/",
    ):
        attachment = services.attach_file(
            actor=world.users["merch"], model="parties.customer", key="EXP001", file=samples.text()
        )
        assert attachment.record == customer
        assert Event.objects.get(kind=AttachmentEvent.ATTACHMENT_ADDED).customer == customer
        with pytest.raises(DomainError):
            selectors.get_attachment_for(world.users["sales"], attachment.pk)
    with pytest.raises(DomainError) as unknown:
        services.attach_file(
            actor=world.users["merch"], model="catalog.product", key="BC-101", file=samples.text()
        )
    assert unknown.value.code == "not_attachable"
