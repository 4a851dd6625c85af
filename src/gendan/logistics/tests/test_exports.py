"""Export shipments: the checklist's due dates from the ETD (configurable offsets), the steps in
their order to the tax refund, a new ETD moving what is not done, the overdue steps on Today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.errors import DomainError
from gendan.logistics import exports
from gendan.logistics.models import ExportStepKind
from gendan.orders.workflow import Status
from gendan.shipping import services as shipping

pytestmark = pytest.mark.django_db


def test_an_export_shipment_walks_its_checklist_to_the_tax_refund(world, settings, client):
    merch = world.users["merch"]
    order = world.order(
        customer="EXP001",
        lines=[("BC-101", 24, "1.5"), ("FN-101", 2, "300")],
        to=Status.READY_TO_SHIP,
    )
    shipping.issue_shipping_notice(order_number=order.number, actor=merch)
    notice = order.shipping_notices.get().number
    exports.save_forwarder(actor=merch, code="FWD1", name="Sino Freight", email="ops@fwd.example")
    etd = timezone.localdate() + timedelta(days=5)
    settings.GENDAN_EXPORT_STEP_OFFSETS = {"booking": -10}
    shipment = exports.open_export_shipment(
        actor=merch, notices=[notice], etd=etd, forwarder="FWD1", vessel_voyage="COSCO 021E"
    )
    due = {s.kind: s.due_on for s in shipment.steps.all()}
    assert due["booking"] == etd - timedelta(days=10)  # configured
    assert due["customs"] == etd - timedelta(days=3)  # the default
    assert due["tax_refund"] == etd + timedelta(days=90)
    # the booking is overdue: on the merchandiser's Today
    client.force_login(merch)
    section = client.get(reverse("web:logistics_today_section", args=["logistics_export_overdue"]))
    assert f'data-export-step="{shipment.number}-booking"' in section.content.decode()
    # a step waits for the ones before it; the warehouse may not do them
    with pytest.raises(DomainError) as early:
        exports.complete_step(actor=merch, number=shipment.number, kind="customs")
    assert early.value.code == "logistics_wrong_step"
    with pytest.raises(DomainError):
        exports.complete_step(
            actor=world.users["warehouse"], number=shipment.number, kind="booking"
        )
    # a new ETD moves what is not done
    exports.set_etd(actor=merch, number=shipment.number, etd=etd + timedelta(days=7))
    assert shipment.steps.get(kind="booking").due_on == etd - timedelta(days=3)
    page = reverse("web:logistics_export") + f"?shipment={shipment.number}"
    assert (
        client.post(
            page, {"shipment": shipment.number, "kind": "booking", "note": "SO 8812"}
        ).status_code
        == 302
    )
    assert client.get(page).content.decode().count('data-done="yes"') == 1
    for kind in ExportStepKind.values[1:]:
        exports.complete_step(actor=merch, number=shipment.number, kind=kind, note="ok")
    assert not shipment.steps.filter(done_at__isnull=True).exists()
    assert shipment.steps.get(kind="tax_refund").done_by == merch
    # the packing list: the company's own name, each unit's total apart; the invoice is prices
    pdf = reverse("web:logistics_export_pdf") + f"?shipment={shipment.number}&doc="
    response = client.get(pdf + "packing_list")
    import pypdfium2

    document = pypdfium2.PdfDocument(response.content)
    text = "".join("".join(page.get_textpage().get_text_range().split()) for page in document)
    document.close()
    assert "PACKINGLIST" in text and "GendanDemoTrading" in text and "NordicHomeAB" in text
    assert "Total合计24箱2件" in text  # each unit's total apart, never 26
    client.force_login(world.users["warehouse"])
    assert client.get(pdf + "commercial_invoice").status_code == 403
