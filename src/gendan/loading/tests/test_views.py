"""Loading pages with Django's test client: what each role sees, refusals shown, bounded queries."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from gendan.loading.models import ContainerType, CountingError, LoadingPlan
from gendan.loading.services import counting_errors, counts

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def test_plan_form_refuses_without_a_notice_and_keeps_the_choice(client, world, notices):
    client.force_login(world.users["merch"])
    page = client.get(f"/loading/?notice={notices[0]}").content.decode()
    assert f'value="{notices[0]}" checked' in page
    answer = client.post("/loading/", {"container": "20GP", "time_limit": "30"}, follow=True)
    text = answer.content.decode()
    with translation.override("zh-hans"):
        assert str(gettext("Choose at least one shipping notice or order.")) in text
    assert 'value="20GP" selected' in text and not LoadingPlan.objects.exists()


def test_plan_page_shows_pictures_walls_and_the_check(client, world, planned):
    plan = planned()
    client.force_login(world.users["merch"])
    page = client.get(f"/loading/{plan.number}/").content.decode()
    assert page.count("<svg") == 3  # 3D, door and side
    assert page.count("data-wall=") == len(plan.containers[0]["walls"])
    assert 'data-matches="false"' in page and 'data-code="not_counted"' in page
    assert 'data-testid="counting-error-form"' in page
    # the warehouse counts and closes but does not accept differences or record penalties
    client.force_login(world.users["warehouse"])
    page = client.get(f"/loading/{plan.number}/").content.decode()
    assert 'data-testid="count-loading"' in page and 'data-testid="close-loading"' in page
    assert "accept_difference" not in page and "counting-error-form" not in page


def test_pages_cost_the_same_queries_for_a_small_and_a_large_plan(client, world, notices, planned):
    small = planned(notices=notices[1:])
    large = planned()
    for plan, walls in ((small, 1), (large, 5)):  # more counts must not cost more queries
        for wall in plan.containers[0]["walls"][:walls]:
            counts.record_count(
                actor=world.users["warehouse"],
                plan=plan.number,
                container=1,
                wall=wall["number"],
                counted=wall["count"],
            )
    client.force_login(world.users["merch"])
    for page in ("", "count/", "count/?by=product", "sheet/"):
        spent = [queries(client, f"/loading/{p.number}/{page}") for p in (small, large)]
        assert spent[0] == spent[1], page
    assert queries(client, "/loading/") == queries(client, "/loading/")


def test_count_page_saves_a_row_and_shows_the_difference_at_once(client, world, planned):
    plan = planned()
    wall = plan.containers[0]["walls"][0]
    client.force_login(world.users["warehouse"])
    answer = client.post(
        f"/loading/{plan.number}/count/",
        {"container": "1", "by": "wall", "target": "1", "counted": str(wall["count"] - 2)},
        headers={"HX-Request": "true"},
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and 'data-difference="-2"' in body
    assert "<html" not in body  # the partial only
    bad = client.post(
        f"/loading/{plan.number}/count/",
        {"container": "1", "by": "wall", "target": "1", "counted": "abc"},
        headers={"HX-Request": "true"},
    )
    assert 'data-testid="count-error"' in bad.content.decode()
    assert plan.counts.get(wall=1).counted == wall["count"] - 2  # the bad input lost nothing


def test_close_refused_shows_every_reason(client, world, planned):
    plan = planned()
    client.force_login(world.users["warehouse"])
    page = client.post(f"/loading/{plan.number}/close/", follow=True).content.decode()
    assert 'data-status="open"' in page and 'class="messages"' in page


def test_register_lists_totals_and_exports_to_excel(client, world, planned):
    plan = planned()
    for actual in (399, 398):
        counting_errors.record_counting_error(
            actor=world.users["merch"],
            plan=plan.number,
            person="warehouse",
            expected=400,
            actual=actual,
            source="recount",
        )
    client.force_login(world.users["manager"])
    page = client.get("/counting-errors/?person=warehouse").content.decode()
    assert page.count("data-error=") == 2 and "400.00 CNY" in page
    export = client.get("/counting-errors.xlsx?person=warehouse")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and {r[1] for r in rows[1:]} == {"warehouse"}
    assert CountingError.objects.count() == 2
    client.force_login(world.users["warehouse"])
    assert client.get("/counting-errors/").status_code == 403


def test_loading_sheet_pdf_is_a_chinese_pdf(client, world, planned):
    import pypdfium2 as pdfium

    plan = planned()
    client.force_login(world.users["merch"])
    answer = client.get(f"/loading/{plan.number}/sheet.pdf")
    assert answer["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(answer.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    assert "出运通知单" in text and plan.number in text and "门 door" in text
    assert "产品 BC-101" in text and "合计" in text


def test_scanning_counts_product_by_product(client, world, planned):
    plan = planned()
    client.force_login(world.users["warehouse"])
    page = client.get(f"/loading/{plan.number}/count/?by=product").content.decode()
    assert 'data-testid="scan-input"' in page
    for code in ("BC-301", "BC-301", "NOPE"):
        answer = client.post(
            f"/loading/{plan.number}/count/",
            {"container": "1", "by": "product", "scan": code},
            headers={"HX-Request": "true"},
        )
    body = answer.content.decode()
    assert 'data-testid="count-error"' in body  # the unknown code is refused, nothing lost
    assert 'data-count-row="BC-301"' in body and 'data-difference="-98"' in body


def test_container_types_are_edited_on_a_page_and_the_service_checks_the_door(client, world):
    fields = {
        "code": "20RF",
        "name": "20' reefer",
        "kind": "container",
        "inside_length_mm": "5450",
        "inside_width_mm": "2290",
        "inside_height_mm": "2260",
        "door_width_mm": "2400",  # wider than the inside: refused
        "door_height_mm": "2200",
        "max_payload_kg": "27000",
        "cost": "4000",
        "active": "on",
    }
    client.force_login(world.users["merch"])
    page = client.post("/loading/container-types/new/", fields).content.decode()
    with translation.override("zh-hans"):
        assert str(gettext("The door cannot be larger than the inside.")) in page
    assert not ContainerType.objects.filter(code="20RF").exists()
    answer = client.post("/loading/container-types/new/", {**fields, "door_width_mm": "2200"})
    assert answer.status_code == 302
    ct = ContainerType.objects.get(code="20RF")
    assert ct.door_width_mm == 2200 and ct.history.first().history_user == world.users["merch"]
    client.force_login(world.users["warehouse"])
    assert client.get("/loading/container-types/new/").status_code == 403


def test_today_shows_the_loadings_still_open(client, world, planned):
    plan = planned()
    client.force_login(world.users["warehouse"])
    page = client.get("/").content.decode()
    assert 'data-section="loadings"' in page and f'data-plan="{plan.number}"' in page
    client.force_login(world.users["finance"])
    assert 'data-section="loadings"' not in client.get("/").content.decode()
