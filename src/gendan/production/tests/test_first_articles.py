"""The first article (首件): when the gate opens, the report it refuses, the salesperson's
rejection and approval, the second sample, Today's lists, the pages and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gendan.accounts.services import issue_token
from gendan.attachments.models import Attachment
from gendan.attachments.tests.samples import photo
from gendan.errors import DomainError, Kind
from gendan.notifications.models import Notification
from gendan.orders.workflow import Status
from gendan.production.models import (
    FirstArticle,
    FirstArticleSample,
    FirstArticleStatus,
    WorkOrder,
)
from gendan.production.services import first_articles, reports
from gendan.production.tests.factories import approve_first_articles, factory, work_orders
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def released(world):
    """100 dining chairs (北欧系列) for a customer's first order: the cutting step is gated."""
    factory(world.users["admin"])
    return world.order(lines=[("FN-101", 100, "300")], to=Status.RELEASED)


def cut_of(order) -> WorkOrder:
    return work_orders(order)[0]


def report(world, wo, good, **kw):
    return reports.record_report(
        work_order=wo.number, day=YESTERDAY, good_qty=good, actor=world.users["production"], **kw
    )


def submit(world, wo, **kw):
    kw.setdefault("photos", [photo(size=(64, 48))])
    return first_articles.submit_sample(work_order=wo.number, actor=world.users["production"], **kw)


def state(order) -> tuple:
    gate = FirstArticle.objects.get(order=order)
    return (
        gate.status,
        FirstArticleSample.objects.filter(first_article=gate).count(),
        list(WorkOrder.objects.filter(order=order).values_list("good_qty", flat=True)),
        Event.objects.filter(order=order).count(),
    )


def test_the_gate_opens_on_the_first_step_of_a_new_customer_and_product(released):
    gate = FirstArticle.objects.get()
    assert gate.work_order == cut_of(released)
    assert (gate.status, gate.sample_qty) == (FirstArticleStatus.AWAITING_SAMPLE, 10)
    assert sorted(gate.causes) == ["new_customer", "new_product"]
    # only the first step carries it: the later steps are bounded by the step before them
    assert FirstArticle.objects.filter(work_order__seq__gt=1).count() == 0


def test_a_known_customer_and_product_need_none_unless_the_quantity_is_large(
    world, released, settings
):
    approve_first_articles(world, released)
    report(world, cut_of(released), 80)
    again = world.order(lines=[("FN-101", 50, "300")], to=Status.RELEASED)
    assert not FirstArticle.objects.filter(order=again).exists()
    settings.GENDAN_FIRST_ARTICLE_QUANTITY = 500
    large = world.order(lines=[("FN-101", 600, "300")], to=Status.RELEASED)
    assert FirstArticle.objects.get(order=large).causes == ["large_quantity"]


def test_mass_production_is_refused_beyond_the_sample_until_approval(world, released):
    cut = cut_of(released)
    before = state(released)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        report(world, cut, 80)
    assert refused.value.code == "production_first_article_pending"
    assert refused.value.kind == Kind.REFUSED
    assert "at most 10" in refused.value.message
    assert state(released) == before  # nothing changed
    report(world, cut, 10, slip_reason="plan_error", note="首件打样")  # the sample itself
    submit(world, cut, note="首件：椅背弧度按图纸")
    with pytest.raises(DomainError):
        reports.correct_report(
            work_order=cut.number, day=YESTERDAY, good_qty=40, actor=world.users["production"]
        )
    first_articles.approve_sample(work_order=cut.number, actor=world.users["sales"], note="OK")
    reports.correct_report(
        work_order=cut.number, day=YESTERDAY, good_qty=80, actor=world.users["production"]
    )
    assert WorkOrder.objects.get(pk=cut.pk).good_qty == 80


def test_a_rejection_records_the_deviation_and_a_second_sample_is_approved(world, released):
    cut = cut_of(released)
    sample = submit(world, cut, note="第一次打样")
    assert Notification.objects.filter(
        user=world.users["sales"], kind="production.first_article_submitted"
    ).exists()
    before = state(released)
    with pytest.raises(DomainError) as no_reason:
        first_articles.reject_sample(
            work_order=cut.number, deviation="  ", actor=world.users["sales"]
        )
    assert no_reason.value.code == "production_reason_required"
    assert state(released) == before
    first_articles.reject_sample(
        work_order=cut.number,
        deviation="扶手高度差 2 cm",
        photos=[photo("deviation.jpg", size=(64, 48))],
        actor=world.users["sales"],
    )
    sample.refresh_from_db()
    assert (sample.decision, sample.decision_note) == ("rejected", "扶手高度差 2 cm")
    assert Attachment.objects.filter(object_id=sample.pk).count() == 2  # the sample's, the flaw's
    assert FirstArticle.objects.get().status == FirstArticleStatus.REJECTED
    with pytest.raises(DomainError) as again:  # nothing waits for a decision now
        first_articles.approve_sample(work_order=cut.number, actor=world.users["sales"])
    assert again.value.code == "production_first_article_state"
    second = submit(world, cut, note="第二次打样，扶手已改")
    assert (second.round, second.number) == (2, f"{cut.number}-S2")
    first_articles.approve_sample(work_order=cut.number, actor=world.users["manager"])
    gate = FirstArticle.objects.get()
    assert gate.status == FirstArticleStatus.APPROVED
    kinds = list(
        Event.objects.filter(order=released, kind__startswith="production.first_article")
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "production.first_article_submitted",
        "production.first_article_rejected",
        "production.first_article_submitted",
        "production.first_article_approved",
    ]
    assert gate.history.count() >= 5  # created, and every change of its status


def test_a_sample_without_a_photo_is_not_approved(world, released):
    cut = cut_of(released)
    submit(world, cut, photos=[])
    with pytest.raises(DomainError) as refused:
        first_articles.approve_sample(work_order=cut.number, actor=world.users["sales"])
    assert refused.value.code == "production_first_article_no_photo"
    assert FirstArticle.objects.get().status == FirstArticleStatus.SUBMITTED


def test_a_bad_photo_is_refused_before_anything_is_written(world, released):
    from gendan.attachments.tests.samples import program

    cut = cut_of(released)
    before = state(released)
    with pytest.raises(DomainError) as refused:
        submit(world, cut, photos=[program()])
    assert refused.value.code == "file_type_not_allowed"
    assert state(released) == before and not Attachment.objects.exists()


def test_only_the_salesperson_or_a_sales_manager_decides(world, released):
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User

    cut = cut_of(released)
    submit(world, cut)
    with pytest.raises(DomainError) as production:
        first_articles.approve_sample(work_order=cut.number, actor=world.users["production"])
    assert production.value.kind == Kind.FORBIDDEN
    other = User.objects.create_user(username="sales2", password="x")
    other.groups.add(Group.objects.get(name="salesperson"))
    with pytest.raises(DomainError) as stranger:
        first_articles.approve_sample(work_order=cut.number, actor=other)
    assert stranger.value.kind == Kind.NOT_FOUND  # not their customer: not there
    with pytest.raises(DomainError) as sales_submits:
        first_articles.submit_sample(work_order=cut.number, actor=world.users["sales"])
    assert sales_submits.value.kind == Kind.FORBIDDEN
    assert FirstArticle.objects.get().status == FirstArticleStatus.SUBMITTED


def test_today_lists_samples_for_the_salesperson_and_late_ones_for_the_merchandiser(
    client, world, released
):
    cut = cut_of(released)
    submit(world, cut)
    mine = reverse("web:production_today_section", args=["production_first_articles_mine"])
    late = reverse("web:production_today_section", args=["production_first_articles_overdue"])
    client.force_login(world.users["sales"])
    assert f'data-work-order="{cut.number}"' in client.get(mine).content.decode()
    client.force_login(world.users["merch"])
    assert f'data-work-order="{cut.number}"' not in client.get(late).content.decode()
    FirstArticle.objects.update(submitted_at=timezone.now() - timedelta(hours=30))
    page = client.get(late).content.decode()
    assert f'data-work-order="{cut.number}"' in page and "300" not in page
    # each role only its own: the merchandiser has no "to approve" section
    assert client.get(mine).status_code == 404


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_salesperson_approves_on_the_page_and_its_queries_do_not_grow(client, world, released):
    cut = cut_of(released)
    submit(world, cut)
    url = reverse("web:production_first_article", args=[cut.number])
    client.force_login(world.users["sales"])
    one = _count(client, url)
    first_articles.reject_sample(
        work_order=cut.number, deviation="颜色偏差", actor=world.users["sales"]
    )
    submit(world, cut)
    submit_more = [photo(f"p{i}.jpg", size=(32, 24)) for i in range(3)]
    for p in submit_more:
        first_articles.store_attachment(
            actor=world.users["sales"],
            model=first_articles.SAMPLE_MODEL,
            key=f"{cut.number}-S2",
            file=p,
        )
    assert _count(client, url) == one
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' in page and "300" not in page
    answer = client.post(url, {"what": "reject", "deviation": ""})
    assert answer.status_code == 422
    assert "deviation" in answer.content.decode()
    client.post(url, {"what": "approve", "note": "可以"})
    assert FirstArticle.objects.get().status == FirstArticleStatus.APPROVED
    # production sees it, may not decide; the form to send a sample is gone
    client.force_login(world.users["production"])
    page = client.get(url).content.decode()
    assert 'data-testid="approve"' not in page and 'data-testid="submit-form"' not in page
    listing = client.get(reverse("web:production_first_articles")).content.decode()
    assert f'data-work-order="{cut.number}"' in listing


def test_production_sends_a_sample_with_photos_from_the_page(client, world, released):
    cut = cut_of(released)
    url = reverse("web:production_first_article", args=[cut.number])
    client.force_login(world.users["production"])
    refused = client.post(url, {"what": "submit", "note": "no photo"})
    assert refused.status_code == 422 and not FirstArticleSample.objects.exists()
    assert "no photo" in refused.content.decode()  # what was typed is kept
    client.post(url, {"what": "submit", "note": "首件", "photos": [photo(size=(64, 48))]})
    sample = FirstArticleSample.objects.get()
    assert Attachment.objects.filter(object_id=sample.pk).count() == 1
    floor = client.get(reverse("web:production_floor", args=["CUT-1"])).content.decode()
    assert 'data-testid="first-article-gate"' in floor


class Api:
    def __init__(self, client, world):
        self.client, self.world, self.tokens = client, world, {}

    def headers(self, who):
        if who not in self.tokens:
            user = self.world.users[who]
            self.tokens[who] = issue_token(user=user, actor=user)[1]
        return {"Authorization": f"Bearer {self.tokens[who]}", "Accept-Language": "en"}

    def post(self, who, path, body=None, **files):
        url = f"/api/v1/production{path}"
        if files:
            response = self.client.post(url, {**(body or {}), **files}, headers=self.headers(who))
        else:
            response = self.client.post(
                url, body or {}, content_type="application/json", headers=self.headers(who)
            )
        return response.status_code, response.json()

    def get(self, who, path):
        response = self.client.get(f"/api/v1/production{path}", headers=self.headers(who))
        return response.status_code, response.json()


def test_the_api_submits_rejects_and_approves(client, world, released):
    api = Api(client, world)
    cut = cut_of(released)
    status, page = api.get("sales", "/first-articles?status=awaiting_sample")
    assert status == 200 and [g["work_order"] for g in page["items"]] == [cut.number]
    status, body = api.post(
        "production",
        f"/first-articles/{cut.number}/samples",
        {"note": "首件"},
        photos=[photo(size=(64, 48))],
    )
    assert status == 201, body
    assert body["status"] == "submitted" and len(body["samples"][0]["photos"]) == 1
    status, refused = api.post("production", f"/first-articles/{cut.number}/approve", {})
    assert (status, refused["code"]) == (403, "permission_denied")
    status, body = api.post("sales", f"/first-articles/{cut.number}/reject", {"deviation": "色差"})
    assert (status, body["status"]) == (200, "rejected")
    status, body = api.post(
        "production", f"/first-articles/{cut.number}/samples", {}, photos=[photo(size=(64, 48))]
    )
    assert status == 201 and [s["round"] for s in body["samples"]] == [1, 2]
    status, body = api.post("sales", f"/first-articles/{cut.number}/approve", {"note": "OK"})
    assert (status, body["status"]) == (200, "approved")
    assert api.get("sales", "/first-articles/NOPE-1")[0] == 404
    # the report beyond the sample, refused over the API before: now accepted
    ok = client.post(
        "/api/v1/production/reports",
        {"work_order": cut.number, "day": YESTERDAY.isoformat(), "good_qty": 80},
        content_type="application/json",
        headers=api.headers("production"),
    )
    assert ok.status_code == 201, ok.json()


def test_the_api_list_costs_the_same_queries_for_one_and_four_gates(client, world, released):
    api = Api(client, world)
    headers = api.headers("merch")

    def count():
        client.get("/api/v1/production/first-articles", headers=headers)
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get("/api/v1/production/first-articles", headers=headers).status_code == 200
            )
        return len(ctx.captured_queries)

    one = count()
    for code in ("FN-102", "FN-101"):
        world.order(customer="DIST01", lines=[(code, 20, "300")], to=Status.RELEASED)
    assert FirstArticle.objects.count() >= 2
    assert count() == one
