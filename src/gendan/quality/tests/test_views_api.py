"""Quality's pages and endpoints: QC's list and the phone form (defects by kind, photos), the
concession on the page, Today's sections, the cockpit panel and the cockpit's refusal with the
gate's reason, the API (keyset pages, errors as elsewhere); their query counts do not grow."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from gendan.accounts.services import issue_token
from gendan.attachments.models import Attachment
from gendan.orders.workflow import Status
from gendan.quality.errors import Code
from gendan.quality.models import Concession, Inspection
from gendan.quality.services import record_inspection
from gendan.quality.tests.factories import plan

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def ready(world):
    plan(world)
    return world.order(lines=[("FN-101", 100, "300")], to=Status.READY_TO_SHIP)


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("scratch.png", buffer.getvalue(), content_type="image/png")


def test_qc_lists_what_waits_and_fails_an_inspection_on_the_phone_form(client, world, ready):
    client.force_login(world.users["qc"])
    home = client.get(reverse("web:quality_home"), headers=EN).content.decode()
    assert f'data-order="{ready.number}"' in home
    url = reverse("web:quality_inspect", args=[ready.number])
    page = client.get(url, headers=EN).content.decode()
    assert "sample 20, accept at 1 defectives" in page
    assert "Final inspection not done" in page
    response = client.post(
        url,
        {
            "what": "inspect",
            "kind": "final",
            "lot_size": "100",
            "defect_appearance": "2",
            "defect_packing": "1",
            "note": "划痕",
            "photos": [photo()],
        },
        headers=EN,
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(order=ready)
    assert (inspection.result, inspection.defects) == ("failed", {"appearance": 2, "packing": 1})
    assert Attachment.objects.filter(object_id=inspection.pk).count() == 1
    page = client.get(url, headers=EN).content.decode()
    assert "Final inspection failed" in page and 'data-testid="concession"' not in page
    # a sample cannot hold more defectives than it has units: refused on the page, nothing kept
    response = client.post(
        url, {"what": "inspect", "kind": "final", "defect_other": "21"}, headers=EN
    )
    assert response.status_code == 422 and 'data-testid="refusal"' in response.content.decode()
    assert Inspection.objects.filter(order=ready).count() == 1


def test_the_sales_manager_accepts_a_concession_on_the_page(client, world, ready):
    failed = record_inspection(
        kind="final", order=ready.number, defects={"function": 3}, actor=world.users["qc"]
    )
    client.force_login(world.users["manager"])
    url = reverse("web:quality_inspect", args=[ready.number])
    page = client.get(url, headers=EN).content.decode()
    assert 'data-testid="concession"' in page and 'data-testid="record"' not in page
    response = client.post(
        url, {"what": "concession", "inspection": failed.pk, "reason": "客户同意"}, headers=EN
    )
    assert response.status_code == 302
    assert Concession.objects.get().accepted_by == world.users["manager"]
    page = client.get(url, headers=EN).content.decode()
    assert 'data-testid="conceded"' in page and "may be issued" in page


def test_the_cockpit_says_why_no_notice_and_shows_the_inspections(client, world, ready):
    client.force_login(world.users["merch"])
    url = reverse("web:order_detail", args=[ready.number])
    html = client.get(url, headers=EN).content.decode()
    assert "Final inspection not done" in html
    assert 'data-panel="quality_inspections"' in html
    record_inspection(
        kind="final", order=ready.number, defects={"function": 3}, actor=world.users["qc"]
    )
    html = client.get(url, headers=EN).content.decode()
    assert "Final inspection failed" in html and 'data-inspection="' in html


def test_today_shows_qc_what_waits_and_the_merchandiser_what_failed(client, world, ready):
    client.force_login(world.users["qc"])
    today = client.get(reverse("web:today"), headers=EN).content.decode()
    assert 'data-section="quality_to_inspect"' in today
    url = reverse("web:quality_today_section", args=["quality_to_inspect"])
    assert f'data-order="{ready.number}"' in client.get(url, headers=EN).content.decode()
    record_inspection(
        kind="final", order=ready.number, defects={"function": 3}, actor=world.users["qc"]
    )
    client.force_login(world.users["merch"])
    url = reverse("web:quality_today_section", args=["quality_failed"])
    html = client.get(url, headers=EN).content.decode()
    assert f'data-order="{ready.number}"' in html
    record_inspection(kind="final", order=ready.number, actor=world.users["qc"])
    html = client.get(url, headers=EN).content.decode()
    assert f'data-order="{ready.number}"' not in html
    # a section of another role is not found
    assert (
        client.get(reverse("web:quality_today_section", args=["quality_to_inspect"])).status_code
        == 404
    )


def test_the_pages_are_quality_roles(client, world, ready):
    for who in ("production", "warehouse", "finance"):
        client.force_login(world.users[who])
        assert client.get(reverse("web:quality_home")).status_code == 403
    client.force_login(world.users["manager"])
    assert client.post(reverse("web:quality_plans"), {"family": "X"}).status_code == 403


class Api:
    def __init__(self, client, world):
        self.client, self.world, self.tokens = client, world, {}

    def __call__(self, who, method, path, body=None):
        if who not in self.tokens:
            user = self.world.users[who]
            self.tokens[who] = issue_token(user=user, actor=user)[1]
        response = self.client.generic(
            method,
            f"/api/v1/quality{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.tokens[who]}", "Accept-Language": "en"},
        )
        return response.status_code, response.json()


def test_the_api_records_lists_and_concedes(client, world, ready):
    api = Api(client, world)
    status, body = api("qc", "POST", "/inspections", {"kind": "final", "order": ready.number})
    assert status == 201 and body["result"] == "passed" and body["sample_size"] == 20
    status, body = api(
        "qc",
        "POST",
        "/inspections",
        {"kind": "final", "order": ready.number, "defects": {"appearance": 2}},
    )
    assert status == 201 and body["result"] == "failed"
    failed = body["id"]
    status, body = api("qc", "POST", f"/inspections/{failed}/concession", {"reason": "ok"})
    assert status == 403
    status, body = api("manager", "POST", f"/inspections/{failed}/concession", {"reason": "ok"})
    assert status == 201 and body["concession"]["accepted_by"] == "manager"
    status, body = api("manager", "POST", f"/inspections/{failed}/concession", {"reason": "ok"})
    assert status == 409 and body["code"] == Code.NOT_CONCEDABLE
    status, page = api("merch", "GET", f"/inspections?order={ready.number}&limit=1")
    assert status == 200 and [i["id"] for i in page["items"]] == [failed]
    status, page = api("merch", "GET", f"/inspections?limit=1&after={page['next_cursor']}")
    assert status == 200 and len(page["items"]) == 1 and page["next_cursor"] is None
    status, body = api("merch", "GET", "/inspections/999999")
    assert status == 404
    status, body = api("merch", "PUT", "/plans/客厅系列", {"aql": "1.0"})
    assert status == 403
    status, body = api("qc", "PUT", "/plans/客厅系列", {"aql": "1.0"})
    assert status == 200 and body["family"] == "客厅系列"
    status, body = api("qc", "PUT", "/plans/客厅系列", {"aql": "3.3"})
    assert status == 422 and body["code"] == Code.BAD_PLAN
    status, page = api("qc", "GET", "/plans")
    assert [p["family"] for p in page["items"]] == ["北欧系列", "客厅系列"]


def test_the_api_refuses_the_shipping_notice_with_the_reason(client, world, ready):
    merch = world.users["merch"]
    token = issue_token(user=merch, actor=merch)[1]
    response = client.post(
        f"/api/v1/orders/{ready.number}/actions/issue_shipping_notice",
        data="{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == Code.FINAL_MISSING


def _count(client, url, headers=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers or {}).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_the_data(client, world, ready):
    qc = world.users["qc"]
    token = issue_token(user=qc, actor=qc)[1]
    auth = {"Authorization": f"Bearer {token}"}

    def more(n):
        for _ in range(n):
            order = world.order(lines=[("FN-101", 10, "300")], to=Status.READY_TO_SHIP)
            record_inspection(kind="final", order=order.number, defects={"other": 2}, actor=qc)
            record_inspection(kind="final", order=order.number, actor=qc)

    more(1)
    client.force_login(qc)
    urls = [
        (reverse("web:quality_home"), None),
        (reverse("web:quality_inspect", args=[ready.number]), None),
        (reverse("web:quality_today_section", args=["quality_to_inspect"]), None),
        ("/api/v1/quality/inspections", auth),
    ]
    for url, headers in urls:
        client.get(url, headers=headers or {})
    before = [_count(client, url, headers) for url, headers in urls]
    more(3)
    record_inspection(kind="final", order=ready.number, defects={"other": 2}, actor=qc)
    after = [_count(client, url, headers) for url, headers in urls]
    assert before == after
