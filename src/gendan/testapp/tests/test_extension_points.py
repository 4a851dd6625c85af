"""The extension points, proven by the test app (test settings only): a condition on release,
an order kind that waives conditions, a Today section, a cockpit panel, a permission and an
event kind — all contributed without a line in orders, accounts or timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan import extensions
from gendan.errors import DomainError
from gendan.orders import selectors, services
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.testapp.contributions import FREE_KIND, INSPECT, INSPECTED, QUALITY_HOLD
from gendan.timeline.models import Event
from gendan.timeline.services import record

pytestmark = pytest.mark.django_db


def _signed(world, **changes) -> Order:
    order = world.order(customer="EXP001", to=Status.SIGNED)
    Order.objects.filter(pk=order.pk).update(**changes)
    return Order.objects.get(pk=order.pk)


def test_a_contributed_condition_refuses_release_and_says_why_everywhere(world, client):
    order = _signed(world, notes=f"{QUALITY_HOLD}: wait for the test inspection")
    merch = world.users["merch"]
    release = next(a for a in selectors.available_actions(order, merch) if a.action == "release")
    assert release.allowed is False
    assert "testapp_inspection_pending" in [r["code"] for r in release.reasons]

    with pytest.raises(DomainError) as refused:
        services.release_order(order_number=order.number, actor=merch)
    assert "testapp_inspection_pending" in [r["code"] for r in refused.value.details["reasons"]]
    assert Order.objects.get(pk=order.pk).status == Status.SIGNED  # nothing changed

    client.force_login(merch)
    html = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert "The test inspection has not passed." in html
    assert "waits for the test inspection." in html  # the contributed cockpit panel


def test_without_the_contributed_reason_release_passes_and_the_panel_stays_away(world, client):
    order = _signed(world)
    merch = world.users["merch"]
    # EXP001 asks a 30 % deposit: confirm it, then release
    services.confirm_deposit(order_number=order.number, actor=world.users["finance"])
    released = services.release_order(order_number=order.number, actor=merch)
    assert released.status in (Status.RELEASED, Status.READY_TO_SHIP, Status.PRODUCED)
    client.force_login(merch)
    html = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert "data-testapp-panel" not in html


def test_an_order_kind_waives_the_conditions_it_declares(world):
    standard = _signed(world)
    free = _signed(world, kind=FREE_KIND)
    merch = world.users["merch"]
    assert standard.deposit_outstanding > 0 and free.deposit_outstanding > 0
    with pytest.raises(DomainError) as refused:
        services.release_order(order_number=standard.number, actor=merch)
    assert "deposit_not_received" in [r["code"] for r in refused.value.details["reasons"]]
    released = services.release_order(order_number=free.number, actor=merch)
    assert released.status != Status.SIGNED
    assert extensions.waived_by(FREE_KIND) == {"orders.positive_total", "orders.deposit_received"}


def test_the_contributed_today_section_is_for_its_role_only(world, client):
    client.force_login(world.users["qc"])
    html = client.get(reverse("web:today")).content.decode()
    assert 'data-section="testapp_queue"' in html
    assert "inspection for qc on" in html
    client.force_login(world.users["warehouse"])
    html = client.get(reverse("web:today")).content.decode()
    assert 'data-section="testapp_queue"' not in html


def test_the_contributed_permission_goes_to_its_roles(world):
    assert world.users["qc"].can(INSPECT) is True
    assert world.users["admin"].can(INSPECT) is True
    assert world.users["warehouse"].can(INSPECT) is False


def test_a_contributed_event_kind_is_recorded_about_any_record_and_named(world):
    order = world.order()
    qc = world.users["qc"]
    event = record(kind=INSPECTED, actor=qc, order=order, subject=qc)
    stored = Event.objects.get(pk=event.pk)
    assert str(stored.get_kind_display()) == "Test inspection passed"
    assert stored.subject_type.model == "user" and stored.subject_id == str(qc.pk)


def test_a_registry_refuses_what_cannot_be_right():
    with pytest.raises(extensions.RegistryError):
        extensions.add_permission(code=INSPECT, label="twice", roles={"qc"}, app="testapp")
    with pytest.raises(extensions.RegistryError):
        extensions.add_today_section(
            key="nobody",
            title="x",
            description="x",
            roles={"astronaut"},
            build=lambda *a: extensions.SectionData(count=0),
            template="x.html",
            app="testapp",
        )


def test_temporarily_forgets_a_contribution_after_the_block():
    def add() -> None:
        extensions.add_condition(
            name="testapp.temporary",
            action="submit",
            check=lambda ctx: [],
            description="temporary",
            app="testapp",
        )

    with extensions.temporarily(add):
        assert [c.name for c in extensions.conditions_of("submit")] == ["testapp.temporary"]
    assert extensions.conditions_of("submit") == []
