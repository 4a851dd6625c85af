"""After-sales' pages and endpoints: the sample's phone page refuses "sent" before a photo and
files one; the complaint's page for the manager and the merchandiser; Today's sections; the
cockpit panel; the daily summary and its Excel (logged in the export log); the API's answers
and errors; query counts that do not grow with the data."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gendan.accounts.services import issue_token
from gendan.aftersales import services
from gendan.aftersales.errors import Code
from gendan.aftersales.models import Complaint, Sample
from gendan.aftersales.tests.test_services import made_sample, photo
from gendan.exports.models import ExportRecord
from gendan.orders.workflow import Status

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_the_sample_page_refuses_sent_without_a_photo_and_files_one(client, world):
    sample = made_sample(world)
    client.force_login(world.users["merch"])
    url = reverse("web:aftersales_sample", args=[sample.number])
    page = client.get(url, headers=EN).content.decode()
    assert 'data-action="send" disabled' in page
    assert Code.SAMPLE_NO_PHOTO in page
    refused = client.post(
        url, {"what": "send", "courier": "SF", "tracking_number": "1"}, headers=EN
    )
    assert refused.status_code == 422
    assert 'value="SF"' in refused.content.decode()  # what was typed is kept
    assert Sample.objects.get(pk=sample.pk).status == "reviewed"
    assert client.post(url, {"what": "photo", "photos": [photo()]}).status_code == 302
    sent = client.post(url, {"what": "send", "courier": "SF", "tracking_number": "1"})
    assert sent.status_code == 302
    assert Sample.objects.get(pk=sample.pk).status == "sent"


def test_the_salesperson_requests_and_sees_only_their_customers_samples(client, world):
    client.force_login(world.users["sales"])
    response = client.post(
        reverse("web:aftersales_samples"),
        {"customer": "DIST01", "product": "BC-101", "quantity": "3", "purpose": "试用"},
    )
    sample = Sample.objects.get()
    assert response.status_code == 302 and sample.requested_by == world.users["sales"]
    client.force_login(world.users["production"])  # no sample permission: no page
    assert client.get(reverse("web:aftersales_samples")).status_code == 403


def test_complaint_page_confirm_then_replacement(client, world):
    order = world.order(customer="DIST01", lines=[("BC-101", 100, "12")], to=Status.DELIVERED)
    client.force_login(world.users["service"])
    logged = client.post(
        reverse("web:aftersales_complaints"),
        {
            "customer": "DIST01",
            "kind": "quality",
            "order": order.number,
            "line_no": "1",
            "quantity": "5",
            "description": "破损",
            "photos": [photo()],
        },
    )
    complaint = Complaint.objects.get()
    assert logged.status_code == 302
    url = reverse("web:aftersales_complaint", args=[complaint.number])
    client.force_login(world.users["merch"])
    page = client.get(url, headers=EN).content.decode()
    assert "Waiting for the sales manager to confirm the complaint." in page
    client.force_login(world.users["manager"])
    assert client.post(url, {"what": "confirm"}).status_code == 302
    client.force_login(world.users["merch"])
    made = client.post(
        url,
        {
            "what": "replacement",
            "lines-0-product": "BC-101",
            "lines-0-quantity": "5",
            "lines-0-unit_price": "0",
        },
    )
    assert made.status_code == 302
    resolution = Complaint.objects.get().resolutions.get()
    assert (resolution.order.kind, resolution.order.status) == ("replacement", Status.SUBMITTED)
    cockpit = client.get(reverse("web:order_detail", args=[resolution.order.number])).content
    assert f'data-complaint="{complaint.number}"'.encode() in cockpit


def test_the_daily_summary_and_its_excel_for_customer_service(client, world):
    services.log_complaint(
        actor=world.users["service"], customer="DIST01", kind="late", description="=HYPERLINK(1)"
    )
    client.force_login(world.users["service"])
    page = client.get(reverse("web:aftersales_summary"), headers=EN).content.decode()
    assert 'data-testid="logged-count">1<' in page and 'data-testid="open-count">1<' in page
    xlsx = client.get(reverse("web:aftersales_summary") + "?format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[1]
    assert [c.value for c in sheet[2]][-1] == 0  # logged today: age 0 days
    assert sheet.cell(2, 9).data_type == "s"  # a formula-like text stays text
    assert ExportRecord.objects.get().what == "complaint_summary"


def test_today_shows_each_role_its_work(client, world):
    complaint = services.log_complaint(
        actor=world.users["service"], customer="DIST01", kind="late", description="晚到"
    )
    sample = services.request_sample(
        actor=world.users["sales"], customer="DIST01", product="BC-101"
    )
    for who, key, mark in (
        ("manager", "aftersales_to_decide", complaint.number),
        ("service", "aftersales_open_complaints", complaint.number),
        ("sales", "aftersales_my_complaints", complaint.number),
        ("sales", "aftersales_my_samples", sample.number),
        ("merch", "aftersales_samples_to_send", sample.number),
    ):
        client.force_login(world.users[who])
        page = client.get(reverse("web:today")).content.decode()
        lazy = reverse("web:aftersales_today_section", args=[key])
        assert f'hx-get="{lazy}"' in page, (who, key)  # drawn after Today has loaded
        section = client.get(lazy).content.decode()
        assert f'data-section="{key}"' in section and mark in section, (who, key)
    client.force_login(world.users["service"])  # another role's section is not theirs
    assert (
        client.get(
            reverse("web:aftersales_today_section", args=["aftersales_to_decide"])
        ).status_code
        == 404
    )


def _many(world, n: int) -> None:
    services.launch_campaign(actor=world.users["merch"], product="BC-102")
    for _ in range(n):
        services.log_complaint(
            actor=world.users["service"], customer="DIST01", kind="late", description="晚到"
        )
        services.request_sample(actor=world.users["sales"], customer="DIST01", product="BC-101")


@pytest.mark.parametrize(
    "name",
    [
        "aftersales_samples",
        "aftersales_complaints",
        "aftersales_summary",
        "aftersales_campaigns",
        "aftersales_rate",
    ],
)
def test_page_queries_do_not_grow_with_the_data(client, world, name):
    client.force_login(world.users["merch"])
    counts = []
    for n in (10, 20):
        _many(world, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"web:{name}")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("path", ["/api/v1/aftersales/samples", "/api/v1/aftersales/complaints"])
def test_endpoint_queries_do_not_grow_with_the_data(client, world, path):
    token = issue_token(user=world.users["merch"], actor=world.users["merch"])[1]
    auth = {"authorization": f"Bearer {token}"}
    client.get(path, headers=auth)  # the token's first use is stamped once
    counts = []
    for n in (10, 20):
        _many(world, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, headers=auth).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_api_walks_a_sample_and_answers_errors_as_elsewhere(client, world):
    sales = issue_token(user=world.users["sales"], actor=world.users["sales"])[1]
    merch = issue_token(user=world.users["merch"], actor=world.users["merch"])[1]

    def call(token, path, body=None):
        return client.post(
            f"/api/v1/aftersales{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers={"authorization": f"Bearer {token}", **EN},
        )

    made = call(sales, "/samples", {"customer": "DIST01", "product": "BC-101"})
    number = made.json()["number"]
    assert (made.status_code, made.json()["status"]) == (201, "requested")
    assert call(sales, f"/samples/{number}/accept").status_code == 403
    assert call(merch, f"/samples/{number}/accept").status_code == 200
    assert call(merch, f"/samples/{number}/made", {"source": "stock"}).status_code == 200
    assert call(merch, f"/samples/{number}/review").status_code == 200
    refused = call(merch, f"/samples/{number}/send", {"courier": "SF", "tracking_number": "9"})
    assert refused.status_code == 409
    assert refused.json()["code"] == Code.SAMPLE_NO_PHOTO
    filed = client.post(
        f"/api/v1/aftersales/samples/{number}/photos",
        {"file": photo()},
        headers={"authorization": f"Bearer {merch}"},
    )
    assert (filed.status_code, filed.json()["has_photo"]) == (201, True)
    sent = call(merch, f"/samples/{number}/send", {"courier": "SF", "tracking_number": "9"})
    assert (sent.status_code, sent.json()["status"]) == (200, "sent")
    assert call(merch, "/samples/SA-0/accept").status_code == 404
