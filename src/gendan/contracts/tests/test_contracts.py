"""The sales contract: issued from a signed order only, one version per revision (the signed one
kept), the countersigned copy marks it signed, and a customer's terms hold the release until
it is; pages, PDF (one render), API, permissions and query counts."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from gendan.contracts import services
from gendan.contracts.models import ContractStatus, SalesContract
from gendan.errors import DomainError, Kind
from gendan.orders import services as order_services
from gendan.orders.models import Order
from gendan.orders.selectors import available_actions
from gendan.orders.workflow import Status
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


def scan(name: str = "countersigned.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def release_reasons(order: Order, user) -> list[str]:
    state = next(a for a in available_actions(order, user) if a.action == "release")
    return [r["code"] for r in state.reasons]


def test_a_contract_is_issued_from_a_signed_order_only(world):
    merch = world.users["merch"]
    submitted = world.order(to=Status.SUBMITTED)
    with pytest.raises(DomainError) as refused:
        services.issue_contract(actor=merch, order=submitted.number)
    assert refused.value.code == "contracts_order_not_signed"
    assert SalesContract.objects.count() == 0
    with pytest.raises(DomainError) as forbidden:
        services.issue_contract(actor=world.users["warehouse"], order=submitted.number)
    assert forbidden.value.kind == Kind.FORBIDDEN


def test_one_version_per_revision_and_the_signed_one_is_kept(world):
    merch = world.users["merch"]
    order = world.order(to=Status.SIGNED)
    first = services.issue_contract(actor=merch, order=order.number)
    assert services.issue_contract(actor=merch, order=order.number).pk == first.pk
    assert first.version == 1 and first.number.endswith("-V1")
    assert first.content["lines"][0]["code"] == "BC-101"
    assert first.content["total"] == str(order.total_amount)
    signed = services.record_countersigned(actor=merch, number=first.number, file=scan())
    assert signed.status == ContractStatus.COUNTERSIGNED and signed.countersigned_on is not None
    assert signed.countersigned_file.name == "countersigned.png"
    with pytest.raises(DomainError) as again:
        services.record_countersigned(actor=merch, number=first.number, file=scan())
    assert again.value.code == "contracts_already_countersigned"
    order_services.amend_order(
        order_number=order.number,
        actor=merch,
        changes={"notes": "唛头改为客户新标志"},
        reason="客户改唛头",
    )
    order.refresh_from_db()
    assert order.revision == 2
    # a revised order that must be signed again gets its contract once it is
    if order.manager_signed_at is not None:
        second = services.issue_contract(actor=merch, order=order.number)
        assert second.version == 2 and second.content["notes"] == "唛头改为客户新标志"
    kept = SalesContract.objects.get(pk=first.pk)
    assert kept.status == ContractStatus.COUNTERSIGNED and kept.content == first.content
    assert Event.objects.filter(kind="contracts.countersigned").count() == 1


def test_the_customers_terms_hold_the_release_until_the_contract_is_countersigned(world):
    merch, manager = world.users["merch"], world.users["manager"]
    order = world.order(to=Status.DEPOSIT_CONFIRMED)
    assert "contracts_countersigned_missing" not in release_reasons(order, merch)
    with pytest.raises(DomainError):
        services.set_contract_terms(actor=merch, customer="EXP001", needs_countersigned=True)
    services.set_contract_terms(
        actor=manager, customer="EXP001", needs_countersigned=True, quality_terms="AQL 2.5"
    )
    assert "contracts_countersigned_missing" in release_reasons(order, merch)
    with pytest.raises(DomainError) as held:
        order_services.release_order(order_number=order.number, actor=merch)
    assert held.value.code == "contracts_countersigned_missing"
    contract = services.issue_contract(actor=merch, order=order.number)
    assert contract.content["quality_terms"] == "AQL 2.5"
    assert "contracts_countersigned_missing" in release_reasons(order, merch)
    services.record_countersigned(actor=merch, number=contract.number, file=scan())
    assert "contracts_countersigned_missing" not in release_reasons(order, merch)
    order_services.release_order(order_number=order.number, actor=merch)
    assert Order.objects.get(pk=order.pk).status != Status.DEPOSIT_CONFIRMED


def _page_queries(client, number: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/contracts/{number}/").status_code == 200
    return len(ctx.captured_queries)


def test_pages_pdf_and_api(client, world):
    merch = world.users["merch"]
    small = world.order(to=Status.SIGNED)
    big = world.order(
        lines=[("BC-101", 10, "1.00")] * 1 + [("BC-202", 5, "2.00")] * 1, to=Status.SIGNED
    )
    c_small = services.issue_contract(actor=merch, order=small.number)
    client.force_login(merch)
    with CaptureQueriesContext(connection) as one:
        client.get("/contracts/")
    c_big = services.issue_contract(actor=merch, order=big.number)
    with CaptureQueriesContext(connection) as two:
        client.get("/contracts/")
    assert len(one.captured_queries) == len(two.captured_queries)
    cockpit = client.get(f"/orders/{small.number}/")
    assert c_small.number in cockpit.content.decode()
    assert _page_queries(client, c_small.number) == _page_queries(client, c_big.number)
    page = client.get(f"/contracts/{c_small.number}/").content.decode()
    assert "产品销售合同" in page and "SALES CONTRACT" in page
    listing = client.get("/contracts/")
    assert listing.status_code == 200 and c_big.number in listing.content.decode()
    assert client.get("/contracts/contracts.xlsx").content[:2] == b"PK"
    pdf = client.get(f"/contracts/{c_small.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the countersigned copy from the page
    answer = client.post(
        f"/contracts/{c_small.number}/", {"file": scan(), "signed_on": "2020-01-02"}
    )
    assert answer.status_code == 302
    assert SalesContract.objects.get(pk=c_small.pk).countersigned_on.isoformat() == "2020-01-02"
    # the API: no price in any answer
    body = client.get("/api/v1/contracts/").json()
    assert set(body) == {"items", "next_cursor"} and len(body["items"]) == 2
    assert "total" not in body["items"][0]
    issued = client.post(f"/api/v1/contracts/orders/{big.number}/issue")
    assert issued.status_code == 201 and issued.json()["number"] == c_big.number
    # the price-blind never read the contract
    client.force_login(world.users["warehouse"])
    assert client.get(f"/contracts/{c_small.number}/").status_code == 403
    assert client.get(f"/contracts/{c_small.number}.pdf").status_code == 403
